"""The pieces the payment screens share (FPX, EFT, Direct Debit): the unpaid ACR/ECR list with tick
boxes and `ADD TO CART`, and the cart / summary table with its total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.core.errors import BusinessError
from flows.pages.base import Expect, PortalPage
from flows.pages.payment_list import sen

# The unpaid list with its tick boxes and `ADD TO CART` (`unpaid`, `add_to_cart`); the tick boxes'
# names ("Select <number>") depend on the documents, so they are not declared.
UNPAID_LIST: tuple[Expect, ...] = (("table", "Unpaid ACR/ECR"), ("button", "ADD TO CART"))


@dataclass(frozen=True)
class Cart:
    """The cart's documents (number → sen) and the total the portal shows."""

    lines: dict[str, int]
    total: int


class CartScreen(PortalPage):
    """A screen that lists unpaid ACR/ECR to tick and/or shows a cart.

    Shared expectation: the cart table (`cart()`). Screens with the unpaid list add `UNPAID_LIST`;
    the summaries, whose table is "Payment Summary", declare their own."""

    expects: ClassVar[tuple[Expect, ...]] = (("table", "Cart"),)

    async def unpaid(self) -> list[str]:
        """The numbers in the unpaid list."""
        rows = self.page.get_by_role("table", name="Unpaid ACR/ECR").locator("tbody tr[data-number]")
        return [
            str(await r.get_attribute("data-number"))
            for r in await self._guard("reading the unpaid list", rows.all)
        ]

    async def add_to_cart(self, numbers: list[str]) -> None:
        """Tick each document, then `ADD TO CART`; BusinessError when one is not in the unpaid list."""
        listed = await self.unpaid()
        missing = [n for n in numbers if n not in listed]
        if missing:
            raise BusinessError(f"{self.screen}: {', '.join(missing)} not in the portal's unpaid list")
        for number in numbers:
            await self._guard(
                f"ticking {number}", self.page.get_by_role("checkbox", name=f"Select {number}").check
            )
        await self.click_and_load(self.page.get_by_role("button", name="ADD TO CART"), "ADD TO CART")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"{self.screen}: {refused}")

    async def cart(self, name: str = "Cart") -> Cart:
        table = self.page.get_by_role("table", name=name)
        lines = {}
        for row in await self._guard("reading the cart", table.locator("tbody tr[data-number]").all):
            cells = await self._guard("reading a cart line", row.locator("td").all_inner_texts)
            lines[str(await row.get_attribute("data-number"))] = sen(cells[-1])
        total = await self._guard("reading the total", table.locator("td.total").inner_text)
        return Cart(lines, sen(total))


def check_cart(cart: Cart, numbers: list[str], amount: int, where: str) -> None:
    """The portal's cart holds exactly these documents and this total, or nothing goes further."""
    if sorted(cart.lines) != sorted(numbers) or cart.total != amount:
        raise BusinessError(
            f"{where}: the portal's cart {sorted(cart.lines)} RM{cart.total / 100:,.2f} is not"
            f" {sorted(numbers)} RM{amount / 100:,.2f}"
        )

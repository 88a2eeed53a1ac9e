"""The pieces the payment screens share (FPX, EFT, Direct Debit): the unpaid ACR/ECR list with tick
boxes and `ADD TO CART`, and the cart / summary table with its total. Bases, not screens: each
screen's page object combines them with its own locators."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import BusinessError
from flows.pages.base import Find, Named, PortalPage, sen

TOTAL = "Total Amount (RM)"


@dataclass(frozen=True)
class Cart:
    """The cart's documents (number → sen) and the total the portal shows."""

    lines: dict[str, int]
    total: int


class CartScreen(PortalPage):
    """A screen that shows a cart ("Cart"; the summaries' "Payment Summary" override `cart_table`)."""

    cart_table = Find("table", "Cart")

    async def cart(self) -> Cart:
        """The cart's lines ("ACR 12345" → its amount) and the total under them."""
        lines = {
            row["Item"].split()[-1]: sen(row["Amount (RM)"])
            for row in await self.table_rows(self.cart_table, "reading the cart")
        }
        total = await self.cell_after(self.cart_table, TOTAL, "reading the total")
        return Cart(lines, sen(total))


class UnpaidList(CartScreen):
    """A cart screen with the unpaid list: tick boxes ("Select <number>") and `ADD TO CART`."""

    unpaid_table = Find("table", "Unpaid ACR/ECR")
    add_to_cart_button = Find("button", "ADD TO CART")
    select = Named("checkbox", "Select {}")

    async def unpaid(self) -> list[str]:
        """The numbers in the unpaid list."""
        return [row["Number"] for row in await self.table_rows(self.unpaid_table, "reading the unpaid list")]

    async def add_to_cart(self, numbers: list[str]) -> None:
        """Tick each document, then `ADD TO CART`; BusinessError when one is not in the unpaid list.
        A lost answer is repeated unless the reloaded cart shows the documents in it."""
        listed = await self.unpaid()
        missing = [n for n in numbers if n not in listed]
        if missing:
            raise BusinessError(f"{self.name}: {', '.join(missing)} not in the portal's unpaid list")

        async def tick_and_add() -> None:
            for number in numbers:
                await self._guard(f"ticking {number}", self.select(number).check)
            await self.press(self.add_to_cart_button, "ADD TO CART")

        async def in_cart() -> bool:
            return set(numbers) <= set((await self.cart()).lines)

        await self.repeatable("ADD TO CART", tick_and_add, acted=in_cart)
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"{self.name}: {refused}")


def check_cart(cart: Cart, numbers: list[str], amount: int, where: str) -> None:
    """The portal's cart holds exactly these documents and this total, or nothing goes further."""
    if sorted(cart.lines) != sorted(numbers) or cart.total != amount:
        raise BusinessError(
            f"{where}: the portal's cart {sorted(cart.lines)} RM{cart.total / 100:,.2f} is not"
            f" {sorted(numbers)} RM{amount / 100:,.2f}"
        )

"""`Payment History` (every method): one row per payment attempt with its status, the ground truth
the bot reconciles its ledger with."""

from __future__ import annotations

from dataclasses import dataclass

from flows.pages.base import PortalPage
from flows.pages.payment_list import sen

SUCCESSFUL, UNSUCCESSFUL, PENDING_AUTH = "Successful", "Unsuccessful", "Pending Authorisation"
PENDING, PENDING_VERIFICATION = "Pending", "Pending Verification"


@dataclass(frozen=True)
class HistoryRow:
    reference: str
    method: str
    documents: tuple[str, ...]
    amount: int  # sen
    date: str
    status: str
    transaction_id: str | None


class PaymentHistoryPage(PortalPage):
    screen = "Payment History"
    url = "/employer/payment/history"
    expects = (("table", "Payment History"),)

    @classmethod
    async def open_from(cls, page: PortalPage) -> PaymentHistoryPage:
        """Follow the `Payment History` link of the current payment screen."""
        await page.click_and_load(
            page.page.get_by_role("link", name="Payment History").first, "opening Payment History"
        )
        page.expect_signed_in()
        return cls(page.page)

    async def rows(self) -> list[HistoryRow]:
        table = self.page.get_by_role("table", name="Payment History")
        out = []
        for row in await self._guard("reading the history", table.locator("tbody tr[data-reference]").all):
            c = [
                t.strip()
                for t in await self._guard("reading a history row", row.locator("td").all_inner_texts)
            ]
            out.append(
                HistoryRow(
                    c[0],
                    c[1],
                    tuple(c[2].split()),
                    sen(c[3]),
                    c[4],
                    c[5],
                    None if c[6] in ("", "-") else c[6],
                )
            )
        return out


class DirectDebitHistoryPage(PaymentHistoryPage):
    """The mandate's `Payment History` (QRG 7 step 11): the same table under Direct Debit."""

    screen = "Direct Debit Payment History"
    url = "/employer/direct-debit/*/history"

"""`Payment History` (every method): one row per payment attempt with its status, the ground truth
the bot reconciles its ledger with."""

from __future__ import annotations

from dataclasses import dataclass

from flows.pages.base import Find, PortalPage, sen

SUCCESSFUL, UNSUCCESSFUL, PENDING_AUTH = "Successful", "Unsuccessful", "Pending Authorisation"
PENDING, PENDING_VERIFICATION = "Pending", "Pending Verification"
# The link on the payment screens (Payment, FPX PAYMENT, a mandate's page): declared by each of them.
HISTORY_LINK = Find("link", "Payment History")


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
    table = Find("table", "Payment History")

    @classmethod
    async def open_from(cls, page: PortalPage) -> PaymentHistoryPage:
        """Follow the `Payment History` link of the current payment screen."""
        await page.follow(page.at(HISTORY_LINK), "opening Payment History")
        page.expect_signed_in()
        return cls(page.page)

    async def rows(self) -> list[HistoryRow]:
        return [
            HistoryRow(
                r["Reference No."],
                r["Method"],
                tuple(r["Documents"].split()),
                sen(r["Amount (RM)"]),
                r["Payment Date"],
                r["Status"],
                None if r["Transaction ID"] in ("", "-") else r["Transaction ID"],
            )
            for r in await self.table_rows(self.table, "reading the history")
        ]


class DirectDebitHistoryPage(PaymentHistoryPage):
    """The mandate's `Payment History` (QRG 7 step 11): the same table under Direct Debit."""

    screen = "Direct Debit Payment History"
    url = "/employer/direct-debit/*/history"

"""The steps every registration case shares (QRG 10 steps 9-11, QRG 11): `ADD DOCUMENT`,
`SAVE & CONTINUE`, `SUBMIT`, "Proceed for Submission?" `CONFIRM`, and the reference number."""

from __future__ import annotations

from bot.core.errors import PortalUnavailable, UnknownOutcome
from bot.core.registration import Document
from flows.pages.base import Find
from flows.pages.registration_form import RegistrationForm


class DocumentsPage(RegistrationForm):
    screen = "Supporting Documents"
    url = "/employer/registration/cases/*/documents"
    document_type = Find("label", "Document Type")
    document = Find("label", "Document")
    add_button = Find("button", "ADD DOCUMENT")
    continue_button = Find("button", "SAVE & CONTINUE")

    async def add_document(self, document: Document) -> None:
        await self.choose(self.document_type, document.type)
        await self._guard("choosing the file", lambda: self.document.set_input_files(document.path))
        await self.press(self.add_button, f"adding {document.path.name}")
        if await self.field_errors():
            raise await self.refused(f"the document {document.path.name}")

    async def save_and_continue(self) -> CaseSummaryPage:
        await self.press(self.continue_button, "continuing from the documents")
        summary = self.on(CaseSummaryPage)
        if not await summary.shows(summary.submit_button):
            raise await self.refused("the case's documents")
        return summary


class CaseSummaryPage(RegistrationForm):
    screen = "Case summary"
    url = "/employer/registration/cases/*"  # `SUBMIT` leads to CaseConfirmPage (".../submit")
    submit_button = Find("button", "SUBMIT")

    async def submit_and_confirm(self) -> CaseDonePage:
        """`SUBMIT`, then `CONFIRM` at "Proceed for Submission?"."""
        return await (await self.submit()).confirm()

    async def submit(self) -> CaseConfirmPage:
        """`SUBMIT`: the portal asks "Proceed for Submission?" (its refusal is a BusinessError)."""
        await self.press(self.submit_button, "submitting the case")
        confirmation = self.on(CaseConfirmPage)
        if not await self.shows(confirmation.confirm_button):
            raise await self.refused("the case at SUBMIT")
        return confirmation


class CaseConfirmPage(RegistrationForm):
    """After `SUBMIT`: "Proceed for Submission?" and `CONFIRM`."""

    screen = "Proceed for Submission?"
    url = "/employer/registration/cases/*/submit"
    question = Find("text", "Proceed for Submission?")
    confirm_button = Find("button", "CONFIRM")

    async def confirm(self) -> CaseDonePage:
        """`CONFIRM`; an answer lost after it is an `UnknownOutcome` (the case may be applied: read
        the Employee List before trying again)."""
        try:
            await self.press(self.confirm_button, "confirming the case")
        except PortalUnavailable as exc:
            raise UnknownOutcome(
                f"{self.screen}: no answer after CONFIRM ({exc}); the Employee List "
                "tells whether it was applied"
            ) from exc
        done = self.on(CaseDonePage)
        if not await done.shows(done.status):
            raise await self.refused("the case at CONFIRM")
        return done


class CaseDonePage(RegistrationForm):
    """The portal's answer: the case reference (or case update) number, the SOCSO number."""

    screen = "Case submitted"
    url = "/employer/registration/cases/*/confirm"  # the answer to CONFIRM
    ok_link = Find("link", "OK")

    async def ok(self) -> None:
        """`OK`: back to the Registration site page."""
        await self.follow(self.ok_link, "going back to Registration")

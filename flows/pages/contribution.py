"""QRG 4 screens: the Contribution menu, a variant's page (pending list, drafts, `TEXT FILE`), the
text-file upload, data entry (`SAVE DRAFT` `COMPLETE` `SUBMIT`) or the uploaded file's summary, the
wage form, the `CONFIRM` page, and the submitted contribution."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import BusinessError
from flows.pages.base import Find, Named, PortalPage, sen

# The menu entries of each variant (QRG 4 i, ii, iii): link names on the Contribution page.
VARIANT_LINKS = {"socso+eis": "SOCSO + EIS", "socso": "SOCSO New Submission", "eis": "EIS New Submission"}
SUBMITTED = "successfully submitted"
ID_COLUMN, WAGES_COLUMN = "ID No.", "Wages (RM)"


def month_label(year: int, month: int) -> str:
    """The portal's MM/YYYY."""
    return f"{month:02d}/{year:04d}"


class ContributionMenu(PortalPage):
    screen = "Contribution"
    url = "/employer/contribution"
    combined = Find("link", VARIANT_LINKS["socso+eis"])
    socso = Find("link", VARIANT_LINKS["socso"])
    eis = Find("link", VARIANT_LINKS["eis"])

    async def choose(self, scheme: str) -> SchemePage:
        link = {"socso+eis": self.combined, "socso": self.socso, "eis": self.eis}[scheme]
        await self.follow(link, f"opening Contribution {VARIANT_LINKS[scheme]}")
        self.expect_signed_in()
        return self.on(SchemePage)


class SchemePage(PortalPage):
    """ "Employer Contribution Pending List", "Unsubmitted Contribution (Draft)", `TEXT FILE`."""

    screen = "Contribution variant"
    url = "/employer/contribution/*"
    text_file_link = Find("link", "TEXT FILE")
    arrears_month = Find("label", "Arrears Month")
    arrears_button = Find("button", "ARREARS")
    pending = Find("heading", "Employer Contribution Pending List")
    edit_month = Named("button", "Edit contribution {}")

    async def open_month(self, year: int, month: int) -> DataEntryPage:
        """The pending list's edit icon of the month; for an older month, the arrears form. The
        portal opens the month's existing draft when there is one, so a lost answer is repeated."""
        label = month_label(year, month)

        async def start() -> None:
            if await self.shows(self.edit_month(label)):
                await self.press(self.edit_month(label), f"opening {label} for data entry")
            else:
                await self._guard(
                    "choosing the arrears month", lambda: self.arrears_month.fill(f"{year:04d}-{month:02d}")
                )
                await self.press(self.arrears_button, f"opening arrears {label}")

        await self.repeatable(f"opening {label}", start)
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused {label}: {refused}")
        return self.on(DataEntryPage)

    async def text_file(self) -> TextFilePage:
        await self.follow(self.text_file_link, "opening TEXT FILE")
        self.expect_signed_in()
        return self.on(TextFilePage)


class TextFilePage(PortalPage):
    screen = "Text file upload"
    url = "/employer/contribution/*/textfile"
    choose_file = Find("label", "Choose File")
    upload_button = Find("button", "UPLOAD")
    errors = Find("list", "Text file errors", optional=True)  # only after a rejected upload
    next_link = Find("link", "Next", optional=True)  # only after an accepted upload

    async def upload(self, path: Path) -> SummaryPage:
        """`Choose File` → `UPLOAD` → `Next`; the portal's line messages become a BusinessError."""
        await self._guard("choosing the file", lambda: self.choose_file.set_input_files(path))
        await self.press(self.upload_button, "uploading the text file")
        self.expect_signed_in()
        lines = await self.list_items(self.errors, "reading the upload's messages")
        refused = await self.alert_text()
        if refused or lines:
            raise BusinessError(
                "\n".join([f"the portal rejected {path.name}: {refused or ''}".rstrip(": "), *lines])
            )
        await self.follow(self.next_link, "going to the summary")
        return self.on(SummaryPage)


class _Submission(PortalPage):
    """What data entry and the uploaded file's summary share: the employees and `SUBMIT`."""

    employees_table = Find("table", "Employees")
    submit_button = Find("button", "SUBMIT")

    async def employees(self) -> list[dict[str, str]]:
        return await self.table_rows(self.employees_table, "reading the employees")

    async def listed_ids(self) -> list[str]:
        return [row[ID_COLUMN] for row in await self.employees()]

    async def _refused(self, what: str) -> None:
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused {what}: {refused}")

    async def submit(self) -> SubmittedPage | ConfirmContributionPage:
        """`SUBMIT`: the combined variant is then submitted; SOCSO/EIS show the CONFIRM page. A lost
        answer is a `PortalUnavailable` the flow makes an `UnknownOutcome` (it may have submitted)."""
        await self.press(self.submit_button, "SUBMIT")
        await self._refused("SUBMIT")
        confirm = self.on(ConfirmContributionPage)
        return confirm if await confirm.shows(confirm.confirm_button) else self.on(SubmittedPage)


class DataEntryPage(_Submission):
    """Data entry of a month (a draft): each employee's edit icon, `SAVE DRAFT`, `COMPLETE` (the
    separate SOCSO / EIS variants only), `SUBMIT`."""

    screen = "Contribution data entry"
    url = "/employer/contribution/submissions/*"
    save_draft_button = Find("button", "SAVE DRAFT")
    complete_button = Find("button", "COMPLETE", optional=True)
    edit_employee = Named("link", "Edit {}")

    async def wages_of(self, id_number: str) -> int | None:
        row = next((r for r in await self.employees() if r[ID_COLUMN] == id_number), None)
        return sen(row[WAGES_COLUMN]) if row and row[WAGES_COLUMN] else None

    async def edit_wages(self, id_number: str, wages_sen: int, status: str = "") -> None:
        """The employee's edit icon → Wage Details → `SAVE`; a lost answer to `SAVE` is repeated
        (saving the same wages twice leaves the same line)."""
        await self.follow(self.edit_employee(id_number), f"editing the wages of {id_number[:4]}…")
        form = self.on(WageDetailsPage)
        await self.repeatable("saving the wages", lambda: form.save(wages_sen, status))
        await self._refused("saving the wages")

    async def save_draft(self) -> None:
        await self.repeatable("SAVE DRAFT", lambda: self.press(self.save_draft_button, "SAVE DRAFT"))
        await self._refused("SAVE DRAFT")

    async def can_complete(self) -> bool:
        return await self.shows(self.complete_button)

    async def complete(self) -> None:
        await self.repeatable("COMPLETE", lambda: self.press(self.complete_button, "COMPLETE"))
        await self._refused("COMPLETE")


class SummaryPage(_Submission):
    """The uploaded text file's "Contribution Summary" (same URL as data entry): `SUBMIT` only."""

    screen = "Contribution summary (text file)"
    url = "/employer/contribution/submissions/*"
    heading = Find("heading", "Contribution Summary", exact=False)


class WageDetailsPage(PortalPage):
    """An employee's edit icon: "Wage Details", `Wages (RM)`, `Employment Status`, `SAVE`."""

    screen = "Wage Details"
    url = "/employer/contribution/submissions/*/lines/*"
    wages = Find("label", "Wages (RM)")
    employment_status = Find("label", "Employment Status")
    save_button = Find("button", "SAVE")

    async def save(self, wages_sen: int, status: str = "") -> None:
        await self._guard("typing the wages", lambda: self.wages.fill(f"{wages_sen / 100:.2f}"))
        if status:
            await self._guard(
                "choosing the status", lambda: self.employment_status.select_option(value=status)
            )
        await self.press(self.save_button, "saving the wages")


class ConfirmContributionPage(PortalPage):
    """SOCSO / EIS after `SUBMIT`: "Proceed for submission?" and `CONFIRM`."""

    screen = "Confirm Contribution"
    url = "/employer/contribution/submit/*"
    employees_table = Find("table", "Employees")
    confirm_button = Find("button", "CONFIRM")

    async def confirm(self) -> SubmittedPage:
        """`CONFIRM`: the documents are generated (a lost answer: the flow's `UnknownOutcome`)."""
        await self.press(self.confirm_button, "CONFIRM")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused CONFIRM: {refused}")
        return self.on(SubmittedPage)


class SubmittedPage(PortalPage):
    """The submitted contribution: the portal's notice, the documents and `PAYMENT`."""

    screen = "Contribution submitted"
    url = "/employer/contribution/submissions/*"
    documents = Find("heading", "Documents")
    payment_link = Find("link", "PAYMENT")

    async def submitted(self) -> bool:
        return SUBMITTED in await self.status_text()

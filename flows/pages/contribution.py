"""QRG 4 screens: the Contribution menu, a variant's page (pending list, drafts, `TEXT FILE`), the
text-file upload, the data-entry / summary page with `SAVE DRAFT` `COMPLETE` `SUBMIT`, the wage
form and the `CONFIRM` page."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Locator

from bot.core.errors import BusinessError
from flows.pages.base import PortalPage

# The menu entries of each variant (QRG 4 i, ii, iii): link names on the Contribution page.
VARIANT_LINKS = {"socso+eis": "SOCSO + EIS", "socso": "SOCSO New Submission", "eis": "EIS New Submission"}


def month_label(year: int, month: int) -> str:
    """The portal's MM/YYYY."""
    return f"{month:02d}/{year:04d}"


class ContributionMenu(PortalPage):
    screen = "Contribution"
    url = "/employer/contribution"
    expects = tuple(("link", name) for name in VARIANT_LINKS.values())

    async def choose(self, scheme: str) -> SchemePage:
        link = self.page.get_by_role("link", name=VARIANT_LINKS[scheme], exact=True)
        await self.click_and_load(link, f"opening Contribution {VARIANT_LINKS[scheme]}")
        self.expect_signed_in()
        return SchemePage(self.page)


class SchemePage(PortalPage):
    """ "Employer Contribution Pending List", "Unsubmitted Contribution (Draft)", `TEXT FILE`."""

    screen = "Contribution variant"
    url = "/employer/contribution/*"
    expects = (
        ("link", "TEXT FILE"),
        ("label", "Arrears Month"),
        ("button", "ARREARS"),
        ("heading", "Employer Contribution Pending List"),
    )

    def _edit_month(self, label: str) -> Locator:
        return self.page.get_by_role("button", name=f"Edit contribution {label}", exact=True)

    async def open_month(self, year: int, month: int) -> SubmissionPage:
        """The pending list's edit icon of the month; for an older month, the arrears form."""
        label = month_label(year, month)
        if await self._edit_month(label).count():
            await self.click_and_load(self._edit_month(label), f"opening {label} for data entry")
        else:
            await self._guard(
                "choosing the arrears month",
                lambda: self.page.get_by_label("Arrears Month").fill(f"{year:04d}-{month:02d}"),
            )
            await self.click_and_load(
                self.page.get_by_role("button", name="ARREARS"), f"opening arrears {label}"
            )
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused {label}: {refused}")
        return SubmissionPage(self.page)

    async def text_file(self) -> TextFilePage:
        await self.click_and_load(self.page.get_by_role("link", name="TEXT FILE"), "opening TEXT FILE")
        self.expect_signed_in()
        return TextFilePage(self.page)


class TextFilePage(PortalPage):
    screen = "Text file upload"
    url = "/employer/contribution/*/textfile"
    expects = (("label", "Choose File"), ("button", "UPLOAD"))

    @property
    def errors(self) -> Locator:
        return self.page.get_by_role("list", name="Text file errors").get_by_role("listitem")

    async def upload(self, path: Path) -> SubmissionPage:
        """`Choose File` → `UPLOAD` → `Next`; the portal's line messages become a BusinessError."""
        await self._guard(
            "choosing the file", lambda: self.page.get_by_label("Choose File").set_input_files(path)
        )
        await self.click_and_load(self.page.get_by_role("button", name="UPLOAD"), "uploading the text file")
        self.expect_signed_in()
        lines = await self._guard("reading the upload's messages", self.errors.all_inner_texts)
        refused = await self.alert_text()
        if refused or lines:
            raise BusinessError(
                "\n".join([f"the portal rejected {path.name}: {refused or ''}".rstrip(": "), *lines])
            )
        await self.click_and_load(self.page.get_by_role("link", name="Next"), "going to the summary")
        return SubmissionPage(self.page)


class SubmissionPage(PortalPage):
    """Data entry (a draft) or the uploaded file's "Contribution Summary"."""

    screen = "Contribution submission"

    @property
    def employees_table(self) -> Locator:
        return self.page.get_by_role("table", name="Employees")

    async def listed_ids(self) -> list[str]:
        rows = self.employees_table.locator("tbody tr")
        cells = await self._guard(
            "reading the employees", lambda: rows.locator("td:first-child").all_inner_texts()
        )
        return [c.strip() for c in cells]

    async def edit_wages(self, id_number: str, wages_sen: int, status: str = "") -> None:
        """The employee's edit icon → Wage Details → `SAVE`."""
        await self.click_and_load(
            self.page.get_by_role("link", name=f"Edit {id_number}", exact=True),
            f"editing the wages of {id_number[:4]}…",
        )
        await self._guard(
            "typing the wages", lambda: self.page.get_by_label("Wages (RM)").fill(f"{wages_sen / 100:.2f}")
        )
        if status:
            await self._guard(
                "choosing the status",
                lambda: self.page.get_by_label("Employment Status").select_option(value=status),
            )
        await self.click_and_load(
            self.page.get_by_role("button", name="SAVE", exact=True), "saving the wages"
        )
        await self._refused("saving the wages")

    async def _refused(self, what: str) -> None:
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused {what}: {refused}")

    async def save_draft(self) -> None:
        await self.click_and_load(self.page.get_by_role("button", name="SAVE DRAFT"), "SAVE DRAFT")
        await self._refused("SAVE DRAFT")

    async def complete(self) -> None:
        await self.click_and_load(self.page.get_by_role("button", name="COMPLETE"), "COMPLETE")
        await self._refused("COMPLETE")

    async def submit(self) -> None:
        """`SUBMIT`: the combined variant is then done; SOCSO/EIS only show the CONFIRM page."""
        await self.click_and_load(self.page.get_by_role("button", name="SUBMIT"), "SUBMIT")
        await self._refused("SUBMIT")

    async def confirm(self) -> None:
        await self.click_and_load(self.page.get_by_role("button", name="CONFIRM"), "CONFIRM")
        await self._refused("CONFIRM")

    async def submitted(self) -> bool:
        status = self.page.get_by_role("status")
        text = await status.first.inner_text() if await status.count() else ""
        return "successfully submitted" in text

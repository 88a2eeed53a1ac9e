"""QRG 4 (i) SOCSO + EIS, (ii) SOCSO, (iii) EIS: send a month's contributions by data entry or by
text file, then read the ACR/ECR back and check them against the bot's own computation.

Idempotent: the month's documents are looked for FIRST; when they exist nothing is submitted again
(this is also how a lost answer to SUBMIT/CONFIRM, an `UnknownOutcome`, is reconciled next time).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.contributions import (
    CheckedFile,
    Entry,
    Kind,
    Month,
    PayrollError,
    Rendered,
    Scheme,
    compute,
    import_payroll,
    kind_of,
    render,
    submission,
    verify,
    write_textfile,
)
from bot.core.contributions.rules import SKBBK_START
from bot.core.contributions.writer import included
from bot.core.errors import BusinessError, PortalUnavailable, UnknownOutcome
from bot.core.settings import EmployerSettings, Settings
from flows.login import log_in
from flows.pages.contribution import (
    ConfirmContributionPage,
    ContributionMenu,
    DataEntryPage,
    SubmittedPage,
    SummaryPage,
)
from flows.payment_documents import (
    ReadBack,
    compare,
    documents_for,
    month_documents,
    open_payment,
    print_documents,
    read_back,
)

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a contribute run found or did."""

    month: Month
    scheme: str
    mode: str
    submitted: bool  # False: the month was already submitted, nothing sent
    documents: list[ReadBack] = field(default_factory=list)

    def detail(self) -> str:
        docs = ", ".join(f"{d.row.number} RM{d.row.amount / 100:,.2f}" for d in self.documents)
        verb = f"submitted by {self.mode}" if self.submitted else "already submitted"
        return f"{self.month} {self.scheme.upper()} {verb}: {docs}"


def choose_mode(requested: str | None, employees: int, textfile_above: int) -> str:
    """The text file for larger payrolls, data entry for small ones, unless told."""
    if requested:
        return requested
    return "textfile" if employees > textfile_above else "entry"


@dataclass
class Prepared:
    """The payroll checked and computed: the file's text and totals (what the portal must show), the
    entries it holds (what data entry types), the mode to send it by, and, when it was built from a
    ``CheckedFile``, that file (verified again right before it is sent)."""

    rendered: Rendered
    entries: list[Entry]
    mode: str
    checked: CheckedFile | None = None


def prepare(
    employer: EmployerSettings,
    month: Month,
    scheme: str,
    payroll: Path | None,
    mode: str | None,
    settings: Settings,
    today: date | None = None,
) -> Prepared:
    """Import and compute the payroll before any browser work: a bad payroll fails fast."""
    source = payroll or employer.payroll
    if source is None:
        raise BusinessError(
            f"{employer.name}: no payroll (give --payroll FILE or set payroll in the portfolio)"
        )
    try:
        employees = import_payroll(source, month, today=today)
    except PayrollError as exc:
        raise BusinessError(str(exc)) from exc
    contributions = compute(employees, month)
    chosen = choose_mode(mode, len(employees), settings.contribution.textfile_above)
    kind = kind_of(Scheme(scheme), None, month)
    if chosen == "entry" and kind is Kind.COMBINED_V1 and month >= SKBBK_START:
        # Data entry is computed by the portal, which includes the SKBBK share from June 2026.
        kind = Kind.COMBINED_V2
    rendered = render(contributions, employer_code=employer.employer_code, month=month, kind=kind)
    if not rendered.lines:
        raise BusinessError(f"{employer.name}: nobody in the payroll owes {scheme.upper()} for {month}")
    entries = [
        Entry(c.employee.id_number, c.employee.name, c.shares.wages, c.employee.status)
        for c in contributions
        if included(c, kind)
    ]
    return Prepared(rendered, entries, chosen)


def prepare_checked(checked: CheckedFile, mode: str | None, settings: Settings) -> Prepared:
    """Send exactly a checked file (bot/core/contributions/checked.py): its own lines and totals, and
    for data entry its lines' wages. CheckedFileChanged (a BusinessError) when its source or the file
    changed since the check."""
    sub = submission(checked)
    chosen = choose_mode(mode, checked.employees, settings.contribution.textfile_above)
    if chosen == "entry" and not sub.entries:
        raise BusinessError(
            f"{checked.path}: a {checked.kind} text file carries no wages: it can only be uploaded"
        )
    if (
        chosen == "entry"
        and Kind(checked.kind) is Kind.COMBINED_V1
        and Month.parse(checked.month) >= SKBBK_START
    ):
        raise BusinessError(
            f"{checked.path}: data entry adds the SKBBK share from {SKBBK_START}, which a v1 file lacks;"
            " upload it (--mode textfile) or build v2"
        )
    return Prepared(sub.rendered, list(sub.entries), chosen, checked)


async def contribute(
    session: EmployerSession,
    employer: EmployerSettings,
    settings: Settings,
    *,
    month: Month,
    scheme: str,
    prepared: Prepared,
    print_pdfs: bool = True,
) -> Outcome:
    """Submit the month unless its documents exist; read them back, compare, print."""
    rendered, mode = prepared.rendered, prepared.mode
    home = await log_in(session, employer, settings)
    payment = await open_payment(home)
    existing = await month_documents(payment, month)
    wanted = set(documents_for(scheme))
    have = {d.type for d in existing}
    if have & wanted and not wanted <= have:
        raise BusinessError(
            f"{month} is partly submitted ({'/'.join(sorted(have))}); cancel it or send the rest"
            " with the matching scheme"
        )
    submitted = False
    if not wanted <= have:
        await home.open_site("Contribution")
        variant = await home.on(ContributionMenu).choose(scheme)
        await session.step("contribution-variant")
        if mode == "textfile":
            path = session.evidence.path(
                f"{employer.employer_code}_{scheme.replace('+', '_').upper()}_{month.mmyyyy}.txt"
            )
            if prepared.checked is not None:
                verify(prepared.checked)  # the very file that was checked, or nothing
            write_textfile(path, rendered)
            summary: DataEntryPage | SummaryPage = await (await variant.text_file()).upload(path)
        else:
            entry = await variant.open_month(month.year, month.month)
            if prepared.checked is not None:
                verify(prepared.checked)
            await enter_wages(entry, prepared.entries)
            summary = entry
        await session.step("contribution-ready")
        await _submit(summary, scheme, month)
        await session.step("contribution-submitted")
        submitted = True
        payment = await open_payment(home)
        existing = await month_documents(payment, month)
    docs = await read_back(payment, [d for d in existing if d.type in wanted])
    compare(docs, rendered.totals, scheme)
    if print_pdfs:
        await print_documents(session, payment, docs)
    outcome = Outcome(month, scheme, mode, submitted, docs)
    log.info("%s: %s", employer.name, outcome.detail())
    return outcome


async def enter_wages(page: DataEntryPage, entries: list[Entry]) -> None:
    """Data entry: each listed employee's wages from the payroll; the portal's list must be ours."""
    wanted = {e.id_number: e for e in entries}
    listed = await page.listed_ids()
    unknown = sorted(set(listed) - set(wanted))
    missing = sorted(set(wanted) - set(listed))
    if unknown or missing:
        raise BusinessError(
            "the portal's employees differ from the payroll:"
            + (f" not in the payroll: {', '.join(unknown)};" if unknown else "")
            + (f" not registered/listed by the portal: {', '.join(missing)}" if missing else "")
        )
    for id_number in listed:
        item = wanted[id_number]
        await page.edit_wages(id_number, item.wages, item.status)
    await page.save_draft()


async def _submit(page: DataEntryPage | SummaryPage, scheme: str, month: Month) -> None:
    """SUBMIT (+ CONFIRM): a lost answer to the last click is an UnknownOutcome, never a retry."""
    final: Callable[[], Awaitable[SubmittedPage | ConfirmContributionPage]] = page.submit
    if scheme != "socso+eis":
        if isinstance(page, DataEntryPage) and await page.can_complete():
            await page.complete()
        confirm = await page.submit()  # SOCSO / EIS: only shows the CONFIRM page
        if not isinstance(confirm, ConfirmContributionPage):
            raise UnknownOutcome(
                f"SUBMIT of {month} {scheme.upper()} showed no CONFIRM page; the next run reconciles"
            )
        final = confirm.confirm
    try:
        done = await final()
    except PortalUnavailable as exc:
        raise UnknownOutcome(
            f"no answer to the final submit of {month} {scheme.upper()} ({exc}); the next run"
            " looks for the month's ACR/ECR before submitting again"
        ) from exc
    if not isinstance(done, SubmittedPage) or not await done.submitted():
        raise UnknownOutcome(f"the portal did not confirm the submission of {month}; the next run reconciles")

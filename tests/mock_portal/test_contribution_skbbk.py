"""The mock portal's own SKBBK (LINDUNG 24 Jam) table: a v2 line with a wrong share is refused with
its line and the expected amount; the bot's v2 file for July 2026 (its default) is accepted."""

from __future__ import annotations

import html

from bot.core.contributions import Month
from mock_portal.contribution import rates
from tests.mock_portal.browser import HALIM, Visitor
from tests.mock_portal.contribution_helpers import HALIM_CODE, textfile, upload, upload_and_submit
from tests.support.portal import MockPortalProcess

JULY = Month(2026, 7)


def test_the_mocks_table_is_perkesos_65_rows_capped_at_44_65() -> None:
    amounts = [b.skbbk_employee for b in rates.bands()]
    assert len(amounts) == 64 and amounts[20] == 1235 and amounts[-1] == 4465  # row 65 = row 64 (cap)
    assert amounts[0] == 20 and amounts[2] == 50  # rows 1 and 3, set by hand


def test_a_wrong_skbbk_share_is_refused_with_the_line_and_the_expected_amount(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    text, _ = textfile("halim", HALIM_CODE, JULY, "socso+eis")  # v2 by default for July 2026
    lines = text.split("\r\n")[:-1]
    assert all(line[238:244].strip() for line in lines)  # v2: every line carries the SKBBK field
    wages = int(lines[1][200:214])
    expected = next(b.skbbk_employee for b in rates.bands() if b.over < min(wages, 600000) <= b.up_to)
    lines[1] = lines[1][:238] + f"{expected + 5:06d}" + lines[1][244:]
    page = upload(visitor, "socso+eis", "\r\n".join(lines) + "\r\n")
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert (
        f"Line 2: SKBBK (LINDUNG 24 Jam) employee share RM{(expected + 5) / 100:,.2f} does not match the table"
        f" for wages RM{wages / 100:,.2f}: expected RM{expected / 100:,.2f}." in text
    )
    assert "Line 1:" not in text and portal.state()["submissions"] == []


def test_the_bots_july_file_is_accepted_with_its_skbbk_total(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    text, totals = textfile("halim", HALIM_CODE, JULY, "socso+eis")
    upload_and_submit(visitor, "socso+eis", text)
    state = portal.state()
    assert totals.skbbk_employee > 0
    assert sum(d["amount_sen"] for d in state["documents"]) == totals.total

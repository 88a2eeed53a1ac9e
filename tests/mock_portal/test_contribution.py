"""QRG 4 on the mock portal over HTTP: text-file uploads (the bot's writer against the portal's
own parser), their line messages, data entry, the documents and the month rules."""

from __future__ import annotations

import html
from datetime import date

import httpx
import pytest

from bot.core.contributions import Month
from tests.mock_portal.browser import HALIM, Visitor, alert
from tests.mock_portal.contribution_helpers import HALIM_CODE, textfile, upload, upload_and_submit
from tests.support.portal import MockPortalProcess

OCT = Month(2026, 10)


@pytest.mark.parametrize(
    "scheme, types", [("socso+eis", ["ACR", "ECR"]), ("socso", ["ECR"]), ("eis", ["ACR"])]
)
def test_a_bot_written_file_is_accepted_and_its_documents_match_the_bots_totals(
    visitor: Visitor, portal: MockPortalProcess, scheme: str, types: list[str]
) -> None:
    # Given halim logged in and the bot's text file of his payroll for October 2026
    visitor.login(HALIM)
    text, totals = textfile("halim", HALIM_CODE, OCT, scheme)
    # When it is uploaded and submitted
    page = upload_and_submit(visitor, scheme, text)
    # Then the month is submitted and the documents carry the bot's amounts to the sen
    assert "Contribution has been successfully submitted." in page.text
    docs = {d["type"]: d for d in portal.state()["documents"]}
    assert sorted(docs) == types
    if "ECR" in docs:
        ecr = docs["ECR"]
        assert (ecr["socso_employer"], ecr["socso_employee"], ecr["skbbk_employee"]) == (
            totals.socso_employer,
            totals.socso_employee,
            totals.skbbk_employee,
        )
        assert ecr["number"].startswith("ECR2610") and len(ecr["number"]) == 13
    if "ACR" in docs:
        assert (docs["ACR"]["eis_employer"], docs["ACR"]["eis_employee"]) == (
            totals.eis_employer,
            totals.eis_employee,
        )
    assert sum(d["amount_sen"] for d in docs.values()) == totals.total
    assert all(d["due_date"] == "2026-11-15" and d["status"] == "unpaid" for d in docs.values())


def test_bad_lines_are_refused_with_a_message_per_line(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    text, _ = textfile("halim", HALIM_CODE, OCT, "socso+eis")
    lines = text.split("\r\n")[:-1]
    bad = [
        lines[0][:-1],  # 277 characters
        "E9999999999Z" + lines[1][12:],  # someone else's code
        lines[2][:32] + "991231145679" + lines[2][44:],  # not registered
        lines[3][:214] + "009999" + lines[3][220:],  # SOCSO share off the table
    ]
    page = upload(visitor, "socso+eis", "\r\n".join(bad) + "\r\n")
    assert page.status_code == 422
    assert "rejected" in (alert(page) or "")
    assert "Line 1: length is 277 characters" in page.text
    assert "Line 2: employer code E9999999999Z is not yours" in page.text
    assert "Line 3: ID 991231145679 is not a registered employee" in page.text
    assert "Line 4: shares do not match the contribution table" in page.text
    assert portal.state()["submissions"] == []


def test_mixed_months_a_future_month_and_an_old_version_are_refused(visitor: Visitor) -> None:
    visitor.login(HALIM)
    text, _ = textfile("halim", HALIM_CODE, OCT, "socso")
    lines = text.split("\r\n")[:-1]
    mixed = [lines[0], lines[1][:194] + "092026" + lines[1][200:]]
    assert "All lines must be for one contribution month" in upload(visitor, "socso", "\r\n".join(mixed)).text
    today = date.today()
    future = Month(today.year + (today.month == 12), today.month % 12 + 1)
    ahead = [line[:194] + future.mmyyyy + line[200:] for line in lines]
    assert "is in the future" in upload(visitor, "socso", "\r\n".join(ahead)).text
    v1, _ = textfile("halim", HALIM_CODE, Month(2026, 9), "socso+eis", version=1)
    old = "".join(line[:194] + "102026" + line[200:] + "\r\n" for line in v1.split("\r\n")[:-1])
    assert "format version 1.0 is not accepted for 10/2026" in upload(visitor, "socso+eis", old).text


def test_space_padded_numbers_are_accepted(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    text, totals = textfile("halim", HALIM_CODE, OCT, "socso+eis")
    spaced = []
    for line in text.split("\r\n")[:-1]:
        fields = [(200, 214), (214, 220), (220, 226), (226, 232), (232, 238), (238, 244)]
        for a, b in fields:
            value = line[a:b].lstrip("0").rjust(3, "0").rjust(b - a)
            line = line[:a] + value + line[b:]
        spaced.append(line)
    upload_and_submit(visitor, "socso+eis", "\r\n".join(spaced) + "\r\n")
    assert sum(d["amount_sen"] for d in portal.state()["documents"]) == totals.total


def test_a_submitted_month_is_refused_until_its_document_is_cancelled(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    text, _ = textfile("halim", HALIM_CODE, OCT, "socso+eis")
    upload_and_submit(visitor, "socso+eis", text)
    # The SOCSO part of October is done: a SOCSO-only file for it is refused
    socso, _ = textfile("halim", HALIM_CODE, OCT, "socso")
    assert (
        "Contribution for 10/2026 (SOCSO) has already been submitted." in upload(visitor, "socso", socso).text
    )
    # When the ECR is cancelled, the SOCSO file goes through
    ecr = next(d for d in portal.state()["documents"] if d["type"] == "ECR")
    visitor.get(f"/employer/payment/documents/{ecr['number']}/cancel")
    page = visitor.post(f"/employer/payment/documents/{ecr['number']}/cancel", {"choice": "ECR"})
    assert '"Record" has been successfully removed' in html.unescape(page.text)
    upload_and_submit(visitor, "socso", socso)
    statuses = sorted((d["type"], d["status"]) for d in portal.state()["documents"])
    assert statuses == [("ACR", "unpaid"), ("ECR", "cancelled"), ("ECR", "unpaid")]


def test_a_paid_document_cannot_be_cancelled(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    upload_and_submit(visitor, "eis", textfile("halim", HALIM_CODE, OCT, "eis")[0])
    acr = portal.state()["documents"][0]["number"]

    assert (
        httpx.post(f"{portal.base_url}/_mock/documents/{acr}/paid", json={"ref": "FPX123"}).status_code == 200
    )
    page = visitor.get("/employer/payment")
    assert f'aria-label="Delete {acr}"' not in page.text and "PAID" in page.text
    visitor.get(f"/employer/payment/documents/{acr}/cancel")
    page = visitor.post(f"/employer/payment/documents/{acr}/cancel", {"choice": "ACR"})
    assert page.status_code == 409 and alert(page) == "A paid ACR/ECR cannot be cancelled."


def test_every_demo_payroll_file_is_accepted_for_every_variant(portal: MockPortalProcess) -> None:
    from bot.core.settings import load_settings
    from tests.support.demo_portfolio import DEMO_PORTFOLIO

    for employer in load_settings(DEMO_PORTFOLIO).employers:
        with Visitor(portal) as visitor:
            visitor.login(employer.login_email)
            for scheme in ("socso+eis", "socso", "eis"):
                text, _ = textfile(employer.name, employer.employer_code, OCT, scheme)
                page = upload(visitor, scheme, text)
                assert "has been uploaded successfully" in page.text, (
                    employer.name,
                    scheme,
                    page.text[-2000:],
                )


def test_data_entry_needs_every_wage_then_save_draft_then_submit(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    page = visitor.post("/employer/contribution/socso-eis/entry", {"month": "2026-10"})
    sid = page.url.path.rsplit("/", 1)[1]
    lines = portal.state()["submissions"][0]["lines"]
    assert len(lines) == 4 and all(line["wages_sen"] is None for line in lines)
    # SUBMIT before the wages: refused
    page = visitor.post(f"/employer/contribution/submit/{sid}", {})
    assert alert(page) == "Please complete the wage details of every employee before you submit."
    for line, wages in zip(lines, ("1700.00", "2950.00", "3000.01", "1500.00"), strict=True):
        visitor.get(f"/employer/contribution/submissions/{sid}/lines/{line['id']}")
        visitor.post(f"/employer/contribution/submissions/{sid}/lines/{line['id']}", {"wages": wages})
    assert (
        alert(visitor.post(f"/employer/contribution/submit/{sid}", {}))
        == "Please SAVE DRAFT before you submit."
    )
    visitor.post(f"/employer/contribution/submissions/{sid}/save", {})
    visitor.post(f"/employer/contribution/submit/{sid}", {})
    _, totals = textfile("halim", HALIM_CODE, OCT, "socso+eis")
    assert sum(d["amount_sen"] for d in portal.state()["documents"]) == totals.total


def test_a_dropped_response_to_submit_still_submits(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given a fault that loses the response of the next SUBMIT after the portal did the work
    visitor.login(HALIM)
    portal.set_faults(
        {
            "routes": [
                {
                    "path": "/employer/contribution/submit/*",
                    "method": "POST",
                    "status": 502,
                    "error_rate": 1.0,
                    "times": 1,
                    "after": True,
                }
            ]
        }
    )
    page = upload(visitor, "socso+eis", textfile("halim", HALIM_CODE, OCT, "socso+eis")[0])
    sid = page.text.split('href="/employer/contribution/submissions/')[1].split('"')[0]
    visitor.get(f"/employer/contribution/submissions/{sid}")
    # When SUBMIT is pressed, the browser sees a 502
    assert visitor.post(f"/employer/contribution/submit/{sid}", {}).status_code == 502
    # Then the documents exist all the same
    assert sorted(d["type"] for d in portal.state()["documents"]) == ["ACR", "ECR"]


def test_the_portals_today_sets_the_pending_months_and_the_future_rule() -> None:
    # Given a portal whose "today" is 15 March 2026
    with MockPortalProcess(extra_args=["--today", "2026-03-15"]) as dated, Visitor(dated) as visitor:
        visitor.login(HALIM)
        page = visitor.get("/employer/contribution/socso-eis")
        # Then March 2026 is the newest pending month, April is not offered
        assert 'aria-label="Edit contribution 03/2026"' in page.text
        assert "Edit contribution 04/2026" not in page.text and "Edit contribution 04/2025" in page.text
        # And an October 2026 file is "in the future"
        text, _ = textfile("halim", HALIM_CODE, OCT, "socso+eis")
        assert "Contribution month 10/2026 is in the future" in upload(visitor, "socso+eis", text).text

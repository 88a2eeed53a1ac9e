"""Visual baselines of the key screens (tests/portal/baselines.py): the login email and password pages
and the contribution pending list (read-only), the FPX payment summary with its total and the ACR
view (mutation: the mock seeds no ACR/ECR, so one month is submitted first). Plus proof that the
comparison can fail: a renamed button on the login page, and the compare function on generated images.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.settings import EmployerSettings, Settings
from flows.contribution import contribute, prepare
from flows.login import ask_for_password
from flows.pages.cart import check_cart
from flows.pages.fpx import FpxPaymentPage
from flows.pages.login import LandingPage, LoginEmailPage, LoginPasswordPage
from flows.pages.payment_list import DocumentViewPage, PaymentPage
from flows.payment_documents import month_documents
from tests.portal.baselines import (
    MAX_DIFF_RATIO,
    PIXEL_THRESHOLD,
    VIEWPORT,
    assert_matches_baseline,
    compare,
    match_baseline,
)
from tests.portal.conftest import expect_screen
from tests.portal.walks import walk_login, walk_to_pending_list

pytestmark = pytest.mark.timeout(120)
MONTH = Month(2026, 10)  # the month the mutation tests submit (as tests/portal/test_qrg04_contribution.py)


@pytest.fixture
async def visual_session(qa_session: EmployerSession) -> EmployerSession:
    """The QA session at the baselines' viewport from its first screen on."""
    await qa_session.page.set_viewport_size(VIEWPORT)
    return qa_session


async def open_login_email(session: EmployerSession, settings: Settings) -> LoginEmailPage:
    landing = await LandingPage.open(session.page, settings.portal.base_url)
    return await landing.go_to_portal()


async def submit_month(
    session: EmployerSession, employer: EmployerSettings, settings: Settings
) -> PaymentPage:
    """The month's ACR/ECR generated (QRG 4); the browser is left on My Sites → Payment."""
    prepared = prepare(employer, MONTH, "socso+eis", None, None, settings, today=date(2026, 11, 26))
    outcome = await contribute(
        session, employer, settings, month=MONTH, scheme="socso+eis", prepared=prepared, print_pdfs=False
    )
    assert {d.row.type for d in outcome.documents} == {"ACR", "ECR"}, outcome
    await expect_screen(session.page, PaymentPage)
    return PaymentPage(session.page)


# -- read-only screens -----------------------------------------------------------------------------
async def test_the_login_email_page_looks_as_its_baseline(
    request: pytest.FixtureRequest, visual_session: EmployerSession, qa_settings: Settings
) -> None:
    # Given the portal's landing page
    # When the employer follows "Portal ASSIST"
    await open_login_email(visual_session, qa_settings)
    await expect_screen(visual_session.page, LoginEmailPage)
    # Then the email page looks as its baseline
    await assert_matches_baseline(visual_session.page, "login-email", request)


async def test_the_login_password_page_looks_as_its_baseline(
    request: pytest.FixtureRequest,
    visual_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the email page with the test account's address
    email_page = await open_login_email(visual_session, qa_settings)
    await email_page.enter_email(qa_employer.login_email)
    # When SETERUSNYA is pressed and the password emailed
    password_page, password = await ask_for_password(email_page, qa_employer, qa_settings)
    await expect_screen(visual_session.page, LoginPasswordPage)
    # Then the password page looks as its baseline (address, notice and password field masked)
    await assert_matches_baseline(visual_session.page, "login-password", request)
    # And the emailed password still logs in (the screen was not a dead end)
    home = await password_page.log_in(visual_session.hide(password))
    assert await home.employer_code() == qa_employer.employer_code


async def test_the_contribution_pending_list_looks_as_its_baseline(
    request: pytest.FixtureRequest,
    visual_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given a logged-in test account
    home = await walk_login(visual_session, qa_employer, qa_settings)
    # When it opens Contribution → SOCSO + EIS
    await walk_to_pending_list(home)
    # Then the pending list looks as its baseline (employer code and the months, counted from today, masked)
    await assert_matches_baseline(visual_session.page, "pending-list", request)


# -- screens that need a submitted month -----------------------------------------------------------
@pytest.mark.mutation
async def test_the_fpx_payment_summary_looks_as_its_baseline(
    request: pytest.FixtureRequest,
    visual_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the month's ACR and ECR, unpaid
    payment = await submit_month(visual_session, qa_employer, qa_settings)
    rows = [r for r in await month_documents(payment, MONTH) if r.status.lower() == "unpaid"]
    numbers, amount = [r.number for r in rows], sum(r.amount for r in rows)
    # When both go into the FPX cart and on to the summary
    fpx = await (await FpxPaymentPage.open_from(payment)).fill_cart(numbers)
    summary = await fpx.proceed_to_summary()
    check_cart(await summary.cart(), numbers, amount, "FPX summary")
    # Then the summary with its total looks as its baseline (document numbers masked)
    await assert_matches_baseline(visual_session.page, "fpx-summary", request)


@pytest.mark.mutation
async def test_the_acr_view_looks_as_its_baseline(
    request: pytest.FixtureRequest,
    visual_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the month's ACR
    payment = await submit_month(visual_session, qa_employer, qa_settings)
    acr = next(r for r in await month_documents(payment, MONTH) if r.type == "ACR")
    # When its view icon is followed
    await payment.follow(payment.view_link(acr.number), f"viewing {acr.number}")
    # Then the document's view looks as its baseline (number, employer and due date masked)
    view = payment.on(DocumentViewPage)
    assert await view.details_table.count() == 1
    await assert_matches_baseline(visual_session.page, "acr-slip", request)


# -- the comparison can fail -----------------------------------------------------------------------
async def test_a_renamed_button_fails_the_login_baseline_with_a_diff(
    request: pytest.FixtureRequest, visual_session: EmployerSession, qa_settings: Settings
) -> None:
    if request.config.getoption("base_url", default=None):
        pytest.skip("renaming a label needs the bundled mock portal's faults")
    # Given the portal renamed SETERUSNYA to NEXT
    request.getfixturevalue("fresh_portal").set_faults({"labels": {"SETERUSNYA": "NEXT"}})
    # When the email page is compared with its baseline (never rewritten here)
    await open_login_email(visual_session, qa_settings)
    with pytest.raises(AssertionError) as failed:
        await assert_matches_baseline(visual_session.page, "login-email", request, update=False)
    # Then the failure names the screen, the share of pixels and the diff, which was written
    message = str(failed.value)
    assert "screen 'login-email' differs from its baseline" in message and "% of pixels" in message, message
    output = visual_session.evidence.folder / "visual" / "login-email"
    assert f"diff: {output / 'diff.png'}" in message, message
    assert {p.name for p in output.iterdir()} >= {"actual.png", "expected.png", "diff.png"}
    with Image.open(output / "diff.png") as diff:
        assert (255, 0, 0) in {colour for _, colour in diff.getcolors(maxcolors=1 << 20) or []}


# -- the compare function, on generated images -----------------------------------------------------
def screen(
    block: tuple[int, int, int, int] | None = None, shade: tuple[int, int, int] = (0, 58, 140)
) -> Image.Image:
    """A 200×100 'screen': white, with a coloured block where asked."""
    image = Image.new("RGB", (200, 100), (255, 255, 255))
    if block:
        ImageDraw.Draw(image).rectangle(block, fill=shade)
    return image


def test_identical_images_match() -> None:
    # Given two renderings of the same screen
    # When they are compared
    result = compare(screen((10, 10, 60, 40)), screen((10, 10, 60, 40)))
    # Then nothing differs
    assert result.matches and result.differing == 0


def test_anti_aliasing_shades_are_tolerated() -> None:
    # Given the same block a few levels lighter (an anti-aliasing shade, not a colour change)
    step = PIXEL_THRESHOLD // 2
    lighter = (step, 58 + step, 140 + step)
    # When compared
    result = compare(screen((10, 10, 60, 40)), screen((10, 10, 60, 40), shade=lighter))
    # Then no pixel counts as different
    assert result.matches and result.differing == 0


def test_a_changed_block_fails_and_is_shown_in_red() -> None:
    # Given a screen where a 10×10 block appeared (0.5 % of its pixels)
    result = compare(screen(), screen((100, 50, 109, 59)))
    # Then exactly that block differs, above the allowed share, and the diff shows it in red
    assert result.differing == 100 and result.ratio > MAX_DIFF_RATIO and not result.matches
    assert result.diff.getpixel((105, 55)) == (255, 0, 0) and result.diff.getpixel((5, 5)) != (255, 0, 0)


def test_a_different_size_never_matches() -> None:
    # Given the same white screen one row taller
    result = compare(screen(), Image.new("RGB", (200, 101), (255, 255, 255)))
    # Then it does not match, and the extra row is what differs
    assert not result.size_matches and not result.matches and result.differing == 200


def test_a_mismatch_writes_actual_expected_and_diff(tmp_path: Path) -> None:
    # Given a stored baseline and a screenshot with a changed block
    baseline, output = tmp_path / "baselines" / "screen.png", tmp_path / "out"
    baseline.parent.mkdir()
    screen().save(baseline)
    changed = tmp_path / "changed.png"
    screen((0, 0, 49, 49)).save(changed)
    # When it is matched
    with pytest.raises(AssertionError) as failed:
        match_baseline(changed.read_bytes(), "screen", baseline, output, update=False)
    # Then the message names the screen, the percentage and the diff; the three images are kept
    assert "screen 'screen' differs from its baseline: 12.500% of pixels" in str(failed.value), failed.value
    assert str(output / "diff.png") in str(failed.value)
    assert sorted(p.name for p in output.iterdir()) == ["actual.png", "diff.png", "expected.png"]


def test_a_missing_baseline_says_to_update_and_updating_writes_it(tmp_path: Path) -> None:
    baseline, output = tmp_path / "baselines" / "screen.png", tmp_path / "out"
    shot = tmp_path / "shot.png"
    screen().save(shot)
    # Given no baseline yet: the check fails and says how to create it
    with pytest.raises(AssertionError, match="run with --update-baselines"):
        match_baseline(shot.read_bytes(), "screen", baseline, output, update=False)
    # When updating, the screenshot becomes the baseline and the check passes from then on
    assert "updated" in match_baseline(shot.read_bytes(), "screen", baseline, output, update=True)
    assert baseline.read_bytes() == shot.read_bytes()
    assert "matches" in match_baseline(shot.read_bytes(), "screen", baseline, output, update=False)
    # And updating again with the same pixels leaves the file as it is
    assert "unchanged" in match_baseline(shot.read_bytes(), "screen", baseline, output, update=True)

"""Visual baselines of the key screens: a screenshot compared with a committed PNG, dynamic areas masked.

`await assert_matches_baseline(page, "login-email", request)` screenshots the page (fixed viewport,
animations off, caret hidden, the screen's masks painted over) and compares it with
`tests/portal/baselines/<name>.png` (on the bundled mock) or `tests/portal/baselines/<host>/<name>.png`
(on a portal given with `--base-url`, so that a run against staging never overwrites the mock's). On a
mismatch `actual.png`, `expected.png` and `diff.png` go to `<test evidence>/visual/<name>/` and the test
fails naming the screen, the share of differing pixels and the diff. `--update-baselines` accepts the
screen as it looks now.

Tolerance: a pixel differs when one of its R, G, B channels moved by more than PIXEL_THRESHOLD (32
of 255); a screen fails when more than MAX_DIFF_RATIO (0.002 %, about 18 pixels of a 1280×720 screen)
of its pixels differ. The per-pixel threshold absorbs shading noise (a glyph edge or a border a few
levels lighter under another rasteriser path) without counting it; the pixel budget only absorbs a
few stray pixels. Measured on this machine's Chromium (2026-11): the same screen rendered again
differs in 0 pixels; one changed letter of a label in 39 pixels (0.004 %), one changed digit in 44,
the renamed SETERUSNYA button in 2,297 (0.25 %), the button a shade darker in 4,262 (0.46 %). A
loose budget such as 0.5 % would let all of these through, a wrong total on the cart screen too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops, ImageOps
from playwright.async_api import Locator, Page, ViewportSize

BASELINES = Path(__file__).resolve().parent / "baselines"
VIEWPORT = ViewportSize(width=1280, height=720)
PIXEL_THRESHOLD = 32  # of 255, per channel: shading noise is ignored (so is a recolouring this slight)
MAX_DIFF_RATIO = 0.00002  # 0.002 % ≈ 18 pixels of 1280×720: fewer than one changed character (≈ 40)
_MONTH = re.compile(r"^\d{2}\/\d{4}$")  # MM/YYYY ("\/": Playwright puts the pattern between slashes)
_DOCUMENT_ITEM = re.compile(r"^(ACR|ECR)\s+\S+$")  # a cart line: "ACR ACR2610000001"


# -- masks: what varies by date, run or employer on each key screen -------------------------------
def _details_value(page: Page, label: str) -> Locator:
    """The value cell of a `Document details` row, found by its row header."""
    table = page.get_by_role("table", name="Document details")
    return (
        table.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=label, exact=True))
        .get_by_role("cell")
    )


MASKS: dict[str, Callable[[Page], list[Locator]]] = {
    # The email page before typing: nothing varies.
    "login-email": lambda page: [],
    # Which address the password went to, the notice naming it, the password field itself.
    "login-password": lambda page: [
        page.get_by_text("Email Address:"),
        page.get_by_role("status"),
        page.get_by_label("Kata Laluan"),
    ],
    # The employer's code; the pending months count back from the portal's today; the empty month
    # field draws its placeholder in the browser's locale (LANG), not the portal's.
    "pending-list": lambda page: [
        page.get_by_text("Employer Code:"),
        page.get_by_role("table", name="Employer Contribution Pending List").get_by_role("cell", name=_MONTH),
        page.get_by_label("Arrears Month"),
    ],
    # The document numbers of the cart lines (the amounts and the total are what is checked).
    "fpx-summary": lambda page: [
        page.get_by_role("table", name="Payment Summary").get_by_role("cell", name=_DOCUMENT_ITEM),
    ],
    # The document's number (heading and row), the employer, the due date.
    "acr-slip": lambda page: [
        page.get_by_role("heading", level=1),
        _details_value(page, "Number"),
        _details_value(page, "Employer"),
        _details_value(page, "Due Date"),
    ],
}


# -- comparison ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """How far `actual` is from `expected`; `diff` shows where."""

    expected_size: tuple[int, int]
    actual_size: tuple[int, int]
    differing: int
    total: int
    diff: Image.Image

    @property
    def size_matches(self) -> bool:
        return self.expected_size == self.actual_size

    @property
    def ratio(self) -> float:
        return self.differing / self.total if self.total else 0.0

    @property
    def matches(self) -> bool:
        return self.size_matches and self.ratio <= MAX_DIFF_RATIO


def compare(expected: Image.Image, actual: Image.Image, threshold: int = PIXEL_THRESHOLD) -> Comparison:
    """Pixel by pixel; images of different sizes are compared on a canvas holding both (the
    uncovered part counts as different) and never match."""
    width, height = max(expected.width, actual.width), max(expected.height, actual.height)
    a, b = _on_canvas(expected, width, height), _on_canvas(actual, width, height)
    channels = ImageChops.difference(a, b).split()
    strongest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = strongest.point(lambda v: 255 if v > threshold else 0)
    if expected.size != actual.size:  # what only one of them covers
        outside = Image.new("L", (width, height), 255)
        outside.paste(0, (0, 0, min(expected.width, actual.width), min(expected.height, actual.height)))
        changed = ImageChops.lighter(changed, outside)
    differing = changed.histogram()[255]
    # The expected screen faded to grey, the differing pixels in red on top.
    background = ImageOps.grayscale(a).point(lambda v: 160 + v * 95 // 255).convert("RGB")
    diff = Image.composite(Image.new("RGB", (width, height), (255, 0, 0)), background, changed)
    return Comparison(expected.size, actual.size, differing, width * height, diff)


def _on_canvas(image: Image.Image, width: int, height: int) -> Image.Image:
    rgb = image.convert("RGB")
    if rgb.size == (width, height):
        return rgb
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    canvas.paste(rgb, (0, 0))
    return canvas


def baseline_path(name: str, base_url: str | None) -> Path:
    """The mock's baselines at the top; another portal's in a folder named after its host."""
    if not base_url:
        return BASELINES / f"{name}.png"
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", urlsplit(base_url).netloc or base_url)
    return BASELINES / host / f"{name}.png"


def match_baseline(actual_png: bytes, name: str, baseline: Path, output: Path, update: bool) -> str:
    """Compare a screenshot with its baseline; returns what was done, raises AssertionError on a
    mismatch (after writing actual.png, expected.png and diff.png into `output`)."""
    if update:
        if baseline.is_file() and _same_pixels(baseline, actual_png):
            return f"baseline of screen {name!r} unchanged: {baseline}"  # no churn in git
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_bytes(actual_png)
        return f"baseline of screen {name!r} updated: {baseline}"
    if not baseline.is_file():
        output.mkdir(parents=True, exist_ok=True)
        (output / "actual.png").write_bytes(actual_png)
        raise AssertionError(
            f"no baseline for screen {name!r} ({baseline}); run with --update-baselines to"
            f" accept the screen as it looks now (see {output / 'actual.png'})"
        )
    with Image.open(baseline) as stored, Image.open(io.BytesIO(actual_png)) as shot:
        result = compare(stored, shot)
    if result.matches:
        return f"screen {name!r} matches its baseline ({result.differing} pixels differ)"
    output.mkdir(parents=True, exist_ok=True)
    (output / "actual.png").write_bytes(actual_png)
    (output / "expected.png").write_bytes(baseline.read_bytes())
    diff_path = output / "diff.png"
    result.diff.save(diff_path)
    sizes = "" if result.size_matches else f"; size {result.actual_size} instead of {result.expected_size}"
    raise AssertionError(
        f"screen {name!r} differs from its baseline: {result.ratio:.3%} of pixels"
        f" ({result.differing} of {result.total}; allowed {MAX_DIFF_RATIO:.3%}){sizes}; diff: {diff_path}"
        " (run with --update-baselines if the change is intended)"
    )


def _same_pixels(baseline: Path, actual_png: bytes) -> bool:
    with Image.open(baseline) as stored, Image.open(io.BytesIO(actual_png)) as shot:
        result = compare(stored, shot, threshold=0)
    return result.size_matches and result.differing == 0


# -- the Then-step ---------------------------------------------------------------------------------
def _output_folder(request: pytest.FixtureRequest, name: str) -> Path:
    if "qa_session" in request.fixturenames:
        return Path(request.getfixturevalue("qa_session").evidence.folder) / "visual" / name
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid.split("/")[-1]).strip("-")
    return (
        Path(str(request.config.getoption("output", default="test-results"))).resolve()
        / slug
        / "visual"
        / name
    )


async def assert_matches_baseline(
    page: Page,
    name: str,
    request: pytest.FixtureRequest,
    *,
    mask: Sequence[Locator] | None = None,
    update: bool | None = None,
) -> None:
    """Then-step: the screen looks as its baseline, apart from its masked areas (`MASKS[name]`
    unless `mask` is given). `update` overrides `--update-baselines` (False: never rewrite)."""
    if page.viewport_size != VIEWPORT:
        await page.set_viewport_size(VIEWPORT)
    await page.wait_for_load_state("load")  # the stylesheet and images are in
    await page.mouse.move(0, 0)  # no :hover left from the last click
    hidden = list(mask) if mask is not None else MASKS.get(name, lambda _: [])(page)
    shot = await page.screenshot(
        full_page=True, mask=hidden, animations="disabled", caret="hide", scale="css"
    )
    if update is None:
        update = bool(request.config.getoption("--update-baselines"))
    base_url = request.config.getoption("base_url", default=None)
    done = match_baseline(
        shot,
        name,
        baseline_path(name, str(base_url) if base_url else None),
        _output_folder(request, name),
        update,
    )
    if update:
        _tell(request.config, done)


def _tell(config: pytest.Config, text: str) -> None:
    """Print past pytest's output capture, so that an update is seen without `-s`."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{text}")

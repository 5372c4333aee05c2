"""End to end: the app served on 127.0.0.1 and driven in a real headless browser (Debian's
chromium through Playwright's Python API; Playwright's own browser download is not used),
two sessions at once at a projector's 1024x768.

There is no internet here but the package registries, so this is also the offline test: the
page's JavaScript must come from the local solara-assets (see ``model.views.webapp.OFFLINE_ENV``).
``bash scripts/install_browser.sh`` installs chromium and playwright; without them the test
skips. Set ``TROIKA_SCREENSHOTS=DIR`` to keep the screenshots (``app_1024x768.png``: the page after
a few months; ``app_pending_1024x768.png``: a moved slider not yet applied).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_S = 90
TIMEOUT_MS = 30_000

if not CHROMIUM.exists():
    pytest.skip("browser test: /usr/bin/chromium is not installed "
                "(bash scripts/install_browser.sh)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser test: playwright is not installed (bash scripts/install_browser.sh)")
pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")

import numpy as np  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from model.views import webapp  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, limit: float) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"server did not answer within {limit} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(webapp.server_command("127.0.0.1", port),
                                env=webapp.server_env("baseline"), cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_http(url, proc, log, SERVER_START_S)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _colours(png: bytes) -> tuple[int, float]:
    """Distinct colours and the share of non-white pixels of a screenshot."""
    img = imread(io.BytesIO(png), format="png")[..., :3]
    px = (img.reshape(-1, 3) * 255).round().astype(np.uint8)
    distinct = len(np.unique(px, axis=0))
    inked = float((px.min(axis=1) < 235).mean())
    return distinct, inked


def _month(page) -> str:
    return page.locator(".troika-month").first.inner_text(timeout=TIMEOUT_MS)


def _step_no(text: str) -> int:
    return int(text.split("(step ")[1].split(")")[0])


def _open(browser, url: str, failed: list[str]):
    """A new browser context (its own cookies: another user) at 1024x768 on the app."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Step").wait_for()
    return page


def _steps(page, first: int, last: int) -> None:
    step = page.get_by_role("button", name="Step")
    for k in range(first, last + 1):
        step.click()
        page.locator(".troika-month", has_text=f"(step {k})").wait_for()


def test_two_sessions_a_slider_applied_and_play(server, tmp_path):
    keep = os.environ.get("TROIKA_SCREENSHOTS")
    failed: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            a = _open(browser, server, failed)
            assert _month(a) == "Start of 1922-05 (step 0)"
            _steps(a, 1, 4)

            # a second user: a run of his own, from the start, with his own settings
            b = _open(browser, server, failed)
            assert _month(b) == "Start of 1922-05 (step 0)"
            default = b.locator(".troika-value-campaign_rate").inner_text()
            slider = b.locator(".v-slider").nth(list(webapp.SLIDERS).index("campaign_rate"))
            box = slider.bounding_box()
            b.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
            moved = b.locator(".troika-value-campaign_rate")
            b.wait_for_function(
                "d => document.querySelector('.troika-value-campaign_rate').innerText !== d",
                arg=default)
            assert float(moved.inner_text()) > float(default)
            assert "campaign rate" in b.locator(".troika-pending").inner_text()
            b.screenshot(path=str(tmp_path / "app_pending_1024x768.png"))
            _steps(b, 1, 2)  # not applied yet: the run goes on
            b.get_by_role("button", name="Apply (resets the run)").click()
            b.locator(".troika-month", has_text="(step 0)").wait_for()
            # the run's description is redrawn after the month: wait for it, not a fixed time
            b.locator(".troika-run", has_text=f"campaign rate {moved.inner_text()}").wait_for()
            assert f"campaign rate {moved.inner_text()}" in b.locator(".troika-run").inner_text()
            assert b.locator(".troika-pending").count() == 0
            _steps(b, 1, 1)

            # the first user's run and settings are untouched
            assert _month(a) == "Month 1922-08 (step 4)"
            assert a.locator(".troika-value-campaign_rate").inner_text() == default
            assert "every parameter at the scenario's value" in a.locator(
                ".troika-run").inner_text()

            # Play runs a few months, Pause stops it
            a.get_by_role("button", name="Play").click()
            a.wait_for_function(
                "() => { const m = document.querySelector('.troika-month').innerText"
                ".match(/step (\\d+)/); return m && Number(m[1]) >= 8; }")
            a.get_by_role("button", name="Pause").click()
            a.get_by_role("button", name="Play").wait_for()
            time.sleep(1.0)  # a month under way when Pause was pressed is still shown
            paused = _step_no(_month(a))
            assert paused >= 8
            time.sleep(1.5)
            assert _step_no(_month(a)) == paused
            assert _month(b) == "Month 1922-05 (step 1)"

            figures = a.locator("img.troika-figure")
            a.wait_for_function(
                "() => { const i = [...document.querySelectorAll('img.troika-figure')];"
                " return i.length === 2 && i.every(x => x.complete && x.naturalWidth > 200); }")
            assert a.locator(".troika-faction").count() >= 1
            # no banner of Solara's drawn over the corner of the page
            assert "runs on Solara" not in a.locator("body").inner_text()
            shot = a.screenshot()
            (tmp_path / "app_1024x768.png").write_bytes(shot)
            distinct, inked = _colours(shot)
            assert distinct >= 30 and inked > 0.05, (distinct, inked)
            box = figures.nth(0).bounding_box()
            assert box and box["width"] > 600, box  # the power figure spans the column
            assert box["y"] < 768  # and starts above the fold
        finally:
            browser.close()
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                for f in tmp_path.glob("*.png"):
                    shutil.copy(f, Path(keep) / f.name)
    assert not [u for u in failed if "/_solara/cdn/" in u], failed

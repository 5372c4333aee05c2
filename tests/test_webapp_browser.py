"""End to end: the app served on 127.0.0.1 and driven in a real headless browser (Debian's
chromium through Playwright's Python API; Playwright's own browser download is not used).

There is no internet here but the package registries, so this is also the offline test: the
page's JavaScript must come from the local solara-assets (see ``model.views.webapp.OFFLINE_ENV``).
``bash scripts/install_browser.sh`` installs chromium and playwright; without them the test
skips. Set ``TROIKA_SCREENSHOTS=DIR`` to keep the screenshots.
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


def test_app_draws_the_plots_and_steps_in_a_browser(server, tmp_path):
    keep = os.environ.get("TROIKA_SCREENSHOTS")
    failed: list[str] = []
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=ARGS,
            headless=True, viewport={"width": 1600, "height": 1200})
        try:
            ctx.set_default_timeout(TIMEOUT_MS)
            page = ctx.new_page()
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(server, timeout=TIMEOUT_MS)
            step = page.get_by_role("button", name="Step")
            step.wait_for()
            first = _month(page)
            assert first.startswith("Month 1922-04 (step 0)"), first

            for k in range(1, 9):
                step.click()
                page.locator(".troika-month", has_text=f"(step {k})").wait_for()
            # play, let it run a few months, pause
            page.get_by_role("button", name="▶").click()
            page.wait_for_function(
                "() => { const e = document.querySelector('.troika-month');"
                " const m = e && e.innerText.match(/step (\\d+)/);"
                " return m && Number(m[1]) >= 11; }", timeout=TIMEOUT_MS)
            page.get_by_role("button", name="❚❚").click()
            step.wait_for(state="visible")
            page.wait_for_function("() => [...document.querySelectorAll('button')]"
                                   ".some(b => b.innerText.trim() === '▶' && !b.disabled)")
            last = _month(page)
            assert int(last.split("(step ")[1].split(")")[0]) >= 11, last
            assert last.split()[1] > first.split()[1]  # the month advanced

            plots = page.locator(".vue-grid-item img")
            page.wait_for_function(
                "() => { const i = [...document.querySelectorAll('.vue-grid-item img')];"
                " return i.length === 3 && i.every(x => x.complete && x.naturalWidth > 200); }",
                timeout=TIMEOUT_MS)
            assert plots.count() == 3
            shot = page.screenshot(full_page=True)
            (tmp_path / "page.png").write_bytes(shot)
            for i in range(3):
                img = plots.nth(i)
                img.scroll_into_view_if_needed()
                box = img.bounding_box()
                assert box and box["width"] > 200 and box["height"] > 150, box
                png = img.screenshot()
                (tmp_path / f"plot{i}.png").write_bytes(png)
                distinct, inked = _colours(png)
                assert distinct >= 30 and inked > 0.02, (i, distinct, inked)
        finally:
            ctx.close()
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                for f in tmp_path.glob("*.png"):
                    shutil.copy(f, Path(keep) / f.name)
    assert not [u for u in failed if "/_solara/cdn/" in u], failed

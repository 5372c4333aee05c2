"""What one month costs in the app (``troika app``): the model's step against the drawing
of each panel, as ratios in one process (needs the ``app`` extra).

Usage::

    .venv/bin/python benchmarks/app_step.py [--months 30]

Prints the median of repeated timings (time.perf_counter, after a warm-up) of, at month
``--months`` of the baseline: one model step; the power figure updated in place and
written as SVG (what the app does each month, ``PowerChart``) and, for comparison, drawn
anew; the coalition boxes (HTML); the votes figure (drawn only when a vote was taken). The
app's Play steps once every ``webapp.PLAY_INTERVAL_S`` seconds and waits for the drawing;
the last line says whether a month's drawing fits in that interval here and now.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.views import app_panels, webapp  # noqa: E402


def _median(f, repeats: int = 7) -> float:
    f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=30)
    args = ap.parse_args(argv)
    setup = webapp.setup_of("baseline")
    model = webapp.build_model(setup.defaults, setup.spec)
    steps = []
    for _ in range(args.months):
        t0 = time.perf_counter()
        model.step()
        steps.append(time.perf_counter() - t0)
    chart = app_panels.PowerChart(model, setup.case)

    rows = {
        "model step (median over the months)": statistics.median(steps),
        "power figure updated in place + SVG": _median(
            lambda: (setattr(chart, "steps", -1), webapp.svg_of(chart.update()))),
        "power figure drawn anew + SVG": _median(
            lambda: webapp.svg_of(app_panels.power_figure(model, setup.case))),
        "coalition boxes (HTML)": _median(lambda: app_panels.factions_html(model, setup.case)),
        "votes figure + SVG (after a vote only)": _median(
            lambda: webapp.svg_of(app_panels.tally_figure(model, setup.case.record))),
    }
    base = rows["model step (median over the months)"]
    load = os.getloadavg()[0]
    print(f"app panels at month {model.month} (step {model.steps}); load average {load:.2f}")
    for name, t in rows.items():
        print(f"{name:<40s} {1000 * t:8.1f} ms  {t / base:8.0f} x a step")
    month = base + rows["power figure updated in place + SVG"] + rows["coalition boxes (HTML)"]
    fits = "fits" if month < webapp.PLAY_INTERVAL_S else "does NOT fit"
    print(f"a month in the app: {1000 * month:.0f} ms, {fits} in Play's "
          f"{1000 * webapp.PLAY_INTERVAL_S:.0f} ms")


if __name__ == "__main__":
    main()

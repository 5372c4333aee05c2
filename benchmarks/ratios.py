"""The speed targets of issue 13 as ratios measured in one process, written as a table.

Usage::

    .venv/bin/python benchmarks/ratios.py --label after --out benchmarks/results/after.md
    .venv/bin/python benchmarks/ratios.py --doc docs/performance.md \\
        benchmarks/results/before.md benchmarks/results/after.md   # tables into the doc

The machine is shared, so absolute times swing with the others' load; what is compared is
measured in the same process, interleaved where two paths are compared, and reported as a
ratio. CPU times (``time.process_time``, and for pools the children's CPU from
``os.times``) are used where wall time would mostly measure the load. Rows:

* Mesa's Boltzmann wealth model (``mesa.examples``, 100 agents on 10 x 10): CPU time per
  agent-step, the yardstick; one baseline run's CPU time per leader-month (15 leaders times
  the months run, the DataCollector off as in ensembles) and the ratio of the two.
* 15 against 60 leaders (:func:`scaled.scaled_scenario`): median CPU time of a run, ratio.
* ``run_ensemble`` with 1 and 2 local workers: runs per second (wall, pool start
  included) and the ratio.
* ``run_to_dir`` (the path of ``troika ensemble``, chunks of 50) on 2 workers with the
  process pool and with dask (a LocalCluster): CPU time per run of this process and all
  its children (the pool's or cluster's start and stop included), the CPU time of each
  run beyond a quarter of them (the start-up cost taken out), and the ratios dask / local.
* The AES ruling coalition at n = 20 (uniform powers): the exact compiled solver and the
  reference float/numpy solver of ``aes_reference.py``, median times and their ratio.

``TROIKA_CODE=DIR`` times the model code in ``DIR`` instead of this checkout (for a
before/after table from one script; dask workers then need ``PYTHONPATH=DIR`` too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

warnings.filterwarnings("ignore")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("TROIKA_CODE", str(HERE.parent)))

import numpy as np  # noqa: E402

ROWS: list[tuple[str, str, str, str, str]] = []
START, END = "<!-- ratios:start -->", "<!-- ratios:end -->"


def row(name: str, value: float, unit: str, target: str = "", met: bool | None = None,
        fmt: str = "{:.3g}") -> None:
    ROWS.append((name, fmt.format(value), unit, target,
                 "" if met is None else ("yes" if met else "no")))


def cpu(fn) -> float:
    """CPU seconds of ``fn()`` in this process."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def cpu_with_children(fn) -> tuple[float, float]:
    """``(CPU seconds of this process and its finished children, wall seconds)``."""
    a, t = os.times(), time.perf_counter()
    fn()
    b, wall = os.times(), time.perf_counter() - t
    used = sum(getattr(b, k) - getattr(a, k)
               for k in ("user", "system", "children_user", "children_system"))
    return used, wall


def bench_yardstick(scenario, seeds: int) -> None:
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    from model.engine.model import SuccessionModel

    agents, steps = 100, 100
    boltz, leader_month = [], []
    for k in range(seeds):  # interleaved: both see the same load
        model = BoltzmannWealth(BoltzmannScenario(n=agents, rng=k))
        boltz.append(cpu(lambda m=model: [m.step() for _ in range(steps)]) / (agents * steps))
        sm = SuccessionModel(scenario, rng=k, collect_data=False)
        t = cpu(sm.run)
        leader_month.append(t / (len(scenario.leaders) * sm.steps))
    b, lm = statistics.median(boltz), statistics.median(leader_month)
    row("Mesa Boltzmann wealth, CPU per agent-step", b * 1e6, "us")
    row(f"baseline run, CPU per leader-month ({len(scenario.leaders)} leaders)", lm * 1e6,
        "us")
    row("leader-month / Boltzmann agent-step", lm / b, "x", "<= 5", lm / b <= 5)


def bench_leaders(seeds: int) -> None:
    from scaled import scaled_scenario

    from model.engine.model import SuccessionModel

    small, large = scaled_scenario(15), scaled_scenario(60)
    t15, t60 = [], []
    for k in range(seeds):
        t15.append(cpu(SuccessionModel(small, rng=k, collect_data=False).run))
        t60.append(cpu(SuccessionModel(large, rng=k, collect_data=False).run))
    a, b = statistics.median(t15), statistics.median(t60)
    row("run with 15 leaders (scaled.py), CPU", a * 1e3, "ms")
    row("run with 60 leaders (scaled.py), CPU", b * 1e3, "ms")
    row("60 / 15 leaders", b / a, "x", "< 10", b / a < 10)


def bench_workers(scenario, runs: int) -> None:
    from model.analysis.ensemble import run_ensemble

    rates = {}
    for w in (1, 2):
        t = time.perf_counter()
        run_ensemble(scenario, runs, workers=w)
        rates[w] = runs / (time.perf_counter() - t)
        row(f"run_ensemble N={runs}, {w} worker(s), wall", rates[w], "runs/s",
            ">= 170" if w == 2 else "", rates[w] >= 170 if w == 2 else None)
    row("2 workers / 1 worker", rates[2] / rates[1], "x", ">= 1.8", rates[2] / rates[1] >= 1.8)


def bench_backends(scenario, runs: int) -> None:
    from model.analysis.runs import run_to_dir
    from model.cases.casefile import case_of

    case = case_of("baseline")
    few = runs // 4
    per_run, marginal = {}, {}
    for backend in ("local", "dask"):
        used = {}
        for n in (few, runs):
            with tempfile.TemporaryDirectory() as tmp:
                used[n], wall = cpu_with_children(lambda b=backend, d=tmp, n=n: run_to_dir(
                    scenario, n, Path(d) / "ens", case=case, workers=2, backend=b))
        per_run[backend] = used[runs] / runs
        marginal[backend] = (used[runs] - used[few]) / (runs - few)
        row(f"run_to_dir N={runs}, 2 workers, {backend}: CPU per run", per_run[backend] * 1e3,
            "ms")
        row(f"run_to_dir, 2 workers, {backend}: CPU per extra run (N={few} to {runs})",
            marginal[backend] * 1e3, "ms")
        row(f"run_to_dir N={runs}, 2 workers, {backend}: wall", runs / wall, "runs/s")
    ratio = per_run["dask"] / per_run["local"]
    row(f"dask / local CPU per run, N={runs}", ratio, "x", "<= 1", ratio <= 1)
    ratio = marginal["dask"] / marginal["local"]
    row("dask / local CPU per extra run", ratio, "x", "<= 1", ratio <= 1)


def bench_aes(repeats: int) -> None:
    import aes_reference

    from model.engine.aes import ruling_coalition

    powers = np.random.default_rng(31).uniform(0.05, 1.0, 20)
    ruling_coalition(powers, 0.5)  # compile or load the cached compiled walk
    aes_reference.ruling_coalition(powers, 0.5)
    new, ref = [], []
    for _ in range(repeats):
        new.append(cpu(lambda: ruling_coalition(powers, 0.5)))
        ref.append(cpu(lambda: aes_reference.ruling_coalition(powers, 0.5)))
    a, b = statistics.median(new), statistics.median(ref)
    row("AES ruling coalition n=20 (model.engine.aes)", a * 1e3, "ms", "< 20", a < 0.02)
    row("AES n=20, reference float/numpy solver", b * 1e3, "ms")
    row("AES reference / model.engine.aes", b / a, "x")


def table(label: str, started: datetime, load0: tuple, load1: tuple) -> str:
    import mesa

    head = ("measure", "value", "unit", "target", "met?")
    lines = [
        f"**{label}**: started {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"python {sys.version.split()[0]}, numpy {np.__version__}, mesa {mesa.__version__}; "
        f"load average (1, 5, 15 min) {', '.join(f'{x:.1f}' for x in load0)} at the start, "
        f"{', '.join(f'{x:.1f}' for x in load1)} at the end.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---", "---:", "---", "---", "---"]) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in ROWS]
    return "\n".join(lines) + "\n"


def write_doc(doc: Path, tables: list[Path]) -> None:
    """Put the stored tables between the markers of ``doc``."""
    text = doc.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{doc}: no {START} ... {END} block")
    body = "\n".join(p.read_text(encoding="utf-8") for p in tables)
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{START}\n{body}{END}{tail}", encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", default="this checkout")
    ap.add_argument("--out", type=Path, help="write the table here (markdown)")
    ap.add_argument("--quick", action="store_true", help="fewer seeds and runs")
    ap.add_argument("--doc", type=Path, help="put the given tables into this document")
    ap.add_argument("tables", nargs="*", type=Path)
    args = ap.parse_args(argv)
    if args.doc:
        write_doc(args.doc, args.tables)
        return
    from model.cases.scenario import load_scenario

    load0, started = os.getloadavg(), datetime.now(UTC)
    scenario = load_scenario("baseline")
    q = args.quick
    bench_yardstick(scenario, 4 if q else 10)
    bench_leaders(2 if q else 5)
    bench_workers(scenario, 40 if q else 200)
    bench_backends(scenario, 60 if q else 200)
    bench_aes(3 if q else 7)
    text = table(args.label, started, load0, os.getloadavg())
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Performance benchmarks of troika; prints one table (name | value | unit | target | met?).

Usage::

    .venv/bin/python benchmarks/bench.py            # full (about 2-3 minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats, smaller ensembles
    .venv/bin/python benchmarks/bench.py --profile  # also: top functions of one run

Measured (medians of repeated timings with time.perf_counter, after warm-ups):

(a) one baseline run, ``SuccessionModel(scenario, rng=k).run()`` (imports and scenario
    loading excluded);
(b) ensemble throughput of ``run_ensemble`` with 1 and 2 workers; the wall time INCLUDES
    starting (and shutting down) the process pool and reducing each run;
(c) one month of the apparatus as per-region / per-delegate Mesa agents
    (benchmarks/agent_apparatus.py) against the numpy ``Apparatus`` path, as a ratio;
(d) the exact AES ruling-coalition solver ``model.engine.aes.ruling_coalition`` for n = 8..20;
(e) one congress vote against the number of delegates (10^3 .. 10^6): the binomial path of
    ``institutions.congress_vote`` on the arrays, a per-delegate numpy variant, and the
    model's own ``institutions.congress_vote`` on a baseline model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

warnings.filterwarnings("ignore")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import agent_apparatus as aa  # noqa: E402
import numpy as np  # noqa: E402

from model.analysis.ensemble import run_ensemble  # noqa: E402
from model.cases.scenario import load_scenario  # noqa: E402
from model.engine import votes  # noqa: E402
from model.engine.aes import ruling_coalition  # noqa: E402
from model.engine.model import SuccessionModel  # noqa: E402

ROWS: list[tuple[str, str, str, str, str]] = []
NOTES: list[str] = []


def row(
    name: str,
    value: float,
    unit: str,
    target: str = "",
    met: bool | None = None,
    fmt: str = "{:.3g}",
) -> None:
    ROWS.append(
        (name, fmt.format(value), unit, target, "" if met is None else ("yes" if met else "NO"))
    )


def median_time(fn, repeats: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# ------------------------------------------------------------------------------------------
def bench_run(scenario, runs: int) -> None:
    """(a) one baseline run."""
    for k in range(2):  # warm-up (caches, imports inside)
        SuccessionModel(scenario, rng=10_000 + k).run()
    times = []
    for k in range(runs):
        t = time.perf_counter()
        SuccessionModel(scenario, rng=k).run()
        times.append(time.perf_counter() - t)
    med = statistics.median(times) * 1e3
    row(f"(a) one baseline run (median of {runs} seeds)", med, "ms", "< 50", med < 50)
    row("(a) one baseline run, min", min(times) * 1e3, "ms")


def bench_ensemble(scenario, runs: int, repeats: int) -> None:
    """(b) ensemble throughput, pool start-up included (the pool is started and shut down
    inside ``run_ensemble``; with 1 worker no pool is used)."""
    for w in (1, 2):
        rates, cpu = [], []
        for _ in range(repeats):
            c0 = os.times()
            t = time.perf_counter()
            run_ensemble(scenario, runs, workers=w)
            dt = time.perf_counter() - t
            c1 = os.times()
            rates.append(runs / dt)
            used = (
                c1.user
                + c1.system
                - c0.user
                - c0.system
                + c1.children_user
                + c1.children_system
                - c0.children_user
                - c0.children_system
            )
            cpu.append(used / runs)
        rate = statistics.median(rates)
        target = ">= 40" if w == 2 else ""
        row(
            f"(b) run_ensemble N={runs}, workers={w} (incl. pool start)",
            rate,
            "runs/s",
            target,
            rate >= 40 if w == 2 else None,
        )
        row(f"(b)   best of {repeats}, workers={w}", max(rates), "runs/s")
        row(f"(b)   CPU time per run, workers={w}", statistics.median(cpu) * 1e3, "ms")


def bench_apparatus(quick: bool) -> None:
    """(c) agent apparatus vs numpy apparatus."""
    # sanity: the same month gives the same state; tallies agree in distribution
    draws = 100 if quick else 300
    w = aa.make_world(26, seed=11)
    m = aa.AgentApparatus(w, seed=12)
    app = aa.to_apparatus(w)
    rng = np.random.default_rng(13)
    m.month(700)
    aa.array_month(app, w, 700, rng)
    aa.check_same_state(m, app)
    d_agent, d_array = [], []
    for _ in range(draws):
        y, n, _a = m.congress(700)
        d_agent.append(n / (y + n))
        y, n, _a = aa.array_congress(app, w, 700, rng)
        d_array.append(n / (y + n))
    ma, mb = np.mean(d_agent), np.mean(d_array)
    se = np.hypot(np.std(d_agent) / np.sqrt(draws), np.std(d_array) / np.sqrt(draws))
    NOTES.append(
        f"sanity (c): same month -> identical patrons/loyalties/patronage (checked); "
        f"mean dissent over {draws} congresses of 700 in 26 regions: agents {ma:.4f}, "
        f"arrays {mb:.4f} (difference {ma - mb:+.4f}, {abs(ma - mb) / se:.1f} s.e.)"
    )
    cases = [(26, 700, 5 if quick else 20), (1000, 100_000, 2 if quick else 3)]
    for regions, delegates, reps in cases:
        w = aa.make_world(regions, seed=21)
        m = aa.AgentApparatus(w, seed=22)
        app = aa.to_apparatus(w)
        rng = np.random.default_rng(23)
        m.month(delegates)  # warm-up month, and the same-state check
        aa.array_month(app, w, delegates, rng)
        aa.check_same_state(m, app)
        t_agent = median_time(lambda m=m, d=delegates: m.month(d), reps, warmup=0)
        t_array = median_time(
            lambda app=app, w=w, d=delegates, rng=rng: aa.array_month(app, w, d, rng),
            max(reps, 20),
            warmup=0,
        )
        label = f"{regions} regions, {delegates:,} delegates"
        row(f"(c) month as Mesa agents, {label}", t_agent * 1e3, "ms")
        row(f"(c) month as numpy arrays, {label}", t_array * 1e3, "ms")
        row(f"(c) ratio agents/arrays, {label}", t_agent / t_array, "x")


def bench_aes(repeats: int) -> None:
    """(d) exact AES ruling-coalition solver."""
    rng = np.random.default_rng(31)
    for n in range(8, 21, 2):
        powers = rng.uniform(0.05, 1.0, n)
        t = median_time(lambda p=powers: ruling_coalition(p, 0.5), repeats)
        if n == 20:
            row(f"(d) AES ruling_coalition n={n}", t * 1e3, "ms", "< 500", t < 0.5)
        else:
            row(f"(d) AES ruling_coalition n={n}", t * 1e3, "ms")


def bench_delegates(scenario, quick: bool) -> None:
    """(e) cost of one congress vote against the number of delegates."""
    w = aa.make_world(26, seed=11)
    app = aa.to_apparatus(w)
    rng = np.random.default_rng(41)
    model = SuccessionModel(scenario, rng=42)
    for _ in range(40):  # into 1925, with a ruling faction and opponents
        model.step()
    sizes = [10**3, 10**4, 10**5, 10**6]
    reps = 5 if quick else 15
    variants = [
        ("binomial per region (arrays)", lambda d: aa.array_congress(app, w, d, rng)),
        ("one uniform per delegate", lambda d: aa.per_delegate_congress(app, w, d, rng)),
        (
            "institutions.congress_vote (model)",
            lambda d: votes.congress_vote(model, SimpleNamespace(delegates=d, name="bench")),
        ),
    ]
    for label, fn in variants:
        base = None
        for d in sizes:
            t = median_time(lambda fn=fn, d=d: fn(d), reps, warmup=2)
            base = base or t
            row(f"(e) {label}, {d:.0e} delegates", t * 1e6, "us/call")
            if d > sizes[0]:
                ratio = t / base
                row(
                    f"(e) {label}, ratio {d:.0e}/1e3",
                    ratio,
                    "x",
                    f"<= {d // sizes[0]}",
                    ratio <= d / sizes[0],
                )


def print_table() -> None:
    head = ("name", "value", "unit", "target", "met?")
    widths = [max(len(r[i]) for r in [head, *ROWS]) for i in range(5)]

    def line(r):
        return " | ".join(
            c.rjust(widths[i]) if i == 1 else c.ljust(widths[i]) for i, c in enumerate(r)
        ).rstrip()

    print(line(head))
    print("-+-".join("-" * x for x in widths))
    for r in ROWS:
        print(line(r))
    for note in NOTES:
        print(note)


def profile_run(scenario) -> None:
    import cProfile
    import io
    import pstats

    SuccessionModel(scenario, rng=0).run()
    pr = cProfile.Profile()
    pr.enable()
    SuccessionModel(scenario, rng=1).run()
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, N=60 ensembles")
    ap.add_argument("--profile", action="store_true", help="also cProfile one baseline run")
    args = ap.parse_args(argv)
    import mesa

    print(
        f"# troika benchmarks{' (quick)' if args.quick else ''}: {os.cpu_count()} cores, "
        f"python {sys.version.split()[0]}, numpy {np.__version__}, mesa {mesa.__version__}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    scenario = load_scenario("baseline")
    bench_run(scenario, 20)
    bench_ensemble(scenario, 60 if args.quick else 200, 1 if args.quick else 3)
    bench_apparatus(args.quick)
    bench_aes(3 if args.quick else 5)
    bench_delegates(scenario, args.quick)
    print_table()
    if args.profile:
        profile_run(scenario)


if __name__ == "__main__":
    main()

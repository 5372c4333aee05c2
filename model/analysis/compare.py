"""Compare scenarios: the main outcome probabilities, with intervals, side by side.

The questions and counts are the case's (``compare`` in its case file).

Every scenario is run on the same seeds (common random numbers), so differences come from
the scenarios, not from the draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from model.analysis.ensemble import DEFAULT_BASE_SEED, run_ensemble
from model.analysis.measures import measures_of
from model.analysis.outcomes import NEVER, RunOutcome, quantiles, title_of
from model.analysis.runs import jeffreys, main_outcomes
from model.atomic import atomic_write_text, save_figure
from model.cases.casefile import Case, CountSpec, QuestionSpec
from model.cases.scenario import Scenario
from model.tables import markdown_table


def answer(question: QuestionSpec, value: object) -> bool:
    """A question about a main outcome's value: it happens (not ``never``), happens by a
    month, or equals a value."""
    value = str(value)
    if question.when == "happens":
        return value != NEVER
    if question.when == "by":
        return value != NEVER and value <= question.value
    return value == question.value


def questions(case: Case) -> tuple[tuple[str, str, Callable[[RunOutcome], bool]], ...]:
    """The case's compare questions as ``(id, question, function of a run -> bool)``."""
    fn = {col: f for col, _, f in main_outcomes(case)}
    return tuple((q.id, q.question, lambda o, q=q: answer(q, fn[q.outcome](o)))
                 for q in case.spec.compare.questions)


def compare(scenarios: Sequence[Scenario], runs: int, *, case: Case, workers: int = 1,
            base_seed: int = DEFAULT_BASE_SEED, progress_factory=None,
            posterior=None) -> list[dict]:
    """Rows ``{scenario, outcome, question, kind, estimate, low, high, runs}`` for every
    scenario and question of the case, plus each count of the case (median, 5–95%). With
    ``posterior`` (:class:`model.analysis.posterior.Posterior`) run ``k`` of every scenario
    draws the same particle (common random numbers across the scenarios); a
    counterfactual's own changes to an input stand unless the posterior draws that input."""
    measures = measures_of(case)
    asked = questions(case)
    rows = []
    for sc in scenarios:
        progress = progress_factory(sc.name) if progress_factory else None
        outs = run_ensemble(sc, runs, workers=workers, base_seed=base_seed,
                            progress=progress, posterior=posterior)
        for qid, question, fn in asked:
            k = sum(bool(fn(o)) for o in outs)
            lo, hi = jeffreys(k, len(outs))
            rows.append({"scenario": sc.name, "outcome": qid, "question": question,
                         "kind": "probability", "estimate": round(k / len(outs), 4),
                         "low": round(lo, 4), "high": round(hi, 4), "runs": len(outs)})
        for count in case.spec.compare.counts:
            values = np.array([measures[count.measure](o)[0] for o in outs], dtype=float)
            values = values[~np.isnan(values)]
            if values.size:
                q = quantiles(values, [0.5, 0.05, 0.95])  # observed: whole delegates
                rows.append({"scenario": sc.name, "outcome": count.id,
                             "question": count.question, "kind": "count",
                             "estimate": float(q[0]), "low": float(q[1]),
                             "high": float(q[2]), "runs": int(values.size)})
    return rows


def table_cells(rows: Sequence[dict]) -> tuple[list[str], list[list[str]]]:
    """Outcomes down, scenarios across: ``estimate [low, high]`` (headers and rows)."""
    scen = list(dict.fromkeys(r["scenario"] for r in rows))
    outcomes = list(dict.fromkeys((r["outcome"], r["question"]) for r in rows))
    cell = {(r["scenario"], r["outcome"]): r for r in rows}
    body = []
    for oid, question in outcomes:
        cells = []
        for s in scen:
            r = cell.get((s, oid))
            if r is None:
                cells.append("–")
            elif r["kind"] == "probability":
                cells.append(f"{r['estimate']:.2f} [{r['low']:.2f}, {r['high']:.2f}]")
            else:
                cells.append(f"{r['estimate']:.0f} [{r['low']:.0f}, {r['high']:.0f}]")
        body.append([question, *cells])
    return ["outcome", *scen], body


def table_markdown(rows: Sequence[dict]) -> str:
    """Outcomes down, scenarios across: ``estimate [low, high]``, as Markdown."""
    return markdown_table(*table_cells(rows)) + "\n"


def plot_comparison(rows: Sequence[dict], path: Path,
                    counts: Sequence[CountSpec] = ()) -> Path:
    """Write :func:`comparison_figure` to ``path``."""
    return save_figure(comparison_figure(rows, counts), Path(path))


def comparison_figure(rows: Sequence[dict], counts: Sequence[CountSpec] = ()) -> Figure:
    """Dot-and-interval chart: one panel of probabilities (questions wrapped to two short
    lines, so that the labels take about a quarter of the width), one per count of the case
    (with its recorded value); the scenarios' legend below."""
    scen = list(dict.fromkeys(r["scenario"] for r in rows))
    probs = [r for r in rows if r["kind"] == "probability"]
    questions = list(dict.fromkeys((r["outcome"], r["question"]) for r in probs))
    counts = [c for c in counts if any(r["outcome"] == c.id for r in rows)]
    per_q = max(0.75, 0.22 * len(scen) + 0.3)
    fig = Figure(figsize=(12, 1.9 + per_q * len(questions) + 2.0 * len(counts)))
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(1 + len(counts), 1,
                          height_ratios=[per_q * max(len(questions), 1)]
                          + [max(1.2, 0.3 * len(scen) + 0.6)] * len(counts))
    ax = fig.add_subplot(gs[0])
    colours = [f"C{k}" for k in range(len(scen))]
    step = 0.7 / max(len(scen), 1)
    for k, s in enumerate(scen):
        for q, (oid, _) in enumerate(questions):
            r = next((x for x in probs if x["scenario"] == s and x["outcome"] == oid), None)
            if r is None:
                continue
            y = q - 0.35 + step * (k + 0.5)
            ax.errorbar(r["estimate"], y, xerr=[[r["estimate"] - r["low"]],
                                               [r["high"] - r["estimate"]]],
                        fmt="o", color=colours[k], capsize=3, ms=6,
                        label=s if q == 0 else None)
    ax.set_yticks(range(len(questions)), [title_of(q, width=30, lines=3) for _, q in questions],
                  fontsize=10)
    for q in range(1, len(questions)):
        ax.axhline(q - 0.5, color="#dddddd", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("probability over runs (dot) with 90% interval (bar)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("What if? Main outcomes by scenario", fontsize=13)
    for j, count in enumerate(counts, start=1):
        ax2 = fig.add_subplot(gs[j])
        for k, s in enumerate(scen):
            r = next((x for x in rows if x["scenario"] == s and x["outcome"] == count.id),
                     None)
            if r is None:
                continue
            ax2.errorbar(r["estimate"], k, xerr=[[r["estimate"] - r["low"]],
                                                 [r["high"] - r["estimate"]]],
                         fmt="o", color=colours[k], capsize=3, ms=6)
        if count.recorded is not None:
            ax2.axvline(count.recorded, color="black", ls="--", lw=1.2,
                        label=f"recorded: {count.recorded:g}")
            ax2.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=9,
                       frameon=False)
        ax2.set_yticks(range(len(scen)), scen, fontsize=9)
        ax2.set_ylim(len(scen) - 0.5, -0.5)
        ax2.set_xlabel(count.axis or f"{count.question}: median and 5–95%", fontsize=10)
        ax2.grid(axis="x", alpha=0.3)
    if questions:
        fig.legend(*ax.get_legend_handles_labels(), title="scenario", loc="lower center",
                   ncols=min(len(scen), 4), fontsize=10, frameon=False)
    legend_rows = math.ceil(len(scen) / 4) if questions else 0
    fig.tight_layout(rect=(0, min(0.25, 0.03 + 0.035 * legend_rows
                                  * 8 / fig.get_figheight()), 1, 1))
    return fig


def write_comparison(rows: Sequence[dict], out_dir: Path,
                     counts: Sequence[CountSpec] = ()) -> list[Path]:
    """compare.csv, compare.md and compare.png in ``out_dir`` (each atomically)."""
    import csv
    import io

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    atomic_write_text(out_dir / "compare.csv", buf.getvalue())
    atomic_write_text(out_dir / "compare.md", table_markdown(rows))
    return [out_dir / "compare.csv", out_dir / "compare.md",
            plot_comparison(rows, out_dir / "compare.png", counts)]

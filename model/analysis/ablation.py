"""Ablation: the model with each rule family switched off, scored against the record.

``troika ablate`` runs the full model once and then once per rule family of
:data:`model.rules.RULE_FAMILIES` with that family's ``off`` overrides, every variant on the
same seeds (common random numbers), so a change in a hit rate comes from the rule and not
from the draw. It reports a table of rules × criteria of hit rates, with the criteria passed
per variant and the change from the full model (text, CSV, Markdown), and a heatmap
``ablation.png``.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from model.analysis.ensemble import DEFAULT_BASE_SEED, score_variants
from model.analysis.outcomes import cell_rate, criteria_of, title_of
from model.atomic import atomic_write_text, save_figure
from model.cases.casefile import Case
from model.cases.scenario import Scenario
from model.engine.rules import RULE_FAMILIES, RuleFamily, rule_family
from model.tables import markdown_table, text_table

FULL = "full"
FILES = ("ablation.csv", "ablation.md", "ablation.png")


def resolve_rules(rules: Sequence[RuleFamily | str]) -> tuple[RuleFamily, ...]:
    """Rule families from families or names (ValueError naming the known ones for an unknown
    name); duplicates are dropped, order kept."""
    out: dict[str, RuleFamily] = {}
    for r in rules:
        fam = rule_family(r) if isinstance(r, str) else r
        out.setdefault(fam.name, fam)
    return tuple(out.values())


def ablate(
    scenario: Scenario,
    runs: int,
    *,
    case: Case,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    rules: Sequence[RuleFamily | str] = RULE_FAMILIES,
    progress_factory: Callable[[str], Callable[[int, int], None]] | None = None,
) -> dict:
    """Run the full model and each rule family switched off, on the same seeds.

    Returns ``{"scenario", "runs", "base_seed", "seconds", "variants", "overrides",
    "says", "criteria"}``: ``variants`` maps ``"full"`` and each rule name to its scorecard
    (the rows of :func:`model.analysis.outcomes.scorecard` over the case's criteria),
    ``overrides`` each variant to the parameter overrides it ran with (the scenario's own
    parameters underneath), ``criteria`` each criterion id to its statement.
    """
    families = resolve_rules(rules)
    variants: list[tuple[str, dict]] = [(FULL, {})]
    variants += [(f.name, dict(f.off)) for f in families]
    criteria = criteria_of(case)
    t0 = time.monotonic()
    scored = score_variants([(name, scenario, off) for name, off in variants], runs, criteria,
                            workers=workers, base_seed=base_seed,
                            progress_factory=progress_factory)
    cards = {name: card for (name, _), card in zip(variants, scored, strict=True)}
    return {
        "scenario": scenario.name,
        "runs": runs,
        "base_seed": base_seed,
        "seconds": time.monotonic() - t0,
        "variants": cards,
        "overrides": dict(variants),
        "says": {f.name: f.says for f in families},
        "criteria": {c.id: c.statement for c in criteria},
    }


# --------------------------------------------------------------------------------------
# tables


def passed(rows: Sequence[dict]) -> int:
    """Criteria passed in a scorecard."""
    return sum(1 for r in rows if r["passed"])


def table_rows(result: dict) -> list[dict]:
    """One row per variant: ``variant``, ``switched_off`` (the overrides), ``passed``,
    ``delta_passed`` (against the full model), ``mean_delta_hit`` and each criterion's hit
    rate (column = criterion id)."""
    full = result["variants"][FULL]
    full_hits = {r["id"]: r["hit_rate"] for r in full}
    base = passed(full)
    rows = []
    for name, card in result["variants"].items():
        hits = {r["id"]: r["hit_rate"] for r in card}
        deltas = [hits[c] - full_hits[c] for c in hits]
        off = result["overrides"][name]
        rows.append({
            "variant": name,
            "switched_off": ", ".join(f"{k}={v}" for k, v in off.items()) or "(none)",
            "passed": passed(card),
            "total": len(card),
            "delta_passed": passed(card) - base,
            "mean_delta_hit": round(float(np.mean(deltas)) if deltas else 0.0, 4),
            **hits,
        })
    return rows


def _criteria_ids(result: dict) -> list[str]:
    return [r["id"] for r in result["variants"][FULL]]


def table_csv(result: dict) -> str:
    """The ablation table as CSV (one row per variant)."""
    rows = table_rows(result)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _signed(x: float, fmt: str = "+d") -> str:
    return "0" if x == 0 else format(x, fmt)


def table_markdown(result: dict) -> str:
    """The ablation table as Markdown: variants down, criteria across (hit rate, with the
    change from the full model in parentheses; a criterion that fails is marked ✗)."""
    ids = _criteria_ids(result)
    full_hits = {r["id"]: r["hit_rate"] for r in result["variants"][FULL]}
    lines = [
        f"Ablation of **{result['scenario']}**: {result['runs']} runs per variant, base seed "
        f"{result['base_seed']}, the same seeds for every variant. Cells: hit rate (change "
        "from the full model); ✗ = criterion not passed; a criterion judged on the whole "
        "distribution shows the statistic its test judged (the 5–95% interval or the "
        "median) instead of a hit rate.",
        "",
    ]
    body = []
    for row, (name, card) in zip(table_rows(result), result["variants"].items(), strict=True):
        cells = []
        for r in card:
            mark = "" if r["passed"] else " ✗"
            if r.get("decided_by") == "ensemble":
                cells.append(f"{r['shown']}{mark}")
            elif name == FULL:
                cells.append(f"{cell_rate(r)}{mark}")
            else:
                d = r["hit_rate"] - full_hits[r["id"]]
                cells.append(f"{cell_rate(r)} ({_signed(round(d, 2), '+.2f')}){mark}")
        body.append([name, row["switched_off"], f"{row['passed']}/{row['total']}",
                     _signed(row["delta_passed"]) if name != FULL else "–", *cells])
    lines.append(markdown_table(["variant", "switched off", "passed", "Δ passed",
                                 *(f"`{i}`" for i in ids)], body))
    says = result.get("says", {})
    if says:
        lines += ["", "Rules:", ""]
        lines += [f"- `{k}`: {v}" for k, v in says.items()]
    lines += ["", "Criteria:", ""]
    statements = result.get("criteria", {})
    lines += [f"- `{i}`: {statements[i]}" for i in ids if i in statements]
    return "\n".join(lines) + "\n"


def table_text(result: dict) -> str:
    """A text table for the terminal (criteria as c1, c2, ... with a key)."""
    ids = _criteria_ids(result)
    keys = [f"c{k}" for k in range(1, len(ids) + 1)]
    body = [[r["variant"], f"{r['passed']}/{r['total']}",
             "" if r["variant"] == FULL else _signed(r["delta_passed"]),
             *(f"{r[i]:.2f}" for i in ids)] for r in table_rows(result)]
    key = "criteria: " + "; ".join(f"{k} {i}" for k, i in zip(keys, ids, strict=True))
    return text_table(["variant", "passed", "Δ", *keys], body) + "\n\n" + key


# --------------------------------------------------------------------------------------
# figure


def plot_ablation(result: dict, path: Path) -> Path:
    """Heatmap of criteria (rows, titled by their statements) × variants (columns: the full
    model, then each rule family switched off). Colour: change of the hit rate from the full
    model (diverging, red = worse); text: the hit rate, or for a criterion judged on the whole
    distribution the statistic its test judged (left uncoloured); a failed criterion is
    marked ✗ and set in italics."""
    return save_figure(ablation_figure(result), path)


def ablation_figure(result: dict) -> Figure:
    """The figure of :func:`plot_ablation`, for display (a notebook) or restyling."""
    ids = _criteria_ids(result)
    names = list(result["variants"])
    cards = {n: {r["id"]: r for r in result["variants"][n]} for n in names}
    statements = result.get("criteria", {})
    hits = np.array([[cards[n][i]["hit_rate"] for n in names] for i in ids], dtype=float)
    ensemble = np.array([cards[FULL][i].get("decided_by") == "ensemble" for i in ids])
    delta = hits - hits[:, :1]
    delta[ensemble, :] = np.nan
    rows = {r["variant"]: r for r in table_rows(result)}
    fig = Figure(figsize=(4.6 + 0.62 * len(names), 1.9 + 0.5 * len(ids)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["RdBu"].with_extremes(bad="#d0d0d0")
    im = ax.imshow(np.ma.masked_invalid(delta), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    for i, cid in enumerate(ids):
        for j, name in enumerate(names):
            r = cards[name][cid]
            if r.get("decided_by") == "ensemble":
                text = str(r["shown"]).replace("median ", "med ").replace("–", "–\n", 1)
            else:
                text = cell_rate(r)
            text += "" if r["passed"] else " ✗"
            d = delta[i, j]
            colour = "white" if not np.isnan(d) and abs(d) > 0.6 else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=colour,
                    fontstyle="normal" if r["passed"] else "italic")
    labels = []
    for name in names:
        r = rows[name]
        if name == FULL:
            labels.append(f"full model ({r['passed']}/{r['total']})")
        else:
            labels.append(f"− {name} ({r['passed']}, {_signed(r['delta_passed'])})")
    ax.set_xticks(range(len(names)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(ids)),
                  [title_of(statements.get(i, i), width=46) for i in ids], fontsize=8)
    ax.axvline(0.5, color="black", lw=1.5)
    ax.set_ylabel("validation criterion")
    ax.set_xlabel("variant: rule family switched off (criteria passed, change)")
    ax.set_title(f"Ablation of {result['scenario']}: each rule family switched off\n"
                 f"({result['runs']} runs per variant, the same seeds)\n"
                 "cell: hit rate; ✗ = not passed; grey rows: the interval or median\n"
                 "that a test of the whole distribution judged", fontsize=10)
    cbar = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    cbar.set_label("change of hit rate from the full model")
    fig.tight_layout()
    return fig


def write_ablation(result: dict, out_dir: Path) -> list[Path]:
    """ablation.csv, ablation.md and ablation.png in ``out_dir`` (each atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "ablation.csv", table_csv(result))
    atomic_write_text(out_dir / "ablation.md", table_markdown(result))
    plot_ablation(result, out_dir / "ablation.png")
    return [out_dir / f for f in FILES]

"""Robustness of the fit to the leaders' traits: a one-at-a-time table.

The traits of the leaders (prestige, ambition, resolve) are read off the historiography,
not measured; a sceptic asks whether the model's agreement with the record survives a
reading slightly different from the one chosen. ``troika robustness`` answers for the main
leaders (by default the six with the highest starting prestige) and each trait of
:data:`INPUTS`: it moves that one trait of that one leader up and down by a fixed step
(prestige ±0.05, ambition ±0.1, resolve ±0.1, clipped to [0, 1]), leaving everything else as
it is, runs an ensemble of the variant on the same seeds as the unchanged scenario (common
random numbers, so that a difference comes from the change and not from the draw), and
scores it with the criteria. The table gives the criteria passed by every variant and the
minimum over the variants: the fit is robust to these readings when the minimum stays near
the unchanged scenario's count.

This is one-at-a-time (OAT) local sensitivity, which sees neither interactions nor effects
beyond the step (Saltelli & Annoni 2010, "How to avoid a perfunctory sensitivity analysis",
*Environmental Modelling & Software* 25:1508); the global screening of the parameters is
:mod:`model.analysis.sensitivity`. OAT is the right tool here because the question is a
reader's: "what if this leader had been a little more (or less) ambitious?" (the robustness
checks of Grimm et al. 2014, "Towards better modelling and decision support: documenting
model development, testing, and analysis using TRACE", *Ecological Modelling* 280:129,
element 8).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from model.analysis.ensemble import DEFAULT_BASE_SEED, score_variants
from model.atomic import atomic_write_text
from model.cases.scenario import Scenario
from model.tables import markdown_table, text_table

INPUTS: tuple[tuple[str, float], ...] = (("prestige", 0.05), ("ambition", 0.1),
                                         ("resolve", 0.1))
DEFAULT_LEADERS = 6
UNCHANGED = "unchanged"
FILES = ("robustness.csv", "robustness.md")


@dataclass(frozen=True)
class Variant:
    """One leader's one trait moved by ``delta``: from ``old`` to ``new`` (clipped to
    [0, 1]; ``new == old`` when the trait already sits at the bound)."""

    leader: str
    field: str
    delta: float
    old: float
    new: float

    @property
    def name(self) -> str:
        return f"{self.leader} {self.field} {self.delta:+g}"

    @property
    def at_bound(self) -> bool:
        return self.new == self.old


def main_leaders(scenario: Scenario, k: int = DEFAULT_LEADERS) -> list[str]:
    """The ``k`` leaders of highest starting prestige (ties: file order)."""
    order = sorted(enumerate(scenario.leaders), key=lambda t: (-t[1].prestige, t[0]))
    return [ld.name for _, ld in order[:k]]


def resolve_leaders(scenario: Scenario, names: Sequence[str]) -> list[str]:
    """Leader names checked against the scenario (ValueError naming the unknown ones and
    the known ones); duplicates dropped, order kept."""
    known = scenario.leader_names
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown leader {', '.join(map(repr, unknown))} (choose from "
                         f"{', '.join(known)})")
    if not names:
        raise ValueError("no leader given")
    return list(dict.fromkeys(names))


def clip_unit(x: float) -> float:
    """``x`` clipped to [0, 1] and rounded to 10 decimals (so 0.45 + 0.05 is 0.5)."""
    return round(min(max(x, 0.0), 1.0), 10)


def variants(scenario: Scenario, leaders: Sequence[str],
             inputs: Sequence[tuple[str, float]] = INPUTS) -> list[Variant]:
    """Each leader × each input × down and up."""
    by_name = {ld.name: ld for ld in scenario.leaders}
    fields = type(scenario.leaders[0]).model_fields
    bad = [f for f, _ in inputs if f not in fields]
    if bad:
        raise ValueError(f"unknown leader field {', '.join(map(repr, bad))}")
    out = []
    for name in leaders:
        ld = by_name[name]
        for field, step in inputs:
            old = float(getattr(ld, field))
            for delta in (-step, step):
                out.append(Variant(name, field, delta, old, clip_unit(old + delta)))
    return out


def vary(scenario: Scenario, leader: str, field: str, value: float) -> Scenario:
    """The scenario with one leader's trait set to ``value`` (a copy; no file written)."""
    if leader not in scenario.leader_names:
        raise ValueError(f"unknown leader {leader!r}")
    leaders = [ld.model_copy(update={field: value}) if ld.name == leader else ld
               for ld in scenario.leaders]
    return scenario.model_copy(update={"leaders": leaders})


def robustness(
    scenario: Scenario,
    runs: int,
    *,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    leaders: Sequence[str] | None = None,
    inputs: Sequence[tuple[str, float]] = INPUTS,
    criteria: Sequence = (),
    progress_factory: Callable[[str], Callable[[int, int], None]] | None = None,
) -> dict:
    """Score the unchanged scenario and every one-at-a-time variant on the same seeds.

    Returns ``{"scenario", "runs", "base_seed", "seconds", "leaders", "criteria", "base",
    "variants"}``: ``base`` is the unchanged scenario's scorecard (rows of
    :func:`~model.analysis.outcomes.scorecard`), ``variants`` a list of ``(Variant,
    scorecard)``; a variant at the bound (no change) reuses ``base``.
    """
    names = main_leaders(scenario) if leaders is None else resolve_leaders(scenario, leaders)
    todo = variants(scenario, names, inputs)
    t0 = time.monotonic()
    moved = [v for v in todo if not v.at_bound]
    jobs = [(UNCHANGED, scenario, None)]
    jobs += [(v.name, vary(scenario, v.leader, v.field, v.new), None) for v in moved]
    base, *scored = score_variants(jobs, runs, criteria, workers=workers, base_seed=base_seed,
                                   progress_factory=progress_factory)
    by_variant = dict(zip([v.name for v in moved], scored, strict=True))
    cards = [(v, base if v.at_bound else by_variant[v.name]) for v in todo]
    return {
        "scenario": scenario.name,
        "runs": runs,
        "base_seed": base_seed,
        "seconds": time.monotonic() - t0,
        "leaders": names,
        "criteria": [(c.id, getattr(c, "statement", "")) for c in criteria],
        "base": base,
        "variants": cards,
    }


# --------------------------------------------------------------------------------------
# tables


def passed(rows: Sequence[dict]) -> int:
    """Criteria passed in a scorecard."""
    return sum(1 for r in rows if r["passed"])


def table_rows(result: dict) -> list[dict]:
    """One row for the unchanged scenario, then one per variant: ``leader``, ``input``,
    ``delta``, ``from``, ``to``, ``passed``, ``total``, ``delta_passed``, ``lost`` and
    ``gained`` (criteria ids, ``;``-separated) and each criterion's hit rate."""
    base = result["base"]
    base_ok = {r["id"] for r in base if r["passed"]}
    rows = [{"leader": UNCHANGED, "input": "", "delta": "", "from": "", "to": "",
             "passed": passed(base), "total": len(base), "delta_passed": 0, "lost": "",
             "gained": "", **{r["id"]: r["hit_rate"] for r in base}}]
    for v, card in result["variants"]:
        ok = {r["id"] for r in card if r["passed"]}
        rows.append({
            "leader": v.leader, "input": v.field, "delta": f"{v.delta:+g}",
            "from": f"{v.old:g}", "to": f"{v.new:g}" + (" (bound)" if v.at_bound else ""),
            "passed": passed(card), "total": len(card),
            "delta_passed": passed(card) - passed(base),
            "lost": ";".join(r["id"] for r in card if r["id"] in base_ok - ok),
            "gained": ";".join(r["id"] for r in card if r["id"] in ok - base_ok),
            **{r["id"]: r["hit_rate"] for r in card},
        })
    return rows


def minimum(result: dict) -> tuple[int, list[str]]:
    """The least number of criteria passed over the variants, and the variants that pass
    that few (the unchanged scenario's count when there is no variant)."""
    if not result["variants"]:
        return passed(result["base"]), []
    least = min(passed(card) for _, card in result["variants"])
    return least, [v.name for v, card in result["variants"] if passed(card) == least]


def table_csv(result: dict) -> str:
    """The robustness table as CSV (one row per variant, the unchanged scenario first)."""
    rows = table_rows(result)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _signed(x: int) -> str:
    return "0" if x == 0 else f"{x:+d}"


def _summary(result: dict) -> str:
    least, which = minimum(result)
    base = passed(result["base"])
    total = len(result["base"])
    where = f" ({', '.join(which)})" if which and least < base else ""
    return (f"Unchanged: {base}/{total} criteria passed; minimum over the "
            f"{len(result['variants'])} variants: {least}/{total}{where}.")


def table_markdown(result: dict) -> str:
    """The table in Markdown: one row per variant with the criteria passed, the change,
    and the criteria lost or gained; the minimum over the variants below."""
    steps = ", ".join(f"{f} ±{s:g}" for f, s in _inputs(result))
    lines = [
        f"One-at-a-time robustness of **{result['scenario']}**: each of "
        f"{', '.join(result['leaders'])} with one trait moved ({steps}; clipped to [0, 1]), "
        f"{result['runs']} runs per variant on the same seeds (base seed "
        f"{result['base_seed']}).",
        "",
    ]
    body = []
    for r in table_rows(result):
        change = "–" if r["leader"] == UNCHANGED else f"{r['from']} → {r['to']}"
        delta = "–" if r["leader"] == UNCHANGED else _signed(r["delta_passed"])
        lost = ", ".join(f"`{x}`" for x in r["lost"].split(";") if x) or "–"
        gained = ", ".join(f"`{x}`" for x in r["gained"].split(";") if x) or "–"
        body.append([r["leader"], r["input"] or "–", change, f"{r['passed']}/{r['total']}",
                     delta, lost, gained])
    lines.append(markdown_table(["leader", "input", "change", "passed", "Δ passed",
                                 "criteria lost", "criteria gained"], body))
    lines += ["", _summary(result), "", "Criteria:", ""]
    lines += [f"- `{i}`: {s}" for i, s in result["criteria"]]
    return "\n".join(lines) + "\n"


def _inputs(result: dict) -> list[tuple[str, float]]:
    seen: dict[str, float] = {}
    for v, _ in result["variants"]:
        seen.setdefault(v.field, abs(v.delta))
    return list(seen.items())


def table_text(result: dict) -> str:
    """A text table for the terminal."""
    body = []
    for r in table_rows(result):
        change = "" if r["leader"] == UNCHANGED else f"{r['from']} -> {r['to']}"
        delta = "" if r["leader"] == UNCHANGED else _signed(r["delta_passed"])
        body.append([r["leader"], r["input"], change, f"{r['passed']}/{r['total']}", delta,
                     r["lost"].replace(";", ", ")])
    return (text_table(["leader", "input", "change", "passed", "Δ", "criteria lost"], body)
            + "\n\n" + _summary(result))


def write_robustness(result: dict, out_dir: Path) -> list[Path]:
    """robustness.csv and robustness.md in ``out_dir`` (each atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "robustness.csv", table_csv(result))
    atomic_write_text(out_dir / "robustness.md", table_markdown(result))
    return [out_dir / f for f in FILES]

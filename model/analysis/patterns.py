"""Patterns never fitted (issue #11, item 5; pattern-oriented modelling, Grimm et al. 2005,
*Science* 310:987): outcomes that neither the calibration's targets nor the hand tuning
used, reported apart from the criteria as out-of-sample checks with their own scores.

A case declares them as ``[[patterns]]`` of its case file, each a measure of
:mod:`model.analysis.measures` whose value is a share in ``[0, 1]`` with 1 the record
itself: the Jaccard overlap of the Politburo's full members with the recorded ones
(``politburo_members``), the share of the main offices held as recorded
(``office_holders``), the share of a delegation voting against the report
(``delegation``), whether an event the record does not have stayed away (``no_event``).
Each is scored over an ensemble by

* the mean value (1 = every run reproduces the record);
* the hit rate (the measure's own threshold) and its Brier score ``(1 - p)^2``;
* the CRPS of the values against 1, the record (:func:`model.analysis.scores.crps_ensemble`;
  0 = every run reproduces the record; lower is better).

The same rows for each competitor (the baselines) show whether the model does better than
rules that know nothing of the leaders' reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.analysis.measures import measures_of
from model.analysis.outcomes import RunOutcome
from model.analysis.scores import brier, crps_ensemble
from model.cases.casefile import Case

RECORD_VALUE = 1.0  # every pattern measure gives 1 for the record itself


def pattern_rows(outcomes: Sequence[RunOutcome], case: Case) -> list[dict]:
    """One row per pattern of the case: ``id, statement, recorded, mean, low, high,
    hit_rate, brier, crps`` over ``outcomes`` (a run whose measure has no value, e.g. a
    delegation that did not vote, counts as 0)."""
    measures = measures_of(case)
    rows = []
    for p in case.spec.patterns:
        m = measures[p.measure]
        pairs = [m(o) for o in outcomes]
        values = np.array([0.0 if np.isnan(v) else float(v) for v, _ in pairs])
        hits = np.array([bool(h) for _, h in pairs])
        rate = float(hits.mean()) if len(hits) else 0.0
        lo, hi = (np.quantile(values, [0.05, 0.95]) if len(values) else (np.nan, np.nan))
        rows.append({"id": p.id, "statement": p.statement, "recorded": p.recorded,
                     "mean": round(float(values.mean()), 4) if len(values) else None,
                     "low": round(float(lo), 4), "high": round(float(hi), 4),
                     "hit_rate": round(rate, 4), "brier": round(brier(rate, True), 4),
                     "crps": round(crps_ensemble(values, RECORD_VALUE), 4)
                     if len(values) else None})
    return rows


def patterns_markdown(model: Sequence[dict], baselines: Mapping[str, Sequence[dict]],
                      runs: int, note: str = "") -> str:
    """The patterns section: the model's rows, then the CRPS of every rule side by side and
    the model's mean CRPS skill over each."""
    if not model:
        return "No patterns declared in the case file.\n"
    out = [f"Patterns never fitted, over the same {runs} runs per rule as the scorecard"
           + (f" ({note})" if note else "") + ". Value: 1 = the record itself; CRPS "
           "against 1 (lower is better).", "",
           "| pattern | recorded | mean value | 90% interval | hit rate | Brier | CRPS |",
           "|---|---|---|---|---|---|---|"]
    for r in model:
        out.append(f"| {r['statement']} | {r['recorded']} | {r['mean']:.2f} | "
                   f"{r['low']:.2f} – {r['high']:.2f} | {r['hit_rate']:.2f} | "
                   f"{r['brier']:.3f} | {r['crps']:.3f} |")
    if baselines:
        names = list(baselines)
        out += ["", "CRPS of each rule, pattern by pattern (lower is better):", "",
                "| pattern | model | " + " | ".join(names) + " |",
                "|---|---|" + "---|" * len(names)]
        for k, r in enumerate(model):
            cells = [f"{baselines[n][k]['crps']:.3f}" for n in names]
            out.append(f"| {r['id']} | {r['crps']:.3f} | " + " | ".join(cells) + " |")
        mine = float(np.mean([r["crps"] for r in model]))
        cells = []
        for n in names:
            theirs = float(np.mean([r["crps"] for r in baselines[n]]))
            cells.append(f"{1 - mine / theirs:+.2f}" if theirs > 0 else "–")
        out.append("| mean CRPS skill of the model (1 − model / rule) | – | "
                   + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"

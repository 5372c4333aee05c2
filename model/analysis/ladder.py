"""The sanction ladder as the runs climb it: for each leader, how often and when he loses
his first office, is demoted to candidate, and leaves the Politburo, the Central Committee
and the party, and how many months each step comes after the one before it in the same run.

The ladder is the engine's (:data:`model.engine.sanctions.RUNGS`): an office, demotion,
removal from the Politburo, from the Central Committee, from the party. A scorecard says
whether an expulsion happened in its window; this table says where the runs stop on the
way and how long each step takes, which the record dates step by step (the Central
Committee's and the party's expulsions of 1927 were three weeks apart [calendar]). It is
read from the first month of each event of a run's log, kept in each
:class:`~model.analysis.outcomes.RunOutcome` (``first``); the first office counts whatever
took it (a vote, a motion, a scheduled event).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from model.analysis.measures import month_label, month_number
from model.analysis.outcomes import RunOutcome, quantiles
from model.engine.sanctions import RUNGS

# (event kind, what, label) of each rung, in the ladder's order; an office's "what" is the
# office itself, so None stands for any of them
LADDER = (("office_loss", None, "first office lost"),
          ("demotion", RUNGS[2], "demoted to candidate"),
          ("expulsion", RUNGS[2], "out of the Politburo"),
          ("expulsion", RUNGS[3], "out of the Central Committee"),
          ("expulsion", RUNGS[4], "out of the party"))
MIN_SHARE = 0.05  # a leader is listed when he loses a seat in at least this share of runs


def rung_months(o: RunOutcome, who: str) -> list[str | None]:
    """The month leader ``who`` reached each rung of :data:`LADDER` in run ``o`` (None
    where he did not); the first office is the earliest office he lost."""
    out: list[str | None] = []
    for kind, what, _ in LADDER:
        if what is None:
            months = [m for (k, w, _), m in o.first.items() if k == kind and w == who]
            out.append(min(months) if months else None)
        else:
            out.append(o.first.get((kind, who, what)))
    return out


def ladder_rows(outcomes: Sequence[RunOutcome], min_share: float = MIN_SHARE) -> list[dict]:
    """One row per leader and rung he reaches in some run, for every leader who loses a
    seat (a rung below the first office: demotion or removal) in at least ``min_share`` of
    the runs (an office alone can go by a motion or a scheduled event): ``leader, rung,
    reached`` (share of runs), ``median, low, high`` (the month he reaches it: median and
    5%/95% quantiles over the runs that reach it) and ``gap_median, gap_low, gap_high,
    gap_runs`` (months since the latest rung above it reached by then in the same run,
    :func:`_step`, over the ``gap_runs`` runs that have such a step)."""
    if not outcomes:
        return []
    rows = []
    n = len(outcomes)
    for who in outcomes[0].names:
        reached = [rung_months(o, who) for o in outcomes]
        shares = [sum(r[k] is not None for r in reached) / n for k in range(len(LADDER))]
        if max(shares[1:]) < min_share:
            continue
        for k, (_, _, label) in enumerate(LADDER):
            if shares[k] == 0:
                continue
            months = np.array([month_number(r[k]) for r in reached if r[k] is not None])
            gaps = np.array([gap for r in reached if (gap := _step(r, k)) is not None])
            rows.append({
                "leader": who, "rung": label, "reached": round(shares[k], 4),
                **_spread(months, month_label, ""),
                **_spread(gaps, lambda x: int(round(x)), "gap_"),
                "gap_runs": int(gaps.size),
            })
    return rows


def _step(months: list[str | None], k: int) -> float | None:
    """Months to rung ``k`` from the latest rung above it reached by then (None when rung
    ``k`` was not reached, or no rung above it was reached by then: an office can be lost
    after a seat, by another road than a vote)."""
    if months[k] is None:
        return None
    above = [m for m in months[:k] if m is not None and m <= months[k]]
    if not above:
        return None
    return month_number(months[k]) - month_number(max(above))


def _spread(values: np.ndarray, show: Callable[[float], object], prefix: str) -> dict:
    """Median and 5%/95% quantiles of ``values`` (observed values,
    :func:`~model.analysis.outcomes.quantiles`), shown by ``show``; None for each when
    there are none."""
    keys = [prefix + k for k in ("median", "low", "high")]
    if values.size == 0:
        return dict.fromkeys(keys)
    return {k: show(float(q)) for k, q in zip(keys, quantiles(values, [0.5, 0.05, 0.95]),
                                              strict=True)}


def ladder_markdown(rows: Sequence[dict], runs: int, note: str = "",
                    min_share: float = MIN_SHARE) -> str:
    """The ladder as a Markdown table, one row per leader and rung (``rows`` from
    :func:`ladder_rows` with ``min_share``); a share below 0.005 but above 0 shows as
    "<0.01", so that a rung some run reaches never reads as 0."""
    if not rows:
        return (f"No leader loses a seat (demotion or removal) in at least {min_share:.0%} "
                f"of these {runs} runs.\n")
    out = [f"The sanction ladder over {runs} runs of the model" + (f" ({note})" if note else "")
           + f": every leader who loses a seat (demotion or removal) in at least "
           f"{min_share:.0%} of them. "
           "Months: median and 90% interval over the runs that reach the rung; the step: "
           "months since the latest rung above it that he had reached by then in the same run "
           "(– when none). A rung no run reaches is left out.", "",
           "| leader | rung | share of runs | month | 90% interval | months after the rung "
           "above | 90% interval |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        gap = "–" if r["gap_median"] is None else str(r["gap_median"])
        gap_iv = "–" if r["gap_low"] is None else f"{r['gap_low']} – {r['gap_high']}"
        out.append(f"| {r['leader']} | {r['rung']} | {_share(r['reached'])} | {r['median']} | "
                   f"{r['low']} – {r['high']} | {gap} | {gap_iv} |")
    return "\n".join(out) + "\n"


def _share(x: float) -> str:
    """A share of runs to two places, "<0.01" when above 0 but below 0.005."""
    return "<0.01" if 0 < x < 0.005 else f"{x:.2f}"

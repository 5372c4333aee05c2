"""How contingent is the struggle? The histories of an ensemble's runs and how much they
differ.

The *history* of a run is the ordered sequence of its decisive events: the coalition drops,
office losses, expulsions, recantations and refusals (:data:`HISTORY_KINDS`), each with the
first month it happens (``RunOutcome.first``), ordered by month and then by the event. Two
runs have the same history when the same events happen in the same order at the same time;
``resolution`` says how finely time is told apart: ``"month"``, ``"quarter"`` (events in the
same quarter are one step, ordered by the event), or ``"order"`` (the order of events alone,
no dates).

A model in which every run tells the same story has made the outcome inevitable; one in
which no two runs agree says nothing. The measures here put numbers on that, in the manner
of the "history-friendly" and counterfactual uses of simulation (Malerba, Nelson, Orsenigo
& Winter 1999, *Industrial and Corporate Change* 8:3; and the many-worlds argument of
Salganik, Dodds & Watts 2006, *Science* 311:854, who read the spread of outcomes over
independent worlds as the weight of chance):

- **distinct histories per 100 runs** (it grows with the number of runs until the
  histories are exhausted; compare ensembles of the same size);
- **Shannon entropy** of the distribution of histories, in bits (Shannon 1948, *Bell
  System Technical Journal* 27:379): 0 when every run has one history, ``log2 n`` when all
  ``n`` differ. The plug-in estimate is biased low for few runs; ``miller_madow=True`` adds
  Miller's (1955) correction ``(K - 1) / (2 n ln 2)`` bits for ``K`` observed histories
  (Paninski 2003, *Neural Computation* 15:1191);
- **the share of the most common history**;
- for each event, **the share of runs in which it happens** and the 5%, 50% and 95%
  months among those runs (:func:`event_spread`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from model.analysis.outcomes import RunOutcome, month_label, month_number
from model.tables import markdown_table

HISTORY_KINDS: tuple[str, ...] = ("dropped", "office_loss", "expulsion", "recantation",
                                  "refusal")
RESOLUTIONS: tuple[str, ...] = ("month", "quarter", "order")

Event = tuple[str, str, str]
History = tuple[tuple, ...]


def period(month: str, resolution: str = "month") -> str:
    """The period a ``YYYY-MM`` month falls in: the month, its quarter (``YYYY-Qn``), or
    '' when only the order counts."""
    if resolution == "month":
        return month
    if resolution == "quarter":
        y, m = month.split("-")[:2]
        return f"{y}-Q{(int(m) - 1) // 3 + 1}"
    if resolution == "order":
        return ""
    raise ValueError(f"resolution: {resolution!r} is not one of {', '.join(RESOLUTIONS)}")


def history(o: RunOutcome, resolution: str = "month",
            kinds: Sequence[str] = HISTORY_KINDS) -> History:
    """The run's history: ``(period, kind, who, what)`` for each event of ``kinds``, ordered
    by month (by period when coarsened to quarters) and then by the event; with
    ``resolution="order"`` the events alone ``(kind, who, what)``, in the order they happen.
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution: {resolution!r} is not one of {', '.join(RESOLUTIONS)}")
    wanted = set(kinds)
    dated = sorted((month, *event) for event, month in o.first.items() if event[0] in wanted)
    if resolution == "order":
        return tuple(tuple(e[1:]) for e in dated)
    return tuple(sorted((period(e[0], resolution), *e[1:]) for e in dated))


def history_counts(outcomes: Sequence[RunOutcome], resolution: str = "month",
                   kinds: Sequence[str] = HISTORY_KINDS) -> Counter:
    """How many runs have each history."""
    return Counter(history(o, resolution, kinds) for o in outcomes)


def entropy_bits(counts: Counter | Sequence[int], miller_madow: bool = False) -> float:
    """Shannon entropy, in bits, of the distribution given by ``counts`` (plug-in; with
    Miller's bias correction if asked)."""
    c = np.array(list(counts.values()) if isinstance(counts, Counter) else list(counts),
                 dtype=float)
    c = c[c > 0]
    n = c.sum()
    if n == 0:
        raise ValueError("entropy_bits: no observations")
    p = c / n
    h = float(-np.sum(p * np.log2(p)))
    if miller_madow:
        h += (len(c) - 1) / (2 * n * math.log(2))
    return h if h > 0 else 0.0  # never -0.0


def contingency(outcomes: Sequence[RunOutcome], resolution: str = "month",
                kinds: Sequence[str] = HISTORY_KINDS) -> dict:
    """The contingency measures of an ensemble at one resolution: ``runs``, ``distinct``,
    ``distinct_per_100``, ``entropy_bits``, ``entropy_bits_mm`` (Miller-Madow),
    ``max_entropy_bits`` (``log2 runs``), ``top_share`` and ``top_history``."""
    if not outcomes:
        raise ValueError("contingency: no outcomes")
    counts = history_counts(outcomes, resolution, kinds)
    n = len(outcomes)
    # the most common history; among equally common ones the first in sort order
    top, top_n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "resolution": resolution,
        "runs": n,
        "distinct": len(counts),
        "distinct_per_100": 100.0 * len(counts) / n,
        "entropy_bits": entropy_bits(counts),
        "entropy_bits_mm": entropy_bits(counts, miller_madow=True),
        "max_entropy_bits": math.log2(n),
        "top_share": top_n / n,
        "top_history": top,
    }


def event_spread(outcomes: Sequence[RunOutcome], kinds: Sequence[str] = HISTORY_KINDS,
                 min_share: float = 0.0) -> list[dict]:
    """For each event of ``kinds`` that happens in any run: ``kind, who, what``, ``share``
    of runs in which it happens, and the ``p5``, ``p50``, ``p95`` months (``YYYY-MM``, order
    statistics of the runs in which it happens). Ordered by median month, then share
    (descending), then the event; events rarer than ``min_share`` are left out."""
    if not outcomes:
        raise ValueError("event_spread: no outcomes")
    wanted = set(kinds)
    months: dict[Event, list[float]] = {}
    for o in outcomes:
        for event, month in o.first.items():
            if event[0] in wanted:
                months.setdefault(event, []).append(month_number(month))
    n = len(outcomes)
    rows = []
    for event, ms in months.items():
        share = len(ms) / n
        if share < min_share:
            continue
        q = np.quantile(np.array(ms), [0.05, 0.5, 0.95], method="inverted_cdf")
        rows.append({"kind": event[0], "who": event[1], "what": event[2],
                     "share": round(share, 4), "p5": month_label(q[0]),
                     "p50": month_label(q[1]), "p95": month_label(q[2])})
    rows.sort(key=lambda r: (r["p50"], -r["share"], r["kind"], r["who"], r["what"]))
    return rows


# --------------------------------------------------------------------------------------
# reports


def describe(event: Sequence[str]) -> str:
    """An event ``(period, kind, who, what)`` or ``(kind, who, what)`` in words."""
    *when, kind, who, what = event
    words = {"dropped": f"{who} dropped by {what}", "office_loss": f"{who} loses {what}",
             "expulsion": f"{who} expelled from {what}", "recantation": f"{who} recants",
             "refusal": f"{who} refuses to recant"}.get(kind, f"{kind} {who} {what}".strip())
    return f"{when[0]} {words}" if when and when[0] else words


def contingency_markdown(outcomes: Sequence[RunOutcome], *, title: str = "",
                         min_share: float = 0.05) -> str:
    """A Markdown report: the measures at each resolution, the most common history at the
    coarsest dated one, and the spread of each event happening in at least ``min_share``
    of the runs."""
    rows = [contingency(outcomes, r) for r in RESOLUTIONS]
    n = rows[0]["runs"]
    lines = [title or f"Histories of {n} runs (events: {', '.join(HISTORY_KINDS)}).", "",
             markdown_table(["resolution", "distinct", "per 100 runs", "entropy (bits)",
                             "Miller–Madow", "max (log2 runs)", "most common history"],
                            [[r["resolution"], r["distinct"], f"{r['distinct_per_100']:.1f}",
                              f"{r['entropy_bits']:.2f}", f"{r['entropy_bits_mm']:.2f}",
                              f"{r['max_entropy_bits']:.2f}", f"{r['top_share']:.0%} of runs"]
                             for r in rows])]
    q = rows[1]
    lines += ["", f"Most common history by quarter ({q['top_share']:.0%} of runs): "
              + ("; ".join(describe(e) for e in q["top_history"]) or "no event") + ".", "",
              f"Events in at least {min_share:.0%} of runs: share of runs, and the 5%, 50% "
              "and 95% months among the runs in which they happen.", "",
              markdown_table(["event", "share", "5%", "median", "95%"],
                             [[describe((e["kind"], e["who"], e["what"])), f"{e['share']:.2f}",
                               e["p5"], e["p50"], e["p95"]]
                              for e in event_spread(outcomes, min_share=min_share)])]
    return "\n".join(lines) + "\n"

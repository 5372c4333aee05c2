"""Reduce a run to the form of the record, and score ensembles against criteria fixed in
advance (``docs/validation.md``).

:func:`reduce_run` turns a finished :class:`~model.model.SuccessionModel` into a small,
picklable :class:`RunOutcome`: the month of each office loss and expulsion, the factions of
every month, each assembly's tally, who recanted and who refused, who held which office.
:func:`criteria_of` gives a case's validation criteria (declared in its case file, each a
measure of :mod:`model.analysis.measures` and a pass rule); :func:`scorecard` compares an
ensemble of outcomes with the record.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from model.analysis.measures import measures_of, month_label, month_number
from model.cases.casefile import Case

__all__ = ["NEVER", "Criterion", "RunOutcome", "Verdict", "criteria_of", "month_label",
           "month_number", "rate_text", "reduce_run", "score", "scorecard", "title_of"]

NEVER = "never"


@dataclass
class RunOutcome:
    """One run in the form of the record.

    Attributes:
        seed: the seed (an int, or the SeedSequence's entropy and spawn key as a string).
        months: ``YYYY-MM`` of each collected step (index 0 is the state at the start).
        names: leader names, in model order.
        factions: ``(steps, leaders)`` faction labels (-1 when not active).
        first: first month of each ``(kind, who, what)`` event, e.g.
            ``("expulsion", <leader>, "party")`` or ``("office_loss", <leader>,
            <office>)``.
        tallies: ``assembly -> (yes, no, absent)`` for votes on the report.
        recanted, refused: leaders who recanted / refused to recant (and never recanted).
        holders: ``office -> list of holder names by step`` ('' when vacant).
        ruling: name of the ruling faction's leader at each step ('' if none).
        months_of: every month of each ``(kind, who, what)`` event, in order (for measures
            of an event at any time in a window, not only the first).
        delegations: ``assembly -> region -> (yes, no)`` of each delegation's vote on the
            report.
        politburo_start: the Politburo's full members at the start.
        politburo_changes: ``(month, leader, full member?)`` of every change of a full
            membership, in order (promotion, demotion, expulsion from the Politburo or the
            party, death).
    """

    seed: str
    months: list[str]
    names: list[str]
    factions: np.ndarray
    first: dict[tuple[str, str, str], str]
    tallies: dict[str, tuple[int, int, int]]
    recanted: set[str]
    refused: set[str]
    holders: dict[str, list[str]]
    ruling: list[str] = field(default_factory=list)
    months_of: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    delegations: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    politburo_start: frozenset[str] = frozenset()
    politburo_changes: list[tuple[str, str, bool]] = field(default_factory=list)

    def politburo_at(self, month: str) -> set[str]:
        """The Politburo's full members at the end of ``month``."""
        members = set(self.politburo_start)
        for when, who, full in self.politburo_changes:
            if when > month:
                break
            (members.add if full else members.discard)(who)
        return members

    def faction_size(self, name: str, step: int) -> int:
        """Members of ``name``'s faction at ``step`` (0 when he is not active)."""
        label = int(self.factions[step, self.index(name)])
        return int((self.factions[step] == label).sum()) if label >= 0 else 0

    def index(self, name: str) -> int:
        """Leader index of a name."""
        return self.names.index(name)

    def allied(self, names: Sequence[str], step: int) -> bool:
        """Whether all ``names`` are active and in one faction at ``step`` (never, when the
        run lacks one of them)."""
        if any(n not in self.names for n in names):
            return False
        labels = {int(self.factions[step, self.index(n)]) for n in names}
        return len(labels) == 1 and min(labels) >= 0

    def allied_steps(self, names: Sequence[str], excluding: Sequence[str] = ()) -> list[int]:
        """Steps at which ``names`` are allied and none of ``excluding`` is with them."""
        out = []
        for step in range(len(self.months)):
            if not self.allied(names, step):
                continue
            label = self.factions[step, self.index(names[0])]
            if any(self.factions[step, self.index(x)] == label for x in excluding
                   if x in self.names):
                continue
            out.append(step)
        return out

    def step_of(self, month: str) -> int:
        """Step whose month is ``month`` (first one at or after it)."""
        for k, m in enumerate(self.months):
            if m >= month:
                return k
        return len(self.months)


def reduce_run(model, seed="") -> RunOutcome:
    """Reduce a finished run to a :class:`RunOutcome`."""
    first: dict[tuple[str, str, str], str] = {}
    months_of: dict[tuple[str, str, str], list[str]] = {}
    for e in model.event_log:
        key = (e["kind"], e["who"], e["what"])
        first.setdefault(key, e["month"])
        months_of.setdefault(key, []).append(e["month"])
    tallies = {
        t["assembly"]: (t["yes"], t["no"], t["absent"])
        for t in model.tallies
        if t["kind"] == "report"
    }
    holders: dict[str, list[str]] = {}
    for h in model.office_history:
        holders.setdefault(h["office"], []).append(h["holder"])
    months = [model.date_of_step(s).isoformat()[:7] for s in range(len(model.faction_history))]
    start, changes = politburo_history(model)
    return RunOutcome(
        seed=str(seed),
        months=months,
        names=[ld.name for ld in model.leader_list],
        factions=np.array(model.faction_history),
        first=first,
        tallies=tallies,
        recanted={ld.name for ld in model.leader_list if ld.recanted},
        refused={ld.name for ld in model.leader_list if ld.refused and not ld.recanted},
        holders=holders,
        ruling=list(model.ruling_history),
        months_of=months_of,
        delegations={a: dict(v) for a, v in model.region_votes.items()},
        politburo_start=start,
        politburo_changes=changes,
    )


# the events of the log that change a full membership of the Politburo: (kind, what) -> full?
POLITBURO_EVENTS = {("promotion", "Politburo"): True, ("demotion", "Politburo"): False,
                    ("expulsion", "Politburo"): False, ("expulsion", "party"): False,
                    ("death", ""): False}


def politburo_history(model) -> tuple[frozenset[str], list[tuple[str, str, bool]]]:
    """The Politburo's full members at the start (the scenario's) and every change of a
    full membership, read from the event log (:data:`POLITBURO_EVENTS`)."""
    start = frozenset(s.name for s in model.spec.leaders if s.politburo == "member")
    changes = [(e["month"], e["who"], POLITBURO_EVENTS[(e["kind"], e["what"])])
               for e in model.event_log if (e["kind"], e["what"]) in POLITBURO_EVENTS]
    return start, changes


# --------------------------------------------------------------------------------------
# criteria


@dataclass(frozen=True)
class Verdict:
    """An ensemble test's result: whether it passed, why (one short sentence with the
    numbers that decided it, e.g. "5–95% interval 66–85 excludes 65") and the statistic it
    judged, for a table cell (e.g. "66–85")."""

    passed: bool
    why: str
    shown: str


@dataclass(frozen=True)
class Criterion:
    """A validation criterion fixed in advance.

    ``measure(outcome)`` returns ``(value, hit)``: the simulated value (a month number for
    dated outcomes, NaN when it never happens; a count for tallies; 1/0 for yes-no
    outcomes) and whether the run hits the outcome as stated. ``kind`` is ``date``,
    ``count`` or ``share``. The criterion passes when the hit rate is at least
    ``threshold``, unless ``ensemble_test`` (a function of all values giving a
    :class:`Verdict`) is given: then the whole distribution decides and the hit rate is
    shown for information only.
    """

    id: str
    statement: str
    recorded: str
    record_ids: tuple[str, ...]
    kind: str
    measure: Callable[[RunOutcome], tuple[float, bool]]
    threshold: float = 0.6
    ensemble_test: Callable[[np.ndarray], Verdict] | None = None
    test_text: str = ""
    group: str = "main"


QUANTILE_METHOD = "inverted_cdf"
"""Every quantile of a scorecard (median, 5% and 95%) is an observed value of the runs
(numpy's ``inverted_cdf``): a count's interval is in whole delegates, and the interval an
ensemble test judges is the one the scorecard shows."""


def quantiles(values: np.ndarray, qs) -> np.ndarray:
    """Quantiles ``qs`` of the values (NaN dropped) as observed values
    (:data:`QUANTILE_METHOD`); empty when there is no value."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return np.zeros(0)
    return np.quantile(v, qs, method=QUANTILE_METHOD)


def _g(x: float) -> str:
    return f"{x:g}"


def interval_verdict(target: float, values: np.ndarray) -> Verdict:
    """The 5%–95% interval of the values (NaN dropped; observed values) contains
    ``target``."""
    q = quantiles(values, [0.05, 0.95])
    if q.size == 0:
        return Verdict(False, "no run has a value", "–")
    lo, hi = float(q[0]), float(q[1])
    ok = lo <= target <= hi
    shown = f"{_g(lo)}–{_g(hi)}"
    return Verdict(ok, f"5–95% interval {shown} {'contains' if ok else 'excludes'} "
                       f"{_g(target)}", shown)


def median_verdict(target: float, within: float, values: np.ndarray) -> Verdict:
    """The median of the values (NaN dropped; an observed value) lies within ``within`` of
    ``target``."""
    q = quantiles(values, [0.5])
    if q.size == 0:
        return Verdict(False, "no run has a value", "–")
    med = float(q[0])
    off = abs(med - target)
    ok = off <= within
    how = "within" if ok else "more than"
    return Verdict(ok, f"median {_g(med)} is {_g(off)} from {_g(target)} ({how} "
                       f"{_g(within)})", f"median {_g(med)}")


def interval_contains(target: float, values: np.ndarray) -> bool:
    """The 5%–95% interval of the values (NaN dropped) contains ``target``."""
    return interval_verdict(target, values).passed


def median_within(target: float, within: float, values: np.ndarray) -> bool:
    """The median of the values (NaN dropped) lies within ``within`` of ``target``."""
    return median_verdict(target, within, values).passed


def rate_text(rate: float, threshold: float | None = None) -> str:
    """A hit rate with two decimals, never rounded across ``threshold``: 0.599 against 0.6
    is shown as 0.59, not 0.60 (more decimals only when the threshold has them)."""
    if threshold is None:
        return f"{rate:.2f}"
    for d in range(2, 7):
        shown = round(rate, d)
        if (shown >= threshold) != (rate >= threshold) and rate < threshold:
            shown = math.floor(rate * 10**d + 1e-9) / 10**d
        if (shown >= threshold) == (rate >= threshold):
            return f"{shown:.{d}f}"
    return f"{rate:.6f}"


def cell_rate(row: dict) -> str:
    """A scorecard row's hit rate for a table cell: never rounded across the pass threshold
    (the row's ``shown``), so that a cell marked failed never reads as a pass."""
    return row.get("shown") or f"{row['hit_rate']:.2f}"


def hit_text(row: dict, star: bool = True) -> str:
    """A scored row's hit rate for a table cell: as :func:`score` showed it, never rounded
    across its threshold (0.599 against 0.6 is 0.59, :func:`cell_rate`); for a criterion
    that a test of the whole distribution decides, the plain hit rate, starred (``star``)
    as shown for information only."""
    if row.get("decided_by") == "ensemble":
        return f"{row['hit_rate']:.2f}" + ("*" if star else "")
    return cell_rate(row)


def title_of(statement: str, width: int = 44, lines: int = 2) -> str:
    """A figure title from a criterion's statement: first letter capitalised, wrapped to
    ``lines`` lines of at most ``width`` characters, cut with "…" when longer."""
    text = " ".join(str(statement).split())
    text = text[:1].upper() + text[1:]
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 2].rstrip() + " …"
    return "\n".join(wrapped)


def criteria_of(case: Case) -> tuple[Criterion, ...]:
    """The validation criteria of a case, in the order of its case file."""
    measures = measures_of(case)
    out = []
    for c in case.spec.criteria:
        m = measures[c.measure]
        test, text = None, ""
        if c.test == "interval_contains":
            test = partial(interval_verdict, m.spec.target)
            text = f"5%–95% interval contains {m.spec.target:g}"
        elif c.test == "median_within":
            test = partial(median_verdict, m.spec.target, m.spec.within)
            text = f"median within {m.spec.target:g} ± {m.spec.within:g}"
        out.append(Criterion(c.id, c.statement, c.recorded, tuple(c.record_ids),
                             m.value_kind, m, c.threshold, test, text, c.group))
    return tuple(out)


def score(criterion: Criterion, outcomes: Sequence[RunOutcome]) -> dict:
    """Score one criterion over an ensemble: recorded value, simulated median and 90%
    interval, hit rate, pass or fail, and why (``why``: the numbers that decided;
    ``decided_by``: ``"hit rate"`` or ``"ensemble"``; ``shown``: the statistic that
    decided, for a table cell)."""
    measured = [criterion.measure(o) for o in outcomes]
    values = np.array([v for v, _ in measured], dtype=float)
    hits = np.array([h for _, h in measured], dtype=bool)
    hit_rate = float(hits.mean()) if hits.size else 0.0
    if criterion.ensemble_test is not None:
        verdict = criterion.ensemble_test(values)
        passed, why, shown = verdict.passed, verdict.why, verdict.shown
        rule, decided_by = criterion.test_text, "ensemble"
    else:
        passed = hit_rate >= criterion.threshold
        shown = rate_text(hit_rate, criterion.threshold)
        why = f"hit rate {shown} {'≥' if passed else '<'} {criterion.threshold:g}"
        rule, decided_by = f"hit rate ≥ {criterion.threshold:g}", "hit rate"
    median, low, high = _summary(values, criterion.kind)
    return {
        "id": criterion.id,
        "statement": criterion.statement,
        "recorded": criterion.recorded,
        "median": median,
        "low": low,
        "high": high,
        "hit_rate": round(hit_rate, 4),
        "criterion": rule,
        "passed": bool(passed),
        "group": criterion.group,
        "decided_by": decided_by,
        "why": why,
        "shown": shown,
    }


def _summary(values: np.ndarray, kind: str) -> tuple:
    """Median and 5%/95% quantiles (observed values, :data:`QUANTILE_METHOD`), 'never'
    (dates) counted as later than any month."""
    if values.size == 0:
        return None, None, None
    if kind == "date":
        v = np.where(np.isnan(values), np.inf, values)
        q = np.quantile(v, [0.5, 0.05, 0.95], method=QUANTILE_METHOD)
        return tuple(NEVER if np.isinf(x) else month_label(x) for x in q)
    q = quantiles(values, [0.5, 0.05, 0.95])
    if q.size == 0:
        return None, None, None
    return tuple(round(float(x), 3) for x in q)


def scorecard(outcomes: Sequence[RunOutcome], criteria: Sequence[Criterion]) -> list[dict]:
    """Every criterion scored over ``outcomes``."""
    return [score(c, outcomes) for c in criteria]

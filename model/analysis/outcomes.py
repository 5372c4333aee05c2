"""Reduce a run to the form of the record, and score ensembles against criteria fixed in
advance (``docs/validation.md``).

:func:`reduce_run` turns a finished :class:`~model.model.SuccessionModel` into a small,
picklable :class:`RunOutcome`: the month of each office loss and expulsion, the factions of
every month, each assembly's tally, who recanted and who refused, who held which office.
:data:`CRITERIA` are the validation criteria of issue #3, each a function of one run;
:func:`scorecard` compares an ensemble of outcomes with the record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

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
            ``("expulsion", "Trotsky", "party")`` or ``("office_loss", "Trotsky",
            "War Commissar")``.
        tallies: ``assembly -> (yes, no, absent)`` for votes on the report.
        recanted, refused: leaders who recanted / refused to recant (and never recanted).
        holders: ``office -> list of holder names by step`` ('' when vacant).
        ruling: name of the ruling faction's leader at each step ('' if none).
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

    def index(self, name: str) -> int:
        """Leader index of a name."""
        return self.names.index(name)

    def allied(self, names: Sequence[str], step: int) -> bool:
        """Whether all ``names`` are active and in one faction at ``step``."""
        labels = {int(self.factions[step, self.index(n)]) for n in names}
        return len(labels) == 1 and min(labels) >= 0

    def allied_steps(self, names: Sequence[str], excluding: Sequence[str] = ()) -> list[int]:
        """Steps at which ``names`` are allied and none of ``excluding`` is with them."""
        out = []
        for step in range(len(self.months)):
            if not self.allied(names, step):
                continue
            label = self.factions[step, self.index(names[0])]
            if any(self.factions[step, self.index(x)] == label for x in excluding):
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
    for e in model.event_log:
        first.setdefault((e["kind"], e["who"], e["what"]), e["month"])
    tallies = {
        t["assembly"]: (t["yes"], t["no"], t["absent"])
        for t in model.tallies
        if t["kind"] == "report"
    }
    holders: dict[str, list[str]] = {}
    for h in model.office_history:
        holders.setdefault(h["office"], []).append(h["holder"])
    months = [model.date_of_step(s).isoformat()[:7] for s in range(len(model.faction_history))]
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
    )


# --------------------------------------------------------------------------------------
# criteria


def month_number(month: str) -> float:
    """``YYYY-MM`` as a number of months (for medians and intervals)."""
    y, m = month.split("-")[:2]
    return int(y) * 12 + int(m) - 1


def month_label(x: float) -> str:
    """Inverse of :func:`month_number` (rounded to the nearest month)."""
    k = int(round(x))
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


@dataclass(frozen=True)
class Criterion:
    """A validation criterion fixed in advance.

    ``measure(outcome)`` returns ``(value, hit)``: the simulated value (a month number for
    dated outcomes, NaN when it never happens; a count for tallies; 1/0 for yes-no
    outcomes) and whether the run hits the outcome as stated. ``kind`` is ``date``,
    ``count`` or ``share``. The criterion passes when the hit rate is at least
    ``threshold``, unless ``ensemble_test`` (a function of all values) is given.
    """

    id: str
    statement: str
    recorded: str
    record_ids: tuple[str, ...]
    kind: str
    measure: Callable[[RunOutcome], tuple[float, bool]]
    threshold: float = 0.6
    ensemble_test: Callable[[np.ndarray], bool] | None = None
    test_text: str = ""


TROIKA = ("Stalin", "Zinoviev", "Kamenev")
RIGHT = ("Stalin", "Bukharin", "Rykov", "Tomsky")
UNITED = ("Trotsky", "Zinoviev", "Kamenev")


def _first_step(steps: list[int]) -> int | None:
    return steps[0] if steps else None


def troika_formed(o: RunOutcome) -> tuple[float, bool]:
    """The troika is allied against Trotsky by mid-1923."""
    k = _first_step(o.allied_steps(TROIKA, excluding=("Trotsky",)))
    if k is None:
        return np.nan, False
    return month_number(o.months[k]), o.months[k] <= "1923-06"


def troika_break_step(o: RunOutcome) -> int | None:
    """First step, after the troika first formed, at which it is no longer allied."""
    formed = o.allied_steps(TROIKA)
    if not formed:
        return None
    together = set(formed)
    for k in range(formed[0], len(o.months)):
        if k not in together:
            return k
    return None


def troika_breaks(o: RunOutcome) -> tuple[float, bool]:
    """The troika breaks during 1925."""
    k = troika_break_step(o)
    if k is None:
        return np.nan, False
    return month_number(o.months[k]), "1925-01" <= o.months[k] <= "1925-12"


def trotsky_loses_war(o: RunOutcome) -> tuple[float, bool]:
    """Trotsky loses the War Commissariat within ±6 months of January 1925 and is still in
    the Politburo then."""
    month = o.first.get(("office_loss", "Trotsky", "War Commissar"))
    if month is None:
        return np.nan, False
    pb = o.first.get(("expulsion", "Trotsky", "Politburo"))
    still_in = pb is None or pb > month
    return month_number(month), "1924-07" <= month <= "1925-07" and still_in


def _dissent(o: RunOutcome) -> float:
    t = o.tallies.get("14th Congress")
    return float(t[1]) if t else np.nan


def congress14_dissent(o: RunOutcome) -> tuple[float, bool]:
    """The 14th Congress's dissenting count (hit: within ±20 of 65)."""
    no = _dissent(o)
    return no, bool(abs(no - 65) <= 20)


def stalin_right(o: RunOutcome) -> tuple[float, bool]:
    """Stalin is allied with Bukharin, Rykov and Tomsky through 1926–27 (every month)."""
    span = [k for k, m in enumerate(o.months) if "1926-01" <= m <= "1927-12"]
    allied = [k for k in span if o.allied(RIGHT, k)]
    share = len(allied) / len(span) if span else 0.0
    return share, bool(span) and len(allied) == len(span)


def united_opposition(o: RunOutcome) -> tuple[float, bool]:
    """Trotsky, Zinoviev and Kamenev are allied, in opposition to Stalin, during 1926."""
    steps = o.allied_steps(UNITED, excluding=("Stalin",))
    if not steps:
        return np.nan, False
    in_1926 = any(o.months[s].startswith("1926") for s in steps)
    return month_number(o.months[steps[0]]), in_1926


def trotsky_leaves_politburo(o: RunOutcome) -> tuple[float, bool]:
    """Trotsky leaves the Politburo within ±6 months of October 1926."""
    month = o.first.get(("expulsion", "Trotsky", "Politburo"))
    if month is None:
        return np.nan, False
    return month_number(month), "1926-04" <= month <= "1927-04"


def expelled_from_party(o: RunOutcome) -> tuple[float, bool]:
    """Trotsky and Zinoviev are expelled from the party by the end of 1927 (value: the
    later of the two months)."""
    t = o.first.get(("expulsion", "Trotsky", "party"))
    z = o.first.get(("expulsion", "Zinoviev", "party"))
    if t is None or z is None:
        return np.nan, False
    later = max(t, z)
    return month_number(later), later <= "1927-12"


def recantations(o: RunOutcome) -> tuple[float, bool]:
    """Zinoviev and Kamenev recant while Trotsky refuses."""
    hit = {"Zinoviev", "Kamenev"} <= o.recanted and "Trotsky" in o.refused
    return float(hit), hit


def stalin_general_secretary(o: RunOutcome) -> tuple[float, bool]:
    """Stalin holds the General Secretaryship throughout."""
    holders = o.holders.get("General Secretary", [])
    hit = bool(holders) and all(h == "Stalin" for h in holders)
    return float(hit), hit


def _interval_contains_65(values: np.ndarray) -> bool:
    v = values[~np.isnan(values)]
    if v.size == 0:
        return False
    lo, hi = np.quantile(v, [0.05, 0.95])
    return bool(lo <= 65 <= hi)


def _median_near_65(values: np.ndarray) -> bool:
    v = values[~np.isnan(values)]
    return bool(v.size) and abs(float(np.median(v)) - 65) <= 20


CRITERIA: tuple[Criterion, ...] = (
    Criterion("troika_by_mid_1923", "the troika (Stalin, Zinoviev, Kamenev) is allied "
              "against Trotsky by mid-1923", "1922-05..1923-12", ("troika_forms",), "date",
              troika_formed),
    Criterion("trotsky_loses_war", "Trotsky loses the War Commissariat within ±6 months of "
              "January 1925 and is still in the Politburo then", "1925-01",
              ("trotsky_loses_war",), "date", trotsky_loses_war),
    Criterion("troika_breaks_1925", "the troika breaks during 1925", "1925",
              ("troika_breaks",), "date", troika_breaks),
    Criterion("congress14_interval", "14th Congress: the 90% interval of the dissenting "
              "count contains 65", "65", ("congress14_vote",), "count", congress14_dissent,
              ensemble_test=_interval_contains_65, test_text="5%–95% interval contains 65"),
    Criterion("congress14_median", "14th Congress: the median dissenting count is within "
              "±20 of 65", "65", ("congress14_vote",), "count", congress14_dissent,
              ensemble_test=_median_near_65, test_text="median within 65 ± 20"),
    Criterion("stalin_right", "Stalin is allied with Bukharin, Rykov and Tomsky through "
              "1926–27", "1925–", ("stalin_right_alliance",), "share", stalin_right),
    Criterion("united_opposition_1926", "Trotsky, Zinoviev and Kamenev are allied (United "
              "Opposition) during 1926", "1926", ("united_opposition",), "date",
              united_opposition),
    Criterion("trotsky_leaves_politburo", "Trotsky leaves the Politburo within ±6 months of "
              "October 1926", "1926-10", ("trotsky_expelled_politburo",), "date",
              trotsky_leaves_politburo),
    Criterion("expelled_by_1927", "Trotsky and Zinoviev are expelled from the party by the "
              "end of 1927", "1927-11", ("trotsky_expelled_party", "zinoviev_expelled_party"),
              "date", expelled_from_party),
    Criterion("recantations", "Zinoviev and Kamenev recant while Trotsky refuses",
              "yes", ("zinoviev_recants", "kamenev_recants", "trotsky_refuses"), "share",
              recantations),
    Criterion("stalin_general_secretary", "Stalin holds the General Secretaryship "
              "throughout", "yes", (), "share", stalin_general_secretary),
)


def score(criterion: Criterion, outcomes: Sequence[RunOutcome]) -> dict:
    """Score one criterion over an ensemble: recorded value, simulated median and 90%
    interval, hit rate, pass or fail."""
    measured = [criterion.measure(o) for o in outcomes]
    values = np.array([v for v, _ in measured], dtype=float)
    hits = np.array([h for _, h in measured], dtype=bool)
    hit_rate = float(hits.mean()) if hits.size else 0.0
    if criterion.ensemble_test is not None:
        passed = criterion.ensemble_test(values)
        rule = criterion.test_text
    else:
        passed = hit_rate >= criterion.threshold
        rule = f"hit rate ≥ {criterion.threshold:g}"
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
    }


def _summary(values: np.ndarray, kind: str) -> tuple:
    """Median and 5%/95% quantiles, 'never' (dates) counted as later than any month."""
    if values.size == 0:
        return None, None, None
    if kind == "date":
        v = np.where(np.isnan(values), np.inf, values)
        q = np.quantile(v, [0.5, 0.05, 0.95], method="inverted_cdf")
        return tuple(NEVER if np.isinf(x) else month_label(x) for x in q)
    v = values[~np.isnan(values)]
    if v.size == 0:
        return None, None, None
    q = np.quantile(v, [0.5, 0.05, 0.95])
    return tuple(round(float(x), 3) for x in q)


def scorecard(outcomes: Sequence[RunOutcome],
              criteria: Sequence[Criterion] = CRITERIA) -> list[dict]:
    """Every criterion scored over ``outcomes``."""
    return [score(c, outcomes) for c in criteria]

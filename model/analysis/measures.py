"""The vocabulary of outcome measures from which a case file composes its criteria.

Each measure kind is a small function of a :class:`~model.analysis.outcomes.RunOutcome` and
of a measure spec of :mod:`model.cases.casefile` (the leaders, offices, assemblies and month
windows come from the case file, never from here). Each returns ``(value, hit)``: the
simulated value (a month number for dated measures, NaN when the thing never happens; a
count; or a share / 1-0 for yes-no measures) and whether the run hits the outcome as the
case states it.

Windows are ``(first, last)`` months ``YYYY-MM`` compared as text; ``''`` leaves an end
open. A leader the run does not have is never allied and has no events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.cases import casefile as cf

if TYPE_CHECKING:
    from model.analysis.outcomes import RunOutcome

# the kind of value each measure kind gives: a month, a count, or a share (1/0 included)
VALUE_KIND: dict[str, str] = {
    "event": "date",
    "alliance_forms": "date",
    "alliance_breaks": "date",
    "alliance_holds": "share",
    "stances": "share",
    "holds_office": "share",
    "tally": "count",
    "event_order": "share",
    "delegation": "share",
    "politburo_members": "share",
    "office_holders": "share",
}


def month_number(month: str) -> float:
    """``YYYY-MM`` as a number of months (for medians and intervals)."""
    y, m = month.split("-")[:2]
    return int(y) * 12 + int(m) - 1


def month_label(x: float) -> str:
    """Inverse of :func:`month_number` (rounded to the nearest month)."""
    k = int(round(x))
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def in_window(month: str, window: tuple[str, str]) -> bool:
    """Whether ``month`` lies in ``window`` (ends included, ``''`` open)."""
    first, last = window
    return (not first or month >= first) and (not last or month <= last)


def first_month(o: RunOutcome, event: str, who: str, what: str | None = None) -> str | None:
    """First month of an event of kind ``event`` of ``who`` (on ``what``; any when
    ``None``), or ``None``."""
    if what is not None:
        return o.first.get((event, who, what))
    months = [m for (k, w, _), m in o.first.items() if k == event and w == who]
    return min(months) if months else None


def months_in(o: RunOutcome, event: str, who: str, what) -> list[str]:
    """Every month of an event of kind ``event`` of ``who`` on ``what`` (one name, a list
    of names, or any when ``None``), in order."""
    whats = None if what is None else ([what] if isinstance(what, str) else list(what))
    found = [m for (k, w, x), ms in o.months_of.items() if k == event and w == who
             and (whats is None or x in whats) for m in ms]
    return sorted(found)


def event(o: RunOutcome, m: cf.EventMeasure) -> tuple[float, bool]:
    """Each leader of ``who`` has an ``event`` (e.g. loses an office, is expelled from a
    body, recants): value the latest of their first months; hit when it lies in ``window``
    and, with ``still_in``, none of them was out of that body by then. With ``hit =
    "any"``: value the latest of their first months in ``window``; hit when each of them has
    one there."""
    if m.hit == "any":
        inside = [[x for x in months_in(o, m.event, who, m.what) if in_window(x, m.window)]
                  for who in m.who]
        if any(not x for x in inside):
            return np.nan, False
        return month_number(max(x[0] for x in inside)), True
    months = [first_month(o, m.event, who, m.what) for who in m.who]
    if any(x is None for x in months):
        return np.nan, False
    month = max(months)
    hit = in_window(month, m.window)
    if m.still_in is not None:
        for who in m.who:
            out = o.first.get(("expulsion", who, m.still_in))
            hit = hit and (out is None or out > month)
    return month_number(month), hit


def alliance_forms(o: RunOutcome, m: cf.AllianceForms) -> tuple[float, bool]:
    """``members`` are in one faction with none of ``without`` (and, with ``max_size``, a
    faction of at most that many): value the first such month; hit when that month (``hit
    = "first"``) or any such month (``"any"``) is in ``window``."""
    steps = o.allied_steps(m.members, excluding=m.without)
    if m.max_size is not None:
        steps = [s for s in steps if o.faction_size(m.members[0], s) <= m.max_size]
    if not steps:
        return np.nan, False
    first = o.months[steps[0]]
    if m.hit == "first":
        return month_number(first), in_window(first, m.window)
    return month_number(first), any(in_window(o.months[s], m.window) for s in steps)


def break_step(o: RunOutcome, members) -> int | None:
    """First step, after ``members`` were first allied, at which they are not (the one
    definition of an alliance breaking)."""
    formed = o.allied_steps(members)
    if not formed:
        return None
    together = set(formed)
    for k in range(formed[0], len(o.months)):
        if k not in together:
            return k
    return None


def alliance_breaks(o: RunOutcome, m: cf.AllianceBreaks) -> tuple[float, bool]:
    """The alliance of ``members`` breaks (:func:`break_step`): value its month; hit in
    ``window``."""
    k = break_step(o, m.members)
    if k is None:
        return np.nan, False
    return month_number(o.months[k]), in_window(o.months[k], m.window)


def alliance_holds(o: RunOutcome, m: cf.AllianceHolds) -> tuple[float, bool]:
    """``members`` are allied in every month of ``window``: value the share of its months
    they are; hit when all (and the run has months in the window)."""
    span = [k for k, month in enumerate(o.months) if in_window(month, m.window)]
    allied = [k for k in span if o.allied(m.members, k)]
    share = len(allied) / len(span) if span else 0.0
    return share, bool(span) and len(allied) == len(span)


def stances(o: RunOutcome, m: cf.Stances) -> tuple[float, bool]:
    """Every leader of ``recant`` recanted and every one of ``refuse`` refused (1 or 0)."""
    hit = set(m.recant) <= o.recanted and set(m.refuse) <= o.refused
    return float(hit), hit


def holds_office(o: RunOutcome, m: cf.HoldsOffice) -> tuple[float, bool]:
    """``holder`` holds ``office`` at every month (1 or 0)."""
    holders = o.holders.get(m.office, [])
    hit = bool(holders) and all(h == m.holder for h in holders)
    return float(hit), hit


def tally(o: RunOutcome, m: cf.Tally) -> tuple[float, bool]:
    """The ``yes`` or ``no`` count of the vote on the report at ``assembly`` (NaN when there
    was none); hit when within ``within`` of ``target``."""
    t = o.tallies.get(m.assembly)
    value = float(t[0 if m.count == "yes" else 1]) if t else np.nan
    hit = m.target is not None and bool(abs(value - m.target) <= m.within)
    return value, hit


def event_order(o: RunOutcome, m: cf.EventOrder) -> tuple[float, bool]:
    """``first`` happens and ``then`` has not happened by its month (1 or 0; NaN when
    ``first`` never happens)."""
    a = first_month(o, m.first.event, m.first.who, m.first.what)
    if a is None:
        return np.nan, False
    b = first_month(o, m.then.event, m.then.who, m.then.what)
    hit = b is None or b > a
    return float(hit), hit


def delegation(o: RunOutcome, m: cf.Delegation) -> tuple[float, bool]:
    """The delegation of ``region`` at ``assembly`` votes against the report: value its
    share of no votes (NaN when it did not vote); hit when most of it voted no."""
    votes = o.delegations.get(m.assembly, {}).get(m.region)
    if not votes or sum(votes) == 0:
        return np.nan, False
    yes, no = votes
    return no / (yes + no), no > yes


def politburo_members(o: RunOutcome, m: cf.PolitburoMembers) -> tuple[float, bool]:
    """The Politburo's full members at the end of ``month``
    (:meth:`~model.analysis.outcomes.RunOutcome.politburo_at`) against the recorded
    ``members``, both restricted to the run's leaders: value the Jaccard overlap
    ``|A & B| / |A | B|``; hit when at least ``at_least``."""
    recorded = {n for n in m.members if n in o.names}
    simulated = o.politburo_at(m.month)
    union = recorded | simulated
    value = len(recorded & simulated) / len(union) if union else 1.0
    return value, value >= m.at_least


def office_holders(o: RunOutcome, m: cf.OfficeHolders) -> tuple[float, bool]:
    """The holder of each office of ``holders`` at the end of ``month`` (``''``: vacant or
    none of the run's leaders) against the record: value the share held as recorded; hit
    when at least ``at_least``."""
    step = sum(1 for x in o.months if x <= m.month) - 1
    if step < 0:
        return np.nan, False
    right = 0
    for office, recorded in m.holders.items():
        held = o.holders.get(office, [])
        holder = held[min(step, len(held) - 1)] if held else ""
        right += holder == recorded
    value = right / len(m.holders)
    return value, value >= m.at_least


KINDS = {
    "event": event,
    "alliance_forms": alliance_forms,
    "alliance_breaks": alliance_breaks,
    "alliance_holds": alliance_holds,
    "stances": stances,
    "holds_office": holds_office,
    "tally": tally,
    "event_order": event_order,
    "delegation": delegation,
    "politburo_members": politburo_members,
    "office_holders": office_holders,
}


@dataclass(frozen=True)
class Measure:
    """A named measure of a case, callable on a run: ``measure(outcome) -> (value, hit)``.
    Picklable (it carries its spec, not a closure), so worker processes can use it."""

    name: str
    spec: cf.MeasureSpec

    def __call__(self, o: RunOutcome) -> tuple[float, bool]:
        return KINDS[self.spec.kind](o, self.spec)

    @property
    def value_kind(self) -> str:
        """``date``, ``count`` or ``share``."""
        return VALUE_KIND[self.spec.kind]

    @property
    def text(self) -> str:
        return self.spec.text


def measures_of(case: cf.Case) -> dict[str, Measure]:
    """The case's named measures."""
    return {name: Measure(name, spec) for name, spec in case.spec.measures.items()}

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
    "no_event": "share",
    "leaves_office": "date",
    "successor": "share",
    "reversal": "date",
    "combination": "date",
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


def dated_hit(o: RunOutcome, month: str, window, who, still_in: str | None) -> bool:
    """Whether ``month`` lies in ``window`` and, with ``still_in``, none of ``who`` was
    out of that body by then (the hit of the dated measures :func:`event` and
    :func:`leaves_office`)."""
    if not in_window(month, window):
        return False
    if still_in is None:
        return True
    outs = (o.first.get(("expulsion", w, still_in)) for w in who)
    return all(out is None or out > month for out in outs)


def first_month(o: RunOutcome, event: str, who: str, what=None) -> str | None:
    """First month of an event of kind ``event`` of ``who`` (on ``what``, one name or a
    list of names, the earliest of them; any when ``None``), or ``None``."""
    if isinstance(what, str):
        return o.first.get((event, who, what))
    if what is not None:
        months = [m for x in what if (m := o.first.get((event, who, x))) is not None]
        return min(months) if months else None
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
    return month_number(month), dated_hit(o, month, m.window, m.who, m.still_in)


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
    """``holder`` holds ``office`` at every month of ``window`` (``hit = "any"``: at some
    month of it): 1 or 0."""
    holders = o.holders.get(m.office, [])
    span = [h for h, month in zip(holders, o.months, strict=False)
            if in_window(month, m.window)]
    held = [h == m.holder for h in span]
    hit = any(held) if m.hit == "any" else bool(span) and all(held)
    return float(hit), hit


def leaving_months(o: RunOutcome, who: str, offices) -> list[str]:
    """Every month at which ``who`` stops holding one of ``offices`` (he held it the month
    before and not this one), in order: the one definition of leaving an office, whatever
    took it (a vote, expulsion from the party, death)."""
    out = []
    for office in offices:
        holders = o.holders.get(office, [])
        out += [o.months[k] for k in range(1, min(len(holders), len(o.months)))
                if holders[k - 1] == who and holders[k] != who]
    return sorted(out)


def leaves_office(o: RunOutcome, m: cf.LeavesOffice) -> tuple[float, bool]:
    """Each leader of ``who`` leaves one of ``offices`` (:func:`leaving_months`; his first
    or, with ``hit = "last"``, his last such month): value the latest of them; hit in
    ``window`` and, with ``still_in``, none of them out of that body by then."""
    months = []
    for who in m.who:
        left = leaving_months(o, who, m.offices)
        if not left:
            return np.nan, False
        months.append(left[-1] if m.hit == "last" else left[0])
    month = max(months)
    return month_number(month), dated_hit(o, month, m.window, m.who, m.still_in)


def no_event(o: RunOutcome, m: cf.NoEvent) -> tuple[float, bool]:
    """None of ``who`` has an ``event`` (on ``what``) in ``window`` (1 or 0)."""
    hit = not any(in_window(x, m.window) for who in m.who
                  for x in months_in(o, m.event, who, m.what))
    return float(hit), hit


def successor(o: RunOutcome, m: cf.Successor) -> tuple[float, bool]:
    """The first leader to hold ``office`` after ``holder`` (vacant months and the holder
    himself skipped) is ``successor`` (1 or 0)."""
    holders = o.holders.get(m.office, [])
    if m.holder not in holders:
        return 0.0, False
    after = [h for h in holders[holders.index(m.holder):] if h and h != m.holder]
    hit = bool(after) and after[0] == m.successor
    return float(hit), hit


def reversal(o: RunOutcome, m: cf.Reversal) -> tuple[float, bool]:
    """At some month ``k`` of ``window`` a faction rules and the holder ``S`` of ``office``
    is not in it; within ``within`` months (to the end of the run at most) at least
    ``count`` leaders of that ruling faction are expelled from ``body``, and ``S`` still
    holds ``office`` at the end of that span. Value: the first such month. A minority
    that appeals to the larger body and wins (June 1957 in the second case's record)."""
    holders = o.holders.get(m.office, [])
    last = len(o.months) - 1
    for k, month in enumerate(o.months):
        if not in_window(month, m.window) or k >= len(holders) or not o.ruling[k:k + 1]:
            continue
        holder, ruler = holders[k], o.ruling[k]
        if not holder or not ruler or holder not in o.names or ruler not in o.names:
            continue
        label = o.factions[k, o.index(ruler)]
        if label < 0 or o.factions[k, o.index(holder)] == label:
            continue
        end = min(k + m.within, last)
        span = (month, o.months[end])
        rulers = [n for i, n in enumerate(o.names) if o.factions[k, i] == label]
        expelled = [n for n in rulers
                    if any(in_window(x, span) for x in months_in(o, "expulsion", n, m.body))]
        if len(expelled) >= m.count and end < len(holders) and holders[end] == holder:
            return month_number(month), True
    return np.nan, False


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
def combination(o: RunOutcome, m: cf.Combination, parts) -> tuple[float, bool]:
    """Every measure of ``all`` hits and none of ``none`` does (``parts``: the measures of
    both, by name); value the latest month among the dated measures of ``all``."""
    results = {name: parts[name](o) for name in m.all + m.none}
    hit = all(results[n][1] for n in m.all) and not any(results[n][1] for n in m.none)
    dated = [results[n][0] for n in m.all if parts[n].value_kind == "date"]
    if any(np.isnan(v) for v in dated):
        return np.nan, False
    return (max(dated) if dated else float(hit)), hit


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
    "no_event": no_event,
    "leaves_office": leaves_office,
    "successor": successor,
    "reversal": reversal,
    "combination": combination,
}


@dataclass(frozen=True)
class Measure:
    """A named measure of a case, callable on a run: ``measure(outcome) -> (value, hit)``.
    Picklable (it carries its spec, not a closure), so worker processes can use it."""

    name: str
    spec: cf.MeasureSpec
    parts: tuple[tuple[str, Measure], ...] = ()

    def __call__(self, o: RunOutcome) -> tuple[float, bool]:
        if self.parts:
            return KINDS[self.spec.kind](o, self.spec, dict(self.parts))
        return KINDS[self.spec.kind](o, self.spec)

    @property
    def value_kind(self) -> str:
        """``date``, ``count`` or ``share``."""
        return VALUE_KIND[self.spec.kind]

    @property
    def text(self) -> str:
        return self.spec.text


def measures_of(case: cf.Case) -> dict[str, Measure]:
    """The case's named measures (a combination carries the measures it combines)."""
    specs = case.spec.measures
    plain = {name: Measure(name, spec) for name, spec in specs.items()
             if spec.kind != "combination"}
    combined = {name: Measure(name, spec, tuple((p, plain[p]) for p in spec.all + spec.none))
                for name, spec in specs.items() if spec.kind == "combination"}
    return {name: plain.get(name) or combined[name] for name in specs}

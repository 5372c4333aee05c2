"""The vocabulary of outcome measures (model/analysis/measures.py), each on hand-built runs
with made-up leaders, offices and months."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from model.analysis import measures as ms
from model.analysis.outcomes import RunOutcome, month_label, month_number
from model.cases import casefile as cf

NAMES = ["Ann", "Bob", "Cid", "Dee"]


def months(start="2040-01", end="2041-12") -> list[str]:
    return [month_label(k) for k in range(int(month_number(start)), int(month_number(end)) + 1)]


def run(groups=None, *, first=None, tallies=None, recanted=(), refused=(), holders=None,
        inactive=None) -> RunOutcome:
    """``groups(month)``: the alliances of the month; everyone else alone."""
    ms_ = months()
    factions = np.zeros((len(ms_), len(NAMES)), dtype=int)
    for k, m in enumerate(ms_):
        labels = {n: 100 + i for i, n in enumerate(NAMES)}
        for g, members in enumerate(groups(m) if groups else []):
            for n in members:
                labels[n] = g
        for n in (inactive(m) if inactive else []):
            labels[n] = -1
        factions[k] = [labels[n] for n in NAMES]
    return RunOutcome(seed="t", months=ms_, names=list(NAMES), factions=factions,
                      first=dict(first or {}), tallies=dict(tallies or {}),
                      recanted=set(recanted), refused=set(refused), holders=dict(holders or {}))


def between(a, b, *members):
    return lambda m: [members] if a <= m <= b else []


def spec(**kw):
    """A measure spec validated as a case file would validate it."""
    return cf.CaseFile.model_validate({"measures": {"m": kw}}).measures["m"]


def measure(**kw):
    return ms.Measure("m", spec(**kw))


def test_in_window_open_and_closed_ends():
    assert ms.in_window("2040-05", ("", ""))
    assert ms.in_window("2040-05", ("2040-05", "2040-05"))
    assert not ms.in_window("2040-04", ("2040-05", ""))
    assert not ms.in_window("2040-06", ("", "2040-05"))


def test_event_month_window_and_latest_of_several():
    m = measure(kind="event", event="office_loss", who=["Ann"], what="Mint",
                window=["2040-06", "2040-12"])
    assert m(run(first={("office_loss", "Ann", "Mint"): "2040-07"})) == (
        month_number("2040-07"), True)
    assert m(run(first={("office_loss", "Ann", "Mint"): "2041-01"}))[1] is False
    value, hit = m(run())
    assert math.isnan(value) and not hit
    both = measure(kind="event", event="expulsion", who=["Ann", "Bob"], what="party",
                   window=["", "2041-06"])
    first = {("expulsion", "Ann", "party"): "2040-03", ("expulsion", "Bob", "party"): "2041-05"}
    assert both(run(first=first)) == (month_number("2041-05"), True)
    del first[("expulsion", "Bob", "party")]
    assert math.isnan(both(run(first=first))[0])


def test_event_still_in_a_body_and_any_what():
    m = measure(kind="event", event="office_loss", who=["Ann"], what="Mint",
                still_in="Politburo")
    loss = ("office_loss", "Ann", "Mint")
    assert m(run(first={loss: "2040-05"}))[1]
    assert m(run(first={loss: "2040-05", ("expulsion", "Ann", "Politburo"): "2040-09"}))[1]
    assert not m(run(first={loss: "2040-05", ("expulsion", "Ann", "Politburo"): "2040-05"}))[1]
    anything = measure(kind="event", event="recantation", who=["Bob"])
    got = anything(run(first={("recantation", "Bob", "x"): "2041-02",
                              ("recantation", "Bob", ""): "2040-11"}))
    assert got == (month_number("2040-11"), True)


def test_alliance_forms_first_or_any_month_without_outsiders():
    first = measure(kind="alliance_forms", members=["Ann", "Bob"], without=["Cid"],
                    window=["", "2040-06"])
    assert first(run(between("2040-03", "2041-01", "Ann", "Bob"))) == (
        month_number("2040-03"), True)
    assert not first(run(between("2040-08", "2041-01", "Ann", "Bob")))[1]
    with_cid = between("2040-03", "2041-01", "Ann", "Bob", "Cid")
    assert math.isnan(first(run(with_cid))[0])
    anymonth = measure(kind="alliance_forms", members=["Ann", "Bob"], window=["2041-01", ""],
                       hit="any")
    value, hit = anymonth(run(between("2040-10", "2041-02", "Ann", "Bob")))
    assert value == month_number("2040-10") and hit


def test_a_leader_the_run_lacks_is_never_allied():
    m = measure(kind="alliance_forms", members=["Ann", "Zed"])
    value, hit = m(run(between("2040-01", "2041-12", "Ann", "Bob")))
    assert math.isnan(value) and not hit


def test_alliance_breaks_after_it_first_formed():
    m = measure(kind="alliance_breaks", members=["Ann", "Bob"], window=["2041-01", "2041-12"])
    assert m(run(between("2040-02", "2041-03", "Ann", "Bob"))) == (
        month_number("2041-04"), True)
    assert not m(run(between("2040-02", "2040-05", "Ann", "Bob")))[1]
    assert math.isnan(m(run(between("2040-01", "2041-12", "Ann", "Bob")))[0])  # holds
    assert math.isnan(m(run())[0])  # never formed


def test_alliance_holds_share_of_the_window():
    m = measure(kind="alliance_holds", members=["Ann", "Bob"], window=["2041-01", "2041-12"])
    assert m(run(between("2040-06", "2041-12", "Ann", "Bob"))) == (1.0, True)
    assert m(run(between("2041-01", "2041-06", "Ann", "Bob"))) == (0.5, False)
    outside = measure(kind="alliance_holds", members=["Ann", "Bob"],
                      window=["2050-01", "2050-12"])
    assert outside(run(between("2040-01", "2041-12", "Ann", "Bob"))) == (0.0, False)


def test_stances():
    m = measure(kind="stances", recant=["Ann", "Bob"], refuse=["Cid"])
    assert m(run(recanted={"Ann", "Bob"}, refused={"Cid"})) == (1.0, True)
    assert m(run(recanted={"Ann"}, refused={"Cid"})) == (0.0, False)
    assert m(run(recanted={"Ann", "Bob"})) == (0.0, False)


def test_holds_office_every_month():
    m = measure(kind="holds_office", office="Mint", holder="Ann")
    n = len(months())
    assert m(run(holders={"Mint": ["Ann"] * n})) == (1.0, True)
    assert m(run(holders={"Mint": ["Ann"] * (n - 1) + [""]})) == (0.0, False)
    assert m(run()) == (0.0, False)


def test_tally_count_and_target():
    no = measure(kind="tally", assembly="Diet", target=50, within=10)
    assert no(run(tallies={"Diet": (300, 55, 5)})) == (55.0, True)
    assert no(run(tallies={"Diet": (300, 61, 5)})) == (61.0, False)
    value, hit = no(run())
    assert math.isnan(value) and not hit
    yes = measure(kind="tally", assembly="Diet", count="yes")
    assert yes(run(tallies={"Diet": (300, 55, 5)})) == (300.0, False)  # no target: no hit


def test_event_order():
    m = measure(kind="event_order", first={"event": "office_loss", "who": "Ann", "what": "Mint"},
                then={"event": "expulsion", "who": "Ann", "what": "Politburo"})
    loss, out = ("office_loss", "Ann", "Mint"), ("expulsion", "Ann", "Politburo")
    assert m(run(first={loss: "2040-05"})) == (1.0, True)
    assert m(run(first={loss: "2040-05", out: "2040-06"})) == (1.0, True)
    assert m(run(first={loss: "2040-05", out: "2040-05"})) == (0.0, False)
    assert math.isnan(m(run(first={out: "2040-05"}))[0])


def test_every_kind_has_a_function_and_a_value_kind():
    kinds = {a.__args__[0] for a in cf.MeasureSpec.__origin__.__args__
             for a in [a.model_fields["kind"].annotation]}
    assert kinds == set(ms.KINDS) == set(ms.VALUE_KIND)


@pytest.mark.parametrize("bad", [
    {"kind": "event", "event": "x", "who": ["Ann"], "window": ["2040-13", ""]},
    {"kind": "alliance_forms", "members": ["Ann"]},
    {"kind": "coup"},
    {"kind": "tally", "assembly": "Diet", "within": -1},
])
def test_bad_specs_are_refused(bad):
    with pytest.raises(ValidationError):
        spec(**bad)


@given(st.integers(0, 23), st.integers(0, 23))
def test_alliance_forms_value_is_the_first_allied_month(a, b):
    a, b = min(a, b), max(a, b)
    ms_ = months()
    m = measure(kind="alliance_forms", members=["Ann", "Bob"])
    value, hit = m(run(between(ms_[a], ms_[b], "Ann", "Bob")))
    assert value == month_number(ms_[a]) and hit


# ---- events at any time in a window, bloc size, delegations (issue #10 episodes) ---------


def test_event_any_finds_a_later_occurrence_in_the_window():
    o = run(first={("act", "Ann", "platform"): "2040-02"})
    o.months_of = {("act", "Ann", "platform"): ["2040-02", "2041-03"],
                   ("act", "Ann", "street"): ["2041-06"]}
    first_only = measure(kind="event", event="act", who=["Ann"], what="platform",
                         window=["2041-01", "2041-12"])
    assert first_only(o)[1] is False
    anytime = measure(kind="event", event="act", who=["Ann"], what=["platform", "street"],
                      window=["2041-01", "2041-12"], hit="any")
    value, hit = anytime(o)
    assert hit and value == month_number("2041-03")
    nobody = measure(kind="event", event="act", who=["Ann", "Bob"], what="platform",
                     window=["2041-01", "2041-12"], hit="any")
    assert nobody(o) == (pytest.approx(math.nan, nan_ok=True), False)


def test_alliance_forms_with_max_size_needs_a_small_bloc():
    big = run(between("2040-01", "2041-12", "Ann", "Bob", "Cid", "Dee"))
    small = run(lambda m: [("Ann", "Bob")] if m < "2041-01" else [("Ann", "Bob", "Cid", "Dee")])
    m = measure(kind="alliance_forms", members=["Ann", "Bob"], max_size=2, hit="any")
    assert m(big)[1] is False
    assert m(small)[1] is True


def test_delegation_votes_against_when_most_say_no():
    o = run()
    o.delegations = {"Congress": {"North": (10, 30), "South": (30, 10)}}
    north = measure(kind="delegation", assembly="Congress", region="North")
    south = measure(kind="delegation", assembly="Congress", region="South")
    assert north(o) == (0.75, True)
    assert south(o) == (0.25, False)
    missing = measure(kind="delegation", assembly="Other", region="North")
    assert missing(o)[1] is False


# --- the kinds a second case needs (issue #12): leaving an office by any road, an event that
# must not happen, the successor in an office, a body's majority reversed, combinations ---


def with_events(o: RunOutcome, events: dict, ruling=None) -> RunOutcome:
    """``o`` with every month of each ``(kind, who, what)`` event (and ``first`` to match)
    and the ruling faction's leader of each month."""
    o.months_of = {k: sorted(v) for k, v in events.items()}
    o.first = {k: min(v) for k, v in events.items()}
    if ruling is not None:
        o.ruling = [ruling(m) for m in o.months]
    return o


def test_event_what_may_list_several_the_earliest_counts():
    m = measure(kind="event", event="expulsion", who=["Ann"], what=["Central Committee", "party"],
                window=["", "2040-12"])
    assert m(run(first={("expulsion", "Ann", "party"): "2040-09"})) == (
        month_number("2040-09"), True)
    both = {("expulsion", "Ann", "party"): "2041-03",
            ("expulsion", "Ann", "Central Committee"): "2040-04"}
    assert m(run(first=both)) == (month_number("2040-04"), True)
    assert math.isnan(m(run(first={("expulsion", "Ann", "Politburo"): "2040-01"}))[0])


def held(*spans):
    """Holders of every month: ``(name, first, last)`` spans, vacant elsewhere."""
    return [next((n for n, a, b in spans if a <= m <= b), "") for m in months()]


def test_leaves_office_read_from_the_holders_first_or_last():
    """No office_loss event is needed: the holders show when he stopped holding it."""
    m = measure(kind="leaves_office", who=["Ann"], offices=["Mint"], window=["2040-01", "2040-12"])
    handed_on = held(("Ann", "2040-01", "2040-05"), ("Bob", "2040-06", "2041-12"))
    assert m(run(holders={"Mint": handed_on})) == (month_number("2040-06"), True)
    assert not m(run(holders={"Mint": held(("Ann", "2040-01", "2041-05"))}))[1]
    value, hit = m(run(holders={"Mint": held(("Ann", "2040-01", "2041-12"))}))
    assert math.isnan(value) and not hit
    two = {"Mint": held(("Ann", "2040-01", "2040-03")),
           "Army": held(("Ann", "2040-06", "2041-02"))}
    first = measure(kind="leaves_office", who=["Ann"], offices=["Mint", "Army"])
    last = measure(kind="leaves_office", who=["Ann"], offices=["Mint", "Army"], hit="last",
                   window=["2041-01", "2041-12"])
    assert first(run(holders=two))[0] == month_number("2040-04")
    assert last(run(holders=two)) == (month_number("2041-03"), True)
    still = measure(kind="leaves_office", who=["Ann"], offices=["Mint"], still_in="Politburo")
    gone = run(holders={"Mint": held(("Ann", "2040-01", "2040-05"))},
               first={("expulsion", "Ann", "Politburo"): "2040-06"})
    assert not still(gone)[1]


def test_holds_office_in_a_window_every_or_some_month():
    h = {"Mint": held(("Bob", "2040-01", "2040-05"), ("Ann", "2040-06", "2041-12"))}
    at_end = measure(kind="holds_office", office="Mint", holder="Ann",
                     window=["2041-12", "2041-12"])
    assert at_end(run(holders=h)) == (1.0, True)
    through = measure(kind="holds_office", office="Mint", holder="Ann", window=["2040-03", ""])
    assert through(run(holders=h)) == (0.0, False)
    some = measure(kind="holds_office", office="Mint", holder="Ann", window=["2040-03", "2040-06"],
                   hit="any")
    assert some(run(holders=h)) == (1.0, True)
    assert not some(run(holders={"Mint": held(("Ann", "2040-07", "2041-12"))}))[1]


def test_no_event_in_the_window():
    m = measure(kind="no_event", event="expulsion", who=["Ann", "Bob"], what="party",
                window=["", "2040-12"])
    assert m(run()) == (1.0, True)
    assert m(with_events(run(), {("expulsion", "Bob", "party"): ["2041-02"]})) == (1.0, True)
    assert m(with_events(run(), {("expulsion", "Bob", "party"): ["2040-02"]})) == (0.0, False)


def test_successor_skips_vacancies_and_needs_the_holder_to_leave():
    m = measure(kind="successor", office="Mint", holder="Ann", successor="Bob")
    gap = held(("Ann", "2040-01", "2040-05"), ("Bob", "2040-08", "2041-12"))
    assert m(run(holders={"Mint": gap})) == (1.0, True)
    other = held(("Ann", "2040-01", "2040-05"), ("Cid", "2040-06", "2040-09"),
                 ("Bob", "2040-10", "2041-12"))
    assert m(run(holders={"Mint": other})) == (0.0, False)
    assert m(run(holders={"Mint": held(("Ann", "2040-01", "2041-12"))})) == (0.0, False)
    assert m(run()) == (0.0, False)


def reversal_run(expelled_months, holder_after="Dee"):
    """Ann, Bob, Cid rule from 2040-06; Dee holds the Mint outside them; Bob and Cid are
    expelled from the Politburo in the given months."""
    o = run(between("2040-06", "2041-12", "Ann", "Bob", "Cid"),
            holders={"Mint": held(("Dee", "2040-01", "2040-07"), (holder_after, "2040-08",
                                                                    "2041-12"))})
    events = {("expulsion", n, "Politburo"): [m] for n, m in zip(["Bob", "Cid"], expelled_months,
                                                                 strict=False)}
    return with_events(o, events, ruling=lambda m: "Ann" if m >= "2040-06" else "")


def test_reversal_the_majority_loses_and_the_holder_keeps_his_office():
    m = measure(kind="reversal", office="Mint", window=["2040-01", "2040-12"])
    assert m(reversal_run(["2040-07", "2040-08"])) == (month_number("2040-06"), True)
    assert not m(reversal_run(["2040-07"]))[1]                       # only one expelled
    assert not m(reversal_run(["2040-07", "2041-05"]))[1]            # the second too late
    assert not m(reversal_run(["2040-07", "2040-08"], holder_after="Ann"))[1]  # he lost it
    early = measure(kind="reversal", office="Mint", window=["2041-01", "2041-12"])
    assert not early(reversal_run(["2040-07", "2040-08"]))[1]        # outside the window
    assert not m(with_events(run(holders={"Mint": held(("Dee", "2040-01", "2041-12"))}),
                             {}, ruling=lambda m: ""))[1]            # nobody rules


def test_combination_all_and_none_value_the_latest_dated_part():
    case = cf.CaseFile.model_validate({"measures": {
        "out": {"kind": "event", "event": "expulsion", "who": ["Ann"], "what": "Politburo"},
        "cc": {"kind": "event", "event": "expulsion", "who": ["Ann"], "what": "Central Committee"},
        "party": {"kind": "event", "event": "expulsion", "who": ["Ann"], "what": "party"},
        "both": {"kind": "combination", "all": ["out", "cc"], "none": ["party"]},
    }})
    both = ms.measures_of(cf.Case("t", None, case))["both"]
    assert both.value_kind == "date"
    events = {("expulsion", "Ann", "Politburo"): "2040-03",
              ("expulsion", "Ann", "Central Committee"): "2040-05"}
    assert both(run(first=events)) == (month_number("2040-05"), True)
    assert both(run(first=events | {("expulsion", "Ann", "party"): "2041-01"}))[1] is False
    value, hit = both(run(first={("expulsion", "Ann", "Politburo"): "2040-03"}))
    assert math.isnan(value) and not hit


@pytest.mark.parametrize("parts, problem", [
    ({"all": ["nothing"]}, "no measure named 'nothing'"),
    ({"all": ["inner"]}, "is itself a combination"),
])
def test_combination_refers_to_plain_measures(tmp_path, parts, problem):
    measures = {"out": {"kind": "event", "event": "expulsion", "who": ["Ann"]},
                "inner": {"kind": "combination", "all": ["out"]},
                "outer": {"kind": "combination", **parts}}
    spec = cf.CaseFile.model_validate({"measures": measures})
    problems = cf._structure_problems(spec)
    assert any(problem in p for p in problems), problems

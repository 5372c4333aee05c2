"""Property tests over seeds: invariants of the baseline run that must hold every month."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel

BASELINE = load_scenario("baseline")
DELEGATES = {a.name: a.delegates for a in BASELINE.assemblies}

seeds = st.integers(0, 10_000)


def run_checked(seed: int) -> SuccessionModel:
    """Run the baseline month by month, checking the per-month invariants."""
    m = SuccessionModel(BASELINE, rng=seed)
    expelled: set[int] = set()
    check_month(m, expelled)
    while m.running:
        m.step()
        check_month(m, expelled)
    assert m.steps == m.n_steps
    return m


def check_month(m: SuccessionModel, expelled: set[int]) -> None:
    # powers are never negative
    assert np.all(m.power >= 0), (m.steps, m.power)
    assert np.all(np.isfinite(m.power))
    for ld in m.leader_list:
        # every active leader is in exactly one faction, inactive ones in none
        if ld.active:
            assert m.faction[ld.idx] >= 0, (m.steps, ld.name)
            assert ld.idx in m.members(int(m.faction[ld.idx]))
        else:
            assert m.faction[ld.idx] == -1, (m.steps, ld.name)
        # prestige stays in [0, 1]
        assert 0.0 <= ld.prestige <= 1.0, (m.steps, ld.name, ld.prestige)
        if not ld.in_party:
            expelled.add(ld.idx)
    # factions partition the active leaders
    members = [j for lb in m.labels() for j in m.members(lb)]
    assert sorted(members) == [ld.idx for ld in m.leader_list if ld.active]
    # an expelled leader never returns to a faction, an office or a seat
    for t in expelled:
        ld = m.leader_list[t]
        assert not ld.in_party, (m.steps, ld.name)
        assert m.faction[t] == -1
        assert m.institutions.offices_of(t) == []
        assert m.politburo[t] == 0
        assert not ld.in_cc


@settings(max_examples=15, deadline=None)
@given(seeds)
def test_baseline_invariants_every_month(seed):
    m = run_checked(seed)
    frame = m.datacollector.get_agent_vars_dataframe()
    assert (frame["power"] >= 0).all()
    assert frame["prestige"].between(0.0, 1.0).all()


@settings(max_examples=15, deadline=None)
@given(seeds)
def test_tallies_add_up(seed):
    m = SuccessionModel(BASELINE, rng=seed).run()
    assert m.tallies, "the baseline always holds votes"
    reports = 0
    for t in m.tallies:
        assert min(t["yes"], t["no"], t["absent"]) >= 0, t
        assert t["yes"] + t["no"] + t["absent"] == t["delegates"], t
        if t["kind"] == "report":
            reports += 1
            assert t["delegates"] == DELEGATES[t["assembly"]], t
        else:
            assert t["absent"] == 0
    congresses = [a for a in BASELINE.assemblies if a.kind in ("congress", "conference")]
    assert reports == len(congresses)


@settings(max_examples=15, deadline=None)
@given(seeds)
def test_expelled_never_reappear_in_records(seed):
    m = SuccessionModel(BASELINE, rng=seed).run()
    names = {ld.name for ld in m.leader_list}
    expelled_at = {
        e["who"]: e["step"]
        for e in m.event_log
        if e["kind"] == "expulsion" and e["what"] == "party"
    }
    assert set(expelled_at) <= names
    frame = m.datacollector.get_agent_vars_dataframe().reset_index()
    id_to_name = {ld.unique_id: ld.name for ld in m.leader_list}
    frame["name"] = frame["AgentID"].map(id_to_name)
    for name, step in expelled_at.items():
        after = frame[(frame["name"] == name) & (frame["Step"] >= step)]
        assert not after["in_party"].any()
        assert (after["faction"] == "").all()
        assert (after["politburo"] == 0).all()
        held = [r for r in m.office_history if r["holder"] == name and r["step"] >= step]
        assert held == []
        later = [
            e for e in m.event_log
            if e["who"] == name and e["step"] > step
            and e["kind"] in ("appointment", "promotion", "coalition")
        ]
        assert later == []

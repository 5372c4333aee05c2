"""Patterns never fitted (issue #11, item 5): the two measures of membership and office
(model/analysis/measures.py) on hand-built runs, the Politburo's history read from the
event log, the scores (model/analysis/patterns.py) and the case file's agreement with the
record."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis import measures as ms
from model.analysis.outcomes import RunOutcome, reduce_run
from model.analysis.patterns import pattern_rows
from model.cases import casefile as cf
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel

NAMES = ["Ann", "Bob", "Cid", "Dee"]
MONTHS = ["2040-01", "2040-02", "2040-03", "2040-04"]


def run(start=(), changes=(), holders=None) -> RunOutcome:
    return RunOutcome(seed="t", months=list(MONTHS), names=list(NAMES),
                      factions=np.zeros((len(MONTHS), len(NAMES)), dtype=int), first={},
                      tallies={}, recanted=set(), refused=set(), holders=dict(holders or {}),
                      politburo_start=frozenset(start), politburo_changes=list(changes))


def members(month, names, at_least=0.75):
    return cf.PolitburoMembers(kind="politburo_members", month=month, members=names,
                               at_least=at_least)


def test_the_politburo_at_a_month_follows_the_changes_up_to_its_end():
    o = run({"Ann", "Bob"}, [("2040-02", "Cid", True), ("2040-03", "Ann", False)])
    assert o.politburo_at("2040-01") == {"Ann", "Bob"}
    assert o.politburo_at("2040-02") == {"Ann", "Bob", "Cid"}
    assert o.politburo_at("2040-04") == {"Bob", "Cid"}


def test_jaccard_overlap_with_the_recorded_members():
    o = run({"Ann", "Bob", "Cid"})
    assert ms.politburo_members(o, members("2040-01", ["Ann", "Bob", "Cid"])) == (1.0, True)
    value, hit = ms.politburo_members(o, members("2040-01", ["Ann", "Bob", "Dee"]))
    assert value == pytest.approx(2 / 4) and not hit  # {A, B} of {A, B, C, D}
    value, hit = ms.politburo_members(o, members("2040-01", ["Ann", "Bob"], at_least=0.6))
    assert value == pytest.approx(2 / 3) and hit


def test_recorded_members_the_run_lacks_are_left_out():
    o = run({"Ann"})
    assert ms.politburo_members(o, members("2040-01", ["Ann", "Zed"]))[0] == 1.0


def test_office_holders_share_as_recorded_at_the_month():
    o = run(holders={"Chair": ["Ann", "Ann", "Bob", "Bob"], "Pen": ["Cid", "", "", ""]})
    spec = cf.OfficeHolders(kind="office_holders", month="2040-02",
                            holders={"Chair": "Ann", "Pen": ""}, at_least=0.8)
    assert ms.office_holders(o, spec) == (1.0, True)
    later = spec.model_copy(update={"month": "2040-03"})
    assert ms.office_holders(o, later) == (0.5, False)
    before = spec.model_copy(update={"month": "2039-12"})
    value, hit = ms.office_holders(o, before)
    assert np.isnan(value) and not hit


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_politburo_read_from_the_log_is_the_models_at_the_end(seed):
    m = SuccessionModel(load_scenario("baseline"), rng=seed).run()
    o = reduce_run(m)
    final = {ld.name for ld in m.leader_list if m.politburo[ld.idx] == 2}
    assert o.politburo_at(o.months[-1]) == final


def test_pattern_scores_reward_the_record():
    case = case_of("baseline")
    measures = {p.measure for p in case.spec.patterns}
    assert measures  # the case declares patterns
    m = SuccessionModel(load_scenario("baseline"), rng=3).run()
    rows = pattern_rows([reduce_run(m)], case)
    for r in rows:
        assert 0 <= r["mean"] <= 1 and r["crps"] == pytest.approx(1 - r["mean"])
        assert r["brier"] == pytest.approx((1 - r["hit_rate"]) ** 2)


def test_the_case_files_patterns_agree_with_the_record():
    case = case_of("baseline")
    record = case.record.set_index("id")
    for p in case.spec.patterns:
        spec = case.spec.measures[p.measure]
        assert p.record_ids and all(r in record.index for r in p.record_ids), p.id
        if isinstance(spec, cf.PolitburoMembers):
            (rid,) = p.record_ids
            assert set(spec.members) == set(str(record.loc[rid, "who"]).split(";"))
            assert str(record.loc[rid, "date"])[:7] == spec.month
        if isinstance(spec, cf.OfficeHolders):
            rows = record.loc[p.record_ids]
            recorded = {r["what"]: ("" if str(r["who"]) == "nan" else str(r["who"]))
                        for _, r in rows.iterrows()}
            assert recorded == spec.holders

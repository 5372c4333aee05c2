"""Escalation along a repertoire (``acts.repertoire``, ``escalation``): a bloc may take only
acts no graver than one level of severity above the gravest its members have taken."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import acts, opposition, votes
from tests.test_rules import C, D, acts_taken, build, set_factions

SEVERITY = (1.0, 2.0, 2.0, 3.0, 4.0)  # criticism, platform, co-report, organise, street
ALL = np.ones(5, dtype=bool)
CRITICISM, PLATFORM, CO_REPORT, ORGANISE, STREET = range(5)


def held(gravest, available=ALL):
    return set(np.flatnonzero(acts.repertoire(SEVERITY, gravest, available)).tolist())


def test_the_repertoire_opens_one_level_of_severity_at_a_time():
    # the record's ladder: talk inside the leadership, then a written platform or a speech,
    # then an organisation, then the street
    assert held(0.0) == {CRITICISM}
    assert held(1.0) == {CRITICISM, PLATFORM, CO_REPORT}
    assert held(2.0) == {CRITICISM, PLATFORM, CO_REPORT, ORGANISE}
    assert held(3.0) == set(range(5))
    assert held(4.0) == set(range(5))


def test_a_leader_shut_out_of_the_leadership_starts_with_a_platform():
    outside = acts.available_acts(in_leadership=False, assembly_meets=False)
    assert held(0.0, outside) == {PLATFORM}
    assert held(1.0, outside) == {PLATFORM}
    assert held(2.0, outside) == {PLATFORM, ORGANISE}


def test_without_an_assembly_the_repertoire_holds_what_is_available():
    no_assembly = acts.available_acts(in_leadership=True, assembly_meets=False)
    assert held(1.0, no_assembly) == {CRITICISM, PLATFORM}


@given(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]), min_size=5, max_size=5),
       st.lists(st.booleans(), min_size=5, max_size=5), st.floats(0.0, 6.0),
       st.floats(0.0, 6.0))
@settings(max_examples=300, deadline=None)
def test_the_repertoire_is_available_nonempty_bounded_and_widens(severity, available, g1, g2):
    sev = np.array(severity)
    ok = np.array(available)
    low, high = sorted((g1, g2))
    narrow = acts.repertoire(sev, low, ok)
    wide = acts.repertoire(sev, high, ok)
    assert not (narrow & ~ok).any()  # never an act that is not available
    assert narrow.any() == ok.any()  # something to do whenever anything is available
    # no held act skips a level: between the past and any held act lies no severity of the
    # scale, unless nothing at the next level or below is available, and then only the
    # mildest available acts are held
    skips = [k for k in np.flatnonzero(narrow)
             if ((sev > low) & (sev < sev[k])).any()]
    if skips:
        above = sev[sev > low]
        assert above.size and not (ok & (sev <= above.min())).any()
        assert set(np.flatnonzero(narrow)) == set(np.flatnonzero(ok & (sev == sev[ok].min())))
    assert not (narrow & ~wide).any()  # a graver past only widens it


def test_act_values_close_the_acts_beyond_the_repertoire():
    reach = (0.2, 0.6, 0.8, 0.5, 1.0)
    open_ = acts.act_values(5.0, 1.0, 0.0, 0.1, SEVERITY, reach, True)
    first = acts.act_values(5.0, 1.0, 0.0, 0.1, SEVERITY, reach, True, gravest=0.0)
    assert np.isfinite(open_).all()
    assert np.isfinite(first[CRITICISM]) and first[CRITICISM] == open_[CRITICISM]
    assert (first[PLATFORM:] == -np.inf).all()


def _eager(**parameters):
    """C, outside the ruling faction, values the street most and acts every month."""
    m = build(act_drive=50.0, act_cost=0.0, act_fear=0.0, act_temperature=0.01,
              sanction_dread=0.0, **parameters)
    set_factions(m, [[0, 1], [C], [D]])
    m.positions[C] = [1.0, 1.0]
    return m


def test_each_act_is_at_most_one_level_above_the_gravest_before_it():
    done = acts_taken(_eager(), 12)
    assert done[0] == "criticism" and len(done) == 12
    assert done[1] == "platform"  # the next level opens the month after
    levels = sorted(set(SEVERITY))
    gravest = 0.0
    for act in done:
        severity = SEVERITY[acts.ACTS.index(act)]
        assert severity <= min((lv for lv in levels if lv > gravest), default=levels[-1])
        gravest = max(gravest, severity)


def test_without_escalation_the_street_is_open_from_the_first_month():
    assert acts_taken(_eager(escalation=False), 1) == ["street"]
    assert acts_taken(_eager(), 1) == ["criticism"]


def test_an_act_widens_its_authors_repertoire_and_his_blocs():
    m = _eager()
    ruling = votes.ruling_faction(m)
    opposition.apply_act(m, D, ORGANISE, ruling)
    assert m.leader_list[D].gravest_act == 3.0
    assert acts_taken(m, 1) == ["criticism"]  # D's past is not C's while they stand apart
    m = _eager()
    set_factions(m, [[0, 1], [C, D]])
    opposition.apply_act(m, D, ORGANISE, ruling)
    assert acts_taken(m, 1) == ["street"]  # the bloc shares its repertoire


def test_a_milder_act_does_not_narrow_the_repertoire():
    m = _eager()
    ruling = votes.ruling_faction(m)
    opposition.apply_act(m, C, ORGANISE, ruling)
    opposition.apply_act(m, C, CRITICISM, ruling)
    assert m.leader_list[C].gravest_act == 3.0

"""A refusal to recant binds (``refusal_binds``): an expelled leader who has refused weighs
recanting again only on news since (``sanctions.news_since_refusal``,
``Leader.reconsider_recant``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import sanctions
from tests.test_rules import A, B, C, D, build, set_factions, set_power

unit = st.floats(0.0, 1.0)


def test_no_news_when_nothing_has_changed():
    assert sanctions.news_since_refusal(0.3, 0.3, 0.5, 0.5) == 0.0


def test_news_is_the_fall_of_hope():
    assert sanctions.news_since_refusal(0.3, 0.1, 0.5, 0.5) == pytest.approx(0.2)


def test_news_is_the_share_of_the_gap_closed():
    # the ruling line came half way toward his (the left turn of 1929)
    assert sanctions.news_since_refusal(0.0, 0.0, 0.4, 0.2) == pytest.approx(0.5)
    assert sanctions.news_since_refusal(0.2, 0.1, 0.4, 0.2) == pytest.approx(0.6)


def test_a_rise_of_hope_or_a_wider_gap_is_no_news():
    assert sanctions.news_since_refusal(0.1, 0.4, 0.2, 0.6) == 0.0


def test_without_a_gap_at_the_refusal_only_hope_counts():
    assert sanctions.news_since_refusal(0.5, 0.5, 0.0, 0.0) == 0.0
    assert sanctions.news_since_refusal(0.5, 0.2, 0.0, 0.3) == pytest.approx(0.3)


def test_news_is_at_most_one():
    assert sanctions.news_since_refusal(1.0, 0.2, 0.5, 0.0) == 1.0


@given(unit, unit, unit, unit, unit, unit)
@settings(max_examples=300, deadline=None)
def test_news_is_a_share_and_falls_as_hope_rises_or_the_gap_widens(h0, h1, h2, g0, g1, g2):
    news = sanctions.news_since_refusal(h0, h1, g0, g1)
    assert 0.0 <= news <= 1.0
    low, high = sorted((h1, h2))
    assert sanctions.news_since_refusal(h0, high, g0, g1) <= (
        sanctions.news_since_refusal(h0, low, g0, g1))
    near, far = sorted((g1, g2))
    assert sanctions.news_since_refusal(h0, h1, g0, far) <= (
        sanctions.news_since_refusal(h0, h1, g0, near))


def _refuser(resolve: float = 0.0, **parameters):
    """C, expelled, alone in his bloc; the rulers are A and B."""
    m = build(**parameters)
    set_factions(m, [[A, B], [C], [D]])
    ld = m.leader_list[C]
    ld.resolve, ld.in_party, ld.expelled_at = resolve, False, -1
    return m, ld


def test_reconsider_recant_without_news_never_recants():
    m, ld = _refuser(resolve=0.0)
    ld.refused, ld.stand = True, (0.2, 0.3)
    assert not any(ld.reconsider_recant(0.2, 0.3) for _ in range(200))
    assert not any(ld.reconsider_recant(0.5, 0.6) for _ in range(200))


def test_reconsider_recant_on_full_news_follows_resolve():
    m, ld = _refuser(resolve=0.0)
    ld.refused, ld.stand = True, (1.0, 0.5)
    assert all(ld.reconsider_recant(0.0, 0.5) for _ in range(50))
    ld.resolve = 1.0
    assert not any(ld.reconsider_recant(0.0, 0.0) for _ in range(200))


def test_a_refusal_binds_while_nothing_changes():
    # resolve 0.5, no partner left in the party: the first answer is a coin; after a
    # refusal, months without news leave him where he stood
    kept = 0
    for seed in range(40):
        m, ld = _refuser(resolve=0.5, rng=seed)
        sanctions.answer_defeat(m, C, "")
        if ld.recanted:
            continue
        assert ld.refused and ld.stand is not None
        for _ in range(24):
            sanctions.answer_defeat(m, C, "")
        assert not ld.recanted
        kept += 1
    assert 5 < kept < 35  # the first answer is still a draw


def test_without_the_rule_he_draws_afresh_every_month():
    recanted = 0
    for seed in range(20):
        m, ld = _refuser(resolve=0.5, rng=seed, refusal_binds=False)
        for _ in range(24):
            sanctions.answer_defeat(m, C, "")
        recanted += ld.recanted
    assert recanted == 20  # 0.5 a month for two years


def test_the_fall_of_his_partners_is_news():
    # C refuses while his partner D is still in the party; D's expulsion is news
    m, ld = _refuser(resolve=0.0)
    set_factions(m, [[A, B], [C, D]])
    m.last_faction[C] = [C, D]
    ld.refused = True
    ld.stand = (sanctions.defeat_hope(m, C), 0.0)
    assert ld.stand[0] > 0.0
    assert not ld.reconsider_recant(sanctions.defeat_hope(m, C), 0.0)
    m.leader_list[D].in_party = False
    assert sanctions.defeat_hope(m, C) == 0.0
    # news = the whole of his former hope; with resolve 0 the chance is that share
    hits = sum(ld.reconsider_recant(0.0, 0.0) for _ in range(400))
    assert abs(hits / 400 - ld.stand[0]) < 0.1


def test_the_stand_is_the_worst_seen_at_a_refusal():
    m, ld = _refuser(resolve=1.0)  # never recants: every answer is a refusal
    m.positions[C] = [0.6, 0.6]  # the rulers stand at the origin
    sanctions.answer_defeat(m, C, "")
    assert ld.refused
    first = ld.stand
    assert first[1] > 0.0
    m.positions[C] = m.positions[C] + 0.5  # his line moves away: a wider gap
    sanctions.answer_defeat(m, C, "")
    assert ld.stand[1] == pytest.approx(first[1])  # the nearer gap is kept
    line = m.faction_line(m.faction[A])
    m.positions[C] = (m.positions[C] + line) / 2  # then half way toward the ruling line
    sanctions.answer_defeat(m, C, "")
    assert ld.stand[1] < first[1]  # news measured from here on
    refusals = [e for e in m.event_log if e["kind"] == "refusal"]
    assert len(refusals) == 1  # only the first refusal is logged


def test_the_first_answer_weighs_his_blocs_hope():
    # a partner still in the party, far stronger than the rulers: hope near 1, so a leader
    # of no resolve still refuses at once
    recanted = 0
    for seed in range(40):
        m, ld = _refuser(resolve=0.0, rng=seed)
        set_factions(m, [[A, B], [C, D]])
        m.last_faction[C] = [C, D]
        set_power(m, [1.0, 1.0, 0.0, 1000.0])
        sanctions.answer_defeat(m, C, "")
        recanted += ld.recanted
    assert recanted <= 2


def test_the_ruling_line_coming_half_way_is_even_odds():
    # he refuses with the rulers' line far from his; then their line comes half way
    recanted = 0
    for seed in range(200):
        m, ld = _refuser(resolve=1.0, rng=seed)
        m.positions[A] = m.positions[B] = [0.5, 0.5]
        m.positions[C] = [-0.5, -0.5]
        sanctions.answer_defeat(m, C, "")
        assert ld.refused and ld.stand[1] > 0.0
        ld.resolve = 0.0
        m.positions[A] = m.positions[B] = [0.0, 0.0]
        sanctions.answer_defeat(m, C, "")
        recanted += ld.recanted
    assert 70 < recanted < 130  # news 0.5 at resolve 0


def test_no_ruling_faction_is_no_news():
    m, ld = _refuser(resolve=1.0)
    m.positions[C] = [0.6, 0.6]
    sanctions.answer_defeat(m, C, "")
    stand = ld.stand
    ld.resolve = 0.0
    m.politburo[:] = 1  # no full members: no faction rules, no ruling line
    for _ in range(24):
        sanctions.answer_defeat(m, C, "")
    assert not ld.recanted and ld.stand == stand


def test_the_stand_keeps_the_least_hope():
    m, ld = _refuser(resolve=1.0)
    set_factions(m, [[A, B], [C, D]])
    m.last_faction[C] = [C, D]
    set_power(m, [1.0, 1.0, 0.0, 1.0])
    sanctions.answer_defeat(m, C, "")
    assert ld.stand[0] == pytest.approx(1 / 3)
    set_power(m, [1.0, 1.0, 0.0, 0.5])
    sanctions.answer_defeat(m, C, "")
    assert ld.stand[0] == pytest.approx(0.2)
    set_power(m, [1.0, 1.0, 0.0, 2.0])  # hope comes back: not what news is measured from
    sanctions.answer_defeat(m, C, "")
    assert ld.stand[0] == pytest.approx(0.2)


def test_before_any_refusal_reconsidering_is_the_first_answer():
    m, ld = _refuser(resolve=0.0)
    assert ld.stand is None
    assert ld.reconsider_recant(0.0, 0.5)  # (1 - 0)(1 - 0): he recants

"""The order of events, acts and assemblies within a month: an event dated to a day after one
of its month's assemblies waits for that assembly (:func:`model.engine.model.after_assembly`),
and so does an act whose day falls after it (``acts_dated``:
:func:`model.engine.opposition.act_day`, :meth:`~model.engine.model.SuccessionModel.catch_up`)."""

from __future__ import annotations

import pytest

from model.cases.scenario import validate
from model.engine import acts, opposition, sanctions, votes
from model.engine.model import SuccessionModel, after_assembly, day_of
from model.engine.rules import rule_family
from model.engine.spec import AssemblySpec
from tests.test_rules import A, B, C, D, build, scenario_dict, set_factions


class Assembly:
    def __init__(self, date: str):
        self.date = date


def test_day_of_reads_the_day_or_none():
    assert day_of("1924-01-21") == 21
    assert day_of("1924-01") == 0


def test_an_event_after_a_dated_assembly_waits_for_it():
    assert after_assembly("1924-01-21", [Assembly("1924-01-14"), Assembly("1924-01-16")])
    assert not after_assembly("1924-01-10", [Assembly("1924-01-14")])
    assert not after_assembly("1924-01-14", [Assembly("1924-01-14")])  # same day: before


def test_undated_events_and_assemblies_keep_the_old_order():
    assert not after_assembly("1924-01", [Assembly("1924-01-14")])
    assert not after_assembly("1924-01-21", [Assembly("1924-01")])
    assert not after_assembly("1924-01-21", [])


def alive_at_assemblies(death: str, plenum: str, second: str | None = None) -> dict:
    """Run the toy scenario with B dying on ``death`` and Plenum 1 on ``plenum`` (and a
    second plenum of the same month on ``second``); whether B was alive at each assembly
    of that month."""
    data = scenario_dict(paramount_shadow=False)
    data["assemblies"][0]["date"] = plenum
    if second:
        data["assemblies"].insert(1, {"name": "Plenum 1b", "kind": "plenum", "date": second})
    data["events"] = [{"kind": "death", "date": death, "leader": "B"}]
    m = SuccessionModel(validate(data, "test.toml"), rng=0)
    seen: dict[str, bool] = {}
    fill = m.institutions.fill_vacancies

    def watch(assembly):
        seen[assembly.name] = m.leader_list[B].alive
        return fill(assembly)

    m.institutions.fill_vacancies = watch
    for _ in range(3):
        m.step()
    return seen


def test_a_leader_who_dies_after_a_plenum_is_alive_at_it():
    assert alive_at_assemblies("2000-03-20", "2000-03-10") == {"Plenum 1": True}


def test_a_leader_who_dies_before_a_plenum_is_dead_at_it():
    assert alive_at_assemblies("2000-03-05", "2000-03-10") == {"Plenum 1": False}


def test_a_death_between_two_plenums_of_a_month_falls_between_them():
    # the plenum of the 10th comes after the one of the 25th in the file: days decide
    seen = alive_at_assemblies("2000-03-20", "2000-03-25", second="2000-03-10")
    assert seen == {"Plenum 1b": True, "Plenum 1": False}


def test_an_undated_death_opens_its_month():
    assert alive_at_assemblies("2000-03", "2000-03-10") == {"Plenum 1": False}


# ---- acts dated within their month (acts_dated) --------------------------------------------


def _dated_month(monkeypatch, act_days, plenum_dates=("2000-03-05", "2000-03-20"), *,
                 act=acts.PLATFORM, at_plenum=None, **overrides):
    """C, outside the ruling faction, takes ``act`` on each of ``act_days`` (one act a call
    of ``take_acts``, the days forced in turn) and plenums meet on ``plenum_dates``.
    ``at_plenum(model)`` runs at each plenum before its charge is read. Returns the model,
    C's charge as each plenum moved its sanctions, C's charge right after ``take_acts``,
    and the act's severity."""
    m = build(**overrides)
    set_factions(m, [[A, B], [C], [D]])
    days = iter(act_days)
    monkeypatch.setattr(type(m.leader_list[C]), "choose_act",
                        lambda self, *a: act if self.idx == C else acts.QUIET)
    monkeypatch.setattr(opposition, "act_day", lambda model: next(days))
    seen = []

    def plenum(model, a, **k):
        if at_plenum:
            at_plenum(model)
        seen.append(model.leader_list[C].charge)

    monkeypatch.setattr(sanctions, "move_sanctions", plenum)
    m.assemblies_at = {m.steps: [AssemblySpec(name=f"plenum {d}", kind="plenum", date=d)
                                 for d in plenum_dates]}
    m.late_events_at = {}
    for _ in act_days:
        opposition.take_acts(m)
    at_once = m.leader_list[C].charge
    m.hold_assemblies()
    return m, [pytest.approx(x) for x in seen], at_once, m.params.act_severity[act]


def acts_logged(m) -> list[tuple[str, str]]:
    return [(e["who"], e["what"]) for e in m.event_log if e["kind"] == "act"]


def test_a_plenum_judges_only_the_acts_dated_before_it_opened(monkeypatch):
    """Acts on the 12th and the 3rd: the plenum of the 5th sees the second, the plenum of
    the 20th both; neither is charged before the assemblies."""
    m, seen, at_once, sev = _dated_month(monkeypatch, [12, 3])
    assert at_once == 0.0
    assert seen == [sev, 2 * sev]
    assert acts_logged(m) == [("C", "platform"), ("C", "platform")]
    assert m.dated_acts == []


def test_an_act_on_a_plenums_opening_day_comes_after_it(monkeypatch):
    _, seen, _, sev = _dated_month(monkeypatch, [5])
    assert seen == [0.0, sev]


def test_an_act_after_the_months_last_assembly_is_taken_when_they_are_over(monkeypatch):
    m, seen, _, sev = _dated_month(monkeypatch, [25])
    assert seen == [0.0, 0.0]
    assert m.leader_list[C].charge == pytest.approx(sev)


def test_without_the_switch_every_act_comes_before_the_months_assemblies(monkeypatch):
    """``acts_dated`` off, as the ablation's rule family sets it: the old order."""
    _, seen, at_once, sev = _dated_month(monkeypatch, [25], **rule_family("acts_dated").off)
    assert at_once == pytest.approx(sev)
    assert seen == [sev, sev]


@pytest.mark.parametrize("dates", [("2000-03", "2000-03"), ("2000-03-05", "2000-03")])
def test_a_month_with_an_assembly_dated_only_to_the_month_takes_its_acts_at_once(
        monkeypatch, dates):
    """Nothing places an act after an assembly dated only to its month, whether every
    assembly of the month is so dated or one of them."""
    _, seen, at_once, sev = _dated_month(monkeypatch, [25], plenum_dates=dates)
    assert at_once == pytest.approx(sev)
    assert seen == [sev, sev]


def test_a_leader_expelled_from_the_bodies_at_a_plenum_loses_his_later_criticism(monkeypatch):
    """C chose criticism inside the leadership for the 10th; the plenum of the 5th takes his
    seats, so on the 10th he has no seat to speak from and the act lapses."""
    def expel(model):
        model.leader_list[C].in_cc = False
        model.politburo[C] = 0

    m, seen, _, _ = _dated_month(monkeypatch, [10], act=acts.CRITICISM, at_plenum=expel)
    assert seen == [0.0, 0.0]
    assert acts_logged(m) == []


def test_dated_acts_take_effect_in_the_order_of_their_days():
    """Chosen in the order C then D, dated the 12th and the 3rd: D's act comes first."""
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.dated_acts = [(12, C, acts.PLATFORM), (3, D, acts.PLATFORM)]
    m.catch_up([], None)
    assert acts_logged(m) == [("D", "platform"), ("C", "platform")]


def test_an_event_and_the_acts_around_it_fall_in_the_order_of_their_days():
    """C dies on the 10th (an event waiting for its day): his act of the 8th is taken, his
    act of the 12th lapses, and an event of the 12th comes before an act of the 12th."""
    data = scenario_dict(paramount_shadow=False)
    data["events"] = [{"kind": "death", "date": "2000-03-10", "leader": "C"}]
    m = SuccessionModel(validate(data, "test.toml"), rng=0)
    set_factions(m, [[A, B], [C], [D]])
    m.dated_acts = [(12, C, acts.PLATFORM), (8, C, acts.PLATFORM), (10, D, acts.PLATFORM)]
    assert m.catch_up(list(m.spec.events), None) == []
    assert [(e["who"], e["kind"]) for e in m.event_log if e["kind"] in ("act", "death")] == [
        ("C", "act"), ("C", "death"), ("D", "act")]


def test_an_act_against_a_coalition_that_has_broken_up_lapses():
    """No faction holds the Politburo's majority on the act's day: the act is not taken."""
    m = build()
    set_factions(m, [[A], [B], [C], [D]])
    assert votes.ruling_faction(m) < 0
    m.dated_acts = [(3, C, acts.PLATFORM)]
    m.catch_up([], None)
    assert acts_logged(m) == []
    assert m.dated_acts == []


def test_a_dated_act_lapses_when_its_author_may_no_longer_take_it():
    """A leader who has recanted, or lost the seat that criticism needs, does not take it;
    the others do."""
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[C].recanted = True
    m.leader_list[D].in_cc = False
    m.politburo[D] = 0
    m.dated_acts = [(3, C, acts.PLATFORM), (4, D, acts.CRITICISM), (5, D, acts.PLATFORM)]
    m.catch_up([], None)
    assert acts_logged(m) == [("D", "platform")]
    logged = [(e["kind"], e["who"], e["what"], e["detail"]) for e in m.event_log
              if e["kind"] in ("act", "act_lapsed")]
    assert [x[:3] for x in logged] == [("act_lapsed", "C", "platform"),
                                       ("act_lapsed", "D", "criticism"), ("act", "D", "platform")]
    assert [x[3].split(", ")[-1] for x in logged] == ["day 3", "day 4", "day 5"]


def test_a_month_without_assemblies_draws_no_day():
    """Acts in a month without assemblies take effect at once and draw nothing more from
    ``model.rng`` than without the switch: the post-Stalin case's runs do not change."""
    after = []
    for dated in (True, False):
        m = build(acts_dated=dated)
        set_factions(m, [[A, B], [C], [D]])
        m.assemblies_at = {}
        opposition.take_acts(m)
        after.append((m.rng.random(), [ld.charge for ld in m.leader_list]))
    assert after[0] == after[1]


def test_no_act_is_left_waiting_after_a_month(monkeypatch):
    """Through a year of the toy scenario with its plenums dated to the day, every act
    chosen is taken or lapses within its month."""
    data = scenario_dict(paramount_shadow=False)
    for a, day in zip(data["assemblies"], (10, 15, 20), strict=False):
        a["date"] = f"{a['date']}-{day:02d}"
    m = SuccessionModel(validate(data, "test.toml"), rng=3)
    held = []
    monkeypatch.setattr(opposition, "act_day", lambda model: held.append(1) or 28)
    while m.running:
        m.step()
        assert m.dated_acts == []
    assert held  # some act was dated


def test_act_days_fall_within_the_month_and_cover_it():
    """The day is uniform over the month's own days: February of a leap year has 29."""
    m = build()
    m.steps = next(k for k in range(24) if m.date_of_step(k).isoformat()[:7] == "2000-02")
    days = {opposition.act_day(m) for _ in range(2000)}
    assert days == set(range(1, 30))

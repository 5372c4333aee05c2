"""The order of events and assemblies within a month: an event dated to a day after one of
its month's assemblies waits for that assembly (:func:`model.engine.model.after_assembly`)."""

from __future__ import annotations

from model.cases.scenario import validate
from model.engine.model import SuccessionModel, after_assembly, day_of
from tests.test_rules import B, scenario_dict


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

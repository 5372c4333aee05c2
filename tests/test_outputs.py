"""Tests for the run tables, the comparison with the record and the run folder
(``model/outputs.py``, ``model/plots.py``)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel
from model.views import plots
from model.views.outputs import (
    CSV_FILES,
    KEY_EVENT_COLUMNS,
    TABLE_COLUMNS,
    key_events,
    offices_at_end,
    run_tables,
    write_run,
)

CASE = case_of("baseline")

EXPECTED_FILES = {f"{k}.csv" for k in CSV_FILES} | {
    "manifest.json", "power.png", "coalitions.png", "tallies.png",
}


def _run(seed: int) -> SuccessionModel:
    return SuccessionModel(load_scenario("baseline"), rng=seed).run()


@pytest.fixture(scope="module")
def model() -> SuccessionModel:
    return _run(0)


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    return CASE.record


@pytest.fixture(scope="module")
def tables(model) -> dict[str, pd.DataFrame]:
    return run_tables(model)


def test_tables_have_documented_columns(tables):
    assert set(tables) == set(TABLE_COLUMNS)
    for name, cols in TABLE_COLUMNS.items():
        assert list(tables[name].columns) == cols, name


def test_tables_cover_every_month_and_leader(model, tables):
    n_leaders = len(model.leader_list)
    months = tables["power"]["month"].unique()
    assert len(months) == model.steps + 1  # step 0 is the initial state
    assert months[0] == model.date_of_step(0).isoformat()[:7]
    assert months[-1] == model.spec.horizon.end
    assert len(tables["power"]) == n_leaders * len(months)
    assert tables["power"]["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert set(tables["power"]["leader"]) == {ld.name for ld in model.leader_list}


def test_factions_table_is_consistent(tables):
    fac = tables["factions"]
    assert fac["ruling"].dtype == bool
    assert (fac.loc[fac["faction"] == "", "faction_size"] == 0).all()
    active = fac.loc[fac["faction"] != ""]
    sizes = active.groupby(["month", "faction"])["leader"].transform("size")
    assert (active["faction_size"] == sizes).all()
    # all members of the ruling faction in a month carry the same label
    ruling = fac.loc[fac["ruling"]]
    assert (ruling.groupby("month")["faction"].nunique() == 1).all()


def test_tables_match_the_model_logs(model, tables):
    assert len(tables["events"]) == len(model.event_log)
    assert len(tables["tallies"]) == len(model.tallies)
    assert len(tables["offices"]) == len(model.office_history)


def test_key_events(model, record, tables):
    ke = key_events(model, CASE, tables)
    assert list(ke.columns) == KEY_EVENT_COLUMNS
    congress = ke.loc[ke["record_id"] == "congress14_vote"].iloc[0]
    assert congress["recorded"] == "559-65"
    assert congress["simulated"] == "never" or congress["simulated"].count("-") == 1
    ids = set(ke["record_id"]) - {""}
    assert {"trotsky_loses_war", "troika_forms", "troika_breaks", "united_opposition",
            "trotsky_expelled_party", "zinoviev_recants", "trotsky_refuses"} <= ids
    assert set(ids) <= set(record["id"])
    dates = ke.loc[ke["record_id"] != "congress14_vote", "simulated"]
    assert dates.str.fullmatch(r"never|\d{4}-\d{2}").all()


def test_offices_at_end(model, record):
    end = offices_at_end(model, record)
    assert list(end["office"]) == [o.name for o in model.spec.offices]
    gs = end.loc[end["office"] == "General Secretary"].iloc[0]
    assert gs["recorded"] == "Stalin"


def test_an_office_without_a_modelled_holder_is_named_by_how_it_is_filled():
    from types import SimpleNamespace

    from model.views.outputs import holder_label

    police = SimpleNamespace(kind="police", appointee=True)
    region = SimpleNamespace(kind="regional", appointee=False)
    commissariat = SimpleNamespace(kind="military", appointee=False)
    assert holder_label("Dzerzhinsky", police) == "Dzerzhinsky"
    assert holder_label("", police) == "(appointee)"
    assert holder_label("", region) == "(appointee)"
    assert holder_label("", commissariat) == "(vacant)"


def test_write_run_writes_everything(model, record, tmp_path):
    out = tmp_path / "nested" / "run"
    paths = write_run(model, out, scenario_source="baseline.toml", seed=0,
                      argv=["troika", "run"], case=CASE)
    assert {p.name for p in paths} == EXPECTED_FILES
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES
    assert [p.name for p in (tmp_path / "nested").iterdir()] == ["run"]  # no temp left
    for name in CSV_FILES:
        df = pd.read_csv(out / f"{name}.csv", keep_default_na=False)
        expected = KEY_EVENT_COLUMNS if name == "key_events" else TABLE_COLUMNS[name]
        assert list(df.columns) == expected
    info = json.loads((out / "manifest.json").read_text())
    assert info["scenario"]["name"] == "baseline"
    assert info["scenario"]["source"] == "baseline.toml"
    assert info["seed"] == 0
    assert info["parameters"] == model.params.model_dump(mode="json")
    assert set(info["versions"]) >= {"troika", "mesa", "numpy"}
    assert info["git_commit"]
    assert info["command"] == ["troika", "run"]
    for png in ("power.png", "coalitions.png", "tallies.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _csv_bytes(folder) -> dict[str, bytes]:
    return {f"{k}.csv": (folder / f"{k}.csv").read_bytes() for k in CSV_FILES}


def test_same_seed_same_bytes_different_seed_differs(record, tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_run(_run(seed), tmp_path / name, seed=seed, case=CASE)
    a, b, c = (_csv_bytes(tmp_path / n) for n in "abc")
    assert a == b
    assert a != c


def test_failure_leaves_nothing(model, record, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(plots, "plot_coalitions", boom)
    out = tmp_path / "parent" / "run"
    with pytest.raises(RuntimeError, match="figure failed"):
        write_run(model, out, seed=0, case=CASE)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # not even the parent or a temporary folder


def test_failure_keeps_an_existing_folder_untouched(model, record, tmp_path, monkeypatch):
    out = tmp_path / "run"
    out.mkdir()
    (out / "power.csv").write_text("old\n")

    def boom(*args, **kwargs):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(plots, "plot_tallies", boom)
    with pytest.raises(RuntimeError):
        write_run(model, out, seed=0, case=CASE)
    assert [p.name for p in out.iterdir()] == ["power.csv"]
    assert (out / "power.csv").read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_leader_colours_are_stable():
    fixed = CASE.spec.plots.colours
    a = plots.leader_colours(["Trotsky", "Stalin", "Molotov", "Kalinin"], fixed)
    b = plots.leader_colours(["Kalinin", "Stalin"], fixed)
    assert a["Stalin"] == b["Stalin"] and a["Trotsky"] != a["Stalin"]
    assert len({a["Molotov"], a["Kalinin"], a["Stalin"], a["Trotsky"]}) == 4


def test_key_events_follow_the_case_file(model, tables):
    ke = key_events(model, CASE, tables)
    assert list(ke["outcome"]) == [e.label for e in CASE.spec.key_events]
    war = ke.loc[ke["record_id"] == "trotsky_loses_war", "simulated"].iloc[0]
    losses = [e["month"] for e in model.event_log
              if (e["kind"], e["who"], e["what"]) == ("office_loss", "Trotsky", "War Commissar")]
    assert war == (losses[0] if losses else "never")

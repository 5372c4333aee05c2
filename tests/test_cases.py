"""Every command on any case: the fictional example case (scenarios/example_triad), a case
folder with a scenario and nothing else, and case files with mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from model.cases.casefile import case_of, load_case
from model.cases.scenario import SCENARIO_DIR, ScenarioError

EXAMPLE = SCENARIO_DIR / "example_triad"


def troika(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, check=False)


@pytest.fixture
def bare(tmp_path) -> Path:
    """A case folder with one scenario and no case file, no record."""
    folder = tmp_path / "bare_case"
    folder.mkdir()
    shutil.copy(EXAMPLE / "triad.toml", folder / "triad.toml")
    text = (EXAMPLE / "founder_lives.toml").read_text(encoding="utf-8")
    (folder / "lives.toml").write_text(text, encoding="utf-8")
    return folder


def test_the_example_case_loads_with_its_record():
    case = case_of("triad")
    assert case.name == "example_triad" and case.record is not None
    assert [c.id for c in case.spec.criteria] == ["pact_by_mid_2030", "second_assembly_median"]


def test_run_prints_the_cases_key_events(tmp_path):
    res = troika("run", "triad", "--seed", "1", "--out", str(tmp_path / "r"))
    assert res.returncode == 0, res.stderr
    assert "Brask and Dalmer allied" in res.stdout
    assert "Trotsky" not in res.stdout and "14th Congress" not in res.stdout
    assert (tmp_path / "r" / "key_events.csv").read_text().count("\n") == 5


def test_validate_ensemble_compare_ablate_on_the_example(tmp_path):
    res = troika("validate", "triad", "--runs", "4", "--workers", "1", "--out",
                 str(tmp_path / "v"), "--json", str(tmp_path / "v.json"))
    assert res.returncode == 0, res.stderr
    card = json.loads((tmp_path / "v.json").read_text())
    assert card["model"]["total"] == 2
    assert {p.name for p in (tmp_path / "v").iterdir()} >= {"dates.png", "alliances.png"}
    res = troika("ensemble", "triad", "--runs", "4", "--workers", "1", "--out",
                 str(tmp_path / "e"))
    assert res.returncode == 0, res.stderr
    head = (tmp_path / "e" / "runs.csv").read_text().splitlines()[0]
    assert "pact_formed" in head and "pact_by_mid_2030.hit" in head
    res = troika("compare", "triad", "founder_lives", "--runs", "3", "--workers", "1", "--out",
                 str(tmp_path / "c"))
    assert res.returncode == 0, res.stderr
    assert "Brask leads the ruling faction" in (tmp_path / "c" / "compare.md").read_text()
    res = troika("ablate", "triad", "--runs", "2", "--workers", "1", "--rules",
                 "grudges", "--out", str(tmp_path / "a"))
    assert res.returncode == 0, res.stderr
    assert "pact_by_mid_2030" in (tmp_path / "a" / "ablation.csv").read_text()


def test_sensitivity_and_calibrate_on_the_example(tmp_path):
    pytest.importorskip("SALib")
    res = troika("sensitivity", "triad", "--n", "2", "--seeds", "1", "--workers", "1",
                 "--out", str(tmp_path / "s"))
    assert res.returncode == 0, res.stderr
    assert "hit_pact_by_mid_2030" in (tmp_path / "s" / "sensitivity.csv").read_text()
    # the example's time split (2030-12) comes before both its targets: fit them all
    res = troika("calibrate", "triad", "--population", "4", "--generations", "1",
                 "--seeds-per-particle", "1", "--workers", "1", "--refine-top", "2",
                 "--refine-runs", "2", "--fit-until", "none", "--out", str(tmp_path / "k"))
    assert res.returncode == 0, res.stderr
    toml = (tmp_path / "k" / "calibrated.toml").read_text()
    assert 'extends = "triad"' in toml and "targets: pact_breaks, second_dissent" in toml
    assert "brask_keeps_secretariat" in (tmp_path / "k" / "out_of_sample.csv").read_text()


def test_scenarios_lists_every_case():
    res = troika("scenarios")
    assert res.returncode == 0
    names = [line.split()[0] for line in res.stdout.splitlines()]
    assert "bolshevik_1922/baseline" in names and "example_triad/triad" in names
    assert not any(n.endswith("/case") for n in names)


def test_a_bare_case_runs_ensembles_and_compares(bare, tmp_path):
    assert load_case(bare).record is None
    res = troika("run", str(bare / "triad.toml"), "--out", str(tmp_path / "r"))
    assert res.returncode == 0, res.stderr
    assert "none declared" in res.stdout
    res = troika("ensemble", str(bare / "triad.toml"), "--runs", "3", "--workers", "1",
                 "--out", str(tmp_path / "e"))
    assert res.returncode == 0, res.stderr
    res = troika("validate", str(bare / "triad.toml"), "--runs", "3", "--out",
                 str(tmp_path / "v"))
    assert res.returncode == 0
    assert res.stdout.strip().count("\n") == 0 and "nothing to score" in res.stdout
    assert not (tmp_path / "v").exists()
    res = troika("compare", str(bare / "triad.toml"), str(bare / "lives.toml"), "--runs", "2",
                 "--out", str(tmp_path / "c"))
    assert res.returncode == 0 and "nothing to compare" in res.stdout


def test_scenarios_of_two_cases_are_not_compared(tmp_path):
    res = troika("compare", "baseline", "triad", "--runs", "2", "--out", str(tmp_path / "c"))
    assert res.returncode == 2 and "one case" in res.stderr
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(("text", "where"), [
    ('[[criteria]]\nid = "x"\nstatement = "s"\nmeasure = "nothing"\n',
     "criteria.0.measure: no measure named 'nothing'"),
    ('[measures.m]\nkind = "stances"\nrecant = ["Zed"]\n',
     "measures.m.recant: 'Zed' is not a leader"),
    ('[measures.m]\nkind = "tally"\nassembly = "Third Assembly"\n',
     "measures.m.assembly: 'Third Assembly' is not a assembly"),
    ('[measures.m]\nkind = "coup"\n', "measures.m"),
    ('colour = "red"\n', "colour: unknown field"),
    ("criteria = [\n", "toml"),
])
def test_case_file_problems_are_one_line_each_exit_2(bare, tmp_path, text, where):
    (bare / "case.toml").write_text('baseline = "triad"\n' + text, encoding="utf-8")
    load_case.cache_clear()
    with pytest.raises(ScenarioError) as info:
        load_case(bare)
    assert any(where in line for line in info.value.lines), info.value.lines
    assert all(line.startswith(str(bare / "case.toml")) for line in info.value.lines)
    res = troika("run", str(bare / "triad.toml"), "--out", str(tmp_path / "r"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert where in res.stderr
    assert not (tmp_path / "r").exists()


def test_a_bad_record_row_is_reported_through_the_case(bare):
    (bare / "case.toml").write_text('baseline = "triad"\nrecord = "record.csv"\n',
                                    encoding="utf-8")
    (bare / "record.csv").write_text(
        (EXAMPLE / "record.csv").read_text(encoding="utf-8")
        + "ghost,2031-01-01,,recantation,Zed,,,made up,S,\n", encoding="utf-8")
    load_case.cache_clear()
    with pytest.raises(ScenarioError, match="row ghost: who 'Zed' is not a known leader"):
        load_case(bare)


def test_the_app_draws_the_example_case_headless():
    pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")
    import solara

    from model.views import app_panels, webapp

    setup = webapp.setup_of("triad")
    case = setup.case
    model = webapp.build_model(setup.defaults, setup.spec)
    for _ in range(12):
        model.step()
    fig = app_panels.power_figure(model, case)
    lines = {ln.get_gid() for ln in fig.axes[0].get_lines()}
    assert {"Brask", "Corvin", "Dalmer"} <= lines
    assert [label for _, label in app_panels.recorded_events(case)] == [
        "the founder dies", "Corvin loses Defence"]
    app_panels.factions_html(model, case)
    app_panels.tally_figure(model, case.record)
    box, rc = solara.render(webapp.AppPage("triad"), handle_error=False)
    rc.close()

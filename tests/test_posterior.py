"""Uncertain inputs and the posterior carried into every run (issue #11, items 2 and 4):
the priors the provenance ledger gives (model/analysis/inputs.py), ``--posterior FILE``
(model/analysis/posterior.py) and a calibration over inputs and parameters."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.analysis.calibration import BASELINE_OWN, PRIORS, calibrate, posterior_rows, priors_for
from model.analysis.ensemble import run_ensemble
from model.analysis.inputs import InputPrior, apply_values, input_space
from model.analysis.posterior import PosteriorError, load_posterior
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario, resolve_path

SCENARIO = load_scenario("baseline")
LEDGER = resolve_path("baseline").parent / "provenance.csv"


def _ledger(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "provenance.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["input", "value", "source_or_proxy", "kind", "set_before_output", "note"])
        for name, kind in rows:
            w.writerow([name, "", "", kind, "yes", ""])
    return path


def _posterior(tmp_path: Path, header: list[str], rows: list[list], name="post.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


# --- the rule: a prior from each ledger entry's kind -------------------------------------

def test_the_kind_of_an_entry_sets_the_width_of_its_prior(tmp_path):
    stalin = next(ld for ld in SCENARIO.leaders if ld.name == "Stalin")
    ledger = _ledger(tmp_path, [("leaders.Stalin.prestige", "proxy"),
                                ("leaders.Stalin.ambition", "judgement"),
                                ("leaders.Stalin.resolve", "source")])
    space = input_space(SCENARIO, ledger)
    by = {p.path: p for p in space.priors}
    assert set(by) == {"leaders.Stalin.prestige", "leaders.Stalin.ambition"}  # source: fixed
    p = by["leaders.Stalin.prestige"]
    assert (p.low, p.high) == pytest.approx((stalin.prestige - 0.1, stalin.prestige + 0.1))
    a = by["leaders.Stalin.ambition"]
    assert (a.low, a.high) == pytest.approx((stalin.ambition - 0.2, stalin.ambition + 0.2))


def test_a_prior_is_clipped_to_the_fields_bounds(tmp_path):
    ledger = _ledger(tmp_path, [("leaders.Trotsky.prestige", "judgement")])
    (p,) = input_space(SCENARIO, ledger).priors
    assert p.high == 1.0 and p.low == pytest.approx(0.9 - 0.2)


def test_a_patron_keeps_its_value_on_the_lower_part_of_its_coordinate():
    p = InputPrior("regions.X.patron", "judgement", "A", 0.0, 1.0, ("B", "C"))
    assert p.value_at(0.0) == "A" and p.value_at(0.49) == "A"  # keep 0.5 for a judgement
    assert p.value_at(0.6) == "B" and p.value_at(0.99) == "C"
    q = InputPrior("regions.X.patron", "proxy", "A", 0.0, 1.0, ("B",))
    assert q.value_at(0.79) == "A" and q.value_at(0.81) == "B"  # keep 0.8 for a proxy


def test_members_are_scaled_by_the_factor():
    p = InputPrior("regions.X.members", "judgement", 1000, 0.75, 1.25)
    assert p.value_at(1.2) == 1200 and p.value_at(0.75) == 750


def test_the_case_ledger_gives_priors_to_leaders_and_regions():
    space = input_space(SCENARIO, LEDGER)
    tables = {p.table for p in space.priors}
    assert tables == {"leaders", "regions"}
    assert all(p.low < p.high for p in space.priors)


def test_applying_values_changes_only_those_inputs():
    sc = apply_values(SCENARIO, {"leaders.Stalin.prestige": 0.1,
                                 "regions.Leningrad.patron": "Stalin"})
    assert next(ld for ld in sc.leaders if ld.name == "Stalin").prestige == 0.1
    assert next(r for r in sc.regions if r.name == "Leningrad").patron == "Stalin"
    assert next(ld for ld in SCENARIO.leaders if ld.name == "Stalin").prestige != 0.1
    assert [ld.name for ld in sc.leaders] == [ld.name for ld in SCENARIO.leaders]
    with pytest.raises(ValueError, match="no such entry"):
        apply_values(SCENARIO, {"leaders.Nobody.prestige": 0.5})


# --- the posterior file --------------------------------------------------------------------

HEADER = ["act_drive", "leaders.Stalin.prestige", "regions.Leningrad.patron", "weight",
          "distance"]


def test_every_run_draws_a_particle_from_its_seed(tmp_path):
    path = _posterior(tmp_path, HEADER, [[0.5, 0.0, "Zinoviev", 1, 0.1],
                                         [0.5, 1.0, "Stalin", 1, 0.2]])
    post = load_posterior(path, SCENARIO)
    picks = [post.pick(7, k) for k in range(40)]
    assert picks == [post.pick(7, k) for k in range(40)]  # deterministic
    assert set(picks) == {0, 1}  # both particles drawn
    for k in range(6):
        sc, over = post.draw(SCENARIO, 7, k)
        row = post.rows[post.pick(7, k)]
        assert next(ld for ld in sc.leaders if ld.name == "Stalin").prestige == \
            row["leaders.Stalin.prestige"]
        assert next(r for r in sc.regions if r.name == "Leningrad").patron == \
            row["regions.Leningrad.patron"]
        assert over == {"act_drive": 0.5}


def test_a_weightless_particle_is_never_drawn(tmp_path):
    path = _posterior(tmp_path, HEADER, [[0.5, 0.0, "Zinoviev", 0, 0], [0.5, 1.0, "Stalin", 3, 0]])
    post = load_posterior(path, SCENARIO)
    assert {post.pick(1, k) for k in range(30)} == {1}


def test_runs_under_a_posterior_are_deterministic_and_use_the_drawn_inputs(tmp_path):
    path = _posterior(tmp_path, ["leaders.Stalin.prestige", "leaders.Stalin.ambition",
                                 "weight"], [[0.0, 0.0, 1]])
    post = load_posterior(path, SCENARIO)
    a = run_ensemble(SCENARIO, 2, base_seed=5, posterior=post)
    b = run_ensemble(SCENARIO, 2, base_seed=5, posterior=post)
    plain = run_ensemble(SCENARIO, 2, base_seed=5)
    assert [o.first for o in a] == [o.first for o in b]
    assert all(np.array_equal(x.factions, y.factions) for x, y in zip(a, b, strict=True))
    # a Stalin without prestige or ambition lives another history on the same seeds
    assert any(x.first != y.first or not np.array_equal(x.factions, y.factions)
               for x, y in zip(a, plain, strict=True))


@pytest.mark.parametrize(("header", "rows", "problem"), [
    (["act_drive"], [[0.5]], "no weight column"),
    (["weight"], [], "no particles"),
    (["act_drive", "weight"], [["x", 1]], "not a number"),
    (["no_such_thing", "weight"], [[1, 1]], "neither a parameter nor an input"),
    (["leaders.Nobody.prestige", "weight"], [[0.5, 1]], "neither a parameter nor an input"),
    (["leaders.Stalin.prestige", "weight"], [[1.5, 1]], "not in [0, 1]"),
    (["regions.Leningrad.patron", "weight"], [["Napoleon", 1]], "not a leader"),
    (["act_drive", "weight"], [[0.5, 0]], "sum to 0"),
    (["act_drive", "weight"], [[0.5, -1]], "negative"),
])
def test_a_bad_posterior_file_is_refused_in_one_line(tmp_path, header, rows, problem):
    path = _posterior(tmp_path, header, rows)
    with pytest.raises(PosteriorError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_posterior(path, SCENARIO)


@pytest.mark.parametrize("command", [["validate", "baseline"], ["ensemble", "baseline"],
                                     ["compare", "baseline", "no_grudge"]])
def test_the_cli_refuses_a_bad_posterior_before_any_work(tmp_path, command):
    bad = _posterior(tmp_path, ["act_drive"], [[0.5]])
    res = subprocess.run([sys.executable, "-m", "model.cli.main", *command, "--runs", "1",
                          "--workers", "1", "--out", str(tmp_path / "out"),
                          "--posterior", str(bad)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "--posterior" in lines[0] and "weight" in lines[0]
    assert not (tmp_path / "out").exists()


# --- a calibration over parameters and inputs, and of a baseline ----------------------------

def test_a_joint_calibration_writes_a_posterior_that_validate_can_use(tmp_path):
    case = case_of("baseline")
    space = input_space(SCENARIO, LEDGER)
    result = calibrate(SCENARIO, case=case, population=3, generations=1,
                       seeds_per_particle=1, predictive_runs=1, refine_top=1, refine_runs=1,
                       inputs=space)
    assert result.names == tuple(p.name for p in PRIORS) + space.names
    rows = posterior_rows(result)
    path = _posterior(tmp_path, list(rows[0]), [list(r.values()) for r in rows])
    post = load_posterior(path, SCENARIO)
    assert post.parameters == tuple(p.name for p in PRIORS)
    assert post.inputs == space.names
    drawn = {post.draw(SCENARIO, 0, k)[0].leaders[2].prestige for k in range(20)}
    assert len(drawn) > 1  # the inputs are drawn, not fixed


def test_a_baseline_gets_the_machinery_parameters_and_its_own():
    assert priors_for("agents") == PRIORS
    assert priors_for("bandwagon") == PRIORS  # no setting of its own
    assert [p.name for p in priors_for("random")] == \
        [p.name for p in PRIORS] + [p.name for p in BASELINE_OWN["random"]]


def test_runs_under_a_posterior_do_not_depend_on_the_workers(tmp_path):
    path = _posterior(tmp_path, ["act_drive", "leaders.Stalin.prestige", "weight"],
                      [[1.0, 0.2, 1], [6.0, 0.9, 1]])
    post = load_posterior(path, SCENARIO)
    one = run_ensemble(SCENARIO, 3, base_seed=9, posterior=post, workers=1)
    two = run_ensemble(SCENARIO, 3, base_seed=9, posterior=post, workers=2)
    assert [o.first for o in one] == [o.first for o in two]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("args", "problem"), [
    (["calibrate", "--baseline", "nope"], "--baseline"),
    (["validate", "--baseline-posterior", "bandwagon"], "NAME=FILE"),
    (["validate", "--baselines", "random", "--baseline-posterior", "aes=x.csv"],
     "not one of the baselines"),
    (["validate", "--baseline-posterior", "aes=missing.csv"], "cannot read"),
])
def test_bad_competitor_options_are_refused_in_one_line(tmp_path, args, problem):
    res = _cli(*args, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and problem in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_baseline_is_calibrated_with_its_own_setting():
    result = calibrate(SCENARIO, case=case_of("baseline"), population=2, generations=1,
                       seeds_per_particle=1, predictive_runs=1, refine_top=1, refine_runs=1,
                       rule="random")
    assert result.rule == "random" and result.names[-1] == "random_move_rate"
    assert "random_move_rate" in posterior_rows(result)[0]


# --- the time split a posterior was fitted at ----------------------------------------------

def _settings(folder: Path, fit_until) -> None:
    import json
    (folder / "settings.json").write_text(json.dumps({"fit_until": fit_until}))


def test_the_split_a_posterior_was_fitted_at_is_read_beside_it(tmp_path):
    from model.analysis.posterior import UNKNOWN, fitted_until, split_warning

    path = _posterior(tmp_path, ["act_drive", "weight"], [[1.0, 1]], name="posterior.csv")
    assert fitted_until(path) == UNKNOWN
    assert "no settings.json" in split_warning(path, "1925-12")
    assert split_warning(path, None) is None  # no split, nothing to warn of
    _settings(tmp_path, "1925-12")
    assert fitted_until(path) == "1925-12"
    assert split_warning(path, "1925-12") is None
    assert split_warning(path, "1926-06") is None  # fitted earlier than the split: clean
    warning = split_warning(path, "1925-06")
    assert "up to 1925-12, after the split 1925-06" in warning
    _settings(tmp_path, "")  # fitted to every target
    assert fitted_until(path) is None
    assert "up to the end" in split_warning(path, "1925-12")
    (tmp_path / "settings.json").write_text("{not json")
    assert fitted_until(path) == UNKNOWN
    _settings(tmp_path, None)  # a hand-written null: fitted to every target
    assert fitted_until(path) is None
    _settings(tmp_path, 1925)  # not a month: unknown, not a split
    assert fitted_until(path) == UNKNOWN


def test_validate_warns_when_the_posterior_saw_the_out_of_sample_targets(tmp_path):
    path = _posterior(tmp_path, ["act_drive", "weight"], [[1.4, 1]], name="posterior.csv")
    _settings(tmp_path, "")
    res = subprocess.run([sys.executable, "-m", "model.cli.main", "validate", "--runs", "1",
                          "--workers", "1", "--baselines", "", "--out", str(tmp_path / "out"),
                          "--posterior", str(path)],
                         capture_output=True, text=True, timeout=180, check=False)
    assert res.returncode == 0, res.stderr
    assert "warning" in res.stderr and "up to the end" in res.stderr
    card = (tmp_path / "out" / "scorecard.md").read_text()
    assert "fitted to the targets recorded up to the end" in card


# --- --input-priors: the inputs a posterior does not carry, drawn from the ledger's priors ---

def test_inputs_drawn_from_their_priors_split_each_particle(tmp_path):
    from model.analysis.posterior import with_input_priors

    space = input_space(SCENARIO, LEDGER)
    alone = with_input_priors(None, space, 7, draws=5)
    assert len(alone) == 5 and alone.parameters == () and alone.inputs == space.names
    assert np.allclose(alone.weights, 0.2)
    for row in alone.rows:  # every draw inside its prior's box
        for p in space.priors:
            if p.field in ("prestige", "ambition", "resolve"):
                assert p.low - 1e-12 <= row[p.path] <= p.high + 1e-12
    again = with_input_priors(None, space, 7, draws=5)
    assert again.rows == alone.rows  # the base seed decides the draws
    assert with_input_priors(None, space, 8, draws=5).rows != alone.rows
    carried = "leaders.Stalin.prestige"
    path = _posterior(tmp_path, ["act_drive", carried, "weight"], [[1.0, 0.2, 3], [6.0, 0.9, 1]])
    post = load_posterior(path, SCENARIO)
    both = with_input_priors(post, space, 7, draws=4)
    assert len(both) == 8 and both.parameters == ("act_drive",)
    assert both.inputs[0] == carried and len(both.inputs) == len(space.names)
    assert np.allclose(both.weights, [0.75 / 4] * 4 + [0.25 / 4] * 4)  # shares of each
    assert [r[carried] for r in both.rows] == [0.2] * 4 + [0.9] * 4  # the posterior's own
    assert [r["act_drive"] for r in both.rows] == [1.0] * 4 + [6.0] * 4
    trotsky = [ld.name for ld in SCENARIO.leaders].index("Trotsky")
    drawn = {both.draw(SCENARIO, 0, k)[0].leaders[trotsky].prestige for k in range(30)}
    assert len(drawn) > 1  # a run's scenario takes the drawn inputs


def test_the_cli_draws_inputs_from_the_ledger_or_refuses_in_one_line(tmp_path):
    def troika(*args):
        return subprocess.run([sys.executable, "-m", "model.cli.main", *args],
                              capture_output=True, text=True, timeout=180, check=False,
                              cwd=tmp_path)

    res = troika("ensemble", "--runs", "3", "--workers", "1", "--input-priors", "--out", "e")
    assert res.returncode == 0, res.stderr
    assert "uncertain inputs" in res.stdout
    header = (tmp_path / "e" / "runs.csv").read_text().splitlines()[0]
    assert "leaders.Trotsky.prestige" in header  # each run's drawn inputs are recorded
    import json
    manifest = json.loads((tmp_path / "e" / "ensemble.json").read_text())
    assert manifest["input_priors"] == "bolshevik_1922/provenance.csv"
    bad = troika("validate", "triad", "--runs", "2", "--workers", "1", "--input-priors",
                 "--out", "v")
    assert bad.returncode == 2 and "--input-priors" in bad.stderr and "ledger" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and not (tmp_path / "v").exists()


def test_a_counterfactual_that_changes_a_drawn_input_is_refused(capsys):
    import typer

    from model.cli.options import same_drawn_inputs

    space = input_space(SCENARIO, LEDGER)
    assert same_drawn_inputs([space, input_space(SCENARIO, LEDGER)], ["a", "b"]) is None
    changed = apply_values(SCENARIO, {"leaders.Trotsky.prestige": 0.05})
    with pytest.raises(typer.Exit) as exc:
        same_drawn_inputs([space, input_space(changed, LEDGER)], ["baseline", "weak"])
    assert exc.value.exit_code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "weak" in line and "leaders.Trotsky.prestige" in line


def test_there_are_a_thousand_input_sets_whatever_the_runs(tmp_path):
    from model.analysis.posterior import INPUT_DRAWS, INPUT_SETS, input_draws

    assert INPUT_SETS == 1000 and input_draws(None) == 1000  # no posterior: 1000 draws
    path = _posterior(tmp_path, ["act_drive", "weight"], [[1.0, 1]] * 30)
    assert input_draws(load_posterior(path, SCENARIO)) == 34  # 30 x 34 >= 1000
    path = _posterior(tmp_path, ["act_drive", "weight"], [[1.0, 1]] * 100, name="p100.csv")
    assert input_draws(load_posterior(path, SCENARIO)) == INPUT_DRAWS


def test_resuming_without_the_input_draws_is_refused(tmp_path):
    def troika(*args):
        return subprocess.run([sys.executable, "-m", "model.cli.main", "ensemble", *args,
                               "--workers", "1", "--out", "e"], capture_output=True,
                              text=True, timeout=180, check=False, cwd=tmp_path)

    assert troika("--runs", "2", "--input-priors").returncode == 0
    again = troika("--runs", "3", "--resume")  # the stored runs drew their inputs
    assert again.returncode == 2 and "posterior" in again.stderr
    more = troika("--runs", "30", "--resume", "--input-priors")  # the same draws go on
    assert more.returncode == 0, more.stderr

"""Tests for the ABC-SMC calibration (``model/calibration.py``) and ``troika calibrate``."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.analysis import calibration as cal
from model.analysis.outcomes import RunOutcome, criteria_of, month_number
from model.cases.casefile import case_of
from model.cases.record import parse_tally, record_row
from model.cases.scenario import SCENARIO_DIR, load_scenario
from model.engine.parameters import Parameters

CASE = case_of("baseline")
CRITERIA = criteria_of(CASE)
TARGETS = cal.fitting_targets(CASE)


SMALL = {"population": 6, "generations": 2, "seeds_per_particle": 1, "base_seed": 7,
         "predictive_runs": 6, "refine_top": 3, "refine_runs": 2}
FILES = {"posterior.csv", "summary.csv", "summary.md", "marginals.png", "pairs.png",
         "calibrated.toml", "out_of_sample.csv", "out_of_sample.md", "generations.csv",
         "settings.json"}


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


@pytest.fixture(scope="module")
def result(baseline):
    return cal.calibrate(baseline, case=CASE, workers=1, **SMALL)


# --- priors and targets -------------------------------------------------------------------


def test_priors_are_parameters_with_defaults_inside():
    fields = Parameters.model_fields
    defaults = Parameters()
    assert len({p.name for p in cal.PRIORS}) == len(cal.PRIORS)
    for p in cal.PRIORS:
        assert p.name in fields, p.name
        assert p.low < getattr(defaults, p.name) < p.high, p.name
        assert p.reason
        # inside the field's own bounds
        for meta in fields[p.name].metadata:
            if hasattr(meta, "ge"):
                assert p.low >= meta.ge
            if hasattr(meta, "le"):
                assert p.high <= meta.le
        Parameters(**{p.name: p.low})
        Parameters(**{p.name: p.high})


def test_targets_match_the_record():
    df = CASE.record
    measures = {c.measure.name for c in CRITERIA}
    for t in TARGETS:
        assert t.measure.name in measures
        row = record_row(df, t.record_id)
        if t.kind == "date":
            first = month_number(row["date"].strftime("%Y-%m"))
            alt = row["date_alt"]
            last = first if pd.isna(alt) else month_number(alt.strftime("%Y-%m"))
            assert t.recorded == pytest.approx((first + last) / 2)
        else:
            assert t.recorded == parse_tally(row["value"])[1]


# --- the distance ---------------------------------------------------------------------------


def _outcome(war="1925-01", brk="1925-07", united="1926-07", pb="1926-10", dissent=65,
             expelled="1927-11"):
    """A hand-made run: the troika from 1923-01, broken at ``brk``; the United Opposition
    from ``united``; Trotsky loses the War Commissariat at ``war`` and the Politburo at
    ``pb``; Trotsky and Zinoviev are expelled from the party at ``expelled``."""
    months = [f"{y}-{m:02d}" for y in range(1922, 1928) for m in range(1, 13)][4:]
    names = ["Trotsky", "Stalin", "Zinoviev", "Kamenev"]
    fac = np.zeros((len(months), len(names)), dtype=int)
    for k, m in enumerate(months):
        if m < "1923-01":
            fac[k] = [0, 1, 2, 3]
        elif brk is None or m < brk:
            fac[k] = [0, 1, 1, 1]
        elif united is not None and m >= united:
            fac[k] = [2, 1, 2, 2]
        else:
            fac[k] = [0, 1, 2, 2]
    first = {}
    if war:
        first[("office_loss", "Trotsky", "War Commissar")] = war
    if pb:
        first[("expulsion", "Trotsky", "Politburo")] = pb
    if expelled:
        first[("expulsion", "Trotsky", "party")] = expelled
        first[("expulsion", "Zinoviev", "party")] = expelled
    tallies = {"14th Congress": (600 - dissent, dissent, 20)} if dissent is not None else {}
    condemned = {("condemnation", "Trotsky", ""): ["1923-11"]}  # half a month off the record
    return RunOutcome(seed="hand", months=months, names=names, factions=fac, first=first,
                      tallies=tallies, recanted=set(), refused=set(), holders={},
                      months_of=condemned)


def test_distance_zero_for_the_record():
    # year-only targets are recorded at mid-year (between June and July): half a month off
    o = _outcome()
    values = cal.target_values(o, TARGETS)
    assert values[0] == month_number("1925-01")
    assert values[4] == 65
    assert cal.distance_of_values([t.recorded for t in TARGETS], TARGETS) == 0.0
    n = len(TARGETS)
    assert cal.run_distance(o, TARGETS) == pytest.approx((0.5 / 12 + 0.5 / 12 + 0.5 / 12) / n)


def test_distance_grows_with_the_error():
    rec = np.array([t.recorded for t in TARGETS])
    n = len(rec)
    one = np.eye(n)
    d = [cal.distance_of_values(rec + e * one[0], TARGETS) for e in (0, 6, 12, 24)]
    assert d == sorted(d) and d[0] == 0 and d[2] == pytest.approx(1 / n)
    d = [cal.distance_of_values(rec + e * one[4], TARGETS) for e in (0, -10, 20, 40)]
    assert d == sorted(d) and d[2] == pytest.approx(1 / n)
    def dist(**kw):
        return cal.run_distance(_outcome(**kw), TARGETS)

    assert dist(war="1926-01") > dist()
    assert dist(dissent=200) > dist(dissent=90)


def test_never_counts_as_horizon_end_plus_a_year():
    o = _outcome(war=None)
    assert cal.target_values(o, TARGETS)[0] == month_number("1927-12") + 12
    assert cal.run_distance(o, TARGETS) > cal.run_distance(_outcome(war="1927-12"), TARGETS)


# --- the sampler -----------------------------------------------------------------------------


def test_posterior_inside_the_prior(result):
    low = np.array([p.low for p in cal.PRIORS])
    high = np.array([p.high for p in cal.PRIORS])
    assert result.particles.shape == (6, len(cal.PRIORS))
    assert np.all(result.particles >= low) and np.all(result.particles <= high)


def test_weights_positive_and_normalised(result):
    assert np.all(result.weights > 0)
    assert result.weights.sum() == pytest.approx(1.0)


def test_epsilons_non_increasing_and_distances_within(result):
    eps = result.epsilons
    assert len(eps) == 2 and np.isinf(eps[0])
    assert all(a >= b for a, b in zip(eps, eps[1:], strict=False))
    assert np.all(result.distances <= eps[-1])
    assert all(0 < r <= 1 for r in result.acceptance_rates)
    assert result.wall_seconds > 0


def test_point_estimate_is_a_particle_or_the_posterior_median(result):
    assert set(result.point) == set(cal.PRIOR_NAMES)
    point = np.array([result.point[n] for n in cal.PRIOR_NAMES])
    median = cal.posterior_median(result.particles, result.weights)
    r = result.refined
    if r["point_kind"] == "particle":
        assert any(np.allclose(point, p) for p in result.particles)
    else:
        assert r["point_kind"] == "posterior median" and np.allclose(point, median)
    assert cal.in_prior(point)
    assert r["candidates"] == 4 and r["runs"] == 2  # 3 particles and the median
    assert r["point_distance"] >= 0 and r["defaults_distance"] >= 0
    assert r["selection_distance"] >= 0


def test_posterior_median_is_each_coordinates_weighted_median():
    theta = np.array([[0.0, 10.0], [1.0, 20.0], [2.0, 30.0]])
    assert np.allclose(cal.posterior_median(theta, np.ones(3)), [1.0, 20.0])
    # nearly all the weight on the last particle pulls the median to it
    assert np.allclose(cal.posterior_median(theta, np.array([0.01, 0.01, 100.0])),
                       [2.0, 30.0], atol=0.01)


class _FakeSpace:
    """Candidates are numbers; a run's distance is the candidate itself plus the seed's
    noise, so the least noisy mean wins the selection and is biased low."""

    def job(self, theta, seed):
        return (theta, seed)

    def overrides(self, theta):
        return {"x": float(theta[0])}

    def input_values(self, theta):
        return {}


class _FakeRunner:
    def map(self, jobs):
        out = []
        for theta, seed in jobs:
            base = 1.0 if theta is None else round(float(theta[0]), 3)
            tag = -1 if theta is None else int(round(float(theta[0]) * 1e6))
            rng = np.random.default_rng([seed.entropy, *seed.spawn_key, tag + 2])
            out.append(base + rng.normal(0, 0.5))  # a run depends on its point and its seed
        return out


def test_refine_point_reports_the_winner_on_seeds_it_was_not_chosen_on(monkeypatch):
    """Ten candidates as good as the defaults (true distance 1): only noise tells them
    apart, so the winner's mean on its selection seeds is the least of ten noisy means and
    biased low; on further seeds it is an unbiased draw."""
    monkeypatch.setattr(cal, "run_distance", lambda o, targets: o)
    theta = np.array([[1.0 + 1e-6 * i] for i in range(10)])  # ten distinct points
    chosen, reported, defaults = [], [], []
    for base in range(60):
        r = cal.refine_point(_FakeSpace(), (), theta, np.zeros(10), _FakeRunner(), base, 3,
                             top=10, runs=4)
        chosen.append(r["selection_distance"])
        reported.append(r["point_distance"])
        defaults.append(r["defaults_distance"])
    assert np.mean(chosen) < 0.75  # about 1 - 1.54 * 0.25: the winner's curse
    assert abs(np.mean(reported) - 1.0) < 0.1  # sd of the mean of 60 x 4 runs: 0.03
    assert abs(np.mean(reported) - np.mean(defaults)) < 0.15


class _CentreRunner:
    """A run's distance is how far its point lies from 4 (the defaults: 1)."""

    def map(self, jobs):
        return [1.0 if theta is None else abs(float(theta[0]) - 4.0) for theta, _ in jobs]


def test_refine_point_takes_the_posterior_median_when_it_fits_best(monkeypatch):
    monkeypatch.setattr(cal, "run_distance", lambda o, targets: o)
    theta = np.array([[2.0], [6.0], [3.0], [5.0], [4.0 + 1e-9]])
    weights = np.ones(5)
    dist = np.array([0.1, 0.2, 0.9, 0.9, 0.9])  # the sampler's best two are 2 and 6
    r = cal.refine_point(_FakeSpace(), (), theta, dist, _CentreRunner(), 1, 3, top=2,
                         runs=3, weights=weights)
    assert r["point_kind"] == "posterior median" and r["median_candidate"]
    assert r["candidates"] == 3 and r["point"] == {"x": pytest.approx(4.0)}
    assert r["point_distance"] == pytest.approx(0.0, abs=1e-6)
    assert r["defaults_distance"] == 1.0
    kept = cal._refined_record(r)
    assert kept["point_kind"] == "posterior median" and "point" not in kept
    # without weights there is no median candidate
    r = cal.refine_point(_FakeSpace(), (), theta, dist, _CentreRunner(), 1, 3, top=2, runs=3)
    assert r["point_kind"] == "particle" and r["candidates"] == 2
    assert not r["median_candidate"]


def test_outputs_carry_the_refinement_and_the_warnings(result, tmp_path):
    warnings = cal.budget_warnings(result)
    assert warnings  # the fixture's budget is far below the documented one
    toml_text = cal.calibrated_toml(result)
    assert [ln for ln in toml_text.splitlines() if ln.startswith("# WARNING: ")] == [
        f"# WARNING: {w}" for w in warnings]
    cal.write_calibration(result, tmp_path)
    kept = json.loads((tmp_path / "settings.json").read_text())["refined"]
    assert kept["point_kind"] == result.refined["point_kind"]
    assert kept["selection_distance"] == pytest.approx(result.refined["selection_distance"])
    assert kept["point_distance"] == pytest.approx(result.refined["point_distance"])


def test_out_of_sample_table(result):
    rows = {r["criterion"]: r for r in result.out_of_sample}
    for cid in ("recantations", "stalin_right", "stalin_general_secretary",
                "war_loss_in_politburo"):
        assert rows[cid]["fitted"] is False
        assert 0 <= rows[cid]["hit_defaults"] <= 1 and 0 <= rows[cid]["hit_posterior"] <= 1
    assert rows["troika_breaks_1925"]["fitted"] is True
    assert set(rows) >= {c.id for c in CRITERIA}


def test_same_result_for_any_number_of_workers(baseline, result):
    other = cal.calibrate(baseline, case=CASE, workers=2, **SMALL)
    np.testing.assert_array_equal(other.particles, result.particles)
    np.testing.assert_array_equal(other.weights, result.weights)
    np.testing.assert_array_equal(other.distances, result.distances)
    assert other.epsilons == result.epsilons
    assert [g.attempts for g in other.generations] == [g.attempts for g in result.generations]
    assert other.out_of_sample == result.out_of_sample


def test_bad_arguments(baseline):
    for kw in ({"population": 0}, {"generations": 0}, {"seeds_per_particle": 0},
               {"quantile": 1.0}, {"workers": 0}):
        with pytest.raises(ValueError):
            cal.calibrate(baseline, case=CASE, **kw)


def test_weighted_quantile():
    x = np.array([3.0, 1.0, 2.0])
    assert cal.weighted_quantile(x, np.ones(3), 0.5) == 2.0
    assert cal.weighted_quantile(x, np.array([0.0001, 0.0001, 1.0]), 0.5) == pytest.approx(2.0)


# --- outputs ------------------------------------------------------------------------------------


def test_write_calibration_and_calibrated_toml_loads(result, tmp_path):
    cal.write_calibration(result, tmp_path / "out")
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == FILES
    for name in ("marginals.png", "pairs.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (out / "calibrated.toml").read_text()
    assert "base seed 7" in text and "population 6" in text
    params = tomllib.loads(text)["parameters"]
    assert set(params) == set(cal.PRIOR_NAMES)
    # the calibrated file itself is a scenario that extends the baseline
    spec = load_scenario(out / "calibrated.toml")
    for name, value in params.items():
        assert getattr(spec.parameters, name) == pytest.approx(value)
    # ... and its [parameters] table pasted under a scenario extending the baseline by path
    table = text[text.index("\n[parameters]\n"):]
    scen = tmp_path / "mine.toml"
    scen.write_text(f'extends = "{(SCENARIO_DIR / "bolshevik_1922" / "baseline.toml").resolve()}"\n'
                    f'name = "mine"\n\n{table}', encoding="utf-8")
    spec = load_scenario(scen)
    assert spec.name == "mine"
    for name, value in params.items():
        assert getattr(spec.parameters, name) == pytest.approx(value)
    posterior = (out / "posterior.csv").read_text().splitlines()
    assert posterior[0].split(",") == [*cal.PRIOR_NAMES, "weight", "distance"]
    assert len(posterior) == 7


# --- command line -------------------------------------------------------------------------------


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180, check=False)


def test_cli_end_to_end(tmp_path):
    res = troika("calibrate", "--population", "6", "--generations", "2",
                 "--refine-top", "2", "--refine-runs", "2",
                 "--seeds-per-particle", "1", "--workers", "1", "--seed", "3", "--out", "tmp",
                 cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert {p.name for p in (tmp_path / "tmp").iterdir()} == FILES
    assert "wall time" in res.stdout and "final epsilon" in res.stdout
    assert "successor_fear" in res.stdout and "recantations" in res.stdout
    assert "Traceback" not in res.stderr
    text = (tmp_path / "tmp" / "calibrated.toml").read_text()
    assert "troika calibrate --population 6" in text
    # without --fit-until the fit stops at the case's time split, as validate's does, and
    # says so on the terminal, in the scenario file it writes and in settings.json
    split = case_of("baseline").spec.fit_until
    assert split and f"recorded up to {split}" in res.stdout
    assert f"fitted to the targets recorded up to {split}" in text
    settings = json.loads((tmp_path / "tmp" / "settings.json").read_text())
    assert settings["fit_until"] == split and settings["rule"] == "agents"


def test_cli_fit_until_none_fits_every_target(tmp_path):
    res = troika("calibrate", "--population", "3", "--generations", "1",
                 "--refine-top", "1", "--refine-runs", "1", "--seeds-per-particle", "1",
                 "--workers", "1", "--fit-until", "none", "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "recorded up to the end" in res.stdout
    assert json.loads((tmp_path / "tmp" / "settings.json").read_text())["fit_until"] == ""


def test_cli_bad_fit_until_exits_2(tmp_path):
    res = troika("calibrate", "--fit-until", "1925-13", "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 2 and "--fit-until" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "tmp").exists()


@pytest.mark.parametrize("args", [("--population", "0"), ("--generations", "0"),
                                  ("--seeds-per-particle", "-1"), ("--quantile", "1.5"),
                                  ("--workers", "0")])
def test_cli_bad_numbers_exit_2(tmp_path, args):
    res = troika("calibrate", *args, "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert not (tmp_path / "tmp").exists()


def test_budget_warnings_name_a_collapsed_posterior_and_a_worse_point():
    from types import SimpleNamespace

    from model.analysis.calibration import FULL_BUDGET, budget_warnings

    collapsed = SimpleNamespace(weights=np.array([0.97, 0.01, 0.01, 0.01]),
                                refined={"point_distance": 2.1, "defaults_distance": 1.9,
                                         "runs": 6},
                                settings={"population": 4, "generations": 2,
                                          "seeds_per_particle": 1},
                                out_of_sample=[{"fitted": True, "hit_defaults": 0.5,
                                                "hit_posterior": 0.05},
                                               {"fitted": False, "hit_defaults": 0.0,
                                                "hit_posterior": 0.9}])
    text = " ".join(budget_warnings(collapsed))
    assert "mean hit rate 0.05 against 0.50" in text
    assert "collapsed" in text and "97%" in text
    assert "no better than the scenario's own parameters" in text
    assert "population 4 (documented: 100)" in text
    healthy = SimpleNamespace(weights=np.full(100, 0.01),
                              refined={"point_distance": 1.5, "defaults_distance": 1.9},
                              settings=dict(FULL_BUDGET),
                              out_of_sample=[{"fitted": True, "hit_defaults": 0.5,
                                              "hit_posterior": 0.6}])
    assert budget_warnings(healthy) == []


def test_cli_a_split_that_leaves_no_target_exits_2_before_any_work(tmp_path):
    # the example case's own fit_until (2030-12) comes before its one dated target
    res = troika("calibrate", "example_triad/triad", "--population", "3", "--generations",
                 "1", "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    (line,) = res.stderr.strip().splitlines()
    assert "no calibration target recorded by 2030-12" in line and "none" in line
    assert res.stdout == "" and not (tmp_path / "tmp").exists()
    ok = troika("calibrate", "example_triad/triad", "--population", "3", "--generations", "1",
                "--refine-top", "1", "--refine-runs", "1", "--seeds-per-particle", "1",
                "--workers", "1", "--fit-until", "none", "--out", "tmp", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr

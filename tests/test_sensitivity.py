"""Tests for ``model/sensitivity.py`` and ``troika sensitivity``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.analysis.outcomes import criteria_of
from model.analysis.sensitivity import (
    PRIORS,
    outcomes_of,
    samples_csv,
    sensitivity,
    table_csv,
    table_markdown,
)
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.parameters import Parameters
from model.engine.rules import RULE_FAMILIES

CASE = case_of("baseline")
CRITERIA = criteria_of(CASE)
HIT_OUTCOMES, CONTINUOUS_OUTCOMES = outcomes_of(CASE)
OUTCOMES = [n for n, _, _ in (*HIT_OUTCOMES, *CONTINUOUS_OUTCOMES)]


pytest.importorskip("SALib")

PNG = b"\x89PNG\r\n\x1a\n"
FIELDS = Parameters.model_fields


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.parametrize("name", list(PRIORS))
def test_prior_is_a_valid_range_around_the_default(name):
    low, high, why = PRIORS[name]
    assert name in FIELDS
    assert FIELDS[name].annotation is float
    assert low < high
    assert low <= FIELDS[name].default <= high
    assert why.strip()
    Parameters(**{name: low})  # both ends within the field's bounds
    Parameters(**{name: high})


def test_priors_cover_parameters_the_rules_read():
    read = {p for r in RULE_FAMILIES for p in r.reads}
    assert len(PRIORS) >= 10
    assert len(set(PRIORS) & read) >= 8


def test_outcomes():
    assert len(OUTCOMES) == len(set(OUTCOMES))
    assert {m.name for _, _, m in HIT_OUTCOMES} == {c.measure.name for c in CRITERIA}
    assert len(OUTCOMES) == len(HIT_OUTCOMES) + len(CONTINUOUS_OUTCOMES)


@pytest.fixture(scope="module")
def spec():
    return load_scenario("baseline")


@pytest.fixture(scope="module")
def morris1(spec):
    return sensitivity(spec, "morris", case=CASE, n=2, seeds=1, workers=1)


def test_morris_end_to_end(morris1):
    d = len(PRIORS)
    assert morris1.X.shape == (2 * (d + 1), d)
    assert morris1.Y.shape == (len(morris1.X), len(OUTCOMES))
    lows = np.array([lo for lo, _, _ in PRIORS.values()])
    highs = np.array([hi for _, hi, _ in PRIORS.values()])
    assert ((morris1.X >= lows - 1e-12) & (morris1.X <= highs + 1e-12)).all()
    assert set(morris1.indices) == set(OUTCOMES)
    for o in OUTCOMES:
        assert set(morris1.indices[o]) == set(PRIORS)
        for p in PRIORS:
            s = morris1.indices[o][p]
            assert {"mu_star", "sigma"} <= set(s)
            assert np.isfinite(s["mu_star"]) and s["mu_star"] >= 0
    # hit rates are rates; at least one outcome varies over the sample
    nhit = len(HIT_OUTCOMES)
    assert ((morris1.Y[:, :nhit] >= 0) & (morris1.Y[:, :nhit] <= 1)).all()
    assert any(o not in morris1.constant for o in OUTCOMES)


def test_tables_sorted_top_drivers_first(morris1):
    rows = list(csv.DictReader(io.StringIO(table_csv(morris1))))
    assert {r["parameter"] for r in rows} == set(PRIORS)
    scores = [float(r["mean_normalised"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert set(OUTCOMES) <= set(rows[0])
    samples = list(csv.reader(io.StringIO(samples_csv(morris1))))
    assert len(samples) == 1 + len(morris1.X)
    md = table_markdown(morris1)
    assert all(p in md for p in PRIORS)


def test_same_result_for_any_worker_count(spec, morris1):
    two = sensitivity(spec, "morris", case=CASE, n=2, seeds=1, workers=2)
    np.testing.assert_array_equal(two.X, morris1.X)
    np.testing.assert_array_equal(two.Y, morris1.Y)
    assert table_csv(two) == table_csv(morris1)


@pytest.mark.filterwarnings("ignore:Constant values encountered")  # a tiny sample
def test_sobol_reports_first_and_total_order(spec):
    res = sensitivity(spec, "sobol", case=CASE, n=2, seeds=1, workers=2)
    assert res.index == "ST"
    for o in OUTCOMES:
        for p in PRIORS:
            assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(res.indices[o][p])


def test_bad_arguments(spec):
    with pytest.raises(ValueError, match="method"):
        sensitivity(spec, "nope", case=CASE, n=2, seeds=1)
    with pytest.raises(ValueError, match="power of 2"):
        sensitivity(spec, "sobol", case=CASE, n=3, seeds=1)
    with pytest.raises(ValueError):
        sensitivity(spec, "morris", case=CASE, n=2, seeds=0)


def test_cli_writes_the_files(tmp_path):
    res = troika("sensitivity", "--method", "morris", "--n", "2", "--seeds", "1",
                 "--workers", "1", "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "tmp"
    assert {p.name for p in out.iterdir()} == {"sensitivity.csv", "sensitivity.md",
                                                "sensitivity.png", "samples.csv"}
    assert (out / "sensitivity.png").read_bytes()[:8] == PNG
    assert "wall time" in res.stdout
    assert "Top parameters" in res.stdout


@pytest.mark.parametrize("args", [("--method", "nope"), ("--method", "sobol", "--n", "6"),
                                  ("--seeds", "0")])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args):
    res = troika("sensitivity", *args, "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "tmp").exists()


def test_cli_without_salib_says_how_to_install(tmp_path):
    code = ("import sys; sys.modules['SALib'] = None; sys.argv = ['troika', 'sensitivity', "
            "'--n', '2', '--seeds', '1', '--out', 'tmp']; from model.cli.main import main; main()")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'troika[analysis]'" in lines[0]
    assert not (tmp_path / "tmp").exists()

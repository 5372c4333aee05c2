"""Tests for the command line (``model/cli.py``), run as ``python -m model.cli.main``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN_FILES = {
    "power.csv", "factions.csv", "offices.csv", "events.csv", "tallies.csv", "key_events.csv",
    "manifest.json", "power.png", "coalitions.png", "tallies.png",
}


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model.cli.main", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_run_writes_files_and_summary(tmp_path):
    out = tmp_path / "run"
    res = troika("run", "baseline", "--seed", "1", "--out", str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert "14th Congress" in res.stdout
    assert "559-65" in res.stdout
    assert "General Secretary" in res.stdout
    assert str(out) in res.stdout
    info = json.loads((out / "manifest.json").read_text())
    assert info["seed"] == 1
    assert info["command"][:2] == ["troika", "run"]
    assert info["scenario"]["source"].endswith("baseline.toml")


def test_run_default_out_dir(tmp_path):
    res = troika("run", "--seed", "2", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert {p.name for p in (tmp_path / "out" / "baseline-seed2").iterdir()} == RUN_FILES


def test_set_override(tmp_path):
    out = tmp_path / "run"
    res = troika("run", "--set", "parameters.campaign_rate=0.02", "--out", str(out),
                 cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert json.loads((out / "manifest.json").read_text())["parameters"]["campaign_rate"] == 0.02


def test_set_unknown_parameter(tmp_path):
    out = tmp_path / "run"
    res = troika("run", "--set", "parameters.nope=1", "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2
    assert "parameters.nope" in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


BASE = 'extends = "baseline"\n'
BAD_FILES = {
    "unknown_key": (BASE + "bogus = 1\n", ["bogus"]),
    "wrong_type": (BASE + '[parameters]\ncampaign_rate = "fast"\n',
                   ["parameters.campaign_rate"]),
    "unknown_leader": (
        BASE + 'events = [{ kind = "death", date = "1924-01", leader = "Nobody" }]\n',
        ["events.0.leader"],
    ),
    "outside_horizon": (
        BASE + 'events = [{ kind = "death", date = "1931-01", leader = "Lenin" }]\n',
        ["events.0.date"],
    ),
    "two_problems": (
        BASE + 'events = [{ kind = "death", date = "1931-01", leader = "Nobody" }]\n',
        ["events.0.leader", "events.0.date"],
    ),
    "toml_syntax": (BASE + "name = \n", ["toml"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_file(tmp_path, case):
    text, fields = BAD_FILES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    out = tmp_path / "run"
    res = troika("run", str(path), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(fields), lines
    for field in fields:
        hits = [ln for ln in lines if ln.startswith(f"{path}: {field}")]
        assert len(hits) == 1, (field, lines)
        assert len(hits[0].split(": ", 2)) == 3  # FILE: field: problem
    assert not out.exists()
    assert not (tmp_path / "out").exists()


def test_missing_scenario(tmp_path):
    res = troika("run", "no_such_scenario", cwd=tmp_path)
    assert res.returncode == 2
    assert "no such scenario" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["run", "--seed", "-1"], ["run", "--seed", "x"],
                                  ["run", "--bogus"], ["frobnicate"]])
def test_usage_errors(tmp_path, args):
    res = troika(*args, cwd=tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_scenarios_lists_baseline(tmp_path):
    res = troika("scenarios", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert any(ln.startswith("bolshevik_1922/baseline ") and "1922" in ln
               for ln in res.stdout.splitlines())

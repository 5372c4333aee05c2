"""Tests for ``troika validate`` (``model/cli.py``), run as ``python -m model.cli.main``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.analysis.outcomes import criteria_of
from model.analysis.validation import BASELINES, END, START
from model.cases.casefile import case_of
from model.cli.options import demote_headings

CASE = case_of("baseline")
CRITERIA = criteria_of(CASE)


PNG = b"\x89PNG\r\n\x1a\n"
FILES = {"scorecard.csv", "scorecard.md", "scorecard.json", "patterns.csv", "patterns.md",
         "ladder.csv", "ladder.md", "calendar_null.md",
         "dates.png", "tallies.png",
         "alliances.png"}
DOC_HEAD = "# Validation\n\nSome prose before the table.\n\n"
DOC_TAIL = "\n\nProse after the table, which must survive.\n"


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model.cli.main", *args], cwd=cwd, capture_output=True, text=True,
        timeout=180, check=False,
    )


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """One small validation with --out, --json and --doc."""
    tmp = tmp_path_factory.mktemp("validate")
    doc = tmp / "validation.md"
    doc.write_text(f"{DOC_HEAD}{START}\nan old table\n{END}{DOC_TAIL}", encoding="utf-8")
    res = troika("validate", "--runs", "3", "--workers", "1", "--out", "out",
                 "--json", "out/x.json", "--doc", str(doc), cwd=tmp)
    return tmp, res


def test_validate_exits_zero_and_writes_files(validated):
    tmp, res = validated
    assert res.returncode == 0, res.stderr
    out = tmp / "out"
    names = {p.name for p in out.iterdir()}
    assert names == FILES | {"x.json"}  # no temporary files left behind
    for name in ("dates.png", "tallies.png", "alliances.png"):
        assert (out / name).read_bytes()[:8] == PNG
    assert "wall time" in res.stdout
    assert "The model" in res.stdout  # the verdict, pass or fail
    assert f"settled after {CASE.spec.fit_until}" in res.stdout  # the case's time split
    assert "Traceback" not in res.stderr


def test_validate_json_shape(validated):
    tmp, res = validated
    assert res.returncode == 0, res.stderr
    data = json.loads((tmp / "out" / "x.json").read_text())
    assert data == json.loads((tmp / "out" / "scorecard.json").read_text())
    assert data["runs"] == 3
    assert set(data["model"]) >= {"passed", "total"}
    assert data["model"]["total"] == len(CRITERIA)
    assert 0 <= data["model"]["passed"] <= data["model"]["total"]
    assert set(data["baselines"]) == set(BASELINES)
    for summary in data["baselines"].values():
        assert set(summary) >= {"passed", "total"}
        assert 0 <= summary["passed"] <= summary["total"] == len(CRITERIA)
    assert [o["id"] for o in data["outcomes"]] == [c.id for c in CRITERIA]
    for o in data["outcomes"]:
        assert set(o) >= {"id", "recorded", "median", "low", "high", "hit_rate", "criterion",
                          "passed"}
        assert isinstance(o["passed"], bool)
        assert 0 <= o["hit_rate"] <= 1
    assert data["model"]["passed"] == sum(o["passed"] for o in data["outcomes"])


def test_validate_stdout_matches_scorecard(validated):
    tmp, res = validated
    data = json.loads((tmp / "out" / "x.json").read_text())
    assert f"model: {data['model']['passed']} of {data['model']['total']}" in res.stdout
    for c in CRITERIA:
        assert c.id in res.stdout


def test_doc_spliced_between_markers(validated):
    tmp, res = validated
    assert res.returncode == 0, res.stderr
    text = (tmp / "validation.md").read_text(encoding="utf-8")
    assert text.startswith(DOC_HEAD + START)
    assert text.endswith(END + DOC_TAIL)
    inside = text.split(START, 1)[1].split(END, 1)[0]
    assert "an old table" not in inside
    written = (tmp / "out" / "scorecard.md").read_text(encoding="utf-8")
    assert inside.strip() == demote_headings(written).strip()  # its headings under the doc's


def test_doc_without_markers(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# no markers here\n", encoding="utf-8")
    res = troika("validate", "--runs", "2", "--workers", "1", "--out", "out", "--doc",
                 str(doc), cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
    assert doc.read_text(encoding="utf-8") == "# no markers here\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [("--runs", "0"), ("--runs", "-1"), ("--workers", "0"),
                                  ("--baselines", "random,nonsense")])
def test_bad_options(tmp_path, args):
    res = troika("validate", *args, "--out", "out", "--json", "x.json", cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("scenario", ["no-such-scenario", "bad.toml"])
def test_bad_scenario(tmp_path, scenario):
    (tmp_path / "bad.toml").write_text(
        'extends = "baseline"\nname = "bad"\n[parameters]\nnot_a_parameter = 1\n',
        encoding="utf-8",
    )
    res = troika("validate", scenario, "--runs", "2", "--json", "x.json", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.strip()
    assert "Traceback" not in res.stderr
    assert res.stdout == ""
    assert not (tmp_path / "out").exists()  # the default output folder
    assert not (tmp_path / "x.json").exists()


def test_figures_without_record_or_baselines(tmp_path):
    """The figures are drawn without a record and without baselines, atomically."""
    from model.analysis.validation import validate
    from model.cases.casefile import Case
    from model.cases.scenario import load_scenario
    from model.views.validation_plots import write_validation_figures

    result = validate(load_scenario("baseline"), 2, case=CASE, workers=1, baselines=())
    paths = write_validation_figures(result, Case(name="none", folder=tmp_path),
                                     tmp_path / "figs")
    assert [p.name for p in paths] == ["dates.png", "tallies.png", "alliances.png"]
    assert {p.name for p in (tmp_path / "figs").iterdir()} == {p.name for p in paths}
    assert all(p.read_bytes()[:8] == PNG for p in paths)

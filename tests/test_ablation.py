"""Tests for ``model/ablation.py`` and ``troika ablate``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model.analysis.ablation import (
    FULL,
    ablate,
    resolve_rules,
    table_csv,
    table_markdown,
    table_rows,
    table_text,
)
from model.analysis.outcomes import criteria_of
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel
from model.engine.rules import RULE_FAMILIES, rule_family

CASE = case_of("baseline")
CRITERIA = criteria_of(CASE)


PNG = b"\x89PNG\r\n\x1a\n"
RULES = ("circular_flow", "campaign")


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def spec():
    return load_scenario("baseline")


@pytest.fixture(scope="module")
def result(spec):
    return ablate(spec, 3, case=CASE, workers=1, rules=RULES)


def test_rows_for_full_and_each_rule(result):
    assert list(result["variants"]) == [FULL, *RULES]
    ids = [c.id for c in CRITERIA]
    for card in result["variants"].values():
        assert [r["id"] for r in card] == ids
        assert all(0.0 <= r["hit_rate"] <= 1.0 for r in card)
    assert result["overrides"][FULL] == {}
    for name in RULES:
        assert result["overrides"][name] == rule_family(name).off


def test_switching_off_circular_flow_changes_the_outcome(result):
    def profile(card):
        return [(r["hit_rate"], r["median"], r["low"], r["high"]) for r in card]

    assert profile(result["variants"]["circular_flow"]) != profile(result["variants"][FULL])


def _patrons(parameters):
    m = SuccessionModel(load_scenario("baseline"), rng=0, parameters=parameters)
    start = m.apparatus.patron.copy()
    m.run()
    return start, m.apparatus.patron.copy()


def test_circular_flow_off_reaches_the_model():
    start, end = _patrons(rule_family("circular_flow").off)
    replaced = (end != start) & (end >= 0)  # a region given to another patron
    assert not replaced.any()
    start, end = _patrons(None)
    assert ((end != start) & (end >= 0)).any()  # with the rule on, secretaries are replaced


def test_same_seeds_give_same_full_model(spec, result):
    again = ablate(spec, 3, case=CASE, workers=2, rules=("campaign",))
    assert again["variants"][FULL] == result["variants"][FULL]
    assert again["variants"]["campaign"] == result["variants"]["campaign"]


def test_tables(result):
    rows = table_rows(result)
    assert [r["variant"] for r in rows] == [FULL, *RULES]
    assert rows[0]["delta_passed"] == 0
    for r in rows:
        assert r["delta_passed"] == r["passed"] - rows[0]["passed"]
    parsed = list(csv.DictReader(io.StringIO(table_csv(result))))
    assert len(parsed) == 1 + len(RULES)
    assert {c.id for c in CRITERIA} <= set(parsed[0])
    md = table_markdown(result)
    text = table_text(result)
    for name in (FULL, *RULES):
        assert f"| {name} |" in md
        assert name in text


def test_unknown_rule_is_refused(spec):
    with pytest.raises(ValueError, match="unknown rule"):
        resolve_rules(["campaign", "no_such_rule"])
    assert [r.name for r in resolve_rules(["campaign", RULE_FAMILIES[0], "campaign"])] == [
        "campaign", RULE_FAMILIES[0].name]
    with pytest.raises(ValueError):
        ablate(spec, 0, case=CASE, rules=("campaign",))


def test_cli_writes_the_three_files(tmp_path):
    res = troika("ablate", "--runs", "2", "--workers", "1", "--rules", "campaign",
                 "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "tmp"
    assert {p.name for p in out.iterdir()} == {"ablation.csv", "ablation.md", "ablation.png"}
    assert (out / "ablation.png").read_bytes()[:8] == PNG
    assert "campaign" in (out / "ablation.md").read_text(encoding="utf-8")
    assert "wall time" in res.stdout
    assert "campaign" in res.stdout


@pytest.mark.parametrize("args", [
    ("--rules", "campaign,no_such_rule"),
    ("--runs", "0"),
    ("--runs", "x"),
    ("--workers", "0"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args):
    res = troika("ablate", *args, "--out", "tmp", cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "tmp").exists()


def test_hit_rates_are_finite(result):
    hits = np.array([[r["hit_rate"] for r in card] for card in result["variants"].values()])
    assert np.isfinite(hits).all()


def test_cells_never_contradict_the_pass_mark(result):
    from model.analysis.outcomes import cell_rate

    for card in result["variants"].values():
        for r in card:
            if r["decided_by"] == "hit rate":
                threshold = next(c.threshold for c in CRITERIA if c.id == r["id"])
                assert (float(cell_rate(r)) >= threshold) == r["passed"]
            else:  # a whole-distribution test: the cell shows what it judged, not a rate
                assert r["shown"] in table_markdown(result)

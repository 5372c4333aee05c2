"""Tests for ``model/analysis/robustness.py`` and ``troika robustness``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from model.analysis.ensemble import run_ensemble
from model.analysis.outcomes import CRITERIA, scorecard
from model.analysis.robustness import (
    UNCHANGED,
    clip_unit,
    main_leaders,
    minimum,
    resolve_leaders,
    robustness,
    table_csv,
    table_markdown,
    table_rows,
    table_text,
    variants,
    vary,
)
from model.cases.scenario import load_scenario
from model.engine.spec import Scenario

RUNS = 3


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def spec():
    return load_scenario("baseline")


def _prestige(spec, name):
    return next(ld.prestige for ld in spec.leaders if ld.name == name)


def test_main_leaders_are_the_most_prestigious(spec):
    top = main_leaders(spec)
    assert len(top) == 6 == len(set(top))
    values = [_prestige(spec, n) for n in top]
    assert values == sorted(values, reverse=True)
    rest = [ld.prestige for ld in spec.leaders if ld.name not in top]
    assert max(rest) <= min(values)
    assert main_leaders(spec, 2) == top[:2]


def test_ties_in_prestige_go_by_file_order(spec):
    names = spec.leader_names
    tied = vary(vary(spec, names[-1], "prestige", 1.0), names[-2], "prestige", 1.0)
    at_top = [ld.name for ld in tied.leaders if ld.prestige == 1.0]
    assert len(at_top) >= 2
    assert main_leaders(tied, len(at_top)) == at_top  # file order


def test_vary_changes_one_field_of_one_leader(spec):
    name = spec.leader_names[2]
    v = vary(spec, name, "ambition", 0.123)
    assert spec.leaders[2].ambition != 0.123  # the original is untouched
    for old, new in zip(spec.leaders, v.leaders, strict=True):
        changed = {k for k in type(old).model_fields if getattr(old, k) != getattr(new, k)}
        assert changed == ({"ambition"} if old.name == name else set())
    assert v.leaders[2].ambition == 0.123
    Scenario.model_validate(v.model_dump())  # still a valid scenario
    with pytest.raises(ValueError, match="unknown leader"):
        vary(spec, "Nobody", "ambition", 0.5)


def test_variants_clip_to_the_unit_interval(spec):
    names = spec.leader_names[:2]
    vs = variants(spec, names)
    assert len(vs) == 2 * 3 * 2
    for v in vs:
        assert 0.0 <= v.new <= 1.0
        assert v.new == clip_unit(v.old + v.delta)
        assert v.at_bound == (v.new == v.old)
    assert clip_unit(0.45 + 0.05) == 0.5
    assert clip_unit(1.02) == 1.0 and clip_unit(-0.03) == 0.0
    with pytest.raises(ValueError, match="unknown leader field"):
        variants(spec, names, (("charisma", 0.1),))


def test_resolve_leaders(spec):
    a, b = spec.leader_names[:2]
    assert resolve_leaders(spec, [b, a, b]) == [b, a]
    with pytest.raises(ValueError, match="unknown leader 'Nobody'"):
        resolve_leaders(spec, [a, "Nobody"])
    with pytest.raises(ValueError, match="no leader"):
        resolve_leaders(spec, [])


@pytest.fixture(scope="module")
def result(spec):
    top = main_leaders(spec)[0]  # the most prestigious: its prestige +0.05 may hit 1
    return robustness(spec, RUNS, workers=1, leaders=[top, "Stalin"],
                      inputs=(("prestige", 0.05), ("resolve", 0.1)))


def test_unchanged_is_the_plain_ensemble(spec, result):
    assert result["base"] == scorecard(run_ensemble(spec, RUNS), CRITERIA)
    assert len(result["variants"]) == 2 * 2 * 2


def test_a_variant_runs_the_changed_scenario(spec, result):
    for v, card in result["variants"]:
        if v.at_bound:
            assert card is result["base"]
            continue
        changed = vary(spec, v.leader, v.field, v.new)
        assert card == scorecard(run_ensemble(changed, RUNS), CRITERIA)


def test_same_seed_same_table(spec, result):
    again = robustness(spec, RUNS, workers=2, leaders=result["leaders"],
                       inputs=(("prestige", 0.05), ("resolve", 0.1)))
    assert table_csv(again) == table_csv(result)


def test_tables(result):
    rows = table_rows(result)
    assert rows[0]["leader"] == UNCHANGED
    assert len(rows) == 1 + len(result["variants"])
    base = rows[0]["passed"]
    for r in rows[1:]:
        assert r["delta_passed"] == r["passed"] - base
    least, which = minimum(result)
    assert least == min(r["passed"] for r in rows[1:])
    assert which and all(any(f"{r['leader']} {r['input']} {r['delta']}" == w for r in rows)
                         for w in which)
    parsed = list(csv.DictReader(io.StringIO(table_csv(result))))
    assert len(parsed) == len(rows)
    assert {c.id for c in CRITERIA} <= set(parsed[0])
    md = table_markdown(result)
    assert f"minimum over the {len(result['variants'])} variants: {least}/" in md
    assert "| Stalin | prestige |" in md
    assert "minimum over" in table_text(result)


def test_lost_and_gained_criteria():
    base = [{"id": "a", "passed": True, "hit_rate": 1.0},
            {"id": "b", "passed": False, "hit_rate": 0.0}]
    flipped = [{"id": "a", "passed": False, "hit_rate": 0.0},
               {"id": "b", "passed": True, "hit_rate": 1.0}]
    from model.analysis.robustness import Variant

    res = {"scenario": "s", "runs": 1, "base_seed": 0, "leaders": ["X"], "criteria": [],
           "base": base, "variants": [(Variant("X", "resolve", 0.1, 0.5, 0.6), flipped),
                                      (Variant("X", "resolve", -0.1, 0.5, 0.4), base)]}
    rows = table_rows(res)
    assert (rows[1]["lost"], rows[1]["gained"], rows[1]["delta_passed"]) == ("a", "b", 0)
    assert (rows[2]["lost"], rows[2]["gained"]) == ("", "")
    assert minimum(res) == (1, ["X resolve +0.1", "X resolve -0.1"])


def test_cli_writes_tables_and_splices(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Doc\n\n<!-- robustness:start -->\nPLACEHOLDER\n<!-- robustness:end -->\n",
                   encoding="utf-8")
    res = troika("robustness", "--runs", "2", "--workers", "1", "--leaders", "Stalin",
                 "--out", "tmp", "--doc", str(doc), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "tmp"
    assert {p.name for p in out.iterdir()} == {"robustness.csv", "robustness.md"}
    assert "minimum over the 6 variants" in res.stdout
    assert "wall time" in res.stdout
    text = doc.read_text(encoding="utf-8")
    assert "PLACEHOLDER" not in text and "| Stalin | ambition |" in text
    assert text.startswith("# Doc\n")


@pytest.mark.parametrize("args, message", [
    (("--leaders", "Nobody"), "unknown leader 'Nobody'"),
    (("--leaders", " , "), "no leader given"),
    (("--doc", "missing.md"), "cannot read"),
    (("--runs", "0"), "--runs"),
])
def test_cli_bad_arguments(tmp_path, args, message):
    res = troika("robustness", "--runs", "2", "--out", "tmp", *args, cwd=tmp_path)
    assert res.returncode == 2
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "tmp").exists()

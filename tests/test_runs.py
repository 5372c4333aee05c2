"""On-disk ensembles (chunks, resume), summaries, scenario comparison, and the dask backend."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from model.analysis.compare import compare, questions, table_markdown, write_comparison
from model.analysis.ensemble import run_ensemble
from model.analysis.runs import done_runs, jeffreys, run_to_dir, summarise
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario

CASE = case_of("baseline")


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


def test_resume_gives_the_same_files_as_an_uninterrupted_run(tmp_path, baseline):
    whole, part = tmp_path / "whole", tmp_path / "part"
    run_to_dir(baseline, 7, whole, case=CASE, chunk=3)
    run_to_dir(baseline, 4, part, case=CASE, chunk=3)  # "killed" after 4 runs
    (part / "runs.csv").unlink()
    run_to_dir(baseline, 7, part, case=CASE, chunk=3, resume=True)
    for name in ("runs.csv", "summary.csv"):
        assert (whole / name).read_bytes() == (part / name).read_bytes()
    assert sorted(done_runs(part)) == list(range(7))


def test_resume_runs_only_what_is_missing(tmp_path, baseline, monkeypatch):
    run_to_dir(baseline, 3, tmp_path, case=CASE, chunk=2)
    import model.analysis.runs as runs

    seen = []
    real = runs.run_ensemble

    def spy(*args, indices=None, **kwargs):
        seen.extend(indices)
        return real(*args, indices=indices, **kwargs)

    monkeypatch.setattr(runs, "run_ensemble", spy)
    run_to_dir(baseline, 5, tmp_path, case=CASE, chunk=2, resume=True)
    assert seen == [3, 4]


def test_existing_chunks_need_resume(tmp_path, baseline):
    run_to_dir(baseline, 2, tmp_path, case=CASE)
    with pytest.raises(FileExistsError):
        run_to_dir(baseline, 2, tmp_path, case=CASE)


def test_resume_refuses_a_different_ensemble(tmp_path, baseline):
    run_to_dir(baseline, 2, tmp_path, case=CASE)
    with pytest.raises(ValueError, match="different ensemble"):
        run_to_dir(baseline, 3, tmp_path, case=CASE, base_seed=1, resume=True)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (10, 10), (57, 200)])
def test_jeffreys_interval_brackets_the_estimate(k, n):
    lo, hi = jeffreys(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    assert hi - lo < 1.0


def test_jeffreys_narrows_with_more_runs():
    assert np.diff(jeffreys(50, 100))[0] < np.diff(jeffreys(5, 10))[0]


def test_summary_probabilities_are_within_their_intervals(tmp_path, baseline):
    rows = run_to_dir(baseline, 4, tmp_path, case=CASE)
    summary = summarise(rows, CASE)
    probs = [r for r in summary if r["kind"] == "probability"]
    assert probs
    for r in probs:
        assert r["low"] <= r["estimate"] <= r["high"]
        assert r["runs"] == 4


def test_runs_table_has_one_row_per_run_with_parameters(tmp_path, baseline):
    rows = run_to_dir(baseline, 3, tmp_path, case=CASE)
    assert [int(r["run"]) for r in rows] == [0, 1, 2]
    assert len({r["seed"] for r in rows}) == 3
    for name in baseline.parameters.model_dump():
        assert f"param.{name}" in rows[0]


def test_compare_rows_cover_every_scenario_and_question(tmp_path):
    specs = [load_scenario("baseline"), load_scenario("no_grudge")]
    rows = compare(specs, 2, case=CASE)
    for sc in specs:
        ids = {r["outcome"] for r in rows if r["scenario"] == sc.name}
        assert {q for q, _, _ in questions(CASE)} <= ids
    text = table_markdown(rows)
    assert "baseline" in text and "no_grudge" in text
    paths = write_comparison(rows, tmp_path)
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_dask_local_cluster_gives_the_same_outcomes_as_the_process_pool(baseline):
    pytest.importorskip("dask.distributed")
    local = run_ensemble(baseline, 4, workers=1)
    dask = run_ensemble(baseline, 4, workers=2, backend="dask")
    for a, b in zip(local, dask, strict=True):
        assert a.seed == b.seed
        assert a.first == b.first and a.tallies == b.tallies
        assert np.array_equal(a.factions, b.factions)
        assert a.recanted == b.recanted and a.refused == b.refused


def test_dask_ensemble_on_disk_starts_one_cluster_and_matches_the_process_pool(
        tmp_path, baseline, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    started = []

    class Counted(distributed.LocalCluster):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", Counted)
    local, dask = tmp_path / "local", tmp_path / "dask"
    run_to_dir(baseline, 3, local, case=CASE, chunk=1)
    run_to_dir(baseline, 3, dask, case=CASE, chunk=1, workers=2, backend="dask")
    assert len(started) == 1  # one cluster for the three chunks
    for name in ("runs.csv", "summary.csv"):
        assert (local / name).read_bytes() == (dask / name).read_bytes()


def test_unknown_backend_is_an_error(baseline):
    with pytest.raises(ValueError, match="backend"):
        run_ensemble(baseline, 1, backend="spark")


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_ensemble_writes_tables_and_refuses_to_mix(tmp_path):
    out = tmp_path / "ens"
    r = _cli("ensemble", "baseline", "--runs", "3", "--workers", "1", "--out", str(out),
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (out / "runs.csv").exists() and (out / "summary.csv").exists()
    assert json.loads((out / "ensemble.json").read_text())["scenario"] == "baseline"
    again = _cli("ensemble", "baseline", "--runs", "3", "--out", str(out), cwd=tmp_path)
    assert again.returncode == 2
    assert "resume" in again.stderr and "Traceback" not in again.stderr


def test_cli_compare_needs_two_scenarios_and_writes_outputs(tmp_path):
    one = _cli("compare", "baseline", "--runs", "2", cwd=tmp_path)
    assert one.returncode == 2 and len(one.stderr.strip().splitlines()) == 1
    out = tmp_path / "cmp"
    r = _cli("compare", "baseline", "trotsky_present", "--runs", "2", "--workers", "1",
             "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for name in ("compare.csv", "compare.md", "compare.png"):
        assert (out / name).exists()
    # the terminal gets a laid-out table, the file the Markdown one
    assert "|---|" not in r.stdout and "|---|" in (out / "compare.md").read_text()
    assert "trotsky_present" in r.stdout and "outcome" in r.stdout


def test_cli_ensemble_bad_backend_is_one_line(tmp_path):
    r = _cli("ensemble", "baseline", "--backend", "spark", cwd=tmp_path)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1

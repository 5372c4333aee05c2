"""An ensemble folder is one ensemble (issue #15): ``--resume`` refuses a folder made by
another scenario, parameters, seed or code, and a second process is kept out while one
writes."""

from __future__ import annotations

import pytest

import model.analysis.runs as runs
from model.analysis.runs import (
    EnsembleExistsError,
    EnsembleFolderError,
    folder_lock,
    run_to_dir,
)
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario

CASE = case_of("baseline")


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


def test_resume_continues_the_same_ensemble(tmp_path, baseline):
    run_to_dir(baseline, 2, tmp_path, case=CASE, chunk=1)
    rows = run_to_dir(baseline, 3, tmp_path, case=CASE, chunk=1, resume=True)
    assert [int(r["run"]) for r in rows] == [0, 1, 2]


@pytest.mark.parametrize(("other", "what"), [
    (lambda: load_scenario("baseline", overrides=["leaders.Trotsky.resolve=0.5"]),
     "another scenario"),
    (lambda: load_scenario("baseline", overrides=["parameters.campaign_rate=0.02"]),
     "another scenario, parameters"),
    # another scenario file that happens to bear the same name
    (lambda: load_scenario("testament", overrides=["name=baseline"]), "another scenario"),
])
def test_resume_refuses_another_scenario(tmp_path, baseline, other, what):
    """Before issue #15 only the name, the seed and the parameters were compared, so a
    changed leader or another file of the same name was resumed into the same folder."""
    run_to_dir(baseline, 2, tmp_path, case=CASE)
    spec = other()
    assert spec.name == baseline.name
    with pytest.raises(EnsembleFolderError, match=f"a different ensemble is stored here "
                                                  f"\\({what}"):
        run_to_dir(spec, 3, tmp_path, case=CASE, resume=True)
    assert len(list((tmp_path / "chunks").glob("runs-*.csv"))) == 1  # nothing appended


def test_resume_refuses_another_seed_or_code(tmp_path, baseline, monkeypatch):
    run_to_dir(baseline, 2, tmp_path, case=CASE)
    with pytest.raises(EnsembleFolderError, match="another base_seed"):
        run_to_dir(baseline, 3, tmp_path, case=CASE, base_seed=1, resume=True)
    monkeypatch.setattr(runs, "code_version", lambda: "0.1.0+another")
    with pytest.raises(EnsembleFolderError, match="another code"):
        run_to_dir(baseline, 3, tmp_path, case=CASE, resume=True)


def test_resume_refuses_a_folder_without_fingerprint(tmp_path, baseline):
    run_to_dir(baseline, 2, tmp_path, case=CASE)
    (tmp_path / "chunks" / "FINGERPRINT").unlink()  # as written by troika before #15
    with pytest.raises(EnsembleFolderError, match="no fingerprint"):
        run_to_dir(baseline, 3, tmp_path, case=CASE, resume=True)


def test_existing_runs_need_resume(tmp_path, baseline):
    run_to_dir(baseline, 1, tmp_path, case=CASE)
    with pytest.raises(EnsembleExistsError, match="use --resume"):
        run_to_dir(baseline, 1, tmp_path, case=CASE)


def test_a_second_writer_is_kept_out(tmp_path, baseline):
    """Before issue #15 two ensembles writing to one folder at once both exited 0."""
    with folder_lock(tmp_path):
        with pytest.raises(EnsembleFolderError, match="another troika process .* is writing"):
            run_to_dir(baseline, 1, tmp_path, case=CASE)
    assert not (tmp_path / "chunks").exists()
    run_to_dir(baseline, 1, tmp_path, case=CASE)  # the lock goes with its holder


def test_the_cli_refuses_a_second_writer_with_one_line(tmp_path):
    import subprocess
    import sys

    with folder_lock(tmp_path / "ens"):
        res = subprocess.run([sys.executable, "-m", "model.cli.main", "ensemble", "--runs",
                              "100000", "--out", str(tmp_path / "ens")], capture_output=True,
                             text=True, timeout=120, check=False)
    assert res.returncode == 2
    (line,) = res.stderr.strip().splitlines()
    assert "another troika process" in line


def test_a_failed_first_chunk_leaves_no_folder_behind(tmp_path, baseline, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("no worker could be reached")

    monkeypatch.setattr(runs, "run_ensemble", broken)
    with pytest.raises(RuntimeError):
        run_to_dir(baseline, 3, tmp_path / "new" / "ens", case=CASE)
    assert not (tmp_path / "new").exists()

"""``troika ensemble --format parquet``: the same tables as the CSV ones, typed; without
pyarrow (the ``parquet`` extra) a one-line error before any work."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

TRIAD = "example_triad/triad"


def troika(*args, cwd, block_pyarrow=False):
    code = ("import sys\n" + ("sys.modules['pyarrow'] = None\n" if block_pyarrow else "")
            + "from model.cli.main import main\nmain(sys.argv[1:])")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


def test_parquet_tables_hold_what_the_csv_tables_hold(tmp_path):
    pytest.importorskip("pyarrow")
    for fmt in ("csv", "parquet"):
        res = troika("ensemble", TRIAD, "--runs", "3", "--workers", "1", "--seed", "5",
                     "--out", fmt, "--format", fmt, cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        assert f"runs.{fmt} and summary.{fmt} written" in res.stdout
    assert not (tmp_path / "parquet" / "runs.csv").exists()
    for table in ("runs", "summary"):
        csv = pd.read_csv(tmp_path / "csv" / f"{table}.csv", dtype={"seed": str})
        parquet = pd.read_parquet(tmp_path / "parquet" / f"{table}.parquet")
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)
    runs = pd.read_parquet(tmp_path / "parquet" / "runs.parquet")
    assert list(runs["seed"]) == ["5/0", "5/1", "5/2"]
    assert runs["run"].dtype.kind == "i"


def test_without_pyarrow_parquet_is_refused_before_any_work(tmp_path):
    res = troika("ensemble", TRIAD, "--runs", "2", "--out", "e", "--format", "parquet",
                 cwd=tmp_path, block_pyarrow=True)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "troika: error: --format parquet: pyarrow is not installed "
        "(pip install 'troika[parquet]')"]
    assert not (tmp_path / "e").exists()


def test_an_unknown_format_is_refused(tmp_path):
    res = troika("ensemble", TRIAD, "--runs", "2", "--out", "e", "--format", "xlsx",
                 cwd=tmp_path)
    assert res.returncode == 2 and "--format" in res.stderr
    assert not (tmp_path / "e").exists()

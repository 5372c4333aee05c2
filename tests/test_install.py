"""The package as a user installs it: a wheel built from this tree carries every scenario and
record (package data), and the commands run from it in any folder, with no clone nearby.

The wheel is built once (``pip wheel . --no-deps``, about ten seconds) and unpacked; the
commands are then run by this environment's Python with ``-S`` (site-packages added by hand,
so the editable install's hook of this clone is not loaded) and the unpacked wheel first on
the path, from an empty folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_SUFFIXES = {".toml", ".csv", ".md"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    tree = out / "tree"  # a copy, so that the build leaves nothing in the clone
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "model", tree / "model", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "scenarios", tree / "scenarios", ignore=ignore)
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=out,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    (path,) = out.glob("troika-*.whl")
    return path


def test_wheel_carries_every_case_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    case_files = [p.relative_to(ROOT) for p in sorted((ROOT / "scenarios").rglob("*"))
                  if p.is_file() and p.suffix in SHIPPED_SUFFIXES]
    assert len(case_files) > 10
    missing = [str(p) for p in case_files if f"model/{p.as_posix()}" not in names]
    assert missing == []
    assert "model/scenarios/bolshevik_1922/record.csv" in names
    assert not any("__pycache__" in n or n.startswith(("scenarios/", "tests/")) for n in names)


def test_wheel_runs_run_and_validate_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    boot = (f"import sys; sys.path[:0] = [{str(site)!r}, {sysconfig.get_paths()['purelib']!r}]; "
            "import model; assert model.__file__.startswith(sys.path[0]), model.__file__; "
            "from model.cli.main import main; sys.argv[0] = 'troika'; main()")

    def troika(*args):
        return subprocess.run([sys.executable, "-S", "-P", "-c", boot, *args], cwd=work,
                              capture_output=True, text=True, timeout=300, check=False)

    res = troika("run", "--seed", "3")
    assert res.returncode == 0, res.stderr
    assert (work / "out" / "baseline-seed3" / "power.csv").is_file()
    res = troika("validate", "--runs", "5", "--workers", "1")
    assert res.returncode == 0, res.stderr
    assert (work / "out" / "validate-baseline" / "scorecard.csv").is_file()
    res = troika("run", "post_stalin", "--out", "ps")
    assert res.returncode == 0, res.stderr

"""Hostile command lines (issue #15): bad arguments and output paths are refused before any
work (one line, exit 2, nothing written); failures of the system or of the code exit 1 with
one line (the traceback only with ``--debug``)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from model.analysis.ensemble import max_workers
from model.cli import options
from model.cli.main import main


def troika(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False)


def in_process(*args: str) -> tuple[int, str]:
    """Run the command line in this process: (exit status, standard error)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(SystemExit) as info:
            main(list(args))
    return info.value.code, err.getvalue()


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# Each case would run for hours if the argument were checked only at the end: a refusal
# that comes back at all shows that it came before the work.
LONG = ("--runs", "100000")


@pytest.mark.parametrize(("args", "fragment"), [
    (("ensemble", *LONG, "--out", "afile"), "--out: afile: afile is not a folder"),
    (("ensemble", *LONG, "--out", "afile/sub"), "afile is not a folder"),
    (("ensemble", *LONG, "--out", ""), "--out: an empty path"),
    (("validate", *LONG, "--out", "v", "--json", "."), "--json: . is not a regular file"),
    (("validate", *LONG, "--out", "v", "--json", ""), "--json: an empty path"),
    (("validate", *LONG, "--out", "v", "--json", "afile/x.json"), "afile is not a folder"),
    (("ensemble", *LONG, "--workers", "100000"), f"is more than {max_workers()}"),
    (("ensemble", "--runs", "1000000000"), "--runs"),
    (("run", "--seed", "-1"), "--seed"),
])
def test_bad_arguments_are_refused_before_any_work(tmp_path, args, fragment):
    (tmp_path / "afile").write_text("a file, not a folder", encoding="utf-8")
    res = troika(*args, cwd=tmp_path)
    assert res.returncode == 2
    assert fragment in one_line(res.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # nothing written


def test_a_dead_dask_scheduler_is_refused_at_once(tmp_path):
    pytest.importorskip("dask.distributed")
    port = next(p for p in range(20000 + os.getpid() % 5000, 32000) if _free(p))
    res = troika("ensemble", *LONG, "--backend", "dask", "--scheduler",
                 f"tcp://127.0.0.1:{port}", "--out", "ens", cwd=tmp_path)
    assert res.returncode == 2
    assert f"--scheduler: nothing answers at tcp://127.0.0.1:{port}" in one_line(res.stderr)
    assert not (tmp_path / "ens").exists()


def _free(port: int) -> bool:
    """Whether nothing listens at ``port`` (chosen below the ephemeral range, where a probe
    could connect to itself)."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class _FakeVfs:
    def __init__(self, read_only=False, free=1 << 40):
        self.f_flag = os.ST_RDONLY if read_only else 0
        self.f_bavail, self.f_frsize = free, 1


@pytest.mark.parametrize(("vfs", "fragment"), [
    (_FakeVfs(read_only=True), "is on a read-only file system"),
    (_FakeVfs(free=0), "only 0 KiB free"),
])
def test_read_only_or_full_disk_is_refused_before_any_work(tmp_path, monkeypatch, vfs,
                                                           fragment):
    monkeypatch.setattr(options.os, "statvfs", lambda _path: vfs)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(typer.Exit) as info:
        options.check_output_dir(tmp_path / "out")
    assert info.value.exit_code == 2
    assert fragment in one_line(err.getvalue())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_without_write_permission_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, stderr = in_process("run", "--out", str(locked / "run"))
    assert code == 2 and "no permission to write" in one_line(stderr)


def test_a_disk_that_fills_during_the_writing_is_one_line_and_exit_1(tmp_path, monkeypatch):
    import model.views.outputs as outputs

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "run" / "x.csv"))

    monkeypatch.setattr(outputs, "write_run", full)
    code, stderr = in_process("run", "--out", str(tmp_path / "run"))
    assert code == 1
    line = one_line(stderr)
    assert line.startswith("troika: error: No space left on device") and "x.csv" in line


def test_a_failure_of_the_code_is_exit_1_with_the_traceback_only_with_debug(monkeypatch,
                                                                          tmp_path):
    """Before issue #15 a ValueError from inside an ensemble was reported as a user error
    (exit 2); now a failure of the code is exit 1, one line naming what failed."""
    import model.analysis.runs as runs

    def broken(*_args, **_kwargs):
        raise ValueError("an invariant of the code was broken")

    monkeypatch.setattr(runs, "run_ensemble", broken)
    code, stderr = in_process("ensemble", "--runs", "2", "--out", str(tmp_path / "e"))
    assert code == 1
    assert one_line(stderr) == ("troika: internal error: ValueError: an invariant of the code "
                                "was broken (troika --debug ... prints the traceback)")
    assert not (tmp_path / "e").exists()  # nothing kept, nothing left behind
    code, stderr = in_process("--debug", "ensemble", "--runs", "2", "--out",
                              str(tmp_path / "e"))
    assert code == 1 and "Traceback (most recent call last)" in stderr


def test_scenario_problems_beyond_fifty_are_counted_not_listed(tmp_path):
    bad = "".join(f'{{ id = "e{i}", kind = "shock", date = "1923-13" }}, ' for i in range(80))
    path = tmp_path / "many.toml"
    path.write_text(f'extends = "baseline"\nname = "many"\nevents = [{bad}]\n',
                    encoding="utf-8")
    code, stderr = in_process("run", str(path), "--out", str(tmp_path / "run"))
    lines = stderr.strip().splitlines()
    assert code == 2 and len(lines) == options.MAX_PROBLEM_LINES + 1
    assert lines[-1] == "... and 30 more problems"
    assert not (tmp_path / "run").exists()

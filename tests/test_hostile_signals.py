"""Processes and signals (issue #15): pool workers and the app's server die with their
parent, even after ``kill -9``; Ctrl-C and SIGTERM stop a command with one line saying what
was kept and how to resume.

Linux only (``/proc``, ``prctl``); each test stops what it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

CHUNK = 50  # model.analysis.runs.CHUNK


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid``."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found.update(kids)
        todo += kids
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for p in pids:
        try:
            state = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(p)
    return out


def wait_for(predicate, timeout: float = 120.0, what: str = "") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def start(*args: str, cwd: Path) -> subprocess.Popen:
    """A command in its own process group, as a shell would start it in a terminal."""
    return subprocess.Popen([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def first_chunk(out: Path) -> bool:
    return any((out / "chunks").glob("runs-*.csv"))


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def test_pool_workers_die_with_a_killed_ensemble(tmp_path):
    """Before issue #15 the pool workers lived on after ``kill -9`` of the ensemble."""
    out = tmp_path / "ens"
    proc = start("ensemble", "--runs", "100000", "--workers", "2", "--out", str(out),
                 cwd=tmp_path)
    try:
        wait_for(lambda: len(descendants(proc.pid)) >= 2, what="the pool workers")
        workers = descendants(proc.pid)
        proc.kill()
        proc.wait(timeout=30)
        wait_for(lambda: not alive(workers), timeout=30, what="the workers to die")
    finally:
        for p in alive(descendants(proc.pid)):
            os.kill(p, signal.SIGKILL)
        stop(proc)


@pytest.mark.parametrize(("signum", "status", "name"), [
    (signal.SIGTERM, 143, "SIGTERM"),
    (signal.SIGINT, 130, "Ctrl-C"),
])
def test_a_stopped_ensemble_says_what_was_kept_and_resumes(tmp_path, signum, status, name):
    """Before issue #15 Ctrl-C exited 130 with no message (SIGINT goes to the whole process
    group, as from a terminal)."""
    out = tmp_path / "ens"
    runs = str(2 * CHUNK)
    proc = start("ensemble", "--runs", runs, "--workers", "2", "--out", str(out), cwd=tmp_path)
    try:
        wait_for(lambda: first_chunk(out), what="the first chunk")
        workers = descendants(proc.pid)
        os.killpg(proc.pid, signum) if signum == signal.SIGINT else proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert not alive(workers)
    if proc.returncode == 0:
        pytest.skip("the ensemble finished before the signal")
    assert proc.returncode == status, stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith(f"troika: stopped by {name}; ")
    assert f"of {runs} runs are kept in {out / 'chunks'}" in line
    assert "the same command with --resume runs the rest" in line
    kept = len(list((out / "chunks").glob("runs-*.csv")))
    assert kept >= 1
    if signum == signal.SIGINT:
        return  # resuming is the same after either signal: done once, below
    again = subprocess.run([sys.executable, "-m", "model.cli.main", "ensemble", "--runs", runs,
                            "--workers", "2", "--out", str(out), "--resume"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert len((out / "runs.csv").read_text().splitlines()) == 1 + int(runs)


def test_a_stopped_validation_says_nothing_part_done_was_kept(tmp_path):
    proc = start("validate", "--runs", "100000", "--workers", "1", "--out", "v", cwd=tmp_path)
    try:
        first = proc.stdout.readline()  # printed once the work starts
        assert first.startswith("scenario baseline")
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert proc.returncode == 143
    (line,) = stderr.strip().splitlines()
    assert line.startswith("troika: stopped by SIGTERM; nothing part-done was kept")
    assert not (tmp_path / "v").exists()


def _free_port() -> int:
    """A free port below the ephemeral range: probing a port of that range where nothing
    listens can connect the probe to itself (TCP simultaneous open) and seem to answer."""
    for port in range(20000 + os.getpid() % 5000, 32000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port below 32000")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C", "kill -9"])
def test_the_app_server_stops_with_the_command(tmp_path, how):
    """Before issue #15 SIGTERM to ``troika app`` left the server answering. Ctrl-C goes to
    the whole process group, the server too, as from a terminal."""
    pytest.importorskip("solara", reason="the app needs the [app] extra")
    port = _free_port()
    proc = start("app", "--port", str(port), cwd=tmp_path)
    try:
        wait_for(lambda: _answers(port) or proc.poll() is not None, timeout=180,
                 what="the server")
        assert proc.poll() is None, proc.communicate()
        server = descendants(proc.pid)
        if how in ("SIGTERM", "Ctrl-C"):
            if how == "SIGTERM":
                proc.send_signal(signal.SIGTERM)
            else:
                os.killpg(proc.pid, signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
            assert proc.returncode == 0
            assert stderr.strip().splitlines()[-1].startswith("troika app: stopped; the server")
        else:
            proc.kill()
            proc.wait(timeout=30)
        wait_for(lambda: not alive(server), timeout=30, what="the server to die")
        wait_for(lambda: not _answers(port), timeout=30, what="the port to close")
    finally:
        for p in alive(descendants(proc.pid)):
            os.kill(p, signal.SIGKILL)
        stop(proc)

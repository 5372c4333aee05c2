"""Child processes that die with their parent (a leaf utility, like :mod:`model.atomic`).

A pool worker or a server started by troika must not outlive the command that started it:
after ``kill -9`` of the parent nothing is left to collect its results or to stop it. On
Linux the kernel is asked to send the child SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere these functions do nothing beyond ignoring SIGINT.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


class Stopped(BaseException):
    """A command stopped by Ctrl-C, SIGTERM or SIGHUP (raised in the main thread by the
    handlers of :func:`stop_on_signals`). Like KeyboardInterrupt it is not an Exception,
    so that no ``except Exception`` swallows it; unlike it, click and typer let it through
    (they turn a KeyboardInterrupt into a silent exit 130), so that the command line can
    say what was kept."""

    def __init__(self, signum: int, note: str | None = None):
        super().__init__(note or signal.Signals(signum).name)
        self.signum = signum
        self.note = note


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _raise_stopped(signum, _frame) -> None:
    raise Stopped(signum)


def stop_on_signals() -> dict:
    """Make Ctrl-C, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread; returns
    the previous handlers (for :func:`restore_signals`)."""
    return {s: signal.signal(s, _raise_stopped) for s in STOP_SIGNALS}


def restore_signals(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent dies; True where it could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no prctl in this C library
        return False


def pool_worker_init(parent: int | None = None) -> None:
    """Initializer of the pool workers: die with the parent, and leave Ctrl-C to it (the
    parent stops the pool and says what was kept; a worker's own KeyboardInterrupt would
    only print tracebacks). ``parent``: the pid the worker expects as its parent, to close
    the race of a parent killed before ``prctl`` took effect."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):  # not the parent's Stopped handlers
        signal.signal(signum, signal.SIG_DFL)
    if die_with_parent() and parent is not None and os.getppid() != parent:
        os._exit(1)

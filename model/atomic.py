"""Atomic output: every file the package writes goes through a temporary file in the same
folder and is moved into place only when it is complete, so that an interrupted command
never leaves a half-written table or figure behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported by the commands that draw, not by every one
    from matplotlib.figure import Figure

DPI = 120


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _temporary_beside(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
    return fd, tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    fd, tmp = _temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary_folder(parent: Path, prefix: str) -> Path:
    """A new folder in ``parent`` to fill and then move into place whole; made with the
    mode of any other folder the package creates (``0777`` less the umask, as
    ``Path.mkdir``), not the ``0700`` of ``tempfile.mkdtemp``."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(tmp, 0o777 & ~_umask())
    return tmp


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    fd, tmp = _temporary_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_figure(fig: Figure, path: Path, dpi: int = DPI) -> Path:
    """Render ``fig`` as PNG to a temporary file beside ``path``, then move it into place.
    No timestamp or software tag is written, so the same figure gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path = Path(path)
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fd, tmp = _temporary_beside(path)
    os.close(fd)
    try:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

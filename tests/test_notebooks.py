"""The notebooks stay readable in diffs: each .ipynb is paired with a .py (jupytext percent
format) holding the same cells, and is committed without outputs. The notebooks themselves
are executed by nbmake in .ci/run (``pytest --nbmake notebooks``)."""

from __future__ import annotations

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_paired_with_its_script(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{script.name} is missing: run jupytext --sync {path.name}"
    nb_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]
    py_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(script).cells]
    assert nb_cells == py_cells, f"{path.name} and {script.name} differ: jupytext --sync"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = jupytext.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: strip outputs before committing"
            assert cell.get("execution_count") is None

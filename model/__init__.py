"""troika: an agent-based model of succession struggles in one-party regimes.

The package is in layers, each importing only from the ones below it:

- ``model.engine``: the monthly step, leaders, coalitions, institutions, the apparatus;
- ``model.cases``: a case as data: scenario files, the recorded outcomes and the case file
  (criteria, outcomes, figures) of each folder of ``scenarios/``;
- ``model.analysis``: outcomes, ensembles, validation, comparison, ablation, sensitivity,
  calibration;
- ``model.views``: output tables, figures, the browser app;
- ``model.cli``: the ``troika`` command.

``from model import SuccessionModel, load_scenario`` gives the two things a notebook needs
first; they are imported on first use, so that ``import model`` stays light.
"""

from __future__ import annotations

__all__ = ["SuccessionModel", "load_scenario"]


def __getattr__(name: str):
    if name == "SuccessionModel":
        from model.engine.model import SuccessionModel

        return SuccessionModel
    if name == "load_scenario":
        from model.cases.scenario import load_scenario

        return load_scenario
    raise AttributeError(f"module 'model' has no attribute {name!r}")

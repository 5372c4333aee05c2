"""A synthetic scenario with more leaders: the 1922 baseline plus minor figures.

``scaled_scenario(n)`` returns the baseline with ``n - 15`` extra leaders, each a copy of a
baseline leader other than the first (who falls ill on schedule) under a new name, with
prestige, policy position, resolve and ambition jittered by a seeded generator, outside the
Politburo (whose size the case fixes) and in the Central Committee. Nothing is scheduled
for them, so the calendar of the case is unchanged: the extra leaders only add decisions
to each month. Used by ``bench.py`` to measure how the cost of a run grows with the number
of leaders; not a case.
"""

from __future__ import annotations

import numpy as np

from model.cases.scenario import load_scenario
from model.engine.spec import Scenario


def scaled_scenario(n: int, seed: int = 0, base: str = "baseline") -> Scenario:
    """The ``base`` scenario with leaders added up to ``n`` (seeded, reproducible)."""
    data = load_scenario(base).model_dump(mode="json")
    leaders = data["leaders"]
    if n < len(leaders):
        raise ValueError(f"n={n} is fewer than the {len(leaders)} leaders of {base}")
    rng = np.random.default_rng(seed)
    models = leaders[1:]
    for k in range(len(leaders), n):
        extra = dict(models[int(rng.integers(len(models)))])
        extra["name"] = f"Minor {k + 1}"
        for key, low, high in (("prestige", 0, 1), ("economy", -1, 1), ("world", -1, 1),
                               ("resolve", 0, 1), ("ambition", 0, 1)):
            extra[key] = round(float(np.clip(extra[key] + rng.normal(0, 0.15), low, high)), 3)
        extra["politburo"] = "none"  # the Politburo's size is the case's
        leaders.append(extra)
    return Scenario.model_validate(data)

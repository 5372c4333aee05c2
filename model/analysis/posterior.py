"""A posterior file carried into every run: ``--posterior FILE`` of ``troika validate``,
``ensemble`` and ``compare``.

The file is the ``posterior.csv`` that ``troika calibrate`` writes: one row per particle,
a column per calibrated parameter (a field of ``[parameters]``) and, after ``calibrate
--inputs``, per uncertain input (``leaders.<name>.<field>``, ``regions.<name>.<field>``;
:mod:`model.analysis.inputs`), and a ``weight`` column (a ``distance`` column is ignored).

Run ``k`` of an ensemble with base seed ``s`` draws one particle by weight from its own
stream, ``SeedSequence(s, spawn_key=(DRAW_STREAM, k))``, apart from the run's seed
``SeedSequence(s, spawn_key=(k,))``: the run keeps its seed (common random numbers with a
run without the posterior) and the draw depends on ``(s, k)`` only, never on the number of
workers. Its parameters override the scenario's; its inputs replace the scenario's values.
So every answer (a scorecard, an ensemble's probabilities, a comparison of counterfactuals)
integrates over the posterior's uncertainty: a posterior predictive one.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.analysis.inputs import UNCERTAIN_FIELDS, apply_values
from model.cases.scenario import Scenario
from model.engine.parameters import Parameters

DRAW_STREAM = 2**31 - 1  # spawn_key (DRAW_STREAM, k): apart from every run seed (k,)
IGNORED = ("distance",)
_TEXT_FIELDS = ("patron",)
_WHOLE_FIELDS = ("members",)


class PosteriorError(ValueError):
    """A posterior file that cannot be used (one line naming the file and the problem)."""


@dataclass(frozen=True)
class Posterior:
    """Particles of a posterior: ``parameters`` and ``inputs`` (column names), ``rows``
    (each a dict of values) and normalised ``weights``; ``inputs_from``: the ledger whose
    priors the inputs were drawn from (:func:`with_input_priors`), else ''."""

    path: str
    parameters: tuple[str, ...]
    inputs: tuple[str, ...]
    rows: tuple[dict, ...]
    weights: np.ndarray
    inputs_from: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def pick(self, base_seed: int, k: int) -> int:
        """The particle run ``k`` draws (by weight, from its own stream)."""
        rng = np.random.default_rng(np.random.SeedSequence(base_seed,
                                                           spawn_key=(DRAW_STREAM, k)))
        return int(rng.choice(len(self.rows), p=self.weights))

    def draw(self, scenario: Scenario, base_seed: int, k: int,
             parameters: dict | None = None) -> tuple[Scenario, dict | None]:
        """Run ``k``'s scenario and parameter overrides: ``parameters`` updated with the
        drawn particle's parameters, the scenario with its inputs."""
        row = self.rows[self.pick(base_seed, k)]
        over = dict(parameters or {})
        over.update({n: row[n] for n in self.parameters})
        inputs = {n: row[n] for n in self.inputs}
        return (apply_values(scenario, inputs) if inputs else scenario), (over or None)


def _number(text: str, where: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise PosteriorError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(x):
        raise PosteriorError(f"{where}: {text!r} is not a finite number")
    return x


def load_posterior(path: Path, scenario: Scenario) -> Posterior:
    """Read and check a posterior file against ``scenario``; :class:`PosteriorError` (one
    line) for a file that cannot be read, a missing or bad ``weight`` column, a column that
    is neither a parameter nor an input of the scenario, or a value out of place."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            columns = list(reader.fieldnames or [])
            raw = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PosteriorError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") \
            from None
    if "weight" not in columns:
        raise PosteriorError(f"{path}: no weight column (a posterior.csv of troika calibrate)")
    if not raw:
        raise PosteriorError(f"{path}: no particles")
    fields = Parameters.model_fields
    names = {t: {e.name for e in getattr(scenario, t)} for t in UNCERTAIN_FIELDS}
    params, inputs = [], []
    for c in columns:
        if c in ("weight", *IGNORED):
            continue
        parts = c.split(".")
        if c in fields:
            params.append(c)
        elif (len(parts) >= 3 and parts[0] in UNCERTAIN_FIELDS
              and parts[-1] in UNCERTAIN_FIELDS[parts[0]]
              and ".".join(parts[1:-1]) in names[parts[0]]):
            inputs.append(c)
        else:
            raise PosteriorError(f"{path}: column {c!r} is neither a parameter nor an "
                                 f"input of scenario {scenario.name}")
    leaders = {ld.name for ld in scenario.leaders}
    rows, weights = [], []
    for i, r in enumerate(raw, start=2):
        if None in r or any(r.get(c) is None for c in columns):
            raise PosteriorError(f"{path}: line {i}: not {len(columns)} fields")
        row: dict[str, object] = {}
        for c in params:
            row[c] = _number(r[c], f"{path}: line {i}: {c}")
        for c in inputs:
            fld = c.split(".")[-1]
            if fld in _TEXT_FIELDS:
                if r[c] not in leaders:
                    raise PosteriorError(f"{path}: line {i}: {c}: {r[c]!r} is not a leader "
                                         f"of scenario {scenario.name}")
                row[c] = r[c]
            elif fld in _WHOLE_FIELDS:
                x = _number(r[c], f"{path}: line {i}: {c}")
                if x < 1 or x != int(x):
                    raise PosteriorError(f"{path}: line {i}: {c}: {r[c]!r} is not a whole "
                                         "number of at least 1")
                row[c] = int(x)
            else:
                x = _number(r[c], f"{path}: line {i}: {c}")
                if not 0 <= x <= 1:
                    raise PosteriorError(f"{path}: line {i}: {c}: {r[c]!r} is not in [0, 1]")
                row[c] = x
        w = _number(r["weight"], f"{path}: line {i}: weight")
        if w < 0:
            raise PosteriorError(f"{path}: line {i}: weight: {r['weight']!r} is negative")
        rows.append(row)
        weights.append(w)
    total = float(sum(weights))
    if total <= 0:
        raise PosteriorError(f"{path}: the weights sum to 0")
    bad = _parameters_out_of_bounds(rows, params)
    if bad:
        raise PosteriorError(f"{path}: {bad}")
    return Posterior(str(path), tuple(params), tuple(inputs), tuple(rows),
                     np.array(weights, dtype=float) / total)


def _parameters_out_of_bounds(rows: list[dict], params: list[str]) -> str:
    """The first parameter value its field refuses, as ``line N: name: problem``."""
    from pydantic import ValidationError
    for i, row in enumerate(rows, start=2):
        values = {n: row[n] for n in params}
        try:
            Parameters(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            return f"line {i}: {err['loc'][0]}: {err['msg']}"
    return ""


UNKNOWN = "unknown"
SETTINGS = "settings.json"


def fitted_until(path: Path) -> str | None:
    """The time split a posterior was fitted at: ``fit_until`` of the ``settings.json``
    that ``troika calibrate`` writes beside its ``posterior.csv`` (``None``: fitted to every
    target), or :data:`UNKNOWN` when there is no readable settings file (an older or
    hand-made posterior)."""
    settings = Path(path).with_name(SETTINGS)
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return UNKNOWN
    if not isinstance(data, dict) or "fit_until" not in data:
        return UNKNOWN
    until = data["fit_until"]
    if until is None or until == "":
        return None
    return until if isinstance(until, str) else UNKNOWN


def split_warning(path: Path, split: str | None) -> str | None:
    """A warning when a posterior's fit reaches past the time split it is scored at: a
    criterion settled after ``split`` is out of sample only if the calibration never saw
    its record, so a posterior fitted to later targets (or to all of them) makes the
    "out-of-sample" part partly in sample. ``None`` when there is nothing to say."""
    if split is None:
        return None
    fitted = fitted_until(path)
    if fitted == UNKNOWN:
        return (f"{path}: no {SETTINGS} beside it says up to when it was fitted; the "
                f"out-of-sample part after {split} is out of sample only if it was fitted "
                f"up to {split} or before")
    if fitted is None or fitted > split:
        return (f"{path} was fitted to the targets recorded up to "
                f"{fitted or 'the end'}, after the split {split}: the out-of-sample part is "
                f"not out of sample for the targets it saw")
    return None


INPUT_STREAM = 2**31 - 2  # spawn_key (INPUT_STREAM,): the input draws of --input-priors
INPUT_DRAWS = 20
INPUT_SETS = 1000


def input_draws(post: Posterior | None) -> int:
    """Draws of the inputs per particle: at least :data:`INPUT_DRAWS`, and at least
    :data:`INPUT_SETS` sets of inputs in all (1000 without a posterior), so that the runs of
    an ensemble share an input draw mostly by chance (each run picks its particle by
    weight). It does not depend on the number of runs, so that ``--resume`` continues the
    same draws."""
    particles = len(post) if post is not None else 1
    return max(INPUT_DRAWS, -(-INPUT_SETS // particles))


def with_input_priors(post: Posterior | None, space, base_seed: int,
                      draws: int | None = None, source: str = "") -> Posterior:
    """``post`` with the judgement-call inputs it does not carry drawn from their priors
    (``space``, an :class:`model.analysis.inputs.InputSpace` read from the case's provenance
    ledger): each particle becomes ``draws`` particles (by default :func:`input_draws`),
    one per draw of those inputs, each with its share of the particle's weight. Without
    ``post``: the scenario's parameters, ``draws`` particles of inputs alike. The draws
    come from their own stream, ``SeedSequence(base_seed, spawn_key=(INPUT_STREAM,))``,
    so they depend on the base seed only. What a joint calibration of inputs cannot yet
    pin down (it collapses at the budget of docs/validation.md) is integrated over at its
    prior: the inputs' uncertainty carried into every answer, as the ledger states it
    (issue #11, item 2)."""
    draws = input_draws(post) if draws is None else draws
    if draws < 1:
        raise ValueError(f"draws: must be at least 1, got {draws}")
    rng = np.random.default_rng(np.random.SeedSequence(base_seed, spawn_key=(INPUT_STREAM,)))
    base_rows = post.rows if post is not None else ({},)
    base_weights = post.weights if post is not None else np.ones(1)
    carried = set(post.inputs) if post is not None else set()
    names = tuple(n for n in space.names if n not in carried)
    rows, weights = [], []
    for row, w in zip(base_rows, base_weights, strict=True):
        for _ in range(draws):
            values = space.values(rng.uniform(space.low, space.high))
            rows.append({**row, **{n: values[n] for n in names}})
            weights.append(float(w) / draws)
    weights = np.array(weights, dtype=float)
    return Posterior(post.path if post is not None else "",
                     post.parameters if post is not None else (),
                     (*(post.inputs if post is not None else ()), *names),
                     tuple(rows), weights / weights.sum(), inputs_from=source)

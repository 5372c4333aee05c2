"""Priors on a scenario's judgement-call inputs, read from the case's provenance ledger.

Every judgement-call input of a case carries an entry in ``provenance.csv`` beside its
scenarios (``input, value, source_or_proxy, kind, set_before_output, note``; issue #10).
The entry's ``kind`` says how sure the value is, and this module turns it into a prior
(issue #11, item 2) by one rule, the same for every case:

* ``source``: read off the record; held fixed (no prior).
* ``proxy``: scored on a stated proxy scale; a uniform prior of half-width
  :data:`HALF_WIDTH` ``["proxy"]`` = 0.1 around the value (about half a step of the
  prestige, ambition and resolve scales: a mark misread either way), clipped to the field's
  bounds.
* ``judgement``: the modellers' estimate; a uniform prior of half-width 0.2, clipped.
* ``free``: a free parameter of the model, calibrated as such, not here.

Only the fields of :data:`UNCERTAIN_FIELDS` get priors: a leader's ``prestige``,
``ambition`` and ``resolve`` (on which the fit sits, issue #11) and a region's ``patron``
and ``members`` (the apparatus). A region's ``members`` (its weight) is multiplied by a
factor uniform in ``1 ± MEMBERS_SPREAD[kind]`` (0.1 proxy, 0.25 judgement), rounded to a
whole member. A region's ``patron`` is a category: it keeps its ledger value with
probability :data:`PATRON_KEEP` ``[kind]`` (0.8 proxy, 0.5 judgement), and otherwise goes to
one of the other leaders who are patrons of some region of the scenario, each alike. So
that the sampler can perturb it like a number, it is carried as a coordinate ``u`` in
``[0, 1]``: ``u < keep`` keeps the value, the rest of the interval is cut into equal parts,
one per other patron (:meth:`InputPrior.value`).

The space of inputs is a box (:class:`InputSpace`: ``low``, ``high``), a uniform prior for
:class:`model.analysis.abc.UniformPrior`, and :meth:`InputSpace.apply` makes the scenario
of one point of it.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.cases.scenario import Scenario

LEDGER = "provenance.csv"
UNCERTAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "leaders": ("prestige", "ambition", "resolve"),
    "regions": ("patron", "members"),
}
HALF_WIDTH = {"proxy": 0.1, "judgement": 0.2}
MEMBERS_SPREAD = {"proxy": 0.1, "judgement": 0.25}
PATRON_KEEP = {"proxy": 0.8, "judgement": 0.5}
UNIT_BOUNDS = (0.0, 1.0)  # prestige, ambition, resolve (LeaderSpec)


class InputsError(ValueError):
    """A ledger that cannot give priors (one line naming the file and the problem)."""


@dataclass(frozen=True)
class InputPrior:
    """The prior of one input: ``path`` (``leaders.<name>.<field>``), its ``kind`` in the
    ledger, its scenario ``value`` and the box ``[low, high]`` of its coordinate; for a
    patron the coordinate is ``u`` and ``others`` the other patrons; for members a
    factor."""

    path: str
    kind: str
    value: object
    low: float
    high: float
    others: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.path.split(".")[0]

    @property
    def name(self) -> str:
        return ".".join(self.path.split(".")[1:-1])

    @property
    def field(self) -> str:
        return self.path.split(".")[-1]

    def value_at(self, x: float) -> object:
        """The input's value at coordinate ``x``."""
        if self.field == "patron":
            keep = PATRON_KEEP[self.kind]
            if x < keep or not self.others:
                return self.value
            k = int((x - keep) / (1.0 - keep) * len(self.others))
            return self.others[min(k, len(self.others) - 1)]
        if self.field == "members":
            return max(1, int(round(float(self.value) * x)))
        return float(x)


def _prior(path: str, kind: str, value: object, patrons: Sequence[str]) -> InputPrior:
    fld = path.split(".")[-1]
    if fld == "patron":
        others = tuple(p for p in patrons if p != value)
        return InputPrior(path, kind, value, 0.0, 1.0, others)
    if fld == "members":
        s = MEMBERS_SPREAD[kind]
        return InputPrior(path, kind, value, 1.0 - s, 1.0 + s)
    h = HALF_WIDTH[kind]
    v = float(value)
    return InputPrior(path, kind, v, max(UNIT_BOUNDS[0], v - h), min(UNIT_BOUNDS[1], v + h))


def read_ledger(path: Path) -> dict[str, str]:
    """``input -> kind`` of a provenance ledger (:class:`InputsError` when unreadable)."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputsError(f"{path}: cannot read the provenance ledger "
                          f"({getattr(exc, 'strerror', None) or exc})") from None
    if rows and not {"input", "kind"} <= set(rows[0]):
        raise InputsError(f"{path}: the provenance ledger needs columns input and kind")
    return {r["input"]: r["kind"] for r in rows}


class InputSpace:
    """The uncertain inputs of a scenario and their priors (the module's rule)."""

    def __init__(self, priors: Sequence[InputPrior]):
        self.priors = tuple(priors)
        self.names = tuple(p.path for p in self.priors)
        self.low = np.array([p.low for p in self.priors], dtype=float)
        self.high = np.array([p.high for p in self.priors], dtype=float)

    def __len__(self) -> int:
        return len(self.priors)

    def values(self, x: Sequence[float]) -> dict[str, object]:
        """``path -> value`` at the coordinates ``x``."""
        return {p.path: p.value_at(float(v)) for p, v in zip(self.priors, x, strict=True)}

    def apply(self, scenario: Scenario, x: Sequence[float]) -> Scenario:
        """The scenario with the inputs at coordinates ``x``."""
        return apply_values(scenario, self.values(x))


def input_space(scenario: Scenario, ledger: Path) -> InputSpace:
    """The priors of ``scenario``'s uncertain inputs by the ledger's kinds: every field of
    :data:`UNCERTAIN_FIELDS` whose entry is a proxy or a judgement (fields the ledger lacks
    or marks as source are held fixed). A region patron whose value is none is held fixed."""
    kinds = read_ledger(ledger)
    patrons = sorted({r.patron for r in scenario.regions if r.patron})
    priors = []
    for table, fields in UNCERTAIN_FIELDS.items():
        for entry in getattr(scenario, table):
            for fld in fields:
                path = f"{table}.{entry.name}.{fld}"
                kind = kinds.get(path, "source")
                value = getattr(entry, fld)
                if kind not in HALF_WIDTH or value is None:
                    continue
                priors.append(_prior(path, kind, value, patrons))
    return InputSpace(priors)


def apply_values(scenario: Scenario, values: dict[str, object]) -> Scenario:
    """A copy of ``scenario`` with each ``table.name.field`` of ``values`` set (leaders and
    regions; ``ValueError`` for a path the scenario does not have)."""
    by_table: dict[str, dict[str, dict[str, object]]] = {}
    for path, value in values.items():
        parts = path.split(".")
        if len(parts) < 3 or parts[0] not in UNCERTAIN_FIELDS:
            raise ValueError(f"{path}: not an input (leaders.NAME.FIELD or regions.NAME.FIELD)")
        table, name, fld = parts[0], ".".join(parts[1:-1]), parts[-1]
        if fld not in UNCERTAIN_FIELDS[table]:
            raise ValueError(f"{path}: {fld} is not one of the uncertain fields "
                             f"{', '.join(UNCERTAIN_FIELDS[table])}")
        by_table.setdefault(table, {}).setdefault(name, {})[fld] = value
    update = {}
    for table, changes in by_table.items():
        entries = getattr(scenario, table)
        known = {e.name for e in entries}
        missing = sorted(set(changes) - known)
        if missing:
            raise ValueError(f"{table}.{missing[0]}: the scenario has no such entry")
        update[table] = [e.model_copy(update=changes[e.name]) if e.name in changes else e
                         for e in entries]
    return scenario.model_copy(update=update) if update else scenario

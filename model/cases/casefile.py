"""A case as data: ``scenarios/<case>/case.toml``, validated.

A case is a folder of ``scenarios/``: its scenario files (a baseline and counterfactuals), its
recorded outcomes (a CSV, see :mod:`model.cases.record`) and a case file that declares, in
data, what the analysis measures and what the figures show:

* ``measures``: named outcome measures, each one kind of the small vocabulary of
  :mod:`model.analysis.measures` with its leaders, offices, assemblies and month windows;
* ``criteria``: the validation criteria (id, statement, recorded value, the measure, the
  pass rule);
* ``outcomes``: the main outcomes of ``ensemble`` and ``compare``; ``compare``: the
  questions and counts of ``troika compare``;
* ``key_events``: the key events printed by ``troika run``;
* ``plots`` and ``alignments``: the leaders to highlight, their colours, the recorded events
  and alignments drawn in the figures;
* ``sensitivity`` and ``calibration``: the outputs of ``troika sensitivity`` and the fitting
  targets of ``troika calibrate``.

Every part is optional: a folder with a scenario and no case file is a case with no record
and no criteria. ``docs/cases.md`` explains how to write one. Problems are reported as
``FILE: field.path: problem`` lines in a :class:`~model.cases.scenario.ScenarioError`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from model.cases.record import Vocabulary, load_record
from model.cases.scenario import ScenarioError, format_errors, load_scenario, resolve_path

CASE_FILE = "case.toml"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _months(window: tuple[str, str]) -> tuple[str, str]:
    for m in window:
        if m and not _MONTH.match(m):
            raise ValueError(f"{m!r} is not a month YYYY-MM (or '' for an open end)")
    return window


# first and last month of a window, YYYY-MM; '' leaves that end open
Window = Annotated[tuple[str, str], AfterValidator(_months)]


class _Measure(_Strict):
    text: str = Field("", description="One line saying what the measure is.")


class EventMeasure(_Measure):
    """Month of the first event ``event`` of each leader of ``who`` (the latest of them);
    hit: in ``window``, and (``still_in``) none of them out of that body by then. ``what``
    may list several (e.g. ``["Central Committee", "party"]``: the first of either). With
    ``hit = "any"``: an event of each of them at any time in ``window``."""

    kind: Literal["event"]
    event: str
    who: list[str] = Field(min_length=1)
    what: str | list[str] | None = None
    window: Window = ("", "")
    still_in: str | None = None
    hit: Literal["first", "any"] = "first"


class NoEvent(_Measure):
    """None of ``who`` has an event ``event`` (on ``what``) in ``window`` (1 or 0)."""

    kind: Literal["no_event"]
    event: str
    who: list[str] = Field(min_length=1)
    what: str | list[str] | None = None
    window: Window = ("", "")


class LeavesOffice(_Measure):
    """Month each leader of ``who`` stops holding one of ``offices`` (read from the holders
    of every month, so that an office taken by a vote, by expulsion from the party or by
    death all count); the latest of them. ``hit = "first"``: his first such month; ``"last"``:
    his last (the office he held last). Hit: in ``window`` and (``still_in``) none of them
    out of that body by then."""

    kind: Literal["leaves_office"]
    who: list[str] = Field(min_length=1)
    offices: list[str] = Field(min_length=1)
    window: Window = ("", "")
    still_in: str | None = None
    hit: Literal["first", "last"] = "first"


class Successor(_Measure):
    """The first leader to hold ``office`` after ``holder`` (vacant months skipped) is
    ``successor`` (1 or 0; 0 when ``holder`` never leaves it)."""

    kind: Literal["successor"]
    office: str
    holder: str
    successor: str


class Reversal(_Measure):
    """A body's majority against an office holder, reversed: at some month ``m`` of
    ``window`` the holder of ``office`` is outside the ruling faction, and within
    ``within`` months at least ``count`` leaders of that ruling faction are expelled from
    ``body`` while he still holds the office. Value: the first such ``m``."""

    kind: Literal["reversal"]
    office: str
    body: str = "Politburo"
    count: int = Field(2, ge=1)
    within: int = Field(2, ge=0)
    window: Window = ("", "")


class Combination(_Measure):
    """Every measure of ``all`` hits and none of ``none`` does; value: the latest month of
    the dated measures of ``all`` (a measure here cannot itself be a combination)."""

    kind: Literal["combination"]
    all: list[str] = Field(min_length=1)
    none: list[str] = Field(default_factory=list)


class AllianceForms(_Measure):
    """First month ``members`` are in one faction without any of ``without``; hit: that
    month (``hit = "first"``) or any such month (``hit = "any"``) in ``window``."""

    kind: Literal["alliance_forms"]
    members: list[str] = Field(min_length=2)
    without: list[str] = Field(default_factory=list)
    window: Window = ("", "")
    hit: Literal["first", "any"] = "first"
    max_size: int | None = Field(
        None, ge=2, description="Count only months when their faction has at most this many "
        "members (a distinct bloc, not everyone but the excluded).")


class AllianceBreaks(_Measure):
    """First month, after ``members`` were first allied, that they are not; hit: in
    ``window``."""

    kind: Literal["alliance_breaks"]
    members: list[str] = Field(min_length=2)
    window: Window = ("", "")


class AllianceHolds(_Measure):
    """Share of the months of ``window`` in which ``members`` are allied; hit: all."""

    kind: Literal["alliance_holds"]
    members: list[str] = Field(min_length=2)
    window: Window


class Stances(_Measure):
    """Every leader of ``recant`` recants and every one of ``refuse`` refuses (1 or 0)."""

    kind: Literal["stances"]
    recant: list[str] = Field(default_factory=list)
    refuse: list[str] = Field(default_factory=list)


class HoldsOffice(_Measure):
    """``holder`` holds ``office`` at every month of ``window`` (the whole run by default;
    ``hit = "any"``: at some month of it): 1 or 0."""

    kind: Literal["holds_office"]
    office: str
    holder: str
    window: Window = ("", "")
    hit: Literal["all", "any"] = "all"


class Tally(_Measure):
    """The ``yes`` or ``no`` count of the vote on the report at ``assembly``; hit: within
    ``within`` of ``target``."""

    kind: Literal["tally"]
    assembly: str
    count: Literal["yes", "no"] = "no"
    target: float | None = None
    within: float = Field(0.0, ge=0)


class Delegation(_Measure):
    """The delegation of ``region`` at ``assembly`` votes against the report (more no than
    yes): value its share of no; hit: the majority of it votes no."""

    kind: Literal["delegation"]
    assembly: str
    region: str


class EventRef(_Strict):
    event: str
    who: str
    what: str | None = None


class EventOrder(_Measure):
    """``first`` happens, and ``then`` does not happen by the same month (1 or 0; not a
    number when ``first`` never happens)."""

    kind: Literal["event_order"]
    first: EventRef
    then: EventRef


class PolitburoMembers(_Measure):
    """The full members of the Politburo at the end of ``month`` against the recorded
    ``members``: value their Jaccard overlap (over the run's leaders; 1 = the same set);
    hit when at least ``at_least``."""

    kind: Literal["politburo_members"]
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    members: list[str] = Field(min_length=1)
    at_least: float = Field(0.75, ge=0, le=1)


class OfficeHolders(_Measure):
    """The holders of several offices at the end of ``month`` against the record
    (``holders``: office -> leader, ``""`` for none of the run's leaders): value the share
    held as recorded; hit when at least ``at_least``."""

    kind: Literal["office_holders"]
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    holders: dict[str, str] = Field(min_length=1)
    at_least: float = Field(0.8, ge=0, le=1)


MeasureSpec = Annotated[
    EventMeasure | AllianceForms | AllianceBreaks | AllianceHolds | Stances | HoldsOffice
    | Tally | EventOrder | Delegation | PolitburoMembers | OfficeHolders | NoEvent
    | LeavesOffice | Successor | Reversal | Combination,
    Field(discriminator="kind"),
]


class CriterionSpec(_Strict):
    """A validation criterion fixed in advance."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    statement: str = Field(min_length=1)
    recorded: str = ""
    record_ids: list[str] = Field(default_factory=list)
    measure: str
    threshold: float = Field(0.6, ge=0, le=1, description="Pass: hit rate at least this.")
    test: Literal["hit_rate", "interval_contains", "median_within"] = "hit_rate"
    group: str = Field("main", pattern=r"^[a-z][a-z0-9_]*$",
                       description="The set it is counted in (e.g. the episodes added later).")
    date: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Month its outcome is settled, for a time split (default: the month "
        "its measure's window closes; model.analysis.timesplit).")


class PatternSpec(_Strict):
    """A pattern never used for fitting nor for tuning (pattern-oriented modelling): a
    measure reported as an out-of-sample check with its own scores, apart from the
    criteria."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    statement: str = Field(min_length=1)
    recorded: str = ""
    record_ids: list[str] = Field(default_factory=list)
    measure: str


class OutcomeSpec(_Strict):
    """A main outcome of a run (a column of ``runs.csv``)."""

    column: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    show: Literal["ruling_at_end", "holder_at_end", "month", "count", "recanted", "refused"]
    measure: str | None = None
    office: str | None = None


class QuestionSpec(_Strict):
    """A yes-no question of ``troika compare`` about a main outcome: it happens, happens by a
    month, or equals a value."""

    id: str
    question: str
    outcome: str
    when: Literal["happens", "by", "equals"] = "happens"
    value: str = ""


class CountSpec(_Strict):
    """A count of ``troika compare`` (median and 5-95%) from a measure."""

    id: str
    question: str
    measure: str
    recorded: float | None = None
    axis: str = ""


class CompareSpec(_Strict):
    questions: list[QuestionSpec] = Field(default_factory=list)
    counts: list[CountSpec] = Field(default_factory=list)


class KeyEventSpec(_Strict):
    """A row of the key events of ``troika run``: a dated measure, or the tally of an
    assembly, beside the record row ``record_id``."""

    label: str
    record_id: str = ""
    measure: str | None = None
    tally: str | None = None


class EventMark(_Strict):
    record_id: str
    label: str


class PlotsSpec(_Strict):
    main_leaders: list[str] = Field(default_factory=list)
    colours: dict[str, str] = Field(default_factory=dict)
    event_marks: list[EventMark] = Field(default_factory=list)
    pairs: list[tuple[str, str]] = Field(default_factory=list)
    highlight_assembly: str | None = None


class AlignmentSpec(_Strict):
    """A recorded alignment: ``members`` together from the date of record row ``start``
    (or ``"start"`` of the horizon) to that of ``end`` (a record row or ``"end"``)."""

    label: str
    members: list[str] = Field(min_length=1)
    start: str
    end: str
    colour: str
    pairs: list[tuple[str, str]] | None = None


class PointOutput(_Strict):
    id: str
    description: str
    measure: str
    scale: Literal["step", "value"] = "value"


class SensitivitySpec(_Strict):
    outputs: list[PointOutput] = Field(default_factory=list)


class TargetSpec(_Strict):
    id: str
    record_id: str = ""
    measure: str
    recorded: str | float | tuple[str, str]
    scale: float = Field(gt=0)
    label: str = ""
    date: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Month the outcome was recorded, for a time split (default: the "
        "recorded month, or the end of the recorded range).")

    @property
    def month(self) -> str | None:
        """The month of the outcome (``date``, else from ``recorded``), or None."""
        if self.date:
            return self.date
        if isinstance(self.recorded, str):
            return self.recorded[:7]
        if isinstance(self.recorded, tuple | list):
            return str(self.recorded[1])[:7]
        return None


class ExtraCheck(_Strict):
    id: str
    statement: str
    measure: str
    threshold: float = Field(0.6, ge=0, le=1)


class CalibrationSpec(_Strict):
    targets: list[TargetSpec] = Field(default_factory=list)
    extra: list[ExtraCheck] = Field(default_factory=list)


class CaseFile(_Strict):
    """The contents of a ``case.toml``."""

    name: str = ""
    title: str = ""
    baseline: str = "baseline"
    record: str | None = None
    pass_mark: int | None = Field(None, ge=0)
    pass_marks: dict[str, int] = Field(
        default_factory=dict,
        description="Criteria the model must pass in each group (overrides pass_mark).")
    fit_until: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="The case's time split: calibrate on the outcomes settled by this month, "
        "score the later ones out of sample (troika validate --fit-until).")
    measures: dict[str, MeasureSpec] = Field(default_factory=dict)
    criteria: list[CriterionSpec] = Field(default_factory=list)
    patterns: list[PatternSpec] = Field(default_factory=list)
    outcomes: list[OutcomeSpec] = Field(default_factory=list)
    compare: CompareSpec = Field(default_factory=CompareSpec)
    key_events: list[KeyEventSpec] = Field(default_factory=list)
    plots: PlotsSpec = Field(default_factory=PlotsSpec)
    alignments: list[AlignmentSpec] = Field(default_factory=list)
    sensitivity: SensitivitySpec = Field(default_factory=SensitivitySpec)
    calibration: CalibrationSpec = Field(default_factory=CalibrationSpec)


# --------------------------------------------------------------------------------------
# the case


@dataclass
class Case:
    """A loaded case: its folder, its case file (empty when there is none) and its record
    (``None`` when it has none)."""

    name: str
    folder: Path
    spec: CaseFile = field(default_factory=CaseFile)
    record: pd.DataFrame | None = None

    @property
    def title(self) -> str:
        return self.spec.title or self.name


def references(spec: CaseFile) -> list[tuple[str, str]]:
    """Every ``(field.path, measure name)`` the case file refers to."""
    out = [(f"criteria.{k}.measure", c.measure) for k, c in enumerate(spec.criteria)]
    out += [(f"patterns.{k}.measure", c.measure) for k, c in enumerate(spec.patterns)]
    out += [(f"outcomes.{k}.measure", o.measure) for k, o in enumerate(spec.outcomes)
            if o.measure]
    out += [(f"key_events.{k}.measure", e.measure) for k, e in enumerate(spec.key_events)
            if e.measure]
    out += [(f"compare.counts.{k}.measure", c.measure)
            for k, c in enumerate(spec.compare.counts)]
    out += [(f"sensitivity.outputs.{k}.measure", p.measure)
            for k, p in enumerate(spec.sensitivity.outputs)]
    out += [(f"calibration.targets.{k}.measure", t.measure)
            for k, t in enumerate(spec.calibration.targets)]
    out += [(f"calibration.extra.{k}.measure", t.measure)
            for k, t in enumerate(spec.calibration.extra)]
    return out


def _names_problems(spec: CaseFile, leaders: set[str], offices: set[str],
                    assemblies: set[str], regions: set[str] | None = None) -> list[str]:
    """Leaders, offices and assemblies named in the case file that its baseline lacks."""
    out = []

    def need(where: str, names, known: set[str], what: str) -> None:
        for n in names:
            if n not in known:
                out.append(f"{where}: {n!r} is not a {what} of the baseline scenario")

    for key, m in spec.measures.items():
        where = f"measures.{key}"
        for attr in ("who", "members", "without", "recant", "refuse"):
            need(f"{where}.{attr}", getattr(m, attr, []), leaders, "leader")
        if isinstance(m, HoldsOffice | Successor):
            need(f"{where}.office", [m.office], offices, "office")
            need(f"{where}.holder", [m.holder], leaders, "leader")
        if isinstance(m, OfficeHolders):
            need(f"{where}.holders", list(m.holders), offices, "office")
            need(f"{where}.holders", [h for h in m.holders.values() if h], leaders, "leader")
        if isinstance(m, Successor):
            need(f"{where}.successor", [m.successor], leaders, "leader")
        if isinstance(m, LeavesOffice):
            need(f"{where}.offices", m.offices, offices, "office")
        if isinstance(m, Reversal):
            need(f"{where}.office", [m.office], offices, "office")
        if isinstance(m, Tally | Delegation):
            need(f"{where}.assembly", [m.assembly], assemblies, "assembly")
        if isinstance(m, Delegation) and regions is not None:
            need(f"{where}.region", [m.region], regions, "region")
        if isinstance(m, EventOrder):
            need(f"{where}.first.who", [m.first.who], leaders, "leader")
            need(f"{where}.then.who", [m.then.who], leaders, "leader")
    for k, o in enumerate(spec.outcomes):
        if o.office:
            need(f"outcomes.{k}.office", [o.office], offices, "office")
    for k, e in enumerate(spec.key_events):
        if e.tally:
            need(f"key_events.{k}.tally", [e.tally], assemblies, "assembly")
    need("plots.main_leaders", spec.plots.main_leaders, leaders, "leader")
    need("plots.colours", spec.plots.colours, leaders, "leader")
    need("plots.pairs", [n for p in spec.plots.pairs for n in p], leaders, "leader")
    for k, a in enumerate(spec.alignments):
        need(f"alignments.{k}.members", a.members, leaders, "leader")
    if spec.plots.highlight_assembly:
        need("plots.highlight_assembly", [spec.plots.highlight_assembly], assemblies,
             "assembly")
    return out


def _structure_problems(spec: CaseFile) -> list[str]:
    """References to measures that do not exist, measures of the wrong kind, repeated ids."""
    out = [f"{where}: no measure named {name!r}" for where, name in references(spec)
           if name not in spec.measures]
    for key, m in spec.measures.items():
        if isinstance(m, Combination):
            for part in m.all + m.none:
                if part not in spec.measures:
                    out.append(f"measures.{key}: no measure named {part!r}")
                elif isinstance(spec.measures[part], Combination):
                    out.append(f"measures.{key}: {part!r} is itself a combination")
    ids = [c.id for c in spec.criteria]
    out += [f"criteria: id {i!r} is repeated" for i in sorted({i for i in ids
                                                                if ids.count(i) > 1})]
    columns = [o.column for o in spec.outcomes]
    for k, o in enumerate(spec.outcomes):
        if o.show in ("month", "count") and not o.measure:
            out.append(f"outcomes.{k}.measure: needed for show = {o.show!r}")
        if o.show == "holder_at_end" and not o.office:
            out.append(f"outcomes.{k}.office: needed for show = 'holder_at_end'")
    for k, q in enumerate(spec.compare.questions):
        if q.outcome not in columns:
            out.append(f"compare.questions.{k}.outcome: no outcome column {q.outcome!r}")
    for k, c in enumerate(spec.criteria):
        m = spec.measures.get(c.measure)
        if c.test != "hit_rate" and m is not None and (
                not isinstance(m, Tally) or m.target is None):
            out.append(f"criteria.{k}.test: {c.test!r} needs a tally measure with a target")
    for k, e in enumerate(spec.key_events):
        if (e.measure is None) == (e.tally is None):
            out.append(f"key_events.{k}: give either measure or tally")
    return out


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: toml: {exc}"]) from None
    except OSError as exc:
        raise ScenarioError([f"{path}: file: {exc.strerror}"]) from None


@lru_cache(maxsize=32)
def load_case(folder: str | Path) -> Case:
    """Load the case of a folder: its ``case.toml`` (if any) and the record it names.

    The leaders, offices and assemblies the case file names must be those of its baseline
    scenario (``baseline``, default ``baseline.toml`` in the folder); the record is checked
    against the same names. Raises :class:`ScenarioError` (one line per problem).
    """
    folder = Path(folder).resolve()
    path = folder / CASE_FILE
    if not path.is_file():
        return Case(name=folder.name, folder=folder)
    data = _read(path)
    try:
        spec = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_errors(exc, data, path)) from None
    problems = [f"{path}: {p}" for p in _structure_problems(spec)]
    if problems:
        raise ScenarioError(problems)
    vocabulary = None
    base = folder / (spec.baseline if spec.baseline.endswith(".toml")
                     else spec.baseline + ".toml")
    if base.is_file():
        scenario = load_scenario(base)
        vocabulary = Vocabulary(
            leaders=frozenset(ld.name for ld in scenario.leaders),
            offices=frozenset(o.name for o in scenario.offices),
            assemblies=frozenset(a.name for a in scenario.assemblies),
        )
        problems = _names_problems(spec, set(vocabulary.leaders), set(vocabulary.offices),
                                   set(vocabulary.assemblies),
                                   {r.name for r in scenario.regions})
        if problems:
            raise ScenarioError([f"{path}: {p}" for p in problems])
    elif spec.baseline != "baseline" or spec.measures:
        raise ScenarioError([f"{path}: baseline: no scenario {base.name} in {folder}"])
    record = None
    if spec.record:
        try:
            record = load_record(folder / spec.record, vocabulary)
        except (ValueError, OSError) as exc:
            raise ScenarioError([f"{path}: record: {exc}"]) from None
    return Case(name=spec.name or folder.name, folder=folder, spec=spec, record=record)


def case_of(scenario: str | Path) -> Case:
    """The case of a scenario (a name or a path): the case of the folder that holds it."""
    return load_case(resolve_path(scenario).parent)

"""The scenario schema: what the engine is given to run (pydantic models, validated).

A scenario describes one succession struggle: the horizon, the leaders, the offices, the
apparatus (regions), the bodies, the assemblies, the exogenous events and the model
parameters. Nothing about any case is hard-coded in the engine: every name, office and date
comes from here. Reading files, ``extends`` and ``--set`` overrides are the business of
:mod:`model.cases.scenario`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from model.engine.limits import LIMITS
from model.engine.parameters import Parameters

OFFICE_KINDS = (
    "appointments",  # the Secretariat: replaces regional secretaries (circular flow)
    "military",
    "government",
    "comintern",
    "regional",  # a city organisation that shields its region from the Secretariat
    "press",
    "unions",
    "control",
    "police",
)
# The kind of the security office: with the ruling coalition's consent its holder exiles an
# expelled leader who refuses to recant (sanctions.exile_refusers).
SECURITY_KIND = "police"
# The kinds of office that command force: the army and the police. Their holder is the
# presumed successor before any contender of mere standing (SuccessionModel.strongest_aspirant).
FORCE_KINDS = ("military", SECURITY_KIND)

NAME_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"  # a name is one printable line


def _real_month(text: str) -> str:
    """A ``YYYY-MM`` or ``YYYY-MM-DD`` date must name a real month (and day) of the years
    1 to 9999: ``1923-13`` is not read as January 1924."""
    year, month = int(text[:4]), int(text[5:7])
    if year < 1:
        raise ValueError(f"year {text[:4]} is not a calendar year (1 to 9999)")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not between 1 and 12")
    if len(text) > 7:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a day of the calendar") from None
    return text


Month = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"),
                  AfterValidator(_real_month)]


def day_of(text: str) -> int:
    """The day of a ``YYYY-MM-DD`` date; 0 for a ``YYYY-MM`` month (no day stated)."""
    return int(text[8:10]) if len(text) > 7 else 0


def month_index(text: str, start: str) -> int:
    """Months from ``start`` to ``text`` (both ``YYYY-MM`` or ``YYYY-MM-DD``)."""
    y, m = (int(x) for x in text[:7].split("-"))
    y0, m0 = (int(x) for x in start[:7].split("-"))
    return (y - y0) * 12 + (m - m0)


def month_date(start: str, index: int) -> date:
    """The first day of the month ``index`` months after ``start``."""
    y0, m0 = (int(x) for x in start[:7].split("-"))
    total = y0 * 12 + (m0 - 1) + index
    return date(total // 12, total % 12 + 1, 1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Horizon(_Strict):
    """The simulated period, one step per month, both ends included."""

    start: Month
    end: Month

    @field_validator("start", "end")
    @classmethod
    def _valid_month(cls, v: str) -> str:
        return v[:7]  # a real month (Month); the day, if given, is dropped

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if month_index(self.end, self.start) < 1:
            raise ValueError("end must be at least one month after start")
        if month_index(self.end, self.start) > LIMITS.horizon_months:
            raise ValueError(
                f"the horizon is {month_index(self.end, self.start)} months long; at most "
                f"{LIMITS.horizon_months} are allowed (README, Limits)"
            )
        return self

    @property
    def months(self) -> int:
        """Number of monthly steps after the initial state."""
        return month_index(self.end, self.start)


class LeaderSpec(_Strict):
    """A leader: traits, policy position, standing at the start."""

    name: str = Field(min_length=1, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS)
    prestige: float = Field(ge=0, le=1, description="Personal authority in the party.")
    health: float = Field(1.0, ge=0, le=1, description="Capacity to act (1 = fully active).")
    economy: float = Field(
        ge=-1, le=1, description="-1 rapid industrialisation ... +1 NEP, concessions to peasants."
    )
    world: float = Field(
        ge=-1, le=1, description="-1 world revolution first ... +1 socialism in one country."
    )
    resolve: float = Field(
        ge=0, le=1, description="Propensity to resist rather than recant when defeated."
    )
    ambition: float = Field(ge=0, le=1, description="Weight on one's share of power.")
    politburo: Literal["member", "candidate", "none"] = "none"
    central_committee: bool = True
    suited: list[str] = Field(
        default_factory=list, description="Office kinds this leader is suited to take over."
    )

    @field_validator("suited")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in OFFICE_KINDS]
        if bad:
            raise ValueError(f"unknown office kind(s) {bad}; known: {list(OFFICE_KINDS)}")
        return v


class OfficeSpec(_Strict):
    """An office: a power base that can be taken away by a vote."""

    name: str = Field(min_length=1, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS)
    kind: Literal[OFFICE_KINDS]  # type: ignore[valid-type]
    weight: float = Field(gt=0, le=LIMITS.office_weight, description="Power the office confers.")
    holder: str | None = None
    region: str | None = Field(None, description="For a regional office: the region it shields.")
    appointee: bool = Field(
        False,
        description="Filled only by a suited member of the ruling coalition; without one, "
        "by an appointee outside the modelled leaders.",
    )


class RegionSpec(_Strict):
    """A provincial party organisation: members and a secretary."""

    name: str = Field(min_length=1, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS)
    members: int = Field(gt=0, le=LIMITS.members)
    patron: str | None = Field(None, description="Leader whose man is the secretary.")
    loyalty: float = Field(0.7, ge=0, le=1, description="Secretary's loyalty to the patron.")
    deference: float = Field(
        0.8, ge=0, le=1, description="Share of delegates who follow their secretary's lead."
    )
    economy: float = Field(0.0, ge=-1, le=1, description="Members' policy mood.")
    world: float = Field(0.0, ge=-1, le=1)


class Relation(_Strict):
    """A tie between two leaders at the start: a grudge (animosity of ``a`` toward ``b``) or
    a positive tie (friendship, patron and client), and of ``b`` toward ``a`` if mutual."""

    id: str | None = Field(None, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS,
                           description="Name for counterfactuals to override it by.")
    kind: Literal["grudge", "tie"] = "grudge"
    a: str
    b: str
    value: float = Field(ge=0, le=1)
    mutual: bool = True


class Bodies(_Strict):
    """Sizes of the standing bodies at the start."""

    politburo_size: int = Field(gt=0, le=LIMITS.body_seats,
                                description="Full members of the Politburo.")
    central_committee_size: int = Field(gt=0, le=LIMITS.body_seats)


class AssemblySpec(_Strict):
    """A congress, conference or Central Committee plenum: its date and size are exogenous."""

    name: str = Field(min_length=1, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS)
    kind: Literal["congress", "conference", "plenum"]
    date: Month
    delegates: int | None = Field(None, gt=0, le=LIMITS.delegates,
                                  description="Voting delegates (congresses).")
    central_committee_size: int | None = Field(
        None, gt=0, le=LIMITS.body_seats,
        description="Size of the Central Committee a congress elects."
    )
    politburo_size: int | None = Field(
        None, gt=0, le=LIMITS.body_seats,
        description="Full Politburo members elected after a congress."
    )
    source: str = Field("", max_length=LIMITS.text_length,
                        description="Where the date and size come from.")

    @model_validator(mode="after")
    def _needs_delegates(self) -> AssemblySpec:
        if self.kind in ("congress", "conference") and self.delegates is None:
            raise ValueError(f"a {self.kind} needs 'delegates'")
        return self


class EventSpec(_Strict):
    """An exogenous event: health, death, recruitment, an outside shock; or, as the premise
    of a counterfactual, a motion put before the Central Committee from outside (voted, so
    it may fail) or an appointment imposed from outside (``appoint``: ``office`` goes to
    ``leader``, or to an appointee outside the modelled leaders if no leader is given).
    The baseline uses neither of the last two."""

    id: str | None = Field(None, max_length=LIMITS.name_length, pattern=NAME_CHARACTERS,
                           description="Name for counterfactuals to override it by.")
    kind: Literal[
        "illness", "recovery", "death", "recruitment", "purge", "shock", "motion", "appoint"
    ]
    date: Month
    leader: str | None = None
    office: str | None = Field(None, description="The office a motion would take away.")
    support: float | None = Field(
        None, ge=-10, le=10,
        description="Logit bias of free Central Committee votes toward a motion (the "
        "authority behind it).",
    )
    health: float | None = Field(None, ge=0, le=1, description="New health (illness/recovery).")
    members: int | None = Field(None, gt=0, le=LIMITS.members,
                                description="Members admitted (recruitment).")
    share: float | None = Field(
        None, gt=0, lt=1,
        description="Share of the members of opposition-led regions expelled (purge).",
    )
    deference: float | None = Field(
        None, ge=0, le=1, description="Deference of recruits to their secretary."
    )
    prestige: float | None = Field(None, ge=-1, le=1, description="Prestige change (shock).")
    economy: float | None = Field(None, ge=-2, le=2, description="Shift of members' mood.")
    world: float | None = Field(None, ge=-2, le=2)
    note: str = Field("", max_length=LIMITS.text_length)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> EventSpec:
        need = {
            "illness": ("leader", "health"),
            "recovery": ("leader", "health"),
            "death": ("leader",),
            "recruitment": ("members",),
            "purge": ("share",),
            "shock": (),
            "motion": ("leader", "office", "support"),
            "appoint": ("office",),
        }[self.kind]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} event needs {', '.join(missing)}")
        return self


class Scenario(_Strict):
    """A validated scenario."""

    name: str = Field(min_length=1, max_length=64)
    description: str = Field("", max_length=LIMITS.text_length)
    extends: str | None = None
    horizon: Horizon
    leaders: list[LeaderSpec] = Field(min_length=2, max_length=LIMITS.leaders)
    offices: list[OfficeSpec] = Field(min_length=1, max_length=LIMITS.offices)
    regions: list[RegionSpec] = Field(min_length=1, max_length=LIMITS.regions)
    relations: list[Relation] = Field(default_factory=list, max_length=LIMITS.relations)
    bodies: Bodies
    assemblies: list[AssemblySpec] = Field(default_factory=list, max_length=LIMITS.assemblies)
    events: list[EventSpec] = Field(default_factory=list, max_length=LIMITS.events)
    parameters: Parameters = Field(default_factory=Parameters)

    @field_validator("name")
    @classmethod
    def _file_name(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", v):
            raise ValueError(
                f"{v!r} is not a plain name (letters, digits, '_', '-' and '.', starting with "
                "a letter or digit): it names the output folder"
            )
        return v

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems = cross_reference_problems(self.model_dump())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def leader_names(self) -> list[str]:
        """Leader names in file order (the model's leader index)."""
        return [ld.name for ld in self.leaders]

    def step_of(self, month: str) -> int:
        """The model step at which a ``YYYY-MM`` date falls."""
        return month_index(month, self.horizon.start)

    def date_of(self, step: int) -> date:
        """The first day of the month of a model step."""
        return month_date(self.horizon.start, step)


def _entries(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)]


def cross_reference_problems(data: dict) -> list[str]:
    """Problems between fields: unknown names, duplicates, dates outside the horizon.

    Works on raw (possibly invalid) scenario data, so that these problems are reported
    together with type errors, not only once the types are right.
    """
    problems: list[str] = []
    names = [x.get("name") for _, x in _entries(data, "leaders")]
    known = {n for n in names if isinstance(n, str)}
    for key, field in (("leaders", "name"), ("offices", "name"), ("regions", "name"),
                       ("events", "id"), ("relations", "id")):
        seen: set = set()
        for i, x in _entries(data, key):
            n = x.get(field)
            if isinstance(n, str) and n in seen:
                problems.append(f"{key}.{i}.{field}: duplicate {field} {n!r}")
            if isinstance(n, str):
                seen.add(n)
    regions = {n for _, x in _entries(data, "regions") if isinstance(n := x.get("name"), str)}

    def check_leader(value, where: str) -> None:
        if value is not None and isinstance(value, str) and value not in known:
            problems.append(f"{where}: unknown leader {value!r}")

    offices = _entries(data, "offices")
    for i, o in offices:
        check_leader(o.get("holder"), f"offices.{i}.holder")
        region = o.get("region")
        if o.get("kind") == "regional":
            if region is None:
                problems.append(f"offices.{i}.region: a regional office needs a region")
            elif isinstance(region, str) and region not in regions:
                problems.append(f"offices.{i}.region: unknown region {region!r}")
        elif region is not None:
            problems.append(f"offices.{i}.region: only a regional office has a region")
    if offices and not any(o.get("kind") == "appointments" for _, o in offices):
        problems.append("offices: no office of kind 'appointments' (the Secretariat)")
    for i, r in _entries(data, "regions"):
        check_leader(r.get("patron"), f"regions.{i}.patron")
    for i, rel in _entries(data, "relations"):
        check_leader(rel.get("a"), f"relations.{i}.a")
        check_leader(rel.get("b"), f"relations.{i}.b")
        if rel.get("a") is not None and rel.get("a") == rel.get("b"):
            problems.append(f"relations.{i}: a leader cannot bear a grudge against himself")
    horizon = _horizon_of(data)
    office_names = {n for _, o in offices if isinstance(n := o.get("name"), str)}
    for key in ("events", "assemblies"):
        for i, x in _entries(data, key):
            if key == "events":
                check_leader(x.get("leader"), f"events.{i}.leader")
                office = x.get("office")
                if isinstance(office, str) and office not in office_names:
                    problems.append(f"events.{i}.office: unknown office {office!r}")
            when = x.get("date")
            if horizon and isinstance(when, str) and _is_month(when):
                k = month_index(when, horizon[0])
                if not 0 <= k <= month_index(horizon[1], horizon[0]):
                    problems.append(
                        f"{key}.{i}.date: {when} is outside the horizon "
                        f"{horizon[0]}..{horizon[1]}"
                    )
    bodies = data.get("bodies")
    size = bodies.get("politburo_size") if isinstance(bodies, dict) else None
    members = sum(1 for _, x in _entries(data, "leaders") if x.get("politburo") == "member")
    if isinstance(size, int) and members > size:
        problems.append(
            f"bodies.politburo_size: {members} leaders are Politburo members, more than "
            f"the size {size}"
        )
    return problems


def _is_month(text: str) -> bool:
    """Whether ``text`` is a valid ``Month`` (so that it can be placed in the horizon)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", text):
        return False
    try:
        _real_month(text)
    except ValueError:
        return False
    return True


def _horizon_of(data: dict) -> tuple[str, str] | None:
    h = data.get("horizon")
    if not isinstance(h, dict):
        return None
    try:
        return Horizon.model_validate(h).start, Horizon.model_validate(h).end
    except ValidationError:
        return None



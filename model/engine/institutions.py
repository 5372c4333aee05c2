"""Offices and bodies, with one owner: :class:`Institutions` holds the offices and their
holders, the Politburo's seats and the patrons of the Central Committee's rank-and-file
seats, and carries out every change to them (filling, vacating, expelling, electing).
Votes are in :mod:`model.engine.votes`, sanctions in :mod:`model.engine.sanctions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.engine.spec import FORCE_KINDS
from model.engine.votes import ruling_faction

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel

SEATS = {"member": 2, "candidate": 1, "none": 0}


@dataclass
class Office:
    """An office: a power base. ``holder`` is a leader index or -1 (vacant, or held by an
    appointee outside the modelled leaders)."""

    name: str
    kind: str
    weight: float
    holder: int
    region: int = -1
    appointee: bool = False


class Institutions:
    """The offices, the Politburo and the Central Committee of one run.

    Attributes:
        offices: the offices with their holders.
        politburo: per leader, 2 full member, 1 candidate, 0 none.
        cc_patrons: patrons of the rank-and-file Central Committee seats (-1 unattached).
    """

    def __init__(self, model: SuccessionModel, scenario):
        self.model = model
        index = model.index
        self.offices = [
            Office(o.name, o.kind, o.weight, index[o.holder] if o.holder else -1,
                   appointee=o.appointee)
            for o in scenario.offices
        ]
        self.politburo = np.array([SEATS[s.politburo] for s in scenario.leaders])
        self.cc_patrons = np.zeros(0, dtype=np.int64)

    def place_regions(self, region_names: list[str], scenario) -> None:
        """Tie each regional office to its region (by the apparatus's region index)."""
        for k, o in enumerate(scenario.offices):
            if o.region is not None:
                self.offices[k].region = region_names.index(o.region)

    # ---- look-ups ---------------------------------------------------------------------
    def offices_of(self, i: int) -> list[int]:
        """Indices of the offices leader ``i`` holds."""
        return [k for k, o in enumerate(self.offices) if o.holder == i]

    def office_weight(self, i: int) -> float:
        """Total weight of the offices leader ``i`` holds."""
        return sum(o.weight for o in self.offices if o.holder == i)

    def commands_force(self, i: int) -> bool:
        """Whether leader ``i`` holds an office that commands force: one of a kind in
        :data:`~model.engine.spec.FORCE_KINDS` (the army, the police)."""
        return any(self.offices[k].kind in FORCE_KINDS for k in self.offices_of(i))

    def holder_of_kind(self, kind: str) -> int:
        """Holder of the (first) office of a kind, or -1."""
        for o in self.offices:
            if o.kind == kind:
                return o.holder
        return -1

    def office_index(self, name: str) -> int:
        """Index of the office called ``name``."""
        return next(k for k, o in enumerate(self.offices) if o.name == name)

    # ---- changes ----------------------------------------------------------------------
    def fill_vacancies(self, assembly) -> None:
        """Vacant offices are filled by the ruling coalition (:meth:`choose_successor`)."""
        model = self.model
        for o in self.offices:
            if o.holder < 0 and o.kind != "regional":
                j = self.choose_successor(o)
                if j >= 0:
                    o.holder = j
                    model.log_event("appointment", model.leader_list[j].name, o.name, "",
                                    assembly.name)

    def vacate_office(self, k: int, reason: str, assembly) -> None:
        """Take office ``k`` from its holder and give it to the ruling coalition's choice
        (never straight back to him)."""
        model = self.model
        o = self.offices[k]
        previous = o.holder
        o.holder = -1
        j = self.choose_successor(o, exclude=previous)
        if j >= 0:
            o.holder = j
            model.log_event("appointment", model.leader_list[j].name, o.name, reason,
                            assembly.name)

    def expel_from_party(self, t: int, assembly) -> None:
        """Expulsion: the leader loses every office and seat and leaves his faction."""
        model = self.model
        ld = model.leader_list[t]
        for k in self.offices_of(t):
            self.vacate_office(k, "expulsion", assembly)
        self.politburo[t] = 0
        ld.in_cc = False
        ld.in_party = False
        ld.expelled_at = model.steps
        model.last_faction[t] = model.members(model.faction[t])
        model.set_faction(t, -1)
        model.log_event("expulsion", ld.name, "party", "", assembly.name)

    def impose_appointment(self, ev) -> None:
        """A counterfactual's premise: ``ev.office`` goes to ``ev.leader`` (or to an
        appointee outside the modelled leaders), imposed from outside the struggle."""
        model = self.model
        k = self.office_index(ev.office)
        old = self.offices[k].holder
        self.offices[k].holder = model.index[ev.leader] if ev.leader else -1
        if old >= 0:
            model.log_event("office_loss", model.leader_list[old].name, ev.office,
                            "imposed from outside (counterfactual premise)", "exogenous")

    def retire_dead(self, ld) -> None:
        """The dead leave their offices and seats."""
        for k in self.offices_of(ld.idx):
            self.offices[k].holder = -1
            self.model.log_event("office_vacant", ld.name, self.offices[k].name, "death", "")
        self.politburo[ld.idx] = 0
        ld.in_cc = False

    # ---- elections --------------------------------------------------------------------
    def elect_central_committee(self, size: int) -> np.ndarray:
        """Draw the patrons of the rank-and-file Central Committee seats from the delegates.

        The circular flow: the congress elects the Central Committee, and the delegates were
        picked by the secretaries [Daniels1957]. Each seat goes to a patron's client with
        probability proportional to the loyalty-weighted membership he controls; the rest are
        unattached.
        """
        model = self.model
        app = model.apparatus
        n = len(model.leader_list)
        leaders_in = sum(1 for ld in model.leader_list if ld.active and ld.in_cc)
        seats = max(size - leaders_in, 0)
        weights = np.zeros(n + 1)
        held = app.patron >= 0
        active = np.array([ld.active for ld in model.leader_list])
        ok = held.copy()
        ok[held] = active[app.patron[held]]
        np.add.at(weights, app.patron[ok], app.members[ok] * app.loyalty[ok])
        weights[n] = (app.members * np.where(ok, 1.0 - app.loyalty, 1.0)).sum()
        if weights.sum() <= 0:  # no members at all: every seat is unattached
            weights[n] = 1.0
        draws = model.rng.choice(n + 1, size=seats, p=weights / weights.sum())
        self.cc_patrons = np.where(draws == n, -1, draws).astype(np.int64)
        return self.cc_patrons


    def fill_politburo(self, size: int, assembly, mover: int | None = None) -> None:
        """After a congress (or a plenum that overturned the Politburo majority, for
        ``mover``) the Central Committee fills the Politburo's vacancies from the ruling
        coalition, candidates first, then by power (the 1927 Politburo of Stalin's allies
        [RECORD])."""
        model = self.model
        ruling = ruling_faction(model) if mover is None else mover
        if ruling < 0:
            return
        members = [ld.idx for ld in model.leader_list if ld.active and self.politburo[ld.idx] == 2]
        free = size - len(members)
        if free <= 0:
            return
        pool = [j for j in model.members(ruling) if self.politburo[j] < 2]
        pool.sort(key=lambda j: (-self.politburo[j], -model.power[j]))
        for j in pool[:free]:
            self.politburo[j] = 2
            model.leader_list[j].in_cc = True
            model.log_event("promotion", model.leader_list[j].name, "Politburo", "", assembly.name)


    def choose_successor(self, office: Office, exclude: int = -1) -> int:
        """The ruling coalition gives a vacant office to one of its own.

        A member suited to the office kind if there is one (Frunze, then Voroshilov, at the War
        Commissariat [RECORD]), else the member with the least office weight; ties go to power.
        A regional organisation goes to an appointee of the Secretariat (-1): Kirov in
        Leningrad [RECORD]; so does an office marked ``appointee`` when no member is suited
        to it (the security police went to Menzhinsky, not to a Politburo member
        [calendar]).
        """
        if office.kind == "regional":
            return -1
        model = self.model
        ruling = ruling_faction(model)
        if ruling < 0:
            return -1
        pool = [j for j in model.members(ruling) if model.leader_list[j].active and j != exclude]
        if not pool:
            return -1
        suited = [j for j in pool if office.kind in model.leader_list[j].suited]
        if suited:
            return max(suited, key=lambda j: (model.power[j], -j))
        if office.appointee:
            return -1
        return min(pool, key=lambda j: (self.office_weight(j), -model.power[j], j))

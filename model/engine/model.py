"""SuccessionModel: the wiring, the monthly step, and data collection.

One step is one month. ``step()`` follows the process overview of ``docs/model.md``:

1. exogenous events due this month (health, deaths, recruitment, shocks);
2. power update;
3. the Secretariat replaces secretaries (the circular flow of power);
4. leaders form and break coalitions (prune, defect, join), in random order;
5. assemblies meeting this month: vacancies are filled, congresses and conferences vote
   on the report, sanctions are moved and voted, the defeated answer, congresses elect
   the new bodies; expelled leaders who refused to recant weigh it again;
6. the ruling coalition's campaign erodes its opponents' prestige; grudges decay;
7. data collection.
"""

from __future__ import annotations

import numpy as np
from mesa import Model
from mesa.datacollection import DataCollector

import model.engine.institutions as inst
from model.engine.apparatus import from_specs
from model.engine.coalitions import coalition_centre, policy_distance
from model.engine.leaders import Leader
from model.engine.parameters import Parameters
from model.engine.spec import Scenario, month_date

COALITION_RULES = ("agents", "random", "bandwagon", "aes")


class SuccessionModel(Model):
    """Leaders struggling for the succession inside a party apparatus.

    Args:
        scenario: a validated :class:`Scenario` (``model.load_scenario`` reads one).
        rng: seed (int, ``SeedSequence`` or ``Generator``); all randomness comes from it.
        parameters: overrides of the scenario's parameters (a dict of field values).
        coalition_rule: ``"agents"`` (the leaders' own decisions, the model) or one of the
            baselines scored against it: ``"random"``, ``"bandwagon"``, ``"aes"``.
        collect_data: fill the Mesa DataCollector (per-leader power, prestige, faction...).
            Ensembles switch it off: what they need (factions, offices, the ruling faction,
            events, tallies) is recorded regardless.

    Attributes:
        leader_list: the leaders in scenario order (``leader_list[i].idx == i``).
        power: each leader's power this month (numpy array).
        faction: each leader's faction label (-1 when not active).
        animosity: ``animosity[i, j]`` is i's grudge against j.
        politburo: 2 full member, 1 candidate, 0 none.
        offices: the offices with their holders.
        apparatus: the regions (numpy arrays).
        cc_patrons: patrons of the rank-and-file Central Committee seats.
        event_log: what happened when (list of dicts).
        tallies: every vote taken (list of dicts).
    """

    def __init__(
        self,
        scenario: Scenario,
        rng=None,
        parameters: dict | None = None,
        coalition_rule: str = "agents",
        collect_data: bool = True,
    ):
        super().__init__(rng=rng)
        self.collect_data = collect_data
        if coalition_rule not in COALITION_RULES:
            raise ValueError(
                f"coalition_rule: {coalition_rule!r} is not one of {', '.join(COALITION_RULES)}"
            )
        self.coalition_rule = coalition_rule
        if not isinstance(scenario, Scenario):
            raise TypeError(
                "scenario: a Scenario is needed (model.load_scenario(name) reads one)"
            )
        self.spec = scenario
        self.params = (
            Parameters(**{**scenario.parameters.model_dump(), **parameters})
            if parameters
            else scenario.parameters
        )
        self.n_steps = scenario.horizon.months + 1
        self.leader_list = [Leader(self, s, i) for i, s in enumerate(scenario.leaders)]
        self.index = {ld.name: ld.idx for ld in self.leader_list}
        n = len(self.leader_list)
        self.positions = np.array([[s.economy, s.world] for s in scenario.leaders])
        self.position_list = [tuple(x) for x in self.positions.tolist()]
        self.contender = [
            ld.ambition >= self.params.contender_ambition for ld in self.leader_list
        ]
        self._members: dict[int, list[int]] = {}
        self.state_version = 0
        self.value_cache: dict = {}
        self.animosity = np.zeros((n, n))
        for rel in scenario.relations:
            a, b = self.index[rel.a], self.index[rel.b]
            self.animosity[a, b] = max(self.animosity[a, b], rel.value)
            if rel.mutual:
                self.animosity[b, a] = max(self.animosity[b, a], rel.value)
        self.politburo = np.array(
            [{"member": 2, "candidate": 1, "none": 0}[s.politburo] for s in scenario.leaders]
        )
        office_names = [o.name for o in scenario.offices]
        self.offices = [
            inst.Office(o.name, o.kind, o.weight, self.index[o.holder] if o.holder else -1)
            for o in scenario.offices
        ]
        self.apparatus = from_specs(
            scenario.regions, self.index, {nm: k for k, nm in enumerate(office_names)},
            scenario.offices,
        )
        for k, o in enumerate(scenario.offices):
            if o.region is not None:
                self.offices[k].region = self.apparatus.names.index(o.region)
        self.faction = np.arange(n, dtype=np.int64)
        self._next_label = n
        self.last_faction: dict[int, list[int]] = {}
        self.event_log: list[dict] = []
        self.pending_motions: list = []
        self.office_history: list[dict] = []
        self.faction_history: list[np.ndarray] = []
        self.ruling_history: list[str] = []
        self.tallies: list[dict] = []
        self.events_at: dict[int, list] = {}
        for ev in scenario.events:
            self.events_at.setdefault(scenario.step_of(ev.date) + 1, []).append(ev)
        self.assemblies_at: dict[int, list] = {}
        for a in scenario.assemblies:
            self.assemblies_at.setdefault(scenario.step_of(a.date) + 1, []).append(a)
        self.power = np.zeros(n)
        self.update_power()
        self.cc_patrons = inst.elect_central_committee(
            self, scenario.bodies.central_committee_size
        )
        self.datacollector = DataCollector(
            model_reporters={"ruling": "ruling_now"},
            agent_reporters={
                "power": "power",
                "prestige": "prestige",
                "faction": "faction_name",
                "politburo": lambda a: int(a.model.politburo[a.idx]),
                "in_cc": "in_cc",
                "in_party": "in_party",
                "alive": "alive",
            },
        )
        self.collect()

    # ---- the monthly step ---------------------------------------------------------------
    def step(self) -> None:
        """One month of the struggle (see the module docstring for the order)."""
        self.apply_exogenous_events()
        self.update_power()
        self.run_secretariat()
        self.update_power()
        self.form_coalitions()
        self.hold_assemblies()
        self.reconsider_defeats()
        self.run_campaign()
        self.update_grudges()
        self.update_power()
        self.collect()
        if self.steps >= self.n_steps:
            self.running = False

    def collect(self) -> None:
        """Collect this month's agent data, factions and the holders of the offices."""
        self.ruling_now = self.ruling_name
        self.ruling_history.append(self.ruling_now)
        if self.collect_data:
            self.datacollector.collect(self)
        self.faction_history.append(self.faction.copy())
        for o in self.offices:
            self.office_history.append(
                {"step": self.steps, "month": self.month, "office": o.name,
                 "holder": self.leader_list[o.holder].name if o.holder >= 0 else ""}
            )

    # ---- coalitions ----------------------------------------------------------------------
    def form_coalitions(self) -> None:
        """Leaders form and break coalitions: by their own decisions (the model), or by one
        of the baseline rules that the validation scores against it."""
        if self.coalition_rule == "agents":
            self.agents.shuffle_do("decide_coalition")
        elif self.coalition_rule == "random":
            self.random_coalitions()
        elif self.coalition_rule == "bandwagon":
            self.bandwagon_coalition()
        else:
            self.aes_coalition()

    def random_coalitions(self) -> None:
        """Baseline: each month every active leader, with probability 0.2, moves to a
        random faction or stands alone (no reasons at all)."""
        labels = self.labels()
        for ld in self.leader_list:
            if not ld.active or self.random.random() >= 0.2:
                continue
            choice = self.random.randrange(len(labels) + 1)
            self.set_faction(ld.idx, labels[choice] if choice < len(labels) else self._new_label())

    def bandwagon_coalition(self) -> None:
        """Baseline "largest power wins": everyone joins the most powerful leader."""
        active = [ld.idx for ld in self.leader_list if ld.active]
        if not active:
            return
        top = max(active, key=lambda i: (self.power[i], -i))
        self.set_faction(active, self.faction[top])

    def aes_coalition(self) -> None:
        """Baseline: the static Acemoglu-Egorov-Sonin ruling coalition [AES2008] of the
        current powers (majority rule) rules; everyone else stands alone."""
        from model.engine.aes import ruling_coalition_members

        active = [ld.idx for ld in self.leader_list if ld.active and self.power[ld.idx] > 0]
        if not active:
            return
        members = [active[k] for k in ruling_coalition_members(self.power[active], 0.5)]
        label = self._new_label()
        for i in active:
            self.set_faction(i, label if i in members else self._new_label())

    # ---- time ---------------------------------------------------------------------------
    def date_of_step(self, step: int):
        """The month a step stands for: step 0 is the state at the start (the month before
        the horizon's first), step k the k-th month of the horizon."""
        return month_date(self.spec.horizon.start, step - 1)

    @property
    def month(self) -> str:
        """The current month as ``YYYY-MM``."""
        return self.date_of_step(self.steps).isoformat()[:7]

    # ---- exogenous events ---------------------------------------------------------------
    def apply_exogenous_events(self) -> None:
        """Apply the scenario's events due this month: only what lay outside the leaders'
        control (health, deaths, recruitment, outside shocks)."""
        for ev in self.events_at.get(self.steps, []):
            ld = self.leader_list[self.index[ev.leader]] if ev.leader else None
            if ev.kind in ("illness", "recovery"):
                ld.health = ev.health
            elif ev.kind == "death":
                ld.alive = False
                ld.health = 0.0
            elif ev.kind == "motion":
                self.pending_motions.append(ev)
            elif ev.kind == "appoint":
                self.impose_appointment(ev)
            elif ev.kind == "recruitment":
                self.apparatus.recruit(ev.members, ev.deference if ev.deference else 0.8)
            elif ev.kind == "shock":
                if ld is not None and ev.prestige:
                    ld.prestige = float(np.clip(ld.prestige + ev.prestige, 0.0, 1.0))
                if ev.economy:
                    self.apparatus.economy = np.clip(self.apparatus.economy + ev.economy, -1, 1)
                if ev.world:
                    self.apparatus.world = np.clip(self.apparatus.world + ev.world, -1, 1)
            self.log_event(ev.kind, ev.leader or "", "", ev.note, "exogenous")
        self.retire_inactive()

    def impose_appointment(self, ev) -> None:
        """A counterfactual's premise: ``ev.office`` goes to ``ev.leader`` (or to an
        appointee outside the modelled leaders), imposed from outside the struggle."""
        k = next(k for k, o in enumerate(self.offices) if o.name == ev.office)
        old = self.offices[k].holder
        self.offices[k].holder = self.index[ev.leader] if ev.leader else -1
        if old >= 0:
            self.log_event("office_loss", self.leader_list[old].name, ev.office,
                           "imposed from outside (counterfactual premise)", "exogenous")

    def retire_inactive(self) -> None:
        """Leaders who cannot act leave their factions; the dead leave their offices."""
        for ld in self.leader_list:
            if not ld.active and self.faction[ld.idx] >= 0:
                self.last_faction[ld.idx] = self.members(self.faction[ld.idx])
                self.set_faction(ld.idx, -1)
            elif ld.active and self.faction[ld.idx] < 0:
                self.set_faction(ld.idx, self._new_label())
            if not ld.alive:
                for k in self.offices_of(ld.idx):
                    self.offices[k].holder = -1
                    self.log_event("office_vacant", ld.name, self.offices[k].name, "death", "")
                self.politburo[ld.idx] = 0
                ld.in_cc = False

    # ---- power --------------------------------------------------------------------------
    def update_power(self) -> None:
        """Each leader's power: offices, apparatus patronage, prestige and closeness to the
        members' mood, scaled by health (0 when inactive).

        "He was accumulating too much power through his office of general secretary" [seed]:
        office and patronage are separate bases, and patronage grows with every secretary
        the Secretariat installs.
        """
        p = self.params
        n = len(self.leader_list)
        office = np.zeros(n)
        for o in self.offices:
            if o.holder >= 0:
                office[o.holder] += o.weight
        patronage = self.apparatus.patronage_share(n)
        mood = self.apparatus.mood()
        closeness = 1.0 - np.array([policy_distance(x, mood) for x in self.positions])
        prestige = np.array([ld.prestige for ld in self.leader_list])
        health = np.array([ld.health if ld.active else 0.0 for ld in self.leader_list])
        self.power = health * (
            p.w_office * office + p.w_apparatus * patronage + p.w_prestige * prestige
            + p.w_mood * closeness
        )
        self.power_changed()

    def power_changed(self) -> None:
        """Refresh what is derived from ``power``: its list form, the total, the faction
        powers, the feared aspirant and the active full Politburo members."""
        self.power_list = self.power.tolist()
        self.total_power = float(sum(self.power_list))
        self._faction_power = {}
        self.state_changed()
        self.feared = self.strongest_aspirant()
        active = np.array([ld.active for ld in self.leader_list])
        self.full_members = (self.politburo == 2) & active

    # ---- the Secretariat ----------------------------------------------------------------
    def run_secretariat(self) -> None:
        """The holder of the appointments office replaces a limited number of secretaries.

        Daniels' circular flow [Daniels1957]; "Stalin saw to it that no friends or supporters
        of Trotsky advanced to prominent position in the party or government" [seed]. The
        number replaced each month is ``appointment_rate`` × regions, rounded at random.
        """
        app = self.apparatus
        gone = np.array([not ld.active for ld in self.leader_list])
        app.orphan_secretaries(gone, self.params.orphan_loyalty_decay)
        app.drift_loyalty(self.params.loyalty_drift)
        gs = self.holder_of_kind("appointments")
        if gs < 0 or not self.leader_list[gs].active:
            return
        expected = self.params.appointment_rate * app.size
        count = int(expected) + int(self.rng.random() < expected - int(expected))
        if count == 0:
            return
        own = self.faction[gs]
        hostility = np.empty(len(self.leader_list) + 1)
        for ld in self.leader_list:
            if not ld.active:
                hostility[ld.idx] = 2.0
            elif self.faction[ld.idx] == own:
                hostility[ld.idx] = 1.0
            else:
                hostility[ld.idx] = 3.0
        hostility[-1] = 2.0
        shielded = np.array(
            [
                k >= 0 and self.offices[k].holder not in (-1, gs)
                and self.leader_list[self.offices[k].holder].active
                for k in app.shield_office
            ]
        )
        targets = app.replacement_targets(gs, hostility, shielded)[:count]
        if targets.size:
            app.appoint(targets, gs, self.params.appointee_loyalty)

    # ---- assemblies ---------------------------------------------------------------------
    def hold_assemblies(self) -> None:
        """Assemblies meeting this month: fill vacancies; motions put from outside are voted;
        a congress or conference votes on the report; sanctions are moved; a congress
        elects the new bodies."""
        for a in self.assemblies_at.get(self.steps, []):
            self.update_power()
            self.fill_vacancies(a)
            while self.pending_motions:
                inst.vote_motion(self, self.pending_motions.pop(0), a)
            if a.kind in ("congress", "conference"):
                yes, no, absent = inst.congress_vote(self, a)
                self.record_tally(a, "approve the Central Committee's report", yes, no, absent,
                                  kind="report")
            inst.move_sanctions(self, a)
            if a.kind == "congress":
                if a.central_committee_size:
                    self.cc_patrons = inst.elect_central_committee(self, a.central_committee_size)
                if a.politburo_size:
                    inst.fill_politburo(self, a.politburo_size, a)

    def reconsider_defeats(self) -> None:
        """Expelled leaders who have not recanted weigh recanting again this month
        (:func:`institutions.answer_defeat`); those expelled this month already answered."""
        for ld in self.leader_list:
            if (not ld.in_party and ld.refused and not ld.recanted
                    and ld.expelled_at < self.steps):
                inst.answer_defeat(self, ld.idx, "")

    def fill_vacancies(self, assembly) -> None:
        """Vacant offices are filled by the ruling coalition (:func:`choose_successor`)."""
        for o in self.offices:
            if o.holder < 0 and o.kind != "regional":
                j = inst.choose_successor(self, o)
                if j >= 0:
                    o.holder = j
                    self.log_event("appointment", self.leader_list[j].name, o.name, "",
                                   assembly.name)

    def vacate_office(self, k: int, reason: str, assembly) -> None:
        """Take office ``k`` from its holder and give it to the ruling coalition's choice
        (never straight back to him)."""
        o = self.offices[k]
        previous = o.holder
        o.holder = -1
        j = inst.choose_successor(self, o, exclude=previous)
        if j >= 0:
            o.holder = j
            self.log_event("appointment", self.leader_list[j].name, o.name, reason,
                           assembly.name)

    def expel_from_party(self, t: int, assembly) -> None:
        """Expulsion: the leader loses every office and seat and leaves his faction."""
        ld = self.leader_list[t]
        for k in self.offices_of(t):
            self.vacate_office(k, "expulsion", assembly)
        self.politburo[t] = 0
        ld.in_cc = False
        ld.in_party = False
        ld.expelled_at = self.steps
        self.last_faction[t] = self.members(self.faction[t])
        self.set_faction(t, -1)
        self.log_event("expulsion", ld.name, "party", "", assembly.name)

    # ---- prestige and grudges -----------------------------------------------------------
    def run_campaign(self) -> None:
        """The ruling coalition's press and apparatus erode its opponents' prestige.

        "Stalin's counterattack against Trotsky's vigorous criticism was likewise strong ...
        Trotsky, the army leader, was a potential 'Bonaparte'" [seed]. The monthly loss is
        ``campaign_rate`` × the ruling coalition's control of press and apparatus, raised by
        ``factionalism`` for each further member of an organised opposition bloc: factions
        had been banned since 1921, and "Despite interdictions, organized factions continued
        to exist" [seed] drew the heaviest fire.
        """
        ruling = inst.ruling_faction(self)
        if ruling < 0:
            return
        members = self.members(ruling)
        press = sum(o.weight for o in self.offices if o.kind == "press")
        press_held = sum(
            o.weight for o in self.offices if o.kind == "press" and o.holder in members
        )
        patronage = self.apparatus.patronage_share(len(self.leader_list))[members].sum()
        control = 0.5 * (press_held / press if press > 0 else 0.0) + 0.5 * patronage
        for ld in self.leader_list:
            if inst.is_opposition(self, ld.idx, ruling):
                bloc = len(self.members(self.faction[ld.idx]))
                rate = self.params.campaign_rate * (1.0 + self.params.factionalism * (bloc - 1))
                ld.prestige *= 1.0 - min(rate * control, 1.0)

    def update_grudges(self) -> None:
        """Grudges fade; faster between two leaders who both stand outside the ruling
        coalition (former enemies reunite against a common threat [seed; Walt1987])."""
        p = self.params
        self.animosity *= 1.0 - p.grudge_decay
        ruling = inst.ruling_faction(self)
        outside = np.array(
            [ld.active and self.faction[ld.idx] != ruling for ld in self.leader_list]
        )
        both = np.outer(outside, outside)
        self.animosity[both] *= 1.0 - p.common_enemy_decay
        self.state_changed()

    # ---- factions -----------------------------------------------------------------------
    def _new_label(self) -> int:
        self._next_label += 1
        return self._next_label

    def labels(self) -> list[int]:
        """Labels of the current factions (active leaders only)."""
        return sorted(self._membership())

    def set_faction(self, who, label: int) -> None:
        """Put leader(s) ``who`` (an index, or an index array or mask) in faction ``label``;
        every change of faction goes through here so that the caches stay right."""
        self.faction[who] = label
        self._members.clear()
        self._faction_power.clear()
        self.state_changed()

    def state_changed(self) -> None:
        """Invalidate cached coalition values (factions, powers or grudges changed)."""
        self.state_version += 1
        self.value_cache = {}

    def members(self, label: int) -> list[int]:
        """Indices of the members of faction ``label`` (a fresh list)."""
        if label < 0:
            return []
        return list(self._membership().get(int(label), ()))

    def _membership(self) -> dict[int, list[int]]:
        """Label -> members, cached until the factions change."""
        if not self._members:
            for i, lb in enumerate(self.faction.tolist()):
                if lb >= 0:
                    self._members.setdefault(lb, []).append(i)
        return self._members

    def faction_power(self, label: int) -> float:
        """Total power of a faction."""
        if label < 0:
            return 0.0
        if label not in self._faction_power:
            self._faction_power[label] = sum(self.power_list[j] for j in self.members(label))
        return self._faction_power[label]

    def faction_powers(self, exclude: int = -1, also_exclude: int = -1) -> list[float]:
        """Powers of all factions except the labels given."""
        return [
            self.faction_power(lb) for lb in self.labels() if lb not in (exclude, also_exclude)
        ]

    def faction_leader_index(self, label: int) -> int:
        """The strongest member of a faction (lowest index on ties)."""
        mem = self.members(label)
        return max(mem, key=lambda j: (self.power[j], -j)) if mem else -1

    def faction_leader(self, i: int) -> int:
        """The strongest member of leader ``i``'s faction."""
        return self.faction_leader_index(int(self.faction[i]))

    def leader_of(self, label: int) -> Leader:
        """The Leader agent who leads faction ``label``."""
        return self.leader_list[self.faction_leader_index(label)]

    def faction_leader_name(self, i: int) -> str:
        """Name of the strongest member of ``i``'s faction; '' if ``i`` is inactive."""
        j = self.faction_leader(i) if self.faction[i] >= 0 else -1
        return self.leader_list[j].name if j >= 0 else ""

    def faction_line(self, label: int) -> np.ndarray:
        """A faction's policy line (power-weighted centre)."""
        mem = self.members(label)
        if not mem:
            return np.zeros(2)
        return coalition_centre(mem, self.power + 1e-9, self.positions)

    def strongest_aspirant(self) -> int:
        """The presumed successor: the most prestigious active contender not yet defeated in
        a vote and of at least ``heir_prestige`` standing, the one the others fear will take
        everything (-1 if none).

        "In the general view" [seed] is a matter of standing, not of the apparatus, which is
        why Stalin was feared late; a contender who has lost an office by vote is no longer
        anybody's presumed successor."""
        pool = [
            ld for ld in self.leader_list
            if ld.active and ld.ambition >= self.params.contender_ambition and ld.rung == 0
            and not ld.recanted and ld.prestige >= self.params.heir_prestige
        ]
        if not pool:
            return -1
        return max(pool, key=lambda ld: (ld.prestige, -ld.idx)).idx

    def merge_factions(self, own: int, labels: list[int], proposer: int) -> None:
        """Factions ``labels`` join faction ``own`` (a proposal was accepted)."""
        for lb in labels:
            self.set_faction(self.faction == lb, own)
        for j in self.members(own):
            self.leader_list[j].joined = self.steps
        names = ", ".join(self.leader_list[j].name for j in self.members(own))
        self.log_event("coalition", self.leader_list[proposer].name, names, "proposed", "")

    def leave_faction(self, i: int) -> None:
        """Leader ``i`` leaves his faction to stand alone."""
        self.log_event("leaves", self.leader_list[i].name, self.faction_leader_name(i), "", "")
        self.set_faction(i, self._new_label())

    def expel_from_faction(self, j: int, by: int) -> None:
        """Faction leader ``by`` drops partner ``j``, who bears him a grudge for it; so do
        the partners who stand closer in policy to ``j`` than to ``by`` (solidarity: Kamenev
        went with Zinoviev [seed])."""
        self.log_event("dropped", self.leader_list[j].name, self.leader_list[by].name, "", "")
        label = self.faction[j]
        self.set_faction(j, self._new_label())
        grudge = self.params.betrayal_grudge
        self.animosity[j, by] = min(1.0, self.animosity[j, by] + grudge)
        for k in self.members(label) if self.params.solidarity else ():
            if k != by and policy_distance(self.positions[k], self.positions[j]) < (
                policy_distance(self.positions[k], self.positions[by])
            ):
                self.animosity[k, by] = min(1.0, self.animosity[k, by] + grudge)
        self.state_changed()

    @property
    def ruling_name(self) -> str:
        """Name of the leader of the ruling faction ('' if none)."""
        r = inst.ruling_faction(self)
        return self.leader_of(r).name if r >= 0 else ""

    # ---- offices ------------------------------------------------------------------------
    def offices_of(self, i: int) -> list[int]:
        """Indices of the offices leader ``i`` holds."""
        return [k for k, o in enumerate(self.offices) if o.holder == i]

    def office_weight(self, i: int) -> float:
        """Total weight of the offices leader ``i`` holds."""
        return sum(o.weight for o in self.offices if o.holder == i)

    def holder_of_kind(self, kind: str) -> int:
        """Holder of the (first) office of a kind, or -1."""
        for o in self.offices:
            if o.kind == kind:
                return o.holder
        return -1

    # ---- records ------------------------------------------------------------------------
    def log_event(self, kind: str, who: str, what: str, detail: str, where: str) -> None:
        """Append to the event log."""
        self.event_log.append(
            {"step": self.steps, "month": self.month, "kind": kind, "who": who, "what": what,
             "detail": detail, "where": where}
        )

    def record_tally(self, assembly, motion: str, yes: int, no: int, absent: int,
                     kind: str) -> None:
        """Record a vote of an assembly."""
        self.tallies.append(
            {"step": self.steps, "month": self.month, "assembly": assembly.name,
             "body": assembly.kind, "kind": kind, "motion": motion, "yes": yes, "no": no,
             "absent": absent, "delegates": yes + no + absent}
        )

    def run(self) -> SuccessionModel:
        """Run to the end of the horizon and return self."""
        while self.running:
            self.step()
        return self

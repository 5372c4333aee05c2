"""SuccessionModel: the wiring, the monthly step, and data collection.

One step is one month. ``step()`` follows the process overview of ``docs/model.md``:

1. exogenous events due this month (health, deaths, recruitment, shocks), except those
   dated to a day after one of the month's assemblies, which wait for it (step 6);
2. power update;
3. the Secretariat replaces secretaries (the circular flow of power);
4. leaders form and break coalitions (prune, defect, join), in random order;
5. leaders outside the ruling coalition choose their acts (criticism, platform, co-report,
   faction, street), which take effect at once, except in a month of assemblies dated to
   the day, when each waits for a day of the month drawn at random (``acts_dated``), and a
   co-report, which waits for its congress or conference (``co_report_at_assembly``);
   contenders review their declared lines, in random order;
6. assemblies meeting this month, in the order of their days: the events and acts dated
   before the assembly's day take effect, vacancies are filled, co-reports held back are
   given and congresses and conferences vote on the report, sanctions answer the acts and
   are voted, the defeated answer, congresses elect the new bodies; the events and acts
   dated after the last assembly take effect when the assemblies are over; expelled
   leaders who refused to recant weigh it again, and the security office may exile them;
7. the ruling coalition's campaign erodes its opponents' prestige; charges, grudges and
   the lessons of the votes decay;
8. data collection.
"""

from __future__ import annotations

import numpy as np
from mesa import Model
from mesa.datacollection import DataCollector

from model.engine import opposition, sanctions, votes
from model.engine.apparatus import from_specs
from model.engine.baselines import BASELINE_RULES
from model.engine.coalitions import policy_distance
from model.engine.factions import FactionBook
from model.engine.institutions import Institutions
from model.engine.leaders import Leader
from model.engine.parameters import Parameters
from model.engine.records import RecordBook
from model.engine.spec import Scenario, day_of, month_date

COALITION_RULES = ("agents", *BASELINE_RULES)


class SuccessionModel(FactionBook, RecordBook, Model):
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
        institutions: the offices, the Politburo and the Central Committee
            (:class:`~model.engine.institutions.Institutions`, their one owner);
            ``offices``, ``politburo`` and ``cc_patrons`` read through to it.
        apparatus: the regions (numpy arrays).
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
        self.contender = [ld.is_contender for ld in self.leader_list]
        self.animosity = np.zeros((n, n))
        self.ties = np.zeros((n, n))
        for rel in scenario.relations:
            a, b = self.index[rel.a], self.index[rel.b]
            table = self.ties if rel.kind == "tie" else self.animosity
            table[a, b] = max(table[a, b], rel.value)
            if rel.mutual:
                table[b, a] = max(table[b, a], rel.value)
        self.institutions = Institutions(self, scenario)
        self.apparatus = from_specs(
            scenario.regions, self.index, {o.name: k for k, o in enumerate(scenario.offices)},
            scenario.offices,
        )
        self.institutions.place_regions(self.apparatus.names, scenario)
        self.init_factions(n)
        self.init_records()
        self.pending_motions: list = []
        self.co_reports: list[int] = []  # chosen, not yet given (co_report_at_assembly)
        # (day, leader, act) chosen this month, not yet taken (acts_dated)
        self.dated_acts: list[tuple[int, int, int]] = []
        self.assemblies_at: dict[int, list] = {}
        for a in scenario.assemblies:
            self.assemblies_at.setdefault(scenario.step_of(a.date) + 1, []).append(a)
        for k, held in self.assemblies_at.items():
            self.assemblies_at[k] = sorted(held, key=lambda a: day_of(a.date))
        self.events_at: dict[int, list] = {}
        self.late_events_at: dict[int, list] = {}
        for ev in scenario.events:
            k = scenario.step_of(ev.date) + 1
            late = after_assembly(ev.date, self.assemblies_at.get(k, []))
            (self.late_events_at if late else self.events_at).setdefault(k, []).append(ev)
        self.power = np.zeros(n)
        self.update_power()
        self.institutions.elect_central_committee(scenario.bodies.central_committee_size)
        self.politburo_size = scenario.bodies.politburo_size
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

    @property
    def offices(self):
        """The offices with their holders (owned by :attr:`institutions`)."""
        return self.institutions.offices

    @property
    def politburo(self) -> np.ndarray:
        """Politburo seats per leader: 2 full member, 1 candidate, 0 none."""
        return self.institutions.politburo

    @property
    def cc_patrons(self) -> np.ndarray:
        """Patrons of the rank-and-file Central Committee seats."""
        return self.institutions.cc_patrons

    # ---- the monthly step ---------------------------------------------------------------
    def step(self) -> None:
        """One month of the struggle (see the module docstring for the order)."""
        self.apply_exogenous_events()
        self.update_power()
        self.run_secretariat()
        self.update_power()
        self.form_coalitions()
        opposition.take_acts(self)
        opposition.review_lines(self)
        self.hold_assemblies()
        self.reconsider_defeats()
        sanctions.exile_refusers(self)
        opposition.run_campaign(self)
        opposition.decay_charges(self)
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
        self.record_month()

    # ---- coalitions ----------------------------------------------------------------------
    def form_coalitions(self) -> None:
        """Leaders form and break coalitions: by their own decisions (the model), or by one
        of the baseline rules that the validation scores against it
        (:mod:`model.engine.baselines`)."""
        if self.coalition_rule == "agents":
            self.agents.shuffle_do("decide_coalition")
        else:
            BASELINE_RULES[self.coalition_rule](self)

    def decision_noise(self) -> float:
        """Logistic noise on one decision's gain, of scale ``decision_temperature``:
        leaders misjudge each other's power and intentions, so a choice the values barely
        favour can go either way (random utility [McFadden1974]). No draw when it is 0."""
        t = self.params.decision_temperature
        return float(self.rng.logistic(0.0, t)) if t > 0 else 0.0

    def misjudgement(self) -> float:
        """Logistic noise, of scale ``misjudgement``, on the vote share a faction expects
        before it moves a sanction: it cannot count the votes before they are cast."""
        s = self.params.misjudgement
        return float(self.rng.logistic(0.0, s)) if s > 0 else 0.0

    def set_line(self, i: int, line) -> None:
        """Leader ``i`` declares a new policy line."""
        self.positions[i] = line
        self.position_list[i] = tuple(float(x) for x in line)
        self.state_changed()

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
    def apply_exogenous_events(self, events: list | None = None) -> None:
        """Apply the scenario's events due this month (or ``events``): only what lay outside
        the leaders' control (health, deaths, recruitment, outside shocks). Events dated to
        a day after one of the month's assemblies wait for it (:func:`after_assembly`)."""
        for ev in self.events_at.get(self.steps, []) if events is None else events:
            ld = self.leader_list[self.index[ev.leader]] if ev.leader else None
            if ev.kind in ("illness", "recovery"):
                ld.health = ev.health
            elif ev.kind == "death":
                ld.alive = False
                ld.health = 0.0
            elif ev.kind == "motion":
                self.pending_motions.append(ev)
            elif ev.kind == "appoint":
                self.institutions.impose_appointment(ev)
            elif ev.kind == "purge":
                opposition.purge(self, ev.share)
            elif ev.kind == "recruitment":
                self.apparatus.recruit(
                    ev.members, ev.deference if ev.deference else self.params.recruit_deference
                )
            elif ev.kind == "shock":
                if ld is not None and ev.prestige:
                    ld.prestige = float(np.clip(ld.prestige + ev.prestige, 0.0, 1.0))
                if ev.economy:
                    self.apparatus.economy = np.clip(self.apparatus.economy + ev.economy, -1, 1)
                if ev.world:
                    self.apparatus.world = np.clip(self.apparatus.world + ev.world, -1, 1)
            self.log_event(ev.kind, ev.leader or "", "", ev.note, "exogenous")
        self.retire_inactive()

    def retire_inactive(self) -> None:
        """Leaders who cannot act leave their factions; the dead leave their offices."""
        for ld in self.leader_list:
            if not ld.active and self.faction[ld.idx] >= 0:
                self.last_faction[ld.idx] = self.members(self.faction[ld.idx])
                self.set_faction(ld.idx, -1)
            elif ld.active and self.faction[ld.idx] < 0:
                self.set_faction(ld.idx, self._new_label())
            if not ld.alive:
                self.institutions.retire_dead(ld)

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
        following = np.array([ld.following for ld in self.leader_list])
        health = np.array([ld.health if ld.active else 0.0 for ld in self.leader_list])
        self.power = health * (
            p.w_office * office + p.w_apparatus * patronage + p.w_prestige * prestige
            + p.w_mood * closeness + p.w_following * following
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
        app.orphan_secretaries(gone, self.params.orphan_loyalty_decay,
                               self.params.orphan_loyalty_floor)
        app.drift_loyalty(self.params.loyalty_drift)
        gs = self.institutions.holder_of_kind("appointments")
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
        """Assemblies meeting this month, in the order of their days: the events and acts
        dated before each take effect (:meth:`catch_up`), and the rest when the month's
        assemblies are over; fill vacancies; motions put from outside are voted; a congress
        or conference votes on the report; sanctions are moved, and after a failed one the
        Central Committee's majority may overturn the Politburo's (:meth:`overturn`); a
        congress elects the new bodies."""
        late = list(self.late_events_at.get(self.steps, []))
        for a in self.assemblies_at.get(self.steps, []):
            late = self.catch_up(late, day_of(a.date))
            self.update_power()
            self.institutions.fill_vacancies(a)
            while self.pending_motions:
                sanctions.vote_motion(self, self.pending_motions.pop(0), a)
            if a.kind in ("congress", "conference"):
                opposition.give_co_reports(self)
                yes, no, absent = votes.congress_vote(self, a)
                self.record_tally(a, "approve the Central Committee's report", yes, no, absent,
                                  kind="report")
            if sanctions.move_sanctions(self, a):
                self.overturn(a)
            if a.kind == "congress":
                if a.central_committee_size:
                    self.institutions.elect_central_committee(a.central_committee_size)
                if a.politburo_size:
                    self.politburo_size = a.politburo_size
                    self.institutions.fill_politburo(a.politburo_size, a)
        self.catch_up(late, None)
        self.co_reports.clear()  # a co-report not given at this month's assemblies lapses

    def catch_up(self, late: list, day: int | None) -> list:
        """The events waiting for their day (``late``, :func:`after_assembly`) and the acts
        held back for theirs (``acts_dated``: :func:`~model.engine.opposition.dated_acts_due`)
        that fall before ``day``, all of them when ``day`` is None, take effect in the order
        of their days, an event before an act of the same day
        (:func:`~model.engine.opposition.take_dated_act`); returns the events still waiting.
        Lenin's stroke of 25 May 1922 comes after an act of the 20th and before one of the
        28th, whatever the order in which they were chosen."""
        due = [ev for ev in late if day is None or day_of(ev.date) < day]
        queue = [(day_of(ev.date), 0, ev) for ev in due]
        queue += [(act[0], 1, act) for act in opposition.dated_acts_due(self, day)]
        # a stable sort: events in file order, acts in the order chosen, within a day
        for _, is_act, item in sorted(queue, key=lambda q: q[:2]):
            if is_act:
                opposition.take_dated_act(self, *item)
            else:
                self.apply_exogenous_events([item])
        return [ev for ev in late if day is not None and day_of(ev.date) >= day]

    def overturn(self, assembly) -> None:
        """After a failed sanction, a faction with a majority of the Central Committee other
        than the Politburo's ruling one takes the initiative: it moves sanctions against the
        movers (charged for the failed motion) and fills the Politburo's vacancies from its
        own members (:func:`model.engine.votes.cc_majority_faction`). Only at a body that
        may take Politburo seats, a plenum (:func:`model.engine.sanctions.body_may_take`)."""
        if not sanctions.body_may_take(assembly.kind, sanctions.POLITBURO,
                                       self.params.bodies_chartered):
            return
        mover = votes.cc_majority_faction(self)
        if mover < 0 or mover == votes.ruling_faction(self):
            return
        self.log_event("overturn", self.leader_of(mover).name, "Politburo", "",
                       assembly.name)
        sanctions.move_sanctions(self, assembly, mover=mover)
        self.institutions.fill_politburo(self.politburo_size, assembly, mover=mover)

    def reconsider_defeats(self) -> None:
        """Expelled leaders who have not recanted weigh recanting again this month
        (:func:`model.engine.sanctions.answer_defeat`); those expelled this month already
        answered."""
        for ld in self.leader_list:
            if (not ld.in_party and ld.refused and not ld.recanted
                    and ld.expelled_at < self.steps):
                sanctions.answer_defeat(self, ld.idx, "")

    # ---- prestige and grudges -----------------------------------------------------------
    def update_grudges(self) -> None:
        """Grudges fade; faster between two leaders who both stand outside the ruling
        coalition (former enemies reunite against a common threat [seed; Walt1987])."""
        p = self.params
        self.animosity *= 1.0 - p.grudge_decay
        ruling = votes.ruling_faction(self)
        outside = np.array(
            [ld.active and self.faction[ld.idx] != ruling for ld in self.leader_list]
        )
        both = np.outer(outside, outside)
        self.animosity[both] *= 1.0 - p.common_enemy_decay
        self.state_changed()

    # ---- the presumed successor --------------------------------------------------------
    def strongest_aspirant(self) -> int:
        """The presumed successor: among the active contenders not yet defeated in a vote
        and of at least ``heir_prestige`` standing, one who commands force (an army or a
        police office, :meth:`~model.engine.institutions.Institutions.commands_force`),
        and of those the most prestigious; the one the others fear will take everything
        (-1 if none). Ties of both go to the lower index.

        A would-be Bonaparte is feared first: "Trotsky, the army leader, was a potential
        'Bonaparte'" [seed]; a rival's offensive capability weighs in the threat he poses,
        beside his power [Walt1987]. In 1953 the others combined against Beria, who held
        the police, and in October 1957 Zhukov, who held the army, was removed for
        "Bonapartism" (docs/transfer.md). Without ``force_feared`` standing alone decides.
        "In the general view" [seed] the heir is otherwise a matter of standing, not of
        the apparatus, which is why Stalin was feared late; a contender who has lost an
        office by vote is no longer anybody's presumed successor."""
        pool = [
            ld for ld in self.leader_list
            if ld.active and ld.is_contender and not ld.defeated
            and not ld.recanted and ld.prestige >= self.params.heir_prestige
        ]
        if not pool:
            return -1
        force = self.params.force_feared
        return max(pool, key=lambda ld: (force and self.institutions.commands_force(ld.idx),
                                         ld.prestige, -ld.idx)).idx

    @property
    def ruling_name(self) -> str:
        """Name of the leader of the ruling faction ('' if none)."""
        r = votes.ruling_faction(self)
        return self.leader_of(r).name if r >= 0 else ""

    def run(self) -> SuccessionModel:
        """Run to the end of the horizon and return self."""
        while self.running:
            self.step()
        return self


def after_assembly(event_date: str, assemblies: list) -> bool:
    """Whether an event falls after one of its month's assemblies: both are dated to the
    day and the assembly's day comes first. Such an event is applied after that assembly
    (:meth:`SuccessionModel.hold_assemblies`), so that the order within a month is the
    record's: the 13th Conference met on 16-18 January 1924 while Lenin lived; he died on
    the 21st [calendar]. Undated events open their month, as before."""
    day = day_of(event_date)
    return day > 0 and any(0 < day_of(a.date) < day for a in assemblies)

"""The apparatus as per-agent Mesa objects, for benchmarking against the numpy ``Apparatus``.

One month of the apparatus is done two ways on the same synthetic world:

* ``AgentApparatus`` (this file): each region is a Mesa ``Agent`` with members, patron,
  loyalty and deference, and methods for orphan decay, loyalty drift, appointment and its
  patronage contribution; the Secretariat ranks candidate regions with the same priority
  rule as ``Apparatus.replacement_targets`` (hostility of the patron first, larger regions
  first, stable on ties). For the congress every delegate is a Mesa ``Agent`` created for
  the vote; each draws with the stdlib ``model.random``: absent?, follows the secretary?,
  else a free vote by policy. The delegates are removed after the vote.
* ``array_month`` (numpy path): ``model.engine.apparatus.Apparatus`` methods
  (``orphan_secretaries``, ``drift_loyalty``, ``replacement_targets`` + ``appoint``,
  ``patronage_share``) and ``array_congress``: ``allocate_delegates`` plus the two binomial
  draws of ``institutions.congress_vote``, called on the arrays directly.

The month is deterministic except for the vote, so both paths must end the month in the
same state (checked by :func:`check_same_state`); the tallies can only agree in
distribution (checked by comparing mean dissent over many draws).

Nothing here is part of the model: the leaders' side (who is gone, who is hostile, which
leader's men vote which way) is fixed synthetic input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from mesa import Agent, Model

from model.engine.apparatus import NO_PATRON, Apparatus
from model.engine.coalitions import MAX_POLICY_DISTANCE

# parameter values: the defaults of model/parameters.py
ORPHAN_DECAY = 0.1
LOYALTY_DRIFT = 0.01
APPOINTEE_LOYALTY = 0.85
ABSENCE_RATE = 0.062
OFFICIAL_LINE_BIAS = 1.5
SHARPNESS = 4.0
N_LEADERS = 15


@dataclass
class World:
    """A synthetic apparatus plus the fixed leaders' side of one month."""

    members: np.ndarray
    patron: np.ndarray
    loyalty: np.ndarray
    deference: np.ndarray
    economy: np.ndarray
    world: np.ndarray
    shielded: np.ndarray  # bool per region
    gone: np.ndarray  # bool per leader (dead, incapacitated, expelled)
    hostility: np.ndarray  # per leader, plus [-1] for orphaned regions
    stance: np.ndarray  # per leader: +1 ruling, -1 opposition, 0 bystander/gone
    appointer: int
    replace: int  # secretaries the Secretariat replaces this month
    ruling_line: tuple[float, float]
    opp_line: tuple[float, float]


def make_world(n_regions: int, seed: int) -> World:
    """A reproducible synthetic world of ``n_regions`` regions and 15 leaders."""
    rng = np.random.default_rng(seed)
    L = N_LEADERS
    patron = rng.integers(-1, L, n_regions).astype(np.int64)
    gone = np.zeros(L, dtype=bool)
    gone[[0, 12]] = True  # e.g. Lenin and Frunze
    appointer = 2
    stance = rng.choice([-1, 0, 1], size=L, p=[0.3, 0.2, 0.5]).astype(np.int64)
    stance[appointer] = 1
    stance[gone] = 0
    hostility = np.where(stance < 0, 3.0, np.where(stance > 0, 1.0, 3.0))
    hostility = np.append(np.where(gone, 2.0, hostility), 2.0)
    return World(
        # integer-valued members: the same sort keys in Python and numpy
        members=rng.integers(5_000, 45_000, n_regions).astype(float),
        patron=patron,
        loyalty=rng.uniform(0.55, 0.95, n_regions),
        deference=rng.uniform(0.6, 0.95, n_regions),
        economy=rng.uniform(-0.4, 0.5, n_regions),
        world=rng.uniform(-0.5, 0.5, n_regions),
        shielded=rng.random(n_regions) < 0.04,
        gone=gone,
        hostility=hostility,
        stance=stance,
        appointer=appointer,
        replace=max(1, round(0.02 * n_regions)),
        ruling_line=(0.3, 0.5),
        opp_line=(-0.5, -0.6),
    )


# ------------------------------------------------------------------------------------------
# numpy path


def to_apparatus(w: World) -> Apparatus:
    """The world's regions as the model's numpy ``Apparatus`` (fresh copies)."""
    n = len(w.members)
    return Apparatus(
        names=[f"r{k}" for k in range(n)],
        members=w.members.copy(),
        patron=w.patron.copy(),
        loyalty=w.loyalty.copy(),
        deference=w.deference.copy(),
        economy=w.economy.copy(),
        world=w.world.copy(),
        shield_office=np.full(n, -1, dtype=np.int64),
    )


def array_p_yes(app: Apparatus, w: World) -> np.ndarray:
    """Each region's probability of a 'yes' (``institutions.congress_vote``'s formula)."""
    held = app.patron >= 0
    stance = np.zeros(app.size, dtype=np.int64)
    stance[held] = w.stance[app.patron[held]]
    follow = app.loyalty * app.deference * (stance != 0)
    d_rule = np.hypot(app.economy - w.ruling_line[0], app.world - w.ruling_line[1])
    d_opp = np.hypot(app.economy - w.opp_line[0], app.world - w.opp_line[1])
    free = 1.0 / (
        1.0 + np.exp(-(OFFICIAL_LINE_BIAS + SHARPNESS * (d_opp - d_rule) / MAX_POLICY_DISTANCE))
    )
    return np.clip(follow * (stance > 0) + (1.0 - follow) * free, 0.0, 1.0)


def array_congress(app: Apparatus, w: World, delegates: int, rng: np.random.Generator):
    """The congress vote on the arrays: (yes, no, absent), binomial per region."""
    seats = app.allocate_delegates(delegates)
    absent = rng.binomial(seats, ABSENCE_RATE)
    present = seats - absent
    yes = int(rng.binomial(present, array_p_yes(app, w)).sum())
    total = int(present.sum())
    return yes, total - yes, int(absent.sum())


def per_delegate_congress(app: Apparatus, w: World, delegates: int, rng: np.random.Generator):
    """Numpy variant with one uniform draw per delegate (no absence): (yes, no)."""
    seats = app.allocate_delegates(delegates)
    region_of = np.repeat(np.arange(app.size), seats)
    yes = int((rng.random(delegates) < array_p_yes(app, w)[region_of]).sum())
    return yes, delegates - yes


def array_month(app: Apparatus, w: World, delegates: int, rng: np.random.Generator):
    """One month on the arrays; returns (patronage share, tally)."""
    app.orphan_secretaries(w.gone, ORPHAN_DECAY)
    app.drift_loyalty(LOYALTY_DRIFT)
    targets = app.replacement_targets(w.appointer, w.hostility, w.shielded)[: w.replace]
    if targets.size:
        app.appoint(targets, w.appointer, APPOINTEE_LOYALTY)
    share = app.patronage_share(N_LEADERS)
    return share, array_congress(app, w, delegates, rng)


# ------------------------------------------------------------------------------------------
# agent path


class RegionAgent(Agent):
    """A regional party organisation as a Mesa agent."""

    def __init__(self, model: AgentApparatus, k: int, w: World):
        super().__init__(model)
        self.k = k
        self.members = float(w.members[k])
        self.patron = int(w.patron[k])
        self.loyalty = float(w.loyalty[k])
        self.deference = float(w.deference[k])
        self.economy = float(w.economy[k])
        self.world = float(w.world[k])
        self.shielded = bool(w.shielded[k])

    def orphan_decay(self, gone: list[bool], decay: float) -> None:
        """Loyalty decays when the patron is gone; the region is orphaned below 0.05."""
        if self.patron >= 0 and gone[self.patron]:
            self.loyalty *= 1.0 - decay
            if self.loyalty < 0.05:
                self.patron = NO_PATRON

    def drift(self, rate: float) -> None:
        """Loyalty grows toward 1."""
        if self.patron >= 0:
            self.loyalty += rate * (1.0 - self.loyalty)

    def priority(self, hostility: list[float]) -> tuple[float, float]:
        """Sort key of the Secretariat: most hostile patron first, then larger regions."""
        return (-hostility[self.patron], -self.members)

    def appoint(self, appointer: int, loyalty: float) -> None:
        self.patron = appointer
        self.loyalty = loyalty

    def patronage(self) -> tuple[int, float]:
        """(patron, loyalty-weighted members) contributed to the patronage share."""
        return self.patron, self.members * self.loyalty

    def p_follow_and_free(self, w: World) -> tuple[int, float, float]:
        """(stance of the secretary, probability to follow him, free-vote 'yes')."""
        stance = int(w.stance[self.patron]) if self.patron >= 0 else 0
        follow = self.loyalty * self.deference if stance != 0 else 0.0
        d_rule = math.hypot(self.economy - w.ruling_line[0], self.world - w.ruling_line[1])
        d_opp = math.hypot(self.economy - w.opp_line[0], self.world - w.opp_line[1])
        x = OFFICIAL_LINE_BIAS + SHARPNESS * (d_opp - d_rule) / MAX_POLICY_DISTANCE
        return stance, follow, 1.0 / (1.0 + math.exp(-x))


class DelegateAgent(Agent):
    """A congress delegate, created for one vote."""

    def __init__(
        self, model: AgentApparatus, region: RegionAgent, stance: int, follow: float, free: float
    ):
        super().__init__(model)
        self.region = region
        self.stance = stance
        self.follow = follow
        self.free = free
        self.vote = 0  # +1 yes, -1 no, 0 absent

    def cast(self) -> None:
        r = self.model.random
        if r.random() < ABSENCE_RATE:
            self.vote = 0
        elif r.random() < self.follow:
            self.vote = 1 if self.stance > 0 else -1
        else:
            self.vote = 1 if r.random() < self.free else -1


class AgentApparatus(Model):
    """The apparatus with one Mesa agent per region (and per delegate during a congress)."""

    def __init__(self, w: World, seed: int):
        super().__init__(rng=seed)
        self.w = w
        self.regions = [RegionAgent(self, k, w) for k in range(len(w.members))]
        self.region_set = self.agents_by_type[RegionAgent]
        self.gone = w.gone.tolist()
        self.hostility = w.hostility.tolist()

    def allocate_delegates(self, total: int) -> list[int]:
        """Largest remainder, as ``Apparatus.allocate_delegates`` (ties by region order)."""
        whole = sum(r.members for r in self.regions)
        quota = [total * r.members / whole for r in self.regions]
        seats = [math.floor(q) for q in quota]
        short = total - sum(seats)
        if short > 0:
            order = sorted(range(len(quota)), key=lambda k: -(quota[k] - seats[k]))
            for k in order[:short]:
                seats[k] += 1
        return seats

    def patronage_share(self) -> list[float]:
        share = [0.0] * N_LEADERS
        whole = 0.0
        for r in self.regions:
            whole += r.members
            p, weight = r.patronage()
            if p >= 0:
                share[p] += weight
        return [s / whole for s in share]

    def congress(self, delegates: int) -> tuple[int, int, int]:
        """Create the delegates, let each cast his vote, tally, remove them."""
        made = []
        for r, n in zip(self.regions, self.allocate_delegates(delegates), strict=True):
            stance, follow, free = r.p_follow_and_free(self.w)
            made.extend(DelegateAgent(self, r, stance, follow, free) for _ in range(n))
        delegates_set = self.agents_by_type[DelegateAgent]
        delegates_set.do("cast")
        yes = sum(1 for d in made if d.vote > 0)
        no = sum(1 for d in made if d.vote < 0)
        for d in made:
            d.remove()
        return yes, no, len(made) - yes - no

    def month(self, delegates: int):
        """One month: orphan decay, drift, Secretariat, patronage, congress."""
        w = self.w
        self.region_set.do("orphan_decay", self.gone, ORPHAN_DECAY)
        self.region_set.do("drift", LOYALTY_DRIFT)
        cands = [r for r in self.regions if r.patron != w.appointer and not r.shielded]
        cands.sort(key=lambda r: r.priority(self.hostility))
        for r in cands[: w.replace]:
            r.appoint(w.appointer, APPOINTEE_LOYALTY)
        share = self.patronage_share()
        return share, self.congress(delegates)


def check_same_state(model: AgentApparatus, app: Apparatus) -> None:
    """Raise AssertionError unless the agent and array apparatus hold the same state."""
    patron = np.array([r.patron for r in model.regions])
    loyalty = np.array([r.loyalty for r in model.regions])
    assert np.array_equal(patron, app.patron), "patrons differ"
    assert np.allclose(loyalty, app.loyalty, rtol=0, atol=1e-12), "loyalties differ"
    assert np.allclose(
        model.patronage_share(), app.patronage_share(N_LEADERS), rtol=1e-12, atol=1e-15
    ), "patronage shares differ"

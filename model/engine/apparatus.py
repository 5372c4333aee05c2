"""The party apparatus: regions, secretaries and delegates, kept in numpy arrays.

Daniels' "circular flow of power" [Daniels1957]: the General Secretary appoints provincial
secretaries; secretaries pick the delegates to congresses; congresses elect the Central
Committee; the Central Committee elects the Politburo and the General Secretary. Leaders stay
Mesa agents; this layer is arrays so that thousands of delegates and tens of thousands of runs
stay cheap.

Arrays are indexed by region; ``patron`` holds a leader index or ``-1`` (no patron).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NO_PATRON = -1


@dataclass
class Apparatus:
    """Regional party organisations.

    Attributes:
        names: region names.
        members: party members in each region (float, grows with recruitment).
        patron: leader index whose man is the region's secretary, or -1.
        loyalty: the secretary's loyalty to his patron (0..1).
        deference: share of the region's delegates who follow the secretary's lead.
        economy, world: the members' policy mood on the two axes.
        shield_office: index of the regional office that shields the region from the
            Secretariat, or -1.
    """

    names: list[str]
    members: np.ndarray
    patron: np.ndarray
    loyalty: np.ndarray
    deference: np.ndarray
    economy: np.ndarray
    world: np.ndarray
    shield_office: np.ndarray

    @property
    def size(self) -> int:
        """Number of regions."""
        return len(self.names)

    def patronage_share(self, n_leaders: int) -> np.ndarray:
        """Share of all members whose secretary is each leader's man, weighted by loyalty.

        [Daniels1957]: control of the secretaries is control of the delegates; a leader's
        apparatus power is the loyalty-weighted membership of the regions he patronises.
        """
        share = np.zeros(n_leaders)
        held = self.patron >= 0
        weights = self.members[held] * self.loyalty[held]
        np.add.at(share, self.patron[held], weights)
        return share / self.members.sum()

    def mood(self) -> np.ndarray:
        """Members' mean policy mood (economy, world), weighted by membership."""
        w = self.members / self.members.sum()
        return np.array([w @ self.economy, w @ self.world])

    def recruit(self, members: float, deference: float) -> None:
        """Admit ``members`` recruits in proportion to each region's size.

        Recruits defer to their secretary at ``deference``: the Lenin Enrollment brought in
        "mostly workers" [RECORD] without party history, who followed the apparatus.
        """
        add = members * self.members / self.members.sum()
        total = self.members + add
        self.deference = (self.deference * self.members + deference * add) / total
        self.members = total

    def orphan_secretaries(self, gone: np.ndarray, decay: float, floor: float = 0.05) -> None:
        """Secretaries of a patron who is dead, incapacitated or expelled lose their anchor.

        Their loyalty decays by ``decay`` a month and the region is orphaned when it falls
        below ``floor`` (a secretary 'appointed through Lenin's authority' answers to nobody once
        Lenin is gone) [seed].
        """
        held = self.patron >= 0
        orphan = np.zeros(self.size, dtype=bool)
        orphan[held] = gone[self.patron[held]]
        self.loyalty[orphan] *= 1.0 - decay
        lost = orphan & (self.loyalty < floor)
        self.patron[lost] = NO_PATRON

    def drift_loyalty(self, rate: float) -> None:
        """Secretaries grow into their patron's men: loyalty rises toward 1 at ``rate``."""
        held = self.patron >= 0
        self.loyalty[held] += rate * (1.0 - self.loyalty[held])

    def replacement_targets(
        self, appointer: int, hostility: np.ndarray, shielded: np.ndarray
    ) -> np.ndarray:
        """Regions the Secretariat would replace first, most urgent first.

        The General Secretary replaces secretaries who are not his own men, those of his
        opponents first, then orphaned ones, then his allies' [seed: "Stalin saw to it that
        no friends or supporters of Trotsky advanced to prominent position"; "Responsible
        workers ... were systematically selected by the single criterion: Against Trotsky"].
        Larger regions come first within a class. Shielded regions are skipped.

        Args:
            appointer: index of the leader who holds the appointments office.
            hostility: per-leader priority (higher = replaced sooner); index -1 is read
                from the last element, which callers set for orphaned regions.
            shielded: boolean mask of regions protected by a regional office.
        """
        candidates = (self.patron != appointer) & ~shielded
        idx = np.flatnonzero(candidates)
        if idx.size == 0:
            return idx
        prio = hostility[self.patron[idx]]
        order = np.lexsort((-self.members[idx], -prio))
        return idx[order]

    def appoint(self, regions: np.ndarray, appointer: int, loyalty: float) -> None:
        """Install the appointer's men as secretaries of ``regions``."""
        self.patron[regions] = appointer
        self.loyalty[regions] = loyalty

    def allocate_delegates(self, total: int) -> np.ndarray:
        """Voting delegates per region, in proportion to membership (largest remainder)."""
        quota = total * self.members / self.members.sum()
        seats = np.floor(quota).astype(np.int64)
        short = total - int(seats.sum())
        if short > 0:
            order = np.argsort(-(quota - seats), kind="stable")
            seats[order[:short]] += 1
        return seats


def from_specs(regions, leader_index: dict[str, int], office_index: dict[str, int], offices):
    """Build the :class:`Apparatus` from validated scenario region specs."""
    shield = np.full(len(regions), -1, dtype=np.int64)
    names = [r.name for r in regions]
    for k, o in enumerate(offices):
        if o.kind == "regional" and o.region is not None:
            shield[names.index(o.region)] = office_index[o.name] if office_index else k
    return Apparatus(
        names=names,
        members=np.array([r.members for r in regions], dtype=float),
        patron=np.array(
            [leader_index[r.patron] if r.patron else NO_PATRON for r in regions], dtype=np.int64
        ),
        loyalty=np.array([r.loyalty for r in regions], dtype=float),
        deference=np.array([r.deference for r in regions], dtype=float),
        economy=np.array([r.economy for r in regions], dtype=float),
        world=np.array([r.world for r in regions], dtype=float),
        shield_office=shield,
    )

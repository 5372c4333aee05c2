"""Faction bookkeeping: who is in which faction, with cached memberships and powers.

A faction is a label shared by its members; ``-1`` marks a leader who cannot act. Every
change of faction goes through :meth:`FactionBook.set_faction`, so that the caches (members,
faction powers, coalition values) stay right. :class:`SuccessionModel` inherits this.
"""

from __future__ import annotations

import numpy as np

from model.engine.coalitions import coalition_centre, policy_distance


class FactionBook:
    """Factions of the leaders (mixed into the model, which provides ``power``,
    ``power_list``, ``positions``, ``leader_list``, ``animosity``, ``params``, ``steps``
    and ``log_event``)."""

    def init_factions(self, n: int) -> None:
        """Every leader starts alone in a faction of his own."""
        self.faction = np.arange(n, dtype=np.int64)
        self._next_label = n
        self._members: dict[int, list[int]] = {}
        self._faction_power: dict[int, float] = {}
        self.last_faction: dict[int, list[int]] = {}
        self.state_version = 0
        self.value_cache: dict = {}

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

    def leader_of(self, label: int):
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

    def in_solidarity(self, j: int, by: int) -> list[int]:
        """The partners of ``j`` who side with him against ``by``: the other members of his
        faction (``by`` aside) who stand closer in policy to ``j`` than to ``by``."""
        return [k for k in self.members(int(self.faction[j])) if k not in (j, by)
                and policy_distance(self.positions[k], self.positions[j])
                < policy_distance(self.positions[k], self.positions[by])]

    def expel_from_faction(self, j: int, by: int) -> None:
        """Faction leader ``by`` drops partner ``j``, who bears him a grudge for it; so do
        the partners in solidarity with ``j`` (:meth:`in_solidarity`) when ``solidarity``
        is on, and with ``solidarity_exit`` they leave with him, whether or not they bear
        the grudge, and whatever their time in the coalition (they are not dropped: they
        walk out with him). The new bloc counts as formed this month (``joined``).

        "Stalin's highhanded methods ... alienated his former partners, Zinoviev and
        Kamenev"; he "broke with Kamenev and Zinov'ev", and the seed speaks of "the
        Zinoviev-Kamenev faction" as one [seed]; in 1925 the two went into opposition
        together, with the "Platform of the Four" and the Leningrad organisation [calendar].
        Partners are judged as blocs, and a partner who sides with the one dropped goes
        with him."""
        self.log_event("dropped", self.leader_list[j].name, self.leader_list[by].name, "", "")
        allies = self.in_solidarity(j, by)
        label = self._new_label()
        self.set_faction(j, label)
        grudge = self.params.betrayal_grudge
        self.animosity[j, by] = min(1.0, self.animosity[j, by] + grudge)
        for k in allies if self.params.solidarity else ():
            self.animosity[k, by] = min(1.0, self.animosity[k, by] + grudge)
        if self.params.solidarity_exit and allies:
            for k in allies:
                self.log_event("leaves", self.leader_list[k].name,
                               self.leader_list[by].name, f"with {self.leader_list[j].name}",
                               "")
                self.set_faction(k, label)
            for k in (j, *allies):
                self.leader_list[k].joined = self.steps
        self.state_changed()

"""What a run keeps: the event log, the tallies of every vote, the offices and factions of
every month (mixed into :class:`SuccessionModel`)."""

from __future__ import annotations


class RecordBook:
    """The run's records (the model provides ``steps``, ``month``, ``offices``,
    ``leader_list`` and ``faction``)."""

    def init_records(self) -> None:
        """Empty records."""
        self.event_log: list[dict] = []
        self.office_history: list[dict] = []
        self.faction_history: list = []
        self.ruling_history: list[str] = []
        self.tallies: list[dict] = []
        self.region_votes: dict[str, dict[str, tuple[int, int]]] = {}

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

    def record_month(self) -> None:
        """This month's factions and the holders of the offices."""
        self.faction_history.append(self.faction.copy())
        for o in self.offices:
            self.office_history.append(
                {"step": self.steps, "month": self.month, "office": o.name,
                 "holder": self.leader_list[o.holder].name if o.holder >= 0 else ""}
            )

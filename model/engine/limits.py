"""The limits of what the package accepts (a leaf module with no imports, so that the command
line can show them in its help without loading the schema)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The largest scenario, and the most workers, that the package accepts.

    Each limit is checked when a scenario is validated (or, for workers, when the command
    line is read), with a message naming it, so that a scenario over a limit is refused in
    about a second instead of running without end or allocating without bound. The values
    leave the real cases far inside (the 1922-27 case: 15 leaders, 26 regions, 67 months,
    bodies of at most 71 seats, 898 delegates). README ("Limits") lists them with the
    measured worst cases.
    """

    leaders: int = 100
    offices: int = 500
    regions: int = 2000
    relations: int = 10_000
    assemblies: int = 2000
    events: int = 10_000
    horizon_months: int = 1200  # a century of monthly steps
    body_seats: int = 10_000  # Politburo and Central Committee sizes
    delegates: int = 1_000_000  # voting delegates of one assembly
    members: int = 100_000_000  # party members of one region, or admitted by one event
    office_weight: float = 100.0
    name_length: int = 100  # leader, office, region, assembly names and ids
    text_length: int = 10_000  # descriptions and notes
    file_bytes: int = 2 * 1024 * 1024  # one scenario file
    nesting: int = 32  # arrays and tables nested in a scenario file
    extends_depth: int = 16  # files in one ``extends`` chain
    workers_per_core: int = 4  # --workers at most this many per core (and never above the runs)
    runs: int = 100_000  # --runs of one command


LIMITS = Limits()

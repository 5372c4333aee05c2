"""Tidy tables of one run, the comparison with the record, and the run's output folder.

:func:`run_tables` turns a finished :class:`~model.model.SuccessionModel` into tidy tables
(one row per month and leader, office, event or vote); :func:`key_events` sets the simulated
dates of the case's key outcomes beside the recorded ones; :func:`write_run` writes the tables, the
comparison, a manifest and the figures into a folder, atomically (all files or none).

Months are ``YYYY-MM`` strings from ``m.date_of_step`` (step 0, the initial state, is the
month before the horizon's start). No wall-clock time is written anywhere, so the same
scenario and seed give byte-identical CSV files.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from model.analysis.measures import measures_of, month_label
from model.analysis.outcomes import NEVER, reduce_run
from model.atomic import temporary_folder
from model.cases.casefile import Case

TABLE_COLUMNS: dict[str, list[str]] = {
    "power": ["month", "leader", "power", "prestige"],
    "factions": ["month", "leader", "faction", "faction_size", "ruling"],
    "offices": ["month", "office", "holder"],
    "events": ["month", "kind", "who", "what", "detail", "where"],
    "tallies": ["month", "assembly", "body", "kind", "motion", "yes", "no", "absent",
                "delegates"],
}
KEY_EVENT_COLUMNS = ["outcome", "simulated", "recorded", "record_id"]
OFFICE_END_COLUMNS = ["office", "holder", "recorded"]
CSV_FILES = ("power", "factions", "offices", "events", "tallies", "key_events")
FLOAT_FORMAT = "%.6f"


# --------------------------------------------------------------------------------------
# tables


def _month(m, step) -> str:
    return m.date_of_step(int(step)).isoformat()[:7]


def run_tables(m) -> dict[str, pd.DataFrame]:
    """Tidy tables of a finished run.

    Returns:
        ``power`` (month, leader, power, prestige), ``factions`` (month, leader, faction,
        faction_size, ruling), ``offices`` (month, office, holder), ``events`` (month, kind,
        who, what, detail, where) and ``tallies`` (month, assembly, body, kind, motion, yes,
        no, absent, delegates), one row per month and leader / office / event / vote.
    """
    names = {ld.idx + 1: ld.name for ld in m.leader_list}
    agents = m.datacollector.get_agent_vars_dataframe().reset_index()
    agents["step"] = agents["Step"].astype(int)
    agents["month"] = [_month(m, s) for s in agents["step"]]
    agents["leader"] = agents["AgentID"].map(names)
    agents["faction"] = agents["faction"].fillna("").astype(str)
    agents = agents.sort_values(["step", "AgentID"], kind="stable").reset_index(drop=True)

    power = agents[["month", "leader", "power", "prestige"]].copy()
    power["power"] = power["power"].astype(float)
    power["prestige"] = power["prestige"].astype(float)

    sizes = agents.groupby(["step", "faction"])["leader"].transform("size")
    ruling_by_step = m.datacollector.get_model_vars_dataframe()["ruling"].fillna("").astype(str)
    ruling_by_step.index = range(len(ruling_by_step))
    faction_of = {(s, ld): f for s, ld, f in zip(agents["step"], agents["leader"],
                                                 agents["faction"], strict=True)}
    ruling_faction = [
        faction_of.get((s, ruling_by_step.get(s, "")), "") for s in agents["step"]
    ]
    factions = pd.DataFrame(
        {
            "month": agents["month"],
            "leader": agents["leader"],
            "faction": agents["faction"],
            "faction_size": [int(n) if f else 0 for n, f in zip(sizes, agents["faction"],
                                                                strict=True)],
            "ruling": [bool(f) and f == r for f, r in zip(agents["faction"], ruling_faction,
                                                          strict=True)],
        }
    )

    offices = pd.DataFrame(
        [
            {"month": _month(m, r["step"]), "office": r["office"], "holder": r["holder"] or ""}
            for r in m.office_history
        ],
        columns=TABLE_COLUMNS["offices"],
    )
    events = pd.DataFrame(
        [
            {"month": _month(m, e["step"]), **{k: e.get(k, "") for k in
                                               TABLE_COLUMNS["events"][1:]}}
            for e in m.event_log
        ],
        columns=TABLE_COLUMNS["events"],
    )
    tallies = pd.DataFrame(
        [
            {"month": _month(m, t["step"]), **{k: t.get(k) for k in TABLE_COLUMNS["tallies"][1:]}}
            for t in m.tallies
        ],
        columns=TABLE_COLUMNS["tallies"],
    )
    return {
        "power": power.reset_index(drop=True),
        "factions": factions,
        "offices": offices,
        "events": events,
        "tallies": tallies,
    }


# --------------------------------------------------------------------------------------
# comparison with the record


def _record_lookup(record: pd.DataFrame | None, rid: str) -> pd.Series | None:
    if record is None:
        return None
    rows = record.loc[record["id"] == rid]
    return None if rows.empty else rows.iloc[0]


def recorded_when(row: pd.Series | None) -> str:
    """A record row's date as ``YYYY-MM``, or ``YYYY-MM..YYYY-MM`` for a range."""
    if row is None:
        return ""
    start = row["date"].strftime("%Y-%m")
    alt = row["date_alt"]
    if pd.notna(alt) and alt > row["date"] and alt.strftime("%Y-%m") != start:
        return f"{start}..{alt.strftime('%Y-%m')}"
    return start


def key_events(m, case: Case, tables: dict | None = None) -> pd.DataFrame:
    """Simulated vs recorded dates of the case's key events (``key_events`` in its case
    file), each a measure of :mod:`model.analysis.measures` or an assembly's tally.

    Args:
        m: a finished model.
        case: the case (its key events and record; with no record ``recorded`` is empty).
        tables: :func:`run_tables` of ``m`` if already computed.

    Returns:
        Columns ``outcome``, ``simulated`` (``YYYY-MM``, ``never``, or a tally ``yes-no``),
        ``recorded`` (``YYYY-MM``, a range ``YYYY-MM..YYYY-MM``, or a tally) and
        ``record_id``.
    """
    record = case.record
    measures = measures_of(case)
    o = reduce_run(m)
    out = []
    for e in case.spec.key_events:
        if e.tally is not None:
            tables = tables if tables is not None else run_tables(m)
            out.append(tally_comparison(tables["tallies"], record, e.tally, e.record_id,
                                        e.label))
            continue
        measure = measures[e.measure]
        value, _ = measure(o)
        if math.isnan(value):
            sim = NEVER
        else:
            sim = month_label(value) if measure.value_kind == "date" else f"{value:g}"
        row = _record_lookup(record, e.record_id)
        out.append({"outcome": e.label, "simulated": sim, "recorded": recorded_when(row),
                    "record_id": e.record_id if row is not None else ""})
    return pd.DataFrame(out, columns=KEY_EVENT_COLUMNS)


def tally_comparison(tallies: pd.DataFrame, record: pd.DataFrame | None, assembly: str,
                     rid: str, label: str = "") -> dict[str, str]:
    """The simulated vote on the CC report at ``assembly`` beside the recorded tally."""
    sel = tallies.loc[(tallies["assembly"] == assembly) & (tallies["kind"] == "report")]
    sim = f"{int(sel.iloc[0]['yes'])}-{int(sel.iloc[0]['no'])}" if len(sel) else NEVER
    row = _record_lookup(record, rid)
    return {"outcome": label or f"{assembly}: vote on the CC report (yes-no)", "simulated": sim,
            "recorded": str(row["value"]) if row is not None else "",
            "record_id": rid if row is not None else ""}


def offices_at_end(m, record: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who holds which office at the end of the run (``holder`` '' when vacant), with the
    recorded holder at the end of the record where the record has one (``recorded``: its
    latest ``office_holder`` row of the office; earlier rows, e.g. holders at a congress,
    are the patterns' business)."""
    last = max(r["step"] for r in m.office_history)
    rows = []
    for r in m.office_history:
        if r["step"] != last:
            continue
        rec = ""
        if record is not None:
            hits = record.loc[(record["kind"] == "office_holder") & (record["what"] == r["office"])]
            if len(hits):
                h = hits.sort_values("date", kind="stable").iloc[-1]  # the latest row
                rec = h["who"] or _unmodelled_holder(h["note"])
        rows.append({"office": r["office"], "holder": r["holder"] or "", "recorded": rec})
    return pd.DataFrame(rows, columns=OFFICE_END_COLUMNS)


def holder_label(holder: str, office) -> str:
    """How the end-of-run table names an office's holder: his name; "(appointee)" for an
    office without a modelled holder that goes to an appointee outside the modelled leaders
    (a regional organisation, or an office marked ``appointee``: Kirov in Leningrad,
    Menzhinsky at the OGPU [RECORD]); "(vacant)" for any other office without one."""
    if holder:
        return holder
    return "(appointee)" if office.kind == "regional" or office.appointee else "(vacant)"


def _unmodelled_holder(note: str) -> str:
    """'Kirov (not a modelled leader) since ...' -> '(Kirov)'."""
    head = note.split(" (")[0].strip() if "not a modelled leader" in note else ""
    return f"({head})" if head else "(other)"


# --------------------------------------------------------------------------------------
# writing a run


def package_version() -> str:
    try:
        return importlib.metadata.version("troika")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The commit of the clone the package runs from, or 'unknown' (an installed wheel,
    whose site-packages may sit inside some other repository)."""
    repo = Path(__file__).resolve().parents[2]
    if not (repo / ".git").exists() or not (repo / "pyproject.toml").is_file():
        return "unknown"
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    out = res.stdout.strip()
    return out if res.returncode == 0 and out else "unknown"


def manifest(m, *, scenario_source, seed, argv) -> dict:
    """What produced a run: scenario, parameters, seed, versions, commit, command line."""
    spec = m.spec
    return {
        "scenario": {
            "name": spec.name,
            "description": spec.description,
            "source": str(scenario_source) if scenario_source is not None else "",
            "extends": spec.extends or "",
            "horizon": {"start": spec.horizon.start, "end": spec.horizon.end},
        },
        "parameters": m.params.model_dump(mode="json"),
        "seed": seed,
        "versions": {
            "troika": package_version(),
            "mesa": _version("mesa"),
            "numpy": _version("numpy"),
            "pandas": _version("pandas"),
            "matplotlib": _version("matplotlib"),
            "python": sys.version.split()[0],
        },
        "git_commit": git_commit(),
        "command": [str(a) for a in argv] if argv is not None else [],
    }


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n", float_format=FLOAT_FORMAT,
              encoding="utf-8")


def write_run(m, out_dir, *, case: Case, scenario_source=None, seed=None,
              argv=None) -> list[Path]:
    """Write a run's tables, key events, manifest and figures into ``out_dir``, atomically.

    Everything is written into a temporary folder beside ``out_dir`` first; the files are
    moved into ``out_dir`` only when all of them were written. On an exception nothing new is
    left behind (``out_dir`` is not created if it did not exist).

    Returns:
        The paths of the written files inside ``out_dir``.
    """
    import model.views.plots as plots

    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    created: list[Path] = []
    p = parent
    while not p.exists():
        created.append(p)
        p = p.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_folder(parent, prefix=f".{out_dir.name}.tmp-")
    moved_into_new_dir = False
    try:
        tables = run_tables(m)
        tables["key_events"] = key_events(m, case, tables)
        names: list[str] = []
        for key in CSV_FILES:
            write_csv(tables[key], tmp / f"{key}.csv")
            names.append(f"{key}.csv")
        info = manifest(m, scenario_source=scenario_source, seed=seed, argv=argv)
        for fig in plots.write_figures(tables, case, tmp):
            names.append(Path(fig).name)
        info["files"] = sorted(names)
        (tmp / "manifest.json").write_text(
            json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        names.append("manifest.json")
        if not out_dir.exists():
            moved_into_new_dir = True
            os.replace(tmp, out_dir)
        else:
            for name in names:
                os.replace(tmp / name, out_dir / name)
        return [out_dir / name for name in names]
    except BaseException:
        if moved_into_new_dir and out_dir.exists():
            shutil.rmtree(out_dir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        for d in created:  # innermost first
            try:
                d.rmdir()
            except OSError:
                break
        raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)

"""Tests for the figure helpers of ``model/views/plots.py`` and
``model/views/validation_plots.py``: stable faction colours, lines that stop when a leader
leaves, event numbers that do not collide, panels zoomed to their data and record."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis.outcomes import median_verdict, month_label, month_number
from model.views.plots import active_power, event_rows, faction_anchors
from model.views.validation_plots import date_window, median_shown


def factions_table(months: dict[str, dict[str, str]]) -> pd.DataFrame:
    """``{month: {leader: faction label ('' when not active)}}`` as a factions table."""
    return pd.DataFrame([{"month": m, "leader": n, "faction": f}
                         for m, row in months.items() for n, f in row.items()])


def test_a_faction_keeps_its_anchor_when_another_member_outweighs_its_founder():
    fac = factions_table({
        "1925-01": {"Stalin": "Stalin", "Rudzutak": "Stalin", "Molotov": "Stalin",
                    "Trotsky": "Trotsky"},
        # Rudzutak briefly the strongest member: the faction is labelled by him
        "1925-02": {"Stalin": "Rudzutak", "Rudzutak": "Rudzutak", "Molotov": "Rudzutak",
                    "Trotsky": "Trotsky"},
        "1925-03": {"Stalin": "Stalin", "Rudzutak": "Stalin", "Molotov": "Stalin",
                    "Trotsky": "Trotsky"},
    })
    anchors = faction_anchors(fac)
    assert anchors[("1925-02", "Rudzutak")] == "Stalin"
    assert {anchors[(m, "Stalin")] for m in ("1925-01", "1925-03")} == {"Stalin"}
    assert anchors[("1925-02", "Trotsky")] == "Trotsky"


def test_merged_factions_take_the_anchor_of_the_larger_and_a_splinter_its_own():
    fac = factions_table({
        "1925-01": {"A": "A", "B": "A", "C": "A", "D": "D", "E": "D"},
        "1925-02": {"A": "D", "B": "D", "C": "D", "D": "D", "E": "D"},   # merge, D strongest
        "1925-03": {"A": "A", "B": "A", "C": "C", "D": "", "E": "A"},    # C splits off, D gone
    })
    anchors = faction_anchors(fac)
    assert anchors[("1925-02", "D")] == "A"          # A's faction was the larger
    assert anchors[("1925-03", "A")] == "A"
    assert anchors[("1925-03", "C")] == "C"          # a new faction: its strongest member
    assert ("1925-03", "") not in anchors


@given(st.lists(st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=1,
                max_size=12))
@settings(max_examples=60, deadline=None)
def test_every_active_faction_has_one_anchor_among_its_members(grid):
    names = list("ABCDE")
    months = [month_label(month_number("1923-01") + k) for k in range(len(grid))]
    table = {}
    for m, row in zip(months, grid, strict=True):
        groups: dict[int, list[str]] = {}
        for n, g in zip(names, row, strict=True):
            groups.setdefault(g, []).append(n)
        # label: the first member stands for the strongest; group 0 is 'not active'
        table[m] = {n: ("" if g == 0 else groups[g][0]) for n, g in zip(names, row,
                                                                          strict=True)}
    fac = factions_table(table)
    anchors = faction_anchors(fac)
    active = fac.loc[fac["faction"] != ""]
    for (m, label), g in active.groupby(["month", "faction"]):
        assert anchors[(m, label)] in set(g["leader"])
    # two factions of one month never share an anchor (and so never a colour)
    for m in months:
        mine = [a for (mm, _), a in anchors.items() if mm == m]
        assert len(mine) == len(set(mine))


def test_power_is_blank_while_a_leader_is_not_active():
    power = pd.DataFrame({"month": ["1924-01", "1924-01", "1924-02", "1924-02"],
                          "leader": ["Lenin", "Stalin", "Lenin", "Stalin"],
                          "power": [0.0, 1.5, 0.0, 1.6]})
    fac = factions_table({"1924-01": {"Lenin": "Lenin", "Stalin": "Stalin"},
                          "1924-02": {"Lenin": "", "Stalin": "Stalin"}})
    out = active_power({"power": power, "factions": fac})
    lenin = out.loc[out["leader"] == "Lenin", "power"].to_list()
    assert lenin[0] == 0.0 and math.isnan(lenin[1])
    assert out.loc[out["leader"] == "Stalin", "power"].notna().all()


def test_close_events_go_on_different_rows():
    dates = pd.to_datetime(["1924-01-21", "1925-01-15", "1925-12-18", "1926-01-05",
                            "1926-10-23"]).to_list()
    rows = event_rows(dates, min_days=60)
    assert rows[2] != rows[3]
    assert rows[0] == rows[1] == rows[4] == 0


def test_date_window_holds_data_and_record_with_margins():
    months = np.array([month_number("1925-12")])
    record = [pd.Timestamp("1925-12-18")]
    lo, hi = date_window(months, record)
    assert lo < pd.Timestamp("1925-12-01") and hi > pd.Timestamp("1926-01-01")
    assert (hi - lo).days < 2 * 365  # zoomed in: not the whole 1922-27 horizon
    lo, hi = date_window(np.array([month_number("1922-08"), month_number("1924-02")]),
                         [pd.Timestamp("1925-01-15")])
    assert lo <= pd.Timestamp("1922-06-01") and hi >= pd.Timestamp("1925-03-01")
    assert date_window(np.zeros(0), []) is None


def test_tqdm_progress_counts_to_the_total(capsys):
    from model.views.progress import tqdm_factory

    update = tqdm_factory()("model")
    for k in range(1, 4):
        update(k, 3)
    err = capsys.readouterr().err
    assert "model" in err and "3/3" in err


def test_a_figures_median_is_the_scorecards_not_an_interpolated_one():
    # an even number of runs whose middle two differ: numpy's median would say 79, the
    # scorecard says 78 (an observed value); the dissent figure's title says what it says
    votes = np.array([12.0, 40.0, 78.0, 80.0, 85.0, 93.0])
    assert float(np.median(votes)) == 79.0
    assert median_shown(votes) == "78"
    assert median_verdict(65.0, 20.0, votes).shown == "median 78"

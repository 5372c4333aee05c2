"""Tests for the Monte Carlo ensemble (``model/ensemble.py``): a run's result depends only on
the base seed and its index, never on the number of workers."""

from __future__ import annotations

import io

import numpy as np
import pytest

from model.analysis.ensemble import (
    Progress,
    default_workers,
    run_ensemble,
    run_seeds,
    seed_label,
)
from model.analysis.outcomes import RunOutcome
from model.cases.scenario import load_scenario

SCENARIO = load_scenario("baseline")
RUNS = 4


def same(a: RunOutcome, b: RunOutcome) -> bool:
    """Field-by-field equality (sets are compared as sets, arrays with np.array_equal)."""
    return (
        a.seed == b.seed
        and a.months == b.months
        and a.names == b.names
        and np.array_equal(a.factions, b.factions)
        and a.first == b.first
        and a.tallies == b.tallies
        and a.recanted == b.recanted
        and a.refused == b.refused
        and a.holders == b.holders
    )


@pytest.fixture(scope="module")
def serial() -> list[RunOutcome]:
    return run_ensemble(SCENARIO, RUNS, workers=1, base_seed=11)


def test_workers_do_not_change_the_outcomes(serial):
    parallel = run_ensemble(SCENARIO, RUNS, workers=2, base_seed=11)
    assert len(parallel) == len(serial) == RUNS
    for a, b in zip(serial, parallel, strict=True):
        assert same(a, b), a.seed


def test_same_seed_same_outcomes(serial):
    again = run_ensemble(SCENARIO, RUNS, workers=1, base_seed=11)
    assert all(same(a, b) for a, b in zip(serial, again, strict=True))


def test_a_run_depends_only_on_base_seed_and_index(serial):
    shorter = run_ensemble(SCENARIO, 2, workers=1, base_seed=11)
    assert all(same(a, b) for a, b in zip(shorter, serial[:2], strict=True))


def test_different_base_seeds_differ(serial):
    other = run_ensemble(SCENARIO, RUNS, workers=1, base_seed=12)
    assert [o.seed for o in other] != [o.seed for o in serial]
    assert any(
        a.tallies != b.tallies or not np.array_equal(a.factions, b.factions)
        or a.first != b.first
        for a, b in zip(serial, other, strict=True)
    )


def test_runs_within_an_ensemble_differ(serial):
    assert any(not same(serial[0], o) for o in serial[1:])
    assert len({o.seed for o in serial}) == RUNS


def test_seeds_are_seedsequence_spawns(serial):
    seqs = run_seeds(11, RUNS)
    assert all(isinstance(s, np.random.SeedSequence) for s in seqs)
    assert [s.spawn_key for s in seqs] == [(k,) for k in range(RUNS)]
    assert all(s.entropy == 11 for s in seqs)
    assert [o.seed for o in serial] == [seed_label(s) for s in seqs]
    # the same spawn of a fresh SeedSequence, whatever the number of runs
    assert [seed_label(s) for s in run_seeds(11, 2)] == [seed_label(s) for s in seqs[:2]]
    # independent streams: the first draws of the children differ
    draws = [np.random.default_rng(s).integers(1 << 30) for s in seqs]
    assert len(set(draws)) == RUNS


@pytest.mark.parametrize("kwargs", [{"runs": 0}, {"runs": -3}, {"runs": 2, "workers": 0}])
def test_bad_counts_raise(kwargs):
    with pytest.raises(ValueError):
        run_ensemble(SCENARIO, **kwargs)


def test_progress_callback_counts_every_run():
    calls = []
    run_ensemble(SCENARIO, 3, workers=1, base_seed=5,
                 progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_silent_when_not_a_terminal():
    stream = io.StringIO()
    bar = Progress("agents", stream=stream)
    for k in range(1, 4):
        bar(k, 3)
    assert stream.getvalue() == ""


def test_progress_writes_on_a_terminal():
    stream = FakeTTY()
    bar = Progress("agents", stream=stream)
    bar(1, 3)
    text = stream.getvalue()
    assert "agents" in text and "1/3" in text
    assert not text.endswith("\n")
    bar(3, 3)
    text = stream.getvalue()
    assert "3/3" in text
    assert text.endswith("\n")
    assert text.count("\n") == 1


def test_default_workers_is_positive():
    assert default_workers() >= 1

"""Seeds as text: every ensemble row's seed runs again as the same run, by the API and by
``troika run --seed``; free text (the app's seed box) gives the same seed in every process."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.analysis.ensemble import run_ensemble
from model.analysis.outcomes import reduce_run
from model.analysis.seeds import (
    parse_seed,
    run_seed,
    seed_from_text,
    seed_label,
    seed_text,
)
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel
from model.views.outputs import run_tables, write_csv

TRIAD = "example_triad/triad"


def same_outcome(a, b) -> bool:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def state(seed) -> list[int]:
    return np.random.SeedSequence(seed).generate_state(4).tolist() if isinstance(seed, int) \
        else seed.generate_state(4).tolist()


@given(st.integers(0, 2**128), st.lists(st.integers(0, 10**6), min_size=1, max_size=3))
def test_a_label_reads_back_as_the_seed_it_names(entropy, keys):
    seq = np.random.SeedSequence(entropy, spawn_key=tuple(keys))
    back = parse_seed(seed_label(seq))
    assert state(back) == state(seq)
    assert seed_text(back) == seed_label(seq)


@given(st.integers(0, 2**64))
def test_a_plain_integer_is_an_integer_seed(n):
    assert parse_seed(f" {n} ") == n
    assert seed_text(parse_seed(str(n))) == str(n)


def test_the_nth_spawned_seed_is_base_slash_n():
    spawned = np.random.SeedSequence(20221922).spawn(8)[7]
    assert state(parse_seed("20221922/7")) == state(spawned)
    assert state(parse_seed("20221922/7")) != state(parse_seed("20221922/6"))


@pytest.mark.parametrize("text", ["", "-1", "1.5", "abc", "12/", "/3", "1/2/3", "1/-2",
                                  "1/2.", "1 / 2", "9" * 300])
def test_what_is_not_a_seed_is_refused(text):
    with pytest.raises(ValueError):
        parse_seed(text)


def test_an_ensemble_row_runs_again_as_the_same_run():
    spec = load_scenario(TRIAD)
    rows = run_ensemble(spec, 3, base_seed=41)
    assert [r.seed for r in rows] == ["41/0", "41/1", "41/2"]
    for row in rows[1:]:
        again = reduce_run(SuccessionModel(spec, rng=parse_seed(row.seed)).run(), row.seed)
        assert same_outcome(again, row)
    assert not same_outcome(rows[1], rows[2])


def test_troika_run_seed_of_a_row(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "model.cli.main", "run", TRIAD, "--seed", "41/2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "out" / "triad-seed41-2"
    assert json.loads((out / "manifest.json").read_text())["seed"] == "41/2"
    model = SuccessionModel(load_scenario(TRIAD), rng=run_seed(41, 2)).run()
    write_csv(run_tables(model)["power"], tmp_path / "power.csv")
    assert (out / "power.csv").read_bytes() == (tmp_path / "power.csv").read_bytes()


def test_troika_run_refuses_a_bad_seed(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "model.cli.main", "run", TRIAD, "--seed", "41/x"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "--seed" in res.stderr
    assert not (tmp_path / "out").exists()


def test_text_seeds_are_the_same_in_every_process():
    code = "from model.analysis.seeds import seed_from_text as s; print(s('Kamenev'), s(' 7 '))"
    outs = set()
    for hashseed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=120, check=True)
        outs.add(res.stdout.strip())
    assert outs == {f"{seed_from_text('Kamenev')} 7"}
    assert seed_from_text("Kamenev") != seed_from_text("Zinoviev")
    assert seed_from_text("  ") is None
    assert state(seed_from_text("3/1")) == state(run_seed(3, 1))

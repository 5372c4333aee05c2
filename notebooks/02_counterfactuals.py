# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. What if? Counterfactuals compared
#
# Each counterfactual scenario in `scenarios/` extends the baseline and changes only
# exogenous facts or initial conditions: Lenin's Testament acted on (or only put to a vote),
# Lenin surviving, Trotsky healthy in January 1924, no Lenin Enrollment, no old grudge
# between Zinoviev, Kamenev and Trotsky. Every scenario is run on the same seeds, and the
# answers are probabilities with 90% intervals (Jeffreys intervals for proportions).
#
# `TROIKA_NB_RUNS` sets the runs per scenario (small in the test suite).

# %%
import os
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

from model.analysis.compare import compare, table_markdown, write_comparison
from model.cases.casefile import case_of
from model.cases.scenario import SCENARIO_DIR, load_scenario

RUNS = int(os.environ.get("TROIKA_NB_RUNS", "100"))
out = Path(tempfile.mkdtemp(prefix="troika-nb2-"))

# %% [markdown]
# ## The scenarios and what each changes

# %%
names = ["baseline", "testament", "testament_vote", "lenin_survives", "trotsky_present",
         "no_lenin_enrollment", "no_grudge"]
scenarios = [load_scenario(n) for n in names]
case = case_of("baseline")  # the questions asked are the case's (its case.toml)
pd.DataFrame({"scenario": [s.name for s in scenarios],
              "description": [s.description for s in scenarios]})

# %% [markdown]
# The comment at the top of each file says why the question matters, for example:

# %%
print((SCENARIO_DIR / "bolshevik_1922" / "testament.toml").read_text().split("\n\n")[0])

# %% [markdown]
# ## The comparison

# %%
rows = compare(scenarios, RUNS, case=case, workers=1)
display(Markdown(table_markdown(rows)))

# %%
paths = write_comparison(rows, out, case.spec.compare.counts)
display(Image(filename=str(paths[-1])))

# %% [markdown]
# ## Your own "what if"
#
# Any field of a scenario can be overridden for one run, as with `--set` on the command
# line: here the Secretariat replaces secretaries twice as fast.

# %%
faster = load_scenario("baseline", overrides=["parameters.appointment_rate=0.04",
                                              "name=faster_secretariat"])
display(Markdown(table_markdown(compare([scenarios[0], faster], RUNS, case=case, workers=1))))

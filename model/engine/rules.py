"""The rule families of the model, each with the parameters it reads and the setting that
switches it off (for ablation: ``troika ablate``).

A rule is switched off by parameter overrides only, so an ablated run is an ordinary run of
the same code with another parameter file. ``docs/model.md`` gives each rule's evidence.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleFamily:
    """A rule family: its name, what it says, the parameters it reads, and the overrides
    that switch it off."""

    name: str
    says: str
    reads: tuple[str, ...]
    off: dict


RULE_FAMILIES: tuple[RuleFamily, ...] = (
    RuleFamily("balance_against_successor",
               "the presumed successor is feared and kept out of coalitions",
               ("successor_fear", "heir_prestige"), {"successor_fear": 0.0}),
    RuleFamily("force_feared",
               "the contender who commands the army or the police is the presumed successor "
               "before one of greater standing",
               ("force_feared",), {"force_feared": False}),
    RuleFamily("minimum_winning",
               "once the common enemy is beaten, the leader drops surplus partners",
               ("prune_partners", "enemy_beaten_share", "switch_cost", "min_tenure"),
               {"prune_partners": False}),
    RuleFamily("apprehension",
               "partners of a dominant leader grow apprehensive and leave",
               ("apprehension_threshold", "apprehension_weight"),
               {"apprehension_weight": 0.0}),
    RuleFamily("policy_affinity", "alliances cost more across a policy gap",
               ("policy_weight",), {"policy_weight": 0.0}),
    RuleFamily("grudges", "old enmities bar alliances", ("grudge_weight",),
               {"grudge_weight": 0.0}),
    RuleFamily("common_enemy", "grudges fade faster between leaders who are both outside",
               ("common_enemy_decay",), {"common_enemy_decay": 0.0}),
    RuleFamily("exposure", "those outside the ruling coalition band together for safety",
               ("exposure_weight",), {"exposure_weight": 0.0}),
    RuleFamily("solidarity", "partners close to a dropped leader share his grudge",
               ("solidarity", "betrayal_grudge"), {"solidarity": False}),
    RuleFamily("solidarity_exit", "partners close to a dropped leader leave with him",
               ("solidarity_exit",), {"solidarity_exit": False}),
    RuleFamily("sanction_enmity", "a passed sanction or condemnation makes its mover and its "
               "target enemies", ("sanction_grudge",), {"sanction_grudge": 0.0}),
    RuleFamily("followers_join", "followers ask to join a faction, which decides by majority",
               ("followers_apply",), {"followers_apply": False}),
    RuleFamily("circular_flow", "the Secretariat replaces provincial secretaries",
               ("appointment_rate", "appointee_loyalty"), {"appointment_rate": 0.0}),
    RuleFamily("campaign", "the ruling coalition's press and apparatus erode opponents' "
               "prestige", ("campaign_rate",), {"campaign_rate": 0.0}),
    RuleFamily("factionalism", "organised opposition blocs draw a heavier campaign",
               ("factionalism",), {"factionalism": 0.0}),
    RuleFamily("defeat_costs", "each sanction passed costs its target prestige",
               ("defeat_prestige_cost",), {"defeat_prestige_cost": 0.0}),
    RuleFamily("opposition_acts", "leaders outside the ruling coalition act against it",
               ("act_drive", "act_cost", "act_fear", "act_temperature"), {"act_drive": 0.0}),
    RuleFamily("nested_acts", "whether to act at all is one decision, which act another "
               "(the acts are one nest of the logit)", ("act_nest",), {"act_nest": 1.0}),
    RuleFamily("quiet_enemy", "the common enemy counts as beaten only once he has lost a vote "
               "and stopped fighting", ("quiet_enemy",), {"quiet_enemy": False}),
    RuleFamily("votes_teach", "a leader judges how far the members listen to him by the last "
               "vote taken on him", ("votes_teach",), {"votes_teach": False}),
    RuleFamily("warning_deters", "a warned leader dreads the act that would bring the "
               "sanction", ("sanction_dread",), {"sanction_dread": 0.0}),
    RuleFamily("forum", "acts weigh more before a congress or conference",
               ("forum_weight", "forum_months"), {"forum_weight": 0.0}),
    RuleFamily("co_report_at_assembly", "a co-report is charged when it is given at its "
               "congress or conference, not before a plenum that opens days earlier",
               ("co_report_at_assembly",), {"co_report_at_assembly": False}),
    RuleFamily("acts_dated", "an act takes effect on a day of its month, so an assembly "
               "judges only the acts taken before it opened", ("acts_dated",),
               {"acts_dated": False}),
    RuleFamily("standing_premium", "a leader above the rulers in standing needs a graver case",
               ("standing_premium",), {"standing_premium": 0.0}),
    RuleFamily("paramount_shadow", "no sanction against a Politburo member while the "
               "paramount leader lives, ill or well", ("paramount_shadow",),
               {"paramount_shadow": False}),
    RuleFamily("condemnation_closes", "a passed condemnation uses up part of the charge",
               ("condemnation_closes", "charge_relief"), {"condemnation_closes": False}),
    RuleFamily("final_warning", "one last warning stands before both expulsions, from the "
               "Central Committee and from the party", ("final_warning",),
               {"final_warning": False}),
    RuleFamily("escalation", "acts escalate one level of severity at a time along the "
               "bloc's repertoire", ("escalation",), {"escalation": False}),
    RuleFamily("closed_press", "the press is closed to a leader given the last warning",
               ("press_closes",), {"press_closes": False}),
    RuleFamily("commitment", "a refusal to recant binds: it is weighed again only on news",
               ("refusal_binds",), {"refusal_binds": False}),
    RuleFamily("one_case", "the expulsions from the Central Committee and from the party are "
               "judged on one case", ("case_carries",), {"case_carries": False}),
    RuleFamily("chartered_bodies", "each kind of assembly takes only the sanctions its "
               "charter gives it; the others condemn", ("bodies_chartered",),
               {"bodies_chartered": False}),
    RuleFamily("outside_bodies", "outside the bodies a leader reads the members, not the "
               "body's last vote", ("outside_reads_members",), {"outside_reads_members": False}),
    RuleFamily("organised_following", "organising builds a following that adds to power",
               ("organise_gain", "w_following"), {"w_following": 0.0}),
    RuleFamily("declared_lines", "contenders shift their declared lines when it pays",
               ("line_review_rate", "line_step", "line_shift_cost", "line_distinction"),
               {"line_review_rate": 0.0}),
    RuleFamily("decision_noise", "coalition decisions misjudge power and intentions",
               ("decision_temperature", "misjudgement"),
               {"decision_temperature": 0.0, "misjudgement": 0.0}),
    RuleFamily("coercion", "the security office exiles expelled leaders who refuse to recant",
               ("coercion_rate",), {"coercion_rate": 0.0}),
)


def rule_family(name: str) -> RuleFamily:
    """Look up a rule family by name (ValueError naming the known ones if absent)."""
    for r in RULE_FAMILIES:
        if r.name == name:
            return r
    raise ValueError(f"unknown rule {name!r}; known: {', '.join(r.name for r in RULE_FAMILIES)}")

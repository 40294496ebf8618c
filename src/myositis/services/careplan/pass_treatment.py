"""The treatment the approach names, fitted to the drugs taken now and to what Do now holds.

One pass of `engine.build_care_plan`, run in its order; each edit names the specialist review
that asked for it.
"""

from __future__ import annotations

from myositis.services.careplan import (
    regimens,
)
from myositis.services.careplan.assessment import Assessment, missed_ids
from myositis.services.careplan.illness_guards import (
    glucocorticoid_iv,
    nothing_new_by_mouth_until_swallow_is_safe,
)
from myositis.services.careplan.model import (
    Action,
    CarePlan,
    Caution,
    Regimen,
)
from myositis.services.careplan.patient_limits import (
    fit_to_patient_limits,
)
from myositis.services.careplan.record_readers import (
    globals_low,
    joints_may_be_active,
)
from myositis.services.careplan.regimen_escalation import (
    plateau_before_escalation,
    skin_escalation_named,
)
from myositis.services.careplan.regimen_glucocorticoids import (
    LIVER_RELAPSE_HOLD,
    daily_glucocorticoid_after_pulses,
    dose_set_by_the_escalation,
    glucocorticoid_myopathy_first,
    no_taper_in_liver_relapse,
    no_taper_while_worse_after_a_cut,
    pulses_in_progress,
    pulses_just_given,
    taper_despite_active_lung,
)
from myositis.services.careplan.regimen_holds import (
    GRAFT_HELD_TODAY,
    HELD_TODAY,
    graft_drugs,
    graft_lung_regimen,
    held_by_urgent_lines,
    hold_in_approach,
    ivig_first_on_graft_drugs,
    name_every_current_drug,
    no_antimalarial_start_with_suicide_risk,
    without_keep_lines_for_held,
    without_moot_dose_lines,
)
from myositis.services.careplan.regimen_lung import MDA5_PJP_STEP
from myositis.services.careplan.regimen_route_and_risk import (
    safe_taper_partners,
)
from myositis.services.careplan.rules import fire
from myositis.services.careplan.summary import SEVERITY_URGENCY
from myositis.services.careplan.treatment_history import (
    failed_but_current,
    held_therapies,
    treatment_outcomes,
)
from myositis.services.muscle_activity import mild_flare

NO_TAPER = ("no taper meanwhile", "Pause the glucocorticoid taper")


TAPERING = "at the lowest effective dose, tapering as the response allows"


STABLE_DECISION_START = "Muscle inactive or low activity at the latest visit: no new agent"


HELD_DECISION = ("Muscle inactive or low activity while the steroid-sparing agent is held: its "
                 "replacement, or its restart, is decided with the specialist team (see the "
                 "treatment changes), and the glucocorticoid taper waits for it; worsening "
                 "(IMACS): re-escalate.")


TAPER_FIRST = "Taper glucocorticoids to stop first. "
TAPER_WAITS = "The glucocorticoid taper waits while the steroid-sparing agent is held. "


def no_taper_while_held(regimens: list[Regimen]) -> list[Regimen]:
    """One glucocorticoid instruction: where a regimen pauses the taper (a steroid-sparing agent
    held, a pregnancy escalation), no other line tapers it and the decision point does not say
    'no new agent ... taper' (specialist reviews Z19b P6 and Z19c P6)."""
    if not any(n in e for r in regimens for e in r.first_choice for n in NO_TAPER):
        return regimens
    return [r.model_copy(update={
        "first_choice": [e.replace(TAPERING, "at this dose, no taper meanwhile")
                         for e in r.first_choice],
        "decision_point": (HELD_DECISION if r.domain == "muscle"
                           and r.decision_point.startswith(STABLE_DECISION_START)
                           else r.decision_point.replace(TAPER_FIRST, TAPER_WAITS, 1))})
        for r in regimens]


TAPER_ACTIONS = frozenset({"long_term_glucocorticoid_exit", "glucocorticoid_taper_adrenal"})
"""Do-now lines that taper a glucocorticoid: left out while the taper pauses."""

ADRENAL_RULE = "adrenal_safety_long_term_glucocorticoid"
RETINAL_RULE = "hydroxychloroquine_retinal_screening_due"


def retinal_check_when_stopping(actions: list[Action], years: object) -> list[Action]:
    """Hydroxychloroquine being stopped: no yearly retinal screening. Under 5 years the
    examination is left out (the risk then is very low and falls once the drug stops); after
    5 years or more it is done once, as damage can progress after stopping (specialist review
    Z63c P6: 'stop hydroxychloroquine' beside 'OCT ... now, then yearly' at 1.2 years)."""
    if isinstance(years, int | float) and years >= 5:
        return [a.model_copy(update={"text": a.text.replace(
            "now, then yearly.", "once now, as it is being stopped (damage can progress after "
            "stopping), not yearly.")}) if a.code == RETINAL_RULE else a for a in actions]
    return [a for a in actions if a.code != RETINAL_RULE]


def adrenal_line(ctx: Assessment) -> list[Action]:
    """The adrenal-safety line, when its rule holds and is not already printed."""
    rule = next((r for r in ctx.kb.rules.rules if r.id == ADRENAL_RULE), None)
    firing = fire(rule, ctx.facts, swaps=ctx.kb.wording_swaps) if rule else None
    if rule is None or firing is None or firing.unknown:
        return []
    return [Action(code=rule.id, urgency=SEVERITY_URGENCY[rule.severity], text=firing.text,
                   kb_entry=rule.id, citations=list(rule.sources))]


MODERATE_FLARE_STEP = "raise prednisolone to about 0.5 mg/kg/day for a moderate flare"


MILD_FLARE_STEP = ("for a mild flare a modest, short rise of prednisolone (often to 10-20 mg/day "
                   "for 2-4 weeks, or the last dose that held it if higher), then taper again; "
                   "about 0.5 mg/kg/day only if it becomes moderate")


IVIG_FOR_FLARE = "add intravenous immunoglobulin for a significant flare"


CONFIRM_DECISION = ("The flare is read from the published worsening definition on small "
                    "numbers at full strength: only if the repeat measures confirm it - ")
"""Put before the muscle decision point while a flare at full strength is confirmed (re-score
of specialist review Z65c P7: 'Re-escalate' beside 'no glucocorticoid change')."""


CONFIRM_FLARE_STEP = ("no glucocorticoid rise yet: at full strength the flare is confirmed first "
                      "(a repeat CK and core set within 2-4 weeks, see Do now), then a modest, "
                      "short rise or the last dose that held it if it is")


GUT_FIRST = frozenset({"jdm_gut_bleed_vasculopathy", "jdm_gut_vasculopathy",
                       "gi_perforation_suspected"})
"""Do-now lines after which nothing is given by mouth: the glucocorticoid goes IV."""


KIDNEY_BONE_RULES = frozenset({"bone_medication_kidney", "bone_protection_kidney_failure"})
"""Do-now rules that stop a bisphosphonate taken now (a possible renal crisis stops only the
intravenous one, which its own rule says)."""


def shape_treatment(plan: CarePlan, ctx: Assessment) -> tuple[set[str], set[str]]:
    """Returns the drugs being stopped or held (``stopping``) and those an urgent Do-now line holds in
    words (``held_urgently``): later passes must not continue or dose them."""
    record = ctx.record
    kb = ctx.kb
    phenotypes = ctx.phenotypes
    state = ctx.state
    present = ctx.present
    treat = ctx.treat
    facts = ctx.facts
    selection = ctx.selection
    taken_now = ctx.taken_now
    current = ctx.current
    if facts.get("subgroups") and "imnm" in phenotypes and facts.get("anti_srp") is False \
            and facts.get("anti_hmgcr") is False:
        # antibody-negative necrotising myopathy: treatment is provisional until a dystrophy
        # is excluded, as the do-now line says (re-score of review T)
        plan.regimens = [r.model_copy(update={"provisional": True}) if r.domain == "muscle"
                         else r for r in plan.regimens]
    plan.regimens = pulses_in_progress(
        plan.regimens, current, kb, swallow_unsafe=record.organs.dysphagia == "severe",
        child_weight_kg=float(record.weight_kg) if record.weight_kg is not None else None,
        # under 18 the JDM dose (SHARE 2017), adult-sized or not (specialist review Z10b:
        # 'usually 40-60 mg/day' after pulses for a girl of 15)
        child=record.age_years() < 18,
        checkpoint_inhibitor="immune_checkpoint_inhibitor" in record.other_medicines)
    plan.regimens = pulses_just_given(plan.regimens, record, kb,
                                      bool(facts.get("organ_threatening")))
    # before the illness, pregnancy and exposure guards, which may defer it (specialist review
    # Z22b P3: ciclosporin added for skin during a varicella incubation)
    plan.regimens = skin_escalation_named(plan.regimens)
    plan.regimens = daily_glucocorticoid_after_pulses(
        plan.regimens, kb, current, {w.therapy for w in plan.withheld},
        child=record.age_years() < 18)
    # held for the count alone: another reason to hold it (a high infection risk) keeps it out
    # of the approach (specialist review Z34c P7: 'rituximab once the neutrophils recover' for a
    # frail woman with recurrent infections and lymphocytes 0.6)
    waiting = next((w for w in plan.withheld if w.therapy == "rituximab"
                    and set(w.rule_ids) == {"rituximab_start_during_neutropenia"}), None)
    if waiting is not None and state.of("muscle") == "inadequate_response":
        # refractory disease with rituximab held only for the count: it is the next step once
        # the count recovers, not dropped (re-score of specialist review Z10d: a refractory
        # anti-SRP myopathy left with a trial referral alone)
        name = kb.therapies["rituximab"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            *r.first_choice,
            f"{name} once the neutrophils are above 1.5 and the cause of the low count is "
            "found (see the withheld list; sooner with the team if an organ is threatened)"]})
            if r.domain == "muscle" and not any(name in e for e in r.first_choice)
            and not any(e.startswith("treat the infection") for e in r.first_choice)
            else r for r in plan.regimens]
    plan.regimens = [r.model_copy(update={"first_choice": [
        safe_taper_partners(e, kb, facts) for e in r.first_choice]}) for r in plan.regimens]
    # the decision point follows the added agent, not 'no new agent' (re-score of Z12d)
    plan.regimens = [r.model_copy(update={"decision_point": r.decision_point.replace(
        "no new agent; continue the current treatment",
        "the steroid-sparing agent above first, then the taper")})
        if any(e.startswith("add a steroid-sparing agent") for e in r.first_choice)
        else r for r in plan.regimens]
    if state.of("muscle") == "flare" and mild_flare(record) \
            and facts.get("organ_threatening") is not True:
        # a mild flare gets no IV pulses (specialist review Z12d: pulses first for a flare its
        # own line called mild, with IgG 3.8 and two pneumonias)
        pulse = kb.therapies["methylprednisolone_iv_pulse"].name
        plan.regimens = [r.model_copy(update={
            "first_choice": [e for e in r.first_choice
                             if not e.removeprefix("add ").startswith(pulse)],
            "alternatives": [*r.alternatives, *[
                e.removeprefix("add ").split(",")[0] + " only for a severe flare"
                for e in r.first_choice if e.removeprefix("add ").startswith(pulse)]]})
            if r.domain == "muscle" else r for r in plan.regimens]
        # nor the moderate-flare dose or IVIG as first choice (specialist review Z20d P4: 0.5
        # mg/kg/day and IVIG for a flare the plan's own line called mild, at 9 weeks)
        confirm = facts.get("flare_to_confirm") is True
        step = CONFIRM_FLARE_STEP if confirm else MILD_FLARE_STEP
        if confirm:
            # nor a glucocorticoid started for it (specialist review Z65c P7: prednisolone
            # restarted after 8 years off it on near-zero scores and one CK)
            oral = kb.therapies["glucocorticoids_oral"].name
            plan.regimens = [r.model_copy(update={"first_choice": list(dict.fromkeys(
                CONFIRM_FLARE_STEP if e.removeprefix("add ").startswith(oral)
                and "(taken now" not in e and "glucocorticoids_oral" not in current else e
                for e in r.first_choice)),
                "decision_point": CONFIRM_DECISION + r.decision_point[:1].lower()
                + r.decision_point[1:]})
                if r.domain == "muscle" else r for r in plan.regimens]
        plan.regimens = [r.model_copy(update={
            "first_choice": [step + e[e.find("; in pregnancy"):]
                             if e.startswith(MODERATE_FLARE_STEP) and "; in pregnancy" in e
                             else step if e.startswith(MODERATE_FLARE_STEP) else e
                             for e in r.first_choice if not e.startswith(IVIG_FOR_FLARE)],
            "alternatives": [*r.alternatives, *[
                e.removeprefix("add ").split(" for a significant flare")[0]
                + " for a significant flare"
                for e in r.first_choice if e.startswith(IVIG_FOR_FLARE)]]})
            if r.domain == "muscle" else r for r in plan.regimens]
    # no new joint regimen during an infection or beside a drug held today (re-score of
    # specialist review Z31e P8: 'add tacrolimus' for the joints beside tacrolimus withheld for
    # toxicity, with a fever and vomiting)
    held_today = {t for code, t in HELD_TODAY.items() if code in {a.code for a in plan.do_now}}
    if treat and "asys" in phenotypes and record.systemic.arthritis \
            and joints_may_be_active(record) \
            and record.comorbidities.active_infection is not True and not held_today \
            and state.of("muscle") in ("not_involved", "stable", "remission") \
            and state.of("lung") in ("not_involved", "stable", "remission") \
            and not any(r.domain == "joints" for r in plan.regimens):
        gc_value = facts.get("gc_mg_day")
        not_covering = ({w.therapy for w in (*plan.withheld, *plan.not_recommended)}
                        | set(held_therapies(selection, taken_now)))
        # ILD known only from an HRCT on the record: an unticked box is not a normal scan
        lung_known = record.lung is not None and record.lung.hrct_pattern is not None
        plan.regimens.append(regimens.joint_regimen(
            gc_value if isinstance(gc_value, float | int) and gc_value > 0 else None,
            (record.lung.shows_ild() or record.systemic.interstitial_lung_disease)
            if lung_known and record.lung is not None else
            (True if record.systemic.interstitial_lung_disease else None),
            kb.therapies["glucocorticoids_oral"].name,
            # a drug taken now but withheld for this patient (a teratogen in pregnancy) covers
            # nothing (re-score of specialist review Z47a P3: 'continue mycophenolate, which
            # treats the joints too' at 14 weeks of pregnancy)
            covering=tuple(kb.therapies[t].name for t in sorted(current)
                           if t in kb.group_members("immunosuppressive")
                           and kb.therapies[t].category != "glucocorticoid"
                           and t not in not_covering),
            low_activity=globals_low(record),
            held=tuple(kb.therapies[t].name for t in sorted(current)
                       if t in set(held_therapies(selection, taken_now))
                       and t in kb.group_members("immunosuppressive")
                       and kb.therapies[t].category != "glucocorticoid"),
            withheld=frozenset(w.therapy for w in (*plan.withheld, *plan.not_recommended))
            # a low IgG or recurrent infections hold B-cell depletion (specialist review Z26c
            # P8: 'add rituximab' for the joints beside three urgent lines holding it)
            | (frozenset({"rituximab"}) if facts.get("recurrent_infections") is True or (
                isinstance(igg := facts.get("igg"), (int, float)) and igg < 5)
               else frozenset())))
    stopping = ({w.therapy for w in (*plan.withheld, *plan.not_recommended)}
                | set(held_therapies(selection, taken_now))
                | set(failed_but_current(record, current))
                | (set(kb.group_members("immunosuppressive")) | set(regimens.GLUCOCORTICOIDS)
                   if "ibm" in phenotypes else set()))
    # a transplant recipient's anti-rejection drugs stay for the graft: only a withholding
    # rule about the patient (pregnancy, an interaction) changes them, with the transplant team
    graft = graft_drugs(record, current)
    stopping -= graft - {w.therapy for w in plan.withheld}
    held_by_rule = (set(held_therapies(selection, taken_now)) & current) - graft
    if held_by_rule:
        # a drug a withholding rule holds (a low count) keeps no 'keep the regimen at its
        # target' line (specialist review Z51d P7: cyclophosphamide held for neutrophils of 0.4
        # in sepsis beside 'keep the regimen the disease needs' and 'goes on in parallel')
        plan.do_now = without_keep_lines_for_held(
            plan.do_now, {t: kb.therapies[t].name for t in held_by_rule if t in kb.therapies},
            {r.id for r in kb.rules.rules if r.when_taken == "continue"})
    if facts.get("suicide_risk") is True and "hydroxychloroquine" not in current \
            and "hydroxychloroquine" in kb.therapies:
        plan.regimens = no_antimalarial_start_with_suicide_risk(
            plan.regimens, kb.therapies["hydroxychloroquine"].name)
    if facts.get("lung_transplant") is True:
        plan.regimens = graft_lung_regimen(plan.regimens)
    plan.regimens = ivig_first_on_graft_drugs(
        plan.regimens, [kb.therapies[t].name for t in sorted(graft) if t in kb.therapies],
        next((o.name for o in plan.options if o.therapy == "ivig"), None))
    plan.do_now = without_moot_dose_lines(plan.do_now, kb, stopping & current)
    if "hydroxychloroquine" in stopping & current:
        plan.do_now = retinal_check_when_stopping(plan.do_now, facts.get("hcq_years"))
    plan.regimens = name_every_current_drug(
        plan.regimens, current, kb,
        stopping=stopping, graft=graft,
        # a drug taken now with no response recorded is not 'continued' as if it worked
        # (review Z4b: 'Continue topical calcineurin inhibitors' twice, response none)
        # a drug with missed doses has not failed (re-score of specialist review Z14b P7:
        # hydroxychloroquine 'without an adequate response' beside 'restore it')
        not_working=((set(state.steroid_sparing_failed) if state is not None else set())
                     | {t for t, outcome in treatment_outcomes(record).items()
                        if outcome == "ineffective" and t in current}) - missed_ids(facts),
        stop_for={"bisphosphonates": "kidney function (see Do now)"}
        if KIDNEY_BONE_RULES & {a.code for a in plan.do_now} else
        # an oral bisphosphonate with dysphagia (review Z3c: 'its prescriber decides' beside
        # 'no oral bisphosphonate' for alendronate with moderate dysphagia)
        {"bisphosphonates": "dysphagia - switch to IV zoledronate or denosumab with its "
                            "prescriber (see Do now)"}
        if "bone_protection_with_dysphagia" in {a.code for a in plan.do_now} else None,
        # skin-only disease with a past glucocorticoid psychosis or bipolar disorder: the
        # systemic glucocorticoid is tapered off (specialist review Z47d P8: 'continue at the
        # lowest effective dose' for amyopathic DM after a steroid mania, on lithium)
        glucocorticoid_off=record.mental_health.psychosis_on_glucocorticoids is True
        or record.mental_health.bipolar_disorder is True)
    for code, therapy_id in HELD_TODAY.items():
        # a drug a do-now line holds today is not 'continued' in the approach (specialist
        # review T: 'withhold tacrolimus today' beside 'Continue Tacrolimus' for muscle and lung)
        if code in {a.code for a in plan.do_now} and therapy_id in kb.therapies:
            name = kb.therapies[therapy_id].name
            plan.regimens = [r.model_copy(update={"first_choice": [
                f"Hold {name} today (see Do now); restart at a lower dose once the level and "
                "kidney function recover" if e.startswith((f"Continue {name}",
                                                            f"Continue and optimise {name}",
                                                            f"Review {name}")) else e
                for e in r.first_choice]}) for r in plan.regimens]
    if "severe_jdm_bulbar_admit" in {a.code for a in plan.do_now} \
            and not GUT_FIRST & {a.code for a in plan.do_now}:
        plan.regimens = nothing_new_by_mouth_until_swallow_is_safe(
            plan.regimens, kb.therapies["glucocorticoids_oral"].name)
    if GUT_FIRST & {a.code for a in plan.do_now}:
        plan.regimens = glucocorticoid_iv(
            plan.regimens, kb.therapies["glucocorticoids_oral"].name,
            jdm_gut=bool({"jdm_gut_bleed_vasculopathy", "jdm_gut_vasculopathy"}
                         & {a.code for a in plan.do_now}),
            ivig_held="ivig" in {w.therapy for w in plan.withheld},
            methotrexate_held=bool({"jdm_gut_bleed_vasculopathy", "gi_perforation_suspected"}
                                   & {a.code for a in plan.do_now}))
    if facts.get("ssc_features") is True or (record.age_years() < 18
                                            and record.comorbidities.osteoporosis is True):
        plan.regimens = taper_despite_active_lung(plan.regimens)
    plan.regimens = glucocorticoid_myopathy_first(plan.regimens, record)
    plan.regimens = no_taper_while_worse_after_a_cut(plan.regimens, record)
    plan.regimens = dose_set_by_the_escalation(plan.regimens)
    plan.regimens = no_taper_in_liver_relapse(plan.regimens, facts.get("alt_x_uln"),
                                              facts.get("liver_disease"))
    plan.regimens = plateau_before_escalation(plan.regimens, record)
    paused = any(n in e for r in plan.regimens for e in r.first_choice
                 for n in (*NO_TAPER, LIVER_RELAPSE_HOLD))
    plan.regimens = no_taper_while_held(plan.regimens)
    if paused:
        # nor do the taper lines of Do now (re-scores of specialist reviews Z19b P6 and Z19c
        # P6: 'set a written taper target' beside 'no taper meanwhile')
        before = len(plan.do_now)
        plan.do_now = [a for a in plan.do_now if a.code not in TAPER_ACTIONS]
        if len(plan.do_now) < before and ADRENAL_RULE not in {a.code for a in plan.do_now}:
            # the taper pauses but the adrenal axis is still suppressed: the steroid card and
            # sick-day line the taper line covered comes back (specialist review Z63a P8: no
            # adrenal precautions for a woman of 82 on 5 mg/day for four years)
            plan.do_now += adrenal_line(ctx)
    if "pjp_pneumonia_suspected" in {a.code for a in plan.do_now}:
        # one PJP instruction: the urgent line's treatment dose, not the lung regimen's
        # prophylaxis for an anti-MDA5 fever (specialist review Z18a P2: the two side by side)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e.replace(MDA5_PJP_STEP, "treatment-dose co-trimoxazole until PJP is excluded (see "
                      "Do now)") for e in r.first_choice]}) for r in plan.regimens]
    elif record.prophylaxis.pjp is True:
        # prophylaxis already in place is continued, not started (re-score of specialist review
        # Z34b P2: 'PJP prophylaxis now' for a man already taking it)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e.replace("PJP prophylaxis now,", "PJP prophylaxis continued (recorded),")
            for e in r.first_choice]}) for r in plan.regimens]
    fit_to_patient_limits(plan, record, facts, present, current, kb)
    held_urgently = held_by_urgent_lines(
        plan.do_now, current, frozenset(
            t.therapy for t in record.treatments if t.route in ("sc", "iv", "im")
            and t.therapy in current))
    if held_urgently:
        keep_rules = {r.id for r in kb.rules.rules if r.when_taken == "continue"}
        plan.do_now = without_keep_lines_for_held(
            plan.do_now, {t: kb.therapies[t].name for t in held_urgently if t in kb.therapies},
            keep_rules)
        # and from the drug's cautions (re-score of specialist review Z14d P7)
        graft = graft_drugs(record, current)
        for held_option in plan.options:
            if held_option.therapy in held_urgently:
                held_option.cautions = [c for c in held_option.cautions
                                        if c.condition not in keep_rules]
                # one status per drug: the table says it is held today too (specialist reviews
                # Z38d P5, Z39c P3: methotrexate 'taken now' with no caution beside 'hold it')
                if not any(c.condition == "held_today" for c in held_option.cautions):
                    # an anti-rejection drug is changed with the transplant team, not simply
                    # held (specialist review Z50d P2: 'Held today' in the table for a lung
                    # graft's tacrolimus that the urgent line reduces with the team)
                    held_option.cautions.insert(0, Caution(
                        condition="held_today", severity="high",
                        text=GRAFT_HELD_TODAY if held_option.therapy in graft
                        else "Held today by an urgent line (see Do now)", citations=[]))
        plan.regimens = hold_in_approach(plan.regimens, [
            kb.therapies[t].name for t in sorted(held_urgently) if t in kb.therapies])
    return stopping, held_urgently

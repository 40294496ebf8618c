"""The last passes over the approach and Do now: one consistent instruction per drug across
pregnancy, lupus nephritis, severe past reactions, G6PD deficiency and held drugs, then sources.

One pass of `engine.build_care_plan`, run in its order; each edit names the specialist review
that asked for it.
"""

from __future__ import annotations

import datetime as dt
import re

from myositis.services.careplan.assessment import SLOW_CATEGORIES, Assessment
from myositis.services.careplan.declined import say_what_is_not_given
from myositis.services.careplan.illness_guards import (
    CANCER_TREATMENT_RULES,
    DOSE_DECIDED_IN_INFECTION,
    HOLD_IN_SERIOUS_INFECTION,
    SERIOUS_FOCI,
    held_for_cancer_treatment,
    no_dose_rise_during_infection,
    no_taper_on_an_enzyme_inducer,
    serious_infection_holds,
    taper_to_ssc_ceiling,
)
from myositis.services.careplan.model import (
    Action,
    CarePlan,
    Citation,
)
from myositis.services.careplan.on_record import note_results_on_record
from myositis.services.careplan.patient_text import without_g6pd_choices, without_listed
from myositis.services.careplan.regimen_circumstances import (
    PREGNANCY_SKIN,
    no_new_systemic_agent_for_skin_in_pregnancy,
    topical_first_for_minimal_skin,
)
from myositis.services.careplan.regimen_escalation import (
    decision_without_first_choice,
    escalation_waits_for_statin_toxicity,
    new_agents_wait_for_cancer_work_up,
    one_new_agent_for_the_joints,
    replacement_as_in_the_regimens,
    replacement_named_where_it_maintains,
)
from myositis.services.careplan.regimen_glucocorticoids import withdrawal_in_long_remission
from myositis.services.careplan.regimen_holds import (
    first_choice_therapies,
    graft_changes_with_the_transplant_team,
    graft_drugs,
    taken_now_is_no_alternative,
)
from myositis.services.careplan.regimen_lung import lung_graft_decision, lung_review_interval
from myositis.services.careplan.reproduction_facts import exposure_clauses_for

PREGNANCY_REPLACEMENT = ("a pregnancy-compatible maintenance agent only if the muscle needs one "
                         "(azathioprine first, TPMT and NUDT15 known; with the obstetric team)")


PREGNANCY_GC = ("Continue {gc} at the lowest dose that controls the disease (in pregnancy a rise "
                "answers objective activity - weaker muscles, rising enzymes - agreed with the "
                "obstetric team)")


LUPUS_NEPHRITIS_FIRST = (" - unless lupus nephritis is confirmed or strongly suspected: then "
                         "induction with mycophenolate or IV cyclophosphamide instead, with "
                         "nephrology (see Do now)")


WEIGHT_DOSED = re.compile(r"\bIVIG\b|mg/kg|g/kg")
"""Do-now words of a treatment dosed by weight."""


def _cited_keys(plan: CarePlan) -> set[str]:
    keys: set[str] = set()
    keys.update(plan.cancer_screening.citations)
    for group in (plan.flags, plan.do_now, plan.shared_checks, plan.monitoring, plan.non_drug):
        for entry in group:
            keys.update(entry.citations)
    for item in plan.workup:
        keys.update(item.citations)
    for option in plan.options:
        keys.update(option.citations)
        for caution in option.cautions:
            keys.update(caution.citations)
        for check in (*option.before_starting, *option.monitoring):
            keys.update(check.citations)
    for withheld in (*plan.withheld, *plan.not_recommended):
        keys.update(withheld.citations)
    return keys


POTASSIUM_RISK_LINES = frozenset({"co_trimoxazole_with_stacked_potassium_risks",
                                  "hyperkalaemia_severe",
                                  # and beside the ACE inhibitor of a renal crisis (specialist
                                  # review Z55b P1: two PJP lines pointing different ways)
                                  "co_trimoxazole_in_renal_crisis"})
CO_TRIMOXAZOLE_NOT_HERE = ("atovaquone here (not co-trimoxazole: the potassium risks, see the "
                           "potassium line)")


FULL_STRENGTH_IN_PREGNANCY = (" - only if weakness appears (full strength with a raised CK alone is no "
                              "reason to start a drug in pregnancy)")


TAKEN_NOW = re.compile(r"Taken now \((.+?)\): ")
"""The head of a do-now line about one drug taken now (the name may hold parentheses)."""


RITUXIMAB_IN_SRP_LINE = re.compile(
    r", rituximab once the infection is controlled| or rituximab(?= only)")
SRP_RITUXIMAB_WITHHELD = " Rituximab is withheld here (see the withheld list)."
DUE_BY = re.compile(r"by (\d{4}-\d{2}-\d{2})")
PLANNED_ANTIMETABOLITES = ("mycophenolate", "azathioprine", "methotrexate")
PLANNED_BESIDE_CYCLOPHOSPHAMIDE = (" The approach below starts cyclophosphamide instead: one or the "
                                   "other, not both (two marrow-suppressing agents) - the team "
                                   "decides which.")
TERATOGENS_NAMED = re.compile(r"taken or proposed \(((?:[^()]|\([^()]*\))+)\)")
"""The drugs a contraception line names; a name may hold one parenthesis ('Cyclophosphamide
(IV pulse)': without it the line went unsplit - specialist review Z63b P5)."""
CHEST_RADIOGRAPH = re.compile(r"\b(and )?(a )?chest radiograph\b(?! with)")


def chest_ct_serves(actions: list[Action], ct_date: dt.date | None) -> list[Action]:
    """A screen's chest radiograph is not asked for within 3 months of a CT of the chest: the
    CT serves (specialist review Z41d P1, P2, P6, P7: radiographs requested days after an
    HRCT). Fever and new-symptom lines keep theirs, as new imaging may be needed."""
    if ct_date is None:
        return actions
    said = f"the CT of the chest of {ct_date.isoformat()} as the chest imaging"

    def swap(a: Action) -> Action:
        if (a.code.startswith(("fever", "infection_")) and a.code != "infection_screening_due") \
                or "chest radiograph" not in a.text:
            return a
        return a.model_copy(update={"text": CHEST_RADIOGRAPH.sub(
            lambda m: (m.group(1) or "") + said, a.text, count=1)})
    return [swap(a) for a in actions]


def teratogens_by_role(text: str, only_alternative: set[str]) -> str:
    """'taken or proposed (A, B)' names apart the drugs the approach lists only as
    alternatives, so that the line does not read as a plan to start them."""
    match = TERATOGENS_NAMED.search(text)
    if match is None:
        return text
    names = match.group(1).split(", ")
    main = [n for n in names if n not in only_alternative]
    spare = [n for n in names if n in only_alternative]
    if not spare:
        return text
    listed = (", ".join(main) + "; " if main else "") + ", ".join(spare) + (
        " only among the alternatives")
    return text[:match.start(1)] + listed + text[match.end(1):]


def planned_beside_cyclophosphamide(plan: CarePlan, ctx: Assessment) -> None:
    """A planned antimetabolite beside the approach's cyclophosphamide is one or the other
    (specialist review Z53b P1: mycophenolate booked with 'no caution' while the lung regimen
    started cyclophosphamide). Runs after the planned-course lines are added."""
    kb = ctx.kb
    if "cyclophosphamide" not in kb.therapies or "cyclophosphamide" in ctx.current:
        return
    name = kb.therapies["cyclophosphamide"].name
    if not any(e.removeprefix("add ").startswith(name)
               for r in plan.regimens for e in r.first_choice):
        return
    codes = {f"planned_course_checks_{t}" for t in PLANNED_ANTIMETABOLITES}
    for action in plan.do_now:
        if action.code in codes:
            action.text = action.text.rstrip() + PLANNED_BESIDE_CYCLOPHOSPHAMIDE


def finish_wording(plan: CarePlan, ctx: Assessment, undosed: list[str]) -> None:
    """Runs last because each pass reads the wording the earlier ones left."""
    record = ctx.record
    kb = ctx.kb
    phenotypes = ctx.phenotypes
    state = ctx.state
    present = ctx.present
    facts = ctx.facts
    current = ctx.current
    if facts.get("pregnant") is True:
        stopped = facts.get("teratogens_stopped_in_pregnancy")
        exposed = (set(stopped) if isinstance(stopped, frozenset) else set()) | set(current)
        plan.do_now = [a.model_copy(update={"text": exposure_clauses_for(a.text, exposed)})
                       if a.code.startswith(("pregnancy_teratogen", "planned_course"))
                       or a.code in current else a for a in plan.do_now]
        # the drug is named in the line's opening (specialist review Z47c P2: the line never
        # named the mycophenolate it was about)
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "Taken now during pregnancy", "Taken now during pregnancy (" + ", ".join(
                kb.therapies[t].name for t in a.therapies if t in kb.therapies) + ")", 1)})
            if a.code == "pregnancy_teratogen_taken_now" and a.therapies
            and a.text.startswith("Taken now during pregnancy although") else a
            for a in plan.do_now]
    plan.regimens = lung_review_interval(
        plan.regimens, facts.get("pregnant") is True,
        facts.get("anti_mda5") is True and record.months_since_onset < 12)
    plan.regimens = lung_graft_decision(
        plan.regimens, "lung" in record.comorbidities.transplanted_organs)
    # after the worked doses, which may add 'Optimise' lines: an infection or a cancer
    # treatment holds what the approach would otherwise continue or raise
    focus = record.comorbidities.infection_focus
    if record.comorbidities.active_infection is True and (
            record.comorbidities.sepsis is True or facts.get("critical_illness") is True
            or focus in SERIOUS_FOCI):
        infection = ("sepsis" if record.comorbidities.sepsis is True else
                     "pneumonia" if focus in ("lung_focal", "lung_diffuse")
                     else "serious infection")
        names = {t: kb.therapies[t].name for t in current if t in kb.therapies}
        held = {t: n for t, n in names.items() if t in HOLD_IN_SERIOUS_INFECTION
                or kb.therapies[t].category == "jak_inhibitor"}
        plan.regimens = serious_infection_holds(
            plan.regimens, {n: n for n in held.values()},
            {n: n for t, n in names.items() if t in DOSE_DECIDED_IN_INFECTION}, infection)
        # a Do-now line that changes a held drug's route or dose applies when it restarts
        # (re-score of specialist review Z30d P7: 'change methotrexate to subcutaneous
        # injection' beside 'hold methotrexate during the pneumonia')
        # a 'Taken now (X)' line about a drug that is not held (the glucocorticoid beside a
        # held mycophenolate) gets no such clause (re-score of specialist review Z36c P7:
        # prednisolone 'held during the pneumonia' in a septic patient)
        def about_held(a: Action) -> bool:
            taken = TAKEN_NOW.match(a.text)
            if taken:
                return taken.group(1) in held.values()
            return bool(set(a.therapies) & set(held)) or a.text.startswith(tuple(held.values()))
        plan.do_now = [a.model_copy(update={"text": a.text.rstrip(".") + (
            f" - once it restarts: it is held during the {infection} (see the approach).")})
            if a.urgency != "urgent" and not a.code.startswith(("infection", "fever"))
            and about_held(a) else a for a in plan.do_now]
    if record.comorbidities.active_infection is True:
        plan.regimens = no_dose_rise_during_infection(plan.regimens)
    if {"rifampicin", "enzyme_inducer"} & set(record.other_medicines):
        plan.regimens = no_taper_on_an_enzyme_inducer(
            plan.regimens, facts.get("diabetes") is True)
    if "ssc_overlap_glucocorticoid_above_15" in {a.code for a in plan.do_now}:
        plan.regimens = taper_to_ssc_ceiling(plan.regimens, kb.therapies[
            "glucocorticoids_oral"].name if "glucocorticoids_oral" in kb.therapies else "")
    if CANCER_TREATMENT_RULES & {a.code for a in plan.do_now}:
        plan.regimens = held_for_cancer_treatment(plan.regimens, [
            kb.therapies[t].name for t in sorted(current & HOLD_IN_SERIOUS_INFECTION)
            if t in kb.therapies])
    if POTASSIUM_RISK_LINES & {a.code for a in plan.do_now}:
        # the PJP line names the agent the potassium line chose (re-score of specialist review
        # Z31g P8: 'co-trimoxazole unless contraindicated' above 'atovaquone instead')
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "co-trimoxazole unless contraindicated", CO_TRIMOXAZOLE_NOT_HERE)})
            if a.code.startswith("pjp_") else a for a in plan.do_now]
    strength = next((v.core_set for v in reversed(record.visits)
                     if v.core_set.mmt8 is not None), None)
    if facts.get("pregnant") is True and strength is not None and strength.mmt8 is not None \
            and strength.mmt8 >= strength.mmt_max and facts.get("organ_threatening") is not True:
        # full strength in pregnancy: a raised CK alone starts no new drug (specialist review
        # Z32m P5: 'add azathioprine' at 12 weeks with MMT-8 80/80, a normal MRI and EMG)
        plan.regimens = [r.model_copy(update={
            "first_choice": [e for e in r.first_choice if not e.startswith("add ")],
            "alternatives": [*(e.removeprefix("add ") + FULL_STRENGTH_IN_PREGNANCY
                               for e in r.first_choice if e.startswith("add ")),
                             *r.alternatives]})
            if r.domain == "muscle" else r for r in plan.regimens]
    if "statin_interaction_myotoxicity" in {a.code for a in plan.do_now}:
        plan.regimens = escalation_waits_for_statin_toxicity(plan.regimens, frozenset(
            o.name for o in plan.options if (o.therapy not in current
            and kb.therapies[o.therapy].category in SLOW_CATEGORIES | {"immunoglobulin"})
            or o.therapy == "methylprednisolone_iv_pulse"))
    if "cancer_suspected" in present:
        plan.regimens = new_agents_wait_for_cancer_work_up(plan.regimens, frozenset(
            o.name for o in plan.options if o.therapy not in current
            and kb.therapies[o.therapy].category in SLOW_CATEGORIES))
    plan.regimens = decision_without_first_choice(plan.regimens)
    remission_since = next((d.since for d in (state.domains if state else [])
                            if d.domain == "muscle" and d.state == "remission"), None)
    gc_free = facts.get("gc_free_months")
    if remission_since is not None and isinstance(gc_free, float | int) and gc_free >= 12 \
            and "jdm" not in phenotypes and "ild" not in present \
            and not any(facts.get(f) is True for f in ("pregnant", "planning_conception",
                                                         "breastfeeding")) \
            and (record.on() - remission_since).days >= 365:
        plan.regimens = withdrawal_in_long_remission(plan.regimens)
    plan.regimens = one_new_agent_for_the_joints(plan.regimens)
    if facts.get("pregnant") is True and state.of("muscle") == "active":
        # active on treatment without a flare: in pregnancy the glucocorticoid is not
        # 'optimised' upward by default (re-score of specialist review Z27c P4: 'continue and
        # optimise' read as a steroid rise at 11 weeks for a near-inactive muscle)
        gc = kb.therapies["glucocorticoids_oral"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            PREGNANCY_GC.format(gc=gc) if e == f"Continue and optimise {gc}" else e
            for e in r.first_choice]}) for r in plan.regimens]
    if facts.get("dialysis") is True or (isinstance(egfr := facts.get("egfr"), int | float)
                                         and egfr < 30):
        latest_skin = next((v.cdasi_activity for v in reversed(record.visits)
                            if v.cdasi_activity is not None), None)
        plan.regimens = topical_first_for_minimal_skin(
            plan.regimens, latest_skin, kb.therapies["hydroxychloroquine"].name)
    if facts.get("pregnant") is True and facts.get("skin_ulceration") is not True \
            and facts.get("organ_threatening") is not True:
        plan.regimens = no_new_systemic_agent_for_skin_in_pregnancy(plan.regimens, kb, current)
        # nor is it named as the replacement of a stopped teratogen (re-score of specialist
        # review Z20a P6: 'switch to ciclosporin' beside the skin line that had set it aside)
        moved = {a.split(" (")[0] for r in plan.regimens if r.domain == "skin"
                 for a in r.alternatives if PREGNANCY_SKIN in a}
        plan.regimens = [r.model_copy(update={"first_choice": [
            PREGNANCY_REPLACEMENT if e.startswith("switch to ") and moved and all(
                n.split(" (")[0] in moved
                for n in e.removeprefix("switch to ").split(" (or,")[0].split(" or "))
            else e for e in r.first_choice]}) if r.domain == "treatment changes" else r
            for r in plan.regimens]
    plan.regimens = replacement_as_in_the_regimens(plan.regimens, kb, current)
    plan.regimens = replacement_named_where_it_maintains(plan.regimens)
    if "lupus_nephritis_suspected" in {a.code for a in plan.do_now}:
        # maintenance agents wait for the kidney decision (specialist review Z21c P7: 'switch
        # to azathioprine' with a steroid taper for probable lupus nephritis)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + LUPUS_NEPHRITIS_FIRST if (e.startswith("switch to ") or any(
                e.removeprefix("add ").startswith(kb.therapies[t].name)
                for t in ("azathioprine", "methotrexate") if t in kb.therapies))
            and "(taken now" not in e and LUPUS_NEPHRITIS_FIRST not in e else e
            for e in r.first_choice]}) for r in plan.regimens]
    if {"rifampicin_and_atovaquone_pjp", "sulfonamide_allergy_no_co_trimoxazole"} <= {
            a.code for a in plan.do_now}:
        # the allergy line's atovaquone or dapsone does not hold with rifampicin (re-score of
        # specialist review Z21d P6: the two lines sent the reader in a circle)
        for action in plan.do_now:
            if action.code == "sulfonamide_allergy_no_co_trimoxazole":
                action.text = action.text.replace(
                    "PJP prophylaxis with atovaquone (or dapsone if G6PD is normal and the "
                    "sulfonamide reaction was mild - never after a severe skin reaction such as "
                    "SJS, TEN or DRESS)", "PJP prophylaxis with pentamidine while rifampicin is "
                    "taken (it lowers atovaquone and dapsone; see the rifampicin line)")
    # a pregnancy line's 'azathioprine or tacrolimus' names only the one not withheld here
    # (specialist review Z20b P6: tacrolimus named beside its withholding for a renal crisis)
    withheld_now = {w.therapy for w in plan.withheld}
    for keep, gone in (("azathioprine", "tacrolimus"), ("tacrolimus", "azathioprine")):
        if gone in withheld_now and keep not in withheld_now:
            for action in plan.do_now:
                action.text = action.text.replace(
                    "azathioprine or tacrolimus", f"{keep} ({gone} is withheld here)")
    if "nintedanib" in withheld_now:
        # the progressive-fibrosis line does not start a nintedanib the plan withholds
        # (specialist review Z52d P4: 'start an antifibrotic (nintedanib ...) without waiting'
        # during haemoptysis on warfarin)
        for action in plan.do_now:
            action.text = action.text.replace(
                "start an antifibrotic (nintedanib, as the lung regimen below says)",
                "start an antifibrotic once it can be given (nintedanib is withheld now: see the "
                "withheld list)")
    if "rituximab" in withheld_now:
        # the urgent anti-SRP line names no rituximab this plan withholds (open finding of
        # specialist review Z45: 'early rituximab' beside 'Withheld: rituximab' after a severe
        # infusion reaction)
        for action in plan.do_now:
            if action.code == "severe_anti_srp":
                action.text = RITUXIMAB_IN_SRP_LINE.sub("", action.text).replace(
                    "IV glucocorticoids with early rituximab or IVIG",
                    "IV glucocorticoids with IVIG") + SRP_RITUXIMAB_WITHHELD
    graft = graft_drugs(record, current)
    if graft:
        plan.regimens = graft_changes_with_the_transplant_team(
            plan.regimens, [kb.therapies[t].name for t in sorted(graft) if t in kb.therapies])
    plan.regimens = taken_now_is_no_alternative(
        plan.regimens, frozenset(kb.therapies[t].name for t in current if t in kb.therapies
                                 and kb.therapies[t].category not in ("non_drug", "procedure")))
    withheld_words = sorted({w.therapy.replace("_", " ") for w in plan.withheld})
    if withheld_words:
        # a general Do-now line does not 'add' a drug this plan withholds (re-score of
        # specialist review Z28c P2: 'add nintedanib' beside 'Withheld: nintedanib' while
        # breastfeeding)
        adds = re.compile(r"\badd (" + "|".join(map(re.escape, withheld_words)) + r")\b")
        plan.do_now = [a.model_copy(update={"text": adds.sub(
            r"\1 once it can be given (withheld now: see the withheld list)", a.text)})
            for a in plan.do_now]
    severe = facts.get("severe_reaction_therapies")
    if isinstance(severe, frozenset) and severe:
        # a drug stopped for a severe reaction is not named among the 'compatible' or
        # 'first' agents of a general line (specialist review Z28c P5: azathioprine, stopped
        # for pancreatitis, named three times as the pregnancy-compatible replacement, H860)
        words = tuple(w for t in sorted(severe) if t in kb.therapies
                      for w in {t.replace("_", " "), kb.therapies[t].name.lower(),
                                *(("ivig",) if t == "ivig" else ())})
        plan.do_now = [a.model_copy(update={"text": without_listed(a.text, words)})
                       for a in plan.do_now]
        plan.regimens = [r.model_copy(update={
            "decision_point": without_listed(r.decision_point, words)}) for r in plan.regimens]
        plan.withheld = [w.model_copy(update={"reason": without_listed(w.reason, words)})
                         if w.therapy not in severe else w for w in plan.withheld]
    say_what_is_not_given(plan, record)
    note_results_on_record(plan, record)
    if record.immunogenetics.g6pd == "deficient":
        # 'dapsone with a normal G6PD' and 'primaquine after a normal G6PD' are no choice with a
        # known deficiency (specialist review Z29a P2)
        plan.do_now = [a.model_copy(update={"text": without_g6pd_choices(a.text)})
                       for a in plan.do_now]
        plan.regimens = [r.model_copy(update={
            "first_choice": [without_g6pd_choices(e) for e in r.first_choice],
            "alternatives": [without_g6pd_choices(e) for e in r.alternatives]})
            for r in plan.regimens]
    held_in_regimen = {kb.therapies[t].name for t in current if t in kb.therapies
                       and any(e.startswith("Hold " + kb.therapies[t].name)
                               for r in plan.regimens for e in r.first_choice)}
    for item in plan.monitoring:
        # a drug the approach holds now keeps no routine date months away (specialist review
        # Z24d P3: methotrexate held during an infected calcinosis, next check in 12 weeks)
        if item.therapy in held_in_regimen and "stopped" not in item.next_due \
                and "withheld" not in item.next_due:
            item.next_due = ("when it restarts (held now; meanwhile the blood count and liver "
                             "tests the hold asks for)")
    if "calcineurin_nephrotoxicity" in {a.code for a in plan.do_now}:
        # a routine date weeks away gives way to the toxicity recheck (specialist review Z54c
        # P3: creatinine up by half, potassium 5.4, and the next check in 10 weeks); a high
        # trough's own recheck date (tacrolimus_toxicity) is kept
        calcineurin_names = {kb.therapies[t].name for t in ("tacrolimus", "ciclosporin")
                             if t in kb.therapies and t in current}
        for item in plan.monitoring:
            due = DUE_BY.match(item.next_due)
            if item.therapy in calcineurin_names and due is not None and (
                    dt.date.fromisoformat(due.group(1)) - record.on()).days > 7:
                item.next_due = ("within a week: trough, creatinine, potassium and magnesium "
                                 "(see Do now)")
    first = first_choice_therapies(plan)
    # a teratogen named only among the alternatives is not 'proposed' (open finding of
    # specialist reviews Z49-Z51: mycophenolate called proposed when the approach chose
    # methotrexate)
    chosen = first | set(current) | {p.therapy for p in record.planned_treatments}
    only_alternative = {t.name for t_id, t in kb.therapies.items() if t_id not in chosen}
    plan.do_now = [a.model_copy(update={"text": teratogens_by_role(a.text, only_alternative)})
                   for a in plan.do_now]
    for line in plan.doses:
        line.first_choice = line.therapy in first or line.therapy in current
    if undosed:
        what = "weight" if record.weight_kg is None else "height"
        doses = f"to work out doses of {', '.join(undosed)}"
        # one weight entry, not two (the paediatric one names the dosing already)
        paediatric = f"{what} (paediatric dosing)"
        plan.unknowns = [f"{what} (paediatric dosing; {doses})" if u == paediatric else u
                         for u in plan.unknowns]
        if not any(u.startswith(f"{what} (paediatric dosing; ") for u in plan.unknowns):
            plan.unknowns.append(f"{what} ({doses})")
    elif record.weight_kg is None and any(
            WEIGHT_DOSED.search(a.text) for a in plan.do_now):
        # a weight-dosed treatment named in Do now (IVIG, mg/kg) needs the weight too
        # (specialist review Z45b P8: IVIG proposed in pregnancy with no weight recorded)
        plan.unknowns.append("weight (IVIG and the weight-based doses named in Do now)")
    plan.sources = {
        key: Citation(key=key, citation=kb.sources[key].citation,
                      identifiers=kb.sources[key].identifiers(),
                      confirmed=kb.sources[key].confirmed)
        for key in sorted(_cited_keys(plan))
    }

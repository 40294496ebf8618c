"""The approach fitted to this patient's limits once it is assembled: a limited ceiling or
frailty in rapidly progressive ILD, cyclophosphamide in place of an antimetabolite, kidney
precautions for IVIG and tacrolimus, a possible drug myopathy, the cost of glucocorticoids, fever
read as anti-MDA5 disease, and IVIG for a low IgG with infections.

Split from the engine; each step is a guard in :mod:`illness_guards` or one of the ``regimen_*``
guard modules, applied here in order because later steps read what earlier ones chose.
"""

from __future__ import annotations

from collections.abc import Mapping

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.assessment import SLOW_CATEGORIES
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.illness_guards import (
    fever_as_disease,
    glucocorticoid_cost_named,
    ivig_for_low_igg,
    mas_not_infection,
)
from myositis.services.careplan.kidney_function import kidney_figure_name
from myositis.services.careplan.model import CarePlan
from myositis.services.careplan.record_readers import glucocorticoid_risks, immune_risks
from myositis.services.careplan.regimen_circumstances import (
    ANTIMETABOLITE_IDS,
    cyclophosphamide_in_place,
    kidney_safe_rp_ild,
    within_a_limited_ceiling,
)
from myositis.services.careplan.regimen_escalation import AFTER_COLCHICINE, drug_toxicity_first
from myositis.services.careplan.regimen_route_and_risk import (
    breastfeeding_caveat,
    oral_glucocorticoid_nil_by_mouth,
    screen_before_slow_agent,
    teratogen_caveat,
)

HCQ_KIDNEY = (" (a reduced dose at this kidney function, agreed with nephrology, and retinal "
              "screening from the start)")
HCQ_NIL_BY_MOUTH = (" (tablets only: once a safe oral route or a feeding tube is in place - "
                    "topical treatment and sun protection meanwhile)")
"""Hydroxychloroquine for a patient nil by mouth (specialist review Z62d P3: first choice for
the skin of a woman nil by mouth who had declined tube feeding)."""
AKI_RISE = 1.5
"""Creatinine up by half or more (KDIGO): no 2 g/kg IVIG load."""



SEVERE_FRAILTY = 7


def full_dose_despite_risks(record: PatientRecord, facts: Mapping[str, object],
                            risks: list[str]) -> bool:
    """An organ threatened takes the full glucocorticoid dose, its risks (diabetes, bone, age)
    managed around it - unless severe frailty, a recent clot or infections with a low IgG make
    the lowest dose the safer course (specialist reviews Z18c P6, Z19d P5 and the re-score of
    Z19d P7: checkpoint-inhibitor myocarditis at 79 told 'the lowest dose')."""
    frailty = record.care_goals.frailty_scale
    return facts.get("organ_threatening") is True and bool(risks) \
        and not (frailty is not None and frailty >= SEVERE_FRAILTY) \
        and "a clot in the last 3 months" not in risks \
        and "infections or a low IgG" not in risks

def fit_to_patient_limits(plan: CarePlan, record: PatientRecord, facts: Facts,
                          present: set[str], current: frozenset[str],
                          kb: KnowledgeBase) -> None:
    """Apply the patient-limit guards to ``plan.regimens`` in place."""
    goals = record.care_goals
    limited = [w for w, present_ in (
        (f"frailty (scale {goals.frailty_scale})", (goals.frailty_scale or 0) >= 6),
        ("the agreed ceiling of treatment", goals.treatment_ceiling in ("no_icu", "ward_based")))
        if present_]
    if "rp_ild" in present and limited and "cyclophosphamide" in kb.therapies:
        plan.regimens = within_a_limited_ceiling(
            plan.regimens, kb.therapies["cyclophosphamide"].name, kb.therapies["ivig"].name,
            " and ".join(limited))
    if "cyclophosphamide" in kb.therapies:
        # in rapidly progressive ILD cyclophosphamide is not deferred for infection risks, but it
        # still replaces the antimetabolite (specialist review Z9b: four immunosuppressants)
        plan.regimens = cyclophosphamide_in_place(
            plan.regimens, kb.therapies["cyclophosphamide"].name,
            [kb.therapies[t].name for t in ANTIMETABOLITE_IDS if t in current],
            immune_risks(record) if "rp_ild" not in present else [])
    egfr_now = facts.get("egfr")
    if isinstance(egfr_now, float | int) and egfr_now < 30 and "ivig" in kb.therapies:
        # the kidney precautions travel with IVIG into the approach (re-score of specialist
        # review Z9b: 115 g at eGFR 22 with the precautions only in the detail)
        ivig_name = kb.therapies["ivig"].name
        # no pre-hydration with heart failure or on dialysis (specialist review Z21d P4: an
        # ejection fraction of 35 % and oedema told 'hydration' before 115 g)
        fluid = ("no pre-hydration (heart failure or dialysis: daily weights and fluid balance "
                 "with the heart or kidney team)"
                 if facts.get("heart_failure") is True or facts.get("dialysis") is True
                 else "hydration")
        note = (f" ({kidney_figure_name(record)} below 30: a sucrose-free product at the "
                f"slowest rate, {fluid}, split over 3-5 days, creatinine before and after each "
                "course)")
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + note if e.startswith((ivig_name, "add " + ivig_name)) and note not in e else e
            for e in r.first_choice]}) for r in plan.regimens]
    if "rp_ild" in present and isinstance(egfr_now, float | int) and egfr_now < 30 \
            and facts.get("dialysis") is not True:
        plan.regimens = kidney_safe_rp_ild(plan.regimens, kb.therapies["tacrolimus"].name,
                                           kb.therapies["rituximab"].name,
                                           kidney_figure_name(record))
    if "hydroxychloroquine_toxic_myopathy_possible" in {a.code for a in plan.do_now}:
        plan.regimens = drug_toxicity_first(plan.regimens)
    elif "colchicine_toxicity_likely" in {a.code for a in plan.do_now} \
            and facts.get("organ_threatening") is not True:
        plan.regimens = drug_toxicity_first(plan.regimens, AFTER_COLCHICINE)
    # an organ threatened takes the full induction dose, the glucose or infection managed
    # around it (specialist review Z18c P6: 'the lowest dose' for bulbar and breathing-muscle
    # JDM in a boy with type 1 diabetes)
    risks = glucocorticoid_risks(record)
    plan.regimens = glucocorticoid_cost_named(
        plan.regimens, risks, organ_threat=full_dose_despite_risks(record, facts, risks))
    if "anti_mda5" in present and facts.get("organ_threatening") is True \
            and record.comorbidities.active_infection is not True:
        plan.regimens = fever_as_disease(plan.regimens)
    # under 45 a pregnancy is a real chance the line must name (near the menopause the
    # contraception line of the Do now list covers it)
    age = facts.get("age_years")
    may_be_pregnant = facts.get("childbearing_potential") is True \
        and isinstance(age, int | float) and age < 45 \
        and facts.get("pregnant") is not True and facts.get("effective_contraception") is not True
    if may_be_pregnant:
        teratogens = [kb.therapies[t].name for t in kb.therapies
                      if (r := kb.therapies[t].reproduction) is not None
                      and r.pregnancy == "contraindicated" and t not in current]
        plan.regimens = teratogen_caveat(plan.regimens, teratogens,
                                         child=facts.get("child") is True)
    if facts.get("organ_threatening") is not True and "rp_ild" not in present:
        # the gate is the screen's core: hepatitis B, TB, and strongyloides where endemic
        wanted = ("HBsAg", "anti-HBc", "IGRA or TST", "strongyloides serology")
        missing_tests = facts.get("infection_tests_missing")
        gate = [t for t in wanted if isinstance(missing_tests, frozenset) and t in missing_tests]
        plan.regimens = screen_before_slow_agent(plan.regimens, frozenset(
            kb.therapies[t].name for t in kb.therapies if t not in current
            and kb.therapies[t].category in SLOW_CATEGORIES), gate)
    egfr_value = facts.get("egfr")
    if "hydroxychloroquine" in kb.therapies and "hydroxychloroquine" not in current and (
            facts.get("dialysis") is True
            or (isinstance(egfr_value, int | float) and egfr_value < 30)):
        # the line acted on says the dose is reduced (specialist reviews Z41b and Z42a P5:
        # hydroxychloroquine first for the skin at eGFR 22 with only a flag in the table)
        hcq = kb.therapies["hydroxychloroquine"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + HCQ_KIDNEY if e.removeprefix("add ") == hcq else e for e in r.first_choice]})
            for r in plan.regimens]
    if record.organs.oral_intake == "nil_by_mouth" and "hydroxychloroquine" in kb.therapies:
        hcq_name = kb.therapies["hydroxychloroquine"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + HCQ_NIL_BY_MOUTH if e.removeprefix("add ") == hcq_name else e
            for e in r.first_choice]}) for r in plan.regimens]
    if facts.get("breastfeeding") is True:
        avoid = [kb.therapies[t].name for t in kb.therapies
                 if (r := kb.therapies[t].reproduction) is not None
                 and r.breastfeeding == "avoid" and t not in current]
        plan.regimens = breastfeeding_caveat(plan.regimens, avoid)
    if record.organs.dysphagia == "severe" and "glucocorticoids_oral" in kb.therapies:
        plan.regimens = oral_glucocorticoid_nil_by_mouth(
            plan.regimens, kb.therapies["glucocorticoids_oral"].name,
            tube_declined="tube_feeding" in record.preferences.declines)
    if "tube_feeding" in record.preferences.declines:
        tube = "give the glucocorticoid IV or by nasogastric tube"
        plan.regimens = [r.model_copy(update={
            "first_choice": [e.replace(tube, "give the glucocorticoid IV (tube feeding "
                                       "declined)") for e in r.first_choice],
            "alternatives": [e.replace(tube, "give the glucocorticoid IV (tube feeding "
                                       "declined)") for e in r.alternatives]})
            for r in plan.regimens]
    if facts.get("mas_suspected") is True and record.comorbidities.active_infection is not True:
        plan.regimens = mas_not_infection(plan.regimens)
    if "low_igg_with_infections_on_immunosuppression" in {a.code for a in plan.do_now} \
            and "ivig" not in current and "ivig" not in {w.therapy for w in plan.withheld} \
            and any(o.therapy == "ivig" for o in plan.options) \
            and facts.get("critical_illness") is not True \
            and not (isinstance(rise := facts.get("creatinine_rise"), float | int)
                     and rise >= AKI_RISE) \
            and "blood_products" not in record.preferences.declines:
        # never the 2 g/kg load in critical illness or a kidney injury (re-score of specialist
        # review Z7a: the immunomodulatory dose in septic shock with creatinine 88 to 195);
        # nor as first choice during an infection, with oxygen at rest, severe frailty, heart
        # failure or a recent clot: the replacement dose now, the load later (specialist
        # review Z20d P7: 2 g/kg for a frail man of 74 with a hypoxaemic chest infection)
        thrombosis_days = facts.get("thrombosis_days")
        load_unsafe = (facts.get("active_infection") is True
                       or facts.get("oxygen_at_rest") is True
                       or facts.get("heart_failure") is True
                       or (isinstance(frailty := facts.get("frailty_scale"), int | float)
                           and frailty >= 6)
                       or (isinstance(thrombosis_days, int | float) and thrombosis_days <= 90)
                       # the 2 g/kg course failed before: the low IgG gets the replacement dose,
                       # not a failed treatment again (specialist review Z27b P5: full-dose IVIG
                       # 'to cover both' after 8 months of IVIG without response)
                       or any(t.therapy == "ivig" and (t.outcome == "ineffective"
                                                       or t.response == "none")
                              for t in record.treatments))
        plan.regimens = ivig_for_low_igg(plan.regimens, kb.therapies["ivig"].name,
                                         replacement_only=load_unsafe)

"""The plan fitted to circumstances that change what is safe now: a diagnosis under review, an
infection or bleed, a chickenpox or measles incubation, critical illness, end of life, frailty.

One pass of `engine.build_care_plan`, run in its order; each edit names the specialist review
that asked for it.
"""

from __future__ import annotations

import re

from myositis.domain.record import PatientRecord
from myositis.services.careplan import (
    summary,
)
from myositis.services.careplan.assessment import SLOW_CATEGORIES, Assessment
from myositis.services.careplan.comfort_care import (
    LAST_WEEKS_DECISION,
    LAST_WEEKS_LEFT_OUT,
    LAST_WEEKS_MONITORING,
    comfort_lines,
)
from myositis.services.careplan.illness_guards import (
    DURING_BLEEDING,
    DURING_FEVER,
    DURING_TB_EXCLUSION,
    during_infection,
    lung_during_sepsis,
    lung_rituximab_waits_for_infection,
    stress_dose_in_approach,
)
from myositis.services.careplan.model import (
    CarePlan,
    MonitoringItem,
)
from myositis.services.careplan.regimen_circumstances import (
    LIMITED_CEILINGS,
    around_an_operation,
    varicella_incubation,
    within_goals_of_care,
    without_bronchoscopy_by_default,
)
from myositis.services.careplan.regimen_escalation import (
    BLAND_BIOPSY_WHY,
    ESCALATION_DO_NOW,
    SERONEGATIVE_IMNM_WHY,
    diagnosis_before_escalation,
)
from myositis.services.careplan.regimen_route_and_risk import (
    proportionate_treatment,
    severe_frailty,
)
from myositis.services.muscle_trend import strength_fell

INCUBATION_FLARE = re.compile(
    r"re-escalate, check adherence, |check adherence \(missed doses\) first; a return to the "
    r"last effective dose or a moderate rise \(about 0\.25-0\.5 mg/kg/day of prednisolone\), "
    r"not the induction range; check ")


FLARE_IN_INCUBATION = ("no glucocorticoid rise or new immunosuppressant until the chickenpox "
                       "incubation period ends (day 21 after the contact, day 28 if "
                       "immunoglobulin was given) unless an organ is threatened (see the "
                       "approach); meanwhile check adherence, ")


SWITCH_OR_ADD = (": switch or add a second steroid-sparing agent before calling the disease "
                 "refractory")


VARICELLA_INCUBATION_DAYS = 22
"""Days after a chickenpox contact during which escalation waits (the rules' window, lt 22)."""


LOW_VALUE_NEAR_END = frozenset({
    "vaccination_review", "zoster_vaccination_review", "influenza_vaccine_due",
    "covid_vaccine_due", "hydroxychloroquine_retinal_screening_due", "cancer_screening_due",
    "smoking_cessation", "vaccines_before_rituximab"})
"""Routine prevention and screening left out near the end of life or with comfort care."""


LONG_HORIZON_NEAR_END = frozenset({
    "hbsag_positive_not_recorded", "tb_status_not_recorded", "tb_status_not_recorded_established",
    "hcv_status_before_immunosuppression", "hiv_status_before_immunosuppression",
    "giop_very_high_dose", "giop_older_or_falling", "bone_protection_start", "bone_protection_due",
    "osteoporosis_on_glucocorticoids", "osteoporosis_untreated",
    "bone_protection_recorded_high_risk", "bone_medication_kidney"})
"""Screening before long immunosuppression and bone medication, whose benefit comes over
months to years: left out near the end of life whatever their urgency (specialist review Z33a
P5: HIV, HCV and TB tests, a DXA and an anabolic bone agent for a woman with weeks to months to
live)."""


LOW_VALUE_FRAIL = frozenset({"hydroxychloroquine_retinal_screening_due", "cancer_screening_due",
                             "cardiovascular_risk_review"})
"""Routine prevention whose benefit comes over years, left out with severe frailty or a short
prognosis; vaccines against the infections of the coming seasons stay."""


HARMLESS_CATEGORIES = frozenset({"antimalarial", "topical", "non_drug", "calcinosis_agent",
                                 "antifibrotic", "procedure"})
"""Therapy categories that suppress no immunity: kept through a chickenpox incubation."""


ORGAN_THREAT = frozenset({"rp_ild", "myocarditis", "severe_dysphagia", "dysphagia_severe_grade",
                          "respiratory_weakness"})
"""Complications that do not wait for a chickenpox incubation period to end."""


PULSES_IN_INCUBATION = ("During the chickenpox incubation the pulses and any new immunosuppressant "
                        "wait (day 21 after the contact, day 28 if immunoglobulin was given) "
                        "unless an organ is threatened - see the approach.")
HEART_IN_INCUBATION = ("During the chickenpox incubation, IV pulses for the heart wait for it to "
                       "be confirmed - ECG, echocardiogram and troponin I within 24 hours, "
                       "rhythm monitored meanwhile - and then go ahead with the antiviral "
                       "prophylaxis continued and the infection team.")


def _strength_steady(record: PatientRecord) -> bool:
    """Two visits with a strength score, and no fall between the last two by the project's one
    test (``strength_fell``)."""
    scored = [v for v in record.visits
              if v.core_set.mmt8 is not None or v.core_set.cmas is not None]
    return len(scored) >= 2 and not strength_fell(scored[-2], scored[-1])


KEEP_REGIMEN_LINES = frozenset({"high_infection_risk_organ_threatening",
                                "lymphopenia_in_organ_threatening_disease"})
"""Do-now lines that keep an organ-threatening regimen at its target despite the infection risk."""


def no_response(record: PatientRecord) -> frozenset[str]:
    """Drugs taken now whose recorded response is none."""
    return frozenset(c.therapy for c in record.treatments
                     if c.stop is None and c.response == "none")


def fit_to_circumstances(plan: CarePlan, ctx: Assessment) -> None:
    """Each of these pauses escalation or prunes routine prevention; the reason is said beside the
    line it changes, never silently."""
    record = ctx.record
    kb = ctx.kb
    phenotypes = ctx.phenotypes
    present = ctx.present
    facts = ctx.facts
    review = ctx.review
    firings = ctx.firings
    current = ctx.current
    if review == "criteria":
        # a label the criteria do not support, with no rash, that glucocorticoids did not
        # help: a dystrophy or metabolic myopathy until shown otherwise (specialist review M:
        # a rash-free boy 'JDM', CK 67 x ULN, given methotrexate and more prednisolone)
        plan.regimens = diagnosis_before_escalation(plan.regimens)
    elif review == "bland_biopsy":
        plan.regimens = diagnosis_before_escalation(plan.regimens, BLAND_BIOPSY_WHY)
    elif review == "seronegative_imnm":
        # seronegative IMNM failing treatment: a dystrophy first (specialist review S: first
        # choice rituximab for a boy with falling CMAS, an MHC-I-negative necrotising biopsy
        # and three failed drugs)
        plan.regimens = diagnosis_before_escalation(plan.regimens, SERONEGATIVE_IMNM_WHY)
    if any(e.startswith("Re-examine the diagnosis before any new agent")
           for r in plan.regimens for e in r.first_choice):
        # no new agent anywhere while the diagnosis is re-examined (specialist review T: 'switch
        # to mycophenolate' and 'add a second-line agent' beside 're-examine the diagnosis')
        plan.regimens = [r.model_copy(update={"first_choice": [
            "whether to replace it waits for the diagnostic review (no new agent before it)"
            if e.startswith("switch to ") else e for e in r.first_choice]})
            for r in plan.regimens]
        plan.do_now = [a for a in plan.do_now if a.code not in ESCALATION_DO_NOW]
        # nor 'switch or add' in the state line (specialist review Z13a)
        for domain in plan.state.domains if plan.state is not None else []:
            domain.basis = [b.replace(SWITCH_OR_ADD, ": the diagnosis is reviewed before "
                                      "another agent") for b in domain.basis]
    # a local infection away from the lungs (urinary, skin) only: a pneumonia on oxygen still
    # puts the pulses off (specialist review X2 P6)
    treat_both_at_once = facts.get("organ_threatening") is True \
        and record.comorbidities.infection_focus in ("urinary", "skin_soft_tissue") \
        and not any(f.rule.id in summary.SEPSIS_RULES | summary.PJP_SUSPECTED_RULES
                    and not f.unknown for f in firings)
    new_agents = frozenset(
        o.name for o in plan.options if o.therapy not in current
        and kb.therapies[o.therapy].category not in HARMLESS_CATEGORIES
        and kb.therapies[o.therapy].category != "immunoglobulin"
        # an untreated organ-threatening myositis starts its oral glucocorticoid beside the
        # antibiotics (specialist review Z8b: rhabdomyolysis with kidney failure left with
        # 'none available'); IV pulses still wait for the infection (review X2)
        and not (facts.get("organ_threatening") is True and o.therapy == "glucocorticoids_oral")
        # nor its IV pulses, beside an infection that is neither sepsis nor a suspected
        # Pneumocystis pneumonia: the urgent line treats both at once (specialist review Z72a
        # P4, dangerous: a cystitis put off the pulses for anti-HMGCR disease with CK 110 x ULN,
        # potassium 6.3 and a raised troponin I)
        and not (o.therapy == "methylprednisolone_iv_pulse" and treat_both_at_once))
    infection_rules = {f.rule.id for f in firings} & summary.INFECTION_RULES
    # a fever with the macrophage activation criteria met and no infection recorded is not
    # read as an infection that holds treatment back (specialist review Z10b)
    fever_is_mas = facts.get("mas_suspected") is True \
        and record.comorbidities.active_infection is not True
    if infection_rules and not (infection_rules == {"fever_on_immunosuppression"}
                                and (record.comorbidities.active_infection is False
                                     or fever_is_mas)):
        # a fever the clinician has recorded as no infection does not hold treatment back
        # (re-score of specialist review Z8b: JDM gut vasculopathy with fever)
        # a replacement for a stopped drug waits for an infection that is recorded, not for a
        # fever alone (re-score of specialist review Z8b)
        # a fever alone waits for infection to be excluded, not 'treated' (specialist review
        # Z11c: a new antisynthetase patient's fever, a disease feature, deferred mycophenolate
        # 'until the infection is treated')
        fever_only = infection_rules == {"fever_on_immunosuppression"} \
            and record.comorbidities.active_infection is not True
        plan.regimens = during_infection(
            plan.regimens, new_agents, DURING_FEVER if fever_only else None,
            changes_too=record.comorbidities.active_infection is True)
        if plan.state is not None and record.comorbidities.active_infection is True:
            # a lung worse during an infection is not yet failing treatment (specialist review
            # Z7a: 'inadequate response, ILD progressive' beside a suspected Pneumocystis
            # pneumonia invites escalation)
            for domain in plan.state.domains:
                if domain.domain == "lung" and domain.state in ("inadequate_response", "flare"):
                    domain.basis.append("worse during an active infection: judged again once "
                                        "the infection is treated, before any escalation")
    if record.comorbidities.active_infection is True and "rituximab" in kb.therapies \
            and "rituximab" not in current:
        plan.regimens = lung_rituximab_waits_for_infection(
            plan.regimens, kb.therapies["rituximab"].name)
    if record.comorbidities.sepsis is True:
        plan.regimens = lung_during_sepsis(plan.regimens, new_agents)
    if "chest_imaging_tb_compatible" in {f.rule.id for f in firings if not f.unknown}:
        # no new immunosuppression while active TB is not excluded (specialist review Z30a P3:
        # IV pulses first choice beside chest imaging compatible with TB)
        plan.regimens = during_infection(plan.regimens, new_agents, DURING_TB_EXCLUSION,
                                         joiner=" + ")
    if facts.get("gi_bleed_suspected") is True and "jdm" not in phenotypes:
        # in JDM a gut bleed is vasculopathy, treated now, not waited out (review Z6c)
        plan.regimens = during_infection(plan.regimens, new_agents, DURING_BLEEDING)
    exposure_days = facts.get("varicella_exposure_days")
    if isinstance(exposure_days, int) and 0 <= exposure_days < VARICELLA_INCUBATION_DAYS \
            and facts.get("vzv_seronegative") is not False:
        # a heart involvement only suspected is confirmed first (ECG, echocardiogram and
        # troponin I within 24 hours) before pulses in an incubation (specialist review Z31g
        # P6: pulses for a suspected myocarditis in a seronegative boy 3 days after a contact)
        threats = ORGAN_THREAT & present - (
            {"myocarditis"} if record.organs.cardiac != "confirmed" else set())
        threatened = facts.get("organ_threatening") is True or bool(threats)
        if "myocarditis" in present and not threatened:
            plan.do_now = [a.model_copy(update={"text": a.text.rstrip(".") + (
                ". " + HEART_IN_INCUBATION)}) if a.code == "cardiac_involvement_confirmed"
                else a for a in plan.do_now]
        ivig_option = next((o.name for o in plan.options if o.therapy == "ivig"
                            and "ivig" not in current), None)
        # an anti-MDA5 lung getting worse is treated as rapidly progressive, as its urgent line
        # says (specialist review Z52d P6: tacrolimus and cyclophosphamide deferred to day 21
        # for a 17-year-old whose FVC fell from 84 to 71 % in three months)
        mda5_lung = facts.get("mda5_rp_ild") is True or (
            facts.get("anti_mda5") is True and record.lung is not None
            and record.lung.course in ("progressive", "rapidly_progressive"))
        plan.regimens = varicella_incubation(
            plan.regimens, threatened or mda5_lung, ivig_option,
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      in HARMLESS_CATEGORIES),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      not in HARMLESS_CATEGORIES),
            # cyclophosphamide's nadir still waits for a lung not yet failing (specialist review
            # Z36c P5); the calcineurin inhibitor goes ahead (Z52d P6)
            organ_failing=facts.get("oxygen_at_rest") is True or facts.get("ventilated") is True
            or facts.get("mda5_rp_ild") is True,
            # anti-MDA5 rapidly progressive ILD kills within weeks: its combination is the rescue
            # and goes ahead with antiviral cover (specialist review Z43c P2: tacrolimus and
            # cyclophosphamide deferred to day 21 after a chickenpox contact in a boy of 15)
            rescue_extra=("tacrolimus", "ciclosporin", "tofacitinib") if mda5_lung else ())
        if not threatened:
            # the flare line waits for the incubation as the approach does (specialist review
            # Z28d P3: 're-escalate' at the top of Do now 4 days after a chickenpox contact)
            plan.do_now = [a.model_copy(update={"text": INCUBATION_FLARE.sub(
                FLARE_IN_INCUBATION, a.text, count=1)}) if a.code == "flare" else a
                for a in plan.do_now]
            # and so does any other line that names pulses (specialist review Z32l P5: 'IV
            # methylprednisolone pulses' in the severe-JDM line 4 days after a contact)
            plan.do_now = [a.model_copy(update={"text": a.text.rstrip(".") + ". "
                                                + PULSES_IN_INCUBATION})
                           if "methylprednisolone pulses" in a.text and a.code != "flare"
                           and PULSES_IN_INCUBATION not in a.text else a for a in plan.do_now]
    measles_days = facts.get("measles_exposure_days")
    if isinstance(measles_days, int) and 0 <= measles_days < VARICELLA_INCUBATION_DAYS:
        # immunity cannot be recorded beyond the IgG the measles line asks for: the hold
        # applies until it is shown (specialist review Z24d P7)
        plan.regimens = varicella_incubation(
            plan.regimens, facts.get("organ_threatening") is True
            or bool(ORGAN_THREAT & present),
            next((o.name for o in plan.options if o.therapy == "ivig"
                  and "ivig" not in current), None),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      in HARMLESS_CATEGORIES),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      not in HARMLESS_CATEGORIES), infection="measles")
    if facts.get("end_of_life") is True or facts.get("treatment_ceiling") == "comfort":
        # routine prevention that no longer serves the patient is left out near the end of
        # life (specialist review V: shingles vaccine and eye screening for a dying woman)
        plan.do_now = [a for a in plan.do_now
                       if a.code not in LOW_VALUE_NEAR_END | LONG_HORIZON_NEAR_END]
    if "critical_illness_on_glucocorticoids" in {a.code for a in plan.do_now}:
        plan.regimens = stress_dose_in_approach(plan.regimens,
                                                kb.therapies["glucocorticoids_oral"].name)
    if facts.get("critical_illness") is True:
        # routine prevention waits for recovery (specialist review Z7a: vaccines, Raynaud and
        # cancer screening beside a ventilated patient in septic shock)
        plan.do_now = [a for a in plan.do_now
                       if not (a.code in LOW_VALUE_NEAR_END and a.urgency == "routine")]
    slow_names = frozenset(o.name for o in plan.options if o.therapy not in current
                           and kb.therapies[o.therapy].category in SLOW_CATEGORIES)
    ceiling = facts.get("treatment_ceiling")
    if ceiling in LIMITED_CEILINGS:
        plan.regimens, plan.do_now = without_bronchoscopy_by_default(plan.regimens, plan.do_now)
    days = facts.get("surgery_days")
    # an organ threatened, or an elective operation the plan postpones, does not hold back the
    # treatment (re-score of specialist review Z33b P8: rituximab for a progressing anti-MDA5
    # lung deferred until after a hernia repair the plan itself postponed)
    if isinstance(days, int | float) and -14 <= days <= 14 \
            and facts.get("organ_threatening") is not True \
            and "elective_surgery_while_unsafe" not in {a.code for a in plan.do_now}:
        # IV pulses too: high-dose glucocorticoids around a sternotomy or laparotomy bring wound
        # infection and breakdown, and without an organ threat they can wait (specialist review
        # Z50b P6: pulses for a moderate statin-driven flare 6 days before bypass surgery)
        plan.regimens = around_an_operation(plan.regimens, slow_names | frozenset(
            o.name for o in plan.options if o.therapy == "methylprednisolone_iv_pulse"
            and o.therapy not in current))
    if ceiling == "comfort":
        plan.do_now = comfort_lines(plan.do_now)
    if facts.get("end_of_life") is True:
        # in the last days to weeks, or with comfort care, IVIG is a hospital infusion with
        # kidney, clot and fluid risks that does not serve the goals (specialist review Z34b
        # P1: IVIG added for a dying woman with eGFR 38); with weeks to months it may still
        # restore a swallow (review V) and stays
        dying = facts.get("prognosis") == "days_to_weeks" or ceiling == "comfort"
        plan.regimens = within_goals_of_care(
            plan.regimens, slow_names | frozenset(
                o.name for o in plan.options
                if (o.therapy == "methylprednisolone_iv_pulse"
                    # hydroxychloroquine takes months to help the skin too (specialist review
                    # Z50c P7: started for a woman with weeks to months to live)
                    or kb.therapies[o.therapy].category == "antimalarial"
                    or (dying and kb.therapies[o.therapy].category == "immunoglobulin"))
                and o.therapy not in current),
            # the anti-MDA5 combination taken now is the rescue that works within weeks, not a
            # slow agent to stop, unless comfort care is agreed (specialist review Z43b P2:
            # cyclophosphamide and tacrolimus stopped as 'comfort care' under a no-ICU ceiling)
            stop_slow=frozenset(kb.therapies[t].name for t in current
                                if kb.therapies[t].category in SLOW_CATEGORIES)
            if dying and (ceiling == "comfort" or facts.get("mda5_rp_ild") is not True)
            # but an agent of it recorded as giving no response is not continued in the last
            # days to weeks (specialist review Z48c P2: cyclophosphamide 'continued' after 3.6 g
            # without response, with CMV viraemia, in a dying woman)
            else frozenset(kb.therapies[t].name for t in current
                           if kb.therapies[t].category in SLOW_CATEGORIES
                           and t in no_response(record)) if dying
            else frozenset(),
            chooser=BEST_INTERESTS_CHOOSER if record.care_goals.lacks_capacity is True
            else "the patient chooses")
        if dying and any(t in no_response(record) for t in current
                         if kb.therapies[t].category in SLOW_CATEGORIES):
            # the lines that keep the regimen at its target whatever the infection risk do not
            # stand beside 'consider stopping' a futile agent in the last days (re-score of
            # specialist review Z48c P2)
            plan.do_now = [a for a in plan.do_now if a.code not in KEEP_REGIMEN_LINES]
        # routine work-up does not serve a patient near the end of life (specialist review Z50c
        # P7: HRCT and capillaroscopy 'still missing' with weeks to months to live)
        plan.workup = [w for w in plan.workup if w.urgency != "routine"]
        if dying and (ceiling == "comfort" or facts.get("mda5_rp_ild") is not True):
            # the end-of-life line governs the rest of the plan: no routine work-up, long-horizon
            # prevention or scheduled monitoring in the last days to weeks (open finding of
            # specialist review Z48c); the anti-MDA5 rescue short of comfort care keeps them
            last_weeks(plan, BEST_INTERESTS_CHOOSER if record.care_goals.lacks_capacity is True
                       else "the patient chooses")
    elif "ibm" not in phenotypes and (why := severe_frailty(record)) is not None:
        # not in IBM, where neither glucocorticoids nor IVIG help the muscle (specialist review
        # Z21a P8: 'a proportionate trial - the lowest glucocorticoid dose, IVIG' as first choice
        # for a frail man of 79 with late IBM)
        plan.regimens = proportionate_treatment(
            plan.regimens, slow_names, kb.therapies["methylprednisolone_iv_pulse"].name,
            kb.therapies["ivig"].name if "ivig" in kb.therapies else None, why,
            # pulses only for an organ threatened and no infection being treated; IVIG waits
            # with heart failure (specialist review Z19d P5: pulses, oral glucocorticoid and
            # 2 g/kg IVIG together at frailty 7 with heart failure and an aspiration pneumonia)
            # nor with heart failure, where a pulse's salt and fluid load and delirium weigh most
            # (specialist review Z40b P5: pulses for a woman of 91, frailty 7, dementia and heart
            # failure)
            keep_pulses=facts.get("organ_threatening") is True
            and record.comorbidities.active_infection is not True
            and record.comorbidities.heart_failure is not True,
            # no new slow agent for weakness without objective activity (enzymes normal, no
            # flare or new onset): deconditioning or steroid myopathy is likelier (specialist
            # review Z46c P7: azathioprine added for a frail woman of 84, CK normal, after
            # methotrexate caused low counts)
            max_slow=0 if record.care_goals.prognosis == "months" or (
                ctx.state.of("muscle") in ("active", "inadequate_response")
                and isinstance(ck := facts.get("ck_x_uln"), int | float) and ck <= 1.0
                and _strength_steady(record)) else 1,
            ivig_ok=record.comorbidities.heart_failure is not True,
            taken=frozenset(kb.therapies[t].name for t in current if t in kb.therapies))
        # frail or with months to live, infection prevention still serves (influenza, COVID-19,
        # pneumococcal); long-horizon prevention does not (re-score of specialist review Z27c
        # P7: the vaccines dropped and the yearly cardiovascular-risk review kept)
        low_value = LOW_VALUE_FRAIL | (
            {"zoster_vaccination_review"} if record.care_goals.prognosis in (
                "months", "weeks_to_months", "days_to_weeks") else set())
        plan.do_now = [a for a in plan.do_now
                       if not (a.code in low_value and a.urgency == "routine")]


BEST_INTERESTS_CHOOSER = "a best-interests decision (with the attorney or family) chooses"
"""Who chooses more active treatment for a patient who lacks capacity."""


def last_weeks(plan: CarePlan, chooser: str) -> None:
    """In the last days to weeks, or within comfort care: long-horizon lines, the routine
    work-up and the monitoring schedule give way to care judged by symptoms at each contact."""
    plan.do_now = [a for a in plan.do_now if a.code not in LAST_WEEKS_LEFT_OUT]
    plan.workup = []
    plan.monitoring = [MonitoringItem(therapy="Symptoms and comfort", text=LAST_WEEKS_MONITORING,
                                      next_due="each contact", citations=[])]
    decision = LAST_WEEKS_DECISION.replace("the patient chooses", chooser)
    plan.regimens = [r.model_copy(update={"decision_point": decision})
                     if r.domain in ("muscle", "skin", "lung") else r for r in plan.regimens]

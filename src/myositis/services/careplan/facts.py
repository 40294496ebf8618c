"""Facts about the patient that the safety rules read, computed once from the record.

Every fact is ``None`` when the record does not say: unknown, never "no" (clinical-safety
principle 1). The names are the closed vocabulary :data:`myositis.knowledge.rules.FACTS`.
Legacy yes/no comorbidity fields count when they are given; the detailed sections (screening
results, lab series, pharmacogenetics) take precedence where both exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from myositis.domain.antibodies import MYOSITIS_SPECIFIC, Antibody
from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import HOME_VENTILATION
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.context_facts import context_facts
from myositis.services.careplan.dosing import mosteller_bsa
from myositis.services.careplan.endocrine_readers import hba1c_against_record, read_diabetes
from myositis.services.careplan.exposure import (
    RITUXIMAB_DEPLETION_DAYS,
    current_therapies,
    gc_days_at_or_over,
    gc_dose_now,
    gc_free_months,
    gc_total_days_at_or_over,
    is_current,
    oral_now,
    recent_rituximab,
    steroid_sparing_weeks,
)
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.hydroxychloroquine_course import hcq_course, hcq_week_plan
from myositis.services.careplan.juvenile_activity import jdm_minimal_activity, printo_inactive
from myositis.services.careplan.kidney_function import read_egfr
from myositis.services.careplan.lab_facts import lab_facts
from myositis.services.careplan.lab_trends import (
    ck_x_uln,
    creatinine_rise,
    lung_function_decline,
    recent_value,
)
from myositis.services.careplan.mas_reader import (
    mas_criteria_text,
    mas_measures,
    mas_suspected,
)
from myositis.services.careplan.medicine_readers import other_medicines_read
from myositis.services.careplan.phenotype import (
    dysphagia,
    early_diffuse_ssc,
    ild,
    rp_ild,
    screening_results,
    ssc_features,
    ssc_overlap,
)
from myositis.services.careplan.record_readers import (
    confirmed_positive,
    either,
    gi_bleed_suspected,
    hcq_toxic_myopathy_possible,
    ibm_clinical_pattern_with_cn1a,
    immune_myopathy_shown,
    infection_tests_missing,
    lung_change_on_methotrexate,
    mild_hyperckemia_normal_strength,
    msa_weak_blot_only,
    positive_wins,
    pulses_responded,
    read_antibody,
    read_ibm_taper_only,
    read_immunosuppression_new,
    read_other_msa,
    read_red_flags,
    read_thiopurine,
    screen_result,
    steroid_unresponsive_seronegative,
)
from myositis.services.careplan.reproduction_facts import (
    PREGNANCY_TEST_AFTER_DAYS,
    biologics_before_birth,
    effective_contraception,
    postpartum_weeks,
    puerperal_anaemia,
    teratogen_names,
    teratogens_stopped_in_pregnancy,
    unprotected_sex_days,
)
from myositis.services.careplan.screening import recently_done
from myositis.services.careplan.working_diagnosis import myositis_unlikely, working_diagnosis
from myositis.services.muscle_activity import flare_to_confirm
from myositis.services.state import ADEQUATE_WEEKS

USER_DEPENDENT_HORMONAL = frozenset({"combined_hormonal", "progestogen_only_pill", "injectable"})
"""Hormonal methods that depend on the user taking or attending on time."""

UNDERWEIGHT_BMI = 18.5
"""Adult body-mass index below which a person is underweight (WHO)."""

GC_STRESS_EQUIVALENT_MG = 50
"""Prednisolone mg/day equivalent to hydrocortisone 200 mg/day (4:1), the usual stress dose."""

RHABDO_CK_X_ULN = 50.0
"""CK this many times the ULN with a kidney injury: rhabdomyolysis that threatens the kidneys
(a project threshold)."""
HYPERKALAEMIA_MMOL_L = 6.0
"""Potassium at or above this beside muscle breakdown is a cardiac emergency (UK Kidney
Association hyperkalaemia guideline 2020: 6.0-6.4 moderate, 6.5 or more severe)."""



NOT_ILD_AGENTS = frozenset({"methotrexate", "hydroxychloroquine", "leflunomide"})
"""Immunosuppressants that do not treat ILD: the weeks on them are not weeks of ILD treatment."""

SKIN_CANCER_WORDS = ("basal cell", "bcc", "squamous cell carcinoma of the skin", "cutaneous squamous",
                     "skin cancer", "melanoma", "keratinocyte", "merkel")
"""Phrases in ``cancer.past_cancer`` that name a skin cancer."""





def same_class_too(severe: frozenset[str], kb: KnowledgeBase) -> frozenset[str]:
    """Therapies stopped for a severe reaction, with every immunoglobulin product when one of them
    is among them (the products share the boxed warnings)."""
    category = {t: kb.therapies[t].category for t in severe if t in kb.therapies}
    if "immunoglobulin" in category.values():
        return severe | {t.id for t in kb.therapies.values() if t.category == "immunoglobulin"}
    return severe


def home_ventilated(record: PatientRecord) -> bool:
    """Breathing-muscle weakness supported by established home ventilation."""
    return record.organs.home_ventilation in HOME_VENTILATION


def organ_threats(record: PatientRecord, followed: frozenset[str]) -> list[str]:
    """What makes the disease organ-threatening now, in words a line can name (specialist
    review Z24b P4: 'an organ is threatened: admit today' naming no organ). Empty when none,
    and empty when the clinician's working diagnosis is not myositis: a mimic's chronic
    breathing-muscle weakness is no myositis emergency that keeps a teratogen or admits today
    (specialist review Z64d P3: late-onset Pompe disease on methotrexate, planning conception)."""
    out: list[str] = []
    if record.diagnosis.not_myositis:
        return out
    if rp_ild(record):
        out.append("rapidly progressive lung disease")
    if record.organs.respiratory_muscle_weakness and not home_ventilated(record):
        # established home ventilation is chronic, supported weakness, not a threat to admit
        # today for (specialist review Z51a: 'admit today' for stable patients on home NIV, and
        # a home tracheostomy read as an intensive-care admission)
        out.append("breathing-muscle weakness")
    if record.organs.dysphagia == "severe":
        out.append("severe dysphagia")
    elif record.organs.dysphagia == "moderate" and "jdm" in followed and record.age_years() < 18:
        # a child's bulbar weakness is admitted today for pulses (the JDM bulbar line): an
        # incubation or a booked date does not hold them back (specialist review Z60b P4: pulses
        # deferred 16 days after a chickenpox contact for a boy with palatal weakness)
        out.append("swallowing weakness in a child (aspiration risk)")
    if record.organs.cardiac == "confirmed":
        # confirmed myocarditis threatens life (re-score of specialist review Z10d)
        out.append("myocarditis")
    # rhabdomyolysis with a kidney injury (specialist review Z8b: CK 62,000 and eGFR 10 left
    # with 'first choice none available'); a low eGFR counts only when no chronic kidney disease
    # explains it (specialist review Z24b P4: CK 65 x ULN falling, with stable CKD 4, sent in)
    chronic = record.comorbidities.renal_impairment is True \
        or record.comorbidities.dialysis is True
    if (ck_x_uln(record) or 0) >= RHABDO_CK_X_ULN and (
            (creatinine_rise(record) or 0) >= 1.5
            or ((read_egfr(record) or 100) < 30 and not chronic)):
        out.append("muscle breakdown with a kidney injury")
    elif (ck_x_uln(record) or 0) >= RHABDO_CK_X_ULN \
            and (recent_value(record, "potassium", 7) or 0) >= HYPERKALAEMIA_MMOL_L:
        # the potassium of muscle breakdown threatens the heart, whatever the kidneys were
        # before (specialist review Z72a P4: CK 110 x ULN with potassium 6.3 in CKD)
        out.append("muscle breakdown with a dangerous potassium")
    # JDM gut vasculopathy (pain, vomiting, a bleed) perforates: organ-threatening
    if "jdm" in followed and (record.organs.gut_symptoms is True
                              or record.organs.gi_bleeding is True):
        out.append("gut vasculopathy")
    if read_antibody(record, Antibody.MDA5) and ild(record) \
            and not (record.lung is not None and record.lung.course == "stable"):
        out.append("anti-MDA5 lung disease")
    return out


def compute(record: PatientRecord, kb: KnowledgeBase,
            planned: Iterable[str] = (), phenotypes: Iterable[str] = (),
            muscle_state: str | None = None) -> Facts:
    """All facts of the vocabulary; ``planned`` = therapy ids offered in this plan."""
    followed = frozenset(phenotypes)
    c = record.comorbidities
    r = record.reproduction
    s = record.infection_screening
    age = record.age_years()
    sex = record.sex if record.sex in ("female", "male", "other") else None
    male = sex == "male"
    # a pregnancy recorded is a pregnancy, whatever the sex recorded (specialist review J: a
    # trans man); an unrecorded one in a man is no pregnancy
    pregnant = either(r.pregnant, c.pregnancy)
    if male and pregnant is not True and r.can_become_pregnant is not True:
        pregnant = False
    planning = either(r.planning_conception, c.planning_pregnancy)
    # a pregnancy wished for with pulmonary arterial hypertension is advised against: the plan
    # does not prepare a conception (no switch of drugs for it) but counsels and protects
    # (specialist review Z47b P5: mycophenolate stopped in a flare to prepare a pregnancy with
    # catheter-confirmed PAH)
    # the advice is about carrying a pregnancy: a man planning to father a child keeps his plan
    # (specialist review Z55a P8: 'contraception now (an intrauterine device or an implant)' for
    # a man with PAH about to start cyclophosphamide, and no word on fathering during it)
    against_advice = (planning is True and pregnant is not True
                      and record.organs.pulmonary_hypertension == "confirmed"
                      and not (male and r.can_become_pregnant is not True))
    if against_advice:
        planning = False
    latent_tb: bool | None = c.latent_tb
    tb = screen_result(s.tb_test)
    if tb is not None and not (tb is False and c.latent_tb is True):
        # a negative test does not cancel a recorded latent TB (a TST or IGRA can be falsely
        # negative on immunosuppression or with HIV: specialist review Q)
        latent_tb = tb
    if (tb is False and c.latent_tb is not True and s.tb_contact is not None
            and s.tb_test is not None
            and (s.tb_test.date is None or s.tb_test.date < s.tb_contact)):
        # a negative test from before a close TB contact says nothing about it (specialist
        # review Z54c: the TB contact the record could not hold)
        latent_tb = None
    if s.chest_imaging == "abnormal_tb_compatible":
        latent_tb = True
    if s.latent_tb_treatment == "completed" or s.active_tb in ("on_treatment", "treated"):
        # a full active-TB regimen treats the latent infection too (specialist review Z51b P3)
        latent_tb = False
    if s.active_tb == "suspected":
        # active TB suspected is not latent TB: no latent-TB regimen 'first or together'
        # (specialist review Z54d P3); the active-TB line leads
        latent_tb = None
    egfr = read_egfr(record)
    renal = (egfr < 60) if egfr is not None else c.renal_impairment
    bmi = (round(float(record.weight_kg) / (float(record.height_cm) / 100) ** 2, 1)
           if record.weight_kg is not None and record.height_cm is not None else None)
    current = current_therapies(record)
    immunosuppressive = set(kb.group_members("immunosuppressive"))
    iga_latest = record.latest_lab("iga")
    iga_deficiency = record.immunogenetics.iga_deficiency
    if iga_deficiency is None and iga_latest is not None:
        iga_deficiency = iga_latest.value < 0.07
    if iga_deficiency is None:
        iga_deficiency = c.iga_deficiency
    cyclophosphamide = [t.cumulative_dose_g for t in record.treatments
                        if t.therapy == "cyclophosphamide" and t.cumulative_dose_g is not None]
    gc_15 = gc_days_at_or_over(record, 15)
    gc_30 = gc_days_at_or_over(record, 30)
    gc_2_5 = gc_days_at_or_over(record, 2.5)
    childbearing: bool | None
    if r.can_become_pregnant is not None or pregnant is True:
        # recorded whatever the sex (specialist review J: methotrexate for a trans man with no
        # contraception and no pregnancy test, because the sex recorded was male)
        childbearing = r.can_become_pregnant is True or pregnant is True
    elif sex not in ("female", "male") and 12 <= age <= 55:
        childbearing = None  # not known: asked, never assumed either way
    elif sex not in ("female", "male"):
        # outside the childbearing ages whatever the sex (specialist review R: a pregnancy
        # test asked for a 74-year-old whose sex was not recorded)
        childbearing = False
    else:
        # a recorded menopause ends childbearing potential (specialist review X: a pregnancy
        # test as the only 'do now' item for a postmenopausal woman of 54)
        childbearing = sex == "female" and 12 <= age <= 55 \
            and record.reproduction.postmenopausal is not True \
            and not {"uterus", "ovaries"} & set(record.cancer.organs_removed)
    teratogens = teratogen_names(kb, current | set(planned), other_medicines_read(record))
    gc_now = gc_dose_now(record)
    hcq_per_kg, hcq_years, retinal = hcq_course(record)
    statin = record.statin_exposure
    if "statin" in record.other_medicines:
        statin = True
    return {
        "sex": sex,
        "age_years": age,
        "child": age < 18,
        "childbearing_potential": childbearing,
        "pregnant": pregnant,
        "planning_conception": planning,
        # a man fathering a child may keep mycophenolate (ACR 2020): wording that rules it out
        # reads this fact (specialist review Z66a P6: 'not mycophenolate here' for a man)
        "planning_own_pregnancy": (planning if planning is not True
                                   else not (male and r.can_become_pregnant is not True)),
        "conception_advised_against": True if against_advice else None,
        # a method that failed in the last 3 weeks does not count (specialist review Z63b P1:
        # missed pills and unprotected sex read as effective contraception beside mycophenolate)
        "effective_contraception": False if (failed := unprotected_sex_days(record)) is not None
        and failed < PREGNANCY_TEST_AFTER_DAYS else effective_contraception(
            r, enzyme_inducer=bool({"rifampicin", "enzyme_inducer"} & set(record.other_medicines))),
        "unprotected_sex_days": unprotected_sex_days(record),
        "contraception_methods": frozenset(r.contraception) if r.contraception else None,
        # a pill or an injection is the only method (specialist review Z51c P1)
        "contraception_user_dependent_only": (
            None if not r.contraception or "none" in r.contraception
            else set(r.contraception) <= USER_DEPENDENT_HORMONAL),
        "teratogen_current_or_planned": bool(teratogens),
        "teratogens_stopped_in_pregnancy": (
            teratogens_stopped_in_pregnancy(record, kb, current) if pregnant is True
            else frozenset()),
        "teratogens": frozenset(teratogens),
        # breastfeeding (chestfeeding) recorded counts whatever the sex recorded (specialist
        # review Z73a P6, dangerous: mycophenolate planned for a trans man who chestfeeds)
        "breastfeeding": True if either(r.breastfeeding, c.breastfeeding) is True
        else False if male else either(r.breastfeeding, c.breastfeeding),
        "latent_tb": latent_tb,
        "tb_treated": True if s.latent_tb_treatment == "completed" else None,
        "latent_tb_treatment": s.latent_tb_treatment,
        "active_tb": s.active_tb,
        "strongyloides_endemic": s.strongyloides_endemic,
        "strongyloides": screen_result(s.strongyloides_serology),
        "gc_days_5mg_total": gc_total_days_at_or_over(record, 5),
        "chest_imaging_tb_compatible": (s.chest_imaging == "abnormal_tb_compatible")
        if s.chest_imaging is not None else None,
        # a positive HBV marker anywhere in the record is not cancelled by a negative elsewhere
        # (specialist review Q: a recorded HBsAg positive silenced by an older negative)
        "hbsag": positive_wins(screen_result(s.hbsag), c.hbv_surface_antigen),
        "anti_hbc": positive_wins(screen_result(s.anti_hbc), c.hbv_core_antibody),
        "hcv": screen_result(s.hcv),
        "hcv_rna": screen_result(s.hcv_rna),
        "hiv": screen_result(s.hiv),
        "infection_tests_missing": infection_tests_missing(record),
        "steroid_sparing_weeks": steroid_sparing_weeks(
            record, immunosuppressive - set(kb.group_members("glucocorticoid_group"))),
        # methotrexate is no ILD treatment (ACR/CHEST 2023): a lung progressing on it has not
        # progressed 'despite treatment' (specialist review Z14b P5: transplant referral and
        # palliative care for a 16-year-old's NSIP on methotrexate alone)
        "ild_agent_weeks": steroid_sparing_weeks(
            record, immunosuppressive - set(kb.group_members("glucocorticoid_group"))
            - NOT_ILD_AGENTS),
        # a non-glucocorticoid immunosuppressant stopped before and none taken now (specialist
        # reviews Z13c P2 and Z14c P2: 'ILD progressing before or within the first 3 months' for
        # a lung worse after mycophenolate was stopped for toxicity)
        "steroid_sparing_stopped_only": True if any(
            t.therapy in immunosuppressive and t.therapy not in set(
                kb.group_members("glucocorticoid_group")) and t.stop is not None
            and t.stop <= record.on() for t in record.treatments) and not (
            current & (immunosuppressive - set(kb.group_members("glucocorticoid_group"))))
            else None,
        "oral_therapies_current": oral_now(record),
        "active_infection": True if c.herpes_zoster_active else c.active_infection,
        "infection_focus": c.infection_focus,
        "active_cancer": either(record.cancer.internal_active_cancer(), c.active_malignancy),
        "non_melanoma_skin_cancer": True if record.cancer.active_cancer is True
        and record.cancer.active_cancer_kind == "skin_non_melanoma" else None,
        "cancer_screen_abnormal": screening_results(record, "abnormal") or None,
        "cancer_screen_pending": screening_results(record, "pending") or None,
        "postpartum_weeks": postpartum_weeks(record),
        "biologics_before_birth": biologics_before_birth(record) or None,
        "previous_neonatal_lupus": record.reproduction.previous_neonatal_lupus,
        # immunoglobulin stopped before for an adverse reaction (review Z3a: IVIG suggested for
        # a low IgG after it had caused heart failure)
        "methotrexate_within_14_days": True if any(
            t.therapy == "methotrexate" and t.start is not None and t.start <= record.on()
            and (t.stop is None or (record.on() - t.stop).days <= 14)
            for t in record.treatments) else None,
        # a severe reaction to one immunoglobulin product counts for the others (specialist review
        # Z32l P6: subcutaneous immunoglobulin first choice 88 days after an IVIG-associated DVT)
        "severe_reaction_therapies": same_class_too(frozenset(
            t.therapy for t in record.treatments
            if t.reason_stopped == "adverse_event" and t.reaction_severity == "severe"), kb),
        # a mild or moderate reaction to an infused drug: it may be given again, with a plan for
        # the infusion (specialist review Z59a P3: rituximab re-booked after a moderate
        # first-infusion reaction with only 'infusion reactions (premedicate)')
        "infusion_reaction_therapies": frozenset(
            t.therapy for t in record.treatments
            # an unrecorded route is read as possibly IV (missing data is not "no")
            if t.reason_stopped == "adverse_event" and t.reaction_severity in ("mild", "moderate")
            and t.route in ("iv", None)),
        # an agent that has not helped is switched, not 'kept' by an interaction line
        # (specialist review Z50a P2: 'keep methotrexate and change the prophylaxis' after 15
        # weeks without response, at an eGFR of 32)
        "no_response_taken_now": frozenset(
            t.therapy for t in record.treatments
            if t.stop is None and t.response == "none" and t.start is not None
            and (record.on() - t.start).days >= 7 * ADEQUATE_WEEKS),
        "ivig_not_tolerated": True if any(
            t.therapy in kb.therapies and kb.therapies[t.therapy].category == "immunoglobulin"
            and (t.outcome == "not_tolerated" or t.reason_stopped == "adverse_event")
            for t in record.treatments) else None,
        "gestation_weeks": (float(record.reproduction.gestation_weeks)
                            if pregnant is True and record.reproduction.gestation_weeks
                            is not None else None),
        "oxygen_at_rest": (None if record.lung is None or record.lung.oxygen is None
                           else record.lung.oxygen in ("at_rest", "ventilated")),
        "ventilated": (None if record.lung is None or record.lung.oxygen is None
                       else record.lung.oxygen == "ventilated"),
        "anaemia_puerperal": puerperal_anaemia(record),
        "egfr": egfr,
        "ild": ild(record),
        "mas_suspected": mas_suspected(record),
        "mas_ferritin": mas_measures(record).ferritin_ng_ml,
        "mas_criteria": mas_criteria_text(record),
        "mda5_untested_established_quiet": (
            record.months_since_onset >= 24 and ild(record) is not True
            and not record.systemic.dyspnoea_or_cough
            and muscle_state in ("remission", "stable", "not_involved")),
        "lung_assessed_days": (None if record.lung is None or record.lung.date is None
                               else (record.on() - record.lung.date).days),
        "lung_change_on_methotrexate": lung_change_on_methotrexate(record),
        "ct_cap_within_6_months": "ct " in recently_done(record, days=183,
                                                         results=("normal",)),
        "pet_ct_within_6_months": "pet" in recently_done(record, days=183, results=("normal",)),
        # any result: a scan this recent is not repeated, abnormal or not (specialist review
        # Z38d P6: the same contrast CT ordered again 6 days later at CKD 3b)
        "ct_cap_within_30_days": "ct " in recently_done(record, days=30),
        "msa_weak_blot_only": msa_weak_blot_only(record),
        "immune_myopathy_shown": immune_myopathy_shown(record),
        "printo_inactive": printo_inactive(record),
        "ckd_known": c.renal_impairment,
        "mild_hyperckemia_normal_strength": mild_hyperckemia_normal_strength(
            record, ck_x_uln(record)),
        "ibm_likely_clinically": ibm_clinical_pattern_with_cn1a(record, ck_x_uln(record)),
        "myositis_unlikely": myositis_unlikely(record, ck_x_uln(record)),
        "steroid_unresponsive_seronegative": steroid_unresponsive_seronegative(record),
        "jdm_minimal_activity": jdm_minimal_activity(record),
        "hcq_toxic_myopathy_possible": hcq_toxic_myopathy_possible(
            record, hcq_years, hcq_per_kg, read_egfr(record)),
        # a confirmed myositis-specific antibody reads as False, an incomplete panel as unknown
        "msa_negative": (True if record.all_antibodies().msa_negative()
                         else False if confirmed_positive(record) & MYOSITIS_SPECIFIC
                         else None),
        "ssc_overlap": ssc_overlap(record),
        "ssc_features": ssc_features(record),
        "early_diffuse_ssc": early_diffuse_ssc(record),
        "new_hypertension": record.organs.new_hypertension,
        # a kidney injury, or a suspected scleroderma renal crisis, now: a teratogen that holds
        # the disease is not switched in the middle of it (specialist review Z69b P7: mycophenolate
        # stopped for azathioprine before a planned pregnancy during a suspected renal crisis)
        "kidney_crisis_now": (crisis_rise := creatinine_rise(record) or 0) >= 1.5 or bool(
            ssc_overlap(record) and (crisis_rise >= 1.3
                                     or record.organs.new_hypertension is True)),
        "gc_free_months": gc_free_months(record),
        "cardiac_involvement": record.organs.cardiac,
        "dysphagia": True if dysphagia(record) else (
            False if record.organs.dysphagia == "none" else None),
        "renal_impairment": True if c.dialysis else renal,
        # the HBV antivirals are dosed by kidney function below 50 (specialist review Z45c P3)
        "egfr_below_50": True if c.dialysis else (egfr < 50 if egfr is not None else None),
        "dialysis": c.dialysis,
        # a named chronic liver disease other than fatty liver counts as liver disease
        # (specialist review Z52a P6: primary biliary cholangitis could not be recorded, and
        # methotrexate became first choice)
        "hepatic_impairment": True if c.liver_disease not in (None, "masld")
        else c.hepatic_impairment,
        "liver_disease": c.liver_disease,
        "oesophageal_varices": c.oesophageal_varices,
        "solid_organ_transplant": c.solid_organ_transplant,
        "kidney_transplant": (True if "kidney" in c.transplanted_organs
                              else False if c.transplanted_organs
                              or c.solid_organ_transplant is False else None),
        "lung_transplant": (True if "lung" in c.transplanted_organs
                            else False if c.transplanted_organs or c.solid_organ_transplant is False
                            else None),
        # an HRCT recorded anywhere (the lung series or the work-up done): its absence is what
        # the record says, so False, never unknown
        "hrct_recorded": any(m.hrct_pattern is not None for m in record.lung_series())
        or (record.lung is not None and record.lung.hrct_pattern is not None)
        or "hrct_pft" in record.workup_done,
        "heart_failure": c.heart_failure,
        "mechanical_heart_valve": c.mechanical_heart_valve,
        "pres": c.pres,
        "antiphospholipid_syndrome": c.antiphospholipid_syndrome,
        "falls": c.falls,
        "osteoporosis": c.osteoporosis,
        "smoking": True if c.smoking_status in ("current", "former") else (
            False if c.smoking_status == "never" else c.smoking),
        "smoking_current": (c.smoking_status == "current" if c.smoking_status is not None
                            else c.smoking),
        "thrombosis_history": True if c.last_thrombosis is not None else c.thrombosis_history,
        "herpes_zoster_active": c.herpes_zoster_active,
        "thrombosis_days": (None if c.last_thrombosis is None
                            else (record.on() - c.last_thrombosis).days),
        "cardiovascular_risk": c.cardiovascular_risk,
        "diabetes": read_diabetes(record),
        "hba1c_against_record": hba1c_against_record(record),
        "hypertension": c.hypertension,
        "alcohol_excess": c.alcohol_excess,
        "bmi": bmi,
        # an adult underweight: the dietitian is called now, not only once intake is unsafe
        # (specialist review Z50c P1: IBM with 12 % weight loss and a BMI of 18.3)
        "underweight": (None if bmi is None or record.age_years() < 18
                        else bmi < UNDERWEIGHT_BMI),
        "dm_skin_signs": True if (record.skin.any_dm_hallmark()
                                  or record.classification.skin.heliotrope_rash
                                  or record.classification.skin.gottron_papules
                                  or record.classification.skin.gottron_sign)
        else False if record.skin.hallmarks_recorded_absent() else None,
        # the engine reads this before it settles the record (then it is None here)
        "rp_ild_tick_settled": record.settled_rp_ild_episode(),
        "recurrent_infections": c.recurrent_infections,
        "thiopurine_metabolism": read_thiopurine(record),
        "g6pd": record.immunogenetics.g6pd,
        "iga_deficiency": iga_deficiency,
        "anti_iga_antibodies": record.immunogenetics.anti_iga_antibodies,
        # tamoxifen read from the cancer history too, and counted as a SERM (review Z69a P4)
        "other_medicines": other_medicines_read(record),
        # an empty medicines list is not recorded, not 'no statin' (principle 3)
        "statin_taken_now": True if "statin" in record.other_medicines
        else (False if record.other_medicines else None),
        "started_by_plan": frozenset(),
        "induction_glucocorticoids_planned": False,  # set by the engine from the disease state
        "booked_therapies": frozenset(p.therapy for p in record.planned_treatments),
        "flare_to_confirm": flare_to_confirm(record),
        "muscle_relapse_suspected": False,  # set by the engine from the disease state
        "muscle_improving": False,  # set by the engine from the disease state
        "current_therapies": current,
        # conventional, biologic and targeted agents taken now (not glucocorticoids, IVIG or
        # skin agents): a third added on top raises the infection risk (specialist review Y)
        "steroid_sparing_current_count": float(sum(
            1 for t in current if (th := kb.therapies.get(t)) is not None
            and th.category in ("conventional_immunosuppressant", "biologic", "jak_inhibitor",
                                "anti_interferon", "cellular_therapy"))),
        "gc_mg_day": gc_now,
        # a stress dose of hydrocortisone (200 mg/day, about 50 mg of prednisolone) would lower
        # a treating dose (specialist review Z50b P7: 200 mg/day in shock on prednisolone 60)
        "gc_above_stress_dose": (gc_now > GC_STRESS_EQUIVALENT_MG
                                 if isinstance(gc_now, int | float) else None),
        "hcq_mg_kg_day": hcq_per_kg,
        "hcq_years": hcq_years,
        # a course recorded per kg (IVIG): the dose per course taken now, for an under-dose
        # check (specialist review S: a relapse after IVIG was cut to 1 g/kg for cost)
        "ivig_g_per_kg": next((float(t.dose_value) for t in record.treatments
                               if t.therapy == "ivig" and t.dose_unit == "g/kg"
                               and t.dose_value is not None
                               and is_current(record, t.start, t.stop, t.outcome,
                                              t.reason_stopped)), None),
        # methotrexate per m2 a week (weight and height on record): the EULAR paediatric
        # live-booster limit is below 15 (specialist review Z20b P5: boosters at exactly 15)
        "methotrexate_mg_m2_week": next((
            float(t.dose_value) if t.dose_unit == "mg/m2/week" else
            round(float(t.dose_value) / mosteller_bsa(float(record.weight_kg or 0),
                                                     float(record.height_cm or 0)), 1)
            for t in record.treatments
            if t.therapy == "methotrexate" and t.dose_value is not None
            and (t.dose_unit == "mg/m2/week"
                 or (t.dose_unit == "mg/week" and record.weight_kg and record.height_cm))
            and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)), None),
        # the weekly-averaged ceiling the dose-reduction text names (review S: "reduce the
        # dose" without a number); 5 mg/kg of real body weight (AAO 2016 and 2025)
        "hcq_max_mg_day": (float(int(5 * record.weight_kg)) if hcq_per_kg is not None
                           and record.weight_kg else None),
        "hcq_week_plan": (hcq_week_plan(5 * record.weight_kg) if hcq_per_kg is not None
                          and record.weight_kg else None),
        "retinal_exam_within_year": retinal,
        "gc_mg_kg_day": (gc_now / record.weight_kg if gc_now is not None
                         and record.weight_kg else None),
        "muscle_state": muscle_state,
        "lung_state": "unknown",  # set by the engine from the disease state
        "skin_state": "unknown",  # set by the engine from the disease state
        "disease_quiet": None,  # set by the engine from the disease state
        "gc_weeks_at_15mg_or_more": None if gc_15 is None else gc_15 / 7,
        "gc_days_at_30mg_or_more": gc_30,
        "gc_months_at_2_5mg_or_more": None if gc_2_5 is None else gc_2_5 / 30.4375,
        "previous_pjp": c.previous_pjp,
        # a course the patient stopped on their own within the last year, not restarted
        "patient_stopped_recent": True if any(
            t.reason_stopped == "patient_stopped" and (
                t.stop is None or 0 <= (record.on() - t.stop).days <= 365)
            for t in record.treatments) else None,
        "pulses_responded": True if pulses_responded(record) is not None else None,
        "respiratory_muscle_weakness": record.organs.respiratory_muscle_weakness,
        # days until the first planned immunosuppressant starts (not an antimalarial or a
        # topical): a live vaccine fits before one booked 4 weeks or more ahead (specialist
        # review Z52b P6: prednisolone and methotrexate booked 34 days ahead, and 'the myositis
        # needs treatment now: no yellow fever vaccine')
        "immunosuppression_start_days": min(
            ((p.start - record.on()).days for p in record.planned_treatments
             if p.start is not None and (th := kb.therapies.get(p.therapy)) is not None
             and th.category not in ("antimalarial", "topical", "non_drug", "procedure",
                                     "calcinosis_agent", "antifibrotic")), default=None),
        "oral_intake": record.organs.oral_intake,
        "weight_loss_percent": record.organs.weight_loss_percent,
        "home_ventilated": (True if home_ventilated(record) else
                            None if record.organs.home_ventilation is None else False),
        "rituximab_within_2_years": recent_rituximab(record),
        "rituximab_within_12_months": recent_rituximab(record, RITUXIMAB_DEPLETION_DAYS),
        "age_at_onset": record.classification.age_at_onset,
        "months_since_onset": record.months_since_onset,
        # a list left empty says nothing either way: unknown, not "no past cancer"
        # local basal or squamous cell skin cancers alone are not a past cancer to screen for
        # recurrence (specialist review Z61d P4)
        "past_cancer": True if record.cancer.internal_past_cancers() else (
            False if record.cancer.past_cancer else None),
        # read from the words of the cancer history (specialist review Z13c P7: a basal cell
        # carcinoma on azathioprine not remarked on)
        "mda5_seroconverted": mda5_seroconverted(record),
        "mda5_discordant": mda5_discordant(record),
        "overlap_with": frozenset(record.diagnosis.overlap_with),
        "skin_cancer_history": True if any(
            word in entry.lower() for entry in record.cancer.past_cancer
            for word in SKIN_CANCER_WORDS) else None,
        "dlco_percent": record.lung.dlco_percent_predicted if record.lung else None,
        "fvc_dlco_ratio": (record.lung.fvc_percent_predicted / record.lung.dlco_percent_predicted
                           if record.lung and record.lung.fvc_percent_predicted
                           and record.lung.dlco_percent_predicted else None),
        # organ-threatening disease: a reason not to let a lymphocyte count alone delay
        # treatment (in anti-MDA5 disease lymphopenia marks severity, specialist review N)
        "organ_threatening": bool(threats := organ_threats(record, followed)),
        "organ_threats": frozenset(threats) if threats else None,
        # an organ threat treated at once beside an infection, with full treatment agreed: not
        # with severe frailty or a limited ceiling, where pulses beside a pneumonia do more harm
        # (re-score of specialist review Z33c P8: pulses 'alongside the antibiotics' at 81,
        # frailty 7, ward-based ceiling)
        # diffuse lung shadowing in an infection may be the infection itself (PJP, CMV): the
        # lung is not pulsed until infection is treated or excluded (specialist review Z44c P7)
        "lung_threat_may_be_infection": (
            record.comorbidities.infection_focus == "lung_diffuse"
            and bool({"rapidly progressive lung disease", "anti-MDA5 lung disease"} & set(threats))
            and not (read_antibody(record, Antibody.MDA5) and rp_ild(record))),
        "organ_threat_full_treatment": bool(threats) and not record.care_goals.severely_frail()
        and record.care_goals.treatment_ceiling not in ("ward_based", "comfort"),
        "unclassified_myositis_established": (
            record.diagnosis.subgroup == "unclassified"
            and record.diagnosis.confirmed_on is not None
            and any(t.therapy in immunosuppressive for t in record.treatments)) or None,
        "subgroups": followed,
        "classified": bool(followed),
        "biopsy_done": bool(record.biopsy is not None or record.classification.biopsy is not None
                            or "muscle_biopsy" in record.workup_done),
        # an inflammatory myopathy on the biopsy (specialist review Z62b P7: a dystrophinopathy
        # put first for a boy whose biopsy showed invasion of non-necrotic fibres)
        "inflammatory_biopsy": True if record.biopsy is not None and any((
            record.biopsy.endomysial_infiltrate, record.biopsy.invasion_of_non_necrotic_fibres,
            record.biopsy.perifascicular_atrophy, record.biopsy.mxa_expression)) else None,
        "gc_started_days": min(
            ((record.on() - t.start).days for t in record.treatments
             if t.therapy in kb.group_members("glucocorticoid_group") and t.start is not None
             and (t.stop is None or t.stop > record.on())), default=None),
        "not_myositis": bool(record.diagnosis.not_myositis),
        "working_diagnosis": working_diagnosis(record),
        # a drug that pregnancy stops is not one to restore (specialist review Z17b P6:
        # 'restore methotrexate at the full dose' at 7 weeks' gestation)
        "doses_missed": frozenset(
            t.therapy for t in record.treatments
            if t.adherence in ("partial", "poor") and t.therapy in current
            and not (pregnant is True and teratogen_names(kb, [t.therapy]))),
        "ibm_against_diagnosis": "none",  # set by the engine from the diagnosis decision
        "diagnosis_under_review": False,  # set by the engine from the diagnosis decision
        "cancer_risk_high_in_window": False,  # set by the engine from the cancer screening
        "jak_risk_count": 0,  # set by the engine once the cancer screening is known
        "steroid_sparing_failed_count": 0,  # set by the engine from the disease state
        "cancer_red_flags": read_red_flags(record),
        "lump_site": record.cancer.lump_site,
        "nasopharyngeal_carcinoma_region": True if record.nasopharyngeal_carcinoma_region
        else None,
        "haemoptysis": True if "haemoptysis" in record.cancer.red_flags else None,
        "dysphagia_severity": record.organs.dysphagia,
        # a tablet that must pass an intact oesophagus upright is not for a patient on a
        # modified-texture diet, even with a swallow graded mild (specialist review Z59d P4)
        "oral_bisphosphonate_unsuitable": True if (
            record.organs.dysphagia in ("moderate", "severe") or record.organs.oral_intake in (
                "modified_texture", "nil_by_mouth", "tube_fed")) else None,
        "oesophageal_dysphagia": (None if record.organs.dysphagia_level is None
                                  else record.organs.dysphagia_level != "oropharyngeal"),
        "skin_ulceration": True if record.skin.cutaneous_ulceration else None,
        # legacy yes/no field: False is "not recorded", never "no arthritis"
        "arthritis": True if record.systemic.arthritis else None,
        "raynaud": True if record.systemic.raynaud else None,
        "vzv_seronegative": None if screen_result(s.vzv_igg) is None else not screen_result(s.vzv_igg),
        "cmv_viraemia": screen_result(s.cmv_pcr),
        "varicella_exposure_days": (None if s.varicella_exposure is None
                                    else (record.on() - s.varicella_exposure).days),
        # treatment that must not stop when swallowing fails (specialist review Z55c P6)
        "tb_or_hiv_treatment": (True if s.active_tb == "on_treatment"
                                or s.latent_tb_treatment == "ongoing"
                                or screen_result(s.hiv) is True else None),
        "tb_contact_days": (None if s.tb_contact is None
                            else (record.on() - s.tb_contact).days),
        "measles_exposure_days": (None if s.measles_exposure is None
                                  else (record.on() - s.measles_exposure).days),
        "gut_symptoms": record.organs.gut_symptoms,
        "gi_bleed_suspected": gi_bleed_suspected(record),
        "gi_perforation_suspected": record.organs.gi_perforation_suspected,
        "fever": record.systemic.fever,
        # legacy yes/no field: False is "not recorded", never "no breathlessness"
        "dyspnoea_or_cough": True if record.systemic.dyspnoea_or_cough else None,
        "lung_course": record.lung.course if record.lung is not None else None,
        "hrct_pattern": record.lung.hrct_pattern if record.lung is not None else None,
        # a swallow assessment recorded as done (re-score of specialist review Z41c P1)
        "swallow_assessed": True if "swallowing" in record.workup_done else None,
        "lung_function_decline": (None if (decline := lung_function_decline(record)) is None
                                  else bool(decline)),
        "pulmonary_hypertension": record.organs.pulmonary_hypertension,
        "anti_mda5": read_antibody(record, Antibody.MDA5),
        "mda5_rp_ild": True if read_antibody(record, Antibody.MDA5) and rp_ild(record) else None,
        "other_msa_positive": read_other_msa(record),
        "anti_hmgcr": read_antibody(record, Antibody.HMGCR),
        "anti_srp": read_antibody(record, Antibody.SRP),
        "anti_ro52": read_antibody(record, Antibody.RO52),
        "anti_u1rnp": read_antibody(record, Antibody.U1RNP),
        "statin_exposure": statin,
        "cyclophosphamide_cumulative_g": sum(cyclophosphamide) if cyclophosphamide else None,
        # an empty treatment list says nothing about the past: unknown, not "never"
        "cyclophosphamide_ever": True if any(t.therapy == "cyclophosphamide"
                                             for t in record.treatments) else None,
        "immunosuppression_new": read_immunosuppression_new(
            record, current & immunosuppressive, set(planned) & immunosuppressive)
        and not read_ibm_taper_only(record, followed, current & immunosuppressive,
                                set(planned) & immunosuppressive),
        # taken now, whatever the plan offers: advice "before immunosuppression" is late
        # (specialist review S: untreated latent TB five months into three agents)
        # a course in the record, past or present (specialist review Z32o P6: anti-MDA5 ILD in
        # drug-free remission after full treatment called 'no treatment yet')
        "immunosuppression_ever": any(t.therapy in immunosuppressive for t in record.treatments),
        "immunosuppression_current": bool(current & immunosuppressive) and not read_ibm_taper_only(
            record, followed, current & immunosuppressive, set(planned) & immunosuppressive),
        "immunosuppression_planned_or_current": bool(
            (current | set(planned)) & immunosuppressive) and not read_ibm_taper_only(
                record, followed, current & immunosuppressive, set(planned) & immunosuppressive),
        **lab_facts(record),
        **context_facts(record),
    }


def mda5_seroconverted(record: PatientRecord) -> bool | None:
    """The latest dated anti-MDA5 test is negative after an earlier positive: seroconversion,
    which goes with remission in anti-MDA5 disease (specialist review Z15c P5: negative in 2024
    and 2026 after positives in 2020-2022, read as a current positive). None when there is no
    dated positive."""
    tests = sorted((t for t in record.antibody_tests
                    if t.antibody == Antibody.MDA5 and t.date is not None
                    and t.result in ("positive", "negative")),
                   key=lambda t: t.date or dt.date.min)
    positives = [t for t in tests if t.result == "positive"]
    if not positives:
        return None
    # weak line-blot bands alone, or no treatment ever given, make a later negative a
    # disagreement between methods, not a seroconversion (specialist review Z29c P8: a weak
    # blot and a negative ELISA four weeks apart, untreated, read as 'remission')
    if all(t.method == "line_blot" and t.level == "weak" for t in positives) \
            or not record.treatments:
        return None
    return tests[-1].result == "negative"


def mda5_discordant(record: PatientRecord) -> bool:
    """A weak line-blot anti-MDA5 band with a negative result by another test: unconfirmed,
    and in this antibody the lung is screened whatever the confirmation says."""
    tests = [t for t in record.antibody_tests if t.antibody == Antibody.MDA5]
    weak_blot = any(t.result == "positive" and t.method == "line_blot" and t.level == "weak"
                    for t in tests)
    negative = any(t.result == "negative" for t in tests)
    return weak_blot and negative and mda5_seroconverted(record) is not True

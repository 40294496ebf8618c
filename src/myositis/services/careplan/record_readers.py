"""Readers of the patient record for the safety facts: each answers one question (is a GI
bleed suspected, is the TSH raised, which infection tests are missing) with ``None`` when the
record does not say. Split from :mod:`myositis.services.careplan.facts`, which assembles them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from myositis.domain.antibodies import MYOSITIS_SPECIFIC, Antibody
from myositis.domain.criteria import enmc_ibm_2011 as enmc_ibm
from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import Screen
from myositis.services.careplan.exposure import (
    gc_dose_now,
    is_current,
)
from myositis.services.careplan.lab_trends import (
    HBA1C_DIABETES_MMOL_MOL,
    HBA1C_DIABETES_PERCENT,
    haemoglobin_fall,
)
from myositis.services.careplan.reproduction_facts import (
    anaemia_threshold,
    puerperal,
)


def gi_bleed_suspected(record: PatientRecord) -> bool | None:
    """A gastrointestinal bleed now: recorded as such, rectal bleeding among the cancer red
    flags, or gut symptoms (melaena among them)
    with haemoglobin down 20 g/L or more within 3 months (specialist review Z: melaena with
    haemoglobin 128 to 74 on prednisolone, naproxen and aspirin was not recognised)."""
    if record.organs.gi_bleeding is not None:
        return bool(record.organs.gi_bleeding)
    # rectal bleeding recorded as a cancer red flag is a bleed too (specialist review Z68a P3:
    # warfarin at INR 3.4 only 'reduced' beside rectal bleeding with haemoglobin 95)
    if "rectal_bleeding" in record.cancer.red_flags:
        return True
    fall = haemoglobin_fall(record)
    if record.organs.gut_symptoms is True and fall is not None and fall >= 20:
        return True
    return None


def end_of_life(record: PatientRecord) -> bool | None:
    """Near the end of life: comfort care agreed, or a prognosis of weeks without full treatment
    agreed (None when neither the prognosis nor the ceiling is recorded)."""
    goals = record.care_goals
    if goals.treatment_ceiling == "comfort":
        return True
    if goals.treatment_ceiling == "full":
        # a short prognosis with full treatment agreed is a disease to treat with everything,
        # not an end-of-life plan (specialist review Z8b: anti-MDA5 RP-ILD at 29 lost intensive
        # care, transplant and full-dose treatment because the prognosis read 'weeks')
        return False
    if goals.prognosis in ("weeks_to_months", "days_to_weeks"):
        return True
    return False if goals.prognosis in ("years", "months") else None


def critical_illness(record: PatientRecord) -> bool | None:
    """Sepsis or septic shock now, or an infection on a ventilator (specialist review Z7a: a
    ventilated man in septic shock on 15 mg/day of prednisolone for 22 months was told to keep
    the dose, 'higher doses already cover an illness', and given a taper target)."""
    c = record.comorbidities
    if c.sepsis is True:
        return True
    if c.active_infection is True and record.lung is not None \
            and record.lung.oxygen == "ventilated":
        return True
    return False if c.sepsis is False else None


def screen_result(result: Screen | None) -> bool | None:
    if result is None or result.result == "indeterminate":
        return None
    return result.result == "positive"


def positive_wins(detailed: bool | None, legacy: bool | None) -> bool | None:
    """True when either source says positive; else the detailed result, else the legacy one."""
    if detailed is True or legacy is True:
        return True
    return either(detailed, legacy)


def either(detailed: bool | None, legacy: bool | None) -> bool | None:
    return detailed if detailed is not None else legacy


def lung_change_on_methotrexate(record: PatientRecord) -> bool:
    """Methotrexate taken now and the lung worse on it: a progressive course recorded, or
    cough or breathlessness with abnormal lung imaging dated after methotrexate started and no
    stable course recorded. Methotrexate pneumonitis and infection must then be excluded
    before the lung is called myositis ILD (specialist review V: a new ground-glass change on
    methotrexate was read as ILD and methotrexate continued)."""
    starts = [t.start for t in record.treatments if t.therapy == "methotrexate"
              and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)]
    lung = record.lung
    if not starts or lung is None or lung.course == "stable":
        return False
    if lung.hrct_pattern in ("normal", "not_ild"):
        # a falling FVC with a normal HRCT is the breathing muscles, not pneumonitis
        # (specialist review X: bronchoscopy advised for an anti-SRP man with weak breathing
        # muscles and a normal scan)
        return False
    began = min((s for s in starts if s is not None), default=None)
    if lung.course == "progressive" and began is not None and any(
            m.date is not None and m.date <= began and m.shows_ild()
            for m in record.lung_measures):
        # an ILD imaged before methotrexate began, declining gradually, is the disease's own
        # course, not methotrexate pneumonitis, which is acute or subacute (specialist review
        # Z52c P7: a bronchoscopy asked for an NSIP whose FVC fell from 82 to 71 % over six
        # months); a rapid decline is still worked up
        return False
    if lung.course in ("progressive", "rapidly_progressive"):
        return True
    return bool(record.systemic.dyspnoea_or_cough) and lung.date is not None \
        and began is not None and lung.date > began \
        and lung.shows_ild()


ESTABLISHED_DAYS = 90


def read_immunosuppression_new(record: PatientRecord, current: frozenset[str],
                           planned: set[str]) -> bool:
    """An immunosuppressant offered that is not taken now, or one started in the last 90
    days: the time for pre-treatment screening. Long-established treatment gets its missing
    screening as a routine item, not at the top of the plan (specialist review W: a TB prompt
    'before immunosuppression' two years into methotrexate)."""
    if planned - current:
        return True
    today = record.on()
    return any(t.therapy in current and (t.start is None
                                         or (today - t.start).days < ESTABLISHED_DAYS)
               for t in record.treatments)


def read_ibm_taper_only(record: PatientRecord, followed: frozenset[str], current: frozenset[str],
                    planned: set[str]) -> bool:
    """IBM alone, nothing immunosuppressive offered, and only a glucocorticoid below 15 mg/day
    taken, which the IBM plan tapers to stop: screening (TB, HBV) asked "before
    immunosuppression" would contradict the plan (specialist review V)."""
    if followed != {"ibm"} or planned:
        return False
    dose = gc_dose_now(record)
    return current <= {"glucocorticoids_oral"} and dose is not None and dose < 15


def confirmed_positive(record: PatientRecord) -> set[Antibody]:
    """The positive antibodies, less myositis-specific ones that rest on a lone weak line-blot
    band: those are confirmed before their risks drive lung scans and surveillance
    (specialist review Z7c: HRCT 'soon' and lung function every 3 months on one weak anti-PL-12
    band in a patient who met no criteria)."""
    return set(record.all_antibodies().positive()) - set(weak_blot_antibodies(record))


def weak_blot_antibodies(record: PatientRecord,
                         associated: bool = False) -> list[Antibody]:
    """Myositis-specific antibodies (with ``associated``, the associated ones too) whose only
    positive tests are weak line-blot bands: weak bands are often false positives outside a
    high pre-test probability (To 2020; specialist review V: antisynthetase syndrome diagnosed
    from one weak anti-PL-12 band in a statin user with CK 70 x ULN). A result recorded as weak
    with no test behind it counts too (review Z13a: a lone weak anti-Ku band)."""
    out = []
    pool = set(record.all_antibodies().positive())
    if not associated:
        pool &= MYOSITIS_SPECIFIC
    for antibody in sorted(pool, key=lambda a: a.value):
        tests = [t for t in record.antibody_tests
                 if t.antibody == antibody and t.result == "positive"]
        blot_only = bool(tests) and all(t.method == "line_blot" and t.level == "weak"
                                        for t in tests)
        weak_untested = associated and not tests \
            and record.all_antibodies().result(antibody).level == "weak"
        if blot_only or weak_untested:
            out.append(antibody)
    return out


def msa_weak_blot_only(record: PatientRecord) -> bool | None:
    """Every positive myositis-specific antibody rests on weak line-blot bands only; unknown
    when none is positive or the positives carry no dated test (method unknown)."""
    positive = record.all_antibodies().positive() & MYOSITIS_SPECIFIC
    if not positive or not record.antibody_tests:
        return None
    return set(weak_blot_antibodies(record)) == positive


def immune_myopathy_shown(record: PatientRecord) -> bool:
    """A myositis-specific antibody positive beyond a lone weak line-blot band, or the clinician
    marks that treatment cannot wait: a drug that also injures muscle (colchicine) is stopped,
    but it no longer explains the disease, so treatment is not delayed for a recheck
    (specialist review Z7a: anti-HMGCR myopathy, CK 42,000, told to recheck in 2-4 weeks)."""
    if record.diagnosis.treatment_cannot_wait:
        return True
    positive = record.all_antibodies().positive() & MYOSITIS_SPECIFIC
    return bool(positive) and msa_weak_blot_only(record) is not True


def read_thiopurine(record: PatientRecord) -> str | None:
    genes = [record.immunogenetics.tpmt, record.immunogenetics.nudt15]
    for level in ("deficient", "intermediate"):
        if level in genes:
            return level
    if record.comorbidities.tpmt_deficiency:
        return "deficient"
    if all(g == "normal" for g in genes):
        return "normal"
    return None


def read_antibody(record: PatientRecord, antibody: Antibody) -> bool | None:
    status = record.all_antibodies().result(antibody).status
    return None if status == "not_tested" else status == "positive"


def read_other_msa(record: PatientRecord) -> bool | None:
    """A myositis-specific antibody other than anti-HMGCR positive (True), a tested panel without
    one (False), else unknown: with another MSA a statin is not the likely cause."""
    profile = record.all_antibodies()
    # anti-cN1A marks inclusion body myositis (and Sjogren's or lupus) and explains no
    # statin-triggered necrosis (specialist review Z25b P1: 'another myositis-specific antibody
    # explains the disease' in IBM)
    if profile.positive() & (MYOSITIS_SPECIFIC - {Antibody.HMGCR, Antibody.CN1A}):
        return True
    return False if profile.tested_any_msa() else None


def as_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def read_red_flags(record: PatientRecord) -> frozenset[str]:
    flags: set[str] = set(record.cancer.red_flags)
    hb = record.latest_lab("haemoglobin")
    threshold = anaemia_threshold(record)
    egfr = record.latest_lab("egfr")
    # anaemia of CKD stage 3b-5, or of dialysis (specialist review Z59b P6: Hb 101 on
    # haemodialysis, with no eGFR recorded, read as a myositis-cancer clue)
    renal_anaemia = (egfr is not None and egfr.value < 45) or record.comorbidities.dialysis is True
    # but not on an anticoagulant, or with a high-risk cancer antibody: the kidney does not
    # explain it until iron studies do (specialist review Z69a P5: Hb 104 at eGFR 22 on warfarin
    # with anti-TIF1-gamma DM, not flagged, while the same finding was in another plan)
    if renal_anaemia and record.comorbidities.dialysis is not True and (
            {"warfarin", "doac", "lmwh"} & set(record.other_medicines)
            or {Antibody.TIF1G, Antibody.NXP2} & confirmed_positive(record)):
        renal_anaemia = False
    # anaemia counts as a cancer warning in the IMACS 3-year window only; later it has too
    # many other causes to send a patient for urgent endoscopy on it alone
    in_window = record.months_since_onset <= 36
    # a high ferritin with anaemia points to inflammation (or anti-MDA5 disease), not to the
    # iron deficiency of occult blood loss: not a cancer red flag on its own
    ferritin = record.latest_lab("ferritin")
    inflammatory = ferritin is not None and ferritin.value >= 100
    # anaemia in pregnancy is mostly dilutional or iron deficiency: iron studies, not a
    # cancer work-up (the pregnancy-anaemia rule asks for them)
    pregnant = record.is_pregnant()
    # after a delivery, and while breastfeeding, iron deficiency is expected: iron studies,
    # not endoscopy (specialist review E: anaemia 6 weeks postpartum sent for endoscopy)
    after_delivery = puerperal(record)
    if hb is not None and hb.value < threshold and not renal_anaemia and in_window \
            and not inflammatory and not pregnant and not after_delivery:
        flags.add("anaemia")
    return frozenset(flags)


INFECTION_TESTS = (("hbsag", "HBsAg"), ("anti_hbc", "anti-HBc"), ("anti_hbs", "anti-HBs"),
                   ("hcv", "HCV"), ("hiv", "HIV"), ("tb_test", "IGRA or TST"),
                   ("chest_imaging", "chest radiograph"), ("vzv_igg", "VZV IgG"))


def infection_tests_missing(record: PatientRecord) -> frozenset[str]:
    """The pre-immunosuppression infection tests not on the record, so that a request names only
    those (specialist review W: the whole screen re-requested with HBV and HCV recorded)."""
    screening = record.infection_screening
    missing = {label for field, label in INFECTION_TESTS if getattr(screening, field) is None}
    if screening.strongyloides_endemic and screening.strongyloides_serology is None:
        # from an endemic region: the serology belongs in the same draw (specialist review Y)
        missing.add("strongyloides serology")
    return frozenset(missing)


def joints_may_be_active(record: PatientRecord) -> bool:
    """Arthritis on the record is a feature, not a date: with visits, the latest one must show
    some activity (a physician or extramuscular global of 1 cm or more) before the joints get a
    regimen of their own (review Z3b: a past arthritis restarted glucocorticoids in steroid-free
    remission while conception was planned)."""
    scored = [v.core_set for v in record.visits
              if v.core_set.physician_global is not None
              or v.core_set.extramuscular_global is not None]
    if not scored:
        return True
    latest = scored[-1]
    return any(g is not None and g >= 1 for g in (latest.physician_global,
                                                  latest.extramuscular_global))


def globals_low(record: PatientRecord) -> bool:
    """The latest visit that scored the extramuscular global (where the joints are scored)
    scored it, and any physician global, 1 cm or less (0-10 cm): activity too low to start a
    new agent on a feature ticked in the record. A physician global alone does not say the
    joints are quiet (specialist review Y2 P4: active arthritis at a physician global of 1)."""
    scored = [v.core_set for v in record.visits if v.core_set.extramuscular_global is not None]
    return bool(scored) and all(g is None or g <= 1 for g in (scored[-1].physician_global,
                                                              scored[-1].extramuscular_global))


INDUCTION_MG_DAY = 40
"""A daily glucocorticoid dose at or above this (or 0.5 mg/kg) is an induction dose."""


def induction_given_before(record: PatientRecord) -> bool:
    """An induction dose was given earlier in this illness (IV pulses, or a visit or course at
    40 mg/day or 0.5 mg/kg or more): a lower dose now is a taper, not an under-dose (specialist
    review Z47c P1: 'below the induction range, raise to 46-60 mg/day' at 7 months for a man
    on insulin who had 60 mg/day at onset and IVIG now)."""
    weight = record.weight_kg

    def induction(mg: float | None) -> bool:
        return mg is not None and (mg >= INDUCTION_MG_DAY
                                   or (weight is not None and mg >= 0.5 * float(weight)))
    visits = sorted(record.visits, key=lambda v: v.date)[:-1]
    return (any(induction(v.glucocorticoid_mg_per_day) for v in visits)
            or any(t.therapy == "methylprednisolone_iv_pulse" for t in record.treatments)
            # an earlier course, now ended, at an induction dose (the open course's dose is
            # today's)
            or any(t.therapy == "glucocorticoids_oral" and t.dose_unit == "mg/day"
                   and t.stop is not None and induction(t.dose_value)
                   for t in record.treatments))


RECENT_CLOT_DAYS = 90
"""A venous or arterial clot this recent weighs against a high glucocorticoid dose."""


def glucocorticoid_risks(record: PatientRecord) -> list[str]:
    """What makes a higher glucocorticoid dose costly for this patient: diabetes, frailty, a
    recent clot, serious or recurrent infections with a low IgG, osteoporosis, age 75 or more
    (specialist review Z7d: IV pulses then 0.5-1 mg/kg/day for a slow flare in a frail diabetic
    woman three weeks after a pulmonary embolism)."""
    c = record.comorbidities
    risks = []
    hba1c = record.latest_lab("hba1c")
    if c.diabetes is True or (hba1c is not None and hba1c.value >= (
            HBA1C_DIABETES_MMOL_MOL if hba1c.unit == "mmol/mol" else HBA1C_DIABETES_PERCENT)):
        risks.append("diabetes")
    frailty = record.care_goals.frailty_scale
    if frailty is not None and frailty >= 5:
        risks.append(f"frailty (scale {frailty})")
    if c.last_thrombosis is not None and (record.on() - c.last_thrombosis).days <= \
            RECENT_CLOT_DAYS:
        risks.append("a clot in the last 3 months")
    igg = record.latest_lab("igg")
    if c.recurrent_infections is True or (igg is not None and igg.value < 5):
        risks.append("infections or a low IgG")
    if c.osteoporosis is True:
        risks.append("osteoporosis or fractures")
    if record.age_years() >= 75:
        risks.append("age 75 or more")
    return risks


HCQ_LONG_YEARS = 5.0
"""Years of hydroxychloroquine after which a vacuolar myopathy or a cardiomyopathy may be the drug's."""


def hcq_toxic_myopathy_possible(record: PatientRecord, years: float | None,
                                per_kg: float | None, egfr: float | None) -> bool | None:
    """Hydroxychloroquine taken long, above 5 mg/kg/day or with an eGFR below 30, beside a
    vacuolar biopsy without inflammation or heart involvement: its toxic myopathy or
    cardiomyopathy (curvilinear bodies on electron microscopy) comes before any escalation
    (specialist review Z8a: 'continue hydroxychloroquine' and mycophenolate added for a man
    with lupus, 7 years at 6.25 mg/kg/day, eGFR 27, a vacuolar biopsy and troponin I raised)."""
    if years is None:
        return None  # not taken now (or no start date)
    exposed = years >= HCQ_LONG_YEARS or (per_kg is not None and per_kg > 5) or (
        egfr is not None and egfr < 30)
    biopsy = record.biopsy
    vacuolar = biopsy is not None and biopsy.rimmed_vacuoles is True \
        and biopsy.endomysial_infiltrate is not True
    heart = record.organs.cardiac in ("suspected", "confirmed")
    return exposed and (vacuolar or heart)


def immune_risks(record: PatientRecord) -> list[str]:
    """Infection risks that weigh against adding a cytotoxic drug: HIV, an IgG below 6 g/L,
    lymphocytes below 1.0 (project thresholds after specialist review Z8d)."""
    risks = []
    if record.infection_screening.hiv is not None \
            and record.infection_screening.hiv.result == "positive":
        risks.append("HIV")
    igg = record.latest_lab("igg")
    if igg is not None and igg.value < 6:
        risks.append(f"IgG {igg.value:g} g/L")
    lymph = record.latest_lab("lymphocytes")
    if lymph is not None and lymph.value < 1.0:
        risks.append(f"lymphocytes {lymph.value:g}")
    return risks


def steroid_unresponsive_seronegative(record: PatientRecord) -> bool | None:
    """A myositis-specific antibody panel negative, and a glucocorticoid course recorded with no
    response (or as ineffective): for a myopathy no criteria set classifies, a dystrophy or a
    metabolic myopathy until shown otherwise (specialist review Z8a: a 14-year-old, CK 58 x ULN,
    antibody-negative, no response to 1 mg/kg - the dystrophy work-up appeared only when he was
    recorded as 'polymyositis')."""
    if not record.all_antibodies().tested_any_msa():
        return None
    if not record.all_antibodies().msa_negative():
        return False
    courses = [t for t in record.treatments if t.therapy in ("glucocorticoids_oral",
                                                             "methylprednisolone_iv_pulse")]
    if not courses:
        return None
    return any(t.response == "none" or t.outcome == "ineffective"
               or t.reason_stopped == "inefficacy" for t in courses)


def ibm_clinical_pattern_with_cn1a(record: PatientRecord, ck_uln_multiple: float | None) -> bool:
    """The clinical items of ENMC 2011 (onset over 45, weakness over 12 months, knee-extension
    and finger-flexion weakness, CK at most 15 x ULN) with anti-cN1A positive: IBM is likely
    before any biopsy (specialist review Z8a: an 81-year-old with the pattern and anti-cN1A,
    biopsy declined, never told IBM was likely)."""
    p = record.ibm_pattern
    duration = p.weakness_duration_months if p.weakness_duration_months is not None \
        else record.months_since_onset
    return (record.classification.age_at_onset > enmc_ibm.MIN_AGE_AT_ONSET
            and duration > enmc_ibm.MIN_DURATION_MONTHS
            and p.knee_extension_weaker_or_equal_hip_flexion is True
            and p.finger_flexion_weaker_than_shoulder_abduction is True
            and (ck_uln_multiple is None or ck_uln_multiple <= enmc_ibm.MAX_CK_X_ULN)
            and record.all_antibodies().is_positive(Antibody.CN1A))


MILD_HYPERCKEMIA_X_ULN = 3.0
"""Below this CK (x ULN) with normal strength, EFNS 2010 does not ask for a biopsy in an adult of
25 or more with a normal EMG (Kyriakides 2010, abstract)."""


def mild_hyperckemia_normal_strength(record: PatientRecord, ck_uln_multiple: float | None
                                     ) -> bool | None:
    """CK below 3 x ULN with no weakness recorded (or a full-strength latest visit) in an adult
    of 25 or more: the EFNS hyperCKemia approach, not a myositis work-up (specialist review
    Z9d: a biopsy, infection screening and FVC for CK 2.8 x ULN the morning after a gym
    session, with normal strength)."""
    if ck_uln_multiple is None:
        return None
    # adults from 18 (specialist review Z12c: a 24-year-old after leg training sent for biopsy)
    if ck_uln_multiple >= MILD_HYPERCKEMIA_X_ULN or record.age_years() < 18:
        return False
    if ck_uln_multiple <= 1.0:
        return False  # a normal CK is no hyperCKemia (specialist review Z10c)
    weakness = any(record.classification.weakness.model_dump().values())
    if record.visits:
        cs = record.visits[-1].core_set
        if cs.mmt8 is not None:
            scale = cs.mmt_max or (80 if cs.mmt8 <= 80 else 150)
            weakness = weakness and float(cs.mmt8) < 0.975 * scale
    return not weakness


PULSE_RESPONSE_DAYS = 91


PULSE_CK_RESPONSE = 0.25
"""A response to pulses shown by the CK: the latest value at most a quarter of the highest in the
month before the course (or within its normal range)."""


def pulses_responded(record: PatientRecord) -> dt.date | None:
    """The end of an IV methylprednisolone course in the last 3 months that worked: a complete
    response recorded, or a course recorded as effective (or with a partial response) with the
    CK down to a quarter or less of its level before the course - else None. A lung progressing
    since, or a swallow still severely affected, is a new deterioration, never a response
    (re-scores of specialist reviews Z33b P8 and Z34a P1, P8: anti-MDA5 RP-ILD with falling
    lung function, and anti-SRP disease with CK still 40 x ULN, read as responding)."""
    if record.lung is not None and record.lung.course in ("progressive", "rapidly_progressive"):
        return None
    if record.organs.dysphagia == "severe":
        return None
    today = record.on()
    cks = sorted((r.date, r.value, r.uln) for r in record.lab_results if r.analyte == "ck")
    ends = []
    for t in record.treatments:
        end = t.stop or t.start
        if t.therapy != "methylprednisolone_iv_pulse" or end is None \
                or not 0 <= (today - end).days <= PULSE_RESPONSE_DAYS:
            continue
        if t.response == "complete":
            ends.append(end)
            continue
        if t.outcome != "effective" and t.response != "partial":
            continue
        begun = t.start or end
        before = [v for d, v, _ in cks if (begun - d).days in range(0, 31)]
        after = [(v, u) for d, v, u in cks if d > end]
        if before and after:
            latest, uln = after[-1]
            if latest <= PULSE_CK_RESPONSE * max(before) or (uln is not None and latest <= uln):
                ends.append(end)
    return max(ends) if ends else None


TACROLIMUS_STEADY_DAYS = 5
"""Days of an unchanged tacrolimus dose before a trough describes it (about 3-5 half-lives)."""


def tacrolimus_trough_early(record: PatientRecord) -> bool | None:
    """True when the latest tacrolimus trough was drawn within 5 days of the course's start: no
    dose is changed on it (specialist review Z38d P1: 'raise it to reach the range' on a trough
    drawn 2 days after starting, on posaconazole); None without a trough or a start date."""
    trough = record.latest_lab("tacrolimus_trough")
    starts = [t.start for t in record.treatments if t.therapy == "tacrolimus" and t.start
              and t.start <= (trough.date if trough else t.start)]
    if trough is None or not starts:
        return None
    return (trough.date - max(starts)).days < TACROLIMUS_STEADY_DAYS


CHEST_CT_VALID_DAYS = 90
"""A CT of the chest this recent serves as the chest imaging of a screen (a project threshold)."""


def recent_chest_ct(record: PatientRecord) -> dt.date | None:
    """The date of the latest CT of the chest (an HRCT in the lung series, or a CT of the chest
    among the screening tests) within 90 days, else None: a chest radiograph is not asked for
    days after it (specialist review Z41d: P1, P2, P6 and P7)."""
    today = record.on()
    dates = [m.date for m in record.lung_series()
             if m.hrct_pattern is not None and m.date is not None]
    dates += [t.date for t in record.cancer.screening_done
              if "ct" in t.test.lower().replace(",", " ").split()
              and ("chest" in t.test.lower() or "thorax" in t.test.lower())]
    recent = [d for d in dates if 0 <= (today - d).days <= CHEST_CT_VALID_DAYS]
    return max(recent) if recent else None


CHILD_PUGH_LABS: tuple[tuple[str, float, float, bool], ...] = (
    # analyte, the 1-point cut, the 2-point cut (inclusive), whether higher is worse
    ("bilirubin", 34.0, 50.0, True),    # umol/L: 1 below 34, 2 at 34-50, 3 above 50
    ("albumin", 35.0, 28.0, False),     # g/L: 1 above 35, 2 at 28-35, 3 below 28
    ("inr", 1.7, 2.3, True),            # 1 below 1.7, 2 at 1.7-2.3, 3 above 2.3
)
"""The laboratory rows of the Child-Pugh score (Pugh RNH et al., Br J Surg 1973;60:646-9,
doi:10.1002/bjs.1800600817; PMID 4541913 recalled, not confirmed), with the INR in place of the
prothrombin time as commonly used. Ascites and encephalopathy are not in the record, so the
score read from these three is a minimum."""
CHILD_PUGH_LAB_DAYS = 30


def child_pugh_lab_minimum(record: PatientRecord) -> int | None:
    """The least Child-Pugh score the record's bilirubin, albumin and INR allow (1 point each
    assumed for ascites and encephalopathy), when all three are recorded within 30 days; a
    score of 7 or more is class B at least whatever the clinical items (specialist review
    Z42c P7: nintedanib advised in cirrhosis with bilirubin 42, albumin 28 and INR 1.6)."""
    points = 2
    # an INR raised by warfarin says nothing of the liver: it counts 1 point (re-score of
    # specialist review Z52a P4: 'decompensated cirrhosis' from an INR of 2.6 on warfarin)
    anticoagulated = "warfarin" in record.other_medicines
    for analyte, first, second, worse_up in CHILD_PUGH_LABS:
        if analyte == "inr" and anticoagulated:
            points += 1
            continue
        result = record.latest_lab(analyte)
        if result is None or (record.on() - result.date).days > CHILD_PUGH_LAB_DAYS:
            return None
        v = result.value
        if worse_up:
            points += 1 if v < first else 2 if v <= second else 3
        else:
            points += 1 if v > first else 2 if v >= second else 3
    return points

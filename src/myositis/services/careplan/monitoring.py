"""Monitoring of current treatment and of the disease, each item with its next due date.

Intervals come from the drugs' curated monitoring (MONITOR_WEEKS is the fallback when a
therapy's entry names none) and from the disease state (active disease is seen more often).
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.antibodies import ANTISYNTHETASE, Antibody
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.hydroxychloroquine_course import hcq_course, retinal_exams
from myositis.services.careplan.medicine_readers import tamoxifen_taken
from myositis.services.careplan.model import (
    ACTIVE_STATES,
    MonitoringItem,
)
from myositis.services.careplan.options import FERTILITY_AGE_LIMIT, HYDRATION
from myositis.services.careplan.record_readers import confirmed_positive, tacrolimus_trough_early
from myositis.services.state import DiseaseState

MONITOR_WEEKS = {"methotrexate": 12, "azathioprine": 12, "mycophenolate": 12, "leflunomide": 12,
                 "tacrolimus": 12, "ciclosporin": 12, "cyclophosphamide": 4, "rituximab": 24,
                 "hydroxychloroquine": 52, "ivig": 4, "tofacitinib": 12, "baricitinib": 12,
                 "upadacitinib": 12, "brepocitinib": 12}
TROUGH_RECHECK_NG_ML = 12  # as the tacrolimus_trough_high rule
TROUGH_LOW_NG_ML = 5  # as the tacrolimus_trough_low rule
MONITOR_LABS = ("wbc", "neutrophils", "alt", "creatinine", "egfr", "haemoglobin")

NEW_DISEASE_MONTHS = 6
EARLY_REVIEW_WEEKS = {"severe_jdm_active": 2}
"""Rules whose action promises an early review: the disease-activity date keeps that promise
(specialist review S: severe new JDM told 'within 1-2 weeks' and dated six weeks away)."""
EARLY_FORTNIGHTLY = {"methotrexate", "azathioprine", "mycophenolate", "leflunomide"}
NO_LUNG_DATE = "due now (no lung function date recorded)"


def _due(last: dt.date | None, weeks: float, today: dt.date, missing: str) -> str:
    """'by DATE' or 'overdue since DATE' for a check every ``weeks`` after ``last``."""
    if last is None:
        return missing
    when = last + dt.timedelta(weeks=weeks)
    return ("overdue since " if when < today else "by ") + when.isoformat()


def _disease_monitoring(record: PatientRecord, state: DiseaseState | None,
                        rapid_lung: bool = False, ibm: bool = False,
                        unclassified: bool = False,
                        urgent_open: bool = False,
                        review_weeks: int | None = None) -> list[MonitoringItem]:
    """Disease activity and lung function reviews with their next dates: every 4-8 weeks while
    a domain is active, every 3-6 months once stable (project schedule from BSR 2022 practice
    and the ILD monitoring interval the plan already uses)."""
    if state is None or record.diagnosis.not_myositis:  # no myositis activity to follow
        return []
    today = record.on()
    last_visit = record.visits[-1].date if record.visits else None
    # an unscored skin is 'active' only until assessed: it sets no 4-8 week schedule for a
    # patient otherwise in remission (review of a five-year remission on maintenance)
    active = any(d.state in ACTIVE_STATES for d in state.domains if d.domain != "lung"
                 and not any(b.startswith("not scored") for b in d.basis)) and not ibm
    starting = any(d.state in ("new_onset", "flare") for d in state.domains) and not ibm
    # a new diagnosis or a flare is seen again within 2-4 weeks, not at the next routine slot
    # (specialist review M: untreated, worsening, living alone)
    # IBM with a swallow, falls or weight loss to follow is seen within 3 months, not 9
    # (specialist review Z70c P4: moderate dysphagia, 7 % weight loss, two falls, a labile INR)
    organs = record.organs
    ibm_problems = ibm and (organs.dysphagia in ("moderate", "severe")
                            or record.comorbidities.falls is True
                            or (organs.weight_loss_percent or 0) >= 5)
    weeks = 3 if starting else 6 if active else (
        (13 if ibm_problems else 39) if ibm else 16)
    if record.months_since_onset <= NEW_DISEASE_MONTHS and not ibm:
        # a diagnosis of the last 6 months is not yet 'stable' for scheduling, whatever the
        # latest visit shows (specialist review T: diagnosed 3 weeks ago, next review in 3 months)
        weeks = min(weeks, 6)
    # an urgent item open (severe dysphagia, a renal crisis...) brings the review forward:
    # specialist review X: IBM with urgent dysphagia and falls was given a date 9 months away
    soon = urgent_open and weeks > 6
    if soon:
        weeks = 6
    # an urgent item beside active disease is followed within 2 weeks, not at the routine 4-8
    # (specialist review Z3b: 'every 4-8 weeks' beside an inpatient RP-ILD and a tube-fed child)
    pressing = urgent_open and (active or starting) and weeks > 2
    if pressing:
        weeks, soon = 2, False
    # IBM with a glucocorticoid still being tapered (started elsewhere): seen within 6 weeks
    # while it is withdrawn (specialist review J: a review 9 months away during the taper)
    ibm_taper = ibm and any(t.therapy == "glucocorticoids_oral" and t.stop is None
                            and t.outcome in ("ongoing", "unknown") for t in record.treatments)
    if ibm_taper and weeks > 6:
        weeks, soon = 6, True
    if review_weeks is not None and weeks > review_weeks:
        weeks, soon = review_weeks, False
    due = _due(last_visit, weeks, today, "due now (no visit with core set measures recorded)")
    routine = ("Function (IBM-FRS), strength, swallowing, FVC and falls every 6-12 months."
               if ibm else "Review within 2-4 weeks with the work-up results (strength, "
              "swallowing, breathing, enzymes); sooner if weakness, swallowing or breathing "
              "worsen." if unclassified and starting else
              ("Core set (CMAS, enzymes, physician and parent globals, CHAQ, skin score; "
               "MMT-8 once the child can cooperate, from about 5) " if record.age_years() < 5
               else "Core set (CMAS and MMT-8, enzymes, physician and parent or patient globals, "
               "CHAQ, skin score) " if record.age_years() < 18 else
               "Core set (MMT-8, enzymes, globals, HAQ, skin score) ")
              + ("within 2-4 weeks of starting or re-escalating treatment, then every 4-8 weeks "
                 "while active." if starting else "every 4-8 weeks while active." if active
                 else "every 3-6 months while stable."))
    out = [MonitoringItem(
        therapy="Disease activity",
        text=("Review within 4-8 weeks, once the urgent items above are acted on; then "
              + routine[0].lower() + routine[1:]) if soon else (
            "Within 1-2 weeks while urgent items are open; then " + routine[0].lower()
            + routine[1:])
        if pressing else routine,
        next_due=due, citations=["oldroyd2022_bsr", "oddis2005_imacs_trials"])]
    if state.of("lung") != "not_involved":
        lung_date = record.lung.date if record.lung is not None else None
        # in pregnancy the breathing reserve falls as it advances: every 4-6 weeks, not 3-6
        # months (specialist review X: the next test fell at 35 weeks' gestation)
        pregnant = record.is_pregnant()
        # a lung that is active or failing treatment is seen within 6 weeks (review U: falling
        # DLCO with suspected pulmonary hypertension given a date 4 months away)
        lung_active = state.of("lung") in ("active", "inadequate_response", "flare",
                                           "new_onset")
        # anti-MDA5 ILD can turn rapidly progressive within weeks: every 2-4 weeks at first, as
        # the anti_mda5_ild_untreated rule says (re-score of review V: three intervals)
        mda5 = Antibody.MDA5 in record.all_antibodies().positive()
        lung_weeks = 1 if rapid_lung else 3 if mda5 and lung_active else 6 if pregnant \
            or lung_active else 16
        lung_due = _due(lung_date, lung_weeks, today, NO_LUNG_DATE)
        out.append(MonitoringItem(
            therapy="Lung",
            text=("Rapidly progressive ILD: oxygen saturation daily, and ferritin, lung function "
                  "and chest imaging every 1-2 weeks in hospital until stable; exclude infection "
                  "(PJP, CMV) before and during escalation." if rapid_lung else
                  "In pregnancy: spirometry and oxygen saturation every 4-6 weeks with the "
                  "respiratory and obstetric teams." if pregnant else
                  "Anti-MDA5 lung disease: ferritin, FVC and DLCO with oxygen saturation at rest "
                  "and on exertion every 2-4 weeks over the first months, then every 3-6 months "
                  "once stable." if lung_weeks == 3 else
                  "FVC and DLCO within 6 weeks and every 1-3 months while the lung is active or "
                  "treatment is starting, then every 3-6 months once stable; HRCT when function "
                  "falls." if lung_weeks == 6 else
                  "FVC and DLCO every 3-6 months; HRCT when function falls."),
            next_due=lung_due, citations=["johnson2024_acrchest_ild_screening"]))
    elif ild_risk_antibody(record):
        # no ILD yet, but an antisynthetase or anti-MDA5 antibody: lung function keeps being
        # watched after the first year (ACR/CHEST 2023 screening; specialist review M)
        lung_date = record.lung.date if record.lung is not None else None
        # in the first year, and with anti-MDA5 (rapidly progressive ILD mostly comes in the
        # first 6 months), every 3 months, as the flag says (specialist review W: anti-MDA5
        # with skin ulcers given a date 9 months away)
        mda5 = Antibody.MDA5 in record.all_antibodies().positive()
        early = record.months_since_onset < 12 or mda5
        # anti-MDA5 in its first 6 months: every 4-6 weeks (review C: ferritin 980, ulcers and
        # a cough given a date 3 months away); expert practice, no guideline interval
        first_months = mda5 and record.months_since_onset < 6
        weeks = 6 if first_months else 13 if early else 39
        due = _due(lung_date, weeks, today, NO_LUNG_DATE)
        # no HRCT recorded: the baseline comes first (re-score of specialist review Z37b P7:
        # 'without ILD on HRCT' for a lung never imaged)
        imaged = any(m.hrct_pattern is not None for m in record.lung_series()) or (
            record.lung is not None and record.lung.hrct_pattern is not None)
        out.append(MonitoringItem(
            therapy="Lung",
            text=("Anti-MDA5, lung not yet imaged: a baseline HRCT and lung function with DLCO "
                  "now; after a normal baseline, FVC, DLCO, oxygen saturation and ferritin every "
                  "4-6 weeks for the first 6 months."
                  if mda5 and not imaged else
                  "Anti-MDA5 without ILD on HRCT, first 6 months: FVC, DLCO, oxygen saturation "
                  "at rest and on exertion and ferritin every 4-6 weeks (expert practice; rapidly "
                  "progressive ILD mostly comes in this time), HRCT at once on a fall or new "
                  "breathlessness or cough; then every 3 months for the first year."
                  if first_months else
                  "ILD-risk antibody without ILD, first year or anti-MDA5: FVC and DLCO every 3 "
                  "months (with oxygen saturation at rest and on exertion, and ferritin in "
                  "anti-MDA5), and HRCT at once on a fall or new breathlessness or cough."
                  if early else
                  "ILD-risk antibody without ILD: FVC and DLCO every 6-12 months, and HRCT on "
                  "a fall or new breathlessness or cough."),
            next_due=due, citations=["johnson2024_acrchest_ild_screening"]))
    return out


def ild_risk_antibody(record: PatientRecord) -> bool:
    return bool(confirmed_positive(record) & (ANTISYNTHETASE | {Antibody.MDA5}))


def _retinal_due(record: PatientRecord, kidney_failure: bool) -> str:
    """The hydroxychloroquine check is the retinal examination, not the blood tests: yearly
    after 5 years, or from the start with a risk factor (above 5 mg/kg/day, eGFR below 60,
    tamoxifen - specialist review Z69a P4: screening deferred to year 5 beside tamoxifen); a
    baseline examination in the first year otherwise (AAO 2016 and 2025)."""
    today = record.on()
    per_kg, years, _ = hcq_course(record)
    exams = retinal_exams(record)
    egfr = record.latest_lab("egfr")
    at_risk = (years is not None and years >= 5) or (per_kg is not None and per_kg > 5) or (
        egfr is not None and egfr.value < 60) or kidney_failure
    tamoxifen = tamoxifen_taken(record) is True
    if at_risk or tamoxifen:
        return _due(exams[-1] if exams else None, 52, today,
                    "due now (no retinal examination recorded)") + " (retinal examination" + (
            "; tamoxifen is a risk factor: yearly from the start)" if tamoxifen else ")")
    course = next((t.start for t in record.treatments
                   if t.therapy == "hydroxychloroquine" and t.start), None)
    yearly_from = course + dt.timedelta(days=round(5 * 365.25)) if course else None
    if not exams:
        # a baseline missed years ago is due now, not 'within the first year' (review U: 3-4
        # years into hydroxychloroquine)
        if years is None or years < 1:
            return "baseline retinal examination within the first year of treatment"
        return ("baseline retinal examination not recorded: arrange it now"
                + (f", then yearly from {yearly_from.isoformat()}" if yearly_from else ""))
    return ("yearly retinal examination from " + yearly_from.isoformat()) if yearly_from \
        else _due(exams[-1], 52, today, "") + " (retinal examination)"


def monitoring(record: PatientRecord, current: frozenset[str], kb: KnowledgeBase,
               state: DiseaseState | None = None, held: frozenset[str] = frozenset(),
               reviewing: frozenset[str] = frozenset(),
               complications: frozenset[str] = frozenset(),
               phenotypes: tuple[str, ...] = (),
               kidney_failure: bool = False,
               urgent_open: bool = False,
               review_weeks: int | None = None,
               heart_failure: bool = False) -> list[MonitoringItem]:
    today = record.on()
    lab_dates = [r.date for r in record.lab_results if r.analyte in MONITOR_LABS]
    lab_dates += [v.date for v in record.visits if v.labs.enzymes]
    last = max(lab_dates) if lab_dates else None
    out = []
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None or not therapy.monitoring or therapy_id not in MONITOR_WEEKS:
            continue
        weeks = MONITOR_WEEKS.get(therapy_id, 12)
        started = [t.start for t in record.treatments if t.therapy == therapy_id and t.start]
        days_on = (today - max(started)).days if started else None
        if days_on is not None and days_on < 12 * 7 and therapy_id in EARLY_FORTNIGHTLY:
            weeks = 2  # BSR DMARD monitoring: every 2 weeks until on a stable dose
        elif days_on is not None and days_on < 26 * 7 and therapy_id in EARLY_FORTNIGHTLY:
            weeks = 4  # then monthly for 3 months before 12-weekly (BSR 2017; review O)
        trough = record.latest_lab("tacrolimus_trough") if therapy_id == "tacrolimus" else None
        if therapy_id == "hydroxychloroquine":
            due = _retinal_due(record, kidney_failure)
        elif therapy_id == "rituximab":
            # the record holds the course start, not each infusion: tie the check to the cycle
            due = "before the next cycle (IgG, IgM, IgA and infection review)"
        elif trough is not None and trough.value >= TROUGH_RECHECK_NG_ML:
            # the do-now line asks for a recheck in 3-7 days: the table agrees (review S)
            due = ("by " + (trough.date + dt.timedelta(days=7)).isoformat()
                   + " (trough above range: trough, creatinine and potassium)")
        elif trough is not None and trough.value < TROUGH_LOW_NG_ML \
                and record.comorbidities.solid_organ_transplant is not True:
            # as the tacrolimus_trough_low rule: repeat within 1-2 weeks (review V), every 2-3
            # days in RP-ILD or with an urgent line open (specialist review Z36b P8: 'by' two
            # weeks away beside 'every 2-3 days in rapidly progressive ILD')
            acute = "rp_ild" in complications or urgent_open
            # a trough drawn before steady state is repeated first, not acted on (re-score of
            # specialist review Z38d P1)
            early = tacrolimus_trough_early(record) is True
            due = ("by " + (max(trough.date, today) + dt.timedelta(days=3 if acute else 14))
                   .isoformat() + (" (trough drawn before steady state: repeat it before any "
                                   "dose change)" if early else
                                   " (trough below range: repeat after the dose is adjusted"
                                   + (", every 2-3 days until in range)" if acute else ")")))
        elif therapy_id in ("tacrolimus", "ciclosporin") \
                and "azole_antifungal" in record.other_medicines:
            # the calcineurin_azole_recheck rule asks for a recheck within a week: the table
            # agrees (specialist review V: "next by" 12 weeks away on posaconazole)
            due = ("by " + (today + dt.timedelta(days=7)).isoformat()
                   + " (azole taken: trough, creatinine and potassium, then weekly while on it)")
        elif therapy_id in ("tacrolimus", "ciclosporin") and (
                "rp_ild" in complications or (urgent_open and not record.is_pregnant())):
            # acutely ill (RP-ILD, an urgent line open), often with new interacting or
            # kidney-toxic drugs: the trough within days (specialist review V: 'next by' 12
            # weeks away in anti-MDA5 RP-ILD starting valganciclovir and co-trimoxazole)
            due = ("by " + (today + dt.timedelta(days=7)).isoformat()
                   + " (acute illness: trough, creatinine and potassium, then weekly)")
        elif therapy_id in ("tacrolimus", "ciclosporin") and record.is_pregnant():
            # levels fall as pregnancy advances (specialist review W: 'next by' 12 weeks away at
            # 10 weeks' gestation in anti-MDA5 ILD)
            due = ("by " + (today + dt.timedelta(days=28)).isoformat()
                   + " (pregnancy: trough, blood pressure, creatinine, potassium and glucose "
                   "every 2-4 weeks)")
        elif therapy_id in reviewing:
            # a drug a rule puts under review now (trimethoprim with methotrexate) is checked
            # within a week, as the Do now line asks (re-score of review U: next bloods dated
            # 12 weeks away beside 'blood count now and in 5-7 days')
            due = "by " + (today + dt.timedelta(days=7)).isoformat() + " (under review now)"
        else:
            due = _due(last, weeks, today, "due now (no monitoring result recorded)")
        text = " ".join(m.text for m in therapy.monitoring
                        if m.first_months is None or days_on is None
                        or days_on <= m.first_months * 30.4)
        if therapy_id in held:
            # still taken until it is stopped: its checks run until then, and the blood count
            # until it recovers (specialist review S: azathioprine with lymphocytes 0.4 lost its
            # monitoring line the moment the plan said 'stop'); dated within a week, as the
            # stop is (re-score of review T: a stopped drug's row dated three months away)
            # (specialist review Z72b P1, P2 and P8: 'keep these checks until it is stopped'
            # read as garbled beside a hold, and IVIG does not lower the blood count)
            text = ("Held or being stopped: these checks go on until the team decides its "
                    "restart or replacement" + ("" if therapy.category == "immunoglobulin"
                                                else ", and the blood count until it recovers")
                    + ". " + text)
            due = "by " + (today + dt.timedelta(days=7)).isoformat() + " (held or being stopped)"
        if kidney_failure or heart_failure:
            # no pre-hydration on dialysis (review U) or with heart failure (review Z10d)
            text = HYDRATION.sub("", text)
        if record.age_years() >= FERTILITY_AGE_LIMIT and "fertility" in text:
            # no fertility preservation for a man of 78 (specialist review V)
            text = "; ".join(p for p in text.split("; ") if "fertility" not in p.lower())
            text = text if text.endswith(".") else text + "."
        out.append(MonitoringItem(
            therapy=therapy.name, text=text,
            next_due=due, citations=list(dict.fromkeys(k for m in therapy.monitoring
                                                       for k in m.sources))))
    return _disease_monitoring(record, state, rapid_lung="rp_ild" in complications,
                               ibm="ibm" in phenotypes, unclassified=not phenotypes,
                               urgent_open=urgent_open, review_weeks=review_weeks) + out

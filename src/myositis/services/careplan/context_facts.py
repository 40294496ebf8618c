"""Facts about the patient's circumstances rather than the disease: goals and ceiling of care,
capacity, mental health, an operation or a trip planned, vaccines given, what the patient
declines. An empty list in the record is 'none recorded', so its fact is unknown.
"""

from __future__ import annotations

import re

from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import LIVE_VACCINES
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.record_readers import as_set, critical_illness, end_of_life

TREATING_PROCEDURE = re.compile(
    r"gastrostom|\bPEG\b|\bRIG\b|jejunostom|feeding tube|nasogastric|tracheostom|"
    r"central line|\bPICC\b|port|biopsy|cricopharyngeal|myotomy|dilatation|dialysis access|"
    r"fistula", re.IGNORECASE)
"""Procedure words for an operation that treats the myositis or its consequences (a swallow, an
airway, access for treatment, the diagnosis): it is planned around the disease, not postponed
for it."""


CANCER_PROCEDURE = re.compile(
    r"carcinoma|cancer|tumou?r|malignan|neoplas|sarcoma|melanoma|lymphoma|metasta",
    re.IGNORECASE)
"""Procedure words for an operation on a cancer."""


def cancer_surgery_planned(record: PatientRecord) -> bool | None:
    """The operation planned is on a cancer: recorded as a planned cancer operation with an
    active cancer, or named so. Removing the tumour may be what controls a cancer-associated
    myositis, so it is planned around the disease, not postponed for it (specialist review
    Z41a P4: 'postpone it ... until the disease is controlled' for a curative hemicolectomy in
    anti-TIF1-gamma DM). None when no operation is recorded."""
    if record.surgery is None:
        return None
    named = bool(record.surgery.procedure and CANCER_PROCEDURE.search(record.surgery.procedure))
    # a Mohs excision of a local skin cancer is not cancer surgery for the myositis (specialist
    # review Z61d P1: 'removing the tumour brings the myositis under control' for a scalp SCC)
    recorded = record.cancer.internal_active_cancer() is True and any(
        t.kind == "surgery" and t.status in ("planned", "ongoing") for t in record.cancer.treatment)
    return named or recorded


def context_facts(record: PatientRecord) -> Facts:
    """The circumstance facts of the vocabulary."""
    return {
        # frailty or a ceiling of treatment: each test is weighed for its burden (specialist
        # review Z39d P7: urgent CT and endoscopy for a frail woman of 83 with dementia)
        # recorded goals that set no limit read as False; nothing recorded stays unknown
        "limited_goals": (True if record.care_goals.severely_frail()
                          or record.care_goals.treatment_ceiling in ("ward_based", "comfort")
                          else False if record.care_goals.frailty_scale is not None
                          or record.care_goals.treatment_ceiling is not None else None),
        "influenza_vaccine_within_year": any(
            v.vaccine == "influenza" and v.date is not None
            and (record.on() - v.date).days <= 366 for v in record.vaccinations),
        "bipolar_disorder": record.mental_health.bipolar_disorder,
        "psychosis_on_glucocorticoids": record.mental_health.psychosis_on_glucocorticoids,
        "depression": record.mental_health.depression,
        "suicide_risk": record.mental_health.suicide_risk,
        "covid_vaccine_within_year": any(
            v.vaccine == "covid19" and v.date is not None
            and (record.on() - v.date).days <= 366 for v in record.vaccinations),
        # an empty list is 'nothing declined recorded', which is what it means here
        "declined": frozenset(record.preferences.declines),
        "pjp_prophylaxis": record.prophylaxis.pjp,
        # recorded allergies; an empty list is 'none recorded', so the fact is unknown
        "allergies": frozenset(record.allergies) if record.allergies else None,
        "vaccinations": as_set(v.vaccine for v in record.vaccinations),
        "treatment_ceiling": record.care_goals.treatment_ceiling,
        "frailty_scale": (float(record.care_goals.frailty_scale)
                          if record.care_goals.frailty_scale is not None else None),
        "end_of_life": end_of_life(record),
        "prognosis": record.care_goals.prognosis,
        "critical_illness": critical_illness(record),
        "lacks_capacity": record.care_goals.lacks_capacity,
        "decision_maker": record.care_goals.decision_maker or None,
        # days until a planned operation (negative: done that many days ago)
        "surgery_days": (None if record.surgery is None
                         else (record.surgery.date - record.on()).days),
        "surgery_elective": None if record.surgery is None else record.surgery.elective,
        # a procedure that treats the disease or its consequence (a feeding tube, an airway, a
        # line, a biopsy) is not postponed for the disease (specialist review Z34a P8: a PEG
        # for severe dysphagia told to wait until the disease was controlled)
        "surgery_treats_disease": None if record.surgery is None or not record.surgery.procedure
        else bool(TREATING_PROCEDURE.search(record.surgery.procedure))
        or cancer_surgery_planned(record) is True,
        "cancer_surgery_planned": cancer_surgery_planned(record),
        "cardiotoxic_cancer_therapy": True if record.cancer.cardiotoxic_therapy() else None,
        # chemotherapy planned or under way (a completed course, or none recorded, is unknown)
        # a checkpoint inhibitor booked but not yet taken (specialist review Z57a P2 and P8)
        "checkpoint_inhibitor_planned": True if any(
            t.kind == "immune_checkpoint_inhibitor" and t.status == "planned"
            for t in record.cancer.treatment)
        and "immune_checkpoint_inhibitor" not in record.other_medicines else None,
        "cancer_chemotherapy": True if any(
            t.kind == "chemotherapy" and t.status in ("planned", "ongoing")
            for t in record.cancer.treatment) else None,
        # a trip abroad: recorded (true), or unknown - never "no trip" for an empty field
        "travel_planned": True if record.travel is not None else None,
        "travel_days": (float((record.travel.depart - record.on()).days)
                        if record.travel is not None and record.travel.depart is not None
                        else None),
        # departure within 6 weeks: the usual 6-8 weeks' notice for the travel clinic has gone
        # (specialist review Z52b: '6-8 weeks before' for a flight in 19 days)
        "travel_within_6_weeks": (
            None if record.travel is None or record.travel.depart is None
            else 0 <= (record.travel.depart - record.on()).days < 42),
        "yellow_fever_area": None if record.travel is None else record.travel.yellow_fever_area,
        "malaria_area": None if record.travel is None else record.travel.malaria_area,
        # days since the latest live vaccine (a future date is no vaccine given yet)
        "live_vaccine_days": min(((record.on() - v.date).days for v in record.vaccinations
                                  if v.vaccine in LIVE_VACCINES and v.date <= record.on()),
                                 default=None),
        # one yellow fever dose is valid for life on the entry certificate (specialist review
        # Z52b P3: an exemption letter advised for a man vaccinated in 2008)
        "yellow_fever_vaccinated": True if any(
            v.vaccine == "yellow_fever" and v.date <= record.on()
            for v in record.vaccinations) else None,
        # an osteoporosis drug on the medicine list is bone protection (re-score of specialist
        # review Z53a P6: 'an anabolic agent first' beside denosumab)
        "bone_protection": True if {"denosumab", "bisphosphonate", "bone_anabolic"}
        & set(record.other_medicines) else record.prophylaxis.bone_protection,
    }


__all__ = ["CANCER_PROCEDURE", "TREATING_PROCEDURE", "cancer_surgery_planned", "context_facts"]

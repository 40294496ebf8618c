"""A SYNTHETIC demo clinic: a few dozen invented patients with multi-year courses.

Deterministic (seeded), built from the care-plan scenario profiles with varied ages, onset
dates and response trajectories. No real person is described.
"""

from __future__ import annotations

import datetime as dt
import random

from pydantic import BaseModel

from myositis.domain.labs import Enzyme, EnzymeResult, Labs
from myositis.domain.patient import Medication
from myositis.domain.record_sections import LabResult
from myositis.services.records import LungMeasure, PatientIn, PatientProfile, VisitIn
from myositis.services.scenarios import load_scenarios

CK_ULN = 200.0


def _trajectory(rng: random.Random, responder: bool, visits: int) -> list[float]:
    """Disease activity from 1.0 (baseline) towards a floor, with noise; flat for non-responders."""
    floor = rng.uniform(0.1, 0.35) if responder else rng.uniform(0.75, 1.0)
    rate = rng.uniform(0.25, 0.6)
    values = []
    for i in range(visits):
        level = floor + (1 - floor) * (1 - rate) ** i
        values.append(max(0.0, min(1.2, level + rng.uniform(-0.06, 0.06))))
    return values


def demo_clinic(count: int = 36, today: dt.date | None = None,
                seed: int = 20261121) -> list[tuple[PatientIn, list[VisitIn]]]:
    rng = random.Random(seed)
    today = today or dt.date.today()
    scenarios = load_scenarios()
    clinic: list[tuple[PatientIn, list[VisitIn]]] = []
    for index in range(count):
        scenario = scenarios[index % len(scenarios)]
        years = rng.uniform(0.8, 5.0)
        onset = today - dt.timedelta(days=int(years * 365.25) + rng.randint(30, 120))
        age = scenario.classification.age_at_onset
        age = max(2.0, min(85.0, age + (rng.randint(-6, 6) if age >= 18 else rng.randint(-2, 3))))
        age = max(18.0, age) if scenario.classification.age_at_onset >= 18 else min(17.0, age)
        classification = scenario.classification.model_copy(update={"age_at_onset": age})
        profile = PatientProfile.model_validate({
            **scenario.model_dump(include={"skin", "systemic", "antibodies",
                                           "necrotising_biopsy", "statin_exposure",
                                           "skin_refractory", "persistent_high_activity",
                                           "comorbidities", "workup_done"}),
            "classification": classification.model_dump(),
        })
        patient = PatientIn(pseudonym=f"SYN-{index + 1:03d}", synthetic=True,
                            sex=scenario.sex, symptom_onset=onset, profile=profile)
        ibm = "IBM" in scenario.label
        responder = not ibm and rng.random() < 0.75
        first = onset + dt.timedelta(days=rng.randint(20, 90))
        n_visits = max(2, int((today - first).days / 91))
        activity = _trajectory(rng, responder, n_visits)
        base_ck = rng.uniform(800, 9000) if classification.elevated_muscle_enzymes else 150
        visits = []
        for i, level in enumerate(activity):
            date = first + dt.timedelta(days=91 * i + rng.randint(-7, 7))
            if date > today:
                break
            decline = 0.004 * i if ibm else 0.0
            mmt = round(max(20.0, min(80.0, 80 - 30 * level - 400 * decline)))
            gc = 0.0 if ibm else round(max(0.0, 60 * level - 5 * i), 1) if i < 12 else 5.0
            meds = [] if ibm else [
                Medication(therapy="glucocorticoids_oral", start=first, outcome="ongoing"),
                Medication(therapy="methotrexate" if i == 0 or responder else "ivig",
                           start=first, outcome="ongoing" if responder else "ineffective"),
            ]
            visits.append(VisitIn(
                date=date,
                physician_global=round(min(10, 7 * level), 1),
                patient_global=round(min(10, 6.5 * level + rng.uniform(0, 1)), 1),
                extramuscular_global=round(min(10, 4 * level), 1),
                mmt8=mmt, mmt_max=80,
                haq=round(min(3.0, 1.8 * level) * 8) / 8,
                cdasi_activity=None if ibm else round(min(100, 28 * level)),
                cdasi_damage=None if ibm else min(32, 2 + i // 4),
                glucocorticoid_mg_per_day=gc,
                labs=Labs(enzymes={Enzyme.CK: EnzymeResult(
                    value=round(max(60.0, base_ck * level ** 1.5)), uln=CK_ULN)}),
                medications=meds if i == 0 else [],
                notes="SYNTHETIC demo visit",
            ))
        if index % 12 == 5 and len(visits) >= 3:  # a flare at the latest visit, to be seen
            last = visits[-1]
            visits[-1] = last.model_copy(update={
                "physician_global": min(10.0, (last.physician_global or 1.0) + 2.5),
                "mmt8": max(20.0, (last.mmt8 or 76) - 8),
                "glucocorticoid_mg_per_day": (last.glucocorticoid_mg_per_day or 5.0) + 10,
                "labs": Labs(enzymes={Enzyme.CK: EnzymeResult(value=900, uln=CK_ULN)}),
                "notes": "SYNTHETIC demo visit: weaker for 3 weeks, prednisone raised"})
        clinic.append((patient, visits))
    return clinic


def demo_entries(patient: PatientIn, visits: list[VisitIn]) -> list[tuple[str, BaseModel]]:
    """Record entries of a SYNTHETIC demo patient: safety bloods at the latest visit and, with
    ILD, lung function at the first and latest visits."""
    if not visits:
        return []
    last = visits[-1].date
    out: list[tuple[str, BaseModel]] = [
        ("lab_results", LabResult(analyte="egfr", value=88, unit="mL/min/1.73m2", date=last)),
        ("lab_results", LabResult(analyte="alt", value=28, unit="U/L", uln=40, date=last)),
        ("lab_results", LabResult(analyte="crp", value=4, unit="mg/L", uln=5, date=last)),
    ]
    if patient.profile.systemic.interstitial_lung_disease:
        out += [("lung_measures", LungMeasure(date=visits[0].date, fvc_percent_predicted=68,
                                              dlco_percent_predicted=52, hrct_pattern="nsip")),
                ("lung_measures", LungMeasure(date=last, fvc_percent_predicted=79,
                                              dlco_percent_predicted=61, hrct_pattern="nsip",
                                              course="stable"))]
    return out

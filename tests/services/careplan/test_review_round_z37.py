"""Findings of blind specialist review Z37 (SYNTHETIC patients): the emergency department and
acute take, dermatology, nephrology and dialysis, and primary-care shared care."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan


def _line(plan: Any, code: str) -> str:
    return next(a.text for a in plan.do_now if a.code == code)


def _regimen(plan: Any, domain: str) -> Any:
    return next(r for r in plan.regimens if r.domain == domain)


def test_a_kidney_injury_keeps_ivig_for_a_threatened_organ_with_renal_precautions() -> None:
    # Z37c P2 (dangerous): IVIG withheld and plasma exchange named the rescue in anti-HMGCR
    # myopathy with a kidney injury and a planned IVIG course
    aki = [lab("creatinine", 90, "umol/L", date="2026-10-01"), lab("creatinine", 200, "umol/L")]
    plan = make_plan(organs={"respiratory_muscle_weakness": True}, lab_results=aki,
                     antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "imnm"},
                     planned_treatments=[{"therapy": "ivig", "start": "2026-12-03"}])
    assert "ivig" not in {w.therapy for w in plan.withheld}
    assert "planned_course_barred_ivig" not in do_now(plan)
    assert "sucrose-free" in _line(plan, "planned_course_checks_ivig")
    assert not any("plasma exchange is the rescue" in a.text for a in plan.do_now)


_IBM: dict[str, Any] = {
    "sex": "male", "date_of_birth": "1945-05-01", "months_since_onset": 96,
    "classification": {"age_at_onset": 73},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "antibodies": {"cn1a": {"status": "positive"}, "mi2": {"status": "negative"}},
    "diagnosis": {"subgroup": "ibm", "confirmed_on": "2019-01-10"},
    "biopsy": {"rimmed_vacuoles": True, "endomysial_infiltrate": True},
    "ibm_pattern": {"knee_extension_weaker_or_equal_hip_flexion": True,
                    "finger_flexion_weaker_than_shoulder_abduction": True,
                    "weakness_duration_months": 96},
    "labs": {"enzymes": {"ck": {"value": 6500, "uln": 200}}},
    "lab_results": [lab("ck", 600, "U/L", 200, date="2026-05-01"),
                    lab("ck", 6500, "U/L", 200, date="2026-11-30")],
    "reproduction": {"pregnant": None, "planning_conception": None, "breastfeeding": None}}


def test_a_ck_spike_after_a_long_lie_does_not_overturn_a_confirmed_ibm() -> None:
    # Z37a P6 (dangerous): biopsy-proven IBM 'not followed' at 32 x ULN after a long lie, and a
    # statin line to 'treat the myositis today'
    plan = make_plan(**_IBM, organs={"dysphagia": "severe"},
                     other_medicines=["statin", "macrolide_antibiotic"])
    assert plan.diagnosis is not None and "ibm" in plan.diagnosis.followed
    assert not any("fails ENMC 2011" in e for e in plan.diagnosis.explanation)
    assert "statin_held_myositis_treated_on_its_signs" not in do_now(plan)
    not_ibm = make_plan(organs={"dysphagia": "severe"},
                        other_medicines=["statin", "macrolide_antibiotic"],
                        labs={"enzymes": {"ck": {"value": 6500, "uln": 200}}},
                        antibodies={"hmgcr": {"status": "negative"}, "mi2": {"status": "positive"}})
    assert "statin_held_myositis_treated_on_its_signs" in do_now(not_ibm)
    # with no baseline CK the biopsy and anti-cN1A still hold the diagnosis (re-score of Z37a)
    spike_only = make_plan(**{**_IBM, "lab_results": [lab("ck", 6500, "U/L", 200)]})
    assert spike_only.diagnosis is not None and "ibm" in spike_only.diagnosis.followed
    unsupported = make_plan(**{**_IBM, "lab_results": [lab("ck", 6500, "U/L", 200)],
                               "biopsy": None, "antibodies": {"mi2": {"status": "negative"}}})
    assert unsupported.diagnosis is not None and any(
        "fails ENMC 2011" in e for e in unsupported.diagnosis.explanation)


def test_respiratory_muscle_weakness_in_pregnancy_or_infection_names_ivig_not_rituximab() -> None:
    # Z37a P4 (dangerous): 'early IVIG or rituximab' at 28 weeks with an aspiration pneumonia
    weak = {"respiratory_muscle_weakness": True}
    pregnant = make_plan(organs=weak, reproduction={"pregnant": True, "gestation_weeks": 28})
    assert "early IVIG or rituximab" not in _line(pregnant, "respiratory_muscle_weakness")
    assert "rituximab in pregnancy only for life-threatening" in _line(
        pregnant, "respiratory_muscle_weakness")
    infected = make_plan(organs=weak, comorbidities={"active_infection": True})
    assert "rituximab only once the infection is treated" in _line(
        infected, "respiratory_muscle_weakness")
    assert "early IVIG or rituximab" in _line(make_plan(organs=weak),
                                              "respiratory_muscle_weakness")


_STABLE_ILD: dict[str, Any] = {
    "systemic": {"interstitial_lung_disease": True},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "visits": [{"date": d, "core_set": {"physician_global": 1, "mmt8": 79, "mmt_max": 80,
                                        "extramuscular_global": 1},
                "glucocorticoid_mg_per_day": 7.5} for d in ("2026-06-01", "2026-11-20")],
    "labs": {"enzymes": {"ck": {"value": 150, "uln": 200}}},
    "lung_measures": [{"date": "2026-06-01", "fvc_percent_predicted": 78, "hrct_pattern": "nsip",
                       "course": "stable"},
                      {"date": "2026-11-20", "fvc_percent_predicted": 79, "hrct_pattern": "nsip",
                       "course": "stable"}],
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2024-01-01", "dose_value": 7.5,
                    "dose_unit": "mg/day", "outcome": "ongoing"},
                   {"therapy": "mycophenolate", "start": "2024-01-01", "dose_value": 2000,
                    "dose_unit": "mg/day", "outcome": "ongoing"}]}


def test_no_glucocorticoid_taper_while_rifampicin_is_taken() -> None:
    # Z37d P7 (dangerous): 'taper to the lowest dose' at 5 mg/day two weeks into rifampicin
    plain = make_plan(**_STABLE_ILD, months_since_onset=36)
    assert any(e.startswith("Taper glucocorticoids") for r in plain.regimens
               for e in r.first_choice)
    on_rif = make_plan(**_STABLE_ILD, months_since_onset=36, other_medicines=["rifampicin"])
    first = [e for r in on_rif.regimens for e in r.first_choice]
    assert not any(e.startswith("Taper glucocorticoids") for e in first)
    assert any(e.startswith("Raise glucocorticoids to about twice this dose") for e in first)
    assert not any("taper glucocorticoids" in r.decision_point and "enzyme inducer" not in
                   r.decision_point for r in on_rif.regimens)


def test_a_flare_in_established_disease_is_not_given_a_new_induction_dose() -> None:
    # Z37d P8 (dangerous): 'raise to 0.5-1 mg/kg/day' for a mild postpartum flare 23 months in
    low = [{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
            "start": "2026-11-15", "outcome": "ongoing"}]
    late = make_plan(treatments=low, weight_kg=70, months_since_onset=23)
    muscle = " ".join(_regimen(late, "muscle").first_choice)
    assert "not a new induction dose" in muscle and "raise to 0.5-1" not in muscle
    early = make_plan(treatments=low, weight_kg=70, months_since_onset=3)
    assert "raise to 0.5-1" in " ".join(_regimen(early, "muscle").first_choice)


def test_a_penicillin_allergy_is_named_in_the_sepsis_antibiotics() -> None:
    # Z37a P2: neutropenic sepsis with a recorded penicillin allergy never used
    sick = {"systemic": {"fever": True}, "lab_results": [lab("neutrophils", 0.4, "10^9/L")],
            "treatments": [{"therapy": "methotrexate", "start": "2025-01-01",
                            "outcome": "ongoing"}]}
    allergic = make_plan(**sick, allergies=["penicillin"])
    assert "penicillin allergy recorded" in _line(allergic, "febrile_neutropenia")
    assert "penicillin allergy" not in _line(make_plan(**sick), "febrile_neutropenia")


def test_anti_mda5_with_no_hrct_asks_for_one_urgently() -> None:
    # Z37b P7: anti-MDA5 amyopathic DM, no HRCT ever, nothing on the lung in Do now
    mda5 = {"antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}}}
    assert do_now(make_plan(**mda5)).get("mda5_lung_not_yet_imaged") == "urgent"
    imaged = make_plan(**mda5, lung_measures=[{"date": "2026-11-20", "hrct_pattern": "normal",
                                               "fvc_percent_predicted": 95}])
    assert "mda5_lung_not_yet_imaged" not in do_now(imaged)
    lung = next(m.text for m in make_plan(**mda5).monitoring if m.therapy == "Lung")
    assert lung.startswith("Anti-MDA5, lung not yet imaged")
    assert next(m.text for m in imaged.monitoring if m.therapy == "Lung").startswith(
        "Anti-MDA5 without ILD on HRCT")


def test_a_stage_3_kidney_injury_holds_ivig_for_the_kidney_team_not_plasma_exchange() -> None:
    # Z6b P4 kept: an oliguric injury (creatinine 92 to 298, CK 260 x ULN) holds IVIG until the
    # kidney team agrees; the urgent lines say so (no plasma-exchange rescue)
    plan = make_plan(organs={"dysphagia": "severe"},
                     lab_results=[lab("creatinine", 92, "umol/L", None, "2026-06-16"),
                                  lab("creatinine", 298, "umol/L", None, "2026-11-30"),
                                  lab("ck", 52000, "U/L", 200)])
    reason = next(w.reason for w in plan.withheld if w.therapy == "ivig")
    assert "only once the kidney team agrees" in reason and "plasma exchange is no" in reason


def test_dialysis_without_an_egfr_still_stops_methotrexate_urgently() -> None:
    # re-score of Z37c P1: with dialysis recorded but no eGFR, methotrexate fell to 'soon' and
    # the methotrexate with co-trimoxazole toxicity line disappeared
    mtx = {"therapy": "methotrexate", "start": "2025-01-01", "dose_value": 15,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    plan = make_plan(comorbidities={"dialysis": True}, lab_results=[], treatments=[mtx],
                     other_medicines=["co_trimoxazole"])
    codes = do_now(plan)
    assert codes.get("methotrexate_taken_egfr_below_30") == "urgent"
    assert codes.get("methotrexate_trimethoprim_toxicity") == "urgent"
    assert "eGFR unknown" not in _line(plan, "methotrexate_taken_egfr_below_30")
    assert "methotrexate_taken_egfr_below_30" not in do_now(make_plan(treatments=[mtx]))


def test_a_gastrostomy_for_a_patient_without_capacity_is_a_best_interests_decision() -> None:
    # re-score of Z37a P6: 'a gastrostomy discussed ... as the patient wishes' for a man who
    # lacks capacity
    plan = make_plan(**_IBM, care_goals={"lacks_capacity": True})
    muscle = " ".join(_regimen(plan, "muscle").first_choice)
    assert "best interests" in muscle and "as the patient wishes" not in muscle
    assert "as the patient wishes" in " ".join(_regimen(make_plan(**_IBM), "muscle").first_choice)


def test_a_high_inr_after_a_fall_asks_for_head_imaging_today() -> None:
    # re-score of Z37a P6: INR 5.8 on warfarin after a long lie, the head injury only 'soon'
    inr = [lab("inr", 5.8, "ratio")]
    fallen = make_plan(other_medicines=["warfarin"], comorbidities={"falls": True},
                       lab_results=inr)
    assert "CT head) today" in _line(fallen, "warfarin_inr_above_range")
    assert "CT head" not in _line(make_plan(other_medicines=["warfarin"], lab_results=inr),
                                  "warfarin_inr_above_range")

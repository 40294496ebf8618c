"""Open findings of specialist reviews U-Y fixed in December 2026 (second pass): a slowly
falling eGFR on methotrexate, a focal pneumonia read as Pneumocystis. SYNTHETIC patients
only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan

EGFR = "mL/min/1.73m2"
METHOTREXATE = [{"therapy": "methotrexate", "dose_value": 10, "dose_unit": "mg/week",
                 "start": "2025-06-01"}]


def test_egfr_falling_below_60_on_methotrexate_is_flagged() -> None:
    """X2 (wrong): eGFR 51 to 42 in five months on methotrexate 10 mg weekly, not mentioned
    (under the 30 % rule and under the renal dose ceiling)."""
    plan = make_plan(antibodies={"mi2": {"status": "positive"}}, diagnosis={"subgroup": "dm"},
                     months_since_onset=20, treatments=METHOTREXATE,
                     lab_results=[lab("egfr", 51, EGFR, None, "2026-06-01"),
                                  lab("egfr", 42, EGFR, None, "2026-11-20")])
    line = next(a.text for a in plan.do_now if a.code == "methotrexate_egfr_falling_below_60")
    assert "eGFR 42" in line


def test_a_stable_egfr_below_60_or_a_large_fall_is_not_this_rule() -> None:
    """The boundaries: a steady eGFR of 45 is the dose limit's business; a fall of 30 % or
    more belongs to the withholding rule."""
    steady = make_plan(treatments=METHOTREXATE,
                       lab_results=[lab("egfr", 46, EGFR, None, "2026-06-01"),
                                    lab("egfr", 45, EGFR, None, "2026-11-20")])
    assert "methotrexate_egfr_falling_below_60" not in do_now(steady)
    steep = make_plan(treatments=METHOTREXATE,
                      lab_results=[lab("egfr", 58, EGFR, None, "2026-06-01"),
                                   lab("egfr", 40, EGFR, None, "2026-11-20")])
    assert "methotrexate_egfr_falling_below_60" not in do_now(steep)
    assert "renal_decline_on_methotrexate" in do_now(steep)


PNEUMONIA = {"months_since_onset": 30, "diagnosis": {"subgroup": "dm"},
             "antibodies": {"tif1g": {"status": "positive"}},
             "systemic": {"fever": True, "dysphagia": True},
             "comorbidities": {"active_infection": True},
             "lung": {"oxygen": "at_rest", "course": "rapidly_progressive"},
             "prophylaxis": {"pjp": False},
             "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                             "start": "2025-01-01"},
                            {"therapy": "glucocorticoids_oral", "dose_value": 20,
                             "dose_unit": "mg/day", "start": "2026-06-01"}]}


def test_an_aspiration_pneumonia_is_not_treated_as_pneumocystis() -> None:
    """X2 (wrong): 'treat as possible Pneumocystis pneumonia' for a focal aspiration
    pneumonia in a woman with dysphagia."""
    focal = dict(PNEUMONIA, comorbidities={"active_infection": True,
                                            "infection_focus": "lung_focal"})
    codes = do_now(make_plan(**focal))
    assert "pjp_pneumonia_suspected" not in codes
    assert "focal_pneumonia_on_immunosuppression" in codes


def test_pneumocystis_stays_on_the_list_when_the_source_is_diffuse_or_unknown() -> None:
    for focus in (None, "lung_diffuse", "not_found"):
        comorbidities: dict[str, object] = {"active_infection": True}
        if focus:
            comorbidities["infection_focus"] = focus
        codes = do_now(make_plan(**dict(PNEUMONIA, comorbidities=comorbidities)))
        assert "pjp_pneumonia_suspected" in codes, focus
        assert "focal_pneumonia_on_immunosuppression" not in codes


def test_an_urgent_gastrostomy_is_not_timed_around_rituximab() -> None:
    """X2 (wrong): 'operate at the end of the dosing cycle (about 6 months after the last
    rituximab)' for an urgent gastrostomy in a woman who cannot swallow."""
    treatments = [{"therapy": "rituximab", "start": "2026-09-01", "stop": "2026-09-15"},
                  {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                   "start": "2026-06-01"}]
    urgent = do_now(make_plan(treatments=treatments, surgery={
        "date": "2026-12-03", "procedure": "gastrostomy", "elective": False}))
    assert "urgent_surgery_on_immunosuppression" in urgent
    assert "perioperative_plan" not in urgent
    planned = do_now(make_plan(treatments=treatments, surgery={
        "date": "2027-01-20", "procedure": "hip replacement", "elective": True}))
    assert "perioperative_plan" in planned
    assert "urgent_surgery_on_immunosuppression" not in planned


def test_pulses_just_given_are_not_proposed_again_without_their_date() -> None:
    """X2 (wrong): a second course of IV pulses proposed straight after the first, for severe
    dysphagia, with nothing to say that one had ended four days before."""
    base: dict[str, Any] = {
        "antibodies": {"mi2": {"status": "positive"}}, "diagnosis": {"subgroup": "dm"},
        "months_since_onset": 1, "organs": {"dysphagia": "severe"},
        "labs": {"enzymes": {"ck": {"value": 6000, "uln": 200}}}}
    oral = {"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
            "start": "2026-11-23"}
    pulses = {"therapy": "methylprednisolone_iv_pulse", "start": "2026-11-20",
              "stop": "2026-11-22"}
    muscle = next(r for r in make_plan(**base, treatments=[pulses, oral]).regimens
                  if r.domain == "muscle")
    line = next(e for e in muscle.first_choice if "methylprednisolone pulses" in e)
    assert "a course ended on 2026-11-22" in line
    fresh = next(r for r in make_plan(**base, treatments=[oral]).regimens
                 if r.domain == "muscle")
    assert not any("a course ended" in e for e in fresh.first_choice)


def test_a_working_diagnosis_other_than_myositis_gets_no_myositis_plan() -> None:
    """Y1 (wrong): a woman of 71 with polymyalgia on prednisolone 15 mg, CK normal, was given
    'muscle: active', a myositis work-up with biopsy and MRI, the mimic list and core-set
    reviews; the clinician's working diagnosis had no field."""
    from tests.services.careplan.test_review_y3 import UNCLASSIFIED

    pmr = make_plan(UNCLASSIFIED, diagnosis={"subgroup": "unclassified",
                                             "not_myositis": "polymyalgia rheumatica"},
                    comorbidities={"diabetes": True},
                    treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 15,
                                 "dose_unit": "mg/day", "start": "2026-11-01"}])
    assert pmr.regimens == [] and pmr.options == [] and pmr.workup == []
    assert pmr.diagnosis.mimics_to_exclude == []
    assert all(d.state == "not_involved" for d in pmr.state.domains)
    codes = do_now(pmr)
    assert "undiagnosed_myopathy_safety" not in codes
    assert "giop_older_or_falling" in codes  # the safety of what is taken stays
    assert not any(m.therapy == "Disease activity" for m in pmr.monitoring)
    assert "polymyalgia rheumatica" in " ".join(pmr.diagnosis.explanation)
    work_up = make_plan(UNCLASSIFIED)
    assert "undiagnosed_myopathy_safety" in do_now(work_up)
    assert work_up.workup


BLEED = {"antibodies": {"tif1g": {"status": "positive"}}, "diagnosis": {"subgroup": "dm"},
         "months_since_onset": 3, "other_medicines": ["nsaid", "antiplatelet"],
         "lab_results": [lab("haemoglobin", 128, "g/L", None, "2026-11-05"),
                         lab("haemoglobin", 74, "g/L", None, "2026-12-01")],
         "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 60,
                         "dose_unit": "mg/day", "start": "2026-11-06"}]}


def test_melaena_with_a_falling_haemoglobin_is_an_emergency() -> None:
    """Review Z1 P4 (dangerous): melaena, haemoglobin 128 to 74 on prednisolone 60 mg, naproxen
    and aspirin; the plan said only 'stop the NSAID if possible, or add a proton-pump
    inhibitor' and added azathioprine."""
    plan = make_plan(**BLEED, organs={"gut_symptoms": True})
    line = next(a for a in plan.do_now if a.code == "gi_bleeding_now")
    assert line.urgency == "urgent" and "endoscopy" in line.text
    assert "nsaid_with_glucocorticoid_no_gastroprotection" not in do_now(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add ") for e in muscle.first_choice)
    assert any(a.startswith("once the bleeding has stopped") for a in muscle.alternatives)
    recorded = make_plan(**dict(BLEED, lab_results=[]), organs={"gi_bleeding": True})
    assert "gi_bleeding_now" in do_now(recorded)


def test_a_falling_haemoglobin_on_bleeding_drugs_asks_about_bleeding() -> None:
    codes = do_now(make_plan(**BLEED))
    assert "haemoglobin_fall_with_bleeding_risk" in codes
    assert "gi_bleeding_now" not in codes
    steady = do_now(make_plan(**dict(BLEED, lab_results=[
        lab("haemoglobin", 128, "g/L", None, "2026-11-05"),
        lab("haemoglobin", 120, "g/L", None, "2026-12-01")])))
    assert "haemoglobin_fall_with_bleeding_risk" not in steady


def test_a_liver_injury_withholds_nintedanib_and_the_hepatotoxic_drugs() -> None:
    """Review Z2 P6 (dangerous): 'first choice Rituximab + add Nintedanib' two weeks after
    azathioprine jaundice, ALT 8.9 x ULN, bilirubin 2.1 x ULN."""
    injured = make_plan(lab_results=[lab("alt", 356, "U/L", 40), lab("bilirubin", 44, "umol/L", 21),
                                     lab("ck", 150, "U/L", 200)])
    assert "liver_injury_pattern" in do_now(injured)
    # every hepatotoxic option withheld for the liver, none offered
    withheld = {w.therapy for w in injured.withheld if "liver injury" in w.reason}
    assert "methotrexate" in withheld
    assert not {"methotrexate", "azathioprine", "nintedanib"} & {o.therapy for o in injured.options}
    muscle_alt = make_plan(lab_results=[lab("alt", 356, "U/L", 40), lab("bilirubin", 12, "umol/L", 21),
                                        lab("ck", 9000, "U/L", 200)])
    assert "liver_injury_pattern" not in do_now(muscle_alt)

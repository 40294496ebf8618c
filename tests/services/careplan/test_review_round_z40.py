"""Findings of specialist review round Z40 (myositis clinic, geriatric medicine, endocrinology and
bone, haematology), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import cautions, do_now, lab, make_plan


def _text(plan: CarePlan) -> str:
    return " ".join([a.text for a in plan.do_now]
                    + [e for r in plan.regimens
                       for e in (*r.first_choice, *r.alternatives, r.decision_point)])


def test_ivig_is_no_first_choice_within_weeks_of_a_clot() -> None:
    """Z40d P4 (dangerous): IVIG the first-choice add-on 26 days after a clot, platelets 42."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     comorbidities={"thrombosis_history": True, "last_thrombosis": "2026-11-05"})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("Intravenous immunoglobulin" in e for e in muscle.first_choice), muscle


def test_severe_cytopenia_asks_haematology_and_neutropenia_without_a_drug_is_flagged() -> None:
    """Z40d P2 and P8 (dangerous): no transfusion or haematology at neutrophils 0.2 and
    platelets 22; neutrophils 0.6 on no marrow-toxic drug with no warning at all."""
    on_drug = make_plan(lab_results=[lab("neutrophils", 0.2, "10^9/L"),
                                     lab("platelets", 22, "10^9/L")],
                        treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                     "outcome": "ongoing"}])
    line = next(a.text for a in on_drug.do_now if a.code == "severe_cytopenia_on_marrow_toxic_drug")
    assert "haematology the same day" in line and "no invasive procedure" in line
    no_drug = make_plan(lab_results=[lab("neutrophils", 0.6, "10^9/L")])
    assert do_now(no_drug)["neutropenia_without_a_marrow_toxic_drug"] == "soon"


def test_pregnancy_after_a_clot_keeps_lmwh_through_and_after() -> None:
    """Z40d P5 (dangerous omission): a previous clot on LMWH at 22 weeks, nothing on continuing
    it through pregnancy and 6 weeks after."""
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 22},
                     comorbidities={"thrombosis_history": True}, other_medicines=["lmwh"])
    assert "6 weeks after the birth" in next(
        a.text for a in plan.do_now if a.code == "pregnancy_with_previous_thrombosis")


def test_frailty_and_heart_failure_keep_pulses_out_and_admission_is_weighed() -> None:
    """Z40b P5 (dangerous): IV pulses and 'admit today ... transfer' for a woman of 91, frailty
    7, dementia and heart failure, in a care home."""
    plan = make_plan(date_of_birth="1935-01-01", classification={"age_at_onset": 91},
                     organs={"dysphagia": "severe"},
                     comorbidities={"heart_failure": True},
                     care_goals={"frailty_scale": 7, "treatment_ceiling": "ward_based",
                                 "prognosis": "months", "lacks_capacity": True})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add Intravenous methylprednisolone pulses")
                   for e in muscle.first_choice), muscle.first_choice
    admit = next(a.text for a in plan.do_now if a.code == "organ_threatening_admit")
    assert "transfer" not in admit and "goals of care" in admit


def test_bone_protection_starts_with_a_planned_induction_in_an_older_patient() -> None:
    """Z40b P2 (dangerous omission): 40 mg/day starting tomorrow at 78 with only calcium and
    vitamin D."""
    plan = make_plan(date_of_birth="1948-05-20", classification={"age_at_onset": 78},
                     planned_treatments=[{"therapy": "glucocorticoids_oral",
                                          "start": "2026-12-02", "dose_value": 40,
                                          "dose_unit": "mg/day"}])
    line = next(a.text for a in plan.do_now if a.code == "giop_older_or_falling")
    assert "unknown" not in line and "begin osteoporosis medication now" in line


def test_a_finished_pulse_course_is_not_taken_now() -> None:
    """Z40c P5 and Z39a P5 (dangerous): pulses six months before with no stop date read as a
    course to 'complete'."""
    plan = make_plan(treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                  "start": "2026-06-01", "outcome": "effective"}])
    assert "Complete the Intravenous methylprednisolone pulses" not in _text(plan)
    assert not any(o.therapy == "methylprednisolone_iv_pulse" and o.taken_now
                   for o in plan.options)


def test_perioperative_cover_is_one_answer_and_elective_surgery_waits_for_infection() -> None:
    """Z40c P6 (dangerous): 'without a routine stress dose' and hydrocortisone at induction in
    one line for a hip replacement on 7.5 mg for 2.5 years, booked during a pneumonia."""
    plan = make_plan(surgery={"date": "2026-12-20", "elective": True},
                     comorbidities={"active_infection": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-06-01",
                                  "dose_value": 7.5, "dose_unit": "mg/day",
                                  "outcome": "ongoing"},
                                 {"therapy": "azathioprine", "start": "2024-06-01",
                                  "outcome": "ongoing"}])
    text = _text(plan)
    assert "Operation planned" in text
    assert "without a routine stress dose (ACR/AAHKS), but" not in text
    assert "an elective one waits until the active infection is treated" in text


def test_thyrotoxicosis_is_named_and_mycophenolate_carries_the_cancer_screen() -> None:
    """Z40c P8 and Z40a P7 (dangerous): a thyroiditis on pembrolizumab read as hypothyroidism;
    mycophenolate added before the cancer screen with no caution while azathioprine had one."""
    thyroid = make_plan(lab_results=[lab("tsh", 0.01, "mU/L", 4.0),
                                     lab("free_t4", 38, "pmol/L")])
    assert "thyrotoxicosis_recorded" in do_now(thyroid)
    tif1 = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     date_of_birth="1945-01-01", classification={"age_at_onset": 81},
                     organs={"dysphagia": "severe"})
    assert "mycophenolate_cancer_not_excluded" in cautions(tif1, "mycophenolate")


def test_isoniazid_is_no_easy_way_round_rifampicin_in_liver_disease() -> None:
    """Z40a P6 (dangerous): 'isoniazid-based regimens avoid this' for a patient with cirrhosis."""
    plan = make_plan(comorbidities={"hepatic_impairment": True},
                     infection_screening={"tb_test": {"result": "positive"}},
                     treatments=[{"therapy": "mycophenolate", "start": "2026-01-01",
                                  "outcome": "ongoing"}])
    text = _text(plan)
    assert "isoniazid-based regimens avoid this;" not in text
    assert "isoniazid's liver toxicity weighs as much" in text


def test_an_unrecorded_value_leaves_no_unknown_in_an_aside() -> None:
    """Z40a P6: 'HbA1c unknown mmol/mol' for diabetes stated without an HbA1c."""
    gc = [{"therapy": "glucocorticoids_oral", "start": "2026-11-01", "dose_value": 20,
           "dose_unit": "mg/day", "outcome": "ongoing"}]
    stated = next(a.text for a in make_plan(comorbidities={"diabetes": True},
                                            treatments=gc).do_now
                  if a.text.startswith("Glucocorticoids taken with diabetes"))
    assert "unknown" not in stated
    measured = next(a.text for a in make_plan(lab_results=[lab("hba1c", 64, "mmol/mol")],
                                              treatments=gc).do_now
                    if a.text.startswith("Glucocorticoids taken with diabetes"))
    assert "(HbA1c 64 mmol/mol on record)" in measured


def test_the_antimetabolite_waits_for_the_oncology_plan_without_ivig_too() -> None:
    """Re-score of Z40d P4 (dangerous): once IVIG left the first choice after a clot,
    azathioprine became the first choice in active lymphoma."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     comorbidities={"active_malignancy": True, "thrombosis_history": True,
                                    "last_thrombosis": "2026-11-05"})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add Azathioprine") or e.startswith("add Mycophenolate")
                   for e in muscle.first_choice), muscle.first_choice
    assert any("(once the oncology plan is agreed)" in a for a in muscle.alternatives)


def test_new_facts_read_recorded_values_as_false_and_missing_as_unknown() -> None:
    """Review of the change: limited_goals and msa_negative never said False."""
    from myositis.knowledge import load
    from myositis.services.careplan.assessment import assess
    from tests.services.careplan.conftest import make_record

    def facts(**changes: object) -> dict[str, object]:
        return dict(assess(make_record(**changes), load()).facts)

    assert facts(care_goals={"frailty_scale": 3})["limited_goals"] is False
    assert facts(care_goals={"frailty_scale": 7})["limited_goals"] is True
    assert facts()["limited_goals"] is None
    assert facts()["msa_negative"] is False  # anti-Mi-2 positive in the base record

"""Findings of specialist review round Z39 (cardio-rheumatology, oncology, paediatric
rheumatology, rehabilitation), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import cautions, do_now, lab, make_plan, withheld


def _text(plan: CarePlan) -> str:
    return " ".join([a.text for a in plan.do_now]
                    + [e for r in plan.regimens
                       for e in (*r.first_choice, *r.alternatives, r.decision_point)])


IBM: dict[str, Any] = {
    "diagnosis": {"subgroup": "ibm"}, "antibodies": {"cn1a": {"status": "positive"},
                                                     "mi2": {"status": "negative"}},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "classification": {"age_at_onset": 70, "skin": {"heliotrope_rash": False,
                                                     "gottron_papules": False}},
    "months_since_onset": 60, "organs": {"dysphagia": "severe"}}


def test_an_nsaid_is_stopped_with_liver_disease_low_platelets_or_scleroderma() -> None:
    """Z39d P8 (dangerous): naproxen with cirrhosis, platelets 105, scleroderma and
    methotrexate never mentioned."""
    liver = make_plan(other_medicines=["nsaid"], comorbidities={"hepatic_impairment": True})
    assert do_now(liver)["nsaid_with_liver_bleeding_or_scleroderma_risk"] == "soon"
    platelets = make_plan(other_medicines=["nsaid"], lab_results=[lab("platelets", 80,
                                                                      "10^9/L")])
    assert "nsaid_with_liver_bleeding_or_scleroderma_risk" in do_now(platelets)
    assert "nsaid_with_liver_bleeding_or_scleroderma_risk" not in do_now(
        make_plan(other_medicines=["nsaid"]))


def test_exercise_is_phase_appropriate_in_an_acute_illness() -> None:
    """Z39d P6 (dangerous): resistance and endurance training with no caution for a woman on
    oxygen desaturating to 84 % with anti-MDA5 RP-ILD."""
    acute = make_plan(organs={"respiratory_muscle_weakness": True})
    assert "exercise_in_acute_illness" in cautions(acute, "exercise_rehabilitation")
    assert "exercise_in_acute_illness" not in cautions(make_plan(), "exercise_rehabilitation")


def test_diltiazem_is_withheld_with_heart_involvement() -> None:
    """Z39a P5 (dangerous): diltiazem for calcinosis, no caution, in a child with suspected
    myocarditis and first-degree AV block."""
    calcinosis = {"skin": {"heliotrope_rash": True, "gottron_papules": True,
                           "calcinosis": True}}
    reasons = withheld(make_plan(**calcinosis, organs={"cardiac": "suspected"}))
    assert reasons.get("diltiazem", "").startswith("Heart involvement or heart failure")
    assert "diltiazem" not in withheld(make_plan(**calcinosis))


def test_two_qt_prolonging_drugs_ask_for_an_ecg() -> None:
    """Z39a P2 and P8 (dangerous): amiodarone (a recorded QT-prolonging drug) with
    clarithromycin and no ECG or QTc advice."""
    both = make_plan(other_medicines=["qt_prolonging", "macrolide_antibiotic"])
    assert do_now(both)["qt_prolonging_drugs_together"] == "soon"
    assert "qt_prolonging_drugs_together" not in do_now(make_plan(
        other_medicines=["qt_prolonging"]))


def test_planned_ivig_in_pregnancy_names_the_clot_risk() -> None:
    """Z39b P3 (dangerous): planned IVIG at 19 weeks 'no caution for this patient'."""
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 19},
                     planned_treatments=[{"therapy": "ivig", "start": "2026-12-08"}])
    line = next(a.text for a in plan.do_now if a.code == "planned_course_checks_ivig")
    assert "thrombosis" in line and "no caution for this patient" not in line


def test_ciclosporin_carries_high_triglycerides() -> None:
    """Z39c P4 (dangerous): ciclosporin first choice with triglycerides 6.2 never mentioned."""
    plan = make_plan(diagnosis={"subgroup": "jdm"}, date_of_birth="2010-06-01",
                     classification={"age_at_onset": 12}, months_since_onset=30,
                     lab_results=[lab("triglycerides", 6.2, "mmol/L")])
    option = next(o for o in plan.options if o.therapy == "ciclosporin")
    assert any(c.condition == "ciclosporin_high_triglycerides" and "Triglycerides 6.2" in c.text
               for c in option.cautions)


def test_a_boy_with_a_very_high_ck_and_no_rash_is_tested_for_a_dystrophinopathy() -> None:
    """Z39c P8 (dangerous): a muscle biopsy 'soon' for an 8-year-old with CK 60 x ULN and calf
    hypertrophy, with no anaesthetic warning and no DMD gene test."""
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    boy = {"sex": "male", "date_of_birth": "2018-09-22", "diagnosis": {"subgroup":
                                                                       "unclassified"},
           "classification": {"age_at_onset": 7.7, "skin": no_rash,
                              "elevated_muscle_enzymes": True},
           "skin": no_rash, "labs": {"enzymes": {"ck": {"value": 12000, "uln": 200}}},
           "antibodies": {a: {"status": "negative"}
                          for a in ("mi2", "nxp2", "tif1g", "mda5", "sae", "jo1", "srp",
                                    "hmgcr")}}
    text = _text(make_plan(**boy))
    assert "DMD gene testing" in text and "no suxamethonium" in text
    girl = _text(make_plan(**{**boy, "sex": "female"}))
    assert "DMD gene testing (deletion" not in girl


def test_latent_tb_regimen_choice_names_the_doac() -> None:
    """Z39a P1 (dangerous omission): apixaban left out of the rifamycin interaction list."""
    plan = make_plan(other_medicines=["doac"],
                     infection_screening={"tb_test": {"result": "positive"}},
                     treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                  "outcome": "ongoing"}])
    assert "and the DOAC taken now, so not with it" in _text(plan)


def test_a_potassium_of_five_brings_the_recheck_forward() -> None:
    """Z39a P7 (dangerous): potassium checked in 1-2 weeks after treatment-dose co-trimoxazole
    with K 5.0, a falling eGFR and a high tacrolimus trough."""
    rec = {"other_medicines": ["co_trimoxazole"],
           "treatments": [{"therapy": "tacrolimus", "start": "2026-01-01",
                           "outcome": "ongoing"}]}
    high = _text(make_plan(**rec, lab_results=[lab("potassium", 5.0, "mmol/L")]))
    assert "within 2-3 days of starting" in high
    normal = _text(make_plan(**rec, lab_results=[lab("potassium", 4.2, "mmol/L")]))
    assert "within 2-3 days of starting" not in normal


def test_chronic_hepatitis_b_gets_liver_cancer_surveillance() -> None:
    """Z39b P6 (dangerous omission): viraemic hepatitis B with no liver-cancer surveillance."""
    plan = make_plan(infection_screening={"hbsag": {"result": "positive"}})
    assert "hbsag_positive_liver_cancer_surveillance" in do_now(plan)


def test_an_admission_near_the_end_of_life_follows_the_patients_wishes() -> None:
    """Z39b P5 (dangerous): 'admit today ... transfer' for a frail woman with weeks to months
    to live and a ward-based ceiling."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     care_goals={"prognosis": "weeks_to_months",
                                 "treatment_ceiling": "ward_based"})
    line = next(a.text for a in plan.do_now if a.code == "organ_threatening_admit")
    assert "in keeping with the patient's wishes" in line and "transfer" not in line


def test_ibm_procedures_and_ivig_read_anticoagulation_and_heart_failure() -> None:
    """Z39a P6 (dangerous): throat procedures on warfarin with no plan, and IVIG 'may be
    discussed' with an ejection fraction of 30 %."""
    plan = make_plan(**IBM, other_medicines=["warfarin"],
                     comorbidities={"heart_failure": True})
    text = _text(plan)
    assert "anticoagulant paused (warfarin bridged only at a high clot risk" in text
    assert "weigh against it, with cardiology first" in text


def test_a_planned_course_names_its_monitoring_from_the_first_dose() -> None:
    """Z39d P6 (dangerous): tacrolimus starting tomorrow with no level, kidney or potassium
    checks in the terminal plan."""
    plan = make_plan(planned_treatments=[{"therapy": "tacrolimus", "start": "2026-12-02"}])
    line = next(a.text for a in plan.do_now if a.code.startswith("planned_course_")
                and "tacrolimus" in a.code)
    assert "trough levels" in line and "potassium" in line


def test_wrong_statements_of_round_z39_are_corrected() -> None:
    """Z39c and Z39d: the adult sick-day doubling for a 9-year-old; 'not a stop of all food,
    fluid and tablets' for an intubated patient; total IgG quoted as varicella evidence;
    liver-cancer surveillance at a prognosis of weeks to months."""
    child = make_plan(date_of_birth="2017-03-01", classification={"age_at_onset": 9},
                      diagnosis={"subgroup": "jdm"}, comorbidities={"active_infection": True},
                      treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                                   "dose_value": 5, "dose_unit": "mg/day",
                                   "outcome": "ongoing"}])
    text = _text(child)
    assert "double the daily dose while febrile" not in text
    assert "sick-day doses the paediatric team sets" in text
    ventilated = _text(make_plan(comorbidities={"active_infection": True,
                                                "infection_focus": "lung_focal"},
                                 lung={"date": "2026-11-30", "hrct_pattern": "nsip",
                                       "oxygen": "ventilated"},
                                 treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                              "outcome": "ongoing"}]))
    assert "not a stop of all food, fluid and tablets" not in ventilated
    vzv = make_plan(infection_screening={"vzv_igg": {"result": "negative"}},
                    lab_results=[lab("igg", 9.5, "g/L")],
                    treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                 "outcome": "ongoing"}])
    line = next(a.text for a in vzv.do_now if a.code == "vzv_seronegative")
    assert "IgG 9.5" not in line
    dying = make_plan(comorbidities={"hepatic_impairment": True},
                      care_goals={"prognosis": "weeks_to_months",
                                  "treatment_ceiling": "ward_based"})
    assert "liver_impairment_shared_care" not in do_now(dying)


def test_a_drug_held_today_says_so_in_the_options_table() -> None:
    """Z38d P5 and Z39c P3: methotrexate 'taken now' with high evidence and no caution in the
    table while an urgent line holds it."""
    plan = make_plan(diagnosis={"subgroup": "jdm"}, date_of_birth="2016-01-01",
                     classification={"age_at_onset": 9},
                     organs={"gi_bleeding": True},
                     treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                  "outcome": "ongoing", "route": "oral"}])
    held = [o for o in plan.options if o.therapy == "methotrexate"]
    assert any(a.urgency == "urgent" and a.code == "jdm_gut_bleed_vasculopathy"
               for a in plan.do_now)
    assert held and all(o.cautions[0].condition == "held_today" for o in held)


def test_the_older_age_screening_note_names_the_smear_only_for_women() -> None:
    """Re-score of Z39a P3: the cervical-smear note printed for a man of 76."""
    man = make_plan(sex="male", date_of_birth="1950-01-01", classification={"age_at_onset": 76},
                    reproduction={})
    woman = make_plan(date_of_birth="1950-01-01", classification={"age_at_onset": 76},
                      reproduction={})
    assert not any("cervical smear" in n for n in man.cancer_screening.notes)
    assert any("cervical smear" in n for n in woman.cancer_screening.notes)


def test_a_glucocorticoid_before_the_biopsy_is_not_simply_kept_beside_a_toxic_drug() -> None:
    """Z39b P8 (dangerous): prednisolone 30 mg, started 5 days before, kept 'steady' in a man on
    colchicine, a statin and clarithromycin with a probable toxic myopathy."""
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    rec = {"diagnosis": {"subgroup": "unclassified"}, "skin": no_rash,
           "classification": {"age_at_onset": 70, "skin": no_rash,
                              "elevated_muscle_enzymes": True},
           "antibodies": {"mi2": {"status": "negative"}},
           "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-11-26",
                           "dose_value": 30, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    toxic = next(a.text for a in make_plan(**rec, other_medicines=["colchicine"]).do_now
                 if a.code == "glucocorticoid_before_biopsy")
    assert "unless the drug cause on the record" in toxic
    plain = next(a.text for a in make_plan(**rec).do_now
                 if a.code == "glucocorticoid_before_biopsy")
    assert "unless the drug cause" not in plain and "keep the dose steady" in plain


def test_an_unclassified_child_is_not_told_of_adult_screening() -> None:
    """Re-score of Z39c P8: 'age- and sex-appropriate national screening meanwhile' for an
    8-year-old."""
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(sex="male", date_of_birth="2018-09-22",
                     diagnosis={"subgroup": "unclassified"}, skin=no_rash,
                     classification={"age_at_onset": 7.7, "skin": no_rash,
                                     "elevated_muscle_enzymes": True},
                     antibodies={"mi2": {"status": "negative"}})
    notes = " ".join(plan.cancer_screening.notes)
    assert "no adult cancer screening" in notes and "national screening" not in notes


def test_a_strong_muscle_with_normal_enzymes_at_one_visit_is_not_active() -> None:
    """Z39a P2: 'muscle active' at a single visit with MMT-8 140/150, a normal CK and an
    extramuscular global above the physician's (the activity was the lung's)."""
    rec = {"labs": {"enzymes": {"ck": {"value": 150, "uln": 200}}},
           "visits": [{"date": "2026-11-20", "glucocorticoid_mg_per_day": 10,
                       "core_set": {"mmt8": 140, "mmt_max": 150, "physician_global": 4,
                                    "extramuscular_global": 5}}],
           "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                           "dose_value": 10, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    plan = make_plan(**rec)
    assert plan.state is not None and plan.state.of("muscle") == "stable"
    raised = make_plan(**{**rec, "labs": {"enzymes": {"ck": {"value": 600, "uln": 200}}}})
    assert raised.state is not None and raised.state.of("muscle") != "stable"

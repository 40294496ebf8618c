"""Specialist review round Z63 (all patients SYNTHETIC): a neuro-immunology clinic, a contraception
and sexual health service, a vasculitis clinic and a remote rural general practice."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from myositis.services.careplan.model import Regimen
from myositis.services.careplan.regimen_route_and_risk import TERATOGEN_CAVEAT, teratogen_caveat
from tests.services.careplan.conftest import do_now, lab, make_plan


def _do_now_text(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


PRED = {"therapy": "glucocorticoids_oral", "start": "2022-09-16", "dose_value": 5,
        "dose_unit": "mg/day", "outcome": "ongoing", "response": "complete"}
REMISSION_VISITS = [
    {"date": "2026-05-20", "core_set": {"mmt8": 146, "mmt_max": 150, "haq": 0.6,
                                        "physician_global": 0.5, "patient_global": 1,
                                        "extramuscular_global": 0},
     "cdasi_activity": 0, "glucocorticoid_mg_per_day": 5},
    {"date": "2026-11-28", "core_set": {"mmt8": 147, "mmt_max": 150, "haq": 0.6,
                                        "physician_global": 0.5, "patient_global": 1,
                                        "extramuscular_global": 0},
     "cdasi_activity": 0, "glucocorticoid_mg_per_day": 5}]


def test_a_paused_taper_keeps_the_adrenal_precautions() -> None:
    """Review Z63a P8: prednisolone 5 mg/day for four years, the taper paused while
    azathioprine is held for allopurinol - the taper line went, and with it the only steroid
    card and sick-day advice."""
    plan = make_plan(
        date_of_birth="1944-04-08", months_since_onset=52,
        skin={"heliotrope_rash": False, "gottron_papules": False},
        visits=REMISSION_VISITS, other_medicines=["allopurinol"],
        labs={"enzymes": {"ck": {"value": 95, "uln": 170}}},
        lab_results=[lab("egfr", 34, "mL/min/1.73m2"), lab("wbc", 3.1, "10^9/L"),
                     lab("neutrophils", 1.6, "10^9/L"), lab("lymphocytes", 0.6, "10^9/L")],
        reproduction={"postmenopausal": True},
        treatments=[PRED, {"therapy": "azathioprine", "start": "2022-11-01", "dose_value": 100,
                           "dose_unit": "mg/day", "outcome": "ongoing", "response": "complete"}])
    codes = _codes(plan)
    assert "azathioprine_xanthine_oxidase_taken" in codes
    assert "glucocorticoid_taper_adrenal" not in codes
    assert "adrenal_safety_long_term_glucocorticoid" in codes
    assert "steroid emergency card" in _do_now_text(plan)


APS_ON_WARFARIN: dict[str, Any] = dict(
    date_of_birth="1984-04-22", weight_kg=65, height_cm=162,
    other_medicines=["warfarin"],
    comorbidities={"antiphospholipid_syndrome": True, "thrombosis_history": True},
    reproduction={"pregnant": False, "planning_conception": False, "breastfeeding": False,
                  "contraception": ["condom_or_barrier"]})


def test_warfarin_is_named_as_the_teratogen_taken() -> None:
    """Review Z63b P5: the contraception line named cyclophosphamide, methotrexate and
    mycophenolate, none of them taken, and never the warfarin she took."""
    text = _do_now_text(make_plan(**APS_ON_WARFARIN))
    assert "A teratogenic drug is taken or proposed (" in text
    named = text.split("A teratogenic drug is taken or proposed (", 1)[1].split(")", 1)[0]
    assert "Warfarin" in named.split(";")[0]


def test_a_parenthesised_drug_name_does_not_stop_the_split_by_role() -> None:
    """Review Z63b P5: 'Cyclophosphamide (IV pulse)' in the list kept every drug 'proposed';
    the alternatives are now named as such."""
    from myositis.services.careplan.pass_wording import teratogens_by_role
    text = ("A teratogenic drug is taken or proposed (Cyclophosphamide (IV pulse), Methotrexate, "
            "Mycophenolate mofetil) and no effective contraception is recorded.")
    out = teratogens_by_role(text, {"Cyclophosphamide (IV pulse)", "Methotrexate"})
    assert ("(Mycophenolate mofetil; Cyclophosphamide (IV pulse), Methotrexate only among the "
            "alternatives)") in out


PREGNANT_IMNM: dict[str, Any] = dict(
    date_of_birth="1999-03-01", months_since_onset=3,
    antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
    reproduction={"pregnant": True, "gestation_weeks": 7})


def test_the_routine_smear_waits_until_after_the_birth() -> None:
    """Review Z63b P6: a Pap test listed as due at 7 weeks of pregnancy."""
    pregnant = make_plan(**PREGNANT_IMNM).cancer_screening
    assert not any("Papanicolaou" in t for t in pregnant.tests_due)
    assert any("cervical smear waits until about 12 weeks after the birth" in n
               for n in pregnant.notes)
    not_pregnant = make_plan(**{**PREGNANT_IMNM, "reproduction": {"pregnant": False}})
    assert any("Papanicolaou" in t for t in not_pregnant.cancer_screening.tests_due)


PAST_CYCLOPHOSPHAMIDE = {"therapy": "cyclophosphamide", "start": "2015-01-01",
                         "stop": "2015-07-01", "outcome": "effective"}


def test_late_effects_after_cyclophosphamide_follow_age_and_menopause() -> None:
    """Review Z63c P4: cervical screening and fertility advice printed for a postmenopausal
    woman of 67; the smear line is for a woman under 65, the men's clause never for a woman."""
    older = _do_now_text(make_plan(date_of_birth="1959-05-01", treatments=[PAST_CYCLOPHOSPHAMIDE],
                                   reproduction={"postmenopausal": True}))
    assert "Cyclophosphamide in the past" in older
    assert "cervical screening kept up to date" not in older
    assert "fertility advice" not in older and "testosterone" not in older
    younger = _do_now_text(make_plan(date_of_birth="1990-05-01",
                                     treatments=[PAST_CYCLOPHOSPHAMIDE]))
    assert "cervical screening kept up to date" in younger
    assert "fertility advice before a planned conception" in younger
    man = _do_now_text(make_plan(sex="male", date_of_birth="1959-05-01",
                                 treatments=[PAST_CYCLOPHOSPHAMIDE]))
    assert "testosterone with symptoms in men" in man


MMF_ON_PILL: dict[str, Any] = dict(
    date_of_birth="2003-02-01",
    treatments=[{"therapy": "mycophenolate", "start": "2025-06-01", "dose_value": 2000,
                 "dose_unit": "mg/day", "outcome": "ongoing"}],
    reproduction={"pregnant": False, "planning_conception": False,
                  "contraception": ["combined_hormonal"]})


def _failed_on(record: dict[str, Any], day: str) -> dict[str, Any]:
    return {**record, "reproduction": {**record["reproduction"], "unprotected_sex_on": day}}


def test_unprotected_sex_within_five_days_is_an_urgent_emergency_contraception_line() -> None:
    """Review Z63b P1: missed pills and unprotected sex 72 hours before, on mycophenolate, with
    no emergency contraception and the pill still counted as effective."""
    plan = make_plan(**_failed_on(MMF_ON_PILL, "2026-11-28"))
    assert do_now(plan).get("emergency_contraception_window") == "urgent"
    text = _do_now_text(plan)
    assert "a copper intrauterine device is the most effective" in text
    assert "a pregnancy test 3 weeks after" in text
    # the failed method no longer counts: the teratogen's contraception line fires too
    assert "teratogen_taken_without_contraception" in _codes(plan)
    assert "teratogen_taken_without_contraception" not in _codes(make_plan(**MMF_ON_PILL))
    assert "emergency_contraception_window" not in _codes(make_plan(**MMF_ON_PILL))


def test_after_five_days_the_line_is_the_three_week_pregnancy_test() -> None:
    plan = make_plan(**_failed_on(MMF_ON_PILL, "2026-11-20"))
    codes = _codes(plan)
    assert "emergency_contraception_window" not in codes
    assert "pregnancy_test_after_unprotected_sex" in codes
    assert "repeat it from day 21" in _do_now_text(plan)
    long_ago = make_plan(**_failed_on(MMF_ON_PILL, "2026-10-01"))
    assert "pregnancy_test_after_unprotected_sex" not in _codes(long_ago)


def test_a_girl_of_fifteen_gets_competence_and_safeguarding() -> None:
    """Review Z63b P8: a girl of 15 attending alone 96 hours after unprotected sex."""
    plan = make_plan(date_of_birth="2011-05-01",
                     diagnosis={"subgroup": "jdm", "confirmed_on": "2025-01-10"},
                     reproduction={"contraception": ["none"], "unprotected_sex_on": "2026-11-27"})
    text = _do_now_text(plan)
    assert "emergency contraception today" in text
    assert "competence to consent (Fraser) and safeguarding" in text


def test_a_man_is_never_given_the_emergency_contraception_line() -> None:
    plan = make_plan(sex="male", reproduction={"unprotected_sex_on": "2026-11-29"})
    assert not {"emergency_contraception_window",
                "pregnancy_test_after_unprotected_sex"} & _codes(plan)


def test_the_smoking_aside_is_said_only_of_a_smoker() -> None:
    """Review Z63c P3 and P8: '(current smoking counts)' printed for never-smokers."""
    from myositis.knowledge import load
    from myositis.services.careplan.rules import _swap_for_patient
    swaps = load().wording_swaps
    head = "Cardiovascular risk recorded (current smoking counts), or an antiplatelet taken: x"
    assert _swap_for_patient(head, {"smoking_current": False}, swaps).startswith(
        "Cardiovascular risk recorded, or an antiplatelet taken:")
    assert _swap_for_patient(head, {}, swaps).startswith("Cardiovascular risk recorded, or")
    assert _swap_for_patient(head, {"smoking_current": True}, swaps).startswith("Smoking now")


HCQ_INEFFECTIVE = {"therapy": "hydroxychloroquine", "start": "2025-09-01", "dose_value": 400,
                   "dose_unit": "mg/day", "outcome": "ineffective"}


def test_no_yearly_retinal_screening_for_a_short_course_being_stopped() -> None:
    """Review Z63c P6: 'stop hydroxychloroquine' beside 'OCT ... now, then yearly' after 1.2
    years (above 5 mg/kg/day)."""
    from myositis.services.careplan.model import Action
    from myositis.services.careplan.pass_treatment import retinal_check_when_stopping
    line = Action(code="hydroxychloroquine_retinal_screening_due", urgency="soon",
                  text="Hydroxychloroquine ...: OCT and widefield fundus autofluorescence now, "
                       "then yearly.", kb_entry="x", citations=[])
    assert retinal_check_when_stopping([line], 1.2) == []
    long = retinal_check_when_stopping([line], 6.0)
    assert long and "once now, as it is being stopped" in long[0].text
    assert "then yearly" not in long[0].text
    plan = make_plan(weight_kg=38, treatments=[HCQ_INEFFECTIVE])
    assert "hydroxychloroquine_retinal_screening_due" not in _codes(plan)


RENAL_CRISIS_ON_PREDNISOLONE: dict[str, Any] = dict(
    sex="male", date_of_birth="1981-02-01",
    diagnosis={"subgroup": "overlap", "confirmed_on": "2026-06-01",
               "overlap_with": ["systemic_sclerosis"], "ssc_subset": "diffuse",
               "ssc_onset": "2026-03-01"},
    antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"sclerodactyly": True},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-20", "dose_value": 40,
                 "dose_unit": "mg/day", "outcome": "ongoing"}],
    lab_results=[lab("creatinine", 80, "umol/L", date="2026-10-15"),
                 lab("creatinine", 190, "umol/L", date="2026-11-29"),
                 lab("egfr", 38, "mL/min/1.73m2", date="2026-11-29")])


def test_a_kidney_injury_does_not_silence_the_bone_advice() -> None:
    """Review Z63c P2: prednisolone 40 mg/day for six weeks in a possible renal crisis had no
    bone line at all - the osteoporosis line was covered by the kidney bone line, and that one
    by the kidney-injury line, which says nothing of bone. The kidney bone line now prints."""
    plan = make_plan(**RENAL_CRISIS_ON_PREDNISOLONE)
    codes = _codes(plan)
    assert "acute_kidney_injury" in codes
    assert "bone_medication_kidney" in codes
    bone = next(a.text for a in plan.do_now if a.code == "bone_medication_kidney")
    assert "no IV zoledronic acid now" in bone and "not while kidney function is falling" in bone


def test_the_very_high_dose_bone_line_fits_a_kidney_injury_and_a_man() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.rules import fire
    kb = load()
    rule = next(r for r in kb.rules.rules if r.id == "giop_very_high_dose")
    facts = {"gc_mg_day": 40.0, "gc_days_at_30mg_or_more": 42.0, "age_years": 45.0,
             "kidney_injury_now": True, "childbearing_potential": False}
    firing = fire(rule, facts, swaps=kb.wording_swaps)
    assert firing is not None
    assert "no IV zoledronate in acute renal impairment" in firing.text
    assert "otherwise IV zoledronate" not in firing.text
    assert "may become pregnant" not in firing.text


NEW_JDM: dict[str, Any] = dict(
    sex="female", date_of_birth="2013-06-01", weight_kg=42, height_cm=152, months_since_onset=2,
    diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-20"},
    classification={"age_at_onset": 13, "weakness": {"proximal_upper": True,
                                                     "proximal_lower": True},
                    "skin": {"heliotrope_rash": True, "gottron_papules": True},
                    "elevated_muscle_enzymes": True},
    antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}})


def test_a_child_starting_induction_gets_the_pjp_decision() -> None:
    """Review Z63a P5: a girl of 13 with new JDM, pulses, high-dose prednisolone and
    methotrexate proposed, and no PJP line."""
    plan = make_plan(**NEW_JDM)
    assert "pjp_prophylaxis_child" in _codes(plan)
    assert "Child PJP prophylaxis" in _do_now_text(plan)


def test_a_planned_induction_course_carries_its_start_safety() -> None:
    """Review Z63d P3: pulses then 60 mg/day proposed for new DM with no steroid card, glucose
    watch or bone assessment until the drug is recorded as taken."""
    plan = make_plan()
    assert "glucocorticoid_start_safety" in _codes(plan)
    text = _do_now_text(plan)
    assert "steroid emergency card" in text and "capillary glucose daily" in text
    diabetic = make_plan(comorbidities={"diabetes": True})
    codes = _codes(diabetic)
    assert "glucocorticoid_start_safety_diabetes" in codes
    assert "glucocorticoid_start_safety" not in codes
    on_treatment = make_plan(treatments=[{"therapy": "glucocorticoids_oral",
                                          "start": "2026-09-01", "dose_value": 10,
                                          "dose_unit": "mg/day", "outcome": "ongoing",
                                          "response": "complete"}],
                             months_since_onset=14, visits=REMISSION_VISITS)
    assert "glucocorticoid_start_safety" not in _codes(on_treatment)


def test_a_teratogen_in_two_first_choices_carries_the_caveat_once() -> None:
    muscle = Regimen(domain="muscle", state="new_onset", first_choice=["Mycophenolate mofetil"],
                     alternatives=[], decision_point="")
    lung = muscle.model_copy(update={"domain": "lung"})
    out = teratogen_caveat([muscle, lung], ["Mycophenolate mofetil"])
    assert out[0].first_choice[0].endswith(TERATOGEN_CAVEAT)
    assert out[1].first_choice[0] == "Mycophenolate mofetil (a teratogen: as above)"


def test_an_unknown_weight_is_listed_once_for_a_child() -> None:
    plan = make_plan(**{**NEW_JDM, "weight_kg": None, "height_cm": None})
    weights = [u for u in plan.unknowns if u.startswith("weight")]
    assert len(weights) == 1


def test_stopping_allopurinol_for_azathioprine_comes_with_a_gout_plan() -> None:
    """Review Z63a P8: allopurinol stopped for azathioprine with no plan for the gout."""
    plan = make_plan(other_medicines=["allopurinol"],
                     treatments=[{"therapy": "azathioprine", "start": "2024-01-01",
                                  "dose_value": 100, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    line = next(a.text for a in plan.do_now if a.code == "azathioprine_xanthine_oxidase_taken")
    assert "switching azathioprine to mycophenolate lets the allopurinol stay" in line


def test_azathioprine_brings_sun_protection_and_skin_checks() -> None:
    """Review Z63a P8: four years of azathioprine at 82 with no word of skin cancer."""
    on_aza = make_plan(treatments=[{"therapy": "azathioprine", "start": "2024-01-01",
                                    "dose_value": 100, "dose_unit": "mg/day",
                                    "outcome": "ongoing"}])
    assert "azathioprine_sun_protection" in _codes(on_aza)
    assert "azathioprine_sun_protection" not in _codes(make_plan())


def test_a_quiet_domain_names_the_replacement_of_its_stopped_maintenance() -> None:
    """Review Z63c P5: 'Continue oral glucocorticoids' as the lung's first choice once
    mycophenolate stops for a planned pregnancy."""
    from myositis.services.careplan.regimen_escalation import (
        replacement_named_where_it_maintains,
    )
    changes = Regimen(domain="treatment changes", state="now",
                      first_choice=["Stop Mycophenolate mofetil: Conception planned: teratogen",
                                    "switch to Azathioprine or Tacrolimus"],
                      alternatives=[], decision_point="")
    lung = Regimen(domain="lung", state="stable",
                   first_choice=["Continue Oral glucocorticoids (prednisone / prednisolone)"],
                   alternatives=[], decision_point="")
    skin = Regimen(domain="skin", state="stable",
                   first_choice=["Continue Hydroxychloroquine"], alternatives=[],
                   decision_point="")
    out = replacement_named_where_it_maintains([changes, lung, skin])
    assert out[1].first_choice[-1] == ("Azathioprine or Tacrolimus in place of Mycophenolate "
                                       "mofetil (see the treatment changes)")
    assert out[2].first_choice == ["Continue Hydroxychloroquine"]

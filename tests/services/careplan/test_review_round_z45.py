"""Findings of specialist review round Z45 (paediatric rheumatology, obstetric medicine,
geriatric medicine, intensive care), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _first_choices(plan: CarePlan, domain: str) -> list[str]:
    return next(r for r in plan.regimens if r.domain == domain).first_choice


CHILD: dict[str, Any] = {"date_of_birth": "2023-06-01", "weight_kg": 14, "height_cm": 95,
                         "diagnosis": {"subgroup": "jdm"},
                         "classification": {"age_at_onset": 3}}


def test_a_booked_cyclophosphamide_waits_for_a_bleeding_gut_to_be_imaged() -> None:
    """Z45a P5 (dangerous): 'Planned cyclophosphamide ... no caution for this patient' for a
    3-year-old with melaena and no abdominal imaging."""
    booked = [{"therapy": "cyclophosphamide", "start": "2026-12-02"}]
    bleeding = _texts(make_plan(**CHILD, organs={"gi_bleeding": True},
                                planned_treatments=booked))
    assert "excludes a perforation or abscess and the surgeons agree" in bleeding
    assert "excludes a perforation or abscess" not in _texts(make_plan(
        **CHILD, planned_treatments=booked))


def test_no_anabolic_bone_agent_is_suggested_for_a_child() -> None:
    """Z45a P3 (dangerous): 'consider anabolic treatment at very high risk' for a prepubertal
    boy of 13 with a vertebral fracture."""
    record: dict[str, Any] = {
        "date_of_birth": "2013-05-01", "diagnosis": {"subgroup": "jdm"},
        "classification": {"age_at_onset": 9}, "comorbidities": {"osteoporosis": True},
        "prophylaxis": {"bone_protection": True},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10,
                        "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"}]}
    child = make_plan(**record)
    assert "bone_protection_recorded_high_risk" not in do_now(child)
    assert "bone_health_child" in do_now(child)
    adult = make_plan(**{**record, "date_of_birth": "1960-05-01",
                         "diagnosis": {"subgroup": "dm"},
                         "classification": {"age_at_onset": 60}})
    assert "bone_protection_recorded_high_risk" in do_now(adult)


def test_no_dxa_below_its_reference_age() -> None:
    """Z45a P5: 'DXA with a Z-score' for a 3-year-old."""
    plan = make_plan(**CHILD, treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                           "dose_unit": "mg/day", "start": "2026-09-01",
                                           "outcome": "ongoing"}])
    text = {a.code: a.text for a in plan.do_now}["bone_health_child"]
    assert "once old enough for its reference data" in text


HMGCR_LDL: dict[str, Any] = {
    "antibodies": {"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
    "comorbidities": {"cardiovascular_risk": True},
    "lab_results": [lab("ldl_cholesterol", 5.1, "mmol/L")]}


def test_no_lipid_drugs_while_a_pregnancy_is_planned() -> None:
    """Z45b P5 (dangerous): ezetimibe and a PCSK9 inhibitor or inclisiran for a woman of 36
    planning to conceive within 6 months."""
    planning = do_now(make_plan(**HMGCR_LDL, reproduction={
        "pregnant": False, "planning_conception": True, "breastfeeding": False}))
    assert "ldl_above_target_pregnancy_planned" in planning
    assert "ldl_above_target_statin_avoided" not in planning
    not_planning = do_now(make_plan(**HMGCR_LDL))
    assert "ldl_above_target_statin_avoided" in not_planning
    assert "ldl_above_target_pregnancy_planned" not in not_planning


SRP: dict[str, Any] = {"antibodies": {"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
                       "organs": {"dysphagia": "severe"}}


def test_severe_anti_srp_escalation_follows_the_infection_and_the_ceiling() -> None:
    """Z45c P7 (dangerous): 'IV glucocorticoids with early rituximab' first for a septic
    90-year-old with a ward-based ceiling."""
    def srp_text(**changes: Any) -> str:
        return {a.code: a.text for a in make_plan(**SRP, **changes).do_now}["severe_anti_srp"]
    assert "early escalation - IV glucocorticoids with early rituximab" in srp_text()
    septic = srp_text(comorbidities={"active_infection": True, "sepsis": True})
    assert "rituximab once the infection is controlled" in septic
    ward = srp_text(comorbidities={"active_infection": True, "sepsis": True},
                    care_goals={"treatment_ceiling": "ward_based"})
    assert "within the goals of care agreed" in ward and "early rituximab" not in ward


def test_a_ward_based_ceiling_gets_a_senior_ward_review_not_critical_care() -> None:
    """Z45c P7: 'critical-care review' for a man with a ward-based ceiling and a DNACPR."""
    septic: dict[str, Any] = {
        "comorbidities": {"active_infection": True, "sepsis": True},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10,
                        "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"}]}
    ward = _texts(make_plan(**septic, care_goals={"treatment_ceiling": "ward_based"}))
    assert "critical-care review" not in ward
    assert "intensive care is outside the agreed ceiling" in ward
    assert "critical-care review" in _texts(make_plan(**septic))


def test_a_remission_measured_by_enzymes_alone_at_the_last_visit_is_not_active() -> None:
    """Z45c P8: remission since 2021, CK 96 at a visit without strength scores, called active
    with 'continue and optimise' glucocorticoids and no taper."""
    record: dict[str, Any] = {
        "months_since_onset": 90,
        "lab_results": [lab("ck", 96, "U/L", 170, "2026-11-28")],
        "visits": [{"date": "2025-05-12", "core_set": {"mmt8": 77, "physician_global": 0.5}},
                   {"date": "2026-11-28", "glucocorticoid_mg_per_day": 7.5}],
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                        "dose_unit": "mg/day", "start": "2020-03-01", "outcome": "ongoing",
                        "response": "complete"},
                       {"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
                        "start": "2019-07-01", "outcome": "ongoing", "response": "complete"}]}
    assert make_plan(**record).state.of("muscle") == "stable"


def test_the_reason_to_review_a_drug_is_the_one_that_questions_it() -> None:
    """Z45c P8: 'Review azathioprine now (Warfarin taken)' beside allopurinol, the interaction
    that questions the drug."""
    aza = [{"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
            "start": "2024-01-01", "outcome": "ongoing"}]
    plan = make_plan(treatments=aza, other_medicines=["allopurinol", "warfarin"])
    lines = [e for r in plan.regimens for e in r.first_choice if "Azathioprine" in e]
    assert lines and all("Warfarin taken" not in e for e in lines), lines
    assert any("Allopurinol or febuxostat taken" in e for e in lines), lines


def test_the_warfarin_pjp_line_waits_for_a_high_glucocorticoid_dose() -> None:
    """Z45c P1 and P8: 'induction glucocorticoids bring PJP prophylaxis' in Do now for
    prednisolone 7.5 mg/day."""
    from tests.services.careplan.conftest import cautions
    maintenance = make_plan(other_medicines=["warfarin"], treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 7.5, "dose_unit": "mg/day",
         "start": "2025-01-01", "outcome": "ongoing"}])
    assert "warfarin_with_pjp_prophylaxis_ahead" not in do_now(maintenance)
    assert "warfarin_with_pjp_prophylaxis_ahead" not in cautions(maintenance,
                                                                 "glucocorticoids_oral")


def test_hbv_antivirals_are_dosed_by_kidney_function() -> None:
    """Z45c P3: entecavir or tenofovir advised at a clearance of 26 with no word of dosing."""
    hbc = {"hbsag": {"result": "negative"}, "anti_hbc": {"result": "positive"},
           "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}}
    booked = [{"therapy": "rituximab", "start": "2026-12-20"}]
    low = _texts(make_plan(infection_screening=hbc, planned_treatments=booked,
                           lab_results=[lab("egfr", 26, "mL/min/1.73m2")]))
    assert "tenofovir alafenamide rather than disoproxil" in low
    assert "tenofovir alafenamide rather than disoproxil" not in _texts(make_plan(
        infection_screening=hbc, planned_treatments=booked))


def test_plasma_exchange_is_not_withheld_for_breastfeeding() -> None:
    """Z45d P1 (dangerous): a booked plasma exchange for failing anti-MDA5 RP-ILD barred for
    'no curated breastfeeding data' - a procedure passes nothing into milk."""
    nursing = make_plan(reproduction={"pregnant": False, "breastfeeding": True},
                        planned_treatments=[{"therapy": "plasma_exchange",
                                             "start": "2026-12-02"}])
    assert "planned_course_barred_plasma_exchange" not in do_now(nursing)
    assert "plasma_exchange" not in {w.therapy for w in nursing.withheld}


def test_severe_pjp_on_renal_replacement_keeps_co_trimoxazole() -> None:
    """Z45d P2 (dangerous): treatment-dose co-trimoxazole steered away for a potassium above 5.0
    in a ventilated patient on continuous renal replacement."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.text.startswith(
        "Treatment-dose co-trimoxazole with kidney failure"))
    assert "potassium is managed on the filter and it is kept" in rule.text
    assert "with potassium above 5.0 or low counts, a regimen without trimethoprim instead" \
        not in rule.text


def test_detectable_hbv_dna_does_not_delay_an_urgent_glucocorticoid() -> None:
    """Z45d P8 (dangerous): 'a higher glucocorticoid dose once ... HBV DNA is falling' beside the
    plan's own adjunct glucocorticoid for hypoxaemic PJP, which helps only within 72 hours."""
    screening = {"hbsag": {"result": "positive"}, "hbv_dna": {"result": "positive"},
                 "anti_hbc": {"result": "positive"}, "tb_test": {"result": "negative"},
                 "hcv": {"result": "negative"}}
    text = {a.code: a.text for a in make_plan(infection_screening=screening).do_now}[
        "hbv_dna_detectable"]
    assert "an urgent glucocorticoid" in text and "is not delayed" in text


def test_the_renal_crisis_haemolysis_line_does_not_assume_the_ace_inhibitor() -> None:
    """Z45b P7 (dangerous): 'while the ACE inhibitor is started' at 31 weeks, with the renal
    crisis only suspected and pre-eclampsia as likely."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.id == "renal_crisis_haemolysis")
    assert "while the ACE inhibitor is started" not in rule.text
    assert "if the renal crisis is confirmed" in rule.text and "obstetrics" in rule.text


def test_a_girl_under_18_is_not_told_contraception_comes_first() -> None:
    """Z45a P2: '(a teratogen: a negative pregnancy test and effective contraception first)'
    on life-saving cyclophosphamide for a girl of 14."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_route_and_risk import (
        TERATOGEN_CAVEAT,
        TERATOGEN_CAVEAT_YOUNG,
        teratogen_caveat,
    )
    lung = Regimen(domain="lung", state="new_onset", first_choice=["Cyclophosphamide (IV pulse)"],
                   alternatives=[], decision_point="")
    young = teratogen_caveat([lung], ["Cyclophosphamide (IV pulse)"], child=True)[0]
    adult = teratogen_caveat([lung], ["Cyclophosphamide (IV pulse)"])[0]
    assert young.first_choice[0].endswith(TERATOGEN_CAVEAT_YOUNG)
    assert adult.first_choice[0].endswith(TERATOGEN_CAVEAT)


def test_a_pregnant_woman_with_a_stable_lung_is_not_told_to_taper() -> None:
    """Z45b P7: 'Taper glucocorticoids to the lowest dose the lung treatment allows' at 31
    weeks beside the plan's own 'no taper until after them'."""
    record: dict[str, Any] = {
        "systemic": {"interstitial_lung_disease": True},
        "lung_measures": [{"date": "2026-10-01", "fvc_percent_predicted": 80,
                           "hrct_pattern": "nsip", "course": "stable"}],
        "lab_results": [lab("ck", 120, "U/L", 200, "2026-11-20")],
        "visits": [{"date": "2026-05-01", "core_set": {"mmt8": 79, "physician_global": 0.5}},
                   {"date": "2026-11-20", "core_set": {"mmt8": 80, "physician_global": 0.5}}],
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10,
                        "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"},
                       {"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
                        "start": "2025-01-01", "outcome": "ongoing", "response": "complete"}],
        "reproduction": {"pregnant": True, "gestation_weeks": 31,
                         "planning_conception": False, "breastfeeding": False}}
    firsts = [e for r in make_plan(**record).regimens for e in r.first_choice]
    assert not any(e.startswith("Taper glucocorticoids") for e in firsts), firsts
    assert any("through pregnancy" in e for e in firsts), firsts


def test_the_zoster_vaccine_is_deferred_in_the_rituximab_caution_in_pregnancy() -> None:
    """Z45b P2: 'recombinant zoster' among the vaccines to give before rituximab at 9 weeks."""
    from myositis.services.careplan.rules import _swap_for_patient
    caution = ("Give the inactivated vaccines that are due (influenza, pneumococcal, COVID-19, "
               "recombinant zoster) at least 2 weeks before a rituximab cycle")
    pregnant = _swap_for_patient(caution, {"pregnant": True})
    assert "recombinant zoster deferred until after the pregnancy" in pregnant
    assert _swap_for_patient(caution, {"pregnant": False}) == caution


def test_a_course_stopped_ends_the_dose_seen_at_an_earlier_visit() -> None:
    """Z45a P7: prednisolone stopped 14 months ago read as 'stopped within the last year' from
    a visit four months before the stop."""
    record: dict[str, Any] = {
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                        "start": "2023-08-24", "stop": "2025-09-30", "outcome": "effective"}],
        "visits": [{"date": "2025-06-10", "glucocorticoid_mg_per_day": 2.5},
                   {"date": "2025-12-09", "glucocorticoid_mg_per_day": 0}]}
    assert "adrenal_risk_after_stopping_glucocorticoids" not in do_now(make_plan(**record))
    recent = {**record, "treatments": [{**record["treatments"][0], "stop": "2026-06-30"}],
              "visits": [{"date": "2026-06-10", "glucocorticoid_mg_per_day": 2.5},
                         {"date": "2026-11-09", "glucocorticoid_mg_per_day": 0}]}
    assert "adrenal_risk_after_stopping_glucocorticoids" in do_now(make_plan(**recent))


def test_a_known_cancer_explains_red_flags_when_endoscopy_is_declined() -> None:
    """Z45d P6: URGENT 'CT of the chest, abdomen and pelvis now' for weight loss beside a known
    stage IV ovarian cancer, endoscopy declined."""
    base: dict[str, Any] = {"cancer": {"red_flags": ["weight_loss"]},
                            "preferences": {"declines": ["endoscopy"]}}
    known = do_now(make_plan(**{**base, "cancer": {**base["cancer"], "active_cancer": True}}))
    assert "cancer_red_flags_endoscopy_declined" not in known
    assert "cancer_red_flags_endoscopy_declined" in do_now(make_plan(**base))


def test_red_flags_with_months_to_live_and_frailty_are_investigated_in_proportion() -> None:
    """Z45c P4: an urgent CT and endoscopy at frailty 6 with a prognosis of months."""
    base: dict[str, Any] = {"cancer": {"red_flags": ["weight_loss"]}}
    frail = do_now(make_plan(**base, care_goals={"frailty_scale": 6, "prognosis": "months"}))
    assert "cancer_red_flags_frail" in frail and "cancer_red_flags" not in frail
    assert "cancer_red_flags" in do_now(make_plan(**base, care_goals={"frailty_scale": 3,
                                                                     "prognosis": "years"}))


def test_pregnancy_aspirin_does_not_bring_the_arterial_ivig_caution() -> None:
    """Z45d P4: the coronary-stent IVIG caution triggered by aspirin for pre-eclampsia."""
    booked = [{"therapy": "ivig", "start": "2026-12-10"}]
    pregnant = make_plan(other_medicines=["antiplatelet"], planned_treatments=booked,
                         reproduction={"pregnant": True, "gestation_weeks": 31,
                                       "planning_conception": False, "breastfeeding": False})
    assert "the IVIG boxed warning covers arterial events" not in _texts(pregnant)
    assert "the IVIG boxed warning covers arterial events" in _texts(make_plan(
        other_medicines=["antiplatelet"], planned_treatments=booked))


def test_a_child_with_jdm_gets_school_and_family_support() -> None:
    """Z45a: school and psychosocial support absent in every JDM plan."""
    assert "jdm_school_and_family_support" in do_now(make_plan(**CHILD))
    assert "jdm_school_and_family_support" not in do_now(make_plan())


def test_a_missing_weight_is_asked_for_when_do_now_names_ivig() -> None:
    """Z45b P8: IVIG proposed in pregnancy with no weight recorded, and no word of it."""
    record: dict[str, Any] = {
        "diagnosis": {"subgroup": "unclassified"}, "weight_kg": None,
        "reproduction": {"pregnant": True, "gestation_weeks": 22,
                         "planning_conception": False, "breastfeeding": False}}
    plan = make_plan(**record)
    assert any("IVIG" in a.text for a in plan.do_now)
    assert "weight (IVIG and the weight-based doses named in Do now)" in plan.unknowns
    weighed = make_plan(**{**record, "weight_kg": 70})
    assert not any(u.startswith("weight (IVIG") for u in weighed.unknowns)


def test_pregnancy_keeps_a_glucose_watch_with_pregnancy_targets() -> None:
    """Re-score of Z45b P2: withdrawing the non-pregnant glucose line left a pregnant woman on
    30 mg with no glucose watch at all."""
    pregnant = do_now(make_plan(treatments=[GC_30_TAKEN], reproduction={
        "pregnant": True, "gestation_weeks": 24, "planning_conception": False,
        "breastfeeding": False}))
    assert "glucose_watch_high_dose_glucocorticoids_pregnancy" in pregnant
    assert "glucose_watch_high_dose_glucocorticoids" not in pregnant
    assert "glucose_watch_high_dose_glucocorticoids_pregnancy" not in do_now(
        make_plan(treatments=[GC_30_TAKEN]))


GC_30_TAKEN = {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
               "start": "2026-11-10", "outcome": "ongoing"}


def test_no_yearly_screening_follow_through_near_the_end_of_life() -> None:
    """Re-score of Z45c P7 and P4: 'Then yearly ... until 3 years after onset' printed for a
    90-year-old near the end of life and at a prognosis of months."""
    tif1 = {"antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
            "classification": {"age_at_onset": 70}}
    def follow_through(**goals: Any) -> bool:
        plan = make_plan(**tif1, care_goals=goals)
        return any(n.startswith("Then yearly") for n in plan.cancer_screening.notes)
    assert follow_through()
    assert not follow_through(frailty_scale=8)
    assert not follow_through(prognosis="months")


def test_the_review_of_a_thiopurine_with_allopurinol_changes_the_allopurinol_first() -> None:
    """Re-score of Z45c P8: 'avoid azathioprine, or give 25 %' in the first choice beside the
    plan's own 'stop the xanthine-oxidase inhibitor' (a cut of both invited)."""
    aza = [{"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
            "start": "2024-01-01", "outcome": "ongoing"}]
    lines = [e for r in make_plan(treatments=aza, other_medicines=["allopurinol"]).regimens
             for e in r.first_choice if "Azathioprine" in e]
    assert any("the xanthine-oxidase inhibitor changed first" in e for e in lines), lines

"""Scenarios from specialist review W (December 2026, SYNTHETIC): sixteen new patients, two
reviewers; the tests hold the fixes for what the review found wrong or unsafe (H260-H271)."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan.regimens import flare_glucocorticoid
from tests.services.careplan.conftest import (
    ADULT_DM,
    cautions,
    do_now,
    make_plan,
    merge,
    offered,
    withheld,
)
from tests.services.careplan.test_review_v2 import _flare_visits
from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK


def _lab(analyte: str, value: float, unit: str, date: str = "2026-11-28") -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "date": date}


def _first_choice(plan: Any, domain: str = "muscle") -> str:
    return " ".join(next(r for r in plan.regimens if r.domain == domain).first_choice)


STATIN_NAIVE_HMGCR: dict[str, Any] = merge(HMGCR_TEXTBOOK, {
    "sex": "female", "statin_exposure": False,
    "classification": {"age_at_onset": 24},
})


def test_statin_naive_anti_hmgcr_gets_ivig_and_so_its_anti_iga_contraindication() -> None:
    plan = make_plan(STATIN_NAIVE_HMGCR)
    assert "ivig" in offered(plan)
    assert "Intravenous immunoglobulin" in _first_choice(plan)
    # anti-IgA antibodies alone: IVIG stays first, as an IgA-depleted product (review Z49d P2)
    iga = make_plan(STATIN_NAIVE_HMGCR, immunogenetics={"iga_deficiency": True,
                                                        "anti_iga_antibodies": True})
    assert "ivig" in offered(iga) and "Intravenous immunoglobulin" in _first_choice(iga)
    assert "iga_deficiency_anti_iga_no_reaction" in cautions(iga, "ivig")
    # with a past reaction too (the labelled contraindication): withheld
    reacted = make_plan(STATIN_NAIVE_HMGCR, immunogenetics={"iga_deficiency": True,
                                                            "anti_iga_antibodies": True},
                        treatments=[PAST_IVIG_REACTION])
    assert "ivig" in withheld(reacted) and "ivig" not in offered(reacted)
    assert "Intravenous immunoglobulin" not in _first_choice(reacted)


PAST_IVIG_REACTION: dict[str, Any] = {"therapy": "ivig", "start": "2021-03-01", "stop": "2021-03-02",
                                      "reason_stopped": "adverse_event",
                                      "reaction_severity": "moderate"}


MDA5_G6PD: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
    "immunogenetics": {"g6pd": "deficient"},
})


def test_g6pd_deficiency_steers_pjp_prophylaxis_away_from_dapsone_and_sulfonamides() -> None:
    plan = make_plan(MDA5_G6PD)
    item = next(a for a in plan.do_now if a.code == "g6pd_deficient_pjp_prophylaxis")
    assert item.urgency == "soon" and "prefer atovaquone" in item.text
    assert "no dapsone" in item.text
    normal = make_plan(MDA5_G6PD, immunogenetics={"g6pd": "normal"})
    assert "g6pd_deficient_pjp_prophylaxis" not in do_now(normal)
    # no text anywhere offers "dapsone after G6PD" as if the result were unknown
    assert not any("dapsone after" in r.text for r in load().rules.rules)


def test_the_agent_with_more_high_severity_cautions_does_not_lead() -> None:
    plan = make_plan(infection_screening={"hbsag": {"result": "positive"}},
                     comorbidities={"alcohol_excess": True})
    said = _first_choice(plan)
    assert "add Methotrexate" not in said and "+ Methotrexate" not in said
    sober = make_plan(comorbidities={"alcohol_excess": False})
    assert "Methotrexate" in _first_choice(sober)


def _ivig_at_1g(egfr_then: float, egfr_now: float, creat_then: float,
                creat_now: float) -> Any:
    return make_plan(
        months_since_onset=30, visits=_flare_visits(150, 140, 124), weight_kg=70,
        treatments=[{"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg",
                     "start": "2025-06-01", "outcome": "ongoing"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 5,
                     "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"}],
        lab_results=[_lab("egfr", egfr_then, "mL/min/1.73m2", "2026-03-01"),
                     _lab("creatinine", creat_then, "umol/L", "2026-03-01"),
                     _lab("egfr", egfr_now, "mL/min/1.73m2"),
                     _lab("creatinine", creat_now, "umol/L")])


def test_ivig_is_not_doubled_while_kidney_function_falls() -> None:
    falling = do_now(_ivig_at_1g(48, 25, 110, 190))
    assert "ivig_below_standard_dose_kidney" in falling
    assert "ivig_below_standard_dose_while_active" not in falling
    steady = do_now(_ivig_at_1g(85, 84, 70, 72))
    assert "ivig_below_standard_dose_while_active" in steady
    assert "ivig_below_standard_dose_kidney" not in steady


def test_methotrexate_taken_with_egfr_below_30_is_stopped_today() -> None:
    plan = make_plan(treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-01-01",
                                  "outcome": "ongoing"}],
                     lab_results=[_lab("egfr", 25, "mL/min/1.73m2")])
    item = next(a for a in plan.do_now if a.code == "methotrexate_taken_egfr_below_30")
    assert item.urgency == "urgent" and "stop it today" in item.text
    assert "methotrexate_egfr_below_30" not in do_now(plan)  # one line, not two
    kidneys_ok = make_plan(treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                        "dose_unit": "mg/week", "start": "2025-01-01",
                                        "outcome": "ongoing"}],
                           lab_results=[_lab("egfr", 75, "mL/min/1.73m2")])
    assert "methotrexate_taken_egfr_below_30" not in do_now(kidneys_ok)


SRP_RELAPSE = {
    "months_since_onset": 14, "visits": _flare_visits(150, 140, 124),
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
                    "start": "2025-11-24", "outcome": "ongoing"},
                   {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                    "start": "2025-12-10", "outcome": "ongoing"}],
}


def test_pjp_prophylaxis_comes_before_escalating_a_combination_at_15_mg() -> None:
    plan = make_plan(**SRP_RELAPSE)
    assert plan.state.of("muscle") == "flare"
    assert do_now(plan).get("pjp_prophylaxis_before_escalation") == "soon"
    covered = make_plan(**SRP_RELAPSE, prophylaxis={"pjp": True})
    assert "pjp_prophylaxis_before_escalation" not in do_now(covered)
    alone = make_plan(**{**SRP_RELAPSE, "treatments": SRP_RELAPSE["treatments"][:1]})
    assert "pjp_prophylaxis_before_escalation" not in do_now(alone)


ASYS_MAN_CYC: dict[str, Any] = merge(ADULT_DM, {
    "sex": "male", "skin": {}, "antibodies": {"jo1": {"status": "positive"},
                                             "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True},
    "reproduction": {"planning_conception": True},
    "treatments": [{"therapy": "cyclophosphamide", "dose_value": 750, "dose_unit": "mg",
                    "start": "2026-08-01", "outcome": "ongoing"}],
})


def test_a_running_cyclophosphamide_course_is_a_timing_decision_for_a_father() -> None:
    plan = make_plan(ASYS_MAN_CYC)
    assert "cyclophosphamide" not in withheld(plan)
    item = next(a for a in plan.do_now if a.code == "paternal_taken_now")
    assert "Decide the timing together" in item.text and "sperm banking" in item.text
    assert "12 weeks before conception" in item.text
    # a new start is still withheld while conception is planned
    naive = make_plan(ASYS_MAN_CYC, treatments=[])
    assert "cyclophosphamide" in withheld(naive)
    mmf = next(o for o in naive.options if o.therapy == "mycophenolate")
    assert any(c.condition == "mycophenolate_paternal_planning" for c in mmf.cautions)


SSC_ILD: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True},
    "lung": {"course": "progressive"},
    "months_since_onset": 14,
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                    "start": "2026-06-01", "outcome": "ongoing"}],
})


def test_ild_progressing_on_glucocorticoids_alone_starts_a_steroid_sparing_agent() -> None:
    plan = make_plan(SSC_ILD)
    assert plan.state.of("lung") == "active"
    lung = _first_choice(plan, "lung")
    assert lung.startswith("Mycophenolate") and "Rituximab" not in lung
    on_mmf = make_plan(SSC_ILD, treatments=[
        *SSC_ILD["treatments"],
        {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
         "start": "2026-06-01", "outcome": "ongoing"}])
    assert on_mmf.state.of("lung") == "inadequate_response"


def test_checkpoint_inhibitor_myositis_dose_line_is_not_capped_at_60_mg() -> None:
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"], weight_kg=88)
    line = next(d for d in plan.doses if d.therapy == "glucocorticoids_oral")
    assert "44-175 mg/day" in line.text and "maximum 60" not in line.text
    idiopathic = make_plan(weight_kg=88)
    line = next(d for d in idiopathic.doses if d.therapy == "glucocorticoids_oral")
    assert "maximum 60" in line.text


JDM_ON_MTX: dict[str, Any] = merge(ADULT_DM, {
    "classification": {"age_at_onset": 8}, "months_since_onset": 24, "weight_kg": 31,
    "height_cm": 137, "visits": _flare_visits(80, 79, 68),
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                    "start": "2024-11-09", "outcome": "ongoing"},
                   {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2024-11-09", "outcome": "ongoing"}],
})


def test_a_jdm_flare_on_methotrexate_gets_a_dose_by_weight_and_a_second_line_agent() -> None:
    plan = make_plan(JDM_ON_MTX)
    assert plan.state.of("muscle") == "flare"
    said = _first_choice(plan)
    assert "1-2 mg/kg/day" in said and "31-60 mg/day" in said
    assert "(now 5 mg/day)" in said
    assert "add Mycophenolate mofetil" in said
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("Intravenous immunoglobulin" in a for a in muscle.alternatives)
    first_line = make_plan(JDM_ON_MTX, treatments=JDM_ON_MTX["treatments"][:1])
    assert "add Mycophenolate mofetil" not in _first_choice(first_line)


def test_the_flare_dose_names_weight_pregnancy_and_the_dose_it_flared_on() -> None:
    adult = flare_glucocorticoid(70, 5, child=False, pregnant=False)
    assert "35 mg/day at 70 kg" in adult and "(now 5 mg/day)" in adult
    assert "dexamethasone" not in adult
    pregnant = flare_glucocorticoid(70, 5, child=False, pregnant=True)
    assert "not dexamethasone or betamethasone" in pregnant
    unweighed = flare_glucocorticoid(None, None, child=False, pregnant=False)
    assert "needs a weight" in unweighed and "flared on" not in unweighed
    heavy_child = flare_glucocorticoid(45, 10, child=True, pregnant=False)
    assert "45-60 mg/day" in heavy_child


def test_a_raised_tsh_is_named_as_a_mimic_to_treat_first() -> None:
    plan = make_plan(lab_results=[{**_lab("tsh", 38, "mU/L"), "uln": 4.5}])
    item = next(a for a in plan.do_now if a.code == "raised_tsh_myositis_mimic")
    assert "TSH 38 mU/L" in item.text and "before a muscle biopsy" in item.text
    normal = make_plan(lab_results=[{**_lab("tsh", 2.1, "mU/L"), "uln": 4.5}])
    assert "raised_tsh_myositis_mimic" not in do_now(normal)
    # a raised TSH of two years ago is not shown as current
    stale = make_plan(lab_results=[{**_lab("tsh", 38, "mU/L", "2024-11-01"), "uln": 4.5}])
    assert "raised_tsh_myositis_mimic" not in do_now(stale)


def test_the_infection_screen_request_names_only_the_missing_tests() -> None:
    unclassified = {"id": "SYN-W-U", "sex": "female", "today": "2026-12-01",
                    "classification": {"age_at_onset": 55,
                                       "weakness": {"proximal_lower": True}},
                    "infection_screening": {"hbsag": {"result": "negative"},
                                            "anti_hbc": {"result": "positive"},
                                            "anti_hbs": {"result": "positive"},
                                            "hcv": {"result": "negative"}}}
    plan = make_plan(unclassified)
    text = next(a.text for a in plan.do_now
                if a.code == "screening_before_likely_immunosuppression")
    assert "HIV" in text and "IGRA or TST" in text and "VZV IgG" in text
    assert "HBsAg" not in text and "anti-HBs" not in text


def test_troponin_t_with_a_normal_troponin_i_is_read_as_muscle() -> None:
    labs = [{**_lab("troponin_t", 62, "ng/L"), "uln": 14},
            {**_lab("troponin_i", 8, "ng/L"), "uln": 16}]
    plan = make_plan(lab_results=labs)
    cardiac = next(w for w in plan.workup if w.code == "cardiac")
    assert "normal troponin I" in cardiac.reason and cardiac.urgency == "routine"
    heart = make_plan(lab_results=[labs[0], {**labs[1], "value": 40}])
    cardiac = next(w for w in heart.workup if w.code == "cardiac")
    assert cardiac.urgency == "soon" and "normal troponin I" not in cardiac.reason


def test_oral_methotrexate_with_severe_dysphagia_moves_to_injection() -> None:
    course = {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
              "start": "2025-12-10", "outcome": "ongoing", "route": "oral"}
    plan = make_plan(organs={"dysphagia": "severe"}, treatments=[course])
    assert "oral_methotrexate_with_severe_dysphagia" in do_now(plan)
    injected = make_plan(organs={"dysphagia": "severe"},
                         treatments=[{**course, "route": "sc"}])
    assert "oral_methotrexate_with_severe_dysphagia" not in do_now(injected)
    mild = make_plan(organs={"dysphagia": "mild"}, treatments=[course])
    assert "oral_methotrexate_with_severe_dysphagia" not in do_now(mild)


def test_a_former_smoker_is_not_told_to_stop() -> None:
    former = make_plan(comorbidities={"smoking": True, "smoking_status": "former"})
    assert "smoking_cessation" not in do_now(former)
    current = make_plan(comorbidities={"smoking_status": "current"})
    assert "smoking_cessation" in do_now(current)
    legacy = make_plan(comorbidities={"smoking": True})
    assert "smoking_cessation" in do_now(legacy)


def test_one_haq_answer_step_is_not_a_worsening_signal() -> None:
    from myositis.services.course import course
    from tests.services.careplan.conftest import make_record

    def visits(haq_before: float, haq_after: float) -> list[dict[str, Any]]:
        return [{"date": day, "core_set": {"physician_global": 1, "patient_global": 1,
                                           "extramuscular_global": 0.5, "mmt8": 150,
                                           "mmt_max": 150, "haq": haq}}
                for day, haq in (("2026-06-01", haq_before), ("2026-11-28", haq_after))]

    small = course(make_record(visits=visits(0.25, 0.375)))
    assert not small.signals
    large = course(make_record(visits=visits(0.25, 0.625)))
    assert any("HAQ-DI / CHAQ 0.25 to 0.625" in s for s in large.signals)


def test_imnm_below_the_2017_threshold_says_the_criteria_under_classify_it() -> None:
    from myositis.reports import to_markdown

    biopsied = make_plan(HMGCR_TEXTBOOK,
                         classification={"biopsy": {"endomysial_infiltrate": False}})
    assert biopsied.classification.category == "not_iim"
    text = to_markdown(biopsied)
    assert "under-classify this subgroup" in text and "ENMC 224 (2018)" in text
    assert "under-classify" not in to_markdown(make_plan())


def test_the_hydroxychloroquine_eruption_warning_belongs_to_the_first_months() -> None:
    def plan_on(start: str) -> Any:
        return make_plan(treatments=[{"therapy": "hydroxychloroquine", "dose_value": 200,
                                      "dose_unit": "mg/day", "start": start,
                                      "outcome": "ongoing"}])

    def hcq_line(plan: Any) -> str:
        return next(m.text for m in plan.monitoring if m.therapy == "Hydroxychloroquine")

    assert "drug eruptions" in hcq_line(plan_on("2026-10-15"))
    assert "drug eruptions" not in hcq_line(plan_on("2021-02-01"))


def test_mammography_for_a_young_woman_carries_a_note() -> None:
    young = make_plan(classification={"age_at_onset": 24}, antibodies={
        "tif1g": {"status": "positive"}, "mi2": {"status": "negative"}})
    tests = young.cancer_screening.tests_due
    assert any("Mammography" in t for t in tests)
    assert any("Mammography under 40" in n for n in young.cancer_screening.notes)
    older = make_plan(classification={"age_at_onset": 52})
    assert not any("Mammography under 40" in n for n in older.cancer_screening.notes)


def test_bone_advice_in_a_possible_renal_crisis_names_the_crisis_not_the_egfr() -> None:
    plan = make_plan(antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
                     organs={"new_hypertension": True}, comorbidities={"osteoporosis": True},
                     lab_results=[_lab("egfr", 88, "mL/min/1.73m2")])
    actions = do_now(plan)
    assert "bone_medication_renal_crisis" in actions
    assert "bone_medication_kidney" not in actions


def test_a_bisphosphonate_taken_with_failing_kidneys_is_stopped_not_left_to_its_prescriber(
        ) -> None:
    plan = make_plan(comorbidities={"osteoporosis": True},
                     treatments=[{"therapy": "bisphosphonates", "start": "2024-01-01",
                                  "outcome": "ongoing"}],
                     lab_results=[_lab("egfr", 25, "mL/min/1.73m2")])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Stop Bisphosphonates" in said or "Stop Bisphosphonate" in said
    assert "its prescriber decides" not in said


def test_no_taper_advice_while_the_lung_is_active() -> None:
    from tests.services.careplan.test_safety_rules import visit

    stable_muscle = {"months_since_onset": 30, "visits": [
        visit("2026-06-01", 1, 80, 150, 5), visit("2026-11-20", 1, 80, 140, 5)],
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 5,
                        "dose_unit": "mg/day", "start": "2024-01-01", "outcome": "ongoing"},
                       {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                        "start": "2024-03-01", "outcome": "ongoing"}]}
    quiet = make_plan(**stable_muscle)
    assert "glucocorticoid_taper_adrenal" in do_now(quiet)
    lung = make_plan(**stable_muscle, systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive"})
    assert lung.state.of("lung") == "inadequate_response"
    assert "glucocorticoid_taper_adrenal" not in do_now(lung)


def test_a_man_on_cyclophosphamide_is_not_asked_for_a_pregnancy_test() -> None:
    from tests.services.careplan.test_review_v2 import MDA5_RPILD

    def gonadal(sex: str) -> str:
        plan = make_plan(MDA5_RPILD, sex=sex, classification={"age_at_onset": 35})
        option = next(o for o in plan.options if o.therapy == "cyclophosphamide")
        return next(c.text for c in option.cautions if "Gonadotoxic" in c.text)

    assert "pregnancy test" not in gonadal("male")
    assert "pregnancy test before each pulse" in gonadal("female")
    running = make_plan(ASYS_MAN_CYC)
    assert "past_cyclophosphamide_conception" not in do_now(running)


def test_imnm_decision_point_does_not_prompt_a_withheld_ivig() -> None:
    iga = make_plan(STATIN_NAIVE_HMGCR, immunogenetics={"iga_deficiency": True,
                                                        "anti_iga_antibodies": True},
                    treatments=[PAST_IVIG_REACTION])
    decision = next(r for r in iga.regimens if r.domain == "muscle").decision_point
    assert "IVIG is withheld for this patient" in decision and "IVIG early" not in decision
    usual = make_plan(STATIN_NAIVE_HMGCR)
    assert "IVIG early" in next(r for r in usual.regimens if r.domain == "muscle").decision_point


def test_results_that_change_drug_choice_are_listed_among_the_inputs() -> None:
    plan = make_plan(MDA5_G6PD)
    assert "G6PD deficient" in plan.inputs_used
    assert "G6PD deficient" not in make_plan().inputs_used


def test_a_childs_flare_dose_line_does_not_say_half_the_induction_range() -> None:
    off_gc = make_plan(JDM_ON_MTX, treatments=JDM_ON_MTX["treatments"][1:])
    assert off_gc.state.of("muscle") == "flare"
    line = next((d for d in off_gc.doses if d.therapy == "glucocorticoids_oral"), None)
    assert line is not None and "about half" not in line.text
    adult = make_plan(visits=_flare_visits(150, 140, 124), months_since_onset=30, weight_kg=70,
                      treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                   "dose_unit": "mg/week", "start": "2024-01-01",
                                   "outcome": "ongoing"}])
    line = next(d for d in adult.doses if d.therapy == "glucocorticoids_oral")
    assert "about half" in line.text

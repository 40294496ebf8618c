"""Scenarios from specialist review U (December 2026, SYNTHETIC): sixteen new patients; the
tests below hold the fixes for what the review found wrong or unsafe."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.lab_trends import haemolysis_signs
from tests.services.careplan.conftest import (
    ADULT_DM,
    do_now,
    make_plan,
    make_record,
    merge,
    offered,
    withheld,
)

MTX: list[dict[str, Any]] = [{"therapy": "methotrexate", "dose_value": 25, "dose_unit": "mg/week",
                              "start": "2025-09-01", "outcome": "ongoing"}]


def _visit(date: str, **core: Any) -> dict[str, Any]:
    return {"date": date, "core_set": core}


def test_trimethoprim_with_methotrexate_is_urgent_and_reviews_the_drug() -> None:
    plan = make_plan(treatments=MTX, other_medicines=["trimethoprim"])
    assert do_now(plan).get("methotrexate_trimethoprim") == "urgent"
    item = next(a for a in plan.do_now if a.code == "methotrexate_trimethoprim")
    assert "bone-marrow suppression" in item.text and "withhold methotrexate" in item.text
    approach = " ".join(" ".join(r.first_choice) for r in plan.regimens)
    assert "Continue Methotrexate" not in approach and "Review Methotrexate" in approach
    mtx = next(m for m in plan.monitoring if m.therapy == "Methotrexate")
    assert mtx.next_due == "by 2026-12-08 (under review now)"
    # no methotrexate, no interaction; trimethoprim alone is not an item
    assert "methotrexate_trimethoprim" not in do_now(make_plan(other_medicines=["trimethoprim"]))


MDA5_TAC: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "lab_results": [{"analyte": "lymphocytes", "value": 1.4, "unit": "10^9/L",
                     "date": "2026-11-20"},
                    {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                     "date": "2026-11-20"}],
    "treatments": [{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                    "start": "2024-01-01", "outcome": "ongoing"}],
})


def test_cmv_monitoring_asks_for_a_combination_not_one_drug() -> None:
    alone = make_plan(MDA5_TAC)
    assert "cmv_monitoring_anti_mda5_combination" not in do_now(alone)
    with_gc = make_plan(MDA5_TAC, treatments=[
        *MDA5_TAC["treatments"],
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2026-06-01", "outcome": "ongoing"}])
    assert "cmv_monitoring_anti_mda5_combination" in do_now(with_gc)
    lymphopenic = make_plan(MDA5_TAC, lab_results=[
        {"analyte": "lymphocytes", "value": 0.7, "unit": "10^9/L", "date": "2026-11-20"}])
    assert "cmv_monitoring_anti_mda5_combination" in do_now(lymphopenic)


def test_skin_worse_on_hydroxychloroquine_is_not_untreated_disease() -> None:
    visits = [_visit("2026-06-15", physician_global=3, patient_global=3, extramuscular_global=3,
                     mmt8=80, haq=0.25),
              _visit("2026-11-28", physician_global=5, patient_global=6, extramuscular_global=6,
                     mmt8=80, haq=0.5)]
    hcq = [{"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
            "start": "2026-05-01", "outcome": "ongoing"}]
    plan = make_plan(visits=visits, treatments=hcq)
    assert "worse_before_treatment" not in do_now(plan)
    untreated = make_plan(visits=visits)
    assert "worse_before_treatment" in do_now(untreated)


IVIG: list[dict[str, Any]] = [{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                               "start": "2026-08-01", "outcome": "ongoing"}]


def _hb(first: float, last: float, **more: Any) -> list[dict[str, Any]]:
    return [{"analyte": "haemoglobin", "value": first, "unit": "g/L", "date": "2026-11-15"},
            {"analyte": "haemoglobin", "value": last, "unit": "g/L", "date": "2026-11-29"},
            *more.get("extra", [])]


def test_a_large_haemoglobin_fall_on_ivig_holds_the_next_course() -> None:
    plan = make_plan(treatments=IVIG, lab_results=_hb(132, 98))
    assert do_now(plan).get("ivig_haemolysis_hold") == "urgent"
    assert "ivig_haemolysis" not in do_now(plan)  # the softer line is covered
    approach = " ".join(" ".join(r.first_choice) for r in plan.regimens)
    assert "Hold Intravenous immunoglobulin" in approach
    assert "Continue and optimise Intravenous immunoglobulin" not in approach
    # a 17 g/L fall with a raised bilirubin holds it too; 17 g/L alone is looked into
    bili = [{"analyte": "bilirubin", "value": 38, "unit": "umol/L", "uln": 21,
             "date": "2026-11-29"}]
    assert "ivig_haemolysis_hold" in do_now(make_plan(treatments=IVIG,
                                                      lab_results=_hb(130, 113, extra=bili)))
    softer = make_plan(treatments=IVIG, lab_results=_hb(130, 113))
    assert "ivig_haemolysis_hold" not in do_now(softer)
    assert "ivig_haemolysis" in do_now(softer)


def test_ldh_with_a_raised_ck_is_not_read_as_haemolysis() -> None:
    ldh = [{"analyte": "ldh", "value": 720, "unit": "U/L", "uln": 250, "date": "2026-11-29"}]
    ck_high = [{"analyte": "ck", "value": 900, "unit": "U/L", "uln": 200, "date": "2026-11-29"}]
    ck_normal = [{"analyte": "ck", "value": 150, "unit": "U/L", "uln": 200, "date": "2026-11-29"}]
    assert haemolysis_signs(make_record(lab_results=ldh + ck_high)) == frozenset()
    assert haemolysis_signs(make_record(lab_results=ldh + ck_normal)) == {"LDH 2.9 x ULN"}


PREGNANT_REMISSION: dict[str, Any] = merge(ADULT_DM, {
    "months_since_onset": 48, "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
    "reproduction": {"pregnant": True, "gestation_weeks": 14},
    "visits": [_visit("2026-06-10", physician_global=0.5, patient_global=1,
                      extramuscular_global=0, mmt8=80, haq=0),
               _visit("2026-12-01", physician_global=0.5, patient_global=1,
                      extramuscular_global=0, mmt8=80, haq=0)],
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                    "start": "2023-01-01", "outcome": "ongoing"},
                   {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                    "start": "2023-01-10", "outcome": "ongoing"}],
})


def test_pregnant_in_remission_keeps_the_glucocorticoid_dose() -> None:
    plan = make_plan(PREGNANT_REMISSION)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    said = " ".join(muscle.first_choice)
    assert "through pregnancy" in said and "Taper glucocorticoids towards stopping" not in said
    assert "at the lowest effective dose, tapering" not in said
    assert "glucocorticoid_taper_adrenal" not in do_now(plan)
    care = next(a for a in plan.do_now if a.code == "pregnancy_co_management")
    assert "aspirin 75-150 mg" in care.text and "urine protein" in care.text
    assert "nice2019_ng133_hypertension_pregnancy" in care.citations
    # not pregnant: the usual taper
    after = make_plan(PREGNANT_REMISSION, reproduction={"pregnant": False})
    assert "Taper glucocorticoids towards stopping" in " ".join(
        next(r for r in after.regimens if r.domain == "muscle").first_choice)


def test_a_missed_baseline_retinal_exam_years_into_hydroxychloroquine_is_due_now() -> None:
    plan = make_plan(PREGNANT_REMISSION)
    hcq = next(m for m in plan.monitoring if m.therapy == "Hydroxychloroquine")
    assert "baseline retinal examination not recorded: arrange it now" in hcq.next_due
    assert "within the first year" not in hcq.next_due


ASYS_INFECTED: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True, "fever": True},
    "lung": {"course": "progressive", "date": "2026-11-25"},
    "comorbidities": {"active_infection": True},
    "visits": [_visit("2026-06-15", physician_global=3, patient_global=3, extramuscular_global=3,
                      mmt8=70, haq=0.5),
               _visit("2026-11-28", physician_global=5.5, patient_global=6,
                      extramuscular_global=5.5, mmt8=68, haq=1.0)],
    "treatments": [{"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
                    "start": "2025-06-01", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                    "start": "2025-06-01", "outcome": "ongoing"}],
})


def test_worse_during_an_infection_treats_the_infection_before_escalating() -> None:
    plan = make_plan(ASYS_INFECTED)
    flare = next(a for a in plan.do_now if a.code == "flare")
    assert "treat the infection first" in flare.text and "re-escalate," not in flare.text
    approach = " ".join(" ".join(r.first_choice) for r in plan.regimens)
    assert "re-escalate" not in approach
    assert "rituximab" in withheld(plan) and "rituximab" not in offered(plan)
    # no other new agent in its place, and the drug already taken is kept (re-score of U)
    assert "azathioprine" in withheld(plan) and "mycophenolate" not in withheld(plan)
    assert "Continue Mycophenolate mofetil" in approach
    # without the infection the flare is re-escalated and rituximab is offered for the lung
    well = make_plan(ASYS_INFECTED, systemic={"fever": False},
                     comorbidities={"active_infection": False})
    assert "treat the infection first" not in next(a for a in well.do_now
                                                   if a.code == "flare").text
    assert "rituximab" not in withheld(well)


PL12_ILD: dict[str, Any] = merge(ADULT_DM, {
    "sex": "female", "antibodies": {"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True},
    "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                    "start": "2025-01-01", "outcome": "ongoing"}],
    "lung_measures": [{"date": "2025-12-01", "fvc_percent_predicted": 80,
                       "dlco_percent_predicted": 48}],
    "lung": {"date": "2026-11-25", "course": "stable", "fvc_percent_predicted": 78,
             "dlco_percent_predicted": 38, "hrct_pattern": "nsip"},
})


def test_a_lung_recorded_stable_with_falling_dlco_is_active_and_seen_soon() -> None:
    plan = make_plan(PL12_ILD)
    lung = next(d for d in plan.state.domains if d.domain == "lung")
    assert lung.state == "active" and "DLCO 48 -> 38" in lung.basis[0]
    review = next(m for m in plan.monitoring if m.therapy == "Lung")
    assert review.next_due == "by 2027-01-06"
    steady = make_plan(PL12_ILD, lung_measures=[{"date": "2025-12-01",
                                                 "fvc_percent_predicted": 79,
                                                 "dlco_percent_predicted": 40}])
    assert next(d for d in steady.state.domains if d.domain == "lung").state == "stable"


def test_pulmonary_hypertension_text_leaves_pregnancy_out_after_the_menopause() -> None:
    suspected = {"pulmonary_hypertension": "suspected"}
    older = make_plan(PL12_ILD, organs=suspected, reproduction={"postmenopausal": True},
                      classification={"age_at_onset": 60})
    text = next(a.text for a in older.do_now if a.code == "pulmonary_hypertension_suspected")
    assert "pregnan" not in text
    younger = make_plan(PL12_ILD, organs=suspected)
    assert "pregnancy is advised against" in next(
        a.text for a in younger.do_now if a.code == "pulmonary_hypertension_suspected")


def test_a_drug_without_response_is_not_simply_continued() -> None:
    visits = [_visit("2026-03-10", physician_global=5, patient_global=5, extramuscular_global=2,
                     mmt8=120, mmt_max=150, haq=1.25),
              _visit("2026-11-28", physician_global=6, patient_global=6, extramuscular_global=3,
                     mmt8=112, mmt_max=150, haq=1.5)]
    plan = make_plan(visits=visits, months_since_onset=14, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
         "start": "2025-11-24", "outcome": "ongoing"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2025-12-01", "outcome": "ongoing", "response": "none"}])
    assert "methotrexate" in plan.state.steroid_sparing_failed
    said = " ".join(f for r in plan.regimens for f in r.first_choice)
    assert "Continue Methotrexate (taken now)" not in said
    assert "Methotrexate (taken now, without an adequate response)" in said


def test_heart_involvement_puts_exercise_advice_behind_cardiology() -> None:
    plan = make_plan(organs={"cardiac": "confirmed"})
    item = next(a for a in plan.do_now if a.code == "exercise_with_heart_involvement")
    assert "no strenuous or competitive exercise" in item.text
    assert "exercise_with_heart_involvement" not in do_now(make_plan(organs={"cardiac": "none"}))


def test_weaker_muscle_with_worse_globals_is_a_flare_not_a_quiet_muscle() -> None:
    def visit(date: str, mmt8: int, ck: int, ext: float) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": 6, "patient_global": 6,
                                           "extramuscular_global": ext, "mmt8": mmt8,
                                           "mmt_max": 150, "haq": 1.5},
                "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}

    plan = make_plan(treatments=MTX, visits=[visit("2026-07-14", 112, 7800, 3),
                                             visit("2026-11-28", 104, 9400, 5)])
    assert do_now(plan).get("flare") == "urgent" and "worse_muscle_quiet" not in do_now(plan)
    assert "MMT-8 112 to 104" in next(a.text for a in plan.do_now if a.code == "flare")
    steady = make_plan(treatments=MTX, visits=[visit("2026-07-14", 146, 210, 3),
                                               visit("2026-11-28", 146, 215, 5)])
    assert "worse_muscle_quiet" in {f.code for f in steady.flags}
    # the state agrees with the flag: the muscle flared, the skin line does not say otherwise
    assert plan.state.of("muscle") == "flare"
    assert not any("not a muscle flare" in b for d in plan.state.domains for b in d.basis)


def test_a_childs_rituximab_dose_names_the_lower_dose_for_a_small_body() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import doses_for

    child = make_record(classification={"age_at_onset": 8}, months_since_onset=12,
                        weight_kg=28, height_cm=130)
    (line,), _missing = doses_for(child, load(), ["rituximab"])
    assert "575 mg/m2" in line.text and "confirm the dose with the paediatric team" in line.text
    adult = make_record(weight_kg=70, height_cm=170)
    (line,), _missing = doses_for(adult, load(), ["rituximab"])
    assert "575" not in line.text


def test_detectable_hbv_dna_sets_the_order_of_steps() -> None:
    screening = {"hbsag": {"result": "positive"}, "anti_hbc": {"result": "positive"},
                 "hbv_dna": {"result": "positive", "date": "2026-11-20"},
                 "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}}
    plan = make_plan(treatments=MTX, infection_screening=screening)
    assert do_now(plan).get("hbv_dna_detectable") == "urgent"
    text = next(a.text for a in plan.do_now if a.code == "hbv_dna_detectable")
    assert text.index("antiviral first") < text.index("anti-CD20")
    assert "every 1-3 months" in text
    undetectable = dict(screening, hbv_dna={"result": "negative", "date": "2026-11-20"})
    assert "hbv_dna_detectable" not in do_now(make_plan(treatments=MTX,
                                                        infection_screening=undetectable))


def test_dermatomyositis_without_an_anti_mda5_result_asks_for_one() -> None:
    untested = merge(ADULT_DM, {"antibodies": {"mi2": {"status": "negative"}}})
    del untested["antibodies"]["mda5"]
    assert "anti_mda5_not_tested_in_dm" in do_now(make_plan(untested))
    assert "anti_mda5_not_tested_in_dm" not in do_now(make_plan())  # tested negative


def test_a_calcineurin_inhibitor_with_an_azole_asks_whether_the_azole_is_needed() -> None:
    plan = make_plan(MDA5_TAC, other_medicines=["azole_antifungal"])
    text = next(a.text for a in plan.do_now if a.code == "calcineurin_azole_recheck")
    assert "terbinafine" in text and "seizure" in text


def test_scleroderma_overlap_above_15_mg_is_tapered_and_blood_pressure_watched() -> None:
    overlap = {"antibodies": {"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
               "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 30,
                               "dose_unit": "mg/day", "start": "2026-08-01",
                               "outcome": "ongoing"}]}
    plan = make_plan(**overlap)
    text = next(a.text for a in plan.do_now if a.code == "ssc_overlap_glucocorticoid_above_15")
    assert "15 mg/day or less" in text and "blood pressure" in text
    low = make_plan(**{**overlap, "treatments": [{**overlap["treatments"][0],
                                                  "dose_value": 10}]})
    assert "ssc_overlap_glucocorticoid_above_15" not in do_now(low)

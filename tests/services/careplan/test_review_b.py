"""Scenarios from specialist review B (December 2026, SYNTHETIC): sixteen patients from a
general clinic week and from hard cases; the tests hold the fixes for what the review found
wrong or unsafe (H299-H308)."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.screening import present_factors
from tests.services.careplan.conftest import (
    ADULT_DM,
    do_now,
    make_plan,
    make_record,
    merge,
    offered,
    withheld,
)
from tests.services.careplan.test_safety_rules import visit


def _lab(analyte: str, value: float, unit: str, date: str = "2026-11-28",
         uln: float | None = None) -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "date": date, "uln": uln}


REFRACTORY_DM = {"months_since_onset": 30,
                 "visits": [visit("2026-06-01", 5, 60, 3000, 10), visit("2026-11-20", 5, 60, 3000,
                                                                        10)],
                 "treatments": [{"therapy": "methotrexate", "outcome": "ineffective",
                                 "start": "2024-06-01", "stop": "2025-06-01"},
                                {"therapy": "mycophenolate", "outcome": "ineffective",
                                 "start": "2025-06-01", "stop": "2026-05-01"}]}


def test_jak_inhibitors_are_withheld_after_a_recent_thrombosis() -> None:
    recent = make_plan(**REFRACTORY_DM, comorbidities={"last_thrombosis": "2026-09-07"})
    held = withheld(recent)
    assert "tofacitinib" in held or "brepocitinib" in held
    assert not {"tofacitinib", "brepocitinib"} & offered(recent)
    old = make_plan(**REFRACTORY_DM, comorbidities={"last_thrombosis": "2025-06-01"})
    assert "jak_inhibitor_recent_thrombosis" not in {
        r for w in old.withheld for r in w.rule_ids}


TACROLIMUS = [{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
               "start": "2025-01-01", "outcome": "ongoing"}]


def test_a_high_trough_with_kidney_injury_withholds_tacrolimus_today() -> None:
    injured = make_plan(treatments=TACROLIMUS, lab_results=[
        _lab("tacrolimus_trough", 13, "ng/mL"), _lab("creatinine", 80, "umol/L", "2026-10-01"),
        _lab("creatinine", 128, "umol/L")])
    item = next(a for a in injured.do_now if a.code == "tacrolimus_toxicity")
    assert item.urgency == "urgent" and "withhold tacrolimus today" in item.text
    plain = make_plan(treatments=TACROLIMUS, lab_results=[_lab("tacrolimus_trough", 13,
                                                               "ng/mL")])
    assert "tacrolimus_toxicity" not in do_now(plain)
    assert "tacrolimus_trough_high" in do_now(plain)


def test_a_digital_or_calcinosis_ulcer_is_not_counted_as_cutaneous_necrosis() -> None:
    dm = make_record(skin={"cutaneous_ulceration": True})
    assert "cutaneous_necrosis" in present_factors(dm, ["dm"])
    asys = make_record(skin={"cutaneous_ulceration": True},
                       antibodies={"pl12": {"status": "positive"}})
    assert "cutaneous_necrosis" not in present_factors(asys, ["asys"])
    calcinosis = make_record(skin={"cutaneous_ulceration": True},
                             organs={"calcinosis_lesions": [{"site": "elbow",
                                                             "ulcerated": True}]})
    assert "cutaneous_necrosis" not in present_factors(calcinosis, ["dm"])


def test_the_cyclophosphamide_dose_line_is_lowered_with_failing_kidneys() -> None:
    from tests.services.careplan.test_review_v2 import MDA5_RPILD

    plan = make_plan(MDA5_RPILD, weight_kg=70, height_cm=170,
                     lab_results=[_lab("egfr", 12, "mL/min/1.73m2")])
    line = next(d for d in plan.doses if d.therapy == "cyclophosphamide")
    assert "at most 0.5 g per month" in line.text or "0.5 g/m2" in line.text
    assert "dialysis" in line.text


def test_an_hbv_active_antiviral_already_taken_is_the_prophylaxis() -> None:
    plan = make_plan(infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "positive"}},
                     other_medicines=["hbv_active_antiviral"])
    actions = do_now(plan)
    assert "hbv_antiviral_already_taken" in actions and "anti_hbc_positive" not in actions
    without = make_plan(infection_screening={"hbsag": {"result": "negative"},
                                             "anti_hbc": {"result": "positive"}})
    assert "anti_hbc_positive" in do_now(without)


def test_a_raised_alt_with_a_very_high_ck_and_anti_hbc_alone_is_not_urgent_hepatitis() -> None:
    plan = make_plan(infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "positive"},
                                          "hcv": {"result": "negative"}},
                     labs={"enzymes": {"ck": {"value": 9400, "uln": 200}}},
                     lab_results=[_lab("alt", 210, "U/L", uln=45)])
    actions = do_now(plan)
    assert actions.get("transaminases_raised_anti_hbc_high_ck_dna_unknown") == "soon"
    assert "transaminases_raised_with_viral_hepatitis" not in actions


def test_skin_refractory_to_an_antimalarial_alone_gets_methotrexate_before_ivig() -> None:
    adm = merge(ADULT_DM, {
        "classification": {"weakness": {"proximal_upper": False, "proximal_lower": False},
                           "elevated_muscle_enzymes": False},
        "labs": {"enzymes": {"ck": {"value": 100, "uln": 200}}},
        "antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
        "skin_refractory": True, "months_since_onset": 14,
        "treatments": [{"therapy": "hydroxychloroquine", "dose_value": 300,
                        "dose_unit": "mg/day", "start": "2025-10-01", "outcome": "ongoing",
                        "response": "none"}]})
    plan = make_plan(adm)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0] == "Methotrexate", skin.first_choice


def test_conception_planned_during_active_disease_asks_for_contraception_now() -> None:
    plan = make_plan(reproduction={"planning_conception": True,
                                   "effective_contraception": False})
    assert "conception_planned_during_active_disease" in do_now(plan)
    quiet = make_plan(reproduction={"planning_conception": True}, months_since_onset=40,
                      visits=[visit("2026-05-01", 0.5, 80, 150, 0),
                              visit("2026-11-20", 0.5, 80, 150, 0)])
    assert "conception_planned_during_active_disease" not in do_now(quiet)


def test_a_dose_below_the_induction_range_in_active_disease_is_raised() -> None:
    plan = make_plan(weight_kg=70, months_since_onset=2,
                     visits=[visit("2026-10-20", 6, 60, 4000, 30),
                             visit("2026-11-20", 6, 60, 4000, 30)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-10-20",
                                  "outcome": "ongoing"}])
    said = " ".join(next(r for r in plan.regimens if r.domain == "muscle").first_choice)
    assert "below the induction range" in said and "35-60 mg/day" in said
    # not in a scleroderma overlap, where the renal-crisis rule keeps it at 15 mg/day or less
    overlap = make_plan(weight_kg=70, months_since_onset=2,
                        antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
                        visits=[visit("2026-10-20", 6, 60, 4000, 30),
                                visit("2026-11-20", 6, 60, 4000, 30)],
                        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                     "dose_unit": "mg/day", "start": "2026-10-20",
                                     "outcome": "ongoing"}])
    said = " ".join(next(r for r in overlap.regimens if r.domain == "muscle").first_choice)
    assert "below the induction range" not in said


def test_kidney_safety_starts_at_40_times_the_uln() -> None:
    plan = make_plan(labs={"enzymes": {"ck": {"value": 9400, "uln": 200}}})
    assert "very_high_ck_kidney_safety" in do_now(plan)
    lower = make_plan(labs={"enzymes": {"ck": {"value": 6000, "uln": 200}}})
    assert "very_high_ck_kidney_safety" not in do_now(lower)


def test_the_skin_waits_for_the_muscle_escalation_and_one_bone_line_is_shown() -> None:
    plan = make_plan(**REFRACTORY_DM, skin_refractory=True, comorbidities={"osteoporosis": True},
                     prophylaxis={"bone_protection": False})
    assert plan.state.of("muscle") == "inadequate_response"
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0].startswith("the new systemic agent of the muscle regimen")
    assert not any("corticotropin" in f.lower() for f in skin.first_choice)
    bone = [a.code for a in plan.do_now if a.code in {
        "bone_protection_start", "giop_very_high_dose", "osteoporosis_on_glucocorticoids",
        "osteoporosis_untreated"}]
    assert len(bone) <= 1


def test_a_digital_ulcer_flag_agrees_with_the_cancer_screen_and_treats_raynaud() -> None:
    plan = make_plan(skin={"cutaneous_ulceration": True}, systemic={"raynaud": True},
                     antibodies={"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "asys"})
    flag = next(f for f in plan.flags if f.code == "cutaneous_ulceration")
    assert "not counted" in flag.text and "calcium-channel blocker" in flag.text


def test_the_tacrolimus_monitoring_date_follows_the_toxicity_line() -> None:
    plan = make_plan(treatments=TACROLIMUS, lab_results=[_lab("tacrolimus_trough", 19,
                                                              "ng/mL")])
    item = next(m for m in plan.monitoring if m.therapy.startswith("Tacrolimus"))
    assert "24-72 hours" in item.next_due


def test_anti_u1rnp_asks_for_the_overlap_work_up() -> None:
    plan = make_plan(antibodies={"u1rnp": {"status": "positive"}, "mi2": {"status": "negative"}})
    item = next(a for a in plan.do_now if a.code == "anti_u1rnp_overlap_work_up")
    assert "anti-dsDNA" in item.text and "echocardiography" in item.text
    assert "anti_u1rnp_overlap_work_up" not in do_now(make_plan())

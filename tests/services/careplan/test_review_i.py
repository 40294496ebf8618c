"""Scenarios from the ninth specialist review (SYNTHETIC): infection risk gates escalation,
mild skin is not refractory, remission over yearly visits, dysphagia changes drug forms and
brings IVIG in, and ALT is read against CK."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, make_plan, offered, withheld


def _inactive_visit(date: str) -> dict[str, object]:
    return {"date": date, "core_set": {"physician_global": 0.5, "patient_global": 1,
                                       "extramuscular_global": 0, "mmt8": 80, "mmt_max": 80,
                                       "haq": 0}, "labs": {"enzymes": {"ck": {"value": 90,
                                                                               "uln": 200}}}}


def test_high_infection_risk_holds_jak_calcineurin_and_acth() -> None:
    failed = [{"therapy": "methotrexate", "start": "2024-01-01", "stop": "2024-09-01",
               "outcome": "ineffective"},
              {"therapy": "azathioprine", "start": "2024-10-01", "stop": "2025-06-01",
               "outcome": "ineffective"}]
    safe = make_plan(months_since_onset=30, treatments=failed)
    plan = make_plan(months_since_onset=30, treatments=failed,
                     comorbidities={"recurrent_infections": True},
                     lab_results=[{"analyte": "igg", "value": 4.1, "unit": "g/L",
                                   "date": "2026-11-20"}])
    held = set(withheld(plan))
    assert held & offered(safe) & {"tofacitinib", "brepocitinib", "tacrolimus", "ciclosporin"}
    assert not {"tofacitinib", "brepocitinib", "tacrolimus", "ciclosporin"} & offered(plan)


def test_mild_skin_after_old_failures_is_not_refractory() -> None:
    plan = make_plan(months_since_onset=40, treatments=[
        {"therapy": "methotrexate", "start": "2023-01-01", "stop": "2024-03-01",
         "outcome": "ineffective"},
        {"therapy": "hydroxychloroquine", "start": "2023-01-01", "stop": "2024-03-01",
         "outcome": "ineffective"}],
        visits=[{"date": "2026-11-20", "cdasi_activity": 4, "core_set": {
            "physician_global": 1.5, "patient_global": 2, "mmt8": 78, "mmt_max": 80,
            "haq": 0.25}}])
    assert plan.state.of("skin") == "active"
    refractory = make_plan(months_since_onset=40, skin_refractory=True, treatments=[
        {"therapy": "methotrexate", "start": "2023-01-01", "stop": "2024-03-01",
         "outcome": "ineffective"},
        {"therapy": "hydroxychloroquine", "start": "2023-01-01", "stop": "2024-03-01",
         "outcome": "ineffective"}],
        visits=[{"date": "2026-11-20", "cdasi_activity": 4}])
    assert refractory.state.of("skin") == "inadequate_response"


def test_remission_is_recognised_over_yearly_visits() -> None:
    plan = make_plan(months_since_onset=60, treatments=[
        {"therapy": "azathioprine", "start": "2022-01-01", "outcome": "effective"}],
        visits=[_inactive_visit("2025-12-01"), _inactive_visit("2026-12-01")])
    assert plan.state.of("muscle") == "remission"


def test_dysphagia_avoids_oral_bisphosphonates_and_adds_ivig_on_treatment() -> None:
    plan = make_plan(organs={"dysphagia": "moderate"}, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
         "start": "2026-10-25", "outcome": "ongoing"},
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2026-11-05", "outcome": "ongoing"}])
    assert "bone_protection_with_dysphagia" in do_now(plan)
    muscle = next(g for g in plan.regimens if g.domain == "muscle")
    assert "add Intravenous immunoglobulin" in muscle.first_choice


def test_alt_with_a_very_high_ck_does_not_block_methotrexate() -> None:
    muscle_alt = make_plan(labs={"enzymes": {"ck": {"value": 8000, "uln": 200}}},
                           lab_results=[{"analyte": "alt", "value": 200, "unit": "U/L",
                                         "uln": 40, "date": "2026-11-25"}])
    assert "alt_raised_before_hepatotoxic_drug" not in cautions(muscle_alt, "methotrexate")
    liver_alt = make_plan(labs={"enzymes": {"ck": {"value": 300, "uln": 200}}},
                          lab_results=[{"analyte": "alt", "value": 200, "unit": "U/L",
                                        "uln": 40, "date": "2026-11-25"}])
    # a CK of 1.5 x ULN cannot explain an ALT of 5 x ULN: the liver, so methotrexate is held
    # (specialist review Z47c P6)
    assert "methotrexate" in withheld(liver_alt)
    moderate_ck = make_plan(labs={"enzymes": {"ck": {"value": 600, "uln": 200}}},
                            lab_results=[{"analyte": "alt", "value": 200, "unit": "U/L",
                                          "uln": 40, "date": "2026-11-25"}])
    assert "alt_raised_before_hepatotoxic_drug" in cautions(moderate_ck, "methotrexate")


def test_overlap_screening_warfarin_azathioprine_and_influenza() -> None:
    plan = make_plan(antibodies={"pmscl": {"status": "positive"}},
                     other_medicines=["warfarin"],
                     vaccinations=[{"vaccine": "influenza", "date": "2025-10-01"}])
    actions = do_now(plan)
    assert "ssc_overlap_screening" in actions and "influenza_vaccine_due" in actions
    assert "azathioprine_warfarin" in cautions(plan, "azathioprine")
    vaccinated = make_plan(vaccinations=[{"vaccine": "influenza", "date": "2026-10-01"}])
    assert "influenza_vaccine_due" not in do_now(vaccinated)


def test_rituximab_with_mycophenolate_prompts_pjp_prophylaxis() -> None:
    plan = make_plan(months_since_onset=30, treatments=[
        {"therapy": "rituximab", "start": "2026-06-01", "outcome": "ongoing"},
        {"therapy": "mycophenolate", "start": "2025-06-01", "outcome": "ongoing"}])
    # the firm line now covers the softer one (re-score of review Z4b)
    assert "pjp_prophylaxis_due_rituximab_combination" in do_now(plan)

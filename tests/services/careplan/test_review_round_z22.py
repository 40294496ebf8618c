"""Findings of blind specialist review Z22 (SYNTHETIC patients): neuromuscular and mimics
clinic, juvenile dermatomyositis clinic."""

from __future__ import annotations

from tests.services.careplan.conftest import lab, make_plan


def test_no_new_skin_agent_during_a_varicella_incubation() -> None:
    # Z22b P3: 'add ciclosporin' for skin, VZV-negative, chickenpox contact 3 days before
    core = {"physician_global": 4, "patient_global": 5, "extramuscular_global": 5, "mmt8": 80,
            "cmas": 51, "chaq": 0.25}
    plan = make_plan(
        sex="male", weight_kg=31, height_cm=134, date_of_birth="2017-03-20",
        months_since_onset=36, classification={"age_at_onset": 6},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2023-12-05"},
        antibodies={"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
        labs={"enzymes": {"ck": {"value": 120, "uln": 190}}},
        skin_refractory=True,
        skin={"heliotrope_rash": True, "gottron_papules": True, "photosensitivity": True},
        reproduction={"pregnant": None, "planning_conception": None, "breastfeeding": None},
        infection_screening={"vzv_igg": {"result": "negative"},
                             "varicella_exposure": "2026-11-28"},
        visits=[{"date": "2026-06-10", "core_set": {**core, "physician_global": 3},
                 "cdasi_activity": 20, "glucocorticoid_mg_per_day": 5},
                {"date": "2026-11-20", "core_set": core, "cdasi_activity": 24,
                 "glucocorticoid_mg_per_day": 5}],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                     "start": "2023-12-09", "response": "partial"},
                    {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/m2/week",
                     "route": "sc", "start": "2023-12-09", "response": "partial"},
                    {"therapy": "hydroxychloroquine", "dose_value": 150, "dose_unit": "mg/day",
                     "start": "2024-03-01", "response": "partial"},
                    {"therapy": "topical_calcineurin_inhibitors", "start": "2024-06-01",
                     "response": "partial"},
                    {"therapy": "topical_corticosteroids", "start": "2025-02-01",
                     "response": "partial"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(e.startswith("add ") for e in skin.first_choice), skin.first_choice


def test_the_missed_dose_line_names_the_drug_it_restores() -> None:
    # Z22b P6: 'restore the drug at full dose' beside mycophenolate stopped for a pregnancy
    plan = make_plan(
        reproduction={"pregnant": True, "gestation_weeks": 6},
        treatments=[{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                     "start": "2024-02-01", "response": "partial", "adherence": "partial"},
                    {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                     "start": "2023-03-01", "response": "partial", "adherence": "partial"}])
    line = next(a.text for a in plan.do_now if a.code == "doses_missed_before_escalation")
    assert "restore Hydroxychloroquine at full dose" in line
    assert "restore the drug" not in line


def test_a_kidney_injury_does_not_withhold_an_emergency_contrast_scan() -> None:
    # Z22b P8: 'avoid iodinated contrast until it is explained' beside a suspected perforation
    plan = make_plan(lab_results=[lab("creatinine", 60, "umol/L", 90, "2026-10-01"),
                                  lab("creatinine", 120, "umol/L", 90, "2026-11-28")])
    line = next(a.text for a in plan.do_now if a.code == "acute_kidney_injury")
    assert "never withhold a contrast scan an emergency needs" in line

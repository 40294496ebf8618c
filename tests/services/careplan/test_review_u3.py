"""Specialist review U (December 2026): overlap myositis and rare antibodies (U1), shared care
and remote follow-up (U2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan

CHICKENPOX_CONTACT: dict[str, Any] = {
    "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
    "tb_test": {"result": "negative"}, "hcv": {"result": "negative"},
    "vzv_igg": {"result": "negative"}, "varicella_exposure": "2026-11-27"}


def _jdm_flare(**more: Any) -> Any:
    visits = [{"date": d, "glucocorticoid_mg_per_day": 7.5,
               "core_set": {"physician_global": pg, "patient_global": pg,
                            "extramuscular_global": pg, "cmas": cmas, "chaq": 0.5}}
              for d, pg, cmas in (("2026-09-01", 2, 44), ("2026-11-28", 5, 36))]
    return make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 8},
                     date_of_birth="2015-06-01", weight_kg=32, months_since_onset=38,
                     visits=visits, infection_screening=CHICKENPOX_CONTACT,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2023-10-01"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/m2/week", "start": "2023-10-01"}], **more)


def test_no_escalation_during_a_chickenpox_incubation() -> None:
    """U1 P4 and U2 P8 (dangerous): a glucocorticoid rise, pulses and mycophenolate for
    seronegative children 1-4 days after a household chickenpox contact."""
    plan = _jdm_flare()
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Chickenpox or shingles contact")
    assert not any(e.startswith(("raise prednisolone", "add ")) or "pulses" in e
                   for e in muscle.first_choice)
    assert any(a.startswith("after the chickenpox incubation period") for a in
               muscle.alternatives)
    skin = next((r for r in plan.regimens if r.domain == "skin"), None)
    assert skin is None or not skin.first_choice[0].startswith("Chickenpox")
    assert "varicella_exposure_susceptible" in do_now(plan)


def test_a_threatened_organ_is_treated_through_the_incubation() -> None:
    plan = _jdm_flare(organs={"dysphagia": "severe"})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("goes ahead with the antiviral prophylaxis" in e for e in muscle.first_choice)
    assert not muscle.first_choice[0].startswith("Chickenpox")


def test_no_heparin_advice_with_platelets_of_42_after_a_delivery() -> None:
    """U1 P3 (dangerous): 'prophylactic LMWH as the obstetric team advises' 9 weeks after a
    delivery with platelets 42 and falling; and no 'methotrexate toxicity' line for a woman on
    azathioprine with co-trimoxazole (wrong)."""
    plan = make_plan(sex="female", reproduction={"delivered_on": "2026-10-01",
                                                 "breastfeeding": True},
                     other_medicines=["co_trimoxazole"],
                     lab_results=[lab("platelets", 42, "10^9/L"),
                                  lab("neutrophils", 0.9, "10^9/L")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 150,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    said = {a.code: a.text for a in plan.do_now}
    assert "postpartum_low_platelets" in said and "postpartum_care" not in said
    assert "no low-molecular-weight heparin below 50" in said["postpartum_low_platelets"]
    assert "methotrexate_trimethoprim_toxicity" not in said


def _ild_on_mycophenolate(assessed: str = "2025-10-01") -> Any:
    return make_plan(months_since_onset=48, antibodies={"jo1": {"status": "positive"}},
                     diagnosis={"subgroup": "asys"},
                     systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
                     lung={"date": assessed, "fvc_percent_predicted": 78,
                           "hrct_pattern": "nsip", "course": "stable"},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2023-01-10"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2022-11-15"}])


def test_new_breathlessness_is_not_read_as_a_stable_lung() -> None:
    """U2 P1 (dangerous): new breathlessness on mycophenolate called 'stable' from lung
    function 14 months old; nothing in Do now."""
    plan = _ild_on_mycophenolate()
    assert plan.state is not None and plan.state.of("lung") == "active"
    assert "ild_new_chest_symptoms" in do_now(plan)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.startswith("Reassess the lung within days") for e in lung.first_choice)
    assert not any("Mycophenolate" in a or "Azathioprine" in a for a in lung.alternatives)
    # assessed a month ago and stable: the symptom is known, no urgent line
    recent = _ild_on_mycophenolate("2026-11-01")
    assert "ild_new_chest_symptoms" not in do_now(recent)

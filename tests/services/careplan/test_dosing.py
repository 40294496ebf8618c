"""Doses worked out for the patient from doses.yaml (SYNTHETIC patients)."""

from __future__ import annotations

import pytest

from myositis.knowledge import load
from myositis.services.careplan.dosing import doses_for, mosteller_bsa
from tests.services.careplan.conftest import make_plan, make_record

CHILD = {"sex": "male", "classification": {"age_at_onset": 7},
         "reproduction": {"pregnant": None, "planning_conception": None, "breastfeeding": None}}


def _dose(plan, therapy: str) -> str:  # type: ignore[no-untyped-def]
    return next(d.text for d in plan.doses if d.therapy == therapy)


def test_mosteller_body_surface_area() -> None:
    assert mosteller_bsa(70, 170) == pytest.approx(1.818, abs=0.001)
    assert mosteller_bsa(22, 120) == pytest.approx(0.856, abs=0.001)


def test_adult_prednisolone_is_per_kg_and_capped() -> None:
    plan = make_plan(weight_kg=70)
    assert _dose(plan, "glucocorticoids_oral").startswith("35-60 mg/day (0.5-1 mg/kg/day x 70 kg")
    heavy = make_plan(weight_kg=110)
    assert _dose(heavy, "glucocorticoids_oral").startswith("55-60 mg/day")
    assert "maximum 60 mg/day" in _dose(heavy, "glucocorticoids_oral")


def test_child_doses_use_paediatric_ranges_and_body_surface_area() -> None:
    plan = make_plan(weight_kg=22, height_cm=120, **CHILD)
    assert _dose(plan, "glucocorticoids_oral").startswith("22-44 mg/day (1-2 mg/kg/day")
    assert _dose(plan, "methotrexate").startswith("13-17 mg/week (15-20 mg/m2/week x BSA 0.86")


def test_missing_weight_or_height_is_said_not_guessed() -> None:
    plan = make_plan(**CHILD)
    assert not any(d.therapy == "glucocorticoids_oral" for d in plan.doses)
    assert any(u.startswith("weight (") and "to work out doses of" in u
               and "Oral glucocorticoids" in u for u in plan.unknowns)
    no_height = make_plan(weight_kg=22, **CHILD)
    assert not any(d.therapy == "methotrexate" for d in no_height.doses)
    assert any(u.startswith("height (to work out doses of Methotrexate")
               for u in no_height.unknowns)


def test_ivig_and_hydroxychloroquine_ceilings() -> None:
    record = make_record(weight_kg=100)
    computed, _ = doses_for(record, load(), ["ivig", "hydroxychloroquine"])
    lines = {d.therapy: d.text for d in computed}
    assert lines["ivig"].startswith("200 g per course (2 g/kg per course x 100 kg)")
    assert lines["hydroxychloroquine"].startswith("up to 400 mg/day")


def test_every_dose_entry_names_a_therapy_and_is_cited() -> None:
    kb = load()
    for entry in kb.doses:
        assert entry.therapy in kb.therapies
        assert entry.sources


def test_no_induction_dose_beside_a_drug_taken_now_and_oral_dose_after_pulses() -> None:
    on_gc = make_plan(weight_kg=70, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2026-03-01"}])
    assert not any(d.therapy == "glucocorticoids_oral" for d in on_gc.doses)
    severe = make_plan(weight_kg=70, organs={"dysphagia": "severe"})
    therapies = [d.therapy for d in severe.doses]
    assert therapies.index("glucocorticoids_oral") == \
        therapies.index("methylprednisolone_iv_pulse") + 1


def test_dose_taken_now_is_compared_with_the_curated_range() -> None:
    plan = make_plan(weight_kg=80, treatments=[
        {"therapy": "azathioprine", "start": "2026-06-01", "dose_value": 100,
         "dose_unit": "mg/day"}])
    line = next(d.text for d in plan.doses if d.therapy == "azathioprine")
    assert line.startswith("taken now 100 mg/day = 1.25 mg/kg/day, below the curated 2-2.5")
    usual = make_plan(weight_kg=70, treatments=[
        {"therapy": "azathioprine", "start": "2026-06-01", "dose_value": 150,
         "dose_unit": "mg/day"}])
    assert "within" in next(d.text for d in usual.doses if d.therapy == "azathioprine")


def test_renal_ceiling_lowers_the_worked_range() -> None:
    """Specialist review N: at eGFR 6 the dose block showed mycophenolate 2-3 g/day while its
    own caution capped it at 2 g/day."""
    low = make_record(lab_results=[{"analyte": "egfr", "value": 6, "unit": "mL/min/1.73m2",
                                    "date": "2026-11-20"}])
    line = doses_for(low, load(), ["mycophenolate"])[0][0]
    assert line.text.startswith("up to 2 g/day") and "eGFR below 25" in line.text
    normal = doses_for(make_record(), load(), ["mycophenolate"])[0][0]
    assert normal.text.startswith("2-3 g/day")


def test_azathioprine_from_75_is_capped_at_2_mg_per_kg() -> None:
    """Specialist review V (wrong): 2-3 mg/kg/day of azathioprine for a man of 82."""
    from tests.services.careplan.conftest import make_plan
    plan = make_plan(sex="male", date_of_birth="1944-01-01", weight_kg=78,
                     classification={"age_at_onset": 82})
    line = next(d.text for d in plan.doses if d.therapy == "azathioprine")
    assert "1-2 mg/kg/day" in line and "2-3 mg/kg/day" not in line


def test_a_per_kg_figure_keeps_its_third_decimal_so_the_arithmetic_checks() -> None:
    # specialist review Z22b P2: "0.06-0.07 mg/kg/day x 52 kg" beside 3.1-3.9 mg/day
    lines, _ = doses_for(make_record(weight_kg=52), load(), ["tacrolimus"])
    text = next(d.text for d in lines if d.therapy == "tacrolimus")
    assert text.startswith("3.12-3.9 mg/day (0.06-0.075 mg/kg/day x 52 kg"), text


def test_a_small_obese_childs_dose_stays_on_actual_weight_with_a_pharmacist_note() -> None:
    # the Devine ideal weight is an adult formula (review of this stop's adjusted-weight change)
    lines, _ = doses_for(make_record(weight_kg=45, height_cm=120, **CHILD), load(), ["ivig"])
    text = lines[0].text
    assert text.startswith("90 g per course (2 g/kg per course x 45 kg)"), text
    assert "agreed with the paediatric pharmacist" in text and "adjusted weight" not in text

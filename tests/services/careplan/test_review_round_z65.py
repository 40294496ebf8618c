"""Specialist review round Z65 (all patients SYNTHETIC): a pharmacogenomics service, a
musculoskeletal radiology department, an epilepsy clinic and a gynaecological oncology service."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan, withheld


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


def _text(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


MTX = {"therapy": "methotrexate", "start": "2025-01-01", "dose_value": 15,
       "dose_unit": "mg/week", "outcome": "ongoing"}


def test_co_trimoxazole_during_an_infection_is_a_treatment_course_beside_methotrexate() -> None:
    """Review Z65a P5 (dangerous): treatment-dose co-trimoxazole for a urinary infection on
    weekly methotrexate, told to 'keep methotrexate and change the prophylaxis (atovaquone)'."""
    plan = make_plan(treatments=[MTX], other_medicines=["co_trimoxazole"],
                     comorbidities={"active_infection": True, "infection_focus": "urinary"})
    text = _text(plan)
    assert "a treatment course, not prophylaxis" in text
    assert "keep methotrexate and change the prophylaxis" not in text
    prophylaxis = _text(make_plan(treatments=[MTX], other_medicines=["co_trimoxazole"]))
    assert "a treatment course, not prophylaxis" not in prophylaxis


FULL_STRENGTH_VISITS = [
    {"date": "2026-08-01", "core_set": {"mmt8": 80, "mmt_max": 80, "haq": 0,
                                        "physician_global": 0.5, "patient_global": 1},
     "glucocorticoid_mg_per_day": 0},
    {"date": "2026-11-30", "core_set": {"mmt8": 80, "mmt_max": 80, "haq": 0.25,
                                        "physician_global": 1, "patient_global": 3},
     "glucocorticoid_mg_per_day": 0}]
QUIET_PM: dict[str, Any] = dict(
    date_of_birth="1981-01-22", weight_kg=72, height_cm=163, months_since_onset=130,
    diagnosis={"subgroup": "pm", "confirmed_on": "2016-03-15"},
    skin={"heliotrope_rash": False, "gottron_papules": False},
    labs={"enzymes": {"ck": {"value": 7800, "uln": 170, "date": "2026-11-30"}}},
    lab_results=[lab("ck", 150, "U/L", uln=170, date="2026-08-01"),
                 lab("ck", 7800, "U/L", uln=170, date="2026-11-30"),
                 lab("egfr", 95, "mL/min/1.73m2", date="2026-11-30")],
    visits=FULL_STRENGTH_VISITS,
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2016-03-20", "stop": "2018-06-01",
                 "outcome": "effective", "reason_stopped": "remission"},
                {"therapy": "methotrexate", "start": "2016-06-01", "dose_value": 15,
                 "dose_unit": "mg/week", "outcome": "effective", "response": "complete"}])


def test_a_flare_at_full_strength_on_near_zero_scores_is_confirmed_first() -> None:
    """Review Z65c P7 (dangerous): a 'mild flare' at MMT-8 80/80 and a physician global of
    1 cm, from 30 % rises on near-zero scores and a CK raised by a seizure, with a prednisolone
    restart after 8 years off it."""
    plan = make_plan(**QUIET_PM)
    assert plan.state is not None and plan.state.of("muscle") == "flare"
    text = _text(plan)
    assert "Possible mild flare" in text and "confirm it before treating" in text
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith(("Oral glucocorticoids", "add Oral glucocorticoids"))
                   for e in muscle.first_choice)
    assert "pjp_prophylaxis_with_flare_rise" not in _codes(plan)
    assert muscle.decision_point.startswith("The flare is read from the published worsening")
    assert "only if the repeat measures confirm it - re-escalate" in muscle.decision_point


def test_flare_to_confirm_needs_full_strength_and_a_low_physician_global() -> None:
    from myositis.services.muscle_activity import flare_to_confirm
    from tests.services.careplan.conftest import make_record
    weaker = [FULL_STRENGTH_VISITS[0], {**FULL_STRENGTH_VISITS[1], "core_set": {
        **FULL_STRENGTH_VISITS[1]["core_set"], "mmt8": 74}}]
    assert not flare_to_confirm(make_record(visits=weaker))
    higher = [FULL_STRENGTH_VISITS[0], {**FULL_STRENGTH_VISITS[1], "core_set": {
        **FULL_STRENGTH_VISITS[1]["core_set"], "physician_global": 3.5}}]
    assert not flare_to_confirm(make_record(visits=higher))
    assert flare_to_confirm(make_record(visits=FULL_STRENGTH_VISITS))


def test_pres_holds_every_calcineurin_inhibitor_and_its_restart() -> None:
    """Review Z65c P4 (dangerous): tacrolimus 'restarted at a lower dose' after PRES with
    status epilepticus, ciclosporin as the replacement without a warning."""
    tac = {"therapy": "tacrolimus", "start": "2026-10-01", "dose_value": 6,
           "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[tac], comorbidities={"pres": True},
                     lab_results=[lab("tacrolimus_trough", 16, "ng/mL")])
    assert "Posterior reversible encephalopathy" in " ".join(withheld(plan).values()) or \
        "Posterior reversible encephalopathy" in _text(plan)
    assert "restart at a lower dose once the level and kidney function recover" not in _text(plan)
    assert "ciclosporin" not in {o.therapy for o in plan.options}


GYN: dict[str, Any] = dict(
    date_of_birth="1968-01-01",
    antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
    reproduction={"postmenopausal": True})


def test_tests_of_removed_organs_are_not_ordered() -> None:
    """Review Z65d P3 and P7: CA-125 and a transvaginal ultrasound after both ovaries were
    removed."""
    removed = make_plan(**GYN, cancer={"organs_removed": ["uterus", "cervix", "ovaries"]})
    due = " ".join(removed.cancer_screening.tests_due)
    assert "CA-125" not in due and "transvaginal" not in due and "Papanicolaou" not in due
    assert any("Organs removed recorded" in n for n in removed.cancer_screening.notes)
    kept = " ".join(make_plan(**GYN).cancer_screening.tests_due)
    assert "CA-125" in kept


def test_no_pregnancy_is_assumed_without_a_uterus() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from tests.services.careplan.conftest import make_record
    facts = compute(make_record(date_of_birth="1990-01-01",
                                cancer={"organs_removed": ["uterus", "cervix"]}), load())
    assert facts["childbearing_potential"] is False


def test_a_recorded_pet_ct_counts_as_the_screening_ct() -> None:
    """Review Z65b P1: a normal FDG PET-CT recorded, and CT neck to pelvis and a chest
    radiograph still asked for."""
    plan = make_plan(**GYN, cancer={"screening_done": [
        {"test": "FDG PET-CT", "date": "2026-11-28", "result": "normal"}]})
    due = " ".join(plan.cancer_screening.tests_due)
    assert "CT neck" not in due and "Chest radiograph" not in due
    assert not any("PET" in a for a in plan.cancer_screening.additional)


def test_the_state_header_says_a_mild_full_strength_flare_is_to_be_confirmed() -> None:
    """Re-score of Z65c P7: the plan headed 'State: muscle flare' while it said confirm before
    treating; the state now carries that it is to be confirmed, and a confirmed-looking flare
    (weaker, higher global) does not."""
    plan = make_plan(**QUIET_PM)
    assert plan.state is not None
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert muscle.state == "flare" and muscle.to_confirm
    from myositis.reports.careplan import to_markdown
    assert "flare (to confirm by repeat measures)" in to_markdown(plan)
    weaker = [FULL_STRENGTH_VISITS[0], {**FULL_STRENGTH_VISITS[1], "core_set": {
        **FULL_STRENGTH_VISITS[1]["core_set"], "mmt8": 70}}]
    confirmed = make_plan(**{**QUIET_PM, "visits": weaker})
    assert confirmed.state is not None
    assert not next(d for d in confirmed.state.domains if d.domain == "muscle").to_confirm

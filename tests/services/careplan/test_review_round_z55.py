"""Specialist review round Z55 and the record fields added beside it (all patients SYNTHETIC):
a mechanical heart valve, antiphospholipid syndrome and a close contact with infectious TB."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, lab, make_plan

DOAC_VALVE = {"other_medicines": ["doac"], "comorbidities": {"mechanical_heart_valve": True}}


def test_doac_with_mechanical_valve_is_urgent() -> None:
    assert do_now(make_plan(**DOAC_VALVE))["doac_with_mechanical_valve"] == "urgent"


def test_doac_without_a_recorded_valve_raises_nothing() -> None:
    assert "doac_with_mechanical_valve" not in do_now(make_plan(other_medicines=["doac"]))
    no_valve = make_plan(other_medicines=["doac"], comorbidities={"mechanical_heart_valve": False})
    assert "doac_with_mechanical_valve" not in do_now(no_valve)


def test_doac_in_antiphospholipid_syndrome_asks_for_review() -> None:
    plan = make_plan(other_medicines=["doac"], comorbidities={"antiphospholipid_syndrome": True})
    assert "doac_in_antiphospholipid_syndrome" in do_now(plan)
    on_warfarin = make_plan(other_medicines=["warfarin"],
                            comorbidities={"antiphospholipid_syndrome": True})
    assert "doac_in_antiphospholipid_syndrome" not in do_now(on_warfarin)


def test_antiphospholipid_syndrome_in_pregnancy_gets_heparin_and_aspirin_plan() -> None:
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 8},
                     comorbidities={"antiphospholipid_syndrome": True})
    codes = do_now(plan)
    assert "antiphospholipid_syndrome_pregnancy" in codes
    # the contraception line is for after the birth: not printed during the pregnancy
    assert "contraception_without_oestrogen" not in codes


def test_antiphospholipid_syndrome_pregnancy_line_not_for_a_man_planning_conception() -> None:
    plan = make_plan(sex="male", reproduction={"planning_conception": True},
                     comorbidities={"antiphospholipid_syndrome": True})
    assert "antiphospholipid_syndrome_pregnancy" not in do_now(plan)


def test_antiphospholipid_syndrome_forbids_oestrogen_contraception() -> None:
    plan = make_plan(comorbidities={"antiphospholipid_syndrome": True},
                     reproduction={"pregnant": False})
    assert "contraception_without_oestrogen" in do_now(plan)


def test_antiphospholipid_syndrome_is_a_clot_risk_for_ivig() -> None:
    plan = make_plan(organs={"dysphagia": "severe"},
                     comorbidities={"antiphospholipid_syndrome": True})
    assert "ivig_antiphospholipid_syndrome" in cautions(plan, "ivig")
    without = make_plan(organs={"dysphagia": "severe"})
    assert "ivig_antiphospholipid_syndrome" not in cautions(without, "ivig")


TB_BEFORE_CONTACT = {"tb_test": {"result": "negative", "date": "2026-06-01"},
                     "tb_contact": "2026-11-01"}


def test_tb_contact_voids_an_earlier_negative_test_and_asks_for_a_new_one() -> None:
    plan = make_plan(infection_screening=TB_BEFORE_CONTACT)
    codes = do_now(plan)
    assert codes["tb_contact_immunosuppressed"] == "soon"
    line = next(a.text for a in plan.do_now if a.code == "tb_contact_immunosuppressed")
    assert "30 days ago" in line and "repeated" in line
    # the generic 'TB status not recorded' line stands aside for the contact line
    assert "tb_status_not_recorded" not in codes


def test_tb_contact_a_year_and_more_ago_or_already_treated_raises_nothing() -> None:
    old = make_plan(infection_screening={**TB_BEFORE_CONTACT, "tb_contact": "2025-11-01"})
    assert "tb_contact_immunosuppressed" not in do_now(old)
    treated = make_plan(infection_screening={**TB_BEFORE_CONTACT,
                                             "latent_tb_treatment": "completed"})
    assert "tb_contact_immunosuppressed" not in do_now(treated)


def test_negative_tb_test_after_the_contact_still_counts() -> None:
    after = {"tb_test": {"result": "negative", "date": "2026-11-20"}, "tb_contact": "2026-11-01"}
    codes = do_now(make_plan(infection_screening=after))
    assert "tb_status_not_recorded" not in codes
    # the contact line stays: a test 19 days after the contact is inside the window
    assert "tb_contact_immunosuppressed" in codes


def _caution_text(plan: object, therapy: str, code: str) -> str:
    option = next(o for o in plan.options if o.therapy == therapy)  # type: ignore[attr-defined]
    return next(c.text for c in option.cautions if c.condition == code)


def test_high_tacrolimus_trough_with_high_potassium_says_lower_the_dose() -> None:
    # tacrolimus for the lung, controlling it
    base = {"treatments": [{"therapy": "tacrolimus", "start": "2026-01-01", "outcome": "ongoing"}],
            "systemic": {"interstitial_lung_disease": True}}
    high = make_plan(**base, lab_results=[lab("potassium", 5.4, "mmol/L"),
                                          lab("tacrolimus_trough", 13.8, "ng/mL")])
    text = _caution_text(high, "tacrolimus", "calcineurin_potassium_kidney_taken")
    assert "lower the tacrolimus dose" in text and "(lower it if high)" not in text
    in_range = make_plan(**base, lab_results=[lab("potassium", 5.4, "mmol/L"),
                                              lab("tacrolimus_trough", 7.0, "ng/mL")])
    assert "(lower it if high)" in _caution_text(in_range, "tacrolimus",
                                                 "calcineurin_potassium_kidney_taken")

"""Findings of specialist review round Z52 (hepatology, travel medicine and vaccination, district
general rheumatology, ILD multidisciplinary team) and open findings of earlier rounds, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from myositis.services.careplan.model import Option
from tests.services.careplan.conftest import make_plan, withheld


def _line(plan: CarePlan, code: str) -> str:
    return next(a.text for a in [*plan.do_now, *plan.do_now_bundled] if a.code == code)


SEVERE_SRP: dict[str, Any] = dict(
    diagnosis={"subgroup": "imnm"},
    antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"dysphagia": "severe"})
RITUXIMAB_SEVERE_REACTION: dict[str, Any] = {
    "therapy": "rituximab", "start": "2026-06-01", "stop": "2026-06-01",
    "outcome": "not_tolerated", "reason_stopped": "adverse_event", "reaction_severity": "severe"}


def test_severe_anti_srp_line_names_no_withheld_rituximab() -> None:
    """Open finding (Z45): the urgent anti-SRP line said 'early rituximab' beside 'Withheld:
    rituximab' after a severe infusion reaction."""
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION])
    assert "rituximab" in withheld(plan)
    line = _line(plan, "severe_anti_srp")
    assert "early rituximab" not in line
    assert "IV glucocorticoids with IVIG" in line
    assert "Rituximab is withheld here" in line
    assert "early rituximab" in _line(make_plan(**SEVERE_SRP), "severe_anti_srp")


def test_severe_anti_srp_in_infection_drops_the_withheld_rituximab_too() -> None:
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION],
                     comorbidities={"active_infection": True, "infection_focus": "urinary"})
    line = _line(plan, "severe_anti_srp")
    assert "rituximab once the infection is controlled" not in line
    assert "Rituximab is withheld here" in line


def test_teratogen_named_only_as_an_alternative_is_not_called_proposed() -> None:
    """Open finding (Z49-Z51): mycophenolate called 'proposed' in the contraception line when the
    approach chose methotrexate and listed mycophenolate only as an alternative."""
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION],
                     reproduction={"effective_contraception": False})
    line = _line(plan, "contraception_with_teratogen")
    assert "Mycophenolate mofetil only among the alternatives" in line
    assert "(Methotrexate;" in line


def test_hydroxychloroquine_with_a_ritonavir_boosted_regimen_asks_for_an_ecg() -> None:
    """Open finding (Z51): hydroxychloroquine beside a ritonavir-boosted regimen with no word of
    the QT or PR interval."""
    def hcq_cautions(medicines: list[str]) -> list[str]:
        plan = make_plan(other_medicines=medicines)
        option = next(o for o in plan.options if o.therapy == "hydroxychloroquine")
        return [c.text for c in option.cautions]

    assert any("QTc and PR" in text for text in hcq_cautions(["ritonavir_or_cobicistat"]))
    assert not any("QTc and PR" in text for text in hcq_cautions([]))


def test_an_earlier_course_with_no_outcome_is_said_in_words() -> None:
    """Open finding (Z50-Z51): 'before: unknown' beside a course recorded with no outcome."""
    option = Option(therapy="methotrexate", name="Methotrexate", line="first", complications=[],
                    evidence_level="low", investigational=False, rationale="", citations=[],
                    previously="unknown", kb_entry="methotrexate")
    assert option.previously_text == "given, outcome not recorded"
    assert option.model_copy(update={"previously": "not_tolerated"}).previously_text == (
        "not tolerated")
    assert option.model_copy(update={"previously": None}).previously_text is None


def test_hbsag_positive_in_pregnancy_names_the_babys_vaccine_and_immunoglobulin() -> None:
    """Open finding (Z47-Z51): a pregnant HBsAg-positive patient and no word of the newborn's
    birth-dose vaccine and hepatitis B immunoglobulin."""
    hbv = {"hbsag": {"result": "positive"}, "anti_hbc": {"result": "positive"}}
    pregnant = make_plan(infection_screening=hbv,
                         reproduction={"pregnant": True, "gestation_weeks": 20})
    line = _line(pregnant, "hbsag_positive_in_pregnancy")
    assert "immunoglobulin within 12" in line and "tenofovir disoproxil" in line
    not_pregnant = make_plan(infection_screening=hbv)
    assert "hbsag_positive_in_pregnancy" not in {a.code for a in not_pregnant.do_now}


def test_active_tb_on_treatment_asks_for_liver_tests() -> None:
    """Open finding (Z51b): the active-TB line named the rifampicin interactions but not the liver
    tests the TB drugs need beside methotrexate or azathioprine."""
    plan = make_plan(infection_screening={"active_tb": "on_treatment",
                                          "active_tb_treatment_start": "2026-11-01"})
    line = _line(plan, "active_tb_on_treatment")
    assert "liver tests through the TB treatment" in line

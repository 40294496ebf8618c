"""Specialist review round Z56 (all patients SYNTHETIC): a paraneoplastic clinic, a genetics and
neuromuscular diagnostics clinic, a remote telemedicine service and a virtual ward."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, make_plan, withheld

RITUXIMAB_BOOKED = {"planned_treatments": [{"therapy": "rituximab", "start": "2026-12-10",
                                            "dose_value": 1, "dose_unit": "g", "route": "iv"}]}


def test_rituximab_waits_for_the_biopsy_of_a_new_lump() -> None:
    """Review Z56b P3: rituximab booked in 10 days beside an undiagnosed neck lump."""
    plan = make_plan(**RITUXIMAB_BOOKED, cancer={"red_flags": ["new_lump"]})
    booked = next(a for a in plan.do_now if a.code == "planned_course_barred_rituximab")
    assert "not to be started" in booked.text and "new lump" in booked.text
    assert booked.urgency == "urgent"
    assert "new_lump_tissue_before_immunosuppression" in do_now(plan)
    without = make_plan(**RITUXIMAB_BOOKED)
    assert "new_lump_tissue_before_immunosuppression" not in do_now(without)


def test_organ_threat_takes_the_biopsy_first_instead_of_withholding() -> None:
    plan = make_plan(cancer={"red_flags": ["new_lump"]},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     antibodies={"mda5": {"status": "positive"}})
    assert "rituximab" not in withheld(plan)
    if "rituximab" in {o.therapy for o in plan.options}:
        assert "depleting_therapy_before_lump_diagnosed_organ_threat" in cautions(plan,
                                                                                 "rituximab")


def test_ivig_in_immobilising_disease_carries_the_thrombosis_caution() -> None:
    """Review Z56b P5: IVIG 'no caution for this patient' with severe dysphagia."""
    plan = make_plan(organs={"dysphagia": "severe"})
    assert "ivig_immobilising_disease" in cautions(plan, "ivig")

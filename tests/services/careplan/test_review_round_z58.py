"""Specialist review round Z58 (all patients SYNTHETIC): a dialysis unit, a chronic pain and
fatigue clinic, an inclusion health service and a transplant haematology (GVHD) clinic."""

from __future__ import annotations

from tests.services.careplan.conftest import lab, make_plan


def test_tacrolimus_without_a_recent_trough_is_not_called_below_range() -> None:
    """Review Z58d P6: 'raise tacrolimus to its usual dose first' judged by mg/kg."""
    tac = {"weight_kg": 88, "systemic": {"interstitial_lung_disease": True},
           "treatments": [{"therapy": "tacrolimus", "start": "2023-03-01", "dose_value": 4,
                           "dose_unit": "mg/day", "outcome": "ongoing"}]}
    plan = make_plan(**tac)
    line = next(d for d in plan.doses if d.therapy == "tacrolimus")
    assert not line.below_range and "measure the trough" in line.text
    texts = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Raise Tacrolimus to its usual dose" not in texts
    measured = make_plan(**tac, lab_results=[lab("tacrolimus_trough", 7.1, "ng/mL")])
    line = next(d for d in measured.doses if d.therapy == "tacrolimus")
    assert "dosed by its trough level (7.1" in line.text


def test_recurrence_imaging_in_pregnancy_avoids_pet_ct_first() -> None:
    """Review Z58d P3: 'FDG PET-CT now' at 14 weeks of pregnancy."""
    base = dict(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                cancer={"past_cancer": ["Hodgkin lymphoma 2021"], "red_flags": ["weight_loss"]})
    pregnant = make_plan(**base, reproduction={"pregnant": True, "gestation_weeks": 14})
    text = " ".join(a.text for a in pregnant.do_now)
    assert "FDG PET-CT now" not in text
    not_pregnant = make_plan(**base, reproduction={"pregnant": False})
    assert "FDG PET-CT now" in " ".join(a.text for a in not_pregnant.do_now)


def test_recurrent_infections_do_not_bar_the_treatment_of_anti_mda5_rp_ild() -> None:
    """Review Z58a P2: tacrolimus and cyclophosphamide barred in anti-MDA5 RP-ILD for one treated
    peritonitis recorded as recurrent infections."""
    from tests.services.careplan.conftest import cautions, withheld
    rp_ild = dict(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                  systemic={"interstitial_lung_disease": True,
                            "rapidly_progressive_ild_suspected": True},
                  comorbidities={"recurrent_infections": True})
    plan = make_plan(**rp_ild)
    held = withheld(plan)
    assert "tacrolimus" not in held and "cyclophosphamide" not in held
    assert "high_infection_risk_new_agent_organ_threatening" in cautions(plan, "tacrolimus")
    quiet = make_plan(comorbidities={"recurrent_infections": True},
                      systemic={"interstitial_lung_disease": True})
    assert "rituximab" in withheld(quiet) or "rituximab" not in {o.therapy for o in quiet.options}


def test_fibromyalgia_with_a_mildly_raised_ck_keeps_the_statin_with_its_prescriber() -> None:
    """Review Z58b P8: an urgent statin stop in fibromyalgia with a normal biopsy."""
    from tests.services.careplan.conftest import do_now
    base = dict(antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "negative"}},
                other_medicines=["statin"], lab_results=[lab("ck", 380, "U/L", uln=200)])
    fibro = make_plan(**base, diagnosis={"not_myositis": "fibromyalgia",
                                         "alternative": "fibromyalgia"})
    assert "statin_taken_with_myopathy" not in do_now(fibro)
    statin = make_plan(**base, diagnosis={"not_myositis": "statin myopathy",
                                          "alternative": "statin_myopathy"})
    assert "statin_taken_with_myopathy" in do_now(statin)

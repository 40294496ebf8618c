"""Findings of specialist review Z5 (routine follow-up; children; emergencies) and the re-score
of Z3-Z4, fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan


def _regimen(plan: Any, domain: str) -> Any:
    return next(r for r in plan.regimens if r.domain == domain)


def test_a_childs_oral_dose_after_pulses_is_the_paediatric_one() -> None:
    """Z5b P1 (dangerous): 'prednisolone 0.5-1 mg/kg/day (usually 40-60 mg/day)' after pulses
    for a 6-year-old of 19.5 kg."""
    child = make_plan(date_of_birth="2020-05-01", weight_kg=19.5, months_since_onset=1,
                      classification={**ADULT_DM["classification"], "age_at_onset": 6},
                      organs={"dysphagia": "severe"},
                      treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                   "start": "2026-11-30", "outcome": "ongoing"}])
    text = " | ".join(_regimen(child, "muscle").first_choice)
    assert "1-2 mg/kg/day, maximum 60 mg (20-39 mg/day at 19.5 kg)" in text
    assert "usually 40-60 mg/day" not in text


def test_a_drug_an_urgent_line_holds_is_not_continued() -> None:
    """Z5c P6 (dangerous): 'Continue Mycophenolate' during a hypoxaemic PJP whose own line
    said to hold antimetabolites."""
    plan = make_plan(systemic={"fever": True, "interstitial_lung_disease": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_diffuse"},
                     lab_results=[lab("lymphocytes", 0.4, "10^9/L")],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2025-01-01"},
                                 {"therapy": "rituximab", "start": "2026-09-01",
                                  "outcome": "ongoing"}])
    assert "pjp_pneumonia_suspected" in do_now(plan)
    entries = [e for r in plan.regimens for e in r.first_choice if "Mycophenolate" in e]
    assert entries and not any(e.startswith("Continue Mycophenolate") for e in entries)


def test_checkpoint_inhibitor_myositis_is_not_sent_to_a_dystrophy_work_up() -> None:
    """Z5c P1 (dangerous): 'Re-examine the diagnosis... the DMD gene' as first choice for
    checkpoint-inhibitor myositis with rising troponin I."""
    def visit(date: str, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": 6, "mmt8": mmt, "mmt_max": 80}}
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                     diagnosis={"subgroup": "unclassified"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"age_at_onset": 71, "elevated_muscle_enzymes": True,
                                     "skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}},
                     visits=[visit("2026-11-20", 70), visit("2026-11-28", 60)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-20",
                                  "outcome": "ineffective"}])
    assert not any(e.startswith("Re-examine the diagnosis")
                   for r in plan.regimens for e in r.first_choice)


def test_a_suspected_perforation_gets_surgery_not_endoscopy() -> None:
    """Z5c P5 (dangerous): 'endoscopy within 24 hours' with free gas on CT in JDM."""
    plan = make_plan(organs={"gi_bleeding": True, "gi_perforation_suspected": True})
    codes = do_now(plan)
    assert codes["gi_perforation_suspected"] == "urgent"
    assert "gi_bleeding_now" not in codes
    assert "gi_bleeding_now" in do_now(make_plan(organs={"gi_bleeding": True}))


def test_bone_drugs_in_a_woman_who_may_conceive_come_after_a_pregnancy_test() -> None:
    """Z5a P6 (dangerous): 'IV zoledronate or denosumab' twice for a woman without
    contraception."""
    plan = make_plan(organs={"dysphagia": "moderate"}, classification={
        **ADULT_DM["classification"], "age_at_onset": 44},
        reproduction={"pregnant": False, "planning_conception": False,
                      "effective_contraception": False},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                     "dose_unit": "mg/day", "start": "2026-09-01"}])
    for action in plan.do_now:
        if "denosumab" in action.text and "not given in pregnancy" not in action.text:
            assert "pregnancy test" in action.text, action.code


def test_secondary_pjp_prophylaxis_is_firm() -> None:
    """Re-score of Z4b P2: only 'consider PJP prophylaxis' 6 weeks after a PJP on rituximab
    and mycophenolate with lymphocytes 0.5."""
    plan = make_plan(comorbidities={"previous_pjp": True},
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01"}])
    line = next(a.text for a in plan.do_now
                if a.code == "pjp_prophylaxis_due_rituximab_combination")
    assert line.startswith("PJP prophylaxis due now") and "secondary prophylaxis" in line


def test_pregnancy_under_16_is_a_safeguarding_matter() -> None:
    """Z5b P8: 15 years old and 8 weeks pregnant on methotrexate: no safeguarding line, and
    emergency-contraception advice for a girl already pregnant."""
    plan = make_plan(date_of_birth="2011-06-01", months_since_onset=30,
                     classification={**ADULT_DM["classification"], "age_at_onset": 13},
                     reproduction={"pregnant": True, "gestation_weeks": 8,
                                   "effective_contraception": False},
                     treatments=[{"therapy": "methotrexate", "start": "2025-01-01"}])
    codes = do_now(plan)
    assert codes["pregnancy_under_16_safeguarding"] == "urgent"
    assert "teratogen_adolescent_no_contraception" not in codes
    assert "teratogen_adolescent_counselling" not in codes  # 'only if sexually active


def test_an_infected_calcinosis_deposit_gets_antibiotics_and_a_hold() -> None:
    """Z5b P4: fever and cellulitis around an ulcerated calcinosis deposit; no antibiotic named
    and methotrexate continued."""
    plan = make_plan(systemic={"fever": True},
                     comorbidities={"active_infection": True,
                                    "infection_focus": "skin_soft_tissue"},
                     treatments=[{"therapy": "methotrexate", "start": "2024-01-01"}])
    line = next(a for a in plan.do_now if a.code == "skin_infection_on_immunosuppression")
    assert line.urgency == "urgent" and "Staphylococcus aureus" in line.text
    assert not any(e.startswith("Continue Methotrexate") or e.startswith(
        "Continue and optimise Methotrexate") for r in plan.regimens for e in r.first_choice)


def test_chronic_kidney_bone_care_waits_during_acute_kidney_injury() -> None:
    """Z5c: 'CKD mineral and bone disorder' advice from a creatinine still rising."""
    plan = make_plan(lab_results=[lab("creatinine", 80, "umol/L", None, "2026-11-01"),
                                  lab("creatinine", 420, "umol/L", None, "2026-11-28")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    codes = do_now(plan)
    assert "acute_kidney_injury" in codes
    assert "bone_protection_kidney_failure" not in codes


def test_a_high_risk_screen_runs_with_the_red_flag_work_up() -> None:
    """Z5a P5: mammography, CA-125 and pelvic ultrasound deferred 'once the urgent problem is
    stabilised' in an anti-TIF1-gamma relapse with weight loss."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={**ADULT_DM["classification"], "age_at_onset": 52},
                     cancer={"red_flags": ["weight_loss"]}, organs={"dysphagia": "severe"})
    codes = do_now(plan)
    assert {"cancer_red_flags", "cancer_red_flags_while_unstable"} & set(codes)
    line = next(a for a in plan.do_now if a.code == "cancer_screening_due")
    assert line.urgency == "urgent" and "with the red-flag work-up now" in line.text


def test_untreated_progression_is_not_called_a_flare_to_re_escalate() -> None:
    """Z5b P1: 'Flare ... re-escalate, check adherence' for a child whose treatment had not
    started before the worse visit."""
    def visit(date: str, pg: float, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "mmt8": mmt,
                                           "mmt_max": 80}}
    plan = make_plan(date_of_birth="2020-05-01", weight_kg=19.5, months_since_onset=2,
                     classification={**ADULT_DM["classification"], "age_at_onset": 6},
                     visits=[visit("2026-11-10", 4, 66), visit("2026-11-28", 7, 48)],
                     treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                  "start": "2026-11-29", "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "worse_before_treatment" in codes and "flare" not in codes
    assert not any(a.text.startswith("Flare against the previous visit") for a in plan.do_now)


def test_life_threatening_disease_later_in_pregnancy_names_the_last_resort() -> None:
    """Z5c P2: anti-MDA5 RP-ILD at 22 weeks; cyclophosphamide only 'contraindicated'."""
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     reproduction={"pregnant": True, "gestation_weeks": 22})
    assert "cyclophosphamide" in {w.therapy for w in plan.withheld}
    assert "cyclophosphamide_later_pregnancy_life_threatening" in do_now(plan)
    early = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                      systemic={"interstitial_lung_disease": True,
                                "rapidly_progressive_ild_suspected": True},
                      reproduction={"pregnant": True, "gestation_weeks": 9})
    assert "cyclophosphamide_later_pregnancy_life_threatening" not in do_now(early)


def test_tacrolimus_never_in_range_has_not_failed() -> None:
    """Z5c P2 (dangerous): 'tacrolimus failed' in RP-ILD with a trough of 4.2 ng/mL, and the
    next trough set 1-2 weeks away."""
    from myositis.knowledge import load
    from myositis.services.state import _failed_steroid_sparing
    from tests.services.careplan.conftest import make_record

    course = {"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
              "start": "2026-06-01", "response": "none"}
    low = make_record(treatments=[course], lab_results=[
        lab("tacrolimus_trough", 4.2, "ng/mL", None, "2026-11-20")])
    assert "tacrolimus" not in _failed_steroid_sparing(low, load(), "muscle")
    in_range = make_record(treatments=[course], lab_results=[
        lab("tacrolimus_trough", 7.5, "ng/mL", None, "2026-11-20")])
    assert "tacrolimus" in _failed_steroid_sparing(in_range, load(), "muscle")
    plan = make_plan(treatments=[course], lab_results=[
        lab("tacrolimus_trough", 4.2, "ng/mL", None, "2026-11-20")])
    line = next(a.text for a in plan.do_now if a.code == "tacrolimus_trough_low")
    assert "every 2-3 days in rapidly progressive ILD" in line

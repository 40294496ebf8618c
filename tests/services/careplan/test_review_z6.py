"""Findings of specialist review Z4 (new presentations; refractory disease; comorbidities)
fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan

NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}
UNCLASSIFIED: dict[str, Any] = {
    "classification": {"age_at_onset": 38, "elevated_muscle_enzymes": True, "skin": NO_RASH,
                       "weakness": {"proximal_upper": False, "proximal_lower": False}},
    "skin": NO_RASH, "antibodies": {"mi2": {"status": "negative"}}, "workup_done": [],
    "diagnosis": {"subgroup": "unclassified"}, "months_since_onset": 2}


def test_a_glucocorticoid_with_no_diagnosis_and_full_strength_is_stopped() -> None:
    """Z4a P7 (dangerous): prednisolone 20 mg started without a diagnosis in a strong man with
    CK 3 x ULN kept as a 'maintenance drug' with PJP prophylaxis."""
    def visit(date: str) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": 20,
                "core_set": {"physician_global": 0.5, "mmt8": 80, "mmt_max": 80}}
    plan = make_plan(**UNCLASSIFIED, visits=[visit("2026-11-10"), visit("2026-11-28")],
                     lab_results=[lab("ck", 640, "U/L", 200, "2026-11-10"),
                                  lab("ck", 600, "U/L", 200)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-11-08"}])
    codes = do_now(plan)
    assert "glucocorticoid_without_diagnosis" in codes
    assert "pjp_prophylaxis_due_glucocorticoid_dose" not in codes
    line = next(a.text for a in plan.do_now if a.code == "glucocorticoid_without_diagnosis")
    assert "taper it to stop" in line


def test_a_severe_reaction_rules_out_a_rechallenge() -> None:
    """Z4b P2 and P3 (dangerous): methotrexate pneumonitis withheld only 'not now'; azathioprine
    re-offered 'after weighing that reaction' after a severe hepatitis."""
    plan = make_plan(treatments=[
        {"therapy": "azathioprine", "start": "2025-01-01", "stop": "2025-03-01",
         "outcome": "not_tolerated", "reason_stopped": "adverse_event",
         "reaction_severity": "severe"}])
    reasons = {w.therapy: w.reason for w in plan.withheld}
    assert reasons["azathioprine"].startswith("Stopped before for a severe adverse reaction")
    mild = make_plan(treatments=[
        {"therapy": "azathioprine", "start": "2025-01-01", "stop": "2025-03-01",
         "outcome": "not_tolerated", "reason_stopped": "adverse_event",
         "reaction_severity": "mild"}])
    assert "azathioprine" not in {w.therapy for w in mild.withheld}


def test_fever_with_diffuse_infiltrates_on_cyclophosphamide_is_treated_as_pjp() -> None:
    """Z4b P7 (dangerous): fever and new diffuse ground glass on cyclophosphamide without
    prophylaxis handled as a prophylaxis question ('prefer atovaquone')."""
    plan = make_plan(systemic={"fever": True, "interstitial_lung_disease": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_diffuse"},
                     lab_results=[lab("wbc", 2.1, "10^9/L"), lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "cyclophosphamide", "start": "2026-09-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert codes["pjp_pneumonia_suspected"] == "urgent"
    assert "co_trimoxazole_cytopenia" not in codes
    assert "ild_progressing_transplant_referral" not in codes


def test_worse_globals_and_haq_with_lung_disease_are_not_a_muscle_flare() -> None:
    """Z4b P2 (dangerous): 'raise prednisolone to 0.5 mg/kg' with strength and CK unchanged,
    globals and HAQ worse, four weeks after a Pneumocystis pneumonia."""
    def visit(date: str, g: float, haq: float) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": 12.5,
                "core_set": {"physician_global": g, "patient_global": g,
                             "extramuscular_global": g, "mmt8": 76, "mmt_max": 80,
                             "haq": haq}}
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "asys"}, months_since_onset=60,
                     systemic={"interstitial_lung_disease": True},
                     visits=[visit("2026-06-10", 2, 0.5), visit("2026-11-25", 3.5, 1.0)],
                     lab_results=[lab("ck", 150, "U/L", 200, "2026-06-10"),
                                  lab("ck", 160, "U/L", 200)],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2023-01-01"}])
    assert next(d.state for d in plan.state.domains if d.domain == "muscle") != "flare"
    assert not any(f.code == "flare" for f in plan.flags)


def test_colchicine_among_other_medicines_is_read() -> None:
    """Z4a P2: colchicine recorded in other_medicines (as the schema asks) never fired."""
    plan = make_plan(other_medicines=["colchicine"], lab_results=[lab("egfr", 49, "mL/min/1.73m2")])
    # the base patient is anti-Mi-2 positive: the rule for a myopathy already shown fires
    assert {"colchicine_toxicity_likely", "colchicine_beside_immune_myopathy"} & set(do_now(plan))


def test_alcohol_low_potassium_and_thyroid_are_weighed_as_causes() -> None:
    """Z4a P8: severe hypothyroidism on amiodarone, alcohol excess, simvastatin and potassium
    3.3 - the alcohol and the potassium never acted on."""
    plan = make_plan(**UNCLASSIFIED, comorbidities={"alcohol_excess": True},
                     other_medicines=["statin"],
                     lab_results=[lab("potassium", 3.3, "mmol/L"), lab("tsh", 68, "mU/L", 4.5),
                                  lab("ck", 2540, "U/L", 200)])
    codes = do_now(plan)
    assert {"low_potassium_myopathy", "alcohol_myopathy_mimic",
            "hypothyroidism_with_statin"} <= set(codes)
    assert "statin_with_high_ck_hmgcr_negative" not in codes


def test_a_recent_hrct_on_file_is_not_asked_for_again() -> None:
    """Z4c P6 and P8: 'HRCT and full lung function when ILD is possible' beside a normal HRCT."""
    lung_risk = {"antibodies": {"jo1": {"status": "positive"}, "mi2": {"status": "negative"}}}
    asked = make_plan(**lung_risk)
    assert any(w.code == "hrct_pft" for w in asked.workup)
    scanned = make_plan(**lung_risk, lung={"date": "2026-10-01", "hrct_pattern": "normal",
                                           "fvc_percent_predicted": 95})
    assert not any(w.code == "hrct_pft" for w in scanned.workup)


def test_a_biopsy_is_optional_when_other_criteria_make_the_diagnosis() -> None:
    """Z4a: a biopsy 'soon' for a textbook anti-HMGCR myopathy because EULAR/ACR needs one."""
    from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK

    plan = make_plan(HMGCR_TEXTBOOK)
    biopsy = next((w for w in plan.workup if w.code == "muscle_biopsy"), None)
    assert biopsy is None or (biopsy.urgency == "routine" and "optional" in biopsy.reason)


def test_adolescent_wording_stays_with_adolescents() -> None:
    """Z4b: 'none is safest under 18' printed for adults of 34 and 61; paternal mycophenolate
    advice for a 13-year-old boy."""
    adult = make_plan()  # 50 years old, alcohol not recorded, methotrexate offered
    texts = [c.text for o in adult.options for c in o.cautions]
    assert any("Alcohol intake not recorded" in t for t in texts)
    assert not any("under 18" in t for t in texts)
    boy = make_plan(sex="male", date_of_birth="2013-03-01", months_since_onset=20,
                    classification={"age_at_onset": 12, "elevated_muscle_enzymes": True,
                                    "skin": {"heliotrope_rash": True, "gottron_papules": True}},
                    treatments=[{"therapy": "mycophenolate", "start": "2026-01-01",
                                 "outcome": "ongoing"}])
    assert "mycophenolate_paternal_contraception" not in do_now(boy)


def test_refractory_skin_is_not_continued_on_a_topical_that_failed() -> None:
    """Z4b P1: 'Continue Topical calcineurin inhibitors' twice, response none, as the first
    choice for skin refractory to methotrexate and mycophenolate."""
    def visit(date: str, cdasi: int) -> dict[str, Any]:
        return {"date": date, "cdasi_activity": cdasi,
                "core_set": {"physician_global": 3, "mmt8": 80, "mmt_max": 80}}
    plan = make_plan(months_since_onset=30,
                     visits=[visit("2026-06-01", 24), visit("2026-11-25", 26)],
                     treatments=[
                         {"therapy": "methotrexate", "start": "2024-01-01", "stop": "2025-01-01",
                          "outcome": "ineffective", "reason_stopped": "inefficacy"},
                         {"therapy": "mycophenolate", "start": "2025-01-02",
                          "stop": "2026-05-01", "outcome": "ineffective",
                          "reason_stopped": "inefficacy"},
                         {"therapy": "hydroxychloroquine", "start": "2024-01-01",
                          "stop": "2024-02-01", "outcome": "not_tolerated",
                          "reason_stopped": "adverse_event"},
                         {"therapy": "topical_calcineurin_inhibitors", "start": "2025-03-10",
                          "outcome": "ongoing", "response": "none"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    named = [e for e in skin.first_choice if e.startswith(("Continue Topical calcineurin",
                                                           "Topical calcineurin"))]
    assert len(named) <= 1
    assert not any(e.startswith("Continue Topical calcineurin") for e in skin.first_choice)

"""Specialist review P (December 2026): a long-term follow-up clinic (P1) and an acute medical
take at night (P2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan, merge


def _visit(date: str, pga: float, mmt: int, ck: float) -> dict[str, Any]:
    return {"date": date, "glucocorticoid_mg_per_day": 0,
            "core_set": {"physician_global": pga, "patient_global": 2.0, "mmt8": mmt,
                         "haq": 0.125},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}


HMGCR_ON_IVIG: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-P1-P6", "label": "SYNTHETIC anti-HMGCR IMNM strong on IVIG with CK 4.4 x ULN",
    "months_since_onset": 90, "weight_kg": 70, "diagnosis": {"subgroup": "imnm"},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "classification": {"skin": {"heliotrope_rash": False, "gottron_papules": False}},
    "antibodies": {"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
    "visits": [_visit("2025-11-11", 1.0, 78, 950), _visit("2026-05-12", 0.5, 79, 900),
               _visit("2026-11-10", 0.5, 79, 880)],
    "treatments": [{"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg",
                    "start": "2023-01-01", "outcome": "ongoing", "response": "complete"}],
    "comorbidities": {"thrombosis_history": True, "last_thrombosis": "2025-03-02"}})


def test_a_raised_ck_with_normal_strength_is_not_escalated() -> None:
    """P1 P6 (dangerous): MMT-8 79/80 with CK 4.4 x ULN and falling called 'active', and
    prednisolone and azathioprine added."""
    plan = make_plan(HMGCR_ON_IVIG)
    assert plan.state is not None and plan.state.of("muscle") == "stable"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice == ["Continue Intravenous immunoglobulin"]
    rising = merge(HMGCR_ON_IVIG, {"visits": [_visit("2025-11-11", 1.0, 78, 400),
                                              _visit("2026-05-12", 0.5, 79, 450),
                                              _visit("2026-11-10", 0.5, 79, 880)]})
    assert make_plan(rising).state.of("muscle") != "stable"  # type: ignore[union-attr]


def test_a_past_thrombosis_is_named_while_ivig_is_given() -> None:
    """P1 P6: a myocardial infarction 20 months before, on IVIG, with no word of the clot risk."""
    assert "ivig_past_thrombosis_taken" in do_now(make_plan(HMGCR_ON_IVIG))


def test_a_creatinine_in_the_labs_section_is_read_for_kidney_safety() -> None:
    """P2 P8 (dangerous): creatinine 420 in `labs` was ignored and methotrexate offered."""
    plan = make_plan(labs={"creatinine_umol_l": 420,
                           "enzymes": {"ck": {"value": 2400, "uln": 200}}},
                     lab_results=[], weight_kg=60)
    assert plan.options and not any(d.therapy == "methotrexate" and "25 mg/week" in d.text
                                    for d in plan.doses)
    assert any("egfr" in u.lower() or "eGFR" in u for u in plan.inputs_used)


def test_a_methotrexate_the_plan_stops_gets_no_route_or_prophylaxis_advice() -> None:
    """P2 P7 (dangerous) and P1 P5: 'stop it today' beside 'change it to subcutaneous at the
    same weekly dose' and 'keep methotrexate and change the prophylaxis'."""
    plan = make_plan(organs={"dysphagia": "moderate"}, other_medicines=["co_trimoxazole"],
                     lab_results=[lab("egfr", 25, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "route": "oral",
                                  "start": "2025-01-01", "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "oral_methotrexate_with_severe_dysphagia" not in codes
    assert not any("keep methotrexate and change the prophylaxis" in a.text
                   for a in plan.do_now)
    kept = make_plan(organs={"dysphagia": "moderate"},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "route": "oral",
                                  "start": "2025-01-01", "outcome": "ongoing"}])
    assert "oral_methotrexate_with_severe_dysphagia" in do_now(kept)


STOPPED_PREDNISOLONE: dict[str, Any] = {
    "months_since_onset": 27,
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                    "start": "2024-09-13", "stop": "2026-11-26", "outcome": "effective",
                    "reason_stopped": "other"}]}


def test_an_abrupt_stop_after_long_glucocorticoids_is_an_adrenal_risk() -> None:
    """P2 P6 (dangerous): an adrenal crisis 5 days after stopping prednisolone taken for two
    years; no hydrocortisone, no card, 'remission, no induction'."""
    quiet = make_plan(**STOPPED_PREDNISOLONE)
    assert do_now(quiet).get("adrenal_risk_after_stopping_glucocorticoids") == "soon"
    sick = make_plan(**STOPPED_PREDNISOLONE,
                     lab_results=[lab("potassium", 5.7, "mmol/L", 5.3)])
    line = next(a for a in sick.do_now if a.code == "adrenal_crisis_possible_after_stopping")
    assert line.urgency == "urgent" and "hydrocortisone 100 mg" in line.text
    # the card and sick-day advice stays beside the crisis line (re-score of review P)
    assert "adrenal_risk_after_stopping_glucocorticoids" in do_now(sick)
    assert "sodium" in line.text and "trigger" in line.text
    short = make_plan(months_since_onset=3, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2026-10-20", "stop": "2026-11-26", "outcome": "effective"}])
    assert "adrenal_risk_after_stopping_glucocorticoids" not in do_now(short)


def test_severe_new_disease_checks_the_heart_soon() -> None:
    """P2 P8: baseline ECG and troponin 'routine' at CK 22,000 with respiratory weakness."""
    severe = make_plan(labs={"enzymes": {"ck": {"value": 22000, "uln": 200}}})
    assert next(w for w in severe.workup if w.code == "cardiac").urgency == "soon"
    mild = make_plan(labs={"enzymes": {"ck": {"value": 800, "uln": 200}}})
    assert next(w for w in mild.workup if w.code == "cardiac").urgency == "routine"


def test_in_remission_a_stopped_drug_needs_no_ivig_replacement() -> None:
    """P2 P6: IVIG first choice to replace methotrexate stopped for kidney injury in sustained
    remission."""
    remission = [_visit(d, 0.5, 80, 150) for d in ("2025-12-01", "2026-06-01", "2026-11-20")]
    plan = make_plan(months_since_onset=30, visits=remission,
                     lab_results=[lab("creatinine", 160, "umol/L", None, "2026-11-25"),
                                  lab("creatinine", 90, "umol/L", None, "2026-06-01")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2024-10-01",
                                  "outcome": "ongoing"}])
    changes = " ".join(f for r in plan.regimens for f in r.first_choice)
    assert "Stop Methotrexate" in changes
    assert "stop without a replacement" in changes
    assert "Intravenous immunoglobulin" not in changes


def test_minimal_skin_activity_off_treatment_starts_no_skin_drug() -> None:
    """P1 P1: CDASI 2 and calcinosis, no treatment: 'skin active', hydroxychloroquine offered."""
    visits = [{"date": d, "cdasi_activity": 2,
               "core_set": {"physician_global": 0.5, "mmt8": 80, "mmt_max": 80}}
              for d in ("2026-05-01", "2026-11-20")]
    plan = make_plan(months_since_onset=120, visits=visits, treatments=[])
    assert plan.state is not None and plan.state.of("skin") == "stable"
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert "Hydroxychloroquine" not in skin.first_choice


def test_hydroxychloroquine_above_the_limit_in_pregnancy_is_not_stopped_but_reviewed() -> None:
    """P1 P7: 7.3 mg/kg/day for 8.5 years in pregnancy, shown but not reduced."""
    hcq = [{"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
            "start": "2018-05-02", "outcome": "ongoing"}]
    plan = make_plan(weight_kg=55, treatments=hcq,
                     reproduction={"pregnant": True, "gestation_weeks": 10})
    line = next(a.text for a in plan.do_now
                if a.code == "hydroxychloroquine_dose_above_5mg_kg_pregnant")
    assert "do not stop it" in line
    assert "hydroxychloroquine_dose_above_5mg_kg" not in do_now(plan)


def test_an_undated_high_creatinine_outranks_an_old_dated_normal_one() -> None:
    """Re-score of P2 P8 (dangerous): creatinine 420 in `labs` beside a year-old dated 45 was
    read as eGFR 133 and methotrexate kept first."""
    plan = make_plan(labs={"creatinine_umol_l": 420,
                           "enzymes": {"ck": {"value": 2400, "uln": 200}}},
                     lab_results=[lab("creatinine", 45, "umol/L", None, "2025-11-20")])
    assert any(u.startswith("eGFR") and float(u.split()[1]) < 15 for u in plan.inputs_used)
    recent = make_plan(labs={"creatinine_umol_l": 420,
                             "enzymes": {"ck": {"value": 2400, "uln": 200}}},
                       lab_results=[lab("creatinine", 60, "umol/L", None, "2026-11-25")])
    assert any(u.startswith("eGFR") and float(u.split()[1]) > 60 for u in recent.inputs_used)

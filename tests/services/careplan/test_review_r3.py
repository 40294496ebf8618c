"""Specialist review R (December 2026): a dermatology-led DM clinic (R1) and sex-, gender- and
reproduction-aware care (R2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, lab, make_plan, merge


def test_a_dm_label_with_no_muscle_data_is_assessed_not_treated() -> None:
    """R1 P7 (dangerous): no CK, no strength, no antibody; 'muscle active', prednisolone raised
    and 115 g of IVIG for a 72-year-old with heart failure."""
    profile = merge(ADULT_DM, {"diagnosis": {"subgroup": "dm"}, "weight_kg": 58,
                               "classification": {"age_at_onset": 72, "weakness": {
                                   "proximal_upper": False, "proximal_lower": False},
                                   "elevated_muscle_enzymes": False},
                               "comorbidities": {"heart_failure": True}})
    profile["labs"] = {}
    plan = make_plan(profile, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-11-18", "outcome": "ongoing"}])
    assert plan.state is not None and plan.state.of("muscle") == "unknown"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Assess the muscle before treating it")
    assert muscle.decision_point.startswith("Once strength and enzymes are measured")
    assert any(f.startswith("Review Oral glucocorticoids") for f in muscle.first_choice)
    assert not any("immunoglobulin" in f for f in muscle.first_choice)
    assert not any(d.therapy == "ivig" for d in plan.doses)


MDA5_ULCERS: dict[str, Any] = merge(ADULT_DM, {
    "diagnosis": {"subgroup": "adm"}, "weight_kg": 60,
    "antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
    "classification": {"weakness": {"proximal_upper": False, "proximal_lower": False},
                       "elevated_muscle_enzymes": False},
    "labs": {"enzymes": {"ck": {"value": 90, "uln": 200}}},
    "skin": {"cutaneous_ulceration": True},
    "visits": [{"date": d, "cdasi_activity": c,
                "core_set": {"physician_global": 4, "mmt8": 80, "mmt_max": 80}}
               for d, c in (("2026-09-01", 22), ("2026-11-20", 24))],
    "treatments": [{"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
                    "start": "2026-06-01", "outcome": "ongoing", "response": "none"}]})


def test_no_methotrexate_is_added_for_the_skin_in_anti_mda5_with_ulcers() -> None:
    """R1 P5 (dangerous): methotrexate stacked on prednisolone with mycophenolate or
    tacrolimus for ulcerating anti-MDA5 skin, with a raised ALT and lymphopenia."""
    plan = make_plan(MDA5_ULCERS)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0].startswith("systemic treatment for ulcerating")
    assert "Methotrexate" not in skin.first_choice


def test_organ_threatening_disease_keeps_its_regimen_despite_infection_risk() -> None:
    """R2 P6 (dangerous): anti-MDA5 RP-ILD on tacrolimus told to 'add no further
    immunosuppressant' and keep the trough at the low end, against triple therapy."""
    plan = make_plan(MDA5_ULCERS, systemic={"rapidly_progressive_ild_suspected": True,
                                            "interstitial_lung_disease": True},
                     lab_results=[lab("lymphocytes", 0.4, "10^9/L")],
                     treatments=[{"therapy": "tacrolimus", "dose_value": 6,
                                  "dose_unit": "mg/day", "start": "2026-11-25",
                                  "outcome": "ongoing"}])
    texts = [a.text for a in plan.do_now]
    assert not any("add no further immunosuppressant" in t for t in texts)
    assert any("keep the regimen the disease needs" in t for t in texts)


def test_a_man_planning_to_father_a_child_gets_no_maternal_hold_on_tapering() -> None:
    """R2 P1: 'no taper or withdrawal until after pregnancy and breastfeeding' for a man."""
    remission = [{"date": d, "glucocorticoid_mg_per_day": 5,
                  "core_set": {"physician_global": 0.5, "mmt8": 80, "mmt_max": 80},
                  "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}}}
                 for d in ("2025-12-01", "2026-06-01", "2026-11-20")]
    treatments = [{"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
                   "start": "2024-01-01", "outcome": "ongoing"},
                  {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                   "start": "2024-01-01", "outcome": "ongoing"}]
    man = make_plan(sex="male", months_since_onset=40, visits=remission, treatments=treatments,
                    reproduction={"planning_conception": True})
    said = " ".join(e for r in man.regimens for e in (*r.first_choice, r.decision_point))
    assert "through the switch before conception" not in said
    assert "breastfeeding; no taper" not in said
    woman = make_plan(months_since_onset=40, visits=remission, treatments=treatments,
                      reproduction={"planning_conception": True})
    assert "Conception planned" in " ".join(r.decision_point for r in woman.regimens)


def test_a_stale_pregnancy_flag_does_not_outrank_the_reproduction_section() -> None:
    """R2 P7: comorbidities.pregnancy true beside reproduction.pregnant false capped
    azathioprine at the pregnancy dose after the delivery."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import limited
    from tests.services.careplan.conftest import make_record

    entry = next(e for e in load().doses if e.therapy == "azathioprine")
    record = make_record(weight_kg=60, comorbidities={"pregnancy": True},
                         reproduction={"pregnant": False, "planning_conception": False})
    assert limited(entry, record)[0].high == 2.5


def test_no_pregnancy_prompt_at_74_when_the_sex_is_not_recorded() -> None:
    """R2 P3: a pregnancy test and contraception asked for a 74-year-old of unknown sex."""
    methotrexate = [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2025-01-01", "outcome": "ongoing"}]
    old = make_plan(sex="unknown", date_of_birth="1952-01-01", treatments=methotrexate,
                    reproduction={})
    assert not any("contraception" in a.code for a in old.do_now)
    # the sex is still asked for: it decides the cancer tests and the eGFR equation
    assert any(u.startswith("sex (") for u in old.unknowns)
    young = make_plan(sex="unknown", date_of_birth="1996-01-01", treatments=methotrexate,
                      reproduction={})
    assert any("contraception" in a.code or "pregnan" in a.code for a in young.do_now)

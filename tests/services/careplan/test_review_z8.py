"""Findings of specialist review Z6 (mixed adult clinic; emergencies; children) fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import lab, make_plan


def test_ivig_is_withheld_during_acute_kidney_injury_from_rhabdomyolysis() -> None:
    """Z6b P4 (dangerous): 'switch to IVIG, 190 g per course' with oliguric kidney injury and
    CK 260 x ULN."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     lab_results=[lab("creatinine", 92, "umol/L", None, "2026-06-16"),
                                  lab("creatinine", 298, "umol/L", None, "2026-11-30"),
                                  lab("ck", 52000, "U/L", 200)])
    assert "ivig" in {w.therapy for w in plan.withheld}
    steady = make_plan(organs={"dysphagia": "severe"},
                       lab_results=[lab("creatinine", 92, "umol/L", None, "2026-06-16"),
                                    lab("creatinine", 95, "umol/L", None, "2026-11-30")])
    assert "ivig" not in {w.therapy for w in steady.withheld}


def test_methotrexate_toxicity_gets_folinic_acid() -> None:
    """Z6a P7 (dangerous omission): neutrophils 0.5 and platelets 48 after methotrexate with
    co-trimoxazole; no folinic acid anywhere."""
    plan = make_plan(lab_results=[lab("neutrophils", 0.5, "10^9/L"),
                                  lab("platelets", 48, "10^9/L")],
                     treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                  "stop": "2026-11-26", "outcome": "not_tolerated",
                                  "reason_stopped": "adverse_event",
                                  "reaction_severity": "severe"}])
    line = next(a for a in plan.do_now if a.code == "methotrexate_toxicity_recent")
    assert line.urgency == "urgent" and "folinic acid" in line.text


def test_weaker_with_normal_ck_on_a_raised_dose_is_imaged_before_rituximab() -> None:
    """Z6a P8 (dangerous): rituximab first for probable glucocorticoid myopathy - weaker after
    prednisolone went from 20 to 40 mg, CK 150 to 80, HbA1c rising."""
    def visit(date: str, mmt: int, gc: float) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": gc,
                "core_set": {"physician_global": 4, "mmt8": mmt, "mmt_max": 80}}
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "asys"}, months_since_onset=7,
                     visits=[visit("2026-08-08", 72, 30), visit("2026-09-19", 70, 20),
                             visit("2026-10-31", 67, 40), visit("2026-11-28", 65, 40)],
                     lab_results=[lab("ck", 150, "U/L", 200, "2026-09-19"),
                                  lab("ck", 95, "U/L", 200, "2026-10-31"),
                                  lab("ck", 80, "U/L", 200, "2026-11-28")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-05-10"},
                                 {"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2026-05-20"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state in ("inadequate_response", "active")
    assert muscle.first_choice[0].startswith("Glucocorticoid myopathy first")


def test_no_jak_inhibitor_beside_tacrolimus_or_during_cmv_viraemia() -> None:
    """Z6a P2 (dangerous): tofacitinib as a fourth drug beside tacrolimus, pulses and
    cyclophosphamide, with lymphocytes 0.4 and CMV viraemia."""
    mda5 = {"antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
            "systemic": {"interstitial_lung_disease": True,
                         "rapidly_progressive_ild_suspected": True}}
    offered = make_plan(**mda5)
    assert "tofacitinib" in {o.therapy for o in offered.options}
    on_tacrolimus = make_plan(**mda5, treatments=[{"therapy": "tacrolimus",
                                                   "start": "2026-09-01"}])
    reasons = {w.therapy: w.reason for w in on_tacrolimus.withheld}
    assert "calcineurin inhibitor" in reasons.get("tofacitinib", "")
    lymphopenic = make_plan(**mda5, lab_results=[lab("lymphocytes", 0.4, "10^9/L")])
    assert "tofacitinib" in {w.therapy for w in lymphopenic.withheld}


def test_a_gut_bleed_in_jdm_is_treated_now_with_iv_glucocorticoid() -> None:
    """Z6b P6 and Z6c P2 (dangerous): pulses deferred 'until the bleeding has settled' and
    oral prednisolone continued for a child with melaena from gut vasculopathy."""
    from tests.services.careplan.conftest import ADULT_DM, do_now

    plan = make_plan(date_of_birth="2018-02-01", weight_kg=26, months_since_onset=6,
                     classification={**ADULT_DM["classification"], "age_at_onset": 8},
                     organs={"gi_bleeding": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-06-01"},
                                 {"therapy": "methotrexate", "start": "2026-06-01"}])
    codes = do_now(plan)
    assert codes["jdm_gut_bleed_vasculopathy"] == "urgent" and "gi_bleeding_now" not in codes
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Glucocorticoid IV") for e in muscle.first_choice)
    assert not any(a.startswith("once the bleeding has stopped") for a in muscle.alternatives)
    # methotrexate by mouth is held, not continued (re-score of review Z5c)
    assert not any(e.startswith(("Continue Methotrexate", "Continue and optimise Methotrexate"))
                   for e in muscle.first_choice)


def test_a_line_recommending_withheld_ivig_says_so() -> None:
    """Z6b P8 (dangerous): 'IV glucocorticoids with early IVIG or rituximab' a day after an
    IVIG-associated pulmonary embolism."""
    from myositis.services.careplan.declined import IVIG_WITHHELD_NOTE, RECOMMENDS_IVIG

    plan = make_plan(organs={"dysphagia": "severe", "respiratory_muscle_weakness": True},
                     comorbidities={"thrombosis_history": True,
                                    "last_thrombosis": "2026-11-30"})
    assert "ivig" in {w.therapy for w in plan.withheld}
    lines = [a for a in plan.do_now if RECOMMENDS_IVIG.search(a.text)]
    assert lines and all(IVIG_WITHHELD_NOTE in a.text for a in lines)


def test_glucocorticoid_damage_in_a_child_outranks_holding_the_dose() -> None:
    """Z6c P6 (dangerous): 'no taper while the lung is active' for a 13-year-old with vertebral
    fractures, growth arrest and scleroderma-overlap ILD."""
    from tests.services.careplan.conftest import ADULT_DM

    plan = make_plan(date_of_birth="2013-02-01", weight_kg=38, months_since_onset=20,
                     classification={**ADULT_DM["classification"], "age_at_onset": 12,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False}},
                     labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": {
                         "physician_global": 3, "mmt8": 80, "mmt_max": 80}}],
                     antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
                     comorbidities={"osteoporosis": True},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-01", "hrct_pattern": "nsip", "course": "progressive"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2025-06-01"},
                                 {"therapy": "mycophenolate", "start": "2025-06-01"}])
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert any("tapered under the cover of the steroid-sparing agent" in e for e in lines)
    assert not any("no taper while the lung is active" in e for e in lines)


def test_a_sulfonamide_allergy_rules_out_co_trimoxazole_everywhere_it_is_named() -> None:
    """Z6b P5 (dangerous, left by the re-score): treatment-dose co-trimoxazole after a severe
    mucosal co-trimoxazole reaction, which the record could not hold."""
    from myositis.services.careplan.declined import SULFONAMIDE_NOTE
    from tests.services.careplan.conftest import do_now

    base = {"systemic": {"fever": True, "interstitial_lung_disease": True},
            "comorbidities": {"active_infection": True, "infection_focus": "lung_diffuse"},
            "lab_results": [lab("lymphocytes", 0.4, "10^9/L")],
            "treatments": [{"therapy": "rituximab", "start": "2026-09-01",
                            "outcome": "ongoing"}]}
    allergic = make_plan(**base, allergies=["sulfonamide"])
    assert "sulfonamide_allergy_no_co_trimoxazole" in do_now(allergic)
    named = [a for a in allergic.do_now if "co-trimoxazole" in a.text.lower()
             and a.code != "sulfonamide_allergy_no_co_trimoxazole"]
    assert named and all(SULFONAMIDE_NOTE in a.text for a in named)
    unrecorded = make_plan(**base)
    assert not any(SULFONAMIDE_NOTE in a.text for a in unrecorded.do_now)

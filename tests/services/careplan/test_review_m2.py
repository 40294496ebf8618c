"""Scenarios from specialist review M2 (December 2026, SYNTHETIC; reviews M and N of an earlier
session are test_review_mn.py): a mixed adult week and a juvenile and young-adult clinic; the
tests hold the fixes for what the review found unsafe (H395-)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan

NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}


def test_an_intermediate_metaboliser_on_allopurinol_gets_both_azathioprine_reductions() -> None:
    plan = make_plan(weight_kg=92, other_medicines=["allopurinol"],
                     immunogenetics={"tpmt": "intermediate", "nudt15": "normal"})
    line = next((d.text for d in plan.doses if d.therapy == "azathioprine"), None)
    if line is None:  # not proposed here: the worked range is checked through dosing
        from myositis.knowledge import load
        from myositis.services.careplan.dosing import limited
        from tests.services.careplan.conftest import make_record
        entry = next(d for d in load().doses if d.therapy == "azathioprine")
        ranged, why = limited(entry, make_record(weight_kg=92, other_medicines=["allopurinol"],
                                                 immunogenetics={"tpmt": "intermediate"}))
        assert ranged.high == 0.6 and "both reductions" in why
    else:
        assert "0.15-0.6 mg/kg/day" in line


def test_a_rash_free_jdm_label_the_criteria_reject_is_re_examined() -> None:
    plan = make_plan(diagnosis={"subgroup": "jdm"}, sex="male", skin=NO_RASH,
                     classification={"age_at_onset": 8, "skin": NO_RASH,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": True},
                                     "elevated_muscle_enzymes": True},
                     antibodies={"mi2": {"status": "negative"}}, weight_kg=30,
                     months_since_onset=6,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-06-01",
                                  "outcome": "ineffective"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Re-examine the diagnosis")
    assert "DMD gene" in muscle.first_choice[0]


def test_a_child_on_glucocorticoids_gets_paediatric_bone_care_not_denosumab() -> None:
    plan = make_plan(classification={"age_at_onset": 12}, weight_kg=40, months_since_onset=24,
                     comorbidities={"osteoporosis": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "bone_health_child" in codes
    assert not any("denosumab" in a.text and "no denosumab" not in a.text
                   for a in plan.do_now)


def test_ibm_is_not_settled_on_a_statin_while_anti_hmgcr_is_untested() -> None:
    plan = make_plan(classification={"age_at_onset": 65, "skin": NO_RASH,
                                     "weakness": {"proximal_lower": True,
                                                  "proximal_upper": False},
                                     "elevated_muscle_enzymes": True,
                                     "finger_flexor_weakness": True},
                     skin=NO_RASH, months_since_onset=30, sex="male", statin_exposure=True,
                     ibm_pattern={"knee_extension_weaker_or_equal_hip_flexion": True,
                                  "weakness_duration_months": 30},
                     labs={"enzymes": {"ck": {"value": 780, "uln": 200}}},
                     antibodies={"mi2": {"status": "negative"}})
    assert "ibm" in plan.phenotypes
    assert plan.diagnosis is not None
    assert any("anti-HMGCR not tested" in e for e in plan.diagnosis.explanation)


def test_methotrexate_toxicity_with_co_trimoxazole_stops_both_unless_it_treats_pjp() -> None:
    def plan_with(fever: bool) -> dict[str, str]:
        return do_now(make_plan(
            months_since_onset=20, other_medicines=["co_trimoxazole"],
            systemic={"fever": fever}, lung={"oxygen": "at_rest" if fever else "none"},
            lab_results=[{"analyte": "neutrophils", "value": 0.9, "unit": "10^9/L",
                          "date": "2026-11-25"}],
            treatments=[{"therapy": "methotrexate", "start": "2025-01-01",
                         "outcome": "ongoing"},
                        {"therapy": "glucocorticoids_oral", "dose_value": 20,
                         "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"}]))
    assert "methotrexate_trimethoprim_toxicity" in plan_with(False)
    treating = plan_with(True)
    assert "pjp_pneumonia_suspected" in treating
    assert "methotrexate_trimethoprim_toxicity" not in treating

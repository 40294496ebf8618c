"""Findings of blind specialist review Z28 (SYNTHETIC patients): rapid-access diagnostic clinic,
myositis-ILD clinic, obstetric-rheumatology clinic, nurse-led advice line."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan.pass_circumstances import FLARE_IN_INCUBATION
from myositis.services.careplan.patient_text import without_listed
from tests.services.careplan.conftest import cautions, do_now, lab, make_plan

_FLAGS = {"red_flags": ["new_lump"]}


def _statin_flare() -> Any:
    """Z28b P7: worse at the latest visit with CK 21 x ULN on a statin with an azole."""
    core0 = {"physician_global": 2, "patient_global": 2, "extramuscular_global": 1,
             "mmt8": 76, "haq": 0.3}
    core1 = {"physician_global": 5, "patient_global": 6, "extramuscular_global": 2,
             "mmt8": 66, "haq": 1.2}
    return make_plan(months_since_onset=60, other_medicines=["statin", "azole_antifungal"],
                     labs={"enzymes": {"ck": {"value": 4200, "uln": 200}}},
                     visits=[{"date": "2026-08-01", "core_set": core0},
                             {"date": "2026-11-25", "core_set": core1}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-01-01",
                                  "dose_value": 5, "dose_unit": "mg/day"},
                                 {"therapy": "mycophenolate", "start": "2022-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}])


def test_cancer_red_flags_in_pregnancy_are_investigated_without_ct() -> None:
    # Z28a P2 (dangerous): 'CT of the chest, abdomen and pelvis' at 14 weeks for a breast lump
    pregnant = do_now(make_plan(cancer=_FLAGS, reproduction={"pregnant": True,
                                                             "gestation_weeks": 14}))
    assert "cancer_red_flags" not in pregnant
    assert pregnant.get("cancer_red_flags_pregnant") == "urgent"
    rule = next(r for r in load().rules.rules if r.id == "cancer_red_flags_pregnant")
    assert "without\n    CT" in rule.text or "without CT" in rule.text
    assert "cancer_red_flags" in do_now(make_plan(cancer=_FLAGS))


def test_weight_loss_in_ibm_is_addressed() -> None:
    # Z27c P5 and Z28a P5: weight loss recorded in IBM and not addressed
    plan = make_plan(diagnosis={"subgroup": "ibm"}, cancer={"red_flags": ["weight_loss"]},
                     classification={"age_at_onset": 70})
    assert "weight_loss_in_ibm" in do_now(plan)


def test_nintedanib_with_liver_disease_asks_for_the_child_pugh_class() -> None:
    # Z28a P7 (dangerous): nintedanib advised with cirrhosis, bilirubin 1.8 x ULN, platelets 78
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     comorbidities={"hepatic_impairment": True},
                     lung={"course": "progressive", "hrct_pattern": "uip"},
                     treatments=[{"therapy": "mycophenolate", "start": "2026-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}])
    assert "nintedanib_hepatic_impairment" in cautions(plan, "nintedanib")
    rule = next(r for r in load().rules.rules if r.id == "progressive_pulmonary_fibrosis")
    assert "Child-Pugh" in rule.text


def test_after_an_aspiration_essential_medicines_are_not_stopped_at_home() -> None:
    # Z28d P7 (dangerous): 'nothing by mouth until the swallow has been assessed' read at home
    # for a frail man on prednisolone 30 mg and warfarin
    rule = next(r for r in load().rules.rules if r.id == "focal_pneumonia_on_immunosuppression")
    assert "nothing by mouth until the swallow" not in rule.text
    assert "essential medicines" in rule.text


def test_a_flare_during_a_chickenpox_incubation_waits_in_do_now_too() -> None:
    # Z28d P3: 're-escalate' at the top of Do now 4 days after a chickenpox contact
    core0 = {"physician_global": 2, "patient_global": 2, "extramuscular_global": 1,
             "mmt8": 75, "cmas": 48, "chaq": 0.2}
    core1 = {"physician_global": 5, "patient_global": 5, "extramuscular_global": 3,
             "mmt8": 70, "cmas": 41, "chaq": 0.9}
    plan = make_plan(sex="female", months_since_onset=20, classification={"age_at_onset": 8},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None},
                     weight_kg=28, height_cm=130,
                     infection_screening={"vzv_igg": {"result": "negative"},
                                          "varicella_exposure": "2026-11-27"},
                     visits=[{"date": "2026-06-01", "core_set": core0},
                             {"date": "2026-11-28", "core_set": core1}],
                     treatments=[{"therapy": "methotrexate", "start": "2025-09-01",
                                  "dose_value": 15, "dose_unit": "mg/week"}])
    flare = next(a.text for a in plan.do_now if a.code == "flare")
    assert FLARE_IN_INCUBATION in flare, flare
    assert "re-escalate" not in flare


def test_statin_toxicity_first_keeps_the_escalation_among_the_alternatives() -> None:
    # Z28b P7 (dangerous): IV pulses first beside 'no myositis escalation on this CK alone'
    # (statin with an azole after a lung transplant)
    plan = _statin_flare()
    assert "statin_interaction_myotoxicity" in do_now(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    assert not any("methylprednisolone" in e or e.startswith(("add ", "raise "))
                   for e in muscle.first_choice), muscle.first_choice
    assert any(a.startswith("if the muscle is still worse once the CK is rechecked")
               for a in muscle.alternatives)


def test_no_methotrexate_for_a_transplant_recipient_on_co_trimoxazole_and_an_antimetabolite(
) -> None:
    # Z28b P7 (dangerous): methotrexate offered beside mycophenolate after a lung transplant,
    # with the advice to swap the transplant co-trimoxazole for atovaquone
    plan = make_plan(comorbidities={"solid_organ_transplant": True},
                     other_medicines=["co_trimoxazole"],
                     treatments=[{"therapy": "mycophenolate", "start": "2022-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}])
    assert "methotrexate" in {w.therapy for w in plan.withheld}


def test_a_drug_stopped_for_a_severe_reaction_is_taken_out_of_general_lists() -> None:
    # Z28c P5 (dangerous): azathioprine, stopped for pancreatitis, named three times as the
    # pregnancy-compatible replacement
    assert without_listed("a compatible agent (azathioprine, tacrolimus) first",
                          ("azathioprine",)) == "a compatible agent (tacrolimus) first"
    assert without_listed("(azathioprine)", ("azathioprine",)) == "(azathioprine)"
    plan = make_plan(reproduction={"pregnant": False, "planning_conception": True},
                     systemic={"interstitial_lung_disease": True},
                     lab_results=[lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "azathioprine", "start": "2023-01-01",
                                  "stop": "2023-03-01", "reason_stopped": "adverse_event",
                                  "reaction_severity": "severe"},
                                 {"therapy": "mycophenolate", "start": "2023-04-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}])
    texts = [a.text for a in plan.do_now] + [r.decision_point for r in plan.regimens]
    assert not any("(azathioprine," in t.lower() or ", azathioprine," in t.lower()
                   for t in texts), [t for t in texts if "zathioprine" in t]


def test_a_progressive_ild_is_treated_while_the_diagnosis_is_unclassified() -> None:
    # Z28b P5: 'unclassified' left a hypoxaemic, progressive ILD with an empty options table
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    base = dict(diagnosis={"subgroup": "unclassified"}, skin={**no_rash, "mechanics_hands": True},
                antibodies={"mi2": {"status": "negative"}},
                classification={"age_at_onset": 77, "skin": no_rash,
                                "elevated_muscle_enzymes": False,
                                "weakness": {"proximal_upper": False, "proximal_lower": False}},
                labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                systemic={"interstitial_lung_disease": True})
    plan = make_plan(**base, lung={"date": "2026-11-20", "course": "progressive",
                                   "hrct_pattern": "nsip", "oxygen": "exertional"})
    assert plan.diagnosis is not None and plan.diagnosis.provisional
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice, lung
    stable = make_plan(**base, lung={"date": "2026-11-20", "course": "stable",
                                     "hrct_pattern": "nsip"})
    assert stable.diagnosis is not None and not stable.diagnosis.provisional


def test_the_combined_pill_with_diabetic_kidney_disease_or_hypertension_is_changed() -> None:
    # Z28c P7: the combined pill at 46 with diabetic CKD 4 and hypertension, never mentioned
    base = dict(reproduction={"pregnant": False, "planning_conception": False,
                              "breastfeeding": False, "contraception": ["combined_hormonal"]})
    risky = make_plan(**base, comorbidities={"diabetes": True, "renal_impairment": True})
    assert "combined_contraception_with_clot_risk" in do_now(risky)
    assert "combined_contraception_with_clot_risk" in do_now(
        make_plan(**base, comorbidities={"hypertension": True}))
    assert "combined_contraception_with_clot_risk" not in do_now(make_plan(**base))


def test_a_glucocorticoid_started_before_the_biopsy_gets_a_plan() -> None:
    # Z28d P6: prednisolone 40 mg started by the GP before the biopsy, never addressed
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    gc = [{"therapy": "glucocorticoids_oral", "start": "2026-11-25", "dose_value": 40,
           "dose_unit": "mg/day"}]
    base = dict(diagnosis={"subgroup": "unclassified"}, skin=no_rash,
                antibodies={"mi2": {"status": "negative"}},
                classification={"age_at_onset": 60, "skin": no_rash},
                workup_done=["antibody_panel", "muscle_enzymes", "mri_emg"])
    assert "glucocorticoid_before_biopsy" in do_now(make_plan(**base, treatments=gc))
    biopsied = dict(base, workup_done=[*base["workup_done"], "muscle_biopsy"])
    assert "glucocorticoid_before_biopsy" not in do_now(make_plan(**biopsied, treatments=gc))
    assert "glucocorticoid_before_biopsy" not in do_now(make_plan(treatments=gc))  # classified DM


def test_re_score_fixes_of_z28() -> None:
    # a bracketed clause is not a list of agents (re-score Z28d P8)
    clause = "(IVIG at the immunomodulatory dose also treats myositis, unless it was not tolerated)"
    assert without_listed(clause, ("ivig",)) == clause
    # a lead clause that only announces keeps the next one (re-scores Z28b P6, Z28c P6)
    from myositis.services.careplan.regimen_lines import lead_clause
    assert lead_clause("Gonadotoxic: discuss fertility; for testes, sperm banking; other.") == (
        "Gonadotoxic: discuss fertility; for testes, sperm banking")
    assert lead_clause("Azathioprine: TPMT (NUDT15 where available; x; y).") == "Azathioprine: TPMT"

    # a withheld drug is not 'added' by a general Do-now line (re-score Z28c P2)
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     reproduction={"pregnant": False, "breastfeeding": True},
                     lung={"course": "progressive", "hrct_pattern": "uip"},
                     treatments=[{"therapy": "mycophenolate", "start": "2026-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}])
    assert "nintedanib" in {w.therapy for w in plan.withheld}
    assert not any("add nintedanib" in a.text for a in plan.do_now)
    assert any("nintedanib once it can be given" in a.text for a in plan.do_now)
    # statin toxicity first: the Do-now flare line does not say 're-escalate' (re-score Z28b P7)
    statin = _statin_flare()
    flare = next(a for a in statin.do_now if a.code == "flare")
    assert "re-escalate" not in flare.text and flare.urgency == "soon"

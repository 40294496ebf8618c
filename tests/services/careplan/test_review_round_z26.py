"""Findings of blind specialist review Z26 (SYNTHETIC patients): juvenile DM clinic,
neuromuscular clinic, myositis-ILD clinic, general adult myositis clinic."""

from __future__ import annotations

from myositis.knowledge import load
from tests.services.careplan.conftest import do_now, lab, make_plan

_CHILD = {"reproduction": {"pregnant": None, "planning_conception": None,
                           "breastfeeding": None}}


def test_no_myositis_pregnancy_control_line_for_a_myositis_set_aside() -> None:
    # Z26b P5 (dangerous): 'glucocorticoids at the lowest dose that controls it' for a pregnant
    # woman whose weakness is a hypothyroid myopathy
    plan = make_plan(diagnosis={"not_myositis": "hypothyroid myopathy"},
                     antibodies={"mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"age_at_onset": 32,
                                     "skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     reproduction={"pregnant": True, "gestation_weeks": 14})
    assert "pregnancy_co_management" not in do_now(plan)
    assert "pregnancy_co_management" in do_now(
        make_plan(reproduction={"pregnant": True, "gestation_weeks": 14}))


def test_a_dystrophy_gets_a_lifelong_suxamethonium_alert() -> None:
    # Z26b P7 (dangerous): 'no suxamethonium or volatile anaesthetics until the type is known'
    rule = next(r for r in load().rules.rules if r.id == "muscular_dystrophy_care")
    assert "until the type is known" not in rule.text
    assert "for life" in rule.text


def test_pulses_taken_for_an_active_lung_are_completed_then_oral() -> None:
    # Z26c P2 (dangerous): 'Continue IV methylprednisolone pulses at the dose the lung regimen
    # sets (no taper)' with no oral dose to follow
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_holds import name_every_current_drug
    lung = Regimen(domain="lung", state="flare", first_choice=["add Tacrolimus"],
                   alternatives=[], decision_point="Reassess daily.")
    out = name_every_current_drug([lung], frozenset({"methylprednisolone_iv_pulse"}), load())
    entries = out[0].first_choice
    assert not any(e.startswith("Continue Intravenous methylprednisolone pulses")
                   for e in entries), entries
    assert any(e.startswith("Complete the Intravenous methylprednisolone pulses")
               and "then oral prednisolone" in e for e in entries), entries


def test_no_rituximab_for_the_joints_with_a_low_igg() -> None:
    # Z26c P8 (dangerous): 'Joints: add Rituximab' beside three urgent lines holding it
    core = {"physician_global": 1, "patient_global": 3, "extramuscular_global": 3,
            "mmt8": 80, "haq": 0.5}
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "asys"}, skin={**no_rash, "mechanics_hands": True},
                     classification={"age_at_onset": 45, "skin": no_rash, "anti_jo1": True},
                     systemic={"arthritis": True, "interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip"},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     comorbidities={"recurrent_infections": True},
                     visits=[{"date": "2026-08-01", "core_set": core},
                             {"date": "2026-11-25", "core_set": core}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-01-01",
                                  "dose_value": 5, "dose_unit": "mg/day"},
                                 {"therapy": "mycophenolate", "start": "2024-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day"}],
                     lab_results=[lab("igg", 3.6, "g/L")], months_since_onset=30)
    joints = next((r for r in plan.regimens if r.domain == "joints"), None)
    assert joints is not None
    assert not any("Rituximab" in e for e in [*joints.first_choice, *joints.alternatives])


def test_an_adult_sized_adolescents_flare_gets_the_adult_step_on_the_dose_weight() -> None:
    # Z26a P6 (dangerous): '1-2 mg/kg/day, maximum 60 mg (98 kg: 60-60 mg/day)' for a moderate
    # flare in a 15-year-old with a vertebral fracture, diabetes and BMI 44
    core = {"physician_global": 2, "patient_global": 2, "extramuscular_global": 1,
            "mmt8": 76, "chaq": 0.3}
    plan = make_plan(**_CHILD, sex="male", weight_kg=98, height_cm=150,
                     classification={"age_at_onset": 10}, months_since_onset=60,
                     diagnosis={"subgroup": "jdm"},
                     visits=[{"date": "2026-08-01", "core_set": core,
                              "labs": {"enzymes": {"ck": {"value": 200, "uln": 200}}}},
                             {"date": "2026-11-25",
                              "core_set": {**core, "physician_global": 5, "patient_global": 5,
                                           "mmt8": 62, "chaq": 1.0},
                              "labs": {"enzymes": {"ck": {"value": 2500, "uln": 200}}}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-01-01",
                                  "dose_value": 20, "dose_unit": "mg/day"},
                                 {"therapy": "methotrexate", "start": "2022-01-01",
                                  "dose_value": 20, "dose_unit": "mg/week"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any("60-60 mg/day" in e for e in entries), entries
    assert any("about 0.5 mg/kg/day for a moderate flare" in e and "adjusted weight" in e
               for e in entries), entries


def test_no_adult_refeeding_rates_for_a_child() -> None:
    # Z26a P5 (dangerous): '10 kcal/kg/day (5 with a BMI below 14)' for a 2-year-old
    toddler = make_plan(**_CHILD, weight_kg=11, height_cm=86,
                        classification={"age_at_onset": 2}, organs={"dysphagia": "severe"},
                        lab_results=[lab("potassium", 3.2, "mmol/L")])
    assert "refeeding_risk_with_dysphagia" not in do_now(toddler)


def test_a_frail_patient_starting_ivig_adds_the_antimetabolite_later() -> None:
    # Z26d P6 (dangerous): pulses, prednisolone, IVIG and mycophenolate at once for a frail
    # 86-year-old of 41 kg with severe dysphagia
    base = dict(classification={"age_at_onset": 86}, weight_kg=41, height_cm=152,
                months_since_onset=1, organs={"dysphagia": "severe"},
                antibodies={"sae": {"status": "positive"}, "mi2": {"status": "negative"}})
    frail = make_plan(**base, care_goals={"frailty_scale": 6})
    muscle = next(r for r in frail.regimens if r.domain == "muscle")
    assert not any(e.startswith(("Mycophenolate", "Azathioprine", "Methotrexate"))
                   for e in muscle.first_choice), muscle.first_choice
    assert any("once the acute phase settles: frailty" in a for a in muscle.alternatives)
    fit = make_plan(**base, care_goals={"frailty_scale": 3})
    assert any(e.startswith(("Mycophenolate", "Azathioprine", "Methotrexate"))
               for e in next(r for r in fit.regimens if r.domain == "muscle").first_choice)

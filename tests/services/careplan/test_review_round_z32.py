"""Findings of blind specialist review Z32 (SYNTHETIC patients): remote and rural clinic,
advanced-therapies clinic, second-opinion diagnostic clinic and long-term follow-up clinic."""

from __future__ import annotations

from myositis.services.careplan.pass_circumstances import PULSES_IN_INCUBATION
from myositis.services.careplan.regimen_lung import STABLE_OFF_TREATMENT
from tests.services.careplan.conftest import do_now, make_plan, withheld

_PRED = {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 20,
         "dose_unit": "mg/day"}


def _cautions(plan: object, therapy: str) -> set[str]:
    return {c.condition for o in plan.options if o.therapy == therapy  # type: ignore[attr-defined]
            for c in o.cautions}


def test_chlorambucil_carries_its_boxed_warning_and_is_withheld_with_a_cancer() -> None:
    # Z32l P1 and P6 (dangerous): chlorambucil offered with no caution to a woman planning
    # conception and to a man with a recent cancer and a low IgG
    cancer = make_plan(cancer={"active_cancer": False, "past_cancer": ["colorectal 2025"]},
                       persistent_high_activity=True)
    assert "chlorambucil" in withheld(cancer)
    conception = make_plan(reproduction={"pregnant": False, "planning_conception": True})
    assert "chlorambucil" not in {o.therapy for o in conception.options}


def test_pulses_named_in_do_now_wait_for_a_chickenpox_incubation() -> None:
    # Z32l P5 (dangerous): 'IV methylprednisolone pulses' in the severe-JDM line 4 days after a
    # contact, against the plan's own incubation hold
    child = {"date_of_birth": "2017-05-01", "weight_kg": 28, "height_cm": 130,
             "diagnosis": {"subgroup": "jdm"}, "skin": {"heliotrope_rash": True,
                                                        "cutaneous_ulceration": True},
             "infection_screening": {"vzv_igg": {"result": "negative"},
                                     "varicella_exposure": "2026-11-27"}}
    plan = make_plan(**child)
    lines = [a.text for a in plan.do_now if "methylprednisolone pulses" in a.text
             and a.code != "flare"]
    assert lines and all(PULSES_IN_INCUBATION in t for t in lines)


def test_the_oral_dose_after_pulses_in_checkpoint_inhibitor_myositis_is_not_capped() -> None:
    # Z32m P7 (dangerous): 'usually 40-60 mg/day' after pulses for myocarditis
    from myositis.knowledge import load
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_glucocorticoids import pulses_in_progress
    kb = load()
    pulse = kb.therapies["methylprednisolone_iv_pulse"].name
    muscle = Regimen(domain="muscle", state="active", first_choice=[f"Continue {pulse}"],
                     alternatives=[], decision_point="Reassess daily.")
    [ici] = pulses_in_progress([muscle], frozenset({"methylprednisolone_iv_pulse"}), kb,
                               checkpoint_inhibitor=True)
    assert "1-2 mg/kg/day for checkpoint-inhibitor myositis" in ici.first_choice[0]
    [idiopathic] = pulses_in_progress([muscle], frozenset({"methylprednisolone_iv_pulse"}), kb)
    assert "usually 40-60 mg/day" in idiopathic.first_choice[0]


def test_anti_mda5_ild_in_drug_free_remission_is_not_called_untreated() -> None:
    # Z32o P6 (dangerous): 'start treatment now' six years on, after full treatment
    record = {"antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
              "systemic": {"interstitial_lung_disease": True},
              "lung": {"hrct_pattern": "nsip", "course": "stable", "fvc_percent_predicted": 85}}
    past = make_plan(**record, treatments=[{"therapy": "tacrolimus", "start": "2020-01-01",
                                            "stop": "2024-06-01", "reason_stopped": "remission"}])
    assert "anti_mda5_ild_untreated" not in do_now(past)
    lung = next(r for r in past.regimens if r.domain == "lung")
    assert lung.state == "stable" and lung.first_choice == [STABLE_OFF_TREATMENT]
    assert "anti_mda5_ild_untreated" in do_now(make_plan(**record))


def test_bisphosphonates_are_withheld_at_an_egfr_below_30() -> None:
    # Z32o P8: bisphosphonates for calcinosis at eGFR 7 with only a pregnancy caution
    plan = make_plan(lab_results=[{"analyte": "egfr", "value": 7, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}],
                     comorbidities={"dialysis": True},
                     organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": 30,
                                                     "ulcerated": False}]})
    assert "bisphosphonates" in withheld(plan)
    assert "bisphosphonates" not in {o.therapy for o in plan.options}


def test_full_strength_in_pregnancy_starts_no_new_drug_on_a_raised_ck() -> None:
    # Z32m P5 (dangerous): 'add azathioprine' at 12 weeks with MMT-8 80/80
    visit = {"date": "2026-11-25", "core_set": {"mmt8": 80, "mmt_max": 80,
                                                "physician_global": 1.5}}
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 12},
                     treatments=[{**_PRED, "dose_value": 7.5}], visits=[visit])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add ") for e in muscle.first_choice)


def test_an_organ_threat_defers_conception_not_cyclophosphamide() -> None:
    # Z32i P3 (dangerous): cyclophosphamide withheld for a partner pregnancy plan in RP-ILD
    plan = make_plan(sex="male", antibodies={"mda5": {"status": "positive"},
                                             "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     reproduction={"planning_conception": True})
    assert "cyclophosphamide" not in withheld(plan)
    assert "paternal_conception_waits_for_organ_threat" in _cautions(plan, "cyclophosphamide")


def test_a_severe_ivig_reaction_withholds_every_immunoglobulin_product() -> None:
    # Z32l P6 (dangerous): subcutaneous immunoglobulin first choice 88 days after an
    # IVIG-associated DVT
    from myositis.knowledge import load
    from myositis.services.careplan.facts import same_class_too
    kb = load()
    assert {"ivig", "scig"} <= same_class_too(frozenset({"ivig"}), kb)
    assert same_class_too(frozenset({"methotrexate"}), kb) == {"methotrexate"}
    ivig = {"therapy": "ivig", "start": "2026-06-01", "stop": "2026-09-05",
            "reason_stopped": "adverse_event", "reaction_severity": "severe"}
    plan = make_plan(treatments=[ivig, _PRED], organs={"dysphagia": "severe"})
    assert "scig" not in {o.therapy for o in plan.options} or "scig" in withheld(plan)


def test_methotrexate_is_not_started_beside_co_trimoxazole() -> None:
    # re-score of Z32l P2 and P7 (dangerous): methotrexate offered beside prophylactic
    # co-trimoxazole, with a caution written for a patient already taking it
    plan = make_plan(other_medicines=["co_trimoxazole"])
    assert "methotrexate" in withheld(plan)
    taking = make_plan(other_medicines=["co_trimoxazole"],
                       treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                    "dose_value": 15, "dose_unit": "mg/week"}])
    assert "methotrexate" not in withheld(taking)


def test_rifampicin_with_a_doac_and_a_childs_perioperative_cover_are_worded_for_them() -> None:
    # Z32m P8 (harmful omission): rifamycin interactions listed without the DOAC taken; Z32m P6:
    # adult perioperative hydrocortisone for a child of 28 kg
    from myositis.services.careplan.rules import _swap_for_patient
    tb = "rifampicin-based regimens lower tacrolimus, ciclosporin and prednisolone levels"
    assert "DOAC" in _swap_for_patient(tb, {"other_medicines": frozenset({"doac"})})
    cover = ("hydrocortisone 100 mg IV at induction, then 200 mg a day by infusion (or 50 mg "
             "6-hourly)")
    assert "2 mg/kg" in _swap_for_patient(cover, {"child": True})
    assert _swap_for_patient(cover, {"child": False}) == cover


def test_a_lung_stable_on_low_dose_glucocorticoid_alone_gets_no_new_agent() -> None:
    # Z32o P8 (dangerous): 'add mycophenolate' for an ILD stable for years on a low dose, on
    # dialysis, with the infection screen missing
    from myositis.knowledge import load
    from myositis.services.careplan.regimen_lung import lung_regimen
    from myositis.services.state import DiseaseState, DomainState
    kb = load()
    state = DiseaseState(overall="stable", domains=[
        DomainState(domain=d, state="not_involved", basis=[]) for d in ("muscle", "skin")] + [
        DomainState(domain="lung", state="stable", basis=["stable"])])
    options = [o for o in make_plan(systemic={"interstitial_lung_disease": True}).options]
    low = lung_regimen(state, options, {"ild"}, frozenset({"glucocorticoids_oral"}), {}, kb,
                       keep=["glucocorticoids_oral"], review={}, infection=False,
                       provisional=False, gc_now=5)
    high = lung_regimen(state, options, {"ild"}, frozenset({"glucocorticoids_oral"}), {}, kb,
                        keep=["glucocorticoids_oral"], review={}, infection=False,
                        provisional=False, gc_now=20)
    assert low is not None and not any(e.startswith("add ") for e in low.first_choice)
    assert high is not None and any("do not maintain ILD" in e for e in high.first_choice)

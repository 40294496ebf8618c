"""Findings of blind specialist review Z29 (SYNTHETIC patients): paediatric JDM clinic, IMNM and
statin clinic, dermatology-led DM clinic, older and multimorbid patients."""

from __future__ import annotations

from myositis.services.careplan.model import Regimen
from myositis.services.careplan.regimen_holds import taken_now_is_no_alternative
from myositis.services.careplan.regimen_route_and_risk import (
    NO_REFLEX_REPLACEMENT,
    proportionate_treatment,
    severe_frailty,
)
from tests.services.careplan.conftest import do_now, make_plan, make_record

_NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}


def test_discordant_anti_mda5_results_are_not_read_as_seroconversion() -> None:
    # Z29c P8 (dangerous): a weak blot and a negative ELISA four weeks apart, untreated and never
    # imaged, read as 'seroconversion ... supports a slow, monitored de-escalation'
    tests = [{"antibody": "mda5", "result": "positive", "method": "line_blot", "level": "weak",
              "date": "2026-10-20"},
             {"antibody": "mda5", "result": "negative", "method": "elisa", "date": "2026-11-18"}]
    plan = make_plan(antibody_tests=tests, antibodies={"mi2": {"status": "negative"}},
                     treatments=[])
    codes = do_now(plan)
    assert "anti_mda5_seroconverted" not in codes
    assert "anti_mda5_discordant" in codes
    treated = make_plan(antibody_tests=[
        {"antibody": "mda5", "result": "positive", "method": "elisa", "date": "2024-01-10"},
        {"antibody": "mda5", "result": "negative", "method": "elisa", "date": "2026-06-10"}],
        treatments=[{"therapy": "tacrolimus", "start": "2024-02-01", "dose_value": 3,
                     "dose_unit": "mg/day"}])
    assert "anti_mda5_seroconverted" in do_now(treated)


def test_anti_iga_antibodies_qualify_every_immunoglobulin_mention() -> None:
    # Z29b P7 (dangerous): IVIG named three times for a man with anti-IgA antibodies and a
    # severe IVIG reaction, and absent from the withheld list (not an option)
    plan = make_plan(immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True},
                     treatments=[{"therapy": "ivig", "start": "2022-10-10", "stop": "2023-01-05",
                                  "reason_stopped": "adverse_event",
                                  "reaction_severity": "severe"}],
                     lab_results=[{"analyte": "igg", "value": 4.2, "unit": "g/L",
                                   "date": "2026-11-25"}])
    codes = do_now(plan)
    assert "anti_iga_antibodies_on_record" in codes
    assert "low_igg_after_ivig_reaction" not in codes


def test_a_short_prognosis_from_the_myositis_itself_does_not_cut_back_induction() -> None:
    # Z29d P4 (dangerous): anti-MDA5 RP-ILD, CFS 5, no-ICU ceiling, prognosis of months from the
    # lung: the proportionate trial moved cyclophosphamide given on day 1 to 'only if it fails'
    goals = {"frailty_scale": 5, "treatment_ceiling": "no_icu", "prognosis": "months"}
    assert severe_frailty(make_record(care_goals=goals)) is None
    assert severe_frailty(make_record(care_goals=goals, cancer={"active_cancer": True}))
    lung = Regimen(domain="lung", state="active", alternatives=[],
                   first_choice=["Tacrolimus", "Cyclophosphamide (IV pulse)"],
                   decision_point="Reassess daily.")
    [out] = proportionate_treatment([lung], frozenset({"Cyclophosphamide (IV pulse)",
                                                        "Tacrolimus"}),
                                    "Intravenous methylprednisolone pulses", None, "frail",
                                    keep_pulses=False, max_slow=0,
                                    taken=frozenset({"Cyclophosphamide (IV pulse)"}))
    assert "Cyclophosphamide (IV pulse)" in out.first_choice, out


def test_a_drug_taken_now_is_continued_not_listed_as_an_alternative() -> None:
    lung = Regimen(domain="lung", state="active", first_choice=["Tacrolimus"],
                   alternatives=["Rituximab", "Cyclophosphamide (IV pulse)",
                                 "only if it fails: Mycophenolate mofetil"],
                   decision_point="Reassess.")
    [out] = taken_now_is_no_alternative([lung], frozenset({"Cyclophosphamide (IV pulse)",
                                                           "Mycophenolate mofetil"}))
    assert "Continue Cyclophosphamide (IV pulse) (taken now)" in out.first_choice
    assert out.alternatives == ["Rituximab", "only if it fails: Mycophenolate mofetil"]


def test_no_reflex_replacement_of_a_stopped_drug_in_severe_frailty() -> None:
    # Z29d P5 (dangerous): 'switch to a steroid-sparing agent' for a woman of 88 with dementia,
    # frailty 7, barely active disease and low counts
    changes = Regimen(domain="treatment changes", state="now", alternatives=[],
                      first_choice=["Stop Methotrexate: eGFR below 30",
                                    "switch to a steroid-sparing agent chosen with the team"],
                      decision_point="See Do now.")
    [out] = proportionate_treatment([changes], frozenset(), "pulses", None, "frail",
                                    keep_pulses=False)
    assert out.first_choice == ["Stop Methotrexate: eGFR below 30", NO_REFLEX_REPLACEMENT]


def test_chlorambucil_carries_the_fertility_caution_too() -> None:
    # Z29c P7: chlorambucil offered with no fertility caution while cyclophosphamide had one
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.id == "cyclophosphamide_fertility")
    assert "chlorambucil" in rule.applies_to


def test_a_kidney_injury_with_breathing_threatened_names_the_rescue_beside_the_ivig_hold() -> None:
    # Z29a P7 (dangerous): IVIG withheld for a kidney injury in a 12-year-old with an FVC of
    # 62 % and aspiration, with no rescue named beside glucocorticoids (and review Z6b P4: IVIG
    # 190 g in an oliguric injury was dangerous too)
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from myositis.services.careplan.rules import fire
    from tests.services.careplan.conftest import lab
    aki = [lab("creatinine", 40, "umol/L", date="2026-11-20"), lab("creatinine", 90, "umol/L")]
    child = dict(reproduction={"pregnant": None, "planning_conception": None,
                               "breastfeeding": None}, sex="male", weight_kg=38, height_cm=150,
                 classification={"age_at_onset": 12}, lab_results=aki)
    organs = {"respiratory_muscle_weakness": True, "dysphagia": "moderate"}
    threatened = make_plan(**child, organs=organs)
    # IVIG is kept with the renal precautions, not withheld for plasma exchange (specialist
    # review Z37c P6)
    assert "ivig" not in {w.therapy for w in threatened.withheld}
    ivig = next(o for o in threatened.options if o.therapy == "ivig")
    assert any(c.condition == "ivig_kidney_injury_organ_threatened" for c in ivig.cautions)
    kb = load()
    hold = next(r for r in kb.rules.rules if r.id == "ivig_acute_kidney_injury")
    quiet = compute(make_record(**child), kb)
    assert fire(hold, quiet, kb.therapies["ivig"]) is not None


def test_a_sulfonamide_allergy_and_g6pd_deficiency_shape_every_pjp_line() -> None:
    # Z29a P2: 'co-trimoxazole dosed by weight' in Before starting for a child with a sulfonamide
    # allergy, and 'dapsone if G6PD is normal' with G6PD deficiency known
    plan = make_plan(allergies=["sulfonamide"], immunogenetics={"g6pd": "deficient"},
                     organs={"respiratory_muscle_weakness": True})
    pjp = next(c for c in plan.shared_checks if c.id == "pjp_prophylaxis")
    assert pjp.text.startswith("For this patient no co-trimoxazole")
    texts = [a.text for a in plan.do_now] + [e for r in plan.regimens
                                             for e in (*r.first_choice, *r.alternatives)]
    assert not any("normal G6PD" in t or "G6PD is normal" in t for t in texts)
    from myositis.services.careplan.patient_text import without_g6pd_choices
    assert without_g6pd_choices("atovaquone (or dapsone only with a normal G6PD) avoids it") == \
        "atovaquone avoids it"


def test_re_score_fixes_of_z29() -> None:
    # re-score Z29a P7: the urgent lines name the rescue, not 'the other options this line names';
    # since review Z37c the rescue is IVIG itself, with the renal precautions
    from myositis.services.careplan.declined import IVIG_WITHHELD_NOTE
    from myositis.services.careplan.patient_text import without_g6pd_choices
    from tests.services.careplan.conftest import lab
    aki = [lab("creatinine", 40, "umol/L", date="2026-11-20"), lab("creatinine", 140, "umol/L")]
    plan = make_plan(reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None}, sex="male", weight_kg=38,
                     height_cm=150, classification={"age_at_onset": 12}, lab_results=aki,
                     organs={"respiratory_muscle_weakness": True, "dysphagia": "moderate"})
    texts = [a.text for a in plan.do_now]
    assert not any(IVIG_WITHHELD_NOTE in t for t in texts)
    assert not any("plasma exchange is the rescue" in t for t in texts)
    # re-score Z29a P2: no pentamidine named twice with a pregnancy clause for a primaquine
    # the line no longer offers
    garbled = ("PJP treatment with primaquine and clindamycin after a normal G6PD (and a pregnancy "
               "test where pregnancy is possible: primaquine is avoided in pregnancy), or IV "
               "pentamidine, with the infection team")
    assert without_g6pd_choices(garbled) == (
        "PJP treatment with IV pentamidine (G6PD deficient: no primaquine), with the infection "
        "team")


def test_no_upward_optimising_of_the_glucocorticoid_beside_the_proportionate_trial() -> None:
    # re-score of Z29d P5: 'Continue and optimise Oral glucocorticoids' beside the proportionate
    # trial for a woman of 88 with dementia and barely active disease
    gc = "Oral glucocorticoids (prednisone / prednisolone)"
    muscle = Regimen(domain="muscle", state="active", alternatives=[],
                     first_choice=[f"Continue and optimise {gc}"], decision_point="Reassess.")
    [out] = proportionate_treatment([muscle], frozenset(), "pulses", None, "frail",
                                    keep_pulses=False)
    assert not any(e.startswith("Continue and optimise") for e in out.first_choice)
    assert f"Continue, at the lowest dose that controls symptoms (a slow taper considered), {gc}" \
        in out.first_choice


def test_the_organ_threatened_ivig_hold_reads_known_ckd_as_its_sibling_does() -> None:
    # found on reading the change again: a year of known-CKD progression with a high CK held
    # IVIG when an organ was threatened, as review Z27c P2 had found for the other hold
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from myositis.services.careplan.rules import fire
    from tests.services.careplan.conftest import lab
    kb = load()
    hold = next(r for r in kb.rules.rules if r.id == "ivig_kidney_injury_organ_threatened")
    slow = dict(organs={"respiratory_muscle_weakness": True},
                labs={"enzymes": {"ck": {"value": 4800, "uln": 200}}},
                lab_results=[lab("creatinine", 150, "umol/L", date="2025-12-10"),
                             lab("creatinine", 240, "umol/L")])
    ckd = compute(make_record(**slow, comorbidities={"renal_impairment": True}), kb)
    assert fire(hold, ckd, kb.therapies["ivig"]) is None
    assert fire(hold, compute(make_record(**slow), kb), kb.therapies["ivig"]) is not None

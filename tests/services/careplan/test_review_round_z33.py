"""Findings of blind specialist review Z33 (SYNTHETIC patients): intensive care, perioperative
medicine, gastroenterology and nutrition, and a telehealth clinic working from incomplete
records."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_circumstances import AROUND_AN_OPERATION
from tests.services.careplan.conftest import cautions, do_now, lab, make_plan, withheld

_PRED = {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 20,
         "dose_unit": "mg/day", "outcome": "ongoing"}
_TACROLIMUS = {"therapy": "tacrolimus", "start": "2026-09-01", "outcome": "ongoing"}
_SSC = {"diagnosis": {"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        "organs": {"sclerodactyly": True}}


def _texts(plan: Any) -> str:
    return " ".join(a.text for a in plan.do_now)


def _regimen(plan: Any) -> str:
    return " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))


def test_an_organ_threatened_is_treated_alongside_a_focal_pneumonia() -> None:
    # Z33a P8 (dangerous): checkpoint-inhibitor myocarditis with heart block told 'no IV pulses
    # until it has settled' by the focal-pneumonia line, and 'treat the infection before
    # intensifying' on the pulses taken now
    plan = make_plan(organs={"cardiac": "confirmed", "respiratory_muscle_weakness": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     treatments=[{**_PRED, "dose_value": 60}])
    text = _texts(plan)
    assert "No rituximab, IV pulses or new immunosuppressant until it has settled" not in text
    assert "goes on alongside the antibiotics" in text
    pulses_caution = " ".join(c.text for o in plan.options for c in o.cautions
                              if c.condition == "active_infection")
    assert "treat it before starting or intensifying" not in pulses_caution
    # without an organ threatened the hold stays
    mild = make_plan(comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     treatments=[_PRED])
    assert "No rituximab, IV pulses or new immunosuppressant until it has settled" in _texts(
        mild)


def test_an_azole_with_a_low_tacrolimus_trough_does_not_lower_the_dose() -> None:
    # Z33a P1 (dangerous): trough 4.2 in anti-MDA5 RP-ILD told to 'reduce the dose'
    low = make_plan(treatments=[_PRED, _TACROLIMUS], other_medicines=["azole_antifungal"],
                    systemic={"interstitial_lung_disease": True},
                    lab_results=[lab("tacrolimus_trough", 4.2, "ng/mL"),
                                 lab("egfr", 90, "mL/min/1.73m2")])
    conditions = cautions(low, "tacrolimus")
    assert "calcineurin_azole_low_trough" in conditions
    assert "calcineurin_azole" not in conditions
    in_range = make_plan(treatments=[_PRED, _TACROLIMUS], other_medicines=["azole_antifungal"],
                         systemic={"interstitial_lung_disease": True},
                         lab_results=[lab("tacrolimus_trough", 8, "ng/mL"),
                                      lab("egfr", 90, "mL/min/1.73m2")])
    assert "calcineurin_azole" in cautions(in_range, "tacrolimus")


def test_in_sepsis_ivig_is_not_held_for_the_kidney_injury_nor_plasma_exchange_named() -> None:
    # Z33a P2 (dangerous): septic shock with kidney injury and an FVC of 52 %, IVIG withheld
    # and plasma exchange named the rescue
    kidney = [lab("creatinine", 90, "umol/L", date="2026-10-01"),
              lab("creatinine", 200, "umol/L")]
    common: dict[str, Any] = {"organs": {"respiratory_muscle_weakness": True},
                              "antibodies": {"hmgcr": {"status": "positive"},
                                             "mi2": {"status": "negative"}},
                              "diagnosis": {"subgroup": "imnm"},
                              "lab_results": kidney, "treatments": [_PRED]}
    septic = make_plan(comorbidities={"sepsis": True, "active_infection": True}, **common)
    assert "ivig" not in withheld(septic)
    assert "ivig_kidney_injury_in_sepsis" in cautions(septic, "ivig")
    not_septic = make_plan(**common)
    # outside sepsis IVIG is kept with the renal precautions too (specialist review Z37c P2)
    assert "ivig" not in withheld(not_septic)
    assert "ivig_kidney_injury_organ_threatened" in cautions(not_septic, "ivig")


def test_checkpoint_myositis_names_the_macrolide_and_the_pyridostigmine_conduction_risk() -> None:
    # Z33a P8: clarithromycin recorded and never named; pyridostigmine beside heart block
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor", "macrolide_antibiotic"])
    assert "checkpoint_myositis_macrolide" in do_now(plan)
    assert "slows heart rate and AV conduction" in _texts(plan)


def test_a_jak_inhibitor_carries_the_renal_dose_at_egfr_below_30() -> None:
    # Z33a P7: tofacitinib in the options table with no caution at eGFR 14
    plan = make_plan(lab_results=[lab("egfr", 14, "mL/min/1.73m2")],
                     persistent_high_activity=True, skin_refractory=True)
    jaks = [o for o in plan.options if o.therapy in ("tofacitinib", "baricitinib")]
    assert len(jaks) == 2
    for option in jaks:
        assert "jak_inhibitor_severe_kidney_impairment" in {c.condition for c in option.cautions}


def test_an_inr_above_range_on_warfarin_is_held_and_not_kept_going() -> None:
    # Z33c P8 (dangerous): INR 4.6 at 81 with falls, warfarin 'kept going'
    plan = make_plan(other_medicines=["warfarin"],
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     lab_results=[lab("inr", 4.6, "ratio", date="2026-11-29"),
                                  lab("egfr", 70, "mL/min/1.73m2")], treatments=[_PRED])
    assert do_now(plan).get("warfarin_inr_above_range") == "urgent"
    text = _texts(plan)
    assert "essential medicines (the glucocorticoid, any anticoagulant) kept going" not in text
    assert "warfarin held or reduced while the INR is above range" in text
    # an INR older than 2 weeks does not describe today
    old = make_plan(other_medicines=["warfarin"],
                    lab_results=[lab("inr", 4.6, "ratio", date="2026-10-01")])
    assert "warfarin_inr_above_range" not in do_now(old)


def test_an_oesophageal_dysphagia_is_not_treated_as_the_myositis() -> None:
    # Z33c P6 (dangerous): scleroderma-overlap oesophageal dysmotility sent to urgent speech
    # therapy and IVIG 2 g/kg
    moderate = {**_SSC, "organs": {"sclerodactyly": True, "dysphagia": "moderate",
                                   "dysphagia_level": "oesophageal"},
                "treatments": [{**_PRED, "dose_value": 5}]}
    plan = make_plan(**moderate)
    codes = do_now(plan)
    assert "oesophageal_dysphagia" in codes and "severe_dysphagia" not in codes
    assert "Intravenous immunoglobulin" not in " ".join(
        e for r in plan.regimens for e in r.first_choice)
    # level not recorded in a scleroderma overlap: the plan asks for it
    unknown = make_plan(**{**moderate, "organs": {"sclerodactyly": True,
                                                  "dysphagia": "moderate"}})
    assert "dysphagia_level_unknown_in_scleroderma_overlap" in do_now(unknown)
    # oropharyngeal: the myositis, as before
    oro = make_plan(**{**moderate, "organs": {"sclerodactyly": True, "dysphagia": "moderate",
                                              "dysphagia_level": "oropharyngeal"}})
    assert "severe_dysphagia" in do_now(oro) and "oesophageal_dysphagia" not in do_now(oro)


def test_bowel_symptoms_in_an_adult_scleroderma_overlap_get_their_work_up() -> None:
    plan = make_plan(**{**_SSC, "organs": {"sclerodactyly": True, "gut_symptoms": True}})
    assert "gut_symptoms_scleroderma_overlap" in do_now(plan)
    assert "bacterial overgrowth" in _texts(plan)


def test_an_nsaid_is_stopped_in_a_suspected_renal_crisis() -> None:
    # Z33d P8 (dangerous omission): an NSAID never named beside a suspected renal crisis
    plan = make_plan(**{**_SSC, "organs": {"sclerodactyly": True, "new_hypertension": True}},
                     other_medicines=["nsaid"])
    codes = do_now(plan)
    assert codes.get("nsaid_in_kidney_emergency") == "urgent"
    assert "creatinine and potassium today" in _texts(plan)


def test_a_new_slow_agent_waits_for_the_wound_within_two_weeks_of_an_operation() -> None:
    # Z33b P2 (dangerous): methotrexate added 9 days before a cancer operation
    soon = make_plan(treatments=[{**_PRED, "dose_value": 40}],
                     surgery={"date": "2026-12-10", "procedure": "wide local excision",
                              "elective": True})
    first = " ".join(e for r in soon.regimens for e in r.first_choice)
    assert AROUND_AN_OPERATION in first
    assert not any(e.startswith("add Methotrexate") for r in soon.regimens
                   for e in r.first_choice)
    later = make_plan(treatments=[{**_PRED, "dose_value": 40}],
                      surgery={"date": "2027-02-20", "procedure": "hernia repair",
                               "elective": True})
    assert AROUND_AN_OPERATION not in " ".join(e for r in later.regimens for e in r.first_choice)


def test_methotrexate_is_held_around_an_operation_that_risks_the_kidneys() -> None:
    # Z33b P3 (dangerous): 'methotrexate and hydroxychloroquine continue' for a bypass at eGFR 38
    plan = make_plan(treatments=[_PRED, {"therapy": "methotrexate", "start": "2026-06-01",
                                         "dose_value": 20, "dose_unit": "mg/week",
                                         "outcome": "ongoing"}],
                     surgery={"date": "2026-12-20", "procedure": "coronary artery bypass",
                              "elective": True})
    assert "cardiac bypass" in _texts(plan)
    assert "methotrexate is held from a week before" in _texts(plan)


def test_an_elective_operation_is_postponed_at_a_neutrophil_nadir() -> None:
    # Z33b P8 (dangerous): an elective hernia repair at neutrophils 1.1 with a progressing lung
    plan = make_plan(treatments=[_PRED], surgery={"date": "2026-12-08",
                                                  "procedure": "hernia repair",
                                                  "elective": True},
                     lab_results=[lab("neutrophils", 1.1, "10^9/L"),
                                  lab("egfr", 90, "mL/min/1.73m2")])
    assert do_now(plan).get("elective_surgery_while_unsafe") == "urgent"
    safe = make_plan(treatments=[_PRED], surgery={"date": "2026-12-08",
                                                  "procedure": "hernia repair",
                                                  "elective": True},
                     lab_results=[lab("neutrophils", 4.1, "10^9/L"),
                                  lab("egfr", 90, "mL/min/1.73m2")])
    assert "elective_surgery_while_unsafe" not in do_now(safe)


def test_an_urgent_operation_is_not_delayed_for_the_pre_assessment() -> None:
    # Z33b P7: 'anaesthetic pre-assessment well before it' for a hip fracture tomorrow
    plan = make_plan(organs={"dysphagia": "moderate"},
                     surgery={"date": "2026-12-02", "procedure": "hemiarthroplasty",
                              "elective": False})
    text = _texts(plan)
    assert "well before it" not in text and "without delaying an urgent operation" in text


def test_ild_with_lung_function_over_a_year_old_asks_for_it_now() -> None:
    # Z33d P4 and P8: lung 'stable' from lung function 13 and 15 months old
    plan = make_plan(systemic={"interstitial_lung_disease": True}, treatments=[_PRED],
                     lung_measures=[{"date": "2025-10-01", "fvc_percent_predicted": 80,
                                     "hrct_pattern": "nsip", "course": "stable"}])
    assert "ild_lung_function_out_of_date" in do_now(plan)
    recent = make_plan(systemic={"interstitial_lung_disease": True}, treatments=[_PRED],
                       lung_measures=[{"date": "2026-10-01", "fvc_percent_predicted": 80,
                                       "hrct_pattern": "nsip", "course": "stable"}])
    assert "ild_lung_function_out_of_date" not in do_now(recent)


_NEAR_END: dict[str, Any] = {
    "date_of_birth": "1945-03-01", "care_goals": {"frailty_scale": 7,
                                                  "treatment_ceiling": "ward_based",
                                                  "prognosis": "weeks_to_months"},
    "cancer": {"active_cancer": True},
    "infection_screening": {"hbsag": None, "anti_hbc": None, "tb_test": None, "hcv": None},
    "treatments": [{**_PRED, "dose_value": 30}]}


def test_near_the_end_of_life_slow_alternatives_and_long_horizon_lines_are_left_out() -> None:
    # Z33a P5: mycophenolate, methotrexate and azathioprine as alternatives, HIV/HCV/TB tests,
    # DXA and an anabolic bone agent for a woman with weeks to months to live
    plan = make_plan(**_NEAR_END)
    codes = do_now(plan)
    for code in ("tb_status_not_recorded", "hiv_status_before_immunosuppression",
                 "hcv_status_before_immunosuppression", "hbsag_positive_not_recorded"):
        assert code not in codes
    for regimen in plan.regimens:
        for entry in regimen.alternatives:
            assert "Mycophenolate" not in entry or entry.startswith(
                "only if the patient chooses more active treatment")
    # with full treatment agreed the screening stays
    full = make_plan(**{**_NEAR_END, "care_goals": {"treatment_ceiling": "full"}})
    assert "infection_screening_due" in {a.code for a in full.printed_do_now()}


def test_red_flags_already_explained_by_a_known_cancer_ask_for_no_ct() -> None:
    # Z33a P5: 'a CT of the chest, abdomen and pelvis' for weight loss after that CT found the
    # cancer
    flags = {"cancer": {"active_cancer": True, "red_flags": ["weight_loss"]}}
    plan = make_plan(**{**_NEAR_END, **flags})
    assert "cancer_red_flags_frail" not in do_now(plan)
    unexplained = make_plan(**{**_NEAR_END, "cancer": {"active_cancer": False,
                                                       "red_flags": ["weight_loss"]}})
    assert "cancer_red_flags_frail" in do_now(unexplained)


def test_the_swallow_work_up_has_the_urgency_of_the_swallow_line() -> None:
    # Z33c: 'Swallowing assessment (soon)' beside an URGENT speech-therapy line
    plan = make_plan(organs={"dysphagia": "moderate"})
    swallow = next(w for w in plan.workup if w.code == "swallowing")
    assert swallow.urgency == "urgent"
    mild = make_plan(organs={"dysphagia": "mild"})
    assert next(w for w in mild.workup if w.code == "swallowing").urgency == "soon"


def test_a_jdm_gut_bleed_holds_methotrexate_by_every_route_and_stops_an_nsaid() -> None:
    # Z33c P3 and Z33d P3: 'Continue methotrexate' (subcutaneous) and ibuprofen during melaena
    plan = make_plan(
        sex="female", weight_kg=26, height_cm=130, date_of_birth="2017-04-01",
        classification={"age_at_onset": 8},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2026-06-01"},
        antibodies={"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}},
        organs={"gut_symptoms": True, "gi_bleeding": True}, other_medicines=["nsaid"],
        reproduction={"pregnant": None, "planning_conception": None, "breastfeeding": None},
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/m2/week",
                     "route": "sc", "start": "2026-06-05"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2026-06-05"}])
    assert "stop any NSAID" in _texts(plan)
    first = [e for r in plan.regimens for e in r.first_choice]
    assert any(e.startswith("Hold Methotrexate") for e in first)
    assert not any(e.startswith("Continue and optimise Methotrexate") for e in first)


def test_an_operation_with_ild_and_on_glucocorticoids_gets_its_own_points() -> None:
    # Z33b P1: a hip replacement with fibrotic ILD - no word on the lung, glucose or clots
    plan = make_plan(systemic={"interstitial_lung_disease": True}, treatments=[_PRED],
                     surgery={"date": "2026-12-15", "procedure": "total hip replacement",
                              "elective": True})
    codes = do_now(plan)
    assert "operation_with_ild" in codes and "operation_on_glucocorticoids_recovery" in codes
    assert "with new weakness is the disease until shown otherwise" in _texts(plan)
    without = make_plan(treatments=[_PRED])
    assert "operation_on_glucocorticoids_recovery" not in do_now(without)

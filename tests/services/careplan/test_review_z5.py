"""Findings of specialist review Z3 (outpatient follow-up; women and children; antibody-defined
subgroups) fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan

EGFR = "mL/min/1.73m2"
MDA5_ILD: dict[str, Any] = {
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "diagnosis": {"subgroup": "adm"},
    "systemic": {"interstitial_lung_disease": True},
    "lung": {"date": "2026-10-06", "hrct_pattern": "nsip", "course": "stable",
             "fvc_percent_predicted": 80},
}


def _regimen(plan: Any, domain: str) -> Any:
    return next(r for r in plan.regimens if r.domain == domain)


def test_a_jak_inhibitor_that_controls_anti_mda5_ild_is_kept() -> None:
    """Z3a P8 (dangerous): 'Stop Tofacitinib' (two EMA risk groups) after five years of
    remission of anti-MDA5 ILD, replaced by mycophenolate."""
    plan = make_plan(**MDA5_ILD, sex="male", months_since_onset=69,
                     comorbidities={"hypertension": True, "cardiovascular_risk": True,
                                    "smoking": True},
                     treatments=[{"therapy": "tofacitinib", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2021-06-01",
                                  "outcome": "ongoing", "response": "complete"}])
    assert "tofacitinib" not in {w.therapy for w in plan.withheld}
    lung = " | ".join(_regimen(plan, "lung").first_choice)
    assert "Continue Tofacitinib" in lung and "Stop Tofacitinib" not in lung
    assert any("never stopped without a replacement plan" in a.text for a in plan.do_now)
    new_start = make_plan(**MDA5_ILD, sex="male",
                          comorbidities={"cardiovascular_risk": True, "smoking": True})
    assert "tofacitinib" in {w.therapy for w in new_start.withheld}


def test_a_statin_with_a_macrolide_and_a_rising_ck_is_held_as_toxicity() -> None:
    """Z3a P6 (dangerous): atorvastatin with clarithromycin, a tacrolimus trough of 21 and
    kidney injury, CK 124 to 960, read as a flare with the statin left to its prescriber."""
    plan = make_plan(other_medicines=["statin", "macrolide_antibiotic"],
                     antibodies={"pl12": {"status": "positive"},
                                 "hmgcr": {"status": "negative"}},
                     lab_results=[lab("ck", 960, "U/L", 200)])
    line = next(a for a in plan.do_now if a.code == "statin_interaction_myotoxicity")
    assert line.urgency == "urgent" and "hold the statin now" in line.text
    assert "statin_with_another_msa" not in do_now(plan)
    alone = make_plan(other_medicines=["statin"], antibodies={"pl12": {"status": "positive"},
                                                              "hmgcr": {"status": "negative"}},
                      lab_results=[lab("ck", 960, "U/L", 200)])
    assert "statin_interaction_myotoxicity" not in do_now(alone)


def test_hellp_at_33_weeks_is_an_obstetric_emergency_not_a_flare() -> None:
    """Z3b P3 (dangerous): blood pressure 156/102, AST 6 x ULN, LDH 640, platelets 228 to 94
    at 33 weeks, printed as an urgent myositis flare and an azathioprine cytopenia."""
    def visit(date: str, pg: float, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "patient_global": pg,
                                           "mmt8": mmt, "mmt_max": 80, "haq": 0.5 * pg}}
    plan = make_plan(
        reproduction={"pregnant": True, "gestation_weeks": 33, "planning_conception": False,
                      "breastfeeding": False},
        organs={"new_hypertension": True}, months_since_onset=56,
        treatments=[{"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
                     "start": "2022-06-01", "outcome": "ongoing"}],
        visits=[visit("2026-10-14", 1.5, 80), visit("2026-11-28", 5, 77)],
        lab_results=[lab("ck", 110, "U/L", 170, "2026-10-14"), lab("ck", 195, "U/L", 170),
                     lab("ast", 212, "U/L", 35), lab("alt", 186, "U/L", 35),
                     lab("ldh", 640, "U/L", 250), lab("platelets", 94, "10^9/L"),
                     lab("egfr", 100, EGFR)])
    codes = do_now(plan)
    assert codes["preeclampsia_hellp_suspected"] == "urgent"
    assert "azathioprine_cytopenia_cause" not in codes
    assert not any(f.code == "flare" and f.urgency == "urgent" for f in plan.flags)
    not_pregnant = make_plan(organs={"new_hypertension": True},
                             lab_results=[lab("platelets", 94, "10^9/L"),
                                          lab("ast", 212, "U/L", 35)])
    assert "preeclampsia_hellp_suspected" not in do_now(not_pregnant)


def test_a_subclinical_tsh_does_not_delay_the_biopsy() -> None:
    """Z3c P8 (dangerous): TSH 6.8 with free T4 13 pmol/L read as hypothyroid myopathy and
    the biopsy deferred 6-12 weeks."""
    unclassified = {"classification": {"age_at_onset": 58, "weakness": {
        "proximal_upper": True, "proximal_lower": True}, "elevated_muscle_enzymes": True},
        "skin": {}, "antibodies": {"mi2": {"status": "negative"}},
        "workup_done": [], "diagnosis": {"subgroup": "unclassified"}}
    subclinical = make_plan(**unclassified, lab_results=[
        lab("tsh", 6.8, "mU/L", 4.5), lab("free_t4", 13, "pmol/L"), lab("ck", 4000, "U/L", 200)])
    codes = do_now(subclinical)
    assert "subclinical_hypothyroidism_not_a_mimic" in codes
    assert "raised_tsh_myositis_mimic" not in codes
    biopsy = next((w for w in subclinical.workup if w.code == "muscle_biopsy"), None)
    assert biopsy is None or "euthyroid" not in biopsy.reason
    overt = make_plan(**unclassified, lab_results=[
        lab("tsh", 38, "mU/L", 4.5), lab("ck", 4000, "U/L", 200)])
    assert "raised_tsh_myositis_mimic" in do_now(overt)


def test_azathioprine_is_dosed_lower_for_an_older_patient_with_reduced_kidneys() -> None:
    """Z3c P4: 175-265 mg/day (2-3 mg/kg/day) for a man of 71 with eGFR 35."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import limited
    from tests.services.careplan.conftest import make_record

    entry = next(e for e in load().doses if e.therapy == "azathioprine")
    older = make_record(weight_kg=88, classification={**ADULT_DM["classification"],
                                                      "age_at_onset": 70},
                        lab_results=[lab("egfr", 35, EGFR)])
    capped, why = limited(entry, older)
    assert capped.high == 2 and "65 or older" in why
    assert entry.high == 2.5


def test_an_effective_drug_the_patient_stopped_leads_an_rp_ild_relapse() -> None:
    """Z3b P4: tacrolimus that had controlled anti-MDA5 ILD, stopped by the patient after the
    birth, left out for cyclophosphamide and tofacitinib in a postpartum RP-ILD relapse."""
    plan = make_plan(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        diagnosis={"subgroup": "adm"}, months_since_onset=31,
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        lung={"date": "2026-12-02", "fvc_percent_predicted": 66, "hrct_pattern": "nsip_op",
              "course": "rapidly_progressive", "oxygen": "exertional"},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                     "start": "2024-06-15", "outcome": "ongoing"},
                    {"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                     "start": "2024-06-15", "stop": "2026-10-26", "outcome": "effective",
                     "reason_stopped": "patient_stopped", "response": "complete"}])
    lung = _regimen(plan, "lung")
    assert any(e.startswith("Tacrolimus") for e in lung.first_choice)


def test_a_past_arthritis_in_remission_gets_no_joint_regimen() -> None:
    """Z3b P5 (dangerous): an undated arthritis restarted glucocorticoids (30-60 mg/day in the
    doses) in steroid-free remission while conception was planned."""
    def visit(date: str, pg: float) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "extramuscular_global": pg,
                                           "mmt8": 80, "mmt_max": 80}}
    base = {"antibodies": {"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
            "diagnosis": {"subgroup": "asys"}, "months_since_onset": 40,
            "systemic": {"arthritis": True, "interstitial_lung_disease": True},
            "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
            "lung": {"date": "2026-10-01", "hrct_pattern": "nsip", "course": "stable"},
            "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                            "start": "2024-01-01"}]}
    quiet = make_plan(**base, visits=[visit("2026-06-01", 0.5), visit("2026-11-25", 0.5)])
    assert not any(r.domain == "joints" for r in quiet.regimens)
    active = make_plan(**base, visits=[visit("2026-06-01", 0.5), visit("2026-11-25", 3)])
    assert any(r.domain == "joints" for r in active.regimens)
    line = next((d.text for d in active.doses if d.therapy == "glucocorticoids_oral"), "")
    assert not line or line.startswith("for the joints a low bridging dose")


def test_travel_on_immunosuppression_names_the_live_vaccines_to_avoid() -> None:
    """Z3a P1 and P8: a Ghana trip (yellow fever) and rural South-East Asia on tofacitinib;
    no plan said 'no live vaccines' and the record could not hold the trip."""
    plan = make_plan(travel={"depart": "2027-02-10", "destinations": "Ghana",
                             "yellow_fever_area": True, "malaria_area": True},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-01-01"}])
    codes = do_now(plan)
    assert {"travel_on_immunosuppression", "travel_yellow_fever_on_immunosuppression",
            "travel_malaria_prevention"} <= set(codes)
    line = next(a.text for a in plan.do_now if a.code == "travel_on_immunosuppression")
    assert "no live vaccines" in line and "yellow fever" in line
    assert "travel_on_immunosuppression" not in do_now(make_plan())


def test_severe_dysphagia_asks_for_the_breathing_muscles() -> None:
    """Z3c P3: anti-SRP with severe dysphagia; the breathing muscles were never assessed."""
    unknown = make_plan(organs={"dysphagia": "severe"})
    assert "breathing_muscles_unknown_with_severe_dysphagia" in do_now(unknown)
    known = make_plan(organs={"dysphagia": "severe", "respiratory_muscle_weakness": False})
    assert "breathing_muscles_unknown_with_severe_dysphagia" not in do_now(known)


def test_an_urgent_item_beside_active_disease_brings_the_review_within_two_weeks() -> None:
    """Z3b: 'every 4-8 weeks' beside an inpatient RP-ILD and a tube-fed child."""
    plan = make_plan(organs={"dysphagia": "severe"})
    activity = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert activity.text.startswith("Within 1-2 weeks while urgent items are open")


def test_statin_toxicity_first_turns_the_flare_decision_point() -> None:
    """Z3a P6: 'muscle: flare' with 'Decision point: Re-escalate' beside a statin-macrolide
    myotoxicity."""
    def visit(date: str, pg: float, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "patient_global": pg,
                                           "extramuscular_global": pg, "mmt8": mmt,
                                           "mmt_max": 80, "haq": pg / 4}}
    plan = make_plan(other_medicines=["statin", "macrolide_antibiotic"],
                     antibodies={"pl12": {"status": "positive"},
                                 "hmgcr": {"status": "negative"}},
                     months_since_onset=70,
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2022-01-01"}],
                     visits=[visit("2026-10-13", 1, 80), visit("2026-11-28", 4, 74)],
                     lab_results=[lab("ck", 124, "U/L", 200, "2026-10-13"),
                                  lab("ck", 960, "U/L", 200)])
    muscle = _regimen(plan, "muscle")
    assert muscle.state == "flare"
    assert muscle.decision_point.startswith("Not a flare to treat until the CK is rechecked")
    assert not any(f.code == "flare" and f.urgency == "urgent" for f in plan.flags)


def test_a_low_igg_after_an_ivig_reaction_is_not_answered_with_more_ivig() -> None:
    """Z3a P4 (dangerous): 'IVIG at the immunomodulatory dose covers both' for IgG 4.1 after
    2 g/kg IVIG had caused heart failure."""
    plan = make_plan(comorbidities={"heart_failure": True, "recurrent_infections": True},
                     lab_results=[lab("igg", 4.1, "g/L")],
                     treatments=[{"therapy": "ivig", "start": "2019-12-10", "stop": "2020-05-15",
                                  "outcome": "not_tolerated", "reason_stopped": "adverse_event"},
                                 {"therapy": "rituximab", "start": "2020-06-15",
                                  "outcome": "ongoing"}])
    line = next(a.text for a in plan.do_now if a.code == "low_igg_after_ivig_reaction")
    assert "subcutaneous" in line and "never the 2 g/kg" in line


def test_raynaud_gets_its_care_line() -> None:
    """Z3c P5: Raynaud and mechanic's hands in antisynthetase syndrome, nothing said."""
    assert "raynaud_care" in do_now(make_plan(systemic={"raynaud": True}))
    assert "raynaud_care" not in do_now(make_plan())


def test_pregnancy_with_dysphagia_adds_ivig_to_the_first_choice() -> None:
    """Z3b P2: azathioprine first at 22 weeks with dysphagia; IVIG only as refractory."""
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 22,
                                   "planning_conception": False, "breastfeeding": False},
                     organs={"dysphagia": "moderate"})
    assert any(e.endswith("Intravenous immunoglobulin") or "immunoglobulin" in e
               for e in _regimen(plan, "muscle").first_choice)


def test_an_adult_sized_adolescents_flare_dose_says_induction_range() -> None:
    """Z3b P7: 58-60 mg/day (1-2 mg/kg/day) for a mild flare at 17 years and 58 kg."""
    def visit(date: str, pg: float, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "patient_global": pg,
                                           "mmt8": mmt, "mmt_max": 80}}
    plan = make_plan(date_of_birth="2009-06-01", weight_kg=58, months_since_onset=96,
                     classification={**ADULT_DM["classification"], "age_at_onset": 9},
                     visits=[visit("2025-12-01", 0.5, 80), visit("2026-06-01", 0.5, 80),
                             visit("2026-11-25", 4, 66)],
                     lab_results=[lab("ck", 100, "U/L", 200, "2026-06-01"),
                                  lab("ck", 900, "U/L", 200)],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2024-01-01"}])
    assert _regimen(plan, "muscle").state == "flare"
    line = next(d.text for d in plan.doses if d.therapy == "glucocorticoids_oral")
    assert line.startswith("induction range")


def test_an_oral_bisphosphonate_with_dysphagia_is_switched_not_left_to_its_prescriber() -> None:
    """Z3c P2: 'its prescriber decides' on alendronate beside 'no oral bisphosphonate' with
    dysphagia."""
    plan = make_plan(organs={"dysphagia": "moderate"},
                     treatments=[{"therapy": "bisphosphonates", "start": "2024-01-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    entries = [e for r in plan.regimens for e in r.first_choice if "Bisphosphonates" in e]
    assert entries and all(e.startswith("Stop Bisphosphonates") and "dysphagia" in e
                           for e in entries)


def test_cardiac_none_at_diagnosis_still_gets_a_baseline_ecg() -> None:
    """Z3b P2 and P8: organs.cardiac 'none' at a new diagnosis and no ECG anywhere."""
    plan = make_plan(organs={"cardiac": "none"})
    item = next(w for w in plan.workup if w.code == "cardiac")
    assert "baseline ECG" in item.reason
    done = make_plan(organs={"cardiac": "none"},
                     workup_done=[*ADULT_DM["workup_done"], "cardiac"])
    assert not any(w.code == "cardiac" for w in done.workup)


def test_doses_read_the_kidneys_and_obesity() -> None:
    """Z4c P5 (dangerous): mycophenolate 2-3 g/day on haemodialysis (creatinine on file, no
    eGFR); P6: IVIG on 138 kg actual weight with only a note to lower it."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import adjusted_weight, dose_line, limited
    from tests.services.careplan.conftest import make_record

    kb = load()
    mmf = next(d for d in kb.doses if d.therapy == "mycophenolate" and d.population == "adult")
    dialysis = make_record(comorbidities={"dialysis": True}, lab_results=[
        lab("creatinine", 640, "umol/L")])
    assert limited(mmf, dialysis)[0].high == 2
    assert limited(mmf, make_record())[0].high == 3
    obese = make_record(weight_kg=138, height_cm=163)
    assert round(adjusted_weight(obese) or 0) == 88  # 55.1 + 0.4 x 82.9
    ivig = next(d for d in kb.doses if d.therapy == "ivig")
    text = dose_line(ivig, "IVIG", obese).text
    # since review Z23 the headline itself is on the adjusted weight
    assert text.startswith("175 g per course (2 g/kg per course x adjusted weight 88 kg")
    assert "actual 138 kg" in text and "275 g" not in text


def test_declined_glucocorticoids_are_never_recommended_silently() -> None:
    """Z4c P6 (dangerous): 'IV glucocorticoids with early rituximab or IVIG' and 'IV pulses
    with cardiology' for a woman who had declined all glucocorticoids."""
    from myositis.services.careplan.declined import DECLINED_NOTE, RECOMMENDS_GLUCOCORTICOID
    from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK

    plan = make_plan(HMGCR_TEXTBOOK, **SRP_SEVERE_DECLINES)
    lines = [*plan.do_now, *plan.flags]
    recommending = [a for a in lines if RECOMMENDS_GLUCOCORTICOID.search(a.text)]
    assert recommending and all(DECLINED_NOTE in a.text for a in recommending)
    assert "glucocorticoids_oral" in {w.therapy for w in plan.withheld}
    accepted = make_plan(HMGCR_TEXTBOOK, **{**SRP_SEVERE_DECLINES, "preferences": {}})
    assert not any(DECLINED_NOTE in a.text for a in [*accepted.do_now, *accepted.flags])


SRP_SEVERE_DECLINES: dict[str, Any] = {
    "sex": "female", "statin_exposure": False,
    "antibodies": {"srp": {"status": "positive"}, "hmgcr": {"status": "negative"}},
    "organs": {"dysphagia": "severe", "respiratory_muscle_weakness": True},
    "preferences": {"declines": ["glucocorticoids"]}}

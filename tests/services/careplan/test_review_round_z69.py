"""Specialist review round Z69 (all patients SYNTHETIC): a cancer-associated myositis clinic, a
renal and transplant rheumatology clinic, a district general rheumatology clinic and a myositis
pregnancy and family-planning clinic."""

from __future__ import annotations

import pathlib
from typing import Any

import yaml

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan
from myositis.services.careplan.medicine_readers import tamoxifen_taken
from tests.services.careplan.conftest import (
    QUIET_VISITS,
    do_now,
    lab,
    make_plan,
    make_record,
    withheld,
)

RECORDS = pathlib.Path(__file__).parent / "records"


def _reviewer_plan(name: str) -> CarePlan:
    record = PatientRecord.model_validate(yaml.safe_load((RECORDS / name).read_text()))
    return build_care_plan(record, load())


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in plan.do_now)


def _regimen(plan: CarePlan, domain: str) -> str:
    regimen = next(r for r in plan.regimens if r.domain == domain)
    return " ".join(regimen.first_choice + regimen.alternatives)


HCQ: dict[str, Any] = {"therapy": "hydroxychloroquine", "start": "2025-07-15", "dose_value": 300,
                       "dose_unit": "mg/day", "outcome": "ongoing"}
BREAST_CANCER_ON_SERM: dict[str, Any] = dict(
    weight_kg=70, other_medicines=["oestrogen_or_serm"],
    cancer={"past_cancer": ["Left breast ER+ carcinoma 2021"],
            "treatment": [{"kind": "hormonal", "status": "ongoing", "start": "2021-06-15"}]})


def test_tamoxifen_is_read_from_a_serm_beside_hormonal_breast_cancer_treatment() -> None:
    """Review Z69a P4: tamoxifen recorded as a SERM with ongoing hormonal treatment."""
    assert tamoxifen_taken(make_record(**BREAST_CANCER_ON_SERM)) is True
    assert tamoxifen_taken(make_record(other_medicines=["tamoxifen"])) is True
    # HRT alone is no tamoxifen, nor a past cancer whose tamoxifen stopped
    assert tamoxifen_taken(make_record(other_medicines=["oestrogen_or_serm"])) is None
    assert tamoxifen_taken(make_record(cancer={"past_cancer": [
        "breast cancer 2015, tamoxifen completed 2020"]})) is None


def test_tamoxifen_brings_the_retinal_screen_forward() -> None:
    """Review Z69a P4 (dangerous): yearly retinal screening deferred to year 5 beside
    tamoxifen, a major risk factor for hydroxychloroquine retinopathy."""
    def retinal(plan: CarePlan) -> str:
        return next(m.next_due for m in plan.monitoring if m.therapy == "Hydroxychloroquine")
    with_tamoxifen = retinal(make_plan(**BREAST_CANCER_ON_SERM, treatments=[HCQ]))
    assert "tamoxifen is a risk factor" in with_tamoxifen
    assert "yearly from 2030" not in with_tamoxifen
    assert "tamoxifen" not in retinal(make_plan(weight_kg=70, treatments=[HCQ]))


def test_a_pregnancy_planned_on_tamoxifen_goes_to_her_oncologist() -> None:
    """Review Z69a P4 (dangerous omission): tamoxifen never named as a teratogen before a
    pregnancy planned within 6 months."""
    plan = _reviewer_plan("z69a_p4_tamoxifen_conception.yaml")
    assert "tamoxifen_pregnancy_planned" in do_now(plan)
    assert "breast oncologist" in _texts(plan)
    not_planning = make_plan(**BREAST_CANCER_ON_SERM)
    assert "tamoxifen_pregnancy_planned" not in do_now(not_planning)


def test_topical_tacrolimus_is_not_stopped_before_conception() -> None:
    """Review Z69a P4: 'plan to stop before conception' for topical tacrolimus."""
    plan = _reviewer_plan("z69a_p4_tamoxifen_conception.yaml")
    # the skin is mild and improving on what she takes, so the topical is continued rather than
    # offered (review Z72d P2); its caution is checked on the option where it is offered
    skin = " ".join(e for r in plan.regimens if r.domain == "skin" for e in r.first_choice)
    assert "Continue Topical calcineurin inhibitors" in skin
    offered = make_plan(**BREAST_CANCER_ON_SERM, skin_refractory=True,
                        reproduction={"planning_conception": True})
    topical = next(o for o in offered.options if o.therapy == "topical_calcineurin_inhibitors")
    conditions = {c.condition for c in topical.cautions}
    assert "topical_limited_data_pregnancy" in conditions
    assert "conception_no_data" not in conditions


def test_no_teratogen_switch_in_the_middle_of_a_renal_crisis() -> None:
    """Review Z69b P7 (dangerous): mycophenolate stopped for azathioprine before a planned
    pregnancy during a suspected scleroderma renal crisis with active lung and muscle disease."""
    plan = _reviewer_plan("z69b_p7_renal_crisis_conception.yaml")
    changes = next((r for r in plan.regimens if r.domain == "treatment changes"), None)
    assert changes is None or not any("Stop Mycophenolate" in f for f in changes.first_choice)
    assert "conception_teratogen_taken_now" not in do_now(plan)
    assert "Continue Mycophenolate" in _regimen(plan, "lung")


def test_a_stable_disease_still_switches_the_teratogen_before_conception() -> None:
    """The switch stays when no crisis is open (the other side of Z69b P7)."""
    mmf = {"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
           "dose_unit": "g/day", "outcome": "ongoing"}
    plan = make_plan(visits=QUIET_VISITS, treatments=[mmf], months_since_onset=24,
                     reproduction={"planning_conception": True})
    assert "conception_teratogen_taken_now" in do_now(plan)


def test_thyrotoxicosis_on_a_checkpoint_inhibitor_gets_no_beta_blocker() -> None:
    """Review Z69a P3: 'a beta-blocker for symptoms' beside the plan's own 'avoid
    beta-blockers until myasthenia is excluded'."""
    thyroid = [lab("tsh", 0.01, "mU/L"), lab("free_t4", 38, "pmol/L", uln=22)]
    on_ici = _texts(make_plan(lab_results=thyroid,
                              other_medicines=["immune_checkpoint_inhibitor"]))
    assert "a beta-blocker for symptoms" not in on_ici
    assert "no beta-blocker while myasthenia is not excluded" in on_ici
    assert "a beta-blocker for symptoms" in _texts(make_plan(lab_results=thyroid))


CHRONIC_HIGH_CK: dict[str, Any] = dict(
    labs={"enzymes": {"ck": {"value": 8200, "uln": 170}}},
    other_medicines=["ace_inhibitor_or_arb"],
    lab_results=[lab("egfr", 38, "mL/min/1.73m2"), lab("creatinine", 135, "umol/L"),
                 lab("potassium", 5.1, "mmol/L")])


def test_a_stable_very_high_ck_keeps_the_ace_inhibitor_with_its_stop_conditions() -> None:
    """Review Z69c P4: ramipril held for a chronic CK of 48 x ULN with a steady creatinine
    and potassium 5.1, after a heart attack."""
    text = _texts(make_plan(**CHRONIC_HIGH_CK))
    assert "keep the ACE inhibitor or ARB while creatinine and potassium hold steady" in text
    assert "hold the ACE inhibitor or ARB (and any" not in text
    high_k = _texts(make_plan(**{**CHRONIC_HIGH_CK, "lab_results": [
        lab("egfr", 38, "mL/min/1.73m2"), lab("potassium", 5.8, "mmol/L")]}))
    assert "hold the ACE inhibitor or ARB (and any" in high_k


MDA5_RPILD: dict[str, Any] = dict(
    antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
    lab_results=[lab("lymphocytes", 0.4, "10^9/L"), lab("egfr", 95, "mL/min/1.73m2")])


def test_a_jak_inhibitor_withheld_for_lymphopenia_names_the_specialist_centre_exception() -> None:
    """Review Z69c P5: tofacitinib 'withheld' for lymphocytes 0.4 beside the plan's own 'a
    marker of severity, not a reason to wait'; the label withhold stays (review Z6a P2) and
    says where a specialist centre may depart from it."""
    reason = withheld(make_plan(**MDA5_RPILD)).get("tofacitinib", "")
    assert "unless a specialist centre chooses it against the label" in reason
    plain = withheld(make_plan(lab_results=[lab("lymphocytes", 0.4, "10^9/L")],
                               visits=[{"date": "2026-11-25", "core_set": {
                                   "mmt8": 66, "mmt_max": 80, "physician_global": 5}}]))
    assert "against the label" not in plain.get("tofacitinib", "")


def test_a_seventeen_year_old_gets_college_and_youth_support_not_a_nursery_letter() -> None:
    """Review Z69c P6: 'a letter to the school or nursery ... play-specialist' at 17."""
    jdm = dict(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 9})
    older = make_plan(**jdm, date_of_birth="2009-03-01")
    assert "jdm_college_and_work_support" in do_now(older)
    assert "jdm_school_and_family_support" not in do_now(older)
    younger = make_plan(**jdm, date_of_birth="2016-03-01")
    assert "jdm_school_and_family_support" in do_now(younger)
    assert "jdm_college_and_work_support" not in do_now(younger)


def test_alcohol_does_not_put_an_antibody_proven_myositis_in_doubt() -> None:
    """Review Z69c P8: 'weigh it as a cause before calling the weakness myositis' for anti-SRP
    myopathy with a necrotising biopsy."""
    drinker = dict(comorbidities={"alcohol_excess": True})
    proven = _texts(make_plan(**drinker))  # anti-Mi-2 positive in the base record
    assert "before calling the weakness myositis" not in proven
    assert "does not replace the antibody-shown myositis" in proven
    unproven = _texts(make_plan(**drinker, antibodies={"mi2": {"status": "negative"}}))
    assert "before calling the weakness myositis" in unproven


def test_intact_calcinosis_in_pregnancy_gets_local_care_not_immunoglobulin() -> None:
    """Review Z69d P6 (borderline dangerous): IVIG 'first choice here' for intact calcinosis at
    7 weeks of pregnancy in a smoker with mild skin disease."""
    calcinosis = dict(skin={"calcinosis": True}, organs={"calcinosis_lesions": [
        {"site": "thigh", "size_mm": 40, "ulcerated": False}]})
    pregnant = make_plan(**calcinosis, reproduction={"pregnant": True, "gestation_weeks": 7})
    text = _regimen(pregnant, "calcinosis")
    assert "local care in pregnancy" in text
    assert "immunoglobulin" not in text.lower()
    not_pregnant = _regimen(make_plan(**calcinosis), "calcinosis")
    assert "local care in pregnancy" not in not_pregnant


def test_the_escalation_before_a_planned_pregnancy_is_pregnancy_compatible() -> None:
    """Review Z69d P7: methotrexate 'switched to rituximab' as the pregnancy-compatible
    replacement before donor-egg IVF."""
    failing = [{"date": "2026-06-01", "core_set": {"mmt8": 66, "mmt_max": 80,
                                                   "physician_global": 5, "patient_global": 6,
                                                   "haq": 1.0}},
               {"date": "2026-11-25", "core_set": {"mmt8": 66, "mmt_max": 80,
                                                   "physician_global": 5, "patient_global": 6,
                                                   "haq": 1.0}}]
    treatments = [{"therapy": "methotrexate", "start": "2024-02-01", "dose_value": 15,
                   "dose_unit": "mg/week", "outcome": "ongoing", "response": "partial"},
                  {"therapy": "ivig", "start": "2023-12-01", "outcome": "ongoing",
                   "response": "partial"}]
    plan = make_plan(visits=failing, treatments=treatments, months_since_onset=36,
                     reproduction={"planning_conception": True})
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    assert not any("Rituximab" in f for f in changes.first_choice)
    assert "Azathioprine" in " ".join(changes.first_choice)


def test_pjp_prophylaxis_is_due_with_booked_rituximab_and_prednisolone_15() -> None:
    """Review Z69b P8: rituximab booked beside prednisolone 15 mg/day and lymphocytes 0.7,
    no PJP line."""
    pred = {"therapy": "glucocorticoids_oral", "start": "2026-04-15", "dose_value": 15,
            "dose_unit": "mg/day", "outcome": "ongoing"}
    booked = [{"therapy": "rituximab", "start": "2026-12-15", "dose_value": 1000,
               "dose_unit": "mg", "route": "iv"}]
    plan = make_plan(treatments=[pred], planned_treatments=booked)
    assert "pjp_prophylaxis_due_rituximab_combination" in do_now(plan)
    assert "pjp_prophylaxis_due_rituximab_combination" not in do_now(
        make_plan(treatments=[pred]))


def test_an_abnormal_screen_explained_by_a_treated_cancer_is_not_referred_again() -> None:
    """Review Z69b P8: an urgent suspected-cancer referral for the CT that found a kidney
    cancer removed a month later."""
    found = {"screening_done": [{"test": "CT neck thorax abdomen pelvis", "date": "2026-05-10",
                                 "result": "abnormal"}]}
    treated = make_plan(cancer={**found, "past_cancer": ["renal cell carcinoma, 2026"],
                                "treatment": [{"kind": "surgery", "status": "completed",
                                               "start": "2026-06-20"}]})
    assert "abnormal_cancer_screen" not in do_now(treated)
    assert "abnormal_cancer_screen" in do_now(make_plan(cancer=found))


def test_methotrexate_below_range_at_a_reduced_egfr_is_not_raised() -> None:
    """Review Z69b P5: 'has not had an adequate trial' for methotrexate at an eGFR of 52,
    beside 'reduce the dose'."""
    mtx = {"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 10,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    def line(egfr: float) -> str:
        plan = make_plan(weight_kg=58, height_cm=170, date_of_birth="2010-06-01",
                         diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 12},
                         treatments=[mtx], visits=[
            {"date": "2026-11-25", "core_set": {"mmt8": 66, "mmt_max": 80,
                                                "physician_global": 5}}],
            lab_results=[lab("egfr", egfr, "mL/min/1.73m2")])
        return next(d.text for d in plan.doses if d.therapy == "methotrexate")
    assert "at eGFR 52 it is not raised to the range" in line(52)
    assert "has not had an adequate trial" not in line(52)
    assert "has not had an adequate trial" in line(90)


def test_no_fortnightly_cmv_pcr_on_two_drug_maintenance_in_long_remission() -> None:
    """Review Z69d P5: 'CMV PCR ... every 2-4 weeks' 18 months into remission on tacrolimus,
    mycophenolate and prednisolone 5 mg after anti-MDA5 RP-ILD."""
    maintenance = [{"therapy": t, "start": "2025-04-01", "outcome": "ongoing"}
                   for t in ("tacrolimus", "mycophenolate")]
    mda5: dict[str, Any] = dict(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        treatments=maintenance, lab_results=[lab("lymphocytes", 0.9, "10^9/L")])
    settled = make_plan(**mda5, visits=QUIET_VISITS, months_since_onset=26)
    assert "cmv_monitoring_anti_mda5_combination" not in do_now(settled)
    early = make_plan(**mda5, months_since_onset=6)
    assert "cmv_monitoring_anti_mda5_combination" in do_now(early)


def test_the_baby_s_live_vaccines_wait_after_rituximab_in_pregnancy() -> None:
    """Review Z69d P3: rituximab at 26 weeks, nothing about the rotavirus vaccine due at 8
    weeks."""
    in_pregnancy = {"therapy": "rituximab", "start": "2026-07-20", "stop": "2026-08-03",
                    "outcome": "effective"}
    plan = make_plan(treatments=[in_pregnancy],
                     reproduction={"delivered_on": "2026-11-10", "breastfeeding": True})
    assert "baby_live_vaccines_after_biologic_in_pregnancy" in do_now(plan)
    before = {**in_pregnancy, "start": "2025-06-01", "stop": "2025-06-15"}
    assert "baby_live_vaccines_after_biologic_in_pregnancy" not in do_now(make_plan(
        treatments=[before], reproduction={"delivered_on": "2026-11-10"}))
    # a cycle years before, recorded with no stop date, did not reach the baby
    old_cycle = {"therapy": "rituximab", "start": "2023-03-01", "outcome": "effective"}
    assert "baby_live_vaccines_after_biologic_in_pregnancy" not in do_now(make_plan(
        treatments=[old_cycle], reproduction={"delivered_on": "2026-11-10"}))


def test_anaemia_at_a_low_egfr_on_warfarin_is_still_a_cancer_clue() -> None:
    """Review Z69a P5: Hb 104 at an eGFR of 22 on warfarin with anti-TIF1-gamma DM, not flagged
    (the kidney was taken to explain it)."""
    from myositis.services.careplan.record_readers import read_red_flags
    labs = [lab("haemoglobin", 104, "g/L"), lab("egfr", 22, "mL/min/1.73m2")]
    older = dict(date_of_birth="1948-02-09", lab_results=labs)
    assert "anaemia" in read_red_flags(make_record(**older, other_medicines=["warfarin"]))
    assert "anaemia" not in read_red_flags(make_record(**older))


def test_no_further_taper_when_worse_after_a_dose_cut() -> None:
    """Review Z69a P2: 'taper as the response allows' for an anti-NXP2 DM weaker and with a
    higher CK after prednisolone went from 40 to 30 mg/day."""
    def visits(after_mmt: int, after_pga: float) -> list[dict[str, Any]]:
        return [{"date": "2026-10-20", "glucocorticoid_mg_per_day": 40, "core_set": {
                    "mmt8": 60, "mmt_max": 80, "physician_global": 5}},
                {"date": "2026-12-01", "glucocorticoid_mg_per_day": 30, "core_set": {
                    "mmt8": after_mmt, "mmt_max": 80, "physician_global": after_pga}}]
    pred = [{"therapy": "glucocorticoids_oral", "start": "2026-08-01", "dose_value": 30,
             "dose_unit": "mg/day", "outcome": "ongoing"}]
    worse = _regimen(make_plan(visits=visits(57, 6), treatments=pred, months_since_onset=5),
                     "muscle")
    assert "worse since the dose fell from 40 mg/day: no further taper" in worse
    better = _regimen(make_plan(visits=visits(66, 3), treatments=pred, months_since_onset=5),
                      "muscle")
    assert "worse since the dose fell" not in better


def test_bone_medication_from_the_start_of_a_high_dose_induction_course() -> None:
    """Review Z69c P1 and P4: prednisolone 50 mg started, only 'fracture-risk assessment'."""
    started = [{"therapy": "glucocorticoids_oral", "start": "2026-11-20", "dose_value": 50,
                "dose_unit": "mg/day", "outcome": "ongoing"}]
    assert "giop_very_high_dose" in do_now(make_plan(treatments=started,
                                                     date_of_birth="1958-01-01"))
    assert "giop_very_high_dose" not in do_now(make_plan(treatments=started,
                                                         date_of_birth="1992-01-01"))


# Round Z70 (all SYNTHETIC): frail older adults, infection, heart, and swallowing clinics.


def test_oesophageal_dysphagia_without_scleroderma_is_a_possible_cancer_first() -> None:
    """Review Z70d P7 (dangerous): new solid-food dysphagia with weight loss at 67 framed as
    'smooth-muscle dysmotility, as in scleroderma' with a PPI and a prokinetic, at SOON."""
    swallow = dict(organs={"dysphagia": "moderate", "dysphagia_level": "oesophageal"})
    plan = make_plan(**swallow)
    assert do_now(plan).get("oesophageal_dysphagia_without_scleroderma") == "urgent"
    assert "oesophageal_dysphagia" not in do_now(plan)
    overlap = make_plan(antibodies={"pmscl": {"status": "positive"}},
                        organs={"dysphagia": "moderate", "dysphagia_level": "oesophageal",
                                "sclerodactyly": True})
    assert "oesophageal_dysphagia" in do_now(overlap)
    assert "oesophageal_dysphagia_without_scleroderma" not in do_now(overlap)


def test_an_oral_bisphosphonate_with_oesophageal_dysphagia_is_changed() -> None:
    """Review Z70d P4 (dangerous): alendronate with an aperistaltic oesophagus unflagged when
    the swallow was recorded as oesophageal."""
    plan = make_plan(other_medicines=["bisphosphonate"],
                     organs={"dysphagia": "mild", "dysphagia_level": "oesophageal"})
    assert "bisphosphonate_taken_with_dysphagia" in do_now(plan)
    assert "bisphosphonate_taken_with_dysphagia" not in do_now(
        make_plan(other_medicines=["bisphosphonate"]))


def test_co_trimoxazole_with_tacrolimus_at_a_high_potassium_on_an_ace_inhibitor() -> None:
    """Review Z70a P7 (dangerous): treatment-dose co-trimoxazole at potassium 5.3 on tacrolimus
    and an ACE inhibitor, rechecked only 'within 2-3 days' and the ACE inhibitor kept."""
    tacrolimus = [{"therapy": "tacrolimus", "start": "2026-10-01", "outcome": "ongoing"}]
    high_k = [lab("potassium", 5.3, "mmol/L")]
    text = _texts(make_plan(treatments=tacrolimus, lab_results=high_k,
                            other_medicines=["co_trimoxazole", "ace_inhibitor_or_arb"]))
    assert "check them daily for the first days" in text
    without_acei = _texts(make_plan(treatments=tacrolimus, lab_results=high_k,
                                    other_medicines=["co_trimoxazole"]))
    assert "within 2-3 days of starting" in without_acei


def test_a_liver_hold_repeats_the_liver_tests_only() -> None:
    """Review Z69d P4: 'a low blood count every 1-3 days' for a liver hold with normal
    counts."""
    mtx = [{"therapy": "methotrexate", "start": "2025-01-01", "dose_value": 15,
            "dose_unit": "mg/week", "outcome": "ongoing"}]
    plan = make_plan(treatments=mtx, lab_results=[lab("alt", 92, "U/L", uln=41)],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}})
    changes = " ".join(next(r for r in plan.regimens
                            if r.domain == "treatment changes").first_choice)
    assert "repeat the liver tests within 2 weeks" in changes
    assert "blood count every 1-3 days" not in changes


def test_no_tb_preventive_therapy_line_with_active_or_treated_tb_in_hiv() -> None:
    """Review Z70b P1 and P7: 'a negative IGRA does not exclude TB ... TB preventive therapy'
    beside active TB on RHZE, and after latent TB treated."""
    hiv: dict[str, Any] = dict(infection_screening={"hiv": {"result": "positive"}},
                               treatments=[{"therapy": "glucocorticoids_oral",
                                            "start": "2026-11-01", "dose_value": 20,
                                            "dose_unit": "mg/day", "outcome": "ongoing"}])
    assert "tb_negative_test_with_hiv" in do_now(make_plan(**hiv))
    on_treatment = merge_screening(hiv, {"active_tb": "on_treatment"})
    assert "tb_negative_test_with_hiv" not in do_now(make_plan(**on_treatment))
    treated = merge_screening(hiv, {"latent_tb_treatment": "completed"})
    assert "tb_negative_test_with_hiv" not in do_now(make_plan(**treated))


def merge_screening(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {**base, "infection_screening": {**base["infection_screening"], **extra}}


def test_zoledronate_is_not_ruled_out_at_a_clearance_above_the_label_limit() -> None:
    """Review Z70a P1: 'no IV zoledronic acid now (contraindicated below creatinine clearance
    35)' at a clearance of 36.5 beside an eGFR of 52."""
    pred = [{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 7.5,
             "dose_unit": "mg/day", "outcome": "ongoing"}]
    old_light: dict[str, Any] = dict(date_of_birth="1942-01-01", weight_kg=52, treatments=pred)
    clearance_above = make_plan(**old_light, lab_results=[
        lab("egfr", 52, "mL/min/1.73m2"), lab("creatinine", 80, "umol/L")])
    assert "bone_medication_kidney" not in do_now(clearance_above)
    low_egfr = make_plan(**old_light, lab_results=[lab("egfr", 38, "mL/min/1.73m2")])
    assert "bone_medication_kidney" in do_now(low_egfr)


def test_ibm_with_a_swallow_or_falls_to_follow_is_seen_within_three_months() -> None:
    """Review Z70c P4: IBM with moderate dysphagia, weight loss and falls given a review 9
    months away."""
    ibm: dict[str, Any] = dict(diagnosis={"subgroup": "ibm"}, visits=QUIET_VISITS)
    def due(plan: CarePlan) -> str:
        return next(m.next_due for m in plan.monitoring
                    if m.therapy == "Disease activity").removeprefix("by ")
    assert due(make_plan(**ibm, comorbidities={"falls": True})) < "2027-03-01"
    assert due(make_plan(**ibm)) > "2027-06-01"


def test_a_bisphosphonate_to_change_is_not_also_confirmed() -> None:
    """Re-score of review Z70d P4: 'change it to IV zoledronic acid' beside 'confirm its
    adherence and timing'."""
    base: dict[str, Any] = dict(
        other_medicines=["bisphosphonate"], prophylaxis={"bone_protection": True},
        comorbidities={"osteoporosis": True},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-01-01",
                     "dose_value": 5, "dose_unit": "mg/day", "outcome": "ongoing"}])
    swallow = make_plan(**base, organs={"dysphagia": "moderate",
                                        "dysphagia_level": "oesophageal"})
    assert "bisphosphonate_taken_with_dysphagia" in do_now(swallow)
    assert "bone_protection_recorded_high_risk" not in do_now(swallow)
    assert "bone_protection_recorded_high_risk" in do_now(make_plan(**base))


def test_a_per_kg_ivig_course_in_obesity_is_shown_on_both_weights() -> None:
    """Review Z71b P2: IVIG 2 g/kg taken by a 114-kg man (228 g a course) with no dose line."""
    ivig = [{"therapy": "ivig", "start": "2025-01-15", "dose_value": 2, "dose_unit": "g/kg",
             "outcome": "ongoing"}]
    plan = make_plan(sex="male", weight_kg=114, height_cm=175, treatments=ivig)
    line = next(d.text for d in plan.doses if d.therapy == "ivig")
    assert "228 g a course on the actual weight" in line
    assert "on an adjusted weight of 88 kg" in line
    lean = make_plan(sex="male", weight_kg=70, height_cm=175, treatments=ivig)
    assert not any("adjusted weight" in d.text for d in lean.doses if d.therapy == "ivig")


def test_a_teratogen_holding_an_active_lung_is_kept_while_the_pregnancy_waits() -> None:
    """Review Z71d P3 (dangerous): 'Stop Mycophenolate ... switch to Rituximab' before a
    planned pregnancy while the antisynthetase ILD progressed."""
    mmf = [{"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
            "dose_unit": "g/day", "outcome": "ongoing"}]
    asys: dict[str, Any] = dict(antibodies={"jo1": {"status": "positive"},
                                            "mi2": {"status": "negative"}},
                                systemic={"interstitial_lung_disease": True},
                                treatments=mmf, months_since_onset=24,
                                reproduction={"planning_conception": True})
    from tests.services.careplan.conftest import FALLING_LUNG
    active = make_plan(**asys, lung_measures=FALLING_LUNG)
    assert "conception_teratogen_taken_now" not in do_now(active)
    assert "mycophenolate" not in withheld(active)
    quiet = make_plan(**asys, visits=QUIET_VISITS, lung_measures=[
        {"date": "2026-05-01", "fvc_percent_predicted": 80, "hrct_pattern": "nsip"},
        {"date": "2026-11-20", "fvc_percent_predicted": 81, "hrct_pattern": "nsip",
         "course": "stable"}])
    assert "conception_teratogen_taken_now" in do_now(quiet)


# Round Z71 (all SYNTHETIC): advanced ILD and transplant, day infusion unit, advice line,
# hepatology joint clinic.


def test_a_lung_graft_is_the_transplant_team_s_not_an_escalation() -> None:
    """Review Z71a P3 (potentially dangerous): 'progression despite treatment: escalate
    immunosuppression' for a bilateral lung-transplant recipient."""
    graft: dict[str, Any] = dict(systemic={"interstitial_lung_disease": True},
                                 antibodies={"pl12": {"status": "positive"},
                                             "mi2": {"status": "negative"}})
    recipient = make_plan(**graft, comorbidities={"transplanted_organs": ["lung"]})
    lung = next(r for r in recipient.regimens if r.domain == "lung")
    assert lung.decision_point.startswith("A lung graft")
    assert "escalate immunosuppression" not in lung.decision_point
    native = next(r for r in make_plan(**graft).regimens if r.domain == "lung")
    assert "escalate immunosuppression" in native.decision_point


def test_no_transplant_referral_beside_an_active_cancer() -> None:
    """Review Z71a P7: 'transplant-centre referral' beside a newly found lung adenocarcinoma."""
    from myositis.services.careplan.flags import transplant_realistic
    assert transplant_realistic(make_record(date_of_birth="1968-01-01"))
    assert not transplant_realistic(make_record(date_of_birth="1968-01-01",
                                                cancer={"active_cancer": True}))


def test_a_pregnancy_switch_names_only_a_pregnancy_compatible_replacement() -> None:
    """Review Z71d P3: 'switch to Rituximab (as in the regimens below)' for mycophenolate
    stopped before a planned pregnancy; a liver stop may still name the regimen's agent."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_escalation import replacement_as_in_the_regimens
    kb = load()
    lung = Regimen(domain="lung", state="inadequate_response", first_choice=["add Rituximab"],
                   alternatives=[], decision_point="")

    def changes(reason: str) -> list[str]:
        stop = Regimen(domain="treatment changes", state="now", alternatives=[],
                       decision_point="", first_choice=[f"Stop Mycophenolate mofetil: {reason}",
                                                        "switch to Azathioprine"])
        return replacement_as_in_the_regimens([stop, lung], kb,
                                              frozenset({"mycophenolate"}))[0].first_choice
    assert changes("Conception planned: teratogen")[1] == "switch to Azathioprine"
    assert "Rituximab" in changes("ALT 3.2 x ULN (the liver)")[1]


def test_the_hbv_antiviral_before_booked_rituximab_follows_a_planned_pregnancy() -> None:
    """Re-score of review Z71d P3: 'entecavir or tenofovir started before the first dose' for a
    woman planning a pregnancy (the plan says tenofovir, not entecavir, elsewhere)."""
    booked = [{"therapy": "rituximab", "start": "2026-12-20", "dose_value": 1000,
               "dose_unit": "mg", "route": "iv"}]
    hbc: dict[str, Any] = dict(planned_treatments=booked, infection_screening={
        "anti_hbc": {"result": "positive"}, "hbsag": {"result": "negative"}})
    planning = _texts(make_plan(**hbc, reproduction={"planning_conception": True}))
    assert "tenofovir disoproxil (not entecavir" in planning
    assert "entecavir or tenofovir started" in _texts(make_plan(**hbc))


def test_a_methotrexate_withhold_names_only_the_reason_that_applies() -> None:
    """Review Z71d P5: 'HBsAg positive, or alcohol above the recommended limits ...' for an
    HBsAg-negative drinker."""
    drinker = make_plan(comorbidities={"alcohol_excess": True},
                        lab_results=[lab("alt", 95, "U/L", uln=40)],
                        labs={"enzymes": {"ck": {"value": 2400, "uln": 200}}})
    reasons = " ".join(withheld(drinker).values())
    assert "Alcohol above the recommended limits with ALT" in reasons
    assert "HBsAg positive" not in reasons
    hbv = make_plan(infection_screening={"hbsag": {"result": "positive"}})
    assert withheld(hbv).get("methotrexate", "").startswith("HBsAg positive:")


def test_a_deferred_pulse_is_held_not_stopped() -> None:
    """Review Z71b P1: 'Stop Cyclophosphamide' when the next pulse is deferred for CMV
    viraemia."""
    from myositis.services.careplan.regimen_stops import change_verb
    assert change_verb("CMV viraemia: the next cyclophosphamide pulse is deferred until the "
                       "viral load falls") == "Hold"
    assert change_verb("Contraindicated in pregnancy (embryo-fetal toxicity).") == "Stop"


def test_fever_with_a_recorded_focal_pneumonia_does_not_ask_for_pjp_work_up() -> None:
    """Review Z70d P1 and P5: HRCT, PJP PCR and bronchoscopy beside a recorded aspiration
    pneumonia."""
    febrile: dict[str, Any] = dict(
        systemic={"fever": True},
        treatments=[{"therapy": "tacrolimus", "start": "2026-01-01", "outcome": "ongoing"}])
    focal = _texts(make_plan(**febrile, comorbidities={"active_infection": True,
                                                       "infection_focus": "lung_focal"}))
    assert "HRCT, PJP and viral PCR only if it spreads or fails to respond" in focal
    unknown = _texts(make_plan(**febrile))
    assert "HRCT and PJP and viral PCR (bronchoscopy when unclear)" in unknown

"""Findings of specialist review round Z48 (dermatology, nephrology, palliative care,
gastroenterology and nutrition), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan, withheld


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _regimens(plan: CarePlan) -> str:
    return " ".join(e for r in plan.regimens for e in [*r.first_choice, *r.alternatives])


JDM_GASTROENTERITIS: dict[str, Any] = {
    "diagnosis": {"subgroup": "jdm"}, "date_of_birth": "2016-03-01", "weight_kg": 32,
    "height_cm": 138, "classification": {"age_at_onset": 7},
    "antibodies": {"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
    "labs": {"enzymes": {"ck": {"value": 110, "uln": 200}}},
    "organs": {"gut_symptoms": True},
    "comorbidities": {"active_infection": True, "infection_focus": "abdominal"},
    "visits": [{"date": "2026-06-01", "core_set": {"physician_global": 0.5, "cmas": 48}},
               {"date": "2026-11-28", "core_set": {"physician_global": 0.5, "cmas": 48}}],
    "treatments": [{"therapy": "methotrexate", "start": "2024-01-01", "dose_value": 15,
                    "dose_unit": "mg/m2/week", "route": "sc", "outcome": "ongoing",
                    "response": "complete"}]}


def test_gastroenteritis_in_quiet_jdm_is_not_a_vasculopathy_to_pulse() -> None:
    """Z48b P7 (dangerous): 'IV methylprednisolone with IVIG or cyclophosphamide' for a girl in
    remission with gastroenteritis and a pre-renal kidney injury."""
    plan = make_plan(**JDM_GASTROENTERITIS)
    codes = do_now(plan)
    assert "jdm_gut_with_abdominal_infection" in codes
    assert "jdm_gut_vasculopathy" not in codes
    assert "cyclophosphamide" not in _regimens(plan).lower()
    without_focus = make_plan(**{**JDM_GASTROENTERITIS, "comorbidities": {}})
    assert "jdm_gut_vasculopathy" in do_now(without_focus)
    # the vasculopathy line pauses injected methotrexate for a kidney injury (Z48b P7)
    assert "or a kidney injury" in _texts(without_focus)


def test_maintenance_is_switched_not_stopped_in_pregnancy() -> None:
    """Z48b P5 (dangerous): '(or, in sustained remission, consider stopping without a
    replacement)' for mycophenolate at 7 weeks of pregnancy in a lupus overlap."""
    plan = make_plan(diagnosis={"subgroup": "overlap", "overlap_with": ["sle"]},
                     reproduction={"pregnant": True, "gestation_weeks": 7},
                     visits=[{"date": "2026-11-20", "core_set": {"physician_global": 0.5,
                                                                 "mmt8": 150,
                                                                 "mmt_max": 150}}],
                     labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     treatments=[{"therapy": "mycophenolate", "start": "2024-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day",
                                  "outcome": "ongoing", "response": "complete"}])
    text = _regimens(plan)
    assert "consider stopping without a replacement" not in text
    assert "in pregnancy switched now" in text


KIDNEY_GRAFT: dict[str, Any] = {
    "diagnosis": {"subgroup": "imnm"}, "necrotising_biopsy": True,
    "antibodies": {"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
    "comorbidities": {"solid_organ_transplant": True, "transplanted_organs": ["kidney"]},
    "treatments": [{"therapy": "tacrolimus", "start": "2019-05-01", "outcome": "ongoing"},
                   {"therapy": "mycophenolate", "start": "2019-05-01", "dose_value": 1000,
                    "dose_unit": "mg/day", "outcome": "ongoing"}],
    "lab_results": [lab("creatinine", 138, "umol/L", date="2026-09-15"),
                    lab("creatinine", 162, "umol/L", date="2026-11-26"),
                    lab("egfr", 55, "mL/min/1.73m2", date="2026-09-15"),
                    lab("egfr", 45, "mL/min/1.73m2", date="2026-11-26")]}


def test_a_falling_kidney_graft_goes_to_the_transplant_team_and_gets_no_second_antimetabolite(
) -> None:
    """Z48b P3 (dangerous): methotrexate offered beside tacrolimus and mycophenolate, and a
    graft creatinine rising from 138 to 162 unflagged."""
    plan = make_plan(**KIDNEY_GRAFT)
    assert "kidney_graft_function_falling" in do_now(plan)
    assert "methotrexate" in withheld(plan)
    assert "Transplant recipient already on an antimetabolite" in withheld(plan)["methotrexate"]


def test_breastfeeding_stops_before_chemotherapy() -> None:
    """Z48c P8 (dangerous): no line said breastfeeding stops before carboplatin-paclitaxel."""
    plan = make_plan(reproduction={"breastfeeding": True, "delivered_on": "2026-09-01"},
                     cancer={"active_cancer": True, "treatment": [
                         {"kind": "chemotherapy", "status": "planned", "start": "2026-12-10"}]})
    assert do_now(plan).get("breastfeeding_with_chemotherapy_planned") == "urgent"


def test_the_overdose_list_names_paracetamol_and_nsaids() -> None:
    """Z48c P4 (dangerous): the medicines dangerous in overdose left out paracetamol, the drug
    the girl had taken."""
    plan = make_plan(mental_health={"suicide_risk": True})
    assert "paracetamol and NSAIDs (over-the-counter packs" in _texts(plan)


def test_no_prokinetic_for_an_oesophageal_dysphagia_with_an_active_cancer() -> None:
    """Z48c P1 (dangerous): manometry and a prokinetic for a malignant oesophageal stricture."""
    record: dict[str, Any] = {"organs": {"dysphagia": "moderate",
                                         "dysphagia_level": "oesophageal"}}
    # a scleroderma overlap's dysmotility (without one, an urgent endoscopy first: Z70d P7)
    overlap = {"organs": {"dysphagia": "moderate", "dysphagia_level": "oesophageal",
                          "sclerodactyly": True}, "antibodies": {"pmscl": {"status": "positive"}}}
    plain = _texts(make_plan(**overlap))
    assert "a prokinetic for symptomatic dysmotility" in plain
    cancer = _texts(make_plan(**record, cancer={"active_cancer": True}))
    assert "no prokinetic against an obstruction" in cancer
    assert "a prokinetic for symptomatic dysmotility" not in cancer


def test_tube_feeding_without_capacity_is_a_best_interests_decision() -> None:
    """Z48c P3 (dangerous): 'nasogastric feeding if intake is unsafe' for a care-home resident
    with dementia who lacks capacity."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     care_goals={"lacks_capacity": True, "decision_maker": "daughter"})
    text = _texts(plan)
    assert "tube feeding only by a best-interests decision" in text
    assert "nasogastric feeding and dietitian if intake is unsafe" not in text


def test_a_dying_patient_is_not_kept_on_an_agent_that_gave_no_response() -> None:
    """Z48c P2 (dangerous): cyclophosphamide 'continued' after 3.6 g without response, with CMV
    viraemia, in anti-MDA5 RP-ILD with a prognosis of days to weeks and no ICU."""
    plan = make_plan(
        diagnosis={"subgroup": "adm"},
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        lung={"date": "2026-11-28", "hrct_pattern": "nsip_op", "course": "rapidly_progressive",
              "oxygen": "at_rest"},
        care_goals={"treatment_ceiling": "no_icu", "prognosis": "days_to_weeks"},
        treatments=[{"therapy": "cyclophosphamide", "start": "2026-10-15", "dose_value": 750,
                     "dose_unit": "mg/m2", "route": "iv", "outcome": "ongoing",
                     "response": "none", "cumulative_dose_g": 3.6},
                    {"therapy": "glucocorticoids_oral", "start": "2026-10-11", "dose_value": 60,
                     "dose_unit": "mg/day", "outcome": "ongoing"}])
    first = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Consider stopping Cyclophosphamide" in first
    assert "Continue Cyclophosphamide" not in first


def test_the_heart_line_keeps_to_the_ceiling_and_the_work_up_done() -> None:
    """Z48c P5 (dangerous): cardiac MRI and IV pulses urgently for a frail man on NIV with a
    ward ceiling whose cardiac work-up was recorded as done."""
    plan = make_plan(organs={"cardiac": "confirmed"}, workup_done=["cardiac"],
                     care_goals={"treatment_ceiling": "no_icu", "frailty_scale": 7})
    line = next(a.text for a in plan.do_now if a.code == "cardiac_involvement_confirmed")
    assert "cardiac MRI only if it would change the treatment now" in line
    assert "IV pulses with cardiology only after a goals discussion" in line


def test_one_methotrexate_instruction_in_a_jdm_gut_bleed() -> None:
    """Z48d P4 (dangerous): 'injected methotrexate continued' beside 'hold methotrexate by any
    route until the bleeding has stopped' for a girl with melaena."""
    plan = make_plan(**{**JDM_GASTROENTERITIS, "comorbidities": {},
                        "organs": {"gut_symptoms": True, "gi_bleeding": True}})
    text = _texts(plan)
    assert "hold methotrexate by any route until the bleeding has stopped" in text
    assert "injected methotrexate continued" not in text


def test_hydroxychloroquine_warns_of_low_sugar_with_insulin() -> None:
    """Z48a P6 (dangerous): hydroxychloroquine first for the skin of a frail man on insulin and
    warfarin who falls, with no hypoglycaemia warning."""
    plan = make_plan(other_medicines=["insulin", "warfarin"])
    option = next(o for o in plan.options if o.therapy == "hydroxychloroquine")
    assert "hydroxychloroquine_with_insulin_or_sulfonylurea" in {c.condition
                                                                 for c in option.cautions}


def test_skin_checks_are_closer_after_more_than_one_skin_cancer() -> None:
    """Z48a P8 (dangerous): 'skin examination every 6-12 months' on azathioprine after two
    squamous cell cancers in 16 months."""
    plan = make_plan(cancer={"past_cancer": ["squamous cell carcinoma of the skin 2025",
                                             "squamous cell carcinoma of the skin 2026"]},
                     treatments=[{"therapy": "azathioprine", "start": "2020-01-01",
                                  "dose_value": 100, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    assert "every 3-6 months after more than one skin cancer" in _texts(plan)


def test_a_skin_that_drives_the_glucocorticoid_gets_no_antimetabolite_for_the_taper() -> None:
    """Z48a P4 (wrong): 'add a steroid-sparing agent not yet tried (Azathioprine) - the taper
    needs one' for a refractory skin with the muscle in remission."""
    plan = make_plan(
        skin_refractory=True, months_since_onset=60,
        labs={"enzymes": {"ck": {"value": 80, "uln": 200}}},
        visits=[{"date": d, "glucocorticoid_mg_per_day": 7.5, "cdasi_activity": 22,
                 "core_set": {"physician_global": 2, "mmt8": 150, "mmt_max": 150}}
                for d in ("2026-06-01", "2026-11-20")],
        treatments=[{"therapy": "hydroxychloroquine", "start": "2021-01-01", "dose_value": 400,
                     "dose_unit": "mg/day", "outcome": "ongoing", "response": "partial"},
                    {"therapy": "glucocorticoids_oral", "start": "2021-01-01",
                     "dose_value": 7.5, "dose_unit": "mg/day", "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("the taper needs one" in e for e in muscle.first_choice)


def test_a_cirrhotic_bilirubin_is_read_against_its_own_baseline() -> None:
    """Z48d P7 (wrong): 'no hepatotoxic drug until it has settled' for the baseline bilirubin of
    a Child-Pugh B cirrhosis."""
    record: dict[str, Any] = {"lab_results": [lab("alt", 180, "U/L", uln=45),
                                              lab("bilirubin", 38, "umol/L", uln=21)]}
    plain = _texts(make_plan(**record))
    assert "No hepatotoxic drug is started until it has settled." in plain
    cirrhosis = _texts(make_plan(**record, comorbidities={"hepatic_impairment": True}))
    assert "read against the patient's own baseline" in cirrhosis
    assert "until it has settled" not in cirrhosis


def test_no_oral_bisphosphonate_offered_with_a_severe_dysphagia() -> None:
    """Z48d P6 (wrong): 'an oral bisphosphonate if swallowing allows' for a woman with severe
    oropharyngeal dysphagia and an aspiration pneumonia."""
    record: dict[str, Any] = {"comorbidities": {"osteoporosis": True}}
    assert "oral bisphosphonate if swallowing allows" in _texts(make_plan(**record))
    severe = _texts(make_plan(**record, organs={"dysphagia": "severe"}))
    assert "oral bisphosphonate if swallowing allows" not in severe
    assert "no oral bisphosphonate with this dysphagia" in severe


def test_on_dialysis_the_cancer_screen_keeps_its_contrast_ct() -> None:
    """Z48b P2 (wrong): 'a non-contrast CT' offered to an anuric haemodialysis patient with
    anti-TIF1-gamma DM, which weakens the cancer search."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     comorbidities={"dialysis": True},
                     lab_results=[lab("egfr", 6, "mL/min/1.73m2")])
    notes = " ".join(plan.cancer_screening.notes)
    assert "On dialysis: the contrast CT goes ahead" in notes
    assert "a non-contrast CT or other imaging" not in notes


def test_the_end_of_life_line_names_symptom_control_and_anticipatory_medicines() -> None:
    """Z48c (omission, all eight patients): the plan announced end-of-life care without naming
    symptom-control drugs, anticipatory medicines or a resuscitation decision."""
    plan = make_plan(care_goals={"treatment_ceiling": "comfort", "prognosis": "days_to_weeks"})
    line = next(a.text for a in plan.do_now if a.code == "goals_of_care_end_of_life")
    assert "anticipatory medicines" in line and "a low-dose opioid" in line
    assert "resuscitation decision" in line


def test_zoledronate_is_gated_by_the_creatinine_clearance() -> None:
    """Re-scores of Z48c P3 and Z48d P6 (near-dangerous): 'IV zoledronate if eGFR is 35 or more'
    where the label's limit is a creatinine clearance of 35 mL/min."""
    text = _texts(make_plan(comorbidities={"osteoporosis": True}, organs={"dysphagia": "severe"}))
    assert "IV zoledronate if the creatinine clearance (Cockcroft-Gault) is 35 mL/min" in text
    assert "zoledronate if eGFR is 35" not in text


def test_no_keep_the_regimen_line_beside_a_futile_agent_in_the_last_days() -> None:
    """Re-score of Z48c P2 (dangerous, partly fixed): 'keep the regimen the disease needs at its
    target' and 'do not delay treatment' beside 'consider stopping' cyclophosphamide that gave no
    response, in a woman dying of anti-MDA5 RP-ILD."""
    plan = make_plan(
        diagnosis={"subgroup": "adm"},
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        lung={"date": "2026-11-28", "hrct_pattern": "nsip_op", "course": "rapidly_progressive",
              "oxygen": "at_rest"},
        care_goals={"treatment_ceiling": "no_icu", "prognosis": "days_to_weeks"},
        lab_results=[lab("lymphocytes", 0.3, "10^9/L")],
        treatments=[{"therapy": "cyclophosphamide", "start": "2026-10-15", "dose_value": 750,
                     "dose_unit": "mg/m2", "route": "iv", "outcome": "ongoing",
                     "response": "none", "cumulative_dose_g": 3.6},
                    {"therapy": "glucocorticoids_oral", "start": "2026-10-11", "dose_value": 60,
                     "dose_unit": "mg/day", "outcome": "ongoing"}])
    codes = {a.code for a in plan.do_now}
    assert not codes & {"high_infection_risk_organ_threatening",
                        "lymphopenia_in_organ_threatening_disease"}

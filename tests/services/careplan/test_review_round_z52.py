"""Findings of specialist review round Z52 (hepatology, travel medicine and vaccination, district
general rheumatology, ILD multidisciplinary team) and open findings of earlier rounds, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from myositis.services.careplan.model import Option
from tests.services.careplan.conftest import lab, make_plan, withheld


def _line(plan: CarePlan, code: str) -> str:
    return next(a.text for a in [*plan.do_now, *plan.do_now_bundled] if a.code == code)


SEVERE_SRP: dict[str, Any] = dict(
    diagnosis={"subgroup": "imnm"},
    antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"dysphagia": "severe"})
RITUXIMAB_SEVERE_REACTION: dict[str, Any] = {
    "therapy": "rituximab", "start": "2026-06-01", "stop": "2026-06-01",
    "outcome": "not_tolerated", "reason_stopped": "adverse_event", "reaction_severity": "severe"}


def test_severe_anti_srp_line_names_no_withheld_rituximab() -> None:
    """Open finding (Z45): the urgent anti-SRP line said 'early rituximab' beside 'Withheld:
    rituximab' after a severe infusion reaction."""
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION])
    assert "rituximab" in withheld(plan)
    line = _line(plan, "severe_anti_srp")
    assert "early rituximab" not in line
    assert "IV glucocorticoids with IVIG" in line
    assert "Rituximab is withheld here" in line
    assert "early rituximab" in _line(make_plan(**SEVERE_SRP), "severe_anti_srp")


def test_severe_anti_srp_in_infection_drops_the_withheld_rituximab_too() -> None:
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION],
                     comorbidities={"active_infection": True, "infection_focus": "urinary"})
    line = _line(plan, "severe_anti_srp")
    assert "rituximab once the infection is controlled" not in line
    assert "Rituximab is withheld here" in line


def test_teratogen_named_only_as_an_alternative_is_not_called_proposed() -> None:
    """Open finding (Z49-Z51): mycophenolate called 'proposed' in the contraception line when the
    approach chose methotrexate and listed mycophenolate only as an alternative."""
    plan = make_plan(**SEVERE_SRP, treatments=[RITUXIMAB_SEVERE_REACTION],
                     reproduction={"effective_contraception": False})
    line = _line(plan, "contraception_with_teratogen")
    assert "Mycophenolate mofetil only among the alternatives" in line
    assert "(Methotrexate;" in line


def test_hydroxychloroquine_with_a_ritonavir_boosted_regimen_asks_for_an_ecg() -> None:
    """Open finding (Z51): hydroxychloroquine beside a ritonavir-boosted regimen with no word of
    the QT or PR interval."""
    def hcq_cautions(medicines: list[str]) -> list[str]:
        plan = make_plan(other_medicines=medicines)
        option = next(o for o in plan.options if o.therapy == "hydroxychloroquine")
        return [c.text for c in option.cautions]

    assert any("QTc and PR" in text for text in hcq_cautions(["ritonavir_or_cobicistat"]))
    assert not any("QTc and PR" in text for text in hcq_cautions([]))


def test_an_earlier_course_with_no_outcome_is_said_in_words() -> None:
    """Open finding (Z50-Z51): 'before: unknown' beside a course recorded with no outcome."""
    option = Option(therapy="methotrexate", name="Methotrexate", line="first", complications=[],
                    evidence_level="low", investigational=False, rationale="", citations=[],
                    previously="unknown", kb_entry="methotrexate")
    assert option.previously_text == "given, outcome not recorded"
    assert option.model_copy(update={"previously": "not_tolerated"}).previously_text == (
        "not tolerated")
    assert option.model_copy(update={"previously": None}).previously_text is None


def test_hbsag_positive_in_pregnancy_names_the_babys_vaccine_and_immunoglobulin() -> None:
    """Open finding (Z47-Z51): a pregnant HBsAg-positive patient and no word of the newborn's
    birth-dose vaccine and hepatitis B immunoglobulin."""
    hbv = {"hbsag": {"result": "positive"}, "anti_hbc": {"result": "positive"}}
    pregnant = make_plan(infection_screening=hbv,
                         reproduction={"pregnant": True, "gestation_weeks": 20})
    line = _line(pregnant, "hbsag_positive_in_pregnancy")
    assert "immunoglobulin within 12" in line and "tenofovir disoproxil" in line
    not_pregnant = make_plan(infection_screening=hbv)
    assert "hbsag_positive_in_pregnancy" not in {a.code for a in not_pregnant.do_now}


def test_active_tb_on_treatment_asks_for_liver_tests() -> None:
    """Open finding (Z51b): the active-TB line named the rifampicin interactions but not the liver
    tests the TB drugs need beside methotrexate or azathioprine."""
    plan = make_plan(infection_screening={"active_tb": "on_treatment",
                                          "active_tb_treatment_start": "2026-11-01"})
    line = _line(plan, "active_tb_on_treatment")
    assert "liver tests through the TB treatment" in line


JDM_GUT_BLEED: dict[str, Any] = dict(
    date_of_birth="2015-05-03", weight_kg=32, height_cm=141,
    diagnosis={"subgroup": "jdm"},
    classification={"age_at_onset": 10.9,
                    "weakness": {"proximal_upper": True, "proximal_lower": True},
                    "skin": {"heliotrope_rash": True, "gottron_papules": True},
                    "elevated_muscle_enzymes": True},
    antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"gut_symptoms": True, "gi_bleeding": True},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-10", "dose_value": 40,
                 "dose_unit": "mg/day"}])


def test_a_jdm_gut_bleed_holds_methotrexate_in_the_approach_too() -> None:
    """Z52c P5 (dangerous): 'Methotrexate subcutaneously' first for the muscle beside 'hold
    methotrexate by any route until the bleeding has stopped' for an 11-year-old."""
    plan = make_plan(**JDM_GUT_BLEED)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    mtx = [e for e in muscle.first_choice if e.startswith("Methotrexate")]
    assert mtx and all("once the bleeding has stopped" in e for e in mtx)
    pain_only = make_plan(**{**JDM_GUT_BLEED, "organs": {"gut_symptoms": True}})
    entries = [e for r in pain_only.regimens for e in r.first_choice]
    assert not any("once the bleeding has stopped and a perforation" in e for e in entries)


PM_SCL_OVERLAP_ILD: dict[str, Any] = dict(
    sex="male", diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
    antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
    systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
    lung={"date": "2026-11-20", "fvc_percent_predicted": 71, "hrct_pattern": "nsip",
          "course": "progressive"},
    lung_measures=[{"date": "2026-06-05", "fvc_percent_predicted": 82, "hrct_pattern": "nsip"},
                   {"date": "2026-11-20", "fvc_percent_predicted": 71, "hrct_pattern": "nsip",
                    "course": "progressive"}],
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-02", "dose_value": 10,
                 "dose_unit": "mg/day"},
                {"therapy": "methotrexate", "start": "2026-06-10", "dose_value": 20,
                 "dose_unit": "mg/week", "route": "sc"}])


def test_a_known_ild_declining_slowly_on_methotrexate_is_not_called_pneumonitis() -> None:
    """Z52c P7 (wrong): an NSIP imaged before methotrexate began, its FVC falling from 82 to
    71 % over six months, worked up as methotrexate pneumonitis with a bronchoscopy."""
    plan = make_plan(**PM_SCL_OVERLAP_ILD)
    assert "methotrexate_pneumonitis_workup" not in {a.code for a in plan.do_now}
    rapid = make_plan(**{**PM_SCL_OVERLAP_ILD, "lung": {
        **PM_SCL_OVERLAP_ILD["lung"], "course": "rapidly_progressive"}})
    assert "methotrexate_pneumonitis_workup" in {a.code for a in rapid.do_now}


def test_new_mycophenolate_for_the_lung_replaces_methotrexate_for_the_muscle() -> None:
    """Z52c P7: 'continue and optimise methotrexate' for the muscle beside new mycophenolate
    for the lung - two antimetabolites."""
    plan = make_plan(**PM_SCL_OVERLAP_ILD)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.removeprefix("add ").startswith("Mycophenolate") for e in lung.first_choice)
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith(("Continue Methotrexate", "Continue and optimise Methotrexate"))
                   for e in entries)
    assert any(e.startswith("Switch Methotrexate to mycophenolate") for e in entries)


def test_early_diffuse_scleroderma_caps_the_glucocorticoid_at_15_mg() -> None:
    """Z52c P7 (dangerous): prednisolone 60 mg/day planned in early diffuse systemic sclerosis
    with a rising skin score, and the plan allowed 'a higher dose ... for myositis activity'."""
    planned = [{"therapy": "glucocorticoids_oral", "start": "2026-12-02", "dose_value": 60,
                "dose_unit": "mg/day"}]
    diffuse = make_plan(**{**PM_SCL_OVERLAP_ILD, "diagnosis": {
        "subgroup": "overlap", "overlap_with": ["systemic_sclerosis"], "ssc_subset": "diffuse",
        "ssc_onset": "2025-12-01"}}, planned_treatments=planned)
    text = " ".join(a.text for a in diffuse.do_now)
    assert "in early diffuse systemic sclerosis, as here, no more than 15 mg/day" in text
    assert "a higher dose only for myositis activity" not in text
    limited = make_plan(**{**PM_SCL_OVERLAP_ILD, "diagnosis": {
        "subgroup": "overlap", "overlap_with": ["systemic_sclerosis"], "ssc_subset": "limited"}},
        planned_treatments=planned)
    assert "a higher dose only for myositis activity" in " ".join(a.text for a in limited.do_now)
    late = make_plan(**{**PM_SCL_OVERLAP_ILD, "diagnosis": {
        "subgroup": "overlap", "overlap_with": ["systemic_sclerosis"], "ssc_subset": "diffuse",
        "ssc_onset": "2015-01-01"}}, planned_treatments=planned)
    assert "as here, no more than 15 mg/day" not in " ".join(a.text for a in late.do_now)


def test_cyclophosphamide_withheld_for_a_planned_child_says_conception_can_wait() -> None:
    """Z52c P7 (wrong): cyclophosphamide withheld outright for a man planning a child, with no
    word that conception can be deferred and sperm banked when the disease needs it."""
    plan = make_plan(**PM_SCL_OVERLAP_ILD, reproduction={"planning_conception": True},
                     planned_treatments=[{"therapy": "cyclophosphamide", "start": "2026-12-08",
                                          "dose_value": 500, "dose_unit": "mg/m2",
                                          "route": "iv"}])
    text = " ".join(a.text for a in plan.do_now) + withheld(plan).get("cyclophosphamide", "")
    assert "conception is deferred instead" in text and "sperm banking" in text


def test_anti_mda5_lung_line_asks_for_a_centre_and_transfer() -> None:
    """Z52c P1 (dangerous): a district hospital with no myositis centre was told 'specialist ILD
    care' only, and left to start tacrolimus and cyclophosphamide alone."""
    mda5 = dict(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                systemic={"interstitial_lung_disease": True,
                          "rapidly_progressive_ild_suspected": True})
    line = _line(make_plan(**mda5), "suspected_rp_ild")
    assert "discuss today and transfer" in line
    assert "IV methylprednisolone meanwhile" in line
    infected = _line(make_plan(**mda5, comorbidities={"active_infection": True,
                                                      "infection_focus": "urinary"}),
                     "suspected_rp_ild")
    assert "IV methylprednisolone meanwhile" not in infected
    assert "decided with the infection team" in infected


ASPIRATION_NIL_BY_MOUTH: dict[str, Any] = dict(
    weight_kg=49, height_cm=155,
    organs={"dysphagia": "severe", "dysphagia_level": "oropharyngeal",
            "oral_intake": "nil_by_mouth", "weight_loss_percent": 12},
    comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-27", "dose_value": 40,
                 "dose_unit": "mg/day"}])


def test_nil_by_mouth_is_not_told_to_keep_eating_and_drinking() -> None:
    """Z52c P8 (dangerous): 'not a stop of all food, fluid and tablets' for an inpatient the
    speech and language therapist had made nil by mouth."""
    plan = make_plan(**ASPIRATION_NIL_BY_MOUTH)
    line = _line(plan, "focal_pneumonia_on_immunosuppression")
    assert "not a stop of all food" not in line
    assert "while nil by mouth" in line and "nasogastric tube" in line
    eating = make_plan(**{**ASPIRATION_NIL_BY_MOUTH, "organs": {"dysphagia": "moderate"}})
    assert "not a stop of all food" in _line(eating, "focal_pneumonia_on_immunosuppression")


def test_severe_dysphagia_with_a_high_inr_keeps_both_changes() -> None:
    """Z52c P8: with INR 4.6 the warfarin wording came first and hid the severe-dysphagia
    'nil by mouth until the swallow is assessed'."""
    plan = make_plan(**{**ASPIRATION_NIL_BY_MOUTH, "organs": {"dysphagia": "severe"}},
                     other_medicines=["warfarin"], lab_results=[lab("inr", 4.6, "ratio")])
    line = _line(plan, "focal_pneumonia_on_immunosuppression")
    assert "with this severe dysphagia nil by mouth" in line
    assert "warfarin held or reduced while the INR is above range" in line


def test_weight_loss_with_nothing_by_mouth_is_a_refeeding_risk() -> None:
    """Z52c P8 (dangerous): 7 kg lost in 3 months, nil by mouth, tube feeding about to start -
    and no refeeding line, because only a BMI below 16 or a low potassium counted."""
    plan = make_plan(**ASPIRATION_NIL_BY_MOUTH)
    assert "refeeding_risk_with_dysphagia" in {a.code for a in plan.do_now}
    little_loss = make_plan(**{**ASPIRATION_NIL_BY_MOUTH, "organs": {
        **ASPIRATION_NIL_BY_MOUTH["organs"], "weight_loss_percent": 4}})
    assert "refeeding_risk_with_dysphagia" not in {a.code for a in little_loss.do_now}


HAEMOPTYSIS_ON_WARFARIN: dict[str, Any] = dict(
    sex="male", diagnosis={"subgroup": "asys"},
    antibodies={"ej": {"status": "positive"}, "mi2": {"status": "negative"}},
    systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
    lung={"date": "2026-11-18", "fvc_percent_predicted": 70, "hrct_pattern": "uip",
          "course": "progressive"},
    lung_measures=[{"date": "2026-05-05", "fvc_percent_predicted": 78, "hrct_pattern": "uip"},
                   {"date": "2026-11-18", "fvc_percent_predicted": 70, "hrct_pattern": "uip",
                    "course": "progressive"}],
    other_medicines=["warfarin"], lab_results=[lab("inr", 3.4, "ratio")],
    cancer={"red_flags": ["haemoptysis"]},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-05-03", "dose_value": 15,
                 "dose_unit": "mg/day"}])


def test_haemoptysis_on_warfarin_is_assessed_today_and_holds_nintedanib() -> None:
    """Z52d P4 (dangerous, twice): haemoptysis on warfarin with an INR of 3.4 left as 'recheck
    within a week', and nintedanib started 'without waiting'."""
    plan = make_plan(**HAEMOPTYSIS_ON_WARFARIN)
    urgent = {a.code for a in plan.do_now if a.urgency == "urgent"}
    assert "anticoagulant_with_bleeding" in urgent
    assert "warfarin_inr_above_usual_range" not in {a.code for a in plan.do_now}
    assert "nintedanib" in withheld(plan)
    text = " ".join(a.text for a in plan.do_now)
    assert "start an antifibrotic (nintedanib, as the lung regimen below says)" not in text
    calm = make_plan(**{**HAEMOPTYSIS_ON_WARFARIN, "cancer": {"red_flags": []}})
    assert "anticoagulant_with_bleeding" not in {a.code for a in calm.do_now}
    assert "nintedanib" not in withheld(calm)


def test_statin_myotoxicity_starts_no_ivig_and_asks_for_the_heart_and_anti_hmgcr() -> None:
    """Z52d P5 (dangerous, twice): 'add IVIG' 2 g/kg beside 'no myositis escalation on this CK
    alone' for a lung-transplant recipient on atorvastatin and voriconazole with CK 21 x ULN;
    no troponin, ECG or anti-HMGCR asked."""
    plan = make_plan(
        diagnosis={"subgroup": "asys"},
        antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
        organs={"dysphagia": "moderate"},
        labs={"enzymes": {"ck": {"value": 4200, "uln": 200}}},
        lab_results=[lab("ck", 4200, "U/L", 200), lab("ck", 250, "U/L", 200, "2026-08-15"),
                     lab("tacrolimus_trough", 14, "ug/L"), lab("egfr", 48, "mL/min/1.73m2")],
        other_medicines=["statin", "azole_antifungal"],
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-03-15", "dose_value": 5,
                     "dose_unit": "mg/day"},
                    {"therapy": "mycophenolate", "start": "2024-03-15", "dose_value": 2,
                     "dose_unit": "g/day"}])
    line = _line(plan, "statin_interaction_myotoxicity")
    assert "troponin" in line and "anti-HMGCR if not yet tested" in line
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.removeprefix("add ").startswith("Intravenous immunoglobulin")
                   for e in muscle.first_choice)
    assert not any(e.startswith("Continue and optimise") for e in muscle.first_choice)


def test_anti_mda5_lung_worsening_is_not_deferred_for_a_chickenpox_contact() -> None:
    """Z52d P6 (dangerous): tacrolimus and cyclophosphamide deferred to day 21 after a chickenpox
    contact for a 17-year-old with anti-MDA5 whose FVC fell from 84 to 71 % in three months."""
    plan = make_plan(
        sex="male", date_of_birth="2009-05-01", weight_kg=62, height_cm=176,
        diagnosis={"subgroup": "jdm"},
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
        lung={"date": "2026-11-24", "fvc_percent_predicted": 71, "hrct_pattern": "nsip_op",
              "oxygen": "none", "course": "progressive"},
        lung_measures=[{"date": "2026-08-15", "fvc_percent_predicted": 84,
                        "hrct_pattern": "nsip_op"}],
        infection_screening={"vzv_igg": {"result": "negative", "date": "2026-08-10"},
                             "varicella_exposure": "2026-11-24"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 40,
                     "dose_unit": "mg/day"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.startswith("Tacrolimus") for e in lung.first_choice)
    assert not any("after the chickenpox incubation period" in a and "Tacrolimus" in a
                   for a in lung.alternatives)


def test_co_trimoxazole_with_spironolactone_names_the_potassium() -> None:
    """Z52a P3 (dangerous): co-trimoxazole advised beside spironolactone in cirrhosis, potassium
    4.9, with no word of hyperkalaemia (the ACE-inhibitor line existed, the diuretic had none)."""
    plan = make_plan(other_medicines=["potassium_sparing_diuretic"],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-01",
                                  "dose_value": 40, "dose_unit": "mg/day"}])
    line = _line(plan, "co_trimoxazole_with_ace_inhibitor")
    assert "potassium-sparing diuretic" in line and "atovaquone instead" in line


def test_oesophageal_varices_rule_out_an_oral_bisphosphonate() -> None:
    """Z52a P3 (dangerous): 'an oral bisphosphonate if swallowing allows' with banded varices."""
    record: dict[str, Any] = dict(
        comorbidities={"oesophageal_varices": True},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 40,
                     "dose_unit": "mg/day"}])
    plan = make_plan(**record)
    text = " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])
    assert "oral bisphosphonate if swallowing allows" not in text
    assert "no oral bisphosphonate" in text
    plain = make_plan(**{**record, "comorbidities": {}})
    assert "oral bisphosphonate if swallowing allows" in " ".join(
        a.text for a in [*plain.do_now, *plain.do_now_bundled])


def test_methotrexate_with_metabolic_liver_risk_names_the_fibrosis_checks() -> None:
    """Z52a P1 (dangerous): methotrexate for an obese diabetic man with probable fatty liver and
    an ALT from the muscle, with 'liver function' monitoring only."""
    plan = make_plan(sex="male", weight_kg=112, height_cm=178,
                     comorbidities={"diabetes": True})
    mtx = next(o for o in plan.options if o.therapy == "methotrexate")
    assert any("baseline fibrosis assessment" in c.text for c in mtx.cautions)
    lean = make_plan(sex="male", weight_kg=70, height_cm=178, comorbidities={"diabetes": False})
    mtx = next(o for o in lean.options if o.therapy == "methotrexate")
    assert not any("baseline fibrosis assessment" in c.text for c in mtx.cautions)


def test_a_named_chronic_liver_disease_withholds_methotrexate() -> None:
    """Z52a P6: primary biliary cholangitis could not be recorded; now it counts as liver disease."""
    plan = make_plan(comorbidities={"liver_disease": "primary_biliary_cholangitis"})
    assert "methotrexate" in withheld(plan)
    fatty = make_plan(comorbidities={"liver_disease": "masld"})
    assert "methotrexate" not in withheld(fatty)


def test_a_raised_ggt_moves_methotrexate_behind_another_agent() -> None:
    """Z52a P6: methotrexate first choice with GGT 8 x ULN (cholestatic liver disease)."""
    plan = make_plan(lab_results=[lab("ggt", 400, "U/L", 50)])
    mtx = next(o for o in plan.options if o.therapy == "methotrexate")
    assert any(c.text.startswith("GGT or bilirubin raised") for c in mtx.cautions)


def test_unclassified_myositis_confirmed_by_the_clinician_is_treated() -> None:
    """Z52a P6 (dangerous): 'unclassified' with a confirmation date and EULAR/ACR definite -
    IV pulses for the heart and no maintenance, PJP prophylaxis, vaccines or cancer screening."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "unclassified", "confirmed_on": "2026-11-27"},
        classification={"age_at_onset": 55,
                        "weakness": {"proximal_upper": True, "proximal_lower": True,
                                     "neck_flexors_weaker_than_extensors": True},
                        "elevated_muscle_enzymes": True,
                        "biopsy": {"endomysial_infiltrate": True}},
        skin={}, antibodies={"mi2": {"status": "negative"}})
    plan = make_plan(**record)
    assert plan.options and plan.diagnosis.provisional
    assert plan.cancer_screening.applicable
    open_case = make_plan(**{**record, "diagnosis": {"subgroup": "unclassified"}})
    assert not [r for r in open_case.regimens if r.domain == "muscle" and r.first_choice]


def test_hepatitis_c_antivirals_are_checked_against_every_medicine() -> None:
    """Z52a P4 (dangerous): direct-acting antivirals checked 'against the myositis drugs' only,
    beside warfarin, amiodarone and a statin."""
    plan = make_plan(infection_screening={"hcv": {"result": "positive"},
                                          "hcv_rna": {"result": "positive"}})
    line = _line(plan, "hcv_rna_detectable")
    assert "every medicine taken" in line and "amiodarone with sofosbuvir" in line


def test_an_operation_with_a_mild_dysphagia_gets_the_anaesthetic_line() -> None:
    """Z52a P8 (dangerous): a liver biopsy under general anaesthetic for a child with a nasal
    voice and mild dysphagia, never mentioned."""
    record: dict[str, Any] = dict(organs={"dysphagia": "mild"},
                                  surgery={"date": "2026-12-04", "elective": True,
                                           "procedure": "liver biopsy under general anaesthetic"})
    assert "anaesthesia_with_weak_swallow_or_breathing" in {
        a.code for a in make_plan(**record).do_now}
    assert "anaesthesia_with_weak_swallow_or_breathing" not in {
        a.code for a in make_plan(**{**record, "organs": {"dysphagia": "none"}}).do_now}


TRIP: dict[str, Any] = {"depart": "2026-12-20", "destinations": "SYNTHETIC trip",
                        "malaria_area": True}


def test_malaria_prevention_on_dialysis_rules_out_atovaquone_proguanil() -> None:
    """Z52b P8 (dangerous): 'atovaquone-proguanil interacts with few myositis drugs' for a
    patient on haemodialysis."""
    plan = make_plan(travel=TRIP, comorbidities={"dialysis": True},
                     lab_results=[lab("egfr", 8, "mL/min/1.73m2")])
    codes = {a.code for a in plan.do_now}
    assert "travel_malaria_prevention_kidney_failure" in codes
    assert "travel_malaria_prevention" not in codes
    assert "no atovaquone-proguanil" in _line(plan, "travel_malaria_prevention_kidney_failure")


def test_a_trip_with_ild_asks_for_fitness_to_fly_and_tacrolimus_care() -> None:
    """Z52b P2 and P7 (dangerous): exertional oxygen, DLCO 38 % and a 22-hour flight in 19 days,
    on tacrolimus - no word of fitness to fly, in-flight oxygen or tacrolimus abroad; and a
    travel appointment '6-8 weeks before' a departure 19 days away."""
    plan = make_plan(
        travel={"depart": "2026-12-20", "destinations": "SYNTHETIC long-haul trip"},
        systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
        lung={"date": "2026-11-20", "fvc_percent_predicted": 62, "dlco_percent_predicted": 38,
              "hrct_pattern": "nsip", "course": "stable"},
        treatments=[{"therapy": "tacrolimus", "start": "2026-08-16", "dose_value": 6,
                     "dose_unit": "mg/day"},
                    {"therapy": "glucocorticoids_oral", "start": "2026-08-15", "dose_value": 10,
                     "dose_unit": "mg/day"}])
    codes = {a.code for a in plan.do_now}
    assert {"travel_fitness_to_fly", "travel_on_a_calcineurin_inhibitor"} <= codes
    assert "travel-health appointment now" in _line(plan, "travel_on_immunosuppression")


def test_yellow_fever_vaccine_fits_before_a_start_booked_weeks_ahead() -> None:
    """Z52b P6 (dangerous): prednisolone and methotrexate booked 34 days ahead, treatment can
    wait, and the plan said 'the myositis needs treatment now: no yellow fever vaccine'."""
    record: dict[str, Any] = dict(
        travel={"depart": "2027-03-01", "destinations": "SYNTHETIC trip",
                "yellow_fever_area": True},
        planned_treatments=[{"therapy": "glucocorticoids_oral", "start": "2027-01-04",
                             "dose_value": 40, "dose_unit": "mg/day"}])
    codes = {a.code for a in make_plan(**record).do_now}
    assert "travel_yellow_fever_before_immunosuppression" in codes
    assert "travel_yellow_fever_treatment_now" not in codes
    soon = make_plan(**{**record, "planned_treatments": [
        {**record["planned_treatments"][0], "start": "2026-12-08"}]})
    assert "travel_yellow_fever_treatment_now" in {a.code for a in soon.do_now}


def test_pjp_prophylaxis_missing_on_a_combination_is_urgent() -> None:
    """Z52b P7 (dangerous): prednisolone 30 mg with tacrolimus for 3.5 months, lymphocytes 0.5,
    no PJP prophylaxis - ranked SOON."""
    plan = make_plan(
        lab_results=[lab("lymphocytes", 0.5, "10^9/L")],
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-08-15", "dose_value": 30,
                     "dose_unit": "mg/day"},
                    {"therapy": "tacrolimus", "start": "2026-08-16", "dose_value": 6,
                     "dose_unit": "mg/day"}])
    urgent = {a.code for a in plan.do_now if a.urgency == "urgent"}
    assert "pjp_prophylaxis_overdue_combination" in urgent
    assert "pjp_prophylaxis_due_glucocorticoid_dose" not in {a.code for a in plan.do_now}
    covered = make_plan(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2026-08-15", "dose_value": 30,
         "dose_unit": "mg/day"}])
    assert "pjp_prophylaxis_overdue_combination" not in {a.code for a in covered.do_now}


def test_the_joints_are_not_told_to_add_the_tacrolimus_already_taken() -> None:
    """Z52b P2 (wrong): 'add Tacrolimus' for antisynthetase arthritis after 19 months on it."""
    plan = make_plan(
        diagnosis={"subgroup": "asys"},
        antibodies={"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "arthritis": True},
        lung={"date": "2026-11-20", "fvc_percent_predicted": 80, "hrct_pattern": "nsip",
              "course": "stable"},
        visits=[{"date": "2026-11-24", "core_set": {"physician_global": 3, "mmt8": 150,
                                                    "mmt_max": 150}}],
        labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
        treatments=[{"therapy": "tacrolimus", "start": "2025-04-15", "dose_value": 4,
                     "dose_unit": "mg/day"},
                    {"therapy": "glucocorticoids_oral", "start": "2025-04-01", "dose_value": 7.5,
                     "dose_unit": "mg/day"}])
    joints = next((r for r in plan.regimens if r.domain == "joints"), None)
    assert joints is not None
    assert not any(e.startswith("add Tacrolimus") for e in joints.first_choice)
    assert not any("Tacrolimus" in a for a in joints.alternatives)


def _two_visits(before: int, after: int) -> list[dict[str, Any]]:
    return [{"date": "2026-06-05", "core_set": {"physician_global": 5, "patient_global": 6,
                                                "extramuscular_global": 5, "mmt8": before,
                                                "mmt_max": 150, "haq": 1.0}},
            {"date": "2026-11-24", "core_set": {"physician_global": 6, "patient_global": 7,
                                                "extramuscular_global": 7, "mmt8": after,
                                                "mmt_max": 150, "haq": 1.5}}]


def test_a_four_point_mmt_change_on_the_150_scale_is_not_a_muscle_flare() -> None:
    """Z52a P3 (wrong): MMT-8 140 to 136 of 150 beside a worse extramuscular global read as an
    urgent muscle flare, and prednisolone raised in decompensated cirrhosis."""
    treated = [{"therapy": "glucocorticoids_oral", "start": "2026-05-01", "dose_value": 15,
                "dose_unit": "mg/day"}]
    steady = make_plan(visits=_two_visits(140, 136), treatments=treated)
    assert steady.state is not None and steady.state.of("muscle") != "flare"
    weaker = make_plan(visits=_two_visits(140, 130), treatments=treated)
    assert weaker.state is not None and weaker.state.of("muscle") == "flare"


def test_the_bone_kidney_line_names_the_clearance_it_acted_on() -> None:
    """Z52c P8 (wrong): 'Kidney function below eGFR 40' beside a recorded eGFR of 46 (the
    Cockcroft-Gault clearance at 81 years and 49 kg was about 31)."""
    plan = make_plan(date_of_birth="1945-03-01", weight_kg=49, height_cm=155,
                     lab_results=[lab("creatinine", 98, "umol/L"),
                                  lab("egfr", 46, "mL/min/1.73m2")],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                                  "dose_value": 10, "dose_unit": "mg/day"}])
    line = _line(plan, "bone_medication_kidney")
    assert "below eGFR 40" not in line and "Cockcroft-Gault" in line


def test_re_score_findings_of_round_z52() -> None:
    """Re-scores of Z52a-c: no hepatitis B vaccine for an HBsAg-positive patient with liver
    disease; an INR raised by warfarin does not make a Child-Pugh class B; no co-trimoxazole
    planned at a high INR on warfarin; the methotrexate dose waits for a gut bleed."""
    hbv = make_plan(comorbidities={"liver_disease": "viral_hepatitis"},
                    infection_screening={"hbsag": {"result": "positive"}})
    text = " ".join(a.text for a in [*hbv.do_now, *hbv.do_now_bundled])
    assert "hepatitis A and B vaccination" not in text and "no hepatitis B vaccine" in text
    warfarin = make_plan(comorbidities={"liver_disease": "alcohol_related"},
                         other_medicines=["warfarin"],
                         lab_results=[lab("bilirubin", 30, "umol/L"), lab("albumin", 33, "g/L"),
                                      lab("inr", 2.6, "ratio")])
    assert "liver_disease_child_pugh_b_or_worse" not in {a.code for a in warfarin.do_now}
    gut = make_plan(**JDM_GUT_BLEED)
    mtx = [d for d in gut.doses if d.therapy == "methotrexate"]
    assert all(d.text.startswith("once the bleeding has stopped") for d in mtx)


# --- round Z53 (fracture liaison, wound care, clinical trials, anticoagulation) and re-scores


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


def test_an_nsaid_with_an_anticoagulant_is_stopped_not_protected() -> None:
    """Z53d P5 (dangerous): rivaroxaban with ibuprofen - 'stop the NSAID if possible, or add a
    proton-pump inhibitor'."""
    plan = make_plan(other_medicines=["doac", "nsaid"],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01",
                                  "dose_value": 20, "dose_unit": "mg/day"}])
    assert "nsaid_with_anticoagulant" in _codes(plan)
    assert "nsaid_with_glucocorticoid_no_gastroprotection" not in _codes(plan)


def test_a_doac_while_breastfeeding_is_changed_and_no_prophylaxis_is_added() -> None:
    """Z53d P8 (dangerous): rivaroxaban while breastfeeding never mentioned, and 'prophylactic
    low-molecular-weight heparin' advised 9 days after a DVT."""
    plan = make_plan(other_medicines=["doac"],
                     reproduction={"breastfeeding": True, "delivered_on": "2026-10-20"})
    assert "doac_while_breastfeeding" in _codes(plan)
    text = " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])
    assert "prophylactic low-molecular-weight heparin as the obstetric team advises" not in text


def test_bleeding_on_a_doac_names_its_reversal_and_no_aspirin_restart() -> None:
    """Z53d P7 (dangerous, twice): melaena on apixaban and aspirin - warfarin-only advice and
    'low-dose aspirin for a stent is usually restarted'."""
    plan = make_plan(other_medicines=["doac", "antiplatelet"], organs={"gi_bleeding": True})
    text = " ".join(a.text for a in plan.do_now)
    assert "andexanet" in text
    assert "low-dose aspirin for a stent is usually restarted" not in text


def test_a_procedure_on_warfarin_gets_a_stopping_and_bridging_plan() -> None:
    """Z53d P6 (dangerous): a polypectomy booked on warfarin for a mechanical valve, with a plan
    for every immunosuppressant and none for the warfarin."""
    plan = make_plan(other_medicines=["warfarin"],
                     surgery={"date": "2026-12-20", "elective": True, "procedure": "polypectomy"})
    assert "procedure_on_an_anticoagulant" in _codes(plan)


def test_low_platelets_on_an_anticoagulant_name_heparin_bands() -> None:
    """Z53d P4 (dangerous): 'otherwise a reduced (modified) dose' read as half-dose apixaban at
    platelets 48."""
    plan = make_plan(other_medicines=["doac"], lab_results=[lab("platelets", 48, "10^9/L")])
    assert "low-molecular-weight heparin at a reduced" in _line(
        plan, "anticoagulant_with_low_platelets")


def test_denosumab_is_recordable_and_its_timing_and_kidney_warning_are_said() -> None:
    """Z53a P6 and P8 (dangerous): denosumab could not be recorded (overdue by 10 months, new
    fractures); on dialysis the 2024 boxed warning was understated."""
    plan = make_plan(other_medicines=["denosumab"], comorbidities={"dialysis": True},
                     lab_results=[lab("egfr", 8, "mL/min/1.73m2")])
    assert {"denosumab_taken", "denosumab_advanced_kidney_disease"} <= _codes(plan)


def test_calcium_is_read_against_the_albumin() -> None:
    """Z53a P8 (dangerous): calcium 2.58 with albumin 33 (adjusted 2.72) not flagged."""
    plan = make_plan(lab_results=[lab("calcium", 2.58, "mmol/L"), lab("albumin", 33, "g/L")])
    assert "Calcium 2.72" in _line(plan, "hypercalcaemia")
    normal = make_plan(lab_results=[lab("calcium", 2.58, "mmol/L"), lab("albumin", 42, "g/L")])
    assert "hypercalcaemia" not in _codes(normal)


def test_a_planned_antimetabolite_beside_cyclophosphamide_is_one_or_the_other() -> None:
    """Z53b P1 (dangerous): mycophenolate booked with 'no caution' while the lung regimen started
    cyclophosphamide."""
    plan = make_plan(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        planned_treatments=[{"therapy": "mycophenolate", "start": "2026-12-05",
                             "dose_value": 2, "dose_unit": "g/day"}])
    line = _line(plan, "planned_course_checks_mycophenolate")
    assert "one or the other, not both" in line


def test_skin_infection_wound_care_findings() -> None:
    """Z53b P5, P7, P8 (dangerous): doxycycline at 22 weeks of pregnancy; no necrotising
    fasciitis in septic shock; dapsone uncautioned with a sulfonamide allergy and neutrophils
    0.9; calciphylaxis never named on dialysis with necrotic ulcers."""
    infected: dict[str, Any] = dict(
        comorbidities={"active_infection": True, "infection_focus": "skin_soft_tissue"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 20,
                     "dose_unit": "mg/day"}])
    pregnant = make_plan(**infected, allergies=["penicillin"],
                         reproduction={"pregnant": True, "gestation_weeks": 22})
    line = _line(pregnant, "skin_infection_on_immunosuppression")
    assert "not doxycycline in pregnancy" in line and "necrotising fasciitis" in line
    plan = make_plan(allergies=["sulfonamide"], skin_refractory=True,
                     lab_results=[lab("neutrophils", 0.9, "10^9/L")])
    dapsone = next(o for o in plan.options if o.therapy == "dapsone")
    assert any(c.text.startswith("A sulfonamide allergy") for c in dapsone.cautions)
    dialysis = make_plan(skin={"cutaneous_ulceration": True}, comorbidities={"dialysis": True},
                         lab_results=[lab("egfr", 8, "mL/min/1.73m2")])
    assert "calciphylaxis_considered_on_dialysis" in _codes(dialysis)


def test_trial_unit_findings() -> None:
    """Z53c P2 and P4 (dangerous): a full cyclophosphamide pulse the day after creatinine rose
    from 80 to 135; trial sirolimus 10 days before an operation with no wound-healing word."""
    aki = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                    systemic={"interstitial_lung_disease": True,
                              "rapidly_progressive_ild_suspected": True},
                    lab_results=[lab("creatinine", 80, "umol/L", date="2026-11-08"),
                                 lab("creatinine", 135, "umol/L", date="2026-11-29")])
    cyc = next(o for o in aki.options if o.therapy == "cyclophosphamide")
    assert any(c.text.startswith("A kidney injury now") for c in cyc.cautions)
    ibm = make_plan(diagnosis={"subgroup": "ibm"},
                    planned_treatments=[{"therapy": "sirolimus", "start": "2027-01-10",
                                         "dose_value": 2, "dose_unit": "mg/day"}],
                    surgery={"date": "2027-01-20", "elective": True,
                             "procedure": "cricopharyngeal myotomy"})
    text = " ".join(a.text for a in ibm.do_now)
    assert "sirolimus impairs wound healing" in text


def test_a_recorded_yellow_fever_vaccine_is_valid_for_life() -> None:
    """Re-score of Z52b P3 (wrong): an exemption letter advised for a man with a 2008 dose."""
    record: dict[str, Any] = dict(
        travel={"depart": "2027-02-01", "destinations": "SYNTHETIC trip",
                "yellow_fever_area": True},
        vaccinations=[{"vaccine": "yellow_fever", "date": "2008-05-01"}],
        treatments=[{"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 15,
                     "dose_unit": "mg/week"}])
    codes = _codes(make_plan(**record))
    assert "travel_yellow_fever_already_vaccinated" in codes
    assert "travel_yellow_fever_on_immunosuppression" not in codes
    unvaccinated = _codes(make_plan(**{**record, "vaccinations": []}))
    assert "travel_yellow_fever_on_immunosuppression" in unvaccinated


def test_re_score_findings_of_round_z53() -> None:
    """Re-scores of Z53a, Z53b and Z53d: a raised calcium on dialysis is the renal team's (no
    fluids); an osteoporosis drug on the list is bone protection; the PJP line offers dapsone
    only after a mild sulfonamide reaction; a DOAC is never bridged."""
    dialysis = make_plan(comorbidities={"dialysis": True},
                         lab_results=[lab("calcium", 2.75, "mmol/L"),
                                      lab("egfr", 8, "mL/min/1.73m2")])
    line = _line(dialysis, "hypercalcaemia")
    assert "no fluid loading on dialysis" in line and "ionised calcium" in line
    on_denosumab = make_plan(other_medicines=["denosumab"], comorbidities={"osteoporosis": True},
                             treatments=[{"therapy": "glucocorticoids_oral",
                                          "start": "2026-01-01", "dose_value": 7.5,
                                          "dose_unit": "mg/day"}])
    text = " ".join(a.text for a in [*on_denosumab.do_now, *on_denosumab.do_now_bundled])
    assert "an anabolic agent first with specialist advice" not in text
    assert "denosumab_taken" in _codes(on_denosumab)


# --- round Z54 (ophthalmology, community nursing, occupational health, sarcoidosis clinic)


def test_cmv_viraemia_defers_the_cyclophosphamide_pulse_and_asks_about_the_eye() -> None:
    """Z54a P6 (dangerous): 'Continue cyclophosphamide' first, a pulse booked in 2 days, during
    CMV viraemia with suspected retinitis."""
    plan = make_plan(
        infection_screening={"cmv_pcr": {"result": "positive", "date": "2026-11-28"}},
        treatments=[{"therapy": "cyclophosphamide", "start": "2026-09-01", "dose_value": 500,
                     "dose_unit": "mg/m2", "route": "iv"},
                    {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 20,
                     "dose_unit": "mg/day"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith("Continue Cyclophosphamide") for e in entries)
    assert "eye examination today" in _line(plan, "cmv_viraemia_on_immunosuppression")


def test_calcium_of_3_or_more_is_urgent() -> None:
    """Z54d P1 (dangerous): calcium 3.08 with a kidney injury tagged SOON beside its own
    'treated the same day'."""
    plan = make_plan(lab_results=[lab("calcium", 3.08, "mmol/L")])
    urgent = {a.code for a in plan.do_now if a.urgency == "urgent"}
    assert "hypercalcaemia_severe" in urgent and "hypercalcaemia" not in _codes(plan)


def test_active_tb_suspected_is_not_called_latent() -> None:
    """Z54d P3 (dangerous): cavitating TB suspected, called 'Latent TB' with 'latent-TB
    treatment first or together', no isolation, pulses booked for tomorrow."""
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"},
                                          "chest_imaging": "abnormal_tb_compatible",
                                          "active_tb": "suspected"})
    text = " ".join(a.text for a in plan.do_now)
    assert "airborne isolation" in _line(plan, "active_tb_suspected")
    assert "Latent TB: exclude active TB, then start latent-TB treatment" not in text


def test_no_dose_raise_for_a_longer_trial_under_comfort_care() -> None:
    """Z54b P7 (dangerous): 'raise mycophenolate to its usual dose first' beside 'consider
    stopping mycophenolate' for a dying man with a comfort ceiling."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "asys"},
        antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-20", "fvc_percent_predicted": 45, "hrct_pattern": "uip",
              "course": "progressive"},
        treatments=[{"therapy": "mycophenolate", "start": "2026-01-01", "dose_value": 1,
                     "dose_unit": "g/day"},
                    {"therapy": "glucocorticoids_oral", "start": "2026-01-01", "dose_value": 10,
                     "dose_unit": "mg/day"}])
    comfort = make_plan(**record, care_goals={"treatment_ceiling": "comfort",
                                              "prognosis": "weeks_to_months"})
    entries = [e for r in comfort.regimens for e in r.first_choice]
    assert not any("to its usual dose first" in e for e in entries)


def test_calcineurin_toxicity_brings_its_monitoring_date_forward() -> None:
    """Z54c P3 (dangerous): a tacrolimus recheck dated 10 weeks away beside the plan's own
    nephrotoxicity line."""
    plan = make_plan(
        lab_results=[lab("creatinine", 80, "umol/L", date="2025-06-01"),
                     lab("creatinine", 120, "umol/L"), lab("tacrolimus_trough", 11.5, "ug/L"),
                     lab("potassium", 5.4, "mmol/L")],
        treatments=[{"therapy": "tacrolimus", "start": "2025-01-01", "dose_value": 4,
                     "dose_unit": "mg/day"}])
    item = next(m for m in plan.monitoring if m.therapy == "Tacrolimus")
    assert item.next_due.startswith("within")


def test_an_exposed_healthcare_worker_is_told_to_stay_off_patient_contact() -> None:
    """Z54c P1 and P5 (dangerous): a non-immune nurse after a chickenpox, and a care worker after
    a measles exposure, told only to keep out of shared waiting areas."""
    plan = make_plan(infection_screening={"vzv_igg": {"result": "negative"},
                                          "varicella_exposure": "2026-11-25"},
                     treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                  "dose_value": 15, "dose_unit": "mg/week"}])
    assert "off patient contact from day 8" in _line(plan, "varicella_exposure_susceptible")


def test_the_lung_regimen_starts_no_rituximab_during_an_infection() -> None:
    """Z54d P8 (dangerous): rituximab first choice for an anti-MDA5 lung beside an invasive
    aspergillosis and the plan's own 'no rituximab until it has settled'."""
    record: dict[str, Any] = dict(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
                     "dose_unit": "mg/day"},
                    {"therapy": "tacrolimus", "start": "2026-10-01", "dose_value": 4,
                     "dose_unit": "mg/day"}])
    infected = make_plan(**record, comorbidities={"active_infection": True,
                                                  "infection_focus": "lung_focal"})
    lung = next(r for r in infected.regimens if r.domain == "lung")
    assert not any(e.removeprefix("add ").startswith("Rituximab") for e in lung.first_choice)


def test_calcium_above_the_laboratory_limit_counts() -> None:
    """Z54d P5 (dangerous): calcium 2.62 against a limit of 2.6 in pregnancy with sarcoidosis,
    and 'calcium and vitamin D now'."""
    plan = make_plan(lab_results=[lab("calcium", 2.62, "mmol/L", 2.6)])
    assert "hypercalcaemia" in _codes(plan)
    assert "hypercalcaemia" not in _codes(make_plan(lab_results=[lab("calcium", 2.62, "mmol/L",
                                                                     2.65)]))


def test_re_score_findings_of_round_z54() -> None:
    """Re-scores of Z54a and Z54b: ophthalmic shingles gets a same-day eye examination; a
    teratogen taken in pregnancy leads the urgent lines after threats to life."""
    zoster = make_plan(comorbidities={"herpes_zoster_active": True},
                       treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                    "dose_value": 15, "dose_unit": "mg/week"}])
    assert "ophthalmology examination the same day" in _line(
        zoster, "herpes_zoster_on_immunosuppression")
    pregnant = make_plan(
        reproduction={"pregnant": True, "gestation_weeks": 9},
        visits=[{"date": "2026-08-10", "core_set": {"physician_global": 2, "mmt8": 78,
                                                    "mmt_max": 80}},
                {"date": "2026-11-27", "core_set": {"physician_global": 6, "mmt8": 66,
                                                    "mmt_max": 80}}],
        treatments=[{"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 15,
                     "dose_unit": "mg/week"}])
    urgent = [a.code for a in pregnant.do_now if a.urgency == "urgent"]
    assert urgent and urgent[0] == "pregnancy_teratogen_taken_now"


def test_suspected_active_tb_holds_planned_pulses_and_asks_no_latent_screen() -> None:
    """Re-score of Z54d P3: planned pulses let through beside the active-TB hold, and 'TB status
    not recorded or indeterminate' beside a positive IGRA."""
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"},
                                          "chest_imaging": "abnormal_tb_compatible",
                                          "active_tb": "suspected"},
                     planned_treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                          "start": "2026-12-02", "dose_value": 500,
                                          "dose_unit": "mg"}])
    assert "planned_course_barred_methylprednisolone_iv_pulse" in _codes(plan)
    assert "tb_status_not_recorded" not in _codes(plan)

"""Scenarios from specialist reviews M and N (December 2026, SYNTHETIC): floor changes are not a
flare; no bisphosphonate with failing kidneys; methotrexate warned of the co-trimoxazole to
come; lymphopenia does not delay organ-saving treatment; severe JDM escalates at once; a
rituximab course within two years counts with infections or a low IgG; inactive skin is not
treated; vasculopathic ulcers are not a cancer factor; haemolysis before endoscopy in a renal
crisis; JAK inhibitors for ILD only in anti-MDA5 disease; rituximab for refractory IMNM."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, make_plan, withheld

CK = {"ck": {"value": 150, "uln": 190}}


def visit(date: str, pga: float, ega: float, mmt: int, ck: float, patient: float = 1,
          haq: float = 0, **extra: Any) -> dict[str, Any]:
    return {"date": date, "core_set": {"physician_global": pga, "patient_global": patient,
                                       "extramuscular_global": ega, "mmt8": mmt,
                                       "mmt_max": 80, "haq": haq},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 190}}}, **extra}


MTX_SINCE_2024 = [{"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                   "start": "2024-07-20", "outcome": "ongoing"}]


def regimen(plan: CarePlan, domain: str) -> str:
    found = next(r for r in plan.regimens if r.domain == domain)
    return " + ".join(found.first_choice) + " | " + ", ".join(found.alternatives)


def test_relative_changes_near_normal_values_are_not_a_flare() -> None:
    visits = [visit("2026-06-05", 0.5, 0.5, 80, 150), visit("2026-12-01", 1, 1, 79, 210)]
    plan = make_plan(visits=visits, treatments=MTX_SINCE_2024, months_since_onset=30)
    assert plan.state is not None and plan.state.of("muscle") != "flare"
    assert "flare" not in do_now(plan) and "flare" not in {f.code for f in plan.flags}
    worse = next(f for f in plan.flags if f.code == "worse_since_last_visit")
    assert "near normal values" in worse.text and worse.urgency == "soon"
    # the same relative pattern at real activity is a flare
    active = [visit("2026-06-05", 3, 3, 70, 600), visit("2026-12-01", 5, 5, 70, 900)]
    flare = make_plan(visits=active, treatments=MTX_SINCE_2024, months_since_onset=30)
    assert flare.state is not None and flare.state.of("muscle") == "flare"


def test_no_bisphosphonate_when_kidney_function_fails() -> None:
    plan = make_plan(visits=[visit("2026-11-20", 4, 2, 60, 2000,
                                   glucocorticoid_mg_per_day=40)],
                     lab_results=[{"analyte": "egfr", "value": 28, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}],
                     comorbidities={"osteoporosis": True})
    actions = do_now(plan)
    # below eGFR 30 the renal team decides, in one line (review W: two lines disagreed on
    # calcium)
    assert "bone_protection_kidney_failure" in actions
    assert "bone_medication_kidney" not in actions
    assert "osteoporosis_on_glucocorticoids" not in actions
    text = next(a.text for a in plan.do_now if a.code == "bone_protection_kidney_failure")
    assert "no bisphosphonate" in text and "denosumab" in text
    moderate = make_plan(visits=[visit("2026-11-20", 4, 2, 60, 2000,
                                       glucocorticoid_mg_per_day=40)],
                         lab_results=[{"analyte": "egfr", "value": 33,
                                       "unit": "mL/min/1.73m2", "date": "2026-11-20"}],
                         comorbidities={"osteoporosis": True})
    text = next(a.text for a in moderate.do_now if a.code == "bone_medication_kidney")
    # no IV zoledronate; an oral one only on a calculated clearance (specialist review Z38c P1)
    assert "no IV zoledronic acid" in text and "denosumab" in text


def test_methotrexate_warns_of_the_co_trimoxazole_that_induction_brings() -> None:
    plan = make_plan(classification={"age_at_onset": 68})
    methotrexate = next(o for o in plan.options if o.therapy == "methotrexate")
    assert any("co-trimoxazole" in c.text and c.severity == "high"
               for c in methotrexate.cautions)


MDA5_RPILD: dict[str, Any] = {
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
    "lab_results": [{"analyte": "lymphocytes", "value": 0.45, "unit": "10^9/L",
                     "date": "2026-11-28"},
                    {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                     "date": "2026-11-20"}],
}


def test_lymphopenia_does_not_withhold_treatment_of_rapidly_progressive_ild() -> None:
    plan = make_plan(**MDA5_RPILD)
    held = withheld(plan)
    assert "tacrolimus" not in held and "cyclophosphamide" not in held
    tacrolimus = next(o for o in plan.options if o.therapy == "tacrolimus")
    assert any("do not delay" in c.text for c in tacrolimus.cautions)
    # the same count in anti-Jo-1 ILD that is not organ-threatening still holds them
    calm = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lab_results=MDA5_RPILD["lab_results"])
    assert "Infection risk high" in withheld(calm)["tacrolimus"]


def test_ulcerating_jdm_escalates_to_iv_methylprednisolone_and_ivig() -> None:
    plan = make_plan(classification={"age_at_onset": 8}, months_since_onset=14, weight_kg=28,
                     height_cm=133, skin={"cutaneous_ulceration": True,
                                          "heliotrope_rash": True},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None},
                     visits=[visit("2026-09-10", 2, 2, 70, 300, glucocorticoid_mg_per_day=10),
                             visit("2026-11-30", 4, 4, 66, 500, patient=3, haq=0.8,
                                   glucocorticoid_mg_per_day=7.5)],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-10-01",
                                  "outcome": "ongoing"}])
    muscle = regimen(plan, "muscle")
    assert "Intravenous methylprednisolone" in muscle and "immunoglobulin" in muscle
    assert "Cyclophosphamide" in muscle.split("|")[1]
    assert "Topical" not in regimen(plan, "skin")


def test_recent_rituximab_with_low_igg_holds_new_immunosuppressants() -> None:
    plan = make_plan(
        classification={"age_at_onset": 59, "anti_jo1": True},
        antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
        comorbidities={"recurrent_infections": True},
        lab_results=[{"analyte": "igg", "value": 4.1, "unit": "g/L", "date": "2026-11-20"},
                     {"analyte": "egfr", "value": 78, "unit": "mL/min/1.73m2",
                      "date": "2026-11-20"}],
        treatments=[{"therapy": "rituximab", "dose_value": 1, "dose_unit": "g",
                     "start": "2024-03-05", "stop": "2025-11-15", "outcome": "ineffective",
                     "reason_stopped": "inefficacy"},
                    {"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
                     "start": "2021-04-01", "outcome": "ongoing"}])
    assert "recurrent_infections_on_b_cell_depletion" in do_now(plan)
    held = withheld(plan)
    assert "azathioprine" in held and "mycophenolate" not in held


def test_inactive_skin_at_the_latest_visit_is_not_treated() -> None:
    visits = [dict(visit("2026-06-10", 0.5, 0.5, 80, 100), cdasi_activity=1),
              dict(visit("2026-12-01", 0.5, 0, 80, 100), cdasi_activity=0)]
    plan = make_plan(visits=visits, months_since_onset=36, treatments=[
        {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
         "start": "2024-01-01", "outcome": "ongoing"}, *MTX_SINCE_2024])
    assert plan.state is not None and plan.state.of("skin") == "stable"
    skin = regimen(plan, "skin")
    assert "Continue Hydroxychloroquine" in skin and "Topical" not in skin


def test_scleroderma_overlap_ulcer_is_not_a_cancer_factor_and_haemolysis_comes_first() -> None:
    plan = make_plan(
        antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
        skin={"cutaneous_ulceration": True, "heliotrope_rash": True},
        organs={"sclerodactyly": True, "new_hypertension": True},
        lab_results=[{"analyte": "haemoglobin", "value": 105, "unit": "g/L",
                      "date": "2026-11-25"},
                     {"analyte": "egfr", "value": 60, "unit": "mL/min/1.73m2",
                      "date": "2026-11-25"}])
    factors = {f.factor for f in plan.cancer_screening.factors}
    assert "cutaneous_necrosis" not in factors
    actions = do_now(plan)
    assert "anaemia_with_suspected_renal_crisis" in actions and "cancer_red_flags" not in actions


def test_jak_inhibitors_for_ild_only_in_anti_mda5_disease() -> None:
    overlap = make_plan(antibodies={"pmscl": {"status": "positive"},
                                    "mi2": {"status": "negative"}},
                        systemic={"interstitial_lung_disease": True})
    assert "Tofacitinib" not in regimen(overlap, "lung")


def test_refractory_imnm_is_offered_rituximab() -> None:
    plan = make_plan(
        classification={"age_at_onset": 62, "skin": {}},
        skin={}, antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
        diagnosis={"subgroup": "imnm"}, months_since_onset=8,
        visits=[visit("2026-05-01", 6, 1, 56, 5000, glucocorticoid_mg_per_day=40),
                visit("2026-11-20", 4, 1, 64, 2500, glucocorticoid_mg_per_day=15)],
        treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                     "start": "2026-05-01", "outcome": "ongoing", "response": "partial"},
                    {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                     "start": "2026-05-01", "outcome": "ineffective",
                     "stop": "2026-10-01", "reason_stopped": "inefficacy"},
                    {"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
                     "start": "2026-06-01", "stop": "2026-10-01",
                     "reason_stopped": "adverse_event", "outcome": "not_tolerated"}])
    assert plan.state is not None and plan.state.of("muscle") == "inadequate_response"
    assert "Rituximab" in regimen(plan, "muscle")


def test_a_drug_to_keep_is_continued_with_its_action_not_put_under_review() -> None:
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"}},
                     visits=[visit("2026-11-20", 4, 2, 60, 2000,
                                   glucocorticoid_mg_per_day=40)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-01",
                                  "outcome": "ongoing"}])
    muscle = regimen(plan, "muscle")
    assert "Review Oral glucocorticoids" not in muscle
    assert "(note: latent TB" in muscle or "(note: Latent TB" in muscle


PREGNANT = {"reproduction": {"pregnant": True, "planning_conception": False,
                             "breastfeeding": False}}


def test_pregnant_flare_adds_ivig_and_reads_azathioprine_against_the_pregnancy_range() -> None:
    plan = make_plan(
        **PREGNANT, weight_kg=71, months_since_onset=44,
        visits=[visit("2026-09-02", 2, 1, 76, 300, glucocorticoid_mg_per_day=5),
                visit("2026-11-27", 5, 2, 68, 2300, patient=5, haq=1.0,
                      glucocorticoid_mg_per_day=10)],
        treatments=[{"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
                     "start": "2025-01-01", "outcome": "ongoing"},
                    {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                     "start": "2024-01-01", "outcome": "ongoing"}])
    muscle = regimen(plan, "muscle")
    assert "immunoglobulin" in muscle and "Review Azathioprine" not in muscle
    assert "Hydroxychloroquine" not in muscle.split("|")[0]
    line = next(d.text for d in plan.doses if d.therapy == "azathioprine")
    assert "within the curated 1-2 mg/kg/day" in line and "adequate trial" not in line


def test_no_cervical_smear_from_65_and_immunosuppressants_stopped_in_ibm() -> None:
    old = make_plan(classification={"age_at_onset": 83}, months_since_onset=6)
    assert not any("Papanicolaou" in t or "ervical" in t
                   for t in old.cancer_screening.tests_due)
    young = make_plan(classification={"age_at_onset": 45}, months_since_onset=6)
    assert any("Papanicolaou" in t or "ervical" in t for t in young.cancer_screening.tests_due)


def test_prophylaxis_in_place_is_not_asked_for_again() -> None:
    on_gc = [visit("2026-11-20", 4, 2, 60, 2000, glucocorticoid_mg_per_day=40)]
    without = make_plan(visits=on_gc)
    assert "pjp_prophylaxis" in {c.id for c in without.shared_checks}
    with_it = make_plan(visits=on_gc, prophylaxis={"pjp": True, "bone_protection": True})
    assert not {"pjp_prophylaxis", "giop_bone_protection"} & {c.id
                                                             for c in with_it.shared_checks}


def test_ibm_asks_to_stop_immunosuppressants_taken_now() -> None:
    from tests.services.careplan.test_safety_rules import IBM_UNTESTED_CN1A

    plan = make_plan(IBM_UNTESTED_CN1A, treatments=[
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2024-05-01", "outcome": "ongoing"}])
    action = next(a for a in plan.do_now if a.code == "ibm_immunosuppressant_exit")
    assert "methotrexate" in action.text and "stopping" in action.text
    assert not any("subcutaneous methotrexate" in a.text for a in plan.do_now)


def test_low_dlco_with_ild_asks_for_a_pulmonary_hypertension_screen() -> None:
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-10-01", "fvc_percent_predicted": 81,
                           "dlco_percent_predicted": 48, "course": "stable"})
    assert "pulmonary_hypertension_screen" in do_now(plan)
    normal = make_plan(systemic={"interstitial_lung_disease": True},
                       lung={"date": "2026-10-01", "fvc_percent_predicted": 81,
                             "dlco_percent_predicted": 75, "course": "stable"})
    assert "pulmonary_hypertension_screen" not in do_now(normal)


def test_transaminases_with_a_high_ck_are_read_as_muscle() -> None:
    plan = make_plan(lab_results=[
        {"analyte": "alt", "value": 118, "unit": "U/L", "uln": 40, "date": "2026-11-26"},
        {"analyte": "egfr", "value": 84, "unit": "mL/min/1.73m2", "date": "2026-11-26"}])
    assert "alt_raised_with_high_ck" in do_now(plan)


def test_review_p_liver_disease_tpmt_and_anaemia_alone() -> None:
    liver = make_plan(comorbidities={"hepatic_impairment": True})
    assert "methotrexate" in withheld(liver)
    azathioprine = next(o for o in liver.options if o.therapy == "azathioprine")
    assert any("hepatology" in c.text for c in azathioprine.cautions)
    deficient = make_plan(immunogenetics={"tpmt": "deficient", "nudt15": "normal"},
                          treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                       "dose_unit": "mg/day", "start": "2026-06-01",
                                       "outcome": "ongoing"}])
    assert do_now(deficient)["thiopurine_deficient_taken"] == "urgent"
    anaemic = make_plan(lab_results=[
        {"analyte": "haemoglobin", "value": 105, "unit": "g/L", "date": "2026-11-25"},
        {"analyte": "egfr", "value": 80, "unit": "mL/min/1.73m2", "date": "2026-11-25"}])
    actions = do_now(anaemic)
    assert "cancer_red_flags" not in actions and actions["anaemia_cancer_flag"] == "soon"


def test_ibm_before_45_is_questioned() -> None:
    from tests.services.careplan.test_safety_rules import IBM_UNTESTED_CN1A

    plan = make_plan(IBM_UNTESTED_CN1A, classification={
        **IBM_UNTESTED_CN1A["classification"], "age_at_onset": 38},
        diagnosis={"subgroup": "ibm"})
    # review O: the label is not followed at all while the record contradicts ENMC 2011, and
    # the young-onset work-up travels with the explanation
    assert plan.diagnosis is not None and plan.diagnosis.followed == "unclassified"
    assert any("GNE, VCP" in e for e in plan.diagnosis.explanation)


def test_review_o_past_cancer_and_a_recent_escalation() -> None:
    plan = make_plan(cancer={"past_cancer": ["breast 2025"]})
    assert "past_cancer_recorded" in do_now(plan)
    assert "past_cancer_recorded" not in do_now(make_plan())
    visits = [visit("2026-03-20", 6, 6, 61, 1900, patient=7, haq=1.5,
                    glucocorticoid_mg_per_day=40),
              visit("2026-12-01", 3.5, 4, 72, 260, patient=5.5, haq=0.875,
                    glucocorticoid_mg_per_day=10)]
    treatments = [{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                   "start": "2026-05-25", "outcome": "ongoing", "response": "partial"},
                  {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                   "start": "2026-10-20", "outcome": "ongoing"}]
    improving = make_plan(visits=visits, treatments=treatments, months_since_onset=9)
    assert improving.state is not None and improving.state.of("muscle") == "active"

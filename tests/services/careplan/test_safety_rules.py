"""One SYNTHETIC scenario per safety rule and per hazard of docs/safety/hazard-log.md."""

from __future__ import annotations

from tests.services.careplan.conftest import (
    ADULT_DM,
    cautions,
    do_now,
    make_plan,
    merge,
    offered,
    withheld,
)

IMMUNOSUPPRESSIVE = {"methotrexate", "azathioprine", "mycophenolate", "glucocorticoids_oral",
                     "methylprednisolone_iv_pulse", "rituximab", "tacrolimus", "ciclosporin",
                     "cyclophosphamide", "tofacitinib", "ivig", "brepocitinib", "chlorambucil",
                     "hsct", "cd19_car_t"}

IBM_UNTESTED_CN1A = {
    "id": "SYN-IBM", "sex": "male", "today": "2026-12-01", "months_since_onset": 40,
    "classification": {"age_at_onset": 63, "weakness": {"proximal_lower": True},
                       "elevated_muscle_enzymes": True},
    "ibm_pattern": {"knee_extension_weaker_or_equal_hip_flexion": True,
                    "finger_flexion_weaker_than_shoulder_abduction": True,
                    "weakness_duration_months": 40},
    "labs": {"enzymes": {"ck": {"value": 700, "uln": 200}}},
}


# --- H1: inclusion body myositis routed to immunosuppression -------------------------------

def test_ibm_without_cn1a_or_steroid_trial_gets_no_immunosuppression() -> None:
    plan = make_plan(IBM_UNTESTED_CN1A)
    assert plan.phenotypes == ["ibm"]
    assert not offered(plan) & IMMUNOSUPPRESSIVE
    assert "muscle_biopsy" in {w.code for w in plan.workup}
    assert plan.classification.category in ("not_iim", "possible", "probable", "definite",
                                             "biopsy_required")


def test_biopsy_proven_ibm_by_enmc_even_when_eular_says_pm() -> None:
    plan = make_plan(IBM_UNTESTED_CN1A, biopsy={"endomysial_infiltrate": True,
                                                "rimmed_vacuoles": True,
                                                "protein_aggregates": True})
    assert plan.diagnosis is not None
    enmc = next(c for c in plan.diagnosis.criteria if c.criteria == "ENMC 2011 IBM")
    assert enmc.category == "clinico-pathologically defined IBM"
    assert not offered(plan) & IMMUNOSUPPRESSIVE
    assert any("IBM" in r.reason for r in plan.not_recommended)


def test_ibm_cancer_screening_says_outside_guideline() -> None:
    plan = make_plan(IBM_UNTESTED_CN1A)
    assert not plan.cancer_screening.applicable
    assert any("outside the IMACS 2023 guideline" in n for n in plan.cancer_screening.notes)


# --- H2: latent TB and hepatitis B ---------------------------------------------------------

def test_latent_tb_gives_treat_first_action_and_cautions() -> None:
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"}},
                     reproduction={"pregnant": False})
    assert do_now(plan)["latent_tb_treat_first"] == "soon"
    assert "latent_tb_glucocorticoids" in cautions(plan, "glucocorticoids_oral")
    assert "latent_tb_csdmards" in cautions(plan, "methotrexate")


def test_latent_tb_treated_is_not_flagged() -> None:
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"},
                                          "latent_tb_treatment": "completed"})
    assert "latent_tb_treat_first" not in do_now(plan)


def test_tb_not_recorded_asks_for_the_test() -> None:
    doc = merge(ADULT_DM, {})
    del doc["infection_screening"]["tb_test"]
    plan = make_plan(doc)
    assert "tb_status_not_recorded" in do_now(plan)
    assert "latent TB screen (IGRA/TST)" in plan.unknowns


def test_hbsag_positive_gets_antiviral_prophylaxis_action() -> None:
    plan = make_plan(infection_screening={"hbsag": {"result": "positive"}})
    assert do_now(plan)["hbsag_positive"] == "soon"
    assert "hbsag_glucocorticoids" in cautions(plan, "glucocorticoids_oral")


def test_anti_hbc_positive_hbv_dna_and_rituximab_prophylaxis() -> None:
    plan = make_plan(infection_screening={"anti_hbc": {"result": "positive"}},
                     treatments=[{"therapy": "methotrexate", "outcome": "ineffective"},
                                 {"therapy": "azathioprine", "outcome": "ineffective"}])
    assert "anti_hbc_positive" in do_now(plan)
    assert "anti_hbc_rituximab" in cautions(plan, "rituximab")


def test_hbv_not_recorded_is_asked_for() -> None:
    doc = merge(ADULT_DM, {})
    doc["infection_screening"] = {}
    plan = make_plan(doc)
    assert "hbsag_positive_not_recorded" in do_now(plan)


# --- H3: pregnancy -------------------------------------------------------------------------

PREGNANT_REFRACTORY = {"reproduction": {"pregnant": True, "gestation_weeks": 14},
                       "persistent_high_activity": True,
                       "treatments": [{"therapy": "azathioprine", "outcome": "ineffective"},
                                      {"therapy": "tacrolimus", "outcome": "ineffective"}]}


def test_pregnancy_withholds_drugs_without_curated_data() -> None:
    plan = make_plan(**PREGNANT_REFRACTORY)
    held = withheld(plan)
    for therapy in ("methotrexate", "mycophenolate", "cyclophosphamide"):
        assert therapy not in offered(plan)
    assert not offered(plan) & {"chlorambucil", "hsct", "tofacitinib", "brepocitinib",
                                "cd19_car_t"}
    assert any("No data in pregnancy" in reason for reason in held.values())
    assert "pregnancy_co_management" in do_now(plan)


def test_pregnancy_offers_only_curated_compatible_or_limited() -> None:
    from myositis.knowledge import load
    kb = load()
    plan = make_plan(**PREGNANT_REFRACTORY)
    for option in plan.options:
        reproduction = kb.therapy(option.therapy).reproduction
        assert reproduction is not None and reproduction.pregnancy in (
            "compatible", "limited_data", "not_applicable"), option.therapy
    ivig = next(o for o in plan.options if o.therapy == "ivig")
    assert any("Compatible with pregnancy" in label for label in ivig.labels)


def test_teratogen_taken_now_while_planning_conception_is_a_do_now() -> None:
    plan = make_plan(reproduction={"planning_conception": True},
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2026-09-01"}])
    assert "conception_teratogen_taken_now" in do_now(plan)
    assert "preconception_counselling" in do_now(plan)
    assert "methotrexate" in withheld(plan)


def test_paternal_exposure_follows_acr_2020() -> None:
    plan = make_plan(sex="male", reproduction={"planning_conception": True, "pregnant": None,
                                               "breastfeeding": None},
                     # progressive, not rapidly progressive: with an organ threatened conception
                     # waits, not the drug (review Z32i P3, test_review_round_z32)
                     lung={"hrct_pattern": "nsip", "course": "progressive"},
                     systemic={"interstitial_lung_disease": True})
    assert "methotrexate" not in withheld(plan)
    assert "mycophenolate" not in withheld(plan)
    assert "cyclophosphamide" in withheld(plan)
    assert "12 weeks" in withheld(plan)["cyclophosphamide"]


def test_male_cannot_be_pregnant() -> None:
    import pytest
    with pytest.raises(ValueError, match="male patient cannot be pregnant"):
        make_plan(sex="male", reproduction={"pregnant": True})


def test_pregnancy_unknown_in_woman_of_childbearing_age_cautions_teratogens() -> None:
    plan = make_plan(reproduction={"pregnant": None})
    assert "pregnancy_status_unknown" in cautions(plan, "methotrexate")
    assert "pregnancy status" in plan.unknowns


# --- pharmacogenetics, kidney, immunoglobulins, G6PD ---------------------------------------

def test_tpmt_deficient_withholds_azathioprine() -> None:
    plan = make_plan(immunogenetics={"tpmt": "deficient"})
    assert "azathioprine" in withheld(plan)


def test_nudt15_intermediate_reduces_dose() -> None:
    plan = make_plan(immunogenetics={"nudt15": "intermediate"})
    assert "thiopurine_intermediate" in cautions(plan, "azathioprine")


def test_tpmt_unknown_asks_for_the_test() -> None:
    plan = make_plan(immunogenetics={"tpmt": None, "nudt15": None})
    assert "thiopurine_deficient" in cautions(plan, "azathioprine")
    assert "azathioprine" in offered(plan)


def test_egfr_below_30_withholds_methotrexate_and_adjusts_co_trimoxazole() -> None:
    plan = make_plan(lab_results=[{"analyte": "egfr", "value": 24, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-25"}])
    assert "methotrexate" in withheld(plan)
    assert "renal_co_trimoxazole_and_contrast" in do_now(plan)


def test_egfr_45_cautions_methotrexate() -> None:
    plan = make_plan(lab_results=[{"analyte": "egfr", "value": 45, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-25"}])
    assert "methotrexate_egfr_30_to_59" in cautions(plan, "methotrexate")


def test_egfr_unit_is_checked() -> None:
    import pytest
    with pytest.raises(ValueError, match="unit of egfr"):
        make_plan(lab_results=[{"analyte": "egfr", "value": 45, "unit": "mL/min",
                                "date": "2026-11-25"}])


REFRACTORY_DM = {"persistent_high_activity": True,
                 "treatments": [{"therapy": "methotrexate", "outcome": "ineffective"},
                                {"therapy": "azathioprine", "outcome": "ineffective"}]}


def test_iga_deficiency_with_anti_iga_withholds_ivig() -> None:
    # the labelled contraindication: anti-IgA antibodies and a past reaction to immunoglobulin
    reacted = [*REFRACTORY_DM["treatments"],
               {"therapy": "ivig", "start": "2021-03-01", "stop": "2021-03-02",
                "reason_stopped": "adverse_event", "reaction_severity": "mild"}]
    plan = make_plan(immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True},
                     **{**REFRACTORY_DM, "treatments": reacted})
    assert "ivig" in withheld(plan)


def test_anti_iga_antibodies_without_a_reaction_keep_ivig_as_an_iga_depleted_product() -> None:
    """Z49d P2 (dangerous): IVIG withheld outright left a JAK inhibitor first."""
    plan = make_plan(immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True},
                     **REFRACTORY_DM)
    assert "ivig" in offered(plan) and "ivig" not in withheld(plan)
    assert "iga_deficiency_anti_iga_no_reaction" in cautions(plan, "ivig")
    assert "IgA-depleted" in " ".join(c.text for o in plan.options if o.therapy == "ivig"
                                      for c in o.cautions)


def test_iga_deficiency_without_antibody_result_cautions_ivig() -> None:
    plan = make_plan(immunogenetics={"iga_deficiency": True}, **REFRACTORY_DM)
    assert "iga_deficiency_unknown_antibodies" in cautions(plan, "ivig")


def test_g6pd_before_dapsone() -> None:
    plan = make_plan(skin_refractory=True, **REFRACTORY_DM)
    assert "g6pd_dapsone" in cautions(plan, "dapsone")  # G6PD not recorded: test first
    deficient = make_plan(skin_refractory=True, immunogenetics={"g6pd": "deficient"},
                          **REFRACTORY_DM)
    assert "dapsone" not in offered(deficient)


# --- interactions and cumulative dose ------------------------------------------------------

def test_methotrexate_with_co_trimoxazole() -> None:
    # taken now: kept, and the prophylaxis changes; not taken: not started beside it (review Z32l)
    taking = make_plan(other_medicines=["co_trimoxazole"], treatments=[
        {"therapy": "methotrexate", "start": "2026-06-01", "dose_value": 15,
         "dose_unit": "mg/week"}])
    assert "methotrexate_co_trimoxazole" in cautions(taking, "methotrexate")
    assert "methotrexate" in withheld(make_plan(other_medicines=["co_trimoxazole"]))


def test_azathioprine_with_allopurinol() -> None:
    plan = make_plan(other_medicines=["allopurinol"])
    assert "azathioprine_xanthine_oxidase" in cautions(plan, "azathioprine")


def test_tacrolimus_with_azole_and_rifampicin() -> None:
    plan = make_plan(other_medicines=["azole_antifungal", "rifampicin"],
                     systemic={"interstitial_lung_disease": True})
    assert {"calcineurin_azole", "calcineurin_rifampicin"} <= cautions(plan, "tacrolimus")


def test_cumulative_cyclophosphamide() -> None:
    plan = make_plan(systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     treatments=[{"therapy": "cyclophosphamide", "outcome": "effective",
                                  "start": "2020-01-01", "stop": "2021-01-01",
                                  "cumulative_dose_g": 40}])
    assert "cyclophosphamide_cumulative_dose" in cautions(plan, "cyclophosphamide")


# --- glucocorticoid exposure over time -----------------------------------------------------

ON_PREDNISONE = {"treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                 "dose_unit": "mg/day", "start": "2026-10-01",
                                 "outcome": "ongoing"}]}


def test_pjp_prophylaxis_due_over_threshold() -> None:
    plan = make_plan(**ON_PREDNISONE)
    assert "pjp_prophylaxis_due_glucocorticoid_dose" in do_now(plan)
    covered = make_plan(prophylaxis={"pjp": True}, **ON_PREDNISONE)
    assert "pjp_prophylaxis_due_glucocorticoid_dose" not in do_now(covered)


def test_pjp_prophylaxis_due_in_anti_mda5() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}})
    assert "pjp_prophylaxis_mda5" in do_now(plan)


def test_bone_protection_due_after_three_months() -> None:
    plan = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2026-06-01",
                                  "outcome": "ongoing"}])
    assert "bone_protection_due" in do_now(plan)
    short = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                   "dose_unit": "mg/day", "start": "2026-10-15",
                                   "outcome": "ongoing"}])
    assert "bone_protection_due" not in do_now(short)


def test_child_gets_growth_and_bone_guidance() -> None:
    plan = make_plan(classification={"age_at_onset": 8}, sex="male", months_since_onset=2,
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    assert plan.phenotypes == ["jdm"]
    assert "child_glucocorticoids" in do_now(plan)
    assert not plan.cancer_screening.applicable
    assert any(u.startswith("weight (paediatric dosing") for u in plan.unknowns)


# --- cancer screening ----------------------------------------------------------------------

def test_sex_specific_tests_only_for_that_sex() -> None:
    female = make_plan(classification={"age_at_onset": 60})
    male = make_plan(classification={"age_at_onset": 60}, sex="male",
                     reproduction={"pregnant": None, "breastfeeding": None})
    assert not any("(men)" in t for t in female.cancer_screening.tests_due)
    assert not any("women" in t for t in male.cancer_screening.tests_due)
    assert any("PSA" in t for t in male.cancer_screening.tests_due)


def test_active_cancer_gets_co_management_not_screening() -> None:
    plan = make_plan(cancer={"active_cancer": True})
    assert "active_cancer_co_management" in do_now(plan)
    assert not plan.cancer_screening.tests_due


def test_screening_done_is_not_ordered_again() -> None:
    plan = make_plan(classification={"age_at_onset": 60},
                     cancer={"screening_done": [{"test": "Mammography", "date": "2026-10-01"}]})
    assert not any("Mammography" in t for t in plan.cancer_screening.tests_due)


# --- diagnosis beyond EULAR/ACR ------------------------------------------------------------

HMGCR_TEXTBOOK = {
    "id": "SYN-HMGCR", "sex": "male", "today": "2026-12-01", "months_since_onset": 4,
    "classification": {"age_at_onset": 67,
                       "weakness": {"proximal_upper": True, "proximal_lower": True},
                       "elevated_muscle_enzymes": True},
    "antibodies": {"hmgcr": {"status": "positive"}, "srp": {"status": "negative"}},
    "labs": {"enzymes": {"ck": {"value": 9000, "uln": 200}}},
    "statin_exposure": True,
}


def test_anti_hmgcr_is_imnm_not_only_not_iim() -> None:
    plan = make_plan(HMGCR_TEXTBOOK)
    assert "imnm" in plan.phenotypes
    assert plan.diagnosis is not None
    imnm = next(c for c in plan.diagnosis.criteria if c.criteria == "ENMC 224 IMNM")
    assert imnm.met and imnm.confirmed is False
    assert "statin_anti_hmgcr" in do_now(plan)


def test_unclassified_patient_gets_a_diagnostic_plan_not_treatment() -> None:
    plan = make_plan({"id": "SYN-U", "sex": "female", "today": "2026-12-01",
                      "classification": {"age_at_onset": 40,
                                         "weakness": {"proximal_lower": True}}})
    assert plan.diagnosis is not None and plan.diagnosis.followed == "unclassified"
    assert not plan.options and not plan.regimens
    assert any("thyroid" in m for m in plan.diagnosis.mimics_to_exclude)
    assert {"antibody_panel", "muscle_enzymes"} <= {w.code for w in plan.workup}


def test_treatment_that_cannot_wait_is_provisional() -> None:
    plan = make_plan({"id": "SYN-U2", "sex": "female", "today": "2026-12-01",
                      "classification": {"age_at_onset": 40, "weakness": {"proximal_lower": True}},
                      "diagnosis": {"treatment_cannot_wait": True}})
    assert plan.options and all(o.provisional for o in plan.options)
    assert plan.regimens and plan.regimens[0].provisional


def test_ild_only_antisynthetase_no_biopsy_no_myositis_induction() -> None:
    plan = make_plan({"id": "SYN-ASYS", "sex": "female", "today": "2026-12-01",
                      "months_since_onset": 3, "classification": {"age_at_onset": 52},
                      "antibodies": {"pl12": {"status": "positive"}},
                      "systemic": {"interstitial_lung_disease": True},
                      "lung": {"hrct_pattern": "nsip", "course": "stable"}})
    assert "asys" in plan.phenotypes
    assert "muscle_biopsy" not in {w.code for w in plan.workup}
    assert plan.state is not None and plan.state.of("muscle") == "not_involved"
    assert "glucocorticoids_oral" not in {o.therapy for o in plan.options if o.line == "initial"}
    assert {"mycophenolate"} <= {o.therapy for o in plan.options if "ild" in o.complications}


def test_severe_anti_srp_is_urgent() -> None:
    plan = make_plan(HMGCR_TEXTBOOK, antibodies={"srp": {"status": "positive"},
                                                 "hmgcr": {"status": "negative"}},
                     statin_exposure=False, organs={"dysphagia": "severe"})
    assert do_now(plan)["severe_anti_srp"] == "urgent"
    assert "rituximab" in {o.therapy for o in plan.options if o.line == "steroid_sparing"}


# --- state, not snapshot -------------------------------------------------------------------

def visit(date: str, pga: float, mmt: int, ck: float, gc: float, **more: float) -> dict[str, object]:
    return {"date": date, "glucocorticoid_mg_per_day": gc,
            "core_set": {"physician_global": pga, "patient_global": more.get("pt", 2.0),
                         "extramuscular_global": more.get("ext", 1.0), "mmt8": mmt,
                         "haq": more.get("haq", 0.5)},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}


def test_remission_gets_no_induction() -> None:
    plan = make_plan(months_since_onset=60,
                     visits=[visit("2025-06-01", 0.5, 80, 120, 0), visit("2025-12-01", 0.4, 80, 110, 0),
                             visit("2026-06-01", 0.5, 80, 100, 0), visit("2026-11-20", 0.3, 80, 90, 0)],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2022-01-01"}])
    assert plan.state is not None and plan.state.of("muscle") == "remission"
    assert not {o.therapy for o in plan.options if o.line == "initial"} - {
        "hydroxychloroquine", "photoprotection"}


def test_flare_against_previous_visit_is_seen() -> None:
    plan = make_plan(months_since_onset=50,
                     visits=[visit("2022-05-01", 6.0, 50, 3000, 40),
                             visit("2026-06-01", 0.9, 76, 115, 5),
                             visit("2026-11-20", 3.2, 70, 640, 15, pt=4.0, haq=1.0)],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2022-05-01"}])
    assert plan.state is not None and plan.state.of("muscle") == "flare"
    assert plan.state.worsening_vs_previous
    assert any(r.compared.startswith("2026-11-20 vs previous visit 2026-06-01")
               for r in plan.state.responses)


def test_diabetes_cautions_glucocorticoids() -> None:
    plan = make_plan(comorbidities={"diabetes": True})
    assert "diabetes_glucocorticoids" in cautions(plan, "glucocorticoids_oral")


def test_recurrent_infections_on_rituximab_hold_the_next_cycle() -> None:
    plan = make_plan(comorbidities={"recurrent_infections": True},
                     lab_results=[{"analyte": "igg", "value": 4.5, "unit": "g/L",
                                   "date": "2026-11-20"}],
                     treatments=[{"therapy": "rituximab", "outcome": "ongoing",
                                  "start": "2026-06-01"}])
    actions = do_now(plan)
    assert "recurrent_infections_on_b_cell_depletion" in actions
    assert "rituximab_low_igg" in actions
    rituximab = next(m for m in plan.monitoring if m.therapy == "Rituximab")
    assert rituximab.next_due.startswith("before the next cycle")


def test_child_off_glucocorticoids_gets_no_steroid_advice() -> None:
    plan = make_plan(sex="male", classification={"age_at_onset": 10}, months_since_onset=40,
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None},
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2024-01-01"}])
    assert "child_glucocorticoids" not in do_now(plan)
    assert "child_growth_monitoring" in do_now(plan)


# --- pregnancy: anti-Ro52; induction dose below range ---------------------------------------

def test_anti_ro52_in_pregnancy_gets_heart_block_counselling() -> None:
    pregnant = make_plan(antibodies={"ro52": {"status": "positive"}},
                         reproduction={"pregnant": True, "gestation_weeks": 12})
    assert "anti_ro_pregnancy" in do_now(pregnant)
    text = next(a.text for a in pregnant.do_now if a.code == "anti_ro_pregnancy")
    assert "fetal echocardiography" in text
    not_pregnant = make_plan(antibodies={"ro52": {"status": "positive"}})
    assert "anti_ro_pregnancy" not in do_now(not_pregnant)
    man = make_plan(antibodies={"ro52": {"status": "positive"}}, sex="male",
                    reproduction={"pregnant": None, "planning_conception": True,
                                  "breastfeeding": None})
    assert "anti_ro_pregnancy" not in do_now(man)


def _on_prednisolone(mg: float, **changes: object) -> dict[str, object]:
    return {"treatments": [{"therapy": "glucocorticoids_oral", "dose_value": mg,
                            "dose_unit": "mg/day", "start": "2026-11-15",
                            "outcome": "ongoing"}], **changes}


def test_new_onset_adult_under_dosed_is_flagged() -> None:
    low = make_plan(**_on_prednisolone(10, weight_kg=70))
    assert "gc_below_induction_adult" in do_now(low)
    usual = make_plan(**_on_prednisolone(40, weight_kg=70))
    assert "gc_below_induction_adult" not in do_now(usual)
    no_weight = make_plan(**_on_prednisolone(10))
    assert "gc_below_induction_adult" not in do_now(no_weight)
    tapering = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                      "dose_unit": "mg/day", "start": "2026-05-01",
                                      "outcome": "ongoing"}], weight_kg=70)
    assert "gc_below_induction_adult" not in do_now(tapering)


def test_new_onset_child_under_dosed_is_flagged() -> None:
    child = make_plan(**_on_prednisolone(10, weight_kg=25, sex="male"),
                      classification={"age_at_onset": 8},
                      reproduction={"pregnant": None, "planning_conception": None,
                                    "breastfeeding": None})
    assert "gc_below_induction_child" in do_now(child)
    assert "gc_below_induction_adult" not in do_now(child)


def test_pjp_prophylaxis_the_plan_starts_meets_its_interaction_rules() -> None:
    plan = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-10-01",
                                  "outcome": "ongoing"}], weight_kg=70)
    assert "pjp_prophylaxis_due_glucocorticoid_dose" in do_now(plan)
    assert "co_trimoxazole_started_with_antimetabolite" in cautions(plan, "methotrexate")
    assert "methotrexate_co_trimoxazole" not in cautions(plan, "methotrexate")
    # prophylaxis in place: the plan starts none (a new onset plans it with induction, H355)
    without = make_plan(prophylaxis={"pjp": True})
    assert "co_trimoxazole_started_with_antimetabolite" not in cautions(without, "methotrexate")


# --- renal: rising creatinine, scleroderma renal crisis ---------------------------------------

def _creatinine(*points: tuple[str, float]) -> list[dict[str, object]]:
    return [{"analyte": "creatinine", "value": v, "unit": "umol/L", "date": d} for d, v in points]


def test_rising_creatinine_holds_methotrexate() -> None:
    rising = _creatinine(("2026-10-01", 68), ("2026-11-01", 97), ("2026-11-28", 148))
    plan = make_plan(lab_results=rising, treatments=[
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2026-06-01"}])
    assert do_now(plan)["acute_kidney_injury"] == "urgent"
    assert "methotrexate" in withheld(plan)
    assert any(g.first_choice[0].startswith("Stop Methotrexate") for g in plan.regimens)
    steady = make_plan(lab_results=_creatinine(("2026-10-01", 70), ("2026-11-28", 78)))
    assert "acute_kidney_injury" not in do_now(steady)
    assert "methotrexate" not in withheld(steady)


def test_scleroderma_overlap_with_rising_creatinine_is_renal_crisis_until_shown_otherwise() -> None:
    overlap = {"antibodies": {"pmscl": {"status": "positive"}}}
    plan = make_plan(**overlap, lab_results=_creatinine(("2026-10-01", 70),
                                                        ("2026-11-28", 95)),
                     systemic={"interstitial_lung_disease": True},
                     organs={"dysphagia": "severe"})
    assert do_now(plan)["scleroderma_renal_crisis_suspected"] == "urgent"
    assert not {"tacrolimus", "ciclosporin", "methylprednisolone_iv_pulse"} & offered(plan)
    assert "tacrolimus" in withheld(plan)
    assert "ssc_overlap_glucocorticoids" in cautions(plan, "glucocorticoids_oral")
    hypertension = make_plan(**overlap, organs={"new_hypertension": True})
    assert "scleroderma_renal_crisis_suspected" in do_now(hypertension)
    without_overlap = make_plan(lab_results=_creatinine(("2026-10-01", 70),
                                                        ("2026-11-28", 95)))
    assert "scleroderma_renal_crisis_suspected" not in do_now(without_overlap)


def test_cancer_red_flag_message_names_its_trigger() -> None:
    plan = make_plan(lab_results=[{"analyte": "haemoglobin", "value": 98, "unit": "g/L",
                                   "date": "2026-11-20"}], cancer={"red_flags": ["weight_loss"]})
    text = next(a.text for a in plan.do_now if a.code == "cancer_red_flags")
    assert "(weight loss, anaemia)" in text or "(anaemia, weight loss)" in text


def test_breastfeeding_withholds_drugs_without_lactation_data() -> None:
    plan = make_plan({"id": "SYN-BF", "sex": "female", "today": "2026-12-01",
                      "months_since_onset": 30, "classification": {"age_at_onset": 35},
                      "antibodies": {"pl12": {"status": "positive"}},
                      "systemic": {"interstitial_lung_disease": True},
                      "lung": {"hrct_pattern": "nsip", "course": "progressive",
                               "fvc_percent_predicted": 62},
                      "reproduction": {"pregnant": False, "breastfeeding": True},
                      "treatments": [{"therapy": "mycophenolate", "outcome": "ongoing",
                                      "start": "2025-01-01"}]})
    assert "nintedanib" not in offered(plan)
    assert "nintedanib" in withheld(plan)
    for option in plan.options:
        assert not any(c.condition == "breastfeeding_no_data" for c in option.cautions)


def test_iga_deficiency_is_raised_even_without_an_immunoglobulin_option() -> None:
    plan = make_plan(immunogenetics={"iga_deficiency": True})
    assert "iga_deficiency_recorded" in do_now(plan)
    tested = make_plan(immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True})
    assert "iga_deficiency_recorded" not in do_now(tested)


def test_pregnancy_keeps_topical_steroids_and_defers_zoster_vaccine() -> None:
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 20})
    assert "topical_corticosteroids" not in withheld(plan)
    assert "topical_corticosteroids" in offered(plan)
    assert "zoster_vaccination_review" not in do_now(plan)
    assert "zoster_vaccination_review" in do_now(make_plan())


def test_hydroxychloroquine_dose_and_retinal_screening() -> None:
    long_course = [{"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
                    "start": "2020-11-01"}]
    plan = make_plan(treatments=long_course, weight_kg=72)
    assert "hydroxychloroquine_dose_above_5mg_kg" in do_now(plan)
    assert "hydroxychloroquine_retinal_screening_due" in do_now(plan)
    assert "tb_screening" not in {c.id for c in plan.shared_checks
                                  if c.therapies == ["Hydroxychloroquine"]}
    screened = make_plan(treatments=long_course, weight_kg=90,
                         cancer={"screening_done": [{"test": "retinal OCT",
                                                     "date": "2026-06-01"}]})
    assert "hydroxychloroquine_dose_above_5mg_kg" not in do_now(screened)
    assert "hydroxychloroquine_retinal_screening_due" not in do_now(screened)
    assert plan.state is not None and plan.state.of("skin") != "new_onset"


def test_statin_exposure_with_anti_hmgcr_untested_asks_for_it_now() -> None:
    plan = make_plan(statin_exposure=True)
    assert "statin_exposure_anti_hmgcr_unknown" in do_now(plan)
    tested = make_plan(statin_exposure=True, antibodies={"hmgcr": {"status": "negative"}})
    assert "statin_exposure_anti_hmgcr_unknown" not in do_now(tested)


def test_every_new_patient_gets_a_baseline_cardiac_check() -> None:
    plan = make_plan()
    cardiac = next(w for w in plan.workup if w.code == "cardiac")
    assert cardiac.urgency == "routine" and "troponin" in cardiac.reason
    ibm = make_plan(IBM_UNTESTED_CN1A)
    assert not any(w.code == "cardiac" for w in ibm.workup)


def test_never_screened_beyond_three_years_is_told_to_screen() -> None:
    plan = make_plan(months_since_onset=74, classification={"age_at_onset": 64},
                     antibodies={"tif1g": {"status": "positive"}})
    assert not plan.cancer_screening.applicable
    assert any("No cancer screening recorded" in n for n in plan.cancer_screening.notes)
    screened = make_plan(months_since_onset=74, cancer={"screening_done": [
        {"test": "ct chest abdomen pelvis", "date": "2022-01-01"}]})
    assert not any("No cancer screening recorded" in n for n in screened.cancer_screening.notes)


def test_nintedanib_is_a_teratogen_when_conception_is_planned() -> None:
    plan = make_plan({"id": "SYN-NIN", "sex": "female", "today": "2026-12-01",
                      "months_since_onset": 30, "classification": {"age_at_onset": 45},
                      "antibodies": {"jo1": {"status": "positive"}},
                      "systemic": {"interstitial_lung_disease": True},
                      "lung": {"hrct_pattern": "nsip", "course": "progressive",
                               "fvc_percent_predicted": 62},
                      "reproduction": {"pregnant": False, "planning_conception": True},
                      "treatments": [{"therapy": "mycophenolate", "outcome": "ongoing",
                                      "start": "2025-01-01"}]})
    assert "nintedanib" in withheld(plan)
    assert not any("Nintedanib" in e for g in plan.regimens for e in g.first_choice)


def test_worsening_before_any_treatment_is_progression_not_flare() -> None:
    from tests.services.careplan.test_safety_rules import visit as v
    plan = make_plan(visits=[v("2026-10-01", 3.0, 70, 2000, 0), v("2026-11-20", 6.0, 50, 9000, 0)])
    codes = {f.code for f in plan.flags}
    assert "worse_before_treatment" in codes and "flare" not in codes
    assert "flare" not in do_now(plan)  # no "re-escalate, check adherence" for the untreated
    assert plan.state is not None and plan.state.of("muscle") == "new_onset"


def test_contraception_counselling_with_a_teratogen() -> None:
    plan = make_plan(classification={"age_at_onset": 30},
                     reproduction={"pregnant": False, "planning_conception": False,
                                   "breastfeeding": False})
    assert "contraception_with_teratogen" in do_now(plan)
    covered = make_plan(classification={"age_at_onset": 30},
                        reproduction={"pregnant": False, "planning_conception": False,
                                      "breastfeeding": False, "effective_contraception": True})
    assert "contraception_with_teratogen" not in do_now(covered)
    man = make_plan(classification={"age_at_onset": 30}, sex="male",
                    reproduction={"pregnant": None, "planning_conception": False,
                                  "breastfeeding": None})
    assert "contraception_with_teratogen" not in do_now(man)


def test_child_haemoglobin_uses_child_thresholds_and_no_adult_cancer_flag() -> None:
    child = make_plan(classification={"age_at_onset": 10}, sex="male",
                      reproduction={"pregnant": None, "planning_conception": None,
                                    "breastfeeding": None},
                      lab_results=[{"analyte": "haemoglobin", "value": 118, "unit": "g/L",
                                    "date": "2026-11-20"}])
    assert "cancer_red_flags" not in do_now(child)


def test_rapidly_progressive_ild_is_monitored_weekly() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True})
    lung = next(m for m in plan.monitoring if m.therapy == "Lung")
    assert "every 1-2 weeks" in lung.text and "CMV" in lung.text


def test_extramuscular_worsening_alone_is_not_a_muscle_flare() -> None:
    def v(date: str, ext: float) -> dict[str, object]:
        return {"date": date, "core_set": {"physician_global": 2.0, "extramuscular_global": ext,
                                           "mmt8": 76, "patient_global": 2.0},
                "labs": {"enzymes": {"ck": {"value": 250, "uln": 200}}},
                "glucocorticoid_mg_per_day": 10}
    plan = make_plan(visits=[v("2026-06-01", 1.0), v("2026-11-20", 4.0)],
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01"}])
    assert plan.state is not None and plan.state.of("muscle") != "flare"


def test_suspected_renal_crisis_withholds_methotrexate_and_cautions_the_steroid_dose() -> None:
    plan = make_plan(antibodies={"ku": {"status": "positive"}}, organs={"new_hypertension": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-10-25"}])
    assert "methotrexate" in withheld(plan)
    assert not any("Methotrexate" in e for g in plan.regimens for e in g.first_choice)
    assert any(e.startswith("Review Oral glucocorticoids") for g in plan.regimens
               for e in g.first_choice)


def test_anti_hmgcr_means_statins_avoided_for_life() -> None:
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}}, statin_exposure=False)
    assert "anti_hmgcr_statin_avoidance" in do_now(plan)


def test_anaemia_of_advanced_ckd_or_weight_loss_in_ibm_is_no_cancer_red_flag() -> None:
    ckd = make_plan(lab_results=[
        {"analyte": "haemoglobin", "value": 105, "unit": "g/L", "date": "2026-11-20"},
        {"analyte": "egfr", "value": 24, "unit": "mL/min/1.73m2", "date": "2026-11-20"}])
    assert "cancer_red_flags" not in do_now(ckd)
    ibm = make_plan(IBM_UNTESTED_CN1A, cancer={"red_flags": ["weight_loss"]})
    assert "cancer_red_flags" not in do_now(ibm)


def test_never_screened_after_a_year_gets_the_diagnosis_panels() -> None:
    late = make_plan(months_since_onset=20, antibodies={"tif1g": {"status": "positive"}})
    assert late.cancer_screening.applicable
    assert any(t.startswith("enhanced") for t in late.cancer_screening.tests_due)


def test_recorded_ct_is_not_ordered_again_and_names_are_shown_as_recorded() -> None:
    plan = make_plan(months_since_onset=6, classification={"age_at_onset": 60},
                     antibodies={"tif1g": {"status": "positive"}},
                     cancer={"screening_done": [{"test": "ct_chest_abdomen_pelvis",
                                                 "date": "2026-09-01"}]})
    assert not any("CT" in t or "radiograph" in t for t in plan.cancer_screening.tests_due)
    assert plan.cancer_screening.notes[-1] == ("Recorded as done in the last 12 months: "
                                               "ct_chest_abdomen_pelvis.")


def test_new_antimetabolite_is_monitored_fortnightly() -> None:
    plan = make_plan(treatments=[{"therapy": "azathioprine", "start": "2026-10-20",
                                  "dose_value": 100, "dose_unit": "mg/day"}],
                     lab_results=[{"analyte": "wbc", "value": 6.0, "unit": "10^9/L",
                                   "date": "2026-11-25"}])
    azathioprine = next(m for m in plan.monitoring if m.therapy == "Azathioprine")
    assert azathioprine.next_due == "by 2026-12-09"


def test_partial_response_is_not_failure_and_late_anaemia_is_no_red_flag() -> None:
    plan = make_plan(months_since_onset=40, treatments=[
        {"therapy": "methotrexate", "start": "2025-01-01", "response": "partial"},
        {"therapy": "azathioprine", "start": "2024-01-01", "stop": "2024-12-01",
         "response": "partial"}],
        lab_results=[{"analyte": "haemoglobin", "value": 110, "unit": "g/L",
                      "date": "2026-11-20"}])
    assert plan.state is not None and plan.state.of("muscle") != "inadequate_response"
    assert "cancer_red_flags" not in do_now(plan)


def test_unclassified_myopathy_gets_safety_checks_now() -> None:
    plan = make_plan({"id": "SYN-U", "sex": "male", "today": "2026-12-01",
                      "months_since_onset": 2, "classification": {"age_at_onset": 35,
                      "weakness": {"proximal_lower": True}, "elevated_muscle_enzymes": True}})
    assert "undiagnosed_myopathy_safety" in do_now(plan)


def test_hiv_status_is_asked_for_before_immunosuppression() -> None:
    assert "hiv_status_before_immunosuppression" in do_now(make_plan())
    tested = make_plan(infection_screening={"hiv": {"result": "negative"}})
    assert "hiv_status_before_immunosuppression" not in do_now(tested)


def test_anaemia_with_high_ferritin_is_inflammation_not_a_red_flag() -> None:
    plan = make_plan(lab_results=[
        {"analyte": "haemoglobin", "value": 110, "unit": "g/L", "date": "2026-11-20"},
        {"analyte": "ferritin", "value": 1650, "unit": "ng/mL", "date": "2026-11-20"}])
    assert "cancer_red_flags" not in do_now(plan)


def test_interacting_drug_taken_now_is_reviewed_in_every_domain() -> None:
    plan = make_plan(other_medicines=["allopurinol"], systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "stable"},
                     treatments=[{"therapy": "azathioprine", "start": "2026-03-01",
                                  "dose_value": 150, "dose_unit": "mg/day"}])
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e == "Continue Azathioprine" for e in entries)


def test_creatinine_alone_gives_an_estimated_egfr_to_the_renal_rules() -> None:
    plan = make_plan(lab_results=[{"analyte": "creatinine", "value": 250, "unit": "umol/L",
                                   "date": "2026-11-20"}])
    assert "methotrexate" in withheld(plan)  # CKD-EPI 2021 about 18 at 50 years, female
    assert "eGFR" not in plan.unknowns


def test_a_live_vaccine_three_weeks_ago_delays_new_immunosuppression() -> None:
    """A live vaccine 21 days before a plan that starts immunosuppression: the do-now line;
    none 40 days after it (schema gap from specialist review S)."""
    recent = make_plan(vaccinations=[{"vaccine": "live_attenuated", "date": "2026-11-10"}])
    assert "live_vaccine_recent" in do_now(recent)
    older = make_plan(vaccinations=[{"vaccine": "live_attenuated", "date": "2026-10-22"}])
    assert "live_vaccine_recent" not in do_now(older)


def test_a_planned_operation_on_treatment_gets_the_perioperative_plan() -> None:
    """An operation in 6 weeks on methotrexate: the perioperative line; none without one, and
    none for an operation long past (schema gap from specialist review S)."""
    on_mtx = [{"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
               "start": "2026-01-01"}]
    planned = make_plan(treatments=on_mtx, surgery={"date": "2027-01-12",
                                                    "procedure": "knee replacement",
                                                    "elective": True})
    line = next(a.text for a in planned.do_now if a.code == "perioperative_plan")
    assert "methotrexate and hydroxychloroquine continue" in line
    assert "perioperative_plan" not in do_now(make_plan(treatments=on_mtx))
    assert "perioperative_plan" not in do_now(make_plan(treatments=on_mtx, surgery={
        "date": "2026-09-01"}))


def test_a_drug_the_patient_stopped_is_discussed_and_not_called_failed() -> None:
    """Methotrexate stopped by the patient 2 months ago: the adherence line, and methotrexate
    is not counted as a failed agent (it may be offered again)."""
    plan = make_plan(months_since_onset=14, treatments=[
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2025-12-01", "stop": "2026-10-01", "reason_stopped": "patient_stopped"}])
    assert "patient_stopped_treatment" in do_now(plan)
    assert plan.state is not None and "methotrexate" not in plan.state.steroid_sparing_failed


def test_a_low_dose_chosen_for_severe_frailty_or_a_short_prognosis_is_not_flagged() -> None:
    # specialist review Z34b: 'review the dose' towards the induction range for a frail woman of 86
    assert "gc_below_induction_adult" in do_now(make_plan(**_on_prednisolone(
        10, weight_kg=70, care_goals={"frailty_scale": 6})))
    assert "gc_below_induction_adult" not in do_now(make_plan(**_on_prednisolone(
        10, weight_kg=70, care_goals={"frailty_scale": 7})))
    assert "gc_below_induction_adult" not in do_now(make_plan(**_on_prednisolone(
        10, weight_kg=70, care_goals={"prognosis": "weeks_to_months"})))
    assert "gc_below_induction_adult" not in do_now(make_plan(**_on_prednisolone(
        10, weight_kg=70, care_goals={"treatment_ceiling": "comfort"})))

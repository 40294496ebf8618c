"""Scenarios from specialist reviews Q and R (December 2026, SYNTHETIC): a recorded PM that
meets the IBM pattern with a failed steroid trial, warfarin with the co-trimoxazole and
rifampicin a plan brings, dialysis, HBV with raised transaminases, calcineurin toxicity."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, make_plan

PM_LIKE_IBM: dict[str, Any] = {
    "id": "SYN-Q7", "label": "SYNTHETIC probable IBM recorded as PM", "sex": "male",
    "today": "2026-12-01", "months_since_onset": 40, "diagnosis": {"subgroup": "pm"},
    "classification": {"age_at_onset": 68, "weakness": {"proximal_lower": True},
                       "elevated_muscle_enzymes": True},
    "ibm_pattern": {"knee_extension_weaker_or_equal_hip_flexion": True,
                    "finger_flexion_weaker_than_shoulder_abduction": True,
                    "weakness_duration_months": 40},
    "labs": {"enzymes": {"ck": {"value": 900, "uln": 200}}},
    "antibodies": {"jo1": {"status": "negative"}, "srp": {"status": "negative"},
                   "hmgcr": {"status": "negative"}, "mi2": {"status": "negative"}},
}
STEROID_FAILED = [{"therapy": "glucocorticoids_oral", "start": "2025-06-01", "dose_value": 15,
                   "dose_unit": "mg/day", "outcome": "ineffective"}]


def test_recorded_pm_with_ibm_pattern_and_failed_steroids_follows_ibm() -> None:
    plan = make_plan(PM_LIKE_IBM, treatments=STEROID_FAILED)
    assert plan.phenotypes == ["ibm"]
    assert "ibm_criteria_met_against_diagnosis" in do_now(plan)
    approach = " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))
    assert "Methotrexate" not in approach and "Azathioprine" not in approach


def test_ibm_pattern_alone_keeps_the_recorded_diagnosis_but_asks_for_review() -> None:
    plan = make_plan(PM_LIKE_IBM)
    assert plan.phenotypes == ["pm"]
    assert "ibm_pattern_against_diagnosis" in do_now(plan)
    assert "ibm_criteria_met_against_diagnosis" not in do_now(plan)


def test_dm_skin_or_antibody_means_no_ibm_conflict() -> None:
    plan = make_plan(PM_LIKE_IBM, treatments=STEROID_FAILED, diagnosis={"subgroup": "asys"},
                     antibodies={"jo1": {"status": "positive"}})
    assert "ibm" not in plan.phenotypes
    assert not {"ibm_criteria_met_against_diagnosis", "ibm_pattern_against_diagnosis"} \
        & set(do_now(plan))


WARFARIN = {"other_medicines": ["warfarin"]}


def caution_texts(plan: Any, therapy: str) -> list[str]:
    option = next(o for o in plan.options if o.therapy == therapy)
    return [c.text for c in option.cautions]


def test_warfarin_is_warned_of_the_co_trimoxazole_induction_brings() -> None:
    plan = make_plan(**WARFARIN)
    # the induction brings prophylaxis now (H355): the warfarin line is a do-now action
    assert any("INR" in t for t in caution_texts(plan, "glucocorticoids_oral")) \
        or "co_trimoxazole_warfarin" in do_now(plan)
    assert not any("INR" in t for t in caution_texts(make_plan(), "glucocorticoids_oral"))


def test_latent_tb_with_warfarin_names_the_rifamycin_interaction() -> None:
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"}}, **WARFARIN)
    assert "latent_tb_with_warfarin" in do_now(plan)
    assert "latent_tb_with_warfarin" not in do_now(
        make_plan(infection_screening={"tb_test": {"result": "positive"}}))


def test_dialysis_withholds_methotrexate_and_drops_hydration_advice() -> None:
    plan = make_plan(comorbidities={"dialysis": True}, lab_results=[])
    assert "kidney_failure" in do_now(plan)
    assert "methotrexate" in {w.therapy for w in plan.withheld}
    eskd = make_plan(lab_results=[{"analyte": "egfr", "value": 6, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    assert "kidney_failure" in do_now(eskd)
    assert "renal_co_trimoxazole_and_contrast" not in do_now(eskd)
    ivig = [o for o in eskd.options if o.therapy == "ivig"]
    for option in ivig:
        assert not any("hydrate" in c.text for c in option.cautions)
        assert any("no pre-hydration" in c.text for c in option.cautions)
    moderate = make_plan(lab_results=[{"analyte": "egfr", "value": 40, "unit": "mL/min/1.73m2",
                                       "date": "2026-11-20"}])
    assert "kidney_failure" not in do_now(moderate)


def test_raised_alt_with_hepatitis_b_is_not_called_muscle() -> None:
    labs = [{"analyte": "alt", "value": 200, "unit": "U/L", "uln": 40, "date": "2026-11-20"},
            {"analyte": "ck", "value": 3000, "unit": "U/L", "uln": 200, "date": "2026-11-20"}]
    hbv = make_plan(lab_results=labs, infection_screening={"hbsag": {"result": "positive"}})
    assert do_now(hbv)["transaminases_raised_with_viral_hepatitis"] == "urgent"
    assert "alt_raised_with_high_ck" not in do_now(hbv)
    clean = make_plan(lab_results=labs)
    assert "alt_raised_with_high_ck" in do_now(clean)
    assert "transaminases_raised_with_viral_hepatitis" not in do_now(clean)


def test_slow_egfr_fall_on_tacrolimus_is_flagged() -> None:
    tac = [{"therapy": "tacrolimus", "start": "2024-09-01", "dose_value": 3,
            "dose_unit": "mg/day"}]
    series = [{"analyte": "egfr", "value": v, "unit": "mL/min/1.73m2", "date": d}
              for v, d in ((98, "2024-09-20"), (85, "2025-09-01"), (68, "2026-11-20"))]
    plan = make_plan(treatments=tac, lab_results=series)
    assert "calcineurin_nephrotoxicity" in do_now(plan)
    assert "calcineurin_nephrotoxicity" not in do_now(make_plan(lab_results=series))
    steady = [{**r, "value": 90} for r in series]
    assert "calcineurin_nephrotoxicity" not in do_now(make_plan(treatments=tac,
                                                                lab_results=steady))
    bp = make_plan(treatments=tac, organs={"new_hypertension": True}, lab_results=steady)
    assert "calcineurin_nephrotoxicity" in do_now(bp)


def test_minimal_skin_activity_on_treatment_adds_no_skin_drug() -> None:
    mtx = [{"therapy": "methotrexate", "start": "2024-08-01", "dose_value": 20,
            "dose_unit": "mg/week"}]
    visits = [{"date": "2026-11-20", "cdasi_activity": 1,
               "core_set": {"physician_global": 0.5, "mmt8": 80, "mmt_max": 80}}]
    plan = make_plan(treatments=mtx, visits=visits, months_since_onset=30)
    assert plan.state is not None and plan.state.of("skin") == "stable"
    active = make_plan(treatments=mtx, months_since_onset=30,
                       visits=[{**visits[0], "cdasi_activity": 9}])
    assert active.state is not None and active.state.of("skin") == "active"


def test_established_osteoporosis_without_treatment_is_treated_now() -> None:
    plan = make_plan(comorbidities={"osteoporosis": True}, prophylaxis={"bone_protection": False})
    assert "osteoporosis_untreated" in do_now(plan)
    covered = make_plan(comorbidities={"osteoporosis": True},
                        prophylaxis={"bone_protection": True})
    assert "osteoporosis_untreated" not in do_now(covered)
    kidney = make_plan(comorbidities={"osteoporosis": True},
                       lab_results=[{"analyte": "egfr", "value": 25, "unit": "mL/min/1.73m2",
                                     "date": "2026-11-20"}])
    assert "osteoporosis_untreated" not in do_now(kidney)
    assert "bone_protection_kidney_failure" in do_now(kidney)


def test_a_man_is_not_told_to_take_a_pregnancy_test() -> None:
    plan = make_plan(sex="male", reproduction={})
    texts = [c.text for o in plan.options for c in (*o.before_starting, *o.monitoring)]
    assert texts and not any("pregnancy test" in t.lower() for t in texts)
    woman = make_plan()
    assert any("pregnancy test" in c.text.lower() for o in woman.options
               for c in (*o.before_starting, *o.monitoring))


def test_child_egfr_from_height_and_creatinine() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from tests.services.careplan.conftest import make_record
    record = make_record(date_of_birth="2017-06-01", height_cm=130, weight_kg=28,
                         classification={"age_at_onset": 9},
                         lab_results=[{"analyte": "creatinine", "value": 40,
                                       "unit": "umol/L", "date": "2026-11-20"}])
    egfr = compute(record, load())["egfr"]
    assert egfr == round(0.413 * 130 / (40 / 88.4), 1)
    plan = make_plan(date_of_birth="2017-06-01", height_cm=130, weight_kg=28,
                     classification={"age_at_onset": 9}, lab_results=[])
    assert not any(c.id == "giop_bone_protection" for c in plan.shared_checks)


ILD_ONLY_ASYS: dict[str, Any] = {
    "id": "SYN-R7", "label": "SYNTHETIC anti-PL-12 ILD-predominant", "sex": "female",
    "today": "2026-12-01", "months_since_onset": 5, "diagnosis": {"subgroup": "asys"},
    "classification": {"age_at_onset": 57, "elevated_muscle_enzymes": False},
    "skin": {"mechanics_hands": True},
    "systemic": {"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
    "antibodies": {"pl12": {"status": "positive"}},
    "lung": {"date": "2026-11-10", "fvc_percent_predicted": 62, "hrct_pattern": "nsip",
             "course": "progressive"},
    "lab_results": [{"analyte": "ck", "value": 150, "unit": "U/L", "uln": 200,
                     "date": "2026-11-10"}],
    "visits": [{"date": "2026-11-15", "core_set": {"physician_global": 5, "mmt8": 79,
                                                   "mmt_max": 80}}],
}


def test_ild_predominant_asys_with_near_full_strength_gets_a_lung_regimen_only() -> None:
    plan = make_plan(ILD_ONLY_ASYS)
    assert plan.state is not None and plan.state.of("muscle") == "not_involved"
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("Oral glucocorticoids")
    assert "Mycophenolate mofetil" in [e.split(" (after the")[0] for e in lung.first_choice]
    weak = make_plan(ILD_ONLY_ASYS, visits=[{"date": "2026-11-15", "core_set": {
        "physician_global": 5, "mmt8": 70, "mmt_max": 80}}])
    assert weak.state is not None and weak.state.of("muscle") != "not_involved"


def test_every_drug_taken_now_is_named_in_the_approach() -> None:
    courses = [{"therapy": "methotrexate", "start": "2024-01-10", "dose_value": 20,
                "dose_unit": "mg/week"},
               {"therapy": "hydroxychloroquine", "start": "2024-01-10", "dose_value": 200,
                "dose_unit": "mg/day"}]
    quiet = {"physician_global": 0.3, "patient_global": 0.5, "extramuscular_global": 0,
             "mmt8": 80, "mmt_max": 80, "haq": 0}
    visits = [{"date": d, "core_set": quiet, "cdasi_activity": 0, "glucocorticoid_mg_per_day": 0,
               "labs": {"enzymes": {"ck": {"value": 100, "uln": 200}}}}
              for d in ("2025-11-20", "2026-05-20", "2026-11-20")]
    plan = make_plan(treatments=courses, visits=visits, months_since_onset=40)
    approach = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Methotrexate" in approach and "Hydroxychloroquine" in approach
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "remission" and "one drug at a time" in muscle.decision_point


def test_man_planning_a_child_after_cyclophosphamide_or_on_mycophenolate() -> None:
    man = {"sex": "male", "reproduction": {"planning_conception": True}}
    cyc = [{"therapy": "cyclophosphamide", "start": "2024-01-01", "stop": "2024-07-01",
            "cumulative_dose_g": 6.3, "outcome": "effective"}]
    plan = make_plan(treatments=cyc, **man)
    assert "past_cyclophosphamide_conception" in do_now(plan)
    assert "past_cyclophosphamide_conception" not in do_now(make_plan(**man))
    mmf = [{"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
            "dose_unit": "g/day"}]
    assert "mycophenolate_paternal_contraception" in do_now(make_plan(treatments=mmf, **man))
    assert "mycophenolate_paternal_contraception" not in do_now(make_plan(treatments=mmf))


def test_mild_dysphagia_does_not_rule_out_oral_bisphosphonates() -> None:
    gc = [{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
           "dose_unit": "mg/day"}]
    mild = make_plan(treatments=gc, organs={"dysphagia": "mild"})
    assert "bone_protection_with_dysphagia" not in do_now(mild)
    severe = make_plan(treatments=gc, organs={"dysphagia": "severe"})
    assert "bone_protection_with_dysphagia" in do_now(severe)


def test_calcinosis_has_its_own_line_in_the_approach() -> None:
    plan = make_plan(organs={"calcinosis_lesions": [{"site": "elbow", "ulcerated": True}]})
    calcinosis = next(r for r in plan.regimens if r.domain == "calcinosis")
    assert calcinosis.first_choice[1].startswith("Sodium thiosulfate")
    assert not any(r.domain == "calcinosis" for r in make_plan().regimens)


def test_unclassified_review_does_not_talk_of_starting_treatment() -> None:
    plan = make_plan(diagnosis={}, antibodies={}, skin={"heliotrope_rash": False,
                                                       "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}})
    assert plan.phenotypes == [] or "unclassified" in plan.diagnosis.followed
    activity = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert "work-up results" in activity.text


def test_glucocorticoids_in_ibm_are_tapered_not_continued() -> None:
    gc = [{"therapy": "glucocorticoids_oral", "start": "2025-06-01", "dose_value": 15,
           "dose_unit": "mg/day", "outcome": "ineffective"}]
    plan = make_plan(PM_LIKE_IBM, treatments=gc, comorbidities={"diabetes": True})
    approach = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Taper Oral glucocorticoids" in approach and "Continue Oral gluco" not in approach
    assert "glucocorticoids_taken_with_diabetes" in do_now(plan)


def test_children_are_not_asked_about_alcohol() -> None:
    child = make_plan(date_of_birth="2017-06-01", weight_kg=28,
                      classification={"age_at_onset": 8})
    texts = [c.text for o in child.options for c in o.cautions]
    assert not any("lcohol" in t for t in texts)


def test_no_hydration_advice_in_kidney_failure() -> None:
    eskd = make_plan(comorbidities={"dialysis": True, "thrombosis_history": True},
                     lab_results=[])
    for option in eskd.options:
        for text in (*(c.text for c in option.cautions),
                     *(c.text for c in (*option.before_starting, *option.monitoring))):
            assert "hydrat" not in text.lower() or "mesna" in text.lower(), text


def test_caution_headlines_never_leave_a_bracket_open() -> None:
    from myositis.services.careplan.regimens import headline
    assert headline("Allopurinol taken (inhibits thiopurine breakdown; reduce the dose)") \
        == "Allopurinol taken"
    assert headline("HBsAg positive: start entecavir") == "HBsAg positive"


def test_unclassified_adult_gets_the_infection_screen_drawn_early() -> None:
    unclassified = make_plan(diagnosis={}, antibodies={}, infection_screening={},
                             skin={"heliotrope_rash": False, "gottron_papules": False},
                             classification={"skin": {"heliotrope_rash": False,
                                                      "gottron_papules": False}})
    assert "screening_before_likely_immunosuppression" in do_now(unclassified)
    assert "screening_before_likely_immunosuppression" not in do_now(make_plan())


def test_baseline_cardiac_test_is_not_asked_years_after_diagnosis() -> None:
    late = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=60, workup_done=[])
    assert "cardiac" not in {w.code for w in late.workup}
    early = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=3, workup_done=[])
    assert "cardiac" in {w.code for w in early.workup}


def test_checkpoint_inhibitor_myositis_regimen_is_steroids_not_azathioprine() -> None:
    severe = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                       cancer={"active_cancer": True}, organs={"cardiac": "suspected"})
    muscle = next(r for r in severe.regimens if r.domain == "muscle")
    joined = " ".join(muscle.first_choice + muscle.alternatives)
    assert muscle.first_choice[0].startswith("Intravenous methylprednisolone")
    assert "Azathioprine" not in joined and "Methotrexate" not in joined
    assert "permanently" in muscle.decision_point
    assert "active_cancer_co_management" not in do_now(severe)
    mild = make_plan(other_medicines=["immune_checkpoint_inhibitor"])
    muscle = next(r for r in mild.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Oral glucocorticoids")


def test_potassium_six_or_more_is_urgent() -> None:
    tac = [{"therapy": "tacrolimus", "start": "2026-06-01", "dose_value": 4,
            "dose_unit": "mg/day"}]
    plan = make_plan(treatments=tac, lab_results=[{"analyte": "potassium", "value": 6.1,
                                                   "unit": "mmol/L", "date": "2026-11-28"}])
    assert do_now(plan)["hyperkalaemia_severe"] == "urgent"
    assert "calcineurin_hyperkalaemia" not in do_now(plan)


def test_older_adult_without_immunosuppression_gets_a_vaccine_review() -> None:
    ibm = make_plan(PM_LIKE_IBM, diagnosis={"subgroup": "ibm"}, date_of_birth="1950-01-01",
                    treatments=[])
    assert "vaccination_review" in do_now(ibm) and "zoster_vaccination_review" in do_now(ibm)


def test_high_cancer_risk_in_the_window_cautions_jak_inhibitors() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.engine import build_care_plan
    from tests.services.careplan.conftest import make_record
    kb = load()
    failed = [{"therapy": "methotrexate", "start": "2025-01-01", "stop": "2025-09-01",
               "outcome": "ineffective"},
              {"therapy": "mycophenolate", "start": "2025-09-01", "stop": "2026-06-01",
               "outcome": "ineffective"}]

    def jak_cautioned(months: int) -> bool:
        record = make_record(antibodies={"tif1g": {"status": "positive"}},
                             classification={"age_at_onset": 55}, months_since_onset=months,
                             skin_refractory=True, treatments=failed)
        jak = [o for o in build_care_plan(record, kb).options
               if kb.therapies[o.therapy].category == "jak_inhibitor"]
        assert jak
        return all(any(c.condition == "jak_inhibitor_age_or_risk" for c in o.cautions)
                   for o in jak)

    assert jak_cautioned(12)
    assert not jak_cautioned(48)


def test_stable_lung_on_treatment_lists_no_new_agents() -> None:
    tac = [{"therapy": "tacrolimus", "start": "2024-06-01", "dose_value": 3,
            "dose_unit": "mg/day"}]
    plan = make_plan(ILD_ONLY_ASYS, treatments=tac,
                     lung={"date": "2026-11-10", "fvc_percent_predicted": 80,
                           "hrct_pattern": "nsip", "course": "stable"})
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.state == "stable" and lung.alternatives == []
    assert any(e.startswith("Continue Tacrolimus") for e in lung.first_choice)


def test_pregnant_patient_is_warned_about_co_trimoxazole() -> None:
    gc = [{"therapy": "glucocorticoids_oral", "start": "2026-10-20", "dose_value": 40,
           "dose_unit": "mg/day"}]
    plan = make_plan(treatments=gc, reproduction={"pregnant": True, "gestation_weeks": 20})
    assert "pjp_prophylaxis_due_glucocorticoid_dose" in do_now(plan)
    # one line since review N (co_trimoxazole_in_pregnancy gives way to it)
    assert "co_trimoxazole_pregnancy" in do_now(plan)
    assert "co_trimoxazole_pregnancy" not in do_now(make_plan(treatments=gc))


def test_antibody_negative_necrotising_myopathy_asks_to_exclude_a_dystrophy() -> None:
    seroneg = make_plan(diagnosis={"subgroup": "imnm"},
                        antibodies={"srp": {"status": "negative"},
                                    "hmgcr": {"status": "negative"}})
    assert "antibody_negative_necrotising_myopathy" in do_now(seroneg)
    srp = make_plan(diagnosis={"subgroup": "imnm"},
                    antibodies={"srp": {"status": "positive"},
                                "hmgcr": {"status": "negative"}})
    assert "antibody_negative_necrotising_myopathy" not in do_now(srp)


def test_anti_mda5_in_low_dose_remission_is_not_sent_for_pjp_prophylaxis() -> None:
    tac = [{"therapy": "tacrolimus", "start": "2024-06-01", "dose_value": 3,
            "dose_unit": "mg/day"},
           {"therapy": "glucocorticoids_oral", "start": "2024-06-01", "dose_value": 5,
            "dose_unit": "mg/day"}]
    stable = {"date": "2026-11-10", "fvc_percent_predicted": 85, "hrct_pattern": "nsip",
              "course": "stable"}
    remission = make_plan(antibodies={"mda5": {"status": "positive"}}, treatments=tac,
                          lung=stable, systemic={"interstitial_lung_disease": True})
    assert "pjp_prophylaxis_mda5" not in do_now(remission)
    new = make_plan(antibodies={"mda5": {"status": "positive"}},
                    systemic={"interstitial_lung_disease": True})
    assert "pjp_prophylaxis_mda5" in do_now(new)


def test_digital_ulcers_in_scleroderma_overlap_get_vasodilators() -> None:
    plan = make_plan(antibodies={"pmscl": {"status": "positive"}},
                     skin={"cutaneous_ulceration": True})
    assert "scleroderma_overlap_digital_ulcers" in do_now(plan)
    assert "scleroderma_overlap_digital_ulcers" not in do_now(
        make_plan(skin={"cutaneous_ulceration": True}))


def test_flare_after_stopping_an_effective_drug_restarts_it_and_not_a_failed_one() -> None:
    history = [{"therapy": "methotrexate", "start": "2023-03-10", "stop": "2026-06-30",
                "dose_value": 20, "dose_unit": "mg/week", "outcome": "effective",
                "reason_stopped": "remission", "response": "complete"},
               {"therapy": "hydroxychloroquine", "start": "2023-05-01", "stop": "2024-01-10",
                "outcome": "ineffective", "reason_stopped": "inefficacy"}]
    visits = [{"date": "2026-04-15", "core_set": {"physician_global": 0.5, "patient_global": 1,
                                                  "extramuscular_global": 0.5, "mmt8": 80,
                                                  "mmt_max": 80, "haq": 0},
               "cdasi_activity": 0},
              {"date": "2026-11-30", "core_set": {"physician_global": 6, "patient_global": 6,
                                                  "extramuscular_global": 4.5, "mmt8": 64,
                                                  "mmt_max": 80, "haq": 1},
               "cdasi_activity": 18}]
    plan = make_plan(treatments=history, visits=visits, months_since_onset=45)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Methotrexate") for e in muscle.first_choice)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(e.startswith("Hydroxychloroquine") for e in skin.first_choice)


def test_arthritis_in_antisynthetase_syndrome_is_addressed() -> None:
    joints_only = {k: v for k, v in ILD_ONLY_ASYS.items() if k != "lung"}
    plan = make_plan(joints_only, systemic={"interstitial_lung_disease": False,
                                            "arthritis": True})
    assert "antisynthetase_arthritis" in do_now(plan)
    with_ild = make_plan(ILD_ONLY_ASYS, systemic={"interstitial_lung_disease": True,
                                                  "arthritis": True})
    assert "antisynthetase_arthritis" not in do_now(with_ild)


def test_postmenopausal_bleeding_text_only_for_women_and_seronegative_imnm_is_provisional() -> None:
    man = make_plan(sex="male", reproduction={}, cancer={"red_flags": ["weight_loss"]})
    assert all("postmenopausal" not in a.text for a in man.do_now)
    woman = make_plan(date_of_birth="1960-01-01", cancer={"red_flags": ["postmenopausal_bleeding"]})
    assert do_now(woman)["postmenopausal_bleeding"] == "urgent"
    seroneg = make_plan(diagnosis={"subgroup": "imnm"},
                        antibodies={"srp": {"status": "negative"},
                                    "hmgcr": {"status": "negative"}})
    assert next(r for r in seroneg.regimens if r.domain == "muscle").provisional


def test_monitoring_table_agrees_with_the_high_trough_recheck() -> None:
    tac = [{"therapy": "tacrolimus", "start": "2026-06-01", "dose_value": 4,
            "dose_unit": "mg/day"}]
    plan = make_plan(treatments=tac, lab_results=[
        {"analyte": "tacrolimus_trough", "value": 17, "unit": "ng/mL", "date": "2026-11-28"}])
    row = next(m for m in plan.monitoring if m.therapy.startswith("Tacrolimus"))
    # above 15 the toxicity line withholds it and asks for bloods within 24-72 hours (review B)
    assert row.next_due.startswith("by 2026-12-04")
    high = make_plan(treatments=tac, lab_results=[
        {"analyte": "tacrolimus_trough", "value": 13, "unit": "ng/mL", "date": "2026-11-28"}])
    row = next(m for m in high.monitoring if m.therapy.startswith("Tacrolimus"))
    assert row.next_due.startswith("by 2026-12-05")


def test_rituximab_carries_vaccine_timing_and_ivig_igg_caveat() -> None:
    refractory = [{"therapy": "methotrexate", "start": "2025-01-01", "stop": "2025-09-01",
                   "outcome": "ineffective"},
                  {"therapy": "azathioprine", "start": "2025-09-01", "stop": "2026-06-01",
                   "outcome": "ineffective"},
                  {"therapy": "ivig", "start": "2026-06-01", "dose_value": 2,
                   "dose_unit": "g/kg"}]
    plan = make_plan(treatments=refractory, months_since_onset=30)
    rtx = next((o for o in plan.options if o.therapy == "rituximab"), None)
    assert rtx is not None
    conditions = {c.condition for c in rtx.cautions}
    assert {"vaccines_before_rituximab", "igg_on_ivig_before_rituximab"} <= conditions


def test_woman_planning_pregnancy_after_cyclophosphamide_gets_fertility_advice() -> None:
    cyc = [{"therapy": "cyclophosphamide", "start": "2024-01-01", "stop": "2024-07-01",
            "outcome": "effective"}]
    plan = make_plan(treatments=cyc, reproduction={"planning_conception": True,
                                                   "pregnant": False})
    assert "past_cyclophosphamide_conception" in do_now(plan)
    assert "AMH" in next(a.text for a in plan.do_now
                         if a.code == "past_cyclophosphamide_conception")


def test_children_are_not_routinely_sent_for_hiv_and_hcv_tests() -> None:
    child = make_plan(date_of_birth="2020-03-01", weight_kg=20,
                      classification={"age_at_onset": 6}, infection_screening={})
    assert not {"hiv_status_before_immunosuppression",
                "hcv_status_before_immunosuppression"} & set(do_now(child))
    adult = make_plan(infection_screening={})
    assert "hiv_status_before_immunosuppression" in do_now(adult)


def test_dated_ck_reaches_the_ibm_criteria_and_no_response_counts_as_steroid_failure() -> None:
    no_response = [{"therapy": "glucocorticoids_oral", "start": "2026-08-01", "dose_value": 30,
                    "dose_unit": "mg/day", "response": "none"}]
    base = {k: v for k, v in PM_LIKE_IBM.items() if k != "labs"}
    plan = make_plan(base, treatments=no_response, lab_results=[
        {"analyte": "ck", "value": 900, "unit": "U/L", "uln": 200, "date": "2026-11-20"}])
    assert plan.phenotypes == ["ibm"]
    ibm = next(c for c in plan.diagnosis.criteria if "IBM" in c.criteria)
    assert "ck_x_uln" not in " ".join(ibm.missing)


def test_dialysis_monitoring_row_has_no_hydration_advice() -> None:
    ivig = [{"therapy": "ivig", "start": "2026-09-01", "dose_value": 2, "dose_unit": "g/kg"}]
    plan = make_plan(treatments=ivig, comorbidities={"dialysis": True}, lab_results=[])
    row = next(m for m in plan.monitoring if m.therapy.startswith("Intravenous immunoglobulin"))
    assert "hydrat" not in row.text.lower()


def test_creatinine_estimated_kidney_failure_also_drops_hydration_from_monitoring() -> None:
    ivig = [{"therapy": "ivig", "start": "2026-09-01", "dose_value": 2, "dose_unit": "g/kg"}]
    plan = make_plan(treatments=ivig, lab_results=[
        {"analyte": "creatinine", "value": 700, "unit": "umol/L", "date": "2026-11-20"}])
    row = next(m for m in plan.monitoring if m.therapy.startswith("Intravenous immunoglobulin"))
    assert "hydrat" not in row.text.lower()

"""Scenarios from specialist review S (December 2026, SYNTHETIC): fifteen new patients, adult
clinic situations, safety-heavy cases, rare subgroups and children."""

from __future__ import annotations

from typing import Any

from myositis.domain.record import PatientRecord
from myositis.services.careplan.lab_trends import lung_function_decline
from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, make_record, merge

ASYS_ILD: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-S-ASYS", "label": "SYNTHETIC anti-PL-7 antisynthetase syndrome with ILD",
    "antibodies": {"pl7": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "treatments": [{"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
                    "start": "2025-06-01", "outcome": "ongoing"}],
})


def _lung(date: str, fvc: float | None, dlco: float | None = None, **more: Any) -> dict[str, Any]:
    return {"date": date, "fvc_percent_predicted": fvc, "dlco_percent_predicted": dlco, **more}


def test_a_dated_lung_series_shows_the_ppf_decline() -> None:
    record = make_record(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60),
                                                  _lung("2026-05-20", 75, 58)],
                         lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip"))
    decline = lung_function_decline(record)
    assert decline == "FVC 78 -> 72 % predicted (2025-11-20 to 2026-11-25)"
    # 4 points of FVC and 5 of DLCO: below both thresholds
    assert lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2025-12-01", 76, 60), _lung("2026-11-25", 72, 55)])) is False
    # DLCO alone: 10 points within the year
    assert str(lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2026-01-10", None, 62), _lung("2026-11-25", None, 52)]))).startswith("DLCO 62")
    # more than a year (and a month) apart: the series cannot tell
    assert lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2025-09-01", 90), _lung("2026-11-25", 70)])) is None
    assert lung_function_decline(make_record(ASYS_ILD)) is None  # nothing dated


def test_a_lung_recorded_stable_while_fvc_falls_is_reviewed_now() -> None:
    plan = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60)],
                     lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip", course="stable"))
    assert do_now(plan).get("lung_function_declining") in ("urgent", "soon")
    item = next(a for a in plan.do_now if a.code == "lung_function_declining")
    assert "respiratory-muscle weakness" in item.text
    assert "raghu2022_ats_ers_ipf_ppf" in item.citations
    assert any("lung function fell: FVC 78 -> 72" in p for p in plan.inputs_used)
    steady = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 74, 56)],
                       lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip", course="stable"))
    assert "lung_function_declining" not in do_now(steady)
    # already recorded as progressing: the progression rule speaks instead, once
    progressing = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60)],
                            lung=_lung("2026-11-25", 72, 55, course="progressive"))
    assert "lung_function_declining" not in do_now(progressing)
    assert "progressive_pulmonary_fibrosis" in do_now(progressing)


def test_the_lung_summary_repeating_a_series_entry_counts_once() -> None:
    entry = _lung("2026-11-25", 72, 55)
    record = PatientRecord.model_validate(merge(ASYS_ILD, {"lung": entry,
                                                           "lung_measures": [entry]}))
    assert len(record.lung_series()) == 1


def _skin_worse_visits(alt: float) -> list[dict[str, Any]]:
    return [
        {"date": "2026-03-02", "glucocorticoid_mg_per_day": 10, "cdasi_activity": 12,
         "core_set": {"physician_global": 2, "patient_global": 3, "extramuscular_global": 3,
                      "mmt8": 78, "haq": 0.375},
         "labs": {"enzymes": {"ck": {"value": 140, "uln": 200},
                              "alt": {"value": 31, "uln": 35}}}},
        {"date": "2026-12-01", "glucocorticoid_mg_per_day": 7.5, "cdasi_activity": 18,
         "core_set": {"physician_global": 3, "patient_global": 6, "extramuscular_global": 4.5,
                      "mmt8": 80, "haq": 0.25},
         "labs": {"enzymes": {"ck": {"value": 96, "uln": 200},
                              "alt": {"value": alt, "uln": 35}}}}]


SKIN_WORSE: dict[str, Any] = {
    "treatments": [{"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                    "start": "2025-06-20", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "dose_value": 7.5, "dose_unit": "mg/day",
                    "start": "2025-06-10", "outcome": "ongoing"}]}


def test_worse_globals_and_a_liver_alt_with_the_muscle_quiet_are_not_a_muscle_flare() -> None:
    plan = make_plan(visits=_skin_worse_visits(alt=88), **SKIN_WORSE)
    assert plan.state is not None
    assert plan.state.of("muscle") == "stable"  # MMT-8 80/80, CK normal
    assert "flare" not in do_now(plan)
    flag = next(f for f in plan.flags if f.code == "worse_muscle_quiet")
    assert flag.urgency == "soon"
    assert "not by itself a reason to raise glucocorticoids" in flag.text
    skin = next(d for d in plan.state.domains if d.domain == "skin")
    assert any("not a muscle flare" in b for b in skin.basis)


def test_a_real_muscle_flare_is_still_urgent() -> None:
    visits = _skin_worse_visits(alt=40)
    visits[1]["core_set"]["mmt8"] = 70
    visits[1]["labs"]["enzymes"]["ck"]["value"] = 900
    plan = make_plan(visits=visits, **SKIN_WORSE)
    assert plan.state is not None and plan.state.of("muscle") == "flare"
    assert do_now(plan).get("flare") == "urgent"


def test_an_extramuscular_rise_alone_asks_for_the_organ_not_a_flare_regimen() -> None:
    visits = [
        {"date": "2026-10-15", "glucocorticoid_mg_per_day": 30,
         "core_set": {"physician_global": 4, "patient_global": 4, "extramuscular_global": 2,
                      "mmt8": 66, "haq": 1.0},
         "labs": {"enzymes": {"ck": {"value": 900, "uln": 200}}}},
        {"date": "2026-12-01", "glucocorticoid_mg_per_day": 30,
         "core_set": {"physician_global": 4, "patient_global": 4, "extramuscular_global": 5,
                      "mmt8": 70, "haq": 1.0},
         "labs": {"enzymes": {"ck": {"value": 500, "uln": 200}}}}]
    plan = make_plan(visits=visits, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-10-01", "outcome": "ongoing"}])
    assert "flare" not in do_now(plan)
    assert "B: extramuscular global" in next(
        f for f in plan.flags if f.code == "worse_muscle_quiet").text


HCQ_7_YEARS: dict[str, Any] = {
    "weight_kg": 52,
    "treatments": [{"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
                    "start": "2019-09-01", "outcome": "ongoing"}]}


def _hcq_items(plan: Any) -> tuple[dict[str, str], str]:
    item = next(m for m in plan.monitoring if m.therapy == "Hydroxychloroquine")
    return do_now(plan), item.next_due


def test_a_proctoscopy_is_not_a_retinal_examination() -> None:
    procto = make_plan(**HCQ_7_YEARS, cancer={"screening_done": [
        {"test": "rigid proctoscopy", "date": "2026-10-01", "result": "normal"},
        {"test": "OCT retina", "date": "2023-11-08", "result": "normal"}]})
    actions, due = _hcq_items(procto)
    assert "hydroxychloroquine_retinal_screening_due" in actions
    assert due == "overdue since 2024-11-06 (retinal examination)"
    screened = make_plan(**HCQ_7_YEARS, cancer={"screening_done": [
        {"test": "OCT and fundus autofluorescence", "date": "2026-06-01", "result": "normal"}]})
    actions, due = _hcq_items(screened)
    assert "hydroxychloroquine_retinal_screening_due" not in actions
    assert due == "by 2027-05-31 (retinal examination)"


def test_the_hydroxychloroquine_reduction_names_the_ceiling() -> None:
    plan = make_plan(**HCQ_7_YEARS)
    item = next(a for a in plan.do_now if a.code == "hydroxychloroquine_dose_above_5mg_kg")
    assert "reduce to 260 mg/day or less" in item.text


def test_a_new_low_dose_course_asks_for_a_baseline_examination() -> None:
    plan = make_plan(weight_kg=80, treatments=[
        {"therapy": "hydroxychloroquine", "dose_value": 300, "dose_unit": "mg/day",
         "start": "2026-09-01", "outcome": "ongoing"}])
    assert _hcq_items(plan)[1] == "baseline retinal examination within the first year of treatment"


AZA_LONG: dict[str, Any] = {
    "months_since_onset": 30,
    "treatments": [{"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
                    "start": "2024-10-01", "outcome": "ongoing"}]}


def _lab(analyte: str, value: float, unit: str, date: str = "2026-11-25") -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "date": date}


def test_low_igg_with_infections_on_azathioprine_goes_to_immunology_now() -> None:
    plan = make_plan(**AZA_LONG, comorbidities={"recurrent_infections": True},
                     lab_results=[_lab("igg", 4.1, "g/L"), _lab("lymphocytes", 0.4, "10^9/L")])
    actions = do_now(plan)
    assert actions.get("low_igg_with_infections_on_immunosuppression") == "urgent"
    assert "low_igg_on_immunosuppression" not in actions  # the urgent line says it
    assert actions.get("pjp_with_lymphopenia_on_immunosuppression") == "soon"
    text = next(a.text for a in plan.do_now
                if a.code == "low_igg_with_infections_on_immunosuppression")
    assert "IgG 4.1 g/L" in text and "clinical immunology" in text
    quiet = make_plan(**AZA_LONG, lab_results=[_lab("igg", 4.8, "g/L")])
    assert do_now(quiet).get("low_igg_on_immunosuppression") == "soon"
    normal = make_plan(**AZA_LONG, lab_results=[_lab("igg", 8.0, "g/L"),
                                                _lab("lymphocytes", 1.2, "10^9/L")])
    assert not {"low_igg_on_immunosuppression",
                "pjp_with_lymphopenia_on_immunosuppression"} & set(do_now(normal))


MDA5_TRIPLE: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"mda5": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "lung": {"date": "2026-11-20", "fvc_percent_predicted": 80, "hrct_pattern": "nsip",
             "course": "stable"},
    "months_since_onset": 8,
    "treatments": [
        {"therapy": "tofacitinib", "dose_value": 10, "dose_unit": "mg/day", "start": "2026-06-01",
         "outcome": "ongoing"},
        {"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day", "start": "2026-06-01",
         "outcome": "ongoing"},
        {"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
         "start": "2026-04-01", "outcome": "ongoing"}]})


def test_latent_tb_found_on_treatment_is_urgent_and_not_pre_treatment_advice() -> None:
    plan = make_plan(MDA5_TRIPLE, infection_screening={"tb_test": {"result": "positive"}},
                     lab_results=[_lab("lymphocytes", 0.55, "10^9/L")])
    actions = do_now(plan)
    assert actions.get("latent_tb_untreated_on_immunosuppression") == "urgent"
    assert "latent_tb_treat_first" not in actions
    assert not any(a.text.startswith("Taken now") and "Latent TB" in a.text
                   for a in plan.do_now)
    text = next(a.text for a in plan.do_now
                if a.code == "latent_tb_untreated_on_immunosuppression")
    assert "tofacitinib" in text and "methotrexate" not in text
    # before any treatment the pre-treatment advice stands
    fresh = make_plan(infection_screening={"tb_test": {"result": "positive"}})
    assert "latent_tb_treat_first" in do_now(fresh)
    assert "latent_tb_untreated_on_immunosuppression" not in do_now(fresh)


def test_anti_mda5_on_combination_therapy_gets_cmv_pcr_and_label_lymphocyte_limits() -> None:
    plan = make_plan(MDA5_TRIPLE, lab_results=[_lab("lymphocytes", 0.55, "10^9/L")])
    actions = do_now(plan)
    assert actions.get("cmv_monitoring_anti_mda5_combination") == "soon"
    assert any("Taken now (Tofacitinib): Lymphocytes 0.55" in a.text for a in plan.do_now)
    tested = make_plan(MDA5_TRIPLE, infection_screening={
        "cmv_pcr": {"result": "negative", "date": "2026-11-20"}})
    assert "cmv_monitoring_anti_mda5_combination" not in do_now(tested)


ADM_SKIN: dict[str, Any] = merge(ADULT_DM, {
    "diagnosis": {"subgroup": "adm"},
    "classification": {"weakness": {"proximal_upper": False, "proximal_lower": False},
                       "elevated_muscle_enzymes": False},
    "antibodies": {"sae": {"status": "positive"}},
    "labs": {"enzymes": {"ck": {"value": 100, "uln": 200}}},
    "visits": [{"date": "2026-09-15", "cdasi_activity": 31,
                "core_set": {"physician_global": 5, "mmt8": 80}},
               {"date": "2026-12-01", "cdasi_activity": 36,
                "core_set": {"physician_global": 6, "mmt8": 80}}],
    "treatments": [
        {"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
         "start": "2026-06-15", "stop": "2026-07-10", "outcome": "not_tolerated",
         "reason_stopped": "adverse_event"},
        {"therapy": "topical_corticosteroids", "start": "2026-06-05", "outcome": "ongoing"}]})


def test_active_skin_after_an_antimalarial_gets_methotrexate_and_the_reaction_is_named() -> None:
    plan = make_plan(ADM_SKIN)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert any(c.startswith("Methotrexate") for c in skin.first_choice)
    hcq = next(o for o in plan.options if o.therapy == "hydroxychloroquine")
    assert hcq.cautions[0].condition == "previously_not_tolerated"
    assert "drug eruption" in hcq.cautions[0].text
    assert hcq.cautions[0].citations
    # new skin disease still starts with the antimalarial
    fresh = make_plan(merge(ADM_SKIN, {"treatments": []}))
    assert next(r for r in fresh.regimens if r.domain == "skin").first_choice[0] \
        == "Hydroxychloroquine"


SEVERE_JDM: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-S-JDM", "label": "SYNTHETIC severe juvenile DM", "sex": "male",
    "classification": {"age_at_onset": 9}, "months_since_onset": 2, "weight_kg": 28,
    "diagnosis": {"subgroup": "jdm"},
    "skin": {"cutaneous_ulceration": True},
    "organs": {"dysphagia": "mild"},
    "visits": [{"date": "2026-11-20", "core_set": {"physician_global": 6, "cmas": 28},
                "labs": {"enzymes": {"ck": {"value": 1400, "uln": 200}}}}],
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-11-10", "dose_value": 30,
                    "dose_unit": "mg/day"}]})


def test_severe_jdm_is_urgent_with_a_review_within_two_weeks() -> None:
    plan = make_plan(SEVERE_JDM)
    assert do_now(plan).get("severe_jdm_active") == "urgent"
    review = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert review.next_due == "by 2026-12-04"  # the visit of 2026-11-20 plus 2 weeks
    mild = make_plan(merge(SEVERE_JDM, {"skin": {"cutaneous_ulceration": False},
                                        "organs": {"dysphagia": "none"}}))
    assert "severe_jdm_active" not in do_now(mild)


def test_a_teratogen_found_in_pregnancy_asks_for_fetal_medicine_not_a_washout() -> None:
    plan = make_plan(sex="female", reproduction={"pregnant": True, "gestation_weeks": 10},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2025-10-01",
                                  "outcome": "ongoing"}])
    text = next(a.text for a in plan.do_now if a.code == "pregnancy_teratogen_taken_now")
    assert "detailed anomaly scan" in text
    everything = " ".join([a.text for a in plan.do_now] + [w.reason for w in plan.withheld])
    assert "future pregnancy" not in everything
    assert not any(a.text.startswith("Taken now (Mycophenolate") for a in plan.do_now)


def test_bone_protection_on_dialysis_goes_through_the_renal_team() -> None:
    plan = make_plan(comorbidities={"dialysis": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 20,
         "dose_unit": "mg/day", "outcome": "ongoing"}])
    actions = do_now(plan)
    assert actions.get("bone_protection_kidney_failure") == "soon"
    assert not {"bone_protection_start", "bone_protection_due"} & set(actions)
    gc = next(o for o in plan.options if o.therapy == "glucocorticoids_oral")
    assert not any(c.condition == "bone_with_glucocorticoid_option" for c in gc.cautions)


def test_methotrexate_ceiling_is_halved_at_egfr_30_to_59() -> None:
    plan = make_plan(classification={"age_at_onset": 71}, lab_results=[
        _lab("egfr", 38, "mL/min/1.73m2")])
    line = next(d.text for d in plan.doses if d.therapy == "methotrexate")
    assert "at most 12.5 mg/week here" in line and "up to 12.5 mg/week" in line
    normal = make_plan(lab_results=[_lab("egfr", 85, "mL/min/1.73m2")])
    assert "up to 25 mg/week" in next(d.text for d in normal.doses if d.therapy == "methotrexate")


def test_ivig_cut_below_the_standard_dose_during_a_relapse_is_restored_first() -> None:
    visits = [
        {"date": "2026-06-01", "core_set": {"physician_global": 2, "mmt8": 76, "haq": 0.5},
         "labs": {"enzymes": {"ck": {"value": 900, "uln": 200}}}},
        {"date": "2026-12-01", "core_set": {"physician_global": 5, "mmt8": 66, "haq": 1.0},
         "labs": {"enzymes": {"ck": {"value": 4200, "uln": 200}}}}]
    ivig = {"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg", "start": "2023-12-01",
            "outcome": "ongoing"}
    plan = make_plan(visits=visits, antibodies={"hmgcr": {"status": "positive"}},
                     treatments=[ivig])
    assert do_now(plan).get("ivig_below_standard_dose_while_active") == "soon"
    full = make_plan(visits=visits, antibodies={"hmgcr": {"status": "positive"}},
                     treatments=[dict(ivig, dose_value=2)])
    assert "ivig_below_standard_dose_while_active" not in do_now(full)


def test_a_drug_the_plan_stops_keeps_its_checks_until_it_is_stopped() -> None:
    plan = make_plan(sex="female", reproduction={"pregnant": True, "gestation_weeks": 10},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2025-10-01",
                                  "outcome": "ongoing"}])
    item = next(m for m in plan.monitoring if m.therapy == "Mycophenolate mofetil")
    assert item.text.startswith("Held or being stopped: these checks go on until the team decides")


def test_a_girl_on_methotrexate_without_contraception_gets_the_full_advice() -> None:
    girl = merge(ADULT_DM, {"classification": {"age_at_onset": 11}, "months_since_onset": 48,
                            "diagnosis": {"subgroup": "jdm"},
                            "treatments": [{"therapy": "methotrexate", "dose_value": 15,
                                            "dose_unit": "mg/week", "start": "2023-01-01",
                                            "outcome": "ongoing"}]})
    plan = make_plan(girl, reproduction={"effective_contraception": False})
    actions = do_now(plan)
    assert actions.get("teratogen_adolescent_no_contraception") == "soon"
    assert "teratogen_adolescent_counselling" not in actions
    assert "emergency contraception" in next(
        a.text for a in plan.do_now if a.code == "teratogen_adolescent_no_contraception")
    unknown = make_plan(girl)
    assert "teratogen_adolescent_counselling" in do_now(unknown)


def test_a_joint_flare_with_the_muscle_nearly_normal_is_not_a_muscle_flare() -> None:
    visits = [
        {"date": "2026-06-01", "glucocorticoid_mg_per_day": 5,
         "core_set": {"physician_global": 1.5, "patient_global": 2, "extramuscular_global": 1,
                      "mmt8": 78, "haq": 0.25},
         "labs": {"enzymes": {"ck": {"value": 180, "uln": 200}}}},
        {"date": "2026-12-01", "glucocorticoid_mg_per_day": 5,
         "core_set": {"physician_global": 4, "patient_global": 5, "extramuscular_global": 4,
                      "mmt8": 78, "haq": 0.75},
         "labs": {"enzymes": {"ck": {"value": 240, "uln": 200}}}}]  # CK +33 %, 1.2 x ULN
    plan = make_plan(visits=visits, treatments=[
        {"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
         "start": "2024-06-01", "outcome": "ongoing"}])
    assert plan.state is not None and plan.state.of("muscle") != "flare"
    assert "flare" not in do_now(plan)
    assert any(f.code == "worse_muscle_quiet" for f in plan.flags)


def test_weaker_before_any_treatment_is_urgent_and_a_new_diagnosis_is_seen_within_6_weeks() -> None:
    visits = [
        {"date": "2026-10-20", "core_set": {"physician_global": 5, "mmt8": 58, "haq": 1.25},
         "labs": {"enzymes": {"ck": {"value": 4200, "uln": 200}}}},
        {"date": "2026-11-25", "core_set": {"physician_global": 5.5, "mmt8": 52, "haq": 1.5},
         "labs": {"enzymes": {"ck": {"value": 5000, "uln": 200}}}}]
    plan = make_plan(visits=visits, treatments=[])
    flag = next(f for f in plan.flags if f.code == "worse_before_treatment")
    assert flag.urgency == "urgent"
    screen = next(a for a in plan.do_now if a.code == "cancer_screening_due")
    assert "stabilised" not in screen.text  # the screen runs beside starting treatment
    steady = make_plan(months_since_onset=2, visits=[
        {"date": "2026-11-25", "glucocorticoid_mg_per_day": 20,
         "core_set": {"physician_global": 1, "mmt8": 80},
         "labs": {"enzymes": {"ck": {"value": 150, "uln": 200}}}}],
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2026-11-25", "outcome": "ongoing"}])
    review = next(m for m in steady.monitoring if m.therapy == "Disease activity")
    assert review.next_due <= "by 2027-01-06"


def test_an_abnormal_hrct_without_ild_is_not_ild() -> None:
    plan = make_plan(lung={"date": "2026-11-20", "hrct_pattern": "not_ild"})
    assert plan.state is not None and plan.state.of("lung") == "not_involved"
    other = make_plan(lung={"date": "2026-11-20", "hrct_pattern": "other"})
    assert other.state is not None and other.state.of("lung") != "not_involved"


def test_hydroxychloroquine_is_withheld_with_suspected_myocarditis() -> None:
    plan = make_plan(organs={"cardiac": "suspected"})
    held = next(w for w in plan.withheld if w.therapy == "hydroxychloroquine")
    assert "QT" in held.reason and "myasthenia" in held.reason
    assert not any(o.therapy == "hydroxychloroquine" for o in plan.options)


def test_no_conventional_agent_is_added_for_the_skin_while_the_lung_regimen_escalates() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     lung={"date": "2026-11-25", "hrct_pattern": "nsip_op", "oxygen": "at_rest"})
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(c.startswith("Methotrexate") for c in skin.first_choice)


def test_breathlessness_in_pregnancy_excludes_pulmonary_embolism_first() -> None:
    plan = make_plan(sex="female", reproduction={"pregnant": True, "gestation_weeks": 28},
                     systemic={"dyspnoea_or_cough": True})
    # one same-day line since specialist review Z52d P3 (the fuller one covers the other)
    assert do_now(plan).get("breathless_in_pregnancy_or_postpartum") == "urgent"
    assert "pulmonary embolism" in next(a.text for a in plan.do_now
                                        if a.code == "breathless_in_pregnancy_or_postpartum")
    assert "breathless_in_pregnancy_or_postpartum" not in do_now(
        make_plan(sex="female", reproduction={"pregnant": True, "gestation_weeks": 28}))


def test_methotrexate_with_alcohol_and_a_liver_alt_is_reviewed_not_continued() -> None:
    mtx = [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
            "start": "2026-06-01", "outcome": "ongoing"}]
    labs = {"enzymes": {"ck": {"value": 150, "uln": 200}, "alt": {"value": 63, "uln": 35}}}
    visits = [{"date": "2026-11-25", "core_set": {"physician_global": 1, "mmt8": 80},
               "labs": labs}]
    alt = [{"analyte": "alt", "value": 63, "unit": "U/L", "uln": 35, "date": "2026-11-25"}]
    plan = make_plan(treatments=mtx, visits=visits, labs=labs, lab_results=alt,
                     comorbidities={"alcohol_excess": True})
    # reviewed below 2 x ULN (held from 2 x ULN: specialist review Z18d P3 and its re-score)
    said = [c for r in plan.regimens for c in r.first_choice]
    assert any(c.startswith("Review Methotrexate now") for c in said)
    assert not any(c.startswith("Continue Methotrexate") for c in said)
    sober = make_plan(treatments=mtx, visits=visits, labs=labs, lab_results=alt,
                      comorbidities={"alcohol_excess": False})
    assert not any(c.startswith("Review Methotrexate") for r in sober.regimens
                   for c in r.first_choice)


def test_a_drug_being_stopped_is_checked_within_a_week() -> None:
    plan = make_plan(sex="female", reproduction={"pregnant": True, "gestation_weeks": 10},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2025-10-01",
                                  "outcome": "ongoing"}])
    item = next(m for m in plan.monitoring if m.therapy == "Mycophenolate mofetil")
    assert item.next_due == "by 2026-12-08 (held or being stopped)"

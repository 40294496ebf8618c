"""Specialist review N (December 2026): a pregnancy, postpartum and fertility clinic (N1) and an
onco-rheumatology and drug-induced myositis service (N2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan, merge

ACTIVE_JDM_AT_17: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N1-P5", "label": "SYNTHETIC JDM at 17, active after two years, pregnant",
    "date_of_birth": "2009-05-01", "classification": {"age_at_onset": 14},
    "months_since_onset": 30, "weight_kg": 55, "diagnosis": {"subgroup": "jdm"},
    "reproduction": {"pregnant": True, "gestation_weeks": 9},
    "visits": [{"date": "2026-06-01", "core_set": {"physician_global": 5, "cmas": 38}},
               {"date": "2026-11-20", "core_set": {"physician_global": 5, "cmas": 37}}],
    "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2024-06-01", "outcome": "ongoing"},
                   {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                    "start": "2024-06-01", "outcome": "ongoing"}]})


def test_a_pregnant_teenager_with_jdm_off_target_is_not_told_to_add_mycophenolate() -> None:
    """N1 P5 (dangerous): 'add IVIG, mycophenolate or ciclosporin' at 9 weeks of pregnancy."""
    plan = make_plan(ACTIVE_JDM_AT_17)
    text = "\n".join(a.text for a in plan.do_now)
    assert "jdm_target_missed_first_line" not in do_now(plan)
    assert "IVIG, mycophenolate or ciclosporin" not in text
    line = next(a.text for a in plan.do_now if a.code == "jdm_target_missed_pregnant")
    assert "not mycophenolate" in line
    not_pregnant = make_plan(merge(ACTIVE_JDM_AT_17, {"reproduction": {"pregnant": False}}))
    assert "jdm_target_missed_first_line" in do_now(not_pregnant)


MDA5_RECOVERING: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N1-P4", "label": "SYNTHETIC anti-MDA5 ILD recovering after an RP-ILD episode",
    "sex": "male", "months_since_onset": 8,
    "antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
    "systemic": {"rapidly_progressive_ild_suspected": True, "interstitial_lung_disease": True},
    "lung": {"date": "2026-11-02", "fvc_percent_predicted": 64, "dlco_percent_predicted": 45,
             "hrct_pattern": "nsip_op", "oxygen": "exertional", "course": "stable"},
    "lung_measures": [
        {"date": "2026-04-20", "fvc_percent_predicted": 52, "dlco_percent_predicted": 33,
         "hrct_pattern": "op", "oxygen": "at_rest", "course": "rapidly_progressive"},
        {"date": "2026-06-15", "fvc_percent_predicted": 57, "dlco_percent_predicted": 39,
         "hrct_pattern": "nsip_op", "oxygen": "exertional", "course": "stable"}],
    "treatments": [{"therapy": "tacrolimus", "dose_value": 6, "dose_unit": "mg/day",
                    "start": "2026-04-25", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
                    "start": "2026-04-22", "outcome": "ongoing"}]})


def test_an_undated_rp_ild_tick_does_not_outrank_a_dated_recovery() -> None:
    """N1 P4: every dated lung measure improving since April, yet an undated 'RP-ILD suspected'
    tick brought intensive care, ECMO and repeat pulses."""
    plan = make_plan(MDA5_RECOVERING)
    codes = do_now(plan)
    assert codes.get("rp_ild_tick_superseded") == "soon"
    assert not any(f.code == "suspected_rp_ild" for f in plan.flags)
    assert plan.state is not None and plan.state.of("lung") != "flare"
    assert not any("ECMO" in a.text for a in plan.do_now)
    # a fall since the episode keeps the tick: the worst case is not argued away
    falling = merge(MDA5_RECOVERING, {"lung": {"fvc_percent_predicted": 49}})
    assert "rp_ild_tick_superseded" not in do_now(make_plan(falling))
    # and a tick without a dated episode behind it is a new suspicion
    no_episode = merge(MDA5_RECOVERING, {"lung_measures": []})
    assert "rp_ild_tick_superseded" not in do_now(make_plan(no_episode))


def test_azathioprine_is_capped_at_the_pregnancy_dose_while_she_plans_one() -> None:
    """N1 P2 and P6: 'azathioprine 2-3 mg/kg/day' for a woman trying to conceive."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import limited
    from tests.services.careplan.conftest import make_record

    kb = load()
    entry = next(e for e in kb.doses if e.therapy == "azathioprine")
    planning = make_record(weight_kg=58, reproduction={"planning_conception": True})
    capped, why = limited(entry, planning)
    assert capped.high == 2 and "pregnancy" in why
    man = make_record(weight_kg=58, sex="male", reproduction={"planning_conception": True})
    assert limited(entry, man)[0].high == 2.5


def test_the_paternal_switch_does_not_offer_a_drug_that_failed() -> None:
    from myositis.knowledge import load

    rule = next(r for r in load().rules.rules if "partner pregnancy is planned: it is to be"
                in r.text)
    assert "not failed" in rule.text


ICI_TEEN: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N2-P6", "label": "SYNTHETIC 17-year-old on pembrolizumab labelled JDM",
    "date_of_birth": "2009-03-01", "classification": {"age_at_onset": 17,
                                                       "skin": {"heliotrope_rash": False,
                                                                "gottron_papules": False}},
    "skin": {"heliotrope_rash": False, "gottron_papules": False}, "weight_kg": 52,
    "diagnosis": {"subgroup": "jdm"}, "antibodies": {"mi2": {"status": "negative"}},
    "other_medicines": ["immune_checkpoint_inhibitor"], "organs": {"dysphagia": "mild"}})


def test_a_dm_label_without_dm_signs_during_a_checkpoint_inhibitor_is_not_followed() -> None:
    """N2 P6: JDM advice (methotrexate, gut vasculopathy, capillaroscopy) for a rash-free girl
    who became weak five weeks into pembrolizumab; oral prednisolone first despite dysphagia;
    the cardiac work-up 'routine'."""
    plan = make_plan(ICI_TEEN)
    assert plan.diagnosis is not None and "jdm" not in plan.phenotypes
    assert any("managed as checkpoint-inhibitor myositis" in e
               for e in plan.diagnosis.explanation)
    codes = do_now(plan)
    assert "severe_jdm_active" not in codes and "jdm_gut_vasculopathy_warning" not in codes
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0] == "Intravenous methylprednisolone pulses"
    cardiac = next(w for w in plan.workup if w.code == "cardiac")
    assert cardiac.urgency == "urgent"
    # DM skin signs keep the label
    rash = make_plan(merge(ICI_TEEN, {"skin": {"heliotrope_rash": True, "gottron_papules": True},
                                      "classification": {"skin": {"heliotrope_rash": True}}}))
    assert "jdm" in rash.phenotypes


def test_alt_with_a_high_ck_names_the_checkpoint_hepatitis_and_pregnancy_liver() -> None:
    high = [lab("alt", 120, "U/L", 35), lab("ck", 8000, "U/L", 200),
            lab("egfr", 90, "mL/min/1.73m2")]
    ici = make_plan(ICI_TEEN, lab_results=high)
    assert "alt_raised_with_high_ck_checkpoint_inhibitor" in do_now(ici)
    assert "alt_raised_with_high_ck" not in do_now(ici)
    pregnant = make_plan(lab_results=high, reproduction={"pregnant": True, "gestation_weeks": 20})
    assert "HELLP" in next(a.text for a in pregnant.do_now
                           if a.code == "alt_raised_with_high_ck_pregnant")
    assert "alt_raised_with_high_ck" not in do_now(pregnant)
    assert "alt_raised_with_high_ck" in do_now(make_plan(lab_results=high))


def test_a_new_lump_goes_to_its_site_pathway_and_no_fobt_after_bowel_cancer() -> None:
    lump = make_plan(cancer={"red_flags": ["new_lump"]})
    assert "breast clinic" in next(a.text for a in lump.do_now
                                   if a.code.startswith("cancer_red_flags"))
    bowel = make_plan(months_since_onset=5, cancer={"past_cancer": ["rectal cancer 2025"]},
                      antibodies={"nxp2": {"status": "positive"}})
    assert bowel.cancer_screening is not None
    assert not any("aecal" in t for t in bowel.cancer_screening.tests_due)
    assert any("Colorectal cancer recorded" in n for n in bowel.cancer_screening.notes)
    assert any("aecal" in t for t in make_plan(months_since_onset=5, antibodies={
        "nxp2": {"status": "positive"}}).cancer_screening.tests_due)


ON_CHEMO_DYSPHAGIA: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N2-P2", "label": "SYNTHETIC anti-TIF1-gamma DM on chemotherapy, moderate dysphagia",
    "months_since_onset": 4, "weight_kg": 61,
    "antibodies": {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
    "cancer": {"active_cancer": True}, "organs": {"dysphagia": "moderate"},
    "visits": [{"date": "2026-09-01", "glucocorticoid_mg_per_day": 40,
                "core_set": {"physician_global": 6, "patient_global": 6, "mmt8": 60,
                             "mmt_max": 80, "haq": 1.5}},
               {"date": "2026-11-20", "glucocorticoid_mg_per_day": 40,
                "core_set": {"physician_global": 6, "patient_global": 6, "mmt8": 60,
                             "mmt_max": 80, "haq": 1.5}}],
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
                    "start": "2026-08-01", "outcome": "ongoing"}]})


def test_moderate_dysphagia_with_ivig_added_gets_no_pulses_but_severe_does() -> None:
    """N2 P2: IV methylprednisolone pulses beside IVIG during chemotherapy neutropenia for a
    moderate dysphagia."""
    plan = make_plan(ON_CHEMO_DYSPHAGIA)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("Intravenous immunoglobulin" in f for f in muscle.first_choice)
    assert not any("methylprednisolone pulses" in f for f in muscle.first_choice)
    severe = make_plan(merge(ON_CHEMO_DYSPHAGIA, {"organs": {"dysphagia": "severe"}}))
    assert any("methylprednisolone pulses" in f
               for f in next(r for r in severe.regimens if r.domain == "muscle").first_choice)


def test_anti_hmgcr_with_a_statin_taken_now_is_told_to_stop_it_today() -> None:
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
                     statin_exposure=True, other_medicines=["statin"])
    assert "stop the statin today" in next(a.text for a in plan.do_now
                                           if a.code == "statin_anti_hmgcr_taken_now")
    assert "statin_anti_hmgcr" not in do_now(plan)


def test_no_push_to_the_full_induction_dose_beside_early_ivig() -> None:
    """N2 P5: 82, diabetic, heart failure, anti-HMGCR with IVIG: 'raise to 42-60 mg/day'."""
    plan = make_plan(weight_kg=84, months_since_onset=3,
                     diagnosis={"subgroup": "imnm"}, skin={"heliotrope_rash": False,
                                                           "gottron_papules": False},
                     antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
                     visits=[{"date": "2026-11-20", "glucocorticoid_mg_per_day": 30,
                              "core_set": {"physician_global": 6, "mmt8": 60, "mmt_max": 80}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-11-01",
                                  "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("Intravenous immunoglobulin" in f for f in muscle.first_choice)
    assert not any("below the induction range" in f for f in muscle.first_choice)


def test_after_a_delivery_the_clot_thyroid_and_mood_are_asked_about() -> None:
    """N1 P3: three weeks after a delivery with a flare: no VTE, thyroid or mood line."""
    plan = make_plan(reproduction={"pregnant": False, "delivered_on": "2026-11-10",
                                   "breastfeeding": True})
    text = next(a.text for a in plan.do_now if a.code == "postpartum_care")
    assert "thromboembolism" in text and "TSH" in text and "mood" in text
    assert "postpartum_care" not in do_now(make_plan(reproduction={
        "pregnant": False, "delivered_on": "2025-11-10"}))


def test_no_oestrogen_contraception_after_a_clot_or_for_a_smoker_over_35() -> None:
    """N1 P8: a smoker of 45 with a clot 10 months ago: no word against the combined pill."""
    clot = make_plan(comorbidities={"thrombosis_history": True})
    assert "contraception_without_oestrogen" in do_now(clot)
    smoker = make_plan(date_of_birth="1981-01-01", comorbidities={"smoking_status": "current"})
    assert "contraception_without_oestrogen" in do_now(smoker)
    man = make_plan(sex="male", comorbidities={"thrombosis_history": True})
    assert "contraception_without_oestrogen" not in do_now(man)


def test_one_co_trimoxazole_line_in_pregnancy_and_no_taper_while_conception_is_planned() -> None:
    """N1 P1: two near-identical co-trimoxazole pregnancy lines; N1 P2: 'taper slowly' beside
    'keep glucocorticoids steady through the switch before conception'."""
    pregnant = make_plan(reproduction={"pregnant": True, "gestation_weeks": 24},
                         other_medicines=["co_trimoxazole"])
    codes = do_now(pregnant)
    assert "co_trimoxazole_pregnancy" in codes and "co_trimoxazole_in_pregnancy" not in codes
    assert "bilirubin" in next(a.text for a in pregnant.do_now
                               if a.code == "co_trimoxazole_pregnancy")
    from myositis.knowledge import load

    rule = next(r for r in load().rules.rules if r.id == "glucocorticoid_taper_adrenal")
    assert "planning_conception" in rule.when.model_dump_json()

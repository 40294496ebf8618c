"""Scenarios from specialist review V (December 2026, SYNTHETIC): sixteen new patients; the
tests hold the fixes for what the review found wrong or unsafe. (Round V of this session; the
older test_review_v.py holds an earlier round with the same letter.)"""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import (
    ADULT_DM,
    do_now,
    make_plan,
    merge,
    offered,
    withheld,
)


def _lab(analyte: str, value: float, unit: str, uln: float | None = None,
         date: str = "2026-11-28") -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "uln": uln, "date": date}


STATIN_CK: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"mi2": {"status": "negative"}},
    "antibody_tests": [{"antibody": "pl12", "result": "positive", "method": "line_blot",
                        "level": "weak", "date": "2026-11-20"}],
    "labs": {"enzymes": {"ck": {"value": 14000, "uln": 200}}},
    "other_medicines": ["statin"],
})


def test_a_necrotising_range_ck_on_a_statin_stops_the_statin() -> None:
    plan = make_plan(STATIN_CK)
    assert do_now(plan).get("statin_taken_with_myopathy") == "urgent"
    assert "statin_with_another_msa" not in do_now(plan)
    mild = make_plan(STATIN_CK, labs={"enzymes": {"ck": {"value": 900, "uln": 200}}},
                     antibody_tests=[{"antibody": "pl12", "result": "positive",
                                      "method": "line_blot", "level": "strong",
                                      "date": "2026-11-20"}])
    assert "statin_taken_with_myopathy" not in do_now(mild)


def test_a_weak_line_blot_band_alone_is_confirmed_before_it_counts() -> None:
    plan = make_plan(STATIN_CK)
    item = next(a for a in plan.do_now if a.code == "weak_blot_only")
    assert "anti-PL-12" in item.text and "immunoprecipitation or ELISA" in item.text
    strong = make_plan(STATIN_CK, antibody_tests=[
        {"antibody": "pl12", "result": "positive", "method": "line_blot", "level": "strong",
         "date": "2026-11-20"}])
    assert "weak_blot_only" not in do_now(strong)
    confirmed = make_plan(STATIN_CK, antibody_tests=[
        *STATIN_CK["antibody_tests"],
        {"antibody": "pl12", "result": "positive", "method": "immunoprecipitation",
         "date": "2026-11-25"}])
    assert "weak_blot_only" not in do_now(confirmed)


MDA5_RPILD: dict[str, Any] = merge(ADULT_DM, {
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
})


def test_lymphopenia_alone_does_not_withhold_the_marrow_toxic_agents() -> None:
    low_white_normal_neutrophils = make_plan(MDA5_RPILD, lab_results=[
        _lab("wbc", 2.9, "10^9/L"), _lab("neutrophils", 2.4, "10^9/L"),
        _lab("lymphocytes", 0.4, "10^9/L")])
    held = withheld(low_white_normal_neutrophils)
    assert "cyclophosphamide" not in held and "mycophenolate" not in held
    neutropenic = make_plan(MDA5_RPILD, lab_results=[
        _lab("wbc", 2.9, "10^9/L"), _lab("neutrophils", 1.1, "10^9/L")])
    assert "cyclophosphamide" in withheld(neutropenic)
    # without a neutrophil count, in organ-threatening disease, a differential today decides:
    # the white count no longer withholds cyclophosphamide by itself (specialist review Z11a)
    white_only = make_plan(MDA5_RPILD, lab_results=[_lab("wbc", 2.9, "10^9/L")])
    assert "cyclophosphamide" not in withheld(white_only)
    cyclophosphamide = next(o for o in white_only.options if o.therapy == "cyclophosphamide")
    assert "low_white_count_without_differential_organ_threatening" in {
        c.condition for c in cyclophosphamide.cautions}


def test_tofacitinib_counts_as_a_teratogen() -> None:
    plan = make_plan(MDA5_RPILD, reproduction={"effective_contraception": None})
    assert "tofacitinib" in offered(plan)
    text = next(a.text for a in plan.do_now if a.code == "contraception_with_teratogen")
    assert "Tofacitinib" in text
    from myositis.knowledge import load

    reproduction = load().therapies["tofacitinib"].reproduction
    assert reproduction is not None and reproduction.pregnancy == "contraindicated"


TACROLIMUS: list[dict[str, Any]] = [{"therapy": "tacrolimus", "dose_value": 4,
                                     "dose_unit": "mg/day", "start": "2025-06-01",
                                     "outcome": "ongoing"}]


def test_a_low_tacrolimus_trough_is_checked_before_escalation() -> None:
    plan = make_plan(treatments=TACROLIMUS,
                     lab_results=[_lab("tacrolimus_trough", 3.0, "ng/mL", date="2026-11-28")])
    text = next(a.text for a in plan.do_now if a.code == "tacrolimus_trough_low")
    assert "adherence" in text and "1-2 weeks" in text
    row = next(m for m in plan.monitoring if m.therapy == "Tacrolimus")
    assert row.next_due.startswith("by 2026-12-15 (trough below range")
    in_range = make_plan(treatments=TACROLIMUS,
                         lab_results=[_lab("tacrolimus_trough", 7.0, "ng/mL")])
    assert "tacrolimus_trough_low" not in do_now(in_range)


AZA: list[dict[str, Any]] = [{"therapy": "azathioprine", "dose_value": 150,
                              "dose_unit": "mg/day", "start": "2026-06-01",
                              "outcome": "ongoing"}]


def test_cytopenia_on_azathioprine_looks_for_the_cause_and_never_cuts_the_dose() -> None:
    plan = make_plan(treatments=AZA, other_medicines=["allopurinol"],
                     immunogenetics={"tpmt": None, "nudt15": None},
                     lab_results=[_lab("neutrophils", 0.9, "10^9/L"),
                                  _lab("platelets", 118, "10^9/L")])
    actions = do_now(plan)
    assert actions.get("azathioprine_cytopenia_cause") == "urgent"
    assert "azathioprine_xanthine_oxidase_taken" not in actions
    text = next(a.text for a in plan.do_now if a.code == "azathioprine_cytopenia_cause")
    assert "TPMT" in text and "NUDT15" in text
    assert not any("cut azathioprine to a quarter" in a.text for a in plan.do_now)
    normal_count = make_plan(treatments=AZA, other_medicines=["allopurinol"],
                             lab_results=[_lab("neutrophils", 3.5, "10^9/L")])
    assert "azathioprine_xanthine_oxidase_taken" in do_now(normal_count)


def test_a_teratogen_taken_without_contraception_is_urgent() -> None:
    mtx = [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
            "start": "2025-01-01", "outcome": "ongoing"}]
    plan = make_plan(treatments=mtx, reproduction={"effective_contraception": False,
                                                   "pregnant": None})
    assert do_now(plan).get("teratogen_taken_without_contraception") == "urgent"
    assert "contraception_with_teratogen" not in do_now(plan)
    text = next(a.text for a in plan.do_now
                if a.code == "teratogen_taken_without_contraception")
    assert "pregnancy test today" in text and "emergency contraception" in text
    unknown = make_plan(treatments=mtx, reproduction={"effective_contraception": None})
    assert "teratogen_taken_without_contraception" not in do_now(unknown)
    assert "contraception_with_teratogen" in do_now(unknown)


def test_hydroxychloroquine_duration_reads_as_months_or_years() -> None:
    from myositis.services.careplan.rules import _duration

    assert _duration(0.542) == "7 months" and _duration(5.84) == "5.8 years"
    assert _duration(None) == "unknown"


def test_a_child_on_methotrexate_alone_may_have_live_boosters_considered() -> None:
    # in remission: boosters are considered only with the disease controlled (review Z10b)
    quiet = {"physician_global": 0, "patient_global": 0, "mmt8": 80, "mmt_max": 80, "cmas": 52,
             "chaq": 0, "extramuscular_global": 0}
    child = {"classification": {"age_at_onset": 9}, "months_since_onset": 36,
             "skin": {"heliotrope_rash": False, "gottron_papules": False},
             "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
             "visits": [{"date": "2026-05-20", "core_set": quiet},
                        {"date": "2026-11-20", "core_set": quiet}],
             "treatments": [{"therapy": "methotrexate", "dose_value": 15,
                             "dose_unit": "mg/week", "start": "2023-06-01",
                             "outcome": "ongoing"}]}
    plan = make_plan(**child)
    text = next(a.text for a in plan.do_now
                if a.code == "child_live_booster_on_low_dose_methotrexate")
    assert "15 mg/m2/week" in text and "heijstek2011_eular_paed_vaccination" in next(
        a.citations for a in plan.do_now
        if a.code == "child_live_booster_on_low_dose_methotrexate")
    with_biologic = make_plan(**{**child, "treatments": [
        *child["treatments"], {"therapy": "rituximab", "start": "2026-06-01",
                               "outcome": "ongoing"}]})
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(with_biologic)
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(make_plan(
        treatments=child["treatments"]))  # an adult
    active = make_plan(**{**child, "visits": [], "labs": {"enzymes": {"ck": {"value": 2400,
                                                                             "uln": 200}}}})
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(active)


def test_a_cancer_years_into_ibm_is_not_called_cancer_associated_myositis() -> None:
    plan = make_plan(cancer={"active_cancer": True})
    text = next(a.text for a in plan.do_now if a.code == "active_cancer_co_management")
    assert "cancer-associated myositis" not in text and "not so in inclusion body" in text
    assert not any("cancer-associated myositis" in n for n in plan.cancer_screening.notes)


def test_untreated_anti_mda5_ild_is_treated_now_and_watched_closely() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-20", "course": "stable", "hrct_pattern": "nsip"})
    assert do_now(plan).get("anti_mda5_ild_untreated") == "urgent"
    lung = next(m for m in plan.monitoring if m.therapy == "Lung")
    # one interval everywhere: every 2-4 weeks at first (re-score of review V)
    assert lung.next_due == "by 2026-12-11" and "every 2-4 weeks" in lung.text
    treated = make_plan(antibodies={"mda5": {"status": "positive"},
                                    "mi2": {"status": "negative"}},
                        systemic={"interstitial_lung_disease": True},
                        treatments=[{"therapy": "tacrolimus", "start": "2026-09-01",
                                     "outcome": "ongoing"}])
    assert "anti_mda5_ild_untreated" not in do_now(treated)


def test_pulses_already_running_are_completed_and_followed_by_an_oral_dose() -> None:
    plan = make_plan(MDA5_RPILD, treatments=[
        {"therapy": "methylprednisolone_iv_pulse", "dose_value": 1000, "dose_unit": "mg",
         "start": "2026-11-29", "outcome": "ongoing"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("Complete the Intravenous methylprednisolone pulses")
    assert "then oral prednisolone 0.5-1 mg/kg/day" in lung.first_choice[0]
    said = " ".join(f for r in plan.regimens for f in r.first_choice)
    assert "Continue Intravenous methylprednisolone" not in said
    fresh = make_plan(MDA5_RPILD)
    assert not any(f.startswith("Complete the") for r in fresh.regimens for f in r.first_choice)


def _flare_visits(mmt_max: int, before: int, after: int) -> list[dict[str, Any]]:
    """Two visits that meet the IMACS worsening definition (globals 2 to 6 cm, HAQ up) with
    strength falling from ``before`` to ``after``."""
    def visit(date: str, mmt8: int, pg: float) -> dict[str, Any]:
        return {"date": date, "core_set": {"physician_global": pg, "patient_global": pg,
                                           "extramuscular_global": pg, "mmt8": mmt8,
                                           "mmt_max": mmt_max, "haq": pg / 4}}

    return [visit("2026-06-01", before, 2), visit("2026-11-28", after, 6)]


def test_a_flare_with_moderate_dysphagia_on_a_low_dose_gets_pulses() -> None:
    flare = {"visits": _flare_visits(150, 140, 124),
             "months_since_onset": 24,
             "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 5,
                             "dose_unit": "mg/day", "start": "2024-12-01",
                             "outcome": "ongoing"}]}
    plan = make_plan(organs={"dysphagia": "moderate"}, **flare)
    said = " ".join(next(r for r in plan.regimens if r.domain == "muscle").first_choice)
    assert "Intravenous methylprednisolone pulses, then oral prednisolone" in said
    assert "raise prednisolone to" not in said
    mild = make_plan(organs={"dysphagia": "none"}, **flare)
    said = " ".join(next(r for r in mild.regimens if r.domain == "muscle").first_choice)
    assert "raise prednisolone to" in said


def test_a_weak_antisynthetase_band_alone_does_not_make_the_diagnosis() -> None:
    ild = {"systemic": {"interstitial_lung_disease": True}}
    weak = make_plan(STATIN_CK, **ild)
    assert "asys" not in weak.phenotypes
    assert any("weak line-blot band only: not followed" in e
               for e in weak.diagnosis.explanation)
    strong = make_plan(STATIN_CK, antibody_tests=[
        {"antibody": "pl12", "result": "positive", "method": "line_blot", "level": "strong",
         "date": "2026-11-20"}], **ild)
    assert "asys" in strong.phenotypes


def test_the_live_booster_line_asks_for_a_pregnancy_test_in_a_girl() -> None:
    quiet = {"physician_global": 0, "patient_global": 0, "mmt8": 80, "mmt_max": 80,
             "cmas": 52, "chaq": 0, "extramuscular_global": 0}
    girl = {"classification": {"age_at_onset": 14}, "months_since_onset": 24,
            "skin": {"heliotrope_rash": False, "gottron_papules": False},
            "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
            "visits": [{"date": "2026-05-20", "core_set": quiet},
                       {"date": "2026-11-20", "core_set": quiet}],
            "treatments": [{"therapy": "methotrexate", "dose_value": 15,
                            "dose_unit": "mg/week", "start": "2025-01-01",
                            "outcome": "ongoing"}]}
    plan = make_plan(**girl)
    text = next(a.text for a in plan.do_now
                if a.code == "child_live_booster_on_low_dose_methotrexate")
    assert "negative pregnancy test first" in text
    boy = make_plan(**{**girl, "sex": "male"})
    text = next(a.text for a in boy.do_now
                if a.code == "child_live_booster_on_low_dose_methotrexate")
    assert "girl who could be pregnant" not in text


def test_a_flare_on_a_low_tacrolimus_level_corrects_the_level_first() -> None:
    flare = {"visits": _flare_visits(80, 75, 70),
             "months_since_onset": 24, "treatments": TACROLIMUS}
    low = make_plan(lab_results=[_lab("tacrolimus_trough", 3.0, "ng/mL")], **flare)
    text = next(a.text for a in low.do_now if a.code == "flare")
    assert "first correct the low tacrolimus level" in text
    in_range = make_plan(lab_results=[_lab("tacrolimus_trough", 7.0, "ng/mL")], **flare)
    text = next(a.text for a in in_range.do_now if a.code == "flare")
    assert "re-escalate, check adherence" in text


def test_a_seronegative_child_is_not_told_both_no_and_maybe_live_vaccines() -> None:
    quiet = {"physician_global": 0, "patient_global": 0, "mmt8": 80, "mmt_max": 80,
             "cmas": 52, "chaq": 0, "extramuscular_global": 0}
    plan = make_plan(classification={"age_at_onset": 9}, months_since_onset=36,
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     visits=[{"date": "2026-05-20", "core_set": quiet},
                             {"date": "2026-11-20", "core_set": quiet}],
                     infection_screening={"vzv_igg": {"result": "negative"}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2023-06-01",
                                  "outcome": "ongoing"}])
    texts = " ".join(a.text for a in plan.do_now)
    assert "no live vaccines while immunosuppressed" not in texts
    assert "with specialist advice" in texts and "can be considered" in texts


def test_a_very_high_ck_asks_for_kidney_and_potassium_checks() -> None:
    plan = make_plan(STATIN_CK)  # CK 14,000 with ULN 200
    text = next(a.text for a in plan.do_now if a.code == "very_high_ck_kidney_safety")
    assert "potassium" in text and "urine dipstick" in text
    assert "very_high_ck_kidney_safety" not in do_now(make_plan())  # CK 12 x ULN


def test_bisphosphonates_carry_a_pregnancy_word_for_a_woman_who_could_conceive() -> None:
    calcinosis = {"classification": {"age_at_onset": 22}, "months_since_onset": 24,
                  "skin": {"calcinosis": True}}
    plan = make_plan(**calcinosis)
    option = next(o for o in plan.options if o.therapy == "bisphosphonates")
    assert any("placenta" in c.text for c in option.cautions)
    man = make_plan(sex="male", **calcinosis)
    option = next((o for o in man.options if o.therapy == "bisphosphonates"), None)
    assert option is None or not any("placenta" in c.text for c in option.cautions)


def test_checkpoint_inhibitor_myositis_names_weight_based_doses_and_pyridostigmine() -> None:
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"])
    text = next(a.text for a in plan.do_now if a.code == "checkpoint_inhibitor_myositis")
    assert "1-2 mg/kg/day" in text and "not capped" in text and "pyridostigmine" in text

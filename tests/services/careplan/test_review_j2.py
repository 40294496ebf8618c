"""Scenarios from specialist review J2 (December 2026, SYNTHETIC; review J of an earlier session is
test_review_j.py): a general rheumatology clinic's month and a tertiary centre's hard cases; the
tests hold the fixes for what the review found wrong or unsafe (H370-)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan

NEW_MTX = {"months_since_onset": 2, "weight_kg": 70,
           "treatments": [{"therapy": "methotrexate", "start": "2026-11-20",
                           "outcome": "ongoing"}]}


def test_a_patient_who_can_become_pregnant_gets_the_teratogen_advice_whatever_the_sex() -> None:
    trans_man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 17},
                          reproduction={"can_become_pregnant": True,
                                        "effective_contraception": False})
    advice = {"contraception_with_teratogen", "teratogen_taken_without_contraception"}
    assert advice & set(do_now(trans_man))
    man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 30},
                    reproduction={"pregnant": None, "planning_conception": None,
                                  "breastfeeding": None})
    assert not advice & set(do_now(man))
    pregnant_man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 30},
                             reproduction={"pregnant": True, "can_become_pregnant": True})
    assert "pregnancy_teratogen_taken_now" in do_now(pregnant_man)


def test_ild_progressing_in_pregnancy_never_adds_nintedanib() -> None:
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     reproduction={"pregnant": True, "gestation_weeks": 20},
                     treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert codes.get("ild_progressing_pregnant") == "urgent"
    assert "progressive_pulmonary_fibrosis" not in codes
    assert not any("add nintedanib" in a.text for a in plan.do_now)


def test_no_thromboprophylaxis_for_a_child_or_with_gut_symptoms() -> None:
    child = make_plan(classification={"age_at_onset": 6}, weight_kg=20,
                      organs={"dysphagia": "severe", "gut_symptoms": True})
    assert "vte_prophylaxis_severe_weakness" not in do_now(child)
    gut = make_plan(organs={"dysphagia": "severe", "gut_symptoms": True})
    assert "vte_prophylaxis_severe_weakness" not in do_now(gut)
    adult = make_plan(organs={"dysphagia": "severe"})
    assert "vte_prophylaxis_severe_weakness" in do_now(adult)


def test_no_induction_dose_review_in_ibm_or_just_under_half_a_milligram() -> None:
    gp_started = [{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                   "start": "2026-11-10", "outcome": "ongoing"}]
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 70},
                    weight_kg=80, treatments=gp_started)
    assert "gc_below_induction_adult" not in do_now(ibm)
    near = make_plan(weight_kg=61, treatments=gp_started)
    assert "gc_below_induction_adult" not in do_now(near)
    low = make_plan(weight_kg=90, treatments=gp_started)
    assert "gc_below_induction_adult" in do_now(low)


def test_an_untested_nudt15_is_not_reported_as_intermediate() -> None:
    plan = make_plan(immunogenetics={"tpmt": "intermediate", "nudt15": None})
    assert any("TPMT intermediate; NUDT15 not tested" in f for f in plan.inputs_used)



def test_a_low_igg_after_rituximab_without_infections_cautions_rather_than_blocks() -> None:
    after_rtx = [{"therapy": "rituximab", "start": "2025-06-01", "stop": "2025-12-15",
                  "outcome": "ineffective"},
                 {"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
                  "start": "2024-06-20", "outcome": "ongoing"}]
    plan = make_plan(months_since_onset=30, treatments=after_rtx,
                     lab_results=[lab("igg", 4.8, "g/L")])
    rule = "Rituximab within the last 2 years"
    assert not any(rule in w.reason for w in plan.withheld)
    azathioprine = next(o for o in plan.options if o.therapy == "azathioprine")
    assert "b_cell_depletion_low_igg_caution" in {c.condition for c in azathioprine.cautions}
    infections = make_plan(months_since_onset=30, treatments=after_rtx,
                           comorbidities={"recurrent_infections": True},
                           lab_results=[lab("igg", 4.8, "g/L")])
    assert any(rule in w.reason for w in infections.withheld)


def test_hydroxychloroquine_on_dialysis_is_cautioned_high() -> None:
    plan = make_plan(comorbidities={"dialysis": True})
    option = next((o for o in plan.options if o.therapy == "hydroxychloroquine"), None)
    assert option is not None
    assert "hydroxychloroquine_kidney_failure" in {c.condition for c in option.cautions}
    assert "hydroxychloroquine_renal" not in {c.condition for c in option.cautions}


def test_severe_weakness_with_a_falling_ck_alone_is_not_still_improving() -> None:
    plan = make_plan(antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=3,
                     lab_results=[lab("ck", 9000, "U/L", 200, "2026-09-10"),
                                  lab("ck", 6300, "U/L", 200, "2026-11-25")],
                     visits=[{"date": "2026-09-10", "core_set": {"mmt8": 48, "mmt_max": 80}},
                             {"date": "2026-11-25", "core_set": {"mmt8": 50, "mmt_max": 80}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-09-10",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "start": "2026-09-20",
                                  "outcome": "ongoing"}])
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert not any("still improving" in b for b in muscle.basis)


def test_an_adolescent_on_adult_glucocorticoid_doses_gets_pjp_advice() -> None:
    plan = make_plan(classification={"age_at_onset": 17}, date_of_birth="2009-01-10",
                     months_since_onset=1, weight_kg=70,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-01",
                                  "outcome": "ongoing"}])
    assert plan.state is not None
    assert {"pjp_prophylaxis_due_glucocorticoid_dose", "pjp_prophylaxis_soon"} & set(
        do_now(plan))


def test_alt_with_a_high_ck_after_hbv_exposure_asks_for_hbv_dna() -> None:
    plan = make_plan(months_since_onset=20,
                     labs={"enzymes": {"ck": {"value": 6200, "uln": 200},
                                       "alt": {"value": 110, "uln": 40}}},
                     infection_screening={"anti_hbc": {"result": "positive"},
                                          "hbsag": {"result": "negative"}},
                     treatments=[{"therapy": "methotrexate", "start": "2025-06-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    rule = "transaminases_raised_anti_hbc_high_ck_dna_unknown"
    assert rule in codes
    text = next(a.text for a in plan.do_now if a.code == rule)
    assert "HBV DNA" in text and "before rituximab" in text


def test_ibm_with_a_glucocorticoid_still_tapering_is_seen_within_six_weeks() -> None:
    plan = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 70},
                     months_since_onset=30, weight_kg=80,
                     visits=[{"date": "2026-11-20", "core_set": {"mmt8": 60}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-10-01",
                                  "outcome": "ongoing"}])
    item = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert item.next_due == "by 2027-01-01", item.next_due  # 6 weeks after the visit


def test_declined_treatments_are_withheld_and_the_approach_leads_without_them() -> None:
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                     preferences={"declines": ["blood_products", "glucocorticoids"]})
    withheld = {w.therapy for w in plan.withheld}
    assert {"glucocorticoids_oral", "ivig"} <= withheld
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("glucocorticoid" in f.lower() or "immunoglobulin" in f.lower()
                   for f in muscle.first_choice)
    assert muscle.first_choice  # a steroid-sparing agent leads


def test_sex_other_with_a_teratogen_asks_whether_pregnancy_is_possible() -> None:
    plan = make_plan(**NEW_MTX, sex="other", classification={"age_at_onset": 25},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    assert "contraception_with_teratogen_not_recorded" in do_now(plan)


def test_no_fcrn_blocker_with_a_low_igg_after_rituximab() -> None:
    failed = [{"therapy": t, "start": start, "stop": stop, "outcome": "ineffective"}
              for t, start, stop in (("methotrexate", "2024-07-01", "2025-03-01"),
                                     ("ivig", "2025-02-10", "2025-08-10"),
                                     ("rituximab", "2025-06-01", "2025-12-15"))]
    plan = make_plan(months_since_onset=30, lab_results=[lab("igg", 4.8, "g/L")],
                     treatments=[*failed, {"therapy": "glucocorticoids_oral", "dose_value": 15,
                                           "dose_unit": "mg/day", "start": "2024-06-20",
                                           "outcome": "ongoing"}])
    reasons = {w.therapy: w.reason for w in plan.withheld}
    assert "FcRn" in reasons.get("efgartigimod", "")
    assert "efgartigimod" not in {o.therapy for o in plan.options}

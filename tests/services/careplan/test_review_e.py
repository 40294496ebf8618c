"""Scenarios from specialist review E (December 2026, SYNTHETIC): an unselected month of adult
referrals and a combined paediatric and adult clinic week; the tests hold the fixes for what
the review found wrong or unsafe (H326-H337)."""

from __future__ import annotations

from myositis.reports.careplan import to_markdown as render_markdown
from tests.services.careplan.conftest import do_now, make_plan, offered
from tests.services.careplan.test_safety_rules import visit

LUNG_MASS = {"test": "CT chest abdomen pelvis (lung mass)", "date": "2026-11-01",
             "result": "abnormal"}


def test_an_abnormal_screening_result_is_a_referral_not_a_completed_screen() -> None:
    plan = make_plan(cancer={"screening_done": [LUNG_MASS], "red_flags": ["haemoptysis"]})
    line = next(a for a in plan.do_now if a.code == "abnormal_cancer_screen")
    assert line.urgency == "urgent" and "suspected-cancer pathway" in line.text
    assert "(lung mass)" in line.text
    assert "cancer_red_flags_after_recent_ct" not in do_now(plan)  # no 'do not repeat the CT'
    assert "cancer_red_flags" not in do_now(plan)  # and no second CT: one referral line
    done = next(n for n in plan.cancer_screening.notes if n.startswith("Recorded as done"))
    assert "(lung mass) (abnormal result)" in done  # done, so not ordered again, and flagged
    assert not any(t.lower().startswith("ct") for t in plan.cancer_screening.tests_due)
    normal = make_plan(cancer={"screening_done": [{**LUNG_MASS, "result": "normal"}]})
    assert "abnormal_cancer_screen" not in do_now(normal)


def test_a_pending_screening_result_is_chased() -> None:
    plan = make_plan(cancer={"screening_done": [{**LUNG_MASS, "result": "pending"}]})
    assert "pending_cancer_screen" in do_now(plan)
    assert "abnormal_cancer_screen" not in do_now(plan)


def test_with_a_suspected_cancer_ivig_comes_before_an_antimetabolite() -> None:
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     cancer={"screening_done": [LUNG_MASS]}, weight_kg=70)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(f.startswith("Intravenous immunoglobulin") for f in muscle.first_choice)
    assert not any(f.startswith(("Methotrexate", "Azathioprine", "Mycophenolate"))
                   for f in muscle.first_choice)
    assert all("oncology plan" in a for a in muscle.alternatives)
    plain = make_plan(weight_kg=70)
    assert not any("oncology plan" in a for r in plain.regimens for a in r.alternatives)


def test_a_seronegative_patient_gets_no_zoster_vaccine_and_no_live_vaccine_before_urgent_care(
) -> None:
    plan = make_plan(infection_screening={"vzv_igg": {"result": "negative"}})
    assert "zoster_vaccination_review" not in do_now(plan)
    line = next(a.text for a in plan.do_now if a.code == "vzv_seronegative")
    assert "never delayed" in line and "where possible" not in line
    assert "zoster_vaccination_review" in do_now(make_plan())


def test_vaccines_before_rituximab_never_delay_urgent_treatment() -> None:
    from tests.services.careplan.test_review_v2 import MDA5_RPILD
    plan = make_plan(MDA5_RPILD)
    rituximab = next(o for o in plan.options if o.therapy == "rituximab")
    timing = next(c.text for c in rituximab.cautions
                  if c.condition == "vaccines_before_rituximab")
    assert "urgent treatment is not delayed" in timing


def test_untreated_osteoporosis_with_stable_ckd_is_treated_not_deferred() -> None:
    plan = make_plan(comorbidities={"osteoporosis": True},
                     lab_results=[{"analyte": "egfr", "value": 34, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    codes = do_now(plan)
    assert "osteoporosis_untreated" in codes and "bone_medication_kidney" in codes
    kidney = next(a.text for a in plan.do_now if a.code == "bone_medication_kidney")
    assert "not deferred" in kidney and "or defer it" not in kidney


def test_long_term_glucocorticoids_bring_an_emergency_card() -> None:
    plan = make_plan(months_since_onset=24, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2025-01-01", "outcome": "ongoing"}])
    line = next(a.text for a in plan.do_now
                if a.code in ("adrenal_safety_long_term_glucocorticoid",
                              "glucocorticoid_taper_adrenal"))
    assert "emergency card" in line


def test_jdm_remission_withdraws_the_drug_actually_taken() -> None:
    plan = make_plan(sex="female", classification={"age_at_onset": 9}, weight_kg=50,
                     months_since_onset=84,
                     visits=[visit(d, 0.3, 80, 90, 0) for d in
                             ("2025-06-01", "2025-12-01", "2026-06-01", "2026-11-20")],
                     treatments=[{"therapy": "methotrexate", "outcome": "not_tolerated",
                                  "start": "2019-01-01", "stop": "2022-01-01",
                                  "reason_stopped": "adverse_event"},
                                 {"therapy": "mycophenolate", "outcome": "ongoing",
                                  "start": "2022-01-01"},
                                 {"therapy": "glucocorticoids_oral", "outcome": "effective",
                                  "start": "2019-01-01", "stop": "2021-06-01",
                                  "reason_stopped": "remission"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Taper and stop Mycophenolate")
    assert "methotrexate" not in muscle.decision_point.lower()


def test_a_flare_with_heart_involvement_starts_with_pulses() -> None:
    plan = make_plan(months_since_onset=30, weight_kg=64,
                     antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
                     organs={"cardiac": "suspected"},
                     visits=[visit("2026-06-01", 1, 78, 300, 2),
                             visit("2026-11-20", 6, 58, 7800, 12)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "azathioprine", "dose_value": 125,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    assert any("methylprednisolone pulses" in f for f in muscle.first_choice)
    assert not any("0.5 mg/kg/day for a moderate flare" in f for f in muscle.first_choice)


def test_postpartum_anaemia_is_not_a_cancer_flag_and_ivig_names_the_clot_risk() -> None:
    plan = make_plan(sex="female", months_since_onset=20,
                     reproduction={"pregnant": False, "breastfeeding": True,
                                   "delivered_on": "2026-10-20"},
                     lab_results=[{"analyte": "haemoglobin", "value": 104, "unit": "g/L",
                                   "date": "2026-11-25"},
                                  {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}],
                     antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}})
    assert "anaemia_cancer_flag" not in do_now(plan)
    ivig = next(o for o in plan.options if o.therapy == "ivig")
    assert "ivig_postpartum_thrombosis" in {c.condition for c in ivig.cautions}


def test_several_jak_risk_groups_keep_jak_inhibitors_out_of_the_options() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.rules import therapy_firings

    kb = load()
    tofacitinib = kb.therapies["tofacitinib"]

    def held(**facts: object) -> bool:
        return any(f.rule.id == "jak_inhibitor_several_risks" and f.action == "withhold"
                   for f in therapy_firings(kb, facts, tofacitinib))

    assert held(jak_risk_count=2, organ_threatening=False)
    assert held(jak_risk_count=3, organ_threatening=None)
    assert not held(jak_risk_count=1, organ_threatening=False)
    assert not held(jak_risk_count=3, organ_threatening=True)  # weighed case by case
    # organ-threatening anti-MDA5 RP-ILD at 67 with a past clot keeps tofacitinib as an option
    from tests.services.careplan.test_review_v2 import MDA5_RPILD
    rescue = make_plan(MDA5_RPILD, classification={"age_at_onset": 66},
                       comorbidities={"thrombosis_history": True})
    assert "tofacitinib" in offered(rescue)


def test_one_drugs_label_caution_is_not_printed_for_another() -> None:
    plan = make_plan(comorbidities={"thrombosis_history": True},
                     antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}})
    text = render_markdown(plan)
    assert "Exercise and rehabilitation (supervised resistance/endurance training))" not in text


def test_raised_alt_after_an_undetectable_hbv_dna_is_not_urgent_hepatology() -> None:
    plan = make_plan(infection_screening={"anti_hbc": {"result": "positive"},
                                          "hbsag": {"result": "negative"},
                                          "hbv_dna": {"result": "negative",
                                                      "date": "2026-11-28"}},
                     lab_results=[{"analyte": "alt", "value": 65, "uln": 40, "unit": "U/L",
                                   "date": "2026-11-29"},
                                  {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    codes = do_now(plan)
    assert "transaminases_raised_anti_hbc_dna_undetectable" in codes
    assert "transaminases_raised_with_viral_hepatitis" not in codes


def test_a_held_drug_gets_no_dose_line_and_a_lasting_block_reads_first() -> None:
    from tests.services.careplan.test_review_v2 import _lab
    plan = make_plan(months_since_onset=30, weight_kg=60,
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}],
                     lab_results=[_lab("neutrophils", 0.8, "10^9/L"),
                                  _lab("wbc", 2.1, "10^9/L")])
    assert "azathioprine" not in {d.therapy for d in plan.doses}
    low = make_plan(months_since_onset=30, weight_kg=64,
                    treatments=[{"therapy": "azathioprine", "dose_value": 125,
                                 "dose_unit": "mg/day", "start": "2025-01-01",
                                 "outcome": "ongoing"}])
    line = next(d.text for d in low.doses if d.therapy == "azathioprine")
    assert "at the low edge of" in line and "within" not in line


def test_a_lasting_reason_to_withhold_reads_before_a_start_once_reason() -> None:
    from tests.services.careplan.test_review_v2 import _lab
    plan = make_plan(months_since_onset=30,
                     comorbidities={"active_infection": True, "recurrent_infections": True},
                     visits=[visit("2026-06-01", 6, 60, 3000, 15),
                             visit("2026-11-20", 6, 60, 3000, 15)],
                     treatments=[{"therapy": "rituximab", "start": "2025-06-01",
                                  "stop": "2025-06-15", "outcome": "ineffective",
                                  "reason_stopped": "inefficacy"},
                                 {"therapy": "methotrexate", "start": "2024-01-01",
                                  "stop": "2025-01-01", "outcome": "ineffective",
                                  "reason_stopped": "inefficacy"},
                                 {"therapy": "azathioprine", "start": "2025-01-01",
                                  "outcome": "ongoing", "response": "none"}],
                     lab_results=[_lab("igg", 3.8, "g/L")])
    reason = next(w.reason for w in plan.withheld if w.therapy == "mycophenolate")
    # the lasting reason (B-cell depletion with infections; H374) before the start-once one
    assert reason.index("Rituximab within the last 2 years") < reason.index(
        "once the infection is treated")


def test_one_small_intact_deposit_in_active_disease_is_watched_not_drugged() -> None:
    plan = make_plan(organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": 6,
                                                     "ulcerated": False}]})
    calcinosis = next(r for r in plan.regimens if r.domain == "calcinosis")
    assert len(calcinosis.first_choice) == 1
    assert "no calcinosis-specific drug yet" in calcinosis.first_choice[0]
    assert all(a.endswith("if deposits grow, ulcerate or hurt") for a in calcinosis.alternatives)
    large = make_plan(organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": 35,
                                                      "ulcerated": True}]})
    calcinosis = next(r for r in large.regimens if r.domain == "calcinosis")
    assert len(calcinosis.first_choice) == 2


def test_postpartum_anaemia_asks_for_iron_studies() -> None:
    plan = make_plan(sex="female", months_since_onset=20,
                     reproduction={"pregnant": False, "breastfeeding": True},
                     lab_results=[{"analyte": "haemoglobin", "value": 104, "unit": "g/L",
                                   "date": "2026-11-25"}])
    line = next(a.text for a in plan.do_now if a.code == "anaemia_after_delivery")
    assert "iron studies" in line and "anaemia_cancer_flag" not in do_now(plan)
    assert "anaemia_after_delivery" not in do_now(make_plan(
        lab_results=[{"analyte": "haemoglobin", "value": 104, "unit": "g/L",
                      "date": "2026-11-25"}]))


def test_a_weak_alternative_carries_its_evidence() -> None:
    from myositis.services.careplan.regimen_lines import evidence_tag
    option = make_plan().options[0]
    assert evidence_tag(option.model_copy(update={"investigational": True})).endswith(
        "(in trials)")
    weak = option.model_copy(update={"investigational": False, "evidence_level": "very_low"})
    assert evidence_tag(weak).endswith("(case reports only)")
    strong = option.model_copy(update={"investigational": False, "evidence_level": "high"})
    assert evidence_tag(strong) == option.name


def test_jdm_active_after_a_year_on_second_line_agents_changes_strategy() -> None:
    base = {"sex": "male", "classification": {"age_at_onset": 9}, "weight_kg": 40,
            "months_since_onset": 30,
            "visits": [visit("2026-08-25", 3.5, 75, 900, 10), visit("2026-11-30", 4.5, 74, 950, 12)]}
    plan = make_plan(**base, treatments=[
        {"therapy": "methotrexate", "start": "2024-06-01", "outcome": "ongoing",
         "response": "partial"},
        {"therapy": "ivig", "start": "2024-07-01", "outcome": "ongoing", "response": "partial"}])
    assert "jdm_target_missed_on_second_line" in do_now(plan)
    early = make_plan(**base, treatments=[
        {"therapy": "methotrexate", "start": "2026-06-01", "outcome": "ongoing"},
        {"therapy": "ivig", "start": "2026-07-01", "outcome": "ongoing"}])
    assert "jdm_target_missed_on_second_line" not in do_now(early)

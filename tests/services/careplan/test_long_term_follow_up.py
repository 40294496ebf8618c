"""Long-term follow-up: a patient years into remission on maintenance is not treated as a new
case (skin agents for an unscored skin, 4-8 weekly reviews, 'soon' for a routine antibody) and
gets the long-term health checks (cardiovascular risk, glucocorticoid surveillance). SYNTHETIC
patients only."""

from __future__ import annotations

from typing import Any

from myositis.reports.careplan import to_markdown
from tests.services.careplan.conftest import do_now, lab, make_plan

NO_SKIN = {"heliotrope_rash": False, "gottron_papules": False}
REMISSION_VISIT = {"physician_global": 0.5, "patient_global": 1, "mmt8": 150, "mmt_max": 150,
                   "haq": 0.125, "extramuscular_global": 0}
FIVE_YEARS: dict[str, Any] = {
    "months_since_onset": 62,
    "diagnosis": {"subgroup": "dm", "confirmed_on": "2021-10-01"},
    "skin": NO_SKIN,  # the onset signs stay in the classification; none now
    "treatments": [
        {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
         "start": "2021-10-01"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2021-11-01"}],
    "labs": {"enzymes": {"ck": {"value": 110, "uln": 200}}},
    "lab_results": [lab("ck", 110, "U/L", 200, "2026-11-20"),
                    lab("egfr", 88, "mL/min/1.73m2", None, "2026-11-20")],
    "visits": [{"date": "2026-05-20", "core_set": REMISSION_VISIT,
                "glucocorticoid_mg_per_day": 5},
               {"date": "2026-11-20", "core_set": REMISSION_VISIT,
                "glucocorticoid_mg_per_day": 5}],
}


UNSCORED_VISIT = {k: v for k, v in REMISSION_VISIT.items() if k != "extramuscular_global"}
UNSCORED = {**FIVE_YEARS, "visits": [{**v, "core_set": UNSCORED_VISIT}
                                     for v in FIVE_YEARS["visits"]]}


def test_a_skin_recorded_quiet_years_on_is_stable() -> None:
    skin = next(d for d in make_plan(**FIVE_YEARS).state.domains if d.domain == "skin")
    assert skin.state == "stable"


def test_an_unscored_skin_in_remission_is_examined_before_a_skin_drug_is_added() -> None:
    plan = make_plan(**UNSCORED)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.state == "not scored"
    assert skin.first_choice[-1].startswith("Examine the skin and score it (CDASI activity)")
    assert "if active: Hydroxychloroquine" in skin.first_choice[-1]
    assert skin.alternatives == []


def test_an_unscored_skin_sets_no_four_to_eight_weekly_schedule() -> None:
    plan = make_plan(**UNSCORED)
    activity = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert "every 3-6 months while stable" in activity.text
    assert "4-8 weeks" not in activity.text


def test_an_option_taken_now_says_so_instead_of_an_unknown_history() -> None:
    plan = make_plan(**UNSCORED)
    methotrexate = next(o for o in plan.options if o.therapy == "methotrexate")
    assert methotrexate.taken_now
    text = to_markdown(plan)
    assert "previously: unknown" not in text
    assert "taken now" in text


def test_anti_mda5_untested_years_into_quiet_disease_is_routine() -> None:
    plan = make_plan(**FIVE_YEARS, antibodies={"mda5": {"status": "not_tested"}})
    actions = do_now(plan)
    assert actions.get("anti_mda5_not_tested_established") == "routine"
    assert "anti_mda5_not_tested_in_dm" not in actions


def test_anti_mda5_untested_in_new_disease_stays_soon() -> None:
    # seronegative so far: another myositis-specific antibody would explain the disease (Z31)
    plan = make_plan(antibodies={"mda5": {"status": "not_tested"}, "mi2": {"status": "negative"}})
    actions = do_now(plan)
    assert actions.get("anti_mda5_not_tested_in_dm") == "soon"
    assert "anti_mda5_not_tested_established" not in actions


def test_anti_mda5_untested_with_cough_years_on_stays_soon() -> None:
    plan = make_plan(**FIVE_YEARS, antibodies={"mda5": {"status": "not_tested"},
                                               "mi2": {"status": "negative"}},
                     systemic={"dyspnoea_or_cough": True})
    assert do_now(plan).get("anti_mda5_not_tested_in_dm") == "soon"


def test_an_adult_years_on_gets_a_cardiovascular_risk_review() -> None:
    plan = make_plan(**FIVE_YEARS)
    assert do_now(plan).get("cardiovascular_risk_review") == "routine"
    action = next(a for a in plan.do_now if a.kb_entry == "cardiovascular_risk_review")
    assert "drosos2022_eular_cvr" in action.citations


def test_no_cardiovascular_review_for_a_child_or_at_the_end_of_life() -> None:
    child = make_plan(**{**FIVE_YEARS, "date_of_birth": "2014-01-01",
                         "classification": {"age_at_onset": 7}})
    assert "cardiovascular_risk_review" not in do_now(child)
    comfort = make_plan(**FIVE_YEARS, care_goals={"treatment_ceiling": "comfort"})
    assert "cardiovascular_risk_review" not in do_now(comfort)


def test_no_cardiovascular_review_in_the_first_months() -> None:
    assert "cardiovascular_risk_review" not in do_now(make_plan(months_since_onset=3))


def test_low_dose_glucocorticoids_for_years_get_eye_glucose_and_blood_pressure_checks() -> None:
    plan = make_plan(**FIVE_YEARS)
    assert do_now(plan).get("glucocorticoid_long_term_surveillance") == "routine"
    action = next(a for a in plan.do_now
                  if a.kb_entry == "glucocorticoid_long_term_surveillance")
    assert "cataract" in action.text and "intraocular pressure" in action.text


def test_the_summary_lists_the_vaccine_reviews_as_one_item() -> None:
    text = to_markdown(make_plan(**FIVE_YEARS))
    also_due = next(line for line in text.splitlines() if line.startswith("- Also due"))
    assert "Vaccines not recorded [`" in also_due
    assert "Pneumococcal vaccine not recorded" not in also_due
    assert "influenza_vaccine_due" in also_due

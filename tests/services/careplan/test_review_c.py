"""Scenarios from specialist review C (December 2026, SYNTHETIC): follow-up visits and
first presentations; the tests hold the fixes for what the review found wrong or unsafe
(H311-H314)."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, merge


def _lab(analyte: str, value: float, unit: str, uln: float | None = None) -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "date": "2026-11-28", "uln": uln}


def test_a_varicella_susceptible_pregnant_woman_is_not_told_to_vaccinate() -> None:
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 10},
                     infection_screening={"vzv_igg": {"result": "negative"}})
    item = next(a for a in plan.do_now if a.code == "vzv_seronegative_pregnant")
    assert "no varicella vaccine now" in item.text and "after the birth" in item.text
    assert "vzv_seronegative" not in do_now(plan)
    assert not any("vaccinate before immunosuppression" in a.text for a in plan.do_now)


def test_methotrexate_does_not_lead_with_hepatitis_c_and_a_raised_alt() -> None:
    plan = make_plan(infection_screening={"hcv": {"result": "positive"}},
                     lab_results=[_lab("alt", 90, "U/L", 45)])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Methotrexate" not in said
    option = next(o for o in plan.options if o.therapy == "methotrexate")
    assert any(c.condition == "viral_hepatitis_with_raised_alt_hepatotoxic_dmard"
               for c in option.cautions)


MDA5_SKIN: dict[str, Any] = merge(ADULT_DM, {
    "classification": {"weakness": {"proximal_upper": False, "proximal_lower": False},
                       "elevated_muscle_enzymes": False},
    "labs": {"enzymes": {"ck": {"value": 90, "uln": 200}}},
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "skin": {"gottron_papules": True, "cutaneous_ulceration": True},
    "months_since_onset": 2,
})


def test_anti_mda5_skin_ulcers_name_the_agents_and_watch_the_lung_closely() -> None:
    plan = make_plan(MDA5_SKIN)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    said = " ".join(skin.first_choice)
    assert "Mycophenolate mofetil or Tacrolimus" in said and "0.5-1 mg/kg/day" in said
    lung = next(m for m in plan.monitoring if m.therapy == "Lung")
    assert "every 4-6 weeks" in lung.text
    assert "pjp_prophylaxis_mda5" in do_now(plan)  # the ulcer regimen brings it
    pregnant = make_plan(MDA5_SKIN, reproduction={"pregnant": True, "gestation_weeks": 12})
    said = " ".join(next(r for r in pregnant.regimens if r.domain == "skin").first_choice)
    assert "Mycophenolate" not in said


def test_dysphagia_graded_none_now_is_not_current_dysphagia() -> None:
    past = make_plan(classification={"dysphagia_or_esophageal_dysmotility": True},
                     organs={"dysphagia": "none"})
    assert "dysphagia" not in {f.code for f in past.flags}
    now = make_plan(classification={"dysphagia_or_esophageal_dysmotility": True})
    assert "dysphagia" in {f.code for f in now.flags}


def test_anti_hbc_with_rituximab_already_given_is_urgent() -> None:
    plan = make_plan(infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "positive"}},
                     treatments=[{"therapy": "rituximab", "start": "2026-03-01",
                                  "outcome": "ongoing"}])
    item = next(a for a in plan.do_now
                if a.code == "anti_hbc_rituximab_taken_without_prophylaxis")
    assert item.urgency == "urgent" and "no further rituximab" in item.text
    covered = make_plan(infection_screening={"hbsag": {"result": "negative"},
                                             "anti_hbc": {"result": "positive"}},
                        other_medicines=["hbv_active_antiviral"],
                        treatments=[{"therapy": "rituximab", "start": "2026-03-01",
                                     "outcome": "ongoing"}])
    assert "anti_hbc_rituximab_taken_without_prophylaxis" not in do_now(covered)


def test_fever_at_presentation_gets_an_infection_work_up() -> None:
    plan = make_plan(systemic={"fever": True})
    assert "fever_before_immunosuppression" in do_now(plan)
    assert "fever_before_immunosuppression" not in do_now(make_plan())


def test_small_intact_calcinosis_in_quiet_disease_is_watched() -> None:
    from tests.services.careplan.test_safety_rules import visit

    def plan(size: int, ulcerated: bool) -> Any:
        return make_plan(months_since_onset=60, skin={"heliotrope_rash": False,
                                                      "gottron_papules": False},
                         visits=[visit("2026-05-01", 0.5, 80, 150, 0, ext=0),
                                 visit("2026-11-20", 0.5, 80, 150, 0, ext=0)],
                         organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": size,
                                                         "ulcerated": ulcerated}]})

    small = next(r for r in plan(8, False).regimens if r.domain == "calcinosis")
    assert small.first_choice[0].startswith("observe")
    large = next(r for r in plan(35, True).regimens if r.domain == "calcinosis")
    assert not large.first_choice[0].startswith("observe")


def test_the_imnm_sentence_and_the_lung_flag_say_only_what_is_so() -> None:
    from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK

    srp = make_plan(HMGCR_TEXTBOOK, antibodies={"srp": {"status": "positive"},
                                                "hmgcr": {"status": "negative"}})
    decision = next(r for r in srp.regimens if r.domain == "muscle").decision_point
    assert "withheld for this patient" not in decision
    plan = make_plan(MDA5_SKIN)
    flag = next(f for f in plan.flags if f.code == "ild_surveillance")
    assert "every 4-6 weeks" in flag.text


def test_a_drug_stopped_for_side_effects_is_not_called_failed() -> None:
    plan = make_plan(months_since_onset=40, treatments=[
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2023-10-01", "stop": "2024-06-10", "outcome": "not_tolerated",
         "reason_stopped": "adverse_event"},
        {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg", "start": "2023-09-15",
         "outcome": "ongoing"}])
    basis = " ".join(b for d in plan.state.domains if d.domain == "muscle" for b in d.basis)
    assert "methotrexate not tolerated" in basis and "methotrexate failed" not in basis


def test_co_trimoxazole_in_pregnancy_carries_the_folate_caveat() -> None:
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 10},
                     other_medicines=["co_trimoxazole"])
    item = next(a for a in plan.do_now if a.code == "co_trimoxazole_pregnancy")
    assert "atovaquone" in item.text and "folic acid" in item.text
    assert "co_trimoxazole_pregnancy" not in do_now(make_plan(other_medicines=["co_trimoxazole"]))


def test_an_older_patient_starting_glucocorticoids_gets_bone_medication_not_an_assessment() -> None:
    older = make_plan(classification={"age_at_onset": 72}, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
         "start": "2026-11-25", "outcome": "ongoing"}])
    actions = do_now(older)
    assert "giop_older_or_falling" in actions and "bone_protection_start" not in actions
    younger = make_plan(treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
         "start": "2026-11-25", "outcome": "ongoing"}])
    assert "giop_older_or_falling" not in do_now(younger)


def test_overdue_drug_bloods_are_a_do_now_line() -> None:
    course = {"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
              "start": "2024-01-01", "outcome": "ongoing"}
    none_recorded = make_plan(treatments=[course], lab_results=[])
    assert "drug_monitoring_overdue" in do_now(none_recorded)
    recent = make_plan(treatments=[course], lab_results=[
        {"analyte": "wbc", "value": 6.1, "unit": "10^9/L", "date": "2026-11-20"},
        {"analyte": "alt", "value": 20, "unit": "U/L", "uln": 45, "date": "2026-11-20"}])
    assert "drug_monitoring_overdue" not in do_now(recent)
    new_course = make_plan(treatments=[{**course, "start": "2026-11-01"}], lab_results=[])
    assert "drug_monitoring_overdue" not in do_now(new_course)


def test_a_flat_last_step_is_a_plateau_not_still_improving() -> None:
    from myositis.services.muscle_trend import muscle_improving
    from tests.services.careplan.conftest import make_record

    def record(last: int) -> Any:
        return make_record(visits=[
            {"date": d, "core_set": {"physician_global": 3, "patient_global": 3,
                                     "extramuscular_global": 1, "mmt8": m, "mmt_max": 150,
                                     "haq": 1}}
            for d, m in (("2026-03-01", 110), ("2026-08-20", 124), ("2026-11-20", last))])

    assert muscle_improving(record(124)) is None
    assert muscle_improving(record(127)) is not None

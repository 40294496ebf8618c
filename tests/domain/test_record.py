"""PatientRecord: old profiles stay valid, unknown is not "no", strict types, plausibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from myositis.domain.antibodies import Antibody
from myositis.domain.record import PatientRecord
from myositis.services.scenarios import load_scenarios

MINIMAL: dict[str, Any] = {"id": "SYN-R", "classification": {"age_at_onset": 40}}


def test_every_bundled_scenario_is_a_record() -> None:
    for scenario in load_scenarios():
        assert isinstance(scenario, PatientRecord)


def test_absent_is_unknown_not_no() -> None:
    record = PatientRecord.model_validate(MINIMAL)
    assert record.comorbidities.latent_tb is None
    assert record.reproduction.pregnant is None
    assert record.statin_exposure is None
    assert record.infection_screening.hbsag is None


@pytest.mark.parametrize(("path", "value"), [
    (("weight_kg",), True), (("weight_kg",), "70"), (("weight_kg",), float("inf")),
    (("reproduction", "gestation_weeks"), 12.5), (("reproduction", "pregnant"), 1),
])
def test_strict_types(path: tuple[str, ...], value: Any) -> None:
    doc: dict[str, Any] = {**MINIMAL}
    target = doc
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        PatientRecord.model_validate(doc)


def test_future_and_duplicate_visits_refused() -> None:
    with pytest.raises(ValidationError, match="after today"):
        PatientRecord.model_validate({**MINIMAL, "today": "2026-01-01",
                                      "visits": [{"date": "2031-01-01"}]})
    with pytest.raises(ValidationError, match="same date"):
        PatientRecord.model_validate({**MINIMAL, "visits": [{"date": "2025-01-01"},
                                                            {"date": "2025-01-01"}]})


def test_units_are_part_of_the_value() -> None:
    with pytest.raises(ValidationError, match="unit of creatinine"):
        PatientRecord.model_validate({**MINIMAL, "lab_results": [
            {"analyte": "creatinine", "value": 1.1, "unit": "mg/dL", "date": "2025-01-01"}]})


def test_dose_needs_its_unit() -> None:
    with pytest.raises(ValidationError, match="dose_value and dose_unit"):
        PatientRecord.model_validate({**MINIMAL, "treatments": [
            {"therapy": "methotrexate", "dose_value": 15}]})


def test_antibody_tests_merge_into_profile() -> None:
    record = PatientRecord.model_validate({**MINIMAL, "antibody_tests": [
        {"antibody": "mda5", "result": "positive", "method": "line_blot", "level": "strong",
         "date": "2025-03-01"}]})
    assert record.all_antibodies().mda5.status == "positive"


def test_age_from_date_of_birth() -> None:
    record = PatientRecord.model_validate({**MINIMAL, "date_of_birth": "2000-06-01",
                                           "today": "2026-06-01"})
    assert round(record.age_years()) == 26
    assert record.on() == dt.date(2026, 6, 1)


def test_confirmed_diagnosis_without_classification_block() -> None:
    record = PatientRecord.model_validate({"id": "SYN-C", "date_of_birth": "1970-06-01",
                                           "today": "2026-06-01", "months_since_onset": 12,
                                           "diagnosis": {"subgroup": "dm"}})
    assert record.classification.age_at_onset == pytest.approx(55.0, abs=0.1)
    with pytest.raises(ValidationError, match="classification"):
        PatientRecord.model_validate({"id": "SYN-C2", "diagnosis": {"subgroup": "dm"}})


def test_ckd_epi_2021_matches_the_published_worked_example() -> None:
    import pytest

    from myositis.domain.labs import ckd_epi_2021
    # NKF worked example: woman of 55, creatinine 0.9 mg/dL -> about 76 mL/min/1.73 m2
    assert ckd_epi_2021(0.9 * 88.4, 55, "female") == pytest.approx(75.5, abs=0.1)
    # at the hinge (Scr = kappa) only the age and sex terms remain
    assert ckd_epi_2021(0.9 * 88.4, 40, "male") == pytest.approx(142 * 0.9938 ** 40)
    with pytest.raises(ValueError):
        ckd_epi_2021(80, 12, "male")


def test_a_visit_without_enzymes_takes_the_dated_ck_within_30_days() -> None:
    record = PatientRecord.model_validate({
        **MINIMAL, "today": "2026-12-01",
        "visits": [{"date": "2026-06-01", "core_set": {"physician_global": 1.0}},
                   {"date": "2026-11-10", "core_set": {"physician_global": 4.0},
                    "labs": {"enzymes": {"ck": {"value": 300, "uln": 200}}}},
                   {"date": "2026-11-30", "core_set": {"physician_global": 4.0}}],
        "lab_results": [
            {"analyte": "ck", "value": 180, "unit": "U/L", "uln": 200, "date": "2026-05-25"},
            {"analyte": "ck", "value": 2000, "unit": "U/L", "uln": 200, "date": "2026-11-20"},
            {"analyte": "ck", "value": 900, "unit": "U/L", "uln": 200, "date": "2026-08-01"},
            {"analyte": "aldolase", "value": 9, "unit": "U/L", "date": "2026-05-30"}]})
    filled = record.with_visit_enzymes()
    first, own, last = (v.labs.enzymes for v in filled.visits)
    assert {e.value: r.value for e, r in first.items()} == {"ck": 180}  # aldolase has no ULN
    assert own["ck"].value == 300  # a visit's own result is never replaced
    assert last["ck"].value == 2000 and last["ck"].date == dt.date(2026, 11, 20)
    assert record.visits[0].labs.enzymes == {}  # the record itself is unchanged
    far = PatientRecord.model_validate({**MINIMAL, "visits": [{"date": "2026-06-01"}],
                                        "lab_results": [{"analyte": "ck", "value": 180,
                                                         "unit": "U/L", "uln": 200,
                                                         "date": "2026-07-02"}]})
    assert far.with_visit_enzymes().visits[0].labs.enzymes == {}  # 31 days away


def test_an_antibody_panel_keeps_untested_antibodies_out() -> None:
    from myositis.domain.record_sections import AntibodyPanel
    panel = AntibodyPanel.model_validate({
        "date": "2026-10-01", "method": "line_blot",
        "results": {"mda5": "negative", "jo1": "positive", "ro52": "indeterminate"},
        "levels": {"jo1": "strong"}})
    entries = panel.entries()
    assert [(e.antibody.value, e.result, e.level) for e in entries] == [
        ("jo1", "positive", "strong"), ("mda5", "negative", None),
        ("ro52", "indeterminate", None)]  # domain order; only what was tested
    assert {e.method for e in entries} == {"line_blot"}
    assert {e.date for e in entries} == {dt.date(2026, 10, 1)}


def test_an_antibody_panel_names_every_bad_field() -> None:
    from myositis.domain.record_sections import AntibodyPanel
    with pytest.raises(ValidationError) as caught:
        AntibodyPanel.model_validate({"date": "soon", "method": "western",
                                      "results": {"xx": "positive"}})
    assert {str(e["loc"][0]) for e in caught.value.errors()} == {"date", "method", "results"}
    with pytest.raises(ValidationError, match="at least 1"):
        AntibodyPanel.model_validate({"date": "2026-10-01", "results": {}})
    with pytest.raises(ValidationError, match=r"only for a positive result.*anti-MDA5"):
        AntibodyPanel.model_validate({"date": "2026-10-01", "results": {"mda5": "negative"},
                                      "levels": {"mda5": "weak"}})


def test_a_weak_blot_positive_gives_way_to_a_later_negative_immunoprecipitation() -> None:
    def record(*tests: dict[str, Any]) -> PatientRecord:
        return PatientRecord.model_validate({**MINIMAL, "antibody_tests": list(tests)})

    blot = {"antibody": "mi2", "result": "positive", "method": "line_blot", "level": "weak",
            "date": "2026-03-01"}
    ip_negative = {"antibody": "mi2", "result": "negative", "method": "immunoprecipitation",
                   "date": "2026-06-01"}
    assert record(blot, ip_negative).all_antibodies().result(Antibody.MI2).status == "negative"
    # a strong blot positive, or a later negative by blot again, still wins (never miss one)
    strong = dict(blot, level="strong")
    assert record(strong, ip_negative).all_antibodies().result(Antibody.MI2).status == "positive"
    blot_negative = dict(ip_negative, method="line_blot")
    assert record(blot, blot_negative).all_antibodies().result(Antibody.MI2).status == "positive"
    # an earlier negative immunoprecipitation does not cancel a later positive
    assert record(dict(ip_negative, date="2025-01-01"), blot).all_antibodies().result(
        Antibody.MI2).status == "positive"


def test_a_record_with_only_the_lung_series_reads_its_latest_entry() -> None:
    # a record giving lung_measures without `lung` read as "no lung assessment in 3 months"
    # and called a stable lung active (H839)
    base = {"id": "SYN-L", "sex": "female", "months_since_onset": 7, "today": "2026-12-01",
            "classification": {"age_at_onset": 50}}
    series = [{"date": "2026-11-15", "fvc_percent_predicted": 72, "course": "stable"},
              {"date": "2026-06-05", "fvc_percent_predicted": 68, "course": "progressive"}]
    record = PatientRecord.model_validate({**base, "lung_measures": series})
    assert record.lung is not None and record.lung.date == dt.date(2026, 11, 15)
    assert record.lung.course == "stable"
    summary = {"date": "2026-11-30", "fvc_percent_predicted": 70, "course": "stable"}
    kept = PatientRecord.model_validate({**base, "lung_measures": series, "lung": summary})
    assert kept.lung is not None and kept.lung.date == dt.date(2026, 11, 30)
    assert PatientRecord.model_validate(base).lung is None


def test_a_transplanted_organ_makes_a_transplant_recipient() -> None:
    record = PatientRecord.model_validate({**MINIMAL,
                                           "comorbidities": {"transplanted_organs": ["lung"]}})
    assert record.comorbidities.solid_organ_transplant is True
    assert "transplanted_organs" not in record.comorbidities.active()
    with pytest.raises(ValidationError, match="transplanted_organs lists an organ"):
        PatientRecord.model_validate({**MINIMAL, "comorbidities": {
            "transplanted_organs": ["kidney"], "solid_organ_transplant": False}})
    assert PatientRecord.model_validate(MINIMAL).comorbidities.solid_organ_transplant is None


def test_mental_health_is_unknown_until_recorded_and_strictly_typed() -> None:
    assert PatientRecord.model_validate(MINIMAL).mental_health.bipolar_disorder is None
    with pytest.raises(ValidationError, match="suicide_risk"):
        PatientRecord.model_validate({**MINIMAL, "mental_health": {"suicide_risk": "yes"}})

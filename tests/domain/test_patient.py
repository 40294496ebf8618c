"""Domain model: impossible input is rejected with the field and its allowed range."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from myositis.domain.antibodies import Antibody, AntibodyProfile
from myositis.domain.labs import Enzyme, EnzymeResult, Labs
from myositis.domain.patient import CoreSetMeasures, Medication, Patient, PatientRecord, Visit


def test_vas_above_10_names_field_and_range() -> None:
    with pytest.raises(ValidationError) as info:
        CoreSetMeasures(physician_global=12)
    error = info.value.errors()[0]
    assert error["loc"] == ("physician_global",)
    assert "less than or equal to 10" in error["msg"]


def test_mmt_above_maximum_rejected() -> None:
    with pytest.raises(ValidationError, match="mmt_max"):
        CoreSetMeasures(mmt8=90, mmt_max=80)
    assert CoreSetMeasures(mmt8=140, mmt_max=150).mmt8 == 140


def test_negative_ck_rejected() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        EnzymeResult(value=-1, uln=200)


def test_onset_after_visit_rejected() -> None:
    patient = Patient(id="SYN-1", age_years=40, symptom_onset=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="symptom onset must not be after a visit"):
        PatientRecord(patient=patient, visits=[Visit(date=dt.date(2026, 1, 1))])


def test_patient_needs_age_or_birth_date_and_computes_age() -> None:
    with pytest.raises(ValidationError, match="date_of_birth or age_years"):
        Patient(id="SYN-2")
    p = Patient(id="SYN-3", date_of_birth=dt.date(1970, 6, 15), symptom_onset=dt.date(2020, 6, 14))
    assert p.age_at_onset() == 49
    assert p.age_on(dt.date(2020, 6, 15)) == 50


def test_medication_stop_before_start() -> None:
    with pytest.raises(ValidationError, match="stop must not be before start"):
        Medication(therapy="methotrexate", start=dt.date(2026, 2, 1), stop=dt.date(2026, 1, 1))


def test_antibody_profile_defaults_to_not_tested() -> None:
    profile = AntibodyProfile.model_validate({"mda5": {"status": "positive", "level": "strong"},
                                              "jo1": {"status": "negative"}})
    assert profile.positive() == {Antibody.MDA5}
    assert profile.result(Antibody.SRP).status == "not_tested"
    assert not profile.msa_negative()
    assert AntibodyProfile.model_validate({"jo1": {"status": "negative"}}).msa_negative()
    with pytest.raises(ValidationError):
        AntibodyProfile.model_validate({"mda5": {"status": "maybe"}})


def test_most_abnormal_enzyme() -> None:
    labs = Labs(enzymes={Enzyme.CK: EnzymeResult(value=400, uln=200),
                         Enzyme.ALDOLASE: EnzymeResult(value=30, uln=7.5)})
    found = labs.most_abnormal_enzyme()
    assert found is not None and found[0] is Enzyme.ALDOLASE
    assert labs.any_enzyme_elevated()
    assert Labs().most_abnormal_enzyme() is None

"""Trial matching input from a patient record: the subgroups the care plan follows (not only the
EULAR/ACR tree, so IBM and IMNM patients match their own trials), positive antibodies, age, sex
and the clinic's country."""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.services.careplan import build_care_plan
from myositis.services.evidence import TrialPatient


def trial_patient(record: PatientRecord, country: str | None = None,
                  phenotypes: list[str] | None = None) -> TrialPatient:
    """``phenotypes`` from a care plan already built for this record (else one is built)."""
    subgroups = set(phenotypes if phenotypes is not None else build_care_plan(record).phenotypes)
    if record.diagnosis.subgroup and record.diagnosis.subgroup != "unclassified":
        subgroups.add(record.diagnosis.subgroup)
    if "adm" in subgroups or "jdm" in subgroups:
        subgroups.add("dm")  # dermatomyositis trials include amyopathic and juvenile forms
    return TrialPatient(subgroups=sorted(subgroups),
                        antibodies=sorted(a.value for a in record.all_antibodies().positive()),
                        age_years=record.age_years(), sex=record.sex, country=country)

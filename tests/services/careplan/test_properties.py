"""Properties over generated SYNTHETIC records (clinical-safety principles 1, 7, 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myositis.domain.antibodies import Antibody
from myositis.domain.record import Comorbidities, PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import build_care_plan
from myositis.services.careplan.options import CONDITION_FACTS
from tests.services.careplan.conftest import merge

IMMUNOSUPPRESSIVE = set(load().group_members("immunosuppressive")) | {"ivig", "scig"}
SETTINGS = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow],
                    deadline=None)

antibody_docs = st.dictionaries(
    st.sampled_from([a.value for a in Antibody]),
    st.fixed_dictionaries({"status": st.sampled_from(["positive", "negative"])}),
    max_size=4,
)
tristate = st.sampled_from([True, False, None])


def _doc(age: int, sex: str, weak: bool, skin: bool, jo1: bool, biopsy: bool,
         abs_: dict[str, Any], comorb: dict[str, Any], systemic: dict[str, bool],
         refractory: bool, months: int) -> dict[str, Any]:
    if sex == "male":
        comorb = {**comorb, "pregnancy": None, "breastfeeding": None}
    return {
        "id": "SYN-PROP", "label": "SYNTHETIC", "sex": sex, "today": "2026-12-01",
        "months_since_onset": months,
        "classification": {
            "age_at_onset": age,
            "weakness": {"proximal_upper": weak, "proximal_lower": weak},
            "skin": {"heliotrope_rash": skin, "gottron_papules": skin},
            "anti_jo1": jo1, "elevated_muscle_enzymes": True,
            "biopsy": {"rimmed_vacuoles": True, "endomysial_infiltrate": True} if biopsy else None,
        },
        "antibodies": abs_, "comorbidities": comorb, "systemic": systemic,
        "skin_refractory": refractory, "persistent_high_activity": refractory,
        "treatments": [{"therapy": "methotrexate", "outcome": "ineffective"},
                       {"therapy": "azathioprine", "outcome": "ineffective"}]
        if refractory else [],
    }


docs = st.builds(
    _doc, st.integers(2, 85), st.sampled_from(["female", "male", "unknown"]), st.booleans(),
    st.booleans(), st.booleans(), st.booleans(), antibody_docs,
    st.fixed_dictionaries({k: tristate for k, f in Comorbidities.model_fields.items()
                           if f.annotation != (dt.date | None)
                           and k not in ("smoking_status", "infection_focus",
                                         "transplanted_organs", "liver_disease")}),  # yes/no
    st.fixed_dictionaries({k: st.booleans() for k in (
        "dysphagia", "interstitial_lung_disease", "rapidly_progressive_ild_suspected",
        "cardiac_symptoms")}),
    st.booleans(), st.integers(0, 120),
)


def plan_of(doc: dict[str, Any]) -> Any:
    return build_care_plan(PatientRecord.model_validate(doc), load())


@SETTINGS
@given(docs)
def test_every_option_cited_and_contraindications_flagged(doc: dict[str, Any]) -> None:
    kb = load()
    plan = plan_of(doc)
    record = PatientRecord.model_validate(doc)
    present = record.comorbidities.active()
    for option in plan.options:
        assert option.citations, option.therapy
        assert set(option.citations) <= set(plan.sources)
        therapy = kb.therapy(option.therapy)
        relevant = {c.condition for c in therapy.contraindications
                    if c.condition in present and c.condition in CONDITION_FACTS}
        assert not {c.condition for c in therapy.contraindications
                    if c.condition in relevant and c.severity == "absolute"}
        assert relevant <= {c.condition for c in option.cautions}, option.therapy
    for held in plan.withheld:
        assert held.citations and held.reason
    offered = {o.therapy for o in plan.options}
    assert not offered & {w.therapy for w in plan.not_recommended}


@SETTINGS
@given(docs)
def test_no_immunosuppression_in_ibm(doc: dict[str, Any]) -> None:
    plan = plan_of(doc)
    if "ibm" in plan.phenotypes:
        assert not {o.therapy for o in plan.options} & IMMUNOSUPPRESSIVE


@SETTINGS
@given(docs)
def test_every_option_offered_in_pregnancy_has_curated_pregnancy_data(doc: dict[str, Any]) -> None:
    if doc["sex"] == "male":
        return
    kb = load()
    plan = plan_of(merge(doc, {"reproduction": {"pregnant": True}}))
    for option in plan.options:
        reproduction = kb.therapy(option.therapy).reproduction
        assert reproduction is not None and reproduction.pregnancy != "no_data", option.therapy
        assert reproduction.pregnancy != "contraindicated", option.therapy


@SETTINGS
@given(docs)
def test_no_sex_specific_test_for_the_other_sex(doc: dict[str, Any]) -> None:
    plan = plan_of(doc)
    tests = " ".join(plan.cancer_screening.tests_due)
    if doc["sex"] == "male":
        assert "(women" not in tests and "Mammography" not in tests
    if doc["sex"] == "female":
        assert "PSA" not in tests


UNKNOWN_VS_NEGATIVE: list[tuple[str, dict[str, Any]]] = [
    ("infection_screening", {"hbsag": {"result": "negative"}}),
    ("infection_screening", {"anti_hbc": {"result": "negative"}}),
    ("infection_screening", {"tb_test": {"result": "negative"}}),
    ("immunogenetics", {"tpmt": "normal", "nudt15": "normal"}),
    ("immunogenetics", {"g6pd": "normal"}),
    ("immunogenetics", {"iga_deficiency": False}),
    ("reproduction", {"pregnant": False}),
    ("reproduction", {"planning_conception": False}),
    ("reproduction", {"breastfeeding": False}),
    ("cancer", {"active_cancer": False}),
]


@SETTINGS
@given(docs, st.sampled_from(UNKNOWN_VS_NEGATIVE))
def test_absent_never_enables_what_negative_would_not(
        doc: dict[str, Any], change: tuple[str, dict[str, Any]]) -> None:
    section, negative = change
    if doc["sex"] == "male" and section == "reproduction":
        return
    comorb = {k: None for k in Comorbidities.model_fields if k != "transplanted_organs"}
    unknown_doc = merge(doc, {"comorbidities": comorb})
    negative_doc = merge(unknown_doc, {section: negative})
    unknown_plan, negative_plan = plan_of(unknown_doc), plan_of(negative_doc)
    offered_unknown = {o.therapy for o in unknown_plan.options}
    offered_negative = {o.therapy for o in negative_plan.options}
    assert offered_unknown <= offered_negative
    cautions_unknown = sum(len(o.cautions) for o in unknown_plan.options)
    cautions_negative = sum(len(o.cautions) for o in negative_plan.options
                            if o.therapy in offered_unknown)
    assert cautions_unknown >= cautions_negative

"""Properties over random synthetic profiles: every option cited, no unflagged contraindication."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myositis.domain.antibodies import Antibody
from myositis.knowledge import load
from myositis.services.careplan import CarePlanInput, build_care_plan
from myositis.services.careplan.model import Comorbidities

antibody_docs = st.dictionaries(
    st.sampled_from([a.value for a in Antibody]),
    st.fixed_dictionaries({"status": st.sampled_from(["positive", "negative"])}),
    max_size=4,
)
profiles = st.builds(
    lambda age, weak, skin, jo1, biopsy, abs_, comorb, systemic, refractory, calcinosis, statin:
    CarePlanInput.model_validate({
        "id": "SYN-PROP",
        "months_since_onset": 6,
        "classification": {
            "age_at_onset": age,
            "weakness": {"proximal_upper": weak, "proximal_lower": weak},
            "skin": {"heliotrope_rash": skin, "gottron_papules": skin},
            "anti_jo1": jo1, "elevated_muscle_enzymes": True,
            "biopsy": {"rimmed_vacuoles": True, "endomysial_infiltrate": True} if biopsy else None,
        },
        "antibodies": abs_,
        "comorbidities": comorb,
        "systemic": systemic,
        "skin_refractory": refractory,
        "skin": {"calcinosis": calcinosis},
        "statin_exposure": statin,
        "persistent_high_activity": refractory,
    }),
    st.integers(2, 85), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
    antibody_docs,
    st.fixed_dictionaries({k: st.booleans() for k in Comorbidities.model_fields}),
    st.fixed_dictionaries({k: st.booleans() for k in (
        "dysphagia", "interstitial_lung_disease", "rapidly_progressive_ild_suspected",
        "cardiac_symptoms")}),
    st.booleans(), st.booleans(), st.booleans(),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(profiles)
def test_every_option_cited_and_contraindications_flagged(profile: CarePlanInput) -> None:
    kb = load()
    plan = build_care_plan(profile, kb)
    conditions = profile.comorbidities.active()
    for option in plan.options:
        assert option.citations, option.therapy
        assert set(option.citations) <= set(plan.sources)
        therapy = kb.therapy(option.therapy)
        relevant = {c.condition for c in therapy.contraindications if c.condition in conditions}
        absolute = {c.condition for c in therapy.contraindications
                    if c.condition in conditions and c.severity == "absolute"}
        assert not absolute, f"{option.therapy} offered despite {absolute}"
        assert relevant <= {c.condition for c in option.cautions}, option.therapy
    for held in plan.withheld:
        assert held.citations and held.reason
    offered = {o.therapy for o in plan.options}
    assert not offered & {w.therapy for w in plan.not_recommended}
    if "ibm" in plan.phenotypes and plan.phenotypes == ["ibm"]:
        assert not offered & {"methotrexate", "azathioprine", "glucocorticoids_oral"}

"""IMACS 2023 cancer-screening risk level and the tests due, from the knowledge-base data.

Each factor's level and the counting thresholds live in guidance.yaml, so a corrected factor list
or rule (the guideline figure was read only through secondary sources) is a data change.
"""

from __future__ import annotations

from myositis.domain.antibodies import ANTISYNTHETASE, MYOSITIS_ASSOCIATED, Antibody
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import CancerScreening, CarePlanInput, ScreeningFactor

SCOPE_MONTHS = 36
ANTIBODY_FACTORS = {
    Antibody.TIF1G: "anti_tif1g", Antibody.NXP2: "anti_nxp2", Antibody.SAE: "anti_sae1",
    Antibody.HMGCR: "anti_hmgcr", Antibody.MI2: "anti_mi2", Antibody.MDA5: "anti_mda5",
    Antibody.SRP: "anti_srp", Antibody.JO1: "anti_jo1",
}


def present_factors(profile: CarePlanInput, phenotype_list: list[str]) -> set[str]:
    """IMACS factor ids present in this patient (ids as in guidance.yaml)."""
    found: set[str] = set()
    positive = profile.antibodies.positive()
    if "adm" in phenotype_list:
        found.add("cadm")
    elif "dm" in phenotype_list:
        found.add("dermatomyositis")
    if "imnm" in phenotype_list:
        found.add("imnm")
    elif "pm" in phenotype_list:
        found.add("polymyositis")
    if "asys" in phenotype_list:
        found.add("antisynthetase_syndrome")
    if "overlap" in phenotype_list:
        found.add("overlap_myositis")
    found.update(ANTIBODY_FACTORS[a] for a in positive if a in ANTIBODY_FACTORS)
    if positive & (ANTISYNTHETASE - {Antibody.JO1}):
        found.add("non_jo1_antisynthetase")
    if positive & MYOSITIS_ASSOCIATED:
        found.add("maa")
    if profile.classification.age_at_onset > 40:
        found.add("age_over_40_at_onset")
    if profile.persistent_high_activity:
        found.add("persistent_high_disease_activity")
    if profile.systemic.dysphagia or profile.classification.dysphagia_or_esophageal_dysmotility:
        found.add("dysphagia_moderate_severe")
    if profile.skin.cutaneous_ulceration:
        found.add("cutaneous_necrosis")
    if profile.sex == "male":
        found.add("male_sex")
    if profile.systemic.raynaud:
        found.add("raynaud")
    if profile.systemic.arthritis:
        found.add("inflammatory_arthropathy")
    if profile.systemic.interstitial_lung_disease:
        found.add("ild")
    return found


def cancer_screening(
    profile: CarePlanInput, kb: KnowledgeBase, phenotype_list: list[str]
) -> CancerScreening:
    guideline = kb.guidance.cancer_screening
    rule = guideline.risk_assignment
    present = present_factors(profile, phenotype_list)
    factors = [f for f in guideline.risk_factors if f.factor in present]
    highs = sum(f.level == "high" for f in factors)
    intermediates = sum(f.level == "intermediate" for f in factors)
    if highs >= rule.high_min_high_factors:
        risk = "high"
    elif highs >= rule.moderate_min_high_factors or (
        intermediates >= rule.moderate_min_intermediate_factors
    ):
        risk = "moderate"
    else:
        risk = "standard"
    citations = sorted({guideline.source, *rule.sources,
                        *(k for f in factors for k in f.sources)})
    notes = []
    if not rule.confirmed:
        notes.append("Risk-level counting rule is from a secondary report of the guideline and "
                     "is not confirmed against its figure: " + rule.text)
    juvenile = profile.classification.age_at_onset < 18
    within_scope = profile.months_since_onset <= SCOPE_MONTHS
    applicable = not juvenile and within_scope and "ibm" not in phenotype_list
    schedule = next(s for s in guideline.schedule if s.risk == risk)
    tests: list[str] = []
    additional: list[str] = []
    if juvenile:
        notes.append(guideline.juvenile.text)
        citations.extend(k for k in guideline.juvenile.sources if k not in citations)
    elif not within_scope:
        notes.append("The guideline covers the first 3 years after symptom onset.")
    elif "ibm" in phenotype_list:
        notes.append("IBM is not among the guideline's risk factors; follow age- and "
                     "sex-appropriate national screening.")
    else:
        first_year = profile.months_since_onset < 12
        panels = schedule.panels_at_diagnosis if first_year else schedule.annual_panels
        for panel in panels:
            tests.extend(f"{panel}: {item}" for item in guideline.panels[panel].items)
            citations.extend(k for k in guideline.panels[panel].sources if k not in citations)
        modalities = {m.id: m for m in guideline.additional_modalities}
        # The PET-CT rule's second limb (anti-TIF1g DM, onset > 40, >= 1 more high-risk
        # feature) always implies >= 2 high-risk factors, so it falls inside the high branch.
        if risk == "high":
            additional.append(modalities["pet_ct"].statement)
            additional.append(modalities["gi_endoscopy"].statement)
        if profile.nasopharyngeal_carcinoma_region:
            additional.append(modalities["nasoendoscopy"].statement)
        if not schedule.confirmed:
            notes.append("Schedule not confirmed against the guideline figure: " + schedule.plan)
    return CancerScreening(
        risk=risk,
        applicable=applicable,
        factors=[ScreeningFactor(factor=f.factor, level=f.level, text=f.text) for f in factors],
        tests_due=tests,
        schedule=schedule.plan,
        additional=additional,
        notes=notes,
        citations=citations,
    )

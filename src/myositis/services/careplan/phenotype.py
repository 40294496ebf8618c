"""Phenotypes (the knowledge base's vocabulary) and complications implied by a profile."""

from __future__ import annotations

from myositis.domain.antibodies import ANTISYNTHETASE, Antibody
from myositis.domain.instruments.eular_acr_2017 import EularAcrResult
from myositis.services.careplan.model import CarePlanInput

SUBGROUP_PHENOTYPE = {
    "DM": "dm", "ADM": "adm", "PM": "pm", "IBM": "ibm", "JDM": "jdm", "juvenile_non_dm": "jdm",
}
OVERLAP = {Antibody.PMSCL, Antibody.KU, Antibody.U1RNP}
IMNM = {Antibody.SRP, Antibody.HMGCR}
DM_ANTIBODIES = {Antibody.MI2, Antibody.MDA5, Antibody.TIF1G, Antibody.NXP2, Antibody.SAE}


def phenotypes(profile: CarePlanInput, classification: EularAcrResult) -> list[str]:
    """The patient's phenotypes, from the EULAR/ACR subgroup refined by antibodies and biopsy.

    An unclassified patient (e.g. biopsy still required) is given the phenotype its antibodies
    and findings point to, so the plan can still list work-up and cautious options.
    """
    positive = profile.antibodies.positive()
    found: list[str] = []
    subgroup = classification.subgroup
    if subgroup:
        found.append(SUBGROUP_PHENOTYPE[subgroup])
    elif profile.classification.skin.heliotrope_rash or profile.classification.skin.gottron_papules \
            or profile.classification.skin.gottron_sign or positive & DM_ANTIBODIES:
        found.append("jdm" if profile.classification.age_at_onset < 18 else "dm")
    if "adm" in found:
        found.append("dm")
    if positive & IMNM or profile.necrotising_biopsy:
        if "pm" in found:
            found.remove("pm")
        found.append("imnm")
    if positive & ANTISYNTHETASE or profile.classification.anti_jo1:
        found.append("asys")
    if positive & OVERLAP:
        found.append("overlap")
    if Antibody.CN1A in positive and not found:
        found.append("ibm")
    if not found:
        found.append("pm")
    return list(dict.fromkeys(found))


def complications(profile: CarePlanInput, phenotype_list: list[str]) -> set[str]:
    """Complication codes of the knowledge base present in this patient."""
    positive = profile.antibodies.positive()
    s = profile.systemic
    found: set[str] = set()
    if s.rapidly_progressive_ild_suspected:
        found.add("rp_ild")
    if s.interstitial_lung_disease or s.rapidly_progressive_ild_suspected:
        found.add("ild")
    if profile.skin.calcinosis:
        found.add("calcinosis")
    if s.dysphagia or profile.classification.dysphagia_or_esophageal_dysmotility:
        found.add("dysphagia")
    if profile.skin_refractory:
        found.add("refractory_skin")
    if Antibody.HMGCR in positive and profile.statin_exposure:
        found.add("imnm_statin")
    if s.cardiac_symptoms:
        found.add("cardiac")
    if "ibm" in phenotype_list:
        found.discard("refractory_skin")
    return found


IMMUNOSUPPRESSIVE_CATEGORIES = {
    "glucocorticoid", "conventional_immunosuppressant", "immunoglobulin", "biologic",
    "jak_inhibitor", "anti_interferon", "cellular_therapy",
}


def is_refractory(profile: CarePlanInput, categories: dict[str, str]) -> bool:
    """Refractory: at least one steroid-sparing or advanced agent tried without effect."""
    failed = [
        m.therapy for m in profile.treatments
        if m.outcome in ("ineffective", "not_tolerated")
        and categories.get(m.therapy) in IMMUNOSUPPRESSIVE_CATEGORIES
        and categories.get(m.therapy) != "glucocorticoid"
    ]
    return bool(failed) or profile.persistent_high_activity

"""Assembles a CarePlan from a profile: classification, flags, work-up, screening, options."""

from __future__ import annotations

import datetime as dt

from myositis.domain.instruments.eular_acr_2017 import classify
from myositis.knowledge import KnowledgeBase, load
from myositis.services.careplan import flags as flag_rules
from myositis.services.careplan.model import CareItem, CarePlan, CarePlanInput, Citation
from myositis.services.careplan.options import select_options
from myositis.services.careplan.phenotype import complications, is_refractory, phenotypes
from myositis.services.careplan.screening import cancer_screening
from myositis.services.careplan.workup import missing_workup

NON_DRUG_ITEMS = ("exercise_by_phase", "photoprotection_education", "patient_education_support")


def _non_drug(kb: KnowledgeBase, phenotype_list: list[str]) -> list[CareItem]:
    items = []
    for item_id in NON_DRUG_ITEMS:
        item = kb.guidance_item(item_id)
        applies = set(item.applies_to)
        if "iim" in applies or applies & set(phenotype_list):
            items.append(CareItem(id=item.id, title=item.title, text=item.statement,
                                  evidence_level=item.evidence_level,
                                  citations=list(item.sources)))
    return items


def _cited_keys(plan: CarePlan) -> set[str]:
    keys: set[str] = set()
    keys.update(plan.cancer_screening.citations)
    for flag in plan.flags:
        keys.update(flag.citations)
    for item in plan.workup:
        keys.update(item.citations)
    for option in plan.options:
        keys.update(option.citations)
        for caution in option.cautions:
            keys.update(caution.citations)
        for check in (*option.before_starting, *option.monitoring):
            keys.update(check.citations)
    for withheld in (*plan.withheld, *plan.not_recommended):
        keys.update(withheld.citations)
    for care in plan.non_drug:
        keys.update(care.citations)
    return keys


def build_care_plan(profile: CarePlanInput, kb: KnowledgeBase | None = None) -> CarePlan:
    """The deterministic plan for one profile; every line names its knowledge-base entry."""
    kb = kb or load()
    classification = classify(profile.classification)
    phenotype_list = phenotypes(profile, classification)
    present = complications(profile, phenotype_list)
    categories = {t.id: t.category for t in kb.therapies.values()}
    refractory = is_refractory(profile, categories)
    options, withheld, not_recommended = select_options(
        profile, kb, phenotype_list, present, refractory
    )
    plan = CarePlan(
        patient_id=profile.id,
        label=profile.label,
        generated_on=profile.today or dt.date.today(),
        classification=classification,
        phenotypes=phenotype_list,
        flags=flag_rules.flags(profile, kb, phenotype_list),
        workup=missing_workup(profile, kb, classification, phenotype_list),
        cancer_screening=cancer_screening(profile, kb, phenotype_list),
        options=options,
        withheld=withheld,
        not_recommended=not_recommended,
        non_drug=_non_drug(kb, phenotype_list),
        sources={},
        knowledge_base_version=max(t.last_reviewed for t in kb.therapies.values()).isoformat(),
    )
    plan.sources = {
        key: Citation(key=key, citation=kb.sources[key].citation,
                      identifiers=kb.sources[key].identifiers(),
                      confirmed=kb.sources[key].confirmed)
        for key in sorted(_cited_keys(plan))
    }
    return plan

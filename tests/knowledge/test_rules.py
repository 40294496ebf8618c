"""The safety rule set: closed vocabulary, every rule cited, facts computed for every name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.knowledge.rules import FACTS, Predicate, Rule
from myositis.services.careplan.facts import compute


def test_rules_load_and_every_rule_is_cited() -> None:
    kb = load()
    assert len(kb.rules.rules) >= 40
    for rule in kb.rules.rules:
        assert rule.sources and all(k in kb.sources for k in rule.sources)
        assert rule.when.facts() <= set(FACTS)


def test_facts_computed_match_the_vocabulary() -> None:
    record = PatientRecord.model_validate({"id": "SYN-F", "classification": {"age_at_onset": 40}})
    assert set(compute(record, load())) == set(FACTS)


def test_unknown_fact_fails_validation() -> None:
    with pytest.raises(ValidationError, match="unknown fact"):
        Predicate.model_validate({"fact": "hbsag_positive", "is": True})


@pytest.mark.parametrize("predicate", [
    {"fact": "cardiac_involvement", "is": True},  # an enum: 'is: confirmed'
    {"fact": "child", "is": "yes"},
    {"fact": "pregnant", "lt": 1},
    {"fact": "egfr", "contains": "low"},
])
def test_a_test_that_cannot_match_its_fact_type_fails_validation(
        predicate: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="fact '"):
        Predicate.model_validate(predicate)


def test_withhold_rule_must_name_therapies() -> None:
    with pytest.raises(ValidationError, match="must name the therapies"):
        Rule.model_validate({"id": "x", "title": "xxx", "when": {"fact": "child", "is": True},
                             "action": "withhold", "severity": "high", "text": "xxx",
                             "evidence_level": "low", "sources": ["oldroyd2022_bsr"],
                             "last_reviewed": "2026-12-03"})


def test_the_three_harms_have_rules() -> None:
    ids = {r.id for r in load().rules.rules}
    assert {"latent_tb_treat_first", "hbsag_positive", "anti_hbc_positive",
            "pregnancy_no_data", "pregnancy_contraindicated"} <= ids


def test_every_group_resolves() -> None:
    kb = load()
    for group in kb.rules.groups:
        assert kb.group_members(group), group


def test_curation_remarks_in_clinical_text_fail_kb_check() -> None:
    import dataclasses

    from myositis.knowledge.loader import curation_remarks
    kb = load()
    assert curation_remarks(kb) == []
    ivig = kb.therapies["ivig"]
    use = ivig.uses[0].model_copy(update={"rationale": "Works (wording not seen this session)."})
    bad = dataclasses.replace(kb, therapies={**kb.therapies, "ivig": ivig.model_copy(
        update={"uses": [use, *ivig.uses[1:]]})})
    assert any("ivig" in p for p in curation_remarks(bad))


def test_a_review_label_in_a_dose_note_is_a_curation_remark() -> None:
    """Dose notes are printed beside the worked-out dose: 'after specialist review V' belongs in
    ``notes`` (review Z3c found it in the azathioprine line)."""
    import dataclasses

    from myositis.knowledge.loader import curation_remarks
    kb = load()
    dose = kb.doses[0].model_copy(update={"note": "target dose (after specialist review V)"})
    bad = dataclasses.replace(kb, doses=[dose, *kb.doses[1:]])
    assert any(p.startswith("doses[0].note") for p in curation_remarks(bad))
    fine = kb.doses[0].model_copy(update={"note": "hold for specialist review, then restart"})
    assert curation_remarks(dataclasses.replace(kb, doses=[fine, *kb.doses[1:]])) == []


def test_no_rule_negates_a_fact_that_can_be_unknown() -> None:
    """``not`` keeps unknown unknown, so a rule written as "not X" silently never fires when
    X is unrecorded; such conditions must spell the unknown case out with ``any``."""
    never_unknown = {"child", "vaccinations", "other_medicines", "current_therapies",
                     "subgroups", "cancer_red_flags", "age_years",
                     "immunosuppression_planned_or_current", "started_by_plan", "lung_state",
                     "muscle_state", "mda5_untested_established_quiet",
                     "doses_missed", "declined"}

    def negated(p: Predicate) -> set[str]:
        found = set()
        if p.not_ is not None:
            found |= p.not_.facts()
        for sub in (*(p.all or []), *(p.any or [])):
            found |= negated(sub)
        # 'any: [X unknown, not X ...]' spells the unknown case out: allowed
        spelled = {sub.fact for sub in (p.any or []) if sub.fact and sub.unknown is True}
        return found - spelled

    for rule in load().rules.rules:
        assert negated(rule.when) <= never_unknown, rule.id


def test_a_bundle_names_only_do_now_lines_each_in_one_bundle() -> None:
    from dataclasses import replace

    from myositis.knowledge.loader import bundle_problems
    from myositis.knowledge.rules import BundleItem, DoNowBundle
    kb = load()
    assert bundle_problems(kb) == []
    extra = DoNowBundle(id="extra", text="Twice: {items}.", items=[
        BundleItem(code="covid_vaccine_due", text="COVID-19"),
        BundleItem(code="no_such_rule", text="nothing")])
    broken = replace(kb, rules=kb.rules.model_copy(
        update={"bundles": [*kb.rules.bundles, extra]}))
    problems = bundle_problems(broken)
    assert any("'no_such_rule' is not a do-now line" in p for p in problems)
    assert any("'covid_vaccine_due' is also in vaccines_due" in p for p in problems)


def test_a_bundle_text_must_say_where_its_items_go() -> None:
    from myositis.knowledge.rules import DoNowBundle
    with pytest.raises(ValidationError, match="items"):
        DoNowBundle.model_validate({"id": "x", "text": "No placeholder here.", "items": [
            {"code": "a", "text": "one"}, {"code": "b", "text": "two"}]})


def test_as_curated_in_a_dose_note_is_a_curation_remark() -> None:
    """Z44 read-through: the cyclophosphamide dose line ended 'with mesna and hydration as
    curated', a curator's phrase printed beside the worked-out dose."""
    import dataclasses

    from myositis.knowledge.loader import curation_remarks
    kb = load()
    dose = kb.doses[0].model_copy(update={"note": "with mesna and hydration as curated"})
    bad = dataclasses.replace(kb, doses=[dose, *kb.doses[1:]])
    assert any(p.startswith("doses[0].note") for p in curation_remarks(bad))

"""Loading and checking the knowledge base.

`load()` validates every file against its schema and then checks cross-references: every source
key exists, every antibody id is one the domain knows, every `applies_to` names a therapy or a
declared group, no two source entries share a DOI or PMID, and no source is left unused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from myositis.domain.antibodies import Antibody
from myositis.domain.record_sections import Subgroup
from myositis.errors import KnowledgeBaseError, NotFoundError
from myositis.knowledge.rules import Rule, RuleSet
from myositis.knowledge.schema import (
    AutoantibodyEntry,
    DoseRange,
    EducationPage,
    ExerciseProgramme,
    Guidance,
    GuidanceItem,
    Source,
    SupportOrganisation,
    Therapy,
)
from myositis.knowledge.wording import WordingSwap

FILES = ("sources.yaml", "therapies.yaml", "autoantibodies.yaml", "guidance.yaml", "rules.yaml",
         "wording.yaml", "doses.yaml", "education.yaml", "exercise.yaml", "support.yaml")
SUBGROUPS = frozenset(get_args(Subgroup))


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source]
    therapies: dict[str, Therapy]
    autoantibodies: dict[str, AutoantibodyEntry]
    guidance: Guidance
    rules: RuleSet = field(default_factory=lambda: RuleSet(rules=[]))
    doses: list[DoseRange] = field(default_factory=list)
    wording_swaps: tuple[WordingSwap, ...] = ()
    education: dict[str, EducationPage] = field(default_factory=dict)
    exercise: dict[str, ExerciseProgramme] = field(default_factory=dict)
    support: dict[str, SupportOrganisation] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _members: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False,
                                                 compare=False)

    def source(self, key: str) -> Source:
        return self.sources[key]

    def therapy(self, therapy_id: str) -> Therapy:
        try:
            return self.therapies[therapy_id]
        except KeyError:
            raise NotFoundError(f"no therapy {therapy_id!r} in the knowledge base") from None

    def group_members(self, name: str) -> list[str]:
        """Therapy ids of a therapy, a guidance group, a rules group or a category
        (``category:biologic``). Memoised: the knowledge base does not change once loaded, and
        the care plan asks for the same groups thousands of times per plan."""
        cached = self._members.get(name)
        if cached is None:
            cached = tuple(self._group_members(name))
            self._members[name] = cached
        return list(cached)

    def _group_members(self, name: str) -> list[str]:
        if name in self.therapies:
            return [name]
        if name.startswith("category:"):
            category = name.removeprefix("category:")
            return [t.id for t in self.therapies.values() if t.category == category]
        if name in self.rules.groups:
            return sorted({m for member in self.rules.groups[name]
                           for m in self.group_members(member)})
        return list(self.guidance.therapy_groups.get(name, []))

    def education_for(self, target: str) -> EducationPage | None:
        """The patient education page about a subgroup code, antibody id or therapy id."""
        return next((p for p in self.education.values() if target in p.applies_to), None)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules.rules:
            if rule.id == rule_id:
                return rule
        raise NotFoundError(f"no safety rule {rule_id!r}")

    def guidance_item(self, item_id: str) -> GuidanceItem:
        for item in (*self.guidance.drug_safety, *self.guidance.ild_assessment,
                     *self.guidance.care):
            if item.id == item_id:
                return item
        raise NotFoundError(f"no guidance item {item_id!r}")

    def find(self, entry_id: str) -> BaseModel:
        """Any entry by id: therapy, antibody, guidance item, source key, safety rule,
        education page or exercise programme."""
        if entry_id in self.therapies:
            return self.therapies[entry_id]
        if entry_id in self.autoantibodies:
            return self.autoantibodies[entry_id]
        if any(i.id == entry_id for i in (*self.guidance.drug_safety,
                                           *self.guidance.ild_assessment, *self.guidance.care)):
            return self.guidance_item(entry_id)
        if entry_id in ("cancer_screening", "imacs_2023"):
            return self.guidance.cancer_screening
        if entry_id in self.sources:
            return self.sources[entry_id]
        rule = next((r for r in self.rules.rules if r.id == entry_id), None)
        if rule is not None:  # plans cite rule ids: each must open in full
            return rule
        if entry_id in self.education:
            return self.education[entry_id]
        if entry_id in self.exercise:
            return self.exercise[entry_id]
        raise NotFoundError(f"no knowledge-base entry {entry_id!r}")


def _data_dir() -> Path:
    return Path(str(resources.files("myositis.knowledge").joinpath("data")))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping: PyYAML keeps the last
    silently, so a second ``covered_by`` added to a rule replaced the first without a word (a
    curation slip found while fixing specialist review Z55c)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read(directory: Path, name: str) -> Any:
    try:
        return yaml.load((directory / name).read_text(encoding="utf-8"),
                         Loader=_UniqueKeyLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{name}: cannot read: {exc}") from exc


def _validate(name: str, adapter: TypeAdapter[Any], data: Any) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        lines = [
            f"{name}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
            for err in exc.errors()
        ]
        raise KnowledgeBaseError("\n".join(lines)) from exc


def _collect_keys(value: Any) -> Iterable[tuple[str, str]]:
    """(path, key) for every source reference anywhere in a dumped model."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("sources", "regulatory_sources") and isinstance(v, list):
                    yield from ((f"{path}.{k}", s) for s in v)
                elif k == "source" and isinstance(v, str):
                    yield f"{path}.{k}", v
                else:
                    stack.append((f"{path}.{k}" if path else k, v))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))


# Phrases that belong to a curator's notes, never to text a clinician or patient reads.
CURATION_REMARKS = re.compile(
    r"this session|citable source|stored (?:page|pages|source|sources|excerpt)"
    r"|not (?:read|seen|confirmed|found)(?: here| in)?|(?:was|were) found|not displayed"
    r"|\bas curated\b|not yet curated"
    r"|\bUNCONFIRMED\b|(?-i:[Ss]pecialist review [A-Z][0-9]?[a-z]?\b)|this project's reading",
    re.IGNORECASE)
CLINICAL_FIELDS = {"rationale", "text", "outcome", "statement", "washout", "paternal_washout",
                   "name", "title", "design", "summary", "heading", "watch_for", "how",
                   "effort", "progression", "stop_signs", "note"}


def curation_remarks(kb: KnowledgeBase) -> list[str]:
    """Clinical text that carries a curation remark (it must move to ``notes``)."""
    documents = {
        "therapies": {t.id: t.model_dump(exclude={"notes", "regulatory_status"})
                      for t in kb.therapies.values()},
        "guidance": {i.id: i.model_dump(exclude={"notes"}) for i in (
            *kb.guidance.drug_safety, *kb.guidance.ild_assessment, *kb.guidance.care)},
        "rules": {r.id: r.model_dump(exclude={"notes"}) for r in kb.rules.rules},
        "bundles": {b.id: b.model_dump(exclude={"notes"}) for b in kb.rules.bundles},
        "education": {p.id: p.model_dump(exclude={"notes"}) for p in kb.education.values()},
        "exercise": {p.id: p.model_dump(exclude={"notes"}) for p in kb.exercise.values()},
        "doses": [d.model_dump(exclude={"notes"}) for d in kb.doses],
    }
    found = []
    for name, document in documents.items():
        stack: list[tuple[str, Any]] = [(name, document)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict):
                stack.extend((f"{path}.{k}", v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))
            elif isinstance(node, str) and path.rsplit(".", 1)[-1].split("[")[0] in CLINICAL_FIELDS \
                    and CURATION_REMARKS.search(node):
                found.append(f"{path}: curation remark in clinical text (move it to notes)")
    return found


def cross_check(kb: KnowledgeBase) -> list[str]:
    problems: list[str] = []
    referenced: set[str] = set()
    documents = {
        "therapies": {t.id: t.model_dump() for t in kb.therapies.values()},
        "autoantibodies": {a.id: a.model_dump() for a in kb.autoantibodies.values()},
        "guidance": kb.guidance.model_dump(),
        "rules": {r.id: r.model_dump() for r in kb.rules.rules},
        "doses": [d.model_dump() for d in kb.doses],
        "education": {p.id: p.model_dump() for p in kb.education.values()},
        "exercise": {p.id: p.model_dump() for p in kb.exercise.values()},
    }
    targets = SUBGROUPS | set(kb.autoantibodies) | set(kb.therapies)
    for page in kb.education.values():
        problems += [f"education.{page.id}.applies_to: unknown subgroup, antibody or therapy "
                     f"{t!r}" for t in page.applies_to if t not in targets]
    claimed = [t for p in kb.education.values() for t in p.applies_to]
    problems += [f"education: {t!r} has more than one page" for t in sorted(set(claimed))
                 if claimed.count(t) > 1]
    for dose in kb.doses:
        if dose.therapy not in kb.therapies:
            problems.append(f"doses.{dose.therapy}: unknown therapy")
    for name, document in documents.items():
        for path, key in _collect_keys(document):
            referenced.add(key)
            if key not in kb.sources:
                problems.append(f"{name}.{path}: unknown source {key!r}")
    for key in sorted(set(kb.sources) - referenced):
        problems.append(f"sources.{key}: never cited")
    seen: dict[tuple[str, str], str] = {}
    for source in kb.sources.values():
        for kind in ("doi", "pmid"):
            value = getattr(source, kind)
            if value:
                other = seen.setdefault((kind, value.lower()), source.key)
                if other != source.key:
                    problems.append(f"sources.{source.key}: same {kind} as {other}")
    known = {a.value for a in Antibody}
    for antibody_id in kb.autoantibodies:
        if antibody_id not in known:
            problems.append(f"autoantibodies.{antibody_id}: not an antibody the domain knows")
    for missing in sorted(known - set(kb.autoantibodies)):
        problems.append(f"autoantibodies: no entry for {missing}")
    groups = kb.guidance.therapy_groups
    for group, members in groups.items():
        for member in members:
            if member not in kb.therapies:
                problems.append(f"guidance.therapy_groups.{group}: unknown therapy {member!r}")
    for item in (*kb.guidance.drug_safety, *kb.guidance.ild_assessment, *kb.guidance.care):
        for target in item.applies_to:
            if target not in kb.therapies and target not in groups:
                problems.append(f"guidance.{item.id}.applies_to: unknown therapy or group "
                                f"{target!r}")
    categories = {t.category for t in kb.therapies.values()}
    for group, members in kb.rules.groups.items():
        for member in members:
            if member.startswith("category:"):
                if member.removeprefix("category:") not in categories:
                    problems.append(f"rules.groups.{group}: unknown category {member!r}")
            elif member not in kb.therapies and member not in groups \
                    and member not in kb.rules.groups:
                problems.append(f"rules.groups.{group}: unknown therapy or group {member!r}")
    for rule in kb.rules.rules:
        for target in rule.applies_to:
            if not kb.group_members(target):
                problems.append(f"rules.{rule.id}.applies_to: unknown or empty therapy or group "
                                f"{target!r}")
    problems += curation_remarks(kb)
    rule_ids = [r.id for r in kb.rules.rules]
    problems += [f"rules.{rule.id}.covered_by: unknown rule {other!r}"
                 for rule in kb.rules.rules for other in rule.covered_by
                 if other not in rule_ids]
    problems += [f"rules: duplicate id {i!r}" for i in sorted({x for x in rule_ids
                                                                if rule_ids.count(x) > 1})]
    return problems + bundle_problems(kb) + wording_problems(kb)


def wording_problems(kb: KnowledgeBase) -> list[str]:
    """Each rewording in ``wording.yaml`` can fire: its general wording is found in some rule's
    text or in the output of an earlier entry. A rewording that matches nothing is a safety
    control that silently never works (one carried a stray quote character for a season)."""
    pool = [r.text for r in kb.rules.rules] + [
        r.if_unknown.text for r in kb.rules.rules if r.if_unknown is not None]
    problems = []
    for index, swap in enumerate(kb.wording_swaps):
        if not any(swap.general in text for text in pool):
            problems.append(f"wording.swaps.{index}: the general wording {swap.general!r} is in "
                            "no rule's text nor an earlier entry's output, so it never applies")
        pool.append(swap.specific)
    return problems


def bundle_problems(kb: KnowledgeBase) -> list[str]:
    """Each bundled code is a do-now line some rule can print, and belongs to one bundle only."""
    codes = {r.id for r in kb.rules.rules if r.action == "do_now"} | {
        r.id + "_not_recorded" for r in kb.rules.rules
        if r.if_unknown is not None and r.if_unknown.action == "do_now"}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for bundle in kb.rules.bundles:
        for item in bundle.items:
            if item.code not in codes:
                problems.append(f"rules.bundles.{bundle.id}: {item.code!r} is not a do-now line "
                                "of any rule")
            other = seen.setdefault(item.code, bundle.id)
            if other != bundle.id:
                problems.append(f"rules.bundles.{bundle.id}: {item.code!r} is also in {other}")
    return problems


def load_from(directory: Path) -> KnowledgeBase:
    """Load and validate a knowledge-base directory; raises KnowledgeBaseError on any problem."""
    raw = {name: _read(directory, name) for name in FILES}
    sources = _validate("sources.yaml", TypeAdapter(list[Source]), raw["sources.yaml"]["sources"])
    therapies = _validate("therapies.yaml", TypeAdapter(list[Therapy]),
                          raw["therapies.yaml"]["therapies"])
    antibodies = _validate("autoantibodies.yaml", TypeAdapter(list[AutoantibodyEntry]),
                           raw["autoantibodies.yaml"]["autoantibodies"])
    guidance = _validate("guidance.yaml", TypeAdapter(Guidance), raw["guidance.yaml"])
    rules = _validate("rules.yaml", TypeAdapter(RuleSet), raw["rules.yaml"])
    wording = _validate("wording.yaml", TypeAdapter(tuple[WordingSwap, ...]),
                        raw["wording.yaml"]["swaps"])
    doses = _validate("doses.yaml", TypeAdapter(list[DoseRange]), raw["doses.yaml"]["doses"])
    education = _validate("education.yaml", TypeAdapter(list[EducationPage]),
                          raw["education.yaml"]["pages"])
    exercise = _validate("exercise.yaml", TypeAdapter(list[ExerciseProgramme]),
                         raw["exercise.yaml"]["programmes"])
    support = _validate("support.yaml", TypeAdapter(list[SupportOrganisation]),
                        raw["support.yaml"]["organisations"])
    duplicates = [
        f"{kind}: duplicate id {i!r}"
        for kind, ids in (("sources", [s.key for s in sources]),
                          ("therapies", [t.id for t in therapies]),
                          ("autoantibodies", [a.id for a in antibodies]),
                          ("education", [p.id for p in education]),
                          ("exercise", [p.id for p in exercise]),
                          ("support", [o.id for o in support]))
        for i in {x for x in ids if ids.count(x) > 1}
    ]
    kb = KnowledgeBase(
        sources={s.key: s for s in sources},
        therapies={t.id: t for t in therapies},
        autoantibodies={a.id: a for a in antibodies},
        guidance=guidance,
        rules=rules,
        doses=doses,
        wording_swaps=wording,
        education={p.id: p for p in education},
        exercise={p.id: p for p in exercise},
        support={o.id: o for o in support},
    )
    problems = duplicates + cross_check(kb)
    if problems:
        raise KnowledgeBaseError("\n".join(problems))
    return kb


@cache
def load() -> KnowledgeBase:
    """The bundled knowledge base, validated once per process."""
    return load_from(_data_dir())


def check(directory: Path | None = None) -> KnowledgeBase:
    """Validate (uncached) and return the knowledge base; used by `myositis kb check`."""
    return load_from(directory or _data_dir())

"""The synonym table that tags literature and trial records to knowledge-base entries
(`data/synonyms.yaml`), validated against the knowledge base so that a term cannot point at a
therapy or antibody that does not exist."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from myositis.domain.antibodies import Antibody
from myositis.errors import KnowledgeBaseError
from myositis.knowledge.loader import load

TagKind = Literal["therapy", "antibody", "subgroup", "complication"]
SUBGROUPS = {"dm", "adm", "jdm", "pm", "imnm", "asys", "ibm", "overlap"}


class Synonyms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: str = ""
    therapies: dict[str, list[str]]
    antibodies: dict[str, list[str]]
    subgroups: dict[str, list[str]]
    complications: dict[str, list[str]]

    def by_kind(self) -> dict[TagKind, dict[str, list[str]]]:
        return {"therapy": self.therapies, "antibody": self.antibodies,
                "subgroup": self.subgroups, "complication": self.complications}


@lru_cache(maxsize=1)
def load_synonyms() -> Synonyms:
    text = resources.files("myositis.knowledge").joinpath("data/synonyms.yaml").read_text(
        encoding="utf-8")
    table = Synonyms.model_validate(yaml.safe_load(text))
    kb = load()
    problems = [f"synonyms.therapies.{t}: not a knowledge-base therapy"
                for t in table.therapies if t not in kb.therapies]
    problems += [f"synonyms.antibodies.{a}: not an antibody id"
                 for a in table.antibodies if a not in {x.value for x in Antibody}]
    problems += [f"synonyms.subgroups.{s}: not a subgroup" for s in table.subgroups
                 if s not in SUBGROUPS]
    if problems:
        raise KnowledgeBaseError("\n".join(problems))
    return table

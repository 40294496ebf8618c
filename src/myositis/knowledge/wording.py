"""The rewordings of ``wording.yaml``: the general clause of a rule's text that a fact on the
record replaces with wording for this patient, kept as reviewable data apart from the rules and
from the engine that applies them (``myositis.services.careplan.rules``)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

from myositis.knowledge.rules import FACTS

SwapValue = StrictBool | StrictStr | None


def _swap_value_fits(kind: str, value: bool | str | None) -> bool:
    """None (not recorded) fits any fact; a bool fits a bool fact; a word an enum or set fact."""
    if value is None:
        return kind in ("bool", "number", "enum", "set")
    if isinstance(value, bool):
        return kind == "bool"
    return kind in ("enum", "set")


class WordingSwap(BaseModel):
    """One entry of ``wording.yaml``: the general clause of a rule's text that a fact on the
    record replaces with wording for this patient. Kept as data, apart from the rules and from
    the code that applies them, so that a clinician can review every rewording in one table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str | list[str] = Field(description="a fact, or a list of facts any of which may hold")
    value: SwapValue | list[SwapValue] = Field(description=(
        "the value that triggers the swap, or a list of them; null matches an unrecorded fact; "
        "a set-valued fact matches when it contains the value"))
    general: str = Field(min_length=3)
    specific: str = Field(min_length=1, description="may be only the punctuation that closes "
                          "the sentence once a clause is dropped")
    notes: str = ""

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(self.fact) if isinstance(self.fact, list) else (self.fact,)

    @property
    def values(self) -> tuple[bool | str | None, ...]:
        return tuple(self.value) if isinstance(self.value, list) else (self.value,)

    @model_validator(mode="after")
    def _known_and_typed(self) -> Self:
        problems = [f"unknown fact {f!r}" for f in self.facts if f not in FACTS]
        for name in self.facts:
            kind = FACTS.get(name, ("", ""))[0]
            problems += [f"value {value!r} cannot match the {kind} fact {name!r}"
                         for value in self.values if not _swap_value_fits(kind, value)]
        if self.general == self.specific:
            problems.append("specific wording is the same as the general")
        if "{fact:" in self.general:
            problems.append("general wording is matched after facts are filled in; it cannot "
                            "hold a {fact:...} slot")
        if problems:
            raise ValueError("; ".join(problems))
        return self

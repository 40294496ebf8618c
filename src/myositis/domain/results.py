"""Result types shared by every instrument: a total, a category, item contributions, a citation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.types import Num


class Citation(BaseModel):
    """A published source a number or a statement can be checked against."""

    model_config = ConfigDict(frozen=True)

    text: str
    doi: str | None = None
    pmid: str | None = None

    def short(self) -> str:
        ids = [f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else ""]
        return f"{self.text} ({', '.join(i for i in ids if i)})" if any(ids) else self.text


class ItemContribution(BaseModel):
    """One item of an instrument and what it added to the total."""

    model_config = ConfigDict(frozen=True)

    item: str
    label: str
    value: float | int | str | bool | None = None
    points: Num


class InstrumentResult(BaseModel):
    """What every instrument returns: enough to print, to audit and to check against the paper."""

    instrument: str
    total: Num | None
    minimum: Num
    maximum: Num
    category: str | None = None
    items: list[ItemContribution] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

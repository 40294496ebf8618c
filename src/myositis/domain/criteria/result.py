"""The result every criteria set returns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CriteriaResult(BaseModel):
    """Outcome of one criteria set for one patient.

    ``met`` is None when the data needed to decide are missing (listed in ``missing``): an
    unknown is never reported as "not met".
    """

    criteria: str
    met: bool | None
    category: str | None = None
    reasons: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    citation: str
    confirmed: bool = Field(description="the rule text was read from the publication or "
                                        "from two reproductions that agree")
    notes: list[str] = Field(default_factory=list)

"""The clinic's own group sessions (education evenings, exercise classes, peer groups), which
patients see on the portal's support page beside the patient organisations.

Sessions are clinic data, not patient data: they name no patient and carry no diagnosis. A
session is cancelled rather than deleted, so a patient who saw it can be told."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Audience = Literal["everyone", "adults", "children_and_families"]
AUDIENCE_TEXT: dict[str, str] = {"everyone": "everyone", "adults": "adults",
                                 "children_and_families": "children and their families"}
MAX_AHEAD_DAYS = 730
"""A session more than two years ahead is almost certainly a mistyped year."""


class GroupSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=120, description="3-120 characters")
    starts_at: dt.datetime = Field(description="date and time, not in the past, within 2 years")
    place: str = Field(min_length=3, max_length=200,
                       description="a room and building, or 'online' with how to join")
    description: str = Field(default="", max_length=1000, description="up to 1,000 characters")
    audience: Audience = "everyone"

    @field_validator("starts_at")
    @classmethod
    def _in_the_coming_two_years(cls, value: dt.datetime) -> dt.datetime:
        """A field check, so that a past date is named with every other bad field."""
        starts = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        now = dt.datetime.now(dt.UTC)
        if starts < now - dt.timedelta(hours=1):
            raise ValueError("in the past")
        if starts > now + dt.timedelta(days=MAX_AHEAD_DAYS):
            raise ValueError("more than 2 years ahead")
        return starts


class GroupSessionOut(BaseModel):
    """As stored; the date checks of the input do not apply to a session already held."""

    id: int
    title: str
    starts_at: dt.datetime
    place: str
    description: str = ""
    audience: Audience = "everyone"
    cancelled: bool = False
    created_by: str


def for_patient(sessions: list[GroupSessionOut], juvenile: bool) -> list[GroupSessionOut]:
    """The sessions a patient is shown: not cancelled, and for their age group."""
    wanted = {"everyone", "children_and_families" if juvenile else "adults"}
    return [s for s in sessions if not s.cancelled and s.audience in wanted]

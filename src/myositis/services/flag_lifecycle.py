"""Flags with a lifecycle: raised by the engine, acknowledged, resolved (by a person or by the
engine when current data no longer raise them).

Why: a flag that never clears (a "suspected RP-ILD" alarm years into remission) teaches a clinic
to ignore the flag column. Rules, applied by :func:`reconcile`:

* a code the engine raises that has no open or acknowledged flag is raised as a new flag, unless
  a person resolved it and nothing has been recorded since (a person's resolution stands until
  new data arrive, so a resolved flag does not reappear on the next page view);
* an open or acknowledged flag whose code the engine no longer raises is resolved by the engine
  with the reason, so the audit log shows who cleared what and why;
* the text of a flag still raised is kept current (for example the tests still due).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from myositis.services.records import FlagOut

ENGINE = "engine"


class RaisedFlag(BaseModel):
    code: str
    urgency: str
    text: str


class FlagChanges(BaseModel):
    raise_: list[RaisedFlag] = Field(default_factory=list)
    resolve: dict[int, str] = Field(default_factory=dict)
    retext: dict[int, str] = Field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.raise_ or self.resolve or self.retext)


def reconcile(raised: list[RaisedFlag], stored: list[FlagOut],
              last_recorded: dt.date | None) -> FlagChanges:
    """What to write so that the stored flags match what the engine raises now.

    ``last_recorded`` is the date of the newest visit or record entry: a person's resolution of a
    code holds until something is recorded after it."""
    changes = FlagChanges()
    live = {f.code: f for f in stored if f.state != "resolved"}
    by_person: dict[str, dt.datetime] = {}
    for f in stored:
        if f.state == "resolved" and f.resolved_by != ENGINE and f.resolved_at is not None:
            by_person[f.code] = max(by_person.get(f.code, f.resolved_at), f.resolved_at)
    codes = set()
    for flag in raised:
        codes.add(flag.code)
        current = live.get(flag.code)
        if current is not None:
            if current.text != flag.text:
                changes.retext[current.id] = flag.text
            continue
        resolved = by_person.get(flag.code)
        if resolved is not None and (last_recorded is None or last_recorded <= resolved.date()):
            continue
        changes.raise_.append(flag)
    for code, stored_flag in live.items():
        if code not in codes:
            changes.resolve[stored_flag.id] = ("no longer raised by the engine on the current "
                                               "record")
    return changes

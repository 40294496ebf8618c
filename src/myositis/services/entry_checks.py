"""Clinical checks on a record entry beyond its schema, shared by the API and the pages:
a treatment names a knowledge-base therapy (``MTX`` is refused with suggestions), an oral
glucocorticoid dose is in a unit the dose-over-time rules read, and nothing is dated in the
future."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from myositis.errors import InputError
from myositis.knowledge import load
from myositis.services.careplan.therapy_ids import GC_DOSE_UNITS, therapy_id_problems


def check_entry(kind: str, data: BaseModel, today: dt.date) -> None:
    problems: list[tuple[str, str]] = []
    if kind == "treatments":
        therapy = getattr(data, "therapy", None)
        problems += [("therapy", message) for _field, message in
                     therapy_id_problems([therapy], load())]
        unit = getattr(data, "dose_unit", None)
        if therapy == "glucocorticoids_oral" and unit is not None and unit not in GC_DOSE_UNITS:
            problems.append(("dose_unit", f"oral glucocorticoid dose must be in "
                                          f"{' or '.join(GC_DOSE_UNITS)} (prednisone "
                                          f"equivalent), not {unit}"))
    for name in ("date", "start", "stop"):
        value = getattr(data, name, None)
        if isinstance(value, dt.date) and value > today and not (kind == "treatments"
                                                                  and name == "stop"):
            problems.append((name, f"must not be in the future (today is {today.isoformat()})"))
    if problems:
        raise InputError(problems)

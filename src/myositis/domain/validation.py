"""Turn a pydantic ValidationError into one message per bad field, with help.

Every bad field is reported in one pass; an unknown field name gets the nearest valid names
(``proximal_upperr`` -> ``proximal_upper``), and a value out of range gets the field's allowed
range from its description.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The nested model that owns the last element of ``loc`` (None if it cannot be found)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside ``X | None``, ``list[X]`` or ``dict[K, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, dict, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def problems(model: type[BaseModel], exc: ValidationError, prefix: str = ""
             ) -> list[tuple[str, str]]:
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        name = ".".join(str(p) for p in loc) or "(document)"
        message = error["msg"]
        owner = _model_at(model, loc) if loc else None
        if error["type"] == "extra_forbidden" and owner is not None:
            near = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=3,
                                             cutoff=0.6)
            message = "unknown field" + (f"; did you mean {', '.join(near)}?" if near else "")
        elif owner is not None and isinstance(loc[-1], str) and loc[-1] in owner.model_fields:
            description = owner.model_fields[loc[-1]].description
            if description and error["type"] in (
                    "greater_than", "greater_than_equal", "less_than", "less_than_equal",
                    "finite_number", "float_type", "int_type", "bool_type"):
                message = f"{message} (allowed: {description})"
        out.append((f"{prefix}{name}", message))
    return out

"""Strict scalar types for every clinical input.

Pydantic's default ("lax") mode turns ``true`` into 1 and ``"2"`` into 2. For a clinical input that
silently scores a boolean as an MMT grade of 1 or a ferritin of 1 ng/mL, so every number, integer
and yes/no field of the domain uses these aliases instead: a boolean is not a number, a string is
not a grade, and NaN or infinity is refused with its own reason. An integer is still accepted
where a real number is expected (``3`` for a VAS of 3.0 cm).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AllowInfNan, Strict

Num = Annotated[float, Strict(), AllowInfNan(False)]
"""A finite real number; int accepted, bool and str refused."""

Int = Annotated[int, Strict()]
"""An integer; bool, float and str refused."""

Bool = Annotated[bool, Strict()]
"""true or false only; 0/1 and "yes"/"no" refused."""

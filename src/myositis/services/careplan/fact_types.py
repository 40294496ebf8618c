"""The value types of the patient facts the safety rules read (a module of its own so that the
fact readers split by topic share them without importing each other)."""

from __future__ import annotations

Fact = bool | float | str | frozenset[str] | None
"""One fact: None is unknown, never 'no' (clinical-safety principle 1)."""
Facts = dict[str, Fact]

__all__ = ["Fact", "Facts"]

"""The single exception hierarchy of the package.

Every error a user can cause derives from :class:`MyositisError`, so adapters (CLI, API) can turn
them into a clean message and exit code instead of a traceback.
"""

from __future__ import annotations


class MyositisError(Exception):
    """Base class of every error raised on purpose by this package."""


class InputError(MyositisError, ValueError):
    """Input that violates an instrument's or model's published range or structure.

    ``problems`` holds one ``(field, message)`` pair per bad field so that every bad field can be
    reported at once.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        text = "; ".join(f"{field}: {message}" for field, message in problems)
        super().__init__(text or "invalid input")


class NotComputableError(MyositisError):
    """The instrument's published rules say no score can be given (e.g. too few HAQ categories)."""


class KnowledgeBaseError(MyositisError):
    """The curated knowledge base failed validation (schema, sources or references)."""


class NotFoundError(MyositisError):
    """A named thing (instrument, knowledge-base entry, record) does not exist."""


class ConflictError(MyositisError):
    """A write was based on a stale version of the record (someone else changed it first)."""


class PermissionDeniedError(MyositisError):
    """The user's role does not allow this action."""


class AuthenticationError(MyositisError):
    """Missing, wrong or expired credentials."""


class ConfigurationError(MyositisError):
    """The installation's settings or files cannot be used as they are."""


class OverloadedError(MyositisError):
    """The server is at capacity, or the request waited past its deadline: retry shortly."""

"""myositis: decision support and care management for the idiopathic inflammatory myopathies.

The deliberate public API is the names in ``__all__``; everything else is an implementation detail
that may change between releases. The CLI (``myositis``) and the web app are built on these same
calls::

    import myositis

    record = myositis.PatientRecord.model_validate(yaml.safe_load(open("patient.yaml")))
    plan = myositis.build_care_plan(record, myositis.load_knowledge())
    myositis.score("mmt8", {...})          # any instrument by name

Names are imported on first use, so ``import myositis.domain`` stays cheap for the CLI and for
Spark workers that need only the instruments.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from myositis.domain.instruments.registry import score
    from myositis.domain.record import PatientRecord
    from myositis.errors import (
        ConflictError,
        InputError,
        KnowledgeBaseError,
        MyositisError,
        NotComputableError,
        NotFoundError,
    )
    from myositis.knowledge.loader import KnowledgeBase
    from myositis.knowledge.loader import load as load_knowledge
    from myositis.services.careplan import CarePlan, build_care_plan
    from myositis.settings import Settings, get_settings

try:
    __version__ = version("myositis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_EXPORTS: dict[str, tuple[str, str]] = {
    "PatientRecord": ("myositis.domain.record", "PatientRecord"),
    "score": ("myositis.domain.instruments.registry", "score"),
    "KnowledgeBase": ("myositis.knowledge.loader", "KnowledgeBase"),
    "load_knowledge": ("myositis.knowledge.loader", "load"),
    "CarePlan": ("myositis.services.careplan", "CarePlan"),
    "build_care_plan": ("myositis.services.careplan", "build_care_plan"),
    "Settings": ("myositis.settings", "Settings"),
    "get_settings": ("myositis.settings", "get_settings"),
    "MyositisError": ("myositis.errors", "MyositisError"),
    "InputError": ("myositis.errors", "InputError"),
    "NotComputableError": ("myositis.errors", "NotComputableError"),
    "KnowledgeBaseError": ("myositis.errors", "KnowledgeBaseError"),
    "NotFoundError": ("myositis.errors", "NotFoundError"),
    "ConflictError": ("myositis.errors", "ConflictError"),
}

__all__ = [
    "CarePlan",
    "ConflictError",
    "InputError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MyositisError",
    "NotComputableError",
    "NotFoundError",
    "PatientRecord",
    "Settings",
    "__version__",
    "build_care_plan",
    "get_settings",
    "load_knowledge",
    "score",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    try:
        module_name, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'myositis' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

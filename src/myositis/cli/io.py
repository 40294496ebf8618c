"""Reading input documents and turning user errors into one clean message and exit code 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
import yaml
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape

from myositis.domain.validation import problems as field_problems
from myositis.errors import InputError, MyositisError, NotFoundError

USER_ERROR = 2
M = TypeVar("M", bound=BaseModel)
err_console = Console(stderr=True, soft_wrap=True)


def read_document(path: str) -> Any:
    """JSON or YAML from a file, or from standard input when ``path`` is ``-``."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        fail([(path, f"cannot read file: {exc.strerror}")])
    try:
        if path.endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        fail([(path, f"not valid JSON/YAML: {exc}")])


def read_object(path: str) -> dict[str, Any]:
    data = read_document(path)
    if not isinstance(data, dict):
        fail([(path, "the document must be a JSON/YAML object (mapping)")])
    return data


def validation_problems(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    problems = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"]) or "(document)"
        problems.append((f"{prefix}{loc}", error["msg"]))
    return problems


def fail(problems: list[tuple[str, str]], title: str = "Invalid input") -> NoReturn:
    err_console.print(f"[bold red]{escape(title)}[/]")
    for field, message in problems:
        err_console.print(f"  [bold]{escape(field)}[/]: {escape(message)}")
    raise typer.Exit(USER_ERROR)


@contextmanager
def user_errors(prefix: str = "", title: str = "Cannot compute") -> Iterator[None]:
    """Map every error a user can cause to exit code 2 with each bad field named; ``title``
    says what could not be done (a restore is not a computation)."""
    try:
        yield
    except ValidationError as exc:
        fail(validation_problems(exc, prefix))
    except InputError as exc:
        fail(exc.problems)
    except NotFoundError as exc:
        fail([("error", str(exc))], title="Not found")
    except MyositisError as exc:
        fail([("error", str(exc))], title=title)


def guarded(func: Callable[[], Any], prefix: str = "") -> Any:
    with user_errors(prefix):
        return func()


def validate_each(model: type[M], documents: list[tuple[str, Any]]) -> list[M]:
    """Validate several documents, reporting every bad field of every document at once."""
    problems: list[tuple[str, str]] = []
    models: list[M] = []
    for prefix, document in documents:
        try:
            models.append(model.model_validate(document))
        except ValidationError as exc:
            problems.extend(field_problems(model, exc, prefix))
    if problems:
        fail(problems)
    return models

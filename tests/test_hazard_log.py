"""The clinical hazard log names, for every control, a test that exists: a renamed or deleted
test would otherwise leave a control that nothing proves. Rows may shorten a path to its file
name and a further test of the same file to ``::name``."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py|test_\w+\.py)?(?:::\w+)?)`")


def _resolve(name: str) -> Path | None:
    if name.startswith("tests/"):
        return ROOT / name
    found = sorted((ROOT / "tests").rglob(name))
    return found[0] if len(found) == 1 else None


def test_every_test_the_hazard_log_names_exists() -> None:
    text = LOG.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| H\d+ ", line)]
    assert len(rows) > 250
    missing: list[str] = []
    unproven: list[str] = []
    for row in rows:
        hazard = row.split("|")[1].strip()
        current: Path | None = None
        named = 0
        for reference in REFERENCE.findall(row):
            if not reference:
                continue
            path, _, test = reference.partition("::")
            if path:
                current = _resolve(path)
                if current is None or not current.is_file():
                    missing.append(f"{hazard}: {path}")
                    continue
                named += 1  # a whole test file is a proof too
            if test:
                if current is None:
                    missing.append(f"{hazard}: ::{test} without a file")
                    continue
                named += 1
                if not re.search(rf"^(?:async )?def {test}\(", current.read_text(
                        encoding="utf-8"), re.M):
                    missing.append(f"{hazard}: {current.name}::{test}")
        if not named:
            unproven.append(hazard)
    assert not missing, missing
    assert not unproven, f"hazards whose control names no test: {unproven}"

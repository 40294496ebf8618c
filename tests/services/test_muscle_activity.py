"""Muscle activity at one visit: the boundaries of quiet, low activity and a strong muscle."""

from __future__ import annotations

from myositis.domain.patient import Visit
from myositis.services.muscle_activity import (
    measures,
    muscle_low_activity,
    muscle_quiet,
    muscle_strong_enzymes_near_normal,
    paired,
)
from tests.services.careplan.conftest import make_record


def _visit(mmt: int | None, ck: float, pga: float = 1.0, ast: float | None = None,
           cmas: int | None = None) -> Visit:
    strength: dict[str, int] = {"mmt8": mmt, "mmt_max": 80} if mmt is not None else {
        "cmas": cmas or 0}
    enzymes: dict[str, dict[str, float]] = {"ck": {"value": ck, "uln": 200}}
    if ast is not None:
        enzymes["ast"] = {"value": ast, "uln": 40}
    return Visit.model_validate({
        "date": "2026-11-10",
        "core_set": {"physician_global": pga, "patient_global": 1.0, "extramuscular_global": 0.5,
                     **strength, "haq": 0.2},
        "labs": {"enzymes": enzymes}})


def test_quiet_muscle_needs_strength_at_the_printo_threshold_and_normal_enzymes() -> None:
    record = make_record()
    assert muscle_quiet(_visit(78, 150), record)  # 78/80 = 97.5 %
    assert not muscle_quiet(_visit(77, 150), record)
    assert not muscle_quiet(_visit(80, 201), record)


def test_low_activity_stops_at_each_of_its_three_thresholds() -> None:
    record = make_record()
    assert muscle_low_activity(_visit(72, 300, pga=2.0), record) is not None  # 90 %, 1.5 x ULN
    assert muscle_low_activity(_visit(71, 300, pga=2.0), record) is None
    assert muscle_low_activity(_visit(72, 301, pga=2.0), record) is None
    assert muscle_low_activity(_visit(72, 300, pga=2.1), record) is None


def test_a_liver_transaminase_is_not_muscle_activity_when_ck_is_measured() -> None:
    """Methotrexate raises ALT and AST; with CK normal the muscle is quiet (H106)."""
    visit = _visit(80, 150, ast=120)
    assert muscle_quiet(visit, make_record())
    assert measures(visit).enzyme_x_uln == 0.75
    assert measures(visit, muscle_only=False).enzyme_x_uln == 3.0


def test_a_strong_muscle_is_judged_apart_from_a_high_physician_global() -> None:
    assert muscle_strong_enzymes_near_normal(_visit(76, 300, pga=6.0), make_record()) is not None
    assert muscle_strong_enzymes_near_normal(_visit(75, 300, pga=6.0), make_record()) is None


def test_strength_on_different_scales_is_not_compared() -> None:
    before, after = paired(_visit(80, 150), _visit(None, 150, cmas=52))
    assert before.mmt is None and after.mmt is None

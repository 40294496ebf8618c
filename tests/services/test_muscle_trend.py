"""Which way the muscle moves: the noise floors of the flare state and steroid myopathy."""

from __future__ import annotations

from myositis.domain.criteria.imacs_worsening import Measures
from myositis.services.muscle_trend import floor_only, strength_fell
from tests.services.test_muscle_activity import _visit


def _m(**values: float) -> Measures:
    base = {"physician_global": 1.0, "patient_global": 1.0, "extramuscular_global": 1.0,
            "mmt": 80.0, "haq": 0.2, "enzyme_x_uln": 0.8}
    return Measures.model_validate({**base, **values})


def test_relative_changes_near_normal_values_are_not_a_flare() -> None:
    """Globals 1 to 1.5 cm are '50 % worse' by clause C but below the 2 cm floor."""
    reason = floor_only(_m(), _m(physician_global=1.5, patient_global=1.5,
                                 extramuscular_global=1.5))
    assert reason is not None and "not read as a flare" in reason


def test_three_measures_beyond_their_floors_are_a_flare() -> None:
    assert floor_only(_m(physician_global=2.0, patient_global=2.0, extramuscular_global=2.0),
                      _m(physician_global=3.0, patient_global=3.0,
                         extramuscular_global=3.0)) is None


def test_strength_must_fall_by_more_than_two_points() -> None:
    assert strength_fell(_visit(78, 150), _visit(76, 150)) == []
    assert strength_fell(_visit(78, 150), _visit(75, 150)) == ["MMT-8 78 to 75"]

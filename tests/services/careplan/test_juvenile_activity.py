"""JDM activity against PRINTO (all records SYNTHETIC)."""

from __future__ import annotations

from myositis.services.careplan.juvenile_activity import jdm_minimal_activity, printo_inactive
from tests.services.careplan.conftest import make_record


def _visit(cmas: int, pga: float) -> dict[str, object]:
    return {"date": "2026-11-20", "core_set": {"cmas": cmas, "mmt8": 80, "mmt_max": 80,
                                               "physician_global": pga}}


def test_printo_inactive_needs_three_of_four() -> None:
    assert printo_inactive(make_record(visits=[_visit(50, 0.2)])) is True
    assert printo_inactive(make_record(visits=[_visit(40, 3.0)])) is False
    assert printo_inactive(make_record(visits=[])) is None


def test_minimal_activity_is_every_muscle_criterion_with_a_low_global() -> None:
    normal_ck = {"enzymes": {"ck": {"value": 120, "uln": 170}}}
    assert jdm_minimal_activity(make_record(labs=normal_ck, visits=[_visit(50, 1.5)])) is True
    assert jdm_minimal_activity(make_record(labs=normal_ck, visits=[_visit(50, 2.5)])) is False
    assert jdm_minimal_activity(make_record(labs=normal_ck, visits=[_visit(40, 1.5)])) is False
    # the base record's CK of many times its limit misses the CK criterion
    assert jdm_minimal_activity(make_record(visits=[_visit(50, 1.5)])) is False

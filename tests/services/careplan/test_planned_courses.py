"""Courses decided on but not started (SYNTHETIC patients): checked, never counted as taken."""

from __future__ import annotations

import pytest

from myositis.errors import InputError
from myositis.services.careplan.exposure import current_therapies
from tests.services.careplan.conftest import do_now, make_plan, make_record

_RTX = {"therapy": "rituximab", "start": "2026-12-10"}


def _line(plan: object, code: str) -> str:
    return next(a.text for a in plan.do_now if a.code == code)  # type: ignore[attr-defined]


def test_a_planned_course_may_start_after_today_and_is_not_taken() -> None:
    record = make_record(planned_treatments=[_RTX])
    assert "rituximab" not in current_therapies(record)
    plan = make_plan(planned_treatments=[_RTX])
    assert do_now(plan)["planned_course_checks_rituximab"] == "soon"
    assert "to start 2026-12-10" in _line(plan, "planned_course_checks_rituximab")


def test_a_planned_course_carries_the_patients_cautions() -> None:
    plan = make_plan(planned_treatments=[_RTX],
                     infection_screening={"hbsag": {"result": "positive"}})
    assert "antiviral prophylaxis" in _line(plan, "planned_course_checks_rituximab")


def test_a_planned_course_that_must_not_start_is_urgent() -> None:
    pregnant = make_plan(planned_treatments=[{"therapy": "methotrexate"}],
                         reproduction={"pregnant": True, "gestation_weeks": 10})
    assert do_now(pregnant)["planned_course_barred_methotrexate"] == "urgent"
    assert "not to be started" in _line(pregnant, "planned_course_barred_methotrexate")
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, planned_treatments=[{"therapy": "methotrexate"}])
    assert "IBM" in _line(ibm, "planned_course_barred_methotrexate")


def test_a_planned_teratogen_asks_for_contraception_before_it_starts() -> None:
    plan = make_plan(planned_treatments=[{"therapy": "mycophenolate", "start": "2026-12-20"}],
                     reproduction={"pregnant": False, "planning_conception": False,
                                   "breastfeeding": False, "contraception": ["none"]})
    assert "contraception_with_teratogen" in do_now(plan)


def test_a_course_already_taken_gets_no_planned_line() -> None:
    taken = {"therapy": "rituximab", "start": "2026-11-01", "outcome": "ongoing"}
    plan = make_plan(treatments=[taken], planned_treatments=[_RTX])
    assert "planned_course_checks_rituximab" not in do_now(plan)


def test_an_unknown_planned_therapy_id_is_refused_with_a_suggestion() -> None:
    with pytest.raises(InputError, match=r"planned_treatments\.0\.therapy"):
        make_plan(planned_treatments=[{"therapy": "MTX"}])

"""Glucocorticoid dependence from dated courses. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.glucocorticoid_dependence import glucocorticoid_dependent
from tests.services.careplan.conftest import make_plan, make_record


def course(start: str, stop: str | None, mg: float) -> dict[str, Any]:
    return {"therapy": "glucocorticoids_oral", "dose_value": mg, "dose_unit": "mg/day",
            "start": start, **({"stop": stop} if stop else {})}


MTX = {"therapy": "methotrexate", "dose_value": 25, "dose_unit": "mg/week", "start": "2025-05-01"}
TWO_RELAPSES = [course("2025-04-01", "2025-09-01", 60), course("2025-09-01", "2025-11-01", 7.5),
                course("2025-11-01", "2026-04-01", 20), course("2026-04-01", "2026-06-01", 7.5),
                course("2026-06-01", None, 15), MTX]


def test_relapses_on_tapering_under_methotrexate_are_dependence() -> None:
    why = glucocorticoid_dependent(make_record(treatments=TWO_RELAPSES), load())
    assert why is not None and "twice or more" in why and "7.5 to 15 mg/day" in why


def test_a_steady_taper_is_not_dependence() -> None:
    steady = [course("2026-03-01", "2026-06-01", 60), course("2026-06-01", "2026-09-01", 30),
              course("2026-09-01", None, 12.5), MTX]
    assert glucocorticoid_dependent(make_record(treatments=steady), load()) is None


def test_a_rise_before_the_agent_could_work_or_down_to_low_dose_now_is_not() -> None:
    early = [course("2025-04-01", "2025-06-01", 60), course("2025-06-01", "2025-07-01", 7.5),
             course("2025-07-01", None, 20), {**MTX, "start": "2025-06-15"}]
    assert glucocorticoid_dependent(make_record(treatments=early), load()) is None
    tapered_since = [*TWO_RELAPSES[:4], course("2026-06-01", None, 5), MTX]
    assert glucocorticoid_dependent(make_record(treatments=tapered_since), load()) is None


def test_the_muscle_state_is_inadequate_response_and_the_approach_adds_an_agent() -> None:
    plan = make_plan(treatments=TWO_RELAPSES)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "inadequate_response"
    assert not any(e.startswith("Continue and optimise Methotrexate") for e in muscle.first_choice)

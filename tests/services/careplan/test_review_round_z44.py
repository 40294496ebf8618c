"""Findings of specialist review round Z44 (myositis specialist clinic, neuromuscular neurology,
infectious diseases, endocrinology and bone) and of open findings carried over from earlier
rounds, fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan


def _first_choices(plan: CarePlan, domain: str) -> list[str]:
    return next(r for r in plan.regimens if r.domain == domain).first_choice


def _mtx_course(response: str | None, start: str = "2026-05-15",
                adherence: str | None = None) -> dict[str, Any]:
    course: dict[str, Any] = {"therapy": "methotrexate", "dose_value": 20,
                              "dose_unit": "mg/week", "route": "sc", "start": start,
                              "outcome": "ongoing", "response": response}
    if adherence:
        course["adherence"] = adherence
    return {
        "months_since_onset": 7,
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 15,
                        "dose_unit": "mg/day", "start": "2026-05-01", "outcome": "ongoing"},
                       course],
        "lab_results": [lab("ck", 2400, "U/L", 200, "2026-05-01"),
                        lab("ck", 2100, "U/L", 200, "2026-11-20"),
                        lab("egfr", 90, "mL/min/1.73m2", date="2026-11-20")],
    }


def test_no_response_after_adequate_time_switches_instead_of_continuing() -> None:
    """Z42d P2 carried over: methotrexate at 20 mg/week for 28 weeks with no response was kept
    as 'continue and optimise' because one failed agent leaves the state 'active'."""
    failed = _first_choices(make_plan(**_mtx_course("none")), "muscle")
    assert any(e.startswith("Methotrexate: no response recorded after 28 weeks") and "switch"
               in e for e in failed), failed
    assert not any(e.startswith("Continue and optimise Methotrexate") for e in failed)
    # too early to call, unknown response, or doses missed: continued as before
    for course in (_mtx_course("none", start="2026-10-01"), _mtx_course(None),
                   _mtx_course("none", adherence="poor")):
        kept = _first_choices(make_plan(**course), "muscle")
        assert not any("no response recorded" in e for e in kept), kept

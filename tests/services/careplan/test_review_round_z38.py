"""Findings of specialist review round Z38 and of the open list carried into it, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import make_plan, withheld


def _stopped_severe(therapy: str) -> dict[str, str]:
    return {"therapy": therapy, "start": "2025-01-01", "stop": "2025-03-01",
            "outcome": "not_tolerated", "reason_stopped": "adverse_event",
            "reaction_severity": "severe"}


def test_a_severe_reaction_line_names_immunoglobulin_only_on_immunoglobulin_lines() -> None:
    """Open list: the no-re-challenge line said 'a severe reaction to one immunoglobulin
    product counts for the others' on azathioprine and every other drug."""
    reasons = withheld(make_plan(treatments=[_stopped_severe("azathioprine")]))
    assert reasons["azathioprine"].startswith("Stopped before for a severe adverse reaction")
    assert "immunoglobulin" not in reasons["azathioprine"]
    reasons = withheld(make_plan(organs={"dysphagia": "severe"},
                                 treatments=[_stopped_severe("ivig")]))
    assert "counts for the others" in reasons["ivig"]
    assert "azathioprine" not in reasons

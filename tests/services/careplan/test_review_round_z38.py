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


def _skin_options(reproduction: dict[str, object]) -> dict[str, object]:
    plan = make_plan(reproduction=reproduction, skin_refractory=True, months_since_onset=14)
    return {o.therapy: o for o in plan.options} | {t: r for t, r in withheld(plan).items()}


def test_skin_agents_carry_their_own_lactation_sources_while_breastfeeding() -> None:
    """Open list: topical calcineurin inhibitors, dapsone and diltiazem were withheld while
    breastfeeding for 'no data', and a general label cited ACR 2020 and BSR 2023 for drugs those
    guidelines do not cover."""
    options = _skin_options({"pregnant": False, "breastfeeding": True})
    tci = options["topical_calcineurin_inhibitors"]
    dapsone = options["dapsone"]
    assert not isinstance(tci, str) and not isinstance(dapsone, str)
    assert tci.labels == [next(t for t in tci.labels if "LactMed" in t)]
    assert "nipple" in tci.labels[0]
    assert not any("ACR 2020" in t for t in dapsone.labels)
    assert any("haemolysis" in c.text and "G6PD" in c.text for c in dapsone.cautions)


def test_limited_pregnancy_data_names_no_washout_in_a_pregnancy() -> None:
    """The limited-data caution read '(before conception; interval to agree with the specialist
    team)' for a woman already 20 weeks pregnant."""
    options = _skin_options({"pregnant": True, "gestation_weeks": 20, "breastfeeding": False})
    tci = options["topical_calcineurin_inhibitors"]
    assert not isinstance(tci, str)
    texts = [c.text for c in tci.cautions]
    assert any(t.startswith("Limited data in pregnancy") for t in texts)
    assert not any("before conception" in t for t in texts)

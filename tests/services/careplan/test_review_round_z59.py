"""Specialist review round Z59 (all patients SYNTHETIC): a drug allergy clinic, a diabetes
clinic, an obesity and bariatric medicine service and a learning disability liaison service;
and leftovers of round Z58."""

from __future__ import annotations

from myositis.services.careplan.model import Caution, Option
from myositis.services.careplan.regimen_lines import safest_first


def _option(therapy: str, *cautions: tuple[str, str]) -> Option:
    return Option(therapy=therapy, name=therapy, line="first", complications=[],
                  evidence_level="moderate", investigational=False, rationale="", citations=[],
                  cautions=[Caution(condition=c, severity=s, text=c, citations=[])
                            for c, s in cautions], kb_entry=therapy)


def test_a_calcineurin_inhibitor_beside_ritonavir_does_not_lead() -> None:
    """Review Z58c P2: tacrolimus first choice beside a ritonavir-boosted regimen taken
    erratically - its exposure rises many-fold and unpredictably, so another agent leads even
    when that one carries more high-severity cautions."""
    tacrolimus = _option("tacrolimus", ("calcineurin_ritonavir", "high"))
    rituximab = _option("rituximab", ("hbv_core", "high"), ("hypogammaglobulinaemia", "high"))
    assert [o.therapy for o in safest_first([tacrolimus, rituximab])] == ["rituximab",
                                                                          "tacrolimus"]
    alone = _option("tacrolimus", ("calcineurin_azole", "high"))
    assert [o.therapy for o in safest_first([alone, rituximab])] == ["tacrolimus", "rituximab"]

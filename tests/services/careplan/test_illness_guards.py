"""The acute-illness guards on an assembled approach (pure functions on regimens)."""

from __future__ import annotations

from myositis.services.careplan.illness_guards import (
    DURING_INFECTION,
    FEVER_MAY_BE_DISEASE,
    GLUCOCORTICOID_IV,
    IVIG_COVERS_BOTH,
    STRESS_DOSE,
    during_infection,
    fever_as_disease,
    glucocorticoid_cost_named,
    glucocorticoid_iv,
    ivig_for_low_igg,
    stress_dose_in_approach,
)
from myositis.services.careplan.model import Regimen
from myositis.services.careplan.regimen_lines import GC_THROUGH_INFECTION

GC = "Oral glucocorticoids (prednisone / prednisolone)"


def muscle(*first: str, state: str = "flare", alternatives: tuple[str, ...] = ()) -> Regimen:
    return Regimen(domain="muscle", state=state, first_choice=list(first),
                   alternatives=list(alternatives), decision_point="Reassess.")


def test_nothing_new_goes_by_mouth_with_the_gut_involved() -> None:
    [out] = glucocorticoid_iv([muscle(GC, "Methotrexate", "Hydroxychloroquine")], GC)
    assert out.first_choice[0].startswith(GLUCOCORTICOID_IV)
    assert out.first_choice[1].startswith("Methotrexate subcutaneously")
    assert out.first_choice[2].startswith("Hydroxychloroquine once eating")


def test_pulses_are_not_deferred_once_the_glucocorticoid_goes_iv() -> None:
    pulses = "add Intravenous methylprednisolone pulses"
    [deferred] = during_infection([muscle(pulses)], frozenset({"Intravenous methylprednisolone "
                                                                "pulses"}))
    assert deferred.alternatives[0].startswith(DURING_INFECTION)
    [given] = during_infection([muscle(GLUCOCORTICOID_IV + " now", pulses)],
                               frozenset({"Intravenous methylprednisolone pulses"}))
    assert not given.alternatives


def test_stress_dose_replaces_continue_and_the_cost_of_a_rise_is_named() -> None:
    [stressed] = stress_dose_in_approach([muscle(f"Continue {GC} without raising it")], GC)
    assert stressed.first_choice == [STRESS_DOSE]
    [costed] = glucocorticoid_cost_named([muscle("raise prednisolone to about 0.5 mg/kg/day")],
                                         ["diabetes"])
    assert "with diabetes: the lowest dose" in costed.first_choice[0]
    assert glucocorticoid_cost_named([muscle("x")], []) == [muscle("x")]


def test_fever_as_disease_and_ivig_for_a_low_igg() -> None:
    held = f"Continue {GC} {GC_THROUGH_INFECTION}"
    [fever] = fever_as_disease([muscle(held)])
    assert FEVER_MAY_BE_DISEASE in fever.first_choice[0]
    [low] = ivig_for_low_igg([muscle(GC, alternatives=("Intravenous immunoglobulin",))],
                             "Intravenous immunoglobulin")
    assert low.first_choice[-1] == IVIG_COVERS_BOTH and not low.alternatives
    [quiet] = ivig_for_low_igg([muscle(GC, state="stable")], "Intravenous immunoglobulin")
    assert IVIG_COVERS_BOTH not in quiet.first_choice

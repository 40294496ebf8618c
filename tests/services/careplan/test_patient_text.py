"""General plan text cleaned for the patient (pure functions)."""

from __future__ import annotations

from myositis.services.careplan.patient_text import without_g6pd_choices, without_listed


def test_an_agent_leaves_a_bracketed_list_but_a_clause_or_a_lone_item_stays() -> None:
    words = ("azathioprine",)
    assert without_listed("(prednisolone, azathioprine, tacrolimus)", words) == (
        "(prednisolone, tacrolimus)")
    assert without_listed("(azathioprine)", words) == "(azathioprine)"
    clause = "(azathioprine at the dose the team sets, unless a reaction followed it before)"
    assert without_listed(clause, words) == clause
    assert without_listed("(azathioprine, tacrolimus)", ()) == "(azathioprine, tacrolimus)"


def test_normal_g6pd_choices_are_removed_and_treatment_becomes_pentamidine() -> None:
    assert without_g6pd_choices("choose atovaquone, or dapsone only with a normal G6PD.") == (
        "choose atovaquone.")
    assert without_g6pd_choices("treat with primaquine and clindamycin after a normal G6PD") == (
        "treat with IV pentamidine (G6PD deficient: no primaquine)")
    assert without_g6pd_choices("no G6PD text here") == "no G6PD text here"

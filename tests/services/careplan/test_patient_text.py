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


def test_a_long_reason_is_shortened_at_a_clause_never_mid_word() -> None:
    from myositis.services.careplan.patient_text import brief
    text = "First clause about the drug; " + "second clause that goes on " * 12 + "and ends."
    out = brief(text, limit=120)
    assert out.startswith("First clause about the drug")
    assert out.endswith("(in full in the Markdown or HTML plan)")
    assert len(out) < len(text)
    assert brief("short", limit=120) == "short"


def test_a_caution_label_is_its_finding_in_words_not_its_rule_code() -> None:
    from myositis.services.careplan.patient_text import caution_label
    assert caution_label("TPMT and NUDT15 status not both recorded; test what is missing.") == \
        "TPMT and NUDT15 status not both recorded"
    assert caution_label("HBsAg positive (a long aside that is not closed: antiviral first") == \
        "HBsAg positive"
    assert caution_label("Adults: at 15 mg/day or more, add PJP prophylaxis.").startswith(
        "Adults: at 15 mg/day")


def test_a_generic_warning_label_is_led_by_the_condition_that_fired() -> None:
    from myositis.services.careplan.patient_text import caution_label
    assert caution_label("Boxed warning: increased malignancy risk (lymphoma)",
                         condition="active_malignancy").startswith("Active malignancy - Boxed")
    assert caution_label("HBsAg positive, DNA detectable: antiviral first",
                         condition="hbsag_positive") == "HBsAg positive, DNA detectable"

"""Specialist review round Z68 (all patients SYNTHETIC): a myositis centre's inpatient ward and
an adolescent and young adult clinic."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.screening import for_age
from tests.services.careplan.conftest import QUIET_VISITS, make_plan


def test_no_implant_offered_on_mycophenolate_beside_an_enzyme_inducer() -> None:
    """Review Z68b P6 (dangerous): 'offer an intrauterine device or implant' for a girl on
    mycophenolate and carbamazepine, which makes the implant unreliable."""
    base: dict[str, Any] = dict(
        date_of_birth="2010-05-01", classification={"age_at_onset": 15},
        reproduction={"contraception": ["progestogen_only_pill"]},
        treatments=[{"therapy": "mycophenolate", "start": "2026-01-01", "dose_value": 2,
                     "dose_unit": "g/day", "outcome": "ongoing"}])
    line = next(a.text for a in make_plan(**base, other_medicines=["enzyme_inducer"]).do_now
                if a.code == "mycophenolate_single_user_method")
    assert "offer an intrauterine device or implant" not in line
    assert "not an implant" in line
    plain = next(a.text for a in make_plan(**base).do_now
                 if a.code == "mycophenolate_single_user_method")
    assert "offer an intrauterine device or implant" in plain


def test_no_cervical_smear_below_21() -> None:
    """Review Z68b P3: a Pap test listed for a woman of 19."""
    smear = "Cervical Papanicolaou (Pap) test (women)"
    assert not for_age(smear, 19)
    assert for_age(smear, 30)
    assert not for_age(smear, 70)


def test_rectal_bleeding_as_a_red_flag_is_a_bleed_on_an_anticoagulant() -> None:
    """Review Z68a P3 (borderline dangerous): warfarin at INR 3.4 only 'reduced' beside rectal
    bleeding recorded as a cancer red flag, with haemoglobin 95."""
    from myositis.services.careplan.record_readers import gi_bleed_suspected
    from tests.services.careplan.conftest import make_record
    assert gi_bleed_suspected(make_record(cancer={"red_flags": ["rectal_bleeding"]})) is True
    plan = make_plan(other_medicines=["warfarin"], cancer={"red_flags": ["rectal_bleeding"]})
    assert "anticoagulant_with_bleeding" in {a.code for a in plan.do_now}
    assert not any("aecal" in t for t in plan.cancer_screening.tests_due)


def test_the_worsening_reason_names_the_cmas_when_it_was_the_strength_measure() -> None:
    """Review Z68a P6: 'physician global +5.0 cm and MMT -65%' for a child whose CMAS fell."""
    from myositis.domain.criteria.imacs_worsening import Measures, compare
    before = Measures(physician_global=1, mmt=48, strength_scale="CMAS")
    after = Measures(physician_global=6, mmt=17, strength_scale="CMAS")
    assert any("CMAS -65%" in r for r in compare(before, after).reasons)
    adult = compare(Measures(physician_global=1, mmt=78), Measures(physician_global=6, mmt=50))
    assert any("MMT -36%" in r for r in adult.reasons)


def test_pregnancy_plans_line_reads_the_contraception_recorded() -> None:
    """Review Z68b P8: 'ask, and record contraception' beside a combined pill on record."""
    quiet: dict[str, Any] = dict(
        months_since_onset=40, labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        visits=QUIET_VISITS,
        treatments=[{"therapy": "azathioprine", "start": "2023-01-01", "dose_value": 100,
                     "dose_unit": "mg/day", "outcome": "effective", "response": "complete"}])
    recorded = make_plan(**quiet, reproduction={
        "planning_conception": None, "contraception": ["combined_hormonal"]})
    text = " ".join(a.text for a in [*recorded.do_now, *recorded.do_now_bundled])
    # re-score of Z68b P8: the line asks for the check, never claims it was made
    assert "ask, and check the contraception recorded against each drug" in text
    unrecorded = make_plan(**quiet, reproduction={"planning_conception": None})
    plain = " ".join(a.text for a in [*unrecorded.do_now, *unrecorded.do_now_bundled])
    assert "Pregnancy plans not recorded: ask, and record contraception" in plain


def test_a_jak_inhibitor_is_cautioned_beside_a_combined_pill() -> None:
    """Review Z68b P8: baricitinib planned beside the combined pill, never questioned."""
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from myositis.services.careplan.rules import therapy_firings
    from tests.services.careplan.conftest import make_record
    kb = load()

    def fired(**changes: Any) -> set[str]:
        facts = compute(make_record(**changes), kb, set(), frozenset({"dm"}), "active")
        return {f.rule.id for f in therapy_firings(kb, facts, kb.therapies["baricitinib"])}
    rule = "jak_inhibitor_with_combined_hormonal_contraception"
    assert rule in fired(reproduction={"contraception": ["combined_hormonal"]})
    assert rule not in fired(reproduction={"contraception": ["copper_iud"]})


def test_ivig_thromboprophylaxis_is_mechanical_while_a_bleed_holds_the_anticoagulant() -> None:
    """Re-score of Z68a P3: 'the anticoagulant already taken kept in range through the course'
    in the IVIG note beside a rectal bleed that holds it."""
    from myositis.knowledge import load
    swaps = load().wording_swaps
    bleed = next(i for i, s in enumerate(swaps) if s.facts == ("gi_bleed_suspected",)
                 and s.specific.startswith("mechanical thromboprophylaxis"))
    anticoagulated = next(i for i, s in enumerate(swaps) if "warfarin" in s.values
                          and s.general.startswith("thromboprophylaxis through the course"))
    assert bleed < anticoagulated

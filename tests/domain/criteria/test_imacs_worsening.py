"""IMACS 2005 worsening and ProDERM confirmed deterioration: WOR-1..4 (instruments.md 9.1)."""

from __future__ import annotations

from myositis.domain.criteria.imacs_worsening import Measures, compare, confirmed_deterioration

STABLE = {"patient_global": 3.0, "haq": 1.0, "enzyme_x_uln": 2.0}


def m(**values: float) -> Measures:
    return Measures.model_validate({**STABLE, **values})


def test_wor1_clause_a_boundary_and_confirmation() -> None:
    base = m(physician_global=4.0, mmt=120, extramuscular_global=1.0)
    week8 = m(physician_global=6.0, mmt=96, extramuscular_global=1.0)
    week12 = m(physician_global=6.5, mmt=90, extramuscular_global=1.0)
    assert compare(base, week8).met is True  # +2.0 cm and -20 % both count
    assert confirmed_deterioration(base, [week8, week12]).met is True
    week12_better = m(physician_global=5.5, mmt=90, extramuscular_global=1.0)
    assert confirmed_deterioration(base, [week8, week12_better]).met is False


def test_wor2_clause_a_needs_both_parts_and_clause_c() -> None:
    base = m(physician_global=5.0, patient_global=5.0, haq=1.0, mmt=100,
             extramuscular_global=2.0)
    after = m(physician_global=6.0, patient_global=6.5, haq=1.45, mmt=70,
              extramuscular_global=2.4)
    result = compare(base, after, "proderm")
    assert result.met is True
    assert any(r.startswith("C:") for r in result.reasons)
    assert not any(r.startswith("A:") for r in result.reasons)


def test_wor3_variants_disagree_on_enzymes() -> None:
    base = m(physician_global=5.0, patient_global=5.0, haq=1.0, mmt=100,
             extramuscular_global=5.0, enzyme_x_uln=2.0)
    after = m(physician_global=5.5, patient_global=7.0, haq=1.35, mmt=95,
              extramuscular_global=5.5, enzyme_x_uln=5.0)
    assert compare(base, after, "proderm").met is False
    assert compare(base, after, "imacs_2005").met is True


def test_wor4_clause_b_boundary() -> None:
    base = m(physician_global=3.0, mmt=70, extramuscular_global=1.0)
    assert compare(base, m(physician_global=3.0, mmt=70, extramuscular_global=3.0)).met is True
    assert compare(base, m(physician_global=3.0, mmt=70, extramuscular_global=2.9)).met is False


def test_too_few_measures_is_unknown() -> None:
    assert compare(Measures(physician_global=2.0), Measures(physician_global=2.5)).met is None

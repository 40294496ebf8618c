"""Solomon 2011 and Connors 2010: ASS-1..5 (instruments.md 9.4; Solomon rule [C2])."""

from __future__ import annotations

from myositis.domain.criteria.antisynthetase import AsysInput, connors, solomon


def test_ass1_ild_only() -> None:
    data = AsysInput(anti_synthetase=True, ild=True)
    assert connors(data).met is True
    assert solomon(data).met is False


def test_ass2_one_major_two_minor() -> None:
    data = AsysInput(anti_synthetase=True, ild=True, mechanics_hands=True, raynaud=True)
    assert solomon(data).met is True and connors(data).met is True


def test_ass3_minors_alone_never_suffice_for_solomon() -> None:
    data = AsysInput(anti_synthetase=True, arthritis=True, raynaud=True, mechanics_hands=True)
    assert solomon(data).met is False
    assert connors(data).met is True


def test_ass4_two_majors() -> None:
    assert solomon(AsysInput(anti_synthetase=True, ild=True, myositis=True)).met is True


def test_ass5_antibody_required() -> None:
    data = AsysInput(anti_synthetase=False, ild=True, myositis=True, mechanics_hands=True)
    assert solomon(data).met is False and connors(data).met is False


def test_connors_myositis_reading_is_a_parameter() -> None:
    data = AsysInput(anti_synthetase=True, myositis=True)
    assert connors(data, connors_counts_myositis=True).met is True
    assert connors(data, connors_counts_myositis=False).met is False


def test_untested_antibody_is_unknown() -> None:
    assert solomon(AsysInput(ild=True, myositis=True)).met is None

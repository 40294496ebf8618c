"""PRINTO criteria for clinically inactive JDM (Lazarevic 2013): 3 of 4, at the boundaries."""

from __future__ import annotations

import pytest

from myositis.domain.criteria.printo_inactive_jdm import CRITERIA, PrintoMeasures, inactive, met


def test_the_published_table() -> None:
    assert CRITERIA == {"ck_u_l": ("at most", 150.0), "cmas": ("at least", 48.0),
                        "mmt8_of_80": ("at least", 78.0),
                        "physician_global_cm": ("at most", 0.2)}


def test_three_of_four_at_the_cut_offs() -> None:
    boundary = PrintoMeasures(ck_u_l=150, cmas=48, mmt8_of_80=78, physician_global_cm=0.2)
    assert met(boundary) == (4, 4) and inactive(boundary) is True
    just_out = PrintoMeasures(ck_u_l=151, cmas=47, mmt8_of_80=78, physician_global_cm=0.2)
    assert met(just_out) == (2, 4) and inactive(just_out) is False
    three = PrintoMeasures(ck_u_l=151, cmas=48, mmt8_of_80=78, physician_global_cm=0.2)
    assert inactive(three) is True


def test_unmeasured_criteria_leave_it_open_until_they_cannot_change_it() -> None:
    assert inactive(PrintoMeasures(ck_u_l=95, cmas=50, physician_global_cm=2)) is None
    assert inactive(PrintoMeasures(ck_u_l=900, cmas=30)) is False
    assert inactive(PrintoMeasures()) is None


def test_input_types_are_strict() -> None:
    with pytest.raises(ValueError):
        PrintoMeasures(cmas=True)  # type: ignore[arg-type]

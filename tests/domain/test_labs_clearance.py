"""Cockcroft-Gault creatinine clearance (Cockcroft & Gault 1976, doi:10.1159/000180580): a
worked example and the female factor. SYNTHETIC values."""

from __future__ import annotations

import pytest

from myositis.domain.labs import cockcroft_gault


def test_the_worked_example_of_an_85_year_old_man() -> None:
    # (140 - 85) x 60 / (72 x 170/88.42) = 3300 / 138.4 = 23.8 mL/min
    assert cockcroft_gault(170, 85, 60, "male") == pytest.approx(23.84, abs=0.05)


def test_a_woman_is_0_85_of_a_man() -> None:
    assert cockcroft_gault(100, 70, 55, "female") == pytest.approx(
        0.85 * cockcroft_gault(100, 70, 55, "male"))


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        cockcroft_gault(0, 70, 55, "male")
    with pytest.raises(ValueError):
        cockcroft_gault(100, 12, 40, "male")

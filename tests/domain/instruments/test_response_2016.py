"""ACR/EULAR 2016 TIS: table lookups (TIS-1..3), raw-value example TIS-4, band edges, properties."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myositis.domain.instruments.response_2016 import (
    CoreSetInput,
    category_for,
    points_for,
    total_improvement_score,
)
from myositis.errors import InputError

F = Fraction


def core(**kw: Any) -> CoreSetInput:
    doc: dict[str, Any] = {
        "physician_global": 5.0, "patient_global": 5.0, "mmt8": 60, "mmt_max": 80, "haq": 1.5,
        "enzymes": {"ck": {"value": 1000, "uln": 200}}, "extramuscular_global": 5.0,
    }
    doc.update(kw)
    return CoreSetInput.model_validate(doc)


def test_tis1_table_lookup() -> None:
    total = (points_for("physician_global", F(30)) + points_for("patient_global", F(20))
             + points_for("muscle_strength", F(8)) + points_for("physical_function", F(10))
             + points_for("muscle_enzyme", F(50)) + points_for("extramuscular", F(0)))
    assert total == 45
    assert category_for(total, "adult") == "moderate"
    assert category_for(total, "juvenile") == "moderate"


def test_tis2_band_edges() -> None:
    zero = [points_for("physician_global", F(5)), points_for("patient_global", F(5)),
            points_for("muscle_strength", F(2)), points_for("physical_function", F(5)),
            points_for("muscle_enzyme", F(5)), points_for("extramuscular", F(5))]
    assert sum(zero) == 0
    above = [points_for("physician_global", F("5.01")), points_for("patient_global", F(15)),
             points_for("muscle_strength", F("2.01")), points_for("physical_function", F(40)),
             points_for("muscle_enzyme", F(40)), points_for("extramuscular", F("40.01"))]
    assert above == [F("7.5"), F("2.5"), 10, F("7.5"), F("7.5"), 20]
    assert sum(above) == 55


def test_tis3_worsening_scores_zero_not_negative() -> None:
    total = (points_for("physician_global", F(-20)) + points_for("patient_global", F(100))
             + points_for("muscle_strength", F(35)) + points_for("physical_function", F(-50))
             + points_for("muscle_enzyme", F(100)) + points_for("extramuscular", F(50)))
    assert total == 70
    assert category_for(total, "adult") == "major"
    assert category_for(total, "juvenile") == "major"


@pytest.mark.parametrize(
    ("measure", "edges", "points"),
    [
        ("physician_global", (5, 15, 25, 40), ("0", "7.5", "15", "17.5", "20")),
        ("patient_global", (5, 15, 25, 40), ("0", "2.5", "5", "7.5", "10")),
        ("physical_function", (5, 15, 25, 40), ("0", "5", "7.5", "7.5", "10")),
        ("muscle_enzyme", (5, 15, 25, 40), ("0", "2.5", "5", "7.5", "7.5")),
        ("extramuscular", (5, 15, 25, 40), ("0", "7.5", "12.5", "15", "20")),
        ("muscle_strength", (2, 10, 20, 30), ("0", "10", "20", "27.5", "32.5")),
    ],
)
def test_every_band_edge(measure: Any, edges: tuple[int, ...], points: tuple[str, ...]) -> None:
    eps = F(1, 100)
    for index, edge in enumerate(edges):
        assert points_for(measure, edge - eps) == F(points[index])
        assert points_for(measure, F(edge)) == F(points[index])
        assert points_for(measure, edge + eps) == F(points[index + 1])
    assert points_for(measure, F(-100)) == 0


@pytest.mark.parametrize(
    ("tis", "adult", "juvenile"),
    [(19.99, "none", "none"), (20, "minimal", "none"), (29.99, "minimal", "none"),
     (30, "minimal", "minimal"), (39.99, "minimal", "minimal"), (40, "moderate", "minimal"),
     (45, "moderate", "moderate"), (59.99, "moderate", "moderate"), (60, "major", "moderate"),
     (69.99, "major", "moderate"), (70, "major", "major")],
)
def test_threshold_edges(tis: float, adult: str, juvenile: str) -> None:
    assert category_for(tis, "adult") == adult
    assert category_for(tis, "juvenile") == juvenile


def test_tis4_raw_values_range_rule() -> None:
    base = core(physician_global=6.0, patient_global=7.0, mmt8=60, haq=1.5,
                enzymes={"ck": {"value": 3000, "uln": 200}}, extramuscular_global=3.0)
    follow = core(physician_global=4.0, patient_global=5.0, mmt8=66, haq=1.125,
                  enzymes={"ck": {"value": 1200, "uln": 200}}, extramuscular_global=2.0)
    r = total_improvement_score(base, follow)
    pct = {k: m.percent_change for k, m in r.measures.items()}
    assert pct == {"physician_global": 20, "patient_global": 20, "extramuscular": 10,
                   "muscle_strength": 7.5, "physical_function": 12.5, "muscle_enzyme": 60}
    assert r.total_improvement_score == 50
    assert r.category == "moderate"


def test_most_abnormal_enzyme_is_highest_multiple_of_uln() -> None:
    base = core(enzymes={"ck": {"value": 400, "uln": 200}, "aldolase": {"value": 30, "uln": 7.5}})
    follow = core(enzymes={"ck": {"value": 400, "uln": 200}, "aldolase": {"value": 15, "uln": 7.5}})
    r = total_improvement_score(base, follow)
    assert r.measures["muscle_enzyme"].percent_change == 50  # aldolase (4x ULN), not CK (2x)


def test_missing_followup_enzyme_names_the_field() -> None:
    base = core(enzymes={"aldolase": {"value": 30, "uln": 7.5}})
    with pytest.raises(InputError) as info:
        total_improvement_score(base, core())
    assert info.value.problems[0][0] == "enzymes.aldolase"


def test_juvenile_cmas_and_chaq() -> None:
    base = core(mmt8=None, cmas=26, haq=None, chaq=1.5)
    follow = core(mmt8=None, cmas=39, haq=None, chaq=1.5)
    r = total_improvement_score(base, follow, "juvenile")
    assert r.measures["muscle_strength"].percent_change == 25
    assert r.measures["muscle_strength"].points == 27.5


def test_mixed_strength_measures_rejected() -> None:
    with pytest.raises(InputError):
        total_improvement_score(core(), core(mmt8=None, cmas=30))


@pytest.mark.parametrize(
    ("field", "value"),
    [("physician_global", 12), ("patient_global", -1), ("haq", 3.5), ("mmt8", 81)],
)
def test_out_of_range_rejected_with_field(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        core(**{field: value})


def test_negative_ck_rejected() -> None:
    with pytest.raises(ValueError, match="value"):
        core(enzymes={"ck": {"value": -5, "uln": 200}})


vas = st.floats(min_value=0, max_value=10, allow_nan=False).map(lambda x: round(x, 1))
sets = st.fixed_dictionaries({
    "physician_global": vas, "patient_global": vas, "extramuscular_global": vas,
    "mmt8": st.integers(0, 80), "haq": st.sampled_from([i / 8 for i in range(25)]),
    "ck": st.integers(1, 20000),
})


def _doc(d: dict[str, Any]) -> CoreSetInput:
    return core(physician_global=d["physician_global"], patient_global=d["patient_global"],
                extramuscular_global=d["extramuscular_global"], mmt8=d["mmt8"], haq=d["haq"],
                enzymes={"ck": {"value": d["ck"], "uln": 200}})


@given(sets, sets)
def test_tis_in_range(b: dict[str, Any], f: dict[str, Any]) -> None:
    r = total_improvement_score(_doc(b), _doc(f))
    assert 0 <= r.total_improvement_score <= 100


@given(sets, sets, st.sampled_from(["physician_global", "patient_global", "extramuscular_global",
                                    "mmt8", "haq", "ck"]))
def test_improving_one_measure_never_lowers_tis(
    b: dict[str, Any], f: dict[str, Any], measure: str
) -> None:
    better = dict(f)
    if measure == "mmt8":
        better["mmt8"] = min(80, f["mmt8"] + 5)
    elif measure == "ck":
        better["ck"] = max(1, f["ck"] // 2)
    elif measure == "haq":
        better["haq"] = max(0, f["haq"] - 0.25)
    else:
        better[measure] = max(0.0, round(f[measure] - 1.0, 1))
    assert (total_improvement_score(_doc(b), _doc(better)).total_improvement_score
            >= total_improvement_score(_doc(b), _doc(f)).total_improvement_score)

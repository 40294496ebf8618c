"""EULAR/ACR 2017: worked examples A-F of the reference notes, every cut-off edge, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myositis.domain.instruments.eular_acr_2017 import (
    BiopsyInput,
    EularAcrInput,
    SkinInput,
    WeaknessInput,
    category_for,
    classify,
    probability,
    score_tenths,
)


def make(**kw: object) -> EularAcrInput:
    return EularAcrInput.model_validate(kw)


def test_example_a_adult_dm_without_biopsy() -> None:
    r = classify(make(age_at_onset=52, weakness={"proximal_upper": True, "proximal_lower": True},
                      skin={"heliotrope_rash": True, "gottron_papules": True},
                      elevated_muscle_enzymes=True))
    assert r.score == 10.1
    assert r.category == "definite"
    assert r.probability == pytest.approx(0.9916, abs=1e-4)
    assert r.subgroup == "DM"
    assert not r.biopsy_used


def test_example_b_anti_jo1_with_biopsy_is_pm() -> None:
    data = make(age_at_onset=35,
                weakness={"proximal_upper": True, "proximal_lower": True,
                          "neck_flexors_weaker_than_extensors": True},
                anti_jo1=True, elevated_muscle_enzymes=True,
                biopsy={"perimysial_or_perivascular_infiltrate": True})
    r = classify(data)
    assert r.score == 10.7
    assert r.category == "definite"
    assert r.probability == pytest.approx(0.9854, abs=1e-4)
    assert r.subgroup == "PM"


def test_example_b_without_biopsy_requires_biopsy() -> None:
    r = classify(make(age_at_onset=35,
                      weakness={"proximal_upper": True, "proximal_lower": True,
                                "neck_flexors_weaker_than_extensors": True},
                      anti_jo1=True, elevated_muscle_enzymes=True))
    assert r.score == 9.9
    assert r.category == "biopsy_required"
    assert r.subgroup is None


def test_example_c_ibm_by_rimmed_vacuoles() -> None:
    r = classify(make(age_at_onset=68, weakness={"proximal_upper": True, "proximal_lower": True},
                      dysphagia_or_esophageal_dysmotility=True, elevated_muscle_enzymes=True,
                      biopsy={"endomysial_infiltrate": True, "rimmed_vacuoles": True}))
    assert r.score == 10.2
    assert r.probability == pytest.approx(0.9761, abs=1e-4)
    assert (r.category, r.subgroup) == ("definite", "IBM")


def test_example_d_possible_iim_gets_no_subgroup() -> None:
    r = classify(make(age_at_onset=45, skin={"gottron_sign": True}))
    assert r.score == 5.4
    assert r.category == "possible"
    assert r.probability == pytest.approx(0.5175, abs=1e-4)
    assert r.subgroup is None


def test_example_e_score_cutoff_wins_over_probability() -> None:
    r = classify(make(age_at_onset=45, skin={"gottron_papules": True},
                      elevated_muscle_enzymes=True))
    assert r.score == 5.5
    assert r.category == "probable"
    assert r.probability == pytest.approx(0.5424, abs=1e-4)
    assert r.probability_category == "possible"
    assert r.subgroup == "ADM"


def test_example_f_jdm() -> None:
    r = classify(make(age_at_onset=8, weakness={"proximal_upper": True, "proximal_lower": True},
                      skin={"heliotrope_rash": True, "gottron_papules": True},
                      elevated_muscle_enzymes=True))
    assert r.score == 8.0
    assert r.probability == pytest.approx(0.9352, abs=1e-4)
    assert (r.category, r.subgroup) == ("definite", "JDM")


@pytest.mark.parametrize(
    ("tenths", "with_biopsy", "expected"),
    [
        (52, False, "not_iim"), (53, False, "possible"), (54, False, "possible"),
        (55, False, "probable"), (74, False, "probable"), (75, False, "definite"),
        (64, True, "not_iim"), (65, True, "possible"), (66, True, "possible"),
        (67, True, "probable"), (86, True, "probable"), (87, True, "definite"),
    ],
)
def test_score_cutoff_edges(tenths: int, with_biopsy: bool, expected: str) -> None:
    assert category_for(tenths, with_biopsy) == expected


@pytest.mark.parametrize(
    ("age", "points"), [(17.9, 0.0), (18, 1.3), (39.9, 1.3), (40, 2.1), (80, 2.1)]
)
def test_age_band_edges(age: float, points: float) -> None:
    assert score_tenths(make(age_at_onset=age), with_biopsy=False) / 10 == points


def test_age_bands_with_biopsy() -> None:
    assert score_tenths(make(age_at_onset=20), with_biopsy=True) == 15
    assert score_tenths(make(age_at_onset=40), with_biopsy=True) == 22


def test_probability_at_published_cutoffs() -> None:
    assert probability(5.3, False) < 0.5 < probability(5.4, False)
    assert probability(6.5, True) > 0.5 > probability(6.4, True)
    assert probability(8.7, True) > 0.9


def test_skin_items_are_additive() -> None:
    base = make(age_at_onset=50, skin={"heliotrope_rash": True})
    both = make(age_at_onset=50, skin={"heliotrope_rash": True, "gottron_sign": True})
    assert score_tenths(both, False) - score_tenths(base, False) == 33


def test_adult_tree_branches() -> None:
    skin_no_weakness = classify(make(age_at_onset=50, skin={"heliotrope_rash": True,
                                                            "gottron_sign": True}))
    assert skin_no_weakness.subgroup == "ADM"
    ibm_clinical = classify(make(
        age_at_onset=70, weakness={"proximal_upper": True, "proximal_lower": True},
        elevated_muscle_enzymes=True, finger_flexor_weakness=True, improved_with_treatment=False,
        biopsy={"endomysial_infiltrate": True, "perimysial_or_perivascular_infiltrate": True},
    ))
    assert ibm_clinical.subgroup == "IBM"
    improved = classify(make(
        age_at_onset=70, weakness={"proximal_upper": True, "proximal_lower": True},
        elevated_muscle_enzymes=True, finger_flexor_weakness=True, improved_with_treatment=True,
        biopsy={"endomysial_infiltrate": True, "perimysial_or_perivascular_infiltrate": True},
    ))
    assert improved.subgroup == "PM"


def test_juvenile_without_skin_is_juvenile_non_dm() -> None:
    r = classify(make(age_at_onset=10, weakness={"proximal_upper": True, "proximal_lower": True,
                                                 "neck_flexors_weaker_than_extensors": True},
                      elevated_muscle_enzymes=True, anti_jo1=True,
                      biopsy={"endomysial_infiltrate": True}))
    assert r.category in ("probable", "definite")
    assert r.subgroup == "juvenile_non_dm"


def test_biopsy_items_only_listed_with_biopsy() -> None:
    r = classify(make(age_at_onset=50, skin={"heliotrope_rash": True}))
    assert "rimmed_vacuoles" not in {i.item for i in r.items}
    assert sum(i.points for i in r.items) == pytest.approx(r.score)


def test_rejects_impossible_age() -> None:
    with pytest.raises(ValueError, match="age_at_onset"):
        make(age_at_onset=130)


inputs = st.builds(
    EularAcrInput,
    age_at_onset=st.floats(min_value=0, max_value=120),
    weakness=st.builds(WeaknessInput, **{k: st.booleans() for k in WeaknessInput.model_fields}),
    skin=st.builds(SkinInput, **{k: st.booleans() for k in SkinInput.model_fields}),
    dysphagia_or_esophageal_dysmotility=st.booleans(),
    anti_jo1=st.booleans(),
    elevated_muscle_enzymes=st.booleans(),
    biopsy=st.none() | st.builds(BiopsyInput, **{k: st.booleans()
                                                 for k in BiopsyInput.model_fields}),
)
FLAGS = [
    ("weakness", k) for k in WeaknessInput.model_fields
] + [("skin", k) for k in SkinInput.model_fields] + [
    (None, "dysphagia_or_esophageal_dysmotility"), (None, "anti_jo1"),
    (None, "elevated_muscle_enzymes"),
]


@given(inputs)
def test_score_within_range_and_probability_in_unit_interval(data: EularAcrInput) -> None:
    r = classify(data)
    assert r.minimum <= r.score <= r.maximum
    assert 0 < r.probability < 1


@given(inputs, st.sampled_from(FLAGS))
def test_adding_a_positive_finding_never_lowers_the_score(
    data: EularAcrInput, flag: tuple[str | None, str]
) -> None:
    group, name = flag
    if group is None:
        more = data.model_copy(update={name: True})
    else:
        sub = getattr(data, group).model_copy(update={name: True})
        more = data.model_copy(update={group: sub})
    assert classify(more).score >= classify(data).score

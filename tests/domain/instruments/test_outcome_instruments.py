"""MMT, CDASI, HAQ/CHAQ, CMAS: worked examples, range edges and rejection of impossible grades."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from myositis.domain.instruments.cdasi import LOCATIONS, CdasiInput, cdasi
from myositis.domain.instruments.cmas import ITEMS as CMAS_ITEMS
from myositis.domain.instruments.cmas import CmasInput, cmas
from myositis.domain.instruments.haq import ChaqInput, HaqInput, chaq, haq_di
from myositis.domain.instruments.mmt import (
    MMT8_PAIRED,
    MMT24_DISTAL,
    MMT24_PROXIMAL,
    MMT8Input,
    MMT24Input,
    mmt8,
    mmt24,
)
from myositis.errors import NotComputableError

RIGHT = {"deltoid_middle": 7, "biceps_brachii": 9, "wrist_extensors": 10, "gluteus_maximus": 6,
         "gluteus_medius": 7, "quadriceps": 8, "ankle_dorsiflexors": 10}
LEFT = {**RIGHT, "gluteus_maximus": 7}


def test_mmt8_unilateral_example() -> None:
    r = mmt8(MMT8Input(neck_flexors=8, right=RIGHT))
    assert (r.total, r.maximum) == (65, 80)


def test_mmt8_bilateral_example() -> None:
    r = mmt8(MMT8Input(neck_flexors=8, right=RIGHT, left=LEFT, mode="bilateral"))
    assert (r.total, r.maximum) == (123, 150)


def test_mmt8_left_used_when_right_missing() -> None:
    r = mmt8(MMT8Input(neck_flexors=10, left=dict.fromkeys(MMT8_PAIRED, 10)))
    assert r.total == 80
    assert "left side" in r.notes[0]


@pytest.mark.parametrize("grade", [-1, 11])
def test_mmt_grade_out_of_range(grade: int) -> None:
    with pytest.raises(ValidationError, match="neck_flexors"):
        MMT8Input(neck_flexors=grade, right=RIGHT)


def test_bilateral_needs_both_sides() -> None:
    with pytest.raises(ValidationError, match="both right and left"):
        MMT8Input(neck_flexors=8, right=RIGHT, mode="bilateral")


def test_mmt24_maximum_and_subscores() -> None:
    side = dict.fromkeys((*MMT24_PROXIMAL, *MMT24_DISTAL), 10)
    r = mmt24(MMT24Input(neck_flexors=10, neck_extensors=10, right=side, left=side))
    assert r.total == 260
    assert r.notes == ["axial 20/20, proximal 160/160, distal 80/80"]


def test_cdasi_worked_example() -> None:
    data = CdasiInput.model_validate({
        "locations": {
            "scalp": {"erythema": 2, "scale": 1}, "malar_area": {"erythema": 2},
            "periorbital": {"erythema": 3},
            "v_area_neck": {"erythema": 2, "scale": 1, "poikiloderma": 1},
            "posterior_neck": {"erythema": 1},
            "upper_back_and_shoulders": {"poikiloderma": 1}, "arm": {"calcinosis": 1},
        },
        "gottron_hands": {"erythema": 2, "papules": True, "ulceration": 1, "damage": 1},
        "periungual": 2, "alopecia": 1,
    })
    r = cdasi(data)
    assert (r.activity, r.damage) == (20, 4)


def test_cdasi_maxima() -> None:
    full = {name: {"erythema": 3, "scale": 2, "erosion": 1, "poikiloderma": 1, "calcinosis": 1}
            for name in LOCATIONS}
    r = cdasi(CdasiInput.model_validate({
        "locations": full, "gottron_hands": {"erythema": 3, "papules": True, "ulceration": 1,
                                             "damage": 2},
        "periungual": 2, "alopecia": 1}))
    assert (r.activity, r.damage) == (100, 32)


def test_cdasi_rejects_unknown_location_and_grade() -> None:
    with pytest.raises(ValidationError, match="unknown CDASI location"):
        CdasiInput.model_validate({"locations": {"elbow": {"erythema": 1}}})
    with pytest.raises(ValidationError, match="erythema"):
        CdasiInput.model_validate({"locations": {"scalp": {"erythema": 4}}})


def haq_doc(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "dressing": {"items": [1, 0], "aid_or_device": True},
        "arising": {"items": [0, 0]},
        "eating": {"items": [1, 0, 0]},
        "walking": {"items": [2, 1]},
        "hygiene": {"items": [0, 0, 0], "aid_or_device": True},
        "reach": {"items": [1, 0]},
        "grip": {"items": [0, 0, 0]},
        "activities": {"items": [3, 2, 1]},
    }
    doc.update(over)
    return {"categories": doc}


def test_haq_worked_example_with_aids() -> None:
    assert haq_di(HaqInput.model_validate(haq_doc())).total == pytest.approx(1.375)


def test_haq_one_category_missing_divides_by_seven() -> None:
    doc = haq_doc(grip={"items": [None, None, None]})
    assert haq_di(HaqInput.model_validate(doc)).total == pytest.approx(11 / 7)


def test_haq_six_categories_is_computable_five_is_not() -> None:
    none3 = {"items": [None, None, None]}
    six = haq_doc(grip=none3, eating=none3)
    assert haq_di(HaqInput.model_validate(six)).notes == ["sum 10 / 6 categories answered"]
    five = haq_doc(grip=none3, eating=none3, hygiene=none3)
    with pytest.raises(NotComputableError, match="at least 6"):
        haq_di(HaqInput.model_validate(five))


def test_haq_aid_does_not_lower_a_category_already_3() -> None:
    doc = haq_doc(activities={"items": [3, 0, 0], "help_from_person": True})
    assert haq_di(HaqInput.model_validate(doc)).items[-1].points == 3


def test_haq_rejects_wrong_item_count_and_grade() -> None:
    with pytest.raises(ValidationError, match=r"dressing\.items must have 2"):
        HaqInput.model_validate(haq_doc(dressing={"items": [1]}))
    with pytest.raises(ValidationError):
        HaqInput.model_validate(haq_doc(arising={"items": [4, 0]}))


def test_haq_range_extremes() -> None:
    zero = {c: {"items": [0] * n} for c, n in
            {"dressing": 2, "arising": 2, "eating": 3, "walking": 2, "hygiene": 3, "reach": 2,
             "grip": 3, "activities": 3}.items()}
    assert haq_di(HaqInput.model_validate({"categories": zero})).total == 0
    three = {c: {"items": [3] * len(v["items"])} for c, v in zero.items()}
    assert haq_di(HaqInput.model_validate({"categories": three})).total == 3


def test_chaq_not_applicable_items_are_ignored() -> None:
    cats = {c: {"items": [1, "not_applicable"]} for c in
            ("dressing", "arising", "eating", "walking", "hygiene", "reach", "grip")}
    cats["activities"] = {"items": ["not_applicable", "not_applicable"], "help_from_person": True}
    r = chaq(ChaqInput.model_validate({"categories": cats}))
    assert r.total == pytest.approx(1.0)
    assert r.notes == ["sum 7 / 7 categories answered"]


def test_cmas_worked_example_and_maximum() -> None:
    scores = [3, 2, 4, 3, 4, 3, 3, 4, 4, 4, 3, 4, 3, 2]
    r = cmas(CmasInput(**dict(zip(CMAS_ITEMS, scores, strict=True))))
    assert r.total == 46
    top = cmas(CmasInput(**{k: m for k, (_, m) in CMAS_ITEMS.items()}))
    assert (top.total, top.maximum) == (52, 52)


@pytest.mark.parametrize("item", list(CMAS_ITEMS))
def test_cmas_item_above_max_rejected(item: str) -> None:
    doc = {k: 0 for k in CMAS_ITEMS}
    doc[item] = CMAS_ITEMS[item][1] + 1
    with pytest.raises(ValidationError, match=item):
        CmasInput(**doc)


@given(st.fixed_dictionaries({k: st.integers(0, m) for k, (_, m) in CMAS_ITEMS.items()}))
def test_cmas_in_range(doc: dict[str, int]) -> None:
    assert 0 <= cmas(CmasInput(**doc)).total <= 52


@given(st.fixed_dictionaries({
    name: st.fixed_dictionaries({"erythema": st.integers(0, 3), "scale": st.integers(0, 2),
                                 "erosion": st.integers(0, 1), "poikiloderma": st.integers(0, 1),
                                 "calcinosis": st.integers(0, 1)})
    for name in LOCATIONS[:5]
}))
def test_cdasi_in_range(locations: dict[str, Any]) -> None:
    r = cdasi(CdasiInput.model_validate({"locations": locations}))
    assert 0 <= r.activity <= 100
    assert 0 <= r.damage <= 32

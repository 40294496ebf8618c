"""Health Assessment Questionnaire Disability Index (HAQ-DI) and Childhood HAQ (CHAQ).

HAQ-DI: Fries JF, et al. Arthritis Rheum 1980;23(2):137-145, doi:10.1002/art.1780230202;
scoring as in the Stanford/IMACS HAQ-DI instructions (CLINHAQ 96.4). CHAQ: Singh G, et al.
Arthritis Rheum 1994;37(12):1761-1769, doi:10.1002/art.1780371209.

Inputs: for each of 8 categories (dressing, arising, eating, walking, hygiene, reach, grip,
activities) the item answers 0 (without any difficulty), 1 (some), 2 (much), 3 (unable), or null
when unanswered (CHAQ also accepts "not_applicable"), plus whether an aid or device was used and
whether help from another person was needed.

Rules: category score = the highest item score; an aid/device or help from another person raises
a category score below 2 to 2; the index is the sum of category scores divided by the number of
categories answered (range 0-3). With fewer than 6 categories answered no index is computed
(the Stanford convention; see README known uncertainties).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Bool
from myositis.errors import NotComputableError

HAQ_CITATIONS = [
    Citation(
        text="Fries JF, et al. Measurement of patient outcome in arthritis. "
        "Arthritis Rheum 1980;23:137-145",
        doi="10.1002/art.1780230202",
    ),
]
CHAQ_CITATIONS = [
    Citation(
        text="Singh G, et al. Measurement of health status in children with juvenile rheumatoid "
        "arthritis. Arthritis Rheum 1994;37:1761-1769",
        doi="10.1002/art.1780371209",
    ),
]
CATEGORIES = (
    "dressing", "arising", "eating", "walking", "hygiene", "reach", "grip", "activities",
)
# Number of questions per category in the HAQ-DI (20 items).
HAQ_ITEM_COUNTS = {
    "dressing": 2, "arising": 2, "eating": 3, "walking": 2, "hygiene": 3, "reach": 2, "grip": 3,
    "activities": 3,
}
# The 20 HAQ-DI questions as the Stanford form words them ("Are you able to ..."), over the past
# week, answered without any difficulty (0), with some (1), with much difficulty (2) or unable
# to do (3). Licence: Stanford considers the HAQ public domain, no charge, on condition it is used
# unmodified and cited (Stanford HAQ instructions, ARAMIS, revised 2009).
HAQ_ITEMS: dict[str, tuple[str, ...]] = {
    "dressing": ("Dress yourself, including tying shoelaces and doing buttons?",
                 "Shampoo your hair?"),
    "arising": ("Stand up from a straight chair?", "Get in and out of bed?"),
    "eating": ("Cut your meat?", "Lift a full cup or glass to your mouth?",
               "Open a new milk carton?"),
    "walking": ("Walk outdoors on flat ground?", "Climb up five steps?"),
    "hygiene": ("Wash and dry your body?", "Take a tub bath?", "Get on and off the toilet?"),
    "reach": ("Reach and get down a 5-pound object (such as a bag of sugar) from just above "
              "your head?", "Bend down to pick up clothing from the floor?"),
    "grip": ("Open car doors?", "Open jars which have been previously opened?",
             "Turn faucets on and off?"),
    "activities": ("Run errands and shop?", "Get in and out of a car?",
                   "Do chores such as vacuuming or yardwork?"),
}
HAQ_CATEGORY_LABELS = {
    "dressing": "Dressing and grooming", "arising": "Arising", "eating": "Eating",
    "walking": "Walking", "hygiene": "Hygiene", "reach": "Reach", "grip": "Grip",
    "activities": "Activities",
}
HAQ_ANSWERS = ("Without any difficulty", "With some difficulty", "With much difficulty",
               "Unable to do")
HAQ_LICENCE = ("HAQ-DI: public domain by Stanford's statement, free of charge, to be used "
               "unmodified and cited (Fries et al. 1980)")
MIN_CATEGORIES = 6
AID_MINIMUM = 2

Answer = Literal[0, 1, 2, 3]


class HaqCategory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Answer | None] = Field(description="each 0-3 or null if unanswered")
    aid_or_device: Bool = False
    help_from_person: Bool = False


class ChaqCategory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Answer | Literal["not_applicable"] | None] = Field(
        min_length=1, max_length=6, description="each 0-3, 'not_applicable' or null"
    )
    aid_or_device: Bool = False
    help_from_person: Bool = False


class HaqInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: dict[str, HaqCategory]

    @model_validator(mode="after")
    def _shape(self) -> Self:
        unknown = sorted(set(self.categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; allowed: {list(CATEGORIES)}")
        for name, cat in self.categories.items():
            if len(cat.items) != HAQ_ITEM_COUNTS[name]:
                raise ValueError(
                    f"categories.{name}.items must have {HAQ_ITEM_COUNTS[name]} answers"
                )
        return self


class ChaqInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: dict[str, ChaqCategory]

    @model_validator(mode="after")
    def _shape(self) -> Self:
        unknown = sorted(set(self.categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; allowed: {list(CATEGORIES)}")
        return self


def category_score(answers: Sequence[int], aid_or_help: bool) -> int | None:
    """Highest answer, raised to 2 when an aid, device or another person's help was needed."""
    if not answers:
        return None
    score = max(answers)
    return max(score, AID_MINIMUM) if aid_or_help else score


def _index(
    instrument: str,
    categories: dict[str, HaqCategory] | dict[str, ChaqCategory],
    citations: list[Citation],
) -> InstrumentResult:
    items: list[ItemContribution] = []
    scores: list[int] = []
    for name in CATEGORIES:
        cat = categories.get(name)
        answered = [a for a in (cat.items if cat else []) if isinstance(a, int)]
        score = category_score(answered, bool(cat and (cat.aid_or_device or cat.help_from_person)))
        if score is not None:
            scores.append(score)
        items.append(
            ItemContribution(
                item=name,
                label=name + (" (aid/help: minimum 2)" if cat and (
                    cat.aid_or_device or cat.help_from_person) else ""),
                value=score,
                points=float(score) if score is not None else 0.0,
            )
        )
    if len(scores) < MIN_CATEGORIES:
        raise NotComputableError(
            f"{instrument}: {len(scores)} of 8 categories answered; at least {MIN_CATEGORIES} "
            "are needed"
        )
    total = sum(scores) / len(scores)
    return InstrumentResult(
        instrument=instrument,
        total=total,
        minimum=0,
        maximum=3,
        items=items,
        citations=citations,
        notes=[f"sum {sum(scores)} / {len(scores)} categories answered"],
    )


def haq_di(data: HaqInput) -> InstrumentResult:
    """HAQ-DI 0-3 with the aids/devices and help adjustment."""
    return _index("haq_di", data.categories, HAQ_CITATIONS)


def chaq(data: ChaqInput) -> InstrumentResult:
    """CHAQ disability index 0-3; 'not applicable' answers are left out of the category."""
    return _index("chaq", data.categories, CHAQ_CITATIONS)

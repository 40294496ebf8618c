"""2017 EULAR/ACR classification criteria for adult and juvenile idiopathic inflammatory myopathies.

Lundberg IE, Tjärnlund A, Bottai M, et al. Ann Rheum Dis 2017;76:1955-1964,
doi:10.1136/annrheumdis-2017-211468; Arthritis Rheumatol 2017;69:2271-2282,
doi:10.1002/art.40320, PMID 29106061.

Inputs: age at onset of the first symptom assumed related to the disease (years, 0-120), the
weakness, skin, dysphagia, anti-Jo-1 and enzyme items (booleans), optional muscle-biopsy items,
and for the subclassification tree finger-flexor weakness and response to treatment.

Choices made here, each visible and tested:

* Weights are held in tenths (integers) so sums and cut-offs are exact.
* Category comes from the published *score* cut-offs. The probability is also reported, from
  P = 1 / (1 + exp(C - score)) with C = 5.33 without and 6.49 with biopsy. These constants
  reproduce all six published score cut-offs but were not seen in a primary source; at no-biopsy
  scores of exactly 5.3, 5.5 and 7.5 this probability falls just below 50/55/90 %, so the two
  ways of classifying disagree there and the score cut-off (the paper's stated rule) wins.
* Without heliotrope rash, Gottron's papules or Gottron's sign, biopsy findings are needed to
  classify; without a biopsy the category is ``biopsy_required``.
* The subclassification tree is applied at probable or definite IIM (>= 55 %).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Bool, Num

CITATIONS = [
    Citation(
        text="Lundberg IE, et al. 2017 EULAR/ACR classification criteria for adult and juvenile "
        "idiopathic inflammatory myopathies. Ann Rheum Dis 2017;76:1955-1964",
        doi="10.1136/annrheumdis-2017-211468",
    ),
    Citation(
        text="Lundberg IE, et al. Arthritis Rheumatol 2017;69:2271-2282",
        doi="10.1002/art.40320",
        pmid="29106061",
    ),
]

# item -> (label, weight without biopsy, weight with biopsy), weights in tenths (Table 1).
WEIGHTS: dict[str, tuple[str, int, int]] = {
    "age_18_to_40": ("Age at onset >= 18 and < 40 years", 13, 15),
    "age_40_plus": ("Age at onset >= 40 years", 21, 22),
    "proximal_upper": ("Objective symmetric weakness, proximal upper extremities", 7, 7),
    "proximal_lower": ("Objective symmetric weakness, proximal lower extremities", 8, 5),
    "neck_flexors_weaker_than_extensors": ("Neck flexors relatively weaker than extensors", 19, 16),
    "legs_proximal_weaker_than_distal": ("Legs: proximal relatively weaker than distal", 9, 12),
    "heliotrope_rash": ("Heliotrope rash", 31, 32),
    "gottron_papules": ("Gottron's papules", 21, 27),
    "gottron_sign": ("Gottron's sign", 33, 37),
    "dysphagia_or_esophageal_dysmotility": ("Dysphagia or oesophageal dysmotility", 7, 6),
    "anti_jo1": ("Anti-Jo-1 (anti-histidyl-tRNA synthetase) positive", 39, 38),
    "elevated_muscle_enzymes": ("Serum CK, LDH, AST or ALT above upper limit of normal", 13, 14),
    "endomysial_infiltrate": ("Biopsy: endomysial mononuclear infiltrate", 0, 17),
    "perimysial_or_perivascular_infiltrate": ("Biopsy: perimysial/perivascular infiltrate", 0, 12),
    "perifascicular_atrophy": ("Biopsy: perifascicular atrophy", 0, 19),
    "rimmed_vacuoles": ("Biopsy: rimmed vacuoles", 0, 31),
}

BIOPSY_ITEMS = frozenset((
    "endomysial_infiltrate", "perimysial_or_perivascular_infiltrate", "perifascicular_atrophy",
    "rimmed_vacuoles",
))
# Score cut-offs in tenths: (possible from, probable from, definite from) (abstract, both journals).
CUTOFFS: dict[bool, tuple[int, int, int]] = {False: (53, 55, 75), True: (65, 67, 87)}
# Logistic constants, see module docstring for their status.
LOGISTIC_CONSTANT: dict[bool, float] = {False: 5.33, True: 6.49}

Category = Literal["not_iim", "possible", "probable", "definite", "biopsy_required"]
Subgroup = Literal["DM", "ADM", "PM", "IBM", "JDM", "juvenile_non_dm"]


class WeaknessInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proximal_upper: Bool = False
    proximal_lower: Bool = False
    neck_flexors_weaker_than_extensors: Bool = False
    legs_proximal_weaker_than_distal: Bool = False


class SkinInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heliotrope_rash: Bool = False
    gottron_papules: Bool = False
    gottron_sign: Bool = False


class BiopsyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endomysial_infiltrate: Bool = False
    perimysial_or_perivascular_infiltrate: Bool = False
    perifascicular_atrophy: Bool = False
    rimmed_vacuoles: Bool = False


class EularAcrInput(BaseModel):
    """The criteria's variables, as documented in the README and the CLI schema."""

    model_config = ConfigDict(extra="forbid")

    age_at_onset: Num = Field(ge=0, le=120, description="years at first symptom, 0-120")
    weakness: WeaknessInput = Field(default_factory=WeaknessInput)
    skin: SkinInput = Field(default_factory=SkinInput)
    dysphagia_or_esophageal_dysmotility: Bool = False
    anti_jo1: Bool = False
    elevated_muscle_enzymes: Bool = False
    biopsy: BiopsyInput | None = None
    finger_flexor_weakness: Bool = False
    improved_with_treatment: Bool | None = Field(
        default=None, description="response to treatment, used only by the IBM branch of the tree"
    )


class EularAcrResult(InstrumentResult):
    score: Num
    probability: Num
    biopsy_used: Bool
    subgroup: Subgroup | None
    probability_category: Category


def _present_items(data: EularAcrInput) -> list[tuple[str, bool]]:
    biopsy = data.biopsy or BiopsyInput()
    return [
        ("age_18_to_40", 18 <= data.age_at_onset < 40),
        ("age_40_plus", data.age_at_onset >= 40),
        *((name, bool(v)) for name, v in data.weakness.model_dump().items()),
        *((name, bool(v)) for name, v in data.skin.model_dump().items()),
        ("dysphagia_or_esophageal_dysmotility", data.dysphagia_or_esophageal_dysmotility),
        ("anti_jo1", data.anti_jo1),
        ("elevated_muscle_enzymes", data.elevated_muscle_enzymes),
        *((name, bool(v)) for name, v in biopsy.model_dump().items()),
    ]


def _weight(name: str, with_biopsy: bool) -> int:
    _, without, with_ = WEIGHTS[name]
    return with_ if with_biopsy else without


def score_tenths(data: EularAcrInput, with_biopsy: bool) -> int:
    """The aggregate score in tenths for one column of Table 1."""
    return sum(_weight(name, with_biopsy) for name, present in _present_items(data) if present)


def probability(score: float, with_biopsy: bool) -> float:
    """Probability of IIM from the logistic formula (constants' status: module docstring)."""
    return 1.0 / (1.0 + math.exp(LOGISTIC_CONSTANT[with_biopsy] - score))


def category_for(tenths: int, with_biopsy: bool) -> Category:
    possible, probable, definite = CUTOFFS[with_biopsy]
    if tenths >= definite:
        return "definite"
    if tenths >= probable:
        return "probable"
    if tenths >= possible:
        return "possible"
    return "not_iim"


def _category_for_probability(p: float) -> Category:
    if p >= 0.90:
        return "definite"
    if p >= 0.55:
        return "probable"
    if p >= 0.50:
        return "possible"
    return "not_iim"


def subclassify(data: EularAcrInput) -> Subgroup:
    """The published classification tree for patients classified as IIM."""
    has_skin = data.skin.heliotrope_rash or data.skin.gottron_papules or data.skin.gottron_sign
    if data.age_at_onset < 18:
        return "JDM" if has_skin else "juvenile_non_dm"
    if has_skin:
        weak = any(data.weakness.model_dump().values())
        return "DM" if weak else "ADM"
    rimmed = data.biopsy is not None and data.biopsy.rimmed_vacuoles
    if rimmed or (data.finger_flexor_weakness and data.improved_with_treatment is False):
        return "IBM"
    return "PM"


def classify(data: EularAcrInput) -> EularAcrResult:
    """Score, probability, category and subgroup for one patient."""
    with_biopsy = data.biopsy is not None
    tenths = score_tenths(data, with_biopsy)
    score = tenths / 10
    p = probability(score, with_biopsy)
    has_skin = data.skin.heliotrope_rash or data.skin.gottron_papules or data.skin.gottron_sign
    notes: list[str] = [
        "Probability from 1/(1+exp(C-score)), C=5.33 (no biopsy) / 6.49 (biopsy): constants "
        "reproduce the published cut-offs but are not confirmed from the primary paper; the "
        "category follows the published score cut-offs.",
    ]
    category: Category
    if not has_skin and not with_biopsy:
        category = "biopsy_required"
        notes.append(
            "No heliotrope rash, Gottron's papules or Gottron's sign: muscle-biopsy findings are "
            "required to classify this patient."
        )
    else:
        category = category_for(tenths, with_biopsy)
    subgroup = subclassify(data) if category in ("probable", "definite") else None
    items = [
        ItemContribution(
            item=name,
            label=WEIGHTS[name][0],
            value=present,
            points=_weight(name, with_biopsy) / 10 if present else 0.0,
        )
        for name, present in _present_items(data)
        if with_biopsy or name not in BIOPSY_ITEMS
    ]
    return EularAcrResult(
        instrument="eular_acr_2017",
        total=score,
        minimum=0.0,
        maximum=MAXIMUM[with_biopsy],
        category=category,
        items=items,
        citations=CITATIONS,
        notes=notes,
        score=score,
        probability=p,
        biopsy_used=with_biopsy,
        subgroup=subgroup,
        probability_category=_category_for_probability(p),
    )


def _all_true() -> EularAcrInput:
    """Maximum attainable score: the >= 40 age band plus every other item."""
    return EularAcrInput(
        age_at_onset=40,
        weakness=WeaknessInput(**dict.fromkeys(WeaknessInput.model_fields, True)),
        skin=SkinInput(**dict.fromkeys(SkinInput.model_fields, True)),
        dysphagia_or_esophageal_dysmotility=True,
        anti_jo1=True,
        elevated_muscle_enzymes=True,
        biopsy=BiopsyInput(**dict.fromkeys(BiopsyInput.model_fields, True)),
    )


# Highest attainable score per column (the >= 40 age band plus every other item).
MAXIMUM: dict[bool, float] = {col: score_tenths(_all_true(), col) / 10 for col in (False, True)}

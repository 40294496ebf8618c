"""Myositis Damage Index (MDI), IMACS Form 08: extent and severity of damage.

Isenberg DA, et al. Rheumatology (Oxford) 2004;43:49-54, PMID 12867580; Rider LG, et al. Damage
extent and predictors in adult and juvenile dermatomyositis and polymyositis as determined with
the Myositis Damage Index. Arthritis Rheum 2009;60(11):3425-3435, doi:10.1002/art.24904.

Inputs: each damage item present (persistent change since onset), absent, or not assessed
(null); a severity VAS of 0-10 cm per organ system. Extent = number of items present; severity =
sum of the organ VAS (0-110 for 11 organ systems). Items 1-13 (muscle, skeletal, calcinosis,
alopecia) were read on a copy of Form 08; the later items are listed from memory of the form and
carry ``confirmed = False`` in ``ITEMS`` until checked against the form (README known
uncertainties). Juvenile-only items are marked so the extent maximum differs by population.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Int, Num

CITATIONS = [
    Citation(
        text="Rider LG, et al. Damage extent and predictors in adult and juvenile "
        "dermatomyositis and polymyositis as determined with the Myositis Damage Index. "
        "Arthritis Rheum 2009;60:3425-3435",
        doi="10.1002/art.24904",
    ),
    Citation(text="Isenberg DA, et al. Rheumatology (Oxford) 2004;43:49-54", pmid="12867580"),
]

ORGANS = (
    "muscle", "skeletal", "cutaneous", "gastrointestinal", "pulmonary", "cardiovascular",
    "peripheral_vascular", "endocrine", "ocular", "infection", "malignancy",
)
Population = Literal["adult", "juvenile"]

# code -> (organ, label, confirmed on Form 08 copy, juvenile only)
ITEMS: dict[str, tuple[str, str, bool, bool]] = {
    "muscle_atrophy_clinical": ("muscle", "Muscle atrophy (clinical)", True, False),
    "muscle_weakness_not_active": ("muscle", "Weakness not attributable to active disease",
                                   True, False),
    "muscle_dysfunction_aerobic": ("muscle", "Decreased aerobic exercise capacity", True, False),
    "muscle_atrophy_radiographic": ("muscle", "Atrophy by radiographic methods", True, False),
    "low_serum_creatinine": ("muscle", "Low serum creatinine", True, False),
    "joint_contractures": ("skeletal", "Joint contractures", True, False),
    "osteoporosis_fracture": ("skeletal", "Osteoporosis with fracture or vertebral collapse",
                              True, False),
    "avascular_necrosis": ("skeletal", "Avascular necrosis", True, False),
    "deforming_arthropathy": ("skeletal", "Deforming arthropathy", True, False),
    "osteoporosis_treated": ("skeletal", "Osteoporosis without fracture requiring treatment",
                             True, False),
    "limitation_of_motion": ("skeletal", "Limitation of joint motion", True, False),
    "calcinosis": ("cutaneous", "Calcinosis", True, False),
    "alopecia": ("cutaneous", "Alopecia", True, False),
    "cutaneous_scarring_or_atrophy": ("cutaneous", "Cutaneous scarring or atrophy", False, False),
    "poikiloderma": ("cutaneous", "Poikiloderma", False, False),
    "lipodystrophy": ("cutaneous", "Lipodystrophy", False, False),
    "dysphagia": ("gastrointestinal", "Persistent dysphagia", False, False),
    "gi_dysmotility": ("gastrointestinal", "GI dysmotility, constipation, diarrhoea or pain",
                       False, False),
    "gi_infarction_or_resection": ("gastrointestinal", "Infarction or resection of bowel",
                                   False, False),
    "impaired_ventilation": ("pulmonary", "Impaired ventilatory function from muscle damage",
                             False, False),
    "pulmonary_fibrosis": ("pulmonary", "Pulmonary fibrosis / ILD damage", False, False),
    "dysphonia": ("pulmonary", "Dysphonia", False, False),
    "hypertension": ("cardiovascular", "Hypertension requiring treatment > 6 months",
                     False, False),
    "ventricular_dysfunction": ("cardiovascular", "Ventricular dysfunction or cardiomyopathy",
                                False, False),
    "angina_or_infarction": ("cardiovascular", "Angina or myocardial infarction", False, False),
    "tissue_or_pulp_loss": ("peripheral_vascular", "Tissue or pulp loss", False, False),
    "digit_or_limb_loss": ("peripheral_vascular", "Digit or limb loss", False, False),
    "venous_thrombosis": ("peripheral_vascular", "Venous thrombosis", False, False),
    "arterial_thrombosis": ("peripheral_vascular", "Arterial thrombosis or claudication",
                            False, False),
    "growth_failure": ("endocrine", "Growth failure", False, True),
    "delayed_puberty": ("endocrine", "Delay in secondary sexual characteristics", False, True),
    "hirsutism": ("endocrine", "Hirsutism", False, False),
    "menstrual_irregularity": ("endocrine", "Irregular menses or amenorrhoea", False, False),
    "diabetes": ("endocrine", "Diabetes mellitus", False, False),
    "infertility": ("endocrine", "Infertility", False, False),
    "cataract": ("ocular", "Cataract", False, False),
    "visual_loss": ("ocular", "Visual loss", False, False),
    "chronic_infection": ("infection", "Chronic or recurrent infection", False, False),
    "malignancy": ("malignancy", "Malignancy", False, False),
}


class MdiInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    population: Population = "adult"
    items: dict[str, bool | None] = Field(
        default_factory=dict, description="item code -> present / absent / null (not assessed)"
    )
    severity: dict[str, float] = Field(
        default_factory=dict, description="organ -> severity VAS 0-10 cm"
    )

    @model_validator(mode="after")
    def _known(self) -> Self:
        unknown = sorted(set(self.items) - set(ITEMS))
        if unknown:
            raise ValueError(f"unknown MDI item(s) {unknown}; allowed: {sorted(ITEMS)}")
        bad_organs = sorted(set(self.severity) - set(ORGANS))
        if bad_organs:
            raise ValueError(f"unknown organ(s) {bad_organs}; allowed: {list(ORGANS)}")
        for organ, vas in self.severity.items():
            if not 0 <= vas <= 10:
                raise ValueError(f"severity.{organ} must be between 0 and 10 cm")
        if self.population == "adult":
            juvenile = sorted(k for k in self.items if ITEMS[k][3])
            if juvenile:
                raise ValueError(f"item(s) {juvenile} apply to juvenile patients only")
        return self


class MdiResult(InstrumentResult):
    extent: Int
    severity_total: Num
    extent_maximum: Int


def mdi(data: MdiInput) -> MdiResult:
    """Extent (count of items present) and severity (sum of organ VAS)."""
    applicable = [k for k, v in ITEMS.items() if data.population == "juvenile" or not v[3]]
    present = [k for k in applicable if data.items.get(k)]
    severity = sum(data.severity.values())
    items = [
        ItemContribution(item=k, label=ITEMS[k][1], value=data.items.get(k),
                         points=1.0 if data.items.get(k) else 0.0)
        for k in applicable
        if k in data.items
    ]
    unconfirmed = [k for k in present if not ITEMS[k][2]]
    notes = [f"severity {severity:g}/110 over {len(ORGANS)} organ systems"]
    if unconfirmed:
        notes.append(f"item list not confirmed against Form 08 for: {', '.join(unconfirmed)}")
    return MdiResult(
        instrument="mdi",
        total=len(present),
        minimum=0,
        maximum=len(applicable),
        items=items,
        citations=CITATIONS,
        notes=notes,
        extent=len(present),
        severity_total=severity,
        extent_maximum=len(applicable),
    )

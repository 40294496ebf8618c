"""The clinician's working diagnosis when it is not myositis, as a code the rules can read.

The record may code it (``diagnosis.alternative``); otherwise the clinician's own words in
``diagnosis.not_myositis`` are matched against the phrases below, so a record written as
'polymyalgia rheumatica' gets the PMR care lines (specialist review Z10c: 'not myositis' left
the plan almost empty). Unmatched words give 'other': the plan then keeps its general lines.
"""

from __future__ import annotations

from myositis.domain.record import PatientRecord

PHRASES: dict[str, tuple[str, ...]] = {
    "polymyalgia_rheumatica": ("polymyalgia", "pmr"),
    "fibromyalgia": ("fibromyalgia", "chronic widespread pain"),
    "hypothyroid_myopathy": ("hypothyroid",),
    "statin_myopathy": ("statin myopathy", "statin-associated", "statin associated",
                        "statin toxicity", "statin myalgia"),
    "muscular_dystrophy": ("dystrophy", "dysferlin", "dystrophinopathy", "fshd", "lgmd",
                           "limb-girdle", "limb girdle"),
    "metabolic_myopathy": ("mcardle", "pompe", "metabolic myopathy", "glycogen storage",
                           "lipid storage", "cpt2", "cpt ii", "mitochondrial"),
    "neuropathy_or_motor_neurone_disease": ("motor neurone", "motor neuron", "als",
                                            "neuropathy", "cidp"),
}
"""Code -> lower-case phrases that name it in the clinician's words (checked as whole words)."""


def working_diagnosis(record: PatientRecord) -> str | None:
    """The coded alternative, else the first code whose phrase the words contain, 'other' for
    words that match none, and None when no non-myositis diagnosis is recorded."""
    if record.diagnosis.alternative is not None:
        return record.diagnosis.alternative
    words = record.diagnosis.not_myositis
    if not words:
        return None
    text = f" {words.lower().replace(',', ' ').replace('(', ' ').replace(')', ' ')} "
    for code, phrases in PHRASES.items():
        if any(f" {p} " in text or (len(p) > 4 and p in text) for p in phrases):
            return code
    return "other"


def myositis_unlikely(record: PatientRecord, ck_uln_multiple: float | None) -> bool | None:
    """A normal CK, no weakness (none in the classification items, full strength at the latest
    scored visit), no ILD and no DM skin sign: myositis is unlikely whatever a weak antibody band
    says (specialist review Z10c: widespread pain with normal CK and strength sent for MRI, EMG
    and a metabolic screen). None when the CK is unknown."""
    if ck_uln_multiple is None:
        return None
    if ck_uln_multiple > 1.0:
        return False
    if any(record.classification.weakness.model_dump().values()):
        return False
    if record.visits:
        cs = record.visits[-1].core_set
        if cs.mmt8 is not None:
            scale = cs.mmt_max or (80 if cs.mmt8 <= 80 else 150)
            if float(cs.mmt8) < 0.975 * scale:
                return False
    skin = record.skin
    if skin.any_dm_hallmark() or record.classification.skin.heliotrope_rash \
            or record.classification.skin.gottron_papules or skin.v_sign_or_shawl_sign \
            or skin.mechanics_hands:
        return False
    lung = record.lung
    return not (record.systemic.interstitial_lung_disease
                or (lung is not None and lung.shows_ild()))

"""IMACS preliminary definition of improvement (DOI) for adult and juvenile myositis, 2004.

Rider LG, Giannini EH, Brunner HI, et al. International consensus on preliminary definitions of
improvement in adult and juvenile myositis. Arthritis Rheum 2004;50(7):2281-2290,
doi:10.1002/art.20349.

Rule: at least 3 of any 6 core set measures improved by >= 20 %, with no more than 2 worse by
>= 25 %, and manual muscle testing not among the worsened measures. Both edges are inclusive.
Percent change is relative to baseline here (our reading; see README known uncertainties).
Inputs are the same core set files as the 2016 criteria.
"""

from __future__ import annotations

from fractions import Fraction

from myositis.domain.instruments.response_2016 import CoreSetInput, most_abnormal
from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.errors import InputError

CITATION = Citation(
    text="Rider LG, et al. International consensus on preliminary definitions of improvement in "
    "adult and juvenile myositis. Arthritis Rheum 2004;50:2281-2290",
    doi="10.1002/art.20349",
)
IMPROVED_AT = Fraction(20)
WORSE_AT = Fraction(25)
MIN_IMPROVED = 3
MAX_WORSE = 2
STRENGTH = "muscle_strength"


def _relative(base: float, follow: float, higher_is_better: bool) -> Fraction:
    b, f = Fraction(str(base)), Fraction(str(follow))
    delta = f - b if higher_is_better else b - f
    if b == 0:
        # No relative change can be formed from a zero baseline: unchanged is 0 %, any worsening
        # counts as worse beyond the threshold, any improvement is impossible from 0 for the
        # lower-is-better measures.
        return Fraction(0) if delta == 0 else (Fraction(100) if delta > 0 else -Fraction(100))
    return delta / b * 100


def relative_changes(baseline: CoreSetInput, followup: CoreSetInput) -> dict[str, Fraction]:
    """Improvement (positive) or worsening (negative) in percent of baseline, per measure."""
    changes: dict[str, Fraction] = {}
    for name in ("physician_global", "patient_global", "extramuscular_global"):
        changes[name] = _relative(getattr(baseline, name), getattr(followup, name), False)
    for name in ("mmt8", "cmas"):
        b, f = getattr(baseline, name), getattr(followup, name)
        if b is not None and f is not None:
            changes[STRENGTH] = _relative(b, f, True)
    for name in ("haq", "chaq"):
        b, f = getattr(baseline, name), getattr(followup, name)
        if b is not None and f is not None:
            changes["physical_function"] = _relative(b, f, False)
    enzyme = most_abnormal(baseline.enzymes)
    if enzyme not in followup.enzymes:
        raise InputError([(f"enzymes.{enzyme.value}", "must be given at follow-up")])
    changes["muscle_enzyme"] = _relative(
        baseline.enzymes[enzyme].value, followup.enzymes[enzyme].value, False
    )
    if len(changes) != 6:
        raise InputError([("core set", "the same six measures are needed at both time points")])
    return changes


def definition_of_improvement(baseline: CoreSetInput, followup: CoreSetInput) -> InstrumentResult:
    """Whether the 2004 IMACS preliminary definition of improvement is met."""
    changes = relative_changes(baseline, followup)
    improved = [m for m, c in changes.items() if c >= IMPROVED_AT]
    worse = [m for m, c in changes.items() if -c >= WORSE_AT]
    met = len(improved) >= MIN_IMPROVED and len(worse) <= MAX_WORSE and STRENGTH not in worse
    items = [
        ItemContribution(
            item=m,
            label="improved" if m in improved else "worse" if m in worse else "unchanged",
            value=round(float(c), 4),
            points=1.0 if m in improved else 0.0,
        )
        for m, c in changes.items()
    ]
    return InstrumentResult(
        instrument="imacs_doi_2004",
        total=float(len(improved)),
        minimum=0,
        maximum=6,
        category="improved" if met else "not_improved",
        items=items,
        citations=[CITATION],
        notes=[
            f"{len(improved)} measures improved >= 20 %, {len(worse)} worse >= 25 %"
            + ("; MMT worsened" if STRENGTH in worse else ""),
            "Percent change relative to baseline (our reading; see README).",
        ],
    )

"""A 'myositis' that nothing has helped in years is questioned before it is escalated.

Specialist review Z44b P6: a seronegative 'polymyositis' with a flat CK of 5,000-9,000 and no
response in four and a half years to glucocorticoids, azathioprine, methotrexate or IVIG got
're-examine the diagnosis before escalating' in Do now, yet its first choice raised
azathioprine and its alternatives laid out rituximab, tacrolimus, cyclophosphamide and CAR-T. A
muscular dystrophy, a metabolic myopathy or IBM is likelier there than a refractory
polymyositis (ENMC 2016 and 2023 list the mimics); the regimen waits for the review.
"""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Regimen

DOUBT_SUBGROUPS = frozenset({"pm", "unclassified"})
"""Labels a mimic most often hides behind (a seronegative PM, an unclassified myopathy)."""
TRIED_CATEGORIES = frozenset({"conventional_immunosuppressant", "immunoglobulin", "biologic",
                              "jak_inhibitor"})
MIN_FAILED = 2
MIN_MONTHS = 12

HOLD = ("Diagnosis in doubt - no new agent and no dose raised until it is re-examined: nothing "
        "has helped in {months} months ({tried}), so a muscular dystrophy, a metabolic myopathy "
        "or IBM is likelier than a refractory polymyositis; muscle MRI (thighs and calves: the "
        "pattern), the biopsy re-read with dystrophy immunostaining, a neuromuscular gene "
        "panel, and the heart and breathing checks a dystrophy needs (ECG, echocardiogram, FVC "
        "sitting and lying)")
KEEP = ("{name}: kept unchanged while the diagnosis is reviewed, and withdrawn if the review finds "
        "no inflammatory myopathy")
GC_KEEP = ("Oral glucocorticoids at the lowest dose while the diagnosis is reviewed, then tapered "
           "off with adrenal precautions if it finds no inflammatory myopathy")
ONLY_IF = "only if the review confirms an inflammatory myopathy: "
DECIDE = ("Decide again when the diagnostic review is back (MRI, biopsy re-read, genetics): "
          "escalate only for a confirmed inflammatory myopathy, otherwise withdraw the "
          "immunosuppression and plan the care of the myopathy found.")


def nothing_ever_helped(record: PatientRecord, kb: KnowledgeBase,
                        phenotypes: list[str]) -> tuple[int, list[str]] | None:
    """Months since the first treatment and the agents that failed, when a PM or unclassified
    myositis with no myositis-specific antibody has had two or more agents fail for inefficacy
    (or 'no response') and no treatment ever helped; None otherwise."""
    if not DOUBT_SUBGROUPS & set(phenotypes) or record.all_antibodies().msa_negative() is not True:
        return None
    if any(t.response in ("complete", "partial") or t.outcome == "effective"
           for t in record.treatments):
        return None
    failed = sorted({kb.therapies[t.therapy].name for t in record.treatments
                     if t.therapy in kb.therapies
                     and kb.therapies[t.therapy].category in TRIED_CATEGORIES
                     and (t.response == "none" or t.outcome == "ineffective"
                          or t.reason_stopped == "inefficacy")})
    starts = [t.start for t in record.treatments if t.start is not None]
    if len(failed) < MIN_FAILED or not starts:
        return None
    months = (record.on() - min(starts)).days * 12 // 365
    return (months, failed) if months >= MIN_MONTHS else None


def hold_for_diagnosis(regimens: list[Regimen], doubt: tuple[int, list[str]] | None,
                       taken_now: list[str]) -> list[Regimen]:
    """The muscle regimen (active, in flare or inadequate response) waits for the diagnostic review:
    no raised dose, no new agent; what is taken now is kept unchanged (or tapered off if the
    review finds no myositis), and the former escalation stays as the alternatives, conditional
    on the review. ``taken_now``: names of the agents taken now."""
    if doubt is None:
        return regimens
    months, failed = doubt
    out = []
    for r in regimens:
        if r.domain != "muscle" or r.state not in ("inadequate_response", "flare", "active"):
            out.append(r)
            continue
        first = [HOLD.format(months=months, tried=", ".join(failed))]
        first += [GC_KEEP if "glucocorticoid" in name.lower() else KEEP.format(name=name)
                  for name in taken_now]
        previous = [e.removeprefix("add ") for e in r.first_choice
                    if not any(n in e for n in taken_now)]
        alternatives = [ONLY_IF + ", ".join(dict.fromkeys(
            [*previous, *(a.split(": ", 1)[-1] if a.startswith(("if still", "only if"))
                          else a for a in r.alternatives)]))] if previous or r.alternatives \
            else []
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives,
                                        "decision_point": DECIDE}))
    return out


__all__ = ["hold_for_diagnosis", "nothing_ever_helped"]

"""Within comfort care the organ lines become comfort lines.

Specialist review Z43b P5 (four dangerous findings): a man with anti-SRP IMNM who chose comfort
care, with a DNACPR and a capacitous refusal of IVIG and new immunosuppressants, was told
'intensive care review now', 'IV glucocorticoids with early rituximab or IVIG', 'cardiac MRI and
IV pulses' and 'insulin doses raised'. The end-of-life line was right, but it did not govern
the organ lines. These texts replace them when the agreed ceiling is comfort care; each keeps
what still serves comfort. Data, not logic: a clinician reviews the wording here.
"""

from __future__ import annotations

from myositis.services.careplan.model import Action

COMFORT_LINES: dict[str, str] = {
    "severe_anti_srp": (
        "Severe anti-SRP myopathy within the comfort care agreed: no escalation (no IV "
        "glucocorticoid pulses, rituximab or IVIG) - breathlessness, swallowing and weakness "
        "eased with palliative care, and the lowest glucocorticoid dose that helps symptoms."),
    "respiratory_muscle_weakness": (
        "Breathing-muscle weakness within the comfort care agreed: no intensive-care review or "
        "intubation - breathlessness eased with palliative care (a low-dose opioid, positioning, "
        "a fan, anxiety treated), non-invasive ventilation only for comfort and only as the "
        "patient wishes, with a plan for withdrawing it, and secretions managed."),
    "cardiac_involvement_confirmed": (
        "Heart involvement within the comfort care agreed: no cardiac MRI or IV pulses - "
        "breathlessness, swelling and palpitations treated for comfort with cardiology's or the "
        "palliative team's advice on medicines, and any implanted defibrillator discussed for "
        "deactivation."),
    "cardiac_involvement_suspected": (
        "Possible heart involvement within the comfort care agreed: no work-up that does not "
        "serve comfort - symptoms treated, and any implanted defibrillator discussed for "
        "deactivation."),
    "severe_dysphagia": (
        "Swallowing difficulty within the comfort care agreed: speech and language therapy for "
        "comfortable eating and drinking at the risk the patient accepts, mouth care, and "
        "medicines reduced to those that help, in forms that can be swallowed; no tube feeding "
        "unless the patient wants it."),
    "diabetes_with_high_dose_glucocorticoids_now": (
        "Diabetes within the comfort care agreed: relaxed glucose targets that avoid symptoms of "
        "high or low glucose, insulin reduced as eating falls (hypoglycaemia), and fewer "
        "finger-prick tests."),
}


def comfort_lines(actions: list[Action]) -> list[Action]:
    """Each organ line with a comfort version is replaced by it, and is no longer urgent; the
    goals-of-care line leads, as it governs the rest."""
    out = [a.model_copy(update={"text": COMFORT_LINES[a.code], "urgency": "soon"})
           if a.code in COMFORT_LINES else a for a in actions]
    return sorted(out, key=lambda a: (a.code != "goals_of_care_end_of_life",
                                      ("urgent", "soon", "routine").index(a.urgency)))



__all__ = ["COMFORT_LINES", "comfort_lines"]

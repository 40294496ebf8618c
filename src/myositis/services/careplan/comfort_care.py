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


LAST_WEEKS_LEFT_OUT = frozenset({
    # prevention, screening and long-horizon safety whose benefit comes over months to years
    "lung_screen_repeat_without_ild", "pregnancy_plans_not_recorded", "pjp_prophylaxis_review",
    "vaccination_review", "vaccination_review_child", "zoster_vaccination_review",
    "influenza_vaccine_due", "covid_vaccine_due", "no_live_vaccines_while_immunosuppressed",
    "child_growth_monitoring", "smoking_cessation", "juvenile_onset_young_adult",
    "transition_to_adult_care", "anti_mda5_not_tested_established", "cardiovascular_risk_review",
    "glucocorticoid_long_term_surveillance", "long_term_glucocorticoid_exit",
    "doses_missed_in_remission", "child_live_booster_on_low_dose_methotrexate",
    "subclinical_hypothyroidism_with_another_diagnosis",
    "subclinical_hypothyroidism_not_a_mimic", "subclinical_hypothyroidism_established_myositis",
    "polymyositis_reconsider", "past_cyclophosphamide_late_effects_cervix",
    "past_cyclophosphamide_late_effects", "screening_before_likely_immunosuppression",
    "anti_mda5_seroconverted", "hcv_cleared", "infection_screening_due",
    "pulmonary_hypertension_screen", "hydroxychloroquine_dose_above_5mg_kg",
    # contraception and conception around drugs, for a patient in the last days to weeks
    "contraception_with_teratogen", "mycophenolate_paternal_contraception",
    "bone_medication_childbearing_potential",
})
"""Do-now lines left out in the last days to weeks of life, or with comfort care agreed, beyond
the prevention already left out near the end of life (specialist review, open finding: the
end-of-life line said routine screening and monitoring stop, while the plan below it still asked
for contraception counselling, a glucocorticoid taper target, lung function and core set scores
for a dying patient). Lines that serve comfort now (adrenal safety, swallowing, glucose, dry mouth,
Raynaud's) stay."""

LAST_WEEKS_MONITORING = (
    "Blood tests, scores and lung function only when a result would change comfort or a "
    "decision the patient wants; routine activity and drug blood monitoring stop.")

LAST_WEEKS_DECISION = (
    "Judged by symptoms and comfort at each contact, not by scores or tests; no escalation unless "
    "the patient chooses more active treatment.")


def comfort_lines(actions: list[Action]) -> list[Action]:
    """Each organ line with a comfort version is replaced by it, and is no longer urgent; the
    goals-of-care line leads, as it governs the rest."""
    out = [a.model_copy(update={"text": COMFORT_LINES[a.code], "urgency": "soon"})
           if a.code in COMFORT_LINES else a for a in actions]
    return sorted(out, key=lambda a: (a.code != "goals_of_care_end_of_life",
                                      ("urgent", "soon", "routine").index(a.urgency)))



__all__ = ["COMFORT_LINES", "LAST_WEEKS_DECISION", "LAST_WEEKS_LEFT_OUT", "LAST_WEEKS_MONITORING",
           "comfort_lines"]

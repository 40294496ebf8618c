"""A treatment the patient has declined, or that is withheld for them, is not recommended
anywhere in the plan without saying so.

The options list already withholds a declined glucocorticoid, a withheld IVIG and (with a
sulfonamide allergy) offers no co-trimoxazole; the fixed texts written for a severe presentation
("IV glucocorticoids with early IVIG or rituximab", "treatment-dose co-trimoxazole") did not
know of it (specialist reviews Z4c and Z6b). Each line that recommends such a treatment then
says, in the line itself, why it is not given.
"""

from __future__ import annotations

import re
from typing import TypeVar

from myositis.domain.record import PatientRecord
from myositis.services.careplan.model import Action, CarePlan, Flag

RECOMMENDS_GLUCOCORTICOID = re.compile(
    r"IV glucocorticoids|IV (?:methylprednisolone )?pulses|methylprednisolone pulses"
    r"|high-dose glucocorticoids|raise prednisolone|oral prednisolone|prednisolone \d"
    r"|glucocorticoids? (?:at|from) \d|restart (?:the )?glucocorticoid", re.IGNORECASE)
DECLINED_NOTE = (" Glucocorticoids were declined by the patient: none is given unless the "
                 "patient chooses otherwise after discussion - act on the rest of this line "
                 "(see Withheld for the alternatives).")
RECOMMENDS_IVIG = re.compile(r"(?:early|add|with|then) (?:IVIG|intravenous immunoglobulin)"
                             r"|IVIG or |or IVIG|IVIG is a bridge|IVIG at the immunomodulatory"
                             r"|IVIG first"
                             r"|a replacement dose", re.IGNORECASE)
IVIG_WITHHELD_NOTE = (" IVIG is withheld for this patient (see Withheld): use the other options "
                      "this line names.")
IVIG_IGA_DEPLETED_NOTE = (" A standard IVIG product is withheld for this patient (IgA deficiency "
                          "with anti-IgA antibodies and a past reaction; see Withheld): only an "
                          "IgA-depleted product chosen with immunology, the first dose in hospital "
                          "- otherwise the other options this line names.")
PULSES_WITHHELD_NOTE = (" IV methylprednisolone is withheld for this patient (a severe reaction to "
                        "it before; see Withheld): no re-exposure - ask the allergy team which IV "
                        "glucocorticoid is tolerated (another product or ester; excipients such "
                        "as lactose checked), the oral glucocorticoid meanwhile, and IVIG or the "
                        "other options this line names where escalation cannot wait.")
PULSES_WITHHELD_SWAPS = (
    ("IV methylprednisolone pulses with the steroid-sparing agent",
     "a tolerated IV glucocorticoid (not IV methylprednisolone, see the end of this line) with "
     "the steroid-sparing agent"),
)
NAMES_PULSES = re.compile(r"methylprednisolone (?:pulse|IV)|IV methylprednisolone|"
                          r"intravenous methylprednisolone|glucocorticoid pulses", re.IGNORECASE)
IVIG_KIDNEY_TEAM_NOTE = (" IVIG waits for the kidney team's agreement today (a stage-3 kidney "
                         "injury; see Withheld): IV glucocorticoids meanwhile, then IVIG "
                         "sucrose-free, slowly and split over 4-5 days.")
# 'no co-trimoxazole' already says it (a swapped line is not noted twice)
NAMES_CO_TRIMOXAZOLE = re.compile(r"(?<!no )(?<!not )co-trimoxazole", re.IGNORECASE)
SULFONAMIDE_NOTE = (" (Sulfonamide allergy recorded: not co-trimoxazole - the alternatives are "
                    "in Do now.)")
SULFONAMIDE_RULE = "sulfonamide_allergy_no_co_trimoxazole"
PJP_TREATMENT_WITHOUT_SULFONAMIDE = (
    "PJP treatment without co-trimoxazole (sulfonamide allergy): primaquine with clindamycin "
    "after a normal G6PD, or IV pentamidine, with the infection team")
SULFONAMIDE_SWAPS = (
    ("treatment-dose co-trimoxazole until PJP is excluded",
     PJP_TREATMENT_WITHOUT_SULFONAMIDE + ", until PJP is excluded"),
    ("treatment-dose co-trimoxazole (not the prophylactic dose)", PJP_TREATMENT_WITHOUT_SULFONAMIDE),
    # the prophylaxis named in the pre-rituximab line and the 'due soon' line (specialist review
    # Z44a P6: co-trimoxazole in the URGENT rituximab line after a blistering reaction)
    ("(co-trimoxazole - with methotrexate a blood count 2-4 weeks after starting it - or "
     "atovaquone with a low count or warfarin)",
     "(atovaquone - sulfonamide allergy recorded: no co-trimoxazole)"),
    # the same bracket as worded at a low kidney function (wording_swaps, review Z57d P4)
    ("(co-trimoxazole at a dose reduced for the kidney function - or atovaquone with "
     "methotrexate, a low count or warfarin: at this kidney function co-trimoxazole and "
     "methotrexate together suppress the marrow)",
     "(atovaquone - sulfonamide allergy recorded: no co-trimoxazole)"),
    ("plan co-trimoxazole now unless", "plan atovaquone now (sulfonamide allergy recorded: no "
     "co-trimoxazole) unless"),
)
"""Co-trimoxazole named as the action itself: with a sulfonamide allergy the line names the
alternative in its place, not a bracket after it (specialist review Z8b: a skim-reader could
re-expose a patient who had Stevens-Johnson syndrome)."""
PENICILLIN_SWAPS = (
    ("antibiotics that cover Staphylococcus aureus",
     "antibiotics that cover Staphylococcus aureus without a beta-lactam (penicillin allergy "
     "recorded: a glycopeptide, clindamycin or doxycycline by the local guideline and the "
     "reaction's severity)"),
)
"""An antibiotic advised in a fixed text, for a patient with a recorded penicillin allergy
(specialist reviews Z8c and Z9c: 'antibiotics that cover Staphylococcus aureus' beside the
allergy)."""
BLOOD_SWAPS = (
    ("resuscitation, cross-match and transfusion as needed",
     "resuscitation without blood products (declined by the patient): IV iron, "
     "erythropoietin and early control of the bleeding, with haematology"),
)
"""Transfusion named in a fixed text, for a patient who declines blood products (specialist
review Z8b: 'cross-match and transfusion' for a Jehovah's Witness with melaena)."""

BLEEDING_SWAPS = (
    ("and an anticoagulant only with a specific risk (a central line, immobility in an "
     "adolescent, a thrombophilia, a previous clot)",
     "and no anticoagulant while the gut bleeds (mechanical measures where there is a specific "
     "risk - a central line, immobility; an anticoagulant only once the bleeding has stopped, "
     "with the team)"),
)
"""Anticoagulant advice in a fixed text, for a patient with a gastrointestinal bleed recorded
(specialist review Z30c P8: 'an anticoagulant ... with a central line' for an adolescent with
melaena)."""

YOUNG_CHILD_AGE = 6
YOUNG_CHILD_SWAPS = (
    ("FVC sitting and supine, maximal inspiratory pressure or SNIP and blood gases",
     "(under 6, where spirometry cannot be done) respiratory rate, work of breathing, the "
     "strength of cough and cry, oxygen saturation and a capillary blood gas, with overnight "
     "oximetry,"),
    ("when FVC is below 50 %, falling fast, with orthopnoea or a raised CO2",
     "when breathing is laboured, the cough weak, saturation falling or the CO2 raised"),
    # a DXA has no reliable paediatric reference below about 5 years (specialist review Z45a
    # P5: 'DXA with a Z-score' for a 3-year-old)
    ("DXA with a Z-score for age and size",
     "DXA with a Z-score for age and size once old enough for its reference data (about 5 "
     "years; before that diet, vitamin D and activity)"),
)
"""Adult breathing-muscle measures in a child too young for spirometry (specialist reviews
Z22b P7 and Z24d P1: 'FVC sitting and supine ... below 50 %' for a 2-year-old)."""

Line = TypeVar("Line", Action, Flag)


def noted(items: list[Line], pattern: re.Pattern[str], note: str,
          skip: str | None = None) -> list[Line]:
    """Each line whose text matches ``pattern`` gains ``note`` once (not the line ``skip``,
    which already says it)."""
    return [item.model_copy(update={"text": item.text + note})
            if pattern.search(item.text) and note not in item.text and item.code != skip
            else item for item in items]


TUBE_FEEDING_SWAPS = (
    ("a gastrostomy discussed with weight loss or aspiration, as the patient wishes",
     "tube feeding declined (recorded): not offered again unless the patient asks, and the "
     "decision revisited with them if swallowing or weight worsens"),)
"""Tube feeding declined by a patient with capacity: their decision, not a best-interests one
(specialist review Z46: 'the best-interests decision' for a patient who decided himself)."""
TUBE_FEEDING_NO_CAPACITY_SWAPS = (
    ("a gastrostomy discussed with weight loss or aspiration, as the patient wishes",
     "tube feeding declined (recorded, by the patient before capacity was lost or by the person "
     "who decides for them): not offered again unless a best-interests decision asks"),)


ANTICOAGULATED_PROCEDURE_SWAPS = (
    ("dilatation, botulinum toxin or myotomy;",
     "dilatation, botulinum toxin or myotomy, with the anticoagulant paused (warfarin bridged "
     "only at a high clot risk; a DOAC never bridged) by the anticoagulation service and an "
     "anaesthetic assessment;"),)
"""An anticoagulant taken: a throat procedure is planned around it (specialist review Z39a P6:
cricopharyngeal options for a man on warfarin with no word of it)."""

HEART_FAILURE_IVIG_SWAPS = (
    ("may be discussed only for severe dysphagia (small trials, very low evidence)",
     "may be discussed only for severe dysphagia (small trials, very low evidence) - with heart "
     "failure its fluid load and thrombosis risk weigh against it, with cardiology first"),)
"""Heart failure recorded: the IBM line's IVIG aside says what weighs against it (specialist
review Z39a P6: 'may be discussed' for a man with an ejection fraction of 30 %)."""


CHILD_SICK_DAY_SWAPS = (
    ("on up to about 10 mg/day of prednisolone double the daily dose while febrile (higher doses "
     "already cover an illness)",
     "in a child, the sick-day doses the paediatric team sets by weight or body surface area"),
    ("(on up to about 10 mg/day of prednisolone, double the daily dose while febrile - higher "
     "doses already cover an illness; parenteral hydrocortisone",
     "(in a child, the sick-day doses the paediatric team sets by weight or body surface area; "
     "parenteral hydrocortisone"),
    ("(on up to about 10 mg/day: double the dose while febrile; ",
     "(in a child, the sick-day doses the paediatric team sets by weight or body surface area; "),
)
"""Sick-day rules in a child are weight- or surface-based, not the adult doubling (specialist
reviews Z39c and Z39d: 'on up to about 10 mg/day ... double the daily dose' for a 9-year-old)."""
CHILD_SICK_DAY_AGE = 16
"""From 16 the adult doses apply (as elsewhere in the plan)."""


CAPACITY_SWAPS = (
    ("a gastrostomy discussed with weight loss or aspiration, as the patient wishes",
     "a gastrostomy discussed with weight loss or aspiration only if it serves the goals agreed, "
     "decided in the patient's best interests with the person who decides for them"),)
"""The patient lacks capacity: the choice is a best-interests one (re-score of specialist
review Z37a P6: 'as the patient wishes' for a man who lacks capacity)."""


def swap_text(plan: CarePlan, swaps: tuple[tuple[str, str], ...]) -> None:
    """Replace each fixed phrase in the do-now, flag and approach lines."""
    def swap(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        return text
    plan.do_now = [a.model_copy(update={"text": swap(a.text)}) for a in plan.do_now]
    plan.flags = [f.model_copy(update={"text": swap(f.text)}) for f in plan.flags]
    plan.regimens = [r.model_copy(update={"first_choice": [swap(e) for e in r.first_choice],
                                          "alternatives": [swap(e) for e in r.alternatives],
                                          "decision_point": swap(r.decision_point)})
                     for r in plan.regimens]


def late_lines_allergy_safe(plan: CarePlan, record: PatientRecord) -> None:
    """The lines added after the wording pass (a booked course, the bundled Do now) name the
    alternative to co-trimoxazole too (specialist review Z44a P6)."""
    if "sulfonamide" not in record.allergies:
        return
    def swap(text: str) -> str:
        for old, new in SULFONAMIDE_SWAPS:
            text = text.replace(old, new)
        return text
    plan.do_now = [a.model_copy(update={"text": swap(a.text)}) for a in plan.do_now]
    plan.do_now_bundled = [a.model_copy(update={"text": swap(a.text)})
                           for a in plan.do_now_bundled]


def say_what_is_not_given(plan: CarePlan, record: PatientRecord) -> None:
    """Declined glucocorticoids, a withheld IVIG and a sulfonamide allergy, said in every
    do-now, flag (and, for co-trimoxazole, approach) line that names them."""
    if "glucocorticoids" in record.preferences.declines:
        plan.do_now = noted(plan.do_now, RECOMMENDS_GLUCOCORTICOID, DECLINED_NOTE)
        plan.flags = noted(plan.flags, RECOMMENDS_GLUCOCORTICOID, DECLINED_NOTE)
    if "sulfonamide" in record.allergies:
        swap_text(plan, SULFONAMIDE_SWAPS)
        plan.do_now = noted(plan.do_now, NAMES_CO_TRIMOXAZOLE, SULFONAMIDE_NOTE,
                            skip=SULFONAMIDE_RULE)
        plan.flags = noted(plan.flags, NAMES_CO_TRIMOXAZOLE, SULFONAMIDE_NOTE)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + SULFONAMIDE_NOTE if NAMES_CO_TRIMOXAZOLE.search(e) else e
            for e in r.first_choice]}) for r in plan.regimens]
        # the per-drug cautions too, where prescribers look (specialist review Z9a: 'start PJP
        # prophylaxis with the first rituximab dose (co-trimoxazole ...)' in the dose box)
        for option in plan.options:
            option.cautions = [c.model_copy(update={"text": c.text + SULFONAMIDE_NOTE})
                               if NAMES_CO_TRIMOXAZOLE.search(c.text)
                               and SULFONAMIDE_NOTE not in c.text else c
                               for c in option.cautions]
        for dose in plan.doses:
            if NAMES_CO_TRIMOXAZOLE.search(dose.text) and SULFONAMIDE_NOTE not in dose.text:
                dose.text += SULFONAMIDE_NOTE
    if record.age_years() < YOUNG_CHILD_AGE:
        swap_text(plan, YOUNG_CHILD_SWAPS)
    if record.age_years() < CHILD_SICK_DAY_AGE:
        swap_text(plan, CHILD_SICK_DAY_SWAPS)
    if "penicillin" in record.allergies:
        # doxycycline stains growing teeth: not under 12 (specialist review Z24d P3), nor in
        # pregnancy (specialist review Z53b P5: doxycycline offered at 22 weeks)
        pregnant = record.reproduction.pregnant is True or record.comorbidities.pregnancy is True
        why = ("in pregnancy" if pregnant else "under 12 years"
               if record.age_years() < 12 else None)
        swap_text(plan, PENICILLIN_SWAPS if why is None else tuple(
            (old, new.replace("clindamycin or doxycycline", "or clindamycin (not doxycycline "
                              f"{why})")) for old, new in PENICILLIN_SWAPS))
    if "blood_products" in record.preferences.declines:
        swap_text(plan, BLOOD_SWAPS)
    if "tube_feeding" in record.preferences.declines:
        # a recorded refusal is not reopened as an offer (re-score of specialist review Z34b
        # P3: 'a gastrostomy discussed ... as the patient wishes' for a man who lacks capacity
        # and refused tube feeding in advance)
        swap_text(plan, TUBE_FEEDING_NO_CAPACITY_SWAPS
                  if record.care_goals.lacks_capacity is True else TUBE_FEEDING_SWAPS)
    elif record.care_goals.lacks_capacity is True:
        swap_text(plan, CAPACITY_SWAPS)
    if record.organs.gi_bleeding is True:
        swap_text(plan, BLEEDING_SWAPS)
    if {"warfarin", "doac", "lmwh"} & set(record.other_medicines):
        swap_text(plan, ANTICOAGULATED_PROCEDURE_SWAPS)
    if record.comorbidities.heart_failure is True:
        swap_text(plan, HEART_FAILURE_IVIG_SWAPS)
    if "ivig" in {w.therapy for w in plan.withheld}:
        # a stage-3 kidney injury with an organ threatened holds IVIG for the kidney team's
        # agreement: the note says so rather than 'the other options this line names' (re-score
        # of specialist review Z29a P7; review Z37c P2, P6: no plasma-exchange rescue)
        kidney = any(w.therapy == "ivig" and "only once the kidney team agrees" in w.reason
                     for w in plan.withheld)
        anti_iga = any(w.therapy == "ivig" and "iga_deficiency_anti_iga" in w.rule_ids
                       for w in plan.withheld)
        note = (IVIG_KIDNEY_TEAM_NOTE if kidney else IVIG_IGA_DEPLETED_NOTE if anti_iga
                else IVIG_WITHHELD_NOTE)
        plan.do_now = noted(plan.do_now, RECOMMENDS_IVIG, note)
        plan.flags = noted(plan.flags, RECOMMENDS_IVIG, note)
    if any(w.therapy == "methylprednisolone_iv_pulse" and "severe_reaction_no_rechallenge"
           in w.rule_ids for w in plan.withheld):
        # the urgent line that gives pulses says they are not for this patient (specialist
        # review Z59a P7: 'IV methylprednisolone pulses' dated after a chickenpox incubation for
        # a child who had anaphylaxis to his first pulse)
        # and the line no longer opens by giving them (re-score of Z59a P7)
        swap_text(plan, PULSES_WITHHELD_SWAPS)
        plan.do_now = noted(plan.do_now, NAMES_PULSES, PULSES_WITHHELD_NOTE)
        plan.flags = noted(plan.flags, NAMES_PULSES, PULSES_WITHHELD_NOTE)


__all__ = ["DECLINED_NOTE", "IVIG_WITHHELD_NOTE", "RECOMMENDS_GLUCOCORTICOID",
           "RECOMMENDS_IVIG", "SULFONAMIDE_NOTE", "late_lines_allergy_safe", "noted",
           "say_what_is_not_given"]

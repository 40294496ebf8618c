"""What the record says about the treatments taken: their outcomes, the drugs to hold or stop,
how to optimise one before calling it failed, and monitoring bloods that are overdue."""

from __future__ import annotations

from collections.abc import Mapping

from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import Treatment
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan import exposure, regimens
from myositis.services.careplan.model import CarePlan
from myositis.services.careplan.options import Selection
from myositis.services.careplan.record_readers import read_other_msa
from myositis.services.careplan.regimens import methotrexate_step
from myositis.services.careplan.rules import Firing
from myositis.services.state import DiseaseState

GLUCOCORTICOIDS = regimens.GLUCOCORTICOIDS


BACKGROUND_AGENTS = frozenset({"mycophenolate", "azathioprine", "methotrexate", "tacrolimus",
                               "ciclosporin"})
"""Steroid-sparing agents that may stay as background treatment beside the next agent."""

MARROW_OR_LIVER_TOXIC = frozenset({"azathioprine", "methotrexate", "mycophenolate", "leflunomide",
                                   "tacrolimus", "ciclosporin"})


REOFFERED_AFTER_REACTION = frozenset({"ivig", "scig"})
"""Drugs whose non-severe reactions are usually mitigated (a split course, a slower rate, another
product or the subcutaneous route) rather than ending their use."""


def treatment_outcomes(record: PatientRecord) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in record.treatments:
        outcome: str = t.outcome
        if t.reason_stopped == "inefficacy" or t.response == "none":
            outcome = "ineffective"
        elif t.therapy in REOFFERED_AFTER_REACTION and t.response in ("complete", "partial") \
                and (t.reason_stopped == "adverse_event" or outcome == "not_tolerated") \
                and t.reaction_severity != "severe":
            # immunoglobulin that worked, stopped for a reaction that was not severe (fluid
            # overload, headache): re-offered split, slower or subcutaneous (specialist review
            # Z23b P6: left out of an 81-year-old's flare after a complete response)
            outcome = "effective_with_reaction"
        elif t.reason_stopped == "adverse_event" and t.reaction_severity == "mild":
            # a mild reaction (nausea) is mitigated and re-challenged, not a failure (review U)
            outcome = "mild_intolerance"
        elif t.reason_stopped == "adverse_event":
            outcome = "not_tolerated"
        elif t.reason_stopped == "patient_stopped" and outcome in ("unknown", "ongoing"):
            outcome = "stopped_by_patient"
        out[t.therapy] = outcome
    # IVIG is one drug whatever it is offered for: a failed or poorly tolerated course stands
    # for the calcinosis entry too (specialist review Z10b: re-offered for calcinosis after 18
    # months without response)
    if "ivig" in out and "ivig_calcinosis" not in out:
        out["ivig_calcinosis"] = out["ivig"]
    return out


def adequate_glucocorticoid(course: Treatment, weight_kg: float | None) -> bool:
    """An induction-level glucocorticoid course: IV pulses, or oral prednisolone at 0.5 mg/kg/day
    or more (30 mg/day or more when the weight is not recorded; BSR 2022 induction is
    0.5-1 mg/kg/day). A course at a lower dose that did not help has not tested the
    diagnosis."""
    if course.therapy == "methylprednisolone_iv_pulse":
        return True
    if course.dose_value is None or course.dose_unit != "mg/day":
        return False
    return course.dose_value >= (0.5 * weight_kg if weight_kg else 30)


def failed_but_current(record: PatientRecord, current: frozenset[str]) -> dict[str, str]:
    """Drugs taken now (no stop date) whose recorded outcome is failure: the approach asks
    for the stop to be made and recorded; their monitoring continues until then."""
    # the recorded outcome only (a "no response yet" two weeks in is not a failure), and never
    # a glucocorticoid, which is tapered, not stopped (H102)
    open_courses = [t for t in record.treatments if t.start is not None and t.stop is None]
    working = {t.therapy for t in open_courses
               if t.outcome not in ("ineffective", "not_tolerated")}
    stated = {t.therapy: t.outcome for t in open_courses
              if t.outcome in ("ineffective", "not_tolerated") and t.therapy not in working}
    return {t: ("recorded as ineffective but still taken: decide with the team whether it "
                "stays as background treatment beside the next agent or stops when that agent "
                "starts, and record the decision" if stated[t] == "ineffective"
                and t in BACKGROUND_AGENTS else
                f"recorded as {stated[t].replace('_', ' ')} with no stop date; stop it and "
                "record the date, or correct the outcome")
            for t in current if t in stated and t not in GLUCOCORTICOIDS}


def held_therapies(selection: Selection, taken_now: list[Firing]) -> dict[str, str]:
    """Therapies not to continue: withheld or not recommended among the options, and any drug
    taken now that a withhold rule applies to (a teratogen while conception is planned, say),
    even when the state offers no new option for it."""
    held = {w.therapy: w.reason.split(";")[0]
            for w in (*selection.withheld, *selection.not_recommended)}
    for f in taken_now:
        if f.action == "withhold" and f.therapy:
            held.setdefault(f.therapy, f.text.split(";")[0])
    return held


def optimisation_steps(record: PatientRecord, current: frozenset[str],
                       facts: Mapping[str, object]) -> dict[str, str]:
    """How to optimise a steroid-sparing drug taken now before it is called failed (adult
    methotrexate: dose and route), never against a reduced eGFR or a raised ALT, which the
    safety rules speak to."""
    egfr, alt = facts.get("egfr"), facts.get("alt_x_uln")
    if "methotrexate" not in current or record.age_years() < 18 \
            or (isinstance(egfr, (int, float)) and egfr < 60) \
            or (isinstance(alt, (int, float)) and alt >= 2):
        return {}
    course = next((t for t in reversed(record.treatments) if t.therapy == "methotrexate"
                   and exposure.is_current(record, t.start, t.stop, t.outcome,
                                             t.reason_stopped)), None)
    if course is None:
        return {}
    weekly = (float(course.dose_value) if course.dose_value is not None
              and course.dose_unit == "mg/week" else None)
    if course.dose_value is not None and weekly is None:
        return {}  # a dose in another unit is not judged here
    step = methotrexate_step(weekly, course.route)
    return {"methotrexate": step} if step else {}


def bloods_overdue(record: PatientRecord, plan: CarePlan, kb: KnowledgeBase,
                   current: frozenset[str]) -> list[str]:
    """Drugs taken for more than 3 months whose monitoring bloods are overdue or were never
    recorded: a do-now line, not only a row in the monitoring table (specialist review C:
    azathioprine with no blood count for 11 months)."""
    today = record.on()
    out = []
    for therapy_id in sorted(current & MARROW_OR_LIVER_TOXIC):
        starts = [t.start for t in record.treatments if t.therapy == therapy_id and t.start]
        if not starts or (today - max(starts)).days < 91:
            continue
        name = kb.therapies[therapy_id].name
        row = next((m for m in plan.monitoring if m.therapy == name), None)
        if row is not None and (row.next_due.startswith("overdue")
                                or row.next_due.startswith("due now (no monitoring")):
            out.append(name)
    return out


def diagnosis_review(record: PatientRecord, phenotypes: list[str], category: str | None,
                     state: DiseaseState, anti_srp: object,
                     anti_hmgcr: object) -> str | None:
    """Why the followed label is re-examined before any new agent, or None: 'criteria' for a
    DM, PM or JDM label the 2017 criteria do not support, with no rash, that flares, fails or
    did not respond to an adequate glucocorticoid course; 'seronegative_imnm' for IMNM with
    anti-SRP and anti-HMGCR negative that does the same. A checkpoint inhibitor is its own
    cause. (Specialist reviews M, S and Z13a.)"""
    if "immune_checkpoint_inhibitor" in record.other_medicines:
        return None
    # an adequate course that did not help counts, whichever field says so (specialist review
    # Z13a: 60 mg/day for six months with 'response: none' read as not yet tried)
    gc_failed = any(t.therapy in GLUCOCORTICOIDS and (
        t.outcome == "ineffective"
        or ((t.response == "none" or t.reason_stopped == "inefficacy")
            and adequate_glucocorticoid(t, record.weight_kg))) for t in record.treatments)
    muscle = state.of("muscle")
    failing = muscle in ("inadequate_response", "flare") or (muscle == "active" and gc_failed)
    if not failing:
        return None
    b = record.biopsy
    # an inflammatory biopsy, or a flare of a disease that responded before, is myositis
    # enough to treat now (specialist review Z19c P8: endomysial inflammation with MHC-I on the
    # biopsy and an earlier response, treatment held for a dystrophy work-up)
    inflamed = b is not None and any(v is True for v in (
        b.endomysial_infiltrate, b.invasion_of_non_necrotic_fibres, b.perifascicular_atrophy,
        b.mhc1_upregulation))
    responded = muscle == "flare" and any(
        t.therapy in GLUCOCORTICOIDS and t.response in ("complete", "partial")
        for t in record.treatments)
    if {"pm", "jdm", "dm"} & set(phenotypes) and category in ("not_iim", "biopsy_required") \
            and not record.skin.any_dm_hallmark() and not inflamed and not responded:
        return "criteria"
    if "imnm" in phenotypes and anti_srp is False and anti_hmgcr is False:
        return "seronegative_imnm"
    # a 'polymyositis' with every myositis antibody negative and a biopsy without
    # inflammation, MHC-I or necrosis, failing treatment: a mimic (late-onset Pompe disease, a
    # dystrophy) until shown otherwise, whatever the criteria score (specialist review Z21a
    # P4: rituximab first after three failed drugs)
    bland = b is not None and all(v is False for v in (
        b.endomysial_infiltrate, b.invasion_of_non_necrotic_fibres, b.mhc1_upregulation,
        b.necrosis_with_little_inflammation))
    if "pm" in phenotypes and bland and not responded and not record.skin.any_dm_hallmark() \
            and read_other_msa(record) is False and anti_hmgcr is not True:
        return "bland_biopsy"
    return None

"""Assembles a CarePlan from a patient record.

Flow: diagnosis (criteria side by side) -> disease state per domain -> complications -> facts
about the patient -> options for the state with every safety rule applied -> summary (do now,
regimen, unknowns) -> the cited detail. Every line names its knowledge-base entry or rule.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping

from myositis.domain.instruments.eular_acr_2017 import classify
from myositis.domain.record import PatientRecord
from myositis.errors import InputError
from myositis.knowledge import KnowledgeBase, load
from myositis.services.careplan import checks, exposure, monitoring, regimens, summary
from myositis.services.careplan import facts as fact_rules
from myositis.services.careplan import flags as flag_rules
from myositis.services.careplan.diagnosis import MIMICS, decide
from myositis.services.careplan.dosing import above_limit, current_dose_checks, doses_for
from myositis.services.careplan.model import (
    Action,
    CareItem,
    CarePlan,
    Citation,
    DiagnosisView,
    Option,
    Regimen,
)
from myositis.services.careplan.options import (
    Selection,
    kidney_failure,
    select_options,
    use_matches,
)
from myositis.services.careplan.phenotype import complications as find_complications
from myositis.services.careplan.regimens import KEPT, methotrexate_step
from myositis.services.careplan.rules import (
    Firing,
    as_action,
    current_therapy_firings,
    patient_firings,
)
from myositis.services.careplan.screening import cancer_screening
from myositis.services.careplan.workup import missing_workup
from myositis.services.state import disease_state

NON_DRUG_ITEMS = ("exercise_by_phase", "photoprotection_education", "patient_education_support")


# Common abbreviations and names clinicians type, mapped to knowledge-base ids for suggestions
# (never applied silently: the id must be written out).
ABBREVIATIONS = {
    "mtx": "methotrexate", "aza": "azathioprine", "mmf": "mycophenolate",
    "hcq": "hydroxychloroquine", "cyc": "cyclophosphamide", "rtx": "rituximab",
    "tac": "tacrolimus", "csa": "ciclosporin", "cyclosporine": "ciclosporin",
    "pred": "glucocorticoids_oral", "prednisone": "glucocorticoids_oral",
    "prednisolone": "glucocorticoids_oral", "ivmp": "methylprednisolone_iv_pulse",
    "igiv": "ivig", "octagam": "ivig", "lisraya": "brepocitinib",
}
# Medicines that are not knowledge-base therapies but go in ``other_medicines``.
OTHER_MEDICINES = {"statin": "statin", "atorvastatin": "statin", "simvastatin": "statin",
                   "rosuvastatin": "statin", "pravastatin": "statin", "allopurinol": "allopurinol",
                   "febuxostat": "febuxostat", "co-trimoxazole": "co_trimoxazole",
                   "cotrimoxazole": "co_trimoxazole", "co_trimoxazole": "co_trimoxazole",
                   "rifampicin": "rifampicin", "rifampin": "rifampicin"}


def therapy_id_problems(therapies: list[str | None], kb: KnowledgeBase
                        ) -> list[tuple[str, str]]:
    """One problem per unknown therapy id, with the nearest valid ids suggested (``None``
    entries are left to the schema's own error)."""
    problems = []
    for index, therapy in enumerate(therapies):
        if therapy is None or therapy in kb.therapies:
            continue
        if therapy.lower() in OTHER_MEDICINES:
            problems.append((f"treatments.{index}.therapy",
                             f"{therapy!r} is not a myositis therapy: record it as "
                             f"other_medicines: [{OTHER_MEDICINES[therapy.lower()]}]"))
            continue
        near = difflib.get_close_matches(therapy.lower(), list(kb.therapies), n=3, cutoff=0.5)
        if therapy.lower() in ABBREVIATIONS:
            near = [ABBREVIATIONS[therapy.lower()], *near]
        hint = f"; did you mean {', '.join(dict.fromkeys(near))}?" if near else \
            "; see `myositis kb list therapies`"
        problems.append((f"treatments.{index}.therapy", f"unknown therapy {therapy!r}{hint}"))
    return problems


GC_DOSE_UNITS = ("mg/day", "mg/kg/day")


def check_therapy_ids(record: PatientRecord, kb: KnowledgeBase) -> None:
    """Unknown therapy ids (``"MTX"``) are refused with the nearest valid ids suggested, and a
    glucocorticoid dose in a unit the dose-over-time rules cannot read is refused too."""
    ids: list[str | None] = [t.therapy for t in record.treatments]
    problems = therapy_id_problems(ids, kb)
    for index, t in enumerate(record.treatments):
        if t.therapy == "glucocorticoids_oral" and t.dose_unit is not None \
                and t.dose_unit not in GC_DOSE_UNITS:
            problems.append((f"treatments.{index}.dose_unit",
                             f"oral glucocorticoid dose must be in {' or '.join(GC_DOSE_UNITS)} "
                             f"(prednisone equivalent), not {t.dose_unit}"))
        if t.dose_unit == "mg/kg/day" and t.therapy == "glucocorticoids_oral" \
                and record.weight_kg is None:
            problems.append(("weight_kg", "needed to read a glucocorticoid dose in mg/kg/day"))
    if problems:
        raise InputError(problems)


def _non_drug(kb: KnowledgeBase, phenotype_list: list[str]) -> list[CareItem]:
    items = []
    for item_id in NON_DRUG_ITEMS:
        item = kb.guidance_item(item_id)
        applies = set(item.applies_to)
        if "iim" in applies or applies & set(phenotype_list):
            items.append(CareItem(id=item.id, title=item.title, text=item.statement,
                                  evidence_level=item.evidence_level,
                                  citations=list(item.sources)))
    return items


def _cited_keys(plan: CarePlan) -> set[str]:
    keys: set[str] = set()
    keys.update(plan.cancer_screening.citations)
    for group in (plan.flags, plan.do_now, plan.shared_checks, plan.monitoring, plan.non_drug):
        for entry in group:
            keys.update(entry.citations)
    for item in plan.workup:
        keys.update(item.citations)
    for option in plan.options:
        keys.update(option.citations)
        for caution in option.cautions:
            keys.update(caution.citations)
        for check in (*option.before_starting, *option.monitoring):
            keys.update(check.citations)
    for withheld in (*plan.withheld, *plan.not_recommended):
        keys.update(withheld.citations)
    return keys


def _history(record: PatientRecord) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in record.treatments:
        outcome = t.outcome
        if t.reason_stopped == "inefficacy" or t.response == "none":
            outcome = "ineffective"
        elif t.reason_stopped == "adverse_event":
            outcome = "not_tolerated"
        out[t.therapy] = outcome
    return out


GLUCOCORTICOIDS = regimens.GLUCOCORTICOIDS


def _failed_but_current(record: PatientRecord, current: frozenset[str]) -> dict[str, str]:
    """Drugs taken now (no stop date) whose recorded outcome is failure: the approach asks
    for the stop to be made and recorded; their monitoring continues until then."""
    # the recorded outcome only (a "no response yet" two weeks in is not a failure), and never
    # a glucocorticoid, which is tapered, not stopped (H102)
    open_courses = [t for t in record.treatments if t.start is not None and t.stop is None]
    working = {t.therapy for t in open_courses
               if t.outcome not in ("ineffective", "not_tolerated")}
    stated = {t.therapy: t.outcome for t in open_courses
              if t.outcome in ("ineffective", "not_tolerated") and t.therapy not in working}
    return {t: f"recorded as {stated[t].replace('_', ' ')} with no stop date; stop it and "
               "record the date, or correct the outcome"
            for t in current if t in stated and t not in GLUCOCORTICOIDS}


def _held(selection: Selection, taken_now: list[Firing]) -> dict[str, str]:
    """Therapies not to continue: withheld or not recommended among the options, and any drug
    taken now that a withhold rule applies to (a teratogen while conception is planned, say),
    even when the state offers no new option for it."""
    held = {w.therapy: w.reason.split(";")[0]
            for w in (*selection.withheld, *selection.not_recommended)}
    for f in taken_now:
        if f.action == "withhold" and f.therapy:
            held.setdefault(f.therapy, f.text.split(";")[0])
    return held


def _pulses_in_progress(regimens: list[Regimen], current: frozenset[str],
                        kb: KnowledgeBase, swallow_unsafe: bool = False) -> list[Regimen]:
    """IV methylprednisolone pulses already running are completed, and the oral dose that
    follows them is named, rather than proposed as a new start (specialist review V: day 3 of
    pulses in anti-MDA5 RP-ILD, with no oral dose after them)."""
    pulse = kb.therapies.get("methylprednisolone_iv_pulse")
    if pulse is None or "methylprednisolone_iv_pulse" not in current:
        return regimens
    then = (f"Complete the {pulse.name} (taken now), then "
            + ("prednisolone 0.5-1 mg/kg/day (usually 40-60 mg/day) by feeding tube, or the IV "
               "methylprednisolone equivalent, while swallowing is unsafe"
               if swallow_unsafe else
               "oral prednisolone 0.5-1 mg/kg/day (usually 40-60 mg/day) as the regimen "
               "requires"))
    out = []
    for regimen in regimens:
        # 'continue' a 3-day course is to complete it and name the oral dose after it
        # (specialist review I: "Continue and optimise pulses" with no oral glucocorticoid)
        first = [then if pulse.name in entry and not entry.startswith(("Stop", "Hold", "Review"))
                 else entry for entry in regimen.first_choice]
        first = list(dict.fromkeys(first))
        out.append(regimen.model_copy(update={"first_choice": first}))
    return out


def _uncovered(options: list[Option], kb: KnowledgeBase, fired: set[str]) -> list[Option]:
    """The options without the cautions that a patient-level action fired now, or a stronger
    caution on the same option, says in full (the caution's rule names it in `covered_by`; a
    curated therapy caution is no rule)."""
    covers = {r.id: set(r.covered_by) for r in kb.rules.rules if r.covered_by}
    return [o.model_copy(update={"cautions": [
        c for c in o.cautions
        if not (fired | {d.condition for d in o.cautions}) & covers.get(c.condition, set())]})
        for o in options]


def _optimisation_steps(record: PatientRecord, current: frozenset[str],
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


DEFERRED = "once the diagnosis is confirmed: "


HELD_TODAY = {"tacrolimus_toxicity": "tacrolimus"}
ESCALATION_DO_NOW = frozenset({"jdm_target_missed_first_line", "jdm_target_missed_on_second_line",
                               "jdm_target_missed_pregnant"})
"""Do-now lines that push a new agent: left out while the diagnosis is re-examined."""
"""Do-now rules that hold a drug today; the approach then says 'hold', never 'continue'."""

NOT_CLASSIFIED_WHY = ("the 2017 EULAR/ACR criteria do not classify this as myositis, and a "
                      "dystrophy or metabolic myopathy does not respond to immunosuppression")
SERONEGATIVE_IMNM_WHY = ("an antibody-negative necrotising myopathy that has not responded is a "
                         "muscular dystrophy (dysferlin, FKRP, sarcoglycans, the DMD gene in a "
                         "boy) until shown otherwise, and a dystrophy does not respond to "
                         "immunosuppression")


def _diagnosis_before_escalation(regimens: list[Regimen],
                                 why: str = NOT_CLASSIFIED_WHY) -> list[Regimen]:
    """A 'polymyositis' that the 2017 criteria do not classify as myositis (or only with a
    biopsy not yet done) and that does not
    respond: no new agent until the diagnosis is re-examined; the escalation waits among the
    alternatives (specialist review K: rituximab first, HSCT and cyclophosphamide offered, for
    a 16-year-old with calf weakness and CK 45 x ULN, most likely a dystrophy)."""
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle":
            out.append(regimen)
            continue
        kept = [e for e in regimen.first_choice if e.startswith(KEPT) or "(taken now" in e]
        new = [e for e in regimen.first_choice if e not in kept]
        # no 'partner of the new agent' while no new agent is started (re-score of review K)
        kept = [e.replace("keep it only as the partner of the new agent, or stop it",
                          "whether to stop it is part of the diagnostic review")
                # a glucocorticoid that never helped is withdrawn, not 'tapered as the
                # response allows' (specialist review O: five years without a response)
                .replace("tapering as the response allows",
                         "tapering towards withdrawal (no adequate response; adrenal precautions "
                         "after long use)") for e in kept]
        lead = ("Re-examine the diagnosis before any new agent: " + why
                + " - biopsy review with dystrophy and metabolic "
                "stains, muscle MRI of the thighs and calves (the pattern points to the gene: "
                "posterior calf involvement to dysferlin), genetic testing (the DMD gene and a "
                "limb-girdle panel), the Pompe enzyme, an echocardiogram, no heavy eccentric "
                "exercise, and no suxamethonium or volatile anaesthetics until a dystrophy is "
                "excluded")
        deferred = [*new, *regimen.alternatives][:4]
        out.append(regimen.model_copy(update={
            "first_choice": [lead, *kept],
            "alternatives": [DEFERRED + " or ".join(deferred)] if deferred else [],
            "decision_point": "The diagnostic review (biopsy review with dystrophy and metabolic "
                              "stains, genetic testing, the Pompe enzyme) decides whether "
                              "immunosuppression continues at all."}))
    return out


def _first_choice_therapies(plan: CarePlan) -> set[str]:
    """Therapy ids a regimen names as its first choice (pulses bring the oral glucocorticoid
    that follows them)."""
    named = {o.therapy for g in plan.regimens for e in g.first_choice for o in plan.options
             if o.name in e}
    if "methylprednisolone_iv_pulse" in named:
        named.add("glucocorticoids_oral")
    return named


def _regimen_therapies(plan: CarePlan, current: frozenset[str]) -> list[str]:
    """Therapy ids the recommended approach starts, in the order it names them: never one
    taken now (an induction range printed beside "continue" reads as a dose to go back to);
    IV methylprednisolone pulses bring the oral glucocorticoid that follows them."""
    # an escalation deferred until the diagnosis is confirmed gets no dose yet (re-score of
    # review K: a rituximab dose worked out beside 're-examine the diagnosis first')
    entries = [e for g in plan.regimens for e in (*g.first_choice, *g.alternatives)
               if not e.startswith(KEPT) and not e.startswith(DEFERRED)]
    named = [o.therapy for e in entries for o in plan.options if o.name in e
             and o.therapy not in current]
    if "methylprednisolone_iv_pulse" in named and "glucocorticoids_oral" not in current:
        named.insert(named.index("methylprednisolone_iv_pulse") + 1, "glucocorticoids_oral")
    return list(dict.fromkeys(named))


MARROW_OR_LIVER_TOXIC = frozenset({"azathioprine", "methotrexate", "mycophenolate", "leflunomide",
                                   "tacrolimus", "ciclosporin"})


def _bloods_overdue(record: PatientRecord, plan: CarePlan, kb: KnowledgeBase,
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


CANCER_WINDOW_MONTHS = 36
KIDNEY_BONE_RULES = frozenset({"bone_medication_kidney", "bone_protection_kidney_failure"})
"""Do-now rules that stop a bisphosphonate taken now (a possible renal crisis stops only the
intravenous one, which its own rule says)."""
SKIN_CATEGORIES = {"antimalarial", "topical"}


def _name_every_current_drug(regimens: list[Regimen], current: frozenset[str],
                             kb: KnowledgeBase, stopping: frozenset[str] | set[str] = frozenset(),
                             not_working: frozenset[str] | set[str] = frozenset(),
                             stop_for: dict[str, str] | None = None) -> list[Regimen]:
    """Every knowledge-base drug taken now appears in the approach, so none disappears
    silently (specialist review Q: methotrexate taken with IVIG was neither continued nor
    stopped; review R: hydroxychloroquine in skin remission). A drug not yet named is added as
    'Continue' to the skin regimen for skin drugs, else to the first regimen."""
    if not regimens:
        return regimens
    said = " ".join(e for r in regimens for e in (*r.first_choice, *r.alternatives,
                                                  r.decision_point)).lower()
    # the topical agent names the systemic one in brackets: that is not the systemic drug
    # said (specialist review Q: tacrolimus taken now left out of the approach)
    for topical in ("topical_calcineurin_inhibitors", "topical_corticosteroids"):
        if topical in kb.therapies:
            said = said.replace(kb.therapies[topical].name.lower(), "")
    lung_active = any(r.domain == "lung" and r.state in ("new_onset", "active", "flare",
                                                         "inadequate_response")
                      for r in regimens)
    out = list(regimens)
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None or therapy.category in ("non_drug", "procedure") \
                or therapy.name.lower() in said:
            continue
        if therapy.category == "glucocorticoid" and ("taper glucocorticoids" in said
                                                      or "continue glucocorticoids" in said
                                                      or "then oral prednisolone" in said):
            continue  # the regimen already says what to do with it (specialist review V)
        skin_drug = therapy.category in SKIN_CATEGORIES
        index = next((i for i, r in enumerate(out) if r.domain == "skin"), 0) if skin_drug else 0
        target = out[index]
        if therapy_id in (stop_for or {}):
            # stopped by a do-now rule about the patient (kidney function and a bisphosphonate
            # taken for osteoporosis; review W: "its prescriber decides" beside "no
            # bisphosphonate now")
            line = f"Stop {therapy.name} (taken now): {(stop_for or {})[therapy_id]}"
        elif therapy_id in stopping:
            # withheld or not recommended for this patient (glucocorticoids in IBM): never
            # "continue" (re-score of review Q)
            line = (f"Taper {therapy.name} to stop (taken now; see the withheld list)"
                    if therapy.category == "glucocorticoid"
                    else f"Stop {therapy.name} (taken now; see the withheld list)")
        elif therapy.category == "glucocorticoid" and lung_active:
            # no taper while the lung is active (review D: 'lowest effective dose, tapering'
            # beside a failing RP-ILD regimen)
            line = (f"Continue {therapy.name} at the dose the lung regimen sets (taken now; no "
                    "taper while the lung is active)")
        elif therapy.category == "glucocorticoid":
            line = (f"Continue {therapy.name} at the lowest effective dose, tapering as the "
                    "response allows (taken now)")
        elif therapy.category == "calcinosis_agent" and not any(
                r.domain == "calcinosis" for r in out):
            # taken for another reason (colchicine for gout): not a myositis treatment to
            # continue in the muscle regimen (specialist review Z)
            line = (f"{therapy.name} is taken now for another reason: not a myositis "
                    "treatment; its prescriber decides")
        elif therapy_id in not_working:
            # taken for 12 weeks or more without an adequate response (the state says so):
            # 'continue' with no reason reads as an oversight (specialist review U)
            line = (f"{therapy.name} (taken now, without an adequate response): keep it only "
                    "as the partner of the new agent, or stop it")
        else:
            line = f"Continue {therapy.name} (taken now)"
        out[index] = target.model_copy(update={"first_choice": [*target.first_choice, line]})
        said += " " + therapy.name.lower()
    return out


def _without_moot_dose_lines(actions: list[Action], kb: KnowledgeBase,
                             stopped: set[str]) -> list[Action]:
    """Leave out the dose adjustments of drugs this plan stops (rules marked
    ``dose_adjustment``): 'lower methotrexate to 12.5 mg/week and recheck in 4 weeks' beside
    'stop methotrexate' reads as 'keep it' (specialist review O: IBM with eGFR 31 and falling
    and white cells 3.4)."""
    rules = {r.id: r for r in kb.rules.rules}

    def moot(action: Action) -> bool:
        rule = rules.get(action.kb_entry or "")
        return (rule is not None and rule.dose_adjustment and bool(action.therapies)
                and set(action.therapies) <= stopped)
    return [a for a in actions if not moot(a)]


def build_care_plan(record: PatientRecord, kb: KnowledgeBase | None = None) -> CarePlan:
    """The deterministic plan for one record; every line names its knowledge-base entry."""
    kb = kb or load()
    check_therapy_ids(record, kb)
    record = record.with_visit_enzymes()  # a visit's CK may be in the dated lab series
    settled_rp_ild = record.settled_rp_ild_episode()
    record = record.with_settled_rp_ild()  # an undated tick does not outrank a dated recovery
    classification = classify(record.classification)
    diagnosis = decide(record, classification)
    phenotypes = diagnosis.phenotypes
    state = disease_state(record, kb, phenotypes)
    present = find_complications(record, phenotypes, state)
    muscle_state = state.of("muscle")
    treat = not diagnosis.unclassified or diagnosis.provisional
    planned = {t.id for t in kb.therapies.values() for u in t.uses
               if treat and u.recommended and use_matches(u, phenotypes, present, muscle_state)}
    facts = fact_rules.compute(record, kb, planned, phenotypes, muscle_state)
    facts["ibm_against_diagnosis"] = diagnosis.ibm_against_diagnosis
    facts["rp_ild_tick_settled"] = settled_rp_ild
    facts["lung_state"] = state.of("lung")
    facts["skin_state"] = state.of("skin")
    screening = cancer_screening(record, kb, phenotypes, classified=not diagnosis.unclassified,
                                 pregnant=facts.get("pregnant") is True)
    # high IMACS risk inside the 3-year window is "increased risk of cancer" for the JAK-class
    # warning (specialist review S: brepocitinib led a plan with overdue re-screening)
    facts["cancer_risk_high_in_window"] = bool(
        screening.applicable and screening.risk == "high"
        and record.months_since_onset <= CANCER_WINDOW_MONTHS)
    # the EMA 2022 risk groups counted, so that several together can keep JAK inhibitors for a
    # last resort (specialist review E: offered at 67 with a past clot and breast cancer)
    age = facts.get("age_years")
    facts["jak_risk_count"] = sum(1 for present in (
        isinstance(age, (int, float)) and age >= 65, facts.get("cardiovascular_risk") is True,
        facts.get("thrombosis_history") is True,
        facts.get("active_cancer") is True or facts.get("past_cancer") is True
        or facts["cancer_risk_high_in_window"], facts.get("smoking") is True) if present)
    # induction glucocorticoids the plan proposes (a new onset or a flare), not yet taken at
    # 15 mg/day or more: PJP prophylaxis is planned with them (review H: three
    # immunosuppressants proposed together with no PJP line, since the dose rules read the
    # dose taken now)
    gc_now = facts.get("gc_mg_day")
    facts["induction_glucocorticoids_planned"] = (
        "glucocorticoids_oral" in planned
        and (muscle_state in ("new_onset", "flare") or state.of("lung") in ("new_onset", "flare")
             # active with none taken: the approach adds one (specialist review O)
             or (muscle_state == "active" and not gc_now))
        and not (isinstance(gc_now, (int, float)) and gc_now >= 15))
    started = {m for f in patient_firings(kb, facts) if not f.unknown for m in f.rule.starts}
    if started:
        # a medicine this plan starts (co-trimoxazole for PJP) meets its own interaction rules
        # (`started_by_plan`): the plan checks what it recommends
        facts["started_by_plan"] = frozenset(started)
    selection = select_options(kb, facts, phenotypes if treat else [], present, muscle_state,
                               _history(record), provisional=diagnosis.provisional)
    # the teratogens 'proposed' are those the plan still offers after its own withholding,
    # not every use that matched (specialist review X: contraception asked for cyclophosphamide
    # that was neither taken nor proposed, and for mycophenolate the plan had withheld)
    # with every domain quiet nothing new is started, so only what is taken counts (specialist
    # review L: a tofacitinib pregnancy warning for a girl off all treatment in remission)
    quiet = all(d.state in ("remission", "stable", "not_involved") for d in state.domains)
    teratogens = fact_rules.teratogen_names(
        kb, exposure.current_therapies(record)
        | (set() if quiet else {o.therapy for o in selection.options}))
    facts["teratogens"] = frozenset(teratogens)
    facts["teratogen_current_or_planned"] = bool(teratogens)
    flags = flag_rules.flags(record, kb, phenotypes,
                             muscle_involved=state.of("muscle") != "not_involved")
    patient_level = patient_firings(kb, facts)
    taken_now = current_therapy_firings(kb, facts)
    # a drug held or stopped now (withhold) also covers the softer patient-level advice on the
    # same finding (review U: "hold immunoglobulin" and "look for haemolysis before the next
    # course" both printed)
    fired = {f.rule.id for f in patient_level} | {f.rule.id for f in taken_now
                                                  if f.action in ("do_now", "withhold")}
    firings = [f for f in patient_level if not fired & set(f.rule.covered_by)] + [
        as_action(f, kb) for f in taken_now if not fired & set(f.rule.covered_by)
    ] + [f for f in selection.do_now if not fired & set(f.rule.covered_by)]
    current = exposure.current_therapies(record)
    # an option's caution gives way to the patient-level action that says it in full
    # (`covered_by`), as the actions do
    options: list[Option] = _uncovered(selection.options, kb, fired)
    explanation = list(diagnosis.explanation)
    plan = CarePlan(
        patient_id=record.id,
        label=record.label,
        generated_on=record.on(),
        classification=classification,
        phenotypes=phenotypes,
        flags=flags,
        workup=missing_workup(record, kb, classification, phenotypes),
        cancer_screening=screening,
        options=options,
        withheld=selection.withheld,
        not_recommended=selection.not_recommended,
        non_drug=_non_drug(kb, phenotypes) if treat else [],
        sources={},
        knowledge_base_version=max(t.last_reviewed for t in kb.therapies.values()).isoformat(),
        do_now=summary.do_now(flags, firings, screening, kb, state,
                              child=record.age_years() < 18,
                              organ_threatening=facts.get("organ_threatening") is True),
        state=state,
        diagnosis=DiagnosisView(followed=diagnosis.followed, provisional=diagnosis.provisional,
                                criteria=diagnosis.criteria, explanation=explanation,
                                mimics_to_exclude=MIMICS if diagnosis.unclassified
                                and "immune_checkpoint_inhibitor" not in record.other_medicines
                                else []),
        regimens=regimens.regimens(
            state, options, phenotypes, present, current, kb, diagnosis.provisional,
            held={**_failed_but_current(record, current), **_held(selection, taken_now)},
            review={f.therapy: regimens.KEEP + (f.rule.title if f.rule.title[1:2].isupper()
                                   else f.rule.title[0].lower() + f.rule.title[1:])
                    if f.rule.when_taken == "continue" else regimens.headline(f.text)
                    # a rule that questions the drug wins over one that keeps it (review T:
                    # 'continue' for alcohol hid 'review' for alcohol with a liver ALT)
                    for f in sorted(taken_now, key=lambda f: f.rule.when_taken == "review")
                    if f.therapy and f.action == "caution"},
            gc_now=gc if isinstance(gc := facts.get("gc_mg_day"), float | int) else None,
            gc_free_months=free if isinstance(free := facts.get("gc_free_months"),
                                              float | int) else None,
            pregnant=facts.get("pregnant") is True,
            infection=any(f.rule.id in summary.INFECTION_RULES for f in firings),
            weight_kg=record.weight_kg, child=record.age_years() < 18,
            thiopurine=tp if isinstance(tp := facts.get("thiopurine_metabolism"), str) else None,
            withheld_ids=frozenset(w.therapy for w in selection.withheld),
            steps=_optimisation_steps(record, current, facts),
            # the maternal 'keep steady through pregnancy and breastfeeding' is hers: a man
            # planning to father a child has his own paternal advice (specialist review R)
            planning_conception=facts.get("planning_conception") is True
            and facts.get("childbearing_potential") is not False,
            no_new_agent=any(f.rule.id == "low_igg_with_infections_on_immunosuppression"
                             and not f.unknown for f in firings)
            or any(f.rule.id == "high_infection_risk_on_treatment" for f in taken_now))
        if treat else [],
        shared_checks=checks.shared_checks(options, kb, record),
        monitoring=monitoring.monitoring(record, current, kb, state,
                                      held=frozenset(_held(selection, taken_now)),
                                      reviewing=frozenset(
                                          f.therapy for f in taken_now if f.therapy
                                          and f.action == "caution"
                                          and f.rule.when_taken == "review"
                                          and f.rule.severity in ("urgent", "high")),
                                      complications=frozenset(present),
                                      phenotypes=tuple(phenotypes),
                                      kidney_failure=kidney_failure(facts),
                                      urgent_open=any(f.urgency == "urgent" for f in flags)
                                      or any(f.rule.severity == "urgent" and not f.unknown
                                             for f in firings),
                                      review_weeks=min(
                                          (monitoring.EARLY_REVIEW_WEEKS[f.rule.id]
                                           for f in firings if not f.unknown
                                           and f.rule.id in monitoring.EARLY_REVIEW_WEEKS),
                                          default=None)),
        unknowns=summary.unknowns(
            facts, record, bool(facts.get("immunosuppression_planned_or_current")),
            thiopurine_offered=any(o.therapy == "azathioprine" for o in options)),
        inputs_used=summary.inputs_used(record, facts, phenotypes),
    )
    if facts.get("subgroups") and "imnm" in phenotypes and facts.get("anti_srp") is False \
            and facts.get("anti_hmgcr") is False:
        # antibody-negative necrotising myopathy: treatment is provisional until a dystrophy
        # is excluded, as the do-now line says (re-score of review T)
        plan.regimens = [r.model_copy(update={"provisional": True}) if r.domain == "muscle"
                         else r for r in plan.regimens]
    plan.regimens = _pulses_in_progress(
        plan.regimens, current, kb, swallow_unsafe=record.organs.dysphagia == "severe")
    if treat and "asys" in phenotypes and record.systemic.arthritis \
            and state.of("muscle") == "not_involved" \
            and state.of("lung") in ("not_involved", "stable", "remission") \
            and not any(r.domain == "joints" for r in plan.regimens):
        gc_value = facts.get("gc_mg_day")
        # ILD known only from an HRCT on the record: an unticked box is not a normal scan
        lung_known = record.lung is not None and record.lung.hrct_pattern is not None
        plan.regimens.append(regimens.joint_regimen(
            gc_value if isinstance(gc_value, float | int) and gc_value > 0 else None,
            (record.lung.shows_ild() or record.systemic.interstitial_lung_disease)
            if lung_known and record.lung is not None else
            (True if record.systemic.interstitial_lung_disease else None),
            kb.therapies["glucocorticoids_oral"].name))
    stopping = ({w.therapy for w in (*plan.withheld, *plan.not_recommended)}
                | set(_held(selection, taken_now))
                | set(_failed_but_current(record, current))
                | (set(kb.group_members("immunosuppressive")) | set(GLUCOCORTICOIDS)
                   if "ibm" in phenotypes else set()))
    plan.do_now = _without_moot_dose_lines(plan.do_now, kb, stopping & current)
    plan.regimens = _name_every_current_drug(
        plan.regimens, current, kb,
        stopping=stopping,
        not_working=set(state.steroid_sparing_failed) if state is not None else set(),
        stop_for={"bisphosphonates": "kidney function (see Do now)"}
        if KIDNEY_BONE_RULES & {a.code for a in plan.do_now} else None)
    for code, therapy_id in HELD_TODAY.items():
        # a drug a do-now line holds today is not 'continued' in the approach (specialist
        # review T: 'withhold tacrolimus today' beside 'Continue Tacrolimus' for muscle and lung)
        if code in {a.code for a in plan.do_now} and therapy_id in kb.therapies:
            name = kb.therapies[therapy_id].name
            plan.regimens = [r.model_copy(update={"first_choice": [
                f"Hold {name} today (see Do now); restart at a lower dose once the level and "
                "kidney function recover" if e.startswith((f"Continue {name}",
                                                            f"Continue and optimise {name}",
                                                            f"Review {name}")) else e
                for e in r.first_choice]}) for r in plan.regimens]
    gc_failed = any(t.therapy in GLUCOCORTICOIDS and t.outcome == "ineffective"
                    for t in record.treatments)
    if {"pm", "jdm", "dm"} & set(phenotypes) \
            and classification.category in ("not_iim", "biopsy_required") \
            and not record.skin.any_dm_hallmark() \
            and (state.of("muscle") in ("inadequate_response", "flare")
                 or (state.of("muscle") == "active" and gc_failed)):
        # a label the criteria do not support, with no rash, that glucocorticoids did not
        # help: a dystrophy or metabolic myopathy until shown otherwise (specialist review M:
        # a rash-free boy 'JDM', CK 67 x ULN, given methotrexate and more prednisolone)
        plan.regimens = _diagnosis_before_escalation(plan.regimens)
    elif "imnm" in phenotypes and facts.get("anti_srp") is False \
            and facts.get("anti_hmgcr") is False \
            and (state.of("muscle") in ("inadequate_response", "flare")
                 or (state.of("muscle") == "active" and gc_failed)):
        # seronegative IMNM failing treatment: a dystrophy first (specialist review S: first
        # choice rituximab for a boy with falling CMAS, an MHC-I-negative necrotising biopsy
        # and three failed drugs)
        plan.regimens = _diagnosis_before_escalation(plan.regimens, SERONEGATIVE_IMNM_WHY)
    if any(e.startswith("Re-examine the diagnosis before any new agent")
           for r in plan.regimens for e in r.first_choice):
        # no new agent anywhere while the diagnosis is re-examined (specialist review T: 'switch
        # to mycophenolate' and 'add a second-line agent' beside 're-examine the diagnosis')
        plan.regimens = [r.model_copy(update={"first_choice": [
            "whether to replace it waits for the diagnostic review (no new agent before it)"
            if e.startswith("switch to ") else e for e in r.first_choice]})
            for r in plan.regimens]
        plan.do_now = [a for a in plan.do_now if a.code not in ESCALATION_DO_NOW]
    # pre-treatment checks and missing tests for what the approach names or the patient
    # takes, not for every option in the detail (a TPMT prompt with no azathioprine proposed)
    proposed = set(_regimen_therapies(plan, current)) | set(current)
    plan.shared_checks = checks.shared_checks(
        [o for o in plan.options if o.therapy in proposed], kb, record)
    if "azathioprine" not in proposed:
        plan.unknowns = [u for u in plan.unknowns if not u.endswith("(before azathioprine)")]
    if "tacrolimus_toxicity" in {a.code for a in plan.do_now}:
        # the monitoring date follows the urgent line (review B: next trough a week away
        # beside 'within 24-72 hours')
        name = kb.therapies["tacrolimus"].name
        soon = (record.on() + dt.timedelta(days=3)).isoformat()
        for item in plan.monitoring:
            if item.therapy == name:
                item.next_due = (f"by {soon} (withheld for toxicity: trough, creatinine and "
                                 "potassium within 24-72 hours)")
    overdue = _bloods_overdue(record, plan, kb, current)
    if overdue:
        plan.do_now.append(Action(
            code="drug_monitoring_overdue", urgency="soon",
            text=("Blood monitoring overdue or never recorded for " + ", ".join(overdue)
                  + " (taken for more than 3 months): blood count, liver tests and creatinine "
                  "now, then at the interval in the monitoring table."),
            therapies=[t for t in sorted(current) if kb.therapies[t].name in overdue],
            kb_entry="monitoring", citations=["ledingham2017_bsr_dmard"]))
    if any(f.startswith("Stop " + kb.therapies["hydroxychloroquine"].name)
           for r in plan.regimens for f in r.first_choice):
        # a drug being stopped needs no dose reduction (review D: "reduce to 290 mg/day"
        # beside "Stop Hydroxychloroquine")
        plan.do_now = [a for a in plan.do_now
                       if a.code != "hydroxychloroquine_dose_above_5mg_kg"]
    # a do-now line that names a drug stops or holds it, unless it only adjusts it (a
    # `dose_adjustment` rule such as co-trimoxazole beside methotrexate)
    adjusting = {r.id for r in kb.rules.rules if r.dose_adjustment}
    stopping_now = {t for a in plan.do_now if a.kb_entry not in adjusting
                    for t in a.therapies} | (stopping & current)
    for therapy_id, text, sources in above_limit(record, kb, current):
        if therapy_id not in stopping_now:  # a stop already said wins over a lower dose
            plan.do_now.append(Action(code=f"dose_above_limit_{therapy_id}", urgency="soon",
                                      text=text, therapies=[therapy_id], kb_entry="doses",
                                      citations=sources))
    plan.doses, undosed = doses_for(record, kb, _regimen_therapies(plan, current))
    plan.doses = current_dose_checks(
        record, kb, current, controlled=state.of("muscle") in ("stable", "remission")
    ) + plan.doses
    # a drug taken now that the plan holds or stops gets no dose line (review E: 'at most
    # 0.75 mg/kg/day here' beside 'hold azathioprine' in a neutropenia)
    not_continued = set(_held(selection, taken_now)) & current
    plan.doses = [d for d in plan.doses if d.therapy not in not_continued]
    if state.of("muscle") == "flare" and record.age_years() >= 18:
        # adults only: a child's flare goes back to 1-2 mg/kg/day (the approach says so)
        for line in plan.doses:
            if line.therapy == "glucocorticoids_oral":
                # the curated range is the induction dose (specialist review Y: 60 mg/day
                # printed for a mild flare after stopping treatment)
                line.text = ("induction range - a moderate flare usually needs about half "
                             "of it (see the approach): " + line.text)
    if facts.get("thiopurine_metabolism") == "normal":
        for line in plan.doses:
            if line.therapy == "azathioprine":
                # the genotype is known: no request for it beside the dose (review A)
                line.text = line.text.replace("start lower and adjust by TPMT/NUDT15",
                                              "TPMT and NUDT15 recorded normal")
    for line in plan.doses:
        # the worked range is the curated one: say beside it what this patient's cautions
        # change (a reduced eGFR, an interaction), so the number is not read on its own
        option = next((o for o in plan.options if o.therapy == line.therapy), None)
        concerns = [c.text.split(";")[0].rstrip(".") for c in (option.cautions if option else [])
                    if c.severity in ("absolute", "high", "moderate")]
        if concerns:
            line.text += "; adjust for this patient: " + "; ".join(dict.fromkeys(concerns))
    first = _first_choice_therapies(plan)
    for line in plan.doses:
        line.first_choice = line.therapy in first or line.therapy in current
    if undosed:
        what = "weight" if record.weight_kg is None else "height"
        plan.unknowns.append(f"{what} (to work out doses of {', '.join(undosed)})")
    plan.sources = {
        key: Citation(key=key, citation=kb.sources[key].citation,
                      identifiers=kb.sources[key].identifiers(),
                      confirmed=kb.sources[key].confirmed)
        for key in sorted(_cited_keys(plan))
    }
    return plan

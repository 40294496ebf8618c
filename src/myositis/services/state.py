"""Disease state from the record, per domain (muscle, skin, lung), not from a snapshot.

States: ``new_onset`` (no immunosuppression yet), ``active`` (active on treatment),
``inadequate_response``, ``remission``, ``flare``, ``not_involved`` and ``unknown``. The
definitions are data (:data:`DEFINITIONS`) and every state carries the facts it rests on, so a
clinician can see why and correct the input. Response is measured with the 2016 ACR/EULAR TIS and
the 2004 IMACS DOI against the previous visit as well as against baseline; a flare is the IMACS
2005 worsening definition against the previous visit.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from myositis.domain.criteria.imacs_worsening import compare, confirmed_deterioration
from myositis.domain.instruments import imacs_doi_2004, response_2016
from myositis.domain.labs import Enzyme
from myositis.domain.patient import Visit
from myositis.domain.record import PatientRecord
from myositis.errors import MyositisError
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.lab_trends import fvc_fall_points, lung_function_decline
from myositis.services.glucocorticoid_dependence import glucocorticoid_dependent
from myositis.services.muscle_activity import (
    core_set_input,
    enzymes_at,
    flare_to_confirm,
    inactive,
    measures,
    muscle_chronic_plateau,
    muscle_enzymes,
    muscle_low_activity,
    muscle_measured_recently,
    muscle_quiet,
    muscle_steady_while_extramuscular_active,
    muscle_strong_enzymes_near_normal,
    muscle_strong_with_steady_ck,
    named_as_measured,
    paired,
    strength_scores,
)
from myositis.services.muscle_trend import (
    STEROID_SPARING_CATEGORIES,
    ck_rising,
    floor_only,
    globals_and_function_only,
    globals_only,
    long_partial_response,
    lung_disease_recorded,
    muscle_improving,
    muscle_worse,
    steroid_myopathy_possible,
    strength_fell,
)

HYPOMYOPATHIC = ("hypomyopathic - untreated, with full strength and muscle enzymes near normal: a "
                 "muscle MRI looks for subclinical myositis, and the skin sets the treatment "
                 "until it shows active myositis (")
StateName = Literal["new_onset", "active", "stable", "inadequate_response", "remission",
                    "flare", "not_involved", "unknown"]
Domain = Literal["muscle", "skin", "lung"]

DEFINITIONS: dict[str, str] = {
    "new_onset": "no immunosuppressive treatment started yet",
    "active": "active disease on treatment, without the criteria for inadequate response",
    "stable": "controlled on treatment (for the lung: ILD recorded as stable on treatment)",
    "inadequate_response": "still active after glucocorticoids plus at least two steroid-sparing "
                           "agents (each stopped for inefficacy, or given for 12 weeks or more), "
                           "or marked by the clinician as persistently active despite adequate "
                           "treatment; judged per domain",
    "remission": "inactive (physician global 1 cm or less, no elevated enzyme recorded) at every "
                 "visit over at least 6 months (project definition after the IMACS concept of "
                 "6 months without activity on or off treatment; not a validated criterion)",
    "flare": "the latest visit meets the IMACS 2005 definition of worsening against the previous "
             "visit (rule text unconfirmed; see the criteria notes)",
    "not_involved": "no finding in this domain recorded",
    "unknown": "not enough data recorded to judge",
}
SKIN_ONLY = {"hydroxychloroquine", "topical_corticosteroids", "topical_calcineurin_inhibitors",
             "dapsone", "apremilast"}
ADEQUATE_WEEKS = 12
REMISSION_MONTHS = 6
LUNG_AGENT_ADEQUATE_WEEKS = 24
MUSCLE_UNMEASURED = ("no muscle data recorded (strength, CK or other enzymes): examine strength "
                     "(MMT-8, sit-to-stand, neck flexors) and measure CK, aldolase, LDH and the "
                     "transaminases before the muscle is treated")
MUSCLE_NOT_RECENT = ("no strength score and no CK or aldolase in the last 3 months: examine "
                     "strength (MMT-8) and measure CK before the muscle treatment is changed")
MUSCLE_ENZYMES_QUIET = ("on treatment with a complete response recorded and the muscle enzymes "
                        "normal at the last results; strength not scored: confirm with an MMT-8 "
                        "at this visit")
MUSCLE_STRENGTH_UNSCORED = ("on treatment with the muscle enzymes normal at the last results and "
                            "no strength score: examine strength (MMT-8, sit-to-stand, neck "
                            "flexors) before the muscle treatment is changed")
MUSCLE_RECENT_DAYS = 92
STEROID_MYOPATHY = "steroid myopathy or a flare"
"""How the state names weakness that may come from the glucocorticoid (the regimen reads it)."""
JDM_TARGET_MONTHS = 6
"""In JDM, enzymes still falling count as 'improving' only in the first 6 months (treat to
target: inactive disease within 12 months, intensify early)."""
FVC_ESCALATION_POINTS = 10.0
LUNG_STABLE_VALID_DAYS = 92
"""A lung recorded as stable counts against new chest symptoms for 3 months after the
assessment (the window the anti-MDA5 lung warning already uses)."""
"""An FVC fall of 10 points of predicted or more (the ATS/ERS/JRS/ALAT 2022 physiological
threshold that needs no other criterion) makes a lung on treatment 'inadequate response'; a
smaller fall stays 'active, reassess' until HRCT confirms it (re-score of specialist review Q)."""


MUSCLE_NORMAL = ("strength at the top of its scale and muscle enzymes normal, untreated: "
                 "skin-predominant disease - strength and enzymes at each visit, and the muscle "
                 "treated if they change")


def strength_words(visit: Visit) -> str:
    """The strength scores as recorded (review Z13b: 'strength at the scale maximum' printed
    for MMT-8 75/80 beside CMAS 48/52)."""
    return strength_scores(visit) + " (inactive-range strength)"


def jdm_plateau(record: PatientRecord, visits: list[Visit]) -> str | None:
    """No gain between the last two visits 6 weeks or more apart, with the muscle still active:
    CMAS up by 1 or less (or MMT-8 by 2 or less on 80, 4 on 150), physician global not down by
    1 cm, and clearly active strength (CMAS 42 or less, MMT-8 below 85 %). None otherwise, or with
    missed doses (then the drug is restored first)."""
    if len(visits) < 2 or any(t.adherence in ("partial", "poor") for t in record.treatments):
        return None
    before, last = visits[-2], visits[-1]
    if (last.date - before.date).days < 42:
        return None
    a, b = before.core_set, last.core_set
    gain: float
    if a.cmas is not None and b.cmas is not None:
        gain, active, words = b.cmas - a.cmas, b.cmas <= 42, f"CMAS {a.cmas:g} to {b.cmas:g}"
        flat = gain <= 1
    elif a.mmt8 is not None and b.mmt8 is not None:
        step = 2 if b.mmt_max == 80 else 4
        gain, active = b.mmt8 - a.mmt8, b.mmt8 < 0.85 * b.mmt_max
        words, flat = f"MMT-8 {a.mmt8:g} to {b.mmt8:g}/{b.mmt_max}", gain <= step
    else:
        return None
    pga_down = (a.physician_global is not None and b.physician_global is not None
                and a.physician_global - b.physician_global >= 1)
    if not (flat and active) or pga_down:
        return None
    return (f"no gain on treatment ({words}, {before.date} to {last.date}), 12 weeks or more "
            "in: below the treat-to-target course - escalate with the expert centre, and an MRI "
            "where weakness persists with a normal CK (steroid myopathy or damage)")


def muscle_strength_normal(visit: Visit) -> bool:
    """MMT-8 at 95 % of its maximum or more, or CMAS 48/52 or more, and neither below."""
    scores = []
    if visit.core_set.mmt8 is not None:
        scores.append(visit.core_set.mmt8 >= 0.95 * visit.core_set.mmt_max)
    if visit.core_set.cmas is not None:
        scores.append(visit.core_set.cmas >= 48)
    return bool(scores) and all(scores)


class DomainState(BaseModel):
    domain: Domain
    state: StateName
    basis: list[str] = Field(default_factory=list)
    since: dt.date | None = Field(default=None, description="first visit of the current "
                                  "remission (remission only)")
    to_confirm: bool = Field(default=False, description="a mild flare at full strength that "
                             "repeat measures confirm before any treatment change (flare only)")


class ResponseView(BaseModel):
    """A response score labelled with the visits it compares (principle 5)."""

    measure: str
    value: float | None
    category: str | None
    compared: str


class DiseaseState(BaseModel):
    overall: StateName
    domains: list[DomainState]
    responses: list[ResponseView] = Field(default_factory=list)
    worsening_vs_previous: str | None = None
    latest_visit: dt.date | None = None
    steroid_sparing_failed: list[str] = Field(default_factory=list)
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))

    def of(self, domain: Domain) -> StateName:
        return next(d.state for d in self.domains if d.domain == domain)


def responses(record: PatientRecord) -> list[ResponseView]:
    population: response_2016.Population = (
        "juvenile" if record.classification.age_at_onset < 18 else "adult")
    record = record.with_visit_enzymes()
    complete = [(v, cs) for v in record.visits if (cs := core_set_input(v)) is not None]
    out: list[ResponseView] = []
    if len(complete) < 2:
        return out
    (base_v, base), (prev_v, prev), (last_v, last) = complete[0], complete[-2], complete[-1]
    pairs = [("baseline", base_v, base)]
    if prev_v is not base_v:
        pairs.append(("previous visit", prev_v, prev))
    for label, visit, core_set in pairs:
        compared = f"{last_v.date} vs {label} {visit.date}"
        try:
            tis = response_2016.total_improvement_score(core_set, last, population)
            out.append(ResponseView(measure="TIS (2016 ACR/EULAR)",
                                    value=tis.total_improvement_score, category=tis.category,
                                    compared=compared))
            doi = imacs_doi_2004.definition_of_improvement(core_set, last)
            out.append(ResponseView(measure="IMACS DOI (2004)", value=None,
                                    category=doi.category, compared=compared))
        except (ValueError, MyositisError):
            continue
    if last_v is not record.visits[-1]:
        out.append(ResponseView(
            measure="note", value=None, category=None,
            compared=f"latest visit {record.visits[-1].date} lacks a complete core set; "
                     f"scores above use {last_v.date}"))
    return out


TACROLIMUS_TROUGH_LOW = 5.0
"""ng/mL: the lower end of the 5-10 ng/mL trough used in myositis lung disease (Takada 2020)."""


def under_dosed_tacrolimus(record: PatientRecord, start: dt.date | None) -> bool:
    """Troughs recorded since the course started, and none of them in range."""
    troughs = [r.value for r in record.lab_results if r.analyte == "tacrolimus_trough"
               and (start is None or r.date >= start)]
    return bool(troughs) and max(troughs) < TACROLIMUS_TROUGH_LOW


def _failed_steroid_sparing(record: PatientRecord, kb: KnowledgeBase,
                            domain: Domain) -> list[str]:
    today = record.on()
    failed = []
    for t in record.treatments:
        therapy = kb.therapies.get(t.therapy)
        if therapy is None or therapy.category not in STEROID_SPARING_CATEGORIES:
            continue
        if domain == "muscle" and t.therapy in SKIN_ONLY:
            continue
        # 'no response' counts once the drug has had time to work (specialist review Z21c P2:
        # mycophenolate called failed 20 days after it started)
        stopped_for_inefficacy = t.reason_stopped == "inefficacy" or t.outcome == "ineffective"
        # a partial response is not failure (specialist review: a drug with a major TIS
        # response was called failed); no response after an adequate time is
        long_enough = t.start is not None and ((t.stop or today) - t.start).days \
            >= ADEQUATE_WEEKS * 7 and t.response == "none"
        # a mild reaction is mitigated and re-challenged, not a failure (specialist review U:
        # methotrexate dropped for nausea in a child, ciclosporin made first choice)
        mild = t.reason_stopped == "adverse_event" and t.reaction_severity == "mild"
        if t.therapy == "tacrolimus" and t.stop is None and under_dosed_tacrolimus(record, t.start):
            # a level never in range is an under-dosed drug, not a failed one (specialist
            # review Z5c: 'tacrolimus failed' in RP-ILD with every trough below 5 ng/mL)
            continue
        # stopped for a reaction that was not mild is intolerance, whichever field says it
        # (specialist review Z12d: azathioprine hepatitis recorded as reason_stopped only)
        intolerant = (t.outcome == "not_tolerated" or t.reason_stopped == "adverse_event") \
            and not mild
        if intolerant and therapy.category == "immunoglobulin" \
                and t.response in ("complete", "partial") and t.reaction_severity != "severe":
            # immunoglobulin that worked and caused a manageable reaction (fluid overload, a
            # headache) is re-offered split, slower or subcutaneous, not counted as failed
            # (specialist review Z23b P6: 'a flare after two steroid-sparing agents failed'
            # after IVIG with a complete response stopped for fluid overload on dialysis)
            continue
        if stopped_for_inefficacy or long_enough or intolerant:
            failed.append(t.therapy)
    return sorted(set(failed))


def treated_for_weeks(record: PatientRecord, therapies: set[str]) -> float:
    """Weeks since the first of these therapies started (0 when none has a start date)."""
    starts = [t.start for t in record.treatments if t.therapy in therapies and t.start]
    return (record.on() - min(starts)).days / 7 if starts else 0.0


SYSTEMIC_SKIN = ("antimalarial", "conventional_immunosuppressant", "immunoglobulin",
                 "jak_inhibitor", "biologic")


def _systemic_skin_agents_for_3_months(record: PatientRecord, kb: KnowledgeBase) -> list[str]:
    """Systemic agents taken now (no stop) that started 12 weeks or more before the plan date."""
    today = record.on()
    return sorted({t.therapy.replace("_", " ") for t in record.treatments
                   if t.stop is None and t.start is not None
                   and (today - t.start).days >= 84 and t.therapy in kb.therapies
                   and kb.therapies[t.therapy].category in SYSTEMIC_SKIN})


def _on_treatment_now(record: PatientRecord) -> bool:
    """A dated course started and not stopped by the plan date."""
    today = record.on()
    return any(t.start is not None and t.start <= today and (t.stop is None or t.stop > today)
               and t.reason_stopped is None for t in record.treatments)


MMT_WEAK_FRACTION = 0.97
"""An MMT-8 of 78/80 or more is not muscle involvement on its own in ILD-predominant or
amyopathic disease: a one- or two-grade deficit is within examiner variation (project choice,
specialist review R: anti-PL-12 ILD with MMT-8 79/80 and a normal CK given a muscle regimen)."""
MILD_CDASI = 14  # CDASI activity below 14: mild skin disease (Anyanwu et al. 2015)
MINIMAL_CDASI = 5
"""CDASI activity below 5 on treatment is read as stable: a project choice from specialist
review Q (December 2026); no published cut-off for minimal activity was found."""


def skin_recorded_quiet(record: PatientRecord) -> bool:
    """DM skin signs explicitly recorded absent and an extramuscular global of 0 at the latest
    visit: inactive skin without a CDASI score (review A), as the state and the plan's list of
    unknowns both read it."""
    latest = record.visits[-1] if record.visits else None
    return (record.skin.hallmarks_recorded_absent() and latest is not None
            and latest.core_set is not None and latest.core_set.extramuscular_global == 0)


def measured(visit: Visit) -> bool:
    """The visit recorded a core-set measure, a skin score or a muscle enzyme."""
    return bool(visit.core_set.model_dump(exclude_none=True, exclude={"mmt_max"})) \
        or visit.cdasi_activity is not None or bool(visit.labs.enzymes)


def disease_state(record: PatientRecord, kb: KnowledgeBase, phenotypes: list[str]
                  ) -> DiseaseState:
    record = record.with_visit_enzymes()  # a visit's CK may be in the dated lab series
    # IVIG is disease treatment too: IMNM maintained on IVIG is not "untreated" (review S)
    immunosuppressive = set(kb.group_members("immunosuppressive")) | set(
        kb.group_members("immunoglobulin_group"))
    # methotrexate and hydroxychloroquine do not treat ILD: a lung worse on them has not failed
    # an ILD agent (specialist review Z14b P5: rituximab first for NSIP on methotrexate alone)
    lung_agents = immunosuppressive - set(kb.group_members("glucocorticoid_group")) \
        - {"methotrexate", "hydroxychloroquine", "leflunomide"}
    treated = any(t.therapy in immunosuppressive for t in record.treatments) or any(
        (v.glucocorticoid_mg_per_day or 0) > 0 for v in record.visits)
    # a visit that measured nothing (a dose change, a note) says nothing about activity: the
    # state is read from the visits that measured something (specialist review Z44d P5: a
    # remission called 'active' because the last visit only recorded prednisolone stopping)
    visits = [v for v in record.visits if measured(v)] or record.visits
    worsening = elsewhere = None
    if len(visits) >= 2 and "ibm" not in phenotypes:  # IBM progresses; no flare state
        result = compare(*paired(visits[-2], visits[-1]))
        # worsening makes a muscle flare only with muscle evidence: clause A (MMT), or clause
        # C counting MMT or an enzyme. Globals and HAQ worse beside an extramuscular rise
        # (clause B) with strength and enzymes steady is the lung or skin worsening (H91)
        weaker = strength_fell(visits[-2], visits[-1])
        muscle_evidence = muscle_worse(result, measures(visits[-1])) or bool(weaker)
        extramuscular = any(r.startswith("B:") for r in result.reasons)
        # with full strength and normal muscle enzymes at the latest visit, worse globals are
        # the skin or another organ, not a muscle flare to re-escalate glucocorticoids for
        quiet = muscle_quiet(visits[-1], record) or muscle_strong_enzymes_near_normal(
            visits[-1], record) is not None
        if result.met and floor_only(*paired(visits[-2], visits[-1]),
                                     result) is None:
            compared = (f"{visits[-1].date} vs {visits[-2].date}: " + "; ".join(
                [*(named_as_measured(r, visits[-1]) for r in result.reasons), *weaker]))
            if muscle_evidence or not (extramuscular or quiet or globals_only(result) or (
                    lung_disease_recorded(record) and globals_and_function_only(result))):
                worsening = compared
            else:
                elsewhere = compared
    recent = [v for v in visits
              if (visits[-1].date - v.date).days <= REMISSION_MONTHS * 30.4375 + 31] \
        if visits else []
    # visits booked "six months apart" land a few days either side: two weeks of tolerance
    span_ok = bool(visits) and (visits[-1].date - visits[0].date).days >= \
        REMISSION_MONTHS * 30.4375 - 14 and len(recent) >= 2
    inactive_all = span_ok and all(inactive(v, record) for v in recent)
    if not inactive_all and len(visits) >= 2:
        # visits far apart: the last two inactive visits 6 to 18 months apart also show
        # sustained inactivity (a yearly review of a patient in remission)
        gap = (visits[-1].date - visits[-2].date).days
        inactive_all = REMISSION_MONTHS * 30.4375 <= gap <= 18 * 30.4375 \
            and bool(inactive(visits[-1], record)) and bool(inactive(visits[-2], record))
    failed = _failed_steroid_sparing(record, kb, "muscle")
    gc_tried = any(kb.therapies.get(t.therapy) is not None
                   and kb.therapies[t.therapy].category == "glucocorticoid"
                   for t in record.treatments) or any(
        (v.glucocorticoid_mg_per_day or 0) > 0 for v in visits)

    # the skin counts as treated when an antimalarial or topical agent is recorded too
    skin_treated = treated or any(
        kb.therapies[t.therapy].category in ("antimalarial", "topical")
        for t in record.treatments if t.therapy in kb.therapies)

    steroid_note = steroid_myopathy_possible(record, visits[-2], visits[-1]) \
        if worsening and len(visits) >= 2 else None
    # weaker without the worsening criteria, enzymes normal, on long high-dose glucocorticoids:
    # the same question before anything is added (specialist review V)
    weaker_note = steroid_myopathy_possible(record, visits[-2], visits[-1]) \
        if not worsening and len(visits) >= 2 and strength_fell(visits[-2], visits[-1]) \
        else None

    # the muscle's freshness and a rising CK, read once for every domain judged
    measured_recently = muscle_measured_recently(record, MUSCLE_RECENT_DAYS)
    rising = ck_rising(record)

    dependent = glucocorticoid_dependent(record, kb) if "ibm" not in phenotypes else None

    def judge(domain: Domain, failed_here: list[str], clinician_flag: bool) -> DomainState:
        if worsening and domain == "muscle" and treated and steroid_note:
            return DomainState(domain=domain, state="active", basis=[worsening, steroid_note])
        if worsening and domain == "muscle" and treated:
            # the header says what the plan does with it (specialist review Z65c P7: 'State:
            # muscle flare' above 'confirm before treating')
            return DomainState(domain=domain, state="flare", basis=[worsening],
                               to_confirm=flare_to_confirm(record))
        if worsening and domain == "muscle":
            return DomainState(domain=domain, state="new_onset", basis=[
                "no immunosuppressive treatment recorded", f"worse before treatment: "
                f"{worsening}"])
        if inactive_all and domain == "muscle":
            trailing = 0
            for v in reversed(visits):
                if not inactive(v, record):
                    break
                trailing += 1
            since = visits[-trailing].date
            return DomainState(domain=domain, state="remission", since=since, basis=[
                f"inactive at the last {trailing} visits, {since} to {visits[-1].date}"])
        if clinician_flag:
            return DomainState(domain=domain, state="inadequate_response",
                               basis=["marked by the clinician as active despite adequate "
                                      "treatment"])
        if dependent is not None and domain == "muscle":
            return DomainState(domain=domain, state="inadequate_response", basis=[dependent])
        if domain == "muscle" and treated and visits and muscle_quiet(visits[-1], record):
            return DomainState(domain=domain, state="stable", basis=[
                f"muscle inactive at the latest visit ({visits[-1].date}: "
                f"{strength_words(visits[-1])}, enzymes normal); remission once this holds "
                "for 6 months"])
        low = (muscle_low_activity(visits[-1], record)
               if domain == "muscle" and treated and visits else None)
        if low is not None and len(failed_here) < 2:
            return DomainState(domain=domain, state="stable", basis=[low])
        steady = (muscle_steady_while_extramuscular_active(visits, record)
                  if domain == "muscle" and treated else None) or (
            muscle_strong_enzymes_near_normal(visits[-1], record)
            if domain == "muscle" and treated and visits and len(failed_here) < 2 else None)
        if steady is None and domain == "muscle" and treated and len(failed_here) < 2:
            steady = muscle_strong_with_steady_ck(visits, record) \
                or muscle_chronic_plateau(visits, record)
        if steady is not None:
            return DomainState(domain=domain, state="stable", basis=[steady])
        hypomyopathic = (muscle_strong_enzymes_near_normal(visits[-1], record)
                         if domain == "muscle" and not treated and visits
                         and not any(record.classification.weakness.model_dump().values())
                         else None)
        if hypomyopathic is not None:
            # full strength with enzymes at most 1.5 x ULN before treatment: the skin sets
            # the treatment and an MRI looks for subclinical myositis (specialist review Z18c
            # P4: full induction for a 12-year-old with CMAS 52/52 and aldolase 1.25 x ULN)
            return DomainState(domain=domain, state="not_involved", basis=[
                HYPOMYOPATHIC + hypomyopathic.split("(", 1)[1].split(")")[0] + ")"])
        if not (skin_treated if domain == "skin" else treated):
            return DomainState(domain=domain, state="new_onset",
                               basis=["no immunosuppressive treatment recorded"])
        if domain == "muscle" and treated and weaker_note:
            return DomainState(domain=domain, state="active", basis=[
                "on treatment", weaker_note] + ([f"{', '.join(failed_here)} failed before: "
                                                 "damage is likely too"]
                                                if failed_here else []))
        if len(failed_here) >= 2:
            basis = [f"{', '.join(failed_here)} failed (inefficacy, intolerance or 12 weeks "
                     "without adequate response)"]
            if not gc_tried and domain == "muscle":
                basis.append("no glucocorticoid course recorded: check the history")
            return DomainState(domain=domain, state="inadequate_response", basis=basis)
        long_partial = long_partial_response(record, kb, "jdm" in phenotypes) \
            if domain == "muscle" else None
        if long_partial is not None:
            return DomainState(domain=domain, state="inadequate_response", basis=[long_partial])
        if domain == "muscle" and not rising and not measured_recently:
            # a remote review with old results: the muscle is assessed before its treatment is
            # changed, not called active by default (specialist review U: 'add prednisolone
            # 39-60 mg' on bloods 6.5 months old and no examination)
            return DomainState(domain=domain, state="unknown", basis=[MUSCLE_NOT_RECENT])
        if domain == "muscle" and treated and not rising and enzymes_normal and not (
                visits and (visits[-1].core_set.mmt8 is not None
                            or visits[-1].core_set.cmas is not None)):
            # on treatment with the muscle enzymes normal and no strength score at the latest
            # visit: not 'active' by default, which escalated a recorded complete response
            # (specialist review Z31h P1, P2, P7, P8 and Z31f P2: 'continue and optimise the
            # glucocorticoid + add IVIG' for a CK of 80; review Z45c P8: remission since 2021,
            # the latest visit measuring CK 96 only)
            if any(t.stop is None and (t.response == "complete" or t.outcome == "effective")
                   for t in record.treatments):
                return DomainState(domain=domain, state="stable", basis=[MUSCLE_ENZYMES_QUIET])
            if not any(v.core_set.mmt8 is not None or v.core_set.cmas is not None
                       for v in visits):
                return DomainState(domain=domain, state="unknown",
                                   basis=[MUSCLE_STRENGTH_UNSCORED])
        # on a steroid-sparing agent for 12 weeks: without one the second line opens first
        sparing_now = any(
            t.therapy in immunosuppressive - set(kb.group_members("glucocorticoid_group"))
            and t.stop is None and t.start is not None
            and (record.on() - t.start).days >= 84 for t in record.treatments)
        plateau = jdm_plateau(record, visits) if domain == "muscle" and "jdm" in phenotypes \
            and sparing_now else None
        if plateau is not None:
            # JDM treat-to-target: no gain over 6 weeks or more, 12 weeks into treatment, is an
            # inadequate response whatever the index against baseline says (specialist review
            # Z15b P4: CMAS 31 to 30 and skin 21 to 20 at 5 months, 'continue and optimise')
            return DomainState(domain=domain, state="inadequate_response", basis=[plateau])
        basis = ["on treatment"] + ([rising] if domain == "muscle" and rising
                                    and not measured_recently else [])
        improving = muscle_improving(record) if domain == "muscle" else None
        if improving and improving.startswith("still improving on the enzymes") \
                and "jdm" in phenotypes and record.months_since_onset >= JDM_TARGET_MONTHS:
            # JDM treat-to-target: a falling CK still above normal 6 months in is not a reason
            # to wait 3 more months (specialist review W: CK 2.8 x ULN at 10 months with
            # ulcerating calcinosis, 'reassess within 3 months')
            improving = None
        if improving is not None:
            basis.append(improving)
        if len(failed_here) == 1:
            # 'not tolerated' is not 'failed' in what the clinician reads (review C: methotrexate
            # stopped for a raised ALT was called failed)
            intolerant = any(t.therapy == failed_here[0] and t.outcome == "not_tolerated"
                             for t in record.treatments)
            basis.append(f"{failed_here[0]} {'not tolerated' if intolerant else 'failed'}: "
                         "switch or add a second steroid-sparing agent before calling the "
                         "disease refractory")
        return DomainState(domain=domain, state="active", basis=basis)

    domains: list[DomainState] = []
    weak = record.classification.weakness
    amyopathic_only = bool(phenotypes) and set(phenotypes) <= {"adm", "dm"} and "adm" in phenotypes
    ild_only_asys = "asys" in phenotypes and len(set(phenotypes) - {"overlap"}) == 1
    # LDH and the transaminases also rise with lung and liver disease: in amyopathic or
    # ILD-only disease only weakness, CK or aldolase count as muscle involvement.
    muscle_enzyme = any(result.elevated for enzyme, result in record.labs.enzymes.items()
                        if enzyme in (Enzyme.CK, Enzyme.ALDOLASE))
    muscle_findings = any(weak.model_dump().values()) or muscle_enzyme or (
        record.classification.elevated_muscle_enzymes and not record.labs.enzymes) \
        or any(v.core_set.mmt8 is not None
               and v.core_set.mmt8 < v.core_set.mmt_max * MMT_WEAK_FRACTION for v in visits)
    muscle_involved = muscle_findings or not (amyopathic_only or ild_only_asys)
    # nothing recorded about the muscle at all (no weakness, no enzyme anywhere, no strength
    # score): its state is unknown and it is assessed before it is treated (specialist review
    # R: a 72-year-old with heart failure given IVIG and more prednisolone on a DM label alone)
    muscle_unmeasured = not muscle_findings and not record.labs.enzymes \
        and not any(r.analyte in ("ck", "aldolase", "ldh", "ast", "alt")
                    for r in record.lab_results) \
        and not any(v.labs.enzymes or v.core_set.mmt8 is not None or v.core_set.cmas is not None
                    for v in visits) \
        and not record.classification.elevated_muscle_enzymes
    # untreated, with strength at the top of its scale and the muscle enzymes normal:
    # skin-predominant (hypomyopathic) disease, not a muscle to induce (specialist review
    # Z13b: prednisolone 1-2 mg/kg/day for a 5-year-old with CMAS 50/52, MMT-8 80/80 and a
    # normal CK, on hydroxychloroquine)
    dated_enzymes = [lab for lab in (record.latest_lab("ck"), record.latest_lab("aldolase"))
                     if lab is not None]
    visit_enzymes = muscle_enzymes(enzymes_at(visits[-1], record)) if visits else {}
    enzymes_normal = (bool(dated_enzymes) and all(
        lab.uln is not None and lab.value <= lab.uln for lab in dated_enzymes)) or (
        not dated_enzymes and bool(visit_enzymes)
        and not any(r.elevated for r in visit_enzymes.values()))
    muscle_measured_normal = not muscle_findings and not muscle_unmeasured and not treated \
        and bool(visits) and muscle_strength_normal(visits[-1]) and enzymes_normal
    if "ibm" in phenotypes:
        domains.append(DomainState(domain="muscle", state="active", basis=[
            "inclusion body myositis: progressive; immunosuppression not indicated"]))
    else:
        domains.append(DomainState(domain="muscle", state="unknown", basis=[
            MUSCLE_UNMEASURED]) if muscle_involved and muscle_unmeasured
                       else DomainState(domain="muscle", state="not_involved", basis=[
                           MUSCLE_NORMAL]) if muscle_measured_normal
                       else judge("muscle", failed, record.persistent_high_activity)
                       if muscle_involved
                       else DomainState(domain="muscle", state="not_involved"))
    skin_involved = bool({"dm", "adm", "jdm"} & set(phenotypes)) or \
        record.skin.any_dm_hallmark()
    # Systemic agents that failed for muscle say nothing about the skin unless the skin is
    # recorded as still active (clinician flag or a CDASI activity score at the latest visit).
    cdasi = next((v.cdasi_activity for v in reversed(visits) if v.cdasi_activity is not None),
                 None)
    skin_failed = _failed_steroid_sparing(record, kb, "skin") if cdasi else []
    recent_cdasi = [v.cdasi_activity for v in recent if v.cdasi_activity is not None]
    if skin_involved and recent_cdasi and all(c == 0 for c in recent_cdasi) \
            and not record.skin_refractory:
        domains.append(DomainState(domain="skin", state="remission", basis=[
            f"CDASI activity 0 at {len(recent_cdasi)} recent visit(s)"]))
    elif skin_involved and cdasi == 0 and not record.skin_refractory:
        # no activity at the latest visit: a historical sign (photosensitivity) does not make
        # the skin active (specialist review M, December 2026)
        domains.append(DomainState(domain="skin", state="stable", basis=[
            "skin inactive at the latest visit (CDASI activity 0); remission once this holds "
            "for 6 months"]))
    elif skin_involved and cdasi is not None and cdasi < MINIMAL_CDASI \
            and _on_treatment_now(record) and not record.skin_refractory:
        # a trace of activity on treatment is not a reason to add a skin drug (specialist
        # review Q: hydroxychloroquine started at CDASI activity 1 in remission)
        domains.append(DomainState(domain="skin", state="stable", basis=[
            f"minimal skin activity on treatment (CDASI activity {cdasi:g}, below "
            f"{MINIMAL_CDASI}): continue, no new skin agent"]))
    elif skin_involved and cdasi is not None and cdasi < MINIMAL_CDASI and not skin_failed \
            and not record.skin_refractory:
        # off treatment a trace of activity (or calcinosis, which is damage) is no reason to
        # start a skin drug (specialist review P: hydroxychloroquine for CDASI 2 and calcinosis)
        domains.append(DomainState(domain="skin", state="stable", basis=[
            f"minimal skin activity off treatment (CDASI activity {cdasi:g}, below "
            f"{MINIMAL_CDASI}): photoprotection, no skin drug unless it rises; calcinosis is "
            "damage, judged on its own"]))
    elif skin_involved and cdasi is not None and cdasi < MILD_CDASI and skin_failed \
            and not record.skin_refractory:
        # agents that failed years ago do not make mild skin activity refractory (H99)
        domains.append(DomainState(domain="skin", state="active", basis=[
            f"mild skin activity (CDASI activity {cdasi:g}, below {MILD_CDASI}); "
            "systemic escalation for the skin only if it is marked refractory"]))
    elif skin_involved and cdasi is None and skin_recorded_quiet(record) \
            and not record.skin_refractory:
        # signs recorded absent with a zero extramuscular global are an inactive skin, not an
        # unscored one (review A: hydroxychloroquine and topical steroids proposed for it)
        domains.append(DomainState(domain="skin", state="stable", basis=[
            "skin signs recorded absent and extramuscular global 0 at the latest visit "
            "(a CDASI score would confirm it)"]))
    elif skin_involved:
        skin = judge("skin", skin_failed, record.skin_refractory)
        on_two = _systemic_skin_agents_for_3_months(record, kb)
        scored = [v.cdasi_activity for v in visits if v.cdasi_activity is not None]
        # mild and still improving on them is a response under way, not a refractory skin
        # (specialist review Z72d P2, dangerous: IVIG first choice for CDASI 14 to 10 at 71,
        # eGFR 38, an active cancer and a urinary infection)
        mild_improving = cdasi is not None and cdasi < MILD_CDASI and len(scored) >= 2 \
            and scored[-1] < scored[-2]
        if skin.state == "active" and mild_improving and len(on_two) >= 2:
            skin = skin.model_copy(update={"basis": [
                f"mild skin activity improving (CDASI activity {scored[-2]:g} to {cdasi:g}) on "
                f"{' and '.join(on_two)}: continue them, with photoprotection and topical "
                "treatment; refractory-skin options only if it stops improving"]})
        elif skin.state == "active" and cdasi is not None and cdasi >= MINIMAL_CDASI \
                and len(on_two) >= 2:
            # active on two systemic agents taken for 3 months or more: the decision point's
            # own 'refractory-skin options' (specialist review Z13b P3: JDM skin active on
            # methotrexate for 6 years and hydroxychloroquine for 2, with calcinosis growing)
            skin = DomainState(domain="skin", state="inadequate_response", basis=[
                f"skin active (CDASI activity {cdasi:g}) on {' and '.join(on_two)} for 3 "
                "months or more: refractory-skin options"])
        if skin.state == "active" and cdasi is None and visits \
                and not record.skin.any_dm_hallmark():
            # signs recorded absent are said as such (specialist review Z23c P8: 'no skin sign
            # recorded' beside heliotrope and Gottron recorded absent); without a score or an
            # extramuscular global the whole skin is still examined before it is called quiet
            skin = skin.model_copy(update={"basis": [
                "not scored: heliotrope and Gottron recorded absent, but no CDASI or "
                "extramuscular global - examine the whole skin (scalp, V and shawl areas, nail "
                "folds) and score it before calling it inactive"
                if record.skin.hallmarks_recorded_absent() else
                "not scored: no CDASI or skin sign recorded, so treated as active "
                "until assessed"]})
        domains.append(skin)
    else:
        domains.append(DomainState(domain="skin", state="not_involved"))
    if elsewhere is not None and domains[-1].state in ("active", "inadequate_response"):
        domains[-1] = domains[-1].model_copy(update={"basis": [
            *domains[-1].basis, f"worse against the previous visit in the global or "
            f"extramuscular scores, not in the muscle ({elsewhere}): the skin or another organ, "
            f"not a muscle flare"]})
    lung = record.lung
    ild = record.systemic.interstitial_lung_disease or \
        record.systemic.rapidly_progressive_ild_suspected or (
            lung is not None and lung.shows_ild())
    if not ild:
        domains.append(DomainState(domain="lung", state="not_involved"))
    elif lung is not None and lung.course in ("progressive", "rapidly_progressive") \
            and treated_for_weeks(record, lung_agents) >= 4:
        domains.append(DomainState(domain="lung", state="inadequate_response",
                                   basis=[f"ILD {lung.course.replace('_', ' ')} on treatment"]))
    elif lung is not None and lung.course == "progressive" \
            and treated_for_weeks(record, immunosuppressive) >= 4:
        # glucocorticoids alone are not an ILD treatment that failed (review W: SSc-overlap ILD
        # progressing on prednisolone alone was sent to rituximab before mycophenolate)
        domains.append(DomainState(domain="lung", state="active", basis=[
            "ILD progressive without an ILD agent (glucocorticoids, or methotrexate, alone): a "
            "steroid-sparing ILD agent has not yet been tried"]))
    elif lung is not None and lung.course == "stable" and treated \
            and isinstance(fall := lung_function_decline(record), str) \
            and (fvc_fall_points(record) or 0.0) >= FVC_ESCALATION_POINTS \
            and treated_for_weeks(record, lung_agents) >= LUNG_AGENT_ADEQUATE_WEEKS:
        # an FVC fall; a DLCO fall alone has a wider differential (pulmonary hypertension,
        # anaemia) and stays 'active, reassess' (review U)
        # the fall came on a steroid-sparing lung agent taken for 6 months or more: progression
        # on treatment, escalated rather than continued (specialist review Q: FVC 79 to 64 %
        # on mycophenolate for three years, 'first choice mycophenolate')
        domains.append(DomainState(domain="lung", state="inadequate_response", basis=[
            f"recorded as stable, but lung function fell ({fall}) after 6 months or more on a "
            "steroid-sparing lung agent: progression on treatment - confirm with HRCT and "
            "exclude pulmonary hypertension, infection and respiratory-muscle weakness"]))
    elif lung is not None and lung.course == "stable" and treated \
            and isinstance(fall := lung_function_decline(record), str):
        # recorded stable while the dated series falls (review U: DLCO 48 to 38 % with
        # suspected pulmonary hypertension called 'stable', next review in 4 months)
        domains.append(DomainState(domain="lung", state="active", basis=[
            f"recorded as stable, but lung function fell ({fall}): reassess the lung (ILD "
            "progression, pulmonary hypertension, infection, respiratory muscles)"]))
    elif lung is not None and lung.course == "stable" and treated \
            and record.systemic.dyspnoea_or_cough \
            and (lung.date is None or (record.on() - lung.date).days > LUNG_STABLE_VALID_DAYS):
        # 'stable' from an assessment months old does not outrank breathlessness or cough now
        # (specialist review U: new breathlessness on mycophenolate with lymphocytes 0.6, lung
        # 'stable' from lung function 14 months old)
        since = f" on {lung.date.isoformat()}" if lung.date else " (undated)"
        domains.append(DomainState(domain="lung", state="active", basis=[
            f"recorded as stable{since}, but breathless or coughing now: reassess the lung "
            "(ILD progression, infection including PJP, drug pneumonitis, pulmonary embolism, "
            "heart) before any change"]))
    elif lung is not None and lung.course == "stable" and treated \
            and not record.systemic.rapidly_progressive_ild_suspected:
        # an explicit suspicion of RP-ILD now outranks an older 'stable' entry (specialist
        # review F: a child's new cough, desaturation and rising ferritin read as stable)
        domains.append(DomainState(domain="lung", state="stable",
                                   basis=["ILD recorded as stable on treatment"]))
    else:
        domains.append(judge("lung", [], False).model_copy(update={"domain": "lung"}))
    order = ["flare", "inadequate_response", "new_onset", "active", "stable", "remission",
             "unknown", "not_involved"]
    overall = min((d.state for d in domains), key=order.index)
    views = responses(record)
    if inactive_all and views:
        # in remission the TIS only measures noise around zero: the note replaces the scores
        views = [ResponseView(measure="note", value=None, category=None,
                                  compared="inactive at the visits compared: improvement "
                                           "indices are not meaningful in remission")]
    elif views and ("ibm" in phenotypes or not treated):
        # the TIS and DOI measure response to treatment in IIM trials: for IBM, or before any
        # treatment, they read as a treatment response that did not happen (review X)
        views = [ResponseView(measure="note", value=None, category=None,
                              compared="improvement indices are not shown: "
                                       + ("IBM is outside the response criteria" if "ibm"
                                          in phenotypes else "no treatment recorded yet"))]
    return DiseaseState(overall=overall, domains=domains, responses=views,
                        worsening_vs_previous=worsening,
                        latest_visit=visits[-1].date if visits else None,
                        steroid_sparing_failed=failed)


__all__ = ["DEFINITIONS", "DiseaseState", "DomainState", "confirmed_deterioration",
           "disease_state"]

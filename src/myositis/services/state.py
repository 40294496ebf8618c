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
import re
from typing import Literal

from pydantic import BaseModel, Field

from myositis.domain.criteria.imacs_worsening import Measures, compare, confirmed_deterioration
from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.instruments import imacs_doi_2004, response_2016
from myositis.domain.labs import Enzyme, EnzymeResult
from myositis.domain.patient import Visit
from myositis.domain.record import PatientRecord
from myositis.errors import MyositisError
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.lab_trends import lung_function_decline

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
STEROID_SPARING_CATEGORIES = {"conventional_immunosuppressant", "biologic", "jak_inhibitor",
                              "immunoglobulin", "anti_interferon", "cellular_therapy",
                              "complement_inhibitor", "fcrn_blocker", "antimalarial"}
SKIN_ONLY = {"hydroxychloroquine", "topical_corticosteroids", "topical_calcineurin_inhibitors",
             "dapsone", "apremilast"}
ADEQUATE_WEEKS = 12
INACTIVE_PGA_CM = 1.0
# Low activity on treatment (a project definition, not a published one): the physician's own
# global at or below 2 cm, strength within 10 % of the scale maximum and no enzyme above 1.5
# times its upper limit. Such a patient is not escalated; the plan continues and tapers.
LOW_ACTIVITY_PGA_CM = 2.0
LOW_ACTIVITY_STRENGTH = 0.9
LOW_ACTIVITY_ENZYME_X_ULN = 1.5
REMISSION_MONTHS = 6


class DomainState(BaseModel):
    domain: Domain
    state: StateName
    basis: list[str] = Field(default_factory=list)


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


def _named(reason: str, visit: Visit) -> str:
    """The criteria's field names as the clinic measured them: CHAQ and CMAS for a child
    (specialist review V: a child's flare named 'haq'), HAQ and MMT-8 otherwise."""
    cs = visit.core_set
    function = "HAQ" if cs.haq is not None else "CHAQ"
    strength = "MMT-8" if cs.mmt8 is not None else "CMAS"
    return re.sub(r"\bhaq\b", function, re.sub(r"\bmmt\b", strength, reason))


def measures(visit: Visit, muscle_only: bool = True) -> Measures:
    """The IMACS 2005 worsening measures of a visit. ``muscle_only`` (the plan's state): CK and
    aldolase when CK is measured, since a transaminase from the liver (methotrexate, alcohol)
    is not muscle worsening (specialist review S: ALT 2.5 x ULN with CK normal read as a muscle
    flare). Without it, the most abnormal of all recorded enzymes, as published (the clinic's
    visit comparison)."""
    cs = visit.core_set
    enzymes = _muscle_enzymes(visit.labs.enzymes) if muscle_only else dict(visit.labs.enzymes)
    enzyme = max(enzymes.values(), key=lambda r: r.multiple_of_uln) if enzymes else None
    mmt = cs.mmt8 if cs.mmt8 is not None else cs.cmas
    haq = cs.haq if cs.haq is not None else cs.chaq
    return Measures(physician_global=cs.physician_global, patient_global=cs.patient_global,
                    extramuscular_global=cs.extramuscular_global, mmt=mmt, haq=haq,
                    enzyme_x_uln=enzyme.multiple_of_uln if enzyme else None)


def same_strength_scale(before: Visit, after: Visit) -> bool:
    """Whether the two visits measure strength on the same scale (MMT-8 at both, or CMAS at
    both when MMT-8 is missing at one): MMT-8 80 and CMAS 52 are not a fall (specialist review
    L: 'MMT 80 to 52' for a child in remission)."""
    b, a = before.core_set, after.core_set
    if b.mmt8 is not None and a.mmt8 is not None:
        return True
    return b.mmt8 is None and a.mmt8 is None


def paired(before: Visit, after: Visit, muscle_only: bool = True) -> tuple[Measures, Measures]:
    """The worsening measures of two visits, strength left out when it was measured on
    different scales."""
    b, a = measures(before, muscle_only), measures(after, muscle_only)
    if not same_strength_scale(before, after):
        b, a = b.model_copy(update={"mmt": None}), a.model_copy(update={"mmt": None})
    return b, a


def _core_set(visit: Visit) -> response_2016.CoreSetInput | None:
    cs = visit.core_set
    try:
        return response_2016.CoreSetInput(
            physician_global=cs.physician_global, patient_global=cs.patient_global,
            extramuscular_global=cs.extramuscular_global,
            mmt8=cs.mmt8, mmt_max=cs.mmt_max, cmas=cs.cmas, haq=cs.haq, chaq=cs.chaq,
            enzymes=dict(visit.labs.enzymes))
    except (ValueError, MyositisError):
        return None


def _inactive(visit: Visit) -> bool | None:
    pga = visit.core_set.physician_global
    if pga is None:
        return None
    return pga <= INACTIVE_PGA_CM and not visit.labs.any_enzyme_elevated()


def _muscle_enzymes(enzymes: dict[Enzyme, EnzymeResult]) -> dict[Enzyme, EnzymeResult]:
    """CK and aldolase when CK is measured: the transaminases and LDH also come from the
    liver (methotrexate, alcohol) and would make a quiet muscle look active (H106)."""
    if Enzyme.CK in enzymes:
        return {e: r for e, r in enzymes.items() if e in (Enzyme.CK, Enzyme.ALDOLASE)}
    return dict(enzymes)


def muscle_quiet(visit: Visit, record: PatientRecord) -> bool:
    """Muscle inactive at this visit: strength at (or within 2.5 % of) the scale maximum, as in
    the PRINTO inactive-disease criteria (MMT-8 >= 78/80, CMAS >= 48/52), and every recorded
    muscle enzyme normal. The skin may still be active: this judges the muscle only."""
    cs = visit.core_set
    strong = (cs.mmt8 is not None and cs.mmt_max is not None
              and cs.mmt8 >= 0.975 * cs.mmt_max) or (cs.cmas is not None and cs.cmas >= 48)
    enzymes = _muscle_enzymes(visit.labs.enzymes or record.labs.enzymes)
    return strong and bool(enzymes) and not any(r.elevated for r in enzymes.values())


def muscle_low_activity(visit: Visit, record: PatientRecord) -> str | None:
    """A description of low activity at this visit, or None (see LOW_ACTIVITY_*)."""
    cs = visit.core_set
    pga = cs.physician_global
    strong = (cs.mmt8 is not None and cs.mmt_max is not None
              and cs.mmt8 >= LOW_ACTIVITY_STRENGTH * cs.mmt_max) or (
        cs.cmas is not None and cs.cmas >= LOW_ACTIVITY_STRENGTH * 52)
    enzymes = _muscle_enzymes(visit.labs.enzymes or record.labs.enzymes)
    if pga is None or pga > LOW_ACTIVITY_PGA_CM or not strong or not enzymes or any(
            r.multiple_of_uln > LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()):
        return None
    strength = f"MMT-8 {cs.mmt8:g}/{cs.mmt_max}" if cs.mmt8 is not None else f"CMAS {cs.cmas:g}"
    highest = max(r.multiple_of_uln for r in enzymes.values())
    return (f"low activity at the latest visit ({visit.date}: physician global {pga:g} cm, "
            f"{strength}, enzymes at most {highest:.2f} x ULN): continue and taper, do not "
            "escalate unless it worsens")


def muscle_strong_enzymes_near_normal(visit: Visit, record: PatientRecord) -> str | None:
    """Strength at 95 % of the maximum or more with muscle enzymes at most 1.5 x ULN: the
    muscle is not what is active, whatever the physician global (which in ILD-predominant
    disease rates the lung; specialist review N, December 2026)."""
    cs = visit.core_set
    enzymes = _muscle_enzymes(visit.labs.enzymes or record.labs.enzymes)
    if cs.mmt8 is None or cs.mmt_max is None or cs.mmt8 < 0.95 * cs.mmt_max or not enzymes \
            or any(r.multiple_of_uln > LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()):
        return None
    highest = max(r.multiple_of_uln for r in enzymes.values())
    return (f"muscle strong at the latest visit ({visit.date}: MMT-8 {cs.mmt8:g}/{cs.mmt_max}, "
            f"enzymes at most {highest:.2f} x ULN); activity elsewhere is judged in its own "
            "domain")


def muscle_steady_while_extramuscular_active(visits: list[Visit],
                                             record: PatientRecord) -> str | None:
    """Strength within 10 % of the maximum and not lower than at the previous visit, enzymes
    normal, and the extramuscular global at least as high as the physician global: the
    activity being treated is the lung's or the skin's, not the muscle's (H91)."""
    if len(visits) < 2:
        return None
    last, before = visits[-1].core_set, visits[-2].core_set
    enzymes = _muscle_enzymes(visits[-1].labs.enzymes or record.labs.enzymes)
    if (last.mmt8 is None or last.mmt_max is None or before.mmt8 is None
            or last.extramuscular_global is None or last.physician_global is None
            or not enzymes):
        return None
    if (last.mmt8 >= LOW_ACTIVITY_STRENGTH * last.mmt_max and last.mmt8 >= before.mmt8
            and not any(r.elevated for r in enzymes.values())
            and last.extramuscular_global >= last.physician_global):
        return (f"muscle steady at the latest visit ({visits[-1].date}: MMT-8 {last.mmt8:g}/"
                f"{last.mmt_max}, not lower than before, enzymes normal); the activity is "
                "extramuscular (see the lung or skin)")
    return None


def responses(record: PatientRecord) -> list[ResponseView]:
    population: response_2016.Population = (
        "juvenile" if record.classification.age_at_onset < 18 else "adult")
    record = record.with_visit_enzymes()
    complete = [(v, cs) for v in record.visits if (cs := _core_set(v)) is not None]
    out: list[ResponseView] = []
    if len(complete) < 2:
        return out
    (base_v, base), (prev_v, prev), (last_v, last) = complete[0], complete[-2], complete[-1]
    pairs = [("baseline", base_v, base)]
    if prev_v is not base_v:
        pairs.append(("previous visit", prev_v, prev))
    for label, visit, measures in pairs:
        compared = f"{last_v.date} vs {label} {visit.date}"
        try:
            tis = response_2016.total_improvement_score(measures, last, population)
            out.append(ResponseView(measure="TIS (2016 ACR/EULAR)",
                                    value=tis.total_improvement_score, category=tis.category,
                                    compared=compared))
            doi = imacs_doi_2004.definition_of_improvement(measures, last)
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
        stopped_for_inefficacy = t.reason_stopped == "inefficacy" or t.outcome == "ineffective" \
            or t.response == "none"
        # a partial response is not failure (specialist review: a drug with a major TIS
        # response was called failed); no response after an adequate time is
        long_enough = t.start is not None and ((t.stop or today) - t.start).days \
            >= ADEQUATE_WEEKS * 7 and t.response == "none"
        if stopped_for_inefficacy or long_enough or t.outcome == "not_tolerated":
            failed.append(t.therapy)
    return sorted(set(failed))


def treated_for_weeks(record: PatientRecord, therapies: set[str]) -> float:
    """Weeks since the first of these therapies started (0 when none has a start date)."""
    starts = [t.start for t in record.treatments if t.therapy in therapies and t.start]
    return (record.on() - min(starts)).days / 7 if starts else 0.0


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
IMPROVING_STRENGTH_FRACTION = 0.04
IMPROVING_CK_FALL = 0.30
IMPROVING_STRENGTH_WITH_CK = 0.02
IMPROVING_CK_HALVED = 0.50
"""Still improving between the last two visits: MMT-8 up by 4 % of its scale (6 of 150, 4 of
80) with CK not rising, or CK down by 30 % with strength up by 2 % of its scale, or CK halved
with strength not falling (review A: 112 to 114/150 with CK -33 % is not yet improvement). A
project choice from specialist review V: MMT-8 132 to 138/150 with CK 1100 to 450 is still
improving, while 112 to 116/150 with CK down 19 % and still 17 x ULN is a plateau; no
published cut-off was found."""
PARTIAL_MONTHS_ADULT = 6
PARTIAL_MONTHS_JDM = 12


def skin_recorded_quiet(record: PatientRecord) -> bool:
    """DM skin signs explicitly recorded absent and an extramuscular global of 0 at the latest
    visit: inactive skin without a CDASI score (review A), as the state and the plan's list of
    unknowns both read it."""
    latest = record.visits[-1] if record.visits else None
    return (record.skin.hallmarks_recorded_absent() and latest is not None
            and latest.core_set is not None and latest.core_set.extramuscular_global == 0)


def _ck_near(record: PatientRecord, day: dt.date) -> float | None:
    """The CK (as a multiple of its ULN where one is given) measured nearest a visit, within
    45 days."""
    series = [r for r in record.lab_results if r.analyte == "ck"
              and abs((r.date - day).days) <= 45]
    if not series:
        return None
    nearest = min(series, key=lambda r: abs((r.date - day).days))
    return nearest.value / nearest.uln if nearest.uln else nearest.value


SEVERE_WEAKNESS_FRACTION = 0.7
"""MMT-8 below 70 % of the scale maximum: severe weakness, where CK alone does not show a
response (project choice after specialist review J)."""


def _improving_between(record: PatientRecord, before: Visit, latest: Visit) -> float | None:
    """The CK change between two visits when the muscle improved between them by the
    IMPROVING_* thresholds (0.0 when CK was not measured), else None."""
    assert before.core_set is not None and latest.core_set is not None
    scale = float(latest.core_set.mmt_max or 0)
    gain = (float(latest.core_set.mmt8 or 0) - float(before.core_set.mmt8 or 0)) / scale
    ck_then, ck_now = _ck_near(record, before.date), _ck_near(record, latest.date)
    ck_change = (ck_now - ck_then) / ck_then if ck_then and ck_now is not None else None
    stronger = gain >= IMPROVING_STRENGTH_FRACTION and (ck_change is None or ck_change <= 0)
    # a falling CK counts with some strength gained, or alone when it has halved (review A:
    # MMT-8 112 to 114/150 with CK -33 % called 'still improving' beside TIS 'none')
    # with severe weakness still (under 70 % of the scale) a halved CK alone is not enough: the
    # strength must move too (specialist review J: anti-SRP at MMT-8 48 to 50/80 after 3 months
    # called 'still improving', rituximab deferred)
    severe = scale > 0 and float(latest.core_set.mmt8 or 0) / scale < SEVERE_WEAKNESS_FRACTION
    enzymes_falling = ck_change is not None and (
        (ck_change <= -IMPROVING_CK_FALL and gain >= IMPROVING_STRENGTH_WITH_CK
         and not severe)
        or (ck_change <= -IMPROVING_CK_HALVED and gain >= 0 and not severe))
    if not (stronger or enzymes_falling):
        return None
    return ck_change if ck_change is not None else 0.0


def muscle_improving(record: PatientRecord) -> str | None:
    """Why the muscle counts as still improving, or None; a partial response that is still
    improving is not yet an inadequate one. Judged between the last two visits with MMT-8,
    and, failing that, over the last three when strength never fell between them (specialist
    review X: MMT-8 64, 67, 70/80 with CK 1400, 900, 650 is a steady recovery whose last step
    alone falls just short of both thresholds)."""
    visits = [v for v in record.visits if v.core_set is not None
              and v.core_set.mmt8 is not None and v.core_set.mmt_max is not None]
    if len(visits) < 2:
        return None
    spans = [(visits[-2], visits[-1])]
    if len(visits) >= 3:
        first, middle, last = visits[-3:]
        assert first.core_set and middle.core_set and last.core_set
        # a steady recovery still moving at its last step; a flat last step is a plateau
        # (review C: TIS 'none' over the last 3 months called 'still improving')
        # the last step must be more than noise: 2 points, or 2 % of the scale (review I:
        # MMT-8 132, 139, 140/150 over 11 months with CK 4.5 x ULN called 'still improving')
        step = max(2.0, 0.02 * float(last.core_set.mmt_max or 0))
        if (float(first.core_set.mmt8 or 0) <= float(middle.core_set.mmt8 or 0)
                and float(last.core_set.mmt8 or 0) - float(middle.core_set.mmt8 or 0) >= step):
            spans.append((first, last))
    for before, latest in spans:
        assert before.core_set is not None and latest.core_set is not None
        if before.core_set.mmt_max != latest.core_set.mmt_max:
            continue
        ck_change = _improving_between(record, before, latest)
        if ck_change is None:
            continue
        return (f"still improving: MMT-8 {_n(before.core_set.mmt8)} to "
                f"{_n(latest.core_set.mmt8)}/{latest.core_set.mmt_max} ({before.date} to "
                f"{latest.date})" + (f", CK {ck_change:+.0%}" if ck_change else "")
                + "; reassess within 3 months before calling the response inadequate")
    return None


def _n(value: float | None) -> str:
    return "?" if value is None else f"{float(value):g}"


def _long_partial_response(record: PatientRecord, kb: KnowledgeBase, jdm: bool) -> str | None:
    """Still active with only a partial (or no) response recorded on a steroid-sparing agent
    taken for 6 months (adults) or 12 months (JDM, the treat-to-target horizon for inactive
    disease): the target is missed, so the state is inadequate response, not "optimise"."""
    months = PARTIAL_MONTHS_JDM if jdm else PARTIAL_MONTHS_ADULT
    today = record.on()
    latest = record.visits[-1].core_set if record.visits else None
    # activity must be seen at a visit: without one, "partial" says too little to escalate
    if latest is None or not (
            (latest.physician_global is not None
             and latest.physician_global > LOW_ACTIVITY_PGA_CM)
            or (latest.mmt8 is not None and latest.mmt_max is not None
                and latest.mmt8 < LOW_ACTIVITY_STRENGTH * latest.mmt_max)):
        return None
    # a strong muscle with near-normal enzymes is not muscle activity, whatever the physician
    # global says (in ILD-predominant disease the global rates the lung: specialist review N)
    visit = record.visits[-1]
    enzymes = _muscle_enzymes(visit.labs.enzymes or record.labs.enzymes)
    if latest.mmt8 is not None and latest.mmt_max is not None \
            and latest.mmt8 >= LOW_ACTIVITY_STRENGTH * latest.mmt_max and enzymes \
            and all(r.multiple_of_uln <= LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()):
        return None
    # a steroid-sparing agent started in the last 12 weeks is still within its trial: the
    # patient is on an escalation already (specialist review O)
    for t in record.treatments:
        therapy = kb.therapies.get(t.therapy)
        if therapy is not None and therapy.category in STEROID_SPARING_CATEGORIES \
                and therapy.category != "antimalarial" and t.start is not None \
                and (t.stop is None or t.stop > today) and (today - t.start).days < 12 * 7:
            return None
    if muscle_improving(record) is not None:
        return None
    for t in record.treatments:
        therapy = kb.therapies.get(t.therapy)
        if therapy is None or therapy.category not in STEROID_SPARING_CATEGORIES \
                or therapy.category == "antimalarial":
            continue
        current = t.start is not None and (t.stop is None or t.stop > today)
        if current and t.response in ("partial", "none") and t.start is not None \
                and (today - t.start).days >= months * 30.4375:
            years = (today - t.start).days / 365.25
            return (f"still active with a {t.response} response after {years:.1f} years on "
                    f"{therapy.name}: the treatment target (inactive disease by {months} "
                    "months) is missed")
    return None


FLOOR: dict[str, tuple[str, float]] = {
    "physician_global": ("above", 2.0),
    "patient_global": ("above", 2.0),
    "extramuscular_global": ("above", 2.0),
    "enzyme_x_uln": ("above", 1.5),
    "haq": ("rise", 0.25),
}
"""Clause C of the IMACS 2005 worsening counts relative (>= 30 %) changes, which near zero are
noise: a VAS of 0.5 to 1 cm is "100 % worse", a CK of 1.1 x ULN the day after a gym session
is "worse". For the plan's flare state (not for the instrument, which stays as published) a
measure counts towards clause C only beyond these floors: a VAS above 2 cm, an enzyme above
1.5 x ULN, a HAQ rise of at least 0.25; MMT always counts. Project choice after specialist
review (December 2026); no guideline states these floors."""


def _beyond_floor(name: str, before: float | None, after: float | None) -> bool:
    if name not in FLOOR or before is None or after is None:
        return True
    kind, value = FLOOR[name]
    return after > value if kind == "above" else after - before >= value


def floor_only(before: Measures, after: Measures,
               result: CriteriaResult | None = None) -> str | None:
    """When the IMACS 2005 worsening is met by clause C alone and fewer than three of its
    measures are beyond the floors, the reason it is not read as a flare; else None.
    ``result`` is ``compare(before, after)`` when the caller has it already."""
    result = result or compare(before, after)
    if not result.met or any(r.startswith(("A:", "B:")) for r in result.reasons):
        return None
    clause = next((r for r in result.reasons if r.startswith("C:")), "")
    worse = clause.split("(", 1)[-1].rstrip(")").split(", ") if clause else []
    beyond = [m for m in worse
              if _beyond_floor(m, getattr(before, m), getattr(after, m))]
    if len(beyond) >= 3:
        return None
    return ("the IMACS 2005 worsening is met only by relative changes near normal values ("
            + ", ".join(worse) + "): not read as a flare; re-check at a short interval (CK "
            "after 72 hours without strenuous exercise)")


def muscle_worse(result: CriteriaResult, after: Measures) -> bool:
    """Whether an IMACS 2005 worsening includes the muscle: clause A (MMT), or clause C counting
    MMT, or counting a muscle enzyme that is beyond its floor (1.5 x ULN). One answer for the
    disease state and the visit flag (re-score of review T: CK 0.9 to 1.2 x ULN made the state
    call a muscle flare while the flag said the muscle was not worse)."""
    enzyme_high = after.enzyme_x_uln is not None and after.enzyme_x_uln > FLOOR["enzyme_x_uln"][1]
    return any(r.startswith("A:") or (r.startswith("C:") and (
        "mmt" in r or ("enzyme" in r and enzyme_high))) for r in result.reasons)


def strength_fell(before: Visit, after: Visit) -> list[str]:
    """MMT-8 or CMAS down by more than 2 points between two visits, named with the values:
    weaker muscle whatever the IMACS clauses say (specialist review T: MMT-8 58 to 52 before
    treatment; review U: 112 to 104 with CK rising called 'muscle not worse'). One test for the
    disease state and the visit flag."""
    b, a = before.core_set, after.core_set
    return [f"{name} {x:g} to {y:g}" for name, x, y in (
        ("MMT-8", b.mmt8, a.mmt8), ("CMAS", b.cmas, a.cmas))
        if x is not None and y is not None and y < x - 2]


STEROID_MYOPATHY_MG_DAY = 15
STEROID_MYOPATHY_DAYS = 42


def steroid_myopathy_possible(record: PatientRecord, before: Visit, after: Visit) -> str | None:
    """Weaker with normal muscle enzymes after six weeks or more of prednisolone at 15 mg/day or
    more: steroid myopathy is as likely as a flare, and raising glucocorticoids would worsen
    it (specialist review I: an 'urgent flare' and 40 mg/day for hip-flexor weakness with CK and
    aldolase normal, a new vertebral fracture and steroid diabetes). The reason, or None. The
    thresholds are this project's; the distinction (enzymes, MRI oedema, EMG) is common
    practice."""
    enzymes = measures(after).enzyme_x_uln
    if enzymes is None or enzymes > 1.0:
        return None
    # severe weakness (bulbar or respiratory, or strength down by a fifth) is treated as the
    # disease whatever the enzymes (re-score of review I: 'keep the taper going' beside severe
    # dysphagia and MMT-8 141 to 104)
    organs = record.organs
    if organs.dysphagia == "severe" or organs.respiratory_muscle_weakness is True:
        return None
    b, a = before.core_set, after.core_set
    for x, y in ((b.mmt8, a.mmt8), (b.cmas, a.cmas)):
        if x is not None and y is not None and x > 0 and (x - y) / x >= 0.2:
            return None
    on_visits = all((v.glucocorticoid_mg_per_day or 0) >= STEROID_MYOPATHY_MG_DAY
                    for v in (before, after))
    on_course = any(
        t.therapy == "glucocorticoids_oral" and t.dose_unit == "mg/day"
        and t.dose_value is not None and t.dose_value >= STEROID_MYOPATHY_MG_DAY
        and t.outcome in ("ongoing", "unknown") and t.stop is None
        and t.start is not None and (after.date - t.start).days >= STEROID_MYOPATHY_DAYS
        for t in record.treatments)
    if not (on_visits or on_course):
        return None
    return ("weaker with normal muscle enzymes after 6 weeks or more of prednisolone at 15 mg/day "
            "or more: steroid myopathy or a flare - muscle MRI (oedema favours a flare) or EMG "
            "(spontaneous activity favours a flare) before raising glucocorticoids")


GLOBALS = {"physician_global", "patient_global", "extramuscular_global"}


def globals_only(result: CriteriaResult) -> bool:
    """The worsening rests on the three global scores alone (clause C counting no strength,
    function or enzyme): no muscle flare by itself (specialist review G: a 1 cm rise of each
    from a low base in a child with CMAS 50/52 and a normal CK called an urgent flare)."""
    return bool(result.reasons) and all(
        r.startswith("C:") and set(r[r.index("(") + 1:r.rindex(")")].split(", ")) <= GLOBALS
        for r in result.reasons)


def disease_state(record: PatientRecord, kb: KnowledgeBase, phenotypes: list[str]
                  ) -> DiseaseState:
    record = record.with_visit_enzymes()  # a visit's CK may be in the dated lab series
    # IVIG is disease treatment too: IMNM maintained on IVIG is not "untreated" (review S)
    immunosuppressive = set(kb.group_members("immunosuppressive")) | set(
        kb.group_members("immunoglobulin_group"))
    lung_agents = immunosuppressive - set(kb.group_members("glucocorticoid_group"))
    treated = any(t.therapy in immunosuppressive for t in record.treatments) or any(
        (v.glucocorticoid_mg_per_day or 0) > 0 for v in record.visits)
    visits = record.visits
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
                [*(_named(r, visits[-1]) for r in result.reasons), *weaker]))
            if muscle_evidence or not (extramuscular or quiet or globals_only(result)):
                worsening = compared
            else:
                elsewhere = compared
    recent = [v for v in visits
              if (visits[-1].date - v.date).days <= REMISSION_MONTHS * 30.4375 + 31] \
        if visits else []
    # visits booked "six months apart" land a few days either side: two weeks of tolerance
    span_ok = bool(visits) and (visits[-1].date - visits[0].date).days >= \
        REMISSION_MONTHS * 30.4375 - 14 and len(recent) >= 2
    inactive_all = span_ok and all(_inactive(v) for v in recent)
    if not inactive_all and len(visits) >= 2:
        # visits far apart: the last two inactive visits 6 to 18 months apart also show
        # sustained inactivity (a yearly review of a patient in remission)
        gap = (visits[-1].date - visits[-2].date).days
        inactive_all = REMISSION_MONTHS * 30.4375 <= gap <= 18 * 30.4375 \
            and bool(_inactive(visits[-1])) and bool(_inactive(visits[-2]))
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

    def judge(domain: Domain, failed_here: list[str], clinician_flag: bool) -> DomainState:
        if worsening and domain == "muscle" and treated and steroid_note:
            return DomainState(domain=domain, state="active", basis=[worsening, steroid_note])
        if worsening and domain == "muscle" and treated:
            return DomainState(domain=domain, state="flare", basis=[worsening])
        if worsening and domain == "muscle":
            return DomainState(domain=domain, state="new_onset", basis=[
                "no immunosuppressive treatment recorded", f"worse before treatment: "
                f"{worsening}"])
        if inactive_all and domain == "muscle":
            trailing = 0
            for v in reversed(visits):
                if not _inactive(v):
                    break
                trailing += 1
            since = visits[-trailing].date
            return DomainState(domain=domain, state="remission", basis=[
                f"inactive at the last {trailing} visits, {since} to {visits[-1].date}"])
        if clinician_flag:
            return DomainState(domain=domain, state="inadequate_response",
                               basis=["marked by the clinician as active despite adequate "
                                      "treatment"])
        if domain == "muscle" and treated and visits and muscle_quiet(visits[-1], record):
            return DomainState(domain=domain, state="stable", basis=[
                f"muscle inactive at the latest visit ({visits[-1].date}: strength at the "
                "scale maximum, enzymes normal); remission once this holds for 6 months"])
        low = (muscle_low_activity(visits[-1], record)
               if domain == "muscle" and treated and visits else None)
        if low is not None and len(failed_here) < 2:
            return DomainState(domain=domain, state="stable", basis=[low])
        steady = (muscle_steady_while_extramuscular_active(visits, record)
                  if domain == "muscle" and treated else None) or (
            muscle_strong_enzymes_near_normal(visits[-1], record)
            if domain == "muscle" and treated and visits and len(failed_here) < 2 else None)
        if steady is not None:
            return DomainState(domain=domain, state="stable", basis=[steady])
        if not (skin_treated if domain == "skin" else treated):
            return DomainState(domain=domain, state="new_onset",
                               basis=["no immunosuppressive treatment recorded"])
        if len(failed_here) >= 2:
            basis = [f"{', '.join(failed_here)} failed (inefficacy, intolerance or 12 weeks "
                     "without adequate response)"]
            if not gc_tried and domain == "muscle":
                basis.append("no glucocorticoid course recorded: check the history")
            return DomainState(domain=domain, state="inadequate_response", basis=basis)
        long_partial = _long_partial_response(record, kb, "jdm" in phenotypes) \
            if domain == "muscle" else None
        if long_partial is not None:
            return DomainState(domain=domain, state="inadequate_response", basis=[long_partial])
        basis = ["on treatment"]
        improving = muscle_improving(record) if domain == "muscle" else None
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
    if "ibm" in phenotypes:
        domains.append(DomainState(domain="muscle", state="active", basis=[
            "inclusion body myositis: progressive; immunosuppression not indicated"]))
    else:
        domains.append(judge("muscle", failed, record.persistent_high_activity)
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
        if skin.state == "active" and cdasi is None and visits \
                and not record.skin.any_dm_hallmark():
            skin = skin.model_copy(update={"basis": [
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
            "ILD progressive on glucocorticoids alone: a steroid-sparing ILD agent has not "
            "yet been tried"]))
    elif lung is not None and lung.course == "stable" and treated \
            and isinstance(fall := lung_function_decline(record), str):
        # recorded stable while the dated series falls (review U: DLCO 48 to 38 % with
        # suspected pulmonary hypertension called 'stable', next review in 4 months)
        domains.append(DomainState(domain="lung", state="active", basis=[
            f"recorded as stable, but lung function fell ({fall}): reassess the lung (ILD "
            "progression, pulmonary hypertension, infection, respiratory muscles)"]))
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

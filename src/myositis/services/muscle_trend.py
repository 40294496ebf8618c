"""Which way the muscle is moving between visits: still improving, a long partial response,
worse by the IMACS 2005 definition beyond noise floors, or possibly steroid myopathy.

Split from the disease state; every threshold here is a project choice from a named specialist
review unless its docstring cites a source.
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.criteria.imacs_worsening import Measures, compare
from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.patient import Visit
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.muscle_activity import (
    LOW_ACTIVITY_ENZYME_X_ULN,
    LOW_ACTIVITY_PGA_CM,
    LOW_ACTIVITY_STRENGTH,
    enzymes_at,
    measures,
    muscle_enzymes,
)

STEROID_SPARING_CATEGORIES = {"conventional_immunosuppressant", "biologic", "jak_inhibitor",
                              "immunoglobulin", "anti_interferon", "cellular_therapy",
                              "complement_inhibitor", "fcrn_blocker", "antimalarial"}

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


CK_ALONE_WINDOW_DAYS = 365


def _ck_alone_falling(record: PatientRecord) -> str | None:
    """With no strength score on the record, a CK that has at least halved between its last two
    results within a year (the latest in the last 3 months) counts as still improving: no new
    agent on enzymes that are coming down (specialist review U: 'add prednisolone 44-60 mg' for
    anti-HMGCR on IVIG with CK 1400 to 520 and no strength recorded)."""
    series = sorted((r for r in record.lab_results if r.analyte == "ck"), key=lambda r: r.date)
    if len(series) < 2:
        return None
    before, latest = series[-2], series[-1]
    if (latest.date - before.date).days > CK_ALONE_WINDOW_DAYS \
            or (record.on() - latest.date).days > 92 or before.value <= 0:
        return None
    change = (latest.value - before.value) / before.value
    if change > -IMPROVING_CK_HALVED:
        return None
    return (f"still improving on the enzymes: CK {latest.value:g} from {before.value:g} "
            f"({before.date} to {latest.date}, {change:+.0%}); strength not recorded - examine "
            "it; reassess within 3 months before calling the response inadequate")


CK_RISING_FACTOR = 1.5


def ck_rising(record: PatientRecord) -> str | None:
    """A CK above its ULN that rose by half or more between its last two results within a year:
    evidence of relapse, even when it is some months old (re-score of specialist review U: CK
    doubled to 9 x ULN, then the patient stopped her azathioprine)."""
    series = sorted((r for r in record.lab_results if r.analyte == "ck"), key=lambda r: r.date)
    if len(series) < 2:
        return None
    before, latest = series[-2], series[-1]
    if (latest.date - before.date).days > CK_ALONE_WINDOW_DAYS or before.value <= 0 \
            or latest.value < CK_RISING_FACTOR * before.value \
            or (latest.uln is not None and latest.value <= latest.uln):
        return None
    return (f"CK rising at the last results ({before.value:g} to {latest.value:g}, {before.date} "
            f"to {latest.date}): a relapse until shown otherwise - re-measure CK and examine "
            "strength now")


def muscle_improving(record: PatientRecord) -> str | None:
    """Why the muscle counts as still improving, or None; a partial response that is still
    improving is not yet an inadequate one. Judged between the last two visits with MMT-8,
    and, failing that, over the last three when strength never fell between them (specialist
    review X: MMT-8 64, 67, 70/80 with CK 1400, 900, 650 is a steady recovery whose last step
    alone falls just short of both thresholds)."""
    visits = [v for v in record.visits if v.core_set is not None
              and v.core_set.mmt8 is not None and v.core_set.mmt_max is not None]
    if len(visits) < 2:
        # no strength trend: a halving CK counts, unless the one strength score recorded shows
        # severe weakness (then strength must move too; review J)
        severe = bool(visits) and visits[0].core_set is not None and float(
            visits[0].core_set.mmt8 or 0) < SEVERE_WEAKNESS_FRACTION * float(
            visits[0].core_set.mmt_max or 0)
        found = None if severe else _ck_alone_falling(record)
        if found and visits:
            found = found.replace("strength not recorded - examine it",
                                  "a single strength score so far - follow it")
        elif found and any(v.core_set.cmas is not None for v in record.visits):
            found = found.replace("strength not recorded - examine it",
                                  "strength followed by CMAS")
        return found
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


DAMAGE_NOT_ACTIVITY_PGA_CM = 3.0
FRAIL_CFS = 6  # Clinical Frailty Scale: moderately frail or worse
"""A physician global at or below this with normal enzymes reads as damage (project reading)."""


def long_partial_response(record: PatientRecord, kb: KnowledgeBase, jdm: bool) -> str | None:
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
    enzymes = muscle_enzymes(enzymes_at(visit, record))
    if latest.mmt8 is not None and latest.mmt_max is not None \
            and latest.mmt8 >= LOW_ACTIVITY_STRENGTH * latest.mmt_max and enzymes \
            and all(r.multiple_of_uln <= LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()):
        return None
    # normal enzymes with a low physician global: residual weakness is damage or deconditioning
    # more than activity - no escalation on a 'partial response' alone (specialist review Z11c:
    # rituximab for a frail woman with a normal CK and a global of 2.5 after 6 years)
    if enzymes and all(r.multiple_of_uln <= 1.0 for r in enzymes.values()) \
            and latest.physician_global is not None \
            and latest.physician_global <= DAMAGE_NOT_ACTIVITY_PGA_CM:
        return None
    # normal enzymes in a frail patient, or with pulmonary hypertension that the global also
    # rates: weakness is frailty, deconditioning or damage until activity is shown (MRI), not
    # a missed target to escalate on (specialist review Z26c P3: rituximab offered for a quiet
    # muscle in a frail patient with pulmonary hypertension, H840)
    frail = record.care_goals.frailty_scale is not None \
        and record.care_goals.frailty_scale >= FRAIL_CFS
    if enzymes and all(r.multiple_of_uln <= 1.0 for r in enzymes.values()) \
            and (frail or record.organs.pulmonary_hypertension in ("suspected", "confirmed")):
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
    # pregnancy: escalation answers objective activity, not a missed target (specialist review
    # Z27c P4: IV methylprednisolone offered at 11 weeks for a near-inactive muscle, H847)
    if record.reproduction.pregnant is True or record.comorbidities.pregnancy is True:
        return None
    for t in record.treatments:
        therapy = kb.therapies.get(t.therapy)
        if therapy is None or therapy.category not in STEROID_SPARING_CATEGORIES \
                or therapy.category == "antimalarial":
            continue
        current = t.start is not None and (t.stop is None or t.stop > today)
        # a drug taken irregularly has not failed: restore it first (specialist review Z11b)
        # a later agent that worked (rituximab with a complete response) is the response to
        # read, not the partial one of the agent it was added to (review Z27c P4)
        later_success = any(
            o.start is not None and t.start is not None and o.start > t.start
            and (o.response == "complete" or o.outcome == "effective")
            and (o.stop is None or (today - o.stop).days <= 365) for o in record.treatments)
        if current and t.response in ("partial", "none") and t.start is not None \
                and t.adherence not in ("partial", "poor") and not later_success \
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
    """MMT-8 or CMAS down by more than 2 points (MMT-8 on the 0-150 scale: more than 4) between
    two visits, named with the values:
    weaker muscle whatever the IMACS clauses say (specialist review T: MMT-8 58 to 52 before
    treatment; review U: 112 to 104 with CK rising called 'muscle not worse'). One test for the
    disease state and the visit flag."""
    b, a = before.core_set, after.core_set
    # on the 0-150 scale (both sides, 0-10 grades) a one-grade scatter in a few muscle groups is
    # 4 points: more than 4 is weaker (specialist review Z52a P3: 140 to 136 read as a flare
    # and prednisolone raised in decompensated cirrhosis)
    mmt_margin = 4 if max(a.mmt_max, b.mmt_max) > 80 else 2
    return [f"{name} {x:g} to {y:g}" for name, x, y, margin in (
        ("MMT-8", b.mmt8, a.mmt8, mmt_margin), ("CMAS", b.cmas, a.cmas, 2))
        if x is not None and y is not None and y < x - margin]


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


FUNCTION = {"HAQ", "CHAQ", "haq", "chaq"}


def lung_disease_recorded(record: PatientRecord) -> bool:
    """ILD on the record (a systemic finding or an interstitial HRCT pattern): worse function
    and globals may then be the lung's rather than the muscle's."""
    return record.systemic.interstitial_lung_disease or (
        record.lung is not None and record.lung.shows_ild())


def globals_and_function_only(result: CriteriaResult) -> bool:
    """The worsening rests on the global scores and the HAQ or CHAQ (clause C counting no
    strength or enzyme): with lung disease, breathlessness worsens function and the globals as
    much as weak muscle does (specialist review Z4b: 'raise prednisolone to 0.5 mg/kg' four
    weeks after a Pneumocystis pneumonia, strength and CK unchanged)."""
    return bool(result.reasons) and all(
        r.startswith("C:") and set(r[r.index("(") + 1:r.rindex(")")].split(", "))
        <= GLOBALS | FUNCTION for r in result.reasons)


def globals_only(result: CriteriaResult) -> bool:
    """The worsening rests on the three global scores alone (clause C counting no strength,
    function or enzyme): no muscle flare by itself (specialist review G: a 1 cm rise of each
    from a low base in a child with CMAS 50/52 and a normal CK called an urgent flare)."""
    return bool(result.reasons) and all(
        r.startswith("C:") and set(r[r.index("(") + 1:r.rindex(")")].split(", ")) <= GLOBALS
        for r in result.reasons)

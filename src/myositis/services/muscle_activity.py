"""Muscle activity at one visit, and the measures two visits are compared on.

Split from the disease state so that the state, the visit flags and the course view read one
definition of a quiet, low-activity or strong muscle (the thresholds are project choices, each
documented where it is defined).
"""

from __future__ import annotations

import datetime as dt
import re

from myositis.domain.criteria.imacs_worsening import Measures
from myositis.domain.instruments import response_2016
from myositis.domain.labs import Enzyme, EnzymeResult
from myositis.domain.patient import Visit
from myositis.domain.record import PatientRecord
from myositis.errors import MyositisError

INACTIVE_PGA_CM = 1.0
# Low activity on treatment (a project definition, not a published one): the physician's own
# global at or below 2 cm, strength within 10 % of the scale maximum and no enzyme above 1.5
# times its upper limit. Such a patient is not escalated; the plan continues and tapers.
LOW_ACTIVITY_PGA_CM = 2.0
LOW_ACTIVITY_STRENGTH = 0.9
LOW_ACTIVITY_ENZYME_X_ULN = 1.5


def named_as_measured(reason: str, visit: Visit) -> str:
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
    enzymes = muscle_enzymes(visit.labs.enzymes) if muscle_only else dict(visit.labs.enzymes)
    enzyme = max(enzymes.values(), key=lambda r: r.multiple_of_uln) if enzymes else None
    mmt = cs.mmt8 if cs.mmt8 is not None else cs.cmas
    haq = cs.haq if cs.haq is not None else cs.chaq
    return Measures(physician_global=cs.physician_global, patient_global=cs.patient_global,
                    extramuscular_global=cs.extramuscular_global, mmt=mmt, haq=haq,
                    enzyme_x_uln=enzyme.multiple_of_uln if enzyme else None,
                    strength_scale="MMT" if cs.mmt8 is not None or cs.cmas is None else "CMAS")


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


def core_set_input(visit: Visit) -> response_2016.CoreSetInput | None:
    cs = visit.core_set
    try:
        return response_2016.CoreSetInput(
            physician_global=cs.physician_global, patient_global=cs.patient_global,
            extramuscular_global=cs.extramuscular_global,
            mmt8=cs.mmt8, mmt_max=cs.mmt_max, cmas=cs.cmas, haq=cs.haq, chaq=cs.chaq,
            enzymes=dict(visit.labs.enzymes))
    except (ValueError, MyositisError):
        return None


def inactive(visit: Visit, record: PatientRecord | None = None) -> bool | None:
    """Physician global 1 cm or less and no muscle enzyme raised: CK and aldolase when CK is
    measured, since a transaminase from a fatty liver or methotrexate is not muscle activity
    (specialist review T: a 16-year-old with CMAS 52 and a normal CK given 60 mg of
    prednisolone for an ALT from fatty liver)."""
    pga = visit.core_set.physician_global
    if pga is None:
        return None
    enzymes = dict(visit.labs.enzymes)
    if record is not None and enzymes and Enzyme.CK not in enzymes \
            and Enzyme.CK in record.labs.enzymes:
        # a visit with a transaminase but no CK: the CK in the record's labs section decides
        # whether the transaminase counts (a visit with no enzyme at all stays as recorded)
        enzymes[Enzyme.CK] = record.labs.enzymes[Enzyme.CK]
    return pga <= INACTIVE_PGA_CM and not any(
        r.elevated for r in muscle_enzymes(enzymes).values())


def muscle_enzymes(enzymes: dict[Enzyme, EnzymeResult]) -> dict[Enzyme, EnzymeResult]:
    """CK and aldolase when either is measured: the transaminases and LDH also come from the
    liver (methotrexate, alcohol) and would make a quiet muscle look active (H106)."""
    if Enzyme.CK in enzymes or Enzyme.ALDOLASE in enzymes:
        # aldolase without CK is muscle too; an ALT beside it is the liver's (review Z21a P7)
        return {e: r for e, r in enzymes.items() if e in (Enzyme.CK, Enzyme.ALDOLASE)}
    return dict(enzymes)


ENZYME_NEAR_VISIT_DAYS = 45
"""An enzyme in the record's labs section counts at a visit when dated this close to it."""


def enzymes_at(visit: Visit, record: PatientRecord) -> dict[Enzyme, EnzymeResult]:
    """The visit's enzymes, completed from the record's labs section where the visit lacks one
    and the record's is undated or within 45 days: a visit that carried only a raised ALT hid
    the normal CK beside it, and a 16-year-old with CK 0.8 x ULN was called active muscle and
    given IVIG in pregnancy (specialist review Z7b)."""
    merged = {e: r for e, r in record.labs.enzymes.items()
              if r.date is None or abs((r.date - visit.date).days) <= ENZYME_NEAR_VISIT_DAYS}
    merged.update(visit.labs.enzymes)
    return merged if merged else dict(visit.labs.enzymes or record.labs.enzymes)


def muscle_quiet(visit: Visit, record: PatientRecord) -> bool:
    """Muscle inactive at this visit: strength at (or within 2.5 % of) the scale maximum, as in
    the PRINTO inactive-disease criteria (MMT-8 >= 78/80, CMAS >= 48/52), and every recorded
    muscle enzyme normal. The skin may still be active: this judges the muscle only."""
    cs = visit.core_set
    # every recorded strength score in the inactive range (re-score of specialist review Z13b:
    # CMAS 48/52 called inactive beside MMT-8 75/80)
    scores = ([cs.mmt8 >= 0.975 * cs.mmt_max] if cs.mmt8 is not None and cs.mmt_max is not None
              else []) + ([cs.cmas >= 48] if cs.cmas is not None else [])
    strong = bool(scores) and all(scores)
    enzymes = muscle_enzymes(enzymes_at(visit, record))
    return strong and bool(enzymes) and not any(r.elevated for r in enzymes.values())


def muscle_low_activity(visit: Visit, record: PatientRecord) -> str | None:
    """A description of low activity at this visit, or None (see LOW_ACTIVITY_*)."""
    cs = visit.core_set
    pga = cs.physician_global
    strong = (cs.mmt8 is not None and cs.mmt_max is not None
              and cs.mmt8 >= LOW_ACTIVITY_STRENGTH * cs.mmt_max) or (
        cs.cmas is not None and cs.cmas >= LOW_ACTIVITY_STRENGTH * 52)
    enzymes = muscle_enzymes(enzymes_at(visit, record))
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
    enzymes = muscle_enzymes(enzymes_at(visit, record))
    if cs.mmt8 is None or cs.mmt_max is None or cs.mmt8 < 0.95 * cs.mmt_max or not enzymes \
            or any(r.multiple_of_uln > LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()):
        return None
    highest = max(r.multiple_of_uln for r in enzymes.values())
    return (f"muscle strong at the latest visit ({visit.date}: MMT-8 {cs.mmt8:g}/{cs.mmt_max}, "
            f"enzymes at most {highest:.2f} x ULN); activity elsewhere is judged in its own "
            "domain")


def muscle_steady_while_extramuscular_active(visits: list[Visit],
                                             record: PatientRecord) -> str | None:
    """Strength within 10 % of the maximum and not lower than at the previous visit beyond
    the scale's noise (2.5 % of it: 2 of 80 points), enzymes at most 1.5 x ULN, and the
    extramuscular global at least as high as the physician global: the activity being treated
    is the lung's or the skin's, not the muscle's (H91; specialist review Z7: MMT-8 76 then
    75/80 with CK 1.2 x ULN in antisynthetase ILD was called active muscle and azathioprine
    added for it)."""
    if not visits:
        return None
    # a single visit has no 'before': it counts only with the enzymes normal (specialist review
    # Z39a P2: MMT-8 140/150 with a normal CK and an extramuscular global above the physician's
    # called active muscle at a first visit)
    single = len(visits) < 2
    last, before = visits[-1].core_set, visits[-2 if not single else -1].core_set
    enzymes = muscle_enzymes(enzymes_at(visits[-1], record))
    if (last.mmt8 is None or last.mmt_max is None or before.mmt8 is None
            or last.extramuscular_global is None or last.physician_global is None
            or not enzymes):
        return None
    normal = not any(r.elevated for r in enzymes.values())
    if single and not normal:
        return None
    # a slightly raised CK counts only when strength has not moved either way (a muscle
    # still recovering, 61 to 72/80 with CK falling, is active and responding: review O)
    flat = (abs(last.mmt8 - before.mmt8) <= MMT_NOISE_FRACTION * last.mmt_max
            and all(r.multiple_of_uln <= LOW_ACTIVITY_ENZYME_X_ULN for r in enzymes.values()))
    if (last.mmt8 >= LOW_ACTIVITY_STRENGTH * last.mmt_max
            and ((normal and last.mmt8 >= before.mmt8) or flat)
            and last.extramuscular_global >= last.physician_global):
        highest = max(r.multiple_of_uln for r in enzymes.values())
        enzyme_words = ("enzymes normal" if normal else f"enzymes at most {highest:.1f} x ULN")
        return (f"muscle steady at the latest visit ({visits[-1].date}: MMT-8 {last.mmt8:g}/"
                f"{last.mmt_max}{'' if single else ', as before'}, {enzyme_words}); the activity is "
                "extramuscular (see the lung or skin)")
    return None


MMT_NOISE_FRACTION = 0.025
"""A fall of MMT-8 within 2.5 % of its scale between visits is within the examiner's noise."""


STRONG_FRACTION = 0.95
HIGH_CK_STEADY_LIMIT_X_ULN = 10.0
CK_RISE_TOLERATED = 1.2


def ck_near(visit: Visit, record: PatientRecord | None) -> EnzymeResult | None:
    """The CK of a visit: its own, else a dated CK result within 45 days of it (specialist review
    Z15c P3: a flat CK of 430-480 recorded as dated results was never read at the visits, and
    stable anti-HMGCR disease was called active)."""
    own = muscle_enzymes(visit.labs.enzymes).get(Enzyme.CK)
    if own is not None or record is None:
        return own
    near = [r for r in record.lab_results if r.analyte == "ck" and r.uln
            and abs((r.date - visit.date).days) <= ENZYME_NEAR_VISIT_DAYS]
    if not near:
        return None
    best = min(near, key=lambda r: abs((r.date - visit.date).days))
    return EnzymeResult(value=best.value, uln=best.uln or 1, date=best.date)


def _raised_ck_not_rising(last: Visit, before: Visit, record: PatientRecord | None = None
                          ) -> tuple[EnzymeResult, EnzymeResult] | None:
    """(CK now, CK before) when the latest CK is raised, at most 10 x ULN and not rising by
    more than a fifth since the visit before; else None."""
    now = ck_near(last, record)
    then = ck_near(before, record)
    if now is None or then is None or not now.elevated \
            or now.multiple_of_uln > HIGH_CK_STEADY_LIMIT_X_ULN \
            or now.multiple_of_uln > CK_RISE_TOLERATED * then.multiple_of_uln:
        return None
    return now, then


EARLIER_CK_MIN_DAYS = 28
"""How long before the visit a dated CK result must be to show a trend."""


def _raised_ck_not_rising_since_results(
        last: Visit, record: PatientRecord) -> tuple[tuple[EnzymeResult, EnzymeResult] | None,
                                                     dt.date | None]:
    """As ``_raised_ck_not_rising``, against the latest dated CK result at least 4 weeks before
    the visit's own CK; (None, None) without one."""
    now = ck_near(last, record)
    if now is None:
        return None, None
    anchor = now.date or last.date
    earlier = [r for r in record.lab_results if r.analyte == "ck" and r.uln
               and (anchor - r.date).days >= EARLIER_CK_MIN_DAYS]
    if not earlier:
        return None, None
    prev = max(earlier, key=lambda r: r.date)
    then = EnzymeResult(value=prev.value, uln=prev.uln or 1, date=prev.date)
    if not now.elevated or now.multiple_of_uln > HIGH_CK_STEADY_LIMIT_X_ULN \
            or now.multiple_of_uln > CK_RISE_TOLERATED * then.multiple_of_uln:
        return None, None
    return (now, then), prev.date


def muscle_strong_with_steady_ck(visits: list[Visit], record: PatientRecord) -> str | None:
    """Strength at 95 % of the scale or more, a physician global of 2 cm or less, and a raised
    CK (up to 10 x ULN) not rising since the previous visit: a raised CK with normal strength is
    not treated on its own (specialist review P: anti-HMGCR IMNM at MMT-8 79/80 with CK 4.4 x ULN
    and falling given prednisolone and azathioprine). The thresholds are this project's."""
    if not visits:
        return None
    last = visits[-1]
    cs = last.core_set
    if cs.physician_global is None or cs.physician_global > LOW_ACTIVITY_PGA_CM:
        return None
    if cs.mmt8 is not None:
        scale = cs.mmt_max or (80 if cs.mmt8 <= 80 else 150)
        strong, strength = cs.mmt8 >= STRONG_FRACTION * scale, f"MMT-8 {cs.mmt8:g}/{scale}"
    elif cs.cmas is not None:
        strong, strength = cs.cmas >= STRONG_FRACTION * 52, f"CMAS {cs.cmas:g}/52"
    else:
        return None
    if not strong:
        return None
    if len(visits) >= 2:
        # the last earlier visit with a CK to compare with (a visit without one is skipped)
        before = next((v for v in reversed(visits[:-1]) if ck_near(v, record) is not None),
                      visits[-2])
        steady = _raised_ck_not_rising(last, before, record)
        when: dt.date | None = before.date
    else:
        # one visit: the dated CK results before it stand in for an earlier visit (specialist
        # review Z57a P8: anti-HMGCR disease at MMT-8 76/80 with CK 430-450 for months called
        # active on its single visit, and prednisolone 46-60 mg/day added)
        steady, when = _raised_ck_not_rising_since_results(last, record)
    if steady is None:
        return None
    now, then = steady
    return (f"strong at the latest visit ({last.date}: {strength}, physician global "
            f"{cs.physician_global:g} cm) with CK {now.multiple_of_uln:.1f} x ULN, not rising "
            f"({then.multiple_of_uln:.1f} x ULN at {when}): a raised CK with normal "
            "strength is not treated on its own - muscle MRI (oedema against fatty replacement) "
            "if it stays high; escalate only if strength falls or the CK keeps rising; after 6-12 "
            "months like this a slow taper of the maintenance drug can be discussed, with "
            "strength and CK at each step")


PLATEAU_MONTHS_FROM_ONSET = 24
PLATEAU_STRENGTH_FRACTION = 0.85
PLATEAU_PGA_CM = 3.0
PLATEAU_MIN_DAYS = 90
PLATEAU_MAX_GC_MG = 7.5


def muscle_chronic_plateau(visits: list[Visit], record: PatientRecord) -> str | None:
    """Years into the disease, on treatment, strength flat at 85 % of the scale or more, a
    physician global of 3 cm or less and not worse, and a raised CK (up to 10 x ULN) not rising
    over at least 3 months: a chronic plateau (low-grade activity or damage), not a flare to
    re-induce with glucocorticoids (specialist review Z10a: anti-HMGCR IMNM 6.5 years in,
    MMT-8 140-141/150 and CK 1,100-1,250 for two years, given prednisolone 46-60 mg/day).
    The thresholds are this project's."""
    if len(visits) < 2 or record.months_since_onset < PLATEAU_MONTHS_FROM_ONSET:
        return None
    last, before = visits[-1], visits[-2]
    if (last.date - before.date).days < PLATEAU_MIN_DAYS:
        return None
    # a plateau held by a glucocorticoid above 7.5 mg/day, or one raised since the previous
    # visit, is dependence, not damage (re-score of review Z12d: anti-NXP2 DM at 12.5 mg after
    # a flare on taper called 'a chronic plateau')
    doses = [v.glucocorticoid_mg_per_day for v in (before, last)]
    if (doses[1] is not None and doses[1] > PLATEAU_MAX_GC_MG) or (
            None not in doses and doses[1] > doses[0]):  # type: ignore[operator]
        return None
    if any(t.therapy == "glucocorticoids_oral" and t.stop is None and t.dose_unit == "mg/day"
           and (t.dose_value or 0) > PLATEAU_MAX_GC_MG for t in record.treatments):
        return None
    now_cs, then_cs = last.core_set, before.core_set
    if now_cs.physician_global is None or now_cs.physician_global > PLATEAU_PGA_CM or (
            then_cs.physician_global is not None
            and now_cs.physician_global > then_cs.physician_global):
        return None
    if now_cs.mmt8 is None or then_cs.mmt8 is None:
        return None
    scale = now_cs.mmt_max or (80 if now_cs.mmt8 <= 80 else 150)
    if now_cs.mmt8 < PLATEAU_STRENGTH_FRACTION * scale or now_cs.mmt8 < then_cs.mmt8:
        return None
    steady = _raised_ck_not_rising(last, before)
    if steady is None:
        return None
    now, then = steady
    return (f"a chronic plateau on treatment ({before.date} to {last.date}: MMT-8 "
            f"{then_cs.mmt8:g} to {now_cs.mmt8:g}/{scale}, physician global "
            f"{now_cs.physician_global:g} cm, CK {then.multiple_of_uln:.1f} to "
            f"{now.multiple_of_uln:.1f} x ULN): low-grade activity or damage, not a flare - no "
            "induction glucocorticoid; muscle MRI (oedema against fatty replacement) and the "
            "maintenance drug's dose and adherence reviewed; escalate only if strength falls or "
            "the CK keeps rising")


MILD_FLARE_PGA_CM = 4.0
MILD_FLARE_STRENGTH_FRACTION = 0.9
MILD_FLARE_CMAS = 45.0


def mild_flare(record: PatientRecord) -> str | None:
    """A flare that is mild at the latest visit: physician global 4 cm or less, strength at 90 %
    of the MMT-8 scale or more (or CMAS 45/52 or more), no moderate or severe dysphagia and no
    respiratory-muscle weakness. It is treated by a return to the last effective dose or a
    moderate rise, not the induction range (specialist reviews Y, Z3b, Z10b: 58-60 mg/day for
    a mild flare at 17 in early pregnancy). The thresholds are this project's."""
    if not record.visits:
        return None
    cs = record.visits[-1].core_set
    if cs.physician_global is None or cs.physician_global > MILD_FLARE_PGA_CM:
        return None
    if record.organs.dysphagia in ("moderate", "severe") \
            or record.organs.respiratory_muscle_weakness:
        return None
    if cs.mmt8 is not None:
        scale = cs.mmt_max or (80 if cs.mmt8 <= 80 else 150)
        if cs.mmt8 < MILD_FLARE_STRENGTH_FRACTION * scale:
            return None
        strength = f"MMT-8 {cs.mmt8:g}/{scale}"
    elif cs.cmas is not None:
        if cs.cmas < MILD_FLARE_CMAS:
            return None
        strength = f"CMAS {cs.cmas:g}/52"
    else:
        return None
    return f"physician global {cs.physician_global:g} cm, {strength}"


CONFIRM_FIRST_PGA_CM = 2.0


def flare_to_confirm(record: PatientRecord) -> bool:
    """A mild flare at full strength (MMT-8 at its maximum, or CMAS 52) with a physician global
    of 2 cm or less: the IMACS worsening definition can be met by rises of 30 % on near-zero
    scores and one CK, which a seizure, hard exercise, a fall or an injection can raise, so it
    is confirmed by repeat measures before any glucocorticoid change (specialist review Z65c
    P7: a steroid restart after 8 years off them, at full strength, on a CK raised by a
    seizure). The definition itself is unchanged; the threshold is this project's."""
    if mild_flare(record) is None:
        return False
    cs = record.visits[-1].core_set
    if cs.physician_global is None or cs.physician_global > CONFIRM_FIRST_PGA_CM:
        return False
    if cs.mmt8 is not None:
        return cs.mmt8 >= (cs.mmt_max or (80 if cs.mmt8 <= 80 else 150))
    return cs.cmas is not None and cs.cmas >= 52


MUSCLE_MARKERS = (Enzyme.CK, Enzyme.ALDOLASE)


def muscle_measured_recently(record: PatientRecord, days: int) -> bool:
    """False only when the muscle was measured on dated occasions (a strength score, MMT-8 or
    CMAS, at a visit, or a dated CK or aldolase) and none of them lies within ``days`` of the
    plan date: a remote review on old results is then not judged from them (specialist review
    U). An undated CK or aldolase, or a record with no dated muscle measure at all (a snapshot
    profile), is not called old: its age is unknown."""
    today = record.on()
    dated: list[dt.date] = [
        v.date for v in record.visits
        if v.core_set.mmt8 is not None or v.core_set.cmas is not None
        or any(e in v.labs.enzymes for e in MUSCLE_MARKERS)]
    for enzyme in MUSCLE_MARKERS:
        result = record.labs.enzymes.get(enzyme)
        if result is not None:
            if result.date is None:
                return True
            dated.append(result.date)
    dated += [r.date for r in record.lab_results if r.analyte in ("ck", "aldolase")]
    return not dated or any(0 <= (today - day).days <= days for day in dated)


def low_grade_chronic(record: PatientRecord) -> str | None:
    """Low-grade muscle activity two years or more into the disease: strength at 90 % of the
    MMT-8 maximum or more (CMAS 42 or more), physician global 3 cm or less and the muscle
    enzymes normal at the latest visit - the words, else None. Induction glucocorticoids are
    not the answer to it (specialist review Z14b P3: prednisolone 1-2 mg/kg/day for a
    15-year-old seven years into JDM with lipodystrophy, CMAS 45 and a normal CK)."""
    if record.months_since_onset < 24 or not record.visits:
        return None
    visit = record.visits[-1]
    cs = visit.core_set
    scores = ([cs.mmt8 >= 0.9 * cs.mmt_max] if cs.mmt8 is not None else []) + (
        [cs.cmas >= 42] if cs.cmas is not None else [])
    if not scores or not all(scores):
        return None
    # with ILD the physician global rates the lung (specialist review Z16c P8)
    lung_led = record.systemic.interstitial_lung_disease or (
        record.lung is not None and record.lung.shows_ild())
    if cs.physician_global is not None and cs.physician_global > 3 and not lung_led:
        return None
    enzymes = muscle_enzymes(enzymes_at(visit, record))
    ck = record.latest_lab("ck")
    normal = (bool(enzymes) and not any(r.elevated for r in enzymes.values())) or (
        ck is not None and ck.uln is not None and ck.value <= ck.uln)
    if not normal:
        return None
    return (f"{strength_scores(visit)}, muscle enzymes normal, "
            f"{record.months_since_onset:g} months in")


def strength_scores(visit: Visit) -> str:
    """The visit's strength scores as recorded ('MMT-8 74/80 and CMAS 45/52')."""
    cs = visit.core_set
    return " and ".join(([f"MMT-8 {cs.mmt8:g}/{cs.mmt_max}"] if cs.mmt8 is not None else [])
                        + ([f"CMAS {cs.cmas:g}/52"] if cs.cmas is not None else []))

"""What the patient takes and has taken: current courses and the oral glucocorticoid dose over
time, from treatment courses and visit doses together.

Split from the facts so that the rules, the regimens, the dosing and the charts read one
answer to "is this taken now?" and "how much prednisolone, since when?".
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.record import PatientRecord

GC_THERAPIES = {"glucocorticoids_oral"}
STOPPED_OUTCOMES = {"ineffective", "not_tolerated", "effective"}
VISIT_DOSE_VALID_DAYS = 365

def is_current(record: PatientRecord, start: dt.date | None, stop: dt.date | None,
               outcome: str, reason_stopped: str | None) -> bool:
    today = record.on()
    if start is not None and start > today:
        return False
    if stop is not None:
        return stop > today
    if reason_stopped == "patient_stopped" and start is not None:
        # stopped by the patient with no stop date recorded: possibly still taken, erratically -
        # a teratogen stays a teratogen (re-score of specialist review V)
        return True
    if reason_stopped is not None:
        return False
    if start is not None:
        # A dated course with no stop date is taken now whatever its outcome: reading it as
        # stopped hid a teratogen taken while conception was planned, and the monitoring of a
        # drug marked "ineffective" but still dispensed (H95). The plan asks for the stop.
        return True
    return outcome not in STOPPED_OUTCOMES


PULSE_COURSE_DAYS = 7
"""An IV methylprednisolone course lasts 3-5 days: undated ends are read as over after a week."""
RECENT_RITUXIMAB_DAYS = 730
"""B cells stay depleted for 6-12 months after rituximab, and a low IgG can last longer: a
cycle within two years still counts when infections or a low IgG are weighed (specialist
review N, December 2026)."""
RITUXIMAB_DEPLETION_DAYS = 365
"""The usual end of B-cell depletion after a cycle (6-12 months): beyond it, with normal counts
and IgG, a combination with another immunosuppressant no longer calls for PJP prophylaxis on
rituximab's account (specialist review Z66a P8: prophylaxis 14 months after the last cycle
with lymphocytes 1.3 and IgG 11.5); a project choice."""
RITUXIMAB_ACTIVE_DAYS = 182
"""A rituximab cycle counts as taken for 6 months after its last infusion (the usual interval
between cycles and the core of B-cell depletion); a project choice."""


def recent_rituximab(record: PatientRecord, days: int = RECENT_RITUXIMAB_DAYS) -> bool:
    """Rituximab taken now, or its last recorded infusion within ``days``."""
    today = record.on()
    return any(t.therapy == "rituximab" and (
        is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)
        or (t.stop or t.start or dt.date.min) >= today - dt.timedelta(days=days))
        for t in record.treatments)


def current_therapies(record: PatientRecord) -> frozenset[str]:
    """Courses taken now, plus oral glucocorticoids whenever a dose is recorded for today (a
    course marked "ineffective" with a dose still charted at the visits is still taken)."""
    current = {t.therapy for t in record.treatments
               if is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)}
    today = record.on()
    # IV methylprednisolone is a course of days: one started more than a week ago with no stop
    # date has ended, not 'taken now' (specialist reviews Z39a P5 and Z40c P5: pulses six months
    # before read as a course to 'complete', inviting a second induction in a child)
    if "methylprednisolone_iv_pulse" in current and all(
            t.start is not None and t.stop is None and (today - t.start).days > PULSE_COURSE_DAYS
            for t in record.treatments if t.therapy == "methylprednisolone_iv_pulse"
            and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)):
        current.discard("methylprednisolone_iv_pulse")
    if any(t.therapy == "rituximab" and t.stop is not None
           and 0 <= (today - t.stop).days <= RITUXIMAB_ACTIVE_DAYS
           and t.reason_stopped not in ("adverse_event", "inefficacy")
           and t.outcome not in ("ineffective", "not_tolerated")
           for t in record.treatments):
        # a cycle recorded with its last infusion as the stop date still depletes B cells for
        # months: it is taken now for PJP, IgG and infection rules (specialist review S: no
        # PJP line beside rituximab, mycophenolate and prednisolone with lymphocytes 0.6)
        current.add("rituximab")
    if not current & set(GC_THERAPIES):
        dose = gc_dose_now(record)
        if dose is not None and dose > 0:
            current.add("glucocorticoids_oral")
    return frozenset(current)


def oral_now(record: PatientRecord) -> frozenset[str]:
    """Therapies taken now by mouth (a course with its route recorded as oral)."""
    return frozenset(t.therapy for t in record.treatments if t.route == "oral"
                     and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped))


PULSE_DAY_MG = 250.0
"""A daily glucocorticoid dose at or above this is an IV pulse, not an oral course."""


def _gc_segments(record: PatientRecord) -> list[tuple[dt.date, dt.date, float]]:
    """(start, end, mg/day) intervals of oral glucocorticoid exposure up to the plan date."""
    today = record.on()
    segments: list[tuple[dt.date, dt.date, float]] = []
    for t in record.treatments:
        if t.therapy not in GC_THERAPIES or t.dose_value is None or t.start is None:
            continue
        dose = t.dose_value if t.dose_unit == "mg/day" else (
            t.dose_value * record.weight_kg
            if t.dose_unit == "mg/kg/day" and record.weight_kg is not None else None)
        if dose is not None:
            segments.append((t.start, min(t.stop or today, today), dose))
    # a visit dose of 250 mg/day or more is an IV pulse day, not an oral dose to continue
    # (specialist review Z12a: 'now 500 mg/day; taper as the response allows')
    dated = [(v.date, v.glucocorticoid_mg_per_day) for v in record.visits
             if v.glucocorticoid_mg_per_day is not None
             and v.glucocorticoid_mg_per_day < PULSE_DAY_MG]
    # a course's recorded stop ends a visit's dose too: the dose seen at a visit is not carried
    # past the day the course was stopped (specialist review Z45a P7: prednisolone stopped 14
    # months ago read as 'within the last year' from a visit 4 months before the stop)
    stops = [t.stop for t in record.treatments if t.therapy in GC_THERAPIES
             and t.stop is not None]
    starts = [t.start for t in record.treatments if t.therapy in GC_THERAPIES
              and t.start is not None]
    for index, (when, dose) in enumerate(dated):
        following = dated[index + 1][0] if index + 1 < len(dated) else None
        end = following or min(today, when + dt.timedelta(days=VISIT_DOSE_VALID_DAYS))
        stopped = [s for s in stops if when <= s < end
                   and not any(s < start <= end for start in starts)]
        if stopped:
            end = min(stopped)
        if dose is not None and when <= today:
            segments.append((when, end, dose))
    return segments


def gc_dose_now(record: PatientRecord) -> float | None:
    today = record.on()
    covering = [(start, dose) for start, end, dose in _gc_segments(record)
                if start <= today <= end]
    if covering:
        return max(covering)[1]  # the most recently started course or visit is current
    if any(t.therapy in GC_THERAPIES for t in record.treatments
           if is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)):
        return None  # taken now, dose not recorded
    return 0.0 if record.treatments or record.visits else None


def gc_dose_series(record: PatientRecord) -> list[tuple[dt.date, float]]:
    """Oral glucocorticoid dose (mg/day prednisone equivalent) at every date it changed, from
    treatment courses and visit doses together, as a step series for charts: on each day the
    most recently started course or visit dose applies, as in ``gc_dose_now``; after the last
    course or visit dose ends the dose is 0."""
    segments = _gc_segments(record)
    if not segments:
        return []
    changes = sorted({start for start, _, _ in segments}
                     | {end + dt.timedelta(days=1) for _, end, _ in segments})
    series: list[tuple[dt.date, float]] = []
    for day in changes:
        if day > record.on():
            break
        covering = [(start, dose) for start, end, dose in segments if start <= day <= end]
        dose = max(covering)[1] if covering else 0.0
        if series and series[-1][1] == dose:
            continue
        if series:  # hold the previous dose up to the day before the change: a step, not a ramp
            series.append((day - dt.timedelta(days=1), series[-1][1]))
        series.append((day, dose))
    last = series[-1]
    if last[0] < record.on():
        series.append((record.on(), last[1]))
    return series


def gc_free_months(record: PatientRecord) -> float | None:
    """Months since the last glucocorticoid dose when none is taken now (None when one is, or
    when no course was ever recorded): JDM withdrawal waits for a year off them."""
    if gc_dose_now(record) != 0.0:
        return None
    ends = [end for _, end, dose in _gc_segments(record) if dose > 0] + [
        t.stop for t in record.treatments if t.therapy in GC_THERAPIES and t.stop is not None]
    if not ends:
        return None
    return (record.on() - max(ends)).days / 30.4375


def gc_days_at_or_over(record: PatientRecord, threshold: float) -> float | None:
    """Days up to the plan date continuously at or above ``threshold`` mg/day."""
    today = record.on()
    spans = sorted((s, e) for s, e, dose in _gc_segments(record) if dose >= threshold)
    if not spans:
        return 0.0 if gc_dose_now(record) is not None else None
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        if start <= today <= end:
            return float((today - _after_a_lower_visit(record, start, threshold)).days)
    return 0.0


def _after_a_lower_visit(record: PatientRecord, start: dt.date, threshold: float) -> dt.date:
    """The start of the run at or above ``threshold``, moved past the latest visit inside it
    that recorded a lower dose: a visit is a dated observation of the dose actually taken, and
    a course entered with one dose for its whole span hides the steps (re-score of specialist
    review Z44a P3: 'PJP prophylaxis due, 2 weeks or more' five days after 5 mg rose to 30)."""
    today = record.on()
    lower = [v.date for v in record.visits if v.glucocorticoid_mg_per_day is not None
             and v.glucocorticoid_mg_per_day < threshold and start <= v.date <= today]
    if not lower:
        return start
    last_low = max(lower)
    rises = [v.date for v in record.visits if v.glucocorticoid_mg_per_day is not None
             and threshold <= v.glucocorticoid_mg_per_day < PULSE_DAY_MG
             and last_low < v.date <= today]
    rises += [t.start for t in record.treatments if t.therapy in GC_THERAPIES
              and t.start is not None and last_low < t.start <= today
              and t.dose_value is not None and t.dose_value >= threshold]
    return min(rises) if rises else last_low + dt.timedelta(days=1)


def steroid_sparing_weeks(record: PatientRecord, agents: set[str]) -> float | None:
    """Weeks since the earliest start of a non-glucocorticoid immunosuppressant taken now (None
    when none is taken, or none has a start date)."""
    starts = [t.start for t in record.treatments if t.therapy in agents and t.start
              and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)]
    if not starts:
        return None
    # a drug taken since before the myositis began (a transplant's tacrolimus) has treated it
    # only since its onset (specialist review Z50d P6: graft tacrolimus since 2012 read as 'a
    # year or more of a steroid-sparing agent' for a JDM of 8 months)
    first = min(starts)
    if "months_since_onset" in record.model_fields_set and record.months_since_onset > 0:
        onset = record.on() - dt.timedelta(days=round(float(record.months_since_onset) * 30.44))
        first = max(first, onset)
    return (record.on() - first).days / 7


def gc_total_days_at_or_over(record: PatientRecord, threshold: float) -> float:
    """Days up to the plan date at or above ``threshold`` mg/day in all, continuous or not:
    the exposure that can leave the adrenal axis suppressed after the glucocorticoid stops."""
    spans = sorted((s, e) for s, e, dose in _gc_segments(record) if dose >= threshold)
    total, end = 0, dt.date.min
    for start, stop in spans:
        start = max(start, end + dt.timedelta(days=1))
        if stop >= start:
            total += (stop - start).days + 1
            end = stop
    return float(total)

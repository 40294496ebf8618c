"""Readings of the dated laboratory series: rises, falls and multiples of the ULN that the
care-plan facts are built from (a creatinine creeping up, a haemoglobin falling, a CK that
makes a raised ALT muscular).
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.labs import Enzyme
from myositis.domain.record import PatientRecord

RISE_WINDOW_DAYS = 92
DECLINE_WINDOW_DAYS = 366
LONG_DECLINE_WINDOW_DAYS = 1096


def creatinine_rise(record: PatientRecord, window_days: int = RISE_WINDOW_DAYS) -> float | None:
    """Latest creatinine over the lowest value of the 3 months before it (for eGFR, the highest
    earlier value over the latest): the KDIGO acute-kidney-injury test is 1.5 times a baseline
    within 7 days; a slower rise of that size in a patient on renally cleared drugs needs the
    same review."""
    ratios = []
    for analyte, rising in (("creatinine", True), ("egfr", False)):
        series = sorted((r for r in record.lab_results if r.analyte == analyte),
                        key=lambda r: r.date)
        # the latest creatinine may be the labs section's, read as of today (specialist
        # re-score Z7a: 88 to 195 umol/L in septic shock was not seen as a kidney injury)
        newest = record.latest_lab(analyte) if rising else None
        if newest is not None and (not series or newest.date > series[-1].date):
            series.append(newest)
        if len(series) < 2:
            continue
        latest = series[-1]
        window = [r.value for r in series[:-1]
                  if 0 < (latest.date - r.date).days <= window_days and r.value > 0]
        if not window or latest.value <= 0:
            continue
        ratios.append(latest.value / min(window) if rising else max(window) / latest.value)
    return max(ratios) if ratios else None


CK_FALL_RATIO = 0.8
"""The latest CK at or below this fraction of the one before it is falling."""


def ck_falling(record: PatientRecord) -> bool | None:
    """The latest CK against the one before it within a year: falling (by a fifth or more) is
    True, otherwise False; one value alone is unknown. A falling CK on treatment is the
    myositis answering, not a statin toxicity building up (specialist review Z47a P4)."""
    series = sorted((r for r in record.lab_results if r.analyte == "ck" and r.value > 0),
                    key=lambda r: r.date)
    if len(series) < 2 or (series[-1].date - series[-2].date).days > DECLINE_WINDOW_DAYS:
        return None
    return series[-1].value <= CK_FALL_RATIO * series[-2].value


def _fall(record: PatientRecord, analyte: str) -> tuple[float, float] | None:
    """Highest value of the 3 months before the latest, and the latest, when it fell."""
    series = sorted((r for r in record.lab_results if r.analyte == analyte), key=lambda r: r.date)
    if len(series) < 2:
        return None
    latest = series[-1]
    window = [r.value for r in series[:-1] if 0 < (latest.date - r.date).days <= RISE_WINDOW_DAYS]
    return (max(window), latest.value) if window and max(window) > latest.value else None


def haemolysis_signs(record: PatientRecord, platelets: bool = True) -> frozenset[str]:
    """Signs of microangiopathic haemolysis in the recorded series: haemoglobin down by 15 g/L
    or more, or platelets by a quarter or more (or below 150), within 3 months, and LDH above
    its ULN (specialist review X: falling haemoglobin and platelets with a raised LDH in a
    suspected scleroderma renal crisis were recorded and not read). Each sign is named with
    its values so the clinician sees what was read."""
    signs = set()
    hb = _fall(record, "haemoglobin")
    if hb is not None and hb[0] - hb[1] >= 15:
        signs.add(f"haemoglobin {hb[0]:g} to {hb[1]:g} g/L")
    # a platelet fall marks a microangiopathy, not the red-cell haemolysis immunoglobulin
    # causes (specialist review Z64b P8: platelets 230 to 150 read as IVIG haemolysis)
    plt = _fall(record, "platelets") if platelets else None
    if plt is not None and (plt[1] <= 0.75 * plt[0] or plt[1] < 150):
        signs.add(f"platelets {plt[0]:g} to {plt[1]:g} x10^9/L")
    bilirubin = record.latest_lab("bilirubin")
    if bilirubin is not None and bilirubin.uln and bilirubin.value > bilirubin.uln:
        signs.add(f"bilirubin {bilirubin.value:g} umol/L (ULN {bilirubin.uln:g})")
    ldh = record.latest_lab("ldh")
    ck = record.latest_lab("ck")
    # LDH comes from muscle too: with a raised CK it says nothing about haemolysis (review U)
    muscle_active = ck is not None and ck.uln is not None and ck.value > ck.uln
    if ldh is not None and ldh.uln and ldh.value > ldh.uln and not muscle_active:
        signs.add(f"LDH {ldh.value / ldh.uln:.1f} x ULN")
    return frozenset(signs)


def haemoglobin_fall(record: PatientRecord) -> float | None:
    """Haemoglobin fall (g/L) from the highest value of the previous 3 months to the latest;
    0 when it has not fallen, unknown with fewer than two results."""
    if len([r for r in record.lab_results if r.analyte == "haemoglobin"]) < 2:
        return None
    fall = _fall(record, "haemoglobin")
    return 0.0 if fall is None else fall[0] - fall[1]


def neutrophil_fall_percent(record: PatientRecord) -> float | None:
    """Per cent fall of the neutrophil count from the highest of the previous 3 months to the
    latest; 0 when it has not fallen, unknown with fewer than two counts (specialist review I:
    5.6 to 1.8 in 7 weeks on azathioprine with allopurinol not remarked on)."""
    if len([r for r in record.lab_results if r.analyte == "neutrophils"]) < 2:
        return None
    fall = _fall(record, "neutrophils")
    return 0.0 if fall is None else round(100 * (fall[0] - fall[1]) / fall[0], 0)


def platelet_fall_percent(record: PatientRecord) -> float | None:
    """Per cent fall of the platelet count from the highest of the previous 3 months to the
    latest; 0 when it has not fallen, unknown with fewer than two counts (specialist review
    Z34a P4: 160 to 88 on LMWH in pregnancy, heparin-induced thrombocytopenia never considered)."""
    if len([r for r in record.lab_results if r.analyte == "platelets"]) < 2:
        return None
    fall = _fall(record, "platelets")
    return 0.0 if fall is None else round(100 * (fall[0] - fall[1]) / fall[0], 0)


def hbv_dna_recent(record: PatientRecord) -> bool | None:
    """HBV DNA undetectable within the last 4 weeks (True), detectable (False), else unknown:
    with anti-HBc alone and a very high CK, a raised ALT is then read as muscle (specialist
    review Y)."""
    dna = record.infection_screening.hbv_dna
    if dna is None or dna.result == "indeterminate":
        return None
    if dna.result == "positive":
        return False
    if dna.date is None or (record.on() - dna.date).days > 28:
        return None
    return True


def enzyme_x_uln(record: PatientRecord, enzyme: Enzyme) -> float | None:
    """Latest value of a muscle enzyme as a multiple of its ULN: a dated result, else the latest
    visit's enzymes, else the profile's (review J: an ALT recorded with the CK in the profile's
    enzymes was not read)."""
    dated = record.latest_lab(enzyme.value)
    if dated is not None and dated.uln:
        return dated.value / dated.uln
    for visit in reversed(record.visits):
        result = visit.labs.enzymes.get(enzyme)
        if result is not None:
            return result.multiple_of_uln
    result = record.labs.enzymes.get(enzyme)
    return result.multiple_of_uln if result is not None else None


def ck_x_uln(record: PatientRecord) -> float | None:
    """Latest CK as a multiple of its ULN (a dated result, else the latest visit's enzymes)."""
    return enzyme_x_uln(record, Enzyme.CK)


def above_uln(record: PatientRecord, analyte: str) -> bool | None:
    """Latest result above its ULN; unknown when not measured or reported without a ULN."""
    latest = record.latest_lab(analyte)
    if latest is None or latest.uln is None:
        return None
    return latest.value > latest.uln


TROUGH_VALID_DAYS = 92


def recent_value(record: PatientRecord, analyte: str, days: int) -> float | None:
    """The latest value if it was measured within ``days`` of the plan date (an older level
    says nothing about the dose taken now)."""
    latest = record.latest_lab(analyte)
    if latest is None or (record.on() - latest.date).days > days:
        return None
    return latest.value


ALBUMIN_REFERENCE_G_L = 40.0
CALCIUM_PER_G_ALBUMIN = 0.02


def adjusted_calcium(record: PatientRecord, days: int) -> float | None:
    """The latest calcium, albumin-adjusted (Payne: + 0.02 mmol/L for each g/L of albumin below
    40) when an albumin of the same week is recorded; a low albumin hides a raised calcium
    (specialist review Z53a P8: calcium 2.58 with albumin 33 on dialysis, adjusted 2.72, not
    flagged)."""
    calcium = record.latest_lab("calcium")
    if calcium is None or (record.on() - calcium.date).days > days:
        return None
    albumin = record.latest_lab("albumin")
    if albumin is None or abs((albumin.date - calcium.date).days) > 7 \
            or albumin.value >= ALBUMIN_REFERENCE_G_L:
        return calcium.value
    return round(calcium.value + CALCIUM_PER_G_ALBUMIN
                 * (ALBUMIN_REFERENCE_G_L - albumin.value), 2)


def hba1c_mmol_mol(record: PatientRecord) -> float | None:
    """Latest HbA1c in IFCC mmol/mol; a DCCT percentage is converted with the IFCC-DCCT master
    equation, mmol/mol = (% - 2.15) x 10.929."""
    latest = record.latest_lab("hba1c")
    if latest is None:
        return None
    if latest.unit == "%":
        return round((latest.value - 2.15) * 10.929, 1)
    return latest.value


HBA1C_DIABETES_MMOL_MOL = 48
"""WHO 2011: an HbA1c of 48 mmol/mol (6.5 %) or more is the diagnostic threshold for
diabetes; a record that states no diabetes but holds such a value is read as diabetes."""


HBA1C_DIABETES_PERCENT = 6.5


def ferritin_rise(record: PatientRecord) -> tuple[float, dt.date] | None:
    """Latest ferritin over the lowest of the 3 months before it, with the latest date: in
    anti-MDA5 disease a doubling is a warning of rapidly progressive ILD (specialist review F:
    290 to 1150 ng/mL in 4 weeks after a 'stable' lung assessment)."""
    series = sorted((r for r in record.lab_results if r.analyte == "ferritin"),
                    key=lambda r: r.date)
    if len(series) < 2:
        return None
    latest = series[-1]
    window = [r.value for r in series[:-1]
              if 0 < (latest.date - r.date).days <= RISE_WINDOW_DAYS and r.value > 0]
    if not window:
        return None
    return latest.value / min(window), latest.date


LUNG_DECLINE_WINDOW_DAYS = 365 + 31
"""Within a year of follow-up (ATS/ERS/JRS/ALAT 2022), plus a month because yearly lung-function
tests are rarely booked to the day (a project choice)."""
FVC_DECLINE_POINTS = 5.0
DLCO_DECLINE_POINTS = 10.0


def lung_fall(record: PatientRecord, attr: str
              ) -> tuple[dt.date, float, dt.date, float] | None:
    """The largest fall of one lung-function measure (``fvc_percent_predicted`` or
    ``dlco_percent_predicted``) into its latest dated value, from the best value within the
    year before it: (best date, best, latest date, latest); None with no such pair."""
    values = [(m.date, float(v)) for m in record.lung_series()
              if m.date is not None and (v := getattr(m, attr)) is not None]
    if len(values) < 2:
        return None
    latest_date, latest = values[-1]
    earlier = [(d, v) for d, v in values[:-1]
               if (latest_date - d).days <= LUNG_DECLINE_WINDOW_DAYS]
    if not earlier:
        return None
    best_date, best = max(earlier, key=lambda p: p[1])
    return best_date, best, latest_date, latest


def fvc_fall_points(record: PatientRecord) -> float | None:
    """The FVC fall in % predicted points within a year (0 when it rose), None when the series
    cannot tell; computed from the series, not from a description."""
    fall = lung_fall(record, "fvc_percent_predicted")
    return None if fall is None else max(0.0, fall[1] - fall[3])


def lung_function_decline(record: PatientRecord) -> str | bool | None:
    """The physiological criterion of progressive pulmonary fibrosis (ATS/ERS/JRS/ALAT 2022,
    Table 4): an absolute fall in FVC of 5 % predicted or more, or in DLCO of 10 % predicted or
    more, within a year. Returns a description of the fall ("FVC 72 -> 64 % predicted ..."),
    False when two measurements a year apart or less show no such fall, and None when the
    series cannot tell (fewer than two dated measurements of either)."""
    seen = False
    for name, attr, threshold in (("FVC", "fvc_percent_predicted", FVC_DECLINE_POINTS),
                                  ("DLCO", "dlco_percent_predicted", DLCO_DECLINE_POINTS)):
        fall = lung_fall(record, attr)
        if fall is None:
            continue
        seen = True
        best_date, best, latest_date, latest = fall
        if best - latest >= threshold:
            return (f"{name} {best:g} -> {latest:g} % predicted ({best_date.isoformat()} to "
                    f"{latest_date.isoformat()})")
    return False if seen else None


TROPONIN_SETTLING_FRACTION = 0.7
"""A fall of 30 % or more, beyond the assay's usual variation (about 20 %): a project threshold
(specialist review Y: troponin I 180 to 95 on treatment re-pulsed as new myocarditis)."""


def troponin_i_settling(record: PatientRecord) -> bool | None:
    """Troponin I down by 30 % or more between its last two results within 6 months: heart
    involvement that is settling on treatment (specialist review X: a falling troponin I four
    months after heart block read as new myocarditis needing IV pulses). None with fewer than
    two results."""
    series = sorted((r for r in record.lab_results if r.analyte == "troponin_i"),
                    key=lambda r: r.date)
    if len(series) < 2:
        return None
    before, latest = series[-2], series[-1]
    if (latest.date - before.date).days > 183 or before.value <= 0:
        return False
    return latest.value <= TROPONIN_SETTLING_FRACTION * before.value

"""Facts read from the dated laboratory series: kidney, liver, blood counts, thyroid, heart,
drug levels. Each is None when the record holds no usable result (unknown, never normal), and
a result too old to describe today counts as none.
"""

from __future__ import annotations

from myositis.domain.labs import Enzyme
from myositis.domain.record import PatientRecord
from myositis.services.careplan.endocrine_readers import (
    TSH_VALID_DAYS,
    read_hypothyroidism_overt,
    read_tsh_raised,
)
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.kidney_function import read_egfr
from myositis.services.careplan.lab_trends import (
    DECLINE_WINDOW_DAYS,
    LONG_DECLINE_WINDOW_DAYS,
    TROUGH_VALID_DAYS,
    above_uln,
    adjusted_calcium,
    ck_falling,
    ck_x_uln,
    creatinine_rise,
    enzyme_x_uln,
    haemoglobin_fall,
    haemolysis_signs,
    hba1c_mmol_mol,
    hbv_dna_recent,
    neutrophil_fall_percent,
    platelet_fall_percent,
    recent_value,
    troponin_i_settling,
)
from myositis.services.careplan.record_readers import child_pugh_lab_minimum, tacrolimus_trough_early

MONITORING_ANALYTES = frozenset({"neutrophils", "wbc", "alt", "platelets", "haemoglobin"})


LIVER_GGT_X_ULN = 3
"""A GGT this many times its upper limit points to the liver: muscle releases ALT and AST, not
GGT (Nathwani 2005)."""


def liver_markers_raised(record: PatientRecord) -> bool | None:
    """True when a recorded GGT of 3 x ULN or more (above its ULN beside a chronic liver
    disease), or a bilirubin above its ULN, says a raised ALT is not from muscle alone
    (specialist review Z38c P4: 'most likely from muscle' with GGT 7.5 x ULN, a raised bilirubin
    and a low albumin); None when neither is recorded with a ULN."""
    ggt = record.latest_lab("ggt")
    bili = record.latest_lab("bilirubin")
    seen = [r for r in (ggt, bili) if r is not None and r.uln]
    if not seen:
        return None
    # any GGT rise counts beside a chronic liver disease on record (specialist review Z55d P2:
    # 'probably from muscle' with GGT 1.6 x ULN and fatty liver recorded)
    known_liver = record.comorbidities.liver_disease is not None
    return bool((ggt is not None and ggt.uln and ggt.value >= (
        1 if known_liver else LIVER_GGT_X_ULN) * ggt.uln and ggt.value > ggt.uln)
                or (bili is not None and bili.uln and bili.value > bili.uln))


def blood_monitoring_days(record: PatientRecord) -> int | None:
    """Days since the latest blood count or liver test in the dated results; None when none is
    recorded (monitoring not shown, not known to be missing)."""
    dates = [r.date for r in record.lab_results if r.analyte in MONITORING_ANALYTES]
    return (record.on() - max(dates)).days if dates else None


def egfr_fall_5y_pct(record: PatientRecord) -> float | None:
    """The fall of the latest eGFR from the highest of the previous 5 years, in per cent (dated
    eGFR results only): a slow decline that a 3- or 12-month creatinine window misses (specialist
    review Z15c P5: eGFR 112, 88, 71 over four years on tacrolimus read as 'working: keep it').
    None with fewer than two results."""
    results = sorted((r for r in record.lab_results if r.analyte == "egfr"),
                     key=lambda r: r.date)
    if len(results) < 2:
        return None
    latest = results[-1]
    window = [r.value for r in results[:-1] if (latest.date - r.date).days <= 5 * 366]
    if not window:
        return None
    best = max(window)
    return round(100 * (best - latest.value) / best, 1) if best > 0 else None


def egfr_fall_3m_pct(record: PatientRecord) -> float | None:
    """The fall of the latest eGFR from the highest of the 3 months before it, in per cent: a
    fall that fast is a kidney injury to explain, not the slow decline of chronic calcineurin
    nephrotoxicity (specialist reviews Z56c P6 and Z56d P3: a fall over 11 weeks, and over 12
    days, called 'chronic'). None without an earlier result in those 3 months."""
    results = sorted((r for r in record.lab_results if r.analyte == "egfr"),
                     key=lambda r: r.date)
    if len(results) < 2:
        return None
    latest = results[-1]
    window = [r.value for r in results[:-1] if (latest.date - r.date).days <= 92]
    if not window or max(window) <= 0:
        return None
    return round(100 * (max(window) - latest.value) / max(window), 1)


def liver_markers_normal(record: PatientRecord) -> bool | None:
    """True only when both a GGT and a bilirubin are recorded with their ULN and neither is
    above it (re-score of specialist review Z44d P3: a missing bilirubin read as normal and a
    GGT of 2.5 x ULN as reassuring); None otherwise."""
    ggt = record.latest_lab("ggt")
    bili = record.latest_lab("bilirubin")
    if ggt is None or bili is None or not ggt.uln or not bili.uln:
        return None
    return True if ggt.value <= ggt.uln and bili.value <= bili.uln else None


def ggt_normal(record: PatientRecord) -> bool | None:
    """True when the latest GGT is recorded with its ULN and within it (specialist review Z50a
    P5: 'check GGT' beside a normal GGT of the same week); None otherwise."""
    ggt = record.latest_lab("ggt")
    return True if ggt is not None and ggt.uln and ggt.value <= ggt.uln else None


def lab_facts(record: PatientRecord) -> Facts:
    """The laboratory facts of the vocabulary, from ``record.lab_results``."""
    return {
        # the kidney's own stage, without the dosing clearance of the over-75s (specialist review
        # Z38d P6: 'eGFR below 30: no routine calcium' at a reported eGFR of 32)
        "egfr_stage": read_egfr(record, clearance=False),
        "ck_falling": ck_falling(record),
        "creatinine_rise": (rise := creatinine_rise(record)),
        # KDIGO's 1.5 times within the window: a kidney injury now (text choices read it)
        "kidney_injury_now": True if rise is not None and rise >= 1.5 else None,
        "haemolysis_signs": (signs := haemolysis_signs(record)),
        "red_cell_haemolysis_signs": (red_cell := haemolysis_signs(record, platelets=False)),
        "red_cell_haemolysis_suspected": True if red_cell else (
            False if any(record.latest_lab(a) for a in ("haemoglobin", "ldh")) else None),
        "haemoglobin_fall_g_l": haemoglobin_fall(record),
        "platelet_fall_percent": platelet_fall_percent(record),
        "neutrophil_fall_percent": neutrophil_fall_percent(record),
        "bilirubin_above_uln": (None if (bili := record.latest_lab("bilirubin")) is None
                                or not bili.uln else bili.value > bili.uln),
        "liver_markers_raised": liver_markers_raised(record),
        "liver_markers_normal": liver_markers_normal(record),
        "ggt_normal": ggt_normal(record),
        "triglycerides": recent_value(record, "triglycerides", 183),
        "potassium_5_or_more": (None if (k := recent_value(record, "potassium",
                                                           TROUGH_VALID_DAYS)) is None
                                else k >= 5),
        # an ACE inhibitor or ARB beside a very high CK is held when the kidney or the potassium
        # is worsening - a creatinine up a fifth, potassium 5.5 or more - not for a stable CK
        # alone (specialist reviews Z47d P7 and Z69c P4: ramipril held for a stable CK of 48 x
        # ULN in necrotising myopathy, with an unchanged creatinine, after a heart attack)
        "ace_inhibitor_hold_now": True if "ace_inhibitor_or_arb" in record.other_medicines and (
            max(rise or 0, creatinine_rise(record, DECLINE_WINDOW_DAYS) or 0) >= 1.2
            or (recent_value(record, "potassium", TROUGH_VALID_DAYS) or 0) >= 5.5) else None,
        # potassium already 5 or more beside a drug that holds it up: co-trimoxazole with a
        # calcineurin inhibitor tips it over in days (specialist review Z70a P7)
        "potassium_high_on_raas_blocker": True if (
            recent_value(record, "potassium", TROUGH_VALID_DAYS) or 0) >= 5 and bool(
            {"ace_inhibitor_or_arb", "potassium_sparing_diuretic"} & set(record.other_medicines))
        else None,
        "tacrolimus_trough_early": tacrolimus_trough_early(record),
        # the liver-injury pattern of the liver line: ALT 3 x ULN or more with a raised bilirubin
        "liver_injury_now": (None if (alt := enzyme_x_uln(record, Enzyme.ALT)) is None
                             or (b := record.latest_lab("bilirubin")) is None or not b.uln
                             else alt >= 3 and b.value > b.uln),
        "haemolysis_suspected": True if signs else (
            False if any(record.latest_lab(a) for a in ("haemoglobin", "platelets", "ldh"))
            else None),
        # a slower decline: BSR 2017 DMARD monitoring acts on a 30 % creatinine rise in 12 months
        "creatinine_rise_12m": (rise_12m := creatinine_rise(record, DECLINE_WINDOW_DAYS)),
        # no creatinine in the 3 months before the latest, but a lower one within the year: the
        # injury is measured against that older baseline (specialist review Z46: 'until a
        # baseline shows otherwise' with a creatinine of 80 eight months before)
        "kidney_fall_vs_older_baseline": (True if rise is None and rise_12m is not None
                                          and rise_12m >= 1.5 else None),
        # calcineurin nephrotoxicity creeps over years: a 3-year window (specialist review Q:
        # eGFR 98 to 68 over 26 months on tacrolimus was not seen by the 12-month test)
        "creatinine_rise_3y": creatinine_rise(record, LONG_DECLINE_WINDOW_DAYS),
        "igg": (lab.value if (lab := record.latest_lab("igg")) is not None else None),
        "neutrophils": (n.value if (n := record.latest_lab("neutrophils")) is not None
                        else None),
        "wbc": (w.value if (w := record.latest_lab("wbc")) is not None else None),
        "platelets": (pl.value if (pl := record.latest_lab("platelets")) is not None else None),
        "lymphocytes": (ly.value if (ly := record.latest_lab("lymphocytes")) is not None
                        else None),
        "alt_x_uln": enzyme_x_uln(record, Enzyme.ALT),
        "ast_x_uln": enzyme_x_uln(record, Enzyme.AST),
        "ldh_x_uln": enzyme_x_uln(record, Enzyme.LDH),
        "ck_x_uln": ck_x_uln(record),
        "hbv_dna_undetectable_recent": hbv_dna_recent(record),
        "child_pugh_lab_min": child_pugh_lab_minimum(record),
        "ldl_mmol_l": recent_value(record, "ldl_cholesterol", 365),
        "hba1c_mmol_mol": hba1c_mmol_mol(record),
        "troponin_i_raised": above_uln(record, "troponin_i"),
        "troponin_i_settling": troponin_i_settling(record),
        "troponin_t_raised": above_uln(record, "troponin_t"),
        # a TSH from long ago says nothing about the thyroid now: unknown after 6 months
        "tsh_raised": (read_tsh_raised(record)
                       if recent_value(record, "tsh", TSH_VALID_DAYS) is not None else None),
        "tsh": recent_value(record, "tsh", TSH_VALID_DAYS),
        # a suppressed TSH with a raised free T4: thyrotoxicosis, not a myositis mimic of the
        # hypothyroid kind (specialist review Z40c P8: thyroiditis on pembrolizumab read as
        # hypothyroidism)
        # (the record accepts free T4 in pmol/L only)
        "thyrotoxicosis": (None if (tsh_now := recent_value(record, "tsh", TSH_VALID_DAYS)) is None
                           or (ft4 := recent_value(record, "free_t4", TSH_VALID_DAYS)) is None
                           else tsh_now < 0.1 and ft4 > 22),
        "hypothyroidism_overt": read_hypothyroidism_overt(record, TSH_VALID_DAYS),
        "free_t4": recent_value(record, "free_t4", TSH_VALID_DAYS),
        "tacrolimus_trough": (trough := recent_value(record, "tacrolimus_trough",
                                                    TROUGH_VALID_DAYS)),
        # above the 5-10 ng/mL used in myositis: 'check the trough' is already answered
        # (specialist review Z54c: 'keep it, check the trough (lower it if high)' at 13.8)
        "tacrolimus_trough_above_range": None if trough is None else trough > 10,
        "potassium": recent_value(record, "potassium", TROUGH_VALID_DAYS),
        # an INR moves within days: one older than 2 weeks does not describe today
        "inr": recent_value(record, "inr", 14),
        "warfarin_inr_high": (None if (inr := recent_value(record, "inr", 14)) is None
                              else "warfarin" in record.other_medicines and inr > 3),
        "cd4": recent_value(record, "cd4", TSH_VALID_DAYS),
        # a high haemoglobin thickens the blood (specialist review Z56c P8: 168 g/L on
        # testosterone before 2 g/kg of IVIG)
        "haemoglobin": recent_value(record, "haemoglobin", TROUGH_VALID_DAYS),
        "calcium": (calcium := adjusted_calcium(record, TROUGH_VALID_DAYS)),
        # above the laboratory's own limit (specialist review Z54d P5: 2.62 against a limit of
        # 2.6 in pregnancy with sarcoidosis, and 'calcium and vitamin D now')
        "calcium_above_uln": None if calcium is None or (
            ca := record.latest_lab("calcium")) is None or ca.uln is None
        else calcium > ca.uln,
        # either reading of a raised calcium, as the hypercalcaemia rule takes it (specialist
        # review Z56d P7: 3.16 mmol/L without a laboratory limit)
        "calcium_raised": None if calcium is None else calcium >= 2.65 or (
            (ca := record.latest_lab("calcium")) is not None and ca.uln is not None
            and calcium > ca.uln),
        "egfr_fall_5y_pct": egfr_fall_5y_pct(record),
        "egfr_fall_3m_pct": egfr_fall_3m_pct(record),
        "blood_monitoring_days": blood_monitoring_days(record),
    }


__all__ = [
    "LIVER_GGT_X_ULN",
    "blood_monitoring_days",
    "egfr_fall_3m_pct",
    "egfr_fall_5y_pct",
    "ggt_normal",
    "lab_facts",
    "liver_markers_normal",
    "liver_markers_raised",
]

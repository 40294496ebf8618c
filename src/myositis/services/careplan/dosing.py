"""Doses computed for this patient from the curated ranges in ``doses.yaml``.

The plan names a therapy; the prescriber needs the number for this weight or body-surface area.
Each line shows the arithmetic (range per kg or per m2, the weight or BSA, the ceiling) so that a
clinician can check it at a glance; nothing is computed when the weight (or height, for BSA) is
not recorded, and the plan lists it among the unknowns. This is a check, not a prescription.
"""

from __future__ import annotations

import math

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import DoseLimit, DoseRange
from myositis.services.careplan.exposure import is_current
from myositis.services.careplan.kidney_function import kidney_figure_name, read_egfr
from myositis.services.careplan.model import DoseLine
from myositis.services.careplan.phenotype import rp_ild


def mosteller_bsa(weight_kg: float, height_cm: float) -> float:
    """Body-surface area in m2: sqrt(height x weight / 3600) (Mosteller 1987)."""
    return math.sqrt(height_cm * weight_kg / 3600)


def _number(value: float) -> str:
    if value >= 100:
        return f"{round(value / 5) * 5:g}"  # to the nearest 5 mg above 100
    if value >= 10:
        # whole mg, but a half below 20 mg (12.5 mg of methotrexate) is kept as it is; a computed
        # 20.3 mg is never rounded up to a 20.5 nobody can give (re-score of review S)
        return f"{value:g}" if value < 20 and (value * 2).is_integer() else f"{round(value):g}"
    if value < 1:
        # a per-kg figure keeps its third decimal: 0.075 mg/kg shown as 0.07 did not match the
        # 3.9 mg worked out from it (specialist review Z22b P2)
        return f"{round(value, 3):g}"
    return f"{round(value, 2):g}"


def _range(low: float | None, high: float) -> str:
    return f"{_number(low)}-{_number(high)}" if low is not None and low != high \
        else (f"up to {_number(high)}" if low is None else _number(high))


def _per(basis: str) -> str:
    return {"per_kg": "/kg", "per_m2": "/m2"}.get(basis, "")


def _unit_per(unit: str, basis: str) -> str:
    """'mg/day' per kg is 'mg/kg/day'; 'g per course' per kg is 'g/kg per course'."""
    per = _per(basis)
    if not per:
        return unit
    head, sep, tail = unit.partition("/")
    if sep:
        return f"{head}{per}/{tail}"
    head, sep, tail = unit.partition(" ")
    return f"{head}{per}{sep}{tail}"


def _size(entry: DoseRange, record: PatientRecord) -> tuple[float, str]:
    """(weight or body-surface area, its text); callers check needs_measurements() first."""
    if needs_measurements(entry, record):
        raise ValueError(f"{entry.therapy}: weight (and height) needed for a {entry.basis} dose")
    assert record.weight_kg is not None
    if entry.basis == "per_kg":
        return record.weight_kg, f" x {record.weight_kg:g} kg"
    assert record.height_cm is not None
    bsa = mosteller_bsa(record.weight_kg, record.height_cm)
    return bsa, f" x BSA {bsa:.2f} m2"


def dose_line(entry: DoseRange, name: str, record: PatientRecord) -> DoseLine:
    """The curated range worked out for this patient, showing its arithmetic."""
    range_text = f"{_range(entry.low, entry.high)} {_unit_per(entry.unit, entry.basis)}"
    bmi = _bmi(record)
    obese = entry.weight is not None and entry.basis == "per_kg" and bmi is not None \
        and bmi >= entry.weight.bmi_at_least
    # the Devine ideal weight is an adult formula: a smaller child's dose stays on actual weight
    # and the dosing weight is agreed with the paediatric pharmacist
    grown = adult_sized(record)
    adjusted = adjusted_weight(record) if obese and grown else None
    if entry.basis == "fixed":
        text = range_text
    else:
        factor, basis_text = _size(entry, record)
        if adjusted is not None and bmi is not None:
            # with obesity the headline is worked out on the adjusted weight, the figure the
            # pharmacy checks (specialist reviews Z4c, Z23b P1: azathioprine 275-345 mg/day and
            # IVIG 275 g headlined on 138 kg, corrected lower only further along the line)
            factor = adjusted
            basis_text = (f" x adjusted weight {adjusted:.0f} kg = ideal weight + 0.4 x the "
                          f"excess; actual {record.weight_kg:g} kg, BMI {bmi:.0f}")
        low = entry.low * factor if entry.low is not None else None
        high = entry.high * factor
        capped = entry.max is not None and high > entry.max
        if entry.max is not None:
            high = min(high, entry.max)
            low = min(low, entry.max) if low is not None else None
        kg_capped = ""
        if entry.per_kg_at_most is not None and record.weight_kg is not None:
            ceiling = entry.per_kg_at_most * float(record.weight_kg)
            if ceiling < high:
                high = ceiling
                low = min(low, high) if low is not None else None
                kg_capped = f", at most {_per_kg_text(entry)} here"
        text = (f"{_range(low, high)} {entry.unit} ({range_text}{basis_text}"
                + (f", maximum {_number(entry.max)} {entry.unit}" if capped and entry.max
                   else "") + kg_capped + ")")
    if entry.note:
        text += f"; {entry.note}"
    citations = list(entry.sources)
    if obese and entry.weight is not None and bmi is not None and adjusted is not None:
        text += f"; BMI {bmi:.0f}: {entry.weight.note}"
        citations += [s for s in entry.weight.sources if s not in citations]
    elif obese and bmi is not None and not grown:
        text += (f"; BMI {bmi:.0f}: shown on actual weight - a child's dosing weight with "
                 "obesity is agreed with the paediatric pharmacist")
    return DoseLine(therapy=entry.therapy, name=name, text=text, citations=citations)


def _per_kg_text(entry: DoseRange) -> str:
    """A per-kg ceiling in mg/kg when the range is in grams (10 mg/kg, not 0.01 g/kg)."""
    assert entry.per_kg_at_most is not None
    amount, _, period = entry.unit.partition(" ")
    if amount == "g":
        return f"{entry.per_kg_at_most * 1000:g} mg/kg" + (f" {period}" if period else "")
    return f"{entry.per_kg_at_most:g} {amount}/kg" + (f" {period}" if period else "")


def adjusted_weight(record: PatientRecord) -> float | None:
    """Adjusted body weight for dosing in obesity: ideal weight (Devine: 50 kg for men, 45.5 kg
    for women, plus 0.91 kg per cm above 152.4 cm) plus 0.4 of the excess; None without sex,
    height or weight, or when the actual weight is not above the ideal."""
    if record.weight_kg is None or record.height_cm is None \
            or record.sex not in ("female", "male"):
        return None
    ideal = (50.0 if record.sex == "male" else 45.5) + 0.91 * (float(record.height_cm) - 152.4)
    actual = float(record.weight_kg)
    return ideal + 0.4 * (actual - ideal) if actual > ideal > 0 else None


def adult_sized(record: PatientRecord) -> bool:
    """An adult, or an adolescent of 12 or more weighing 50 kg or more: the adult flare step
    (about 0.5 mg/kg/day on the dose weight) rather than a child's 1-2 mg/kg/day (specialist
    reviews Z3b and Z26a P6: 60 mg/day for a moderate flare in a 98 kg 15-year-old already
    harmed by glucocorticoids)."""
    age = record.age_years()
    return age >= 18 or (age >= 12 and record.weight_kg is not None
                         and float(record.weight_kg) >= 50)


def glucocorticoid_weight(record: PatientRecord) -> float | None:
    """The weight an adult's (or adult-sized adolescent's) per-kg glucocorticoid step is worked
    out on: the adjusted weight from a BMI of 30 (specialist review Z23d P4: 'about 0.5
    mg/kg/day, 60 mg/day at 148 kg' for a flare in insulin-treated diabetes), otherwise the
    actual weight."""
    bmi = _bmi(record)
    if adult_sized(record) and bmi is not None and bmi >= 30:
        adjusted = adjusted_weight(record)
        if adjusted is not None:
            return round(adjusted)
    return float(record.weight_kg) if record.weight_kg is not None else None


def _bmi(record: PatientRecord) -> float | None:
    if record.weight_kg is None or record.height_cm is None:
        return None
    return float(record.weight_kg) / (float(record.height_cm) / 100) ** 2


def needs_measurements(entry: DoseRange, record: PatientRecord) -> bool:
    """True when the weight (or, for a surface-based dose, weight and height) is missing."""
    if entry.basis == "per_kg":
        return record.weight_kg is None
    if entry.basis == "per_m2":
        return record.weight_kg is None or record.height_cm is None
    return False


def _entry(kb: KnowledgeBase, therapy: str, population: str,
           record: PatientRecord) -> DoseRange | None:
    """The dose entry for this patient: one for their setting first (checkpoint-inhibitor
    myositis has its own glucocorticoid doses; so has rapidly progressive ILD, whose regimen
    says 'about 1 mg/kg/day' - review Z59b P5: a worked 0.5-1 mg/kg beside it), then their
    population, then "any"."""
    context = ("checkpoint_inhibitor" if "immune_checkpoint_inhibitor" in record.other_medicines
               else "rapidly_progressive_ild" if rp_ild(record) else None)
    entries = [d for d in kb.doses if d.therapy == therapy]
    for wanted in ((context, population), (None, population), (None, "any")):
        found = next((d for d in entries if (d.context, d.population) == wanted), None)
        if found is not None:
            return found
    return None


def doses_for(record: PatientRecord, kb: KnowledgeBase, therapies: list[str]
              ) -> tuple[list[DoseLine], list[str]]:
    """One line per therapy named, for the patient's population (child under 18), and the
    names of those whose dose cannot be worked out because a measurement is missing (listed
    once among the unknowns instead of a line each)."""
    child = record.age_years() < 18
    population = "child" if child else "adult"
    out: list[DoseLine] = []
    missing: list[str] = []
    for therapy in dict.fromkeys(therapies):
        entry = _entry(kb, therapy, population, record)
        if entry is None:
            continue
        if needs_measurements(entry, record):
            missing.append(kb.therapies[therapy].name)
        else:
            entry, why = limited(entry, record)
            line = dose_line(entry, kb.therapies[therapy].name, record)
            if why:
                line.text += f"; {why}"
            out.append(line)
    return out, missing


def limited(entry: DoseRange, record: PatientRecord) -> tuple[DoseRange, str]:
    """The range with the tightest ceiling that applies to this patient - kidney function,
    pregnancy or an interacting medicine - and the reason, or the range unchanged."""
    # the eGFR the safety rules read (reported, or estimated from creatinine), and dialysis as
    # below 15 (review Z4c: mycophenolate 2-3 g/day printed for a patient on haemodialysis whose
    # creatinine, not an eGFR, was on file)
    egfr_value = read_egfr(record)
    if record.comorbidities.dialysis is True:
        egfr_value = min(egfr_value, 10.0) if egfr_value is not None else 10.0
    # a drug started while she plans a pregnancy will be taken in it: the pregnancy ceiling
    # applies from now (specialist review N: azathioprine at 2-3 mg/kg/day for a woman trying
    # to conceive, while the same plan caps it at 2 in pregnancy)
    r = record.reproduction
    planning = r.planning_conception is True \
        and record.organs.pulmonary_hypertension != "confirmed" and (
        r.can_become_pregnant is True
        or (r.can_become_pregnant is None and record.sex == "female"
            and r.postmenopausal is not True))
    pregnant = record.is_pregnant() or planning
    genes = record.immunogenetics
    intermediate = "intermediate" in (genes.tpmt, genes.nudt15)
    bsa = (mosteller_bsa(record.weight_kg, record.height_cm)
           if record.weight_kg is not None and record.height_cm is not None else None)

    def holds(lim: DoseLimit) -> bool:
        # every condition a limit states must hold (a genotype with an interaction compounds
        # both reductions: specialist review M, allopurinol's quarter dose given to an
        # intermediate metaboliser at the full-genotype range)
        return ((lim.egfr_below is None or (egfr_value is not None
                                             and egfr_value < lim.egfr_below))
                and (not lim.pregnant or pregnant)
                and (not lim.with_medicine
                     or bool(set(lim.with_medicine) & set(record.other_medicines)))
                and (lim.thiopurine is None or intermediate)
                and (lim.age_at_least is None or record.age_years() >= lim.age_at_least)
                and (lim.bsa_at_most is None or (bsa is not None and bsa <= lim.bsa_at_most)))

    applying = [lim for lim in entry.limits if holds(lim)]
    if not applying:
        return entry, ""
    tightest = min(applying, key=lambda lim: lim.high)
    high = min(entry.high, tightest.high)
    low = tightest.low if tightest.low is not None else (
        entry.low if entry.low is not None and entry.low < high else None)
    # a per-kg ceiling (age, for a surface-based pulse) applies beside the tightest range
    # (specialist review Z23c P4: cyclophosphamide 0.91-1.2 g at 74 while the same line said
    # 10 mg/kg over 70)
    by_kg = min((lim for lim in applying if lim.per_kg_at_most is not None),
                key=lambda lim: lim.per_kg_at_most or 0.0, default=None)
    ranged = high < entry.high or low != entry.low
    sources = [*entry.sources, *(k for lim in (tightest, by_kg) if lim for k in lim.sources)]
    why = [f"at most {_number(high)} {_unit_per(entry.unit, entry.basis)} here: {tightest.note}"
           if ranged else "",
           by_kg.note if by_kg is not None and not (ranged and by_kg is tightest) else ""]
    per_kg_cap = by_kg.per_kg_at_most if by_kg is not None else None
    return entry.model_copy(update={"high": high, "low": low, "per_kg_at_most": per_kg_cap,
                                    "sources": list(dict.fromkeys(sources))}), \
        "; ".join(w for w in why if w)


TAPERED = {"glucocorticoids_oral", "methylprednisolone_iv_pulse"}
ACCUMULATES_IN_KIDNEY_FAILURE = frozenset({"hydroxychloroquine"})
"""Drugs whose weight-based ceiling is no target with kidney failure, for want of a published
renal figure (the kidney rule asks for a reduced dose with nephrology)."""
KIDNEY_LIMITED_BELOW_60 = frozenset({"methotrexate"})
"""Drugs whose dose is reduced below an eGFR of 60 (the methotrexate kidney limit): a dose
below the range there is the limit, not an inadequate trial."""
LEVEL_GUIDED = {"tacrolimus": "tacrolimus_trough"}
"""Drugs dosed by their blood level once one is measured: a weight-based verdict would invite
a higher dose at a trough already at target (specialist review V: tacrolimus 0.05 mg/kg/day
"below its range" with a trough of 9.8 ng/mL on an azole)."""
LEVEL_VALID_DAYS = 90
GRAFT_DOSED = frozenset({"tacrolimus", "ciclosporin", "mycophenolate", "azathioprine",
                         "sirolimus"})
PER_DAY = {"mg/day": 1.0, "g/day": 1000.0, "mg/week": 1 / 7}
PER_WEEK = {"mg/week": 1.0, "mg/day": 7.0}


def current_dose_checks(record: PatientRecord, kb: KnowledgeBase,
                        current: frozenset[str], controlled: bool = False) -> list[DoseLine]:
    """For drugs taken now with a recorded dose: the dose per kg (or per m2) beside the
    curated range, so that an under-dosed agent is not called failed and an over-dose is seen
    (specialist review: azathioprine at 1.2 mg/kg/day was never questioned)."""
    out = []
    population = "child" if record.age_years() < 18 else "adult"
    for t in record.treatments:
        if t.therapy not in current or t.dose_value is None or t.dose_unit is None \
                or t.therapy in TAPERED:
            continue  # a glucocorticoid's induction range is no target during its taper
        if record.comorbidities.solid_organ_transplant and t.therapy in GRAFT_DOSED:
            continue  # the transplant team doses it on troughs (review Z27d P4, H842)
        entry = _entry(kb, t.therapy, population, record)
        if entry is not None and entry.basis == "fixed":
            line = _fixed_dose_check(t.therapy, t.dose_value, t.dose_unit, entry, record, kb,
                                     controlled)
            if line is not None:
                out.append(line)
            continue
        if entry is None or needs_measurements(entry, record):
            continue
        obese_course = _per_kg_course_in_obesity(t.therapy, t.dose_value, t.dose_unit, entry,
                                                 record, kb)
        if obese_course is not None:
            out.append(obese_course)
            continue
        entry, why = limited(entry, record)  # the range that applies to this patient
        weekly = entry.unit.endswith("/week")
        factor = (PER_WEEK if weekly else PER_DAY).get(t.dose_unit)
        if factor is None or not entry.unit.startswith("mg"):
            continue
        amount = t.dose_value * factor
        size, _ = _size(entry, record)
        per = amount / size
        where = ("below" if entry.low is not None and per < entry.low * 0.95 else
                 "above" if per > entry.high * 1.05 else
                 # inside the 5 % tolerance but under the range (review E: 1.95 'within' 2-3)
                 "at the low edge of" if entry.low is not None and per < entry.low else
                 "at the top edge of" if per > entry.high else "within")
        if where == "below" and controlled:
            continue  # a lower dose that keeps the disease quiet is a maintenance dose (H104)
        unit = _unit_per(entry.unit, entry.basis)
        if t.therapy in LEVEL_GUIDED:
            # judged by its trough, never by weight; without a recent one the weight range does
            # not call it low (specialist review Z58d P6: 'raise tacrolimus to its usual dose
            # first' by mg/kg, with no trough recorded)
            level = record.latest_lab(LEVEL_GUIDED[t.therapy])
            recent = level is not None and (record.on() - level.date).days <= LEVEL_VALID_DAYS
            by_level = (f"dosed by its trough level ({_number(level.value)} {level.unit} on "
                        f"{level.date}), not by weight" if level is not None and recent else
                        f"dosed by its trough level, none recorded in the last "
                        f"{LEVEL_VALID_DAYS} days - measure the trough before judging the dose")
            out.append(DoseLine(
                therapy=t.therapy, name=kb.therapies[t.therapy].name,
                text=f"taken now {_number(amount)} {entry.unit} = {_number(per)} {unit}; "
                     + by_level,
                citations=list(entry.sources)))
            continue
        egfr = read_egfr(record)
        kidney = t.therapy in ACCUMULATES_IN_KIDNEY_FAILURE and (
            record.comorbidities.dialysis is True or (egfr is not None and egfr < 30))
        # below the range because the kidney limits it: not raised to the range (specialist
        # review Z69b P5: 'has not had an adequate trial' for methotrexate at an eGFR of 52,
        # beside 'reduce the dose')
        kidney_held_low = where == "below" and t.therapy in KIDNEY_LIMITED_BELOW_60 and (
            record.comorbidities.dialysis is True or (egfr is not None and egfr < 60))
        out.append(DoseLine(
            therapy=t.therapy, name=kb.therapies[t.therapy].name,
            text=(f"taken now {_number(amount)} {entry.unit} = {_number(per)} {unit}, {where} "
                  f"the curated {_range(entry.low, entry.high)} {unit}"
                  + (_kidney_held_low_text(record, egfr) if kidney_held_low else
                     "; a drug below its range has not had an adequate trial"
                     if where == "below" else "") + (f"; {why}" if why else "")
                  # the weight ceiling is not the target with kidney failure (specialist review
                  # Z25d P8: 200 mg/day on dialysis 'within the curated range')
                  + (f"; with {kidney_figure_name(record)} below 30 or dialysis the weight "
                     "ceiling is not the target - a reduced dose agreed with nephrology (see "
                     "the kidney line)"
                     if kidney else "")),
            citations=list(entry.sources), below_range=where == "below" and not kidney_held_low))
    return out


def _per_kg_course_in_obesity(therapy: str, value: float, unit: str, entry: DoseRange,
                              record: PatientRecord, kb: KnowledgeBase) -> DoseLine | None:
    """A course recorded per kg (IVIG at 2 g/kg) and taken on the actual weight by an adult with
    obesity: the course in grams on both weights, so the pharmacy can agree the dose-determining
    weight (specialist review Z71b P2: 228 g a course for a 114-kg man with heart and kidney
    failure, with no dose line at all)."""
    if unit != "g/kg" or entry.weight is None or entry.basis != "per_kg" \
            or not entry.unit.startswith("g") or record.weight_kg is None:
        return None
    bmi = _bmi(record)
    adjusted = adjusted_weight(record)
    if bmi is None or bmi < entry.weight.bmi_at_least or adjusted is None \
            or not adult_sized(record):
        return None
    actual = value * float(record.weight_kg)
    return DoseLine(
        therapy=therapy, name=kb.therapies[therapy].name,
        text=(f"taken now {value:g} g/kg = {actual:.0f} g a course on the actual weight of "
              f"{record.weight_kg:g} kg; at BMI {bmi:.0f} the course is {entry.weight.note} - "
              f"{value * round(adjusted):.0f} g on an adjusted weight of {adjusted:.0f} kg (less "
              "fluid and thrombosis load)"),
        citations=list(dict.fromkeys([*entry.sources, *entry.weight.sources])))


def _kidney_held_low_text(record: PatientRecord, egfr: float | None) -> str:
    """Why a dose below the range is not raised: the kidney limits it."""
    where = ("on dialysis" if egfr is None or record.comorbidities.dialysis is True
             else f"at {kidney_figure_name(record)} {egfr:g}")
    return (f"; {where} it is not raised to the range (it accumulates with reduced kidney "
            "function) - adherence checked, and a poor response met by another agent rather "
            "than a higher dose")


def _fixed_dose_check(therapy: str, value: float, unit: str, entry: DoseRange,
                      record: PatientRecord, kb: KnowledgeBase,
                      controlled: bool) -> DoseLine | None:
    """A fixed-dose drug (mycophenolate 2-3 g/day) taken below its range while the disease is
    not controlled: it has not had an adequate trial (specialist review Z11c follow-up:
    mycophenolate 1 g/day for seven weeks read as failed, and the lung escalated). Doses
    above the kidney ceiling are ``above_limit``'s."""
    limited_entry, why = limited(entry, record)
    if limited_entry.low is None or controlled:
        return None
    taken = _in_mg(value, unit)
    low = _in_mg(limited_entry.low, entry.unit)
    if taken is None or low is None or taken[1] != low[1] or taken[0] >= low[0] * 0.95:
        return None
    return DoseLine(
        therapy=therapy, name=kb.therapies[therapy].name,
        text=(f"taken now {_number(value)} {unit}, below the curated "
              f"{_range(limited_entry.low, limited_entry.high)} {entry.unit}; a drug below its "
              "range has not had an adequate trial: raise it as tolerated before calling it "
              "failed" + (f"; {why}" if why else "")),
        citations=list(limited_entry.sources), below_range=True)


BOOKED_PER_DAY = {"mg/day": ("", 1.0), "g/day": ("", 1000.0), "mg": ("", 1.0),
                  "g": ("", 1000.0), "mg/kg": ("kg", 1.0), "mg/kg/day": ("kg", 1.0),
                  "mg/m2": ("m2", 1.0)}
BOOKED_PER_WEEK = {"mg/week": ("", 1.0), "mg/m2/week": ("m2", 1.0)}
"""How a booked dose in each recorded unit becomes mg per day (or per week) for the ceiling
check: a per-kg or per-m2 booking is multiplied by the weight or body-surface area; a dose per
administration ('30 mg/kg' of a daily pulse) counts as that day's dose."""


def booked_dose_above_ceiling(record: PatientRecord, kb: KnowledgeBase, therapy: str,
                              value: float | None, unit: str | None) -> str | None:
    """A booked dose that works out above the curated ceiling for this patient, in words; else
    None. The per-kg figure alone hides the ceiling in a heavy patient (specialist review Z59c
    P2: IV methylprednisolone 30 mg/kg booked for a 17-year-old of 128 kg, 3.84 g a pulse)."""
    if value is None or unit is None:
        return None
    entry = _entry(kb, therapy, "child" if record.age_years() < 18 else "adult", record)
    if entry is None or not entry.unit.startswith("mg"):
        return None
    # the ceiling that applies to this patient - kidney function, pregnancy, a genotype or an
    # interacting medicine (specialist review Z62a P7: azathioprine 150 mg/day booked for a TPMT
    # intermediate metaboliser on allopurinol, whose ceiling here is about 35 mg/day)
    entry, why = limited(entry, record)
    table = BOOKED_PER_WEEK if entry.unit.endswith("/week") else \
        BOOKED_PER_DAY if entry.unit.endswith("/day") else None
    if table is None or unit not in table:
        return None
    per, factor = table[unit]
    weight, height = record.weight_kg, record.height_cm
    if per == "kg":
        if weight is None:
            return None
        size = float(weight)
    elif per == "m2":
        if weight is None or height is None:
            return None
        size = mosteller_bsa(weight, height)
    else:
        size = 1.0
    amount = value * factor * size
    if entry.basis == "fixed":
        ceiling = entry.high
    elif entry.max is not None:
        ceiling = entry.max
    elif needs_measurements(entry, record):
        return None
    else:
        ceiling = entry.high * _size(entry, record)[0]
    if amount <= ceiling * 1.05:
        return None
    worked = (f"{_number(value)} {unit} x {size:g} kg = " if per == "kg" else
              f"{_number(value)} {unit} x BSA {size:.2f} m2 = " if per == "m2" else "")
    return (f"the booked dose {worked}{_number(amount)} {entry.unit} is above its ceiling of "
            f"{_number(ceiling)} {entry.unit} for this patient" + (f" - {why}" if why else "")
            + "; correct it before the first dose")


# mg per day (or per week for weekly units) of each recorded unit
MG_PER_DAY = {"mg/day": 1.0, "g/day": 1000.0}
MG_PER_WEEK = {"mg/week": 1.0}


def _in_mg(amount: float, unit: str) -> tuple[float, str] | None:
    if unit in MG_PER_DAY:
        return amount * MG_PER_DAY[unit], "day"
    if unit in MG_PER_WEEK:
        return amount * MG_PER_WEEK[unit], "week"
    return None


def above_limit(record: PatientRecord, kb: KnowledgeBase,
                current: frozenset[str]) -> list[tuple[str, str, list[str]]]:
    """Drugs taken now at a fixed dose above the ceiling that this patient's kidney function
    (or an interacting medicine) sets: ``(therapy, text, sources)``. A ceiling printed only for
    new prescriptions let a drug already taken run above it (specialist review A: methotrexate
    15 mg/week at eGFR 41, mycophenolate 3 g/day at eGFR 24)."""
    population = "child" if record.age_years() < 18 else "adult"
    out = []
    for t in record.treatments:
        # the course taken now, not an earlier course of the same drug at another dose
        if t.therapy not in current or t.dose_value is None or t.dose_unit is None \
                or not is_current(record, t.start, t.stop, t.outcome, t.reason_stopped):
            continue
        entry = _entry(kb, t.therapy, population, record)
        if entry is None or entry.basis != "fixed":
            continue
        limited_entry, why = limited(entry, record)
        if not why or limited_entry.high >= entry.high:
            continue
        taken = _in_mg(t.dose_value, t.dose_unit)
        ceiling = _in_mg(limited_entry.high, entry.unit)
        if taken is None or ceiling is None or taken[1] != ceiling[1]:
            continue
        if taken[0] > ceiling[0] * 1.05:
            name = kb.therapies[t.therapy].name
            out.append((t.therapy,
                        f"{name} is taken at {_number(t.dose_value)} {t.dose_unit}, above the "
                        f"{_number(limited_entry.high)} {entry.unit} ceiling for this patient "
                        f"({why.split(': ', 1)[-1]}): lower the dose, with the blood count and "
                        "creatinine, or choose another agent.", list(limited_entry.sources)))
    return out


__all__ = ["above_limit", "booked_dose_above_ceiling", "current_dose_checks", "dose_line",
           "doses_for", "mosteller_bsa", "needs_measurements"]

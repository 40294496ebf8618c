"""The clinic letter's content, built once for the HTML page and the PDF.

A letter worth sending says what a GP or referring clinician needs: the diagnosis and its basis,
antibodies, current treatment with doses, the course since the last visit (with the TIS labelled
by the visits it compares), the plan's actions and the monitoring due. It is decision-support
output: the clinician edits the free text and signs it.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from myositis.domain.labs import Enzyme
from myositis.knowledge import load
from myositis.services.clinic import PatientView
from myositis.services.records import PatientOut, RecordEntries, VisitOut

FOOTER = ("Prepared with myositis decision support, which lists options and evidence and does "
          "not prescribe; treatment decisions rest with the treating clinician.")


class LetterSection(BaseModel):
    title: str
    lines: list[str]


class Letter(BaseModel):
    date: dt.date
    heading: str
    sections: list[LetterSection]
    footer: str = FOOTER


def _dose(t: object) -> str:
    value, unit, text = (getattr(t, "dose_value", None), getattr(t, "dose_unit", None),
                         getattr(t, "dose", None))
    if value is not None:
        return f" {value:g} {unit}"
    return f" {text}" if text else ""


def build_letter(patient: PatientOut, visits: list[VisitOut], entries: RecordEntries,
                 view: PatientView, today: dt.date) -> Letter:
    kb = load()
    plan, record, change = view.plan, view.record, view.course
    diagnosis = []
    confirmed = patient.profile.diagnosis
    if confirmed.subgroup:
        diagnosis.append(f"Clinician-confirmed diagnosis: {confirmed.subgroup.upper()}"
                         + (f" ({confirmed.criteria})" if confirmed.criteria else "") + ".")
    c = plan.classification
    diagnosis.append(f"EULAR/ACR 2017 classification: {c.category}"
                     + (f", {c.subgroup}" if c.subgroup else "")
                     + f" (probability {c.probability * 100:.0f} %).")
    if plan.diagnosis is not None:
        for result in plan.diagnosis.criteria:
            if result.met:
                diagnosis.append(f"{result.criteria}: met.")
    positive = sorted(a.value for a in record.all_antibodies().positive())
    antibodies = [", ".join(f"anti-{a.upper()}" for a in positive) + " positive."
                  if positive else "No myositis antibody recorded as positive."]
    current = [t for t in entries.treatments if t.stop is None or t.stop >= today]
    treatment = [f"{kb.therapies[t.therapy].name if t.therapy in kb.therapies else t.therapy}"
                 f"{_dose(t)}" + (f", since {t.start}" if t.start else "") for t in current]
    latest = visits[-1] if visits else None
    if latest and latest.glucocorticoid_mg_per_day is not None:
        treatment.append(f"Glucocorticoid {latest.glucocorticoid_mg_per_day:g} mg/day "
                         f"prednisone equivalent at the visit of {latest.date}.")
    course = []
    if latest:
        measures = [f"{label} {value:g}{unit}" for label, value, unit in (
            ("physician global", latest.physician_global, " cm"),
            ("patient global", latest.patient_global, " cm"),
            ("MMT-8", latest.mmt8, f"/{latest.mmt_max}"), ("HAQ-DI", latest.haq, ""),
            ("CDASI activity", latest.cdasi_activity, ""),
            ("prednisone equivalent", latest.glucocorticoid_mg_per_day, " mg/day"))
            if value is not None]
        ck = latest.labs.enzymes.get(Enzyme.CK)
        if ck is not None:
            measures.append(f"CK {ck.value:g} U/L (ULN {ck.uln:g})")
        course.append(f"Latest review {latest.date}: "
                      + (", ".join(measures) if measures else "no core measures recorded")
                      + ".")
    if change.previous:
        course.append(f"Visit of {change.latest} compared with {change.previous}.")
        for m in change.changes:
            if m.before is not None and m.after is not None:
                unit = f" {m.unit}" if m.unit else ""
                course.append(f"{m.label}: {m.before:g} to {m.after:g}{unit}"
                              + (" (worse)" if m.worse else "") + ".")
        if change.flare:
            course.append("This meets the IMACS 2005 definition of disease worsening (flare).")
        elif change.signals:
            course.append("Worse since the last visit; assessed for a flare.")
    elif latest:
        course.append("First recorded visit: nothing to compare yet.")
    course += [f"{r.measure}: {r.value if r.value is not None else ''} "
               f"{'(' + r.category + ')' if r.category else ''} [{r.compared}]".replace("  ", " ")
               for r in change.responses if r.measure != "note"]
    actions = [a.text for a in plan.do_now] or ["No urgent action from the decision support."]
    if plan.regimens:
        actions += [f"{g.domain.capitalize()}: {', '.join(g.first_choice) or 'no option'}. "
                    f"{g.decision_point}" for g in plan.regimens]
    monitoring = [f"{m.therapy}: {m.next_due}." for m in plan.monitoring]
    monitoring += [f"{d.text}" + (f" (due {d.due})" if d.due else "") for d in view.due
                   if d.kind not in ("flare", "safety_action", "monitoring")]
    return Letter(
        date=today,
        heading=f"Myositis clinic letter: {patient.pseudonym}"
                + (" (SYNTHETIC)" if patient.synthetic else ""),
        sections=[LetterSection(title=t, lines=lines) for t, lines in (
            ("Diagnosis and basis", diagnosis), ("Antibodies", antibodies),
            ("Current treatment", treatment or ["No current treatment recorded."]),
            ("Course since the last visit", course or ["No visits recorded."]),
            ("Actions from the care plan", actions),
            ("Monitoring and tests due", monitoring or ["Nothing due."]))],
    )


def letter_pdf(letter: Letter, free_text: str, addressee: str | None = None) -> bytes:
    """The letter as PDF with fpdf2 (pure Python: no browser or system library needed)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)

    def text(value: str) -> str:  # the core fonts are Latin-1
        return value.encode("latin-1", "replace").decode("latin-1")

    pdf.cell(0, 6, text(letter.date.isoformat()), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, text(letter.heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    if addressee:
        pdf.multi_cell(0, 5, text(f"Re: {addressee}"), new_x="LMARGIN", new_y="NEXT")
    for section in letter.sections:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, text(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in section.lines:
            pdf.multi_cell(0, 5, text(f"- {line}"), new_x="LMARGIN", new_y="NEXT")
    if free_text.strip():
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, "Clinician's comments", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, text(free_text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4, text(letter.footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

"""The one-screen summary: what to do now, the regimen for the current state, what is unknown.

Everything here is arranged from the plan's own parts (flags, fired rules, options, screening),
so the summary never says anything the cited detail does not.
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.lab_trends import lung_function_decline
from myositis.services.careplan.model import (
    Action,
    CancerScreening,
    Flag,
)
from myositis.services.careplan.rules import Firing
from myositis.services.state import DiseaseState, skin_recorded_quiet

# rules after which iodinated contrast waits (their texts say so; the screening line agrees)
KIDNEY_EMERGENCIES = frozenset({"acute_kidney_injury", "scleroderma_renal_crisis_suspected",
                                "scleroderma_renal_crisis_suspected_in_pregnancy"})
SCREEN_ALONGSIDE = frozenset({"worse_before_treatment", "flare"})
SCREEN_ALONGSIDE_RULES = ("latent_tb", "low_igg", "pregnancy")
# an infection recorded now (or a fever on immunosuppression): a flare is reassessed after it
INFECTION_RULES = frozenset({"active_infection", "active_infection_on_glucocorticoids",
                             "fever_on_immunosuppression", "febrile_neutropenia"})
# flags below 'urgent' that still ask for an action now (a weak blot band to confirm before it
# drives the diagnosis)
DO_NOW_FLAGS = frozenset({"weak_blot_only", "weaker_normal_enzymes_on_glucocorticoids"})
SEVERITY_URGENCY = {"urgent": "urgent", "high": "soon", "moderate": "soon", "low": "routine"}

SETTING_FIRST = frozenset({"organ_threatening_admit", "organ_threatening_admit_child"})
"""Do-now lines that say where the patient is cared for: first among the urgent ones."""

LIFE_FIRST = frozenset({"sepsis_on_immunosuppression", "adrenal_crisis_possible_after_stopping",
                        "critical_illness_on_glucocorticoids", "febrile_neutropenia",
                        "hyperkalaemia_severe", "scleroderma_renal_crisis_suspected",
                        "scleroderma_renal_crisis_suspected_in_pregnancy"})
"""Urgent lines about a threat to life in the next hours (shock, sepsis, an adrenal crisis, a
neutropenic fever, a high potassium, a renal crisis): next after the care setting, before the
other urgent lines (re-score of specialist review Z34d P7: a contraception line above a
suspected adrenal crisis with a blood pressure of 84/50)."""

TODAY_FIRST = frozenset({"pregnancy_teratogen_taken_now", "anticoagulant_with_bleeding",
                         "hypercalcaemia_severe", "active_tb_suspected",
                         "pjp_prophylaxis_overdue_combination"})
"""Urgent lines whose action is a drug stopped, held or started today (a teratogen in pregnancy,
an anticoagulant during a bleed): after the threats to life, before the other urgent lines
(specialist review Z54b P5: 'do not give methotrexate today' third, below a flare line, on the
day the district nurse was due to inject it)."""


SEPSIS_RULES = frozenset({"critical_illness_on_glucocorticoids", "febrile_neutropenia"})
"""Rules that mark sepsis or a neutropenic fever: IV pulses wait until it is controlled."""

PJP_SUSPECTED_RULES = frozenset({"pjp_pneumonia_suspected"})
"""Rules that suspect a Pneumocystis pneumonia: a worse visit is not pulsed until it is treated."""


def do_now(flags: list[Flag], firings: list[Firing], screening: CancerScreening,
           kb: KnowledgeBase, state: DiseaseState | None = None,
           child: bool = False, organ_threatening: bool = False,
           mda5: bool = False, mild_flare: str | None = None,
           no_infection_recorded: bool = False,
           repeat_of: dt.date | None = None, mas: bool = False,
           confirm_first: bool = False) -> list[Action]:
    actions: dict[str, Action] = {}
    fired = {f.rule.id for f in firings} & INFECTION_RULES
    pjp = any(f.rule.id in PJP_SUSPECTED_RULES for f in firings)
    septic = any(f.rule.id in SEPSIS_RULES for f in firings)
    # a fever the clinician has recorded as no infection is not 'during an infection'
    # (specialist review Z20a P2: a fever of active JDM read as an infection to treat)
    infection = bool(fired) and not (no_infection_recorded
                                     and fired == {"fever_on_immunosuppression"})
    # worse during an infection: the infection may be the cause, and escalating now adds to it
    # (specialist review U: "re-escalate" and rituximab during a febrile pneumonia)
    worse = (state.worsening_vs_previous if state is not None and state.of("muscle") == "flare"
             else next((f.text for f in flags if f.code == "flare"), None))
    if worse and infection:
        # with RP-ILD, respiratory weakness or severe dysphagia the fever may be the disease
        # (anti-MDA5): infection is treated beside the urgent regimen, not before it
        # (specialist review T: 'no new immunosuppression until treated' in suspected RP-ILD)
        # only anti-MDA5 disease makes fever part of the disease (review Z6b: that reading for
        # an anti-PL-12 patient with probable PJP and CMV after rituximab)
        # fever with MAS criteria met is most likely the MAS, whose treatment does not wait
        # (specialist review Z46b P6: 'no new or intensified immunosuppression until it is
        # treated' as the first urgent line beside a MAS that needed it at once)
        text = ("Worse against the previous visit with fever and macrophage activation "
                "syndrome criteria met (" + worse.rstrip(".") + "): the fever is likely the "
                "MAS itself - its treatment is not delayed (see the MAS line), with blood "
                "cultures and an infection screen in parallel and antibiotics if sepsis cannot "
                "be excluded (decide with infectious diseases)."
                if mas and fired <= {"fever_on_immunosuppression"} else
                "Worse against the previous visit with fever, in organ-threatening anti-MDA5 "
                "disease (" + worse.rstrip(".") + "): the fever may be the disease itself or an "
                "infection - blood cultures, PJP and CMV PCR and chest imaging now, and "
                "empirical treatment alongside the urgent immunosuppression, not instead of it "
                "(decide with infectious diseases)." if organ_threatening and mda5 else
                # a suspected Pneumocystis pneumonia: pulses wait for the diagnosis (specialist
                # review Z47a P8: 'IV glucocorticoid pulses or IVIG now' on rituximab with IgG
                # 3.9 and new diffuse ground glass)
                "Worse against the previous visit during a suspected Pneumocystis or other "
                "opportunistic lung infection (" + worse.rstrip(".") + "): treat the infection "
                "now (see the PJP line; prednisolone by the PJP protocol when hypoxaemic) - no "
                "IV glucocorticoid pulses or new immunosuppression for the myositis or lung until "
                "infection is treated or excluded, with the infection team; IVIG (a replacement "
                "dose with a low IgG) can be given meanwhile." if organ_threatening and pjp
                else
                # sepsis or septic shock: IVIG now, pulses once it is controlled (specialist
                # review Z51b P8: 'IV glucocorticoid pulses or IVIG now' in septic shock where
                # IVIG was not stocked)
                "Worse against the previous visit in sepsis, with organ-threatening myositis ("
                + worse.rstrip(".") + "): the sepsis pathway first and IVIG now where it can be "
                "had, with the infection team - no IV glucocorticoid pulses until the sepsis is "
                "controlled (the stress-dose glucocorticoid covers meanwhile); slow or B-cell "
                "depleting agents wait until the infection is controlled." if organ_threatening
                and septic else
                "Worse against the previous visit during an infection, with organ-threatening "
                "myositis (" + worse.rstrip(".") + "): treat both at once - the antibiotics and "
                "IV glucocorticoid pulses or IVIG now, with the infection team; slow or B-cell "
                "depleting agents wait until the infection is controlled." if organ_threatening
                else
                "Worse against the previous visit during an active infection or fever ("
                + worse.rstrip(".") + "): treat the infection first and reassess - the "
                "infection may be driving the worse scores and enzymes; no new or intensified "
                "immunosuppression until it is treated, unless the myositis is "
                "life-threatening (then decide with infectious diseases).")
        actions["flare"] = Action(
            code="flare", urgency="urgent", text=text, kb_entry="imacs_worsening_2005",
            citations=["oddis2005_imacs_trials", "fragoulis2023_eular_infections"])
    elif state is not None and state.worsening_vs_previous and state.of("muscle") == "flare" \
            and not any(f.code == "worse_before_treatment" for f in flags):
        # untreated worsening is raised by the worse_before_treatment flag instead (review
        # Z5b: 'Flare ... re-escalate, check adherence' for a child not yet treated)
        low_level = any(f.rule.id == "tacrolimus_trough_low" for f in firings)
        actions["flare"] = Action(
            code="flare", urgency="soon" if mild_flare else "urgent",
            text=("Possible mild flare against the previous visit ("
                  + state.worsening_vs_previous + f"; at full strength: {mild_flare}): confirm "
                  "it before treating - repeat the CK (3-7 days after any seizure, fall, hard "
                  "exercise or injection, which raise it) and the core set within 2-4 weeks; "
                  "no glucocorticoid change on these numbers alone; check adherence, "
                  if confirm_first else
                  "Mild flare against the previous visit (" + state.worsening_vs_previous
                  + f"; mild now: {mild_flare}): " if mild_flare else
                  "Flare against the previous visit (" + state.worsening_vs_previous + "): ")
                 + ("escalate now as the approach below says (an organ is threatened: no "
                    "wait for the level), and correct the low tacrolimus level in parallel; "
                    "check adherence, " if low_level and organ_threatening else
                    "first correct the low tacrolimus level (below) - an under-dosed drug is "
                    "not a failed one - then re-escalate if the disease still needs it; check "
                    "adherence, " if low_level else
                    "" if confirm_first else
                    "check adherence (missed doses) first; a return to the last effective dose "
                    "or a moderate rise (about 0.25-0.5 mg/kg/day of prednisolone), not the "
                    "induction range; check " if mild_flare else
                    "re-escalate, check adherence, ")
                 + ("infection and other triggers; " if child
                    else "infection, statins and other triggers; ")
                 + ("re-check lung, swallowing and, in the first 3 years, cancer screening."
                    if screening.applicable else "re-check lung and swallowing."),
            kb_entry="imacs_worsening_2005", citations=["oldroyd2022_bsr"])
    for flag in flags:
        if (flag.urgency == "urgent" or flag.code in DO_NOW_FLAGS) and flag.code not in actions:
            actions[flag.code] = Action(code=flag.code, urgency=flag.urgency, text=flag.text,
                                        kb_entry=(flag.basis or ["flags"])[0],
                                        citations=list(flag.citations))
    for f in firings:
        key = f.rule.id + ("_not_recorded" if f.unknown else "")
        if key in actions:
            if f.therapy and f.therapy not in actions[key].therapies:
                actions[key].therapies.append(f.therapy)
            continue
        urgency = SEVERITY_URGENCY[f.rule.severity]
        if f.unknown and urgency == "urgent":
            urgency = "soon"
        actions[key] = Action(code=key, urgency=urgency, text=f.text,
                              therapies=[f.therapy] if f.therapy else [], kb_entry=f.rule.id,
                              citations=list(f.rule.sources))
    for superseded, by in (("pjp_prophylaxis_before_escalation",
                            "pjp_prophylaxis_due_glucocorticoid_dose"),
                           ("pjp_prophylaxis_soon", "pjp_prophylaxis_before_escalation"),
                           ("pjp_prophylaxis_mda5", "pjp_prophylaxis_due_glucocorticoid_dose"),
                           ("pjp_prophylaxis_soon", "pjp_prophylaxis_due_glucocorticoid_dose"),
                           ("pjp_prophylaxis_soon", "pjp_prophylaxis_mda5")):
        if by in actions:
            actions.pop(superseded, None)
    if screening.applicable and screening.tests_due:
        # an urgent problem (RP-ILD, respiratory weakness) comes first: screening follows
        # once the patient is stable, except tests a red flag asks for now
        # (specialist review X: a contrast CT screen marked 'soon' during a suspected renal
        # crisis); urgent rules count as well as urgent flags
        # a cancer red-flag work-up is not a reason to postpone the cancer screen (review X)
        # untreated worsening, a flare or an infection screen is not an organ emergency: the
        # screen runs beside starting treatment (re-score of review T: a high-risk screen
        # deferred by the 'worse before treatment' flag)
        critical = any(f.urgency == "urgent" and f.code not in SCREEN_ALONGSIDE
                       for f in flags) or any(
            f.rule.severity == "urgent" and not f.unknown and "cancer" not in f.rule.id
            and not f.rule.id.startswith(SCREEN_ALONGSIDE_RULES) for f in firings)
        kidney = any(f.rule.id in KIDNEY_EMERGENCIES and not f.unknown for f in firings)
        # red flags in a high-risk patient: the screen runs with the red-flag work-up, not
        # after the other urgent problem (review Z5a: mammography and CA-125 deferred 'once
        # the urgent problem is stabilised' in an anti-TIF1-gamma relapse with weight loss)
        red_flag_work_up = screening.risk == "high" and any(
            f.rule.id in ("cancer_red_flags", "cancer_red_flags_while_unstable")
            and not f.unknown for f in firings)
        # in sepsis the work-up waits for it to be treated (specialist review Z51b P8: an urgent
        # cancer CT in septic shock)
        septic = any(f.rule.id in SEPSIS_RULES and not f.unknown for f in firings)
        actions["cancer_screening_due"] = Action(
            code="cancer_screening_due",
            urgency="urgent" if red_flag_work_up and not septic else
            "soon" if screening.risk in ("high", "moderate") and not critical
            else "routine",
            # a screen done more than a year ago is the yearly repeat, not 'not done'
            # (specialist review Z23d P1: five tests done in November 2025 called not done)
            text=f"Cancer screening due (IMACS 2023, {screening.risk} risk): "
                 + (f"{len(screening.tests_due)} tests, the repeat of the screen last "
                    f"recorded on {repeat_of}" if repeat_of is not None else
                    f"{len(screening.tests_due)} tests not yet recorded as done")
                 + ("; with the red-flag work-up once the sepsis is treated" if red_flag_work_up
                    and septic else "; with the red-flag work-up now" if red_flag_work_up else
                    # at high risk the screen is not left for after discharge (specialist
                    # review Z40b P7: a frail woman of 81 with anti-TIF1-gamma)
                    "; once the urgent problem is stabilised, and at this high risk without "
                    "delay - within the same admission if there is one (a cancer found changes "
                    "the treatment)"
                    if critical and screening.risk == "high" else
                    "; once the urgent problem is stabilised" if critical else "")
                 + ("; contrast CT only once the kidney problem is explained." if kidney
                    else "."),
            kb_entry="cancer_screening", citations=list(screening.citations[:2]))
    order = {"urgent": 0, "soon": 1, "routine": 2}
    # where the patient is cared for comes before what is done there (specialist review Z17d)
    return sorted(actions.values(),
                  key=lambda a: (order[a.urgency], a.code not in SETTING_FIRST,
                                 a.code not in LIFE_FIRST, a.code not in TODAY_FIRST))


def unknowns(facts: Facts, record: PatientRecord, immunosuppression: bool,
             thiopurine_offered: bool = False) -> list[str]:
    """Missing facts that change this plan, so the clinician can supply them."""
    out = []
    if immunosuppression:
        for fact, text in (("hbsag", "HBsAg"), ("anti_hbc", "anti-HBc"),
                           ("latent_tb", "latent TB screen (IGRA/TST)"),
                           ("egfr", "eGFR")):
            if fact == "latent_tb" and facts.get("active_tb") == "suspected":
                continue  # active TB is the question, not a latent screen (review Z54d P3)
            if facts.get(fact) is None:
                # an indeterminate IGRA is a result to repeat, not a missing one (specialist
                # review Z21d P3)
                indeterminate = fact == "latent_tb" and record.infection_screening.tb_test \
                    is not None and record.infection_screening.tb_test.result == "indeterminate"
                out.append("latent TB screen: the last IGRA/TST was indeterminate - repeat it "
                           "(and a chest X-ray)" if indeterminate else text)
        genes = record.immunogenetics
        if facts.get("thiopurine_metabolism") is None and thiopurine_offered:
            out.append("/".join(name for name, value in (("TPMT", genes.tpmt),
                                                         ("NUDT15", genes.nudt15))
                                if value is None) + " (before azathioprine)")
    if facts.get("childbearing_potential") and facts.get("pregnant") is None:
        out.append("pregnancy status")
    if record.sex == "unknown":
        # at any age: sex also decides the cancer tests and the eGFR equation (re-score of
        # specialist review R)
        out.append("sex (sex-specific screening, kidney function"
                   + (" and reproductive advice)" if facts.get("childbearing_potential") is None
                      else ")"))
    if record.weight_kg is None and facts.get("child"):
        out.append("weight (paediatric dosing)")
    if not record.antibodies.tested_any_msa() and not record.antibody_tests \
            and not record.diagnosis.not_myositis:
        out.append("myositis antibodies")
    subgroups = facts.get("subgroups")
    if record.visits and isinstance(subgroups, frozenset) and subgroups & {"dm", "adm", "jdm"} \
            and all(v.cdasi_activity is None for v in record.visits) \
            and not record.skin.any_dm_hallmark() and not skin_recorded_quiet(record):
        # without a skin score or sign the skin is treated as active (never as "no skin
        # disease"), which keeps visits frequent: say what would settle it
        out.append("skin activity (CDASI activity at the visits; the skin is treated as "
                   "active until scored)")
    return out


def inputs_used(record: PatientRecord, facts: Facts, phenotypes: list[str]) -> list[str]:
    """The facts the summary relied on, so a wrong input can be spotted (principle 13)."""
    positive = sorted(a.value for a in record.all_antibodies().positive())
    age = facts["age_years"]
    parts = [f"sex {record.sex}", f"age {int(age) if isinstance(age, float) else age}",
             f"onset age {record.classification.age_at_onset:g}",
             f"{record.months_since_onset:g} months since onset",
             f"antibodies positive: {', '.join(positive) or 'none recorded'}",
             f"phenotypes: {', '.join(phenotypes) or 'unclassified'}",
             f"visits: {len(record.visits)}", f"treatments: {len(record.treatments)}"]
    if facts.get("egfr") is not None:
        reported = record.latest_lab("egfr")
        parts.append(f"eGFR {facts['egfr']:g}" + (
            f" (the Cockcroft-Gault clearance, lower than the reported eGFR {reported.value:g}: "
            "from 75 the lower one sets the kidney thresholds)"
            if reported is not None and isinstance(facts["egfr"], float | int)
            and facts["egfr"] < reported.value and record.age_years() >= 75 else ""))
    gc = facts.get("gc_mg_day")
    if isinstance(gc, float) and gc > 0:
        parts.append(f"prednisone {gc:g} mg/day")
    for fact in ("pregnant", "planning_conception", "latent_tb", "hbsag", "anti_hbc"):
        if facts.get(fact) is True:
            parts.append(fact.replace("_", " "))
    # results that change drug choice, shown when abnormal (review W: G6PD deficiency acted
    # on but not listed)
    if facts.get("g6pd") == "deficient":
        parts.append("G6PD deficient")
    if facts.get("thiopurine_metabolism") in ("intermediate", "deficient"):
        # each gene as recorded: an untested NUDT15 is not 'intermediate' (review I)
        genes = record.immunogenetics
        parts.append(f"TPMT/NUDT15 {facts['thiopurine_metabolism']}"
                     if genes.tpmt is None and genes.nudt15 is None
                     else "; ".join(f"{name} {value or 'not tested'}" for name, value in (
                         ("TPMT", genes.tpmt), ("NUDT15", genes.nudt15))))
    if facts.get("iga_deficiency") is True:
        parts.append("IgA deficiency" + (" with anti-IgA antibodies"
                                         if facts.get("anti_iga_antibodies") is True else ""))
    decline = lung_function_decline(record)
    if isinstance(decline, str):
        parts.append(f"lung function fell: {decline}")
    if any(v.notes for v in record.visits):
        # the plan reads structured fields only: say so where the clinician looks (reviews Y
        # and Z: infections, clots and symptoms written in notes were invisible to the plan)
        parts.append("visit notes are not read: record findings in the structured fields")
    return parts

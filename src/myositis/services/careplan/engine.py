"""Assembles a CarePlan from a patient record.

Flow: diagnosis (criteria side by side) -> disease state per domain -> complications -> facts
about the patient -> options for the state with every safety rule applied -> summary (do now,
regimen, unknowns) -> the cited detail. Every line names its knowledge-base entry or rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from myositis.domain.antibodies import MYOSITIS_SPECIFIC
from myositis.domain.instruments.eular_acr_2017 import BiopsyInput, EularAcrInput, classify
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase, load
from myositis.services.careplan import (
    checks,
    exposure,
    monitoring,
    regimens,
    summary,
)
from myositis.services.careplan import facts as fact_rules
from myositis.services.careplan import flags as flag_rules
from myositis.services.careplan.declined import say_what_is_not_given
from myositis.services.careplan.diagnosis import MIMICS, decide
from myositis.services.careplan.dosing import (
    above_limit,
    adult_sized,
    current_dose_checks,
    doses_for,
    glucocorticoid_weight,
)
from myositis.services.careplan.flags import transplant_realistic
from myositis.services.careplan.illness_guards import (
    DURING_BLEEDING,
    DURING_FEVER,
    during_infection,
    glucocorticoid_iv,
    nothing_new_by_mouth_until_swallow_is_safe,
    stress_dose_in_approach,
)
from myositis.services.careplan.model import (
    Action,
    CareItem,
    CarePlan,
    Citation,
    DiagnosisView,
    Option,
    Regimen,
)
from myositis.services.careplan.on_record import note_results_on_record
from myositis.services.careplan.options import (
    kidney_failure,
    select_options,
    use_matches,
)
from myositis.services.careplan.patient_limits import (
    fit_to_patient_limits,
    full_dose_despite_risks,
)
from myositis.services.careplan.patient_text import without_g6pd_choices, without_listed
from myositis.services.careplan.phenotype import complications as find_complications
from myositis.services.careplan.record_readers import (
    confirmed_positive,
    glucocorticoid_risks,
    joints_may_be_active,
)
from myositis.services.careplan.regimen_across_domains import (
    cyclophosphamide_replaces_antimetabolite,
    one_new_agent_across_lung_and_muscle,
    refractory_centre,
)
from myositis.services.careplan.regimen_adequate_trial import (
    adequate_trial_first,
    adherence_before_new_agents,
)
from myositis.services.careplan.regimen_guards import (
    ANTI_REJECTION,
    BLAND_BIOPSY_WHY,
    ESCALATION_DO_NOW,
    HELD_TODAY,
    PREGNANCY_SKIN,
    SERONEGATIVE_IMNM_WHY,
    daily_glucocorticoid_after_pulses,
    decision_without_first_choice,
    diagnosis_before_escalation,
    first_choice_therapies,
    glucocorticoid_myopathy_first,
    held_by_urgent_lines,
    hold_in_approach,
    name_every_current_drug,
    no_dose_rise,
    no_new_systemic_agent_for_skin_in_pregnancy,
    one_new_agent_for_the_joints,
    plateau_before_escalation,
    pulses_in_progress,
    pulses_just_given,
    regimen_therapies,
    replacement_as_in_the_regimens,
    skin_escalation_named,
    ssc_glucocorticoid_ceiling,
    taken_now_is_no_alternative,
    taper_despite_active_lung,
    varicella_incubation,
    withdrawal_in_long_remission,
    within_goals_of_care,
    without_keep_lines_for_held,
    without_moot_dose_lines,
)
from myositis.services.careplan.regimen_lines import KEPT, lead_clause
from myositis.services.careplan.regimen_lung import MDA5_PJP_STEP
from myositis.services.careplan.regimen_lung_reserve import (
    end_stage_fibrosis,
    little_lung_reserve,
    no_methotrexate_without_lung_reserve,
)
from myositis.services.careplan.regimen_route_and_risk import (
    no_induction_for_low_grade,
    proportionate_treatment,
    safe_taper_partners,
    severe_frailty,
)
from myositis.services.careplan.reproduction_facts import teratogen_names
from myositis.services.careplan.rules import (
    as_action,
    current_therapy_firings,
    patient_firings,
)
from myositis.services.careplan.screening import cancer_screening
from myositis.services.careplan.therapy_ids import check_therapy_ids
from myositis.services.careplan.treatment_history import (
    bloods_overdue,
    diagnosis_review,
    failed_but_current,
    held_therapies,
    optimisation_steps,
    treatment_outcomes,
)
from myositis.services.careplan.workup import missing_workup
from myositis.services.muscle_activity import low_grade_chronic, mild_flare
from myositis.services.state import DomainState, disease_state


def missed_ids(facts: Mapping[str, object]) -> frozenset[str]:
    """The therapy ids with missed doses recorded (the ``doses_missed`` fact)."""
    missed = facts.get("doses_missed")
    return frozenset(str(t) for t in missed) if isinstance(missed, frozenset) else frozenset()


EULAR_ENZYMES = frozenset({"ck", "ldh", "ast", "alt"})
"""The enzymes of the EULAR/ACR 2017 item 'elevated serum CK, LDH, AST or ALT'."""



NO_TAPER = ("no taper meanwhile", "Pause the glucocorticoid taper")
TAPERING = "at the lowest effective dose, tapering as the response allows"


def no_taper_while_held(regimens: list[Regimen]) -> list[Regimen]:
    """One glucocorticoid instruction: where a regimen pauses the taper (a steroid-sparing agent
    held, a pregnancy escalation), no other line tapers it and the decision point does not say
    'no new agent ... taper' (specialist reviews Z19b P6 and Z19c P6)."""
    if not any(n in e for r in regimens for e in r.first_choice for n in NO_TAPER):
        return regimens
    return [r.model_copy(update={
        "first_choice": [e.replace(TAPERING, "at this dose, no taper meanwhile")
                         for e in r.first_choice],
        "decision_point": (HELD_DECISION if r.domain == "muscle"
                           and r.decision_point.startswith(STABLE_DECISION_START)
                           else r.decision_point)}) for r in regimens]


TAPER_ACTIONS = frozenset({"long_term_glucocorticoid_exit", "glucocorticoid_taper_adrenal"})
"""Do-now lines that taper a glucocorticoid: left out while the taper pauses."""
STABLE_DECISION_START = "Muscle inactive or low activity at the latest visit: no new agent"
HELD_DECISION = ("Muscle inactive or low activity while the steroid-sparing agent is held: its "
                 "replacement, or its restart, is decided with the specialist team (see the "
                 "treatment changes), and the glucocorticoid taper waits for it; worsening "
                 "(IMACS): re-escalate.")

def with_recorded_signs(record: PatientRecord) -> EularAcrInput:
    """The classification items completed from what the record already shows elsewhere - the
    heliotrope rash and Gottron's papules or sign of the skin findings, the recorded biopsy,
    and a CK, LDH, AST or ALT above the ULN in the dated results: the same findings, entered in
    one place only; nothing is inferred that the record does not show (specialist reviews
    Z17c and Z19c P8: 'biopsy required, score 0.0' for confirmed JDM with Gottron's papules
    under the skin findings; endomysial inflammation on the biopsy not counted)."""
    items = record.classification
    shown = {sign: True for sign in ("heliotrope_rash", "gottron_papules", "gottron_sign")
             if getattr(record.skin, sign) is True and not getattr(items.skin, sign)}
    if shown:
        items = items.model_copy(update={"skin": items.skin.model_copy(update=shown)})
    # the biopsy items from the recorded biopsy when none were entered for the criteria
    b = record.biopsy
    if items.biopsy is None and b is not None and any(
            v is True for v in (b.endomysial_infiltrate, b.perifascicular_atrophy,
                                b.rimmed_vacuoles)):
        items = items.model_copy(update={"biopsy": BiopsyInput(
            endomysial_infiltrate=b.endomysial_infiltrate is True,
            perifascicular_atrophy=b.perifascicular_atrophy is True,
            rimmed_vacuoles=b.rimmed_vacuoles is True)})
    # the enzyme item from the dated results too
    if not items.elevated_muscle_enzymes and any(
            r.analyte in EULAR_ENZYMES and r.uln is not None and r.value > r.uln
            for r in record.lab_results):
        items = items.model_copy(update={"elevated_muscle_enzymes": True})
    return items


TPMT_UNKNOWN = "TPMT/NUDT15 (before azathioprine)"
BOOSTER_SENSITIVE = frozenset({"tacrolimus", "ciclosporin"})
PREGNANCY_REPLACEMENT = ("a pregnancy-compatible maintenance agent only if the muscle needs one "
                         "(azathioprine first, TPMT and NUDT15 known; with the obstetric team)")
PREGNANCY_GC = ("Continue {gc} at the lowest dose that controls the disease (in pregnancy a rise "
                "answers objective activity - weaker muscles, rising enzymes - agreed with the "
                "obstetric team)")
INCUBATION_FLARE = re.compile(
    r"re-escalate, check adherence, |check adherence \(missed doses\) first; a return to the "
    r"last effective dose or a moderate rise \(about 0\.25-0\.5 mg/kg/day of prednisolone\), "
    r"not the induction range; check ")
FLARE_IN_INCUBATION = ("no glucocorticoid rise or new immunosuppressant until the chickenpox "
                       "incubation period ends (day 21 after the contact, day 28 if "
                       "immunoglobulin was given) unless an organ is threatened (see the "
                       "approach); meanwhile check adherence, ")
LUPUS_NEPHRITIS_FIRST = (" - unless lupus nephritis is confirmed or strongly suspected: then "
                         "induction with mycophenolate or IV cyclophosphamide instead, with "
                         "nephrology (see Do now)")
BOOSTED_DOSE = ("no standard dose with ritonavir or cobicistat (they raise the level many-fold): "
                "avoid it, or ask the HIV team about an unboosted regimen; if it is essential, a "
                "very small dose at long intervals guided by trough levels, with the HIV "
                "pharmacist")
MODERATE_FLARE_STEP = "raise prednisolone to about 0.5 mg/kg/day for a moderate flare"
MILD_FLARE_STEP = ("for a mild flare a modest, short rise of prednisolone (often to 10-20 mg/day "
                   "for 2-4 weeks, or the last dose that held it if higher), then taper again; "
                   "about 0.5 mg/kg/day only if it becomes moderate")
IVIG_FOR_FLARE = "add intravenous immunoglobulin for a significant flare"
SWITCH_OR_ADD = (": switch or add a second steroid-sparing agent before calling the disease "
                 "refractory")
NON_DRUG_ITEMS = ("exercise_by_phase", "photoprotection_education", "patient_education_support")


LIVER_DO_NOW = frozenset({"alt_mildly_raised_with_normal_ck", "alt_raised_with_normal_ck",
                          "alt_raised_on_hepatotoxic_drug", "methotrexate_alcohol_and_liver_alt",
                          "liver_injury_pattern"})
"""Do-now lines that read a raised ALT as the liver's: no dose rise of a hepatotoxic drug."""
HEPATOTOXIC = frozenset({"methotrexate", "azathioprine", "leflunomide"})
GUT_FIRST = frozenset({"jdm_gut_bleed_vasculopathy", "jdm_gut_vasculopathy",
                       "gi_perforation_suspected"})
"""Do-now lines after which nothing is given by mouth: the glucocorticoid goes IV."""
CAUSE_FIRST = {
    "preeclampsia_hellp_suspected": "the obstetric assessment for pre-eclampsia or HELLP (the "
                                    "raised liver enzymes and LDH may be the liver's)",
    "statin_interaction_myotoxicity": "the CK is rechecked off the statin (statin toxicity "
                                      "first)",
}
"""Do-now lines naming another cause of worse numbers: a flare by the IMACS definition waits
for it to be excluded."""


def _non_drug(kb: KnowledgeBase, phenotype_list: list[str]) -> list[CareItem]:
    items = []
    for item_id in NON_DRUG_ITEMS:
        item = kb.guidance_item(item_id)
        applies = set(item.applies_to)
        if "iim" in applies or applies & set(phenotype_list):
            items.append(CareItem(id=item.id, title=item.title, text=item.statement,
                                  evidence_level=item.evidence_level,
                                  citations=list(item.sources)))
    return items


def _cited_keys(plan: CarePlan) -> set[str]:
    keys: set[str] = set()
    keys.update(plan.cancer_screening.citations)
    for group in (plan.flags, plan.do_now, plan.shared_checks, plan.monitoring, plan.non_drug):
        for entry in group:
            keys.update(entry.citations)
    for item in plan.workup:
        keys.update(item.citations)
    for option in plan.options:
        keys.update(option.citations)
        for caution in option.cautions:
            keys.update(caution.citations)
        for check in (*option.before_starting, *option.monitoring):
            keys.update(check.citations)
    for withheld in (*plan.withheld, *plan.not_recommended):
        keys.update(withheld.citations)
    return keys


def _uncovered(options: list[Option], kb: KnowledgeBase, fired: set[str]) -> list[Option]:
    """The options without the cautions that a patient-level action fired now, or a stronger
    caution on the same option, says in full (the caution's rule names it in `covered_by`; a
    curated therapy caution is no rule)."""
    covers = {r.id: set(r.covered_by) for r in kb.rules.rules if r.covered_by}
    return [o.model_copy(update={"cautions": [
        c for c in o.cautions
        if not (fired | {d.condition for d in o.cautions}) & covers.get(c.condition, set())]})
        for o in options]


CANCER_WINDOW_MONTHS = 36
VARICELLA_INCUBATION_DAYS = 22
"""Days after a chickenpox contact during which escalation waits (the rules' window, lt 22)."""
LOW_VALUE_NEAR_END = frozenset({
    "vaccination_review", "zoster_vaccination_review", "influenza_vaccine_due",
    "covid_vaccine_due", "hydroxychloroquine_retinal_screening_due", "cancer_screening_due",
    "smoking_cessation", "vaccines_before_rituximab"})
"""Routine prevention and screening left out near the end of life or with comfort care."""
LOW_VALUE_FRAIL = frozenset({"hydroxychloroquine_retinal_screening_due", "cancer_screening_due",
                             "cardiovascular_risk_review"})
"""Routine prevention whose benefit comes over years, left out with severe frailty or a short
prognosis; vaccines against the infections of the coming seasons stay."""
SLOW_CATEGORIES = frozenset({"conventional_immunosuppressant", "biologic", "jak_inhibitor",
                             "anti_interferon", "cellular_therapy", "procedure",
                             "complement_inhibitor", "fcrn_blocker"})
"""Agents whose benefit takes months (or that need a fit patient): not started near the end
of life."""
HARMLESS_CATEGORIES = frozenset({"antimalarial", "topical", "non_drug", "calcinosis_agent",
                                 "antifibrotic", "procedure"})
"""Therapy categories that suppress no immunity: kept through a chickenpox incubation."""
ORGAN_THREAT = frozenset({"rp_ild", "myocarditis", "severe_dysphagia", "dysphagia_severe_grade",
                          "respiratory_weakness"})
"""Complications that do not wait for a chickenpox incubation period to end."""
KIDNEY_BONE_RULES = frozenset({"bone_medication_kidney", "bone_protection_kidney_failure"})
"""Do-now rules that stop a bisphosphonate taken now (a possible renal crisis stops only the
intravenous one, which its own rule says)."""


def last_screen_over_a_year_ago(record: PatientRecord) -> dt.date | None:
    """The latest normal cancer screen when it is more than a year old: what is due is its
    repeat, not a first screen."""
    # a cervical smear alone is the national programme, not the myositis screen (re-score of
    # specialist review Z23d P3: six tests called 'the repeat' of a smear)
    screens = [t for t in record.cancer.screening_done if t.result == "normal"
               and not any(w in t.test.lower() for w in ("cervical", "smear", "pap"))]
    last = max((t.date for t in screens), default=None)
    return last if len(screens) >= 2 and last is not None \
        and (record.on() - last).days > 365 else None


def build_care_plan(record: PatientRecord, kb: KnowledgeBase | None = None) -> CarePlan:
    """The deterministic plan for one record; every line names its knowledge-base entry."""
    kb = kb or load()
    check_therapy_ids(record, kb)
    record = record.with_visit_enzymes()  # a visit's CK may be in the dated lab series
    settled_rp_ild = record.settled_rp_ild_episode()
    record = record.with_settled_rp_ild()  # an undated tick does not outrank a dated recovery
    # a 'not myositis' label against a confirmed myositis-specific antibody is not followed
    # (specialist review Z12c: 'statin myopathy' with anti-HMGCR strongly positive by ELISA)
    conflicting = sorted(confirmed_positive(record) & MYOSITIS_SPECIFIC, key=lambda a: a.value) \
        if record.diagnosis.not_myositis else []
    label = record.diagnosis.not_myositis
    if conflicting:
        record = record.model_copy(update={"diagnosis": record.diagnosis.model_copy(
            update={"not_myositis": None})})
    classification = classify(with_recorded_signs(record))
    diagnosis = decide(record, classification)
    if conflicting:
        names = ", ".join(f"anti-{a.value.upper()}" for a in conflicting)
        diagnosis.explanation.insert(0, (
            f"The working diagnosis recorded is '{label}', but {names} is positive (not a weak "
            "band alone): a myositis-specific antibody outranks the label, so the plan follows "
            "the myositis until the diagnosis is reviewed."))
    phenotypes = diagnosis.phenotypes
    state = disease_state(record, kb, phenotypes)
    if record.diagnosis.not_myositis:
        # no myositis activity to grade or treat: the clinician's working diagnosis is another
        # (specialist review Y: 'muscle: active' and core-set reviews for polymyalgia)
        state = state.model_copy(update={"overall": "not_involved", "domains": [
            DomainState(domain=d.domain, state="not_involved",
                        basis=["the clinician's working diagnosis is not myositis"])
            for d in state.domains]})
    present = find_complications(record, phenotypes, state)
    muscle_state = state.of("muscle")
    treat = not diagnosis.unclassified or diagnosis.provisional
    planned = {t.id for t in kb.therapies.values() for u in t.uses
               if treat and u.recommended and use_matches(u, phenotypes, present, muscle_state)}
    quiet_states = ("stable", "remission", "not_involved")
    if muscle_state in quiet_states and state.of("skin") in quiet_states \
            and state.of("lung") in quiet_states \
            and not (exposure.current_therapies(record)
                     & set(kb.group_members("immunosuppressive"))):
        # quiet disease off treatment: nothing is started, so no pre-immunosuppression
        # screening or vaccines 'before immunosuppression' (specialist review W: TB, HBV and
        # zoster-vaccine prompts for a man in drug-free remission for five years)
        planned = set()
    facts = fact_rules.compute(record, kb, planned, phenotypes, muscle_state)
    facts["ibm_against_diagnosis"] = diagnosis.ibm_against_diagnosis
    review = diagnosis_review(record, phenotypes, classification.category, state,
                              facts.get("anti_srp"), facts.get("anti_hmgcr"))
    facts["diagnosis_under_review"] = review is not None
    facts["rp_ild_tick_settled"] = settled_rp_ild
    facts["lung_state"] = state.of("lung")
    facts["skin_state"] = state.of("skin")
    facts["steroid_sparing_failed_count"] = len(state.steroid_sparing_failed)
    screening = cancer_screening(record, kb, phenotypes, classified=not diagnosis.unclassified,
                                 pregnant=facts.get("pregnant") is True)
    # high IMACS risk inside the 3-year window is "increased risk of cancer" for the JAK-class
    # warning (specialist review S: brepocitinib led a plan with overdue re-screening)
    facts["cancer_risk_high_in_window"] = bool(
        screening.applicable and screening.risk == "high"
        and record.months_since_onset <= CANCER_WINDOW_MONTHS)
    # the EMA 2022 risk groups counted, so that several together can keep JAK inhibitors for a
    # last resort (specialist review E: offered at 67 with a past clot and breast cancer)
    age = facts.get("age_years")
    facts["jak_risk_count"] = sum(1 for present in (
        isinstance(age, (int, float)) and age >= 65, facts.get("cardiovascular_risk") is True,
        facts.get("thrombosis_history") is True,
        facts.get("active_cancer") is True or facts.get("past_cancer") is True
        or facts["cancer_risk_high_in_window"], facts.get("smoking") is True) if present)
    # induction glucocorticoids the plan proposes (a new onset or a flare), not yet taken at
    # 15 mg/day or more: PJP prophylaxis is planned with them (review H: three
    # immunosuppressants proposed together with no PJP line, since the dose rules read the
    # dose taken now)
    gc_now = facts.get("gc_mg_day")
    muscle_improving = any("still improving" in b for d in state.domains
                           if d.domain == "muscle" for b in d.basis)
    facts["muscle_improving"] = muscle_improving
    facts["muscle_relapse_suspected"] = any("CK rising at the last results" in b
                                            for d in state.domains if d.domain == "muscle"
                                            for b in d.basis)
    facts["induction_glucocorticoids_planned"] = (
        "glucocorticoids_oral" in planned
        # declined after discussion: none is planned, and no PJP line goes with it (review U)
        and "glucocorticoids" not in record.preferences.declines
        # a mild flare is met by a modest rise, not induction (specialist review Z20d P4: PJP
        # prophylaxis 'with the induction glucocorticoids' on 5 mg/day for a mild flare)
        and (muscle_state == "new_onset"
             or (muscle_state == "flare" and not (mild_flare(record)
                                                  and facts.get("organ_threatening") is not True)
                 # a flare after missed doses gets a modest rise while the drug is restored,
                 # not induction (re-score of specialist review Z23d P4: PJP 'with the
                 # induction glucocorticoids' beside the modest rise)
                 and not (bool(facts.get("doses_missed"))
                          and facts.get("organ_threatening") is not True))
             or state.of("lung") in ("new_onset", "flare")
             # active with none taken: the approach adds one (specialist review O), unless the
             # muscle is still improving without it (review U)
             or (muscle_state == "active" and not gc_now and not muscle_improving))
        and not (isinstance(gc_now, (int, float)) and gc_now >= 15)
        # a scleroderma overlap's glucocorticoid stays at 15 mg/day or less: no induction dose
        # and so no PJP line for one (specialist review Z10d: PJP 'with the induction dose' at 5)
        and "ssc_specific" not in present)
    started = {m for f in patient_firings(kb, facts) if not f.unknown for m in f.rule.starts}
    if "sulfonamide" in record.allergies:
        # a sulfonamide allergy means the plan starts no co-trimoxazole, so its interaction
        # lines do not apply (specialist review Z23d P2: 'an ACE inhibitor taken with
        # co-trimoxazole' beside the allergy line that rules it out)
        started.discard("co_trimoxazole")
    if started:
        # a medicine this plan starts (co-trimoxazole for PJP) meets its own interaction rules
        # (`started_by_plan`): the plan checks what it recommends
        facts["started_by_plan"] = frozenset(started)
    selection = select_options(kb, facts, phenotypes if treat else [], present, muscle_state,
                               treatment_outcomes(record), provisional=diagnosis.provisional)
    # the teratogens 'proposed' are those the plan still offers after its own withholding,
    # not every use that matched (specialist review X: contraception asked for cyclophosphamide
    # that was neither taken nor proposed, and for mycophenolate the plan had withheld)
    # with every domain quiet nothing new is started, so only what is taken counts (specialist
    # review L: a tofacitinib pregnancy warning for a girl off all treatment in remission)
    quiet = all(d.state in ("remission", "stable", "not_involved") for d in state.domains)
    teratogens = teratogen_names(
        kb, exposure.current_therapies(record)
        | (set() if quiet else {o.therapy for o in selection.options}))
    facts["teratogens"] = frozenset(teratogens)
    facts["teratogen_current_or_planned"] = bool(teratogens)
    flags = flag_rules.flags(record, kb, phenotypes,
                             muscle_involved=state.of("muscle") != "not_involved")
    patient_level = patient_firings(kb, facts)
    taken_now = current_therapy_firings(kb, facts)
    # a drug held or stopped now (withhold) also covers the softer patient-level advice on the
    # same finding (review U: "hold immunoglobulin" and "look for haemolysis before the next
    # course" both printed)
    fired = {f.rule.id for f in patient_level} | {f.rule.id for f in taken_now
                                                  if f.action in ("do_now", "withhold")}
    firings = [f for f in patient_level if not fired & set(f.rule.covered_by)] + [
        as_action(f, kb) for f in taken_now if not fired & set(f.rule.covered_by)
    ] + [f for f in selection.do_now if not fired & set(f.rule.covered_by)]
    other_cause = next((why for rule_id, why in CAUSE_FIRST.items()
                        if rule_id in {f.rule.id for f in firings if not f.unknown}), None)
    if other_cause is not None:
        # another cause of the worse numbers is being excluded first: suspected pre-eclampsia
        # or HELLP (review Z3b: HELLP at 33 weeks printed as an urgent myositis flare), statin
        # toxicity with an interacting drug (review Z3a: 'flare' and 're-escalate')
        flags = [f.model_copy(update={
            "urgency": "soon", "text": f.text.removesuffix(" Review treatment.").replace(
                "Flare: the latest visit", "The latest visit", 1)
            + f" Reassess the muscle after {other_cause} (see Do now); no myositis "
            "escalation meanwhile."}) if f.code == "flare" else f for f in flags]
    current = exposure.current_therapies(record)
    # an option's caution gives way to the patient-level action that says it in full
    # (`covered_by`), as the actions do
    options: list[Option] = [o.model_copy(update={"taken_now": True}) if o.therapy in current
                             else o for o in _uncovered(selection.options, kb, fired)]
    explanation = list(diagnosis.explanation)
    plan = CarePlan(
        patient_id=record.id,
        label=record.label,
        generated_on=record.on(),
        classification=classification,
        phenotypes=phenotypes,
        flags=flags,
        # myositis unlikely (normal CK and strength, no ILD or rash): no biopsy, MRI or EMG
        # list (specialist review Z10c)
        workup=([] if record.diagnosis.not_myositis or (
            diagnosis.unclassified and facts.get("myositis_unlikely") is True)
                else missing_workup(record, kb, classification, phenotypes)),
        cancer_screening=screening,
        options=options,
        withheld=selection.withheld,
        not_recommended=selection.not_recommended,
        non_drug=_non_drug(kb, phenotypes) if treat else [],
        sources={},
        knowledge_base_version=max(t.last_reviewed for t in kb.therapies.values()).isoformat(),
        do_now=summary.do_now(flags, firings, screening, kb, state,
                              child=record.age_years() < 18,
                              organ_threatening=facts.get("organ_threatening") is True,
                              mda5=facts.get("anti_mda5") is True,
                              mild_flare=mild_flare(record),
                              no_infection_recorded=record.comorbidities.active_infection
                              is False,
                              repeat_of=last_screen_over_a_year_ago(record)),
        state=state,
        diagnosis=DiagnosisView(followed=diagnosis.followed, provisional=diagnosis.provisional,
                                criteria=diagnosis.criteria, explanation=explanation,
                                mimics_to_exclude=MIMICS if diagnosis.unclassified
                                and not record.diagnosis.not_myositis
                                and state.of("muscle") != "not_involved"
                                and facts.get("myositis_unlikely") is not True
                                and "immune_checkpoint_inhibitor" not in record.other_medicines
                                else []),
        regimens=regimens.regimens(
            state, options, phenotypes, present, current, kb, diagnosis.provisional,
            held={**failed_but_current(record, current), **held_therapies(selection, taken_now)},
            review={f.therapy: regimens.KEEP + (f.rule.title if f.rule.title[1:2].isupper()
                                   else f.rule.title[0].lower() + f.rule.title[1:])
                    if f.rule.when_taken == "continue" else regimens.headline(f.text)
                    # a rule that questions the drug wins over one that keeps it (review T:
                    # 'continue' for alcohol hid 'review' for alcohol with a liver ALT)
                    for f in sorted(taken_now, key=lambda f: f.rule.when_taken == "review")
                    if f.therapy and f.action == "caution"},
            gc_now=gc if isinstance(gc := facts.get("gc_mg_day"), float | int) else None,
            gc_free_months=free if isinstance(free := facts.get("gc_free_months"),
                                              float | int) else None,
            pregnant=facts.get("pregnant") is True,
            # a fever alone (no infection recorded) is worked up the same day, not treated as
            # an infection that holds the lung regimen (specialist review Z11c)
            infection=bool({f.rule.id for f in firings} & (
                summary.INFECTION_RULES - {"fever_on_immunosuppression"}
                | {"pjp_pneumonia_suspected"}))
            or ("fever_on_immunosuppression" in {f.rule.id for f in firings}
                and (record.comorbidities.active_infection is True or "rp_ild" in present)
                and facts.get("mas_suspected") is not True),
            weight_kg=glucocorticoid_weight(record), child=record.age_years() < 18,
            adult_sized=adult_sized(record),
            weight_adjusted=glucocorticoid_weight(record) != record.weight_kg,
            thiopurine=tp if isinstance(tp := facts.get("thiopurine_metabolism"), str) else None,
            # blood products declined: no immunoglobulin named anywhere, offered or not
            # (specialist review W: IVIG added for a pregnant flare against her refusal)
            withheld_ids=frozenset(w.therapy for w in selection.withheld)
            | (frozenset(t.id for t in kb.therapies.values() if t.category == "immunoglobulin")
               if "blood_products" in record.preferences.declines else frozenset()),
            steps=optimisation_steps(record, current, facts),
            # the maternal 'keep steady through pregnancy and breastfeeding' is hers: a man
            # planning to father a child has his own paternal advice (specialist review R)
            planning_conception=facts.get("planning_conception") is True
            and facts.get("childbearing_potential") is not False,
            no_new_agent=any(f.rule.id == "low_igg_with_infections_on_immunosuppression"
                             and not f.unknown for f in firings)
            or any(f.rule.id == "high_infection_risk_on_treatment" for f in taken_now),
            transplant_ok=transplant_realistic(record))
        if treat else [],
        shared_checks=checks.shared_checks(options, kb, record),
        monitoring=monitoring.monitoring(record, current, kb, state,
                                      # a course recorded as failed is being stopped too
                                      # (review Z7c: 'Stop mycophenolate' beside a routine
                                      # monitoring date three months away)
                                      held=frozenset(held_therapies(selection, taken_now))
                                      | frozenset(failed_but_current(record, current)),
                                      reviewing=frozenset(
                                          f.therapy for f in taken_now if f.therapy
                                          and f.action == "caution"
                                          and f.rule.when_taken == "review"
                                          and f.rule.severity in ("urgent", "high")),
                                      complications=frozenset(present),
                                      phenotypes=tuple(phenotypes),
                                      kidney_failure=kidney_failure(facts),
                                      heart_failure=facts.get("heart_failure") is True,
                                      urgent_open=any(f.urgency == "urgent" for f in flags)
                                      or any(f.rule.severity == "urgent" and not f.unknown
                                             for f in firings),
                                      review_weeks=min(
                                          (monitoring.EARLY_REVIEW_WEEKS[f.rule.id]
                                           for f in firings if not f.unknown
                                           and f.rule.id in monitoring.EARLY_REVIEW_WEEKS),
                                          default=None)),
        unknowns=summary.unknowns(
            facts, record, bool(facts.get("immunosuppression_planned_or_current")),
            thiopurine_offered=any(o.therapy == "azathioprine" for o in options)),
        inputs_used=summary.inputs_used(record, facts, phenotypes),
    )
    if facts.get("subgroups") and "imnm" in phenotypes and facts.get("anti_srp") is False \
            and facts.get("anti_hmgcr") is False:
        # antibody-negative necrotising myopathy: treatment is provisional until a dystrophy
        # is excluded, as the do-now line says (re-score of review T)
        plan.regimens = [r.model_copy(update={"provisional": True}) if r.domain == "muscle"
                         else r for r in plan.regimens]
    plan.regimens = pulses_in_progress(
        plan.regimens, current, kb, swallow_unsafe=record.organs.dysphagia == "severe",
        child_weight_kg=float(record.weight_kg) if record.weight_kg is not None else None,
        # under 18 the JDM dose (SHARE 2017), adult-sized or not (specialist review Z10b:
        # 'usually 40-60 mg/day' after pulses for a girl of 15)
        child=record.age_years() < 18)
    plan.regimens = pulses_just_given(plan.regimens, record, kb,
                                      bool(facts.get("organ_threatening")))
    # before the illness, pregnancy and exposure guards, which may defer it (specialist review
    # Z22b P3: ciclosporin added for skin during a varicella incubation)
    plan.regimens = skin_escalation_named(plan.regimens)
    plan.regimens = daily_glucocorticoid_after_pulses(
        plan.regimens, kb, current, {w.therapy for w in plan.withheld},
        child=record.age_years() < 18)
    waiting = next((w for w in plan.withheld if w.therapy == "rituximab"
                    and "rituximab_start_during_neutropenia" in w.rule_ids), None)
    if waiting is not None and state.of("muscle") == "inadequate_response":
        # refractory disease with rituximab held only for the count: it is the next step once
        # the count recovers, not dropped (re-score of specialist review Z10d: a refractory
        # anti-SRP myopathy left with a trial referral alone)
        name = kb.therapies["rituximab"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            *r.first_choice,
            f"{name} once the neutrophils are above 1.5 and the cause of the low count is "
            "found (see the withheld list; sooner with the team if an organ is threatened)"]})
            if r.domain == "muscle" and not any(name in e for e in r.first_choice)
            and not any(e.startswith("treat the infection") for e in r.first_choice)
            else r for r in plan.regimens]
    plan.regimens = [r.model_copy(update={"first_choice": [
        safe_taper_partners(e, kb, facts) for e in r.first_choice]}) for r in plan.regimens]
    # the decision point follows the added agent, not 'no new agent' (re-score of Z12d)
    plan.regimens = [r.model_copy(update={"decision_point": r.decision_point.replace(
        "no new agent; continue the current treatment",
        "the steroid-sparing agent above first, then the taper")})
        if any(e.startswith("add a steroid-sparing agent") for e in r.first_choice)
        else r for r in plan.regimens]
    if state.of("muscle") == "flare" and mild_flare(record) \
            and facts.get("organ_threatening") is not True:
        # a mild flare gets no IV pulses (specialist review Z12d: pulses first for a flare its
        # own line called mild, with IgG 3.8 and two pneumonias)
        pulse = kb.therapies["methylprednisolone_iv_pulse"].name
        plan.regimens = [r.model_copy(update={
            "first_choice": [e for e in r.first_choice
                             if not e.removeprefix("add ").startswith(pulse)],
            "alternatives": [*r.alternatives, *[
                e.removeprefix("add ").split(",")[0] + " only for a severe flare"
                for e in r.first_choice if e.removeprefix("add ").startswith(pulse)]]})
            if r.domain == "muscle" else r for r in plan.regimens]
        # nor the moderate-flare dose or IVIG as first choice (specialist review Z20d P4: 0.5
        # mg/kg/day and IVIG for a flare the plan's own line called mild, at 9 weeks)
        plan.regimens = [r.model_copy(update={
            "first_choice": [MILD_FLARE_STEP + e[e.find("; in pregnancy"):]
                             if e.startswith(MODERATE_FLARE_STEP) and "; in pregnancy" in e
                             else MILD_FLARE_STEP if e.startswith(MODERATE_FLARE_STEP) else e
                             for e in r.first_choice if not e.startswith(IVIG_FOR_FLARE)],
            "alternatives": [*r.alternatives, *[
                e.removeprefix("add ").split(" for a significant flare")[0]
                + " for a significant flare"
                for e in r.first_choice if e.startswith(IVIG_FOR_FLARE)]]})
            if r.domain == "muscle" else r for r in plan.regimens]
    if treat and "asys" in phenotypes and record.systemic.arthritis \
            and joints_may_be_active(record) \
            and state.of("muscle") in ("not_involved", "stable", "remission") \
            and state.of("lung") in ("not_involved", "stable", "remission") \
            and not any(r.domain == "joints" for r in plan.regimens):
        gc_value = facts.get("gc_mg_day")
        # ILD known only from an HRCT on the record: an unticked box is not a normal scan
        lung_known = record.lung is not None and record.lung.hrct_pattern is not None
        plan.regimens.append(regimens.joint_regimen(
            gc_value if isinstance(gc_value, float | int) and gc_value > 0 else None,
            (record.lung.shows_ild() or record.systemic.interstitial_lung_disease)
            if lung_known and record.lung is not None else
            (True if record.systemic.interstitial_lung_disease else None),
            kb.therapies["glucocorticoids_oral"].name,
            withheld=frozenset(w.therapy for w in (*plan.withheld, *plan.not_recommended))
            # a low IgG or recurrent infections hold B-cell depletion (specialist review Z26c
            # P8: 'add rituximab' for the joints beside three urgent lines holding it)
            | (frozenset({"rituximab"}) if facts.get("recurrent_infections") is True or (
                isinstance(igg := facts.get("igg"), (int, float)) and igg < 5)
               else frozenset())))
    stopping = ({w.therapy for w in (*plan.withheld, *plan.not_recommended)}
                | set(held_therapies(selection, taken_now))
                | set(failed_but_current(record, current))
                | (set(kb.group_members("immunosuppressive")) | set(regimens.GLUCOCORTICOIDS)
                   if "ibm" in phenotypes else set()))
    # a transplant recipient's anti-rejection drugs stay for the graft: only a withholding
    # rule about the patient (pregnancy, an interaction) changes them, with the transplant team
    graft = set(ANTI_REJECTION & current) if record.comorbidities.solid_organ_transplant else set()
    stopping -= graft - {w.therapy for w in plan.withheld}
    plan.do_now = without_moot_dose_lines(plan.do_now, kb, stopping & current)
    plan.regimens = name_every_current_drug(
        plan.regimens, current, kb,
        stopping=stopping, graft=graft,
        # a drug taken now with no response recorded is not 'continued' as if it worked
        # (review Z4b: 'Continue topical calcineurin inhibitors' twice, response none)
        # a drug with missed doses has not failed (re-score of specialist review Z14b P7:
        # hydroxychloroquine 'without an adequate response' beside 'restore it')
        not_working=((set(state.steroid_sparing_failed) if state is not None else set())
                     | {t for t, outcome in treatment_outcomes(record).items()
                        if outcome == "ineffective" and t in current}) - missed_ids(facts),
        stop_for={"bisphosphonates": "kidney function (see Do now)"}
        if KIDNEY_BONE_RULES & {a.code for a in plan.do_now} else
        # an oral bisphosphonate with dysphagia (review Z3c: 'its prescriber decides' beside
        # 'no oral bisphosphonate' for alendronate with moderate dysphagia)
        {"bisphosphonates": "dysphagia - switch to IV zoledronate or denosumab with its "
                            "prescriber (see Do now)"}
        if "bone_protection_with_dysphagia" in {a.code for a in plan.do_now} else None)
    for code, therapy_id in HELD_TODAY.items():
        # a drug a do-now line holds today is not 'continued' in the approach (specialist
        # review T: 'withhold tacrolimus today' beside 'Continue Tacrolimus' for muscle and lung)
        if code in {a.code for a in plan.do_now} and therapy_id in kb.therapies:
            name = kb.therapies[therapy_id].name
            plan.regimens = [r.model_copy(update={"first_choice": [
                f"Hold {name} today (see Do now); restart at a lower dose once the level and "
                "kidney function recover" if e.startswith((f"Continue {name}",
                                                            f"Continue and optimise {name}",
                                                            f"Review {name}")) else e
                for e in r.first_choice]}) for r in plan.regimens]
    if "severe_jdm_bulbar_admit" in {a.code for a in plan.do_now} \
            and not GUT_FIRST & {a.code for a in plan.do_now}:
        plan.regimens = nothing_new_by_mouth_until_swallow_is_safe(
            plan.regimens, kb.therapies["glucocorticoids_oral"].name)
    if GUT_FIRST & {a.code for a in plan.do_now}:
        plan.regimens = glucocorticoid_iv(
            plan.regimens, kb.therapies["glucocorticoids_oral"].name,
            jdm_gut=bool({"jdm_gut_bleed_vasculopathy", "jdm_gut_vasculopathy"}
                         & {a.code for a in plan.do_now}),
            ivig_held="ivig" in {w.therapy for w in plan.withheld})
    if facts.get("ssc_overlap") is True or (record.age_years() < 18
                                            and record.comorbidities.osteoporosis is True):
        plan.regimens = taper_despite_active_lung(plan.regimens)
    plan.regimens = glucocorticoid_myopathy_first(plan.regimens, record)
    plan.regimens = plateau_before_escalation(plan.regimens, record)
    paused = any(n in e for r in plan.regimens for e in r.first_choice for n in NO_TAPER)
    plan.regimens = no_taper_while_held(plan.regimens)
    if paused:
        # nor do the taper lines of Do now (re-scores of specialist reviews Z19b P6 and Z19c
        # P6: 'set a written taper target' beside 'no taper meanwhile')
        plan.do_now = [a for a in plan.do_now if a.code not in TAPER_ACTIONS]
    if "pjp_pneumonia_suspected" in {a.code for a in plan.do_now}:
        # one PJP instruction: the urgent line's treatment dose, not the lung regimen's
        # prophylaxis for an anti-MDA5 fever (specialist review Z18a P2: the two side by side)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e.replace(MDA5_PJP_STEP, "treatment-dose co-trimoxazole until PJP is excluded (see "
                      "Do now)") for e in r.first_choice]}) for r in plan.regimens]
    fit_to_patient_limits(plan, record, facts, present, current, kb)
    held_urgently = held_by_urgent_lines(
        plan.do_now, current, frozenset(
            t.therapy for t in record.treatments if t.route in ("sc", "iv", "im")
            and t.therapy in current))
    if held_urgently:
        keep_rules = {r.id for r in kb.rules.rules if r.when_taken == "continue"}
        plan.do_now = without_keep_lines_for_held(
            plan.do_now, {t: kb.therapies[t].name for t in held_urgently if t in kb.therapies},
            keep_rules)
        # and from the drug's cautions (re-score of specialist review Z14d P7)
        for held_option in plan.options:
            if held_option.therapy in held_urgently:
                held_option.cautions = [c for c in held_option.cautions
                                        if c.condition not in keep_rules]
        plan.regimens = hold_in_approach(plan.regimens, [
            kb.therapies[t].name for t in sorted(held_urgently) if t in kb.therapies])
    if review == "criteria":
        # a label the criteria do not support, with no rash, that glucocorticoids did not
        # help: a dystrophy or metabolic myopathy until shown otherwise (specialist review M:
        # a rash-free boy 'JDM', CK 67 x ULN, given methotrexate and more prednisolone)
        plan.regimens = diagnosis_before_escalation(plan.regimens)
    elif review == "bland_biopsy":
        plan.regimens = diagnosis_before_escalation(plan.regimens, BLAND_BIOPSY_WHY)
    elif review == "seronegative_imnm":
        # seronegative IMNM failing treatment: a dystrophy first (specialist review S: first
        # choice rituximab for a boy with falling CMAS, an MHC-I-negative necrotising biopsy
        # and three failed drugs)
        plan.regimens = diagnosis_before_escalation(plan.regimens, SERONEGATIVE_IMNM_WHY)
    if any(e.startswith("Re-examine the diagnosis before any new agent")
           for r in plan.regimens for e in r.first_choice):
        # no new agent anywhere while the diagnosis is re-examined (specialist review T: 'switch
        # to mycophenolate' and 'add a second-line agent' beside 're-examine the diagnosis')
        plan.regimens = [r.model_copy(update={"first_choice": [
            "whether to replace it waits for the diagnostic review (no new agent before it)"
            if e.startswith("switch to ") else e for e in r.first_choice]})
            for r in plan.regimens]
        plan.do_now = [a for a in plan.do_now if a.code not in ESCALATION_DO_NOW]
        # nor 'switch or add' in the state line (specialist review Z13a)
        for domain in plan.state.domains if plan.state is not None else []:
            domain.basis = [b.replace(SWITCH_OR_ADD, ": the diagnosis is reviewed before "
                                      "another agent") for b in domain.basis]
    new_agents = frozenset(
        o.name for o in plan.options if o.therapy not in current
        and kb.therapies[o.therapy].category not in HARMLESS_CATEGORIES
        and kb.therapies[o.therapy].category != "immunoglobulin"
        # an untreated organ-threatening myositis starts its oral glucocorticoid beside the
        # antibiotics (specialist review Z8b: rhabdomyolysis with kidney failure left with
        # 'none available'); IV pulses still wait for the infection (review X2)
        and not (facts.get("organ_threatening") is True and o.therapy == "glucocorticoids_oral"))
    infection_rules = {f.rule.id for f in firings} & summary.INFECTION_RULES
    # a fever with the macrophage activation criteria met and no infection recorded is not
    # read as an infection that holds treatment back (specialist review Z10b)
    fever_is_mas = facts.get("mas_suspected") is True \
        and record.comorbidities.active_infection is not True
    if infection_rules and not (infection_rules == {"fever_on_immunosuppression"}
                                and (record.comorbidities.active_infection is False
                                     or fever_is_mas)):
        # a fever the clinician has recorded as no infection does not hold treatment back
        # (re-score of specialist review Z8b: JDM gut vasculopathy with fever)
        # a replacement for a stopped drug waits for an infection that is recorded, not for a
        # fever alone (re-score of specialist review Z8b)
        # a fever alone waits for infection to be excluded, not 'treated' (specialist review
        # Z11c: a new antisynthetase patient's fever, a disease feature, deferred mycophenolate
        # 'until the infection is treated')
        fever_only = infection_rules == {"fever_on_immunosuppression"} \
            and record.comorbidities.active_infection is not True
        plan.regimens = during_infection(
            plan.regimens, new_agents, DURING_FEVER if fever_only else None,
            changes_too=record.comorbidities.active_infection is True)
        if plan.state is not None and record.comorbidities.active_infection is True:
            # a lung worse during an infection is not yet failing treatment (specialist review
            # Z7a: 'inadequate response, ILD progressive' beside a suspected Pneumocystis
            # pneumonia invites escalation)
            for domain in plan.state.domains:
                if domain.domain == "lung" and domain.state in ("inadequate_response", "flare"):
                    domain.basis.append("worse during an active infection: judged again once "
                                        "the infection is treated, before any escalation")
    if facts.get("gi_bleed_suspected") is True and "jdm" not in phenotypes:
        # in JDM a gut bleed is vasculopathy, treated now, not waited out (review Z6c)
        plan.regimens = during_infection(plan.regimens, new_agents, DURING_BLEEDING)
    exposure_days = facts.get("varicella_exposure_days")
    if isinstance(exposure_days, int) and 0 <= exposure_days < VARICELLA_INCUBATION_DAYS \
            and facts.get("vzv_seronegative") is not False:
        ivig_option = next((o.name for o in plan.options if o.therapy == "ivig"
                            and "ivig" not in current), None)
        plan.regimens = varicella_incubation(
            plan.regimens, facts.get("organ_threatening") is True
            or bool(ORGAN_THREAT & present), ivig_option,
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      in HARMLESS_CATEGORIES),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      not in HARMLESS_CATEGORIES))
        if not (facts.get("organ_threatening") is True or ORGAN_THREAT & present):
            # the flare line waits for the incubation as the approach does (specialist review
            # Z28d P3: 're-escalate' at the top of Do now 4 days after a chickenpox contact)
            plan.do_now = [a.model_copy(update={"text": INCUBATION_FLARE.sub(
                FLARE_IN_INCUBATION, a.text, count=1)}) if a.code == "flare" else a
                for a in plan.do_now]
    measles_days = facts.get("measles_exposure_days")
    if isinstance(measles_days, int) and 0 <= measles_days < VARICELLA_INCUBATION_DAYS:
        # immunity cannot be recorded beyond the IgG the measles line asks for: the hold
        # applies until it is shown (specialist review Z24d P7)
        plan.regimens = varicella_incubation(
            plan.regimens, facts.get("organ_threatening") is True
            or bool(ORGAN_THREAT & present),
            next((o.name for o in plan.options if o.therapy == "ivig"
                  and "ivig" not in current), None),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      in HARMLESS_CATEGORIES),
            frozenset(o.name for o in plan.options if kb.therapies[o.therapy].category
                      not in HARMLESS_CATEGORIES), infection="measles")
    if facts.get("end_of_life") is True or facts.get("treatment_ceiling") == "comfort":
        # routine prevention that no longer serves the patient is left out near the end of
        # life (specialist review V: shingles vaccine and eye screening for a dying woman)
        plan.do_now = [a for a in plan.do_now if a.code not in LOW_VALUE_NEAR_END]
    if "critical_illness_on_glucocorticoids" in {a.code for a in plan.do_now}:
        plan.regimens = stress_dose_in_approach(plan.regimens,
                                                kb.therapies["glucocorticoids_oral"].name)
    if facts.get("critical_illness") is True:
        # routine prevention waits for recovery (specialist review Z7a: vaccines, Raynaud and
        # cancer screening beside a ventilated patient in septic shock)
        plan.do_now = [a for a in plan.do_now
                       if not (a.code in LOW_VALUE_NEAR_END and a.urgency == "routine")]
    slow_names = frozenset(o.name for o in plan.options if o.therapy not in current
                           and kb.therapies[o.therapy].category in SLOW_CATEGORIES)
    if facts.get("end_of_life") is True:
        plan.regimens = within_goals_of_care(plan.regimens, slow_names | frozenset(
            o.name for o in plan.options if o.therapy == "methylprednisolone_iv_pulse"
            and o.therapy not in current))
    elif "ibm" not in phenotypes and (why := severe_frailty(record)) is not None:
        # not in IBM, where neither glucocorticoids nor IVIG help the muscle (specialist review
        # Z21a P8: 'a proportionate trial - the lowest glucocorticoid dose, IVIG' as first choice
        # for a frail man of 79 with late IBM)
        plan.regimens = proportionate_treatment(
            plan.regimens, slow_names, kb.therapies["methylprednisolone_iv_pulse"].name,
            kb.therapies["ivig"].name if "ivig" in kb.therapies else None, why,
            # pulses only for an organ threatened and no infection being treated; IVIG waits
            # with heart failure (specialist review Z19d P5: pulses, oral glucocorticoid and
            # 2 g/kg IVIG together at frailty 7 with heart failure and an aspiration pneumonia)
            keep_pulses=facts.get("organ_threatening") is True
            and record.comorbidities.active_infection is not True,
            max_slow=0 if record.care_goals.prognosis == "months" else 1,
            ivig_ok=record.comorbidities.heart_failure is not True,
            taken=frozenset(kb.therapies[t].name for t in current if t in kb.therapies))
        # frail or with months to live, infection prevention still serves (influenza, COVID-19,
        # pneumococcal); long-horizon prevention does not (re-score of specialist review Z27c
        # P7: the vaccines dropped and the yearly cardiovascular-risk review kept)
        low_value = LOW_VALUE_FRAIL | (
            {"zoster_vaccination_review"} if record.care_goals.prognosis in (
                "months", "weeks_to_months", "days_to_weeks") else set())
        plan.do_now = [a for a in plan.do_now
                       if not (a.code in low_value and a.urgency == "routine")]
    # pre-treatment checks and missing tests for what the approach names or the patient
    # takes, not for every option in the detail (a TPMT prompt with no azathioprine proposed)
    proposed = set(regimen_therapies(plan, current)) | set(current)
    plan.shared_checks = checks.shared_checks(
        [o for o in plan.options if o.therapy in proposed], kb, record)
    # named anywhere in the approach counts, a replacement in the treatment changes too
    # (specialist review Z14c P6: azathioprine as the switch before conception, no TPMT asked)
    aza_named = "azathioprine" in kb.therapies and any(
        kb.therapies["azathioprine"].name in e for r in plan.regimens
        for e in (*r.first_choice, *r.alternatives))
    # a pre-start test means nothing after a year on the drug (specialist review Z15c P6:
    # 'NUDT15 (before azathioprine)' after 13 years on it)
    aza_long = any(t.therapy == "azathioprine" and t.start is not None and t.stop is None
                   and (record.on() - t.start).days > 365 for t in record.treatments)
    if ("azathioprine" not in proposed and not aza_named) or aza_long:
        plan.unknowns = [u for u in plan.unknowns if not u.endswith("(before azathioprine)")]
    elif aza_named and "azathioprine" not in current and (
            record.immunogenetics.tpmt is None or record.immunogenetics.nudt15 is None) \
            and not any(u.endswith("(before azathioprine)") for u in plan.unknowns):
        # only the gene not yet tested (specialist review Z20c P8: 'TPMT/NUDT15' asked for
        # beside a recorded TPMT)
        genes = record.immunogenetics
        plan.unknowns.append(TPMT_UNKNOWN if genes.tpmt is None and genes.nudt15 is None
                             else f"{'TPMT' if genes.tpmt is None else 'NUDT15'} "
                                  "(before azathioprine)")
    if "tacrolimus_toxicity" in {a.code for a in plan.do_now}:
        # the monitoring date follows the urgent line (review B: next trough a week away
        # beside 'within 24-72 hours')
        name = kb.therapies["tacrolimus"].name
        soon = (record.on() + dt.timedelta(days=3)).isoformat()
        for item in plan.monitoring:
            if item.therapy == name:
                item.next_due = (f"by {soon} (withheld for toxicity: trough, creatinine and "
                                 "potassium within 24-72 hours)")
    overdue = bloods_overdue(record, plan, kb, current)
    if overdue:
        plan.do_now.append(Action(
            code="drug_monitoring_overdue", urgency="soon",
            text=("Blood monitoring overdue or never recorded for " + ", ".join(overdue)
                  + " (taken for more than 3 months): blood count, liver tests and creatinine "
                  "now, then at the interval in the monitoring table."),
            therapies=[t for t in sorted(current) if kb.therapies[t].name in overdue],
            kb_entry="monitoring", citations=["ledingham2017_bsr_dmard"]))
    if any(f.startswith("Stop " + kb.therapies["hydroxychloroquine"].name)
           for r in plan.regimens for f in r.first_choice):
        # a drug being stopped needs no dose reduction (review D: "reduce to 290 mg/day"
        # beside "Stop Hydroxychloroquine")
        plan.do_now = [a for a in plan.do_now
                       if a.code != "hydroxychloroquine_dose_above_5mg_kg"]
    # a do-now line that names a drug stops or holds it, unless it only adjusts it (a
    # `dose_adjustment` rule such as co-trimoxazole beside methotrexate)
    # or a caution that keeps the drug (`when_taken: continue`; specialist review Z23c P2:
    # methotrexate 15 mg/week at eGFR 52 kept above its 12.5 mg ceiling because a co-trimoxazole
    # caution named it)
    adjusting = {r.id for r in kb.rules.rules if r.dose_adjustment or r.when_taken == "continue"}
    stopping_now = {t for a in plan.do_now if a.kb_entry not in adjusting
                    for t in a.therapies} | (stopping & current)
    for therapy_id, text, sources in above_limit(record, kb, current):
        if therapy_id not in stopping_now:  # a stop already said wins over a lower dose
            plan.do_now.append(Action(code=f"dose_above_limit_{therapy_id}", urgency="soon",
                                      text=text, therapies=[therapy_id], kb_entry="doses",
                                      citations=sources))
    no_rise = {kb.therapies[a.therapies[0]].name: "lower the dose: above the ceiling for this "
               "patient, see Do now" for a in plan.do_now
               if a.code.startswith("dose_above_limit_") and a.therapies}
    no_rise.update({name: "no dose rise until the overdue monitoring bloods are back"
                    for name in overdue if name not in no_rise})
    if LIVER_DO_NOW & {a.code for a in plan.do_now}:
        # a raised liver ALT: the hepatotoxic drug is not pushed up meanwhile (review Z2:
        # 'continue and optimise methotrexate' beside a rising ALT with fatty liver in a child)
        no_rise.update({kb.therapies[t].name: "no dose rise while the liver ALT is raised, "
                        "see Do now" for t in sorted(current & HEPATOTOXIC)
                        if t in kb.therapies and kb.therapies[t].name not in no_rise})
    plan.regimens = no_dose_rise(plan.regimens, no_rise, frozenset(
        name for name, reason in no_rise.items() if reason.startswith("lower")))
    if other_cause is not None:
        # the escalation waits too, not only the decision point (specialist review Z28b P7: IV
        # pulses as first choice beside 'no myositis escalation on this CK alone' for statin
        # toxicity with an azole in a lung-transplant recipient, H858)
        cause = other_cause.split(" (")[0]
        # and the Do-now flare line does not say 're-escalate' beside it (re-score of
        # specialist review Z28b P7)
        plan.do_now = [a.model_copy(update={"urgency": "soon", "text": INCUBATION_FLARE.sub(
            f"not a flare to treat until {cause} (see Do now); meanwhile check adherence, ",
            a.text, count=1)}) if a.code == "flare" else a for a in plan.do_now]
        plan.do_now = sorted(plan.do_now, key=lambda a: ("urgent", "soon", "routine").index(
            a.urgency))
        plan.regimens = [r.model_copy(update={
            "first_choice": [e for e in r.first_choice if e.startswith(KEPT)]
            or ["no change to the myositis treatment meanwhile"],
            "alternatives": list(dict.fromkeys(
                [f"if the muscle is still worse once {cause}: " + e.removeprefix("add ")
                 for e in r.first_choice if not e.startswith(KEPT)] + r.alternatives)),
            "decision_point": (
                f"Not a flare to treat until {cause} (see Do now); if the "
                "muscle is still worse then: " + r.decision_point[0].lower()
                + r.decision_point[1:])})
            if r.domain == "muscle" and r.state == "flare" else r for r in plan.regimens]
    if "methotrexate" in kb.therapies:
        plan.regimens = no_methotrexate_without_lung_reserve(
            plan.regimens, kb.therapies["methotrexate"].name,
            "ild" in present and little_lung_reserve(record))
    plan.regimens = end_stage_fibrosis(
        plan.regimens, record,
        any(kb.therapies[t].category == "antifibrotic" for t in current if t in kb.therapies),
        frozenset(o.name for o in plan.options if o.therapy not in current
                  and kb.therapies[o.therapy].category in SLOW_CATEGORIES))
    plan.regimens = one_new_agent_across_lung_and_muscle(plan.regimens, frozenset(
        o.name for o in plan.options if o.therapy not in current
        and kb.therapies[o.therapy].category in SLOW_CATEGORIES | {"immunoglobulin"}))
    if "cyclophosphamide" in kb.therapies:
        plan.regimens = cyclophosphamide_replaces_antimetabolite(
            plan.regimens, kb.therapies["cyclophosphamide"].name)
    plan.regimens = no_induction_for_low_grade(
        plan.regimens, kb.therapies["glucocorticoids_oral"].name, low_grade_chronic(record))
    plan.regimens = refractory_centre(plan.regimens, sorted(
        {kb.therapies[t.therapy].name for t in record.treatments if t.therapy in kb.therapies
         and kb.therapies[t.therapy].category in SLOW_CATEGORIES | {"immunoglobulin"}
         # only agents that did not work: one stopped for toxicity or other reasons is no sign
         # of refractory disease (re-score of specialist review Z14c P2 and P4)
         and (t.outcome == "ineffective" or t.reason_stopped == "inefficacy"
              or t.response == "none")}))
    plan.doses, undosed = doses_for(record, kb, regimen_therapies(plan, current))
    plan.doses = current_dose_checks(
        record, kb, current, controlled=state.of("muscle") in ("stable", "remission")
    ) + plan.doses
    # a drug taken now that the plan holds or stops gets no dose line (review E: 'at most
    # 0.75 mg/kg/day here' beside 'hold azathioprine' in a neutropenia)
    not_continued = (set(held_therapies(selection, taken_now)) | held_urgently) & current
    plan.doses = [d for d in plan.doses if d.therapy not in not_continued]
    plan.regimens = adequate_trial_first(
        # doses missed explain more than a dose a little below the range: the missed-dose line
        # restores it (specialist review Z24c P7: 'raise methotrexate' for a 17-year-old on
        # 20 mg/week for 4 years whose problem was missed doses)
        plan.regimens, frozenset(d.name for d in plan.doses if d.below_range and kb.therapies[
            d.therapy].category == "conventional_immunosuppressant"
            and d.therapy not in missed_ids(facts)),
        frozenset(o.name for o in plan.options if o.therapy not in current
                  and kb.therapies[o.therapy].category in SLOW_CATEGORIES),
        organ_threat=facts.get("organ_threatening") is True)
    if missed_ids(facts) and missed_ids(facts) <= not_continued:
        # every missed drug is held or stopped for this patient: nothing is 'restored'
        # (specialist review Z18a P5: methotrexate toxicity at a clearance of 21, the
        # overdose recorded as poor adherence, told to restore the full dose)
        plan.do_now = [a for a in plan.do_now if a.code != "doses_missed_before_escalation"]
    elif missed_ids(facts) & not_continued:
        # some missed drugs are stopped here: the line restores only the others (specialist
        # review Z19b P6: 'restore the drug at full dose' beside 'stop methotrexate' for a
        # fatty liver with ALT 3.4 x ULN)
        stopped = ", ".join(sorted(kb.therapies[t].name for t in missed_ids(facts) & not_continued
                                   if t in kb.therapies))
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "restore the drug at full dose",
            f"restore the drug at full dose ({stopped}: stopped in this plan, not restored, "
            "and its replacement is not delayed by this line)")})
            if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    if "azathioprine" in missed_ids(facts) and facts.get("thiopurine_metabolism") in (
            "intermediate", "deficient"):
        # 'full dose' is the genotype's dose, re-titrated on counts (re-score of specialist
        # review Z18b P6: a TPMT-intermediate patient told to restore 125 mg/day after
        # months without bloods)
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "restore the drug at full dose",
            "restore the drug at full dose (azathioprine: the reduced dose its TPMT or NUDT15 "
            "result allows, re-titrated on blood counts)", 1)})
            if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    restored = sorted(kb.therapies[t].name for t in missed_ids(facts) - not_continued
                      if t in kb.therapies)
    if restored:
        # the line names what it restores (specialist review Z22b P6: 'restore the drug'
        # beside mycophenolate stopped for a pregnancy)
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "restore the drug at full dose", f"restore {' and '.join(restored)} at full dose",
            1)}) if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    if "doses_missed_before_escalation" in {a.code for a in plan.do_now}:
        plan.regimens = adherence_before_new_agents(
            plan.regimens, frozenset(kb.therapies[t].name for t in missed_ids(facts)
                                     if t in kb.therapies and t not in not_continued),
            # IVIG is a new agent too: it waits for the missed drug (it joined the JDM
            # refractory-skin options with review Z27a P6)
            frozenset(o.name for o in plan.options if o.therapy not in current
                      and kb.therapies[o.therapy].category
                      in SLOW_CATEGORIES | {"immunoglobulin"}),
            weight_kg=glucocorticoid_weight(record),
            adjusted=glucocorticoid_weight(record) != record.weight_kg)
    if state.of("muscle") == "flare" and (record.age_years() >= 16 or (
            record.age_years() >= 12 and (record.weight_kg or 0) >= 50)):
        # adults and adult-sized adolescents (review Z3b: 58-60 mg/day for a mild flare at 17
        # and 58 kg); a smaller child's flare goes back to 1-2 mg/kg/day (the approach says so)
        for line in plan.doses:
            if line.therapy == "glucocorticoids_oral":
                # the curated range is the induction dose (specialist review Y: 60 mg/day
                # printed for a mild flare after stopping treatment)
                mild = mild_flare(record)
                weight = record.weight_kg
                line.text = (
                    f"a mild flare ({mild}): a return to the last effective dose or about "
                    "0.25-0.5 mg/kg/day" + (f" ({0.25 * weight:.0f}-{min(30, 0.5 * weight):.0f} "
                                            "mg/day here)" if weight else "")
                    + "; the induction range only for a severe flare: " + line.text
                    if mild else
                    "induction range - a moderate flare usually needs about half "
                    "of it (see the approach): " + line.text)
    bridge_only = any(r.domain == "joints" and any("low dose as a bridge" in e
                                                   for e in r.first_choice)
                      for r in plan.regimens) and not any(
        "Oral glucocorticoids" in e and "low dose as a bridge" not in e
        for r in plan.regimens if r.domain != "joints" for e in r.first_choice)
    if bridge_only:
        # a bridging dose for the joints is not the induction range (review Z3b: 30-60 mg/day
        # printed beside 'a low dose as a bridge')
        for line in plan.doses:
            if line.therapy == "glucocorticoids_oral" and line.therapy not in current:
                line.text = ("for the joints a low bridging dose, prednisolone 5-10 mg/day, "
                             "tapered as they settle; the curated induction range ("
                             + line.text.split(";")[0] + ") is for muscle or lung disease")
    gc_risks = glucocorticoid_risks(record)
    if gc_risks:
        # the induction range names what it costs this patient (specialist review Z9a:
        # prednisolone 41-60 mg/day for an insulin-treated diabetic with a bare 'Diabetes')
        for line in plan.doses:
            if line.therapy == "glucocorticoids_oral" and line.therapy not in current:
                line.text += ("; with " + ", ".join(gc_risks) + (
                    ": the full dose the threatened organ needs, with a glucose and bone plan"
                    if full_dose_despite_risks(record, facts, gc_risks) else
                    ": the lower end and the shortest course, the steroid-sparing or IVIG step "
                    "carrying the rest, with a glucose and bone plan"))
    if facts.get("hepatic_impairment") is True:
        # a liver-disease target is set with hepatology, not the curated full range (re-score
        # of specialist review Z19c P8: '2-2.5 mg/kg/day; target dose' with HBV and liver
        # impairment)
        for line in plan.doses:
            if line.therapy == "azathioprine" and "target dose" in line.text:
                line.text = line.text.replace(
                    "target dose", "the usual target - with liver disease the target is set "
                    "with hepatology after a start at about half, not this range by default")
    if facts.get("ssc_overlap") is True:
        # scleroderma overlap: the induction range is not this patient's (specialist review
        # Z8a: '29-58 mg/day' worked out beside the renal-crisis warning)
        for line in plan.doses:
            if line.therapy == "glucocorticoids_oral" and line.therapy not in current:
                line.text = ("at most 15 mg/day in a scleroderma overlap (higher doses bring on a "
                             "renal crisis), with blood pressure and creatinine at every visit; "
                             "the curated induction range (" + line.text.split(";")[0]
                             + ") is not for this patient")
        plan.regimens = ssc_glucocorticoid_ceiling(plan.regimens,
                                                   kb.therapies["glucocorticoids_oral"].name)
    if facts.get("thiopurine_metabolism") == "normal":
        for line in plan.doses:
            if line.therapy == "azathioprine":
                # the genotype is known: no request for it beside the dose (review A)
                line.text = line.text.replace("on blood counts, adjusted by TPMT/NUDT15",
                                              "on blood counts (TPMT and NUDT15 recorded "
                                              "normal)")
    for line in plan.doses:
        # the worked range is the curated one: say beside it what this patient's cautions
        # change (a reduced eGFR, an interaction), so the number is not read on its own
        option = next((o for o in plan.options if o.therapy == line.therapy), None)
        # a short lead clause keeps the next one, which says what to do (re-score of specialist
        # review Z28c P6: 'discuss fertility before the first pulse' without the GnRH agonist)
        concerns = [lead_clause(c.text) for c in (option.cautions if option else [])
                    if c.severity in ("absolute", "high", "moderate")]
        if concerns:
            line.text += "; adjust for this patient: " + "; ".join(dict.fromkeys(concerns))
        if line.therapy in BOOSTER_SENSITIVE and "ritonavir_or_cobicistat" in \
                record.other_medicines:
            # no standard number beside a pharmacokinetic booster (specialist review Z21d P3:
            # tacrolimus 0.06-0.07 mg/kg/day 'worked out for this patient' on darunavir/ritonavir)
            line.text = BOOSTED_DOSE
    plan.regimens = decision_without_first_choice(plan.regimens)
    remission_since = next((d.since for d in (state.domains if state else [])
                            if d.domain == "muscle" and d.state == "remission"), None)
    gc_free = facts.get("gc_free_months")
    if remission_since is not None and isinstance(gc_free, float | int) and gc_free >= 12 \
            and "jdm" not in phenotypes and "ild" not in present \
            and not any(facts.get(f) is True for f in ("pregnant", "planning_conception",
                                                         "breastfeeding")) \
            and (record.on() - remission_since).days >= 365:
        plan.regimens = withdrawal_in_long_remission(plan.regimens)
    plan.regimens = one_new_agent_for_the_joints(plan.regimens)
    if facts.get("pregnant") is True and state.of("muscle") == "active":
        # active on treatment without a flare: in pregnancy the glucocorticoid is not
        # 'optimised' upward by default (re-score of specialist review Z27c P4: 'continue and
        # optimise' read as a steroid rise at 11 weeks for a near-inactive muscle)
        gc = kb.therapies["glucocorticoids_oral"].name
        plan.regimens = [r.model_copy(update={"first_choice": [
            PREGNANCY_GC.format(gc=gc) if e == f"Continue and optimise {gc}" else e
            for e in r.first_choice]}) for r in plan.regimens]
    if facts.get("pregnant") is True and facts.get("skin_ulceration") is not True \
            and facts.get("organ_threatening") is not True:
        plan.regimens = no_new_systemic_agent_for_skin_in_pregnancy(plan.regimens, kb, current)
        # nor is it named as the replacement of a stopped teratogen (re-score of specialist
        # review Z20a P6: 'switch to ciclosporin' beside the skin line that had set it aside)
        moved = {a.split(" (")[0] for r in plan.regimens if r.domain == "skin"
                 for a in r.alternatives if PREGNANCY_SKIN in a}
        plan.regimens = [r.model_copy(update={"first_choice": [
            PREGNANCY_REPLACEMENT if e.startswith("switch to ") and moved and all(
                n.split(" (")[0] in moved
                for n in e.removeprefix("switch to ").split(" (or,")[0].split(" or "))
            else e for e in r.first_choice]}) if r.domain == "treatment changes" else r
            for r in plan.regimens]
    plan.regimens = replacement_as_in_the_regimens(plan.regimens, kb, current)
    if "lupus_nephritis_suspected" in {a.code for a in plan.do_now}:
        # maintenance agents wait for the kidney decision (specialist review Z21c P7: 'switch
        # to azathioprine' with a steroid taper for probable lupus nephritis)
        plan.regimens = [r.model_copy(update={"first_choice": [
            e + LUPUS_NEPHRITIS_FIRST if (e.startswith("switch to ") or any(
                e.removeprefix("add ").startswith(kb.therapies[t].name)
                for t in ("azathioprine", "methotrexate") if t in kb.therapies))
            and "(taken now" not in e and LUPUS_NEPHRITIS_FIRST not in e else e
            for e in r.first_choice]}) for r in plan.regimens]
    if {"rifampicin_and_atovaquone_pjp", "sulfonamide_allergy_no_co_trimoxazole"} <= {
            a.code for a in plan.do_now}:
        # the allergy line's atovaquone or dapsone does not hold with rifampicin (re-score of
        # specialist review Z21d P6: the two lines sent the reader in a circle)
        for action in plan.do_now:
            if action.code == "sulfonamide_allergy_no_co_trimoxazole":
                action.text = action.text.replace(
                    "PJP prophylaxis with atovaquone (or dapsone if G6PD is normal, watching for "
                    "cross-reaction)", "PJP prophylaxis with pentamidine while rifampicin is "
                    "taken (it lowers atovaquone and dapsone; see the rifampicin line)")
    # a pregnancy line's 'azathioprine or tacrolimus' names only the one not withheld here
    # (specialist review Z20b P6: tacrolimus named beside its withholding for a renal crisis)
    withheld_now = {w.therapy for w in plan.withheld}
    for keep, gone in (("azathioprine", "tacrolimus"), ("tacrolimus", "azathioprine")):
        if gone in withheld_now and keep not in withheld_now:
            for action in plan.do_now:
                action.text = action.text.replace(
                    "azathioprine or tacrolimus", f"{keep} ({gone} is withheld here)")
    plan.regimens = taken_now_is_no_alternative(
        plan.regimens, frozenset(kb.therapies[t].name for t in current if t in kb.therapies
                                 and kb.therapies[t].category not in ("non_drug", "procedure")))
    withheld_words = sorted({w.therapy.replace("_", " ") for w in plan.withheld})
    if withheld_words:
        # a general Do-now line does not 'add' a drug this plan withholds (re-score of
        # specialist review Z28c P2: 'add nintedanib' beside 'Withheld: nintedanib' while
        # breastfeeding)
        adds = re.compile(r"\badd (" + "|".join(map(re.escape, withheld_words)) + r")\b")
        plan.do_now = [a.model_copy(update={"text": adds.sub(
            r"\1 once it can be given (withheld now: see the withheld list)", a.text)})
            for a in plan.do_now]
    severe = facts.get("severe_reaction_therapies")
    if isinstance(severe, frozenset) and severe:
        # a drug stopped for a severe reaction is not named among the 'compatible' or
        # 'first' agents of a general line (specialist review Z28c P5: azathioprine, stopped
        # for pancreatitis, named three times as the pregnancy-compatible replacement, H860)
        words = tuple(w for t in sorted(severe) if t in kb.therapies
                      for w in {t.replace("_", " "), kb.therapies[t].name.lower(),
                                *(("ivig",) if t == "ivig" else ())})
        plan.do_now = [a.model_copy(update={"text": without_listed(a.text, words)})
                       for a in plan.do_now]
        plan.regimens = [r.model_copy(update={
            "decision_point": without_listed(r.decision_point, words)}) for r in plan.regimens]
        plan.withheld = [w.model_copy(update={"reason": without_listed(w.reason, words)})
                         if w.therapy not in severe else w for w in plan.withheld]
    say_what_is_not_given(plan, record)
    note_results_on_record(plan, record)
    if record.immunogenetics.g6pd == "deficient":
        # 'dapsone with a normal G6PD' and 'primaquine after a normal G6PD' are no choice with a
        # known deficiency (specialist review Z29a P2)
        plan.do_now = [a.model_copy(update={"text": without_g6pd_choices(a.text)})
                       for a in plan.do_now]
        plan.regimens = [r.model_copy(update={
            "first_choice": [without_g6pd_choices(e) for e in r.first_choice],
            "alternatives": [without_g6pd_choices(e) for e in r.alternatives]})
            for r in plan.regimens]
    held_in_regimen = {kb.therapies[t].name for t in current if t in kb.therapies
                       and any(e.startswith("Hold " + kb.therapies[t].name)
                               for r in plan.regimens for e in r.first_choice)}
    for item in plan.monitoring:
        # a drug the approach holds now keeps no routine date months away (specialist review
        # Z24d P3: methotrexate held during an infected calcinosis, next check in 12 weeks)
        if item.therapy in held_in_regimen and "stopped" not in item.next_due \
                and "withheld" not in item.next_due:
            item.next_due = ("when it restarts (held now; meanwhile the blood count and liver "
                             "tests the hold asks for)")
    first = first_choice_therapies(plan)
    for line in plan.doses:
        line.first_choice = line.therapy in first or line.therapy in current
    if undosed:
        what = "weight" if record.weight_kg is None else "height"
        plan.unknowns.append(f"{what} (to work out doses of {', '.join(undosed)})")
    plan.sources = {
        key: Citation(key=key, citation=kb.sources[key].citation,
                      identifiers=kb.sources[key].identifiers(),
                      confirmed=kb.sources[key].confirmed)
        for key in sorted(_cited_keys(plan))
    }
    return plan

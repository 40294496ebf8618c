"""The assessment a care plan is built on: diagnosis, disease state, facts and fired rules.

Kept apart from the wording passes so that what the plan *knows* about the patient can be read
(and tested) without what it *says*; `engine.build_care_plan` runs this first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from myositis.domain.antibodies import MYOSITIS_SPECIFIC
from myositis.domain.instruments.eular_acr_2017 import (
    BiopsyInput,
    EularAcrInput,
    EularAcrResult,
    classify,
)
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan import (
    exposure,
)
from myositis.services.careplan import facts as fact_rules
from myositis.services.careplan import flags as flag_rules
from myositis.services.careplan.diagnosis import Diagnosis, decide
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.medicine_readers import other_medicines_read
from myositis.services.careplan.model import (
    CancerScreening,
    Flag,
    Option,
)
from myositis.services.careplan.options import (
    Selection,
    select_options,
    use_matches,
)
from myositis.services.careplan.phenotype import complications as find_complications
from myositis.services.careplan.record_readers import (
    confirmed_positive,
)
from myositis.services.careplan.reproduction_facts import teratogen_names
from myositis.services.careplan.rules import (
    Firing,
    as_action,
    current_therapy_firings,
    patient_firings,
)
from myositis.services.careplan.screening import cancer_screening
from myositis.services.careplan.therapy_ids import check_therapy_ids
from myositis.services.careplan.treatment_history import (
    diagnosis_review,
    treatment_outcomes,
)
from myositis.services.muscle_activity import mild_flare
from myositis.services.state import DiseaseState, DomainState, disease_state


def missed_ids(facts: Mapping[str, object]) -> frozenset[str]:
    """The therapy ids with missed doses recorded (the ``doses_missed`` fact)."""
    missed = facts.get("doses_missed")
    return frozenset(str(t) for t in missed) if isinstance(missed, frozenset) else frozenset()


EULAR_ENZYMES = frozenset({"ck", "ldh", "ast", "alt"})
"""The enzymes of the EULAR/ACR 2017 item 'elevated serum CK, LDH, AST or ALT'."""


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


CAUSE_FIRST = {
    "preeclampsia_hellp_suspected": "the obstetric assessment for pre-eclampsia or HELLP (the "
                                    "raised liver enzymes and LDH may be the liver's)",
    "statin_interaction_myotoxicity": "the CK is rechecked off the statin (statin toxicity "
                                      "first)",
}
"""Do-now lines naming another cause of worse numbers: a flare by the IMACS definition waits
for it to be excluded."""


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


SLOW_CATEGORIES = frozenset({"conventional_immunosuppressant", "biologic", "jak_inhibitor",
                             "anti_interferon", "cellular_therapy", "procedure",
                             "complement_inhibitor", "fcrn_blocker"})
"""Agents whose benefit takes months (or that need a fit patient): not started near the end
of life."""


@dataclass(frozen=True)
class Assessment:
    """What the plan knows before it says anything: the record as read (visit enzymes merged, a
    settled RP-ILD tick applied), the diagnosis followed, the state of each domain, the facts the
    rules read, the rules that fired and the options left after them. Built once by `assess`;
    every later pass of the plan reads it and none changes it."""

    record: PatientRecord
    kb: KnowledgeBase
    classification: EularAcrResult
    diagnosis: Diagnosis
    phenotypes: list[str]
    state: DiseaseState
    present: set[str]
    treat: bool
    facts: Facts
    review: str | None
    screening: CancerScreening
    selection: Selection
    flags: list[Flag]
    taken_now: list[Firing]
    firings: list[Firing]
    other_cause: str | None
    current: frozenset[str]
    options: list[Option]


def covered_rules(kb: KnowledgeBase, fired: set[str]) -> set[str]:
    """The rules left out because a rule that covers them (``covered_by``) fired. Covering is
    transitive on purpose: a specific line that covers a general one is often covered in turn
    by a more specific one that says both, so each rule lists only its nearest covers."""
    return {r.id for r in kb.rules.rules if fired & set(r.covered_by)}


def assess(record: PatientRecord, kb: KnowledgeBase) -> Assessment:
    """Read the record once: everything the plan's passes need, in the order the rules need it."""
    check_therapy_ids(record, kb)
    record = record.with_visit_enzymes()  # a visit's CK may be in the dated lab series
    record = record.with_myositic_swallow()  # an oesophageal dysmotility is not myositis
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
    # a course the clinician has decided on is planned whatever the disease state: its
    # screening, vaccines and contraception come before its first dose
    booked = {p.therapy for p in record.planned_treatments}
    planned |= booked
    facts = fact_rules.compute(record, kb, planned, phenotypes, muscle_state)
    facts["ibm_against_diagnosis"] = diagnosis.ibm_against_diagnosis
    review = diagnosis_review(record, phenotypes, classification.category, state,
                              facts.get("anti_srp"), facts.get("anti_hmgcr"))
    facts["diagnosis_under_review"] = review is not None
    facts["rp_ild_tick_settled"] = settled_rp_ild
    facts["lung_state"] = state.of("lung")
    facts["skin_state"] = state.of("skin")
    # every domain quiet: a drug held for its toxicity needs no replacement meanwhile
    # (specialist review Z66b P8: 'a steroid-sparing agent less toxic to the liver or IVIG'
    # advised for a young man in remission for four years off glucocorticoids)
    facts["disease_quiet"] = all(d.state in ("remission", "stable", "not_involved")
                                 for d in state.domains) if state.domains else None
    facts["steroid_sparing_failed_count"] = len(state.steroid_sparing_failed)
    screening = cancer_screening(record, kb, phenotypes, classified=not diagnosis.unclassified,
                                 pregnant=facts.get("pregnant") is True,
                                 relapse="flare" in (state.of("muscle"), state.of("skin")))
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
    # a covered rule still counts: the line that covers it may advise the same medicine in its
    # own words (re-score of specialist review Z51c P2: the co-trimoxazole and tacrolimus line
    # lost when the anti-MDA5 infection line covered the PJP line)
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
        kb, exposure.current_therapies(record) | booked
        | (set() if quiet else {o.therapy for o in selection.options}),
        other_medicines_read(record))
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
    covered = covered_rules(kb, fired)
    # a drug's own line gives way to a more specific line on the same drug (specialist review
    # Z71d: 'liver disease: dose with hepatology' beside the line on azathioprine that treats
    # the autoimmune hepatitis)
    # (a caution only: a hold is never dropped for a softer line)
    taken_now = [f for f in taken_now if f.action != "caution" or not set(f.rule.covered_by) & {
        g.rule.id for g in taken_now if g.therapy == f.therapy}]
    firings = [f for f in patient_level if f.rule.id not in covered] + [
        as_action(f, kb) for f in taken_now if f.rule.id not in covered
    ] + [f for f in selection.do_now if f.rule.id not in covered]
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
    return Assessment(
        record=record,
        kb=kb,
        classification=classification,
        diagnosis=diagnosis,
        phenotypes=phenotypes,
        state=state,
        present=present,
        treat=treat,
        facts=facts,
        review=review,
        screening=screening,
        selection=selection,
        flags=flags,
        taken_now=taken_now,
        firings=firings,
        other_cause=other_cause,
        current=current,
        options=options,
    )

"""Assembles a CarePlan from a patient record.

Flow: diagnosis (criteria side by side) -> disease state per domain -> complications -> facts
about the patient -> options for the state with every safety rule applied -> summary (do now,
regimen, unknowns) -> the cited detail. Every line names its knowledge-base entry or rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase, load
from myositis.services.careplan import (
    checks,
    monitoring,
    regimens,
    summary,
)
from myositis.services.careplan.assessment import Assessment, assess
from myositis.services.careplan.declined import late_lines_allergy_safe
from myositis.services.careplan.diagnosis import MIMICS
from myositis.services.careplan.do_now_bundles import bundle_do_now
from myositis.services.careplan.dosing import (
    adult_sized,
    glucocorticoid_weight,
)
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.flags import transplant_realistic
from myositis.services.careplan.model import (
    CareItem,
    CarePlan,
    DiagnosisView,
)
from myositis.services.careplan.options import (
    kidney_failure,
)
from myositis.services.careplan.pass_circumstances import fit_to_circumstances
from myositis.services.careplan.pass_doses import work_out_doses
from myositis.services.careplan.pass_safety import guard_checks_and_escalation
from myositis.services.careplan.pass_treatment import shape_treatment
from myositis.services.careplan.pass_wording import (
    chest_ct_serves,
    finish_wording,
    planned_beside_cyclophosphamide,
)
from myositis.services.careplan.planned_courses import planned_course_lines, with_planned_courses
from myositis.services.careplan.record_readers import induction_given_before, recent_chest_ct
from myositis.services.careplan.rules import therapy_firings
from myositis.services.careplan.treatment_history import (
    failed_but_current,
    held_therapies,
    optimisation_steps,
)
from myositis.services.careplan.workup import missing_workup
from myositis.services.muscle_activity import mild_flare

NON_DRUG_ITEMS = ("exercise_by_phase", "photoprotection_education", "patient_education_support")


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


SEVERITY_RANK = {"low": 0, "moderate": 1, "high": 2, "urgent": 3, "absolute": 4}


def build_care_plan(record: PatientRecord, kb: KnowledgeBase | None = None) -> CarePlan:
    """The deterministic plan for one record; every line names its knowledge-base entry.

    The passes run in a fixed order because each reads the wording the earlier ones left: the
    assessment, the assembled plan, the treatment fitted to what is taken and held, the
    circumstances that pause escalation, the checks and escalation guards, the worked doses,
    and the final wording."""
    ctx = assess(record, kb or load())
    plan = _assemble(ctx)
    stopping, held_urgently = shape_treatment(plan, ctx)
    fit_to_circumstances(plan, ctx)
    guard_checks_and_escalation(plan, ctx, stopping)
    undosed = work_out_doses(plan, ctx, held_urgently)
    finish_wording(plan, ctx, undosed)
    plan.do_now = with_planned_courses(plan.do_now, planned_course_lines(ctx))
    planned_beside_cyclophosphamide(plan, ctx)
    plan.do_now_bundled = bundle_do_now(plan.do_now, ctx.kb)
    ct = recent_chest_ct(ctx.record)
    plan.do_now = chest_ct_serves(plan.do_now, ct)
    plan.do_now_bundled = chest_ct_serves(plan.do_now_bundled, ct)
    late_lines_allergy_safe(plan, ctx.record)
    return plan


def unstartable_replacements(kb: KnowledgeBase, facts: Facts,
                             current: Collection[str]) -> frozenset[str]:
    """The conventional immunosuppressants not taken now that a withholding rule would hold for
    this patient: the treatment changes never name one as the replacement of a stopped agent
    (the pregnancy switch, for one, must not offer a drug the patient cannot start)."""
    candidates = [t for t in kb.therapies.values()
                  if t.category == "conventional_immunosuppressant" and t.id not in current]
    return frozenset(t.id for t in candidates if any(
        f.action == "withhold" and not f.unknown for f in therapy_firings(kb, facts, t)))


def _assemble(ctx: Assessment) -> CarePlan:
    """The plan's sections from the assessment, before the passes fit them to each other."""
    record = ctx.record
    kb = ctx.kb
    classification = ctx.classification
    diagnosis = ctx.diagnosis
    phenotypes = ctx.phenotypes
    state = ctx.state
    present = ctx.present
    treat = ctx.treat
    facts = ctx.facts
    screening = ctx.screening
    selection = ctx.selection
    flags = ctx.flags
    taken_now = ctx.taken_now
    firings = ctx.firings
    current = ctx.current
    options = ctx.options
    explanation = list(diagnosis.explanation)
    return CarePlan(
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
                              repeat_of=last_screen_over_a_year_ago(record),
                              mas=facts.get("mas_suspected") is True,
                              confirm_first=facts.get("flare_to_confirm") is True),
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
            unstartable=unstartable_replacements(kb, facts, current),
            months_since_onset=float(record.months_since_onset),
            induced_before=induction_given_before(record),
            held={**failed_but_current(record, current), **held_therapies(selection, taken_now)},
            review={f.therapy: regimens.KEEP + (f.rule.title if f.rule.title[1:2].isupper()
                                   else f.rule.title[0].lower() + f.rule.title[1:])
                    if f.rule.when_taken == "continue" else regimens.headline(f.text)
                    # a rule that questions the drug wins over one that keeps it (review T:
                    # 'continue' for alcohol hid 'review' for alcohol with a liver ALT)
                    # and among them the most severe wins (specialist review Z45c P8:
                    # 'Review azathioprine now (Warfarin taken)' beside allopurinol)
                    for f in sorted(taken_now, key=lambda f: (
                        f.rule.when_taken == "review", SEVERITY_RANK.get(f.rule.severity, 0)))
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

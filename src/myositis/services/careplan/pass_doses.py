"""Worked doses for what the approach names, and the dose wording fitted to this patient (a mild
flare, a bridging dose, scleroderma overlap, liver disease, missed doses, boosters).

One pass of `engine.build_care_plan`, run in its order; each edit names the specialist review
that asked for it.
"""

from __future__ import annotations

from myositis.services.careplan.assessment import SLOW_CATEGORIES, Assessment, missed_ids
from myositis.services.careplan.dosing import (
    current_dose_checks,
    doses_for,
    glucocorticoid_weight,
)
from myositis.services.careplan.model import (
    CarePlan,
)
from myositis.services.careplan.patient_limits import (
    full_dose_despite_risks,
)
from myositis.services.careplan.record_readers import (
    glucocorticoid_risks,
)
from myositis.services.careplan.regimen_across_domains import (
    regimens_start_the_named_switch,
    switch_kept_only_with_mycophenolate,
)
from myositis.services.careplan.regimen_adequate_trial import (
    adequate_trial_first,
    adherence_before_new_agents,
    switch_after_no_response,
)
from myositis.services.careplan.regimen_diagnosis_doubt import (
    TRIED_CATEGORIES,
    hold_for_diagnosis,
    nothing_ever_helped,
)
from myositis.services.careplan.regimen_glucocorticoids import ssc_glucocorticoid_ceiling
from myositis.services.careplan.regimen_holds import regimen_therapies
from myositis.services.careplan.regimen_lines import lead_clause
from myositis.services.careplan.treatment_history import (
    held_therapies,
)
from myositis.services.muscle_activity import mild_flare
from myositis.services.state import ADEQUATE_WEEKS

GC_AGREED = ("the glucocorticoid dose is agreed with the patient - and, after a psychosis on "
             "it, with the psychiatrist - rather than restored to the full dose; the "
             "steroid-sparing drug does not wait for it")


GC_AS_PRESCRIBED = ("the glucocorticoid taken again as prescribed - it is no 8-12-week trial, "
                    "and a new agent the disease needs (IVIG, say) does not wait for it")
AZA_WITH_XO_INHIBITOR = (
    "restore the drug at full dose (azathioprine: not the full dose while allopurinol is taken - "
    "a quarter of it at most with weekly blood counts, or the allopurinol changed first; never "
    "with febuxostat)")


def leading_parenthesis(text: str) -> str:
    """The balanced parenthesis that ``text`` opens with ('' when it does not close)."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[:index + 1]
    return ""


def gc_not_restored(text: str, others_restored: bool, agreed: bool) -> str:
    """The missed-dose line for a missed glucocorticoid: never an 8-12-week trial that new
    agents wait for (specialist review Z36a P4, P5: IVIG for anti-HMGCR myopathy and a second
    agent for a JDM that missed its target held back for 8-12 weeks of full-dose prednisolone);
    ``agreed``: declined, or it caused a psychosis - its dose is agreed, not restored."""
    if others_restored:
        aside = ("not the glucocorticoid: its dose is agreed with the patient - and, after a "
                 "psychosis on it, with the psychiatrist" if agreed
                 else "and the glucocorticoid taken again as prescribed")
        return text.replace("restore the drug at full dose",
                            f"restore the drug at full dose ({aside})", 1)
    head, found, tail = text.partition("restore the drug at full dose")
    # a drug stopped in this plan keeps its 'not restored' aside (specialist review Z19b P6)
    aside = leading_parenthesis(tail[1:]) if tail.startswith(" (") else ""
    said = GC_AGREED if agreed else GC_AS_PRESCRIBED
    return f"{head}{said}{' ' + aside if aside else ''}." if found else text


BOOSTER_SENSITIVE = frozenset({"tacrolimus", "ciclosporin"})


BOOSTED_DOSE = ("no standard dose with ritonavir or cobicistat (they raise the level many-fold): "
                "avoid it, or ask the HIV team about an unboosted regimen; if it is essential, a "
                "very small dose at long intervals guided by trough levels, with the HIV "
                "pharmacist")


REFRACTORY_REFERRALS = frozenset({"refractory_to_three_agents"})
"""Do-now lines that escalate refractory disease: not shown while the diagnosis is in doubt."""


def no_response_after_adequate_time(ctx: Assessment, below_range: frozenset[str]) -> dict[str, int]:
    """Steroid-sparing agents taken now, at their dose and without missed doses, for 12 weeks
    or more with 'no response' recorded: name to weeks taken."""
    today = ctx.record.on()
    out: dict[str, int] = {}
    for t in ctx.record.treatments:
        therapy = ctx.kb.therapies.get(t.therapy)
        if therapy is None or t.stop is not None or t.start is None or t.response != "none" \
                or therapy.category not in SLOW_CATEGORIES or t.therapy in below_range \
                or t.therapy in missed_ids(ctx.facts) or t.adherence in ("partial", "poor"):
            continue
        weeks = (today - t.start).days // 7
        if weeks >= ADEQUATE_WEEKS:
            out[therapy.name] = weeks
    return out


def work_out_doses(plan: CarePlan, ctx: Assessment, held_urgently: set[str]) -> list[str]:
    """Returns the drugs that could not be dosed for want of weight or height, for the unknowns."""
    record = ctx.record
    kb = ctx.kb
    state = ctx.state
    facts = ctx.facts
    selection = ctx.selection
    taken_now = ctx.taken_now
    current = ctx.current
    plan.doses, undosed = doses_for(record, kb, regimen_therapies(plan, current))
    plan.doses = current_dose_checks(
        record, kb, current, controlled=state.of("muscle") in ("stable", "remission")
    ) + plan.doses
    # a drug taken now that the plan holds or stops gets no dose line (review E: 'at most
    # 0.75 mg/kg/day here' beside 'hold azathioprine' in a neutropenia)
    not_continued = (set(held_therapies(selection, taken_now)) | held_urgently) & current
    plan.doses = [d for d in plan.doses if d.therapy not in not_continued]
    # the diagnosis questioned (a review decided on, or nothing has helped in a seronegative
    # PM): no 'raise it first' and no 'switch' - the regimen waits for the review (specialist
    # review Z44b P6: 'raise azathioprine' beside 're-examine the diagnosis')
    doubt = nothing_ever_helped(record, kb, ctx.phenotypes)
    # near the end of life or under a comfort ceiling no dose is raised for a longer trial
    # (specialist review Z54b P7: 'raise mycophenolate to its usual dose first' beside 'consider
    # stopping mycophenolate' for a dying man)
    comfort = facts.get("end_of_life") is True or facts.get("treatment_ceiling") == "comfort"
    if facts.get("not_myositis") is True:
        # not myositis: a drug below its range is withdrawn, not raised (specialist review Z56a
        # P1: 'has not had an adequate trial' for azathioprine in a genetic dystrophy)
        plan.doses = [d.model_copy(update={"below_range": False, "text": d.text.replace(
            "a drug below its range has not had an adequate trial",
            "not raised: the diagnosis is not myositis, and the drug is withdrawn as the "
            "approach says").replace(": raise it as tolerated before calling it failed", "")})
            for d in plan.doses]
    if comfort:
        # and the dose box says so too (re-score of specialist review Z54b P7)
        for line in plan.doses:
            line.text = line.text.replace(
                "raise it as tolerated before calling it failed",
                "near the end of life it is not raised for a longer trial (see the approach)")
    if ctx.review is None and doubt is None and not comfort:
        plan.regimens = adequate_trial_first(
            # doses missed explain more than a dose a little below the range: the missed-dose
            # line restores it (specialist review Z24c P7: 'raise methotrexate' for a
            # 17-year-old on 20 mg/week for 4 years whose problem was missed doses)
            plan.regimens, frozenset(d.name for d in plan.doses if d.below_range
                                     and kb.therapies[d.therapy].category
                                     == "conventional_immunosuppressant"
                                     and d.therapy not in missed_ids(facts)),
            frozenset(o.name for o in plan.options if o.therapy not in current
                      and kb.therapies[o.therapy].category in SLOW_CATEGORIES),
            organ_threat=facts.get("organ_threatening") is True)
        plan.regimens = switch_after_no_response(plan.regimens, no_response_after_adequate_time(
            ctx, frozenset(d.therapy for d in plan.doses if d.below_range)))
    elif ctx.review is None:
        # nothing has helped: the hold (a diagnostic review already decided on - a bland
        # biopsy, a criteria-rejected PM - keeps its own, fuller regimen instead)
        plan.regimens = hold_for_diagnosis(
            plan.regimens, doubt,
            sorted(kb.therapies[t].name for t in current if t in kb.therapies
                   and kb.therapies[t].category in ("glucocorticoid", *TRIED_CATEGORIES)))
        # nor a referral 'for a clinical trial' of refractory disease while the diagnosis is
        # in doubt (re-score of specialist review Z44b P6)
        plan.do_now = [a for a in plan.do_now if a.code not in REFRACTORY_REFERRALS]
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
    taken_with = facts.get("other_medicines")
    if "azathioprine" in missed_ids(facts) - not_continued and isinstance(
            taken_with, frozenset) and {"allopurinol", "febuxostat"} & taken_with:
        # specialist review Z36b P1: 'restore azathioprine at full dose' beside the urgent
        # allopurinol interaction line
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "restore the drug at full dose", AZA_WITH_XO_INHIBITOR, 1)})
            if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    # a missed glucocorticoid is taken again as prescribed, and no new agent waits for it; one
    # the patient declines, or one that caused a psychosis, is not restored at all (specialist
    # review Z35d: a full dose restored after a steroid psychosis)
    declined = facts.get("declined")
    gc_missed = missed_ids(facts) & {"glucocorticoids_oral"} - not_continued
    agreed = facts.get("psychosis_on_glucocorticoids") is True or (
        isinstance(declined, frozenset) and "glucocorticoids" in declined)
    restored = sorted(kb.therapies[t].name for t in missed_ids(facts) - not_continued - gc_missed
                      if t in kb.therapies)
    if gc_missed:
        plan.do_now = [a.model_copy(update={"text": gc_not_restored(
            a.text, bool(restored), agreed)})
            if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    if restored:
        # the line names what it restores (specialist review Z22b P6: 'restore the drug'
        # beside mycophenolate stopped for a pregnancy)
        plan.do_now = [a.model_copy(update={"text": a.text.replace(
            "restore the drug at full dose", f"restore {' and '.join(restored)} at full dose",
            1)}) if a.code == "doses_missed_before_escalation" else a for a in plan.do_now]
    if "doses_missed_before_escalation" in {a.code for a in plan.do_now}:
        plan.regimens = adherence_before_new_agents(
            plan.regimens, frozenset(kb.therapies[t].name for t in missed_ids(facts)
                                     if t in kb.therapies and t not in not_continued
                                     and t not in gc_missed),
            # IVIG is a new agent too: it waits for the missed drug (it joined the JDM
            # refractory-skin options with review Z27a P6)
            frozenset(o.name for o in plan.options if o.therapy not in current
                      and kb.therapies[o.therapy].category
                      in SLOW_CATEGORIES | {"immunoglobulin"}),
            weight_kg=glucocorticoid_weight(record),
            adjusted=glucocorticoid_weight(record) != record.weight_kg)
    if "mycophenolate" in kb.therapies:
        # after the adequate-trial and adherence passes, which can take it out again
        plan.regimens = switch_kept_only_with_mycophenolate(
            plan.regimens, kb.therapies["mycophenolate"].name)
    plan.regimens = regimens_start_the_named_switch(plan.regimens)
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
                    f"none until the possible flare ({mild}) is confirmed (see Do now); if it "
                    "is, the last effective dose or a modest, short course - not this induction "
                    "range"
                    if mild and facts.get("flare_to_confirm") is True else
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
    if {"jdm_gut_bleed_vasculopathy", "gi_perforation_suspected"} & {
            a.code for a in plan.do_now}:
        # the dose is for later: methotrexate waits for the gut (re-score of specialist review
        # Z52c P5: the dose line read as a start beside 'held by any route')
        for line in plan.doses:
            if line.therapy == "methotrexate":
                line.text = ("once the bleeding has stopped and a perforation is excluded (held "
                             "by any route until then): " + line.text)
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
    if facts.get("ssc_features") is True:
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
    return undosed

"""The recommended approach per domain: first choice, alternatives and the decision point.

The order among agents of equal standing is a documented project choice (see PREFERENCE); every
agent named comes from the plan's own options, so the approach never offers what the detail
withholds.
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.model import (
    Option,
    Regimen,
)
from myositis.services.careplan.regimen_calcinosis import calcinosis_regimen
from myositis.services.careplan.regimen_finish import (
    ici_regimen,
    muscle_decision,
    one_regimen_across_domains,
    without_repeats,
)
from myositis.services.careplan.regimen_lines import (
    AFTER_FAILURES,
    CLASSES,
    DRUG_THROUGH_INFECTION,
    FAILED,
    GC_THROUGH_INFECTION,
    GLUCOCORTICOIDS,
    JDM_SECOND_LINE,
    KEEP,
    KEPT,
    REFRACTORY,
    SLOW_AGENT_CATEGORIES,
    TAPER_AS_RESPONSE_ALLOWS,
    continue_line,
    flare_glucocorticoid,
    headline,
    joint_regimen,
    methotrexate_step,
    names_of,
    pick,
    ranked,
    restate_kept,
    safest_first,
    usable,
    with_caveat,
)
from myositis.services.careplan.regimen_lung import lung_regimen
from myositis.services.careplan.regimen_skin import skin_regimen
from myositis.services.careplan.regimen_stops import stop_lines
from myositis.services.state import (
    MUSCLE_NOT_RECENT,
    MUSCLE_UNMEASURED,
    STEROID_MYOPATHY,
    DiseaseState,
)

RECENT_CLOT_CAUTIONS = frozenset({"ivig_recent_thrombosis", "ivig_thrombosis_this_year"})
"""IVIG cautions that keep it out of the early add-on (it is named among the alternatives)."""
ANTIMETABOLITES = frozenset({"azathioprine", "mycophenolate"})
"""Not combined with each other: one is replaced, never added to the other."""

__all__ = ["GLUCOCORTICOIDS", "KEEP", "KEPT", "flare_glucocorticoid", "headline",
           "joint_regimen", "methotrexate_step", "regimens"]


STEROID_SPARING_NOW = frozenset({"conventional_immunosuppressant", "immunoglobulin", "biologic",
                                 "jak_inhibitor"})
"""Categories that carry the taper of a glucocorticoid."""
IVIG_FAILED_REPLACEMENT = ("immunoglobulin replacement at about 0.4-0.5 g/kg with immunology for the "
                           "low IgG and the infections (see Do now) - the immunomodulatory course "
                           "did not help the muscle before")
SSC_PULSES_ONLY_IF = (" only if the weakness threatens life (scleroderma overlap: a renal-crisis "
                      "risk - blood pressure and creatinine daily around them)")
"""IV pulses in a scleroderma overlap with bulbar or breathing-muscle weakness: not a default."""

TAPER_PARTNERS = ("mycophenolate", "methotrexate", "azathioprine", "ivig")
"""Steroid-sparing agents named, in this order, when none is taken and the taper needs one."""



def regimens(state: DiseaseState, options: list[Option], phenotypes: list[str],
             complications: set[str], current: frozenset[str], kb: KnowledgeBase,
             provisional: bool, held: dict[str, str] | None = None,
             review: dict[str, str] | None = None,
             gc_now: float | None = None,
             gc_free_months: float | None = None,
             pregnant: bool = False, infection: bool = False,
             weight_kg: float | None = None, child: bool = False,
             weight_adjusted: bool = False, adult_sized: bool = False,
             thiopurine: str | None = None,
             withheld_ids: frozenset[str] = frozenset(),
             steps: dict[str, str] | None = None,
             planning_conception: bool = False,
             no_new_agent: bool = False, transplant_ok: bool = True,
             months_since_onset: float = 0, induced_before: bool = False,
             unstartable: frozenset[str] = frozenset()) -> list[Regimen]:
    """The approach per domain for the current state, built only from offered options (never
    from withheld or not-recommended ones), with urgent phenotypes leading."""
    held = held or {}
    review = review or {}
    steps = steps or {}
    out: list[Regimen] = []
    muscle = state.of("muscle")
    jdm = "jdm" in phenotypes
    ild = "ild" in complications
    general = [o for o in options if o.general_use and o.line != "adjunct"]
    by_id = {o.therapy: o for o in options}
    stop = stop_lines(state, options, held, current, kb, complications, thiopurine, pregnant,
                      planning_conception, unstartable)
    # a drug kept in the muscle regimen must be one used for muscle: not a calcinosis agent, an
    # antifibrotic or a non-drug measure recorded as a therapy (specialist review N)
    keep = [t for t in sorted(current) if t not in held and t in kb.therapies
            and kb.therapies[t].category not in ("calcinosis_agent", "antifibrotic", "non_drug",
                                                 "procedure")]
    if "ibm" in phenotypes:
        out.append(Regimen(domain="muscle", state=muscle, first_choice=[
            "Exercise and physiotherapy programme, with occupational therapy for hand "
            "function and grip aids",
            "Swallowing assessment and therapy (videofluoroscopy; for a cricopharyngeal bar, "
            "dilatation, botulinum toxin or myotomy; a gastrostomy discussed with weight loss or "
            "aspiration, as the patient wishes)",
            "Falls prevention, orthoses and mobility aids (knee-ankle-foot orthosis for "
            "quadriceps weakness), with bone health after falls"],
            alternatives=["Clinical trial"],
            decision_point="Review function (IBM-FRS), swallowing, FVC and falls every 6-12 "
                           "months; no immunosuppression (not effective in IBM); anti-cN1A "
                           "supports the diagnosis but is not required; HCV and HIV serology "
                           "once (associated with an IBM-like myopathy), and serum protein "
                           "electrophoresis with free light chains (amyloid myopathy mimics "
                           "it); IVIG does not help limb "
                           "weakness and may be discussed only for severe dysphagia (small "
                           "trials, very low evidence).",
            provisional=provisional))
        return out
    if muscle != "not_involved":
        on_gc = any(kb.therapies[t].category == "glucocorticoid" for t in keep)
        on_sparing = any(kb.therapies[t].category != "glucocorticoid"
                         and t in kb.group_members("immunosuppressive") for t in keep)
        sparing = pick(ranked([o for o in general if o.line in ("steroid_sparing", "initial")
                                 and kb.therapies[o.therapy].category != "glucocorticoid"
                                 and o.therapy not in current], ild))
        if jdm and "jdm_second_line" in complications:
            # JDM after a failed steroid-sparing agent: the SHARE second-line agents, the one
            # with the fewest serious cautions for this patient first (review T)
            second_line = safest_first(usable([
                by_id[t] for t in JDM_SECOND_LINE if t in by_id and t not in current
                and t not in held]))
            sparing = second_line + [o for o in sparing if o not in second_line]
        gc = [o for o in general if o.line == "initial"
              and kb.therapies[o.therapy].category == "glucocorticoid"]
        early: list[Option] = []
        # early rituximab for anti-SRP; severe anti-HMGCR takes IVIG with a conventional
        # agent, rituximab only when that fails (ENMC 224 as summarised)
        if {"severe_imnm", "imnm_srp"} <= complications and "rituximab" in by_id:
            early.append(by_id["rituximab"])
        # myocarditis and breathing-muscle weakness take the fast add-on too (specialist review
        # Z14d P3: myocarditis with an ejection fraction of 38 % flaring on azathioprine, with
        # IVIG never offered)
        if ({"anti_hmgcr", "severe_dysphagia", "severe_imnm", "cancer_suspected", "myocarditis",
             "respiratory_weakness"} & complications) and "ivig" in by_id and "ivig" not in held:
            early.append(by_id["ivig"])
        elif "anti_hmgcr" in complications and "ivig" not in by_id \
                and "rituximab" in by_id and by_id["rituximab"] not in early:
            # IVIG withheld (anti-IgA antibodies, thrombosis...): rituximab is the early
            # agent instead (ENMC 224 as summarised; review W)
            early.append(by_id["rituximab"])
        # a clot in the last months keeps IVIG out of the first choice (its boxed thrombosis
        # warning): it stays an alternative with its caution (specialist review Z40d P4: IVIG
        # first 26 days after a clot, platelets 42, lymphoma)
        early = [o for o in early if o.previously not in FAILED and o.therapy not in current
                 and not any(c.condition in RECENT_CLOT_CAUTIONS for c in o.cautions)]
        if pregnant and "ivig" in by_id and "ivig" not in held and by_id["ivig"].previously \
                not in FAILED:
            # in pregnancy IVIG (compatible) is the early agent; rituximab (limited data, the
            # newborn's B cells depleted) only when it cannot serve (review Z1: rituximab led
            # at 26 weeks for anti-SRP disease that IVIG had controlled before)
            early = [o for o in early if o.therapy != "rituximab"]
            # dysphagia in pregnancy: IVIG is the compatible add-on that acts fast (review Z3b:
            # azathioprine first at 22 weeks with dysphagia, IVIG only under refractory disease)
            if "ivig" not in current and by_id["ivig"] not in early and (
                    {"imnm_srp", "dysphagia"} & complications
                    or by_id["ivig"].previously == "effective"):
                early.insert(0, by_id["ivig"])
        urgent = bool({"rp_ild", "severe_dysphagia", "respiratory_weakness",
                       "severe_jdm", "myocarditis"} & complications)
        if urgent and "methylprednisolone_iv_pulse" in by_id:
            gc = [by_id["methylprednisolone_iv_pulse"], *gc]
        unmeasured = any(MUSCLE_UNMEASURED in b for d in state.domains
                         if d.domain == "muscle" for b in d.basis)
        not_recent = any(MUSCLE_NOT_RECENT in b for d in state.domains
                         if d.domain == "muscle" for b in d.basis)
        if not_recent:
            # known myositis on treatment, nothing measured for 3 months: assessed before any
            # change, the treatment kept as it is meanwhile (specialist review U)
            first = ["Assess the muscle now (no strength score or CK in the last 3 months): "
                     "examine strength (MMT-8) or see face to face, and measure CK, with the "
                     "monitoring bloods; no change to the muscle treatment until then"] + [
                continue_line(kb.therapies[t].name, review.get(t)) for t in keep
                if kb.therapies[t].category not in ("antimalarial", "topical")]
            alternatives: list[str] = []
        elif unmeasured:
            # nothing is known of the muscle: assess it before treating it (specialist review R)
            first = ["Assess the muscle before treating it: strength (MMT-8) and CK, aldolase, "
                     "LDH and transaminases now; no muscle-directed escalation until myositis "
                     "is shown"] + [
                (f"Continue {kb.therapies[t].name} (taken now) for the lung: no rise for the "
                 "muscle until myositis is shown, and no taper for its sake - the lung sets "
                 "the dose")
                # it treats the lung as well (specialist review Z18b P8: 'taper it if the
                # assessment shows none' in amyopathic anti-MDA5 disease with ILD)
                if kb.therapies[t].category == "glucocorticoid" and ild
                else f"Review {kb.therapies[t].name} (taken now): no rise until myositis is "
                "shown; taper it if the assessment shows none" if kb.therapies[t].category
                == "glucocorticoid" else continue_line(kb.therapies[t].name, review.get(t))
                for t in keep if kb.therapies[t].category not in ("antimalarial", "topical")]
            alternatives = []
        elif muscle in ("new_onset", "flare", "unknown"):
            # skin-only agents (antimalarials, topicals) are the skin regimen's to continue
            first = ([continue_line(kb.therapies[t].name, review.get(t), step=steps.get(t))
                      for t in keep
                      if kb.therapies[t].category not in ("antimalarial", "topical")]
                     if muscle == "flare" else [])
            if not on_gc:
                # IV pulses are followed by daily oral glucocorticoid: name both
                first += [with_caveat(o) for o in gc[:2 if gc and gc[0].therapy ==
                                                      "methylprednisolone_iv_pulse" else 1]]
            elif muscle == "flare" and infection \
                    and not (urgent or {"cardiac", "severe_imnm"} & complications):
                # review U: "re-escalate" during a febrile pneumonia; a life-threatening flare
                # (severe dysphagia, respiratory or cardiac involvement) is treated beside the
                # antibiotics (specialist review Z11a: anti-SRP, FVC 45 %, troponin raised)
                first.append("treat the infection, then reassess before re-escalating the "
                             "glucocorticoid dose (no intensification during it unless the "
                             "myositis is life-threatening)")
            elif muscle == "flare" and (urgent or ({"cardiac", "severe_imnm"} & complications
                                                   # a low IgG with infections: IVIG carries
                                                   # a flare that threatens no organ, not
                                                   # pulses (specialist review Z14c P4)
                                                   and not no_new_agent
                                                   # nor in frailty (review Z23b P6)
                                                   and not ("frail" in complications
                                                            and "cardiac" not in complications
                                                            )
                                                   # nor in heart failure (review Z73d P4)
                                                   and not ("heart_failure" in complications
                                                            and "cardiac" not in complications)
                                                   # nor in scleroderma overlap, where pulses
                                                   # risk a renal crisis (specialist review
                                                   # Z47b P5: pulses for a muscle flare with
                                                   # PAH, which is not myocarditis)
                                                   and "ssc_specific" not in complications)) \
                    and "methylprednisolone_iv_pulse" in by_id \
                    and "methylprednisolone_iv_pulse" not in held:
                # also a flare with cardiac involvement or severe necrotising disease (review E:
                # anti-SRP, CK 39 x ULN, troponin I raised, given the moderate 0.5 mg/kg dose)
                # a severe flare (severe dysphagia, respiratory weakness, RP-ILD) on a low
                # maintenance dose: pulses, not "the last dose that controlled it" (review V:
                # moderate-severe dysphagia on 5 mg told to go back to 5 mg)
                first.append(with_caveat(by_id["methylprednisolone_iv_pulse"])
                             + (", then oral prednisolone 1-2 mg/kg/day, maximum 60 mg "
                                "(SHARE 2017)" if jdm or child
                                # a ceiling for a heavy adult (specialist review Z50a P5: up
                                # to 96 mg/day for 96 kg with insulin-treated diabetes)
                                else ", then oral prednisolone 0.5-1 mg/kg/day (usually at "
                                "most 60 mg/day)"))
            elif muscle == "flare" and "ssc_specific" in complications:
                # scleroderma overlap: the glucocorticoid dose is the renal-crisis risk (review
                # F: 'raise to 0.5 mg/kg or pulses' beside a suspected renal crisis)
                first.append(f"keep prednisolone at or below 15 mg/day (now {gc_now:g} mg/day; "
                             "scleroderma overlap: higher doses can precipitate a renal crisis); "
                             "escalate with IVIG or the steroid-sparing agent, not with the "
                             "glucocorticoid dose or IV pulses" if gc_now else
                             "prednisolone at or below 15 mg/day (scleroderma overlap: higher "
                             "doses can precipitate a renal crisis); escalate with IVIG or the "
                             "steroid-sparing agent, not with the glucocorticoid dose or IV "
                             "pulses")
            elif muscle == "flare":
                # a target, not only a direction (specialist review X: a flare at 72 with heart
                # failure got no dose and the 40-60 mg induction range alone; review W: "the
                # last dose that controlled it" was the dose she flared on)
                # in pregnancy the adult step (about 0.5 mg/kg/day), whatever the age (specialist
                # review Z9c: 58-60 mg/day for a mild flare at 16 in the first trimester)
                first.append(flare_glucocorticoid(weight_kg, gc_now,
                                                  child=(jdm or child) and not pregnant
                                                  and not adult_sized,
                                                  pregnant=pregnant, adjusted=weight_adjusted))
            # at most two immunosuppressants besides the glucocorticoid and IVIG: with early
            # rituximab the conventional agent waits among the alternatives
            biologic_early = any(o.therapy == "rituximab" for o in early)
            # with a known or suspected cancer the antimetabolite waits for the oncology plan
            # (with IVIG early or not: a recent clot keeps IVIG out, and the antimetabolite still
            # waits - re-score of specialist review Z40d P4, azathioprine first in active lymphoma)
            cancer_first = "cancer_suspected" in complications
            # moderately frail with IVIG early: one change at a time, the antimetabolite once
            # the acute phase settles (specialist review Z26d P6: pulses, prednisolone, IVIG and
            # mycophenolate at once for a frail 86-year-old of 41 kg)
            frail_first = "frail" in complications and any(o.therapy == "ivig" for o in early)
            add_sparing = not (on_sparing and muscle == "flare") and not biologic_early \
                and not cancer_first and not frail_first
            first += [with_caveat(o) for o in early] + (
                [with_caveat(o) for o in sparing[:1]] if add_sparing else [])
            alternatives = [with_caveat(o) + (" (once the oncology plan is agreed)"
                                               if cancer_first else
                                               " (once the acute phase settles: frailty)"
                                               if frail_first else "")
                            for o in sparing[0 if biologic_early or cancer_first
                                             or frail_first else 1:]
                            if o not in early]
            if muscle == "flare":
                # an agent that brought remission before is an option at the flare, whatever
                # its line (specialist review X: IVIG with a complete response left out)
                worked = [f"{with_caveat(o)} (worked before"
                          + ("; re-offered with mitigation after a reaction that was not "
                             "severe - see its caution)" if o.previously != "effective" else ")")
                          for o in usable(options)
                          if o.previously in ("effective", "effective_with_reaction")
                          and o.therapy not in current
                          and o.therapy not in held
                          and kb.therapies[o.therapy].category not in (
                              "topical", "antimalarial", "non_drug", "calcinosis_agent",
                              "antifibrotic", "procedure")
                          and not any(with_caveat(o) in f for f in first + alternatives)]
                alternatives = worked + alternatives
            if muscle == "flare" and "flare_after_failures" in complications and not jdm:
                # two steroid-sparing agents failed before this flare: add a refractory agent,
                # not only more glucocorticoid (specialist review O)
                refractory_now = safest_first(sorted(
                    usable([o for o in general if o.line == "refractory"
                            and o.therapy not in current and o.therapy not in held
                            and o.previously not in FAILED and not o.investigational]),
                    key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                                   REFRACTORY.index(o.therapy) if o.therapy in REFRACTORY
                                   else len(REFRACTORY))))
                if refractory_now and not any(refractory_now[0].name in f for f in first):
                    first.append("add " + with_caveat(refractory_now[0]) + AFTER_FAILURES)
                    alternatives = [*names_of(refractory_now[1:3]), *alternatives]
            if jdm and "jdm_flare_on_treatment" in complications \
                    and "severe_jdm" not in complications:
                # a JDM flare on a steroid-sparing agent: add a second-line agent (SHARE 2017:
                # MMF, IVIG or ciclosporin), the others as alternatives (review W)
                second = safest_first([by_id[t] for t in JDM_SECOND_LINE if t in by_id
                                       and t not in current and t not in held
                                       and by_id[t].previously not in FAILED])
                if second:
                    first.append("add " + with_caveat(second[0]))
                    alternatives = [*[with_caveat(o) for o in second[1:]], *alternatives]
            # the pregnancy labels on the options, not a reassignment of the parameter: the
            # skin regimen below reads ``pregnant`` too (mycophenolate must never be named)
            labelled_compatible = any("Compatible with pregnancy" in label for o in options
                                      for label in o.labels)
            if labelled_compatible and muscle == "flare" and "ivig" not in current \
                    and "ivig" not in held and "ivig" not in withheld_ids:
                # in pregnancy IVIG is the quick, compatible escalation (pregnancy rules)
                first.append("add intravenous immunoglobulin for a significant flare "
                             "(compatible with pregnancy, quick to act)")
            if jdm and "severe_jdm" in complications:
                # severe JDM (ulceration, gut vasculopathy, dysphagia, respiratory): IV
                # methylprednisolone and IVIG now, cyclophosphamide as the next step, with an
                # expert centre (SHARE 2017; specialist review N)
                first = [f for f in first if not f.startswith("raise prednisolone")]
                for therapy in ("methylprednisolone_iv_pulse", "ivig"):
                    option = by_id.get(therapy)
                    # once, whatever the wording it already has (review A: pulses listed
                    # twice, IVIG in the first choice and the alternatives)
                    # never a course that failed (specialist review Z12b: IVIG ineffective
                    # for 12 months offered again for gut vasculopathy)
                    if option is not None and therapy not in current and therapy not in held \
                            and option.previously not in FAILED \
                            and not any(option.name in f for f in first):
                        first.append(with_caveat(option))
                named = [kb.therapies[t].name for t in ("methylprednisolone_iv_pulse", "ivig")]
                alternatives = [a for a in alternatives
                                if not any(n in a and any(n in f for f in first) for n in named)]
                cyc = by_id.get("cyclophosphamide")
                ivig_failed = by_id.get("ivig") is not None \
                    and by_id["ivig"].previously in FAILED
                if cyc is not None and ivig_failed and "cyclophosphamide" not in current \
                        and "cyclophosphamide" not in held \
                        and not any(cyc.name in f for f in first):
                    # IVIG failed before: cyclophosphamide is the escalation now, not a
                    # later alternative (specialist review Z12b)
                    first.append(with_caveat(cyc))
                elif cyc is not None and with_caveat(cyc) not in alternatives:
                    alternatives.insert(0, with_caveat(cyc))
        elif muscle == "inadequate_response":
            refractory = safest_first(sorted(
                usable([o for o in general if o.line == "refractory"
                         and o.therapy not in current]),
                key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                               REFRACTORY.index(o.therapy) if o.therapy in REFRACTORY
                               else len(REFRACTORY))))
            trials = [o for o in general if o.line == "refractory" and o.investigational
                      and o.previously not in FAILED]
            # no second antimetabolite beside one kept (for the lung, say), and no new agent
            # while infections with a low IgG are unresolved - IVIG treats both (specialist
            # review Q: azathioprine added to mycophenolate; azathioprine at IgG 4.2 with two
            # pneumonias beside the plan's own 'add no further agent')
            kept_antimetabolite = ANTIMETABOLITES & set(keep)
            # nor the other antimetabolite after one failed, in refractory disease (specialist
            # review V: azathioprine the only option after six agents for a failing anti-SRP
            # myopathy)
            failed_antimetabolite = ANTIMETABOLITES & set(state.steroid_sparing_failed)
            fresh = [o for o in sparing if o.previously is None
                     and not (o.therapy in ANTIMETABOLITES
                              and (kept_antimetabolite or failed_antimetabolite))]
            first_extra: list[str] = []
            if infection:
                # no new agent during an infection or a febrile neutropenia (specialist review
                # T: rituximab first choice beside neutrophils 0.8 and fever)
                lead = []
            elif no_new_agent:
                ivig = by_id.get("ivig")
                # one that failed before gives the replacement dose only (specialist review
                # Z27b P5: 2 g/kg 'to cover both' after 8 months of IVIG without response)
                lead = [ivig] if ivig is not None and "ivig" not in current \
                    and "ivig" not in held and ivig.previously not in FAILED else []
                if ivig is not None and ivig.previously == "ineffective":
                    first_extra = [IVIG_FAILED_REPLACEMENT]
            else:
                lead = (early or refractory or fresh)[:1]
                if planning_conception and not pregnant:
                    # before a planned pregnancy the escalation is a pregnancy-compatible agent
                    # when one is offered (specialist review Z69d P7: rituximab led, and was
                    # named as methotrexate's replacement, while donor-egg IVF was planned)
                    compatible = [o for o in (*early, *refractory, *fresh)
                                  if (r := kb.therapies[o.therapy].reproduction) is not None
                                  and r.pregnancy == "compatible"]
                    lead = compatible[:1] or lead
            first = [with_caveat(o) for o in lead] + first_extra
            if infection:
                first.append("treat the infection first (and the neutropenia, if any): no new "
                             "immunosuppressant during it; reassess the muscle once it is treated")
            elif no_new_agent:
                first.append("no other new immunosuppressant until the infection risk is "
                             "addressed (recurrent infections, a low IgG or lymphopenia: see the "
                             "cautions)")
            if "imnm" in phenotypes and "ivig" in keep:
                # refractory IMNM: rituximab is added to IVIG, not swapped for it (ENMC 224)
                first.insert(0, continue_line(kb.therapies["ivig"].name, review.get("ivig")))
            if not (early or refractory) and pregnant:
                # trials exclude pregnancy; the compatible escalation is named (specialist review
                # Z19c P6: 'clinical trial' at 32 weeks once rituximab was withheld)
                first.append("specialist myositis centre and obstetric team: a glucocorticoid "
                             "rise (IV methylprednisolone or a short prednisolone increase) as "
                             "the pregnancy-compatible escalation, and IVIG when it can be given; "
                             "no taper meanwhile")
            elif not (early or refractory):
                first.append("clinical trial or specialist myositis centre referral"
                             + (f" ({', '.join(names_of(trials[:2]))} in trials)" if trials
                                else ""))
            alternatives = names_of([o for o in refractory if o not in lead][:4]
                                  + [o for o in fresh if o not in lead][:2])
            if len(state.steroid_sparing_failed) >= 3 and not any(
                    a.startswith("specialist myositis centre") for a in alternatives):
                # several agents failed: the centre's rescue options are named, not only what is
                # left of the conventional list (specialist review V)
                # the knowledge base's own rescue entries, each with its evidence in the detail
                rescue = [kb.therapies[t].name + (" (in trials)" if kb.therapies[t].investigational
                                                  else "")
                          for t in ("cyclophosphamide", "plasma_exchange", "cd19_car_t")
                          if t in kb.therapies and t not in current and t not in held
                          and t not in state.steroid_sparing_failed]
                alternatives.append(
                    "specialist myositis centre referral for rescue: "
                    + ", ".join([*rescue, "re-treatment with an agent that worked partly "
                                 "before (for rituximab, once B cells have recovered)"]))
            if (no_new_agent or infection) and alternatives:
                # IVIG adds no immunosuppression: it does not wait for the infection
                # (specialist review Z18a P3: IVIG deferred for a pregnant woman aspirating)
                ivig_name = kb.therapies["ivig"].name if "ivig" in kb.therapies else ""
                waiting = [a for a in alternatives if a != ivig_name]
                alternatives = ([ivig_name] if ivig_name in alternatives and infection
                                and not no_new_agent else []) + (
                    ["once the infections are controlled: " + ", ".join(waiting)]
                    if waiting else [])
        elif muscle in ("remission", "stable"):
            first = [continue_line(kb.therapies[t].name, review.get(t)) for t in keep
                     if kb.therapies[t].category not in ("glucocorticoid", "topical",
                                                         "antimalarial")]
            sparing_kept = [t for t in keep
                            if kb.therapies[t].category == "conventional_immunosuppressant"]
            if jdm and muscle == "remission" and not ild and gc_free_months is not None \
                    and gc_free_months >= 12 and sparing_kept:
                # the JDM stop point is reached: withdrawal of the drug actually taken is the
                # first choice, not 'continue' (specialist review Y: 14 months off
                # glucocorticoids; review E: methotrexate named for a girl on mycophenolate)
                tapered = {continue_line(kb.therapies[t].name, review.get(t)): t
                           for t in sparing_kept}
                first = [(f"Taper and stop {kb.therapies[tapered[f]].name} over 3-6 months with "
                          f"the family (remission held {gc_free_months:.0f} months off "
                          "glucocorticoids); core set and CMAS at each step and 3-6-monthly for "
                          "2 years after; catch-up of missed live vaccines as the national "
                          "schedule allows off treatment")
                         if f in tapered else f for f in first]
            lung_active = state.of("lung") in ("new_onset", "active", "flare",
                                               "inadequate_response")
            if on_gc:
                first.insert(0, ("Hold the glucocorticoid taper until the lung is assessed "
                                 "(anti-MDA5 with chest symptoms recorded or a ferritin that "
                                 "has doubled)"
                                 if "mda5_lung_warning" in complications else
                                 "Glucocorticoids as the lung regimen requires (no taper for "
                                 "the muscle's sake while the lung is active)" if lung_active
                                 # conception planned: steady through the switch (review I)
                                 else "Keep glucocorticoids steady at this dose through the "
                                 "switch before conception (compatible with pregnancy)"
                                 if planning_conception and not pregnant
                                 and gc_now is not None and gc_now <= 7.5
                                 # pregnant in remission: stopping risks a flare (review U),
                                 # with a stable ILD too (specialist review Z45b P7: 'taper'
                                 # at 31 weeks beside the plan's own 'no taper')
                                 else "Continue glucocorticoids at this dose through pregnancy "
                                 "and the postpartum months (no taper until after them; "
                                 "hydrocortisone cover at delivery)" if pregnant
                                 # the steroid-sparing cover is held: the taper pauses (specialist
                                 # review Z18c P3: a taper kept while methotrexate was held), with
                                 # an ILD too (specialist review Z66c P6: 'taper to the lowest dose
                                 # the lung allows' beside 'no taper meanwhile')
                                 else "Pause the glucocorticoid taper at this dose while the "
                                 "steroid-sparing agent is held" if any(
                                     t in held and kb.therapies[t].category
                                     in STEROID_SPARING_NOW for t in current
                                     if t in kb.therapies)
                                 else "Taper glucocorticoids to the lowest dose the lung "
                                 "treatment allows" if ild
                                 else "Taper glucocorticoids towards stopping")
                             + (f" (now {gc_now:g} mg/day)" if gc_now else ""))
            sparing_now = [t for t in current if t in kb.therapies and t not in held
                           and kb.therapies[t].category in STEROID_SPARING_NOW]
            # one held now (a low count, an infection) is still this patient's agent: its restart
            # or replacement is decided with the team, not a new one added (re-score of
            # specialist review Z31f P2: 'none is taken now' beside azathioprine held for
            # neutropenia after a complete response)
            sparing_held = [t for t in current if t in kb.therapies and t in held
                            and kb.therapies[t].category in STEROID_SPARING_NOW]
            # the skin active while the muscle is quiet: the glucocorticoid is the skin's, and
            # the skin regimen names its steroid-sparing step (specialist review Z48a P4:
            # azathioprine added 'because the taper needs one' for a refractory skin)
            # (a skin refractory or flaring by its own measures, not a classification tick)
            skin_drives = state.of("skin") in ("flare", "inadequate_response")
            if on_gc and gc_now is not None and gc_now >= 7.5 and not sparing_now \
                    and not sparing_held and not pregnant and not ild and not jdm \
                    and not skin_drives:
                # a taper with no steroid-sparing agent on board invites relapse (specialist
                # review Z12d: methotrexate failed, azathioprine stopped for hepatitis, 'taper
                # glucocorticoids, no new agent' at 10 mg/day); the lung regimen chooses its own
                tried = {t for t in state.steroid_sparing_failed} | set(held)
                untried = [kb.therapies[t].name for t in TAPER_PARTNERS
                           if t in kb.therapies and t not in tried and t not in current]
                if untried:
                    first.append("add a steroid-sparing agent not yet tried ("
                                 + " or ".join(untried[:2]) + ") - none is taken now, and the "
                                 "taper needs one")
            if not first:
                first = ["see the treatment changes above" if stop
                         else "No maintenance treatment recorded"]
            alternatives = []
        else:  # active on treatment
            # skin-only agents (antimalarials, topicals) are the skin regimen's to continue
            keep = [t for t in keep if kb.therapies[t].category not in ("antimalarial",
                                                                         "topical")]
            improving = any("still improving" in b for d in state.domains
                            if d.domain == "muscle" for b in d.basis)
            lung_leads = ild and state.of("lung") in ("new_onset", "active", "flare",
                                                      "inadequate_response")
            # IVIG started early carries part of the induction: no push to the full dose
            # beside it (specialist review N: 82, diabetic, heart failure, anti-HMGCR with IVIG
            # told to raise prednisolone to 42-60 mg/day)
            ivig_early = any(o.therapy == "ivig" for o in early) and "ivig" not in current
            low_induction = (not jdm and not child and not on_sparing and not improving
                             and "ssc_specific" not in complications and not lung_leads
                             and not ivig_early
                             and gc_now is not None and weight_kg is not None
                             and gc_now < 0.45 * weight_kg)
            first = [continue_line(kb.therapies[t].name, review.get(t),
                                   "Continue" if improving else "Continue and optimise",
                                   step=None if improving else steps.get(t))
                     + ((f" (now {gc_now:g} mg/day; taper by weight as the response allows "
                         "(SHARE 2017), not to an adult target)" if jdm else
                         # a child of another subgroup: by weight while still child-sized
                         # (specialist review Z44b P3: 'SHARE 2017' for a 17-year-old with
                         # anti-SRP IMNM at 178 cm)
                         f" (now {gc_now:g} mg/day; taper by weight as the response allows, "
                         "not to an adult target)" if child and (weight_kg or 0) < 50 else
                         # below the induction range with active disease and nothing else
                         # yet (review B: 30 mg at 70 kg 'continued and tapered')
                         # in pregnancy a higher dose costs more (diabetes, pre-eclampsia,
                         # ruptured membranes): the activity is confirmed and the dose kept
                         # low (specialist review Z36c P4: 'raise to 0.5-1 mg/kg/day' at 9
                         # weeks on a CK of 1.75 x ULN alone)
                         f" (now {gc_now:g} mg/day; in pregnancy confirm the activity first - "
                         "strength (MMT-8) and the core set, not a raised CK alone - then the "
                         "lowest dose that controls it, aiming below 20 mg/day, with "
                         "azathioprine or IVIG rather than a higher dose)"
                         if low_induction and pregnant else
                         # established disease: a flare on a low dose is met by the
                         # steroid-sparing drug and a modest rise, not a new induction
                         # (specialist review Z37d P8: 'raise to 0.5-1 mg/kg/day' for a mild
                         # postpartum flare 23 months after onset, breastfeeding)
                         f" (now {gc_now:g} mg/day; established disease - restore or start the "
                         "steroid-sparing drug first, with a modest, short rise only if needed, "
                         "decided with the specialist team; not a new induction dose)"
                         # an induction given before, or IVIG taken now, counts as
                         # established too (specialist review Z47c P1)
                         if low_induction and (months_since_onset > 12 or induced_before
                                               or "ivig" in current) else
                         f" (now {gc_now:g} mg/day = {gc_now / (weight_kg or 1):.2f} mg/kg: "
                         "below the induction range for active disease; raise to 0.5-1 "
                         f"mg/kg/day, {min(60, 0.5 * (weight_kg or 0)):.0f}-"
                         f"{min(60, weight_kg or 0):.0f} mg/day, then taper by response)"
                         if low_induction else
                         # active ILD sets the glucocorticoid dose (review E: the muscle rule
                         # raised 30 to 60 mg for a mild myositis beside a progressing ILD)
                         f" (now {gc_now:g} mg/day; the dose is set for the lung with the ILD "
                         "team and tapered as the lung allows)"
                         if lung_leads else
                         f" (now {gc_now:g} mg/day; {TAPER_AS_RESPONSE_ALLOWS})")
                        if kb.therapies[t].category == "glucocorticoid" and gc_now
                        and gc_now > 7.5 and not review.get(t) else "")
                     for t in keep]
            if infection:
                # an active infection is no time to optimise (specialist review S: 'continue and
                # optimise mycophenolate' during a febrile wound infection with CRP 140)
                kept_categories = {kb.therapies[t].name: kb.therapies[t].category for t in keep}
                first = [
                    (f"Continue {name} {GC_THROUGH_INFECTION}"
                     if kept_categories[name] == "glucocorticoid" else
                     f"Continue {name} {DRUG_THROUGH_INFECTION}")
                    if name and entry.startswith("Continue and optimise " + name) else entry
                    for entry in first
                    for name in [next((n for n in kept_categories if entry.startswith(
                        "Continue and optimise " + n)), "")]]
            oral_gc = next((o for o in gc if o.therapy == "glucocorticoids_oral"), None)
            if not on_gc and oral_gc is not None and oral_gc.therapy not in held \
                    and not improving:
                # active muscle on a slow steroid-sparing agent alone needs a glucocorticoid
                # now (specialist review O: pregnant, CK 15 x ULN and rising, MMT-8 68 to 63,
                # 'add azathioprine' alone)
                first.insert(0, "add " + with_caveat(oral_gc) + (
                    " at 15 mg/day or less (scleroderma overlap: renal-crisis risk)"
                    if "ssc_specific" in complications else
                    " at the lowest dose that controls it (compatible with pregnancy)"
                    if pregnant else ""))
            pulse = by_id.get("methylprednisolone_iv_pulse")
            if "myocarditis" in complications and pulse is not None \
                    and pulse.therapy not in held and pulse.therapy not in current:
                # heart involvement while active on oral glucocorticoids: pulses, not only
                # 'continue and optimise' (specialist review I; BSR 2022 names IV
                # methylprednisolone for severe disease)
                first.insert(0, with_caveat(pulse) + " for the heart involvement (with "
                             "cardiology; ECG monitoring, potassium and magnesium kept normal), "
                             "then oral prednisolone 0.5-1 mg/kg/day (usually at most 60 "
                             "mg/day)" + ("; IVIG beside it if the heart does not settle"
                                         # not when IVIG is withheld (specialist review Z50a
                                         # P8: blood products declined)
                                         if "ivig" in by_id and "ivig" not in held else ""))
            # the antimetabolite waits for the oncology plan when IVIG can lead (review E)
            cancer_waits = not on_sparing and "cancer_suspected" in complications
            if cancer_waits:
                first += [f"add {with_caveat(o)}" for o in early]
            elif not on_sparing:
                # early rituximab: the conventional agent waits among the alternatives (at most
                # two immunosuppressants besides the glucocorticoid and IVIG; specialist review
                # U: rituximab, IVIG, methotrexate and pulses together for anti-SRP myocarditis)
                rituximab_early = any(o.therapy == "rituximab" for o in early)
                first += names_of(early) + ([] if rituximab_early else
                                            [f"add {with_caveat(o)}" for o in sparing[:1]])
            elif {"severe_dysphagia", "respiratory_weakness", "severe_imnm"} & complications:
                # organ-threatening weakness on treatment: IVIG is added, not kept for later
                first += [f"add {with_caveat(o)}" for o in early]
            ivig_added = any(by_id["ivig"].name in f for f in first) if "ivig" in by_id \
                else False
            # moderate dysphagia with IVIG added is treated by the IVIG; pulses for severe
            # dysphagia or respiratory weakness (specialist review N: pulses added to IVIG during
            # chemotherapy neutropenia for a moderate dysphagia)
            # a swallow improving on what is given now is not pulsed (specialist review Z44a P7:
            # pulses added for a frail 79-year-old with TIS 65 on prednisolone and IVIG, a week
            # before chemotherapy); breathing-muscle weakness still is
            ssc_pulses: list[str] = []
            # nor a breathing-muscle weakness improving on treatment, nor any in frailty (CFS 6
            # or more), where IVIG carries it (specialist review Z74b P5 and P7, dangerous:
            # pulses for an improving man on insulin with a stable FVC of 68 %, and for a
            # delirious woman of 81 at frailty 7, neutropenic on chemotherapy)
            bulbar_pulses = "frail" not in complications and not improving and (
                "respiratory_weakness" in complications
                or "dysphagia_severe_grade" in complications
                or ("severe_dysphagia" in complications and not ivig_added))
            if not jdm and bulbar_pulses \
                    and "methylprednisolone_iv_pulse" in by_id \
                    and "methylprednisolone_iv_pulse" not in current \
                    and "methylprednisolone_iv_pulse" not in held \
                    and not any(by_id["methylprednisolone_iv_pulse"].name in f for f in first):
                # severe dysphagia or respiratory weakness on oral treatment: IV pulses, and the
                # glucocorticoid by vein or tube while swallowing is unsafe (BSR 2022; review A:
                # nil by mouth with aspiration, oral prednisolone continued)
                if "ssc_specific" in complications:
                    # scleroderma overlap: pulses risk a renal crisis - IVIG and the steroid-sparing
                    # agent carry the escalation, pulses only for a threat to life (specialist
                    # review Z51a P5: pulses first at 27 weeks of pregnancy on IVIG and NIV)
                    ssc_pulses = [by_id["methylprednisolone_iv_pulse"].name
                                  + SSC_PULSES_ONLY_IF]
                else:
                    first.append("add " + with_caveat(by_id["methylprednisolone_iv_pulse"])
                                 + " (severe dysphagia or respiratory weakness; while swallowing "
                                 "is unsafe, give the glucocorticoid IV or by nasogastric tube)")
            if jdm and "severe_jdm" in complications:
                # severe JDM active on treatment: IV pulses and IVIG now (SHARE 2017; specialist
                # review Y: a 4-year-old with CMAS 18, dysphagia and abdominal pain on oral
                # prednisolone alone)
                for therapy in ("methylprednisolone_iv_pulse", "ivig"):
                    option = by_id.get(therapy)
                    if option is not None and therapy not in current and therapy not in held \
                            and not any(option.name in f for f in first):
                        first.append(f"add {with_caveat(option)}")
            rituximab_first = not on_sparing and any(o.therapy == "rituximab" for o in early)
            alternatives = [with_caveat(o) + (" (once the oncology plan is agreed)"
                                               if cancer_waits else "")
                            for o in sparing[0 if cancer_waits or rituximab_first else 1:]
                            if o not in early] + ssc_pulses
            relapse_unconfirmed = any("CK rising at the last results" in b
                                      for d in state.domains if d.domain == "muscle"
                                      for b in d.basis)
            if relapse_unconfirmed:
                # the evidence of relapse is months old: confirm it before new agents, and no
                # taper meanwhile (re-score of specialist review U: rituximab and a taper target
                # on a CK doubling 3 months old)
                kept_now = [restate_kept(e, "; no taper until the relapse is assessed")
                            for e in first if e.startswith(KEPT)]
                waiting = [e.removeprefix("add ") for e in first if not e.startswith(KEPT)]
                first = ["Re-measure CK and examine strength within 1-2 weeks (a relapse until "
                         "shown otherwise)", *kept_now]
                alternatives = ["once the relapse is confirmed: " + ", ".join(
                    [*waiting, *alternatives])] if waiting or alternatives else []
            if not first:
                first = ["No current treatment recorded"]
        # only a withheld IVIG changes the IMNM sentence; one merely not offered in this state
        # does not (review C: "IVIG is withheld" printed when nothing withheld it)
        decision = muscle_decision(muscle, jdm, phenotypes, complications, gc_now,
                                   ivig_available="ivig" not in withheld_ids
                                   and "ivig" not in held, pregnant=pregnant,
                                   months_since_onset=months_since_onset,
                                   conventional_available=not {
                                       "methotrexate", "azathioprine", "mycophenolate"}
                                   <= withheld_ids | set(held))
        if unmeasured or not_recent:
            decision = ("Once strength and enzymes are measured: treat the muscle if myositis "
                        "is shown; if not, the skin and other organs set the treatment.")
        if muscle in ("remission", "stable") and planning_conception and not pregnant:
            # a switch before conception is no time to withdraw the rest (specialist review I:
            # 'taper glucocorticoids to stop first' while mycophenolate was being replaced)
            decision = ("Conception planned: keep the pregnancy-compatible maintenance "
                        "(prednisolone at 7.5 mg/day or less, azathioprine, hydroxychloroquine, "
                        "tacrolimus, IVIG) steady through the switch, the pregnancy and "
                        "breastfeeding; no taper or withdrawal until after them; a flare in "
                        "pregnancy is treated with IV methylprednisolone or IVIG with the "
                        "obstetric team.")
        if muscle in ("remission", "stable") and pregnant:
            # pregnant: no withdrawal of a compatible maintenance drug (specialist review F:
            # a taper of azathioprine offered at 8 weeks' gestation)
            decision = ("Pregnant: keep the pregnancy-compatible maintenance treatment through "
                        "pregnancy and breastfeeding (stopping risks a flare); no taper until "
                        "after them; review each trimester with the obstetric team.")
        if not on_gc:  # nothing to taper
            decision = decision.replace(" and taper glucocorticoids", "").replace(
                "taper glucocorticoids first; ", "").replace(
                "stop glucocorticoids first; once", "once")
        if ild and state.of("lung") in ("new_onset", "active", "flare", "inadequate_response") \
                and "methotrexate" in kb.therapies:
            # with the lung active, an alternative that does not treat the lung would withdraw
            # its treatment if chosen (specialist review I: methotrexate as the muscle
            # alternative in antisynthetase syndrome with a progressing ILD)
            mtx = kb.therapies["methotrexate"].name
            alternatives = [a for a in alternatives if not a.startswith(mtx)]
        if muscle in ("active", "inadequate_response") and any(
                STEROID_MYOPATHY in b for d in state.domains if d.domain == "muscle"
                for b in d.basis):
            # weaker with normal enzymes on long high-dose glucocorticoids: steroid myopathy or
            # damage until imaging shows activity - no new agent, the glucocorticoid tapered
            # (specialist review V: IVIG and new immunosuppressants for a cushingoid man with
            # a year of normal CK, weaker since his prednisolone was tripled)
            kept_now = [restate_kept(e, ": taper steadily, with adrenal precautions")
                        for e in first if e.startswith(KEPT)]
            waiting = [e.removeprefix("add ") for e in first if not e.startswith(KEPT)]
            first = ["Before any new agent: muscle MRI (STIR oedema favours activity) or EMG, "
                     "and supervised strengthening rehabilitation - weakness with normal enzymes "
                     "on long high-dose glucocorticoids is steroid myopathy or damage until shown "
                     "otherwise", *kept_now]
            alternatives = ["if MRI or EMG shows active myositis: " + ", ".join(
                dict.fromkeys([*waiting, *alternatives]))] if waiting or alternatives else []
        out.append(Regimen(domain="muscle", state=muscle, first_choice=first,
                           alternatives=alternatives, decision_point=decision,
                           provisional=provisional))
    skin_r = skin_regimen(state, options, complications, current, held, kb,
                          pregnant=pregnant, jdm=jdm, provisional=provisional)
    if skin_r is not None:
        out.append(skin_r)
    lung_r = lung_regimen(state, options, complications, current, held, kb, keep=keep,
                          review=review, infection=infection, provisional=provisional,
                          no_new_agent=no_new_agent, transplant_ok=transplant_ok, gc_now=gc_now)
    if lung_r is not None:
        out.append(lung_r)
    muscle_r = next((r for r in out if r.domain == "muscle"), None)
    lung_r = next((r for r in out if r.domain == "lung"), None)
    if muscle_r is not None and lung_r is not None \
            and muscle_r.state == lung_r.state == "inadequate_response":
        # one escalation for muscle and lung together, led by the lung (review D: rituximab
        # for the muscle and tacrolimus for the lung, on mycophenolate, with lymphocytes 0.9)
        kept_lines = KEPT
        new_agents = [f for f in muscle_r.first_choice if not f.startswith(kept_lines)]
        if new_agents:
            muscle_r.first_choice = [
                "one escalation for muscle and lung together: the lung regimen's first choice "
                "below treats the muscle too",
                *[f for f in muscle_r.first_choice if f.startswith(kept_lines)]]
            muscle_r.alternatives = [*new_agents, *muscle_r.alternatives]
    if no_new_agent and muscle_r is not None:
        # a low IgG with infections holds new agents for the muscle as for the lung (specialist
        # review Z60c P6: 'add azathioprine' for the muscle beside the lung's 'no new
        # immunosuppressant until the infection risk is addressed')
        suppressing = {o.name for o in options if o.therapy not in current
                       and kb.therapies[o.therapy].category in SLOW_AGENT_CATEGORIES}
        waiting = [f.removeprefix("add ") for f in muscle_r.first_choice
                   if f.startswith("add ") and any(f[4:].startswith(n) for n in suppressing)]
        if waiting:
            muscle_r.first_choice = [f for f in muscle_r.first_choice
                                     if f.removeprefix("add ") not in waiting] + [
                "no other new immunosuppressant until the infection risk is addressed (recurrent "
                "infections, a low IgG or lymphopenia: see the cautions)"]
            muscle_r.alternatives = ["once the infections are controlled: " + ", ".join(
                dict.fromkeys([*waiting, *muscle_r.alternatives]))]
    if "ici_myositis" in complications:
        out = [ici_regimen(r, options, complications, provisional) if r.domain == "muscle"
               else r for r in out]
    calcinosis = calcinosis_regimen(state, options, complications, provisional=provisional,
                                    pregnant=pregnant)
    if calcinosis is not None:
        out.append(calcinosis)
    if stop:
        out.insert(0, Regimen(domain="treatment changes", state="now", first_choice=stop,
                              alternatives=[], decision_point="Each change's reason and source "
                              "are in its Do now line or in the withheld list.",
                              provisional=provisional))
    # never a second drug of a class already taken (ciclosporin beside tacrolimus) (H103)
    kept = {CLASSES[t] for t in current if t in CLASSES and t not in held}
    same_class = tuple(kb.therapies[t].name for t, c in CLASSES.items()
                       if c in kept and t not in current and t in kb.therapies)
    if same_class:
        out = [r.model_copy(update={
            "alternatives": [a for a in r.alternatives if not a.startswith(same_class)],
            "first_choice": [e for e in r.first_choice if not e.startswith(same_class)]})
            for r in out]
    return without_repeats(one_regimen_across_domains(out, options, kb))


"""The recommended approach per domain: first choice, alternatives and the decision point.

The order among agents of equal standing is a documented project choice (see PREFERENCE); every
agent named comes from the plan's own options, so the approach never offers what the detail
withholds.
"""

from __future__ import annotations

import re

from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.model import (
    Option,
    Regimen,
)
from myositis.services.state import DiseaseState

DECISION = {
    "new_onset": "No response by 12 weeks (TIS below 20 or IMACS DOI not met), or prednisone "
                 "not below 7.5 mg/day by 6 months: add or switch the steroid-sparing agent; after "
                 "two agents fail, the refractory options (IVIG, rituximab).",
    "flare": "Re-escalate and review adherence and triggers; reassess at 4-6 weeks; a second flare "
             "on the same agent: switch or add a steroid-sparing agent.",
    "active": "Reassess at every visit (TIS and DOI vs the previous visit and baseline); no "
              "response by 12 weeks on an adequate dose: switch or add.",
    "inadequate_response": "Reassess after 3-4 months of the refractory agent; consider a trial "
                           "or referral to a specialist myositis centre.",
    "stable": "Muscle inactive or low activity at the latest visit: no new agent; continue the current "
              "treatment and taper glucocorticoids; remission once inactive for 6 months; "
              "worsening (IMACS): re-escalate.",
    "remission": "No induction treatment; taper glucocorticoids to stop first; once remission "
                 "has held off glucocorticoids for 6-12 months, discuss a stepwise taper of the "
                 "steroid-sparing drug (relapse is common: agree a flare plan - worsening returns "
                 "to the last effective dose); core set every 3-6 months.",
}
JDM_REMISSION = ("JDM in remission: stop glucocorticoids first; once remission has held off "
                 "glucocorticoids (usually for at least a year), discuss with the family "
                 "tapering and stopping the steroid-sparing drug; review for flare, calcinosis "
                 "and growth at each visit.")
# Order among steroid-sparing agents of equal standing when the knowledge base cannot rank them
# by evidence: BSR 2022 (methotrexate or azathioprine first in adults; mycophenolate, azathioprine
# or a calcineurin inhibitor first with ILD, where ACR/CHEST 2023 advises against methotrexate),
# SHARE 2017 (methotrexate in JDM).
PREFERENCE = ["methotrexate", "azathioprine", "mycophenolate", "tacrolimus", "ciclosporin"]
PREFERENCE_ILD = ["mycophenolate", "azathioprine", "tacrolimus", "rituximab", "ciclosporin",
                  "methotrexate"]


def _ranked(options: list[Option], ild: bool) -> list[Option]:
    order = PREFERENCE_ILD if ild else PREFERENCE
    return sorted(options, key=lambda o: order.index(o.therapy) if o.therapy in order
                  else len(order))


# Refractory muscle disease, equal evidence: the longest-established first (IVIG approved for DM
# in 2021 on ProDERM; brepocitinib approved 2026; rituximab off-label).
REFRACTORY = ["ivig", "brepocitinib", "rituximab"]
# Words of a withhold reason that make it reproductive: a replacement may then be named from
# the knowledge base's pregnancy-compatible agents even when this state offers none.
REPRODUCTIVE_REASONS = ("pregnan", "conception", "breastfeed", "lactation", "partner")
# Escalation when ILD progresses on treatment (ACR/CHEST 2023 progression figure, myositis).
# All calcinosis agents are very-low evidence; within that, the order follows the curated
# rationales (series with reported responses first, "no convincing efficacy" last): a project
# choice, not a published ranking.
CALCINOSIS_ORDER = ["sodium_thiosulfate", "bisphosphonates", "diltiazem", "calcinosis_surgery",
                    "ivig_calcinosis", "eswl", "colchicine", "probenecid", "aluminium_hydroxide"]
JDM_SECOND_LINE = ["mycophenolate", "ivig", "ciclosporin"]
"""SHARE 2017's second-line agents for JDM, in the order the plan proposes them (a project
order: SHARE ranks none above the others)."""
SKIN_CONVENTIONAL = ["methotrexate", "mycophenolate"]
"""Refractory skin after an antimalarial alone: a conventional agent first (BSR 2022 lists
methotrexate and MMF for refractory skin; IVIG and newer agents after one of them)."""
SKIN_LAST = frozenset({"repository_corticotropin"})
"""Corticotropin adds glucocorticoid exposure: last among the skin agents."""
GLUCOCORTICOIDS = frozenset({"glucocorticoids_oral", "methylprednisolone_iv_pulse"})
ESCALATE_ILD = ["rituximab", "tacrolimus", "mycophenolate", "cyclophosphamide", "ivig",
                "tofacitinib", "ciclosporin", "azathioprine"]
# Rapidly progressive ILD: IV glucocorticoids plus two further agents (ACR/CHEST 2023); the
# triple regimen of the anti-MDA5 prospective study (Tsuji 2020) first.
RP_ILD = ["methylprednisolone_iv_pulse", "tacrolimus", "cyclophosphamide", "tofacitinib",
          "rituximab", "ivig", "mycophenolate"]


SEVERE_JDM = ("Severe JDM (skin ulceration, gut vasculopathy, dysphagia or respiratory "
              "involvement): IV methylprednisolone and escalation with an expert centre (IVIG, "
              "cyclophosphamide), doses by mg/kg or mg/m2 (SHARE 2017). ")
JDM_DECISION = ("Treat to target: inactive disease within 12 months; intensify within the first "
                "12 weeks if the response is inadequate, after consulting an expert centre "
                "(PReS/CARRA 2025, SHARE 2017).")


def _names(options: list[Option]) -> list[str]:
    return list(dict.fromkeys(o.name for o in options))


FAILED = ("ineffective", "not_tolerated")


def _usable(options: list[Option]) -> list[Option]:
    """Options fit to lead a regimen: not investigational, not case-series-only, not failed."""
    return [o for o in options if not o.investigational and o.evidence_level != "very_low"
            and o.previously not in FAILED]


def _safest_first(options: list[Option]) -> list[Option]:
    """Keep the order, but an agent that worked before leads a re-treatment (review T: the
    methotrexate that brought remission came after azathioprine at the flare), and an option
    with a high-severity caution for this patient (an interaction, untreated latent TB...)
    never leads when one without exists; among options that all carry one, the fewest lead
    (review W: methotrexate with HBsAg and alcohol excess led azathioprine with HBsAg alone)."""
    return sorted(options, key=lambda o: (o.previously != "effective",
                                          sum(c.severity in ("high", "absolute")
                                              for c in o.cautions)))


def headline(text: str) -> str:
    """The finding a caution opens with ("HBsAg positive", "ALT 6 x ULN"), not its advice,
    which the option's full entry and the do-now line give."""
    head = re.split(r"[:;]", text, maxsplit=1)[0].strip()
    while head.count("(") > head.count(")"):  # never an unclosed bracket (review Q)
        head = head[:head.rindex("(")].strip()
    return head


def _evidence_tag(option: Option) -> str:
    """The name, marked when the option is investigational or rests on case reports."""
    return option.name + (" (in trials)" if option.investigational else
                          " (case reports only)" if option.evidence_level == "very_low" else "")


def _with_caveat(option: Option) -> str:
    high = [c for c in option.cautions if c.severity in ("high", "absolute")]
    return option.name + (f" (caution: {headline(high[0].text)})" if high else "")


KEPT = ("Continue", "Optimise", "Review", "Taper", "Hold", "Stop")
"""How a regimen line about a drug taken now begins (no new drug, no induction dose)."""

KEEP = "keep:"
"""Marks a concern about a drug taken now that keeps the drug (rule ``when_taken: continue``)."""


def _continue(name: str, concern: str | None, verb: str = "Continue",
              step: str | None = None) -> str:
    """'Continue X', 'Continue X (note: concern)' when a rule adds an action to a drug to keep,
    or 'Review X now' when a rule questions the drug itself. `step` is how to optimise a drug
    kept while the disease is active (a dose or route to reach before calling it failed)."""
    if concern and not concern.startswith(KEEP):
        return f"Review {name} now ({concern})"
    notes = [concern.removeprefix(KEEP)] if concern else []
    if step:
        verb, notes = "Optimise", [step, *notes]
    return f"{verb} {name}" + (f" ({'; note: '.join(notes)})" if step else
                               f" (note: {notes[0]})" if notes else "")


def methotrexate_step(dose_mg_week: float | None, route: str | None) -> str | None:
    """How to optimise adult methotrexate before calling it failed: 20-25 mg/week, and
    subcutaneous when the oral dose is high or absorption or tolerance limit it (BSR 2022 and
    common practice; specialist review H: a flare on 15 mg/week oral only 'continued')."""
    if dose_mg_week is None:
        return ("dose not recorded: check it is 20-25 mg/week, subcutaneous if oral absorption "
                "or tolerance limits it, before calling it failed")
    if dose_mg_week < 20:
        return (f"now {dose_mg_week:g} mg/week{' oral' if route == 'oral' else ''}: raise "
                "towards 20-25 mg/week"
                + (", subcutaneous if absorption or tolerance limits it" if route != "sc"
                   else "") + ", with folic acid, before calling it failed")
    if route == "oral":
        return (f"now {dose_mg_week:g} mg/week oral: switch to subcutaneous at the same dose "
                "(better absorbed at this dose) before calling it failed")
    return None


def flare_glucocorticoid(weight_kg: float | None, gc_now: float | None, child: bool,
                         pregnant: bool) -> str:
    """The glucocorticoid step at a muscle flare, as a dose by weight: not "back to the dose that
    controlled it" (specialist review W: in two patients that was the dose they flared on).
    Adults: about 0.5 mg/kg/day for a moderate flare, up to 1 mg/kg/day or IV pulses when severe
    (common practice; BSR 2022 gives the induction range); children: 1-2 mg/kg/day, maximum 60
    mg, or IV pulses (SHARE 2017)."""
    # the dose taken now, not 'the dose it flared on': it may have been raised already (review
    # F: 25 mg started 12 days before, after a flare on 5 mg)
    now = f" (now {gc_now:g} mg/day)" if gc_now else ""
    if child:
        dose = (f" ({weight_kg:g} kg: {min(60, weight_kg):.0f}-{min(60, 2 * weight_kg):.0f} "
                "mg/day)" if weight_kg else "")
        return ("raise prednisolone to 1-2 mg/kg/day, maximum 60 mg" + dose + now + ", or IV "
                "methylprednisolone pulses for a severe flare, with the paediatric team "
                "(SHARE 2017)")
    moderate = (f"{min(60, 0.5 * weight_kg):.0f} mg/day at {weight_kg:g} kg"
                if weight_kg else "the mg/kg dose needs a weight")
    text = ("raise prednisolone to about 0.5 mg/kg/day for a moderate flare (" + moderate + ")"
            + now + ", up to 1 mg/kg/day (maximum 60 mg) or IV methylprednisolone pulses for a "
            "severe one; taper again once strength and CK recover")
    if pregnant:
        text += ("; in pregnancy prednisolone or methylprednisolone, not dexamethasone or "
                 "betamethasone (they cross the placenta)")
    return text


def joint_regimen(gc_now: float | None, ild: bool | None,
                  gc_name: str = "Oral glucocorticoids") -> Regimen:
    """Antisynthetase syndrome with arthritis as its main active feature: no muscle or lung
    regimen covers the joints, so they get their own (review A: 8 swollen joints with no
    approach at all). Observational data only (the rule `antisynthetase_arthritis` cites them):
    glucocorticoids, a calcineurin inhibitor or rituximab have the most reported data, and
    methotrexate only without ILD."""
    first = ([] if ild is False else
             ["HRCT and lung function first: anti-synthetase antibodies carry a high risk of "
              "ILD, and methotrexate is chosen only without it"])
    first.append(f"{gc_name} at a low dose as a bridge (now {gc_now:g} mg/day), tapered as "
                 "the joints settle" if gc_now else f"{gc_name} at a low dose as a bridge")
    first.append("add Methotrexate if HRCT shows no ILD" if ild is None
                 else "add Methotrexate" if not ild
                 else "add Tacrolimus (ILD present: not methotrexate)")
    return Regimen(
        domain="joints", state="active", first_choice=first,
        alternatives=["Tacrolimus or ciclosporin", "Rituximab when these fail"],
        decision_point=("Swollen and tender joints, function and CRP every 4-8 weeks until the "
                        "arthritis is controlled; no response by 12 weeks: change the agent "
                        "(observational data only; no guideline covers antisynthetase "
                        "arthritis)."))


def _pick(options: list[Option]) -> list[Option]:
    """Usable options first; failing that, any not recorded as failed (review T: a
    hydroxychloroquine recorded as ineffective led the skin regimen); only then the rest."""
    # a drug stopped for an adverse reaction is never offered again from here (specialist
    # review Z: hydroxychloroquine re-offered, with a dose, after a drug eruption)
    return _safest_first(_usable(options)) or _safest_first(
        [o for o in options if o.previously not in FAILED]) or _safest_first(
        [o for o in options if o.previously != "not_tolerated"])


def regimens(state: DiseaseState, options: list[Option], phenotypes: list[str],
             complications: set[str], current: frozenset[str], kb: KnowledgeBase,
             provisional: bool, held: dict[str, str] | None = None,
             review: dict[str, str] | None = None,
             gc_now: float | None = None,
             gc_free_months: float | None = None,
             pregnant: bool = False, infection: bool = False,
             weight_kg: float | None = None, child: bool = False,
             thiopurine: str | None = None,
             withheld_ids: frozenset[str] = frozenset(),
             steps: dict[str, str] | None = None,
             planning_conception: bool = False) -> list[Regimen]:
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
    # a rule that holds a drug for now says 'hold', not 'stop' (review U: "Stop IVIG: ...
    # hold the next course")
    stop = [f"{'Hold' if ' hold ' in f' {held[t].lower()} ' else 'Stop'} "
            f"{kb.therapies[t].name}: {held[t]}" for t in sorted(current) if t in held
            and t in kb.therapies]
    if stop:
        # name what replaces a stopped steroid-sparing agent, from the offered options that
        # carry a compatible label (pregnancy, breastfeeding, paternal) or none at all
        stopped = {t for t in current if t in held}
        sparing_stopped = any(kb.therapies[t].category == "conventional_immunosuppressant"
                              for t in stopped if t in kb.therapies)
        kept_classes = {CLASSES[t] for t in current if t in CLASSES and t not in held}
        replacing = [o for o in _usable(options) if o.therapy not in current
                     and o.therapy not in held
                     and CLASSES.get(o.therapy) not in kept_classes
                     and kb.therapies[o.therapy].category in ("conventional_immunosuppressant",
                                                              "immunoglobulin", "antimalarial")]
        # a drug stopped for pregnancy or conception is replaced by a labelled-compatible one
        compatible = [o for o in replacing if o.labels] or replacing
        reproductive = any(word in held[t].lower() for t in stopped
                           for word in REPRODUCTIVE_REASONS)
        # an antimalarial replaces no steroid-sparing agent for muscle or lung
        compatible = [o for o in compatible
                      if kb.therapies[o.therapy].category != "antimalarial"
                      and not (ild and o.therapy == "methotrexate")]  # review U: fibrotic ILD
        names = _names(_ranked(compatible, ild)[:2])
        if not names and reproductive:
            # nothing new is offered in this state (remission, say): name the curated
            # pregnancy-compatible steroid-sparing agents from the knowledge base
            names = [t.name for t in kb.therapies.values()
                     if t.category == "conventional_immunosuppressant" and t.reproduction
                     and t.reproduction.pregnancy == "compatible" and t.id not in current
                     and t.id not in held and CLASSES.get(t.id) not in kept_classes][:2]
        aza = kb.therapies["azathioprine"].name if "azathioprine" in kb.therapies else None
        if thiopurine == "deficient":
            names = [n for n in names if n != aza]
        elif thiopurine == "intermediate":
            # the genotype travels with the name (review A: a TPMT-intermediate woman told to
            # switch to azathioprine with no word of the dose)
            names = [f"{n} (TPMT or NUDT15 intermediate: start at 30-80 % of the target dose)"
                     if n == aza else n for n in names]
        if ild and (state.of("lung") in ("new_onset", "flare", "inadequate_response")
                    or "rp_ild" in complications):
            # the lung regimen below chooses the agents for an active lung; naming another
            # here contradicted it (specialist review X: 'switch to mycophenolate' beside a
            # tacrolimus and cyclophosphamide lung regimen)
            names = ["the agents of the lung regimen below"] if names else names
        pneumonitis = any("pneumonitis" in held[t].lower() for t in stopped)
        if sparing_stopped and names and pneumonitis:
            # no new immunosuppressant before infection is excluded (specialist review V)
            stop.append("once infection and drug pneumonitis are excluded and the lung is "
                        "confirmed as myositis ILD, switch to " + " or ".join(names))
        elif sparing_stopped and names:
            stop.append("switch to " + " or ".join(names) + (
                " (or, in sustained remission, consider stopping without a replacement)"
                if muscle in ("remission", "stable") and not ild else ""))
        elif sparing_stopped:
            # stopped for toxicity: a replacement is chosen once the cause is known, and none
            # is named from outside this patient's offered options
            stop.append("whether and with what to replace it: decide with the specialist team "
                        "once the cause is known")
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
            "dilatation, botulinum toxin or myotomy; gastrostomy with weight loss or aspiration)",
            "Falls prevention, orthoses and mobility aids (knee-ankle-foot orthosis for "
            "quadriceps weakness), with bone health after falls"],
            alternatives=["Clinical trial"],
            decision_point="Review function (IBM-FRS), swallowing, FVC and falls every 6-12 "
                           "months; no immunosuppression (not effective in IBM); anti-cN1A "
                           "supports the diagnosis but is not required; HCV and HIV serology "
                           "once (associated with an IBM-like myopathy); IVIG does not help limb "
                           "weakness and may be discussed only for severe dysphagia (small "
                           "trials, very low evidence).",
            provisional=provisional))
        return out
    if muscle != "not_involved":
        on_gc = any(kb.therapies[t].category == "glucocorticoid" for t in keep)
        on_sparing = any(kb.therapies[t].category != "glucocorticoid"
                         and t in kb.group_members("immunosuppressive") for t in keep)
        sparing = _pick(_ranked([o for o in general if o.line in ("steroid_sparing", "initial")
                                 and kb.therapies[o.therapy].category != "glucocorticoid"
                                 and o.therapy not in current], ild))
        gc = [o for o in general if o.line == "initial"
              and kb.therapies[o.therapy].category == "glucocorticoid"]
        early: list[Option] = []
        # early rituximab for anti-SRP; severe anti-HMGCR takes IVIG with a conventional
        # agent, rituximab only when that fails (ENMC 224 as summarised)
        if {"severe_imnm", "imnm_srp"} <= complications and "rituximab" in by_id:
            early.append(by_id["rituximab"])
        if ({"anti_hmgcr", "severe_dysphagia", "severe_imnm", "cancer_suspected"}
                & complications) and "ivig" in by_id and "ivig" not in held:
            early.append(by_id["ivig"])
        elif "anti_hmgcr" in complications and "ivig" not in by_id \
                and "rituximab" in by_id and by_id["rituximab"] not in early:
            # IVIG withheld (anti-IgA antibodies, thrombosis...): rituximab is the early
            # agent instead (ENMC 224 as summarised; review W)
            early.append(by_id["rituximab"])
        early = [o for o in early if o.previously not in FAILED and o.therapy not in current]
        urgent = bool({"rp_ild", "severe_dysphagia", "respiratory_weakness",
                       "severe_jdm", "myocarditis"} & complications)
        if urgent and "methylprednisolone_iv_pulse" in by_id:
            gc = [by_id["methylprednisolone_iv_pulse"], *gc]
        if muscle in ("new_onset", "flare", "unknown"):
            # skin-only agents (antimalarials, topicals) are the skin regimen's to continue
            first = ([_continue(kb.therapies[t].name, review.get(t), step=steps.get(t))
                      for t in keep
                      if kb.therapies[t].category not in ("antimalarial", "topical")]
                     if muscle == "flare" else [])
            if not on_gc:
                # IV pulses are followed by daily oral glucocorticoid: name both
                first += [_with_caveat(o) for o in gc[:2 if gc and gc[0].therapy ==
                                                      "methylprednisolone_iv_pulse" else 1]]
            elif muscle == "flare" and infection:
                # review U: "re-escalate" during a febrile pneumonia
                first.append("treat the infection, then reassess before re-escalating the "
                             "glucocorticoid dose (no intensification during it unless the "
                             "myositis is life-threatening)")
            elif muscle == "flare" and (urgent or {"cardiac", "severe_imnm"} & complications) \
                    and "methylprednisolone_iv_pulse" in by_id \
                    and "methylprednisolone_iv_pulse" not in held:
                # also a flare with cardiac involvement or severe necrotising disease (review E:
                # anti-SRP, CK 39 x ULN, troponin I raised, given the moderate 0.5 mg/kg dose)
                # a severe flare (severe dysphagia, respiratory weakness, RP-ILD) on a low
                # maintenance dose: pulses, not "the last dose that controlled it" (review V:
                # moderate-severe dysphagia on 5 mg told to go back to 5 mg)
                first.append(_with_caveat(by_id["methylprednisolone_iv_pulse"])
                             + (", then oral prednisolone 1-2 mg/kg/day, maximum 60 mg "
                                "(SHARE 2017)" if jdm or child
                                else ", then oral prednisolone 0.5-1 mg/kg/day"))
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
                first.append(flare_glucocorticoid(weight_kg, gc_now, child=jdm or child,
                                                  pregnant=pregnant))
            # at most two immunosuppressants besides the glucocorticoid and IVIG: with early
            # rituximab the conventional agent waits among the alternatives
            biologic_early = any(o.therapy == "rituximab" for o in early)
            # with a known or suspected cancer the antimetabolite waits for the oncology plan
            cancer_first = "cancer_suspected" in complications and any(
                o.therapy == "ivig" for o in early)
            add_sparing = not (on_sparing and muscle == "flare") and not biologic_early \
                and not cancer_first
            first += [_with_caveat(o) for o in early] + (
                [_with_caveat(o) for o in sparing[:1]] if add_sparing else [])
            alternatives = [_with_caveat(o) + (" (once the oncology plan is agreed)"
                                               if cancer_first else "")
                            for o in sparing[0 if biologic_early or cancer_first else 1:]
                            if o not in early]
            if muscle == "flare":
                # an agent that brought remission before is an option at the flare, whatever
                # its line (specialist review X: IVIG with a complete response left out)
                worked = [f"{_with_caveat(o)} (worked before)" for o in _usable(options)
                          if o.previously == "effective" and o.therapy not in current
                          and o.therapy not in held
                          and kb.therapies[o.therapy].category not in (
                              "topical", "antimalarial", "non_drug", "calcinosis_agent",
                              "antifibrotic", "procedure")
                          and not any(_with_caveat(o) in f for f in first + alternatives)]
                alternatives = worked + alternatives
            if jdm and "jdm_flare_on_treatment" in complications \
                    and "severe_jdm" not in complications:
                # a JDM flare on a steroid-sparing agent: add a second-line agent (SHARE 2017:
                # MMF, IVIG or ciclosporin), the others as alternatives (review W)
                second = [by_id[t] for t in JDM_SECOND_LINE if t in by_id and t not in current
                          and t not in held and by_id[t].previously not in FAILED]
                if second:
                    first.append("add " + _with_caveat(second[0]))
                    alternatives = [*[_with_caveat(o) for o in second[1:]], *alternatives]
            # the pregnancy labels on the options, not a reassignment of the parameter: the
            # skin regimen below reads ``pregnant`` too (mycophenolate must never be named)
            labelled_compatible = any("Compatible with pregnancy" in label for o in options
                                      for label in o.labels)
            if labelled_compatible and muscle == "flare" and "ivig" not in current \
                    and "ivig" not in held:
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
                    if option is not None and therapy not in current and therapy not in held \
                            and not any(option.name in f for f in first):
                        first.append(_with_caveat(option))
                named = [kb.therapies[t].name for t in ("methylprednisolone_iv_pulse", "ivig")]
                alternatives = [a for a in alternatives
                                if not any(n in a and any(n in f for f in first) for n in named)]
                cyc = by_id.get("cyclophosphamide")
                if cyc is not None and _with_caveat(cyc) not in alternatives:
                    alternatives.insert(0, _with_caveat(cyc))
        elif muscle == "inadequate_response":
            refractory = _safest_first(sorted(
                _usable([o for o in general if o.line == "refractory"
                         and o.therapy not in current]),
                key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                               REFRACTORY.index(o.therapy) if o.therapy in REFRACTORY
                               else len(REFRACTORY))))
            trials = [o for o in general if o.line == "refractory" and o.investigational
                      and o.previously not in FAILED]
            lead = (early or refractory or [o for o in sparing if o.previously is None])[:1]
            first = [_with_caveat(o) for o in lead]
            if "imnm" in phenotypes and "ivig" in keep:
                # refractory IMNM: rituximab is added to IVIG, not swapped for it (ENMC 224)
                first.insert(0, _continue(kb.therapies["ivig"].name, review.get("ivig")))
            if not (early or refractory):
                first.append("clinical trial or specialist myositis centre referral"
                             + (f" ({', '.join(_names(trials[:2]))} in trials)" if trials
                                else ""))
            alternatives = _names([o for o in refractory if o not in lead][:4]
                                  + [o for o in sparing if o.previously is None
                                     and o not in lead][:2])
        elif muscle in ("remission", "stable"):
            first = [_continue(kb.therapies[t].name, review.get(t)) for t in keep
                     if kb.therapies[t].category not in ("glucocorticoid", "topical",
                                                         "antimalarial")]
            sparing_kept = [t for t in keep
                            if kb.therapies[t].category == "conventional_immunosuppressant"]
            if jdm and muscle == "remission" and not ild and gc_free_months is not None \
                    and gc_free_months >= 12 and sparing_kept:
                # the JDM stop point is reached: withdrawal of the drug actually taken is the
                # first choice, not 'continue' (specialist review Y: 14 months off
                # glucocorticoids; review E: methotrexate named for a girl on mycophenolate)
                tapered = {_continue(kb.therapies[t].name, review.get(t)): t
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
                                 "(anti-MDA5 with new chest symptoms or a rising ferritin)"
                                 if "mda5_lung_warning" in complications else
                                 "Glucocorticoids as the lung regimen requires (no taper for "
                                 "the muscle's sake while the lung is active)" if lung_active
                                 # conception planned: steady through the switch (review I)
                                 else "Keep glucocorticoids steady at this dose through the "
                                 "switch before conception (compatible with pregnancy)"
                                 if planning_conception and not pregnant
                                 and gc_now is not None and gc_now <= 7.5
                                 else "Taper glucocorticoids to the lowest dose the lung "
                                 "treatment allows" if ild
                                 # pregnant in remission: stopping risks a flare (review U)
                                 else "Continue glucocorticoids at this dose through pregnancy "
                                 "and the postpartum months (no taper until after them; "
                                 "hydrocortisone cover at delivery)" if pregnant
                                 else "Taper glucocorticoids towards stopping")
                             + (f" (now {gc_now:g} mg/day)" if gc_now else ""))
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
            low_induction = (not jdm and not child and not on_sparing and not improving
                             and "ssc_overlap" not in complications and not lung_leads
                             and gc_now is not None and weight_kg is not None
                             and gc_now < 0.45 * weight_kg)
            first = [_continue(kb.therapies[t].name, review.get(t), "Continue and optimise",
                               step=None if improving else steps.get(t))
                     + ((f" (now {gc_now:g} mg/day; taper by weight as the response allows "
                         "(SHARE 2017), not to an adult target)" if jdm else
                         # below the induction range with active disease and nothing else
                         # yet (review B: 30 mg at 70 kg 'continued and tapered')
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
                         f" (now {gc_now:g} mg/day; taper as the response allows, aiming for "
                         "7.5 mg/day or less by 6 months)")
                        if kb.therapies[t].category == "glucocorticoid" and gc_now
                        and gc_now > 7.5 and not review.get(t) else "")
                     for t in keep]
            pulse = by_id.get("methylprednisolone_iv_pulse")
            if "myocarditis" in complications and pulse is not None \
                    and pulse.therapy not in held and pulse.therapy not in current:
                # heart involvement while active on oral glucocorticoids: pulses, not only
                # 'continue and optimise' (specialist review I; BSR 2022 names IV
                # methylprednisolone for severe disease)
                first.insert(0, _with_caveat(pulse) + " for the heart involvement (with "
                             "cardiology; ECG monitoring, potassium and magnesium kept normal), "
                             "then oral prednisolone 0.5-1 mg/kg/day; IVIG beside it if the "
                             "heart does not settle")
            # the antimetabolite waits for the oncology plan when IVIG can lead (review E)
            cancer_waits = not on_sparing and "cancer_suspected" in complications and any(
                o.therapy == "ivig" for o in early)
            if cancer_waits:
                first += [f"add {_with_caveat(o)}" for o in early]
            elif not on_sparing:
                first += _names(early) + [f"add {_with_caveat(o)}" for o in sparing[:1]]
            elif {"severe_dysphagia", "respiratory_weakness", "severe_imnm"} & complications:
                # organ-threatening weakness on treatment: IVIG is added, not kept for later
                first += [f"add {_with_caveat(o)}" for o in early]
            if not jdm and {"severe_dysphagia", "respiratory_weakness"} & complications \
                    and "methylprednisolone_iv_pulse" in by_id \
                    and "methylprednisolone_iv_pulse" not in current \
                    and "methylprednisolone_iv_pulse" not in held:
                # severe dysphagia or respiratory weakness on oral treatment: IV pulses, and the
                # glucocorticoid by vein or tube while swallowing is unsafe (BSR 2022; review A:
                # nil by mouth with aspiration, oral prednisolone continued)
                first.append("add " + _with_caveat(by_id["methylprednisolone_iv_pulse"])
                             + " (severe dysphagia or respiratory weakness; while swallowing is "
                             "unsafe, give the glucocorticoid IV or by nasogastric tube)")
            if jdm and "severe_jdm" in complications:
                # severe JDM active on treatment: IV pulses and IVIG now (SHARE 2017; specialist
                # review Y: a 4-year-old with CMAS 18, dysphagia and abdominal pain on oral
                # prednisolone alone)
                for therapy in ("methylprednisolone_iv_pulse", "ivig"):
                    option = by_id.get(therapy)
                    if option is not None and therapy not in current and therapy not in held \
                            and not any(option.name in f for f in first):
                        first.append(f"add {_with_caveat(option)}")
            alternatives = [_with_caveat(o) + (" (once the oncology plan is agreed)"
                                               if cancer_waits else "")
                            for o in sparing[0 if cancer_waits else 1:] if o not in early]
            if not first:
                first = ["No current treatment recorded"]
        # only a withheld IVIG changes the IMNM sentence; one merely not offered in this state
        # does not (review C: "IVIG is withheld" printed when nothing withheld it)
        decision = _decision(muscle, jdm, phenotypes, complications, gc_now,
                             ivig_available="ivig" not in withheld_ids and "ivig" not in held)
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
        out.append(Regimen(domain="muscle", state=muscle, first_choice=first,
                           alternatives=alternatives, decision_point=decision,
                           provisional=provisional))
    skin = state.of("skin")
    if skin not in ("not_involved", "remission"):
        key = "refractory_skin" if skin == "inadequate_response" else "skin_disease"
        # while the lung regimen is escalating, its agents treat the skin too: a conventional
        # agent added for the skin alone adds marrow and lung toxicity (specialist review T:
        # methotrexate beside pulses, tacrolimus and cyclophosphamide in anti-MDA5 RP-ILD)
        # the same while the muscle regimen is treating active disease (specialist review T:
        # methotrexate for the skin during checkpoint-inhibitor myositis induction)
        treating_elsewhere = any(state.of(d) in ("new_onset", "active", "flare",
                                                 "inadequate_response")
                                 for d in ("lung", "muscle"))
        skin_opts = _pick(sorted([o for o in options if key in o.complications
                                  and o.therapy not in current
                                  and not (treating_elsewhere and (
                                      kb.therapies[o.therapy].category
                                      == "conventional_immunosuppressant"
                                      or o.therapy in SKIN_LAST))],
                                 # at equal evidence, the refractory order (IVIG, with a
                                 # published phase 3 trial, before newer agents)
                                 # corticotropin adds glucocorticoid exposure: last (review
                                 # B: it led while the plan asked for a steroid taper)
                                 key=lambda o: (o.therapy in SKIN_LAST,
                                                -EVIDENCE_ORDER[o.evidence_level],
                                                REFRACTORY.index(o.therapy)
                                                if o.therapy in REFRACTORY
                                                else len(REFRACTORY))))
        if key == "refractory_skin" and not treating_elsewhere:
            # skin refractory to an antimalarial alone: methotrexate (or mycophenolate) comes
            # before IVIG and the newer agents (review B: IVIG first for amyopathic DM after
            # hydroxychloroquine alone; ProDERM excluded amyopathic DM)
            conventional = [o for o in options if o.therapy in SKIN_CONVENTIONAL
                            and o.therapy not in current and o.therapy not in held]
            if conventional and all(o.previously is None for o in conventional):
                first_agent = sorted(conventional,
                                     key=lambda o: SKIN_CONVENTIONAL.index(o.therapy))[0]
                skin_opts = [first_agent,
                             *[o for o in skin_opts if o.therapy != first_agent.therapy]]
        # a conventional agent taken now is the muscle regimen's to continue: with the skin
        # still active on it, it is not 'continued' as the skin treatment (re-score of review
        # S: methotrexate for 18 months, skin worse, offered again as the skin's first choice)
        continuing_opts = [o for o in options if key in o.complications
                           and o.therapy in current and o.therapy not in held
                           and kb.therapies[o.therapy].category
                           != "conventional_immunosuppressant"][:1]
        continuing = [f"Continue {o.name}" for o in continuing_opts]
        # one new agent at a time for refractory skin; first-line skin care pairs two
        new_count = max(0, (1 if skin == "inadequate_response" else 2) - len(continuing))
        skin_basis = next(d.basis for d in state.domains if d.domain == "skin")
        if skin == "active" and any("failed" in b or "not tolerated" in b for b in skin_basis):
            new_count = 2  # the agent taken now has not worked: add, do not only continue
            # and it is not 'continued' as if it worked (specialist review X)
            failed_text = " ".join(skin_basis).lower()
            continuing = [c.replace("Continue ", "Review ", 1)
                          + " (no response: stop it, or keep it only beside the next agent)"
                          if o.therapy.replace("_", " ") in failed_text
                          or o.name.lower() in failed_text else c
                          for c, o in zip(continuing, continuing_opts, strict=True)]
        ulcers = ["systemic treatment for ulcerating (vasculopathic) skin disease, as in the "
                  "muscle or lung regimen, with wound care"] if "skin_ulceration" in \
            complications else []
        if ulcers and state.of("muscle") in ("not_involved", "remission") \
                and state.of("lung") == "not_involved":
            # no muscle or lung regimen to point to (specialist review W: anti-MDA5 skin
            # ulcers given hydroxychloroquine alone): name the systemic agents here, from the
            # options this patient may have (breastfeeding and pregnancy already applied)
            systemic = _names(_ranked([
                o for o in _usable(options) if o.therapy not in held
                and kb.therapies[o.therapy].category in ("conventional_immunosuppressant",
                                                         "immunoglobulin")], False)[:3])
            if not systemic:
                # none offered in this state (amyopathic anti-MDA5 without ILD): name the
                # usual agents from the knowledge base (review C: no drug named at all);
                # tacrolimus alone in pregnancy (mycophenolate is a teratogen)
                candidates = (["tacrolimus"] if pregnant else
                              ["mycophenolate", "tacrolimus"] if "anti_mda5" in complications
                              else ["methotrexate", "mycophenolate"])
                systemic = [kb.therapies[t].name for t in candidates
                            if t in kb.therapies and t not in held]
            ulcers = ["systemic treatment for ulcerating (vasculopathic) skin disease: "
                      "prednisolone 0.5-1 mg/kg/day with a steroid-sparing agent"
                      + (f" ({' or '.join(systemic)})" if systemic else "")
                      + ", with wound care"]
        if skin == "stable":
            # inactive skin: keep what is taken (antimalarial, topical), add nothing
            continuing = [f"Continue {kb.therapies[t].name}" for t in sorted(current)
                          if t in kb.therapies and t not in held
                          and kb.therapies[t].category in ("antimalarial", "topical")]
            new_count = 0
        if skin == "inadequate_response" and treating_elsewhere \
                and state.of("muscle") in ("inadequate_response", "flare"):
            # the muscle is escalating: its new systemic agent treats the skin too, and no
            # skin-only systemic agent is added beside it (review B: corticotropin, then an
            # investigational agent, led the skin while rituximab was started for muscle)
            continuing = ["the new systemic agent of the muscle regimen treats the skin too: "
                          "reassess the skin after it", *continuing]
            new_count = 0
        first_skin = ulcers + continuing + _names(skin_opts[:new_count])
        if skin == "stable" and not first_skin:
            first_skin = ["no skin-directed treatment needed while the skin is inactive"]
        topical = next((o for o in options if o.therapy == "topical_corticosteroids"
                        and o.therapy not in current and o.therapy not in held), None)
        # a topical steroid impairs the healing of open ulcers (specialist review N)
        if topical is not None and skin in ("new_onset", "active", "flare") and not ulcers \
                and topical.name not in first_skin:
            first_skin.append(f"{topical.name} (adjunct)")  # first-line local therapy
        out.append(Regimen(domain="skin", state=skin,
                           first_choice=first_skin,
                           # the evidence travels with a weak alternative (review E:
                           # dazukibart and naltrexone listed like licensed agents)
                           alternatives=list(dict.fromkeys(
                               _evidence_tag(o) for o in skin_opts[new_count:new_count + 5]
                               if not (topical and o.name == topical.name))),
                           decision_point=("Skin activity (CAT or DAS skin score in JDM) at each "
                                           "visit" if jdm else "Skin activity (CDASI) at each "
                                           "visit") + "; active skin despite two systemic "
                                                      "agents: refractory-skin options.",
                           provisional=provisional))
    lung = state.of("lung")
    if lung != "not_involved":
        key = "rp_ild" if "rp_ild" in complications else "ild"
        # ACR/CHEST 2023 advise against methotrexate for ILD: never offered as a lung agent
        # JAK inhibitors for ILD rest on anti-MDA5 evidence: not extrapolated to other ILD
        # (specialist review M: scleroderma-overlap ILD)
        not_for_lung = {"methotrexate"} | (set() if "anti_mda5" in complications else {
            o.therapy for o in options if kb.therapies[o.therapy].category == "jak_inhibitor"})
        lung_opts = [o for o in options if key in o.complications
                     and o.therapy not in not_for_lung] or [
            o for o in options if "ild" in o.complications and o.therapy not in not_for_lung]
        # ILD without muscle disease: a glucocorticoid course alongside the steroid-sparing
        # agent (ACR/CHEST 2023, not in SSc); with muscle disease the muscle regimen brings it
        bridge = next((o for o in lung_opts if o.therapy in GLUCOCORTICOIDS), None) \
            if key == "ild" and lung in ("new_onset", "flare") \
            and state.of("muscle") == "not_involved" and not current & GLUCOCORTICOIDS else None
        if key == "ild":
            lung_opts = [o for o in lung_opts if o.therapy not in GLUCOCORTICOIDS]
        lung_opts = sorted(lung_opts, key=lambda o: RP_ILD.index(o.therapy)
                           if o.therapy in RP_ILD else len(RP_ILD)) if key == "rp_ild" \
            else _ranked(lung_opts, True)
        if lung == "inadequate_response":
            # escalate: an agent not taken now or before, rituximab or a calcineurin
            # inhibitor first; nintedanib added for progressive fibrosis. (Possibly) rapidly
            # progressive ILD keeps its own order - pulses, tacrolimus, cyclophosphamide as in
            # Tsuji 2020 - rather than leading with rituximab (specialist review X)
            lung_opts = [o for o in lung_opts if o.therapy not in current
                         and o.previously is None]
            if key != "rp_ild":
                lung_opts = sorted(lung_opts, key=lambda o: ESCALATE_ILD.index(o.therapy)
                                   if o.therapy in ESCALATE_ILD else len(ESCALATE_ILD))
        lung_opts = _pick(lung_opts) if key != "rp_ild" else (
            # RP-ILD keeps its order, but not an agent recorded as failed or being stopped
            # (review D: tacrolimus recorded ineffective, stopped above, proposed again below)
            [o for o in lung_opts if o.previously not in FAILED and o.therapy not in held]
            or lung_opts)
        if key == "rp_ild":
            # IV glucocorticoid pulses lead the RP-ILD regimen unless already given (ACR/CHEST
            # 2023, as the decision point says; specialist review P)
            lung_opts = sorted(lung_opts, key=lambda o: o.therapy != "methylprednisolone_iv_pulse"
                               or o.therapy in current)
        if any("Compatible with pregnancy" in label for o in lung_opts for label in o.labels):
            # pregnant: curated pregnancy-compatible agents (IVIG, tacrolimus) come first
            lung_opts = sorted(lung_opts, key=lambda o: not any(
                "Compatible with pregnancy" in label for label in o.labels))
        # RP-ILD: IV glucocorticoids plus two further agents - never three further agents
        # when the pulses are not among the new options (specialist review X)
        count = (2 + any(o.therapy in GLUCOCORTICOIDS for o in lung_opts[:1])
                 if key == "rp_ild" else 1)
        first = _names(lung_opts[:count]) or (
            # nothing new can be added now (withheld or all tried): keep what is taken
            [_continue(kb.therapies[t].name, review.get(t)) for t in keep
             if t not in held] + [_continue(kb.therapies[t].name, review.get(t))
                                  for t in sorted(current) if t in kb.therapies
                                  and t not in held
                                  and kb.therapies[t].category == "antifibrotic"]
            if lung == "inadequate_response" else []) or [
            "ILD specialist review: no curated option for this subgroup and state"]
        if bridge is not None and first and not first[0].startswith("ILD specialist"):
            first = _names([bridge]) + first
        pulses = by_id.get("methylprednisolone_iv_pulse")
        if key == "ild" and "hypoxaemic_ild" in complications and pulses is not None \
                and lung in ("new_onset", "active", "flare") \
                and pulses.therapy not in current and pulses.therapy not in held \
                and not any(pulses.name in f for f in first):
            # ILD needing oxygen at rest: IV pulses first, as in severe disease (review A:
            # oxygen at rest with suspected heart involvement, prednisolone and MMF only)
            first = [_with_caveat(pulses) + " (ILD needing oxygen)", *first]
        lung_keep = keep + [t for t in sorted(current) if t in kb.therapies and t not in held
                            and kb.therapies[t].category == "antifibrotic"]
        if lung == "stable":
            first = [_continue(kb.therapies[t].name, review.get(t)) for t in lung_keep] or first
            if lung_keep and set(lung_keep) <= GLUCOCORTICOIDS:
                # glucocorticoids alone are no maintenance for ILD: the steroid-sparing agent
                # for the lung is named (specialist review Z: 'continue prednisolone' alone)
                sparing_lung = _ranked([o for o in _usable(options) if "ild" in o.complications
                                        and o.therapy not in GLUCOCORTICOIDS
                                        and o.therapy not in held
                                        and o.therapy not in not_for_lung], True)[:1]
                first += [f"add {_with_caveat(o)} (glucocorticoids alone do not maintain ILD "
                          "control)" for o in sparing_lung]
            # stable on treatment: no new agent is an alternative (review Q: cyclophosphamide
            # and tofacitinib listed for anti-MDA5 ILD in remission)
            lung_opts = [] if lung_keep else [o for o in lung_opts if o.therapy not in current]
        if "progressive_fibrosing_ild" in complications and "nintedanib" in by_id \
                and key != "rp_ild" and lung == "inadequate_response":
            # worse together with a muscle flare is inflammatory activity until HRCT shows
            # fibrosis progressing (specialist review I: nintedanib first beside rituximab
            # for an NSIP relapse during the taper; ACR/CHEST 2023 keeps it for progressive
            # fibrosis despite immunosuppression)
            first.append("add " + by_id["nintedanib"].name + (
                " if HRCT shows fibrosis progressing (not inflammation that the escalation "
                "treats)" if muscle == "flare" else ""))
        text = ("Rapidly progressive ILD: IV glucocorticoids plus two further agents, in hospital "
                "with ILD specialists (ACR/CHEST 2023); reassess daily to weekly." if key ==
                "rp_ild" else "Lung function (FVC, DLCO) every 3-6 months and HRCT when worse; "
                "progression despite treatment: escalate immunosuppression" + (
                    " and add nintedanib for progressive fibrosis" if "nintedanib" in by_id
                    else (" (nintedanib withheld for this patient)"
                          if "nintedanib" in held else "")) + "; progressive fibrosis: ILD "
                "multidisciplinary review, oxygen assessment, pulmonary rehabilitation and "
                "transplant-centre referral.")
        lung_alternatives = _names([o for o in lung_opts[count:]
                                    if o.therapy != "nintedanib"][:4])
        if infection and key != "rp_ild" and lung in ("active", "flare", "inadequate_response"):
            # a serious infection: treated first, antimetabolites held, nothing added until it
            # is (specialist review F: 'continue mycophenolate + add nintedanib' beside a
            # febrile, hypoxaemic possible Pneumocystis pneumonia)
            held_now = [kb.therapies[t].name for t in lung_keep
                        if kb.therapies[t].category == "conventional_immunosuppressant"
                        and "severe_infection" in complications]
            # IV pulses are a new agent too (review G: pulses first in a septic, hypoxaemic
            # patient with possible Pneumocystis pneumonia)
            pulse_name = kb.therapies["methylprednisolone_iv_pulse"].name \
                if "methylprednisolone_iv_pulse" in kb.therapies else "\x00"
            added = [f[4:] for f in first if f.startswith("add ")] + [
                f.split(" (")[0] for f in first if f.startswith(pulse_name)]
            first = ["treat the infection first; reassess the lung once it is treated (no new "
                     "agent during it)"] + [
                f"Hold {n} while the serious infection is treated, then restart"
                for n in held_now] + [f for f in first if not f.startswith(("add ", pulse_name))
                                      and not any(n in f for n in held_now)]
            lung_alternatives = [f"{a} once the infection is treated" for a in added] \
                + lung_alternatives
        if key == "ild" and "exertional_progressive_ild" in complications \
                and pulses is not None and lung in ("new_onset", "active", "flare") \
                and pulses.therapy not in current and pulses.therapy not in held \
                and not any(pulses.name in f for f in first):
            lung_alternatives.insert(0, _with_caveat(pulses) + " (an option as the ILD progresses "
                                     "with exertional desaturation; first choice with oxygen at "
                                     "rest or rapid progression)")
        out.append(Regimen(domain="lung", state=lung, first_choice=first,
                           alternatives=lung_alternatives,
                           decision_point=text, provisional=provisional))
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
    if "ici_myositis" in complications:
        out = [_ici_regimen(r, options, complications, provisional) if r.domain == "muscle"
               else r for r in out]
    if "calcinosis" in complications:
        # calcinosis has its own options (sodium thiosulfate, bisphosphonates, surgery...):
        # shown in the approach, not only in the detail (specialist review Q: progressive
        # ulcerated calcinosis in JDM)
        calc_opts = sorted([o for o in options if "calcinosis" in o.complications
                            and o.line in ("complication", "adjunct")],
                           key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                                          CALCINOSIS_ORDER.index(o.therapy)
                                          if o.therapy in CALCINOSIS_ORDER
                                          else len(CALCINOSIS_ORDER)))
        quiet = muscle in ("remission", "stable") and state.of("skin") in (
            "remission", "stable", "not_involved")
        watched = "calcinosis_intact" in complications and quiet
        if calc_opts and (watched or "calcinosis_minor" in complications):
            # intact deposits in quiet disease, or small intact ones in active disease (the
            # disease is treated): watched, not drugged (review C; review E: sodium thiosulfate
            # first for one 6 mm nodule)
            out.append(Regimen(
                domain="calcinosis", state="present",
                first_choice=["observe: intact deposits in quiet disease need no "
                              "calcinosis-specific drug unless they hurt or limit function"
                              if watched else
                              "control of disease activity (the regimens above); small intact "
                              "deposits need no calcinosis-specific drug yet"],
                alternatives=[f"{n} if deposits grow, ulcerate or hurt"
                              for n in _names(calc_opts[:2])],
                decision_point="Measure or photograph lesions at each visit; treat when they "
                               "grow, ulcerate, become infected or limit function"
                               + ("." if watched else "; in JDM, early control of the disease "
                                  "is the main prevention."),
                provisional=provisional))
        elif calc_opts:
            out.append(Regimen(
                domain="calcinosis", state="present",
                first_choice=["control of disease activity (the regimens above)",
                              *_names(calc_opts[:1])],
                alternatives=_names(calc_opts[1:5]),
                decision_point="Measure or photograph lesions at each visit; ulcers: wound "
                               "care, antibiotics only when infected; surgery for a "
                               "localised painful or functionally limiting deposit; in JDM, "
                               "early control of the disease is the main prevention.",
                provisional=provisional))
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
    return _one_regimen_across_domains(out, options, kb)


# Drugs of one class are not combined across domains (two calcineurin inhibitors, two JAK
# inhibitors): the first domain that names one keeps it, the others are told it covers them.
CLASSES = {"tacrolimus": "calcineurin inhibitor", "ciclosporin": "calcineurin inhibitor",
           "tofacitinib": "JAK inhibitor", "baricitinib": "JAK inhibitor",
           "ruxolitinib": "JAK inhibitor", "upadacitinib": "JAK inhibitor",
           "brepocitinib": "JAK inhibitor"}
DOMAIN_ORDER = {"lung": 0, "muscle": 1, "skin": 2}


def _one_regimen_across_domains(regimens: list[Regimen], options: list[Option],
                                kb: KnowledgeBase) -> list[Regimen]:
    names = {o.name: o.therapy for o in options}
    lung = next((r for r in regimens if r.domain == "lung"), None)
    if lung is not None and len([e for e in lung.first_choice if e in names]) >= 3:
        # an intensive lung regimen (RP-ILD) already immunosuppresses the muscle: no extra
        # steroid-sparing agent or second glucocorticoid for the muscle on top of it
        immunosuppressive = set(kb.group_members("immunosuppressive"))
        regimens = [r.model_copy(update={"first_choice": [
            e for e in r.first_choice
            if names.get(e.removeprefix("add ").split(" (caution")[0]) not in immunosuppressive
        ] + ["immunosuppression as in the lung regimen"], "alternatives": []})
            if r.domain == "muscle" else r for r in regimens]
    chosen: dict[str, tuple[str, str]] = {}  # class or therapy -> (name, domain)
    out: dict[int, Regimen] = {}
    for index, regimen in sorted(enumerate(regimens),
                                 key=lambda p: DOMAIN_ORDER.get(p[1].domain, 3)):
        first: list[str] = []
        for entry in regimen.first_choice:
            bare = entry.removeprefix("add ").split(" (caution")[0]
            therapy = names.get(bare)
            key = CLASSES.get(therapy or "", therapy or "")
            if therapy and key in chosen and chosen[key][1] != regimen.domain:
                name, domain = chosen[key]
                first.append(f"{name} (also covers {regimen.domain}; chosen for {domain})"
                             if name == bare else
                             f"no second {key}: {name} is chosen for {domain}")
                continue
            if therapy:
                chosen.setdefault(key, (bare, regimen.domain))
            first.append(entry)
        out[index] = regimen.model_copy(update={"first_choice": first})
    return [out[i] for i in range(len(regimens))]


REMISSION_OFF_GC = ("Remission with no steroid dose to taper: no induction; once it has held "
                    "for about a year, a slow taper of one steroid-sparing drug at a time can be "
                    "discussed, with a written flare plan and the core set (strength, CK, "
                    "skin) every 6-8 weeks during the taper and after the stop; stop one drug "
                    "at a time.")


REMISSION_WITH_ILD = ("Muscle in remission with ILD: the lung decides - any reduction of a drug "
                      "that also treats the lung is agreed with the ILD team, in steps, rarely to "
                      "zero (antisynthetase and anti-MDA5 ILD relapse often); FVC and DLCO before "
                      "each step and 3 months after; a relative fall of 10 % in FVC or 15 % in "
                      "DLCO, or new symptoms, returns to the previous dose.")
ICI_DECISION = ("Checkpoint-inhibitor myositis (ASCO 2021): grade 2, prednisone 0.5-1 mg/kg/day; "
                "grade 3-4, myocarditis or myasthenic (bulbar, ptosis, breathing) features: IV "
                "methylprednisolone 1 g/day for 3-5 days with IVIG or plasma exchange, in hospital "
                "with troponin and CK daily; stop the checkpoint inhibitor permanently with "
                "myocarditis or grade 3-4 disease; taper over at least 4-6 weeks once improving; "
                "conventional steroid-sparing agents are not first-line.")


def _ici_regimen(muscle: Regimen, options: list[Option], complications: set[str],
                 provisional: bool) -> Regimen:
    """The muscle regimen for myositis caused by a checkpoint inhibitor: glucocorticoids (IV
    pulses when severe) with IVIG or plasma exchange, never a conventional steroid-sparing
    agent first (specialist review S: azathioprine proposed with metastatic cancer)."""
    by_id = {o.therapy: o for o in options}
    severe = "severe_ici" in complications
    lead = ["methylprednisolone_iv_pulse", "glucocorticoids_oral"] if severe \
        else ["glucocorticoids_oral"]
    rescue = ["ivig", "plasma_exchange"]
    first = [by_id[t].name for t in lead if t in by_id] + (
        [by_id[t].name for t in rescue[:1] if t in by_id] if severe else [])
    alternatives = [by_id[t].name for t in rescue if t in by_id
                    and by_id[t].name not in first]
    return Regimen(domain="muscle", state=muscle.state,
                   first_choice=first or ["glucocorticoids with oncology (none offered here: "
                                          "see the withheld list)"],
                   alternatives=alternatives, decision_point=ICI_DECISION,
                   provisional=provisional)


def _decision(state: str, jdm: bool, phenotypes: list[str], complications: set[str],
              gc_now: float | None = None, ivig_available: bool = True) -> str:
    """The decision point for the muscle state; in remission off glucocorticoids it says how
    a steroid-sparing drug is withdrawn (specialist review R: a patient in long remission asking
    to stop was told to wait for 'sustained remission'). The withdrawal steps are common
    practice; no myositis guideline fixes them."""
    if jdm and state in ("new_onset", "active", "flare"):
        return (SEVERE_JDM if "severe_jdm" in complications else "") + JDM_DECISION
    if jdm and state == "remission":
        return JDM_REMISSION
    if "imnm" in phenotypes and state in ("new_onset", "active", "flare"):
        hmgcr = ("anti-HMGCR, IVIG early and statins stopped" if ivig_available else
                 "anti-HMGCR, statins stopped; IVIG is withheld for this patient, so "
                 "glucocorticoids with a conventional agent, and rituximab when that is not "
                 "enough")
        return (f"IMNM (ENMC 224 as summarised): {hmgcr}; anti-SRP, rituximab early; "
                "reassess strength and CK every 4-8 weeks; not improving by 6 months: "
                "escalate.")
    if state == "remission" and "ild" in complications:
        # specialist review X: stable antisynthetase ILD on mycophenolate invited to taper
        # 'one steroid-sparing drug at a time' as if the drug treated the muscle alone
        return ("Taper glucocorticoids to stop first. " if gc_now else "") + REMISSION_WITH_ILD
    if state == "remission" and gc_now == 0:
        return REMISSION_OFF_GC
    return DECISION.get(state, "")

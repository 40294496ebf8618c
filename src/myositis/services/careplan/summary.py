"""The one-screen summary: what to do now, the regimen for the current state, what is unknown.

Everything here is arranged from the plan's own parts (flags, fired rules, options, screening),
so the summary never says anything the cited detail does not.
"""

from __future__ import annotations

import datetime as dt
import re

from myositis.domain.antibodies import ANTISYNTHETASE, Antibody
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.facts import ESTABLISHED_DAYS, Facts, is_current
from myositis.services.careplan.model import (
    Action,
    CancerScreening,
    Flag,
    MonitoringItem,
    Option,
    Regimen,
    SharedCheck,
)
from myositis.services.careplan.options import HYDRATION
from myositis.services.careplan.rules import Firing
from myositis.services.state import DiseaseState

SEVERITY_URGENCY = {"urgent": "urgent", "high": "soon", "moderate": "soon", "low": "routine"}
ADULT_ONLY_CHECKS = ("giop_bone_protection",)  # its statement is for adults (FRAX from 40)
SHARED_CHECKS = ("hbv_screening", "tb_screening", "tpmt_nudt15", "vaccination",
                 "pjp_prophylaxis", "giop_bone_protection")
MONITOR_WEEKS = {"methotrexate": 12, "azathioprine": 12, "mycophenolate": 12, "leflunomide": 12,
                 "tacrolimus": 12, "ciclosporin": 12, "cyclophosphamide": 4, "rituximab": 24,
                 "hydroxychloroquine": 52, "ivig": 4, "tofacitinib": 12, "baricitinib": 12,
                 "upadacitinib": 12, "brepocitinib": 12}
TROUGH_RECHECK_NG_ML = 15  # as the tacrolimus_trough_high rule
MONITOR_LABS = ("wbc", "neutrophils", "alt", "creatinine", "egfr", "haemoglobin")
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
    "remission": "No induction treatment; taper glucocorticoids first; consider slow taper of "
                 "steroid-sparing treatment only after sustained remission; watch for flare.",
}
JDM_REMISSION = ("JDM in remission: stop glucocorticoids first; once remission has held off "
                 "glucocorticoids (usually for at least a year), discuss with the family "
                 "tapering and stopping methotrexate; review for flare, calcinosis and growth "
                 "at each visit.")
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


def do_now(flags: list[Flag], firings: list[Firing], screening: CancerScreening,
           kb: KnowledgeBase, state: DiseaseState | None = None,
           child: bool = False) -> list[Action]:
    actions: dict[str, Action] = {}
    if state is not None and state.worsening_vs_previous and state.of("muscle") == "flare":
        # untreated worsening is raised by the worse_before_treatment flag instead
        actions["flare"] = Action(
            code="flare", urgency="urgent",
            text="Flare against the previous visit (" + state.worsening_vs_previous + "): "
                 "re-escalate, check adherence, "
                 + ("infection and other triggers; " if child
                    else "infection, statins and other triggers; ")
                 + ("re-check lung, swallowing and, in the first 3 years, cancer screening."
                    if screening.applicable else "re-check lung and swallowing."),
            kb_entry="imacs_worsening_2005", citations=["oldroyd2022_bsr"])
    for flag in flags:
        if flag.urgency == "urgent" and flag.code not in actions:
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
    for superseded, by in (("pjp_prophylaxis_mda5", "pjp_prophylaxis_due_glucocorticoid_dose"),
                           ("pjp_prophylaxis_soon", "pjp_prophylaxis_due_glucocorticoid_dose"),
                           ("pjp_prophylaxis_soon", "pjp_prophylaxis_mda5")):
        if by in actions:
            actions.pop(superseded, None)
    if screening.applicable and screening.tests_due:
        # an urgent problem (RP-ILD, respiratory weakness) comes first: screening follows
        # once the patient is stable, except tests a red flag asks for now
        critical = any(f.urgency == "urgent" for f in flags)
        actions["cancer_screening_due"] = Action(
            code="cancer_screening_due",
            urgency="soon" if screening.risk in ("high", "moderate") and not critical
            else "routine",
            text=f"Cancer screening due (IMACS 2023, {screening.risk} risk): "
                 f"{len(screening.tests_due)} tests not yet recorded as done"
                 + ("; once the urgent problem is stabilised." if critical else "."),
            kb_entry="cancer_screening", citations=list(screening.citations[:2]))
    order = {"urgent": 0, "soon": 1, "routine": 2}
    return sorted(actions.values(), key=lambda a: order[a.urgency])


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
    never leads when one without exists."""
    return sorted(options, key=lambda o: (o.previously != "effective",
                                          any(c.severity in ("high", "absolute")
                                              for c in o.cautions)))


def headline(text: str) -> str:
    """The finding a caution opens with ("HBsAg positive", "ALT 6 x ULN"), not its advice,
    which the option's full entry and the do-now line give."""
    head = re.split(r"[:;]", text, maxsplit=1)[0].strip()
    while head.count("(") > head.count(")"):  # never an unclosed bracket (review Q)
        head = head[:head.rindex("(")].strip()
    return head


def _with_caveat(option: Option) -> str:
    high = [c for c in option.cautions if c.severity in ("high", "absolute")]
    return option.name + (f" (caution: {headline(high[0].text)})" if high else "")


KEEP = "keep:"
"""Marks a concern about a drug taken now that keeps the drug (rule ``when_taken: continue``)."""


def _continue(name: str, concern: str | None, verb: str = "Continue") -> str:
    """'Continue X', 'Continue X (note: concern)' when a rule adds an action to a drug to keep,
    or 'Review X now' when a rule questions the drug itself."""
    if concern and concern.startswith(KEEP):
        return f"{verb} {name} (note: {concern.removeprefix(KEEP)})"
    return f"Review {name} now ({concern})" if concern else f"{verb} {name}"


def _pick(options: list[Option]) -> list[Option]:
    """Usable options first; failing that, any not recorded as failed (review T: a
    hydroxychloroquine recorded as ineffective led the skin regimen); only then the rest."""
    return _safest_first(_usable(options)) or _safest_first(
        [o for o in options if o.previously not in FAILED]) or _safest_first(options)


def regimens(state: DiseaseState, options: list[Option], phenotypes: list[str],
             complications: set[str], current: frozenset[str], kb: KnowledgeBase,
             provisional: bool, held: dict[str, str] | None = None,
             review: dict[str, str] | None = None,
             gc_now: float | None = None) -> list[Regimen]:
    """The approach per domain for the current state, built only from offered options (never
    from withheld or not-recommended ones), with urgent phenotypes leading."""
    held = held or {}
    review = review or {}
    out: list[Regimen] = []
    muscle = state.of("muscle")
    jdm = "jdm" in phenotypes
    ild = "ild" in complications
    general = [o for o in options if o.general_use and o.line != "adjunct"]
    by_id = {o.therapy: o for o in options}
    stop = [f"Stop {kb.therapies[t].name}: {held[t]}" for t in sorted(current) if t in held
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
            "Exercise and physiotherapy programme",
            "Swallowing assessment and therapy (videofluoroscopy; for a cricopharyngeal bar, "
            "dilatation, botulinum toxin or myotomy; gastrostomy with weight loss or aspiration)",
            "Falls prevention, orthoses and mobility aids (knee-ankle-foot orthosis for "
            "quadriceps weakness), with bone health after falls"],
            alternatives=["Clinical trial"],
            decision_point="Review function (IBM-FRS), swallowing, FVC and falls every 6-12 "
                           "months; no immunosuppression (not effective in IBM); anti-cN1A "
                           "supports the diagnosis but is not required; HCV and HIV serology "
                           "once (associated with an IBM-like myopathy).",
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
        if ({"imnm_statin", "severe_dysphagia", "severe_imnm"} & complications) \
                and "ivig" in by_id and "ivig" not in held:
            early.append(by_id["ivig"])
        early = [o for o in early if o.previously not in FAILED and o.therapy not in current]
        urgent = bool({"rp_ild", "severe_dysphagia", "respiratory_weakness",
                       "severe_jdm"} & complications)
        if urgent and "methylprednisolone_iv_pulse" in by_id:
            gc = [by_id["methylprednisolone_iv_pulse"], *gc]
        if muscle in ("new_onset", "flare", "unknown"):
            # skin-only agents (antimalarials, topicals) are the skin regimen's to continue
            first = ([_continue(kb.therapies[t].name, review.get(t)) for t in keep
                      if kb.therapies[t].category not in ("antimalarial", "topical")]
                     if muscle == "flare" else [])
            if not on_gc:
                # IV pulses are followed by daily oral glucocorticoid: name both
                first += [_with_caveat(o) for o in gc[:2 if gc and gc[0].therapy ==
                                                      "methylprednisolone_iv_pulse" else 1]]
            elif muscle == "flare":
                first.append("re-escalate the glucocorticoid dose")
            # at most two immunosuppressants besides the glucocorticoid and IVIG: with early
            # rituximab the conventional agent waits among the alternatives
            biologic_early = any(o.therapy == "rituximab" for o in early)
            add_sparing = not (on_sparing and muscle == "flare") and not biologic_early
            first += [_with_caveat(o) for o in early] + (
                [_with_caveat(o) for o in sparing[:1]] if add_sparing else [])
            alternatives = [_with_caveat(o) for o in sparing[0 if biologic_early else 1:]
                            if o not in early]
            pregnant = any("Compatible with pregnancy" in label for o in options
                           for label in o.labels)
            if pregnant and muscle == "flare" and "ivig" not in current \
                    and "ivig" not in held:
                # in pregnancy IVIG is the quick, compatible escalation (pregnancy rules)
                first.append("add intravenous immunoglobulin for a significant flare "
                             "(compatible with pregnancy, quick to act)")
            if jdm and "severe_jdm" in complications:
                # severe JDM (ulceration, gut vasculopathy, dysphagia, respiratory): IV
                # methylprednisolone and IVIG now, cyclophosphamide as the next step, with an
                # expert centre (SHARE 2017; specialist review N)
                first = [f for f in first if f != "re-escalate the glucocorticoid dose"]
                for therapy in ("methylprednisolone_iv_pulse", "ivig"):
                    option = by_id.get(therapy)
                    if option is not None and therapy not in current and therapy not in held \
                            and _with_caveat(option) not in first:
                        first.append(_with_caveat(option))
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
            lung_active = state.of("lung") in ("new_onset", "active", "flare",
                                               "inadequate_response")
            if on_gc:
                first.insert(0, ("Glucocorticoids as the lung regimen requires (no taper for "
                                 "the muscle's sake while the lung is active)" if lung_active
                                 else "Taper glucocorticoids to the lowest dose the lung "
                                 "treatment allows" if ild
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
            first = [_continue(kb.therapies[t].name, review.get(t), "Continue and optimise")
                     + (f" (now {gc_now:g} mg/day; taper as the response allows, aiming for "
                        "7.5 mg/day or less by 6 months)"
                        if kb.therapies[t].category == "glucocorticoid" and gc_now
                        and gc_now > 7.5 and not review.get(t) else "")
                     for t in keep]
            if not on_sparing:
                first += _names(early) + [f"add {_with_caveat(o)}" for o in sparing[:1]]
            elif {"severe_dysphagia", "respiratory_weakness", "severe_imnm"} & complications:
                # organ-threatening weakness on treatment: IVIG is added, not kept for later
                first += [f"add {_with_caveat(o)}" for o in early]
            alternatives = [_with_caveat(o) for o in sparing[1:] if o not in early]
            if not first:
                first = ["No current treatment recorded"]
        decision = _decision(muscle, jdm, phenotypes, complications, gc_now)
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
        skin_opts = _pick(sorted([o for o in options if key in o.complications
                                  and o.therapy not in current],
                                 # at equal evidence, the refractory order (IVIG, with a
                                 # published phase 3 trial, before newer agents)
                                 key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                                                REFRACTORY.index(o.therapy)
                                                if o.therapy in REFRACTORY
                                                else len(REFRACTORY))))
        continuing = [f"Continue {o.name}" for o in options
                      if key in o.complications and o.therapy in current
                      and o.therapy not in held][:1]
        # one new agent at a time for refractory skin; first-line skin care pairs two
        new_count = max(0, (1 if skin == "inadequate_response" else 2) - len(continuing))
        skin_basis = next(d.basis for d in state.domains if d.domain == "skin")
        if skin == "active" and any("failed" in b for b in skin_basis):
            new_count = 2  # the agent taken now has not worked: add, do not only continue
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
            ulcers = ["systemic treatment for ulcerating (vasculopathic) skin disease: "
                      "glucocorticoids with a steroid-sparing agent"
                      + (f" ({', '.join(systemic)})" if systemic else "")
                      + ", with wound care"]
        if skin == "stable":
            # inactive skin: keep what is taken (antimalarial, topical), add nothing
            continuing = [f"Continue {kb.therapies[t].name}" for t in sorted(current)
                          if t in kb.therapies and t not in held
                          and kb.therapies[t].category in ("antimalarial", "topical")]
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
                           alternatives=[n for n in _names(skin_opts[new_count:new_count + 5])
                                         if not (topical and n == topical.name)],
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
            # inhibitor first; nintedanib added for progressive fibrosis
            lung_opts = sorted([o for o in lung_opts if o.therapy not in current
                                and o.previously is None],
                               key=lambda o: ESCALATE_ILD.index(o.therapy)
                               if o.therapy in ESCALATE_ILD else len(ESCALATE_ILD))
        lung_opts = _pick(lung_opts) if key != "rp_ild" else lung_opts
        if key == "rp_ild":
            # IV glucocorticoid pulses lead the RP-ILD regimen unless already given (ACR/CHEST
            # 2023, as the decision point says; specialist review P)
            lung_opts = sorted(lung_opts, key=lambda o: o.therapy != "methylprednisolone_iv_pulse"
                               or o.therapy in current)
        if any("Compatible with pregnancy" in label for o in lung_opts for label in o.labels):
            # pregnant: curated pregnancy-compatible agents (IVIG, tacrolimus) come first
            lung_opts = sorted(lung_opts, key=lambda o: not any(
                "Compatible with pregnancy" in label for label in o.labels))
        count = 3 if key == "rp_ild" else 1
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
        lung_keep = keep + [t for t in sorted(current) if t in kb.therapies and t not in held
                            and kb.therapies[t].category == "antifibrotic"]
        if lung == "stable":
            first = [_continue(kb.therapies[t].name, review.get(t)) for t in lung_keep] or first
            # stable on treatment: no new agent is an alternative (review Q: cyclophosphamide
            # and tofacitinib listed for anti-MDA5 ILD in remission)
            lung_opts = [] if lung_keep else [o for o in lung_opts if o.therapy not in current]
        if "progressive_fibrosing_ild" in complications and "nintedanib" in by_id \
                and key != "rp_ild" and lung == "inadequate_response":
            first.append("add " + by_id["nintedanib"].name)
        text = ("Rapidly progressive ILD: IV glucocorticoids plus two further agents, in hospital "
                "with ILD specialists (ACR/CHEST 2023); reassess daily to weekly." if key ==
                "rp_ild" else "Lung function (FVC, DLCO) every 3-6 months and HRCT when worse; "
                "progression despite treatment: escalate immunosuppression" + (
                    " and add nintedanib for progressive fibrosis" if "nintedanib" in by_id
                    else (" (nintedanib withheld for this patient)"
                          if "nintedanib" in held else "")) + "; progressive fibrosis: ILD "
                "multidisciplinary review, oxygen assessment, pulmonary rehabilitation and "
                "transplant-centre referral.")
        out.append(Regimen(domain="lung", state=lung, first_choice=first,
                           alternatives=_names([o for o in lung_opts[count:]
                                                if o.therapy != "nintedanib"][:4]),
                           decision_point=text, provisional=provisional))
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
        if calc_opts:
            out.append(Regimen(
                domain="calcinosis", state="present",
                first_choice=["control of disease activity (the regimens above)",
                              *_names(calc_opts[:1])],
                alternatives=_names(calc_opts[1:5]),
                decision_point="Measure or photograph lesions at each visit; ulcerated or "
                               "infected lesions: wound care and antibiotics; surgery for a "
                               "localised painful or functionally limiting deposit; in JDM, "
                               "early control of the disease is the main prevention.",
                provisional=provisional))
    if stop:
        out.insert(0, Regimen(domain="treatment changes", state="now", first_choice=stop,
                              alternatives=[], decision_point="The reason and source of each "
                              "change are in the withheld list below.",
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
              gc_now: float | None = None) -> str:
    """The decision point for the muscle state; in remission off glucocorticoids it says how
    a steroid-sparing drug is withdrawn (specialist review R: a patient in long remission asking
    to stop was told to wait for 'sustained remission'). The withdrawal steps are common
    practice; no myositis guideline fixes them."""
    if jdm and state in ("new_onset", "active", "flare"):
        return (SEVERE_JDM if "severe_jdm" in complications else "") + JDM_DECISION
    if jdm and state == "remission":
        return JDM_REMISSION
    if "imnm" in phenotypes and state in ("new_onset", "active", "flare"):
        return ("IMNM (ENMC 224 as summarised): anti-HMGCR, IVIG early and statins stopped; "
                "anti-SRP, rituximab early; reassess strength and CK every 4-8 weeks; not "
                "improving by 6 months: escalate.")
    if state == "remission" and gc_now == 0:
        return REMISSION_OFF_GC
    return DECISION.get(state, "")


def _already_done(record: PatientRecord | None) -> set[str]:
    """Pre-treatment checks whose results are recorded: not printed again (their findings,
    positive or negative, already drive the Do now rules)."""
    if record is None:
        return set()
    s = record.infection_screening
    done = set()
    if s.hbsag is not None and s.anti_hbc is not None:
        done.add("hbv_screening")
    if s.tb_test is not None or s.latent_tb_treatment is not None:
        done.add("tb_screening")
    if record.immunogenetics.tpmt is not None and record.immunogenetics.nudt15 is not None:
        done.add("tpmt_nudt15")
    # prophylaxis recorded as in place: the plan's rules review it, the generic check would
    # only repeat "add it" (specialist review M)
    if record.prophylaxis.pjp is True or "co_trimoxazole" in record.other_medicines:
        done.add("pjp_prophylaxis")
    if record.prophylaxis.bone_protection is True:
        done.add("giop_bone_protection")
    return done


def shared_checks(options: list[Option], kb: KnowledgeBase,
                  record: PatientRecord | None = None) -> list[SharedCheck]:
    offered = {o.therapy for o in options}
    done = _already_done(record)
    out = []
    child = record is not None and record.age_years() < 18
    # "before starting" is for starts: a drug taken for 3 months or more has passed its
    # pre-treatment checks (specialist review W: TPMT asked for after 3 years of azathioprine);
    # its ongoing checks are in the monitoring table
    established: set[str] = set()
    if record is not None:
        today = record.on()
        established = {t.therapy for t in record.treatments
                       if t.start is not None and (today - t.start).days >= ESTABLISHED_DAYS
                       and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)}
    for item_id in SHARED_CHECKS:
        if item_id in done or (child and item_id in ADULT_ONLY_CHECKS):
            continue
        item = kb.guidance_item(item_id)
        targets = {m for t in item.applies_to for m in kb.group_members(t)}
        drugs = sorted((offered - established) & targets)
        if drugs:
            out.append(SharedCheck(id=item.id, title=item.title, text=item.statement,
                                   therapies=[kb.therapies[d].name for d in drugs],
                                   citations=list(item.sources)))
    return out


EARLY_FORTNIGHTLY = {"methotrexate", "azathioprine", "mycophenolate", "leflunomide"}
ACTIVE_STATES = ("new_onset", "active", "flare", "inadequate_response")


def _disease_monitoring(record: PatientRecord, state: DiseaseState | None,
                        rapid_lung: bool = False, ibm: bool = False,
                        unclassified: bool = False) -> list[MonitoringItem]:
    """Disease activity and lung function reviews with their next dates: every 4-8 weeks while
    a domain is active, every 3-6 months once stable (project schedule from BSR 2022 practice
    and the ILD monitoring interval the plan already uses)."""
    if state is None:
        return []
    today = record.on()
    last_visit = record.visits[-1].date if record.visits else None
    active = any(d.state in ACTIVE_STATES for d in state.domains if d.domain != "lung") \
        and not ibm
    starting = any(d.state in ("new_onset", "flare") for d in state.domains) and not ibm
    # a new diagnosis or a flare is seen again within 2-4 weeks, not at the next routine slot
    # (specialist review M: untreated, worsening, living alone)
    weeks = 3 if starting else 6 if active else (39 if ibm else 16)
    if last_visit is None:
        due = "due now (no visit with core set measures recorded)"
    else:
        when = last_visit + dt.timedelta(weeks=weeks)
        due = ("overdue since " if when < today else "by ") + when.isoformat()
    out = [MonitoringItem(
        therapy="Disease activity",
        text=("Function (IBM-FRS), strength, swallowing, FVC and falls every 6-12 months."
              if ibm else "Review within 2-4 weeks with the work-up results (strength, "
              "swallowing, breathing, enzymes); sooner if weakness, swallowing or breathing "
              "worsen." if unclassified and starting else
              "Core set (MMT-8 or CMAS, enzymes, globals, HAQ, skin score) "
              + ("within 2-4 weeks of starting or re-escalating treatment, then every 4-8 weeks "
                 "while active." if starting else "every 4-8 weeks while active." if active
                 else "every 3-6 months while stable.")),
        next_due=due, citations=["oldroyd2022_bsr", "oddis2005_imacs_trials"])]
    if state.of("lung") != "not_involved":
        lung_date = record.lung.date if record.lung is not None else None
        lung_weeks = 1 if rapid_lung else 16
        lung_due = "due now (no lung function date recorded)" if lung_date is None else (
            ("overdue since " if lung_date + dt.timedelta(weeks=lung_weeks) < today else "by ")
            + (lung_date + dt.timedelta(weeks=lung_weeks)).isoformat())
        out.append(MonitoringItem(
            therapy="Lung",
            text=("Rapidly progressive ILD: oxygen saturation daily, and ferritin, lung function "
                  "and chest imaging every 1-2 weeks in hospital until stable; exclude infection "
                  "(PJP, CMV) before and during escalation." if rapid_lung else
                  "FVC and DLCO every 3-6 months; HRCT when function falls."),
            next_due=lung_due, citations=["johnson2024_acrchest_ild_screening"]))
    elif ild_risk_antibody(record):
        # no ILD yet, but an antisynthetase or anti-MDA5 antibody: lung function keeps being
        # watched after the first year (ACR/CHEST 2023 screening; specialist review M)
        lung_date = record.lung.date if record.lung is not None else None
        # in the first year, and with anti-MDA5 (rapidly progressive ILD mostly comes in the
        # first 6 months), every 3 months, as the flag says (specialist review W: anti-MDA5
        # with skin ulcers given a date 9 months away)
        early = record.months_since_onset < 12 or Antibody.MDA5 in \
            record.all_antibodies().positive()
        weeks = 13 if early else 39
        due = "due now (no lung function date recorded)" if lung_date is None else (
            ("overdue since " if lung_date + dt.timedelta(weeks=weeks) < today else "by ")
            + (lung_date + dt.timedelta(weeks=weeks)).isoformat())
        out.append(MonitoringItem(
            therapy="Lung",
            text=("ILD-risk antibody without ILD, first year or anti-MDA5: FVC and DLCO every 3 "
                  "months (with oxygen saturation at rest and on exertion, and ferritin in "
                  "anti-MDA5), and HRCT at once on a fall or new breathlessness or cough."
                  if early else
                  "ILD-risk antibody without ILD: FVC and DLCO every 6-12 months, and HRCT on "
                  "a fall or new breathlessness or cough."),
            next_due=due, citations=["johnson2024_acrchest_ild_screening"]))
    return out


def ild_risk_antibody(record: PatientRecord) -> bool:
    positive = record.all_antibodies().positive()
    return bool(positive & (ANTISYNTHETASE | {Antibody.MDA5}))


def monitoring(record: PatientRecord, current: frozenset[str], kb: KnowledgeBase,
               state: DiseaseState | None = None, held: frozenset[str] = frozenset(),
               complications: frozenset[str] = frozenset(),
               phenotypes: tuple[str, ...] = (),
               kidney_failure: bool = False) -> list[MonitoringItem]:
    today = record.on()
    lab_dates = [r.date for r in record.lab_results if r.analyte in MONITOR_LABS]
    lab_dates += [v.date for v in record.visits if v.labs.enzymes]
    last = max(lab_dates) if lab_dates else None
    out = []
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None or not therapy.monitoring or therapy_id not in MONITOR_WEEKS \
                or therapy_id in held:
            continue  # a drug the plan stops is not monitored as if continued
        weeks = MONITOR_WEEKS.get(therapy_id, 12)
        started = [t.start for t in record.treatments if t.therapy == therapy_id and t.start]
        days_on = (today - max(started)).days if started else None
        if days_on is not None and days_on < 12 * 7 and therapy_id in EARLY_FORTNIGHTLY:
            weeks = 2  # BSR DMARD monitoring: every 2 weeks until on a stable dose
        elif days_on is not None and days_on < 26 * 7 and therapy_id in EARLY_FORTNIGHTLY:
            weeks = 4  # then monthly for 3 months before 12-weekly (BSR 2017; review O)
        trough = record.latest_lab("tacrolimus_trough") if therapy_id == "tacrolimus" else None
        if therapy_id == "rituximab":
            # the record holds the course start, not each infusion: tie the check to the cycle
            due = "before the next cycle (IgG, IgM, IgA and infection review)"
        elif trough is not None and trough.value >= TROUGH_RECHECK_NG_ML:
            # the do-now line asks for a recheck in 3-7 days: the table agrees (review S)
            due = ("by " + (trough.date + dt.timedelta(days=7)).isoformat()
                   + " (trough above range: trough, creatinine and potassium)")
        elif therapy_id in ("tacrolimus", "ciclosporin") \
                and "azole_antifungal" in record.other_medicines:
            # the calcineurin_azole_recheck rule asks for a recheck within a week: the table
            # agrees (specialist review V: "next by" 12 weeks away on posaconazole)
            due = ("by " + (today + dt.timedelta(days=7)).isoformat()
                   + " (azole taken: trough, creatinine and potassium, then weekly while on it)")
        elif last is None:
            due = "due now (no monitoring result recorded)"
        else:
            when = last + dt.timedelta(weeks=weeks)
            due = ("overdue since " if when < today else "by ") + when.isoformat()
        text = " ".join(m.text for m in therapy.monitoring)
        if kidney_failure:
            text = HYDRATION.sub("", text)  # no pre-hydration on dialysis (review U)
        out.append(MonitoringItem(
            therapy=therapy.name, text=text,
            next_due=due, citations=list(dict.fromkeys(k for m in therapy.monitoring
                                                       for k in m.sources))))
    return _disease_monitoring(record, state, rapid_lung="rp_ild" in complications,
                               ibm="ibm" in phenotypes, unclassified=not phenotypes) + out


def unknowns(facts: Facts, record: PatientRecord, immunosuppression: bool,
             thiopurine_offered: bool = False) -> list[str]:
    """Missing facts that change this plan, so the clinician can supply them."""
    out = []
    if immunosuppression:
        for fact, text in (("hbsag", "HBsAg"), ("anti_hbc", "anti-HBc"),
                           ("latent_tb", "latent TB screen (IGRA/TST)"),
                           ("egfr", "eGFR")):
            if facts.get(fact) is None:
                out.append(text)
        genes = record.immunogenetics
        if facts.get("thiopurine_metabolism") is None and thiopurine_offered:
            out.append("/".join(name for name, value in (("TPMT", genes.tpmt),
                                                         ("NUDT15", genes.nudt15))
                                if value is None) + " (before azathioprine)")
    if facts.get("childbearing_potential") and facts.get("pregnant") is None:
        out.append("pregnancy status")
    if facts.get("childbearing_potential") is None and record.sex == "unknown":
        out.append("sex (sex-specific screening and reproductive advice)")
    if record.weight_kg is None and facts.get("child"):
        out.append("weight (paediatric dosing)")
    if not record.antibodies.tested_any_msa() and not record.antibody_tests:
        out.append("myositis antibodies")
    subgroups = facts.get("subgroups")
    if record.visits and isinstance(subgroups, frozenset) and subgroups & {"dm", "adm", "jdm"} \
            and all(v.cdasi_activity is None for v in record.visits) \
            and not record.skin.any_dm_hallmark():
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
        parts.append(f"eGFR {facts['egfr']:g}")
    gc = facts.get("gc_mg_day")
    if isinstance(gc, float) and gc > 0:
        parts.append(f"prednisone {gc:g} mg/day")
    for fact in ("pregnant", "planning_conception", "latent_tb", "hbsag", "anti_hbc"):
        if facts.get(fact) is True:
            parts.append(fact.replace("_", " "))
    return parts

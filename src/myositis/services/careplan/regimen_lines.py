"""How one line of a regimen is chosen and written: the documented order among agents of equal
standing, the decision-point texts, and the wording of a drug kept, optimised or started (the
glucocorticoid step at a flare, the methotrexate optimisation, a caveat from the drug's own
cautions)."""

from __future__ import annotations

import re

from myositis.services.careplan.model import Option, Regimen

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


def ranked(options: list[Option], ild: bool) -> list[Option]:
    order = PREFERENCE_ILD if ild else PREFERENCE
    return sorted(options, key=lambda o: order.index(o.therapy) if o.therapy in order
                  else len(order))


# Refractory muscle disease, equal evidence: the longest-established first (IVIG approved for DM
# in 2021 on ProDERM; brepocitinib approved 2026; rituximab off-label).
REFRACTORY = ["ivig", "brepocitinib", "rituximab"]
AFTER_FAILURES = " (a flare after two steroid-sparing agents failed)"
TAPER_AS_RESPONSE_ALLOWS = "taper as the response allows, aiming for 7.5 mg/day or less by 6 months"
"""The glucocorticoid taper of active disease; a later guard replaces it when the patient is
worse since the last dose cut."""
"""The tail of the refractory agent a flare adds: it waits while a failed agent was taken below
its range (regimen_adequate_trial)."""
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
JDM_LONG_STANDING = ("Long-standing JDM: tell activity from damage (calcinosis, lipodystrophy, "
                     "contractures, steroid myopathy) before intensifying - damage is treated "
                     "with rehabilitation, not more immunosuppression; activity is treated to the "
                     "target of inactive disease with an expert centre (PReS/CARRA 2025).")
"""Active JDM two years or more after onset: the 12-month and 12-week targets are those of a new
onset (specialist review Z36d P1, P4: printed at 5 and 16 years of disease)."""


def names_of(options: list[Option]) -> list[str]:
    return list(dict.fromkeys(o.name for o in options))


FAILED = ("ineffective", "not_tolerated")
SLOW_AGENT_CATEGORIES = frozenset({"conventional_immunosuppressant", "biologic", "jak_inhibitor",
                                   "anti_interferon", "cellular_therapy", "complement_inhibitor"})
"""Agents that add immunosuppression and act over weeks to months (IVIG, glucocorticoids,
antifibrotics and skin agents are not among them): they wait through an incubation, a serious
infection or a low IgG with infections, where a fast-acting treatment may not."""


def usable(options: list[Option]) -> list[Option]:
    """Options fit to lead a regimen: not investigational, not case-series-only, not failed."""
    return [o for o in options if not o.investigational and o.evidence_level != "very_low"
            and o.previously not in FAILED]


def safest_first(options: list[Option]) -> list[Option]:
    """Keep the order, but an agent that worked before leads a re-treatment (review T: the
    methotrexate that brought remission came after azathioprine at the flare), and an option
    with a high-severity caution for this patient (an interaction, untreated latent TB...)
    never leads when one without exists; among options that all carry one, the fewest lead
    (review W: methotrexate with HBsAg and alcohol excess led azathioprine with HBsAg alone)."""
    return sorted(options, key=lambda o: (
        RESTART_RANK.get(o.previously or "", 2),
        any(c.condition in DOES_NOT_LEAD for c in o.cautions),
        sum(c.severity in ("high", "absolute") for c in o.cautions)))


EXPOSURE_UNRELIABLE = frozenset({"calcineurin_rifampicin", "nintedanib_rifampicin",
                                 "calcineurin_ritonavir"})
"""Cautions that leave a drug's exposure a fraction or a many-fold multiple of the intended one
(rifampicin lowers tacrolimus; ritonavir or cobicistat raise it many-fold, and unpredictably
when the boosted regimen is taken erratically): such a drug does not lead while another can
(specialist reviews Z38b P3: tacrolimus the first-choice lung agent during rifampicin for latent
TB; Z58c P2: tacrolimus first choice beside a ritonavir-boosted regimen taken erratically)."""


DOES_NOT_LEAD = EXPOSURE_UNRELIABLE | {"ciclosporin_high_triglycerides", "ciclosporin_with_doac",
                                       "calcineurin_inhibitor_with_scleroderma"}
"""Cautions whose own advice is 'another agent first where one fits': ciclosporin beside high
triglycerides (specialist review Z59b P3: it led for a boy with lipodystrophy, diabetes and
triglycerides of 14.2 mmol/L), beside a DOAC (specialist review Z67a P5), and a calcineurin
inhibitor with scleroderma features (specialist review Z67c P7)."""


RESTART_RANK = {"effective": 0, "effective_with_reaction": 1, "stopped_by_patient": 1,
                "mild_intolerance": 1}
"""An agent that worked leads a re-treatment; one that stopped without failing (the patient's
own decision, or a mild reaction to mitigate) comes next (specialist review U)."""


def headline(text: str) -> str:
    """The finding a caution opens with ("HBsAg positive", "ALT 6 x ULN"), not its advice,
    which the option's full entry and the do-now line give."""
    head = re.split(r"[:;]", text, maxsplit=1)[0].strip()
    while head.count("(") > head.count(")"):  # never an unclosed bracket (review Q)
        head = head[:head.rindex("(")].strip()
    return head


def lead_clause(text: str) -> str:
    """A caution's lead clause for a one-line summary, with the next clause when the lead is
    short and only announces it (re-scores of specialist review Z28: 'discuss fertility before
    the first pulse' without the GnRH agonist or the sperm banking)."""
    parts = text.split("; ")
    lead = ("; ".join(parts[:2]) if len(parts[0]) < 70 else parts[0]).rstrip(".")
    while lead.count("(") > lead.count(")"):  # never an unclosed bracket (re-score Z29c)
        lead = lead[:lead.rindex("(")].rstrip(" ;,")
    return lead


def evidence_tag(option: Option) -> str:
    """The name, marked when the option is investigational or rests on case reports."""
    return option.name + (" (in trials)" if option.investigational else
                          " (case reports only)" if option.evidence_level == "very_low" else "")


def with_caveat(option: Option) -> str:
    high = [c for c in option.cautions if c.severity in ("high", "absolute")]
    return option.name + (f" (caution: {headline(high[0].text)})" if high else "")


GC_THROUGH_INFECTION = ("through the infection with sick-day cover, not an escalation for the "
                        "myositis (on up to about 10 mg/day: double the dose while febrile; "
                        "vomiting, nil by mouth or very unwell: parenteral hydrocortisone; never "
                        "stopped suddenly)")
"""A glucocorticoid taken now during an infection: not raised for the myositis, but covered for
the illness (specialist review Z31e P3 and P8: 'without raising it during the infection' for a
febrile, vomiting patient after 22 months of prednisolone, against the plan's own sick-day
rule)."""
DRUG_THROUGH_INFECTION = ("without raising it during the infection; hold it with the team if the "
                          "infection is serious or septic")

KEPT = ("Continue", "Optimise", "Review", "Taper", "Hold", "Stop")
"""How a regimen line about a drug taken now begins (no new drug, no induction dose)."""

GC_TAPER_CLAUSE = re.compile(r" ?\(now ([\d.]+) mg/day; taper[^)]*\)")


def restate_kept(entry: str, note: str) -> str:
    """A line about a drug taken now, without 'optimise', and with its glucocorticoid taper
    clause ('(now 30 mg/day; taper as the response allows ...)') replaced by ``note`` (after
    the dose): one wording for every step that holds the treatment as it is (a relapse to
    confirm, possible steroid myopathy, the end of life)."""
    return GC_TAPER_CLAUSE.sub(lambda m: f" (now {m.group(1)} mg/day{note})",
                               entry.replace("Continue and optimise ", "Continue ", 1))


def starts_new_agent(entry: str, names: frozenset[str]) -> bool:
    """The line starts one of these agents now (not one taken now, which it continues)."""
    return not entry.startswith(KEPT) and "(taken now" not in entry \
        and any(entry.removeprefix("add ").startswith(name) for name in names)


KEEP = "keep:"
"""Marks a concern about a drug taken now that keeps the drug (rule ``when_taken: continue``)."""


def continue_line(name: str, concern: str | None, verb: str = "Continue",
              step: str | None = None) -> str:
    """'Continue X', 'Continue X (note: concern)' when a rule adds an action to a drug to keep,
    or 'Review X now' when a rule questions the drug itself. `step` is how to optimise a drug
    kept while the disease is active (a dose or route to reach before calling it failed)."""
    if concern and not concern.startswith(KEEP):
        return f"Review {name} now ({concern})"
    notes = [concern.removeprefix(KEEP)] if concern else []
    if notes == ["active infection"]:
        # what 'continue during an infection' means for this drug (specialist review Z18b P8:
        # 'Continue mycophenolate (note: active infection)' during a pneumonia, CRP 140)
        notes = ["active infection: never stopped abruptly; sick-day rules"
                 if "glucocorticoid" in name.lower() else
                 "active infection: decide with the team whether to hold it until the "
                 "infection settles"]
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
                         pregnant: bool, adjusted: bool = False) -> str:
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
    at = "an adjusted weight of " if adjusted else ""
    moderate = (f"{min(60, 0.5 * weight_kg):.0f} mg/day at {at}{weight_kg:g} kg"
                if weight_kg else "the mg/kg dose needs a weight")
    if weight_kg and gc_now and gc_now >= min(60.0, 0.5 * weight_kg):
        # already at or above the moderate dose: not 'raise to' a lower figure (specialist
        # review Z51c P8: 'raise prednisolone to ... 35 mg/day (now 40 mg/day)')
        text = ("prednisolone is already at or above the moderate-flare dose (about 0.5 "
                "mg/kg/day, " + moderate + ")" + now + ": not raised further for a moderate "
                "flare - check adherence and triggers; up to 1 mg/kg/day (maximum 60 mg) or IV "
                "methylprednisolone pulses for a severe one; taper again once strength and CK "
                "recover")
    else:
        text = ("raise prednisolone to about 0.5 mg/kg/day for a moderate flare (" + moderate
                + ")" + now + ", up to 1 mg/kg/day (maximum 60 mg) or IV methylprednisolone "
                "pulses for a severe one; taper again once strength and CK recover")
    if pregnant:
        text += ("; in pregnancy the lowest dose that controls it, with IVIG as the quick "
                 "compatible escalation, prednisolone or methylprednisolone, not dexamethasone or "
                 "betamethasone (they cross the placenta)")
    return text


def joint_regimen(gc_now: float | None, ild: bool | None,
                  gc_name: str = "Oral glucocorticoids",
                  withheld: frozenset[str] = frozenset(),
                  covering: tuple[str, ...] = (), low_activity: bool = False,
                  held: tuple[str, ...] = ()) -> Regimen:
    """Antisynthetase syndrome with arthritis as its main active feature: no muscle or lung
    regimen covers the joints, so they get their own (review A: 8 swollen joints with no
    approach at all). Observational data only (the rule `antisynthetase_arthritis` cites them):
    glucocorticoids, a calcineurin inhibitor or rituximab have the most reported data, and
    methotrexate only without ILD."""
    # the scan is asked for only when the lung is unknown (not beside a known NSIP)
    first = (["HRCT and lung function first: anti-synthetase antibodies carry a high risk of "
              "ILD, and methotrexate is chosen only without it"] if ild is None else [])
    first.append(f"{gc_name} at a low dose as a bridge (now {gc_now:g} mg/day), tapered as "
                 "the joints settle" if gc_now else f"{gc_name} at a low dose as a bridge")
    # a drug withheld for this patient is not named (specialist review Z18b P2: tacrolimus at
    # a falling eGFR with potassium 5.7, beside its own withheld line)
    # one calcineurin inhibitor withheld withholds the class (the kidney and potassium reasons
    # apply to both)
    cni = [] if {"tacrolimus", "ciclosporin"} & withheld else ["Tacrolimus", "ciclosporin"]
    agent = ("Tacrolimus" if cni
             else "Rituximab" if "rituximab" not in withheld
             else "the agent chosen with the team (see the withheld list)")
    if ild is None:
        first.append("add Methotrexate if HRCT shows no ILD" if "methotrexate" not in withheld
                     else f"add {agent} (methotrexate is withheld here)")
    elif not ild:
        first.append("add Methotrexate" if "methotrexate" not in withheld
                     else f"add {agent} (methotrexate is withheld here)")
    else:
        first.append(f"add {agent} (ILD present: not methotrexate)")
    if agent in covering and first[-1].startswith(f"add {agent}"):
        # the agent the joints would get is taken already: optimise it, not 'add' it
        # (specialist review Z52b P2: 'add Tacrolimus' after 19 months on it)
        first[-1] = (f"continue {agent}, which treats the joints too - check its level and "
                     "adherence, and examine the joints (swollen and tender counts, CRP) before "
                     "adding anything")
    # the agent added first is not offered again as its own alternative (specialist review
    # Z47a P3: 'add Tacrolimus (ILD present: not methotrexate); alternatives Tacrolimus or
    # ciclosporin')
    added = first[-1] if first[-1].startswith("add ") else ""
    alternatives = ([("Ciclosporin" if added.startswith("add Tacrolimus") else
                      " or ".join(cni))] if cni else []) + (
        ["Rituximab when these fail"] if "rituximab" not in withheld else [])
    if agent in covering:
        alternatives = (["add Rituximab if synovitis persists on examination after 12 weeks"]
                        if "rituximab" not in withheld else [])
    # one agent taken beside globals of 1 cm or less is enough too: a feature ticked in the
    # record is not synovitis (specialist review Z47d P6: 'add tacrolimus' in remission, on
    # mycophenolate, during rifampicin for latent TB)
    examine_first = len(covering) >= 2 or bool(covering and low_activity)
    if examine_first:
        # two steroid-sparing agents taken now (a recent rituximab cycle counts) treat the joints
        # too: a third is not added on an arthritis tick before the joints are examined; beside
        # one, adding a second stays the step (specialist review Y2 P4)
        # (specialist review Z38a P2: 'add tacrolimus' as a fourth immunosuppressant beside
        # mycophenolate and rituximab three months before, with a physician global of 1.5)
        if covering and low_activity:
            # the dose is the other regimens' (the lung, an enzyme inducer), not tapered for
            # joints that are quiet (re-score of specialist review Z47d P6: 'tapered as the
            # joints settle' beside 'double it while rifampicin is taken')
            first = [f"{gc_name} at the dose the other lines set" + (
                f" (now {gc_now:g} mg/day)" if gc_now else "") if line.startswith(gc_name)
                else line for line in first]
        first = [line for line in first if not line.startswith("add ")] + [
            f"continue {' and '.join(covering)}, which "
            f"{'treat' if len(covering) > 1 else 'treats'} the joints too; examine the joints "
            "(swollen and tender counts, CRP) before adding anything"]
        alternatives = [f"add {cni[0]} only if synovitis persists on examination after 12 "
                        "weeks on the current agents"] if cni else []
    if held and not covering:
        # the steroid-sparing agent is held now (a low count, the liver): its restart or
        # replacement is the team's decision, and a new agent is not added for an arthritis
        # tick meanwhile (specialist review Z72b P8, dangerous: 'add tacrolimus' for a gout
        # flare beside azathioprine held for white cells of 3.0, globals of 1 cm)
        first = [f"{gc_name} at the dose the other lines set" + (
                     f" (now {gc_now:g} mg/day)" if gc_now else ""),
                 f"examine the joints (swollen and tender counts, CRP; another cause such as "
                 f"gout or a drug) before adding anything: {' and '.join(held)} is held now, "
                 "and its restart or replacement is decided with the specialist team (see the "
                 "treatment changes)"]
        alternatives = ([f"{cni[0]} only if synovitis is found on examination and the team "
                         "agrees"] if cni else [])
    return Regimen(
        domain="joints", state="low_activity" if covering and low_activity
        else "to_examine" if held and not covering else "active",
        first_choice=first,
        alternatives=[a for a in alternatives if not first[-1].startswith(f"add {a}")],
        decision_point=("Swollen and tender joints, function and CRP every 4-8 weeks until the "
                        "arthritis is controlled; no response by 12 weeks: change the agent "
                        "(observational data only; no guideline covers antisynthetase "
                        "arthritis)."))


def pick(options: list[Option]) -> list[Option]:
    """Usable options first; failing that, any not recorded as failed (review T: a
    hydroxychloroquine recorded as ineffective led the skin regimen); only then the rest."""
    # a drug stopped for an adverse reaction is never offered again from here (specialist
    # review Z: hydroxychloroquine re-offered, with a dose, after a drug eruption)
    return safest_first(usable(options)) or safest_first(
        [o for o in options if o.previously not in FAILED]) or safest_first(
        [o for o in options if o.previously != "not_tolerated"])


# Drugs of one class are not combined across domains (two calcineurin inhibitors, two JAK
# inhibitors): the first domain that names one keeps it, the others are told it covers them.
CLASSES = {"tacrolimus": "calcineurin inhibitor", "ciclosporin": "calcineurin inhibitor",
           "tofacitinib": "JAK inhibitor", "baricitinib": "JAK inhibitor",
           "ruxolitinib": "JAK inhibitor", "upadacitinib": "JAK inhibitor",
           "brepocitinib": "JAK inhibitor"}


def reword_kept(regimens: list[Regimen], lines: dict[str, str]) -> list[Regimen]:
    """A first-choice line that continues or optimises a drug named in ``lines`` (by its printed
    name) becomes that drug's line - the one place where a hold for an urgent problem, a serious
    infection or a cancer treatment replaces 'Continue X'."""
    def line(entry: str) -> str:
        for name, replacement in lines.items():
            if entry.startswith((f"Continue {name}", f"Continue and optimise {name}",
                                 f"Optimise {name}")):
                return replacement
        return entry
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        line(e) for e in r.first_choice))}) for r in regimens]

"""An agent taken below its usual dose has not failed: its dose is raised before a new agent.

Specialist re-review of a frail 84-year-old's lung (Z11c P8 follow-up): mycophenolate 1 g/day
for seven weeks was read as an inadequate response, and rituximab, tacrolimus and
cyclophosphamide were offered on top. A steroid-sparing agent below its curated range has not
had an adequate trial (BSR 2022 judges response on an adequate dose); in a threatened organ
(rapidly progressive ILD, myocarditis, severe dysphagia) escalation does not wait for that.
"""

from __future__ import annotations

from myositis.services.careplan.model import ACTIVE_STATES, Regimen
from myositis.services.careplan.regimen_lines import AFTER_FAILURES

RAISE = ("Raise {name} to its usual dose first (taken now below its range - not yet an "
         "adequate trial; see the doses)")
THEN = "if still inadequate after 8-12 weeks at the full dose: "


def adequate_trial_first(regimens: list[Regimen], underdosed: frozenset[str],
                         new_agents: frozenset[str], organ_threat: bool) -> list[Regimen]:
    """The under-dosed agent's 'continue' line becomes 'raise it first' wherever the disease
    is active; for muscle or lung in inadequate response the new agents wait for the
    full-dose trial (the agent may be kept in the muscle regimen while the lung fails).
    ``underdosed`` and ``new_agents`` are therapy names (an antifibrotic is not a new
    immunosuppressant and stays)."""
    if organ_threat or not underdosed:
        return regimens
    names = sorted(underdosed)
    out = []
    for r in regimens:
        if r.state not in ACTIVE_STATES:
            out.append(r)
            continue
        first: list[str] = []
        waiting: list[str] = []
        failing = r.domain in ("muscle", "lung") and r.state == "inadequate_response"
        for e in r.first_choice:
            head = e.removeprefix("add ")
            owner = next((n for n in names if head.startswith(
                ("Continue " + n, "Continue and optimise " + n, n + " ("))), None)
            if owner is not None:
                first.append(RAISE.format(name=owner))
            elif (failing and head.startswith(tuple(new_agents))) or head.endswith(AFTER_FAILURES):
                # a flare's refractory agent waits too: an agent taken below its range has not
                # failed (specialist review Z23b P6: azathioprine 50 mg/day raised, pulses and
                # rituximab added at once for a frail 81-year-old on dialysis)
                waiting.append(head.removesuffix(AFTER_FAILURES))
            else:
                first.append(e)
        if failing or waiting:
            first += [RAISE.format(name=n) for n in names if RAISE.format(name=n) not in first]
            alternatives = list(dict.fromkeys(
                [THEN + w for w in waiting] + [a if a.startswith(("only if", "if ", THEN))
                                                else THEN + a for a in r.alternatives]))
        else:
            alternatives = r.alternatives
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out


RESTORE = ("Restore {names} at the full dose with the doses taken (missed doses recorded - not yet "
           "a failure; see Do now)")
AFTER_ADHERENCE = "if still active after 8-12 weeks of full doses: "
SKIN_AFTER_RESTORE = ("the missed drugs restored first: reassess the skin after 8-12 weeks of "
                      "full doses")
MODEST_RISE = ("raise prednisolone modestly while the missed drug is restored - back to the last "
               "dose that held the disease, or about 0.25-0.5 mg/kg/day - the induction range "
               "or IV pulses only for a severe flare")


def modest_rise(weight_kg: float | None, adjusted: bool) -> str:
    """MODEST_RISE with its figures for this patient (re-score of specialist review Z23d P4:
    'about 0.25-0.5 mg/kg/day' with no weight came to 37-74 mg/day at 148 kg)."""
    if not weight_kg:
        return MODEST_RISE
    at = "an adjusted weight of " if adjusted else ""
    return MODEST_RISE.replace(
        "about 0.25-0.5 mg/kg/day",
        f"about 0.25-0.5 mg/kg/day ({min(60, 0.25 * weight_kg):.0f}-"
        f"{min(60, 0.5 * weight_kg):.0f} mg/day at {at}{weight_kg:g} kg)")


def adherence_before_new_agents(regimens: list[Regimen], missed: frozenset[str],
                                new_agents: frozenset[str], weight_kg: float | None = None,
                                adjusted: bool = False) -> list[Regimen]:
    """Missed doses of a drug taken now, with no organ threatened: no new agent in the muscle,
    skin or lung regimen until the missed drug has been taken in full for 8-12 weeks (re-score
    of specialist review Z13b P6: 'add mycophenolate' beside the plan's own 'restore the drug
    before any new agent' for a 16-year-old who had stopped methotrexate). ``missed`` and
    ``new_agents`` are therapy names."""
    if not missed:
        return regimens
    out = []
    for r in regimens:
        if r.domain not in ("muscle", "skin", "lung") or r.state not in ACTIVE_STATES:
            out.append(r)
            continue
        waiting = [e.removeprefix("add ") for e in r.first_choice
                   if e.removeprefix("add ").startswith(tuple(new_agents))]
        # the glucocorticoid rise is modest while the missed drug is restored (specialist
        # review Z14b P7: 58-60 mg/day for a cushingoid, hypertensive 14-year-old whose flare
        # followed missed methotrexate)
        first = [modest_rise(weight_kg, adjusted) if e.startswith("raise prednisolone")
                 else SKIN_AFTER_RESTORE if e.startswith("the new systemic agent of the muscle")
                 else e for e in r.first_choice]
        if not waiting and first == r.first_choice:
            out.append(r)
            continue
        first = [e for e in first if e.removeprefix("add ") not in waiting]
        line = RESTORE.format(names=" and ".join(sorted(missed)))
        out.append(r.model_copy(update={
            # the missed drug restored leads: a glucocorticoid rise is the bridge, not the
            # answer (specialist review Z45a P8: 'a modest rise of prednisolone' first for a
            # non-adherent young man whose mycophenolate was missed)
            "first_choice": [line, *first] if line not in first else first,
            "alternatives": list(dict.fromkeys(
                [AFTER_ADHERENCE + w for w in waiting] + [
                    a if a.startswith((AFTER_ADHERENCE, "only if", "if ")) else
                    AFTER_ADHERENCE + a for a in r.alternatives]))}))
    return out


NO_RESPONSE = ("{name}: no response recorded after {weeks} weeks at its dose - switch it for "
               "another agent now ({choices}), stopping it rather than adding to it, "
               "adherence and the dose checked first; glucocorticoid-dependent or organ "
               "threatened: IVIG or rituximab with the specialist team")


def switch_after_no_response(regimens: list[Regimen], no_response: dict[str, int]) -> list[Regimen]:
    """A steroid-sparing agent taken at its dose for 12 weeks or more with no response recorded
    is not 'continued and optimised' while the disease stays active: the line says switch or
    add (specialist review Z42d P2: methotrexate with no response after 6 months kept as the
    first choice because one failed agent does not make the state 'inadequate response').
    ``no_response`` maps the therapy name to the weeks it has been taken. An agent with no
    response is stopped, not kept beside the next (specialist review Z50a P2, re-score: 'switch
    it for, or add' kept a failed methotrexate at an eGFR of 32 beside mycophenolate)."""
    if not no_response:
        return regimens
    out = []
    for r in regimens:
        if r.state not in ("active", "flare") or r.domain not in ("muscle", "skin", "lung"):
            out.append(r)
            continue
        first = []
        for e in r.first_choice:
            # 'Continue X (lower the dose ...)' too: a dose above this patient's ceiling is no
            # reason to keep an agent that has not helped (specialist review Z50a P2)
            name = next((n for n in no_response if e.startswith(
                ("Continue and optimise " + n, "Continue " + n))), None)
            if name is None:
                first.append(e)
                continue
            choices = " or ".join(a for a in r.alternatives[:2]
                                  if not a.startswith(("only if", "if "))) or "the alternatives"
            first.append(NO_RESPONSE.format(name=name, weeks=no_response[name], choices=choices))
        out.append(r if first == r.first_choice
                   else r.model_copy(update={"first_choice": first}))
    return out


__all__ = ["adequate_trial_first", "adherence_before_new_agents", "switch_after_no_response"]

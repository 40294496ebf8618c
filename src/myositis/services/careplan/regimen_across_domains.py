"""One plan across organs: a new systemic agent that the lung regimen starts treats the muscle
too, so the muscle regimen does not start a second, different one beside it.

Specialist review Z13c P2: azathioprine (beside allopurinol and co-trimoxazole, four months
after febrile neutropenia) started for the muscle while the lung regimen started rituximab -
two new immunosuppressants from two domains, never joined into one regimen.
"""

from __future__ import annotations

from myositis.services.careplan.model import ACTIVE_STATES, Regimen

SHARED = ("the new agent of the lung regimen ({names}) treats the muscle too: reassess the "
          "muscle 8-12 weeks after it starts")
LATER = "if the muscle still needs it once the lung agent has had time to work: "


def one_new_agent_across_lung_and_muscle(regimens: list[Regimen],
                                         new_agents: frozenset[str]) -> list[Regimen]:
    """``new_agents`` are the names of systemic agents not taken now (glucocorticoids and
    antifibrotics excluded by the caller). The muscle regimen keeps its glucocorticoid and
    continued lines; a different new agent moves to the alternatives."""
    # a stable lung that still starts a maintenance agent counts too (specialist review Z41b P6:
    # 'add azathioprine' for the muscle beside 'add mycophenolate' for a stable lung, never
    # reconciled, at eGFR 27 with platelets 95)
    lung = next((r for r in regimens if r.domain == "lung" and (
        r.state in ACTIVE_STATES or any(e.startswith("add ") for e in r.first_choice))), None)
    if lung is None:
        return regimens
    lung_new = [n for n in sorted(new_agents)
                if any(e.removeprefix("add ").startswith(n) for e in lung.first_choice)]
    if not lung_new:
        return regimens
    out = []
    for r in regimens:
        if r.domain != "muscle" or r.state not in ACTIVE_STATES:
            out.append(r)
            continue
        own = [e for e in r.first_choice
               if e.removeprefix("add ").startswith(tuple(new_agents))
               and not e.removeprefix("add ").startswith(tuple(lung_new))]
        if not own:
            out.append(r)
            continue
        out.append(r.model_copy(update={
            "first_choice": [e for e in r.first_choice if e not in own]
            + [SHARED.format(names=" and ".join(lung_new))],
            # the shared agent is no alternative to itself
            "alternatives": list(dict.fromkeys(
                [LATER + e.removeprefix("add ") for e in own]
                + [a for a in r.alternatives if not a.startswith(tuple(lung_new))]))}))
    return out


PLANNED = " (planned: the decision recorded)"


def planned_agent_first(regimens: list[Regimen], planned: frozenset[str],
                        new_agents: frozenset[str],
                        withheld: frozenset[str] = frozenset(),
                        unlisted_ok: frozenset[str] = frozenset()) -> list[Regimen]:
    """A course already decided (``planned``, by name) that the regimen lists only as an
    alternative takes the place of the first new agent the regimen would start, which moves to
    the alternatives (specialist review Z41c P7: rituximab booked after an ILD team decision,
    listed as the alternative to tacrolimus). A planned course the plan withholds is not among
    the alternatives, so it is never promoted."""
    out = []
    for r in regimens:
        if r.domain not in ("muscle", "lung") or not planned:
            out.append(r)
            continue
        first, alternatives = list(r.first_choice), list(r.alternatives)
        for name in sorted(planned - withheld):
            # a planned course the plan cautions against for this patient is not promoted over
            # the plan's own choice (re-score of specialist review Z41b P4: azathioprine booked
            # beside allopurinol and a cancer operation, put before IVIG)
            alt = next((a for a in alternatives if a.split(" (")[0] == name
                        and "(caution" not in a), None)
            if alt is None and name in unlisted_ok and name not in withheld and not any(
                    a.split(" (")[0] == name for a in alternatives):
                # a booked course the regimen does not list at all (rituximab booked for
                # acquired haemophilia and DM) still takes the new agent's slot: no second
                # agent is added beside it (specialist review Z64b P3: azathioprine and IVIG
                # added to 60 mg/day with rituximab booked, four agents at once); only a
                # steroid-sparing course (``unlisted_ok``) does - booked pulses never take
                # methotrexate's place (re-score of Z64d P5)
                alt = name
            if alt is None or any(name in e for e in first):
                continue
            slot = next((i for i, e in enumerate(first)
                         if e.removeprefix("add ").removeprefix("switch to ").startswith(
                             tuple(new_agents))), None)
            if slot is None:
                continue
            replaced = first[slot]
            prefix = replaced[:len(replaced) - len(
                replaced.removeprefix("add ").removeprefix("switch to "))]
            first[slot] = prefix + alt + PLANNED
            if alt in alternatives:
                alternatives[alternatives.index(alt)] = replaced.removeprefix(prefix)
            else:
                alternatives.insert(0, replaced.removeprefix(prefix))
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives})
                   if first != r.first_choice else r)
    return out


REFRACTORY_CENTRE = (" Refractory after {n} agents ({names}): a myositis centre review now, with "
                     "the options held there - cyclophosphamide, plasma exchange in a crisis, a "
                     "clinical trial (CD19 CAR-T among them) - rather than another agent of a "
                     "class already tried.")


def refractory_centre(regimens: list[Regimen], tried: list[str]) -> list[Regimen]:
    """Muscle flaring or failing after three or more steroid-sparing, biologic or IVIG agents:
    the decision point names the centre and its options (specialist review Z13c P8: refractory
    anti-SRP myopathy after methotrexate, two rituximab courses, IVIG and tacrolimus offered
    only azathioprine and mycophenolate)."""
    if len(tried) < 3:
        return regimens
    return [r.model_copy(update={"decision_point": r.decision_point + REFRACTORY_CENTRE.format(
        n=len(tried), names=", ".join(tried))})
        if r.domain == "muscle" and r.state in ("flare", "inadequate_response")
        and "myositis centre review now" not in r.decision_point else r for r in regimens]


ANTIMETABOLITES = ("Mycophenolate mofetil", "Azathioprine", "Methotrexate")
STOP_FOR_CYCLOPHOSPHAMIDE = ("Stop {name} when cyclophosphamide starts (two marrow-suppressing "
                             "agents are not combined; maintenance is chosen again after the "
                             "course)")


def _new_agent_replaces_antimetabolites(regimens: list[Regimen], agent: str,
                                        line: str) -> list[Regimen]:
    """When a regimen starts ``agent``, each antimetabolite other than it that a regimen
    continues is replaced by ``line`` (formatted with its name), in every domain."""
    if not any(e.removeprefix("add ").startswith(agent)
               for r in regimens for e in r.first_choice):
        return regimens
    out = []
    for r in regimens:
        first = []
        for e in r.first_choice:
            held = next((n for n in ANTIMETABOLITES if n != agent
                         and e.startswith(("Continue " + n, "Continue and optimise " + n))), None)
            first.append(line.format(name=held) if held else e)
        out.append(r.model_copy(update={"first_choice": first}) if first != r.first_choice
                   else r)
    return out


def cyclophosphamide_replaces_antimetabolite(regimens: list[Regimen],
                                             cyclophosphamide: str) -> list[Regimen]:
    """Cyclophosphamide started anywhere in the plan: the antimetabolite taken now stops, in
    every domain (specialist review Z15b P3: mycophenolate continued beside new cyclophosphamide
    and tacrolimus for a 14-year-old with lymphocytes 0.45; the anti-MDA5 triple regimen uses
    cyclophosphamide instead of mycophenolate)."""
    return _new_agent_replaces_antimetabolites(regimens, cyclophosphamide,
                                               STOP_FOR_CYCLOPHOSPHAMIDE)


SWITCH_TO_MYCOPHENOLATE = ("Switch {name} to mycophenolate when it starts (one antimetabolite, "
                           "not two: mycophenolate treats the muscle as well as the lung)")


def mycophenolate_replaces_antimetabolite(regimens: list[Regimen],
                                          mycophenolate: str) -> list[Regimen]:
    """Mycophenolate started for the lung: methotrexate or azathioprine taken now is switched to
    it, not continued beside it (specialist review Z52c P7: 'continue and optimise methotrexate'
    for the muscle beside new mycophenolate for a progressing NSIP)."""
    return _new_agent_replaces_antimetabolites(regimens, mycophenolate, SWITCH_TO_MYCOPHENOLATE)


def switch_kept_only_with_mycophenolate(regimens: list[Regimen],
                                        mycophenolate: str) -> list[Regimen]:
    """A later pass (an adequate trial of the drug taken first) may take mycophenolate back out
    of every first choice: the 'switch to mycophenolate' line then continues the drug instead
    (specialist review Z55b P6: 'switch methotrexate to mycophenolate ... as well as the lung'
    for a girl with no lung disease, beside 'restore methotrexate at the full dose')."""
    if any(e.removeprefix("add ").startswith(mycophenolate)
           for r in regimens for e in r.first_choice):
        return regimens
    head, _, tail = SWITCH_TO_MYCOPHENOLATE.partition("{name}")
    return [r.model_copy(update={"first_choice": [
        "Continue " + e.removeprefix(head).removesuffix(tail)
        if e.startswith(head) and e.endswith(tail) else e for e in r.first_choice]})
        for r in regimens]


__all__ = [
    "cyclophosphamide_replaces_antimetabolite",
    "mycophenolate_replaces_antimetabolite",
    "one_new_agent_across_lung_and_muscle",
    "refractory_centre",
    "switch_kept_only_with_mycophenolate",
]


def _head(entry: str) -> str:
    return entry.removeprefix("add ").split(" (")[0]


def regimens_start_the_named_switch(regimens: list[Regimen]) -> list[Regimen]:
    """The agent the treatment changes name first for a stopped drug is the one the organ
    regimens start: where a regimen starts the switch's second agent and lists its first among
    the alternatives, the two change places (specialist review Z66a P6: 'switch to
    mycophenolate or azathioprine' for the liver, and '+ azathioprine; alternatives
    mycophenolate' in the muscle regimen below)."""
    changes = next((r for r in regimens if r.domain == "treatment changes"), None)
    switch = next((e for e in changes.first_choice if e.startswith("switch to ")), None) \
        if changes else None
    if switch is None:
        return regimens
    named = [n.split(" (")[0] for n in switch.removeprefix("switch to ").split(" or ")]
    lead = named[0]
    out = []
    for r in regimens:
        alt = next((a for a in r.alternatives if _head(a) == lead), None)
        second = next((e for e in r.first_choice if _head(e) in named[1:]), None)
        if r is changes or alt is None or second is None:
            out.append(r)
            continue
        prefix = "add " if second.startswith("add ") else ""
        out.append(r.model_copy(update={
            "first_choice": [prefix + alt if e == second else e for e in r.first_choice],
            "alternatives": [second.removeprefix("add ") if a == alt else a
                             for a in r.alternatives]}))
    return out

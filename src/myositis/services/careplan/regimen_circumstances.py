"""Guards on the assembled approach for circumstances that change what may be started: a chickenpox
or measles incubation, the end of life, pregnancy (no new systemic agent for the skin), kidney
failure and a limited ceiling of care (cyclophosphamide and IVIG in their place).

They run after the per-domain regimens are built, because each reads the approach as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Action, Regimen
from myositis.services.careplan.regimen_lines import restate_kept, starts_new_agent
from myositis.services.careplan.regimens import KEPT

AFTER_VARICELLA = ("after the chickenpox incubation period (day 21 after the contact, day 28 if "
                   "immunoglobulin was given), or at once if an organ is threatened, with "
                   "antiviral cover: ")
"""Escalations that wait for a chickenpox incubation period to end."""


INCUBATION_TEXT = {
    "chickenpox": {
        "hold": ("Chickenpox or shingles contact in the last 3 weeks, not known to be immune: no "
                 "rise in glucocorticoid and no new immunosuppressant during the incubation "
                 "period unless an organ is threatened (post-exposure prophylaxis: see Do now)"),
        "after": AFTER_VARICELLA,
        "threat": ("chickenpox incubation: the escalation for the threatened organ goes ahead "
                   "with the antiviral prophylaxis continued, IVIG beside it and "
                   "infection-specialist advice"),
        "decision": ("Reassess once the incubation period ends (any rash before then: IV "
                     "aciclovir at once); then escalate as the disease requires.")},
    "measles": {
        "hold": ("Measles contact in the last 3 weeks, immunity not confirmed: no high-dose "
                 "glucocorticoid and no new immunosuppressant until measles IgG shows immunity "
                 "or the incubation period ends, unless an organ is threatened (post-exposure "
                 "immunoglobulin: see Do now)"),
        "after": ("once measles IgG shows immunity or the incubation period has ended (day 21 "
                  "after the contact, day 28 if immunoglobulin was given), or at once if an organ "
                  "is threatened: "),
        "threat": ("measles incubation: the escalation for the threatened organ goes ahead with "
                   "post-exposure immunoglobulin and infection-specialist advice"),
        "decision": ("Reassess once immunity is shown or the incubation period ends (fever, "
                     "rash or cough before then: isolate and test for measles at once); then "
                     "start or escalate as the disease requires.")},
}
"""The wording of an incubation hold per infection (measles: specialist review Z24d P7, a
6-year-old given prednisolone and methotrexate 4 days after a measles contact)."""


REPLACEMENT_CATEGORIES = ("conventional_immunosuppressant", "biologic", "jak_inhibitor")


PREGNANCY_SKIN = ("in pregnancy only for severe or ulcerating skin disease, with the obstetric "
                  "team (azathioprine or IVIG first)")


def no_new_systemic_agent_for_skin_in_pregnancy(regimens: list[Regimen], kb: KnowledgeBase,
                                                current: Collection[str]) -> list[Regimen]:
    """In pregnancy, skin disease that is not ulcerating gets hydroxychloroquine, topical
    treatment and sun protection, not a new systemic immunosuppressant as first choice
    (specialist review Z20a P6: ciclosporin for a CDASI of 10 at 7 weeks, in a pregnancy the
    plan itself flagged for pre-eclampsia)."""
    # IVIG too: for mild skin disease in pregnancy it is no first step either (it joined the
    # JDM refractory-skin options with review Z27a P6)
    names = [t.name for t in kb.therapies.values()
             if t.category in (*REPLACEMENT_CATEGORIES, "immunoglobulin")
             and t.id not in current]
    out = []
    for regimen in regimens:
        if regimen.domain != "skin":
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice
               if any(e.removeprefix("add ").startswith(n) for n in names)
               and "(taken now" not in e]
        if not new:
            out.append(regimen)
            continue
        # a systemic agent among the alternatives carries the same limit (the switch of a
        # stopped teratogen then names none of them: re-score of review Z20a P6)
        alternatives = [a.split(" (")[0] + f" ({PREGNANCY_SKIN})"
                        if any(a.startswith(n) for n in names) and PREGNANCY_SKIN not in a
                        else a for a in regimen.alternatives]
        out.append(regimen.model_copy(update={
            "first_choice": [e for e in regimen.first_choice if e not in new]
            or ["Photoprotection and topical treatment"],
            "alternatives": [*[e.removeprefix("add ").split(" (")[0] + f" ({PREGNANCY_SKIN})"
                               for e in new], *alternatives]}))
    return out


MINIMAL_SKIN_CDASI = 5
"""A CDASI activity score at or below this is minimal skin disease: topical care and sun
protection first (a project threshold; CDASI severity bands put mild disease below 14)."""
TOPICAL_FIRST = "if topical care and sun protection do not settle it: "


def topical_first_for_minimal_skin(regimens: list[Regimen], cdasi: float | None,
                                   antimalarial: str) -> list[Regimen]:
    """Minimal skin activity (CDASI 5 or less) with kidney failure: a new antimalarial waits
    behind topical care and sun protection (specialist review Z44b P8: hydroxychloroquine
    started for a CDASI of 5 on haemodialysis, with insulin - retinal toxicity and
    hypoglycaemia for little gain)."""
    if cdasi is None or cdasi > MINIMAL_SKIN_CDASI:
        return regimens
    out = []
    for r in regimens:
        new = [e for e in r.first_choice if r.domain == "skin"
               and e.removeprefix("add ").startswith(antimalarial)]
        if not new:
            out.append(r)
            continue
        rest = [e for e in r.first_choice if e not in new]
        out.append(r.model_copy(update={
            "first_choice": rest or ["Topical treatment and sun protection"],
            "alternatives": [TOPICAL_FIRST + new[0].removeprefix("add "), *r.alternatives]}))
    return out


VARICELLA_DOMAINS = frozenset({"muscle", "skin", "lung"})


RESCUE_WORDS = ("methylprednisolone", "immunoglobulin", "ivig", "cyclophosphamide",
                "glucocorticoid iv", "plasma exchange", "prednisolone")
"""Words of an approach entry that make it a rescue for a threatened organ: it goes ahead
during an incubation period, where a slow new agent waits."""


def varicella_incubation(regimens: list[Regimen], organ_threatening: bool,
                         ivig: str | None, harmless: frozenset[str] = frozenset(),
                         agents: frozenset[str] = frozenset(),
                         infection: str = "chickenpox",
                         organ_failing: bool = False,
                         rescue_extra: tuple[str, ...] = ()) -> list[Regimen]:
    """A seronegative (or untested) patient within 3 weeks of a chickenpox or shingles contact:
    no glucocorticoid rise and no new immunosuppressant until the incubation period ends,
    unless an organ is threatened; IVIG, which also gives passive protection, bridges if
    escalation cannot wait (specialist review U: pulses, a glucocorticoid rise and
    mycophenolate or ciclosporin for two children with a household contact). ``ivig`` is the
    IVIG option's name when the plan may offer it; ``harmless`` the names of options that
    suppress no immunity (antimalarials, topicals, non-drug measures), which stay; ``agents``
    the names of the immunosuppressive options, whose new starts wait."""
    out = []
    bridged = False
    for regimen in regimens:
        if regimen.domain not in VARICELLA_DOMAINS:
            out.append(regimen)
            continue
        def escalates(entry: str) -> bool:
            if entry.startswith(KEPT) or "(taken now" in entry \
                    or any(name in entry for name in harmless):
                return False
            # a modest glucocorticoid rise is a rise too (re-score of specialist review Z28c P4:
            # 'no rise in glucocorticoid' beside 'a modest, short rise of prednisolone')
            return entry.startswith(("add ", "raise ", "for a mild flare a modest")) \
                or any(n in entry for n in agents)

        kept = [e.replace("Continue and optimise ", "Continue ", 1)
                for e in regimen.first_choice if not escalates(e)]
        new = [e for e in regimen.first_choice if escalates(e)]
        if not new:
            # nothing new to hold back, but no 'optimise' either (specialist review Z55d P7:
            # 'Continue and optimise' prednisolone beside 'no rise in glucocorticoid')
            out.append(regimen.model_copy(update={"first_choice": kept}))
            continue
        words = INCUBATION_TEXT[infection]
        if organ_threatening:
            # the rescue for the threatened organ goes ahead; a slow new agent (rituximab, an
            # antimetabolite) helps no organ this month and waits for the incubation to end
            # (specialist review Z27c P3: rituximab first for a seronegative child 3 days
            # after a chickenpox contact, H848)
            # cyclophosphamide's low count falls inside the incubation: it waits too unless the
            # organ is failing (oxygen at rest, ventilation) (specialist review Z36c P5:
            # cyclophosphamide 5 days after a chickenpox contact for a lung needing no oxygen)
            rescue = (RESCUE_WORDS if organ_failing else tuple(
                w for w in RESCUE_WORDS if w != "cyclophosphamide")) + rescue_extra
            slow = [e for e in new if not any(w in e.lower() for w in rescue)]
            out.append(regimen.model_copy(update={
                "first_choice": [e for e in regimen.first_choice if e not in slow]
                + [words["threat"]],
                "alternatives": ([re.sub(r",? or at once if an organ is threatened,?", "",
                                         words["after"]) + " + ".join(
                    e.removeprefix("add ").split(" (caution")[0] for e in slow)]
                    if slow else []) + list(regimen.alternatives)}))
            continue
        hold = words["hold"]
        bridge = [f"{ivig} if escalation cannot wait (it also gives passive protection)"] \
            if ivig and not bridged and not any(ivig in e for e in kept) else []
        bridged = bridged or bool(bridge)
        deferred = [e.removeprefix("add ") for e in new if not (ivig and ivig in e)]
        out.append(regimen.model_copy(update={
            "first_choice": [hold, *kept, *bridge],
            "alternatives": [words["after"] + " + ".join(deferred)] if deferred else [],
            "decision_point": words["decision"]}))
    return out


END_OF_LIFE = ("Near the end of life (see Goals of care): keep what helps now and start nothing "
               "whose benefit takes months")


LIMITED_CEILINGS = frozenset({"no_icu", "ward_based", "comfort"})
"""Ceilings of treatment under which a procedure that can bring on respiratory failure is not
a default."""

BRONCHOSCOPY = re.compile(r"bronchoscopy with lavage(?: and fungal markers)?(?: where safe)?")
BRONCHOSCOPY_WITHIN_CEILING = (
    "bronchoscopy only after a goals discussion (it can bring on the respiratory failure the "
    "agreed ceiling would not escalate: induced sputum, beta-D-glucan and PCR first)")


def without_bronchoscopy_by_default(regimens: list[Regimen], actions: list[Action]
                                    ) -> tuple[list[Regimen], list[Action]]:
    """Under a no-ICU, ward-based or comfort ceiling, a bronchoscopy is not a default work-up
    step (specialist review Z34b P2: 'bronchoscopy with lavage where safe' for a man on oxygen
    at rest with diffuse alveolar damage and a no-ICU ceiling)."""
    def reword(text: str) -> str:
        # the lung regimen's own work-up names its tests after the bronchoscopy: said once
        # (re-score of specialist review Z34b P2: the test list printed twice)
        text = text.replace(
            "bronchoscopy with lavage where safe (PJP PCR, viral and bacterial studies), "
            "beta-D-glucan", "induced sputum (PJP PCR, viral and bacterial studies) and "
            "beta-D-glucan first - a bronchoscopy only after a goals discussion (it can bring "
            "on the respiratory failure the agreed ceiling would not escalate)")
        return BRONCHOSCOPY.sub(BRONCHOSCOPY_WITHIN_CEILING, text)
    return ([r.model_copy(update={"first_choice": [reword(e) for e in r.first_choice],
                                  "alternatives": [reword(e) for e in r.alternatives]})
             for r in regimens],
            [a.model_copy(update={"text": reword(a.text)}) for a in actions])


NO_REPLACEMENT_NEAR_END = ("no replacement near the end of life (see Goals of care): the "
                           "glucocorticoid dose that controls symptoms, and nothing whose "
                           "benefit takes months")
STOP_NEAR_END = ("Consider stopping {name} with the patient and family (comfort care: its "
                 "benefit takes months, its infection risk is now)")


def within_goals_of_care(regimens: list[Regimen], slow: frozenset[str],
                         stop_slow: frozenset[str] = frozenset(),
                         chooser: str = "the patient chooses") -> list[Regimen]:
    """Near the end of life, no new agent whose benefit takes months and no IV pulses: what
    helps now (IVIG, the glucocorticoid dose that controls symptoms, skin care) stays
    (specialist review V: azathioprine and IV pulses added for a woman with weeks to live from
    ovarian cancer whose swallowing depended on IVIG). ``slow`` holds the names of such
    agents, IV pulses included; ``chooser`` who may choose more (a best-interests decision
    when the patient lacks capacity - specialist review Z50c P7)."""
    out = []
    for regimen in regimens:
        if regimen.domain == "treatment changes":
            # a stopped agent is not replaced by a slow one near the end of life (specialist
            # review Z62d P6: 'stop methotrexate + switch to azathioprine' for a woman of 88 on
            # comfort care with weeks to months to live)
            out.append(regimen.model_copy(update={"first_choice": [
                NO_REPLACEMENT_NEAR_END if e.startswith("switch to ")
                and any(name in e for name in slow) else e for e in regimen.first_choice]}))
            continue
        if regimen.domain not in VARICELLA_DOMAINS:
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if starts_new_agent(e, slow)]
        # the glucocorticoid is kept at the dose that controls symptoms, not tapered to a target
        kept = [restate_kept(e, ": the lowest dose that controls symptoms")
                for e in regimen.first_choice if e not in new]
        # in the last days to weeks a slow agent taken now is deprescribed, not continued
        # (specialist review Z34b P1: 'Continue mycophenolate' for a dying woman)
        # a regimen may name the agent taken now without 'Continue' (the lung's first line):
        # stopped there too, not kept beside the other domain's stop
        kept = [STOP_NEAR_END.format(name=next(n for n in stop_slow if n in e))
                if (e.startswith(KEPT) and any(n in e for n in stop_slow))
                or any(e.removeprefix("add ").startswith(n) for n in stop_slow) else e
                for e in kept]
        # slow alternatives (offered 'once the infection is treated' or 'once the oncology plan
        # is agreed') are no more proportionate than slow first choices (specialist review
        # Z33a P5: mycophenolate, methotrexate and azathioprine listed for a woman with weeks to
        # months to live)
        slow_alternatives = [e for e in regimen.alternatives
                             if any(name in e for name in slow)]
        if not new and not slow_alternatives and kept == regimen.first_choice:
            out.append(regimen)
            continue
        deferred = [e.removeprefix("add ").split(" (caution")[0] for e in new] + [
            e[min(e.find(name) for name in slow if name in e):].split(" (")[0]
            for e in slow_alternatives]
        out.append(regimen.model_copy(update={
            "first_choice": [END_OF_LIFE, *kept] if new or slow_alternatives else kept,
            "alternatives": [e for e in regimen.alternatives if e not in slow_alternatives]
            + ([f"only if {chooser} more active treatment: " + " or ".join(deferred)]
               if deferred else [])}))
    return out


AROUND_AN_OPERATION = ("after the operation, once the wound has healed (about 2 weeks; longer "
                       "after a sternotomy - the surgeon says when), unless the disease cannot "
                       "wait - then agree it with the surgeon: ")


GC_AROUND_AN_OPERATION = ("; with the operation under 2 weeks away, the rise is agreed with the "
                          "surgeon and anaesthetist - the lowest dose that holds the disease "
                          "(wound healing, glucose), with perioperative hydrocortisone cover")


def around_an_operation(regimens: list[Regimen], slow: frozenset[str]) -> list[Regimen]:
    """Within 2 weeks of an operation, a new agent whose benefit takes months (an
    antimetabolite, a biologic) is started after the wound has healed: it adds marrow
    suppression, infection and poor healing now and helps nothing this fortnight (specialist
    review Z33b P2: methotrexate added 9 days before a cancer operation, beside the plan's own
    perioperative hold). ``slow`` holds the names of such agents."""
    out = []
    # a glucocorticoid rise now is agreed with the surgeon too (re-score of specialist review
    # Z72c P7: 0.5 mg/kg/day from 5 mg 13 days before a bypass operation, on dialysis and
    # insulin, with no word to the surgeon)
    regimens = [r.model_copy(update={"first_choice": [
        e + GC_AROUND_AN_OPERATION if e.startswith("raise prednisolone") else e
        for e in r.first_choice]}) for r in regimens]
    for regimen in regimens:
        new = [e for e in regimen.first_choice if starts_new_agent(e, slow)]
        if not new:
            out.append(regimen)
            continue
        deferred = " + ".join(e.removeprefix("add ").split(" (caution")[0] for e in new)
        out.append(regimen.model_copy(update={
            "first_choice": [e for e in regimen.first_choice if e not in new]
            + [AROUND_AN_OPERATION + deferred]}))
    return out


ANTIMETABOLITE_IDS = ("mycophenolate", "azathioprine", "methotrexate")


def cyclophosphamide_in_place(regimens: list[Regimen], cyc_name: str,
                              antimetabolite_names: list[str], risks: list[str]) -> list[Regimen]:
    """A lung that progresses slowly on an antimetabolite: cyclophosphamide replaces it rather
    than joining it, and with infection risks it waits for an immunology and infection review
    behind nintedanib (specialist review Z8d: IV cyclophosphamide added to mycophenolate for a
    slowly progressive fibrotic antisynthetase ILD in a man with HIV, IgG 5.1 and lymphocytes
    0.7)."""
    lung = next((r for r in regimens if r.domain == "lung" and r.state == "inadequate_response"
                 and any(e.startswith(cyc_name) for e in r.first_choice)), None)
    if lung is None:
        return regimens
    taken = antimetabolite_names
    line = cyc_name + (f" in place of {' and '.join(taken)} (stopped when it starts, not added "
                       "to it)" if taken else "")
    out = []
    for r in regimens:
        first, alternatives = list(r.first_choice), list(r.alternatives)
        if r is lung and risks:
            first = [e for e in first if not e.startswith(cyc_name)]
            alternatives = [f"{line}, after an immunology and infection review ("
                            + ", ".join(risks) + ")", *alternatives]
            if not any(e.startswith(("add Nintedanib", "Nintedanib")) for e in first):
                first.insert(0, "ILD multidisciplinary review before more immunosuppression")
        elif r is lung:
            first = [line if e.startswith(cyc_name) else e for e in first]
        if not risks:
            # replaced, so not also continued anywhere in the approach
            first = [e for e in first if not any(e.startswith(f"Continue {n}") for n in taken)]
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out


def kidney_safe_rp_ild(regimens: list[Regimen], tacrolimus: str, rituximab: str,
                      figure: str = "eGFR") -> list[Regimen]:
    """Rapidly progressive ILD with an eGFR below 30: tacrolimus (nephrotoxic, levels hard to
    hold) gives way to rituximab where it is offered (specialist review Z9b: pulses, tacrolimus
    and cyclophosphamide on mycophenolate for a frail woman with CKD 4)."""
    out = []
    for r in regimens:
        uses_tac = any(e.startswith(tacrolimus) for e in r.first_choice)
        rtx = next((a for a in r.alternatives if a.startswith(rituximab)), None)
        if r.domain == "lung" and uses_tac and rtx is not None:
            r = r.model_copy(update={
                "first_choice": [rtx if e.startswith(tacrolimus) else e for e in r.first_choice],
                "alternatives": [a for a in r.alternatives if a != rtx]
                + [f"{tacrolimus} ({figure} below 30: nephrotoxic; only with the kidney team and "
                   "close trough levels)"]})
        out.append(r)
    return out


def within_a_limited_ceiling(regimens: list[Regimen], cyc_name: str, ivig_name: str,
                             why: str) -> list[Regimen]:
    """Rapidly progressive ILD in a frail patient or under a limited ceiling of treatment: the
    marrow-toxic cyclophosphamide waits among the alternatives and IVIG, which adds no
    immunosuppression, takes its place (specialist review Z9b: a frail woman of 74 with CKD 4,
    lymphocytes 0.6 and a no-ICU ceiling given four immunosuppressants)."""
    out = []
    for r in regimens:
        cyc = next((e for e in r.first_choice if e.startswith(cyc_name)), None)
        if r.domain == "lung" and cyc is not None:
            ivig = next((a for a in r.alternatives if a.startswith(ivig_name)), None)
            first = [e for e in r.first_choice if e != cyc] + ([ivig] if ivig else [])
            r = r.model_copy(update={
                "first_choice": first,
                "alternatives": [a for a in r.alternatives if a != ivig]
                + [f"{cyc} - weighed against {why} with the patient and family"]})
        out.append(r)
    return out

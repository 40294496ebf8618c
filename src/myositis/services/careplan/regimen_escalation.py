"""Guards on the assembled approach that decide whether to escalate: the diagnosis re-examined first,
a plateau or steroid myopathy before a new agent, drug toxicity excluded, one new agent at a time,
and replacements named as the regimens name them.

They run after the per-domain regimens are built, because each reads the approach as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Regimen
from myositis.services.careplan.regimen_circumstances import PREGNANCY_SKIN, REPLACEMENT_CATEGORIES
from myositis.services.careplan.regimen_lines import REPRODUCTIVE_REASONS, starts_new_agent
from myositis.services.careplan.regimens import KEPT

DEFERRED = "once the diagnosis is confirmed: "


ESCALATION_DO_NOW = frozenset({"jdm_target_missed_first_line", "jdm_target_missed_on_second_line",
                               "jdm_target_missed_pregnant"})
"""Do-now lines that push a new agent: left out while the diagnosis is re-examined."""


NOT_CLASSIFIED_WHY = ("the 2017 EULAR/ACR criteria do not classify this as myositis, and a "
                      "dystrophy or metabolic myopathy does not respond to immunosuppression")


SERONEGATIVE_IMNM_WHY = ("an antibody-negative necrotising myopathy that has not responded is a "
                         "muscular dystrophy (dysferlin, FKRP, sarcoglycans, the DMD gene in a "
                         "boy) until shown otherwise, and a dystrophy does not respond to "
                         "immunosuppression")


BLAND_BIOPSY_WHY = ("every myositis antibody is negative and the biopsy shows no inflammation, "
                    "MHC-I upregulation or necrosis: a mimic (a dystrophy, late-onset Pompe "
                    "disease) until shown otherwise, and these do not respond to "
                    "immunosuppression")


CHANGES = "treatment changes"


def replacement_as_in_the_regimens(regimens: list[Regimen], kb: KnowledgeBase,
                                   current: Collection[str]) -> list[Regimen]:
    """The replacement named under 'treatment changes' is the steroid-sparing agent that the
    organ regimens start, not another one (specialist review Z20d P4: 'Stop mycophenolate +
    switch to tacrolimus' at 9 weeks of pregnancy, while the muscle and lung regimens each
    added azathioprine)."""
    changes = next((r for r in regimens if r.domain == CHANGES), None)
    if changes is None:
        return regimens
    # a stop for pregnancy or conception is replaced only by a pregnancy-compatible agent, even
    # when a regimen starts another (specialist review Z71d P3: 'switch to Rituximab (as in the
    # regimens below)' for mycophenolate stopped before a planned pregnancy)
    reproductive = any(word in e.lower() for e in changes.first_choice
                       for word in REPRODUCTIVE_REASONS if e.startswith("Stop "))
    candidates = [t.name for t in kb.therapies.values()
                  if t.category in REPLACEMENT_CATEGORIES and t.id not in current
                  and not (reproductive and (t.reproduction is None
                                             or t.reproduction.pregnancy != "compatible"))]
    started = list(dict.fromkeys(
        name for r in regimens if r.domain != CHANGES for e in r.first_choice
        for name in candidates
        if e.removeprefix("add ").startswith(name) and "(taken now" not in e))
    if not started:
        return regimens
    first = [f"switch to {' or '.join(started)} (as in the regimens below)"
             if e.startswith("switch to ") and not any(n in e for n in started) else e
             for e in changes.first_choice]
    return [r.model_copy(update={"first_choice": first}) if r is changes else r
            for r in regimens]


GLUCOCORTICOID_ONLY = ("Continue Oral glucocorticoids", "Keep glucocorticoids steady",
                       "Continue glucocorticoids")


def replacement_named_where_it_maintains(regimens: list[Regimen]) -> list[Regimen]:
    """A quiet domain whose maintenance agent the treatment changes stop, and that is left with
    only its glucocorticoid, names the replacement: otherwise 'Continue oral glucocorticoids'
    reads as if 5 mg of prednisolone alone will hold the lung once mycophenolate stops
    (specialist review Z63c P5, antisynthetase ILD before a planned pregnancy)."""
    changes = next((r for r in regimens if r.domain == CHANGES), None)
    if changes is None:
        return regimens
    switch = next((e for e in changes.first_choice if e.startswith("switch to ")), None)
    stopped = [e.split(":", 1)[0].removeprefix("Stop ") for e in changes.first_choice
               if e.startswith("Stop ")]
    if switch is None or not stopped:
        return regimens
    target = switch.removeprefix("switch to ").split(" (")[0]
    line = f"{target} in place of {stopped[0]} (see the treatment changes)"
    return [r.model_copy(update={"first_choice": [*r.first_choice, line]})
            if r.domain != CHANGES and r.state in ("stable", "remission") and r.first_choice
            and all(e.startswith(GLUCOCORTICOID_ONLY) for e in r.first_choice) else r
            for r in regimens]


KEEPING = ("Continue", "Photoprotection", "Topical")


LIMITED = re.compile(r"\bonly (?:for|if|once|when|after|in|with)\b")


def skin_escalation_named(regimens: list[Regimen]) -> list[Regimen]:
    """Skin that is not responding is not left with 'continue' alone: the first of its
    alternatives becomes the step to add (specialist review Z21b P7: refractory amyopathic DM on
    hydroxychloroquine and topicals told to continue all three, mycophenolate and IVIG only
    among the alternatives)."""
    out = []
    for r in regimens:
        if r.domain == "skin" and r.state in ("inadequate_response", "flare") and r.alternatives \
                and r.first_choice and all(e.startswith(KEEPING) for e in r.first_choice):
            step = r.alternatives[0]
            # never one the plan has limited (pregnancy, 'only for', a trial)
            if not LIMITED.search(step) and "trial" not in step.lower() \
                    and PREGNANCY_SKIN not in step:
                r = r.model_copy(update={"first_choice": [*r.first_choice, "add " + step],
                                         "alternatives": r.alternatives[1:]})
        out.append(r)
    return out


RAISE_TO_INDUCTION = re.compile(r"\(now ([\d.]+) mg/day = [\d.]+ mg/kg: below the induction "
                                r"range[^)]*\)")


def diagnosis_before_escalation(regimens: list[Regimen],
                                why: str = NOT_CLASSIFIED_WHY) -> list[Regimen]:
    """A 'polymyositis' that the 2017 criteria do not classify as myositis (or only with a
    biopsy not yet done) and that does not
    respond: no new agent until the diagnosis is re-examined; the escalation waits among the
    alternatives (specialist review K: rituximab first, HSCT and cyclophosphamide offered, for
    a 16-year-old with calf weakness and CK 45 x ULN, most likely a dystrophy)."""
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle":
            out.append(regimen)
            continue
        kept = [e for e in regimen.first_choice if e.startswith(KEPT) or "(taken now" in e]
        new = [e for e in regimen.first_choice if e not in kept]
        # no 'partner of the new agent' while no new agent is started (re-score of review K)
        # nor a 'raise to the induction range' inside it (specialist review Z13a: 'continue,
        # without raising ... raise to 0.5-1 mg/kg/day' after 60 mg/day had not helped)
        kept = [RAISE_TO_INDUCTION.sub(r"(now \1 mg/day)", e) for e in kept]
        kept = [e.replace("Continue and optimise ", "Continue, without raising, ", 1)
                .replace("keep it only as the partner of the new agent, or stop it",
                          "whether to stop it is part of the diagnostic review")
                # a glucocorticoid that never helped is withdrawn, not 'tapered as the
                # response allows' (specialist review O: five years without a response)
                .replace("tapering as the response allows",
                         "tapering towards withdrawal (no adequate response; adrenal precautions "
                         "after long use)") for e in kept]
        lead = ("Re-examine the diagnosis before any new agent: " + why
                + " - biopsy review with dystrophy and metabolic "
                "stains, muscle MRI of the thighs and calves (the pattern points to the gene: "
                "posterior calf involvement to dysferlin), genetic testing (the DMD gene and a "
                "limb-girdle panel), the Pompe enzyme, an echocardiogram, no heavy eccentric "
                "exercise, and no suxamethonium or volatile anaesthetics until a dystrophy is "
                "excluded")
        deferred = [*new, *regimen.alternatives][:4]
        out.append(regimen.model_copy(update={
            "first_choice": [lead, *kept],
            "alternatives": [DEFERRED + " or ".join(deferred)] if deferred else [],
            "decision_point": "The diagnostic review (biopsy review with dystrophy and metabolic "
                              "stains, genetic testing, the Pompe enzyme) decides whether "
                              "immunosuppression continues at all."}))
    return out


REFRACTORY_NAMED = "the refractory options (IVIG, rituximab)"


def decision_without_first_choice(regimens: list[Regimen]) -> list[Regimen]:
    """A decision point does not keep for later what the first choice already gives
    (specialist review Z7c: IVIG first for anti-TIF1-gamma DM, then 'after two agents fail, the
    refractory options (IVIG, rituximab)')."""
    out = []
    for r in regimens:
        if REFRACTORY_NAMED in r.decision_point:
            given = " ".join(r.first_choice).lower()
            left = [name for name, word in (("IVIG", "immunoglobulin"),
                                            ("rituximab", "rituximab")) if word not in given]
            later = (f"the refractory options ({', '.join(left)})" if left
                     else "a specialist myositis centre's options")
            r = r.model_copy(update={"decision_point": r.decision_point.replace(
                REFRACTORY_NAMED, later)})
        out.append(r)
    return out


AFTER_DRUG_TOXICITY = "once hydroxychloroquine toxicity is excluded: "
AFTER_COLCHICINE = ("once colchicine toxicity is excluded (CK, blood count and strength rechecked "
                    "2-4 weeks after it is stopped), or sooner if weakness is severe or "
                    "progressing: ")


def drug_toxicity_first(regimens: list[Regimen],
                        after: str = AFTER_DRUG_TOXICITY) -> list[Regimen]:
    """A toxic myopathy from a drug taken now is excluded before the muscle is escalated: new
    agents wait among the alternatives and nothing is raised (specialist review Z8a:
    mycophenolate added and prednisolone 'optimised' beside a possible hydroxychloroquine
    myopathy; Z66d P8: prednisolone 60 mg first choice beside a likely colchicine
    neuromyopathy on dialysis). ``after`` names what must be excluded first."""
    out = []
    for r in regimens:
        if r.domain != "muscle":
            out.append(r)
            continue
        kept = [e.replace("Continue and optimise ", "Continue, without raising, ", 1)
                for e in r.first_choice if e.startswith(KEPT) or e.startswith("Hold ")]
        new = [e.removeprefix("add ") for e in r.first_choice
               if not (e.startswith(KEPT) or e.startswith("Hold "))]
        out.append(r.model_copy(update={
            "first_choice": kept or ["No new agent for the muscle until the drug toxicity is "
                                     "excluded (see Do now)"],
            "alternatives": ([after + " or ".join(new)] if new else [])
            + r.alternatives}))
    return out


def one_new_agent_for_the_joints(regimens: list[Regimen]) -> list[Regimen]:
    """The joints get no second new immunosuppressant when another domain already starts one:
    that agent treats the joints too, and the joint agent waits for them to stay active on it
    (specialist review Z8d: 'add azathioprine' for the lung and 'add tacrolimus' for the joints
    before a conception)."""
    joints = next((r for r in regimens if r.domain == "joints"), None)
    if joints is None:
        return regimens
    # an organ regimen's agent first, then the replacement named in the treatment changes
    ordered = sorted((r for r in regimens if r.domain != "joints"),
                     key=lambda r: r.domain == "treatment changes")
    started = [e.removeprefix("add ").removeprefix("switch to ").split(" (")[0]
               for r in ordered for e in r.first_choice if e.startswith(("add ", "switch to "))]
    own = [e for e in joints.first_choice if e.startswith("add ")]
    if not started or not own:
        return regimens
    agent = started[0]
    waiting = [e.removeprefix("add ") for e in own]
    out = []
    for r in regimens:
        if r is joints:
            r = r.model_copy(update={
                "first_choice": [e for e in r.first_choice if e not in own]
                + [f"{agent}, started for the other domain, treats the joints too"],
                "alternatives": ["if the joints stay active on it: " + " or ".join(waiting),
                                 *r.alternatives]})
        out.append(r)
    return out


PLATEAU_DAYS = 300
"""About a year of unchanged strength and CK before a plateau is read as possible damage."""


PLATEAU_MMT_POINTS = 2


PLATEAU_CK_SPREAD = 0.3


def muscle_plateau(record: PatientRecord) -> str | None:
    """Strength (MMT-8) and CK unchanged for about a year on treatment: the words that say so,
    or None. Unchanged means MMT-8 within 2 points and every CK within 30 % of their mean (project
    thresholds)."""
    today = record.on()
    visits = [v for v in record.visits if v.core_set.mmt8 is not None
              and (today - v.date).days <= 2 * 365]
    cks = [r for r in record.lab_results if r.analyte == "ck" and (today - r.date).days <= 2 * 365]
    if len(visits) < 2 or len(cks) < 2:
        return None
    if (visits[-1].date - visits[0].date).days < PLATEAU_DAYS \
            or (max(r.date for r in cks) - min(r.date for r in cks)).days < PLATEAU_DAYS:
        return None
    grades = [float(v.core_set.mmt8) for v in visits if v.core_set.mmt8 is not None]
    values = [float(r.value) for r in cks]
    mean = sum(values) / len(values)
    if max(grades) - min(grades) > PLATEAU_MMT_POINTS \
            or any(abs(v - mean) > PLATEAU_CK_SPREAD * mean for v in values):
        return None
    top = visits[-1].core_set.mmt_max

    def span(low: float, high: float) -> str:
        return f"{low:g}" if low == high else f"{low:g}-{high:g}"
    return (f"MMT-8 {span(min(grades), max(grades))}/{top:g} and CK "
            f"{span(min(values), max(values))} U/L unchanged from {visits[0].date} to "
            f"{visits[-1].date}")


def plateau_before_escalation(regimens: list[Regimen], record: PatientRecord) -> list[Regimen]:
    """A year of unchanged strength and CK on treatment may be damage (fatty replacement, fixed
    weakness) rather than activity: the muscle regimen images before it escalates (specialist
    review Z17a P3: a steady CK of 900 and MMT-8 66/80 for a year read as refractory, with
    referral and escalation). The escalation waits among the alternatives for an MRI that shows
    active myositis."""
    plateau = muscle_plateau(record)
    if plateau is None:
        return regimens
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle" or regimen.state != "inadequate_response" \
                or any(e.startswith(("Before any new agent", "Glucocorticoid myopathy first"))
                       for e in regimen.first_choice):
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if not e.startswith((
            "Continue", "Taper", "Hold", "Stop", "Review", "no "))]
        kept = [e for e in regimen.first_choice if e not in new]
        out.append(regimen.model_copy(update={
            "first_choice": [f"A plateau, not yet a failure ({plateau}): a muscle MRI (STIR "
                             "oedema for activity, T1 fatty replacement for damage) before any "
                             "escalation; fixed weakness is rehabilitated, not escalated",
                             *kept],
            "alternatives": ["if the MRI shows active myositis: " + " + ".join(new),
                             *regimen.alternatives] if new else regimen.alternatives}))
    return out


ONCOLOGY_FIRST = " (once the oncology plan is agreed)"


def new_agents_wait_for_cancer_work_up(regimens: list[Regimen],
                                       agents: frozenset[str]) -> list[Regimen]:
    """A cancer suspected and being worked up: a new immunosuppressant for the skin or the
    joints waits among the alternatives until the oncology plan is agreed, as the muscle
    regimen's do (re-score of specialist review Z31h P8: methotrexate restarted for the skin
    beside urgent work-up of postmenopausal bleeding, weight loss and anaemia)."""
    out = []
    for r in regimens:
        if r.domain not in ("skin", "joints"):
            out.append(r)
            continue
        new = [e for e in r.first_choice if starts_new_agent(e, agents)]
        out.append(r.model_copy(update={
            "first_choice": [e for e in r.first_choice if e not in new],
            "alternatives": [*(e.removeprefix("add ") + ONCOLOGY_FIRST for e in new),
                             *r.alternatives]}) if new else r)
    return out


STATIN_CAUSE_FIRST = (" - only once the CK is rechecked off the statin and a flare is confirmed "
                      "(anti-HMGCR, troponin, muscle MRI; see Do now)")


def escalation_waits_for_statin_toxicity(regimens: list[Regimen],
                                         agents: frozenset[str]) -> list[Regimen]:
    """A statin held for myotoxicity with an interacting drug: the muscle regimen starts no new
    agent on this CK (specialist review Z52d P5: 'add IVIG' 2 g/kg for a lung-transplant
    recipient beside 'no myositis escalation on this CK alone', eGFR 48, tacrolimus 14)."""
    out = []
    for r in regimens:
        new = [e for e in r.first_choice if starts_new_agent(e, agents)] \
            if r.domain == "muscle" else []
        # nor raises the glucocorticoid on it ('continue and optimise' reads as a rise)
        kept = [e.replace("Continue and optimise ", "Continue ", 1) for e in r.first_choice
                if e not in new] if r.domain == "muscle" else r.first_choice
        out.append(r.model_copy(update={
            "first_choice": kept,
            "alternatives": [*(e.removeprefix("add ") + STATIN_CAUSE_FIRST for e in new),
                             *r.alternatives]}) if new or kept != r.first_choice else r)
    return out


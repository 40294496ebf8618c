"""Guards for acute illness applied to the assembled approach: nothing by mouth with gut
vasculopathy, new agents deferred during an infection or a bleed, stress-dose hydrocortisone in
critical illness, fever read as anti-MDA5 disease, the cost of a glucocorticoid rise named, and
IVIG brought in for a low IgG with infections.

Kept apart from the ``regimen_*`` guard modules; each reads the approach as a whole.
"""

from __future__ import annotations

from myositis.services.careplan.model import Regimen
from myositis.services.careplan.regimen_lines import (
    DRUG_THROUGH_INFECTION,
    GC_THROUGH_INFECTION,
    reword_kept,
    starts_new_agent,
)

GLUCOCORTICOID_IV = "Glucocorticoid IV (methylprednisolone)"


def glucocorticoid_iv(regimens: list[Regimen], gc_name: str,
                      jdm_gut: bool = False, ivig_held: bool = False,
                      methotrexate_held: bool = False) -> list[Regimen]:
    """Nothing by mouth with gut vasculopathy or a perforation: the glucocorticoid taken now
    goes IV (specialist review Z6c: 'continue and optimise oral glucocorticoids' for a child
    with melaena)."""
    def line(entry: str) -> str:
        if entry.startswith((f"Continue and optimise {gc_name}", f"Continue {gc_name}",
                             gc_name)):
            return (GLUCOCORTICOID_IV + " while the gut is involved and nothing is taken by "
                    "mouth (see Do now)")
        # a new start by mouth waits for the gut (specialist review Z7b: methotrexate and
        # hydroxychloroquine started by mouth in a child nil by mouth with a gut bleed)
        if entry.startswith(("Methotrexate", "add Methotrexate")):
            # a gut bleed or a perforation holds it by any route (specialist review Z52c P5:
            # 'Methotrexate subcutaneously' first beside 'hold methotrexate by any route')
            return (METHOTREXATE_AFTER_THE_GUT if methotrexate_held else
                    "Methotrexate subcutaneously, not by mouth while the gut is involved")
        if entry.startswith(("Hydroxychloroquine", "add Hydroxychloroquine")):
            return "Hydroxychloroquine once eating and drinking again (tablets only)"
        return entry
    out = []
    for r in regimens:
        first = list(dict.fromkeys(line(e) for e in r.first_choice))
        if jdm_gut and r.domain == "muscle" and not any(
                ("immunoglobulin" in e.lower() or "cyclophosphamide" in e.lower()) for e in first):
            # the IV escalation the gut needs is named in the approach as in Do now (specialist
            # review Z17c P5: the oral agents withheld left IV pulses alone)
            # IVIG withheld (blood products declined, a kidney injury) is not named beside its
            # hold (specialist review Z27a P7: 'IVIG and/or IV cyclophosphamide')
            first.append(GUT_ESCALATION_NO_IVIG if ivig_held else GUT_ESCALATION)
        out.append(r.model_copy(update={"first_choice": first}))
    return out


METHOTREXATE_AFTER_THE_GUT = ("Methotrexate subcutaneously once the bleeding has stopped and a "
                              "perforation is excluded (held by any route until then; see Do now)")
GUT_ESCALATION = ("IVIG and/or IV cyclophosphamide (dosed for kidney function; cyclophosphamide "
                  "once a perforation is excluded) decided with the paediatric rheumatology "
                  "centre (see Do now)")
GUT_ESCALATION_NO_IVIG = ("IV cyclophosphamide (dosed for kidney function; once a perforation is "
                          "excluded) decided with the paediatric rheumatology centre - IVIG is "
                          "withheld for this patient (see Do now and the withheld list)")


DURING_INFECTION = ("once the infection is treated (at once only if the myositis threatens life, "
                    "with the infection team): ")
DURING_FEVER = ("once infection is excluded (same-day cultures, chest imaging and CRP; fever "
                "is also a feature of active myositis, antisynthetase syndrome especially): ")
DURING_TB_EXCLUSION = ("once active TB is excluded (chest imaging compatible with TB, see Do now; "
                       "at once only if an organ is threatened, with the TB team): ")
DURING_BLEEDING = ("once the bleeding has stopped (at once only if the myositis threatens life, "
                   "with the gastroenterology team): ")


def during_infection(regimens: list[Regimen], agents: frozenset[str],
                     wait: str | None = None, changes_too: bool = True,
                     joiner: str = " or ") -> list[Regimen]:
    """An active infection: in the muscle and skin regimens no new immunosuppressant and no IV
    pulses are started beside the antibiotics; they wait among the alternatives (specialist
    review X: azathioprine and IV pulses added during an aspiration pneumonia on oxygen, beside
    'continue the glucocorticoid without raising it'). ``agents`` holds the names of the
    immunosuppressive options, IV pulses included; ``wait`` what they wait for (the infection
    by default; a gastrointestinal bleed, specialist review Z). ``joiner`` links the deferred
    agents: ' or ' (one of them, once the infection is treated) or ' + ' (the whole induction,
    once active TB is excluded; re-score of specialist review Z30a P3)."""
    wait = wait or DURING_INFECTION
    out = []
    for regimen in regimens:
        if regimen.domain == "treatment changes" and changes_too:
            # a replacement for a stopped drug waits for the infection too (specialist review
            # Z8b: 'switch to azathioprine' beside a pneumonia being treated)
            out.append(regimen.model_copy(update={"first_choice": [
                wait + e if e.startswith("switch to ") else e for e in regimen.first_choice]}))
            continue
        if regimen.domain not in ("muscle", "skin"):
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if starts_new_agent(e, agents)]
        if not new:
            out.append(regimen)
            continue
        # the glucocorticoid already goes IV now (JDM gut vasculopathy): pulses are not also
        # deferred until the infection is treated (specialist re-score Z6: 'once the infection
        # is treated ... pulses' beside the treat-now line)
        iv_now = any(e.startswith(GLUCOCORTICOID_IV) for e in regimen.first_choice)
        deferred = [e.removeprefix("add ") for e in new
                    if not (iv_now and "methylprednisolone" in e.lower())]
        out.append(regimen.model_copy(update={
            "first_choice": [e for e in regimen.first_choice if e not in new],
            "alternatives": ([wait + joiner.join(deferred)] if deferred else [])
            + [a for a in regimen.alternatives if not a.startswith(wait)]}))
    return out


DURING_SEPSIS = ("the glucocorticoid at no less than its current dose (IV while nil by mouth); "
                 "IV pulses and any new immunosuppressant once the sepsis is controlled (the "
                 "source dealt with, off vasopressors), with the infection and ILD teams: ")


def lung_during_sepsis(regimens: list[Regimen], agents: frozenset[str]) -> list[Regimen]:
    """Sepsis: the lung regimen, which does not wait for an ordinary infection (a rapidly
    progressive ILD cannot), does not start IV pulses or rituximab in septic shock either -
    IVIG and the agents taken now stay (specialist review Z50b P7: pulses, rituximab and IVIG
    for anti-MDA5 RP-ILD on the day of a laparotomy for faecal peritonitis, on noradrenaline,
    lymphocytes 0.3). ``agents`` holds the names of the immunosuppressive options."""
    out = []
    for regimen in regimens:
        new = [e for e in regimen.first_choice if starts_new_agent(e, agents)] \
            if regimen.domain == "lung" else []
        if not new:
            out.append(regimen)
            continue
        out.append(regimen.model_copy(update={"first_choice": [
            e for e in regimen.first_choice if e not in new] + [
            DURING_SEPSIS + " + ".join(e.removeprefix("add ") for e in new)]}))
    return out


SERIOUS_FOCI = frozenset({"lung_focal", "lung_diffuse", "abdominal", "line"})
"""Infection sites that are serious on immunosuppression: a pneumonia, an abdominal or a line
infection (a urinary or skin infection is judged by the team)."""
HOLD_IN_SERIOUS_INFECTION = frozenset({"methotrexate", "mycophenolate", "azathioprine",
                                       "leflunomide"})
"""Antimetabolites held through a serious infection and restarted once it is treated."""
DOSE_DECIDED_IN_INFECTION = frozenset({"cyclophosphamide", "rituximab"})
"""Courses given by dose: the next one is given, reduced or deferred with the infection team."""


def serious_infection_holds(regimens: list[Regimen], hold: dict[str, str],
                            decide: dict[str, str], why: str) -> list[Regimen]:
    """A serious infection (sepsis, a pneumonia, an abdominal or line infection): the approach
    holds the antimetabolites taken now and leaves the next cytotoxic or B-cell-depleting dose to
    a decision with the infection team, instead of 'continue' (specialist review Z30d P7:
    'Continue methotrexate' beside an aspiration pneumonia on prednisolone 60 mg with
    lymphocytes 0.5; review Z30a P4: 'Continue cyclophosphamide' in sepsis with CMV viraemia).
    The glucocorticoid is never stopped suddenly; its own line says so. ``hold`` and ``decide``
    map drug names to themselves (names as the regimens print them)."""
    return reword_kept(regimens, {
        **{name: f"Hold {name} during the {why} (restart once it is treated, with the team; "
                 "see Do now)" for name in hold},
        # in sepsis the next dose waits (specialist review Z50b P7: 'given, reduced or deferred'
        # three days after surgery for faecal peritonitis, near the nadir)
        **{name: (f"{name}: the next dose is deferred by decision with the infection team "
                  "until the sepsis is controlled (unless the lung cannot wait), then given or "
                  "reduced (see Do now)"
                  if why == "sepsis" else
                  f"{name}: the next dose is given, reduced or deferred by decision with the "
                  f"infection team during the {why} (see Do now)") for name in decide}})


NO_TAPER_IN_INFECTION = ("Keep the glucocorticoid at this dose through the infection with "
                         "sick-day cover (double it while febrile on up to about 10 mg/day; "
                         "parenteral hydrocortisone when vomiting, nil by mouth or very unwell); "
                         "the taper resumes once the infection is treated")


def no_dose_rise_during_infection(regimens: list[Regimen]) -> list[Regimen]:
    """Any active infection: a dose rise of a steroid-sparing agent waits until it is treated
    (specialist review Z30d P7: 'Optimise methotrexate ... raise towards 20-25 mg/week' during a
    pneumonia), and no glucocorticoid taper starts during it (re-score of specialist review
    Z31e P8: 'taper glucocorticoids' for a febrile, vomiting patient after 22 months on them)."""
    # a steroid-sparing agent stopped without a replacement keeps the taper paused past the
    # infection (re-score of specialist review Z47c P6: 'the taper resumes once the infection is
    # treated' beside methotrexate stopped for toxicity)
    paused = any("no taper meanwhile" in e for r in regimens for e in r.first_choice)
    hold = NO_TAPER_IN_INFECTION.replace(
        "the taper resumes once the infection is treated",
        "the taper waits until the steroid-sparing agent is replaced or restarted") \
        if paused else NO_TAPER_IN_INFECTION
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        "once the infection is treated: " + e[0].lower() + e[1:] if e.startswith("Optimise ")
        else hold if e.startswith("Taper glucocorticoids")
        else e for e in r.first_choice))}) for r in regimens]


NO_TAPER_ON_INDUCER = ("Raise glucocorticoids to about twice this dose, with the TB team (and the "
                       "diabetes plan adjusted), while rifampicin or another enzyme inducer is "
                       "taken and for 2 weeks after it stops - it cuts prednisolone exposure by "
                       "half to two-thirds; no taper meanwhile, and the taper resumes after")


GC_THROUGH_INFECTION_ON_INDUCER = (
    "through the infection at a dose raised for the enzyme inducer (usually about twice the "
    "dose the disease needs, with the TB team: rifampicin cuts prednisolone exposure by half to "
    "two-thirds), "
    "with sick-day cover (vomiting, nil by mouth or very unwell: parenteral hydrocortisone; never "
    "stopped suddenly)")
"""The glucocorticoid kept through an infection while rifampicin is taken: 'not an escalation'
would leave half the exposure (specialist review Z55c P6: 30 mg/day kept unchanged three weeks
into rifampicin with a dysphagic flare)."""


def no_taper_on_an_enzyme_inducer(regimens: list[Regimen],
                                  diabetes: bool | None = None) -> list[Regimen]:
    """Rifampicin (or another strong inducer) taken: the glucocorticoid is not tapered, since the
    same dose already gives about half the exposure (specialist review Z37d P7: 'taper to the
    lowest dose' at 5 mg/day two weeks into rifampicin, on haemodialysis), and one kept through
    an infection is kept at the raised dose."""
    # the diabetes plan is named only with diabetes; otherwise glucose is watched (specialist
    # review Z47d P6: 'and the diabetes plan adjusted' with no diabetes recorded)
    line = NO_TAPER_ON_INDUCER if diabetes is True else NO_TAPER_ON_INDUCER.replace(
        "(and the diabetes plan adjusted)", "(with a glucose check as the dose rises)")
    # the decision point's 'taper glucocorticoids' waits too (re-score of review Z37d P7)
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        line if e.startswith("Taper glucocorticoids")
        else e.replace(GC_THROUGH_INFECTION, GC_THROUGH_INFECTION_ON_INDUCER)
        for e in r.first_choice)), "decision_point": r.decision_point.replace(
            "taper glucocorticoids", "taper glucocorticoids once the enzyme inducer has been "
            "stopped for 2 weeks")}) for r in regimens]


SSC_CEILING = ("towards 15 mg/day or less as the myositis allows, with the steroid-sparing "
               "agent (scleroderma overlap: the renal-crisis risk rises above it; see Do now)")


def taper_to_ssc_ceiling(regimens: list[Regimen], gc_name: str) -> list[Regimen]:
    """A scleroderma overlap on more than 15 mg/day: the approach tapers the glucocorticoid
    towards the ceiling instead of 'continue and optimise' it (specialist review Z55a P3: 60
    mg/day continued in early diffuse systemic sclerosis beside the plan's own 15 mg/day
    limit)."""
    if not gc_name:
        return regimens

    def line(entry: str) -> str:
        # 'Continue ... through the infection' keeps its own words: no taper during it
        for verb in ("Continue and optimise ", "Optimise "):
            if entry.startswith(verb + gc_name):
                return f"Taper {gc_name} {SSC_CEILING}"
        return entry
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        line(e) for e in r.first_choice))}) for r in regimens]


CANCER_TREATMENT_HOLD = ("held around the cancer operation and through chemotherapy as agreed "
                         "with the surgeon and oncologist (see Do now)")
CANCER_TREATMENT_RULES = frozenset({"cancer_surgery_on_immunosuppression",
                                    "chemotherapy_on_antimetabolite"})
"""Do-now lines after which an antimetabolite taken now is not simply 'continued'."""


def held_for_cancer_treatment(regimens: list[Regimen], names: list[str]) -> list[Regimen]:
    """Cancer surgery or chemotherapy ahead: the approach does not 'continue' the antimetabolite
    the Do-now line asks to hold around them (specialist review Z30b P2: 'Continue
    mycophenolate' beside a debulking operation then carboplatin-paclitaxel)."""
    return reword_kept(regimens, {name: f"{name}: {CANCER_TREATMENT_HOLD}" for name in names})


GC_RAISE_STARTS = ("raise prednisolone to about 0.5 mg/kg/day", "Intravenous methylprednisolone "
                   "pulses")


def glucocorticoid_cost_named(regimens: list[Regimen], risks: list[str],
                              organ_threat: bool = False) -> list[Regimen]:
    """A glucocorticoid rise at a flare names what it costs this patient and leans on the
    steroid-sparing step (specialist review Z7d: pulses then 0.5-1 mg/kg/day, said without
    a word on her diabetes, frailty and a pulmonary embolism three weeks before)."""
    if not risks:
        return regimens
    note = ("; with " + ", ".join(risks) + (
        ": the full dose the threatened organ needs, with the glucose, blood pressure and "
        "infection managed around it, and the steroid-sparing or IVIG step started early"
        if organ_threat else
        ": the lowest dose and shortest course that holds the disease, the steroid-sparing or "
        "IVIG step carrying the rest"))
    out = []
    for r in regimens:
        if r.domain != "muscle":
            out.append(r)
            continue
        first = [e + note if e.startswith(GC_RAISE_STARTS) else e for e in r.first_choice]
        alternatives = r.alternatives
        waiting = [a for a in r.alternatives if a.startswith("once ") and (
            "glucocorticoid" in a.lower() or "methylprednisolone" in a.lower())]
        if first == r.first_choice and waiting and not organ_threat:
            # the glucocorticoid waits for a drug toxicity to be excluded: its cost for this
            # patient is still said (re-score of specialist review Z66d P8: the frailty wording
            # lost when prednisolone moved behind the colchicine recheck)
            at = r.alternatives.index(waiting[0]) + 1
            alternatives = [*r.alternatives[:at], "any glucocorticoid course then given" + note,
                            *r.alternatives[at:]]
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out


IVIG_COVERS_BOTH = ("add Intravenous immunoglobulin at the immunomodulatory dose: it also "
                    "replaces the low IgG (see Do now)")


IVIG_REPLACEMENT_FIRST = ("immunoglobulin replacement at about 0.4-0.5 g/kg with immunology now "
                          "(see Do now); Intravenous immunoglobulin at the immunomodulatory dose "
                          "(2 g/kg) only once the infection is treated, muscle activity is shown "
                          "and the fluid and clot risks are weighed")


def ivig_for_low_igg(regimens: list[Regimen], ivig_name: str,
                     replacement_only: bool = False) -> list[Regimen]:
    """A low IgG with serious or recurrent infections while the muscle is still active: the
    do-now line says IVIG can cover both, so the muscle approach names it (specialist review
    Z7d: 'IVIG can cover both' in Do now, and IVIG 'not in the recommended approach' beside
    glucocorticoid pulses alone, IgG 4.1 g/L after two pneumonias). ``replacement_only``
    (an infection now, oxygen at rest, severe frailty, heart failure or a recent clot): the
    replacement dose, not the 2 g/kg load; nor the load where the weakness is first to be told
    from steroid myopathy (specialist review Z20d P7)."""
    out = []
    for r in regimens:
        if r.domain == "muscle" and r.state in ("active", "flare", "inadequate_response") \
                and not any(ivig_name in e or "immunoglobulin" in e.lower()
                            for e in r.first_choice):
            myopathy_first = any(e.startswith("Before any new agent") for e in r.first_choice)
            step = IVIG_REPLACEMENT_FIRST if replacement_only or myopathy_first \
                else IVIG_COVERS_BOTH
            r = r.model_copy(update={
                "first_choice": [*r.first_choice, step],
                "alternatives": [a for a in r.alternatives if ivig_name not in a]})
        out.append(r)
    return out


STRESS_DOSE = ("Glucocorticoid as stress-dose IV hydrocortisone while critically ill (see Do "
               "now), then back to the usual dose; no taper during the illness")


def stress_dose_in_approach(regimens: list[Regimen], gc_name: str) -> list[Regimen]:
    """Sepsis or ventilation on long-term glucocorticoids: the approach says stress dose, not
    'continue without raising it' (specialist review Z7a: septic shock on 15 mg/day)."""
    out = []
    for r in regimens:
        lines = [STRESS_DOSE if e.startswith(f"Continue {gc_name}") else e
                 for e in r.first_choice]
        out.append(r.model_copy(update={"first_choice": list(dict.fromkeys(lines))}))
    return out


FEVER_MAY_BE_DISEASE = ("at the dose the lung regimen sets (fever in anti-MDA5 disease may be the "
                        "disease itself: infection is excluded in parallel, see the lung "
                        "regimen)")


def fever_as_disease(regimens: list[Regimen]) -> list[Regimen]:
    """Fever without a recorded infection in organ-threatening anti-MDA5 disease: the approach
    does not hold the glucocorticoid 'during the infection' (specialist review Z7b: a
    14-year-old with anti-MDA5 RP-ILD and a pre-treatment fever)."""
    return [r.model_copy(update={"first_choice": [
        e.replace(GC_THROUGH_INFECTION, FEVER_MAY_BE_DISEASE)
        .replace(DRUG_THROUGH_INFECTION, FEVER_MAY_BE_DISEASE)
        for e in r.first_choice]}) for r in regimens]


MAS_NOT_INFECTION = ("raised, not held: IV methylprednisolone pulses for suspected macrophage "
                     "activation syndrome (see Do now), infection sought in parallel")


def mas_not_infection(regimens: list[Regimen]) -> list[Regimen]:
    """Fever with the macrophage activation criteria met and no infection recorded: the
    glucocorticoid is not held 'during the infection' (specialist review Z10b: JDM with
    ferritin 9,800 and falling platelets, pulses listed as 'not now')."""
    out = []
    for r in regimens:
        lines = [e.replace(GC_THROUGH_INFECTION, MAS_NOT_INFECTION) for e in r.first_choice]
        if r.domain == "muscle" and not any("pulses" in e.lower() for e in lines):
            lines.insert(0, "Intravenous methylprednisolone pulses for suspected macrophage "
                            "activation syndrome (see Do now), then the oral glucocorticoid")
        out.append(r.model_copy(update={"first_choice": lines}))
    return out


def nothing_new_by_mouth_until_swallow_is_safe(regimens: list[Regimen],
                                               gc_name: str) -> list[Regimen]:
    """Nil by mouth (or tube feeding) for bulbar weakness: a new oral drug goes by the tube in a
    form it can take, or waits for a safe swallow (specialist review Z9c: oral prednisolone and
    hydroxychloroquine tablets for a toddler kept nil by mouth)."""
    def line(entry: str) -> str:
        if entry == gc_name:
            return (f"{gc_name} after the pulses: soluble or liquid prednisolone by nasogastric "
                    "tube while nil by mouth")
        if entry == "Methotrexate":
            return "Methotrexate subcutaneously (not by mouth while nil by mouth)"
        if entry == "Hydroxychloroquine":
            return ("Hydroxychloroquine once swallowing is safe (tablets only; no liquid form; "
                    "crushed by tube only with pharmacy advice)")
        return entry
    return [r.model_copy(update={"first_choice": [line(e) for e in r.first_choice]})
            for r in regimens]


RITUXIMAB_AFTER_INFECTION = (" once the infection is controlled (B-cell depletion lasts months: "
                             "not during a serious infection, fungal ones above all)")


def lung_rituximab_waits_for_infection(regimens: list[Regimen],
                                       rituximab: str) -> list[Regimen]:
    """An infection being treated: the lung regimen, which otherwise goes on beside it, moves a
    new rituximab to the alternatives (specialist review Z54d P8: rituximab first choice for an
    anti-MDA5 lung beside an invasive aspergillosis and 'no rituximab until it has settled')."""
    out = []
    for r in regimens:
        new = [e for e in r.first_choice if r.domain == "lung"
               and e.removeprefix("add ").startswith(rituximab) and "(taken now" not in e]
        out.append(r.model_copy(update={
            "first_choice": [e for e in r.first_choice if e not in new],
            "alternatives": [rituximab + RITUXIMAB_AFTER_INFECTION,
                             *(a for a in r.alternatives if not a.startswith(rituximab))]})
            if new else r)
    return out


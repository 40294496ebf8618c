"""The lung regimen: the approach to interstitial lung disease, rapidly progressive or not.

Split out of ``regimens``; methotrexate is never a lung agent and JAK inhibitors are offered
for the lung only in anti-MDA5 disease (see the comments at each step).
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Option, Regimen
from myositis.services.careplan.regimen_lines import (
    ESCALATE_ILD,
    FAILED,
    GLUCOCORTICOIDS,
    RESTART_RANK,
    RP_ILD,
    continue_line,
    names_of,
    pick,
    ranked,
    usable,
    with_caveat,
)
from myositis.services.state import DiseaseState

NOT_FOR_THE_LUNG = frozenset({"antimalarial", "topical", "calcinosis_agent", "non_drug"})
RESERVE_ILD = frozenset({"cyclophosphamide"})
"""Kept for severe or rapidly progressive ILD (ACR/CHEST 2023; its own entry says so)."""



MDA5_PJP_STEP = ("PJP prophylaxis now, the treatment dose only with PJP features (weeks of "
                 "immunosuppression, diffuse ground glass, a raised beta-D-glucan)")
"""The PJP step of an anti-MDA5 lung with fever; the urgent PJP line replaces it when it fires."""

LOW_MAINTENANCE_MG = 7.5
"""Prednisolone mg/day at or below which a stable lung on glucocorticoid alone is maintenance."""
STABLE_OFF_TREATMENT = ("No new agent while the lung stays stable off treatment: FVC and DLCO every "
                        "3-6 months, HRCT if they fall; treatment again on documented progression")


UIP_ANTIFIBROTIC = (" (UIP-pattern fibrosis progressing: the antifibrotic now, with the ILD "
                    "multidisciplinary team, not after months more of immunosuppression, which "
                    "does little for this pattern)")
ROUTINE_LUNG_REVIEW = "Lung function (FVC, DLCO) every 3-6 months and HRCT when worse"
"""The lung decision point's review interval; pregnancy and early anti-MDA5 disease replace it."""
PREGNANCY_LUNG_REVIEW = ("Lung function (spirometry, with DLCO where it can be done) and oxygen "
                         "saturation every 4-6 weeks in pregnancy, with the respiratory and "
                         "obstetric teams, and HRCT when worse")
MDA5_LUNG_REVIEW = ("Lung function (FVC, DLCO), oxygen saturation at rest and on exertion and "
                    "ferritin every 4-6 weeks in the first year of anti-MDA5 disease (every 3-6 "
                    "months once stable after it), and HRCT when worse")



ON_NINTEDANIB = ("Continue {name} (taken now: fibrosis progressing on it is a reason for "
                 "transplant-centre referral; its dose, tolerance and liver tests checked)")
"""The lung line when the antifibrotic is already taken and the lung still progresses."""
ON_NINTEDANIB_NO_TRANSPLANT = (
    "Continue {name} (taken now: fibrosis progressing on it - its dose, tolerance and liver "
    "tests checked, and breathlessness care within the goals agreed)")
"""The same where a transplant is not realistic or not wanted (specialist review Z56d P6:
'a reason for transplant-centre referral' under a no-ICU ceiling with months to live)."""

def lung_regimen(state: DiseaseState, options: list[Option], complications: set[str],
                 current: frozenset[str], held: dict[str, str], kb: KnowledgeBase, *,
                 keep: list[str], review: dict[str, str], infection: bool,
                 provisional: bool, no_new_agent: bool = False,
                 transplant_ok: bool = True, gc_now: float | None = None) -> Regimen | None:
    """The lung approach for the lung's state, or None when the lung is not involved.
    ``keep`` is the list of current drugs the muscle regimen keeps."""
    muscle = state.of("muscle")
    by_id = {o.therapy: o for o in options}
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
            else ranked(lung_opts, True)
        if lung == "inadequate_response":
            # escalate: an agent not taken now or before, rituximab or a calcineurin
            # inhibitor first; nintedanib added for progressive fibrosis. (Possibly) rapidly
            # progressive ILD keeps its own order - pulses, tacrolimus, cyclophosphamide as in
            # Tsuji 2020 - rather than leading with rituximab (specialist review X)
            # an agent that worked and was stopped without failing (the patient's decision, a
            # pregnancy, a mild reaction) is restarted first (review Z3: tacrolimus that had
            # controlled anti-MDA5 ILD, stopped by the patient after delivery, left out of a
            # postpartum RP-ILD relapse for cyclophosphamide and tofacitinib)
            lung_opts = [o for o in lung_opts if o.therapy not in current
                         and (o.previously is None or o.previously in RESTART_RANK)
                         # failing mycophenolate is not swapped for azathioprine (the step
                         # from azathioprine to mycophenolate stays: re-score of review Q)
                         and not (o.therapy == "azathioprine" and "mycophenolate" in current)]
            if key != "rp_ild":
                lung_opts = sorted(lung_opts, key=lambda o: ESCALATE_ILD.index(o.therapy)
                                   if o.therapy in ESCALATE_ILD else len(ESCALATE_ILD))
            lung_opts = sorted(lung_opts, key=lambda o: RESTART_RANK.get(o.previously or "", 2))
        lung_opts = pick(lung_opts) if key != "rp_ild" else (
            # RP-ILD keeps its order, but not an agent recorded as failed or being stopped
            # (review D: tacrolimus recorded ineffective, stopped above, proposed again below)
            [o for o in lung_opts if o.previously not in FAILED and o.therapy not in held]
            or lung_opts)
        if key == "ild" and "hypoxaemic_ild" not in complications:
            # a reserve agent never leads an ILD that is not severe because the usual agents
            # carry cautions (specialist review Z13d: cyclophosphamide first for a mild,
            # stable ILD when liver disease cautioned mycophenolate and azathioprine); the
            # least-harmful usual agent leads with its caution
            lung_opts = sorted(lung_opts, key=lambda o: o.therapy in RESERVE_ILD or kb.therapies[
                o.therapy].category in ("cellular_therapy", "procedure"))
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
        first = names_of(lung_opts[:count]) or (
            # nothing new can be added now (withheld or all tried): keep what is taken
            [continue_line(kb.therapies[t].name, review.get(t)) for t in keep
             if t not in held] + [continue_line(kb.therapies[t].name, review.get(t))
                                  for t in sorted(current) if t in kb.therapies
                                  and t not in held
                                  and kb.therapies[t].category == "antifibrotic"]
            if lung == "inadequate_response" else []) or [
            "ILD specialist review: no curated option for this subgroup and state"]
        if bridge is not None and first and not first[0].startswith("ILD specialist"):
            first = names_of([bridge]) + first
        pulses = by_id.get("methylprednisolone_iv_pulse")
        if key == "ild" and "hypoxaemic_ild" in complications and pulses is not None \
                and lung in ("new_onset", "active", "flare") \
                and pulses.therapy not in current and pulses.therapy not in held \
                and not any(pulses.name in f for f in first):
            # ILD needing oxygen at rest: IV pulses first, as in severe disease (review A:
            # oxygen at rest with suspected heart involvement, prednisolone and MMF only)
            first = [with_caveat(pulses) + " (ILD needing oxygen)", *first]
        # a skin drug kept by the muscle or skin regimen is no lung treatment (specialist
        # review Z13c P4: 'continue hydroxychloroquine' as the stable lung's maintenance)
        lung_keep = [t for t in keep if t not in kb.therapies
                     or kb.therapies[t].category not in NOT_FOR_THE_LUNG] + [
            t for t in sorted(current) if t in kb.therapies and t not in held
            and kb.therapies[t].category == "antifibrotic"]
        if lung == "stable":
            # stable with nothing taken for the lung (a drug-free remission after treatment):
            # monitoring, not a new agent (specialist review Z32o P6: 'first choice tacrolimus'
            # for an anti-MDA5 ILD stable two years off treatment)
            first = [continue_line(kb.therapies[t].name, review.get(t)) for t in lung_keep] or [
                STABLE_OFF_TREATMENT]
            if lung_keep and set(lung_keep) <= GLUCOCORTICOIDS and not (
                    gc_now is not None and gc_now <= LOW_MAINTENANCE_MG):
                # stable on a low maintenance dose alone: no new agent without documented
                # progression (specialist review Z32o P8: 'add mycophenolate' for an ILD stable for
                # years on a low dose, on dialysis, with the infection screen missing)
                # glucocorticoids alone are no maintenance for ILD: the steroid-sparing agent
                # for the lung is named (specialist review Z: 'continue prednisolone' alone)
                sparing_lung = ranked([o for o in usable(options) if "ild" in o.complications
                                        and o.therapy not in GLUCOCORTICOIDS
                                        and o.therapy not in held
                                        and o.therapy not in not_for_lung], True)[:1]
                first += [f"add {with_caveat(o)} (glucocorticoids alone do not maintain ILD "
                          "control)" for o in sparing_lung]
            # stable on treatment: no new agent is an alternative (review Q: cyclophosphamide
            # and tofacitinib listed for anti-MDA5 ILD in remission)
            lung_opts = [] if lung_keep else [o for o in lung_opts if o.therapy not in current]
        if "progressive_fibrosing_ild" in complications and "nintedanib" in by_id \
                and key != "rp_ild" and lung == "inadequate_response" \
                and "nintedanib" in current:
            # worse together with a muscle flare is inflammatory activity until HRCT shows
            # fibrosis progressing (specialist review I: nintedanib first beside rituximab
            # for an NSIP relapse during the taper; ACR/CHEST 2023 keeps it for progressive
            # fibrosis despite immunosuppression)
            # the qualifier always: a fall in lung function soon after an infection (review
            # Z4b: 12 days after a Pneumocystis pneumonia) is not fibrosis progressing
            # taken already: progression on it is a reason for transplant referral, not for
            # 'adding' it (specialist review Z50d P1: 'add nintedanib' after 11 months of it)
            # one line for the antifibrotic taken: a kept 'Continue nintedanib (note: ...)'
            # gives its note to this one (specialist review Z56d P6: two 'Continue
            # nintedanib' lines)
            name = by_id["nintedanib"].name
            kept = [e for e in first if e.startswith(f"Continue {name}")]
            first = [e for e in first if e not in kept]
            notes = [e.removeprefix(f"Continue {name} (note: ").removesuffix(")")
                     for e in kept if e.startswith(f"Continue {name} (note: ")]
            line = (ON_NINTEDANIB if transplant_ok else ON_NINTEDANIB_NO_TRANSPLANT).format(
                name=name)
            first.append(line[:-1] + "".join(f"; note: {n}" for n in notes) + ")")
        # a UIP pattern already progressing takes the antifibrotic now, below (specialist review
        # Z67b P8: 'add nintedanib if HRCT shows fibrosis progressing' for a UIP recorded as
        # progressing, after rituximab)
        if "progressive_fibrosing_ild" in complications and "nintedanib" in by_id \
                and key != "rp_ild" and lung == "inadequate_response" \
                and "nintedanib" not in current and "uip_progressing" not in complications:
            first.append("add " + by_id["nintedanib"].name + (
                " if HRCT shows fibrosis progressing (not inflammation that the escalation "
                "treats)" if muscle == "flare" else " if HRCT shows fibrosis progressing, with "
                "lung function repeated once any recent infection has settled"))
        if "uip_progressing" in complications and "nintedanib" in by_id and key != "rp_ild" \
                and "nintedanib" not in current and "nintedanib" not in held \
                and not any(by_id["nintedanib"].name in e for e in first):
            first.insert(0, "add " + by_id["nintedanib"].name + UIP_ANTIFIBROTIC)
        text = ("Rapidly progressive ILD: IV glucocorticoids plus two further agents, in hospital "
                "with ILD specialists (ACR/CHEST 2023); reassess daily to weekly." if key ==
                "rp_ild" else ROUTINE_LUNG_REVIEW + "; "
                "progression despite treatment: escalate immunosuppression" + (
                    "" if "nintedanib" in current  # taken already: its own line (Z50d P1)
                    else " and add nintedanib for progressive fibrosis" if "nintedanib" in by_id
                    else (" (nintedanib withheld for this patient)"
                          if "nintedanib" in held else "")) + "; progressive fibrosis: ILD "
                "multidisciplinary review, oxygen assessment, pulmonary rehabilitation"
                + (" and transplant-centre referral." if transplant_ok else
                   " and palliative care for breathlessness, within the agreed goals of care."))
        lung_alternatives = names_of([o for o in lung_opts[count:]
                                    if o.therapy != "nintedanib"][:4])
        if infection and key == "rp_ild" and first:
            # a rapidly progressive lung with fever on immunosuppression: infection and drug
            # pneumonitis come first (specialist review L: pulses, tacrolimus and
            # cyclophosphamide first beside fever and new ground glass on methotrexate); only
            # anti-MDA5 disease, which kills within weeks, is escalated in parallel
            # in anti-MDA5 disease the fever is often the disease: prophylaxis, and the
            # treatment dose only on PJP features (specialist review Z7b: treatment-dose
            # co-trimoxazole stacked on tacrolimus and cyclophosphamide three days into pulses)
            pjp_step = (MDA5_PJP_STEP if "anti_mda5" in complications else
                        "treatment-dose co-trimoxazole until PJP is excluded")
            work_up = ("bronchoscopy with lavage where safe (PJP PCR, viral and bacterial "
                       "studies), beta-D-glucan; " + pjp_step
                       + ("; methotrexate stopped (possible pneumonitis)"
                          if "methotrexate" in current else ""))
            if "anti_mda5" in complications:
                first = [f"exclude infection in parallel, today - {work_up}", *first]
            else:
                lung_alternatives = [f"once infection is treated or excluded: {e}"
                                     for e in first] + lung_alternatives
                first = [f"exclude infection and drug pneumonitis first, today - {work_up}; "
                         "escalation of the ILD treatment waits for the result (within days), "
                         "with the ILD team"]
        if infection and key != "rp_ild" and lung in ("active", "flare", "inadequate_response"):
            # a serious infection: treated first, antimetabolites held, nothing added until it
            # is (specialist review F: 'continue mycophenolate + add nintedanib' beside a
            # febrile, hypoxaemic possible Pneumocystis pneumonia)
            # a calcineurin inhibitor holding anti-MDA5 lung disease is kept at a lower trough,
            # not held (specialist review Z74b P6, dangerous: 'hold tacrolimus while the serious
            # infection is treated' five months into anti-MDA5 RP-ILD, beside the muscle line's
            # 'restart at a lower dose by the trough')
            kept_cni = [kb.therapies[t].name for t in lung_keep
                        if t in ("tacrolimus", "ciclosporin") and "anti_mda5" in complications
                        and "severe_infection" in complications]
            held_now = [kb.therapies[t].name for t in lung_keep
                        if kb.therapies[t].category == "conventional_immunosuppressant"
                        and "severe_infection" in complications
                        and kb.therapies[t].name not in kept_cni]
            # IV pulses are a new agent too (review G: pulses first in a septic, hypoxaemic
            # patient with possible Pneumocystis pneumonia)
            pulse_name = kb.therapies["methylprednisolone_iv_pulse"].name \
                if "methylprednisolone_iv_pulse" in kb.therapies else "\x00"
            added = [f[4:] for f in first if f.startswith("add ")] + [
                f.split(" (")[0] for f in first if f.startswith(pulse_name)]
            first = ["treat the infection first; reassess the lung once it is treated (no new "
                     "agent during it)"] + [
                f"Hold {n} while the serious infection is treated, then restart"
                for n in held_now] + [
                f"Keep {n} through the infection at a lower dose set by its trough (anti-MDA5 "
                "lung disease can relapse when it stops; azoles raise the level), with the ILD "
                "and infection teams" for n in kept_cni] + [
                f for f in first if not f.startswith(("add ", pulse_name))
                and not any(n in f for n in held_now + kept_cni)]
            lung_alternatives = [f"{a} once the infection is treated" for a in added] \
                + lung_alternatives
        if key == "ild" and "exertional_progressive_ild" in complications \
                and pulses is not None and lung in ("new_onset", "active", "flare") \
                and pulses.therapy not in current and pulses.therapy not in held \
                and not any(pulses.name in f for f in first):
            lung_alternatives.insert(0, with_caveat(pulses) + " (an option as the ILD progresses "
                                     "with exertional desaturation; first choice with oxygen at "
                                     "rest or rapid progression)")
        if no_new_agent and key != "rp_ild" and lung in ("active", "flare",
                                                         "inadequate_response"):
            # low IgG with infections: no new immunosuppressant for the lung either; IVIG and an
            # antifibrotic add none (specialist review V: rituximab first for a frail woman with
            # IgG 4.8 and two pneumonias, beside the plan's own 'add no further agent')
            suppressing = {o.name for o in options if o.therapy not in current
                           and kb.therapies[o.therapy].category not in ("antifibrotic",
                                                                        "immunoglobulin")}
            waiting = [e.removeprefix("add ") for e in first
                       if any(e.removeprefix("add ").startswith(n) for n in suppressing)]
            first = [e for e in first if e.removeprefix("add ") not in waiting]
            first = [*[continue_line(kb.therapies[t].name, review.get(t)) for t in lung_keep
                       if not any(kb.therapies[t].name in e for e in first)], *first,
                     "no new immunosuppressant for the lung until the infection risk is "
                     "addressed (recurrent infections, a low IgG or lymphopenia: see the "
                     "cautions)"]
            lung_alternatives = ["once the infections are controlled: " + ", ".join(
                dict.fromkeys([*waiting, *lung_alternatives]))] \
                if waiting or lung_alternatives else []
        lung_basis = " ".join(b for d in state.domains if d.domain == "lung" for b in d.basis)
        if lung == "active" and "reassess the lung" in lung_basis and key != "rp_ild" \
                and not infection:
            # a 'stable' lung with new symptoms or a falling test is reassessed before any
            # change, not escalated or continued unexamined (specialist review U)
            kept = [continue_line(kb.therapies[t].name, review.get(t)) for t in lung_keep]
            escalation = [e.removeprefix("add ") for e in first if e not in kept]
            first = [*kept, "Reassess the lung within days (the same day if febrile, breathless "
                     "at rest or with oxygen saturation below 94 %): saturation at rest and on "
                     "exertion, chest X-ray then HRCT, lung function; infection including PJP, "
                     "drug pneumonitis, pulmonary embolism and the heart considered"]
            # an escalation is a new agent: not one taken now, nor a second antimetabolite
            taken = {kb.therapies[t].name for t in current if t in kb.therapies}
            if current & {"azathioprine", "mycophenolate"}:
                taken |= {kb.therapies[t].name for t in ("azathioprine", "mycophenolate")
                          if t in kb.therapies}
            steps = [e for e in dict.fromkeys([*escalation, *lung_alternatives])
                     if not any(name in e for name in taken)]
            lung_alternatives = ["if progression is confirmed: " + ", ".join(steps)] \
                if steps else []
        return Regimen(domain="lung", state=lung, first_choice=first,
                           alternatives=lung_alternatives,
                           decision_point=text, provisional=provisional)
    return None


def lung_review_interval(regimens: list[Regimen], pregnant: bool,
                         mda5_first_year: bool) -> list[Regimen]:
    """The lung decision point's review interval follows the monitoring table in pregnancy and
    in the first year of anti-MDA5 disease (specialist review Z66c P3 and P7: 'every 3-6
    months' beside the plan's own 4-6-weekly spirometry in pregnancy, and for an anti-MDA5
    JDM lung at 7 months with a ferritin of 600)."""
    review = PREGNANCY_LUNG_REVIEW if pregnant else MDA5_LUNG_REVIEW if mda5_first_year \
        else None
    if review is None:
        return regimens
    return [r.model_copy(update={"decision_point": r.decision_point.replace(
        ROUTINE_LUNG_REVIEW, review, 1)}) if r.domain == "lung" else r for r in regimens]


LUNG_GRAFT_DECISION = (
    "A lung graft: a fall in lung function or new shadowing is rejection, chronic lung allograft "
    "dysfunction or infection until the transplant team says otherwise - it goes to the "
    "transplant team the same day, and no immunosuppressant is escalated for the lung here.")
"""The lung decision of a lung-transplant recipient: the graft is the transplant team's."""


def lung_graft_decision(regimens: list[Regimen], lung_graft: bool) -> list[Regimen]:
    """A lung-transplant recipient's lung is a graft, not the native ILD (specialist review
    Z71a P3: 'progression despite treatment: escalate immunosuppression' after a bilateral lung
    transplant for antisynthetase ILD)."""
    if not lung_graft:
        return regimens
    return [r.model_copy(update={"decision_point": LUNG_GRAFT_DECISION})
            if r.domain == "lung" else r for r in regimens]

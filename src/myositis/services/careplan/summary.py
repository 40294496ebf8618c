"""The one-screen summary: what to do now, the regimen for the current state, what is unknown.

Everything here is arranged from the plan's own parts (flags, fired rules, options, screening),
so the summary never says anything the cited detail does not.
"""

from __future__ import annotations

import datetime as dt

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.facts import Facts
from myositis.services.careplan.model import (
    Action,
    CancerScreening,
    Flag,
    MonitoringItem,
    Option,
    Regimen,
    SharedCheck,
)
from myositis.services.careplan.rules import Firing
from myositis.services.state import DiseaseState

SEVERITY_URGENCY = {"urgent": "urgent", "high": "soon", "moderate": "soon", "low": "routine"}
SHARED_CHECKS = ("hbv_screening", "tb_screening", "tpmt_nudt15", "vaccination",
                 "pjp_prophylaxis", "giop_bone_protection")
MONITOR_WEEKS = {"methotrexate": 12, "azathioprine": 12, "mycophenolate": 12, "leflunomide": 12,
                 "tacrolimus": 12, "ciclosporin": 12, "cyclophosphamide": 4, "rituximab": 24,
                 "hydroxychloroquine": 52, "ivig": 4, "tofacitinib": 12, "baricitinib": 12,
                 "upadacitinib": 12, "brepocitinib": 12}
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
    "remission": "No induction treatment; taper glucocorticoids first; consider slow taper of "
                 "steroid-sparing treatment only after sustained remission; watch for flare.",
}
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
# Rapidly progressive ILD: IV glucocorticoids plus two further agents (ACR/CHEST 2023); the
# triple regimen of the anti-MDA5 prospective study (Tsuji 2020) first.
RP_ILD = ["methylprednisolone_iv_pulse", "tacrolimus", "cyclophosphamide", "tofacitinib",
          "rituximab", "ivig", "mycophenolate"]


JDM_DECISION = ("Treat to target: inactive disease within 12 months; intensify within the first "
                "12 weeks if the response is inadequate, after consulting an expert centre "
                "(PReS/CARRA 2025, SHARE 2017).")


def do_now(flags: list[Flag], firings: list[Firing], screening: CancerScreening,
           kb: KnowledgeBase) -> list[Action]:
    actions: dict[str, Action] = {}
    for flag in flags:
        if flag.urgency == "urgent" or flag.code in ("statin_associated_imnm",
                                                     "severe_anti_srp"):
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
    if screening.applicable and screening.tests_due:
        actions["cancer_screening_due"] = Action(
            code="cancer_screening_due", urgency="soon",
            text=f"Cancer screening due (IMACS 2023, {screening.risk} risk): "
                 f"{len(screening.tests_due)} tests not yet recorded as done.",
            kb_entry="cancer_screening", citations=list(screening.citations[:2]))
    order = {"urgent": 0, "soon": 1, "routine": 2}
    return sorted(actions.values(), key=lambda a: order[a.urgency])


def _names(options: list[Option]) -> list[str]:
    return list(dict.fromkeys(o.name for o in options))


def regimens(state: DiseaseState, options: list[Option], phenotypes: list[str],
             complications: set[str], current: frozenset[str], kb: KnowledgeBase,
             provisional: bool) -> list[Regimen]:
    out: list[Regimen] = []
    muscle = state.of("muscle")
    jdm = "jdm" in phenotypes
    general = [o for o in options if o.general_use and o.line != "adjunct"]
    if "ibm" in phenotypes:
        out.append(Regimen(domain="muscle", state=muscle, first_choice=[
            "Exercise and physiotherapy programme", "Swallowing assessment and therapy"],
            alternatives=["Clinical trial"],
            decision_point="Review function and swallowing every 6-12 months; no "
                           "immunosuppression (not effective in IBM).", provisional=provisional))
        return out
    if muscle not in ("not_involved",):
        current_names = [kb.therapies[t].name for t in sorted(current) if t in kb.therapies]
        if muscle in ("new_onset", "flare", "unknown"):
            initial = [o for o in general if o.line == "initial"][:1]
            sparing = _ranked([o for o in general if o.line == "steroid_sparing"
                               and o.previously not in ("ineffective", "not_tolerated")],
                              "ild" in complications)
            first = _names(initial + sparing[:1])
            alternatives = _names(sparing[1:] + [o for o in general if o.line == "initial"][1:])
        elif muscle == "inadequate_response":
            refractory = sorted(
                [o for o in general if o.line == "refractory"
                 and o.previously not in ("ineffective", "not_tolerated")],
                key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                               REFRACTORY.index(o.therapy) if o.therapy in REFRACTORY
                               else len(REFRACTORY)))
            first = _names(refractory[:1])
            alternatives = _names(refractory[1:] + [o for o in general
                                                    if o.line == "steroid_sparing"
                                                    and o.previously is None])
        elif muscle == "remission":
            first = [f"Continue current treatment ({', '.join(current_names) or 'none recorded'})"]
            alternatives = []
        else:
            sparing = _ranked([o for o in general if o.line == "steroid_sparing"
                               and o.therapy not in current
                               and o.previously not in ("ineffective", "not_tolerated")],
                              "ild" in complications)
            if current_names:
                first = [f"Continue and optimise current treatment ({', '.join(current_names)})"]
                alternatives = _names(sparing)
            else:
                first = _names(sparing[:1]) or ["No current treatment recorded"]
                alternatives = _names(sparing[1:])
        out.append(Regimen(domain="muscle", state=muscle, first_choice=first,
                           alternatives=alternatives,
                           decision_point=JDM_DECISION if jdm and muscle in
                           ("new_onset", "active", "flare") else DECISION.get(muscle, ""),
                           provisional=provisional))
    skin = state.of("skin")
    if skin != "not_involved":
        skin_opts = sorted(
            [o for o in options if ("refractory_skin" if skin == "inadequate_response"
                                    else "skin_disease") in o.complications],
            key=lambda o: (-EVIDENCE_ORDER[o.evidence_level], o.investigational))
        out.append(Regimen(domain="skin", state=skin, first_choice=_names(skin_opts[:2]),
                           alternatives=_names(skin_opts[2:]),
                           decision_point="Skin activity (CDASI) at each visit; active skin "
                                          "despite two systemic agents: refractory-skin options.",
                           provisional=provisional))
    lung = state.of("lung")
    if lung != "not_involved":
        key = "rp_ild" if "rp_ild" in complications else (
            "progressive_fibrosing_ild" if "progressive_fibrosing_ild" in complications
            else "ild")
        lung_opts = [o for o in options if key in o.complications]
        lung_opts = sorted(lung_opts, key=lambda o: RP_ILD.index(o.therapy)
                           if o.therapy in RP_ILD else len(RP_ILD)) if key == "rp_ild" \
            else _ranked(lung_opts, True)
        text = ("Rapidly progressive ILD: IV glucocorticoids plus two further agents, in hospital "
                "with ILD specialists (ACR/CHEST 2023); reassess daily-weekly." if key == "rp_ild"
                else "Lung function (FVC, DLCO) every 3-6 months and HRCT when worse; progression "
                     "despite treatment: escalate, or nintedanib for progressive fibrosis.")
        count = 3 if key == "rp_ild" else 1
        out.append(Regimen(domain="lung", state=lung, first_choice=_names(lung_opts[:count]),
                           alternatives=_names(lung_opts[count:]), decision_point=text,
                           provisional=provisional))
    return out


def shared_checks(options: list[Option], kb: KnowledgeBase) -> list[SharedCheck]:
    offered = {o.therapy for o in options}
    out = []
    for item_id in SHARED_CHECKS:
        item = kb.guidance_item(item_id)
        targets = {m for t in item.applies_to for m in kb.group_members(t)}
        drugs = sorted(offered & targets)
        if drugs:
            out.append(SharedCheck(id=item.id, title=item.title, text=item.statement,
                                   therapies=[kb.therapies[d].name for d in drugs],
                                   citations=list(item.sources)))
    return out


def monitoring(record: PatientRecord, current: frozenset[str], kb: KnowledgeBase
               ) -> list[MonitoringItem]:
    today = record.on()
    lab_dates = [r.date for r in record.lab_results if r.analyte in MONITOR_LABS]
    lab_dates += [v.date for v in record.visits if v.labs.enzymes]
    last = max(lab_dates) if lab_dates else None
    out = []
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None or not therapy.monitoring:
            continue
        weeks = MONITOR_WEEKS.get(therapy_id, 12)
        if last is None:
            due = "due now (no monitoring result recorded)"
        else:
            when = last + dt.timedelta(weeks=weeks)
            due = ("overdue since " if when < today else "by ") + when.isoformat()
        out.append(MonitoringItem(therapy=therapy.name, text=therapy.monitoring[0].text,
                                  next_due=due, citations=list(therapy.monitoring[0].sources)))
    return out


def unknowns(facts: Facts, record: PatientRecord, immunosuppression: bool) -> list[str]:
    """Missing facts that change this plan, so the clinician can supply them."""
    out = []
    if immunosuppression:
        for fact, text in (("hbsag", "HBsAg"), ("anti_hbc", "anti-HBc"),
                           ("latent_tb", "latent TB screen (IGRA/TST)"),
                           ("egfr", "eGFR"), ("thiopurine_metabolism", "TPMT/NUDT15")):
            if facts.get(fact) is None:
                out.append(text)
    if facts.get("childbearing_potential") and facts.get("pregnant") is None:
        out.append("pregnancy status")
    if facts.get("childbearing_potential") is None and record.sex == "unknown":
        out.append("sex (sex-specific screening and reproductive advice)")
    if record.weight_kg is None and facts.get("child"):
        out.append("weight (paediatric dosing)")
    if not record.antibodies.tested_any_msa() and not record.antibody_tests:
        out.append("myositis antibodies")
    return out


def inputs_used(record: PatientRecord, facts: Facts, phenotypes: list[str]) -> list[str]:
    """The facts the summary relied on, so a wrong input can be spotted (principle 13)."""
    positive = sorted(a.value for a in record.all_antibodies().positive())
    parts = [f"sex {record.sex}", f"age {facts['age_years']:.0f}",
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

"""Pre-treatment checks shared by the drugs offered: each printed once, with the drugs it applies
to, and not at all when its result is already recorded or the drug is long established.
"""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.exposure import is_current
from myositis.services.careplan.model import (
    Option,
    SharedCheck,
)
from myositis.services.careplan.record_readers import ESTABLISHED_DAYS

ADULT_ONLY_CHECKS = ("giop_bone_protection",)  # its statement is for adults (FRAX from 40)
CHILD_TEXT = {
    # the adult mg/day threshold means nothing for a 13 kg child (specialist review Z17c)
    "pjp_prophylaxis": "In a child the adult thresholds (>15-30 mg/day of prednisolone for >2-4 "
                       "weeks, EULAR 2022) do not apply and no paediatric threshold is agreed: "
                       "decide on Pneumocystis prophylaxis (co-trimoxazole dosed by weight or "
                       "body surface area) with the paediatric rheumatology team when high-dose "
                       "glucocorticoids are combined with IV pulses, cyclophosphamide, rituximab "
                       "or another immunosuppressant.",
}
SHARED_CHECKS = ("hbv_screening", "tb_screening", "tpmt_nudt15", "vaccination",
                 "pjp_prophylaxis", "giop_bone_protection")


def _pjp_agent_limits(record: PatientRecord) -> str:
    """The agents a recorded allergy or G6PD deficiency rules out, said beside the check a
    prescriber reads when starting (specialist review Z29a P2: 'co-trimoxazole dosed by weight'
    in Before starting for a child with a sulfonamide allergy and G6PD deficiency)."""
    limits = []
    if "sulfonamide" in record.allergies:
        limits.append("no co-trimoxazole (sulfonamide allergy recorded)")
    if record.immunogenetics.g6pd == "deficient":
        limits.append("no dapsone or primaquine (G6PD deficient)")
    if not limits:
        return ""
    return "For this patient " + "; ".join(limits) + " - atovaquone is the usual choice. "


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
    # in pregnancy the adult GIOP statement (spine radiograph, bisphosphonate, denosumab) does
    # not apply: the pregnancy bone rules say what does (re-score of specialist review O)
    pregnant = record is not None and record.is_pregnant()
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
        if item_id in done or ((child or pregnant) and item_id in ADULT_ONLY_CHECKS):
            continue
        item = kb.guidance_item(item_id)
        targets = {m for t in item.applies_to for m in kb.group_members(t)}
        drugs = sorted((offered - established) & targets)
        if drugs:
            text = CHILD_TEXT.get(item_id, item.statement) if child else item.statement
            if item_id == "pjp_prophylaxis" and record is not None:
                # first, as the printed plan shows a check's first sentence
                text = _pjp_agent_limits(record) + text
            out.append(SharedCheck(id=item.id, title=item.title, text=text,
                                   therapies=[kb.therapies[d].name for d in drugs],
                                   citations=list(item.sources)))
    return out

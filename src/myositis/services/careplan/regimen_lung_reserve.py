"""Little lung reserve or end-stage fibrosis: what the regimens may not add.

Specialist review Z16c: methotrexate listed for the muscle of a frail 70-year-old on oxygen at
rest with a DLCO of 24 % (P6), and IV cyclophosphamide first for end-stage UIP-pattern fibrosis
progressing on nintedanib, with the glucocorticoid 'optimised' for a normal CK in a transplant
candidate (P8).
"""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.services.careplan.model import Regimen

LOW_DLCO = 40.0
"""DLCO % predicted below which the lung has little reserve for a drug pneumonitis (project
threshold; the transplant-referral lines use the same figure)."""

END_STAGE = ("fibrotic disease progressing on an antifibrotic (UIP pattern): the antifibrotic "
             "continued (liver tests and diarrhoea watched), ILD multidisciplinary review and "
             "transplant assessment now where it fits the goals of care, oxygen, pulmonary "
             "rehabilitation and palliative care for breathlessness; no new immunosuppressant "
             "by default")
ONLY_IF_INFLAMMATORY = "only if the ILD team finds inflammatory activity: "


def little_lung_reserve(record: PatientRecord) -> bool:
    """Oxygen at rest, or a DLCO below 40 % predicted, with ILD recorded."""
    lung = record.lung
    if lung is None:
        return False
    return lung.oxygen in ("at_rest", "ventilated") or (
        lung.dlco_percent_predicted is not None and lung.dlco_percent_predicted < LOW_DLCO)


def no_methotrexate_without_lung_reserve(regimens: list[Regimen], methotrexate: str,
                                         reserve_low: bool) -> list[Regimen]:
    """A new methotrexate leaves every regimen when the lung has little reserve (a drug
    pneumonitis there can be fatal); a methotrexate taken now stays for its own review."""
    if not reserve_low:
        return regimens
    def new_mtx(e: str) -> bool:
        head = e.removeprefix("add ").removeprefix(ONLY_IF_INFLAMMATORY)
        return head.startswith(methotrexate)
    def without_mtx(a: str) -> str | None:
        # 'once the infections are controlled: Rituximab, Methotrexate' keeps its other agents
        # (re-score of specialist review Z16c P7)
        prefix, _, rest = a.rpartition(": ")
        items = [i for i in rest.split(", ") if not i.startswith(methotrexate)]
        if not items:
            return None
        return (prefix + ": " if prefix else "") + ", ".join(items)
    return [r.model_copy(update={
        "first_choice": [e for e in r.first_choice if not new_mtx(e)],
        "alternatives": [kept for a in r.alternatives
                         if (kept := without_mtx(a)) is not None]}) for r in regimens]


def end_stage_fibrosis(regimens: list[Regimen], record: PatientRecord,
                       antifibrotic_now: bool, new_agents: frozenset[str]) -> list[Regimen]:
    """UIP-pattern ILD progressing on an antifibrotic: the lung regimen leads with the MDT,
    transplant and palliative line, and new immunosuppressants wait for inflammatory activity."""
    lung = record.lung
    if not antifibrotic_now or lung is None or lung.hrct_pattern != "uip" \
            or lung.course not in ("progressive",):
        return regimens
    out = []
    for r in regimens:
        if r.domain != "lung" or r.state != "inadequate_response":
            out.append(r)
            continue
        waiting = [e.removeprefix("add ") for e in r.first_choice
                   if e.removeprefix("add ").startswith(tuple(new_agents))]
        # the antifibrotic is taken already: no 'add' line for it
        kept = [e for e in r.first_choice if e.removeprefix("add ") not in waiting
                and not e.startswith("add Nintedanib")]
        out.append(r.model_copy(update={
            "first_choice": [END_STAGE, *kept],
            "alternatives": list(dict.fromkeys(
                [ONLY_IF_INFLAMMATORY + w.split(" (")[0] for w in waiting]
                + [a if a.startswith(ONLY_IF_INFLAMMATORY) else ONLY_IF_INFLAMMATORY + a
                   for a in r.alternatives]))}))
    return out


__all__ = ["end_stage_fibrosis", "little_lung_reserve", "no_methotrexate_without_lung_reserve"]

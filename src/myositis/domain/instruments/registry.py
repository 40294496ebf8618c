"""The instruments reachable by name from the CLI, the API and the library.

Each entry pairs an input model with its pure scoring function, so adapters validate and score
without knowing any instrument's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from myositis.domain.criteria.enmc_ibm_2011 import IbmInput
from myositis.domain.criteria.imacs_worsening import Measures
from myositis.domain.instruments import (
    cdasi,
    cmas,
    eular_acr_2017,
    flair,
    haq,
    mdaat,
    mdi,
    mmt,
    response_2016,
    sontheimer,
)
from myositis.domain.record import PatientRecord
from myositis.domain.results import InstrumentResult
from myositis.errors import NotFoundError


@dataclass(frozen=True)
class Instrument:
    name: str
    title: str
    input_model: type[BaseModel]
    score: Callable[[Any], InstrumentResult]


INSTRUMENTS: dict[str, Instrument] = {
    i.name: i
    for i in (
        Instrument("eular_acr_2017", "2017 EULAR/ACR IIM classification criteria",
                   eular_acr_2017.EularAcrInput, eular_acr_2017.classify),
        Instrument("mmt8", "Manual muscle testing, 8 groups (0-80 / 0-150)",
                   mmt.MMT8Input, mmt.mmt8),
        Instrument("mmt24", "Manual muscle testing, 24 groups (0-260)", mmt.MMT24Input, mmt.mmt24),
        Instrument("cdasi", "CDASI v2 (activity 0-100, damage 0-32)", cdasi.CdasiInput,
                   cdasi.cdasi),
        Instrument("haq", "HAQ Disability Index (0-3)", haq.HaqInput, haq.haq_di),
        Instrument("chaq", "Childhood HAQ (0-3)", haq.ChaqInput, haq.chaq),
        Instrument("cmas", "Childhood Myositis Assessment Scale (0-52)", cmas.CmasInput,
                   cmas.cmas),
        Instrument("myoact", "MDAAT: Myositis Disease Activity (MYOACT, 0-1)",
                   mdaat.MyoactInput, mdaat.myoact),
        Instrument("mitax", "MDAAT: Myositis Intention-to-Treat Activity Index (MITAX, 0-1)",
                   mdaat.MitaxInput, mdaat.mitax),
        Instrument("mdi", "Myositis Damage Index (extent and severity)", mdi.MdiInput, mdi.mdi),
        Instrument("sontheimer", "Sontheimer DM subsets (classic/amyopathic/hypomyopathic)",
                   sontheimer.SontheimerInput, sontheimer.sontheimer),
        Instrument("flair", "FLAIR mortality-risk score in ADM-associated ILD (0-13)",
                   flair.FlairInput, flair.flair),
    )
}

# Inputs that are not scored through `score` but have schemas (two-time-point measures).
SCHEMAS: dict[str, type[BaseModel]] = {
    **{name: inst.input_model for name, inst in INSTRUMENTS.items()},
    "core_set": response_2016.CoreSetInput,
    "care_plan_profile": PatientRecord,
    "patient_record": PatientRecord,
    "enmc_ibm_2011": IbmInput,
    "imacs_worsening_measures": Measures,
}


def get(name: str) -> Instrument:
    try:
        return INSTRUMENTS[name]
    except KeyError:
        raise NotFoundError(
            f"unknown instrument {name!r}; choose one of: {', '.join(INSTRUMENTS)}"
        ) from None


def score(name: str, payload: dict[str, Any]) -> InstrumentResult:
    """Validate ``payload`` against the instrument's input model and score it."""
    instrument = get(name)
    return instrument.score(instrument.input_model.model_validate(payload))

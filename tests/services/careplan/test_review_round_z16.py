"""Specialist review round Z16 (SYNTHETIC patients): a district clinic, shared-care children,
the lung clinic and hard comorbidities."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import make_plan

NO_SKIN = {"heliotrope_rash": False, "gottron_papules": False}
ASYS: dict[str, Any] = {
    "diagnosis": {"subgroup": "asys"}, "skin": NO_SKIN, "classification": {"skin": NO_SKIN},
    "antibodies": {"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
}


def text_of(plan: Any) -> str:
    return " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))


def test_no_new_methotrexate_when_the_lung_has_no_reserve() -> None:
    """Z16c P6 (dangerous): methotrexate listed for the muscle of a frail 70-year-old on oxygen
    at rest with a DLCO of 24 %."""
    plan = make_plan(**ASYS, date_of_birth="1956-01-01",
                     lung={"course": "stable", "hrct_pattern": "nsip", "oxygen": "at_rest",
                           "dlco_percent_predicted": 24},
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2022-01-01"}],
                     persistent_high_activity=True)
    said = text_of(plan)
    assert "Methotrexate" not in said or "Continue Methotrexate" in said


def test_end_stage_fibrosis_on_an_antifibrotic_gets_no_new_immunosuppressant_first() -> None:
    """Z16c P8 (dangerous): IV cyclophosphamide first for end-stage UIP-pattern fibrosis
    progressing on nintedanib."""
    plan = make_plan(**ASYS, lung={"course": "progressive", "hrct_pattern": "uip",
                                   "oxygen": "at_rest", "fvc_percent_predicted": 42,
                                   "dlco_percent_predicted": 22},
                     treatments=[{"therapy": "nintedanib", "dose_value": 300,
                                  "dose_unit": "mg/day", "start": "2024-01-01"},
                                 {"therapy": "mycophenolate", "dose_value": 3000,
                                  "dose_unit": "mg/day", "start": "2021-01-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2021-01-01"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("fibrotic disease progressing on an antifibrotic")
    assert not any(e.removeprefix("add ").startswith("Cyclophosphamide")
                   for e in lung.first_choice)


def test_a_boosted_hiv_regimen_is_never_the_drug_to_stop() -> None:
    """Z16d P7 (dangerous): 'stop or replace the interacting drug' when it was the
    cobicistat-boosted HIV regimen."""
    from myositis.knowledge import load
    rules = [r for r in load().rules.rules if r.text.startswith("Colchicine taken with reduced")]
    assert rules
    assert all("HIV treatment and anti-rejection drugs are never interrupted" in r.text
               for r in rules)


def test_ciclosporin_dose_gives_the_start_and_the_obesity_caveat() -> None:
    """Z16d P6 (dangerous): 'up to 480 mg/day' on actual weight for a pregnant woman with BMI
    35, with no starting dose."""
    from myositis.knowledge import load
    entry = next(d for d in load().doses if d.therapy == "ciclosporin")
    assert "start at 2.5-3 mg/kg/day" in (entry.note or "")
    assert entry.weight is not None and "ideal or adjusted weight" in entry.weight.note

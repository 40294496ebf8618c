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


def test_no_taper_target_while_the_lung_sets_the_dose() -> None:
    """Z16a P3: 'set a written taper target' beside 'no taper while the lung is active'."""
    plan = make_plan(**ASYS, lung={"course": "progressive", "hrct_pattern": "nsip"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01"},
                                 {"therapy": "mycophenolate", "dose_value": 3000,
                                  "dose_unit": "mg/day", "start": "2025-02-01"}])
    from tests.services.careplan.conftest import do_now
    assert "long_term_glucocorticoid_exit" not in do_now(plan)


def test_low_grade_muscle_in_ild_adds_nothing_new() -> None:
    """Re-score of Z16c P8 (dangerous): 'add IVIG' 195 g per course for low-grade muscle
    (normal CK, MMT-8 74/80) in a transplant candidate with pulmonary hypertension on oxygen."""
    plan = make_plan(**ASYS, months_since_onset=78, weight_kg=98,
                     organs={"dysphagia": "moderate"},
                     lung={"course": "progressive", "hrct_pattern": "uip", "oxygen": "at_rest",
                           "dlco_percent_predicted": 22},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2021-01-01"},
                                 {"therapy": "mycophenolate", "dose_value": 3000,
                                  "dose_unit": "mg/day", "start": "2021-01-01"},
                                 {"therapy": "nintedanib", "dose_value": 300,
                                  "dose_unit": "mg/day", "start": "2024-01-01"},
                                 {"therapy": "rituximab", "dose_value": 1000, "dose_unit": "mg",
                                  "start": "2023-02-01", "stop": "2024-02-01",
                                  "reason_stopped": "inefficacy"}],
                     visits=[{"date": "2026-11-10", "core_set": {"physician_global": 5,
                                                                  "mmt8": 74, "mmt_max": 80}}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add ") for e in muscle.first_choice)


def test_methotrexate_leaves_a_combined_alternative_without_lung_reserve() -> None:
    """Re-score of Z16c P7: 'once the infections are controlled: Rituximab, Methotrexate' in
    rapidly progressive ILD with oxygen at rest."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_lung_reserve import (
        no_methotrexate_without_lung_reserve,
    )
    r = Regimen(domain="muscle", state="active", first_choice=["Continue X"],
                alternatives=["once the infections are controlled: Rituximab, Methotrexate"],
                decision_point="-")
    out = no_methotrexate_without_lung_reserve([r], "Methotrexate", True)
    assert out[0].alternatives == ["once the infections are controlled: Rituximab"]


def test_past_cyclophosphamide_brings_its_late_effect_checks() -> None:
    """Known limit after Z13-Z16: the late effects of past cyclophosphamide (bladder, cervix,
    secondary malignancy) were not listed years later."""
    past = [{"therapy": "cyclophosphamide", "start": "2019-01-01", "stop": "2019-07-01",
             "cumulative_dose_g": 6}]
    plan = make_plan(treatments=past)
    late = [a for a in plan.do_now if a.code == "past_cyclophosphamide_late_effects_cervix"]
    assert late and "haematuria" in late[0].text and "cervical" in late[0].text
    # no cervical advice to a man (re-score of specialist review Z17a)
    man = make_plan(sex="male", treatments=past)
    late = [a for a in man.do_now if a.code == "past_cyclophosphamide_late_effects"]
    assert late and "haematuria" in late[0].text and "cervical" not in late[0].text
    assert not {"past_cyclophosphamide_late_effects", "past_cyclophosphamide_late_effects_cervix"} \
        & {a.code for a in make_plan().do_now}

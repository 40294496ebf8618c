"""Specialist review S (December 2026): an IMNM clinic (S1) and perioperative, travel and
vaccination questions on treatment (S2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, lab, make_plan, merge

RASH_FREE = {"heliotrope_rash": False, "gottron_papules": False}
NECROTISING: dict[str, Any] = merge(ADULT_DM, {
    "diagnosis": {"subgroup": "imnm"}, "skin": RASH_FREE,
    "classification": {"skin": RASH_FREE}})


def test_an_imnm_label_on_a_weak_blot_band_alone_is_not_treated() -> None:
    """S1 P7 (dangerous): prednisolone, 190 g of IVIG and azathioprine for full strength, CK 3 x
    ULN and a weak anti-HMGCR band in a statin user with hypothyroidism."""
    plan = make_plan(NECROTISING, statin_exposure=True,
                     antibodies={"mi2": {"status": "negative"},
                                 "hmgcr": {"status": "positive", "level": "weak"}},
                     antibody_tests=[{"antibody": "hmgcr", "result": "positive",
                                      "method": "line_blot", "level": "weak",
                                      "date": "2026-10-20"}],
                     labs={"enzymes": {"ck": {"value": 620, "uln": 200}}})
    assert plan.diagnosis is not None and plan.diagnosis.followed == "unclassified"
    assert any("weak line-blot band only" in e for e in plan.diagnosis.explanation)
    assert not plan.regimens
    elisa = make_plan(NECROTISING, antibodies={"mi2": {"status": "negative"},
                                               "hmgcr": {"status": "positive"}},
                      antibody_tests=[{"antibody": "hmgcr", "result": "positive",
                                       "method": "elisa", "date": "2026-10-20"}])
    assert elisa.diagnosis is not None and "imnm" in elisa.phenotypes


def test_seronegative_imnm_failing_treatment_is_re_examined_for_a_dystrophy() -> None:
    """S1 P3 (dangerous): first choice rituximab for a boy with falling CMAS, an MHC-I-negative
    necrotising biopsy and three failed drugs."""
    failed = [{"therapy": t, "start": "2024-03-01", "stop": "2025-01-01",
               "outcome": "ineffective"} for t in ("methotrexate", "ivig")]
    plan = make_plan(NECROTISING, classification={"age_at_onset": 6, "skin": RASH_FREE},
                     sex="male", weight_kg=30, months_since_onset=36,
                     necrotising_biopsy=True,
                     antibodies={"mi2": {"status": "negative"}, "srp": {"status": "negative"},
                                 "hmgcr": {"status": "negative"}},
                     treatments=[*failed, {"therapy": "glucocorticoids_oral",
                                           "start": "2024-03-01", "dose_value": 10,
                                           "dose_unit": "mg/day", "outcome": "ineffective"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Re-examine the diagnosis before any new agent: "
                                             "an antibody-negative necrotising myopathy")
    assert not any(f.startswith("Rituximab") for f in muscle.first_choice)


def test_a_rituximab_cycle_recorded_with_its_last_infusion_is_still_taken() -> None:
    """S2 P7 (dangerous): a cycle recorded with its stop date was 'not current', so no PJP line
    beside mycophenolate and prednisolone with lymphocytes 0.6."""
    treatments = [{"therapy": "rituximab", "start": "2026-09-01", "stop": "2026-09-15",
                   "outcome": "ongoing"},
                  {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                   "start": "2025-01-01", "outcome": "ongoing"}]
    plan = make_plan(treatments=treatments, lab_results=[lab("lymphocytes", 0.6, "10^9/L")])
    assert any("PJP" in a.text and "ituximab" in a.text for a in plan.do_now)
    long_ago = make_plan(treatments=[dict(treatments[0], start="2025-09-01", stop="2025-09-15"),
                                     treatments[1]],
                         lab_results=[lab("lymphocytes", 0.6, "10^9/L")])
    assert not any("PJP" in a.text and "ituximab" in a.text for a in long_ago.do_now)


def test_no_optimising_of_an_immunosuppressant_during_an_infection() -> None:
    """S2 P7 (dangerous): 'continue and optimise mycophenolate' during a febrile wound
    infection with CRP 140, against the plan's own hold during a serious infection."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 10,
               "core_set": {"physician_global": 4, "mmt8": 66, "mmt_max": 80}}
              for d in ("2026-08-01", "2026-11-20")]
    treatments = [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                   "start": "2025-01-01", "outcome": "ongoing"},
                  {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                   "start": "2025-01-01", "outcome": "ongoing"}]
    plan = make_plan(months_since_onset=30, visits=visits, treatments=treatments,
                     comorbidities={"active_infection": True}, systemic={"fever": True})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(f.startswith("Continue and optimise") for f in muscle.first_choice)
    assert any("hold it with the team if the infection is serious" in f
               for f in muscle.first_choice)
    well = make_plan(months_since_onset=30, visits=visits, treatments=treatments)
    assert any(f.startswith("Continue and optimise Mycophenolate")
               for r in well.regimens for f in r.first_choice)

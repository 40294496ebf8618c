"""Scenarios from specialist review D (December 2026, SYNTHETIC): broad samples of a
myositis service; the tests hold the fixes for what the review found wrong or unsafe
(H322-H323)."""

from __future__ import annotations

from tests.services.careplan.conftest import make_plan
from tests.services.careplan.test_safety_rules import visit


def test_a_biopsy_on_an_anticoagulant_comes_with_a_plan_for_it() -> None:
    undiagnosed = {"id": "SYN-D-U", "sex": "female", "today": "2026-12-01",
                   "classification": {"age_at_onset": 82,
                                      "weakness": {"proximal_lower": True}},
                   "other_medicines": ["warfarin"]}
    plan = make_plan(undiagnosed)
    biopsy = next((w for w in plan.workup if w.code == "muscle_biopsy"), None)
    assert biopsy is not None and "INR" in biopsy.reason and "bridging" in biopsy.reason
    plain = make_plan({**undiagnosed, "other_medicines": []})
    assert all("bridging" not in w.reason for w in plain.workup)


def test_muscle_and_lung_failing_together_get_one_escalation() -> None:
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     visits=[visit("2026-06-01", 5, 60, 3000, 15),
                             visit("2026-11-20", 5, 60, 3000, 15)],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2025-06-01",
                                  "outcome": "ongoing", "response": "partial"},
                                 {"therapy": "methotrexate", "outcome": "ineffective",
                                  "start": "2024-06-01", "stop": "2025-05-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert muscle.state == "inadequate_response" and lung.state == "inadequate_response"
    assert muscle.first_choice[0].startswith("one escalation for muscle and lung")
    assert not any(f.startswith(("Rituximab", "add ")) for f in muscle.first_choice)


def test_organ_threatening_disease_while_breastfeeding_offers_drugs_that_need_it_stopped() -> None:
    from tests.services.careplan.test_review_v2 import MDA5_RPILD

    plan = make_plan(MDA5_RPILD, reproduction={"breastfeeding": True})
    assert "cyclophosphamide" not in {w.therapy for w in plan.withheld}
    option = next(o for o in plan.options if o.therapy == "cyclophosphamide")
    assert any(c.condition == "breastfeeding_stop_for_organ_threatening_disease"
               for c in option.cautions)
    calm = make_plan(reproduction={"breastfeeding": True})
    assert "cyclophosphamide" not in {o.therapy for o in calm.options}


def test_rp_ild_does_not_repropose_what_failed_or_taper_the_glucocorticoid() -> None:
    from tests.services.careplan.test_review_v2 import MDA5_RPILD

    plan = make_plan(MDA5_RPILD, treatments=[
        {"therapy": "tacrolimus", "start": "2026-08-01", "outcome": "ineffective"},
        {"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
         "start": "2026-08-01", "outcome": "ongoing"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(f.startswith("Tacrolimus") for f in lung.first_choice)
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "tapering as the response allows" not in said


def test_a_necrotising_range_ck_asks_for_anti_hmgcr_unless_another_antibody_explains_it() -> None:
    undiagnosed = {"id": "SYN-D-N", "sex": "female", "today": "2026-12-01",
                   "classification": {"age_at_onset": 29,
                                      "weakness": {"proximal_lower": True,
                                                   "proximal_upper": True},
                                      "elevated_muscle_enzymes": True},
                   "labs": {"enzymes": {"ck": {"value": 2600, "uln": 200}}}}
    assert "necrotising_range_ck_anti_hmgcr_untested" in {
        a.code for a in make_plan(undiagnosed).do_now}
    jo1 = {**undiagnosed, "antibodies": {"jo1": {"status": "positive"}}}
    assert "necrotising_range_ck_anti_hmgcr_untested" not in {
        a.code for a in make_plan(jo1).do_now}


def test_a_drug_being_stopped_gets_no_dose_reduction_line() -> None:
    plan = make_plan(weight_kg=50, treatments=[
        {"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
         "start": "2025-01-01", "outcome": "ineffective"}])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Stop Hydroxychloroquine" in said
    assert "hydroxychloroquine_dose_above_5mg_kg" not in {a.code for a in plan.do_now}

"""Specialist review W (December 2026): adolescents and young adults in transition (W1), a
multi-ethnic city clinic (W2). SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_no_ivig_for_a_pregnant_flare_when_blood_products_are_declined() -> None:
    """W2 P3 (dangerous): IVIG advised twice for a pregnant woman's flare although she declines
    blood products."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 20,
               "core_set": {"physician_global": pg, "patient_global": pg,
                            "extramuscular_global": pg, "mmt8": m, "mmt_max": 80}}
              for d, pg, m in (("2026-10-01", 2, 76), ("2026-11-28", 6, 62))]
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 14},
                     preferences={"declines": ["blood_products"]}, visits=visits,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-05-01"}])
    said = do_now(plan)
    assert "pregnancy_active_disease_no_blood_products" in said
    assert "pregnancy_active_disease" not in said
    assert not any("immunoglobulin" in e.lower() for r in plan.regimens
                   for e in r.first_choice)


def test_latent_tb_treatment_under_way_is_not_called_untreated() -> None:
    """W2 P6 (wrong): 'latent TB not treated ... start latent-TB treatment now' with treatment
    recorded as ongoing on rifampicin; the rifampicin-prednisolone interaction missed."""
    plan = make_plan(other_medicines=["rifampicin"],
                     infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "negative"},
                                          "tb_test": {"result": "positive"},
                                          "latent_tb_treatment": "ongoing"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-10-01"}])
    said = {a.code: a.text for a in plan.do_now}
    assert "latent_tb_untreated_on_immunosuppression" not in said
    assert "prednisolone exposure" in said["latent_tb_treatment_under_way"]


def test_breathlessness_from_an_improving_ild_in_pregnancy_is_not_a_same_day_ctpa() -> None:
    """W1 P3 (wrong): same-day CTPA and empirical heparin for a pregnant woman whose known ILD
    was improving on every dated measure."""
    lungs = [{"date": d, "fvc_percent_predicted": f, "dlco_percent_predicted": dl}
             for d, f, dl in (("2026-05-01", 63, 49), ("2026-08-01", 68, 54),
                              ("2026-11-20", 72, 58))]
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 10},
                     antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
                     lung_measures=lungs, lab_results=[lab("ferritin", 420, "ug/L")])
    assert "pregnancy_breathlessness" not in do_now(plan)


def test_tacrolimus_in_pregnancy_is_checked_every_few_weeks() -> None:
    """W1 P3 (wrong): tacrolimus trough dated 12 weeks away at 10 weeks' gestation."""
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 10},
                     treatments=[{"therapy": "tacrolimus", "dose_value": 6, "dose_unit": "mg/day",
                                  "start": "2026-03-01"}])
    row = next(m for m in plan.monitoring if m.therapy.startswith("Tacrolimus"))
    assert "pregnancy" in row.next_due


def test_a_teratogen_stopped_by_the_patient_without_a_stop_date_is_still_a_teratogen() -> None:
    """Re-score of V1 P6 (wrong): methotrexate recorded as stopped by the patient with no stop
    date left the teratogen list of a woman without contraception."""
    plan = make_plan(sex="female", date_of_birth="2007-03-01",
                     reproduction={"pregnant": False, "effective_contraception": False},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-01-01",
                                  "reason_stopped": "patient_stopped"}])
    said = {a.code: a.text for a in plan.do_now}
    assert "patient_stopped_treatment" in said
    assert any("ethotrexate" in text and "pregnan" in text for text in said.values())


def test_strongyloides_is_screened_before_high_dose_glucocorticoids_from_endemic_regions() -> None:
    """W2 P1 and P8 (omission): no strongyloides screen before high-dose glucocorticoids."""
    plan = make_plan(infection_screening={"strongyloides_endemic": True})
    assert "strongyloides_before_glucocorticoids" in do_now(plan)
    screened = make_plan(infection_screening={"strongyloides_endemic": True,
                                              "strongyloides_serology": {"result": "negative"}})
    assert "strongyloides_before_glucocorticoids" not in do_now(screened)


def test_a_falling_ck_still_high_ten_months_into_jdm_is_not_a_reason_to_wait() -> None:
    """W2 P4 (wrong): 'still improving on the enzymes ... reassess within 3 months' for a boy
    10 months into JDM with CK 2.8 x ULN and ulcerating calcinosis."""
    plan = make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 7},
                     date_of_birth="2018-03-01", months_since_onset=10,
                     labs={"enzymes": {"ck": {"value": 640, "uln": 230,
                                              "date": "2026-11-20"}}},
                     lab_results=[lab("ck", 3100, "U/L", 230, "2026-06-01"),
                                  lab("ck", 640, "U/L", 230, "2026-11-20")],
                     visits=[{"date": "2026-11-20", "core_set": {"physician_global": 4,
                                                                 "cmas": 38}}],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/m2/week", "start": "2026-02-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2026-02-01"}])
    assert plan.state is not None
    assert not any("still improving" in b for d in plan.state.domains for b in d.basis)

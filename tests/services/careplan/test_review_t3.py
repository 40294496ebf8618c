"""Specialist review T (December 2026): a juvenile DM clinic (T1) and a nurse-led drug-monitoring
clinic (T2). SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_a_fatty_liver_alt_is_not_muscle_activity_when_the_ck_is_normal() -> None:
    """T1 P5 (dangerous): a 16-year-old with CMAS 52 and a normal CK given 60 mg of
    prednisolone and methotrexate for an ALT from a fatty liver."""
    visits = [{"date": d, "core_set": {"physician_global": 0.5, "cmas": 52, "mmt8": 80,
                                       "mmt_max": 80}, "glucocorticoid_mg_per_day": 0}
              for d in ("2025-11-02", "2026-11-05")]
    plan = make_plan(classification={"age_at_onset": 7}, date_of_birth="2010-06-01",
                     months_since_onset=110, visits=visits,
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200},
                                       "alt": {"value": 80, "uln": 40}}},
                     lab_results=[lab("alt", 80, "U/L", 40, "2026-11-05")],
                     treatments=[{"therapy": "methotrexate", "start": "2017-09-05",
                                  "stop": "2021-06-01", "outcome": "effective",
                                  "reason_stopped": "remission"}])
    assert plan.state is not None and plan.state.of("muscle") == "remission"


def test_re_examining_the_diagnosis_holds_every_new_agent() -> None:
    """T1 P7 (dangerous): 'switch to mycophenolate' and 'add a second-line agent' beside
    're-examine the diagnosis' for a rash-free child who is probably dystrophic."""
    rash_free = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(diagnosis={"subgroup": "jdm"}, sex="male", skin=rash_free,
                     classification={"age_at_onset": 8, "skin": rash_free,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": True},
                                     "elevated_muscle_enzymes": True},
                     antibodies={"mi2": {"status": "negative"}}, weight_kg=30,
                     months_since_onset=30,
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2024-06-01",
                                  "outcome": "ineffective"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ineffective"}])
    said = [e for r in plan.regimens for e in r.first_choice]
    assert any(e.startswith("Re-examine the diagnosis") for e in said)
    assert not any(e.startswith("switch to ") for e in said)
    assert not {"jdm_target_missed_first_line", "jdm_target_missed_on_second_line"} & set(
        do_now(plan))


def test_fever_in_organ_threatening_disease_does_not_hold_the_urgent_regimen() -> None:
    """T1 P8 (dangerous): 'no new or intensified immunosuppression until it is treated' in
    suspected anti-MDA5 RP-ILD with fever."""
    visits = [{"date": "2026-10-15", "core_set": {"physician_global": 3, "patient_global": 3,
                                                  "extramuscular_global": 3, "mmt8": 76,
                                                  "mmt_max": 80, "haq": 0.5}},
              {"date": "2026-11-20", "core_set": {"physician_global": 6, "patient_global": 6,
                                                  "extramuscular_global": 6, "mmt8": 70,
                                                  "mmt_max": 80, "haq": 1.2}}]
    treatments = [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                   "start": "2026-09-01", "outcome": "ongoing"}]
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
                     systemic={"fever": True, "rapidly_progressive_ild_suspected": True,
                               "interstitial_lung_disease": True},
                     visits=visits, treatments=treatments)
    flare = next(a.text for a in plan.do_now if a.code == "flare")
    assert "alongside the urgent immunosuppression" in flare
    assert "no new or intensified immunosuppression until it is treated" not in flare


def test_no_new_agent_during_febrile_neutropenia() -> None:
    """T2 P2 (dangerous): rituximab first choice beside neutrophils 0.8 with fever."""
    failed = [{"therapy": t, "start": "2023-01-01", "stop": "2024-01-01",
               "outcome": "ineffective"} for t in ("methotrexate", "mycophenolate")]
    visits = [{"date": d, "glucocorticoid_mg_per_day": 10,
               "core_set": {"physician_global": 5, "mmt8": 60, "mmt_max": 80}}
              for d in ("2026-06-01", "2026-11-20")]
    plan = make_plan(months_since_onset=40, visits=visits, systemic={"fever": True},
                     lab_results=[lab("neutrophils", 0.8, "10^9/L")],
                     treatments=[*failed, {"therapy": "azathioprine", "dose_value": 100,
                                           "dose_unit": "mg/day", "start": "2024-02-01",
                                           "outcome": "ongoing", "response": "none"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("treat the infection first")
    assert not any(f.startswith("Rituximab") for f in muscle.first_choice)


def test_tacrolimus_held_today_is_not_continued_and_the_macrolide_is_named() -> None:
    """T2 P3 (dangerous): 'withhold tacrolimus today' beside 'Continue Tacrolimus'; the
    clarithromycin behind the level never named."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "pl12": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     other_medicines=["macrolide_antibiotic"],
                     lab_results=[lab("tacrolimus_trough", 16.4, "ng/mL"),
                                  lab("potassium", 6.1, "mmol/L", 5.3)],
                     treatments=[{"therapy": "tacrolimus", "dose_value": 6,
                                  "dose_unit": "mg/day", "start": "2025-06-01",
                                  "outcome": "ongoing"}])
    assert "tacrolimus_toxicity" in do_now(plan)
    said = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith("Continue Tacrolimus") for e in said)
    assert any(e.startswith("Hold Tacrolimus today") for e in said)
    assert any("Clarithromycin" in a.text for a in plan.do_now)


def test_an_optician_sight_test_is_not_the_retinal_screen() -> None:
    """T2 P5 (dangerous): a sight test for glasses cleared 'retinal screening overdue'."""
    hcq = [{"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
            "start": "2020-01-01", "outcome": "ongoing"}]
    sight = make_plan(weight_kg=50, treatments=hcq, cancer={"screening_done": [
        {"test": "Optician eye test (routine sight test for glasses)", "date": "2026-06-10",
         "result": "normal"}]})
    assert "hydroxychloroquine_retinal_screening_due" in do_now(sight)
    oct_done = make_plan(weight_kg=50, treatments=hcq, cancer={"screening_done": [
        {"test": "OCT and fundus autofluorescence", "date": "2026-06-10", "result": "normal"}]})
    assert "hydroxychloroquine_retinal_screening_due" not in do_now(oct_done)


def test_no_bisphosphonate_just_above_egfr_35() -> None:
    """T2 P7 (dangerous): IV zoledronate offered at eGFR 35 (clearance about 29)."""
    gc = [{"therapy": "glucocorticoids_oral", "dose_value": 7.5, "dose_unit": "mg/day",
           "start": "2025-01-01", "outcome": "ongoing"}]
    plan = make_plan(treatments=gc, lab_results=[lab("egfr", 37, "mL/min/1.73m2")])
    assert "bone_medication_kidney" in do_now(plan)
    fine = make_plan(treatments=gc, lab_results=[lab("egfr", 60, "mL/min/1.73m2")])
    assert "bone_medication_kidney" not in do_now(fine)
    # the untreated-osteoporosis line uses the same threshold (re-score of review T)
    from myositis.knowledge import load

    rule = next(r for r in load().rules.rules if r.id == "osteoporosis_untreated")
    assert "eGFR is 40 or more" in rule.text


def test_jdm_after_methotrexate_intolerance_opens_the_second_line_by_cautions() -> None:
    """T1 re-score (dangerous): ciclosporin the only steroid-sparing choice for an active,
    hypertensive, diabetic 15-year-old after methotrexate intolerance (mycophenolate and IVIG
    not offered)."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 20,
               "core_set": {"physician_global": pg, "cmas": cmas, "mmt8": 64, "mmt_max": 80}}
              for d, pg, cmas in (("2026-08-01", 4, 40), ("2026-11-20", 5, 38))]
    plan = make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 13},
                     date_of_birth="2011-05-01", weight_kg=52, months_since_onset=26,
                     visits=visits, comorbidities={"hypertension": True, "diabetes": True},
                     treatments=[{"therapy": "methotrexate", "start": "2024-10-01",
                                  "stop": "2026-06-01", "outcome": "not_tolerated",
                                  "reason_stopped": "adverse_event"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2024-10-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    # a teratogen for a girl without recorded contraception carries its caveat (review Z11b)
    # (a girl under 18: the pregnancy test first, contraception if sexually active; Z45a P2)
    assert "add Mycophenolate mofetil (a teratogen: a negative pregnancy test first, and effective " \
        "contraception if she is or may become sexually active - asked confidentially)" \
        in muscle.first_choice
    assert not any("Ciclosporin" in e for e in muscle.first_choice)
    assert "Intravenous immunoglobulin" in muscle.alternatives
    ciclosporin = next(o for o in plan.options if o.therapy == "ciclosporin")
    assert "calcineurin_hypertension" in {c.condition for c in ciclosporin.cautions}

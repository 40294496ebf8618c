"""Findings of specialist review round Z51 (home ventilation, global health, fertility and
contraception, nurse-specialist advice line), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


MDA5_NEUTROPENIC_SEPSIS: dict[str, Any] = dict(
    antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
    comorbidities={"sepsis": True, "active_infection": True, "infection_focus": "not_found"},
    lab_results=[lab("neutrophils", 0.4, "10^9/L"), lab("lymphocytes", 0.3, "10^9/L")],
    treatments=[{"therapy": "cyclophosphamide", "start": "2026-10-20", "dose_value": 500,
                 "dose_unit": "mg/m2", "route": "iv"},
                {"therapy": "tacrolimus", "start": "2026-10-15", "dose_value": 4,
                 "dose_unit": "mg/day"},
                {"therapy": "glucocorticoids_oral", "start": "2026-10-15", "dose_value": 50,
                 "dose_unit": "mg/day"}])


def test_a_drug_held_for_a_low_count_keeps_no_keep_the_regimen_line() -> None:
    """Z51d P7 (dangerous): cyclophosphamide held for neutrophils of 0.4 in sepsis beside 'keep
    the regimen the disease needs at its target' and 'goes on in parallel'."""
    plan = make_plan(**MDA5_NEUTROPENIC_SEPSIS)
    changes = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Hold Cyclophosphamide" in changes
    cyc_lines = [a for a in plan.do_now if a.text.startswith("Taken now (Cyclophosphamide")]
    assert not any("keep the regimen the disease needs" in a.text for a in cyc_lines)


def test_not_myositis_on_treatment_says_to_taper_the_glucocorticoid() -> None:
    """Z51a P8 (dangerous): late-onset Pompe disease on prednisolone 20 mg for 7 months told
    'no glucocorticoids or immunosuppression' with no taper."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "pm", "not_myositis": "late-onset Pompe disease",
                   "alternative": "metabolic_myopathy"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-05-01", "dose_value": 20,
                     "dose_unit": "mg/day"},
                    {"therapy": "methotrexate", "start": "2026-06-01", "dose_value": 15,
                     "dose_unit": "mg/week"}])
    plan = make_plan(**record)
    assert "metabolic_myopathy_care" in do_now(plan)
    assert "tapered, never stopped suddenly" in _texts(plan)
    untreated = make_plan(**{**record, "treatments": []})
    assert "tapered, never stopped suddenly" not in _texts(untreated)


def test_scleroderma_overlap_breathing_weakness_gets_no_default_pulses() -> None:
    """Z51a P5 (dangerous): 'add IV methylprednisolone pulses' first for a scleroderma overlap
    with breathing-muscle weakness at 27 weeks of pregnancy, on IVIG and azathioprine."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        organs={"sclerodactyly": True, "respiratory_muscle_weakness": True,
                "dysphagia": "moderate"},
        reproduction={"pregnant": True, "gestation_weeks": 27},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-09-15", "dose_value": 10,
                     "dose_unit": "mg/day"},
                    {"therapy": "azathioprine", "start": "2026-02-10", "dose_value": 125,
                     "dose_unit": "mg/day"},
                    {"therapy": "ivig", "start": "2026-09-08", "dose_value": 2,
                     "dose_unit": "g/kg"}])
    muscle = next(r for r in make_plan(**record).regimens if r.domain == "muscle")
    assert not any("methylprednisolone pulses" in e for e in muscle.first_choice)
    assert any("only if the weakness threatens life" in a for a in muscle.alternatives)
    plain = make_plan(**{**record, "diagnosis": {"subgroup": "dm"}, "organs": {
        "respiratory_muscle_weakness": True, "dysphagia": "moderate"}})
    assert any("methylprednisolone pulses" in e for r in plain.regimens if r.domain == "muscle"
               for e in r.first_choice)


def test_with_hiv_the_co_trimoxazole_stays_and_methotrexate_is_not_the_agent() -> None:
    """Z51b P6 (dangerous): 'the PJP prophylaxis changes to atovaquone first' so methotrexate
    can start, for a woman with HIV on lopinavir/ritonavir and programme co-trimoxazole."""
    record: dict[str, Any] = dict(
        other_medicines=["co_trimoxazole", "ritonavir_or_cobicistat"],
        infection_screening={"hiv": {"result": "positive", "date": "2026-01-10"}},
        planned_treatments=[{"therapy": "methotrexate", "start": "2026-12-08"}])
    text = _texts(make_plan(**record))
    assert "the PJP prophylaxis changes to atovaquone first" not in text
    assert "HIV programme's prophylaxis" in text
    plain = _texts(make_plan(**{**record, "infection_screening": {}}))
    assert "the PJP prophylaxis changes to atovaquone first" in plain


def test_a_worse_visit_in_sepsis_gets_ivig_not_pulses_and_tube_feeding_declined_is_kept() -> None:
    """Z51b P8 (two dangerous): 'the antibiotics and IV glucocorticoid pulses or IVIG now' in
    septic shock, and 'nasogastric feeding' for a woman who had declined tube feeding."""
    from tests.services.careplan.test_review_v2 import _flare_visits
    record: dict[str, Any] = dict(
        visits=_flare_visits(150, 140, 110), months_since_onset=24,
        organs={"dysphagia": "severe"},
        comorbidities={"sepsis": True, "active_infection": True, "infection_focus": "lung_focal"},
        preferences={"declines": ["tube_feeding"]},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-12-01", "dose_value": 10,
                     "dose_unit": "mg/day"}])
    text = _texts(make_plan(**record))
    assert "IV glucocorticoid pulses or IVIG now" not in text
    assert "no IV glucocorticoid pulses until the sepsis is controlled" in text
    assert "with nasogastric feeding" not in text
    assert "tube feeding has been declined" in text


def test_active_tb_on_treatment_is_recorded_and_does_not_stop_the_lung_plan() -> None:
    """Z51b P3 (dangerous): active TB on rifampicin-based treatment with a worsening
    antisynthetase ILD - 'treat the infection first ... no new agent during it' for months,
    latent-TB treatment asked for, and rifampicin's cut of prednisolone never applied."""
    record: dict[str, Any] = dict(
        antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True}, other_medicines=["rifampicin"],
        infection_screening={"tb_test": {"result": "positive", "date": "2026-09-25"},
                             "chest_imaging": "abnormal_tb_compatible",
                             "active_tb": "on_treatment",
                             "active_tb_treatment_start": "2026-10-01"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-08-20", "dose_value": 30,
                     "dose_unit": "mg/day"}])
    plan = make_plan(**record)
    codes = do_now(plan)
    assert "active_tb_on_treatment" in codes
    assert not {"latent_tb_untreated_on_immunosuppression", "chest_imaging_tb_compatible"} \
        & set(codes)
    gc = next(o for o in plan.options if o.therapy == "glucocorticoids_oral")
    assert "glucocorticoid_with_rifampicin" in {c.condition for c in gc.cautions}


def test_fertility_clinic_lines_do_not_contradict_themselves() -> None:
    """Z51c P8: 'raise prednisolone to ... 35 mg/day (now 40 mg/day)'; Z51c P7: 'ezetimibe or a
    PCSK9 inhibitor' urgent for a woman starting IVF; Z51c P1: a progestogen-only pill alone
    accepted beside mycophenolate."""
    from myositis.services.careplan.regimen_lines import flare_glucocorticoid
    assert flare_glucocorticoid(70, 40, child=False, pregnant=False).startswith(
        "prednisolone is already at or above the moderate-flare dose")
    assert flare_glucocorticoid(70, 10, child=False, pregnant=False).startswith(
        "raise prednisolone to about 0.5 mg/kg/day")
    hmgcr = dict(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                 other_medicines=["statin"], reproduction={"planning_conception": True})
    assert "lipid-lowering drugs wait while a pregnancy is planned" in _texts(make_plan(**hmgcr))
    mmf = [{"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2000,
            "dose_unit": "mg/day"}]
    pop = make_plan(treatments=mmf, reproduction={"contraception": ["progestogen_only_pill"]})
    assert "mycophenolate_single_user_method" in do_now(pop)
    both = make_plan(treatments=mmf, reproduction={
        "contraception": ["progestogen_only_pill", "condom_or_barrier"]})
    assert "mycophenolate_single_user_method" not in do_now(both)


def test_a_covered_pjp_line_still_brings_its_interaction_lines() -> None:
    """Re-score of Z51c P2: 'co-trimoxazole with a calcineurin inhibitor' lost for anti-MDA5
    RP-ILD on tacrolimus when the PJP line was covered by the anti-MDA5 infection line."""
    plan = make_plan(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        treatments=[{"therapy": "tacrolimus", "start": "2026-11-24", "dose_value": 4,
                     "dose_unit": "mg/day"},
                    {"therapy": "glucocorticoids_oral", "start": "2026-11-23", "dose_value": 60,
                     "dose_unit": "mg/day"}],
        planned_treatments=[{"therapy": "cyclophosphamide", "start": "2026-12-03"}],
        lung={"date": "2026-11-28", "fvc_percent_predicted": 58, "dlco_percent_predicted": 36,
              "hrct_pattern": "nsip_op", "oxygen": "exertional",
              "course": "rapidly_progressive"})
    assert "co_trimoxazole_with_calcineurin_inhibitor" in do_now(plan)


def test_the_urgent_breathing_line_keeps_pulses_out_of_a_scleroderma_overlap() -> None:
    """Re-score of Z51a P5: the urgent breathing-muscle line still said 'IV glucocorticoids
    with early IVIG' beside the approach's 'pulses only if the weakness threatens life'."""
    record: dict[str, Any] = dict(
        organs={"respiratory_muscle_weakness": True, "sclerodactyly": True},
        diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        reproduction={"pregnant": True, "gestation_weeks": 27})
    text = _texts(make_plan(**record))
    assert "IV glucocorticoids with early IVIG" not in text
    assert "IV glucocorticoid pulses only if life is threatened" in text


def test_breathing_weakness_on_home_ventilation_is_not_an_admission_or_a_pulse() -> None:
    """Z51a (several wrong): 'admit today', intensive-care review and IV pulses for stable
    patients on established home NIV, and a home tracheostomy read as an ICU admission."""
    record: dict[str, Any] = dict(
        organs={"respiratory_muscle_weakness": True, "home_ventilation": "nocturnal_niv"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-01-01", "dose_value": 10,
                     "dose_unit": "mg/day"}])
    codes = do_now(make_plan(**record))
    assert "respiratory_muscle_weakness_home_ventilation" in codes
    assert not {"respiratory_muscle_weakness", "organ_threatening_admit"} & set(codes)
    acute = do_now(make_plan(**{**record, "organs": {"respiratory_muscle_weakness": True}}))
    assert {"respiratory_muscle_weakness", "organ_threatening_admit"} <= set(acute)


def test_in_sepsis_the_cancer_red_flag_work_up_waits() -> None:
    """Z51b P8: an urgent cancer CT 'now' in septic shock."""
    record: dict[str, Any] = dict(
        antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
        organs={"dysphagia": "severe"}, cancer={"red_flags": ["weight_loss"]},
        comorbidities={"sepsis": True, "active_infection": True, "infection_focus": "lung_focal"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-12-01", "dose_value": 10,
                     "dose_unit": "mg/day"}])
    text = _texts(make_plan(**record))
    assert "urinalysis) now;" not in text
    assert "once the sepsis is treated (sooner only if a cancer may be its source)" in text


def test_a_childs_taper_does_not_call_five_mg_below_the_physiological_dose() -> None:
    """Z51d P4: 'at 5 mg/day ...: below the physiological dose' for a boy of about 1 m2."""
    child = [swap.specific for swap in load().wording_swaps if "child" in swap.facts
             and "physiological" in swap.specific]
    assert child and all(not s.startswith("below the physiological dose") for s in child)


def test_an_hbv_antiviral_taken_is_kept_not_started_today() -> None:
    """Z51b P2: 'tenofovir ... started today' for a woman taking it since July, whose only HBV
    DNA result predated it."""
    record: dict[str, Any] = dict(
        infection_screening={"hbsag": {"result": "positive", "date": "2026-07-20"},
                             "hbv_dna": {"result": "positive", "date": "2026-07-20"}},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-08-01", "dose_value": 20,
                     "dose_unit": "mg/day"}])
    taking = do_now(make_plan(**record, other_medicines=["hbv_active_antiviral"]))
    assert "hbv_dna_detectable_on_antiviral" in taking and "hbv_dna_detectable" not in taking
    assert "hbv_dna_detectable" in do_now(make_plan(**record))

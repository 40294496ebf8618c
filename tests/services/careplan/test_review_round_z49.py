"""Findings of specialist review round Z49 (liaison psychiatry, adolescent and transition care,
acute medicine, clinical immunology), fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def test_a_kidney_injury_holds_the_ace_inhibitor_by_name() -> None:
    """Z49c P4 (dangerous omission): eGFR 80 to 45 in sepsis with a blood pressure of 92/55 on an
    ARB, the kidney line naming only co-trimoxazole, mycophenolate and calcineurin inhibitors."""
    record = {"lab_results": [lab("egfr", 80, "mL/min/1.73m2", date="2026-10-01"),
                              lab("egfr", 45, "mL/min/1.73m2", date="2026-11-28")]}
    text = _texts(make_plan(**record, other_medicines=["ace_inhibitor_or_arb"]))
    assert "hold the ACE inhibitor or ARB (and diuretics) until the kidney recovers" in text
    assert "hold the ACE inhibitor or ARB (and diuretics)" not in _texts(make_plan(**record))


def test_colchicine_toxicity_with_a_count_already_low_is_admitted_today() -> None:
    """Z49c P8 (dangerous): neutrophils 1.1, platelets 98 and a week of diarrhoea on colchicine
    with clarithromycin, handled as a blood count within 24-48 hours."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}},
                     other_medicines=["colchicine", "macrolide_antibiotic"],
                     lab_results=[lab("egfr", 36, "mL/min/1.73m2"),
                                  lab("neutrophils", 1.1, "10^9/L"),
                                  lab("platelets", 98, "10^9/L")])
    line = next(a.text for a in plan.do_now if a.code == "colchicine_toxicity_with_cytopenia")
    assert "admission today with neutrophils below 1.0, platelets below 100" in line
    assert "poisons-service advice" in line


def test_a_mildly_low_potassium_does_not_hold_a_myositis_shown_by_its_antibody() -> None:
    """Z49c P3 (wrong): 'recheck CK and strength once it is normal, before reading them as
    myositis' at potassium 3.3 in anti-TIF1-gamma DM with a heliotrope rash."""
    record = {"lab_results": [lab("potassium", 3.3, "mmol/L")]}
    shown = _texts(make_plan(**record, antibodies={"tif1g": {"status": "positive"},
                                                   "mi2": {"status": "negative"}}))
    assert "the myositis treatment is not delayed for it" in shown
    unexplained = _texts(make_plan(**record, antibodies={"mi2": {"status": "negative"}},
                                   diagnosis={"subgroup": "unclassified"}))
    assert "before reading them as myositis" in unexplained


def test_depression_without_a_recorded_suicide_risk_asks_for_it() -> None:
    """Z49a P4 (dangerous): a depressed girl of 15 keeping hydroxychloroquine in her room; the
    suicide risk never asked because an unknown risk read as none."""
    asked = make_plan(mental_health={"depression": True})
    line = next(a for a in asked.do_now if a.code == "depression_without_a_suicide_risk_recorded")
    assert "ask about suicidal thoughts and self-harm at this visit" in line.text
    known = make_plan(mental_health={"depression": True, "suicide_risk": False})
    assert not any(a.code == "depression_without_a_suicide_risk_recorded" for a in known.do_now)


def test_insulin_is_named_among_the_medicines_dangerous_in_overdose() -> None:
    """Z49a P3 (dangerous): insulin on record, missing from the overdose list of a suicidal man
    living alone."""
    assert "opioids, insulin (supervised with the diabetes team" in _texts(
        make_plan(mental_health={"suicide_risk": True}, other_medicines=["insulin"]))


def test_clozapine_with_smoking_and_a_marrow_toxic_drug() -> None:
    """Z49a P5 (dangerous): a stop-smoking line with no word of clozapine, and neutrophils 3.4 to
    2.1 on mycophenolate and clozapine with no link to the clozapine monitoring service."""
    plan = make_plan(other_medicines=["clozapine"], comorbidities={"smoking_status": "current"},
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01",
                                  "dose_value": 2000, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}],
                     lab_results=[lab("neutrophils", 2.1, "10^9/L")])
    codes = {a.code for a in plan.do_now}
    assert {"clozapine_with_smoking", "clozapine_with_marrow_toxic_drugs"} <= codes


def test_alcohol_excess_brings_thiamine_and_a_withdrawal_watch() -> None:
    """Z49a P2 (dangerous omission): a heavy drinker, acutely confused in hospital, given no
    thiamine and no withdrawal watch."""
    text = _texts(make_plan(comorbidities={"alcohol_excess": True}))
    assert "IV when confused or malnourished, with a withdrawal watch on admission" in text


def test_a_barred_booked_course_says_what_to_do_about_its_other_cautions() -> None:
    """Z49d P7 (dangerous): azathioprine booked beside allopurinol, barred for low counts, with
    the interaction named only by its title."""
    plan = make_plan(other_medicines=["allopurinol"],
                     lab_results=[lab("neutrophils", 1.2, "10^9/L")],
                     planned_treatments=[{"therapy": "azathioprine", "start": "2026-12-10"}])
    line = next(a.text for a in plan.do_now
                if a.code == "planned_course_barred_azathioprine")
    assert "azathioprine at no more than a quarter of its dose with weekly blood counts" in line


def test_dapsone_is_offered_only_after_a_mild_sulfonamide_reaction() -> None:
    """Z49d P2 (dangerous): dapsone offered 'watching for cross-reaction' after a sulfonamide
    Stevens-Johnson syndrome."""
    text = _texts(make_plan(allergies=["sulfonamide"]))
    assert "never after a severe skin reaction such as SJS, TEN or DRESS" in text
    assert "watching for cross-reaction" not in text


def test_the_combined_pill_is_stopped_in_an_organ_threatening_illness() -> None:
    """Z49b P3 (dangerous omission): a hypoxic woman of 19 admitted with anti-MDA5 RP-ILD on the
    combined pill, with no clot assessment."""
    plan = make_plan(sex="female", date_of_birth="2007-05-01",
                     classification={"age_at_onset": 19},
                     reproduction={"contraception": ["combined_hormonal"]},
                     antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True})
    assert any(a.code == "combined_contraception_in_acute_illness" for a in plan.do_now)


def test_a_pregnancy_switch_names_azathioprine_or_tacrolimus_first() -> None:
    """Z49b P8 (dangerous): 'switch to ciclosporin' for a girl of 16 at 7 weeks with a skin
    flare, because the skin state offered ciclosporin."""
    plan = make_plan(
        diagnosis={"subgroup": "jdm"}, date_of_birth="2010-09-12", weight_kg=54, height_cm=160,
        months_since_onset=50, classification={"age_at_onset": 12},
        antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
        reproduction={"pregnant": True, "gestation_weeks": 7},
        lab_results=[lab("ck", 230, "U/L", uln=200, date="2026-11-28")],
        visits=[{"date": "2026-08-15", "cdasi_activity": 4, "glucocorticoid_mg_per_day": 0,
                 "core_set": {"physician_global": 1, "patient_global": 1,
                              "extramuscular_global": 1, "mmt8": 79, "mmt_max": 80,
                              "cmas": 50}},
                {"date": "2026-11-28", "cdasi_activity": 15, "glucocorticoid_mg_per_day": 0,
                 "core_set": {"physician_global": 3, "patient_global": 4,
                              "extramuscular_global": 4, "mmt8": 76, "mmt_max": 80,
                              "cmas": 46}}],
        treatments=[{"therapy": "methotrexate", "start": "2022-11-05", "dose_value": 15,
                     "dose_unit": "mg/week", "outcome": "ongoing", "response": "partial",
                     "adherence": "partial"},
                    {"therapy": "hydroxychloroquine", "start": "2023-03-01", "dose_value": 200,
                     "dose_unit": "mg/day", "outcome": "ongoing", "adherence": "partial"}])
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    switch = next(e for e in changes.first_choice if e.startswith("switch to "))
    assert switch.startswith(("switch to Azathioprine", "switch to Tacrolimus"))


def test_an_unindicated_glucocorticoid_is_tapered_not_kept_for_a_biopsy() -> None:
    """Z49a P8 (dangerous): 'arrange the muscle biopsy within days ..., keep the dose steady'
    beside 'no indication is shown - taper it to stop' for a woman with a normal CK, MRI and EMG
    on prednisolone 20 mg."""
    plan = make_plan(
        diagnosis={"subgroup": "unclassified"}, antibodies={"mi2": {"status": "negative"}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        classification={"age_at_onset": 24, "elevated_muscle_enzymes": False,
                        "weakness": {"proximal_upper": False, "proximal_lower": False},
                        "skin": {"heliotrope_rash": False, "gottron_papules": False}},
        labs={"enzymes": {"ck": {"value": 110, "uln": 170}}},
        visits=[{"date": "2026-11-25", "glucocorticoid_mg_per_day": 20,
                 "core_set": {"physician_global": 1, "mmt8": 150, "mmt_max": 150}}],
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-10", "dose_value": 20,
                     "dose_unit": "mg/day", "outcome": "ongoing", "response": "none"}],
        workup_done=["antibody_panel", "muscle_enzymes", "mri_emg"])
    codes = {a.code for a in plan.do_now}
    assert "glucocorticoid_without_diagnosis" in codes
    assert "glucocorticoid_before_biopsy" not in codes


def test_depression_with_hydroxychloroquine_keeps_supplies_small() -> None:
    """Re-score of Z49b P2 (dangerous): a 17-year-old with depression holding methotrexate and
    hydroxychloroquine, offered only psychology support."""
    plan = make_plan(mental_health={"depression": True, "suicide_risk": False},
                     treatments=[{"therapy": "hydroxychloroquine", "start": "2025-01-01",
                                  "dose_value": 200, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    assert any(a.code == "depression_with_medicines_dangerous_in_overdose"
               for a in plan.do_now)


def test_the_suicide_question_names_the_family_only_for_a_child() -> None:
    """Re-score of Z49a P8 (wrong): 'with a parent and the child and adolescent mental health
    team' printed for a woman of 38."""
    adult = _texts(make_plan(mental_health={"depression": True}))
    assert "ask about suicidal thoughts and self-harm at this visit" in adult
    assert "adolescent mental health team" not in adult
    child = _texts(make_plan(mental_health={"depression": True}, date_of_birth="2011-06-01",
                             classification={"age_at_onset": 14}))
    assert "child and adolescent mental health team" in child


def test_alcohol_excess_in_an_organ_threatening_illness_brings_thiamine() -> None:
    """Re-score of Z49a P2 (dangerous): a heavy drinker with anti-MDA5 RP-ILD, confused in
    hospital, with no thiamine because the alcohol line needed a myopathy."""
    plan = make_plan(comorbidities={"alcohol_excess": True},
                     antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     lung={"date": "2026-11-28", "hrct_pattern": "nsip_op",
                           "course": "rapidly_progressive", "oxygen": "at_rest"},
                     classification={"age_at_onset": 50, "elevated_muscle_enzymes": False,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False}})
    assert any(a.code == "alcohol_excess_in_acute_illness" for a in plan.do_now)

"""Findings of blind specialist review Z31 (SYNTHETIC patients): emergency department,
pharmacist-led medicines clinic, cardio-rheumatology and primary-care shared care."""

from __future__ import annotations

from myositis.services.careplan.regimen_lines import GC_THROUGH_INFECTION
from myositis.services.careplan.rules import _swap_for_patient
from tests.services.careplan.conftest import do_now, make_plan

_PRED = {"therapy": "glucocorticoids_oral", "start": "2025-01-10", "dose_value": 10,
         "dose_unit": "mg/day"}
_MTX = {"therapy": "methotrexate", "start": "2025-02-01", "dose_value": 15,
        "dose_unit": "mg/week"}
_NORMAL_CK = [{"analyte": "ck", "value": 80, "unit": "U/L", "uln": 200, "date": "2026-11-20"}]


def test_a_glucocorticoid_through_an_infection_gets_sick_day_cover() -> None:
    # Z31e P3 and P8 (dangerous): 'without raising it during the infection' for a febrile,
    # vomiting patient after 22 months of prednisolone, against the sick-day rule
    plan = make_plan(treatments=[_PRED, _MTX], comorbidities={
        "active_infection": True, "infection_focus": "urinary"})
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert GC_THROUGH_INFECTION in text
    assert "parenteral hydrocortisone" in GC_THROUGH_INFECTION


def test_potassium_of_six_or_more_is_treated_before_it_is_repeated() -> None:
    # Z31e P8 (dangerous): potassium 6.6 answered with 'repeat it (a haemolysed sample) first'
    k = [{"analyte": "potassium", "value": 6.6, "unit": "mmol/L", "date": "2026-11-30"}]
    codes = do_now(make_plan(lab_results=k))
    assert "hyperkalaemia_severe" in codes and "co_trimoxazole_hyperkalaemia" not in codes
    assert make_plan(lab_results=k).do_now[0].urgency == "urgent"
    milder = [{**k[0], "value": 5.4}]
    codes = do_now(make_plan(lab_results=milder))
    assert "hyperkalaemia_severe" not in codes and "co_trimoxazole_hyperkalaemia" in codes


def test_co_trimoxazole_with_stacked_potassium_risks_points_to_atovaquone() -> None:
    # Z31g P8 (dangerous): 'co-trimoxazole unless contraindicated' with an ACE inhibitor,
    # spironolactone and an eGFR of 44
    codes = do_now(make_plan(
        other_medicines=["ace_inhibitor_or_arb", "potassium_sparing_diuretic", "co_trimoxazole"],
        lab_results=[{"analyte": "egfr", "value": 44, "unit": "mL/min/1.73m2",
                      "date": "2026-11-20"}]))
    assert "co_trimoxazole_with_stacked_potassium_risks" in codes
    assert "co_trimoxazole_with_ace_inhibitor" not in codes


def test_a_suspected_heart_involvement_is_confirmed_before_pulses_in_an_incubation() -> None:
    # Z31g P6 (dangerous): IV pulses for a suspected myocarditis in a seronegative boy 3 days
    # after a chickenpox contact
    record = {"date_of_birth": "2016-05-01", "weight_kg": 30, "height_cm": 135,
              "diagnosis": {"subgroup": "jdm"}, "treatments": [_PRED, _MTX],
              "organs": {"cardiac": "suspected"},
              "lab_results": [{"analyte": "troponin_i", "value": 48, "unit": "ng/L", "uln": 16,
                               "date": "2026-11-30"}],
              "infection_screening": {"vzv_igg": {"result": "negative"},
                                      "varicella_exposure": "2026-11-28"}}
    plan = make_plan(**record)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("pulses" in e.lower() for e in muscle.first_choice)
    assert any("confirmed - ECG, echocardiogram and troponin I" in a.text for a in plan.do_now)
    confirmed = make_plan(**{**record, "organs": {"cardiac": "confirmed"}})
    muscle = next(r for r in confirmed.regimens if r.domain == "muscle")
    assert any("pulses" in e.lower() for e in muscle.first_choice)


def test_normal_enzymes_on_treatment_without_a_strength_score_are_not_active() -> None:
    # Z31h P8 (dangerous) and Z31f P2: 'continue and optimise the glucocorticoid + add IVIG'
    # for a CK of 80 with a complete response recorded and no visit
    responded = make_plan(treatments=[{**_PRED, "response": "complete"}], lab_results=_NORMAL_CK,
                          labs={"enzymes": {"ck": {"value": 80, "uln": 200}}})
    assert responded.state is not None and responded.state.of("muscle") == "stable"
    unscored = make_plan(treatments=[_PRED], lab_results=_NORMAL_CK,
                         labs={"enzymes": {"ck": {"value": 80, "uln": 200}}})
    assert unscored.state is not None and unscored.state.of("muscle") == "unknown"
    high = make_plan(treatments=[_PRED])
    assert high.state is not None and high.state.of("muscle") == "active"


def test_clauses_a_fact_changes_are_reworded_for_the_patient() -> None:
    # Z31f P8 (dangerous): bosentan with liver impairment and rifampicin; 'about doubled'
    # beside the scleroderma ceiling
    bosentan = ("bosentan to prevent new ulcers, with a pregnancy test, highly effective "
                "contraception that does not rely on hormones alone (it lowers their levels) and "
                "monthly liver tests")
    assert "not bosentan here" in _swap_for_patient(bosentan, {"hepatic_impairment": True})
    assert "not bosentan while rifampicin" in _swap_for_patient(
        bosentan, {"other_medicines": frozenset({"rifampicin"})})
    assert _swap_for_patient(bosentan, {}) == bosentan
    doubled = "the glucocorticoid dose is usually raised (about doubled) while it is taken"
    assert "15 mg/day effect" in _swap_for_patient(doubled, {"ssc_features": True})


def test_anti_mda5_is_not_asked_for_beside_another_myositis_specific_antibody() -> None:
    # Z31e P3, P7, Z31f P2, P6, Z31h P8: anti-MDA5 requested beside a strong anti-Mi-2
    with_mi2 = make_plan(antibodies={"mi2": {"status": "positive"}, "mda5": {"status": "not_tested"}})
    assert "anti_mda5_not_tested_in_dm" not in do_now(with_mi2)
    seronegative = make_plan(antibodies={"mi2": {"status": "negative"},
                                         "mda5": {"status": "not_tested"}})
    assert "anti_mda5_not_tested_in_dm" in do_now(seronegative)


def test_no_cardiovascular_risk_score_in_pregnancy() -> None:
    # Z30d P2 and Z30a P7: QRISK3 and lipid review at 14 and 22 weeks
    record = {"months_since_onset": 12, "treatments": [_PRED]}
    assert "cardiovascular_risk_review" in do_now(make_plan(**record))
    assert "cardiovascular_risk_review" not in do_now(make_plan(
        **record, reproduction={"pregnant": True, "gestation_weeks": 20}))


def test_a_held_steroid_sparing_agent_is_not_replaced_by_a_new_one() -> None:
    # re-score of Z31f P2 (dangerous): 'add a steroid-sparing agent ... none is taken now' beside
    # azathioprine held for neutropenia after a complete response
    aza = {"therapy": "azathioprine", "start": "2024-01-10", "dose_value": 150,
           "dose_unit": "mg/day", "response": "complete"}
    plan = make_plan(treatments=[{**_PRED, "response": "complete"}, aza],
                     labs={"enzymes": {"ck": {"value": 80, "uln": 200}}},
                     lab_results=[*_NORMAL_CK, {"analyte": "neutrophils", "value": 1.1,
                                                "unit": "10^9/L", "date": "2026-11-20"}])
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "none is taken now" not in text


def test_no_glucocorticoid_taper_starts_during_an_infection() -> None:
    # re-score of Z31e P8 (dangerous): 'Taper glucocorticoids' for a febrile, vomiting patient
    from myositis.services.careplan.illness_guards import NO_TAPER_IN_INFECTION
    record = {"treatments": [{**_PRED, "response": "complete"}],
              "labs": {"enzymes": {"ck": {"value": 80, "uln": 200}}}, "lab_results": _NORMAL_CK}
    calm = " ".join(e for r in make_plan(**record).regimens for e in r.first_choice)
    assert "Taper glucocorticoids" in calm
    infected = make_plan(**record, comorbidities={"active_infection": True})
    text = " ".join(e for r in infected.regimens for e in r.first_choice)
    assert "Taper glucocorticoids" not in text and NO_TAPER_IN_INFECTION in text


def test_a_new_skin_agent_waits_for_the_oncology_plan_when_cancer_is_suspected() -> None:
    # re-score of Z31h P8 (dangerous): methotrexate for the skin beside urgent work-up of
    # postmenopausal bleeding, weight loss and anaemia
    hcq = {"therapy": "hydroxychloroquine", "start": "2021-04-01", "dose_value": 200,
           "dose_unit": "mg/day", "response": "complete"}
    plan = make_plan(treatments=[{**_PRED, "dose_value": 2.5, "response": "complete"}, hcq],
                     labs={"enzymes": {"ck": {"value": 80, "uln": 200}}},
                     lab_results=_NORMAL_CK,
                     cancer={"red_flags": ["postmenopausal_bleeding", "weight_loss"]})
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(e.removeprefix("add ").startswith("Methotrexate") for e in skin.first_choice)


def test_the_pjp_line_names_atovaquone_beside_stacked_potassium_risks() -> None:
    # re-score of Z31g P8: 'co-trimoxazole unless contraindicated' above 'atovaquone instead'
    high = {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
            "dose_unit": "mg/day"}
    plan = make_plan(treatments=[high], prophylaxis={"pjp": False},
                     other_medicines=["ace_inhibitor_or_arb", "potassium_sparing_diuretic"],
                     lab_results=[{"analyte": "egfr", "value": 44, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    pjp = [a.text for a in plan.do_now if a.code == "pjp_prophylaxis_due_glucocorticoid_dose"]
    assert pjp and "co-trimoxazole unless contraindicated" not in pjp[0]
    assert "atovaquone here" in pjp[0]


def test_ivig_carries_the_arterial_warning_with_an_antiplatelet() -> None:
    # Z31g P2 (dangerous omission): IVIG after an NSTEMI with a stent, no thrombosis caution
    plan = make_plan(other_medicines=["antiplatelet"], comorbidities={"cardiovascular_risk": True},
                     organs={"dysphagia": "severe"})
    ivig = next((o for o in plan.options if o.therapy == "ivig"), None)
    assert ivig is not None
    assert any(c.condition == "ivig_arterial_disease" for c in ivig.cautions)

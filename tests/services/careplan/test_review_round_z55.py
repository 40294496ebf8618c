"""Specialist review round Z55 and the record fields added beside it (all patients SYNTHETIC):
a mechanical heart valve, antiphospholipid syndrome and a close contact with infectious TB."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, lab, make_plan

DOAC_VALVE = {"other_medicines": ["doac"], "comorbidities": {"mechanical_heart_valve": True}}


def test_doac_with_mechanical_valve_is_urgent() -> None:
    assert do_now(make_plan(**DOAC_VALVE))["doac_with_mechanical_valve"] == "urgent"


def test_doac_without_a_recorded_valve_raises_nothing() -> None:
    assert "doac_with_mechanical_valve" not in do_now(make_plan(other_medicines=["doac"]))
    no_valve = make_plan(other_medicines=["doac"], comorbidities={"mechanical_heart_valve": False})
    assert "doac_with_mechanical_valve" not in do_now(no_valve)


def test_doac_in_antiphospholipid_syndrome_asks_for_review() -> None:
    plan = make_plan(other_medicines=["doac"], comorbidities={"antiphospholipid_syndrome": True})
    assert "doac_in_antiphospholipid_syndrome" in do_now(plan)
    on_warfarin = make_plan(other_medicines=["warfarin"],
                            comorbidities={"antiphospholipid_syndrome": True})
    assert "doac_in_antiphospholipid_syndrome" not in do_now(on_warfarin)


def test_antiphospholipid_syndrome_in_pregnancy_gets_heparin_and_aspirin_plan() -> None:
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 8},
                     comorbidities={"antiphospholipid_syndrome": True})
    codes = do_now(plan)
    assert "antiphospholipid_syndrome_pregnancy" in codes
    # the contraception line is for after the birth: not printed during the pregnancy
    assert "contraception_without_oestrogen" not in codes


def test_antiphospholipid_syndrome_pregnancy_line_not_for_a_man_planning_conception() -> None:
    plan = make_plan(sex="male", reproduction={"planning_conception": True},
                     comorbidities={"antiphospholipid_syndrome": True})
    assert "antiphospholipid_syndrome_pregnancy" not in do_now(plan)


def test_antiphospholipid_syndrome_forbids_oestrogen_contraception() -> None:
    plan = make_plan(comorbidities={"antiphospholipid_syndrome": True},
                     reproduction={"pregnant": False})
    assert "contraception_without_oestrogen" in do_now(plan)


def test_antiphospholipid_syndrome_is_a_clot_risk_for_ivig() -> None:
    plan = make_plan(organs={"dysphagia": "severe"},
                     comorbidities={"antiphospholipid_syndrome": True})
    assert "ivig_antiphospholipid_syndrome" in cautions(plan, "ivig")
    without = make_plan(organs={"dysphagia": "severe"})
    assert "ivig_antiphospholipid_syndrome" not in cautions(without, "ivig")


TB_BEFORE_CONTACT = {"tb_test": {"result": "negative", "date": "2026-06-01"},
                     "tb_contact": "2026-11-01"}


def test_tb_contact_voids_an_earlier_negative_test_and_asks_for_a_new_one() -> None:
    plan = make_plan(infection_screening=TB_BEFORE_CONTACT)
    codes = do_now(plan)
    assert codes["tb_contact_immunosuppressed"] == "soon"
    line = next(a.text for a in plan.do_now if a.code == "tb_contact_immunosuppressed")
    assert "30 days ago" in line and "repeated" in line
    # the generic 'TB status not recorded' line stands aside for the contact line
    assert "tb_status_not_recorded" not in codes


def test_tb_contact_a_year_and_more_ago_or_already_treated_raises_nothing() -> None:
    old = make_plan(infection_screening={**TB_BEFORE_CONTACT, "tb_contact": "2025-11-01"})
    assert "tb_contact_immunosuppressed" not in do_now(old)
    treated = make_plan(infection_screening={**TB_BEFORE_CONTACT,
                                             "latent_tb_treatment": "completed"})
    assert "tb_contact_immunosuppressed" not in do_now(treated)


def test_negative_tb_test_after_the_contact_still_counts() -> None:
    after = {"tb_test": {"result": "negative", "date": "2026-11-20"}, "tb_contact": "2026-11-01"}
    codes = do_now(make_plan(infection_screening=after))
    assert "tb_status_not_recorded" not in codes
    # the contact line stays: a test 19 days after the contact is inside the window
    assert "tb_contact_immunosuppressed" in codes


def _caution_text(plan: object, therapy: str, code: str) -> str:
    option = next(o for o in plan.options if o.therapy == therapy)  # type: ignore[attr-defined]
    return next(c.text for c in option.cautions if c.condition == code)


def test_high_tacrolimus_trough_with_high_potassium_says_lower_the_dose() -> None:
    # tacrolimus for the lung, controlling it
    base = {"treatments": [{"therapy": "tacrolimus", "start": "2026-01-01", "outcome": "ongoing"}],
            "systemic": {"interstitial_lung_disease": True}}
    high = make_plan(**base, lab_results=[lab("potassium", 5.4, "mmol/L"),
                                          lab("tacrolimus_trough", 13.8, "ng/mL")])
    text = _caution_text(high, "tacrolimus", "calcineurin_potassium_kidney_taken")
    assert "lower the tacrolimus dose" in text and "(lower it if high)" not in text
    in_range = make_plan(**base, lab_results=[lab("potassium", 5.4, "mmol/L"),
                                              lab("tacrolimus_trough", 7.0, "ng/mL")])
    assert "(lower it if high)" in _caution_text(in_range, "tacrolimus",
                                                 "calcineurin_potassium_kidney_taken")


HIV_CD4 = {"infection_screening": {"hiv": {"result": "positive", "date": "2020-01-01"}}}


def _hiv(cd4: float, *more: dict[str, object]) -> list[dict[str, object]]:
    return [lab("cd4", cd4, "cells/uL"), lab("egfr", 90, "mL/min/1.73m2"), *more]


def test_co_trimoxazole_not_called_without_indication_at_cd4_below_200() -> None:
    """Review Z55c P8: 'no other indication is recorded' beside the plan's own CD4 190 line."""
    mtx = {"treatments": [
        {"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 15,
         "dose_unit": "mg/week", "outcome": "ongoing"},
        {"therapy": "glucocorticoids_oral", "start": "2026-01-01", "dose_value": 10,
         "dose_unit": "mg/day", "outcome": "ongoing"}], "other_medicines": ["co_trimoxazole"]}
    low = make_plan(**mtx, **HIV_CD4, lab_results=_hiv(190))
    assert "co_trimoxazole_without_pjp_indication" not in do_now(low)
    assert "hiv_low_cd4" in do_now(low)
    high = make_plan(**mtx, **HIV_CD4, lab_results=_hiv(650))
    assert "co_trimoxazole_without_pjp_indication" in do_now(high)


def test_low_neutrophils_at_cd4_below_200_keep_co_trimoxazole_first() -> None:
    """Review Z55c P2: 'prefer atovaquone (or dapsone)' at CD4 45 and neutrophils 1.4."""
    mild = make_plan(**HIV_CD4, lab_results=_hiv(45, lab("neutrophils", 1.4, "10^9/L")))
    codes = do_now(mild)
    assert "co_trimoxazole_cytopenia" not in codes
    assert "co_trimoxazole_cytopenia_hiv" not in codes
    assert "pjp_prophylaxis_with_induction" not in codes  # the CD4 line speaks for PJP
    assert "hiv_low_cd4" in codes
    severe = make_plan(**HIV_CD4, lab_results=_hiv(45, lab("neutrophils", 0.8, "10^9/L")))
    line = next(a.text for a in severe.do_now if a.code == "co_trimoxazole_cytopenia_hiv")
    assert "toxoplasma" in line and "HIV team" in line


def test_glucocorticoid_kept_through_infection_on_rifampicin_is_raised() -> None:
    """Review Z55c P6: 'not an escalation for the myositis' three weeks into rifampicin."""
    plan = make_plan(
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 30,
                     "dose_unit": "mg/day", "outcome": "ongoing"}],
        other_medicines=["rifampicin"], organs={"dysphagia": "severe"},
        comorbidities={"active_infection": True},
        lab_results=[lab("ck", 3400, "U/L", uln=200)])
    muscle = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "not an escalation for the myositis" not in muscle
    assert "raised for the enzyme inducer" in muscle


PAH = {"organs": {"pulmonary_hypertension": "confirmed"},
       "reproduction": {"planning_conception": True, "pregnant": False}}


def _all_text(plan: object) -> str:
    return " ".join(a.text for a in plan.do_now)  # type: ignore[attr-defined]


def test_man_with_pah_planning_to_father_a_child_gets_paternal_advice_not_contraception() -> None:
    """Review Z55a P8: 'pregnancy is advised against ... an intrauterine device or an implant'
    for a man with PAH about to start cyclophosphamide."""
    man = make_plan(sex="male", **PAH)
    codes = do_now(man)
    assert "paternal_counselling" in codes
    assert "intrauterine device" not in _all_text(man)
    assert "advised against" not in _all_text(man)


def test_woman_with_pah_planning_pregnancy_is_still_advised_against_it() -> None:
    woman = make_plan(**PAH)
    assert "advised against" in _all_text(woman)


def test_confirmed_pulmonary_hypertension_is_not_screened_for_yearly() -> None:
    overlap = {"antibodies": {"pmscl": {"status": "positive"}},
               "organs": {"pulmonary_hypertension": "confirmed"}}
    text = _all_text(make_plan(**overlap))
    assert "echocardiography for pulmonary hypertension and lung function yearly" not in text
    assert "followed by its centre" in text


def test_scleroderma_overlap_above_15_mg_tapers_in_the_approach() -> None:
    """Review Z55a P3: 'Continue and optimise' 60 mg/day in early diffuse SSc beside the
    plan's own 15 mg/day ceiling."""
    plan = make_plan(
        diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"],
                   "ssc_subset": "diffuse", "ssc_onset": "2026-06-01"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 60,
                     "dose_unit": "mg/day", "outcome": "ongoing"}])
    assert "ssc_overlap_glucocorticoid_above_15" in do_now(plan)
    muscle = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "towards 15 mg/day or less" in muscle
    assert "Continue and optimise Oral glucocorticoids" not in muscle


def test_tb_under_treatment_is_not_a_pneumonia_for_the_local_guideline() -> None:
    """Review Z55c P6: 'treat it as a pneumonia' for pulmonary TB on treatment; the TB and HIV
    drugs are essential medicines when the swallow fails."""
    base = {"organs": {"dysphagia": "severe"},
            "comorbidities": {"active_infection": True, "infection_focus": "lung_focal"},
            "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                            "dose_value": 30, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    on_tb = make_plan(**base, infection_screening={"active_tb": "on_treatment"})
    assert "focal_pneumonia_on_immunosuppression" not in do_now(on_tb)
    hiv = make_plan(**base, infection_screening={"hiv": {"result": "positive"}})
    line = next(a.text for a in hiv.do_now if a.code == "focal_pneumonia_on_immunosuppression")
    assert "TB or HIV treatment - never interrupted" in line
    plain = make_plan(**base)
    line = next(a.text for a in plain.do_now if a.code == "focal_pneumonia_on_immunosuppression")
    assert "(the glucocorticoid, any anticoagulant)" in line


def test_ggt_above_limit_with_fatty_liver_is_not_read_as_muscle() -> None:
    """Review Z55d P2: 'probably from muscle' with GGT 1.6 x ULN and MASLD on record."""
    labs = [lab("alt", 64, "U/L", uln=40), lab("ck", 1450, "U/L", uln=200),
            lab("ggt", 95, "U/L", uln=60), lab("egfr", 90, "mL/min/1.73m2")]
    fatty = _all_text(make_plan(lab_results=labs, comorbidities={"liver_disease": "masld"}))
    assert "not from muscle alone" in fatty
    plain = _all_text(make_plan(lab_results=labs))
    assert "probably from muscle" in plain


def test_macrolide_advice_does_not_offer_azithromycin_beside_a_qt_drug() -> None:
    """Review Z55d P5: 'prefer azithromycin' with citalopram and fluconazole taken."""
    base = {"treatments": [{"therapy": "tacrolimus", "start": "2026-01-01", "outcome": "ongoing"}],
            "systemic": {"interstitial_lung_disease": True}}
    qt = make_plan(**base, other_medicines=["macrolide_antibiotic", "qt_prolonging"])
    text = _caution_text(qt, "tacrolimus", "calcineurin_macrolide")
    assert "prefer azithromycin" not in text and "another antibiotic class" in text
    plain = make_plan(**base, other_medicines=["macrolide_antibiotic"])
    assert "prefer azithromycin" in _caution_text(plain, "tacrolimus", "calcineurin_macrolide")


def test_varicella_incubation_does_not_optimise_the_glucocorticoid() -> None:
    """Review Z55d P7: 'Continue and optimise' beside 'no rise in glucocorticoid'."""
    plan = make_plan(
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
                     "dose_unit": "mg/day", "outcome": "ongoing"}],
        infection_screening={"vzv_igg": {"result": "negative"}, "varicella_exposure": "2026-11-26"})
    muscle = " ".join(e for r in plan.regimens if r.domain == "muscle" for e in r.first_choice)
    assert "optimise Oral glucocorticoids" not in muscle


def test_switch_to_mycophenolate_reverts_when_no_regimen_starts_it() -> None:
    """Review Z55b P6: 'switch methotrexate to mycophenolate ... as well as the lung' after the
    adequate-trial pass had restored methotrexate and no regimen started mycophenolate."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_across_domains import (
        SWITCH_TO_MYCOPHENOLATE,
        switch_kept_only_with_mycophenolate,
    )
    switch = SWITCH_TO_MYCOPHENOLATE.format(name="Methotrexate")
    muscle = Regimen(domain="muscle", state="stable", first_choice=[switch], alternatives=[],
                     decision_point="")
    skin = Regimen(domain="skin", state="active", first_choice=["Restore Methotrexate"],
                   alternatives=["Mycophenolate mofetil"], decision_point="")
    out = switch_kept_only_with_mycophenolate([muscle, skin], "Mycophenolate mofetil")
    assert out[0].first_choice == ["Continue Methotrexate"]
    lung = Regimen(domain="lung", state="new_onset", first_choice=["add Mycophenolate mofetil"],
                   alternatives=[], decision_point="")
    kept = switch_kept_only_with_mycophenolate([muscle, lung], "Mycophenolate mofetil")
    assert kept[0].first_choice == [switch]


def test_renal_crisis_pjp_lines_name_one_agent() -> None:
    """Review Z55b P1: 'co-trimoxazole unless contraindicated' in the urgent PJP line beside
    'prefer atovaquone ... until the crisis settles'."""
    plan = make_plan(
        diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        organs={"new_hypertension": True}, other_medicines=["ace_inhibitor_or_arb"],
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 40,
                     "dose_unit": "mg/day", "outcome": "ongoing"},
                    {"therapy": "mycophenolate", "start": "2026-09-01", "outcome": "ongoing"}],
        lab_results=[lab("creatinine", 80, "umol/L", date="2026-10-01"),
                     lab("creatinine", 160, "umol/L"), lab("egfr", 40, "mL/min/1.73m2")])
    assert "co_trimoxazole_in_renal_crisis" in do_now(plan)
    line = next(a.text for a in plan.do_now if a.code == "pjp_prophylaxis_overdue_combination")
    assert "atovaquone here (not co-trimoxazole" in line
    assert "co-trimoxazole unless contraindicated" not in line

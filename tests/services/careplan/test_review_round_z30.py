"""Findings of blind specialist review Z30 (SYNTHETIC patients): infectious-diseases liaison,
cancer-associated myositis, adolescent and young adult transition, and overlap clinics."""

from __future__ import annotations

from myositis.services.careplan.illness_guards import CANCER_TREATMENT_HOLD
from myositis.services.careplan.model import CarePlan
from tests.services.careplan.conftest import do_now, make_plan


def _first(plan: CarePlan, domain: str) -> list[str]:
    return next(r.first_choice for r in plan.regimens if r.domain == domain)


def _all_text(plan: CarePlan) -> str:
    return " ".join([*(a.text for a in plan.do_now),
                     *(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))])


_MTX = {"therapy": "methotrexate", "start": "2026-06-01", "dose_value": 15,
        "dose_unit": "mg/week"}
_MMF = {"therapy": "mycophenolate", "start": "2026-06-01", "dose_value": 2, "dose_unit": "g/day"}
_PRED = {"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 20,
         "dose_unit": "mg/day"}


def test_a_pneumonia_holds_the_antimetabolite_instead_of_continuing_it() -> None:
    # Z30d P7 (dangerous): 'Continue methotrexate without raising it during the infection' beside
    # an aspiration pneumonia on prednisolone 60 mg with lymphocytes 0.5
    plan = make_plan(treatments=[_MTX, _PRED],
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal",
                                    "sepsis": False})
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Hold Methotrexate during the pneumonia" in text
    assert "Continue Methotrexate" not in text
    # a urinary infection is judged by the team: no automatic hold
    urinary = make_plan(treatments=[_MTX, _PRED],
                        comorbidities={"active_infection": True, "infection_focus": "urinary"})
    assert "Hold Methotrexate during" not in " ".join(
        e for r in urinary.regimens for e in r.first_choice)


def test_sepsis_leaves_the_next_cyclophosphamide_dose_to_the_infection_team() -> None:
    # Z30a P4 (dangerous): 'Continue Cyclophosphamide (IV pulse)' in sepsis with CMV viraemia
    cyc = {"therapy": "cyclophosphamide", "start": "2026-10-01", "dose_value": 500,
           "dose_unit": "mg/m2", "route": "iv"}
    plan = make_plan(treatments=[cyc, _PRED],
                     comorbidities={"active_infection": True, "sepsis": True,
                                    "infection_focus": "lung_diffuse"})
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Continue Cyclophosphamide" not in text
    # in sepsis deferred until it is controlled (specialist review Z50b P7)
    assert "the next dose is deferred by decision with the infection team" in text


def test_chest_imaging_compatible_with_tb_defers_new_immunosuppression() -> None:
    # Z30a P3 (dangerous): IV pulses first choice, 'caution: Latent TB', beside chest imaging
    # compatible with TB and a positive strongyloides serology
    screening = {"tb_test": {"result": "positive"}, "tb_test_method": "igra",
                 "chest_imaging": "abnormal_tb_compatible", "strongyloides_endemic": True,
                 "strongyloides_serology": {"result": "positive"},
                 "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
                 "hcv": {"result": "negative"}}
    plan = make_plan(infection_screening=screening)
    muscle = _first(plan, "muscle")
    assert not any("methylprednisolone" in e.lower() or "Methotrexate" in e for e in muscle)
    alternatives = next(r.alternatives for r in plan.regimens if r.domain == "muscle")
    assert any(a.startswith("once active TB is excluded") for a in alternatives)
    codes = do_now(plan)
    assert "strongyloides_serology_positive" in codes
    assert "strongyloides_before_glucocorticoids" not in codes
    assert plan.do_now[0].urgency == "urgent"


def test_the_hbv_antiviral_in_pregnancy_is_tenofovir_disoproxil() -> None:
    # Z30a P7 (dangerous): 'entecavir or tenofovir ... whatever the DNA shows' at 22 weeks
    screening = {"hbsag": {"result": "negative"}, "anti_hbc": {"result": "positive"},
                 "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}}
    pregnant = make_plan(infection_screening=screening,
                         reproduction={"pregnant": True, "gestation_weeks": 22})
    text = _all_text(pregnant)
    assert "entecavir or tenofovir" not in text
    assert "tenofovir disoproxil" in text
    not_pregnant = make_plan(infection_screening=screening)
    assert "entecavir or tenofovir" in _all_text(not_pregnant)


def test_rifampicin_makes_the_pill_no_effective_contraception_beside_a_teratogen() -> None:
    # Z30c P7 (dangerous): mycophenolate proposed for an 18-year-old on the combined pill and
    # rifampicin, the pill counted as effective
    record = {"treatments": [_MMF], "other_medicines": ["rifampicin"],
              "reproduction": {"pregnant": False, "planning_conception": False,
                               "breastfeeding": False, "contraception": ["combined_hormonal"]},
              "classification": {"age_at_onset": 18, "weakness": {"proximal_upper": True},
                                 "skin": {"heliotrope_rash": True},
                                 "elevated_muscle_enzymes": True},
              "date_of_birth": "2008-05-01"}
    codes = do_now(make_plan(**record))
    assert "enzyme_inducer_hormonal_contraception" in codes
    assert "teratogen_taken_without_contraception" in codes
    # a coil is not affected by rifampicin
    coil = do_now(make_plan(**{**record, "reproduction": {
        **record["reproduction"], "contraception": ["copper_iud"]}}))
    assert "teratogen_taken_without_contraception" not in coil
    assert "enzyme_inducer_hormonal_contraception" not in coil


def test_a_gut_bleed_turns_the_anticoagulant_advice_into_mechanical_measures() -> None:
    # Z30c P8 (dangerous): 'an anticoagulant only with a specific risk (a central line ...)' for
    # an adolescent with melaena, in the first urgent line
    child = {"date_of_birth": "2011-06-01", "weight_kg": 50, "height_cm": 160,
             "classification": {"age_at_onset": 15, "weakness": {"proximal_upper": True},
                                "skin": {"heliotrope_rash": True, "gottron_papules": True},
                                "elevated_muscle_enzymes": True},
             "organs": {"dysphagia": "severe", "gi_bleeding": True},
             "diagnosis": {"subgroup": "jdm"}}
    plan = make_plan(**child)
    text = _all_text(plan)
    assert "an anticoagulant only with a specific risk" not in text
    assert "no anticoagulant while the gut bleeds" in text


def test_mctd_keeps_the_blood_pressure_watch_but_not_the_15_mg_ceiling() -> None:
    # Z30d P5 (dangerous): an adolescent with MCTD, active myositis and dysphagia capped at
    # 15 mg/day by the scleroderma renal-crisis rule, triggered by anti-U1RNP alone
    mctd = {"diagnosis": {"subgroup": "overlap", "overlap_with": ["mctd"]},
            "antibodies": {"mi2": {"status": "negative"}, "u1rnp": {"status": "positive"}}}
    plan = make_plan(**mctd)
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "15 mg/day or less" not in text
    assert all("at most 15 mg/day" not in d.text for d in plan.doses)
    assert "ssc_overlap_screening" in do_now(plan)
    ssc = make_plan(diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
                    organs={"sclerodactyly": True})
    assert "15 mg/day or less" in " ".join(e for r in ssc.regimens for e in r.first_choice)


def test_cancer_surgery_and_chemotherapy_hold_the_antimetabolite() -> None:
    # Z30b P2 (dangerous): mycophenolate 'continues in severe disease' by the joint-replacement
    # rule before a debulking laparotomy, then carboplatin-paclitaxel
    record = {"treatments": [_MMF, _PRED], "cancer": {"active_cancer": True},
              "surgery": {"date": "2026-12-14", "procedure": "laparotomy", "elective": True}}
    plan = make_plan(**record)
    codes = do_now(plan)
    assert "cancer_surgery_on_immunosuppression" in codes
    assert "perioperative_plan" not in codes
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert CANCER_TREATMENT_HOLD in text
    assert "Continue Mycophenolate" not in text
    chemo = make_plan(treatments=[_MMF, _PRED], cancer={
        "active_cancer": True, "treatment": [{"kind": "chemotherapy", "status": "planned",
                                              "start": "2027-01-05"}]})
    assert "chemotherapy_on_antimetabolite" in do_now(chemo)
    # no cancer: the joint-replacement line stays
    plain = make_plan(treatments=[_MMF, _PRED], surgery=record["surgery"])
    assert "perioperative_plan" in do_now(plain)


def test_an_active_melanoma_is_not_called_a_past_skin_cancer() -> None:
    # Z30b P3 and Z30d P8: 'A past skin cancer ... keratinocyte cancer risk' for metastatic
    # melanoma on checkpoint inhibitors
    treated = {"treatments": [_MTX, _PRED]}
    active = make_plan(**treated, cancer={"active_cancer": True,
                                          "past_cancer": ["metastatic melanoma"]})
    assert "skin_cancer_history_on_immunosuppression" not in do_now(active)
    past = make_plan(**treated, cancer={"active_cancer": False,
                                        "past_cancer": ["basal cell carcinoma 2024"]})
    assert "skin_cancer_history_on_immunosuppression" in do_now(past)


def test_a_negative_hcv_rna_is_no_viral_hepatitis_and_a_positive_one_is_referred() -> None:
    # Z30d P8: 'treat as possible viral reactivation ... urgent hepatology' with HCV RNA negative;
    # Z30a P5: 'HCV RNA now if not recorded' with the RNA recorded positive
    alt = [{"analyte": "alt", "value": 210, "unit": "U/L", "uln": 40, "date": "2026-11-28"}]
    cleared = {"hcv": {"result": "positive"}, "hcv_rna": {"result": "negative"},
               "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
               "tb_test": {"result": "negative"}}
    assert "transaminases_raised_with_viral_hepatitis" not in do_now(
        make_plan(infection_screening=cleared, lab_results=alt))
    viraemic = {**cleared, "hcv_rna": {"result": "positive"}}
    codes = do_now(make_plan(infection_screening=viraemic, lab_results=alt))
    # known viraemic hepatitis C: the chronic-HCV line, not 'possible reactivation' (Z44c P8)
    assert "transaminases_raised_known_chronic_hcv" in codes
    assert "hcv_rna_detectable" in codes
    assert "hcv_positive" not in codes


def test_no_taper_target_beside_active_muscle_with_a_weak_swallow() -> None:
    # Z30c P5: 'set a written taper target' beside urgent escalation for anti-SRP disease with
    # dysphagia
    long_gc = {"therapy": "glucocorticoids_oral", "start": "2025-10-20", "dose_value": 10,
               "dose_unit": "mg/day"}
    swallow = make_plan(treatments=[long_gc], organs={"dysphagia": "moderate"})
    assert "long_term_glucocorticoid_exit" not in do_now(swallow)


def test_a_sixteen_year_old_on_adult_doses_gets_one_pjp_line() -> None:
    # Z30c P4: the adult threshold line beside 'no agreed paediatric threshold' at 16
    high = {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
            "dose_unit": "mg/day"}
    codes = do_now(make_plan(date_of_birth="2010-06-30", weight_kg=50,
                             treatments=[high, _MTX], prophylaxis={"pjp": False}))
    # the adult line (overdue and urgent with methotrexate beside it since review Z52b P7)
    assert {"pjp_prophylaxis_due_glucocorticoid_dose", "pjp_prophylaxis_overdue_combination"} \
        & set(codes)
    assert "pjp_prophylaxis_child" not in codes


def test_another_enzyme_inducer_weakens_the_pill_as_rifampicin_does() -> None:
    # re-score of Z30c P7: carbamazepine, phenytoin and rifabutin could not be recorded
    codes = do_now(make_plan(treatments=[_MMF], other_medicines=["enzyme_inducer"],
                             date_of_birth="2004-05-01",
                             reproduction={"pregnant": False, "planning_conception": False,
                                           "contraception": ["progestogen_only_pill"]}))
    assert "enzyme_inducer_hormonal_contraception" in codes
    assert "teratogen_taken_without_contraception" in codes


def test_a_route_change_for_a_drug_held_in_a_pneumonia_waits_for_its_restart() -> None:
    # re-score of Z30d P7: 'change methotrexate to subcutaneous injection' beside 'hold
    # methotrexate during the pneumonia'
    plan = make_plan(treatments=[{**_MTX, "route": "oral"}, _PRED],
                     organs={"dysphagia": "severe"},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"})
    lines = [a.text for a in plan.do_now if a.text.startswith("Methotrexate is taken by mouth")]
    assert lines and all("once it restarts: it is held during the pneumonia" in t for t in lines)


def test_the_induction_deferred_for_tb_exclusion_is_named_whole() -> None:
    # re-score of Z30a P3: 'pulses or oral glucocorticoids or methotrexate' read as a choice
    plan = make_plan(infection_screening={
        "tb_test": {"result": "positive"}, "chest_imaging": "abnormal_tb_compatible",
        "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"}})
    waiting = [a for r in plan.regimens for a in r.alternatives
               if a.startswith("once active TB is excluded")]
    assert waiting and " + " in waiting[0] and " or " not in waiting[0].split("):", 1)[1]

"""Specialist review round Z59 (all patients SYNTHETIC): a drug allergy clinic, a diabetes
clinic, an obesity and bariatric medicine service and a learning disability liaison service;
and leftovers of round Z58."""

from __future__ import annotations

from myositis.services.careplan.model import Caution, Option
from myositis.services.careplan.regimen_lines import safest_first
from tests.services.careplan.conftest import lab, make_plan, make_record, withheld


def _option(therapy: str, *cautions: tuple[str, str]) -> Option:
    return Option(therapy=therapy, name=therapy, line="first", complications=[],
                  evidence_level="moderate", investigational=False, rationale="", citations=[],
                  cautions=[Caution(condition=c, severity=s, text=c, citations=[])
                            for c, s in cautions], kb_entry=therapy)


def test_a_calcineurin_inhibitor_beside_ritonavir_does_not_lead() -> None:
    """Review Z58c P2: tacrolimus first choice beside a ritonavir-boosted regimen taken
    erratically - its exposure rises many-fold and unpredictably, so another agent leads even
    when that one carries more high-severity cautions."""
    tacrolimus = _option("tacrolimus", ("calcineurin_ritonavir", "high"))
    rituximab = _option("rituximab", ("hbv_core", "high"), ("hypogammaglobulinaemia", "high"))
    assert [o.therapy for o in safest_first([tacrolimus, rituximab])] == ["rituximab",
                                                                          "tacrolimus"]
    alone = _option("tacrolimus", ("calcineurin_azole", "high"))
    assert [o.therapy for o in safest_first([alone, rituximab])] == ["tacrolimus", "rituximab"]


def test_pjp_prophylaxis_beside_clozapine_is_atovaquone() -> None:
    """Review Z59d P6: 'plan co-trimoxazole now' for a man on clozapine; the marrow-toxic
    options carry the clozapine caution."""
    record = dict(other_medicines=["clozapine"],
                  treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-20",
                               "dose_value": 40, "dose_unit": "mg/day", "outcome": "ongoing"}])
    plan = make_plan(**record)
    text = " ".join(a.text for a in plan.do_now)
    assert "plan co-trimoxazole now" not in text
    assert "atovaquone beside clozapine" in text
    assert any("clozapine_with_marrow_toxic_option" in o.rule_ids or any(
        c.condition == "clozapine_with_marrow_toxic_option" for c in o.cautions)
        for o in plan.options if o.therapy in ("azathioprine", "mycophenolate", "methotrexate"))
    without = " ".join(a.text for a in make_plan(**{**record, "other_medicines": []}).do_now)
    assert "atovaquone beside clozapine" not in without


JDM_PULSE_ANAPHYLAXIS = dict(
    sex="male", date_of_birth="2017-06-20", weight_kg=28, height_cm=132,
    diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-10"},
    classification={"age_at_onset": 9, "weakness": {"proximal_upper": True},
                    "skin": {"heliotrope_rash": True, "gottron_papules": True}},
    antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"dysphagia": "mild", "dysphagia_level": "oropharyngeal"},
    treatments=[{"therapy": "methylprednisolone_iv_pulse", "start": "2026-11-12",
                 "stop": "2026-11-12", "outcome": "not_tolerated",
                 "reason_stopped": "adverse_event", "reaction_severity": "severe"},
                {"therapy": "glucocorticoids_oral", "start": "2026-11-13", "dose_value": 50,
                 "dose_unit": "mg/day", "outcome": "ongoing"}])


def test_an_urgent_line_giving_pulses_says_they_are_withheld_after_anaphylaxis() -> None:
    """Review Z59a P7 (dangerous): the URGENT severe-JDM line gave IV methylprednisolone pulses
    to a child who had anaphylaxis to his first pulse; only the Withheld list said not to."""
    plan = make_plan(**JDM_PULSE_ANAPHYLAXIS)
    assert "methylprednisolone_iv_pulse" in withheld(plan)
    severe = next(a.text for a in plan.do_now if a.code == "severe_jdm_active")
    assert "IV methylprednisolone pulses with" not in severe
    assert "a tolerated IV glucocorticoid (not IV methylprednisolone" in severe
    assert "IV methylprednisolone is withheld for this patient" in severe
    tolerated = {**JDM_PULSE_ANAPHYLAXIS, "treatments": JDM_PULSE_ANAPHYLAXIS["treatments"][1:]}
    assert "withheld for this patient" not in " ".join(a.text for a in
                                                       make_plan(**tolerated).do_now)


def test_a_reaction_explained_by_anti_iga_keeps_an_iga_depleted_product_open() -> None:
    """Review Z59a P2: 'a severe reaction to one product counts for the others' beside
    IgA deficiency with anti-IgA antibodies - the IgA-depleted route is the answer."""
    reacted = {"therapy": "ivig", "start": "2026-10-20", "stop": "2026-10-20",
               "outcome": "not_tolerated", "reason_stopped": "adverse_event",
               "reaction_severity": "severe"}
    base = dict(organs={"dysphagia": "severe", "dysphagia_level": "oropharyngeal"},
                treatments=[reacted])
    plan = make_plan(**base, immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True})
    reason = withheld(plan)["ivig"]
    assert "IgA-depleted" in reason and "counts for the others" not in reason
    untested = make_plan(**base, immunogenetics={"iga_deficiency": True})
    assert "counts for the others" in withheld(untested)["ivig"]


def test_a_booked_per_kg_pulse_above_one_gram_is_flagged_before_the_first_dose() -> None:
    """Review Z59c P2 (dangerous): IV methylprednisolone 30 mg/kg booked for a 17-year-old of
    128 kg (3.84 g a pulse) passed the planned-course check with no ceiling."""
    teen = dict(date_of_birth="2009-05-01", weight_kg=128, height_cm=176,
                diagnosis={"subgroup": "jdm", "confirmed_on": "2025-01-10"},
                classification={"age_at_onset": 15},
                planned_treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                     "start": "2026-12-03", "dose_value": 30,
                                     "dose_unit": "mg/kg", "route": "iv"}])
    line = next(a for a in make_plan(**teen).do_now
                if a.code == "planned_course_checks_methylprednisolone_iv_pulse")
    assert "30 mg/kg x 128 kg = 3840 mg/day is above its ceiling of 1000 mg/day" in line.text
    assert "correct it before the first dose" in line.text
    assert line.urgency == "urgent"
    light = next(a for a in make_plan(**{**teen, "weight_kg": 28, "height_cm": 132}).do_now
                 if a.code == "planned_course_checks_methylprednisolone_iv_pulse")
    assert "above its ceiling" not in light.text


def test_the_worked_daily_glucocorticoid_in_rp_ild_matches_the_regimen() -> None:
    """Review Z59b P5: '37-60 mg/day (0.5-1 mg/kg/day)' beside the lung regimen's 'about
    1 mg/kg/day' after pulses in anti-MDA5 rapidly progressive ILD."""
    rp = dict(weight_kg=74, antibodies={"mda5": {"status": "positive"},
                                        "mi2": {"status": "negative"}},
              systemic={"interstitial_lung_disease": True,
                        "rapidly_progressive_ild_suspected": True})
    line = next(d for d in make_plan(**rp).doses if d.therapy == "glucocorticoids_oral")
    assert line.text.startswith("60 mg/day (1 mg/kg/day x 74 kg")
    calm = next(d for d in make_plan(weight_kg=74).doses if d.therapy == "glucocorticoids_oral")
    assert calm.text.startswith("37-60 mg/day (0.5-1 mg/kg/day")


def test_sixty_mg_a_day_is_not_below_induction_in_a_heavy_patient() -> None:
    """Review Z59c P4: 60 mg/day called 'below the usual induction range' at 134 kg."""
    def codes(dose: float, weight: float) -> set[str]:
        plan = make_plan(weight_kg=weight, treatments=[
            {"therapy": "glucocorticoids_oral", "start": "2026-11-20", "dose_value": dose,
             "dose_unit": "mg/day", "outcome": "ongoing"}])
        return {a.code for a in plan.do_now}
    assert "gc_below_induction_adult" not in codes(60, 134)
    assert "gc_below_induction_adult" in codes(20, 70)


def test_anaemia_is_read_for_what_it_is_on_dialysis_and_before_the_menopause() -> None:
    """Reviews Z59b P6 (Hb 101 on haemodialysis read as a myositis-cancer clue) and Z59c P3
    (endoscopy for mild anaemia in a menstruating woman of 38 at standard cancer risk)."""
    anaemic = dict(lab_results=[lab("haemoglobin", 101, "g/L")])
    assert "anaemia_cancer_flag" not in {a.code for a in make_plan(
        **anaemic, comorbidities={"dialysis": True}).do_now}
    young = make_plan(**anaemic, date_of_birth="1988-02-11",
                      classification={"age_at_onset": 38})
    codes = {a.code for a in young.do_now}
    assert "anaemia_cancer_flag_menstruating" in codes and "anaemia_cancer_flag" not in codes
    older = {a.code for a in make_plan(**anaemic).do_now}
    assert "anaemia_cancer_flag" in older


def test_no_oral_bisphosphonate_beside_a_modified_texture_diet() -> None:
    """Review Z59d P4: 'an oral bisphosphonate only once the creatinine clearance is
    calculated' for a man with a mild oropharyngeal dysphagia on a modified-texture diet."""
    base = dict(sex="male", lab_results=[lab("egfr", 38, "mL/min/1.73m2")],
                treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01",
                             "dose_value": 20, "dose_unit": "mg/day", "outcome": "ongoing"}])
    texture = make_plan(**base, organs={"dysphagia": "mild", "dysphagia_level": "oropharyngeal",
                                        "oral_intake": "modified_texture"})
    text = " ".join(a.text for a in texture.do_now)
    assert "an oral bisphosphonate only once" not in text
    assert "no oral bisphosphonate either (the swallowing difficulty" in text
    normal = make_plan(**base, organs={"dysphagia": "mild", "oral_intake": "normal"})
    assert "an oral bisphosphonate only once" in " ".join(a.text for a in normal.do_now)


def test_triglycerides_of_ten_or_more_are_acted_on_and_keep_ciclosporin_from_leading() -> None:
    """Review Z59b P3: triglycerides 14.2 mmol/L in a boy with JDM and lipodystrophy appeared
    only as a caution on ciclosporin, which still led."""
    high = make_plan(lab_results=[lab("triglycerides", 14.2, "mmol/L")])
    line = next(a for a in high.do_now if a.code == "severe_hypertriglyceridaemia")
    assert "Triglycerides 14.2 mmol/L" in line.text and "pancreatitis" in line.text
    moderate = make_plan(lab_results=[lab("triglycerides", 4.1, "mmol/L")])
    assert "severe_hypertriglyceridaemia" not in {a.code for a in moderate.do_now}
    ciclosporin = _option("ciclosporin", ("ciclosporin_high_triglycerides", "high"))
    ivig = _option("ivig", ("heart_failure_ivig", "high"), ("thrombosis_ivig", "high"))
    assert [o.therapy for o in safest_first([ciclosporin, ivig])] == ["ivig", "ciclosporin"]


def test_raynaud_names_nifedipine_not_labetalol_for_blood_pressure() -> None:
    """Review Z59b P7: 'labetalol or nifedipine' beside the plan's own advice to avoid
    beta-blockers with Raynaud."""
    base = dict(other_medicines=["ace_inhibitor_or_arb"], date_of_birth="1990-03-01",
                classification={"age_at_onset": 36},
                reproduction={"pregnant": False, "planning_conception": True})
    raynaud = " ".join(a.text for a in make_plan(**base, systemic={"raynaud": True}).do_now)
    assert "labetalol or nifedipine" not in raynaud and "nifedipine for blood pressure" in raynaud
    plain = " ".join(a.text for a in make_plan(**base).do_now)
    assert "labetalol or nifedipine" in plain


def test_a_sulfonylurea_beside_advised_co_trimoxazole_gets_a_hypoglycaemia_line() -> None:
    """Review Z59b P4, P5, P8: gliclazide beside the co-trimoxazole the plan advised."""
    pred = [{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
             "dose_unit": "mg/day", "outcome": "ongoing"}]
    with_su = make_plan(other_medicines=["sulfonylurea"], comorbidities={"diabetes": True},
                        treatments=pred)
    assert "sulfonylurea_with_co_trimoxazole" in {a.code for a in with_su.do_now}
    without = make_plan(comorbidities={"diabetes": True}, treatments=pred)
    assert "sulfonylurea_with_co_trimoxazole" not in {a.code for a in without.do_now}


def test_conception_planned_with_diabetes_gets_pre_pregnancy_diabetes_care() -> None:
    """Review Z59b P7: no HbA1c target, folic acid dose or pre-pregnancy diabetes care."""
    base = dict(date_of_birth="1990-03-01", classification={"age_at_onset": 36},
                comorbidities={"diabetes": True})
    planning = make_plan(**base, reproduction={"pregnant": False, "planning_conception": True})
    line = next(a for a in planning.do_now if a.code == "preconception_with_diabetes")
    assert "below 48 mmol/mol" in line.text and "folic acid 5 mg" in line.text
    not_planning = make_plan(**base, reproduction={"pregnant": False,
                                                   "planning_conception": False})
    assert "preconception_with_diabetes" not in {a.code for a in not_planning.do_now}


def test_an_enzyme_inducer_is_read_against_the_glucocorticoid() -> None:
    """Review Z59d P2, P4: carbamazepine and phenytoin read only for contraception."""
    pred = [{"therapy": "glucocorticoids_oral", "start": "2026-11-06", "dose_value": 60,
             "dose_unit": "mg/day", "outcome": "ongoing"}]
    plan = make_plan(other_medicines=["enzyme_inducer"], treatments=pred)
    conditions = {c.condition for o in plan.options if o.therapy == "glucocorticoids_oral"
                  for c in o.cautions}
    assert "glucocorticoid_with_enzyme_inducer" in conditions
    rifampicin = make_plan(other_medicines=["enzyme_inducer", "rifampicin"], treatments=pred)
    conditions = {c.condition for o in rifampicin.options if o.therapy == "glucocorticoids_oral"
                  for c in o.cautions}
    assert "glucocorticoid_with_rifampicin" in conditions
    assert "glucocorticoid_with_enzyme_inducer" not in conditions


def test_rituximab_after_a_moderate_infusion_reaction_carries_an_infusion_plan() -> None:
    """Review Z59a P3: the second rituximab dose booked after a moderate first-infusion
    reaction with only 'infusion reactions (premedicate)'."""
    reacted = {"therapy": "rituximab", "start": "2026-11-17", "stop": "2026-11-17",
               "dose_value": 1000, "dose_unit": "mg", "route": "iv",
               "outcome": "not_tolerated", "reason_stopped": "adverse_event",
               "reaction_severity": "moderate"}
    booked = [{"therapy": "rituximab", "start": "2026-12-08", "dose_value": 1000,
               "dose_unit": "mg", "route": "iv"}]
    plan = make_plan(treatments=[reacted], planned_treatments=booked)
    line = next(a for a in plan.do_now if a.code == "planned_course_checks_rituximab")
    assert "methylprednisolone 100 mg IV" in line.text and "tryptase" in line.text
    first = make_plan(planned_treatments=booked)
    line = next(a for a in first.do_now if a.code == "planned_course_checks_rituximab")
    assert "tryptase" not in line.text


def test_co_trimoxazole_taken_with_a_low_count_is_switched() -> None:
    """Review Z59a P8: co-trimoxazole continued beside chemotherapy, neutrophils 1.1 and
    platelets 95."""
    low = make_plan(other_medicines=["co_trimoxazole"],
                    lab_results=[lab("neutrophils", 1.1, "10^9/L"),
                                 lab("platelets", 95, "10^9/L")])
    line = next(a for a in low.do_now if a.code == "co_trimoxazole_taken_with_low_count")
    assert "atovaquone" in line.text and "neutrophils 1.1" in line.text
    normal = make_plan(other_medicines=["co_trimoxazole"],
                       lab_results=[lab("neutrophils", 3.1, "10^9/L"),
                                    lab("platelets", 250, "10^9/L")])
    assert "co_trimoxazole_taken_with_low_count" not in {a.code for a in normal.do_now}


def test_glucose_and_bone_lines_come_with_proposed_induction_glucocorticoids() -> None:
    """Review Z59c P1: 60 mg/day and pulses proposed at a BMI of 54 - no glucose line, and
    the bone line only once a glucocorticoid is taken."""
    plan = make_plan(weight_kg=148, height_cm=165, comorbidities={"diabetes": False})
    codes = {a.code for a in plan.do_now}
    # since review Z63d P3 every planned induction carries the start-of-course line with the
    # glucose watch in it
    assert "glucocorticoid_start_safety" in codes
    lean = make_plan(weight_kg=60, height_cm=165, comorbidities={"diabetes": False})
    assert "glucose_watch_high_dose_glucocorticoids" not in {a.code for a in lean.do_now}
    assert "giop_older_or_falling" in {a.code for a in make_plan(
        weight_kg=148, height_cm=165, classification={"age_at_onset": 72}).do_now}


def test_valproate_and_an_sglt2_inhibitor_can_be_recorded_and_are_read() -> None:
    """Record limitations of reviews Z59b-d: valproate (a teratogen) and SGLT2 inhibitors
    (euglycaemic ketoacidosis) could not be recorded."""
    young = dict(date_of_birth="1994-01-01", classification={"age_at_onset": 32})
    codes = {a.code for a in make_plan(**young, other_medicines=["valproate"]).do_now}
    assert "valproate_childbearing_potential" in codes and "valproate_pregnant" not in codes
    pregnant = make_plan(**young, other_medicines=["valproate"],
                         reproduction={"pregnant": True, "gestation_weeks": 8})
    assert "valproate_pregnant" in {a.code for a in pregnant.do_now}
    man = make_plan(sex="male", other_medicines=["valproate"])
    assert "valproate_childbearing_potential" not in {a.code for a in man.do_now}
    sglt2 = make_plan(other_medicines=["sglt2_inhibitor"], comorbidities={"diabetes": True})
    assert "sglt2_inhibitor_sick_days" in {a.code for a in sglt2.do_now}  # induction proposed
    settled = dict(other_medicines=["sglt2_inhibitor"], comorbidities={"diabetes": True},
                   treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-01-01",
                                "dose_value": 5, "dose_unit": "mg/day", "outcome": "ongoing"}],
                   visits=[])
    long_past = make_plan(**settled, surgery={"date": "2026-01-10", "procedure": "hernia repair"})
    soon = make_plan(**settled, surgery={"date": "2026-12-05", "procedure": "hernia repair"})
    assert "sglt2_inhibitor_sick_days" in {a.code for a in soon.do_now}
    assert "sglt2_inhibitor_sick_days" not in {a.code for a in long_past.do_now}


def test_pulses_for_a_childs_bulbar_weakness_do_not_wait_for_a_chickenpox_incubation() -> None:
    """Review Z60b P4 (dangerous): IV pulses booked for a boy with palatal weakness and
    aspiration risk told to wait until day 21 after a chickenpox contact."""
    boy = dict(sex="male", date_of_birth="2017-05-20", weight_kg=28, height_cm=132,
               diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-28"},
               classification={"age_at_onset": 9},
               antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
               organs={"dysphagia": "moderate", "dysphagia_level": "oropharyngeal"},
               infection_screening={"vzv_igg": {"result": "negative"},
                                    "varicella_exposure": "2026-11-26"},
               planned_treatments=[
                   {"therapy": "methylprednisolone_iv_pulse", "start": "2026-12-02"},
                   {"therapy": "methotrexate", "start": "2026-12-02"}])
    lines = {a.code: a.text for a in make_plan(**boy).do_now}
    assert "the first dose now, with antiviral cover" in \
        lines["planned_course_checks_methylprednisolone_iv_pulse"]
    assert "a slow agent adds nothing in the incubation" in \
        lines["planned_course_checks_methotrexate"]


def test_a_partners_planned_pregnancy_does_not_hold_a_mans_lipid_lowering() -> None:
    """Review Z60a P5 (dangerous): all lipid lowering withheld for a man of 56 with anti-HMGCR
    myopathy, diabetes and LDL 4.8 because his partner plans a pregnancy."""
    base = dict(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                diagnosis={"subgroup": "imnm", "confirmed_on": "2026-06-01"},
                comorbidities={"diabetes": True},
                lab_results=[lab("ldl_cholesterol", 4.8, "mmol/L")],
                reproduction={"pregnant": False, "planning_conception": True})
    man = {a.code for a in make_plan(**base, sex="male").do_now}
    assert "ldl_above_target_statin_avoided" in man
    assert "ldl_above_target_pregnancy_planned" not in man
    woman = {a.code for a in make_plan(**base, date_of_birth="1992-01-01",
                                       classification={"age_at_onset": 34}).do_now}
    assert "ldl_above_target_pregnancy_planned" in woman


def test_a_bisphosphonate_taken_in_pregnancy_is_stopped_not_switched() -> None:
    """Review Z60c P4 (dangerous): an oral bisphosphonate at 9 weeks told to change to IV
    zoledronic acid or denosumab."""
    plan = make_plan(date_of_birth="1990-01-01", classification={"age_at_onset": 36},
                     other_medicines=["bisphosphonate"],
                     organs={"dysphagia": "moderate", "dysphagia_level": "oropharyngeal"},
                     reproduction={"pregnant": True, "gestation_weeks": 9})
    codes = {a.code for a in plan.do_now}
    assert "bisphosphonate_taken_pregnant" in codes
    assert "bisphosphonate_taken_with_dysphagia" not in codes


def test_planned_conception_does_not_withhold_rescue_drugs_when_an_organ_is_threatened() -> None:
    """Review Z60d P7 (dangerous): cyclophosphamide and tofacitinib withheld as teratogens in
    anti-MDA5 rapidly progressive ILD because conception was planned."""
    base = dict(date_of_birth="1995-01-01", classification={"age_at_onset": 31},
                antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                reproduction={"pregnant": False, "planning_conception": True})
    rp = make_plan(**base, systemic={"interstitial_lung_disease": True,
                                     "rapidly_progressive_ild_suspected": True})
    assert "cyclophosphamide" not in withheld(rp)
    assert any(c.condition == "conception_teratogen_organ_threatening"
               for o in rp.options if o.therapy == "cyclophosphamide" for c in o.cautions)
    skin_only = make_plan(**{**base, "antibodies": {"mi2": {"status": "negative"}}})
    assert "Conception planned: teratogen" in withheld(skin_only)["methotrexate"]


def test_wording_follows_the_anticoagulant_ritonavir_and_breastfeeding() -> None:
    """Review Z60b P7 ('thromboprophylaxis through the course' beside warfarin), Z60b P8
    ('stop or replace the interacting drug' where that drug was ritonavir) and Z60a P7
    ('entecavir or tenofovir' for a breastfeeding mother)."""
    immobile = dict(organs={"dysphagia": "severe", "respiratory_muscle_weakness": True})
    on_warfarin = " ".join(c.text for o in make_plan(**immobile, other_medicines=["warfarin"])
                           .options if o.therapy == "ivig" for c in o.cautions)
    assert "no added heparin prophylaxis" in on_warfarin
    assert "thromboprophylaxis through the course" not in on_warfarin
    statin = make_plan(other_medicines=["statin", "ritonavir_or_cobicistat"],
                       lab_results=[lab("ck", 9000, "U/L", uln=200)])
    assert "never ritonavir or cobicistat on its own initiative" in " ".join(
        a.text for a in statin.do_now)
    feeding = make_plan(date_of_birth="1994-01-01", classification={"age_at_onset": 32},
                        infection_screening={"hbsag": {"result": "positive"}},
                        reproduction={"pregnant": False, "breastfeeding": True})
    text = " ".join(a.text for a in feeding.do_now)
    assert "entecavir or tenofovir" not in text and "used while breastfeeding" in text


def test_a_booked_course_waits_for_measles_immunity_after_a_contact() -> None:
    """Review Z60d P3: 'no caution for this patient' for pulses booked 4 days after a measles
    contact, beside the approach's measles hold."""
    plan = make_plan(infection_screening={"measles_exposure": "2026-11-27"},
                     planned_treatments=[{"therapy": "methotrexate", "start": "2026-12-03"}])
    line = next(a for a in plan.do_now if a.code == "planned_course_checks_methotrexate")
    assert "measles contact 4 days ago: not before measles IgG shows immunity" in line.text


def test_a_neck_node_from_a_high_incidence_region_is_not_excised_first() -> None:
    """Review Z60b P2: an excision biopsy as an equal first choice for a level II node in a man
    from a region where nasopharyngeal carcinoma is common."""
    base = dict(sex="male", cancer={"red_flags": ["new_lump"], "lump_site": "neck"})
    region = " ".join(a.text for a in make_plan(**base,
                                                nasopharyngeal_carcinoma_region=True).do_now)
    assert "excision only if they are non-diagnostic" in region
    elsewhere = " ".join(a.text for a in make_plan(**base).do_now)
    assert "(an excision or core biopsy - a fine-needle aspirate" in elsewhere


def test_a_steroid_sparing_agent_waits_for_the_tb_response_not_the_end_of_treatment() -> None:
    """Review Z60d P4: mycophenolate 'reconsidered once the infection is treated' (6 months
    or more for TB) beside the TB line's 'once the TB is responding'."""
    plan = make_plan(comorbidities={"active_infection": True},
                     infection_screening={"active_tb": "on_treatment"},
                     other_medicines=["rifampicin"])
    reasons = " ".join(withheld(plan).values())
    assert "once the TB is responding (usually after the 2-month intensive phase" in reasons


def test_a_booked_rituximab_names_tenofovir_while_breastfeeding() -> None:
    """Re-score of review Z60a P7: the booked-rituximab line still said 'entecavir or
    tenofovir' for a breastfeeding mother."""
    plan = make_plan(date_of_birth="1994-01-01", classification={"age_at_onset": 32},
                     infection_screening={"anti_hbc": {"result": "positive"},
                                          "hbsag": {"result": "negative"}},
                     reproduction={"pregnant": False, "breastfeeding": True},
                     planned_treatments=[{"therapy": "rituximab", "start": "2026-12-08"}])
    line = next(a for a in plan.do_now if a.code == "planned_course_checks_rituximab")
    assert "tenofovir disoproxil (not entecavir" in line.text
    assert "entecavir or tenofovir" not in line.text


def test_a_low_igg_with_infections_holds_a_new_muscle_agent_as_it_holds_the_lung() -> None:
    """Review Z60c P6: 'add azathioprine' for the muscle beside the lung's 'no new
    immunosuppressant until the infection risk is addressed'."""
    plan = make_plan(
        comorbidities={"recurrent_infections": True},
        lab_results=[lab("igg", 4.2, "g/L"), lab("ck", 2400, "U/L", uln=200)],
        lung_measures=[{"date": "2026-05-01", "fvc_percent_predicted": 80,
                        "hrct_pattern": "nsip"},
                       {"date": "2026-11-20", "fvc_percent_predicted": 66,
                        "hrct_pattern": "nsip", "course": "progressive"}],
        treatments=[{"therapy": "mycophenolate", "start": "2026-01-01", "dose_value": 3,
                     "dose_unit": "g/day", "outcome": "ineffective"},
                    {"therapy": "glucocorticoids_oral", "start": "2026-01-01",
                     "dose_value": 30, "dose_unit": "mg/day", "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(f.startswith("add Azathioprine") for f in muscle.first_choice)
    assert any("no other new immunosuppressant until the infection risk" in f
               for f in muscle.first_choice)


def test_a_local_skin_cancer_does_not_switch_off_the_myositis_cancer_screen() -> None:
    """Review Z61d P1 (dangerous): 'not applicable here - known active cancer' for anti-TIF1g
    DM at 58 whose only active cancer was a small scalp SCC awaiting Mohs surgery."""
    base = dict(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                classification={"age_at_onset": 58})
    skin = make_plan(**base, cancer={"active_cancer": True,
                                     "active_cancer_kind": "skin_non_melanoma"})
    assert skin.cancer_screening.applicable
    assert any(c.condition == "azathioprine_non_melanoma_skin_cancer"
               for o in skin.options if o.therapy == "azathioprine" for c in o.cautions)
    internal = make_plan(**base, cancer={"active_cancer": True})
    assert not internal.cancer_screening.applicable


def test_immunoglobulin_is_held_in_the_two_weeks_after_a_clot_even_on_heparin() -> None:
    """Review Z61a P5 (dangerous): 'continue and optimise IVIG' 2 days after a mesenteric
    artery thrombosis, on LMWH."""
    ivig = [{"therapy": "ivig", "start": "2026-07-10", "outcome": "ongoing"}]
    fresh = make_plan(treatments=ivig, other_medicines=["lmwh"],
                      comorbidities={"thrombosis_history": True, "last_thrombosis": "2026-11-29"})
    assert "ivig_recent_thrombosis" in {a.code for a in fresh.do_now}
    assert fresh.regimens[0].first_choice[0].startswith("Hold Intravenous immunoglobulin")
    older = make_plan(treatments=ivig, other_medicines=["lmwh"],
                      comorbidities={"thrombosis_history": True, "last_thrombosis": "2026-10-01"})
    assert "ivig_recent_thrombosis" not in {a.code for a in older.do_now}


def test_an_urgent_operation_on_warfarin_gets_reversal_not_a_five_day_stop() -> None:
    """Review Z61a P7 (dangerous): 'warfarin stopped about 5 days before' for an emergency
    hernia repair."""
    surgery = {"date": "2026-12-01", "procedure": "emergency hernia repair", "elective": False}
    codes = {a.code for a in make_plan(other_medicines=["warfarin"], surgery=surgery).do_now}
    assert "urgent_procedure_on_warfarin" in codes
    assert "urgent_procedure_on_a_doac" not in codes
    assert "procedure_on_an_anticoagulant" not in codes
    planned = {**surgery, "date": "2026-12-20", "elective": True}
    codes = {a.code for a in make_plan(other_medicines=["warfarin"], surgery=planned).do_now}
    assert "procedure_on_an_anticoagulant" in codes


def test_a_perforation_on_an_nsaid_stops_it_for_good() -> None:
    """Review Z61a P8 (dangerous): 'stop the NSAID if possible, or add a proton-pump inhibitor'
    for a perforated duodenal ulcer on naproxen and prednisolone 60 mg."""
    pred = [{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 60,
             "dose_unit": "mg/day", "outcome": "ongoing"}]
    plan = make_plan(treatments=pred, other_medicines=["nsaid"],
                     organs={"gi_perforation_suspected": True})
    codes = {a.code for a in plan.do_now}
    assert "gi_perforation_on_nsaid" in codes
    assert "stop the NSAID if possible" not in " ".join(a.text for a in plan.do_now)


def test_a_suspected_myocarditis_with_troponin_i_raised_is_not_held_for_a_pneumonia() -> None:
    """Review Z61b P2: 'no rituximab, IV pulses or new immunosuppressant until it has settled'
    beside the cardiac line's 'a suspicion with troponin I raised is severe disease - IV
    pulses'."""
    base = dict(comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                organs={"cardiac": "suspected"},
                treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-01",
                             "dose_value": 20, "dose_unit": "mg/day", "outcome": "ongoing"}])
    raised = make_plan(**base, lab_results=[lab("troponin_i", 85, "ng/L", uln=16)])
    text = next(a.text for a in raised.do_now if a.code == "focal_pneumonia_on_immunosuppression")
    assert "not deferred for the pneumonia alone" in text
    normal = make_plan(**base, lab_results=[lab("troponin_i", 9, "ng/L", uln=16)])
    text = next(a.text for a in normal.do_now if a.code == "focal_pneumonia_on_immunosuppression")
    assert "No rituximab, IV pulses or new immunosuppressant until it has settled" in text


def test_a_perforated_jdm_gut_is_not_called_gastroenteritis_nor_methotrexate_continued() -> None:
    """Review Z61a P1: 'the infection is the likelier cause ... no escalation' for peritonitis
    from a proven perforation, and 'methotrexate continue (ACR/AAHKS 2022)' for the septic
    emergency laparotomy."""
    plan = make_plan(date_of_birth="2016-03-01", weight_kg=30, height_cm=135,
                     diagnosis={"subgroup": "jdm", "confirmed_on": "2025-01-01"},
                     classification={"age_at_onset": 9},
                     organs={"gut_symptoms": True, "gi_perforation_suspected": True},
                     comorbidities={"active_infection": True, "infection_focus": "abdominal",
                                    "sepsis": True},
                     surgery={"date": "2026-12-01", "procedure": "laparotomy",
                              "elective": False},
                     treatments=[{"therapy": "methotrexate", "start": "2025-02-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "start": "2025-02-01",
                                  "dose_value": 10, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    codes = {a.code for a in plan.do_now}
    assert "jdm_gut_with_abdominal_infection" not in codes
    text = " ".join(a.text for a in plan.do_now)
    assert "methotrexate and hydroxychloroquine continue (ACR/AAHKS 2022)" not in text


def test_past_basal_cell_cancers_are_not_a_cancer_to_look_for_a_recurrence_of() -> None:
    """Review Z61d P4: 'a recurrence first, with oncology and tumour markers' for past basal
    cell carcinomas and Bowen's disease beside a new breast lump."""
    base = dict(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                classification={"age_at_onset": 81})
    skin = make_plan(**base, cancer={"past_cancer": ["basal cell carcinoma x3",
                                                     "Bowen's disease (SCC in situ)"],
                                     "red_flags": ["new_lump"], "lump_site": "breast"})
    text = " ".join(a.text for a in skin.do_now)
    assert "recurrence first" not in text
    breast = make_plan(**base, cancer={"past_cancer": ["breast cancer 2019"],
                                       "red_flags": ["new_lump"], "lump_site": "breast"})
    assert "recurrence" in " ".join(a.text for a in breast.do_now)


def test_no_slow_replacement_is_started_near_the_end_of_life() -> None:
    """Review Z62d P6 (dangerous): 'Stop methotrexate + switch to azathioprine' for a woman
    of 88 on comfort care with weeks to months to live."""
    plan = make_plan(classification={"age_at_onset": 88},
                     care_goals={"frailty_scale": 8, "treatment_ceiling": "comfort",
                                 "prognosis": "weeks_to_months"},
                     lab_results=[lab("egfr", 24, "mL/min/1.73m2")],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-02",
                                  "dose_value": 30, "dose_unit": "mg/day",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "start": "2026-11-17",
                                  "dose_value": 10, "dose_unit": "mg/week",
                                  "outcome": "ongoing"}])
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    assert not any(e.startswith("switch to") for e in changes.first_choice)
    assert any(e.startswith("no replacement near the end of life") for e in changes.first_choice)


def test_no_line_names_atovaquone_as_the_pjp_agent_beside_rifampicin() -> None:
    """Review Z62c P3 (dangerous): the potassium and warfarin lines steered PJP prophylaxis to
    atovaquone beside rifampicin, which halves its levels."""
    plan = make_plan(other_medicines=["rifampicin", "warfarin"],
                     lab_results=[lab("potassium", 5.2, "mmol/L")],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-20",
                                  "dose_value": 40, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    lines = [a.text for a in plan.do_now if a.code != "rifampicin_and_atovaquone_pjp"]
    for text in lines:
        assert "prefer atovaquone" not in text and "choose atovaquone" not in text
        assert "- atovaquone while potassium" not in text


def test_a_liver_injury_on_latent_tb_treatment_is_read_when_the_bilirubin_is_raised() -> None:
    """Review Z62c P8 (dangerous): 'complete it with the TB service' beside ALT 4.5 x and
    bilirubin 1.6 x ULN on isoniazid, in IBM with a raised CK."""
    plan = make_plan(infection_screening={"tb_test": {"result": "positive"},
                                          "latent_tb_treatment": "ongoing"},
                     comorbidities={"latent_tb": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-20",
                                  "dose_value": 10, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}],
                     lab_results=[lab("alt", 180, "U/L", uln=40), lab("ck", 900, "U/L", uln=200),
                                  lab("bilirubin", 34, "umol/L", uln=21)])
    codes = {a.code for a in plan.do_now}
    assert "liver_injury_on_latent_tb_treatment_stop" in codes
    assert "latent_tb_treatment_under_way" not in codes
    assert "liver_injury_on_latent_tb_treatment" not in codes


def test_a_booked_dose_is_checked_against_this_patients_own_ceiling() -> None:
    """Review Z62a P7: azathioprine 150 mg/day booked for a TPMT intermediate metaboliser on
    allopurinol, never named as unsafe."""
    plan = make_plan(weight_kg=58, immunogenetics={"tpmt": "intermediate", "nudt15": "normal"},
                     other_medicines=["allopurinol"],
                     planned_treatments=[{"therapy": "azathioprine", "start": "2026-12-05",
                                          "dose_value": 150, "dose_unit": "mg/day"}])
    line = next(a for a in plan.do_now if a.code == "planned_course_checks_azathioprine")
    assert "the booked dose 150 mg/day is above its ceiling" in line.text
    assert line.urgency == "urgent"


def test_dystrophinopathy_first_stands_aside_for_an_inflammatory_biopsy() -> None:
    """Review Z62b P7 (dangerous): Duchenne first and 'no glucocorticoid for a presumed
    myositis' for a boy whose biopsy showed an inflammatory myopathy, on prednisolone 55 mg."""
    boy = dict(sex="male", date_of_birth="2009-07-03", weight_kg=55,
               diagnosis={"subgroup": "unclassified"},
               classification={"age_at_onset": 17,
                               "skin": {"heliotrope_rash": False, "gottron_papules": False}},
               antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "negative"},
                           "srp": {"status": "negative"}, "hmgcr": {"status": "negative"},
                           "tif1g": {"status": "negative"}, "nxp2": {"status": "negative"},
                           "mda5": {"status": "negative"}, "sae": {"status": "negative"}},
               skin={"heliotrope_rash": False, "gottron_papules": False},
               lab_results=[lab("ck", 6000, "U/L", uln=200)])
    without = {a.code for a in make_plan(**boy).do_now}
    assert "boy_high_ck_dystrophinopathy_first" in without
    biopsied = make_plan(**boy, biopsy={"endomysial_infiltrate": True,
                                        "invasion_of_non_necrotic_fibres": True})
    assert "boy_high_ck_dystrophinopathy_first" not in {a.code for a in biopsied.do_now}


def test_a_tsh_in_miu_per_litre_is_accepted_as_the_same_unit() -> None:
    """Review Z62a P2, P4, P8: a TSH in mIU/L was refused (the same unit as mU/L)."""
    record = make_record(lab_results=[lab("tsh", 11.8, "mIU/L")])
    assert record.lab_results[0].unit == "mU/L"


def test_a_single_tsh_of_ten_without_a_free_t4_is_confirmed_before_treatment() -> None:
    """Review Z62d P8: 'hypothyroidism that needs treatment' on one TSH of 11.8 taken during a
    chest infection, with no free T4 recorded."""
    alone = make_plan(lab_results=[lab("tsh", 11.8, "mU/L", uln=4.5)])
    text = " ".join(a.text for a in alone.do_now)
    assert "free T4 now (no free T4 is recorded)" in text
    with_t4 = make_plan(lab_results=[lab("tsh", 11.8, "mU/L", uln=4.5),
                                     lab("free_t4", 7.9, "pmol/L")])
    assert "no free T4 is recorded" not in " ".join(a.text for a in with_t4.do_now)


def test_hydroxychloroquine_waits_for_an_oral_route_when_nil_by_mouth() -> None:
    """Review Z62d P3: hydroxychloroquine first for the skin of a woman nil by mouth."""
    plan = make_plan(organs={"oral_intake": "nil_by_mouth", "dysphagia": "severe"})
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert any("tablets only: once a safe oral route" in e for e in skin.first_choice)


def test_booked_hydroxychloroquine_is_not_held_for_the_infection_screening() -> None:
    """Review Z62b P6: hydroxychloroquine 'after the pre-treatment tests' while hepatitis, TB
    and HIV results were pending - it does not suppress immunity."""
    plan = make_plan(infection_screening={},
                     planned_treatments=[{"therapy": "hydroxychloroquine",
                                          "start": "2026-12-05"}])
    line = next(a for a in plan.do_now if a.code == "planned_course_checks_hydroxychloroquine")
    assert "does not hold it up" in line.text
    mtx = make_plan(planned_treatments=[{"therapy": "methotrexate", "start": "2026-12-05"}])
    line = next(a for a in mtx.do_now if a.code == "planned_course_checks_methotrexate")
    assert "pre-treatment tests and vaccines in this list" in line.text

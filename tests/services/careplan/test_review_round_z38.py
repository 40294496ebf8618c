"""Findings of specialist review round Z38 and of the open list carried into it, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan, withheld


def _stopped_severe(therapy: str) -> dict[str, str]:
    return {"therapy": therapy, "start": "2025-01-01", "stop": "2025-03-01",
            "outcome": "not_tolerated", "reason_stopped": "adverse_event",
            "reaction_severity": "severe"}


def test_a_severe_reaction_line_names_immunoglobulin_only_on_immunoglobulin_lines() -> None:
    """Open list: the no-re-challenge line said 'a severe reaction to one immunoglobulin
    product counts for the others' on azathioprine and every other drug."""
    reasons = withheld(make_plan(treatments=[_stopped_severe("azathioprine")]))
    assert reasons["azathioprine"].startswith("Stopped before for a severe adverse reaction")
    assert "immunoglobulin" not in reasons["azathioprine"]
    reasons = withheld(make_plan(organs={"dysphagia": "severe"},
                                 treatments=[_stopped_severe("ivig")]))
    assert "counts for the others" in reasons["ivig"]
    assert "azathioprine" not in reasons


def _skin_options(reproduction: dict[str, object]) -> dict[str, object]:
    plan = make_plan(reproduction=reproduction, skin_refractory=True, months_since_onset=14)
    return {o.therapy: o for o in plan.options} | {t: r for t, r in withheld(plan).items()}


def test_skin_agents_carry_their_own_lactation_sources_while_breastfeeding() -> None:
    """Open list: topical calcineurin inhibitors, dapsone and diltiazem were withheld while
    breastfeeding for 'no data', and a general label cited ACR 2020 and BSR 2023 for drugs those
    guidelines do not cover."""
    options = _skin_options({"pregnant": False, "breastfeeding": True})
    tci = options["topical_calcineurin_inhibitors"]
    dapsone = options["dapsone"]
    assert not isinstance(tci, str) and not isinstance(dapsone, str)
    assert tci.labels == [next(t for t in tci.labels if "LactMed" in t)]
    assert "nipple" in tci.labels[0]
    assert not any("ACR 2020" in t for t in dapsone.labels)
    assert any("haemolysis" in c.text and "G6PD" in c.text for c in dapsone.cautions)


def test_limited_pregnancy_data_names_no_washout_in_a_pregnancy() -> None:
    """The limited-data caution read '(before conception; interval to agree with the specialist
    team)' for a woman already 20 weeks pregnant."""
    options = _skin_options({"pregnant": True, "gestation_weeks": 20, "breastfeeding": False})
    tci = options["topical_calcineurin_inhibitors"]
    assert not isinstance(tci, str)
    texts = [c.text for c in tci.cautions]
    assert any(t.startswith("Limited data in pregnancy") for t in texts)
    assert not any("before conception" in t for t in texts)


def _text(plan: object) -> str:
    from myositis.services.careplan import CarePlan
    assert isinstance(plan, CarePlan)
    return " ".join([a.text for a in plan.do_now]
                    + [e for r in plan.regimens for e in (*r.first_choice, *r.alternatives)])


def test_hbv_prophylaxis_with_hiv_is_tenofovir_within_the_hiv_regimen() -> None:
    """Z38a P5 (dangerous): 'entecavir or tenofovir' for anti-HBc with HIV viraemia on a
    regimen without tenofovir - either alone selects HIV resistance."""
    screening = {"hiv": {"result": "positive"}, "anti_hbc": {"result": "positive"},
                 "hbsag": {"result": "negative"}}
    text = _text(make_plan(infection_screening=screening,
                           planned_treatments=[{"therapy": "rituximab",
                                                "start": "2026-12-10"}]))
    assert "entecavir or tenofovir" not in text
    assert "tenofovir within a fully suppressive HIV regimen" in text
    assert "(not lamivudine)" not in text.split("fully suppressive HIV regimen")[1][:120]
    without = _text(make_plan(infection_screening={**screening,
                                                   "hiv": {"result": "negative"}},
                              planned_treatments=[{"therapy": "rituximab",
                                                   "start": "2026-12-10"}]))
    assert "entecavir or tenofovir" in without


def test_a_planned_course_says_a_moderate_interaction_in_full() -> None:
    """Z38a P5 (dangerous): 'Glucocorticoids with ritonavir or cobicistat' printed as a title
    only, so nothing warned of inhaled or injected fluticasone with cobicistat."""
    plan = make_plan(other_medicines=["ritonavir_or_cobicistat"],
                     planned_treatments=[{"therapy": "glucocorticoids_oral",
                                          "start": "2026-12-03", "dose_value": 60,
                                          "dose_unit": "mg/day"}])
    line = next(a.text for a in plan.do_now
                if a.code == "planned_course_checks_glucocorticoids_oral")
    assert "fluticasone" in line and "adrenal suppression" in line


def test_the_joints_get_no_new_agent_beside_current_immunosuppression() -> None:
    """Z38a P2 (dangerous): 'add Tacrolimus' for an arthritis tick beside mycophenolate and a
    rituximab cycle three months before, physician global 1.5."""
    asys = {"diagnosis": {"subgroup": "asys"},
            "antibodies": {"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
            "systemic": {"interstitial_lung_disease": True, "arthritis": True},
            "months_since_onset": 14, "labs": {"enzymes": {"ck": {"value": 210, "uln": 200}}},
            "lung_measures": [{"date": "2026-11-15", "fvc_percent_predicted": 78,
                               "hrct_pattern": "nsip", "course": "stable"}],
            "visits": [{"date": "2026-11-20", "glucocorticoid_mg_per_day": 10,
                        "core_set": {"physician_global": 1.5, "extramuscular_global": 1.5,
                                     "mmt8": 146, "mmt_max": 150}}]}
    treatments = [{"therapy": "glucocorticoids_oral", "start": "2025-11-05", "dose_value": 10,
                   "dose_unit": "mg/day", "outcome": "ongoing"},
                  {"therapy": "mycophenolate", "start": "2025-12-01", "outcome": "ongoing"},
                  {"therapy": "rituximab", "start": "2026-09-01", "stop": "2026-09-15",
                   "outcome": "effective"}]
    joints = next(r for r in make_plan(**asys, treatments=treatments).regimens
                  if r.domain == "joints")
    assert not any(e.startswith("add ") for e in joints.first_choice), joints.first_choice
    assert any("before adding anything" in e for e in joints.first_choice)
    assert all("only if synovitis persists" in a for a in joints.alternatives)
    bare = next(r for r in make_plan(**asys, treatments=treatments[:1]).regimens
                if r.domain == "joints")
    assert not any("before adding anything" in e for e in bare.first_choice)
    assert any("Tacrolimus" in e for e in (*bare.first_choice, *bare.alternatives))


def test_an_inr_above_the_usual_range_is_named_before_co_trimoxazole() -> None:
    """Z38c P2 and Z38d P2 (dangerous): INR 3.6 on warfarin with falls never mentioned while
    co-trimoxazole was advised."""
    plan = make_plan(other_medicines=["warfarin"], lab_results=[
        lab("inr", 3.6, "ratio"), lab("egfr", 90, "mL/min/1.73m2")])
    assert do_now(plan)["warfarin_inr_above_usual_range"] == "soon"
    assert "warfarin_inr_above_range" not in do_now(plan)
    high = make_plan(other_medicines=["warfarin"], lab_results=[lab("inr", 4.2, "ratio")])
    assert "warfarin_inr_above_usual_range" not in do_now(high)
    assert do_now(high)["warfarin_inr_above_range"] == "urgent"
    assert "warfarin_inr_above_usual_range" not in do_now(
        make_plan(other_medicines=["warfarin"], lab_results=[lab("inr", 2.6, "ratio")]))


def test_a_raised_ggt_or_bilirubin_stops_the_alt_being_read_as_muscle() -> None:
    """Z38c P4: 'most likely from muscle' with GGT 7.5 x ULN and a raised bilirubin."""
    muscle = [lab("alt", 90, "U/L", 40), lab("ck", 3200, "U/L", 200)]
    plain = _text(make_plan(lab_results=muscle))
    assert "probably from muscle" in plain
    liver = _text(make_plan(lab_results=[*muscle, lab("ggt", 410, "U/L", 60)]))
    assert "probably from muscle" not in liver and "not from muscle alone" in liver


def test_pjp_prophylaxis_in_a_liver_injury_is_atovaquone() -> None:
    """Z38d P8 (dangerous): co-trimoxazole advised for PJP beside the liver line that lists it
    among the drugs to stop."""
    plan = make_plan(lab_results=[lab("alt", 430, "U/L", 40), lab("bilirubin", 48, "umol/L", 21),
                                  lab("ck", 800, "U/L", 200)],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-01",
                                  "dose_value": 60, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    assert "liver_injury_pattern" in do_now(plan)
    pjp = [a.text for a in plan.do_now if a.code.startswith("pjp_")]
    assert pjp and all("atovaquone" in t and "injure the liver" in t for t in pjp), pjp


ASYS_LUNG_FALLING = {
    "diagnosis": {"subgroup": "asys"},
    "antibodies": {"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True},
    "lung_measures": [{"date": "2026-05-01", "fvc_percent_predicted": 80, "hrct_pattern": "nsip"},
                      {"date": "2026-11-20", "fvc_percent_predicted": 68, "hrct_pattern": "nsip",
                       "course": "progressive"}],
    "treatments": [{"therapy": "mycophenolate", "start": "2025-08-15", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "start": "2025-07-10", "dose_value": 15,
                    "dose_unit": "mg/day", "outcome": "ongoing"}]}


def test_rifampicin_keeps_tacrolimus_from_leading_and_flags_mycophenolate() -> None:
    """Z38b P3 (dangerous): tacrolimus the first-choice lung agent while rifampicin (latent TB)
    cuts its levels several-fold, and mycophenolate continued with no word of the interaction."""
    hbc = {"anti_hbc": {"result": "positive"}, "hbsag": {"result": "negative"}}
    plan = make_plan(**ASYS_LUNG_FALLING, infection_screening=hbc,
                     other_medicines=["rifampicin"])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not lung.first_choice[0].startswith("Tacrolimus"), lung.first_choice
    assert "mycophenolic acid exposure" in _text(plan)
    # without rifampicin, rituximab's hepatitis B caution lets tacrolimus lead
    alone = next(r for r in make_plan(**ASYS_LUNG_FALLING, infection_screening=hbc).regimens
                 if r.domain == "lung")
    assert alone.first_choice[0].startswith("Tacrolimus"), alone.first_choice


def test_conception_or_pregnancy_with_advanced_ckd_is_counselled() -> None:
    """Z38b P8 (dangerous): eGFR 28 and conception planned - the plan read as a drug-switch
    route to conception, with no word of the kidney and pregnancy risks."""
    low = [lab("egfr", 28, "mL/min/1.73m2")]
    planning = make_plan(lab_results=low, reproduction={"pregnant": False,
                                                        "planning_conception": True})
    assert do_now(planning)["conception_planned_with_advanced_ckd"] == "soon"
    pregnant = make_plan(lab_results=low, reproduction={"pregnant": True,
                                                        "gestation_weeks": 14})
    assert "pregnant_with_advanced_ckd" in do_now(pregnant)
    assert "conception_planned_with_advanced_ckd" not in do_now(make_plan(
        lab_results=[lab("egfr", 60, "mL/min/1.73m2")],
        reproduction={"pregnant": False, "planning_conception": True}))


def test_liver_impairment_gets_its_own_care_and_hepatitis_vaccines() -> None:
    """Z38a P7 (dangerous): cirrhosis recorded and ignored - no liver-cancer surveillance, no
    variceal check, no hepatitis A or B vaccine."""
    text = _text(make_plan(comorbidities={"hepatic_impairment": True}))
    assert "ultrasound every 6 months" in text and "hepatitis A and B vaccination" in text
    assert "liver_impairment_shared_care" not in do_now(make_plan())


def test_a_planned_immunosuppressant_waits_on_strongyloides_and_cmv() -> None:
    """Z38a P1 (dangerous): cyclophosphamide booked in two days passed with 'do not delay
    treatment' beside CMV viraemia and a positive strongyloides serology."""
    plan = make_plan(infection_screening={"strongyloides_serology": {"result": "positive"},
                                          "cmv_pcr": {"result": "positive"}},
                     planned_treatments=[{"therapy": "cyclophosphamide",
                                          "start": "2026-12-03"}])
    line = next((a.text for a in plan.do_now if a.code.startswith("planned_course_")
                 and "cyclophosphamide" in a.code), "")
    assert "ivermectin given before it" in line or "not to be started" in line, line
    if "not to be started" not in line:
        assert "CMV viraemia: the dose timed" in line
    cmv = next(a.text for a in plan.do_now if a.code == "cmv_viraemia_on_immunosuppression")
    assert "(mycophenolate first)" not in cmv


def test_a_tacrolimus_trough_before_steady_state_sets_no_dose() -> None:
    """Z38d P1 (dangerous): 'raise it to reach the range' on a trough drawn 2 days after
    tacrolimus started, on posaconazole, in a ventilated patient; and nail-infection advice."""
    rec = {"other_medicines": ["azole_antifungal"],
           "lab_results": [lab("tacrolimus_trough", 4.2, "ng/mL", date="2026-11-30")],
           "treatments": [{"therapy": "tacrolimus", "start": "2026-11-28",
                           "outcome": "ongoing"}],
           "lung": {"date": "2026-11-30", "hrct_pattern": "nsip", "oxygen": "ventilated"}}
    text = _text(make_plan(**rec))
    assert "raise it to reach the range" not in text and "before steady state" in text
    assert "nail infection" not in text
    settled = _text(make_plan(**{**rec, "treatments": [{"therapy": "tacrolimus",
                                                        "start": "2026-11-01",
                                                        "outcome": "ongoing"}]}))
    assert "before steady state" not in settled


def test_a_ventilated_anti_mda5_patient_is_watched_for_pneumomediastinum() -> None:
    """Z38d P1 (dangerous omission): no word of pneumomediastinum on the ventilator."""
    mda5 = {"antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
            "systemic": {"interstitial_lung_disease": True}}
    ventilated = make_plan(**mda5, lung={"date": "2026-11-30", "hrct_pattern": "nsip_op",
                                         "oxygen": "ventilated"})
    assert "anti_mda5_ventilated_pneumomediastinum" in do_now(ventilated)
    assert "anti_mda5_ventilated_pneumomediastinum" not in do_now(
        make_plan(**mda5, lung={"date": "2026-11-30", "hrct_pattern": "nsip_op",
                                "oxygen": "none"}))


def test_fever_with_a_high_ferritin_asks_for_the_mas_screen() -> None:
    """Z38d P5 (dangerous omission): active JDM with fever and ferritin 910, AST and
    fibrinogen not measured - no macrophage-activation screen asked for."""
    plan = make_plan(systemic={"fever": True},
                     lab_results=[lab("ferritin", 910, "ng/mL"), lab("platelets", 410, "10^9/L")])
    assert do_now(plan)["macrophage_activation_syndrome_screen"] == "soon"
    assert "macrophage_activation_syndrome_screen" not in do_now(
        make_plan(systemic={"fever": True}, lab_results=[lab("ferritin", 500, "ng/mL")]))


def test_a_ct_done_this_month_is_not_ordered_again_and_ckd_staging_reads_the_egfr() -> None:
    """Z38d P6: the CT of chest, abdomen and pelvis done 6 days before ordered again 'now'; 'no
    routine calcium supplement' at a reported eGFR of 32 read through the clearance of 22.9."""
    plan = make_plan(date_of_birth="1945-02-11", weight_kg=52,
                     classification={"age_at_onset": 81},
                     organs={"dysphagia": "severe"},
                     cancer={"red_flags": ["weight_loss"], "screening_done": [
                         {"test": "CT chest abdomen pelvis", "date": "2026-11-25",
                          "result": "abnormal"}]},
                     lab_results=[lab("egfr", 32, "mL/min/1.73m2", date="2026-11-30"),
                                  lab("creatinine", 138, "umol/L", date="2026-11-30")],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-01",
                                  "dose_value": 40, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    text = _text(plan)
    assert "CT of the chest, abdomen and pelvis with the basic blood tests" not in text
    assert "bone_protection_kidney_failure" not in do_now(plan)


def test_wrong_statements_of_round_z38_are_corrected() -> None:
    """Z38a P3, P5 and P6, Z38c P1 and P7: VZIG called IVIG, the immunoglobulin incubation,
    'report any exposure' beside the recorded exposure, treatment 'meanwhile' for an unclassified
    myopathy, 'before immunosuppression' in a child on it, 'no bisphosphonate' for an oral one
    within its label, and an organ-threat infection line for a myopathy called not myositis."""
    exposure = make_plan(reproduction={"pregnant": True, "gestation_weeks": 20},
                         infection_screening={"vzv_igg": {"result": "negative"},
                                              "varicella_exposure": "2026-11-28"},
                         treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                      "outcome": "ongoing"}])
    text = _text(exposure)
    assert do_now(exposure)["varicella_exposure_susceptible"] == "urgent"
    assert "IVIG if antivirals" not in text and "4 weeks after immunoglobulin" in text
    assert "vzv_seronegative_pregnant" not in do_now(exposure)
    child_plan = make_plan(date_of_birth="2017-01-01", classification={"age_at_onset": 9},
                            diagnosis={"subgroup": "jdm"},
                            treatments=[{"therapy": "methotrexate", "start": "2026-06-01",
                                         "outcome": "ongoing"}])
    assert "catch-up plan" in next(a.text for a in child_plan.do_now
                                   if a.code == "vaccination_review_child")
    kidney = _text(make_plan(comorbidities={"osteoporosis": True},
                             lab_results=[lab("egfr", 36, "mL/min/1.73m2")]))
    assert "no bisphosphonate now" not in kidney and "no IV zoledronic acid now" in kidney


def test_no_organ_threat_infection_line_for_a_myopathy_called_not_myositis() -> None:
    """Z38c P7: 'Active infection in organ-threatening myositis' for statin rhabdomyolysis."""
    rec = {"organs": {"respiratory_muscle_weakness": True},
           "comorbidities": {"active_infection": True}}
    assert "organ_threatening_with_active_infection" in do_now(make_plan(**rec))
    assert "organ_threatening_with_active_infection" not in do_now(make_plan(
        **rec, diagnosis={"not_myositis": "statin rhabdomyolysis"},
        antibodies={"mi2": {"status": "negative"}}))


def test_an_agent_named_once_in_the_approach() -> None:
    """Z38d P5: '+ Intravenous immunoglobulin + add Intravenous immunoglobulin'."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_finish import without_repeats
    regimen = Regimen(domain="muscle", state="active", decision_point="",
                      first_choice=["Intravenous immunoglobulin",
                                    "add Intravenous immunoglobulin", "add Rituximab"],
                      alternatives=[])
    assert without_repeats([regimen])[0].first_choice == ["Intravenous immunoglobulin",
                                                           "add Rituximab"]


def test_rescore_findings_of_round_z38_are_corrected() -> None:
    """Re-scores of Z38a-d: topical tacrolimus led the skin in pregnancy; tenofovir within HIV
    treatment 'continued 12 months after rituximab'; co-trimoxazole advised beside an INR above
    range; mammography listed for a breastfeeding woman with no word."""
    skin = next(r for r in make_plan(reproduction={"pregnant": True, "gestation_weeks": 20},
                                     skin_refractory=True, months_since_onset=14,
                                     treatments=[{"therapy": "hydroxychloroquine",
                                                  "start": "2025-01-01",
                                                  "outcome": "ongoing"}]).regimens
                if r.domain == "skin")
    assert not any(e.startswith("Topical calcineurin") for e in skin.first_choice), skin
    hiv = _text(make_plan(infection_screening={"hiv": {"result": "positive"},
                                               "anti_hbc": {"result": "positive"},
                                               "hbsag": {"result": "negative"}}))
    assert "12 months after the last rituximab" not in hiv
    inr = make_plan(other_medicines=["warfarin"], lab_results=[lab("inr", 3.6, "ratio")],
                    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-01",
                                 "dose_value": 40, "dose_unit": "mg/day", "outcome": "ongoing"}])
    pjp = [a.text for a in inr.do_now if a.code.startswith("pjp_")]
    assert pjp and all("atovaquone while the INR is above range" in t for t in pjp), pjp
    nursing = make_plan(date_of_birth="1994-01-01", reproduction={"pregnant": False,
                                                                  "breastfeeding": True})
    assert any(n.startswith("Breastfeeding:") for n in nursing.cancer_screening.notes)

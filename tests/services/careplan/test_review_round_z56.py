"""Specialist review round Z56 (all patients SYNTHETIC): a paraneoplastic clinic, a genetics and
neuromuscular diagnostics clinic, a remote telemedicine service and a virtual ward."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, make_plan, withheld

RITUXIMAB_BOOKED = {"planned_treatments": [{"therapy": "rituximab", "start": "2026-12-10",
                                            "dose_value": 1, "dose_unit": "g", "route": "iv"}]}


def test_rituximab_waits_for_the_biopsy_of_a_new_lump() -> None:
    """Review Z56b P3: rituximab booked in 10 days beside an undiagnosed neck lump."""
    plan = make_plan(**RITUXIMAB_BOOKED, cancer={"red_flags": ["new_lump"]})
    booked = next(a for a in plan.do_now if a.code == "planned_course_barred_rituximab")
    assert "not to be started" in booked.text and "new lump" in booked.text
    assert booked.urgency == "urgent"
    assert "new_lump_tissue_before_immunosuppression" in do_now(plan)
    without = make_plan(**RITUXIMAB_BOOKED)
    assert "new_lump_tissue_before_immunosuppression" not in do_now(without)


def test_organ_threat_takes_the_biopsy_first_instead_of_withholding() -> None:
    plan = make_plan(cancer={"red_flags": ["new_lump"]},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     antibodies={"mda5": {"status": "positive"}})
    assert "rituximab" not in withheld(plan)
    if "rituximab" in {o.therapy for o in plan.options}:
        assert "depleting_therapy_before_lump_diagnosed_organ_threat" in cautions(plan,
                                                                                 "rituximab")


def test_ivig_in_immobilising_disease_carries_the_thrombosis_caution() -> None:
    """Review Z56b P5: IVIG 'no caution for this patient' with severe dysphagia."""
    plan = make_plan(organs={"dysphagia": "severe"})
    assert "ivig_immobilising_disease" in cautions(plan, "ivig")


def test_neck_lump_images_the_neck_and_in_an_npc_region_gets_nasendoscopy() -> None:
    """Review Z56b P3: 'CT of the chest, abdomen and pelvis' for a new neck node in a man
    from a region where nasopharyngeal carcinoma is common."""
    neck = {"cancer": {"red_flags": ["new_lump"], "lump_site": "neck"}}
    plan = make_plan(**neck, nasopharyngeal_carcinoma_region=True)
    line = next(a.text for a in plan.do_now if a.code == "cancer_red_flags")
    assert "CT of the neck, chest, abdomen and pelvis" in line
    assert do_now(plan)["neck_lump_nasopharyngeal_region"] == "urgent"
    elsewhere = make_plan(**neck)
    assert "neck_lump_nasopharyngeal_region" not in do_now(elsewhere)
    breast = make_plan(cancer={"red_flags": ["new_lump"], "lump_site": "breast"})
    line = next(a.text for a in breast.do_now if a.code == "cancer_red_flags")
    assert "CT of the neck" not in line


def test_ivig_with_suspected_myocarditis_and_high_haemoglobin_is_cautioned() -> None:
    """Review Z56c P8: IVIG 'no caution for this patient' with suspected myocarditis, a raised
    troponin I and a haemoglobin of 168 g/L on testosterone."""
    from tests.services.careplan.conftest import lab
    plan = make_plan(organs={"dysphagia": "severe", "cardiac": "suspected"},
                     lab_results=[lab("haemoglobin", 168, "g/L"),
                                  lab("troponin_i", 60, "ng/L", uln=40)])
    found = cautions(plan, "ivig")
    assert {"ivig_heart_failure", "ivig_high_haemoglobin"} <= found
    normal = make_plan(organs={"dysphagia": "severe"}, lab_results=[lab("haemoglobin", 140, "g/L")])
    assert not {"ivig_heart_failure", "ivig_high_haemoglobin"} & cautions(normal, "ivig")


def test_not_myositis_does_not_call_a_low_dose_an_inadequate_trial() -> None:
    """Review Z56a P1: 'a drug below its range has not had an adequate trial' for azathioprine
    in a genetic dystrophy recorded as not myositis."""
    aza = {"weight_kg": 84, "treatments": [
        {"therapy": "azathioprine", "start": "2024-06-01", "dose_value": 150,
         "dose_unit": "mg/day", "outcome": "ongoing"}]}
    # no myositis-specific antibody (one would overrule the 'not myositis' label)
    dystrophy = make_plan(**aza, antibodies={"mi2": {"status": "negative"}},
                          diagnosis={"not_myositis": "dysferlinopathy (genetic)",
                                     "alternative": "muscular_dystrophy"})
    text = " ".join(d.text for d in dystrophy.doses if d.therapy == "azathioprine")
    assert "has not had an adequate trial" not in text
    assert not any(d.below_range for d in dystrophy.doses)
    myositis = make_plan(**aza)
    text = " ".join(d.text for d in myositis.doses if d.therapy == "azathioprine")
    assert "has not had an adequate trial" in text


def test_high_calcium_removes_calcium_and_vitamin_d_from_the_bone_lines() -> None:
    """Review Z56d P7: 'calcium and vitamin D' in the bone line beside a calcium of 3.16."""
    from tests.services.careplan.conftest import lab
    gc = {"treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                          "dose_value": 20, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    high = make_plan(**gc, lab_results=[lab("calcium", 3.0, "mmol/L"),
                                        lab("egfr", 90, "mL/min/1.73m2")])
    bone = " ".join(a.text for a in high.do_now if "bone" in a.code or "giop" in a.code)
    assert bone and "no calcium or vitamin D while the calcium is high" in bone
    normal = make_plan(**gc, lab_results=[lab("calcium", 2.3, "mmol/L"),
                                          lab("egfr", 90, "mL/min/1.73m2")])
    bone = " ".join(a.text for a in normal.do_now if "bone" in a.code or "giop" in a.code)
    assert "calcium and vitamin D" in bone and "while the calcium is high" not in bone


def test_severe_srp_escalation_does_not_put_ivig_first_after_a_severe_reaction() -> None:
    """Review Z56d P8: 'IVIG first' after aseptic meningitis on IVIG."""
    srp = {"antibodies": {"srp": {"status": "positive"}},
           "organs": {"dysphagia": "severe"},
           "comorbidities": {"active_infection": True}}
    reacted = make_plan(**srp, treatments=[
        {"therapy": "ivig", "start": "2026-03-01", "stop": "2026-03-05", "outcome": "not_tolerated",
         "reason_stopped": "adverse_event", "reaction_severity": "severe"}])
    line = next(a.text for a in reacted.do_now if a.code == "severe_anti_srp")
    assert "IVIG first" not in line and "no IVIG: a severe reaction to it before" in line
    fresh = make_plan(**srp)
    assert "IVIG first" in next(a.text for a in fresh.do_now if a.code == "severe_anti_srp")


def test_a_fast_egfr_fall_on_tacrolimus_is_not_called_chronic_nephrotoxicity() -> None:
    """Reviews Z56c P6 and Z56d P3: eGFR 78 to 41 in 11 weeks called 'chronic calcineurin
    nephrotoxicity'; a fall over years still is."""
    from tests.services.careplan.conftest import lab
    tac = {"treatments": [{"therapy": "tacrolimus", "start": "2020-01-01", "outcome": "ongoing"}],
           "systemic": {"interstitial_lung_disease": True}}
    fast = make_plan(**tac, lab_results=[lab("egfr", 78, "mL/min/1.73m2", date="2026-09-15"),
                                         lab("egfr", 41, "mL/min/1.73m2", date="2026-11-30")])
    assert "calcineurin_slow_kidney_decline" not in cautions(fast, "tacrolimus")
    slow = make_plan(**tac, lab_results=[lab("egfr", 112, "mL/min/1.73m2", date="2022-11-01"),
                                         lab("egfr", 88, "mL/min/1.73m2", date="2024-11-01"),
                                         lab("egfr", 71, "mL/min/1.73m2", date="2026-11-20")])
    assert "calcineurin_slow_kidney_decline" in cautions(slow, "tacrolimus")


def test_nintedanib_taken_under_a_no_icu_ceiling_names_no_transplant_and_one_line() -> None:
    """Review Z56d P6: 'a reason for transplant-centre referral' under a no-ICU ceiling with
    months to live, and 'Continue Nintedanib' printed twice."""
    lung_on_nintedanib = dict(
        antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-10", "fvc_percent_predicted": 58, "hrct_pattern": "nsip",
              "course": "progressive"},
        treatments=[{"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2000,
                     "dose_unit": "mg/day"},
                    {"therapy": "nintedanib", "start": "2025-12-15", "dose_value": 300,
                     "dose_unit": "mg/day"}])
    for goals, transplant in (({"treatment_ceiling": "no_icu", "prognosis": "months"}, False),
                              ({}, True)):
        plan = make_plan(**lung_on_nintedanib, care_goals=goals)
        lung = next(r for r in plan.regimens if r.domain == "lung")
        nintedanib = [e for e in lung.first_choice if e.startswith("Continue Nintedanib")]
        assert len(nintedanib) <= 1
        assert ("transplant-centre referral" in " ".join(nintedanib)) is (
            transplant and bool(nintedanib))


def test_a_breast_lump_holds_rituximab_but_not_the_glucocorticoid() -> None:
    """Re-score of review Z56b P5: the lymphoma steroid clause for a breast lump."""
    breast = make_plan(**RITUXIMAB_BOOKED,
                       cancer={"red_flags": ["new_lump"], "lump_site": "breast"})
    line = next(a.text for a in breast.do_now
                if a.code == "new_lump_tissue_before_immunosuppression")
    assert "glucocorticoid" not in line and "triple assessment" in line
    unknown = make_plan(**RITUXIMAB_BOOKED, cancer={"red_flags": ["new_lump"]})
    line = next(a.text for a in unknown.do_now
                if a.code == "new_lump_tissue_before_immunosuppression")
    assert "before a glucocorticoid start or rise" in line


def test_tamoxifen_or_hrt_is_a_clot_risk_for_ivig() -> None:
    """Re-score of review Z56b P5: tamoxifen not weighed as a clot risk for IVIG."""
    plan = make_plan(organs={"dysphagia": "severe"}, other_medicines=["oestrogen_or_serm"])
    assert "ivig_oestrogen_or_serm" in cautions(plan, "ivig")

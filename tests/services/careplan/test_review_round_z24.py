"""Findings of blind specialist review Z24 (SYNTHETIC patients): myositis-ILD clinic, adult DM
clinic, obstetric-rheumatology clinic, juvenile DM clinic."""

from __future__ import annotations

from myositis.knowledge import load
from myositis.services.careplan.dosing import doses_for
from tests.services.careplan.conftest import do_now, lab, make_plan, make_record

_CHILD = {"reproduction": {"pregnant": None, "planning_conception": None,
                           "breastfeeding": None}}


def test_no_glucocorticoid_or_new_agent_during_a_measles_incubation() -> None:
    # Z24d P7 (dangerous): prednisolone and methotrexate first choice for a 6-year-old 4 days
    # after a measles contact, immunity unknown, nothing urgent
    plan = make_plan(**_CHILD, sex="female", classification={"age_at_onset": 6},
                     months_since_onset=2,
                     infection_screening={"measles_exposure": "2026-11-27"})
    assert "measles_exposure_immunosuppressed" in do_now(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Measles contact in the last 3 weeks")
    assert not any(e.startswith(("Oral glucocorticoids", "Methotrexate"))
                   for e in muscle.first_choice)
    assert any("once measles IgG shows immunity" in a for a in muscle.alternatives)
    later = make_plan(**_CHILD, sex="female", classification={"age_at_onset": 6},
                      months_since_onset=2,
                      infection_screening={"measles_exposure": "2026-10-01"})
    assert not next(r for r in later.regimens if r.domain == "muscle").first_choice[0] \
        .startswith("Measles contact")


def test_the_rhabdomyolysis_methotrexate_line_names_no_bridge_of_its_own() -> None:
    # Z24b P4 (dangerous): 'IV methylprednisolone with IVIG meanwhile' in the withheld box of a
    # frail 81-year-old with heart failure whose approach had excluded both
    rule = next(r for r in load().rules.rules
                if r.id == "methotrexate_start_with_rhabdomyolysis_kidney")
    assert "IVIG" not in rule.text and "methylprednisolone" not in rule.text


def test_tacrolimus_with_obesity_is_worked_out_on_the_adjusted_weight() -> None:
    # Z24c P8 (dangerous): 7.08-8.85 mg/day on 118 kg beside azathioprine on adjusted weight
    record = make_record(weight_kg=118, height_cm=165)
    text = doses_for(record, load(), ["tacrolimus"])[0][0].text
    assert "adjusted weight" in text and "x 118 kg" not in text


def test_hydroxychloroquine_stays_at_400_mg_in_a_pregnancy_after_a_heart_blocked_child() -> None:
    # Z24c P4 (dangerous): cut to about 360 mg/day at 18 weeks beside 'keep 400 mg'
    base = dict(weight_kg=72, classification={"age_at_onset": 30}, months_since_onset=60,
                treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01",
                             "dose_value": 400, "dose_unit": "mg/day"}])
    plan = make_plan(**base, reproduction={"pregnant": True, "gestation_weeks": 18,
                                           "previous_neonatal_lupus": True})
    codes = do_now(plan)
    assert "hydroxychloroquine_dose_pregnant_anti_ro" in codes
    assert "hydroxychloroquine_dose_above_5mg_kg_pregnant" not in codes
    plain = make_plan(**base, reproduction={"pregnant": True, "gestation_weeks": 18,
                                            "previous_neonatal_lupus": False})
    assert "hydroxychloroquine_dose_above_5mg_kg_pregnant" in do_now(plain)


def test_a_man_who_can_become_pregnant_gets_no_paternal_lines() -> None:
    # Z24a P8 (dangerous): 'mycophenolate in a man ... condoms' for a trans man who can carry a
    # pregnancy exposed to mycophenolate
    mmf = [{"therapy": "mycophenolate", "start": "2026-01-01", "dose_value": 2000,
            "dose_unit": "mg/day"}]
    trans = make_plan(sex="male", classification={"age_at_onset": 30}, months_since_onset=12,
                      treatments=mmf, reproduction={"can_become_pregnant": True,
                                                    "pregnant": False})
    assert "mycophenolate_paternal_contraception" not in do_now(trans)
    assert {"contraception_with_teratogen", "teratogen_taken_without_contraception"} & set(
        do_now(trans))
    cis = make_plan(sex="male", classification={"age_at_onset": 30}, months_since_onset=12,
                    treatments=mmf, reproduction={"pregnant": None, "planning_conception": None,
                                                  "breastfeeding": None})
    assert "mycophenolate_paternal_contraception" in do_now(cis)


def test_the_progressing_ild_line_points_to_nintedanibs_cautions_not_an_empty_list() -> None:
    # Z24a P6 (dangerous): 'not during bleeding - see the withheld list' with no nintedanib
    # entry there, for a frail 82-year-old with a labile INR on warfarin
    rule = next(r for r in load().rules.rules if r.id == "progressive_pulmonary_fibrosis")
    assert "see the withheld list" not in rule.text
    assert "anticoagulant" in rule.text


def test_a_toddlers_breathing_muscles_are_not_measured_by_adult_spirometry() -> None:
    # Z24d P1 (and Z22b P7): 'FVC sitting and supine ... below 50 %' for a 2-year-old
    plan = make_plan(**_CHILD, sex="male", weight_kg=12, height_cm=86,
                     classification={"age_at_onset": 2}, months_since_onset=1,
                     organs={"respiratory_muscle_weakness": True, "dysphagia": "severe"})
    texts = " ".join(a.text for a in plan.do_now)
    assert "FVC sitting and supine" not in texts and "FVC is below 50 %" not in texts
    assert "where spirometry cannot be done" in texts
    adult = make_plan(organs={"respiratory_muscle_weakness": True})
    assert "FVC sitting and supine" in " ".join(a.text for a in adult.do_now)


def test_no_doxycycline_for_a_child_under_12_with_a_penicillin_allergy() -> None:
    # Z24d P3: doxycycline offered to a 9-year-old with an infected calcinosis deposit
    plan = make_plan(**_CHILD, sex="male", weight_kg=28, height_cm=132,
                     classification={"age_at_onset": 5}, months_since_onset=48,
                     allergies=["penicillin"], systemic={"fever": True},
                     skin={"heliotrope_rash": True, "calcinosis": True,
                           "cutaneous_ulceration": True},
                     comorbidities={"active_infection": True, "infection_focus": "skin_soft_tissue"})
    texts = " ".join(a.text for a in plan.do_now)
    assert "clindamycin or doxycycline" not in texts
    assert "not doxycycline under 12 years" in texts


def test_a_drug_the_approach_holds_has_no_routine_monitoring_date() -> None:
    # Z24d P3: methotrexate held during an infection, next routine check 12 weeks away
    plan = make_plan(comorbidities={"active_infection": True, "infection_focus": "skin_soft_tissue"},
                     systemic={"fever": True}, months_since_onset=30,
                     treatments=[{"therapy": "methotrexate", "start": "2024-01-01",
                                  "dose_value": 20, "dose_unit": "mg/week"}])
    assert any(e.startswith("Hold Methotrexate") for r in plan.regimens for e in r.first_choice)
    item = next(m for m in plan.monitoring if m.therapy == "Methotrexate")
    assert item.next_due.startswith("when it restarts"), item.next_due


def test_missed_doses_not_a_dose_below_the_range_explain_an_inadequate_response() -> None:
    # Z24c P7: 'raise methotrexate (not yet an adequate trial)' beside 'restore the missed
    # doses' for a 17-year-old on 20 mg/week for 4 years with partial adherence
    mtx = {"therapy": "methotrexate", "start": "2022-11-10", "dose_value": 20,
           "dose_unit": "mg/week", "route": "sc", "response": "partial"}
    base = dict(**_CHILD, sex="female", weight_kg=48, height_cm=158,
                classification={"age_at_onset": 12}, months_since_onset=60,
                diagnosis={"subgroup": "jdm"}, skin_refractory=True)
    missed = make_plan(**base, treatments=[{**mtx, "adherence": "partial"}])
    entries = [e for r in missed.regimens for e in r.first_choice]
    assert not any(e.startswith("Raise Methotrexate") for e in entries), entries
    assert any(e.startswith("Restore Methotrexate") for e in entries)
    taken = make_plan(**base, treatments=[{**mtx, "adherence": "good"}])
    assert any(e.startswith("Raise Methotrexate")
               for r in taken.regimens for e in r.first_choice)


def test_the_admit_line_names_the_organ_and_stable_ckd_is_not_a_kidney_injury() -> None:
    # Z24b P4: 'URGENT An organ is threatened: admit today' naming no organ, for an improving
    # outpatient with CK 65 x ULN and falling, and a stable eGFR of 23 from known CKD
    ckd = make_plan(classification={"age_at_onset": 81}, months_since_onset=4,
                    comorbidities={"renal_impairment": True},
                    labs={"enzymes": {"ck": {"value": 12400, "uln": 190}}},
                    lab_results=[lab("egfr", 23, "mL/min/1.73m2"),
                                 lab("creatinine", 225, "umol/L", 110)])
    assert "organ_threatening_admit" not in do_now(ckd)
    breathing = make_plan(organs={"respiratory_muscle_weakness": True})
    line = next(a.text for a in breathing.do_now if a.code == "organ_threatening_admit")
    assert line.startswith("An organ is threatened (breathing-muscle weakness): ")


def test_a_calcinosis_bisphosphonate_with_dysphagia_is_intravenous() -> None:
    # Z24b P2 (and Z23c P7): oral alendronate offered for calcinosis beside 'no oral
    # bisphosphonate' with dysphagia
    plan = make_plan(sex="male", skin={"heliotrope_rash": True, "calcinosis": True,
                                       "cutaneous_ulceration": True},
                     organs={"dysphagia": "moderate",
                             "calcinosis_lesions": [{"site": "elbow", "size_mm": 25,
                                                     "ulcerated": True}]},
                     months_since_onset=40)
    calcinosis = next(r for r in plan.regimens if r.domain == "calcinosis")
    entries = [*calcinosis.first_choice, *calcinosis.alternatives]
    bisphosphonate = next(e for e in entries if e.startswith("Bisphosphonates"))
    assert "IV pamidronate only" in bisphosphonate

"""Findings of the Z6 re-score and specialist review Z7 fixed in December 2026. SYNTHETIC
patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan

CHILD = {"date_of_birth": "2018-02-01", "weight_kg": 26, "months_since_onset": 6,
         "classification": {**ADULT_DM["classification"], "age_at_onset": 8}}
ON_PRED_MTX = [{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                "start": "2026-06-01"},
               {"therapy": "methotrexate", "start": "2026-06-01"}]


def test_jdm_gut_vasculopathy_during_an_infection_is_treated_now_not_deferred() -> None:
    """Z6 re-score (dangerous): abdominal pain in JDM during a pneumonia - 'continue oral
    glucocorticoids' while nil by mouth, and IV pulses deferred 'once the infection is
    treated' beside the urgent line that treats the gut vasculopathy now."""
    plan = make_plan(**CHILD, organs={"gut_symptoms": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     treatments=ON_PRED_MTX)
    assert do_now(plan)["jdm_gut_vasculopathy"] == "urgent"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Glucocorticoid IV") for e in muscle.first_choice)
    assert not any(e.startswith("Continue Oral glucocorticoids") for e in muscle.first_choice)
    assert any(e.startswith("Hold Methotrexate") for e in muscle.first_choice)
    assert not any("methylprednisolone" in a.lower() for a in muscle.alternatives)


def test_a_do_now_line_ordering_a_test_says_the_result_already_on_record() -> None:
    """Z5/Z6 reviews: 'troponin I' ordered beside a raised troponin I taken the day before,
    and 'HBV DNA now' beside an undetectable HBV DNA, read as a tool that had not read the
    chart. The line keeps its order (a repeat may be needed) and names the latest result."""
    plan = make_plan(organs={"cardiac": "suspected"},
                     lab_results=[lab("troponin_i", 85, "ng/L", 26, "2026-11-30")],
                     infection_screening={
                         "hbsag": {"result": "negative", "date": "2026-10-01"},
                         "anti_hbc": {"result": "positive", "date": "2026-10-01"},
                         "hbv_dna": {"result": "negative", "date": "2026-10-01"}})
    texts = {a.code: a.text for a in plan.do_now}
    assert "On record: troponin I 85 ng/L (ULN 26) on 2026-11-30." in \
        texts["cardiac_involvement_confirmed"]
    assert "On record: HBV DNA negative (undetectable) on 2026-10-01." in \
        texts["anti_hbc_positive"]
    # nothing on record, nothing said
    bare = make_plan(organs={"cardiac": "suspected"})
    assert all("On record:" not in a.text for a in bare.do_now)


def test_a_visit_with_only_a_raised_alt_does_not_hide_the_normal_ck() -> None:
    """Z7b P4 (dangerous): a pregnant 16-year-old with CK 0.8 x ULN and MMT-8 76/80 was
    called 'inadequate response' (the visit carried only the raised ALT) and switched to
    IVIG."""
    plan = make_plan(**{**CHILD, "date_of_birth": "2010-05-01", "weight_kg": 49,
                        "months_since_onset": 110},
                     reproduction={"pregnant": True},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 190, "unit": "U/L",
                                              "date": "2026-11-30"}}},
                     lab_results=[lab("alt", 78, "U/L", 35, "2026-11-30")],
                     visits=[{"date": "2026-11-30",
                              "core_set": {"physician_global": 2.5, "mmt8": 76, "mmt_max": 80}}],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2019-04-01",
                                  "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "stable"
    assert not any("immunoglobulin" in e.lower() for r in plan.regimens for e in r.first_choice)


def test_a_steady_slightly_weak_muscle_beside_progressive_ild_is_not_escalated() -> None:
    """Z7c P4 (dangerous): MMT-8 76 then 75/80 with CK 1.2 x ULN in anti-PL-7 ILD failing
    mycophenolate - 'muscle active' and azathioprine added for it."""
    visit = {"core_set": {"physician_global": 3, "patient_global": 3, "mmt8": 76, "mmt_max": 80,
                          "extramuscular_global": 3}}
    plan = make_plan(
        antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
        skin={"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-30", "fvc_percent_predicted": 62, "hrct_pattern": "nsip",
              "course": "progressive"},
        labs={"enzymes": {"ck": {"value": 240, "uln": 200, "unit": "U/L",
                                 "date": "2026-11-30"}}},
        visits=[{**visit, "date": "2025-11-20"},
                {"date": "2026-11-30", "core_set": {**visit["core_set"], "mmt8": 75,
                                                    "physician_global": 5,
                                                    "extramuscular_global": 6}}],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                     "start": "2024-07-02"},
                    {"therapy": "mycophenolate", "start": "2024-08-01", "outcome": "ineffective"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "stable"
    assert not any("Azathioprine" in e for e in muscle.first_choice)

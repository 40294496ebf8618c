"""Findings of specialist review round Z41 (clinical pharmacology and pharmacy, nephrology,
general practice, respiratory medicine and ILD) and of open findings carried over from Z40,
fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, make_plan

MDA5_RP_ILD = {
    "diagnosis": {"subgroup": "adm"},
    "antibodies": {"mda5": {"status": "positive", "level": "strong"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True,
                 "dyspnoea_or_cough": True},
    "lung_measures": [{"date": "2026-11-25", "fvc_percent_predicted": 55,
                       "hrct_pattern": "nsip_op", "oxygen": "at_rest",
                       "course": "rapidly_progressive"}],
}


def _first_choices(plan: CarePlan, domain: str) -> list[str]:
    return next(r for r in plan.regimens if r.domain == domain).first_choice


def test_cyclophosphamide_first_choice_says_breastfeeding_stops() -> None:
    """Z40 carried over (dangerous): cyclophosphamide the first choice for a breastfeeding
    mother, its breastfeeding stop only in the options table."""
    nursing = make_plan(**MDA5_RP_ILD, reproduction={"pregnant": False, "breastfeeding": True})
    cyc = [e for e in _first_choices(nursing, "lung") if "Cyclophosphamide" in e]
    assert cyc and all("not with breastfeeding" in e for e in cyc), cyc
    not_nursing = make_plan(**MDA5_RP_ILD)
    assert not any("not with breastfeeding" in e for e in _first_choices(not_nursing, "lung"))


GC_40 = {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
         "dose_unit": "mg/day", "outcome": "ongoing"}


def test_prophylaxis_line_asks_about_co_trimoxazole_already_taken() -> None:
    """Z40 carried over: 'PJP prophylaxis due now ... co-trimoxazole' for a patient whose other
    medicines already hold co-trimoxazole."""
    taking = make_plan(other_medicines=["co_trimoxazole"], treatments=[GC_40], weight_kg=70)
    line = next(a.text for a in taking.do_now if a.code == "pjp_prophylaxis_due_glucocorticoid_dose")
    assert "already recorded among the other medicines" in line
    not_taking = make_plan(treatments=[GC_40], weight_kg=70)
    line = next(a.text for a in not_taking.do_now
                if a.code == "pjp_prophylaxis_due_glucocorticoid_dose")
    assert "already recorded" not in line


def test_high_risk_cancer_screen_is_done_in_the_same_admission() -> None:
    """Z40b P7 carried over: an 81-year-old with anti-TIF1-gamma and severe dysphagia, the
    cancer screen left 'once the urgent problem is stabilised'."""
    tif1g = {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}}
    plan = make_plan(date_of_birth="1945-03-01", classification={"age_at_onset": 81},
                     antibodies=tif1g, organs={"dysphagia": "severe"})
    line = next(a.text for a in plan.do_now if a.code == "cancer_screening_due")
    assert "within the same admission" in line
    moderate = make_plan(diagnosis={"subgroup": "asys"}, organs={"dysphagia": "severe"},
                         antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                         classification={"age_at_onset": 30})
    line = next(a.text for a in moderate.do_now if a.code == "cancer_screening_due")
    assert "high risk" not in line, line
    assert "once the urgent problem is stabilised" in line and "same admission" not in line


def test_swallow_is_asked_in_an_older_patient_with_active_imnm() -> None:
    """Z40b carried over (dangerous omission): an 86-year-old with active anti-HMGCR myopathy
    and no word on swallowing."""
    imnm = {"date_of_birth": "1940-03-01", "classification": {"age_at_onset": 86},
            "diagnosis": {"subgroup": "imnm"}, "skin": {},
            "antibodies": {"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
            "labs": {"enzymes": {"ck": {"value": 8000, "uln": 200}}}}
    assert do_now(make_plan(**imnm))["swallow_not_assessed"] == "soon"
    younger = {**imnm, "date_of_birth": "1962-03-01", "classification": {"age_at_onset": 64}}
    assert do_now(make_plan(**younger))["swallow_not_assessed_routine"] == "routine"
    assert "swallow_not_assessed" not in do_now(make_plan(**imnm, organs={"dysphagia": "none"}))

"""Findings of blind specialist reviews Z21-Z23 fixed in this round (SYNTHETIC patients)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan

_ON_METHOTREXATE = [
    {"therapy": "methotrexate", "start": "2026-03-01", "dose_value": 20,
     "dose_unit": "mg/week", "outcome": "ongoing"},
    {"therapy": "glucocorticoids_oral", "start": "2026-03-01", "dose_value": 7.5,
     "dose_unit": "mg/day", "outcome": "ongoing"}]


def _visit(date: str, patient_global: float, haq: float, alt: float) -> dict[str, object]:
    return {"date": date, "core_set": {"physician_global": 2, "patient_global": patient_global,
                                       "extramuscular_global": 1, "mmt8": 76, "haq": haq},
            "labs": {"enzymes": {"alt": {"value": alt, "uln": 35}}}}


def test_a_liver_alt_on_the_visit_form_is_not_a_muscle_flare_beside_a_normal_ck() -> None:
    # Z21a P7: the visit form carried only the ALT (methotrexate liver rise, 4 x ULN); the
    # normal CK of the same day sat in the laboratory series, and the plan called a flare
    plan = make_plan(
        months_since_onset=9, treatments=_ON_METHOTREXATE, labs={"enzymes": {}},
        visits=[_visit("2026-08-01", 2, 0.3, 30), _visit("2026-11-25", 5, 0.6, 140)],
        lab_results=[
            {"analyte": "ck", "value": 150, "unit": "U/L", "uln": 200, "date": "2026-08-01"},
            {"analyte": "ck", "value": 160, "unit": "U/L", "uln": 200, "date": "2026-11-25"},
            {"analyte": "alt", "value": 140, "unit": "U/L", "uln": 35, "date": "2026-11-25"}])
    assert plan.state is not None
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert muscle.state != "flare", muscle.basis
    assert plan.state.worsening_vs_previous is None


def test_aldolase_without_ck_is_the_muscle_measure_not_the_alt() -> None:
    visit = {"core_set": {"physician_global": 2, "patient_global": 5,
                          "extramuscular_global": 1, "mmt8": 76, "haq": 0.6}}
    plan = make_plan(
        months_since_onset=9, treatments=_ON_METHOTREXATE, labs={"enzymes": {}},
        visits=[{**visit, "date": "2026-08-01",
                 "core_set": {**visit["core_set"], "patient_global": 2, "haq": 0.3},
                 "labs": {"enzymes": {"aldolase": {"value": 6, "uln": 7.6},
                                      "alt": {"value": 30, "uln": 35}}}},
                {**visit, "date": "2026-11-25",
                 "labs": {"enzymes": {"aldolase": {"value": 6.5, "uln": 7.6},
                                      "alt": {"value": 140, "uln": 35}}}}])
    assert plan.state is not None
    assert plan.state.worsening_vs_previous is None


_MTX_AT_28 = {"classification": {"age_at_onset": 28}, "months_since_onset": 9,
              "treatments": _ON_METHOTREXATE}


def test_a_coil_or_implant_recorded_counts_as_effective_contraception() -> None:
    plan = make_plan(**_MTX_AT_28, reproduction={"pregnant": False, "planning_conception": False,
                                                 "breastfeeding": False,
                                                 "contraception": ["implant"]})
    codes = set(do_now(plan))
    assert not codes & {"teratogen_taken_without_contraception", "contraception_with_teratogen"}


def test_condoms_alone_are_not_effective_contraception_with_a_teratogen() -> None:
    plan = make_plan(**_MTX_AT_28, reproduction={"pregnant": False, "planning_conception": False,
                                                 "breastfeeding": False,
                                                 "contraception": ["condom_or_barrier"]})
    assert do_now(plan).get("teratogen_taken_without_contraception") == "urgent"


def test_no_method_recorded_stays_unknown_not_no() -> None:
    plan = make_plan(**_MTX_AT_28, reproduction={"pregnant": False, "planning_conception": False,
                                                 "breastfeeding": False})
    codes = set(do_now(plan))
    assert "teratogen_taken_without_contraception" not in codes
    assert "contraception_with_teratogen" in codes


def test_a_combined_pill_after_a_clot_is_named_and_changed() -> None:
    plan = make_plan(**_MTX_AT_28,
                     comorbidities={"thrombosis_history": True, "last_thrombosis": "2025-02-01"},
                     reproduction={"pregnant": False, "planning_conception": False,
                                   "breastfeeding": False,
                                   "contraception": ["combined_hormonal"]})
    codes = do_now(plan)
    assert "combined_contraception_with_clot_risk" in codes
    assert "contraception_without_oestrogen" not in codes
    coil = make_plan(**_MTX_AT_28, comorbidities={"thrombosis_history": True},
                     reproduction={"pregnant": False, "planning_conception": False,
                                   "breastfeeding": False, "contraception": ["copper_iud"]})
    assert not set(do_now(coil)) & {"combined_contraception_with_clot_risk",
                                    "contraception_without_oestrogen"}

"""Since the last visit: the flare the issue found hidden behind a TIS against an old baseline.
All patients SYNTHETIC."""

from __future__ import annotations

from typing import Any

from myositis.services.course import course
from tests.services.careplan.conftest import make_plan, make_record


def _visit(date: str, pga: float, mmt: int, ck: int, pred: float, **extra: Any) -> dict[str, Any]:
    return {"date": date, "core_set": {"physician_global": pga, "mmt8": mmt, **extra},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}},
            "glucocorticoid_mg_per_day": pred}


FLARE_VISITS = [
    _visit("2022-03-01", 7.0, 50, 4000, 60, patient_global=7.0, extramuscular_global=3.0,
           haq=2.0),
    _visit("2026-05-01", 0.9, 76, 115, 5, patient_global=1.0, extramuscular_global=0.5,
           haq=0.25),
    _visit("2026-11-20", 3.2, 70, 640, 15, patient_global=1.5, extramuscular_global=0.5,
           haq=0.25),
]


def test_flare_from_the_issue_is_never_silent() -> None:
    record = make_record(visits=FLARE_VISITS, months_since_onset=57)
    change = course(record)
    assert (change.latest, change.previous) == (record.visits[-1].date, record.visits[-2].date)
    worse = {c.measure for c in change.changes if c.worse}
    assert worse == {"physician_global", "enzyme_x_uln", "glucocorticoid_mg_per_day"}
    assert change.worse
    plan = make_plan(visits=FLARE_VISITS, months_since_onset=57)
    codes = {f.code for f in plan.flags}
    assert codes & {"flare", "worse_since_last_visit"}
    # The TIS is always labelled with the two visits it compares, vs baseline and vs previous.
    compared = [r.compared for r in change.responses if r.measure.startswith("TIS")]
    assert any("vs previous visit 2026-05-01" in c for c in compared)
    assert any("vs baseline 2022-03-01" in c for c in compared)


def test_imacs_worsening_met_is_a_red_flare() -> None:
    visits = [_visit("2026-01-01", 1.0, 78, 150, 5, patient_global=1.0, haq=0.2),
              _visit("2026-06-01", 4.0, 60, 900, 5, patient_global=5.0, haq=1.0)]
    plan = make_plan(visits=visits)
    flare = next(f for f in plan.flags if f.code == "flare")
    assert flare.urgency == "urgent"
    assert "2026-06-01 vs 2026-01-01" in flare.text


def test_stable_visit_raises_nothing() -> None:
    visits = [_visit("2026-01-01", 1.0, 78, 150, 5), _visit("2026-06-01", 1.2, 78, 160, 5)]
    change = course(make_record(visits=visits))
    assert not change.worse and not change.signals
    codes = {f.code for f in make_plan(visits=visits).flags}
    assert not codes & {"flare", "worse_since_last_visit"}


def test_missing_measures_are_not_read_as_unchanged() -> None:
    visits = [{"date": "2026-01-01", "core_set": {"physician_global": 1.0}},
              {"date": "2026-06-01", "core_set": {"physician_global": 3.5}}]
    change = course(make_record(visits=visits))
    assert change.signals and change.worsening is not None
    assert change.worsening.met is None  # too few measures to decide the IMACS rule
    mmt = next(c for c in change.changes if c.measure == "mmt")
    assert mmt.change is None and not mmt.worse


def test_one_visit_has_nothing_to_compare() -> None:
    change = course(make_record(visits=[_visit("2026-01-01", 1.0, 78, 150, 5)]))
    assert change.previous is None and not change.worse


def test_rp_ild_alarm_clears_when_lung_recently_stable() -> None:
    mda5 = {"antibodies": {"mda5": {"status": "positive"}},
            "systemic": {"interstitial_lung_disease": True}}
    active = make_plan(**mda5)
    assert "suspected_rp_ild" in {f.code for f in active.flags}
    stable = make_plan(**mda5, lung={"date": "2026-10-01", "course": "stable",
                                     "fvc_percent_predicted": 92})
    assert "suspected_rp_ild" not in {f.code for f in stable.flags}
    old = make_plan(**mda5, lung={"date": "2024-10-01", "course": "stable"})
    assert "suspected_rp_ild" in {f.code for f in old.flags}


def test_starting_glucocorticoids_is_induction_not_worsening() -> None:
    induction = [_visit("2026-10-01", 6.0, 50, 3000, 0), _visit("2026-11-20", 4.0, 60, 900, 30)]
    change = course(make_record(visits=induction))
    assert not any(c.worse for c in change.changes if c.measure == "glucocorticoid_mg_per_day")
    restarted = [_visit("2025-01-01", 6.0, 50, 3000, 40), _visit("2026-06-01", 0.5, 80, 100, 0),
                 _visit("2026-11-20", 1.0, 78, 150, 20)]
    change = course(make_record(visits=restarted))
    assert any(c.worse for c in change.changes if c.measure == "glucocorticoid_mg_per_day")

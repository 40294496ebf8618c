"""Response prediction, validated honestly, on SYNTHETIC registries with a planted effect: the
planted odds ratio is recovered, the noise feature is not selected, a registry with nothing
planted does not beat chance, small cells stay suppressed, and the command writes a model card
that says it is a research tool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myositis.analytics import score_visits
from myositis.analytics.prediction import Validation, synthetic_registry, validate
from myositis.cli import app
from myositis.errors import InputError


@pytest.fixture(scope="module")
def planted() -> Validation:
    visits, patients = synthetic_registry(1500, seed=7, jo1_odds_ratio=3.0)
    return validate(score_visits(visits), patients, permutations=30)


def test_the_planted_effect_is_recovered_and_the_noise_feature_is_not(
        planted: Validation) -> None:
    assert 2.2 <= planted.odds_ratios["anti_jo1"] <= 4.2  # planted 3.0
    assert 0.8 <= planted.odds_ratios["male"] <= 1.25  # sex: nothing planted
    assert planted.auc["logistic_l1"] > 0.58 and planted.auc_ci["logistic_l1"][0] > 0.5
    assert planted.permutation_p < 0.05
    assert planted.grouped_by == "patient"


def test_a_registry_with_nothing_planted_does_not_beat_chance() -> None:
    visits, patients = synthetic_registry(600, seed=3, jo1_odds_ratio=1.0)
    result = validate(score_visits(visits), patients, permutations=30)
    low, high = result.auc_ci["logistic_l1"]
    assert low < 0.5 < high and result.permutation_p > 0.05


def test_calibration_suppresses_small_cells(planted: Validation) -> None:
    assert len(planted.calibration) == 5
    for band in planted.calibration:
        assert band.patients is None or band.patients >= 5
    small_visits, small_patients = synthetic_registry(60, seed=11)
    result = validate(score_visits(small_visits), small_patients, min_cell=5, permutations=10)
    for band in result.calibration:
        if band.observed is not None:
            assert band.patients is not None and band.patients >= 5


def test_a_registry_too_small_to_validate_is_refused() -> None:
    visits, patients = synthetic_registry(25, seed=5)
    with pytest.raises(InputError, match="validation needs at least 40"):
        validate(score_visits(visits), patients)


def test_the_command_writes_a_model_card_labelled_research_use(tmp_path: Path) -> None:
    visits, patients = synthetic_registry(300, seed=9)
    visits.write_csv(tmp_path / "visits.csv")
    patients.write_csv(tmp_path / "patients.csv")
    result = CliRunner().invoke(app, [
        "registry", "predict", str(tmp_path / "visits.csv"), "--patients",
        str(tmp_path / "patients.csv"), "--out", str(tmp_path / "model.json"),
        "--permutations", "10"])
    assert result.exit_code == 0, result.output
    body = json.loads((tmp_path / "model.json").read_text())
    assert "individual patient" in body["model_card"]["not_for"]
    assert set(body["auc"]) == {"logistic_l1", "gradient_boosting"}
    html = CliRunner().invoke(app, [
        "registry", "predict", str(tmp_path / "visits.csv"), "--patients",
        str(tmp_path / "patients.csv"), "--out", str(tmp_path / "model.html"),
        "--permutations", "10"])
    assert html.exit_code == 0 and "Research use only" in (tmp_path / "model.html").read_text()
    assert not list(tmp_path.glob("*.partial"))

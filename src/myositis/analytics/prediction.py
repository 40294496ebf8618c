"""Response at 6 months from baseline features: a research tool, validated honestly.

The outcome is a moderate or major 2016 ACR/EULAR response against baseline at the scored visit
nearest 6 months (within the cohort report's window), as `registry report` counts it. The
features are what a registry holds at baseline: sex, age at onset, subgroup, the antibodies,
the most abnormal muscle enzyme (CK as a multiple of its ULN, log scale), MMT-8 as a share of
its maximum, and, where the patients table has them, ``ild`` (true/false), ``first_treatment``
and ``site``.

Two models are fitted, a regularised (L1) logistic regression and gradient boosting
(scikit-learn). Validation never scores a patient with a model that saw them: out-of-fold
predictions from 5-fold cross-validation grouped by site when a site column exists, else by
patient. Reported: the AUC of each model with a bootstrap 95 % interval, a permutation test of
the logistic model against shuffled outcomes, a calibration table (quintiles of predicted risk;
a group's observed rate is shown only when its responders and non-responders both reach the
small-cell threshold), the odds ratios of the logistic model, and a model card saying what the
model may and may not be used for. It is not a clinical prediction and must never steer one
patient's treatment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, cross_val_predict, permutation_test_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from myositis.analytics.cohort import MIN_CELL, WINDOW_DAYS
from myositis.errors import InputError

HORIZON_MONTHS = 6
RESPONDED = ("moderate", "major")
ANTIBODIES = ("jo1", "pl7", "pl12", "mda5", "tif1g", "nxp2", "mi2", "sae", "hmgcr", "srp",
              "ro52", "pmscl")
SUBGROUPS = ("dm", "adm", "pm", "imnm", "asys", "jdm", "overlap", "ibm")
CONTINUOUS = ("age_at_onset", "log2_enzyme_x_uln", "mmt_fraction")
MIN_PATIENTS = 40
FOLDS = 5

MODEL_CARD = {
    "name": "myositis response at 6 months (research model)",
    "intended_use": ("Research on registry data: which baseline features go with a moderate or "
                     "major response at 6 months, and how well they separate responders, as a "
                     "hypothesis to test in a prospective study."),
    "not_for": ("Decisions about an individual patient's treatment or prognosis; patients or "
                "registries unlike the one it was fitted on; any use without the validation "
                "figures beside it."),
    "outcome": ("2016 ACR/EULAR total improvement score against baseline, moderate or major, "
                "at the scored visit nearest 6 months (within 45 days)."),
    "validation": ("Out-of-fold predictions (5-fold cross-validation grouped by site, else by "
                   "patient), bootstrap 95 % interval of the AUC, a permutation test against "
                   "shuffled outcomes, and a calibration table."),
    "limitations": ("Observational data: associations, not effects of treatment. Patients "
                    "without a scored visit near 6 months are left out, which can bias the "
                    "cohort. Rare antibodies carry little information. Counts under the "
                    "small-cell threshold are suppressed."),
}


@dataclass
class Calibration:
    band: str
    mean_predicted: float
    observed: float | None  # None: suppressed (too few responders or non-responders)
    patients: int | None    # None: fewer than min_cell


@dataclass
class Validation:
    patients: int
    responders: int | None
    auc: dict[str, float]
    auc_ci: dict[str, tuple[float, float]]
    permutation_p: float
    calibration: list[Calibration]
    odds_ratios: dict[str, float]
    grouped_by: str
    card: dict[str, str] = field(default_factory=lambda: dict(MODEL_CARD))

    def records(self) -> dict[str, Any]:
        return {"patients": self.patients, "responders": self.responders,
                "auc": self.auc, "auc_ci": {k: list(v) for k, v in self.auc_ci.items()},
                "permutation_p": self.permutation_p, "grouped_by": self.grouped_by,
                "calibration": [c.__dict__ for c in self.calibration],
                "odds_ratios": self.odds_ratios, "model_card": self.card}


def _outcomes(scored: pl.DataFrame) -> pl.DataFrame:
    target = pl.col("baseline_date") + pl.duration(days=round(HORIZON_MONTHS * 30.4375))
    near = (scored.filter(pl.col("response_vs_baseline").is_not_null())
            .with_columns((pl.col("visit_date") - target).dt.total_days().abs().alias("_gap"))
            .filter(pl.col("_gap") <= WINDOW_DAYS).sort("patient_id", "_gap", "visit_date"))
    return near.group_by("patient_id", maintain_order=True).first().select(
        "patient_id", pl.col("response_vs_baseline").is_in(RESPONDED).cast(pl.Int8)
        .alias("responded"))


def _baseline(scored: pl.DataFrame) -> pl.DataFrame:
    """Enzyme and strength at the baseline visit (the first complete one)."""
    ratios = [pl.col(e) / pl.col(f"{e}_uln") for e in ("ck", "aldolase", "ldh", "ast", "alt")
              if e in scored.columns and f"{e}_uln" in scored.columns]
    base = scored.filter(pl.col("visit_date") == pl.col("baseline_date"))
    return base.group_by("patient_id", maintain_order=True).first().select(
        "patient_id",
        pl.max_horizontal(*ratios).clip(lower_bound=0.01).log(2).alias("log2_enzyme_x_uln"),
        (pl.col("mmt8") / pl.col("mmt_max")).alias("mmt_fraction"))


def features(scored: pl.DataFrame, patients: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """One row per patient with an outcome: the feature columns and ``responded``."""
    people = patients.with_columns(
        pl.col("antibodies").fill_null("").str.to_lowercase().str.split(";").alias("_abs"),
        pl.col("subgroup").fill_null("").str.to_lowercase(),
        (pl.col("sex").fill_null("") == "male").cast(pl.Int8).alias("male"))
    columns = ["male", "age_at_onset", "log2_enzyme_x_uln", "mmt_fraction"]
    people = people.with_columns(
        *[pl.col("_abs").list.contains(a).cast(pl.Int8).alias(f"anti_{a}") for a in ANTIBODIES],
        *[(pl.col("subgroup") == g).cast(pl.Int8).alias(f"subgroup_{g}") for g in SUBGROUPS])
    columns += [f"anti_{a}" for a in ANTIBODIES] + [f"subgroup_{g}" for g in SUBGROUPS]
    if "ild" in people.columns:
        people = people.with_columns(
            pl.col("ild").cast(pl.String).str.to_lowercase().is_in(["true", "1", "yes"])
            .cast(pl.Int8).alias("ild"))
        columns.append("ild")
    if "first_treatment" in people.columns:
        treatments = sorted(t for t in people["first_treatment"].drop_nulls().unique().to_list()
                            if t)
        people = people.with_columns(*[(pl.col("first_treatment") == t).cast(pl.Int8)
                                       .alias(f"first_{t}") for t in treatments[1:]])
        columns += [f"first_{t}" for t in treatments[1:]]
    baseline = ("log2_enzyme_x_uln", "mmt_fraction")
    keep = ["patient_id", *(["site"] if "site" in people.columns else []),
            *[c for c in columns if c not in baseline]]
    table = (people.with_columns(pl.col("patient_id").cast(pl.String)).select(keep)
             .join(_baseline(scored), on="patient_id", how="left")
             .join(_outcomes(scored), on="patient_id", how="inner"))
    # constant columns (an antibody nobody has) carry nothing and are left out
    used = [c for c in columns if table[c].drop_nulls().n_unique() > 1]
    return table, used


def _logistic() -> Pipeline:
    return Pipeline([("scale", StandardScaler()),
                     ("model", LogisticRegression(l1_ratio=1.0, solver="liblinear", C=0.5,
                                                  random_state=0, max_iter=1000))])


def _impute(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    medians = np.nanmedian(x, axis=0)
    medians = np.where(np.isnan(medians), 0.0, medians)
    return np.where(np.isnan(x), medians, x)


def _auc_ci(y: np.ndarray[Any, Any], p: np.ndarray[Any, Any],
            rng: np.random.Generator, rounds: int = 500) -> tuple[float, float]:
    values = []
    n = len(y)
    for _ in range(rounds):
        pick = rng.integers(0, n, n)
        if 0 < y[pick].sum() < n:
            values.append(roc_auc_score(y[pick], p[pick]))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _calibration(y: np.ndarray[Any, Any], p: np.ndarray[Any, Any],
                 min_cell: int) -> list[Calibration]:
    edges = np.quantile(p, [0.2, 0.4, 0.6, 0.8])
    band = np.searchsorted(edges, p, side="right")
    out = []
    for b in range(5):
        members = band == b
        n = int(members.sum())
        if n == 0:
            continue
        x = int(y[members].sum())
        shown = n >= min_cell and x >= min_cell and n - x >= min_cell
        out.append(Calibration(band=f"quintile {b + 1}",
                               mean_predicted=round(float(p[members].mean()), 3),
                               observed=round(x / n, 3) if shown else None,
                               patients=n if n >= min_cell else None))
    return out


def validate(scored: pl.DataFrame, patients: pl.DataFrame, min_cell: int = MIN_CELL,
             permutations: int = 100, seed: int = 2026) -> Validation:
    """Fit and validate both models on ``scored`` (from `score_visits`) and the patients
    table. Refuses a cohort too small to validate (fewer than 40 patients with an outcome, or
    fewer than 2 x min_cell responders or non-responders)."""
    table, columns = features(scored, patients)
    y = table["responded"].to_numpy().astype(int)
    responders = int(y.sum())
    if len(y) < MIN_PATIENTS or min(responders, len(y) - responders) < 2 * min_cell:
        raise InputError([("patients", f"{len(y)} patients have a scored visit near 6 months; "
                           f"validation needs at least {MIN_PATIENTS}, with at least "
                           f"{2 * min_cell} responders and {2 * min_cell} non-responders")])
    x = _impute(table.select(columns).cast(pl.Float64).to_numpy())
    grouped_by = "site" if "site" in table.columns else "patient"
    groups = table["site" if grouped_by == "site" else "patient_id"].to_numpy()
    folds = GroupKFold(n_splits=min(FOLDS, len(np.unique(groups))))
    rng = np.random.default_rng(seed)
    models = {"logistic_l1": _logistic(),
              "gradient_boosting": HistGradientBoostingClassifier(
                  max_iter=150, learning_rate=0.05, max_depth=3, random_state=seed)}
    auc: dict[str, float] = {}
    ci: dict[str, tuple[float, float]] = {}
    predicted: dict[str, np.ndarray[Any, Any]] = {}
    for name, model in models.items():
        p = cross_val_predict(model, x, y, groups=groups, cv=folds,
                              method="predict_proba")[:, 1]
        predicted[name] = p
        auc[name] = round(float(roc_auc_score(y, p)), 3)
        low, high = _auc_ci(y, p, rng)
        ci[name] = (round(low, 3), round(high, 3))
    # the folds are fixed first: passing the groups to the permutation test would shuffle the
    # outcomes only within each group, which for one patient per group shuffles nothing
    splits = list(folds.split(x, y, groups))
    _, _, p_value = permutation_test_score(
        _logistic(), x, y, cv=splits, n_permutations=permutations, scoring="roc_auc",
        random_state=seed)
    fitted = _logistic().fit(x, y)
    scale = fitted.named_steps["scale"].scale_
    coefficients = fitted.named_steps["model"].coef_[0] / scale  # per unit, not per SD
    odds = {c: round(math.exp(float(b)), 3) for c, b in zip(columns, coefficients, strict=True)}
    return Validation(patients=len(y),
                      responders=responders if responders >= min_cell else None,
                      auc=auc, auc_ci=ci, permutation_p=round(float(p_value), 4),
                      calibration=_calibration(y, predicted["logistic_l1"], min_cell),
                      odds_ratios=odds, grouped_by=grouped_by)


def synthetic_registry(n_patients: int, seed: int = 7, jo1_odds_ratio: float = 3.0,
                       base_rate: float = 0.35) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A SYNTHETIC registry (visits and patients tables in the documented formats) with one
    planted effect: anti-Jo-1 multiplies the odds of a 6-month response by ``jo1_odds_ratio``;
    sex has no effect (the noise feature). Responders improve on every core set measure at 6
    months (a major TIS), non-responders stay as they were (TIS none)."""
    rng = np.random.default_rng(seed)
    import datetime as dt

    visits: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    intercept = math.log(base_rate / (1 - base_rate))
    for i in range(n_patients):
        pid = f"SYN-P{seed}-{i}"
        jo1 = bool(rng.random() < 0.3)
        sex = "male" if rng.random() < 0.4 else "female"
        logit = intercept + (math.log(jo1_odds_ratio) if jo1 else 0.0)
        responded = bool(rng.random() < 1 / (1 + math.exp(-logit)))
        people.append({"patient_id": pid, "sex": sex,
                       # drawn apart from the antibody, so that the planted effect is
                       # identifiable (not clinically realistic: anti-Jo-1 means asys)
                       "subgroup": str(rng.choice(["dm", "pm", "imnm", "asys"])),
                       "antibodies": "jo1" if jo1 else "", "age_at_onset":
                       float(rng.integers(20, 80))})
        start = dt.date(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
        base = {"patient_id": pid, "population": "adult", "mmt_max": 150, "cmas": None,
                "chaq": None, "aldolase": None, "aldolase_uln": None, "ldh": None,
                "ldh_uln": None, "ast": None, "ast_uln": None, "alt": None, "alt_uln": None}
        ck = float(rng.integers(800, 6000))
        visits.append({**base, "visit_date": start, "physician_global": 6.0,
                       "patient_global": 6.0, "extramuscular_global": 3.0,
                       "mmt8": float(rng.integers(95, 125)), "haq": 1.5, "ck": ck,
                       "ck_uln": 200.0})
        later = start + dt.timedelta(days=183 + int(rng.integers(-20, 20)))
        if responded:
            visits.append({**base, "visit_date": later, "physician_global": 1.0,
                           "patient_global": 1.5, "extramuscular_global": 0.5, "mmt8": 145.0,
                           "haq": 0.25, "ck": 150.0, "ck_uln": 200.0})
        else:
            visits.append({**visits[-1], "visit_date": later})
    return pl.DataFrame(visits), pl.DataFrame(people)


__all__ = ["MODEL_CARD", "Validation", "features", "synthetic_registry", "validate"]

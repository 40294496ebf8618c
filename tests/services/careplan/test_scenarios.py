"""One scenario test per line of care, on the bundled synthetic scenarios."""

from __future__ import annotations

from functools import cache

import pytest

from myositis.services.careplan import CarePlan, build_care_plan
from myositis.services.scenarios import load_scenarios

IMMUNOSUPPRESSANTS = {"methotrexate", "azathioprine", "mycophenolate", "glucocorticoids_oral",
                      "methylprednisolone_iv_pulse", "rituximab", "tacrolimus", "ciclosporin",
                      "cyclophosphamide", "tofacitinib", "ivig"}


@cache
def plan(scenario_id: str) -> CarePlan:
    scenario = next(s for s in load_scenarios() if s.id == scenario_id)
    return build_care_plan(scenario)


def therapies(p: CarePlan, line: str | None = None) -> set[str]:
    return {o.therapy for o in p.options if line is None or o.line == line}


def flag_codes(p: CarePlan) -> dict[str, str]:
    return {f.code: f.urgency for f in p.flags}


def test_new_onset_adult_dm() -> None:
    p = plan("SYN-PLAN-01")
    assert (p.classification.subgroup, p.phenotypes) == ("DM", ["dm"])
    assert "glucocorticoids_oral" in therapies(p, "initial")
    assert {"methotrexate", "azathioprine", "mycophenolate"} <= therapies(p, "steroid_sparing")
    assert not therapies(p, "refractory")  # not refractory yet
    assert p.cancer_screening.risk == "high"  # DM + age > 40 at onset
    assert any(t.startswith("enhanced:") for t in p.cancer_screening.tests_due)
    assert "exercise_rehabilitation" in therapies(p)


def test_tif1g_dm_at_60_high_cancer_risk() -> None:
    p = plan("SYN-PLAN-02")
    assert p.cancer_screening.risk == "high"
    assert {"anti_tif1g", "dermatomyositis", "age_over_40_at_onset"} <= {
        f.factor for f in p.cancer_screening.factors}
    assert "cancer_risk" in flag_codes(p)
    assert any("PET" in a for a in p.cancer_screening.additional)
    assert "swallowing" in {w.code for w in p.workup}


def test_mda5_rp_ild_is_urgent() -> None:
    p = plan("SYN-PLAN-03")
    assert p.flags[0].code == "suspected_rp_ild"
    assert p.flags[0].urgency == "urgent"
    assert {w.code: w.urgency for w in p.workup}["hrct_pft"] == "urgent"
    rp = {o.therapy for o in p.options if "rp_ild" in o.complications}
    assert {"tacrolimus", "cyclophosphamide"} <= rp
    assert "methylprednisolone_iv_pulse" in therapies(p)
    assert "tofacitinib" in therapies(p)


def test_antisynthetase_with_ild() -> None:
    p = plan("SYN-PLAN-04")
    assert "asys" in p.phenotypes
    assert {"ild", "ild_risk"} <= set(flag_codes(p))
    ild = {o.therapy for o in p.options if "ild" in o.complications}
    assert {"mycophenolate", "rituximab"} <= ild
    assert p.cancer_screening.risk == "standard"
    assert "hrct_pft" not in {w.code for w in p.workup}  # already done


def test_hmgcr_imnm_after_statins() -> None:
    p = plan("SYN-PLAN-05")
    assert "imnm" in p.phenotypes
    assert flag_codes(p)["statin_associated_imnm"] == "soon"
    ivig = [o for o in p.options if o.therapy == "ivig" and o.line == "initial"]
    assert ivig and "anti_hmgcr" in ivig[0].complications
    assert p.cancer_screening.risk == "moderate"


def test_srp_imnm_severe_with_cardiac_workup() -> None:
    p = plan("SYN-PLAN-06")
    codes = flag_codes(p)
    assert {"severe_muscle_disease", "cardiac_involvement_risk"} <= set(codes)
    assert {"cardiac", "swallowing"} <= {w.code for w in p.workup}
    assert "glucocorticoids_oral" in therapies(p, "initial")
    # anti-SRP: rituximab early, not after several failed agents (ENMC 224 as summarised)
    assert "rituximab" in therapies(p, "steroid_sparing")
    assert "ivig" in {o.therapy for o in p.options if "dysphagia" in o.complications}


def test_refractory_cutaneous_dm() -> None:
    p = plan("SYN-PLAN-07")
    skin = {o.therapy for o in p.options if "refractory_skin" in o.complications}
    assert {"ivig", "tofacitinib"} <= skin
    assert {"topical_corticosteroids", "photoprotection"} <= therapies(p)
    previously = {o.therapy: o.previously for o in p.options}
    assert previously.get("methotrexate") == "ineffective"
    assert {"phototherapy", "lenabasum"} <= {w.therapy for w in p.not_recommended}
    assert p.state is not None and p.state.of("skin") == "inadequate_response"


def test_jdm_nxp2_calcinosis() -> None:
    p = plan("SYN-PLAN-08")
    assert p.phenotypes == ["jdm"]
    assert "calcinosis_risk" in flag_codes(p)
    assert "cancer_risk" not in flag_codes(p)  # adult-onset association
    assert not p.cancer_screening.applicable and not p.cancer_screening.tests_due
    calcinosis = {o.therapy for o in p.options if "calcinosis" in o.complications}
    assert {"sodium_thiosulfate", "bisphosphonates"} <= calcinosis
    # on glucocorticoids and methotrexate already: no new induction, continue and optimise
    assert p.state is not None and p.state.of("muscle") == "active"
    assert "Continue and optimise Methotrexate" in p.regimens[0].first_choice
    assert "child_glucocorticoids" in {a.code for a in p.do_now}


def test_planning_pregnancy_withholds_teratogens() -> None:
    p = plan("SYN-PLAN-09")
    withheld = {w.therapy for w in p.withheld}
    assert {"methotrexate", "mycophenolate"} <= withheld
    offered = therapies(p)
    assert not offered & {"methotrexate", "mycophenolate", "cyclophosphamide", "leflunomide"}
    assert {"glucocorticoids_oral", "azathioprine"} <= offered
    assert "preconception_counselling" in {a.code for a in p.do_now}
    mtx = next(w for w in p.withheld if w.therapy == "methotrexate")
    assert "conception_teratogen" in mtx.rule_ids and "1-3 months" in mtx.reason


def test_hbv_core_antibody_cautions_rituximab() -> None:
    p = plan("SYN-PLAN-10")
    rituximab = next(o for o in p.options if o.therapy == "rituximab")
    assert "anti_hbc_rituximab" in {c.condition for c in rituximab.cautions}
    hbv = next(c for c in p.shared_checks if c.id == "hbv_screening")
    assert "Rituximab" in hbv.therapies
    assert "anti_hbc_positive" in {a.code for a in p.do_now}


def test_ibm_gets_no_immunosuppression() -> None:
    p = plan("SYN-PLAN-11")
    assert p.classification.subgroup == "IBM"
    assert not therapies(p) & IMMUNOSUPPRESSANTS
    assert "exercise_rehabilitation" in therapies(p)
    assert {"immunosuppression_in_ibm", "methotrexate", "arimoclomol"} <= {
        w.therapy for w in p.not_recommended}
    assert flag_codes(p)["ibm_immunosuppression_ineffective"] == "routine"


@pytest.mark.parametrize("scenario", [s.id for s in load_scenarios()])
def test_every_plan_line_is_sourced(scenario: str) -> None:
    p = plan(scenario)
    assert p.disclaimer and "does not prescribe" in p.disclaimer
    for option in p.options:
        assert option.citations, option.therapy
        assert option.kb_entry
        for check in (*option.before_starting, *option.monitoring, *option.cautions):
            assert check.citations
    for flag in p.flags:
        assert flag.citations, flag.code
    for item in p.workup:
        assert item.citations
    cited = {k for o in p.options for k in o.citations}
    assert cited <= set(p.sources)

"""CLI: success paths in table and JSON, and exit 2 naming every bad field on user error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from myositis.cli import app
from myositis.domain.instruments.registry import INSTRUMENTS, SCHEMAS

runner = CliRunner()

ISSUE_PATIENT = {
    "age_at_onset": 52,
    "weakness": {"proximal_upper": True, "proximal_lower": True,
                 "neck_flexors_weaker_than_extensors": False,
                 "legs_proximal_weaker_than_distal": False},
    "skin": {"heliotrope_rash": True, "gottron_papules": True, "gottron_sign": False},
    "dysphagia_or_esophageal_dysmotility": False, "anti_jo1": False,
    "elevated_muscle_enzymes": True, "biopsy": None, "finger_flexor_weakness": False,
    "improved_with_treatment": None,
}
BASELINE = {"physician_global": 6.0, "patient_global": 7.0, "mmt8": 60, "mmt_max": 80,
            "haq": 1.5, "enzymes": {"ck": {"value": 3000, "uln": 200}},
            "extramuscular_global": 3.0}
FOLLOWUP = {"physician_global": 4.0, "patient_global": 5.0, "mmt8": 66, "mmt_max": 80,
            "haq": 1.125, "enzymes": {"ck": {"value": 1200, "uln": 200}},
            "extramuscular_global": 2.0}


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_classify_json_has_documented_fields(tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify", write(tmp_path, "p.json", ISSUE_PATIENT),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["score"] == 10.1
    assert 0 <= out["probability"] <= 1
    assert out["category"] == "definite"
    assert out["biopsy_used"] is False
    assert out["subgroup"] == "DM"
    assert {i["item"] for i in out["items"]} >= {"heliotrope_rash", "age_40_plus"}


def test_classify_table_and_yaml(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("age_at_onset: 45\nskin: {gottron_sign: true}\n")
    result = runner.invoke(app, ["classify", str(path)])
    assert result.exit_code == 0
    assert "possible" in result.stdout
    assert "does not prescribe" in result.stdout


def test_classify_bad_input_names_every_field(tmp_path: Path) -> None:
    bad = {**ISSUE_PATIENT, "age_at_onset": 130, "anti_jo1": "perhaps", "extra": 1}
    result = runner.invoke(app, ["classify", write(tmp_path, "p.json", bad)])
    assert result.exit_code == 2
    for field in ("age_at_onset", "anti_jo1", "extra"):
        assert field in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_and_bad_syntax_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["classify", str(tmp_path / "nope.json")]).exit_code == 2
    broken = tmp_path / "b.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["classify", str(broken)])
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr
    listed = tmp_path / "l.json"
    listed.write_text("[1, 2]")
    assert runner.invoke(app, ["classify", str(listed)]).exit_code == 2


def test_response_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["response", write(tmp_path, "b.json", BASELINE),
                                 write(tmp_path, "f.json", FOLLOWUP), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["total_improvement_score"] == 50
    assert out["category"] == "moderate"
    assert out["measures"]["muscle_enzyme"]["percent_change"] == 60
    assert out["measures"]["physician_global"]["points"] == 15
    assert out["imacs_doi_2004"]["category"] in ("improved", "not_improved")


def test_response_juvenile_thresholds(tmp_path: Path) -> None:
    follow = write(tmp_path, "f.json", {**FOLLOWUP, "extramuscular_global": 3.0})  # TIS 42.5
    base = write(tmp_path, "b.json", BASELINE)
    adult = runner.invoke(app, ["response", base, follow, "--format", "json"])
    juvenile = runner.invoke(app, ["response", base, follow, "--population", "juvenile",
                                   "--format", "json"])
    assert json.loads(adult.stdout)["total_improvement_score"] == 42.5
    assert json.loads(adult.stdout)["category"] == "moderate"
    assert json.loads(juvenile.stdout)["category"] == "minimal"


def test_response_reports_bad_fields_of_both_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["response",
                                 write(tmp_path, "b.json", {**BASELINE, "physician_global": 12}),
                                 write(tmp_path, "f.json", {**FOLLOWUP, "haq": -1})])
    assert result.exit_code == 2
    assert "baseline.physician_global" in result.stderr
    assert "followup.haq" in result.stderr


def test_response_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["response", write(tmp_path, "b.json", BASELINE),
                                 write(tmp_path, "f.json", FOLLOWUP)])
    assert result.exit_code == 0
    assert "moderate" in result.stdout


def test_score_every_instrument_has_schema() -> None:
    for name in SCHEMAS:
        result = runner.invoke(app, ["schema", name])
        assert result.exit_code == 0
        assert "properties" in json.loads(result.stdout)
    assert runner.invoke(app, ["schema", "nope"]).exit_code == 2


@pytest.mark.parametrize(
    ("instrument", "doc", "total"),
    [
        ("cmas", dict.fromkeys(
            ["head_elevation", "leg_raise", "straight_leg_lift", "supine_to_prone", "sit_ups",
             "supine_to_sit", "arm_raise_straighten", "arm_raise_duration", "floor_sit",
             "all_fours", "floor_rise", "chair_rise", "stool_step", "pick_up"], 1), 14),
        ("myoact", {"cutaneous": 5}, 0.5),
        ("mitax", {"muscle": "A"}, 9 / 63),
        ("flair", {"ferritin_ng_ml": 700, "ldh_u_l": 100, "anti_mda5": "negative",
                   "hrct_score": 10, "rapidly_progressive_ild": False}, 2),
    ],
)
def test_score_json(tmp_path: Path, instrument: str, doc: dict[str, Any], total: float) -> None:
    result = runner.invoke(app, ["score", instrument, write(tmp_path, "i.json", doc),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == pytest.approx(total)


def test_score_table_unknown_and_not_computable(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["score", "myoact", write(tmp_path, "m.json", {"cutaneous": 5})])
    assert ok.exit_code == 0 and "myoact" in ok.stdout
    unknown = runner.invoke(app, ["score", "nope", write(tmp_path, "m.json", {})])
    assert unknown.exit_code == 2 and "unknown instrument" in unknown.stderr
    empty = runner.invoke(app, ["score", "myoact", write(tmp_path, "e.json", {})])
    assert empty.exit_code == 2 and "no organ system" in empty.stderr


def test_instruments_lists_all() -> None:
    result = runner.invoke(app, ["instruments"])
    for name in INSTRUMENTS:
        assert name in result.stdout


def test_demo_runs_and_is_labelled_synthetic() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.stdout
    out = runner.invoke(app, ["demo", "--format", "json"])
    reports = json.loads(out.stdout)
    assert all(r["label"].startswith("SYNTHETIC") for r in reports)
    assert {r["classification"]["subgroup"] for r in reports} >= {"DM", "IBM", "JDM"}


def test_kb_check_list_show() -> None:
    result = runner.invoke(app, ["kb", "check"])
    assert result.exit_code == 0, result.output
    assert "knowledge base OK" in result.stdout
    listed = runner.invoke(app, ["kb", "list", "therapies"])
    assert "tofacitinib" in listed.stdout
    for kind in ("autoantibodies", "guidance", "sources"):
        assert runner.invoke(app, ["kb", "list", kind]).exit_code == 0
    assert runner.invoke(app, ["kb", "list", "nonsense"]).exit_code == 2
    shown = runner.invoke(app, ["kb", "show", "rituximab"])
    assert "oddis2013_rim" in shown.stdout and "# sources" in shown.stdout
    assert runner.invoke(app, ["kb", "show", "nothing"]).exit_code == 2


def test_every_rule_id_a_plan_cites_opens_with_kb_show() -> None:
    """Plans print `myositis kb show <id>` next to rule ids (routine items show only a title):
    each id must open, with the rule's own wording ('is', not a Python name)."""
    import re

    from myositis.knowledge import load

    cited = set()
    for scenario in ("SYN-PLAN-01", "SYN-PLAN-08", "SYN-PLAN-10"):
        text = runner.invoke(app, ["plan", scenario, "--format", "markdown"]).stdout
        cited |= set(re.findall(r"\[`([a-z0-9_]+)`\]", text))
    assert cited
    for rule_id in sorted(cited | {r.id for r in load().rules.rules[:5]}):
        shown = runner.invoke(app, ["kb", "show", rule_id])
        assert shown.exit_code == 0, rule_id
    shown = runner.invoke(app, ["kb", "show", "child_growth_monitoring"]).stdout
    assert "is: true" in shown and "is_" not in shown


def test_plan_json_contract_and_files(tmp_path: Path) -> None:
    md, html, js = tmp_path / "p.md", tmp_path / "p.html", tmp_path / "p.json"
    result = runner.invoke(app, ["plan", "SYN-PLAN-03", "--format", "json", "--markdown", str(md),
                                 "--html", str(html), "--json", str(js)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"code": "suspected_rp_ild", "urgency": "urgent"}.items() <= out["flags"][0].items()
    assert out["cancer_screening"]["risk"] in ("standard", "moderate", "high")
    assert isinstance(out["cancer_screening"]["tests_due"], list)
    option = out["options"][0]
    assert {"therapy", "line", "evidence_level", "citations"} <= set(option)
    assert md.read_text().startswith("# Care plan")
    assert "<html" in html.read_text()
    assert json.loads(js.read_text())["patient_id"] == "SYN-PLAN-03"


def test_plan_from_file_table_and_bad_input(tmp_path: Path) -> None:
    profile = {"id": "SYN-X", "classification": {"age_at_onset": 50,
                                                "skin": {"heliotrope_rash": True}}}
    ok = runner.invoke(app, ["plan", write(tmp_path, "p.json", profile)])
    assert ok.exit_code == 0, ok.output
    assert "does not prescribe" in ok.stdout
    bad = runner.invoke(app, ["plan", write(tmp_path, "b.json", {
        "id": "SYN-X", "classification": {"age_at_onset": 500},
        "comorbidities": {"pregnant": True}})])
    assert bad.exit_code == 2
    assert "classification.age_at_onset" in bad.stderr
    assert "comorbidities.pregnant" in bad.stderr
    assert runner.invoke(app, ["plan", "NOT-A-SCENARIO"]).exit_code == 2
    assert runner.invoke(app, ["plan", "SYN-PLAN-01", "-f", "pdf"]).exit_code == 2
    md = runner.invoke(app, ["plan", "SYN-PLAN-01", "-f", "markdown"])
    assert md.stdout.startswith("# Care plan")
    assert "SYN-PLAN-11" in runner.invoke(app, ["scenarios"]).stdout


def test_plan_strict_types_every_field_at_once_with_suggestions(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["plan", write(tmp_path, "b.json", {
        "id": "SYN-X", "sex": "female",
        "classification": {"age_at_onset": 50, "weakness": {"proximal_upperr": True},
                           "elevated_muscle_enzymes": 1},
        "labs": {"ferritin_ng_ml": True, "crp_mg_l": "12"},
        "treatments": [{"therapy": "MTX"}],
        "comorbiditiez": {}})])
    assert bad.exit_code == 2
    err = bad.stderr
    assert "did you mean proximal_upper" in err
    assert "classification.elevated_muscle_enzymes" in err  # 1 is not a boolean
    assert "labs.ferritin_ng_ml" in err and "labs.crp_mg_l" in err  # true and "12" not numbers
    assert "unknown therapy 'MTX'; did you mean methotrexate" in err
    assert "did you mean comorbidities" in err


def test_plan_rejects_nan(tmp_path: Path) -> None:
    path = tmp_path / "nan.yaml"
    path.write_text("id: SYN-N\nclassification: {age_at_onset: 50}\nlabs: {ferritin_ng_ml: .nan}\n")
    bad = runner.invoke(app, ["plan", str(path)])
    assert bad.exit_code == 2 and "finite number" in bad.stderr


def test_schema_of_what_plan_reads() -> None:
    result = runner.invoke(app, ["schema", "care_plan_profile"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"classification", "infection_screening", "reproduction", "visits",
            "treatments"} <= set(schema["properties"])


def test_plan_json_keeps_old_keys_and_adds_sections() -> None:
    out = json.loads(runner.invoke(app, ["plan", "SYN-PLAN-09", "-f", "json"]).stdout)
    assert {"flags", "cancer_screening", "options", "withheld", "not_recommended",
            "workup"} <= set(out)
    assert {"do_now", "state", "diagnosis", "regimens", "shared_checks", "monitoring",
            "unknowns", "inputs_used"} <= set(out)


def test_plan_table_leads_with_pressing_lines_and_lists_routine_ones_after() -> None:
    # reviewers read 12-18 mixed Do-now lines as unranked: urgent and soon lines lead, routine
    # ones follow the regimen under their own heading, every one still in full
    out = runner.invoke(app, ["plan", "SYN-PLAN-04"]).stdout
    do_now, rest = out.split("Do now", 1)[1].split("Also due (routine", 1)
    assert "SOON" in do_now and "ROUTINE" not in do_now
    assert "Vaccines not recorded: pneumococcal" in rest
    assert rest.index("Vaccines not recorded") < rest.index("Options")


def test_a_line_fired_by_a_missing_result_says_so_beside_its_rule() -> None:
    # reviews Z30c P4 and Z31h P5: 'hbsag_positive' printed beside 'HBV status not recorded'
    from myositis.cli.plan import _source_tag
    from myositis.services.careplan.model import Action
    missing = Action(code="hbsag_positive_not_recorded", urgency="soon", text="HBV status not "
                     "recorded", kb_entry="hbsag_positive", citations=[])
    assert _source_tag(missing) == "hbsag_positive (result not recorded)"
    fired = missing.model_copy(update={"code": "hbsag_positive"})
    assert _source_tag(fired) == "hbsag_positive"


def test_plan_table_prints_the_monitoring_schedule_on_the_first_screen() -> None:
    # reviews Z34c and Z34d: the monitoring of the drugs taken now only in the Markdown plan
    out = runner.invoke(app, ["plan", "SYN-PLAN-08"]).stdout
    block = out.split("Monitoring (next due)", 1)[1].split("Options", 1)[0]
    assert "Methotrexate" in block and "Disease activity" in block


def test_terminal_plan_names_the_cancer_screening_tests_due() -> None:
    """Specialist review Z37d: the terminal plan only counted the cancer tests due."""
    from myositis.cli.plan import screening_tests
    assert screening_tests(["basic: Urinalysis", "basic: Complete blood count",
                            "enhanced: Mammography (women)"]) == \
        "basic: Urinalysis, Complete blood count; enhanced: Mammography (women)"
    text = " ".join(runner.invoke(app, ["plan", "SYN-PLAN-03"]).stdout.split())
    assert "tests due - basic: Comprehensive history" in text
    assert "enhanced: CT neck, thorax, abdomen and pelvis" in text


def test_terminal_plan_shows_the_nasoendoscopy_of_a_high_risk_region(tmp_path: Path) -> None:
    """Specialist review Z39b P6: the nasopharyngeal-carcinoma screen only in the full plan."""
    import yaml

    from tests.services.careplan.conftest import ADULT_DM
    record = {**ADULT_DM, "nasopharyngeal_carcinoma_region": True}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(record, default=str))),
                    encoding="utf-8")
    text = " ".join(runner.invoke(app, ["plan", str(path)]).stdout.split())
    assert "nasoendoscopy" in text


def test_plan_table_says_when_a_refractory_line_agent_is_this_plan_s_first_choice(
        tmp_path: Path) -> None:
    """Specialist review Z42b: first-choice IVIG for anti-SRP dysphagia filed under
    'Refractory disease' in the options table. SYNTHETIC patient."""
    record = {"id": "SYN-T-SRP", "label": "SYNTHETIC anti-SRP with dysphagia", "sex": "female",
              "today": "2026-12-01", "months_since_onset": 1,
              "classification": {"age_at_onset": 50},
              "diagnosis": {"subgroup": "imnm"},
              "antibodies": {"srp": {"status": "positive"}},
              "labs": {"enzymes": {"ck": {"value": 9000, "uln": 200}}},
              "organs": {"dysphagia": "moderate"}}
    path = tmp_path / "srp.json"
    path.write_text(json.dumps(record))
    result = runner.invoke(app, ["plan", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "First choice here (also a refractory-disease agent)" in result.output
    assert "Refractory disease (first choice here)" not in result.output


def test_plan_in_the_terminal_shows_the_worked_doses() -> None:
    """Specialist review Z48a: the doses worked out for this patient were only in the Markdown
    plan; the terminal plan a clinician reads shows them too."""
    result = runner.invoke(app, ["plan", "SYN-PLAN-01"])
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Doses worked out for this patient" in out
    assert "Methotrexate: up to 25 mg/week" in out


def test_kb_rules_lists_filters_and_writes_a_review_document(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["kb", "rules", "--therapy", "azathioprine"])
    assert listed.exit_code == 0, listed.output
    assert "rules" in listed.output and "azathioprine_sun_" in listed.output
    by_drug = tmp_path / "azathioprine.md"
    assert runner.invoke(app, ["kb", "rules", "--therapy", "azathioprine", "--markdown",
                               str(by_drug)]).exit_code == 0
    assert "### `azathioprine_xanthine_oxidase_taken`" in by_drug.read_text()
    out = tmp_path / "rules.md"
    written = runner.invoke(app, ["kb", "rules", "--fact", "pregnant", "--markdown", str(out)])
    assert written.exit_code == 0, written.output
    document = out.read_text()
    assert "### `pregnancy_contraindicated`" in document
    assert "### `azathioprine_xanthine_oxidase_taken`" not in document
    bad = runner.invoke(app, ["kb", "rules", "--therapy", "MTX", "--fact", "nope"])
    assert bad.exit_code == 2
    assert "--therapy: unknown therapy 'MTX'" in bad.output and "--fact: unknown fact" in bad.output


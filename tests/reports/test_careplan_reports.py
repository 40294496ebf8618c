"""Markdown and HTML renderings carry the disclaimer, every option and every cited source."""

from __future__ import annotations

import re

from myositis.reports import to_html, to_markdown
from myositis.services.careplan import build_care_plan
from myositis.services.scenarios import load_scenarios


def _plan(scenario_id: str):  # type: ignore[no-untyped-def]
    return build_care_plan(next(s for s in load_scenarios() if s.id == scenario_id))


def test_markdown_lists_options_sources_and_disclaimer() -> None:
    plan = _plan("SYN-PLAN-09")
    text = to_markdown(plan)
    assert "does not prescribe" in text
    for option in plan.options:
        assert f"`{option.therapy}`" in text
    body, listed_part = text.split("### Sources")
    listed = set(re.findall(r"^- `([a-z0-9_]+)`:", listed_part, re.MULTILINE))
    assert listed <= set(plan.sources)
    for key in plan.sources:  # listed exactly when the printed text cites it
        assert (key in listed) == bool(re.search(rf"(?<!\w){key}(?!\w)", body)), key
    assert "## Withheld and not recommended" in text
    assert text.index("### Do now") < text.index("## Detail") < text.index("### Sources")


def test_plans_are_short_enough_to_use() -> None:
    """The summary (up to the detail) fits one printed page for every bundled scenario."""
    from myositis.reports.careplan import word_count
    for scenario in load_scenarios():
        text = to_markdown(build_care_plan(scenario))
        summary = text.split("## Before starting")[0].split("## Detail")[0]
        assert word_count(summary) < 600, scenario.id


def test_html_is_self_contained_and_escaped() -> None:
    plan = _plan("SYN-PLAN-03")
    html = to_html(plan)
    assert html.startswith("<!doctype html>")
    assert "<link" not in html and "<script" not in html  # no external assets
    assert '<span class="urgent">urgent</span>' in html
    assert "@media print" in html
    assert "does not prescribe" in html


def test_short_citation_names_first_author_and_year() -> None:
    from myositis.reports.careplan import short_citation
    assert short_citation("Lundberg IE, Tjärnlund A, Bottai M, et al. 2017 European League "
                          "Against Rheumatism ... Ann Rheum Dis. 2017;76(12):1955-1964.") \
        == "Lundberg et al. 2017"
    assert short_citation("Alemo Munters L, Dastmalchi M, et al. Endurance. 2013.") \
        == "Alemo Munters et al. 2013"
    institutional = short_citation("Special AAO Report - Recommendations on Screening for "
                                   "Hydroxychloroquine Retinopathy (2025 Revision).")
    assert institutional.startswith("Special AAO Report") and institutional.endswith("2025")


def test_short_citation_takes_the_journal_year_not_a_year_in_the_title() -> None:
    """Specialist review V: the 2024 ENMC IBM workshop paper was printed as 2013."""
    from myositis.reports.careplan import short_citation
    assert short_citation("Lilleker JB, Naddaf E, et al. 272nd ENMC international workshop: "
                          "revision of the ENMC 2013 diagnostic criteria for inclusion body "
                          "myositis. Neuromuscul Disord. 2024;37:36-51.") == "Lilleker et al. 2024"


def test_full_entries_only_for_options_the_regimen_names() -> None:
    """Options outside the recommended approach stay listed (with evidence, cautions and
    sources) on one line, and Do now items are not printed again under Flags."""
    plan = _plan("SYN-PLAN-03")
    text = to_markdown(plan)
    named = {o.name for o in plan.options
             if any(o.name in e for g in plan.regimens for e in (*g.first_choice,
                                                                 *g.alternatives))}
    for option in plan.options:
        full = f"- **{option.name}** (`{option.therapy}`)" in text
        assert full == (option.name in named or bool(option.labels)), option.therapy
        assert f"`{option.therapy}`" in text
    flags = text.split("### Flags")[1].split("###")[0]
    for action in plan.do_now:
        if action.code in {f.code for f in plan.flags}:
            assert action.text not in flags


def test_a_rescue_drug_a_do_now_line_gives_is_not_listed_as_outside_the_approach() -> None:
    # specialist review Z22b P8: a JDM gut bleed's urgent line gives IV methylprednisolone
    # while the options said 'not in the recommended approach now: IV methylprednisolone'
    from tests.services.careplan.conftest import make_plan
    plan = make_plan(classification={"age_at_onset": 8}, sex="male", weight_kg=26, height_cm=128,
                     months_since_onset=2, organs={"gi_bleeding": True},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    assert any("iv methylprednisolone" in a.text.lower() for a in plan.do_now
               if a.urgency == "urgent")
    text = to_markdown(plan)
    brief = [line for line in text.splitlines() if line.startswith("- Not in the recommended")]
    assert not any("methylprednisolone_iv_pulse" in line for line in brief)
    assert "- **Intravenous methylprednisolone pulses** (`methylprednisolone_iv_pulse`)" in text


def test_drugs_withheld_for_one_reason_share_one_line() -> None:
    # specialist reviews Z23a and Z23d: one 'active infection' paragraph printed eight times
    from tests.services.careplan.conftest import make_plan
    plan = make_plan(comorbidities={"active_infection": True}, months_since_onset=30,
                     skin_refractory=True, persistent_high_activity=True,
                     treatments=[{"therapy": "methotrexate", "start": "2024-01-01",
                                  "stop": "2025-01-01", "outcome": "ineffective"}])
    infection = [w for w in plan.withheld if w.reason.startswith("Active infection")]
    assert len(infection) >= 3
    text = to_markdown(plan)
    assert text.count("Active infection: not started now") == 1
    for w in infection:
        assert w.name in text
    html = to_html(plan)
    assert html.count("Active infection: not started now") == 1


def test_a_rashless_classification_does_not_read_as_an_order_for_a_biopsy() -> None:
    # specialist review Z24a: 'EULAR/ACR 2017: biopsy required, score 8.8' invited a biopsy
    # in anti-Jo-1 disease already diagnosed
    from tests.services.careplan.conftest import make_plan
    no_rash = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(skin=no_rash, classification={"age_at_onset": 47, "skin": no_rash,
                                              "weakness": {"proximal_upper": True},
                                              "anti_jo1": True,
                                              "elevated_muscle_enzymes": True},
                     diagnosis={"subgroup": "asys"})
    assert plan.classification.category == "biopsy_required"
    text = to_markdown(plan)
    assert "biopsy required" not in text
    assert "classifiable only with biopsy findings" in text
    assert "classifiable only with biopsy findings" in to_html(plan)


def test_the_terminal_options_are_split_by_what_the_approach_uses() -> None:
    # reviews Z33a P7 and Z34b P1: options the approach does not use read as advised
    from myositis.reports.careplan import NON_DRUG_OPTIONS, options_by_approach
    plan = next(build_care_plan(s) for s in load_scenarios() if s.id == "SYN-PLAN-03")
    shown, others = options_by_approach(plan)
    assert {o.therapy for o in shown} | {o.therapy for o in others} == {
        o.therapy for o in plan.options}
    assert "cd19_car_t" in {o.therapy for o in others}
    entries = " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))
    assert all(o.name in entries or o.labels or o.taken_now
               for o in shown if o.line != "adjunct"
               and o.therapy not in NON_DRUG_OPTIONS.values())
    # sun protection in dermatomyositis is standard care, never 'not in the approach' (reviews
    # Z35c and Z35d)
    assert "photoprotection" in {o.therapy for o in shown}
    unplanned = plan.model_copy(update={"regimens": []})
    assert options_by_approach(unplanned) == (list(plan.options), [])

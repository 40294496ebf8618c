"""Markdown and HTML renderings carry the disclaimer, every option and every cited source."""

from __future__ import annotations

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
    for key in plan.sources:
        assert f"`{key}`" in text
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

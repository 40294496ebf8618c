"""Care plan as Markdown and as self-contained HTML, both from one Jinja2 environment."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from myositis.services.careplan.model import CarePlan

LINE_TITLES = {
    "initial": "Initial treatment", "steroid_sparing": "Steroid-sparing",
    "complication": "Complication-specific", "refractory": "Refractory disease",
    "adjunct": "Adjunctive and non-drug",
}

_env = Environment(
    loader=PackageLoader("myositis.reports", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _context(plan: CarePlan) -> dict[str, object]:
    lines: dict[str, list[object]] = {}
    for option in plan.options:
        lines.setdefault(option.line, []).append(option)
    return {"plan": plan, "lines": lines, "line_titles": LINE_TITLES}


def to_markdown(plan: CarePlan) -> str:
    return _env.get_template("careplan.md.j2").render(**_context(plan))


def to_html(plan: CarePlan, note: str | None = None) -> str:
    """Printable page; ``note`` heads it (for example, that it is a saved snapshot)."""
    return _env.get_template("careplan.html").render(**_context(plan), note=note)

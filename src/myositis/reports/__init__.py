"""Document renderers for care plans (Markdown, self-contained printable HTML)."""

from myositis.reports.careplan import to_html, to_markdown

__all__ = ["to_html", "to_markdown"]

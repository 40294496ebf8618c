"""The curator's digest as Markdown and HTML: per knowledge-base entry, what is new since its
last review, sorted by evidence level."""

from __future__ import annotations

from html import escape

from myositis.services.evidence import ReviewEntry


def digest_markdown(queue: list[ReviewEntry]) -> str:
    lines = ["# Evidence digest", "",
             "What is new for each knowledge-base entry since its `last_reviewed` date. An entry "
             "with new randomised or meta-analytic evidence is **review due**; a review ends "
             "with an edit of the entry and its `last_reviewed` date.", ""]
    if not queue:
        lines.append("Nothing new.")
    for entry in queue:
        flag = " - **review due**" if entry.review_due else ""
        lines += [f"## {entry.name} (`{entry.entry}`){flag}", "",
                  f"Last reviewed {entry.last_reviewed}.", ""]
        for item in entry.items:
            lines.append(f"- [{item.level}] {item.why}: [{item.title}]({item.url}) "
                         f"({item.key}, {item.date or 'undated'}; matched \"{item.matched}\")")
        if not entry.items:
            lines.append("- nothing new")
        lines.append("")
    return "\n".join(lines)


def digest_html(queue: list[ReviewEntry]) -> str:
    parts = ['<!doctype html><html lang="en"><meta charset="utf-8"><title>Evidence digest'
             "</title><h1>Evidence digest</h1>"]
    for entry in queue:
        due = " - <strong>review due</strong>" if entry.review_due else ""
        parts.append(f"<h2>{escape(entry.name)} ({escape(entry.entry)}){due}</h2>"
                     f"<p>Last reviewed {entry.last_reviewed}.</p><ul>")
        for item in entry.items:
            parts.append(f"<li>[{escape(item.level)}] {escape(item.why)}: <a href=\""
                         f"{escape(item.url)}\">{escape(item.title)}</a> ({escape(item.key)}, "
                         f"{item.date or 'undated'}; matched &quot;{escape(item.matched)}"
                         "&quot;)</li>")
        parts.append("</ul>")
    return "".join(parts) + "</html>"

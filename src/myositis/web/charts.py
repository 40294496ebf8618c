"""Accessible inline SVG charts a clinician can read across a desk: titled axes with units, a
reference line (the ULN on CK), a second series on its own axis (CK with the glucocorticoid
dose), and a treatment timeline on the same date axis. No JavaScript, no build step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 20, 44


@dataclass(frozen=True)
class Axis:
    start: dt.date
    end: dt.date

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (day - self.start).days / span * (WIDTH - LEFT - RIGHT)


def date_axis(dates: list[dt.date]) -> Axis | None:
    if not dates:
        return None
    start, end = min(dates), max(dates)
    return Axis(start, end if end > start else start + dt.timedelta(days=1))


def _y(value: float, top: float) -> float:
    return HEIGHT - BOTTOM - (min(value, top) / top) * (HEIGHT - TOP - BOTTOM)


def _ticks(axis: Axis) -> str:
    years = range(axis.start.year, axis.end.year + 2)
    marks = [dt.date(y, 1, 1) for y in years if axis.start <= dt.date(y, 1, 1) <= axis.end]
    if len(marks) < 2:
        marks = [axis.start, axis.end]
    return "".join(f'<text x="{axis.x(d):.0f}" y="{HEIGHT - BOTTOM + 16}" class="tick" '
                   f'text-anchor="middle">{d.isoformat() if len(marks) <= 2 else d.year}</text>'
                   for d in marks)


def _series(points: list[tuple[dt.date, float]], axis: Axis, top: float, css: str,
            unit: str, label: str) -> str:
    path = " ".join(f"{axis.x(d):.1f},{_y(v, top):.1f}" for d, v in points)
    dots = "".join(f'<circle cx="{axis.x(d):.1f}" cy="{_y(v, top):.1f}" r="3.5" class="{css}">'
                   f"<title>{label} {d.isoformat()}: {v:g} {unit}</title></circle>"
                   for d, v in points)
    return f'<polyline points="{path}" class="series {css}"/>{dots}'


def line_chart(title: str, points: list[tuple[dt.date, float]], y_max: float | None = None,
               unit: str = "", reference: float | None = None, reference_label: str = "",
               second: tuple[str, str, list[tuple[dt.date, float]]] | None = None,
               axis: Axis | None = None) -> str:
    """A dated line chart; ``second`` = (label, unit, points) drawn on the right-hand axis."""
    if not points and not (second and second[2]):
        return (f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
                f"<p>No values recorded.</p></figure>")
    axis = axis or date_axis([d for d, _ in points] + [d for d, _ in (second[2] if second
                                                                        else [])])
    assert axis is not None
    values = [v for _, v in points] + ([reference] if reference else [])
    top = y_max if y_max is not None else (max(values) * 1.15 if values else 1.0) or 1.0
    parts = [
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'class="axis"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" '
        f'class="axis"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" class="tick" text-anchor="end">{top:g}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" class="tick" text-anchor="end">0</text>',
        f'<text x="14" y="{(HEIGHT - BOTTOM + TOP) / 2:.0f}" class="axis-label" '
        f'transform="rotate(-90 14 {(HEIGHT - BOTTOM + TOP) / 2:.0f})" text-anchor="middle">'
        f"{escape(unit)}</text>",
        _ticks(axis),
    ]
    if reference:
        y = _y(reference, top)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'class="reference"/><text x="{WIDTH - RIGHT - 4}" y="{y - 4:.1f}" '
                     f'class="tick" text-anchor="end">{escape(reference_label)}</text>')
    if points:
        parts.append(_series(points, axis, top, "primary", unit, title))
    summary = f"{title}: {len(points)} values"
    if points:
        summary += (f" from {points[0][0]} ({points[0][1]:g} {unit}) to {points[-1][0]} "
                    f"({points[-1][1]:g} {unit})")
    legend = f'<span class="key primary">{escape(title)} ({escape(unit)})</span>'
    if second and second[2]:
        label, unit2, pts = second
        top2 = max(v for _, v in pts) * 1.15 or 1.0
        parts.append(f'<line x1="{WIDTH - RIGHT}" y1="{TOP}" x2="{WIDTH - RIGHT}" '
                     f'y2="{HEIGHT - BOTTOM}" class="axis"/><text x="{WIDTH - RIGHT + 6}" '
                     f'y="{TOP + 4}" class="tick">{top2:g}</text>')
        parts.append(f'<text x="{WIDTH - 12}" y="{(HEIGHT - BOTTOM + TOP) / 2:.0f}" '
                     f'class="axis-label" transform="rotate(90 {WIDTH - 12} '
                     f'{(HEIGHT - BOTTOM + TOP) / 2:.0f})" text-anchor="middle">'
                     f"{escape(unit2)}</text>")
        parts.append(_series(pts, axis, top2, "secondary", unit2, label))
        summary += f"; {label}: {len(pts)} values, latest {pts[-1][1]:g} {unit2}"
        legend += f' <span class="key secondary">{escape(label)} ({escape(unit2)})</span>'
    return (f'<figure class="chart"><figcaption>{escape(title)} {legend}</figcaption>'
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(summary)}">'
            + "".join(parts) + "</svg></figure>")


def timeline(bars: list[tuple[str, dt.date | None, dt.date | None]], axis: Axis | None,
             today: dt.date) -> str:
    """One bar per treatment course on the charts' date axis (open courses run to today)."""
    if not bars or axis is None:
        return ('<figure class="chart"><figcaption>Treatment timeline</figcaption>'
                "<p>No treatments recorded.</p></figure>")
    row = 22
    height = TOP + row * len(bars) + BOTTOM
    parts = []
    for index, (name, start, stop) in enumerate(bars):
        y = TOP + index * row
        begin = max(start or axis.start, axis.start)
        end = min(stop or max(today, axis.end), axis.end)
        x0, x1 = axis.x(begin), max(axis.x(end), axis.x(begin) + 3)
        period = f"{start or 'start not recorded'} to {stop or 'ongoing'}"
        parts.append(f'<text x="{LEFT - 6}" y="{y + 14}" class="tick" text-anchor="end">'
                     f"{escape(name[:14])}</text>"
                     f'<rect x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="{row - 8}" '
                     f'class="bar"><title>{escape(name)}: {period}</title></rect>')
    ticks = _ticks(axis).replace(f'y="{HEIGHT - BOTTOM + 16}"', f'y="{height - BOTTOM + 16}"')
    label = "; ".join(f"{n} {s or '?'} to {e or 'ongoing'}" for n, s, e in bars)
    return (f'<figure class="chart wide"><figcaption>Treatment timeline</figcaption>'
            f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Treatment timeline: '
            f'{escape(label)}">' + "".join(parts) + ticks + "</svg></figure>")

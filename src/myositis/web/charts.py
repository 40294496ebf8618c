"""Small accessible inline SVG line charts (no JavaScript, no build step)."""

from __future__ import annotations

import datetime as dt
from html import escape

WIDTH, HEIGHT, PAD = 320, 140, 28


def line_chart(title: str, points: list[tuple[dt.date, float]], y_max: float | None = None,
               unit: str = "") -> str:
    if not points:
        return f'<figure class="chart"><figcaption>{escape(title)}</figcaption><p>No data.</p></figure>'
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    top = y_max if y_max is not None else max(ys) * 1.1 or 1.0

    def sx(x: int) -> float:
        return PAD + (x - x0) / (x1 - x0) * (WIDTH - 2 * PAD)

    def sy(y: float) -> float:
        return HEIGHT - PAD - (min(y, top) / top) * (HEIGHT - 2 * PAD)

    path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5"><title>{d.isoformat()}: {y:g}{unit}'
        f"</title></circle>"
        for (d, y), x in zip(points, xs, strict=True)
    )
    summary = f"{title}: {len(points)} values from {points[0][0]} ({ys[0]:g}) to " \
              f"{points[-1][0]} ({ys[-1]:g})"
    return (
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(summary)}">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'class="axis"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="2" y="{PAD + 4}" class="tick">{top:g}</text>'
        f'<text x="2" y="{HEIGHT - PAD}" class="tick">0</text>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="tick">{points[0][0]}</text>'
        f'<text x="{WIDTH - PAD - 60}" y="{HEIGHT - 8}" class="tick">{points[-1][0]}</text>'
        f'<polyline points="{path}" class="series"/>{dots}</svg></figure>'
    )

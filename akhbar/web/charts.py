"""Server-side SVG charts: no JavaScript library and no external service, every label escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape

from akhbar.api.queries import TimelinePoint

WIDTH, HEIGHT = 720, 280
PAD_X, PAD_TOP, PAD_BOTTOM = 48, 20, 56
COOP, CONFLICT, NET = "#2e7d4f", "#b3261e", "#1f3b73"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def cooperation_conflict_svg(points: list[TimelinePoint], *, title: str) -> str:
    """A diverging bar chart: cooperation above the axis, conflict below, net score as dots.

    Time runs left to right (the SVG is laid out LTR inside the RTL page), one bar pair per period.
    """
    peak = max([p.cooperation for p in points] + [-p.conflict for p in points] + [1.0])
    inner_w = WIDTH - 2 * PAD_X
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    zero = PAD_TOP + inner_h / 2
    scale = (inner_h / 2) / peak
    step = inner_w / max(1, len(points))
    bar = max(2.0, min(28.0, step * 0.6))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'direction="ltr" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD_X}" x2="{WIDTH - PAD_X}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#888" stroke-width="1"/>',
        f'<text x="{PAD_X - 6}" y="{PAD_TOP + 10}" text-anchor="end" font-size="11">+{_fmt(peak)}</text>',
        f'<text x="{PAD_X - 6}" y="{zero + 4:.1f}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{PAD_X - 6}" y="{PAD_TOP + inner_h:.1f}" text-anchor="end" font-size="11">-{_fmt(peak)}</text>',
    ]
    label_every = max(1, len(points) // 12)
    for i, p in enumerate(points):
        cx = PAD_X + step * (i + 0.5)
        up, down = p.cooperation * scale, -p.conflict * scale
        tip = escape(f"{p.period}: {p.events} events, cooperation {_fmt(p.cooperation)}, conflict {_fmt(p.conflict)}")
        parts.append(f'<g class="period" data-period="{escape(p.period)}"><title>{tip}</title>')
        if up:
            parts.append(f'<rect class="coop" x="{cx - bar / 2:.1f}" y="{zero - up:.1f}" width="{bar:.1f}" '
                         f'height="{up:.1f}" fill="{COOP}"/>')
        if down:
            parts.append(f'<rect class="conflict" x="{cx - bar / 2:.1f}" y="{zero:.1f}" width="{bar:.1f}" '
                         f'height="{down:.1f}" fill="{CONFLICT}"/>')
        parts.append(f'<circle cx="{cx:.1f}" cy="{zero - p.net * scale:.1f}" r="3.5" fill="{NET}"/></g>')
        if i % label_every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - PAD_BOTTOM + 18}" text-anchor="middle" '
                         f'font-size="11">{escape(p.period)}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""Charts as inline SVG, drawn by our code: a report must open in a browser with no
network (no chart library from a CDN) and must not run scripts. Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape

WIDTH, HEIGHT, MARGIN = 640, 260, 40
COLOURS = {"callback": "#2b6cb0", "update": "#2f855a", "resolution": "#b7791f"}


@dataclass(frozen=True, kw_only=True)
class Bar:
    group: str  # e.g. "critical"
    series: str  # e.g. "callback"
    value: float | None  # a percentage 0–100, or None when nothing was decided
    label: str


def bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """Grouped vertical bars of percentages (0–100 %). A group with no data shows "n/a"
    rather than a zero-height bar that would read as 0 %."""
    groups = list(dict.fromkeys(b.group for b in bars))
    series = list(dict.fromkeys(b.series for b in bars))
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    group_w = plot_w / max(len(groups), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [_open(title), _axis(plot_h)]
    for gi, group in enumerate(groups):
        x0 = MARGIN + gi * group_w + group_w * 0.1
        parts.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle" '
                     f'font-size="12">{escape(group)}</text>')
        for si, name in enumerate(series):
            bar = next((b for b in bars if b.group == group and b.series == name), None)
            x = x0 + si * bar_w
            if bar is None or bar.value is None:
                parts.append(f'<text class="no-data" x="{x + bar_w / 2:.1f}" y="{HEIGHT - MARGIN - 4}" '
                             f'text-anchor="middle" font-size="9">n/a</text>')
                continue
            h = plot_h * max(0.0, min(bar.value, 100.0)) / 100
            parts.append(
                f'<rect class="bar" data-group="{escape(group)}" data-series="{escape(name)}" '
                f'data-value="{bar.value:.1f}" x="{x:.1f}" y="{HEIGHT - MARGIN - h:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS.get(name, "#4a5568")}"><title>{escape(bar.label)}</title></rect>')
    parts.append(_legend(series))
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[timedelta], *, title: str, bins: int = 8) -> str:
    """Counts of durations in equal-width bins (minutes) from 0 to the largest value."""
    parts = [_open(title)]
    if not values:
        parts.append(f'<text class="no-data" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
                     'no callback this month</text></svg>')
        return "".join(parts)
    mins = [v.total_seconds() / 60 for v in values]
    top = max(mins) or 1.0
    width = top / bins
    counts = [0] * bins
    for m in mins:
        counts[min(int(m / width), bins - 1)] += 1
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    bin_w, peak = plot_w / bins, max(counts)
    parts.append(_axis(plot_h))
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = MARGIN + i * bin_w
        low, high = i * width, (i + 1) * width
        parts.append(f'<rect class="hist-bin" data-count="{count}" x="{x:.1f}" y="{HEIGHT - MARGIN - h:.1f}" '
                     f'width="{bin_w - 2:.1f}" height="{h:.1f}" fill="#2b6cb0"><title>{low:.0f}–{high:.0f} min: '
                     f'{count}</title></rect>')
        parts.append(f'<text x="{x + bin_w / 2:.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle" '
                     f'font-size="10">{low:.0f}</text>')
    parts.append(f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 6}" text-anchor="end" font-size="10">minutes</text></svg>')
    return "".join(parts)


def _open(title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}"><title>{escape(title)}</title>'
            f'<text x="{MARGIN}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')


def _axis(plot_h: float) -> str:
    y0 = HEIGHT - MARGIN
    return (f'<line x1="{MARGIN}" y1="{y0}" x2="{WIDTH - MARGIN}" y2="{y0}" stroke="#333"/>'
            f'<line x1="{MARGIN}" y1="{y0 - plot_h}" x2="{MARGIN}" y2="{y0}" stroke="#333"/>')


def _legend(series: Sequence[str]) -> str:
    out = []
    for i, name in enumerate(series):
        x = WIDTH - MARGIN - 110 * (len(series) - i)
        out.append(f'<rect class="legend" x="{x}" y="28" width="10" height="10" fill="{COLOURS.get(name, "#4a5568")}"/>'
                   f'<text x="{x + 14}" y="37" font-size="11">{escape(name)}</text>')
    return "".join(out)

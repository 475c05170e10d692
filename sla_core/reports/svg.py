"""Charts as inline SVG, drawn by our code: a report must open in a browser with no
network (no chart library from a CDN) and must not run scripts. Every text is escaped and
arrives already worded (``Words``); each chart carries a ``<title>`` and a ``<desc>`` that
say what it shows and its values, for screen readers and for anyone printing it in grey.

Colours: blue for what was on time, red only for what was missed; both, and the text,
stay above 4.5:1 against white (WCAG AA)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

ON_TIME, MISSED, INK, MUTED, GRID = "#2b6cb0", "#c53030", "#1a202c", "#4a5568", "#cbd5e0"


@dataclass(frozen=True, kw_only=True)
class ShareRow:
    """One bar: a severity's clock, the share met on time (0–1, None when nothing was decided)."""

    group: str  # "Critical"
    label: str  # "callback within 1 h"
    share: float | None
    missed: int
    value_text: str  # "2 of 3 (66.7%)", printed beside the bar
    title: str  # "Critical, callback within 1 h: 2 of 3 (66.7%)", the bar's tooltip
    severity: str  # data attribute: critical
    clock: str  # data attribute: callback


def share_chart(rows: Sequence[ShareRow], *, chart_id: str, title: str, desc: str, axis: str, ticks: Sequence[str],
                on_time: str, missed: str, empty: str) -> str:
    """Horizontal bars from 0 to 100 %: the on-time part blue, the missed part red, the
    value printed beside every bar. A 0 % bar is a full red bar labelled ``0 %``, never
    nothing; a clock with nothing decided says so in words instead of drawing a bar."""
    label_w, plot_w, value_w, row_h, top = 250, 300, 230, 24, 56
    groups = list(dict.fromkeys(r.group for r in rows))
    height = top + len(rows) * row_h + len(groups) * 22 + 56
    width = label_w + plot_w + value_w
    x0, bottom = label_w, top + len(rows) * row_h + len(groups) * 22
    parts = [_open(chart_id, width, height, title, desc), _legend(label_w, 36, [(on_time, ON_TIME), (missed, MISSED)]),
             _x_axis(x0, plot_w, bottom + 4, [(i / (len(ticks) - 1), t) for i, t in enumerate(ticks)], axis)]
    y = top
    for group in groups:
        parts.append(f'<text x="8" y="{y + 15}" font-size="13" font-weight="bold" fill="{INK}">{escape(group)}</text>')
        y += 22
        for row in (r for r in rows if r.group == group):
            mid = y + row_h / 2
            parts.append(f'<text x="20" y="{mid + 4:.1f}" font-size="12" fill="{INK}">{escape(row.label)}</text>')
            if row.share is None:
                parts.append(f'<text class="no-data" x="{x0 + 6}" y="{mid + 4:.1f}" font-size="12" font-style="italic" '
                             f'fill="{MUTED}">{escape(empty)}</text>')
            else:
                met_w = plot_w * max(0.0, min(row.share, 1.0))
                parts.append(
                    f'<g class="bar" data-severity="{escape(row.severity)}" data-clock="{escape(row.clock)}" '
                    f'data-value="{100 * row.share:.1f}"><title>{escape(row.title)}</title>'
                    f'<rect class="on-time" x="{x0}" y="{y + 4}" width="{met_w:.1f}" height="{row_h - 8}" '
                    f'fill="{ON_TIME}"/>'
                    + (f'<rect class="missed" x="{x0 + met_w:.1f}" y="{y + 4}" width="{plot_w - met_w:.1f}" '
                       f'height="{row_h - 8}" fill="{MISSED}"/>' if row.missed and met_w < plot_w else "")
                    + f'<text class="value" x="{x0 + plot_w + 8}" y="{mid + 4:.1f}" font-size="12" fill="{INK}" '
                      f'font-weight="bold">{escape(row.value_text)}</text></g>')
            y += row_h
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, kw_only=True)
class Sample:
    value: float  # in the chart's unit (minutes or hours of the clock's calendar)
    on_time: bool


def histogram(samples: Sequence[Sample], *, chart_id: str, title: str, desc: str, axis: str, counts_axis: str,
              target: float | None, target_text: str, number: Callable[[float], str],
              labelled: Callable[[str, str], str], empty: str) -> str:
    """Tickets counted by how long a clock took, in equal bins from 0; in each bin the
    late ones stacked in red on the ones on time. Bins are whole steps (1, 2, 5 × 10ⁿ) so
    the axis reads in round numbers; the target is a dashed line."""
    width, height, left, right, top, bottom = 480, 220, 44, 16, 62, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [_open(chart_id, width, height, title, desc, size=13)]
    if not samples:
        parts.append(f'<text class="no-data" x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12" '
                     f'font-style="italic" fill="{MUTED}">{escape(empty)}</text></svg>')
        return "".join(parts)
    top_value = max(max(s.value for s in samples), target or 0.0) * 1.05 or 1.0
    step = _nice_step(top_value / 8)
    bins = max(1, math.ceil(top_value / step))
    span = bins * step
    on_time, late = [0] * bins, [0] * bins
    for s in samples:
        i = min(int(s.value / step), bins - 1)
        (on_time if s.on_time else late)[i] += 1
    peak = max(a + b for a, b in zip(on_time, late))
    y_step = _nice_step(peak / 4) if peak > 4 else 1
    y_max = math.ceil(peak / y_step) * y_step
    base = top + plot_h
    for k in range(0, int(y_max) + 1, int(y_step)):
        y = base - plot_h * k / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">{k}</text>')
    bin_w = plot_w / bins
    for i in range(bins):
        x = left + i * bin_w
        heights = (plot_h * on_time[i] / y_max, plot_h * late[i] / y_max)
        if on_time[i] + late[i] == 0:
            continue
        span_text = f"{number(i * step)}–{number((i + 1) * step)} {axis}"
        parts.append(f'<g class="hist-bin" data-on-time="{on_time[i]}" data-late="{late[i]}"><title>'
                     f'{escape(labelled(span_text, str(on_time[i] + late[i])))}</title>')
        if on_time[i]:
            parts.append(f'<rect x="{x + 1:.1f}" y="{base - heights[0]:.1f}" width="{bin_w - 2:.1f}" '
                         f'height="{heights[0]:.1f}" fill="{ON_TIME}"/>')
        if late[i]:
            parts.append(f'<rect class="late" x="{x + 1:.1f}" y="{base - heights[0] - heights[1]:.1f}" '
                         f'width="{bin_w - 2:.1f}" height="{heights[1]:.1f}" fill="{MISSED}"/>')
        parts.append(f'<text class="value" x="{x + bin_w / 2:.1f}" y="{base - sum(heights) - 4:.1f}" '
                     f'text-anchor="middle" font-size="11" font-weight="bold" fill="{INK}">'
                     f'{on_time[i] + late[i]}</text></g>')
    label_every = max(1, math.ceil(bins / 8))
    parts.append(_x_axis(left, plot_w, base, [(i / bins, number(i * step)) for i in range(0, bins + 1, label_every)],
                         axis, top_line=False))
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{INK}"/>'
                 f'<text x="{left - 30}" y="{top - 22}" font-size="11" fill="{MUTED}">{escape(counts_axis)}</text>')
    if target is not None and target <= span:
        x = left + plot_w * target / span
        right_half = x > left + plot_w / 2  # the label on the side with room for it
        parts.append(f'<line class="target" x1="{x:.1f}" y1="{top - 32}" x2="{x:.1f}" y2="{base}" stroke="{INK}" '
                     f'stroke-dasharray="4 3"/><text x="{x - 4 if right_half else x + 4:.1f}" y="{top - 22}" '
                     f'text-anchor="{"end" if right_half else "start"}" font-size="11" fill="{INK}">'
                     f'{escape(target_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(raw: float) -> float:
    """The smallest 1, 2, 5 × 10ⁿ at least ``raw``: ticks people read at a glance."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _open(n: str, width: int, height: int, title: str, desc: str, *, size: int = 14) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{n}-title {n}-desc" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="system-ui,sans-serif">'
            f'<title id="{n}-title">{escape(title)}</title><desc id="{n}-desc">{escape(desc)}</desc>'
            f'<text x="8" y="20" font-size="{size}" font-weight="bold" fill="{INK}" aria-hidden="true">'
            f'{escape(title)}</text>')


def _x_axis(x0: float, plot_w: float, y: float, ticks: Sequence[tuple[float, str]], axis: str, *,
            top_line: bool = True) -> str:
    """The axis line, a tick and its label at each fraction of the width, the unit below;
    light grid lines up from the ticks on the share chart."""
    out = [f'<line x1="{x0}" y1="{y}" x2="{x0 + plot_w}" y2="{y}" stroke="{INK}"/>']
    for fraction, label in ticks:
        x = x0 + plot_w * fraction
        if top_line:
            out.append(f'<line x1="{x:.1f}" y1="50" x2="{x:.1f}" y2="{y}" stroke="{GRID}" stroke-dasharray="2 3"/>')
        out.append(f'<line class="tick" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 5}" stroke="{INK}"/>'
                   f'<text class="tick-label" x="{x:.1f}" y="{y + 18}" text-anchor="middle" font-size="11" '
                   f'fill="{INK}">{escape(label)}</text>')
    out.append(f'<text x="{x0 + plot_w / 2:.1f}" y="{y + 36}" text-anchor="middle" font-size="11" fill="{MUTED}">'
               f'{escape(axis)}</text>')
    return "".join(out)


def _legend(x: float, y: float, entries: Sequence[tuple[str, str]]) -> str:
    out = []
    for label, colour in entries:
        out.append(f'<rect class="legend" x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 17}" y="{y}" font-size="12" fill="{INK}">{escape(label)}</text>')
        x += 30 + 7 * len(label)
    return "".join(out)

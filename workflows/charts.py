"""Server-side SVG charts for the dashboards: no script, no style attribute (the CSP allows
neither), presentation attributes only; a viewBox and width 100% so a phone scales them;
a <title> on the chart and on every bar for screen readers and pointers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 22
GAP = 8
FONT_SIZE = 13
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738")
TEXT = "#0b0c0c"
AXIS = "#b1b4b6"
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str = ""  # the value as written beside the bar ("3 h 20 min"); default: value


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _open(title: str, height: int) -> tuple[str, SafeString]:
    chart_id = f"chart-{next(_ids)}"
    return chart_id, format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}-title" font-family="sans-serif" font-size="{}">'
        '<title id="{}-title">{}</title>',
        WIDTH, height, chart_id, FONT_SIZE, chart_id, title)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(title: str, bars: Sequence[Bar], *, colour: str = COLOURS[0]) -> SafeString:
    """Horizontal bars, one a line: label on the left, value at the end of the bar."""
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    _chart_id, head = _open(title, height)
    largest = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 90
    parts = []
    for position, bar in enumerate(bars):
        y = GAP + position * (BAR_HEIGHT + GAP)
        length = round(room * bar.value / largest, 1)
        shown = bar.shown or _number(bar.value)
        parts.append(format_html(
            '<g><title>{} : {}</title>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
            '<text x="{}" y="{}" fill="{}">{}</text></g>',
            bar.label, shown,
            LABEL_WIDTH - 8, y + BAR_HEIGHT - 6, TEXT, _shorten(bar.label),
            LABEL_WIDTH, y, length, BAR_HEIGHT, colour,
            LABEL_WIDTH + length + 6, y + BAR_HEIGHT - 6, TEXT, shown))
    return _close(head, parts)


def day_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Days along the bottom: the first series as columns, the others as lines."""
    height, top, bottom, left = 240, 28, 40, 44
    _chart_id, head = _open(title, height)
    plot_width, plot_height = WIDTH - left - 8, height - top - bottom
    largest = max((value for one in series for value in one.values), default=0) or 1
    step = plot_width / max(1, len(labels))

    def y_of(value: float) -> float:
        return round(top + plot_height - plot_height * value / largest, 1)

    parts = [format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}">0</text>',
        left, top + plot_height, WIDTH - 8, top + plot_height, AXIS,
        left - 4, top + 4, TEXT, _number(largest), left - 4, top + plot_height, TEXT)]
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(format_html(
            '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="17" fill="{}">{}</text>',
            left + index * 220, colour, left + index * 220 + 16, TEXT, one.name))
        if index == 0:
            parts.append(format_html_join("", (
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                '<title>{} : {} {}</title></rect>'), (
                (round(left + position * step + step * 0.15, 1), y_of(value),
                 round(step * 0.7, 1), round(top + plot_height - y_of(value), 1), colour,
                 labels[position], _number(value), one.name)
                for position, value in enumerate(one.values))))
        else:
            points = " ".join(f"{round(left + position * step + step / 2, 1)},{y_of(value)}"
                              for position, value in enumerate(one.values))
            parts.append(format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                points, colour))
            parts.append(format_html_join("", (
                '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} : {} {}</title></circle>'), (
                (round(left + position * step + step / 2, 1), y_of(value), colour,
                 labels[position], _number(value), one.name)
                for position, value in enumerate(one.values))))
    every = max(1, len(labels) // 6)
    parts.append(format_html_join("", '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}'
                                      '</text>', (
        (round(left + position * step + step / 2, 1), height - bottom + 18, TEXT, label)
        for position, label in enumerate(labels) if position % every == 0)))
    return _close(head, parts)


def _close(head: SafeString, parts: list[SafeString]) -> SafeString:
    # Every part came out of format_html: its values are escaped already.
    return mark_safe(head + "".join(parts) + "</svg>")


def _shorten(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"

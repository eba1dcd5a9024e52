"""A small renderer of charts as inline SVG: horizontal bars (stacked or not) and lines.

Pages carry these charts in their HTML, so they print, work offline and need no script. Under
the strict CSP nothing here uses a style attribute or a <style> element: colours come from
classes (``chart-s0`` … ``chart-s5``) in ``insights/insights.css``. Every text is escaped.

Horizontal bars keep long labels (months in Bosnian, meeting titles) readable on a phone: each
label has its own line above its bar instead of being squeezed under a vertical one. The viewBox
scales the whole chart to the width it is given.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
FONT = 14
ROW = 40  # a label line and a bar
BAR = 16
SERIES_CLASSES = 6


@dataclass
class Series:
    label: str
    values: list[int]


@dataclass
class Chart:
    """Numbers to draw: one value per category in each series."""

    slug: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # "bar" (stacked when there are several series) or "line"
    note: str = ""
    rows: list = field(default_factory=list)  # the table under the chart: (label, values)

    def __post_init__(self):
        if not self.rows:
            self.rows = [
                (category, [series.values[i] for series in self.series])
                for i, category in enumerate(self.categories)
            ]

    @property
    def headers(self) -> list[str]:
        return [series.label for series in self.series]

    @property
    def table(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Each row's label with (header, value) pairs, for tables that stack on a phone."""
        return [
            (label, list(zip(self.headers, values, strict=True))) for label, values in self.rows
        ]

    @property
    def totals(self) -> list[int]:
        return [
            sum(series.values[i] for series in self.series) for i in range(len(self.categories))
        ]

    @property
    def is_empty(self) -> bool:
        return not any(any(series.values) for series in self.series)

    def svg(self) -> SafeString:
        return render_line(self) if self.kind == "line" else render_bars(self)


def _nice_max(value: int) -> int:
    """The axis end: 1, 2, 5 × a power of ten, at least the largest value."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _open(chart: Chart, height: int) -> SafeString:
    return format_html(
        '<svg class="chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="chart-{}-title">'
        '<title id="chart-{}-title">{}</title>',
        WIDTH,
        height,
        chart.slug,
        chart.slug,
        chart.title,
    )


def render_bars(chart: Chart) -> SafeString:
    """One row per category: its label, then its bar and the number at its end. Several series
    are stacked in one bar (parts of a whole) or, for kind "grouped", drawn one bar each (counts
    that are not parts of each other, such as invitations sent and answered)."""
    grouped = chart.kind == "grouped"
    largest = max(
        (max(s.values, default=0) for s in chart.series) if grouped else chart.totals, default=0
    )
    # Room on the right for the largest number's digits.
    number_room = 8 + FONT * 0.6 * len(str(largest))
    scale = (WIDTH - number_room) / _nice_max(largest)
    bars = len(chart.series) if grouped else 1
    bar = BAR if bars == 1 else 12
    row = FONT + 4 + bars * (bar + 3) + 10
    height = max(row * len(chart.categories), row)
    parts = [_open(chart, height)]
    for index, category in enumerate(chart.categories):
        top = index * row
        parts.append(
            format_html('<text class="chart__label" x="0" y="{}">{}</text>', top + FONT, category)
        )
        x = 0.0
        for number, series in enumerate(chart.series):
            value = series.values[index]
            y = top + FONT + 4 + (number * (bar + 3) if grouped else 0)
            if grouped:
                x = 0.0
            width = value * scale
            if value:
                parts.append(
                    format_html(
                        '<rect class="chart-s{}" x="{}" y="{}" width="{}" height="{}">'
                        "<title>{}: {} – {}</title></rect>",
                        number % SERIES_CLASSES,
                        f"{x:.1f}",
                        y,
                        f"{width:.1f}",
                        bar,
                        category,
                        series.label,
                        value,
                    )
                )
            x += width
            if grouped:
                parts.append(_number(x, y, bar, value))
        if not grouped:
            parts.append(_number(x, top + FONT + 4, bar, chart.totals[index]))
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html


def _number(x: float, y: int, bar: int, value: int) -> SafeString:
    return format_html(
        '<text class="chart__value" x="{}" y="{}">{}</text>',
        f"{x + 6:.1f}",
        y + bar - 2,
        value,
    )


def render_line(chart: Chart) -> SafeString:
    """One line per series over the categories (months), labels at the ends and the middle."""
    height, left, right, top, bottom = 240, 36, 12, 12, 40
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    largest = max((max(series.values, default=0) for series in chart.series), default=0)
    ceiling = _nice_max(largest)
    count = len(chart.categories)

    def x_of(i):
        return left + (plot_width * i / (count - 1) if count > 1 else plot_width / 2)

    def y_of(value):
        return top + plot_height - value * plot_height / ceiling

    parts = [_open(chart, height)]
    for tick in (0, ceiling // 2, ceiling) if ceiling > 1 else (0, ceiling):
        parts.append(
            format_html(
                '<line class="chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                '<text class="chart__tick" x="{}" y="{}">{}</text>',
                left,
                WIDTH - right,
                f"{y_of(tick):.1f}",
                f"{y_of(tick):.1f}",
                left - 6,
                f"{y_of(tick) + 5:.1f}",
                tick,
            )
        )
    shown = sorted({0, count // 2, count - 1}) if count else []
    for i in shown:
        anchor = "start" if i == 0 and count > 1 else ("end" if i == count - 1 else "middle")
        parts.append(
            format_html(
                '<text class="chart__tick chart__tick--{}" x="{}" y="{}">{}</text>',
                anchor,
                f"{x_of(i):.1f}",
                height - bottom + 22,
                chart.categories[i],
            )
        )
    for number, series in enumerate(chart.series):
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(series.values))
        parts.append(
            format_html(
                '<polyline class="chart__line chart-l{}" points="{}"><title>{}</title></polyline>',
                number % SERIES_CLASSES,
                points,
                series.label,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle class="chart-s{}" cx="{}" cy="{}" r="3">'
                "<title>{}: {} – {}</title></circle>",
                (
                    (
                        number % SERIES_CLASSES,
                        f"{x_of(i):.1f}",
                        f"{y_of(v):.1f}",
                        chart.categories[i],
                        series.label,
                        v,
                    )
                    for i, v in enumerate(series.values)
                ),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html

"""Bar charts drawn on the server as SVG: readable without JavaScript, in print and on a phone.

Each bar sits under its own label across the full width (long state names and Hindi fit on a
360 px screen); the template `staff/_bar_chart.html` draws what `bar_chart` lays out, and every
chart is shown beside the table of its numbers.
"""

from dataclasses import dataclass

WIDTH = 320  # SVG user units; shown at the page's width, at most about twice this
LABEL_HEIGHT = 20  # labels and values are drawn at 14 px (static/css: .chart-label)
BAR_HEIGHT = 18
ROW_GAP = 8
MIN_BAR = 3  # a bar at 0 is still drawn, as an outline, with its value written after it


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y_label: int
    y_bar: int
    width: float
    value_x: float
    value_inside: bool  # a long bar holds its value; a short one has it just after it
    empty: bool = False  # at 0: drawn as a thin outline


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float, str]],
              *, maximum: float | None = None) -> Chart:
    """Lay out horizontal bars for (label, value, value as shown) items, longest = maximum."""
    top = max([maximum or 0, *(value for _, value, _ in items)]) or 1
    bars, y = [], 0
    for label, value, shown in items:
        width = max(float(MIN_BAR), WIDTH * value / top)
        inside = width > WIDTH * 0.6
        bars.append(Bar(label, shown, y + LABEL_HEIGHT - 5, y + LABEL_HEIGHT, round(width, 1),
                        round(width - 4 if inside else width + 4, 1), inside, empty=value <= 0))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    return Chart(chart_id, title, bars, max(y, 1))

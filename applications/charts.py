"""Charts drawn on the server as inline SVG: no JavaScript, nothing from a CDN, and they print.

Every label comes from data (country names, week labels, and whatever a caller passes), so each is
escaped with `django.utils.html.escape` before it is put into the markup, and only the finished
markup is marked safe. Colours come from classes in static/css/portal.css (the CSP forbids style
attributes); a chart never carries information by colour alone, and the page shows its numbers
in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Drawn one CSS pixel per unit (the SVG's width is its viewBox's), so the stylesheet's 12 px text
# stays 12 px: 540 px fit half of the page's container at 1280 px; narrower, the chart scrolls
# inside its figure instead of shrinking its text.
LABEL_WIDTH = 160
BAR_AREA_WIDTH = 250
VALUE_WIDTH = 130
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP_MARGIN = 4
LABEL_MAX_CHARS = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    # A limit drawn as a tick across the bar (a month's quota); None: no limit.
    limit: float | None = None
    # A colour of its own (class bar-chart-bar-<tone> in portal.css), e.g. a status; "": the default.
    tone: str = ""


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _number(value: float) -> str:
    """As the reader writes numbers: 1,234 in English, 1 234 in Russian."""
    return number_format(value, 0 if float(value).is_integer() else 1, force_grouping=True)


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    describe: Callable[[Bar], str] | None = None,
) -> SafeString:
    """A horizontal bar chart, one row per bar: label, bar, value.

    `describe(bar)` gives each bar's tooltip and accessible text (default "label: value"); a bar
    over its limit is drawn with another class, and its value text says so in words.
    """
    describe = describe or (lambda bar: f"{bar.label}: {_number(bar.value)}")
    scale_max = max([bar.value for bar in bars] + [bar.limit for bar in bars if bar.limit is not None] + [1])
    width = LABEL_WIDTH + BAR_AREA_WIDTH + VALUE_WIDTH
    height = TOP_MARGIN * 2 + ROW_HEIGHT * max(len(bars), 1)
    title_id = f"{escape(chart_id)}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = TOP_MARGIN + index * ROW_HEIGHT
        text_y = y + BAR_HEIGHT - 4
        bar_width = round(BAR_AREA_WIDTH * bar.value / scale_max, 1)
        over_limit = bar.limit is not None and bar.value > bar.limit
        value_text = _number(bar.value)
        if bar.limit is not None:
            value_text = f"{value_text} / {_number(bar.limit)}"
            if over_limit:
                value_text = gettext("%(numbers)s, over") % {"numbers": value_text}
        parts.append(f'<g class="bar-chart-row"><title>{escape(describe(bar))}</title>')
        parts.append(
            f'<text class="bar-chart-label" x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">{escape(_shorten(bar.label))}</text>'
        )
        parts.append(
            f'<rect class="bar-chart-bar{f" bar-chart-bar-{escape(bar.tone)}" if bar.tone else ""}'
            f'{" bar-chart-bar-over" if over_limit else ""}" x="{LABEL_WIDTH}" y="{y}" '
            f'width="{bar_width}" height="{BAR_HEIGHT}"></rect>'
        )
        if bar.limit is not None:
            limit_x = round(LABEL_WIDTH + BAR_AREA_WIDTH * bar.limit / scale_max, 1)
            parts.append(
                f'<line class="bar-chart-limit" x1="{limit_x}" x2="{limit_x}" y1="{y - 2}" y2="{y + BAR_HEIGHT + 2}"></line>'
            )
        parts.append(
            f'<text class="bar-chart-value" x="{LABEL_WIDTH + BAR_AREA_WIDTH + 6}" y="{text_y}">{escape(value_text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    # Safe: every piece of text above went through escape(); the rest is markup built here from numbers.
    return mark_safe("".join(parts))

"""Charts drawn on the server as inline SVG (matplotlib's SVG canvas; no GUI backend, no pyplot).

Every chart is an `<svg role="img">` named by its `<title>`, so a screen reader announces
the title; the numbers themselves belong in a data table beside the chart. Text is stored
as paths (`svg.fonttype="path"`, DejaVu Sans, which covers Kazakh and ₸), so browsers need
no font, and numbers are formatted here rather than by matplotlib's locale-blind tickers.

matplotlib takes about a second to import: it is imported on the first chart only, and
finished charts are kept in the cache, keyed by everything that goes into them.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, cast

from django.core.cache import cache
from django.utils.formats import number_format

__all__ = ["bar_chart_svg", "day_chart_svg", "format_count"]

ACCENT = "#0b5394"  # the site's accent colour: 7.5:1 against white
INK = "#1f2328"
GRID = "#d0d7de"
LABEL_WIDTH = 24
CACHE_SECONDS = 60 * 60

RC = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    # Labels are people's free text (target groups): "$…$" must not be read as mathtext.
    "text.parse_math": False,
    # Stable ids, so the same data always gives the same markup (and the cache is useful).
    "svg.hashsalt": "baiqau",
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}

# rcParams are process-global and matplotlib is not thread-safe: one chart at a time.
_lock = threading.Lock()

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
# matplotlib's `*{stroke-linejoin…}` style sheet would apply to the whole page once inlined.
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r"(url\(#|href=\"#)([^)\"]+)")


def format_count(value: float) -> str:
    """A whole number grouped as the active language writes it (kk, ru: 1 234 567)."""
    return number_format(round(value), force_grouping=True)


def _short(label: str) -> str:
    """At most two lines of LABEL_WIDTH characters; the table beside has the whole text."""
    lines = textwrap.wrap(" ".join(str(label).split()), LABEL_WIDTH) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: LABEL_WIDTH - 1].rstrip() + "…"]
    return "\n".join(lines)


def _chart_id(kind: str, payload: Any) -> tuple[str, str]:
    digest = hashlib.sha256(json.dumps([kind, payload], default=str).encode()).hexdigest()
    return f"chart-{digest[:12]}", f"baiqau:chart:{digest}"


def _finish(figure: Any, chart_id: str, title: str) -> str:
    """Serialise the figure and make its markup fit to inline in a page."""
    import io

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _STYLE.sub("", _METADATA.sub("", _COMMENT.sub("", svg)))
    # Several charts share one page: every id inside (glyphs, clip paths) gets the chart's prefix.
    svg = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", svg)
    # The viewBox stays: without a fixed size the chart scales to its column.
    svg = _SIZE.sub("", svg, count=2)
    title_id = f"{chart_id}-title"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" focusable="false" '
        'stroke-linejoin="round" stroke-linecap="butt" style="max-width:100%;height:auto" ',
        1,
    )
    opening_end = svg.index(">") + 1
    return (
        svg[:opening_end]
        + f'\n<title id="{title_id}">{html.escape(title)}</title>'
        + svg[opening_end:]
    ).strip()


def _draw(kind: str, payload: dict[str, Any], paint: Callable[[Any], None]) -> str:
    chart_id, key = _chart_id(kind, payload)
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    with _lock:
        import matplotlib
        from matplotlib.figure import Figure

        # rc_context's stub wants literal keys; RC's keys are checked by matplotlib at run time.
        with matplotlib.rc_context(cast(Any, RC)):
            figure = Figure(figsize=payload["size"], layout="constrained")
            paint(figure)
            svg = _finish(figure, chart_id, payload["title"])
    cache.set(key, svg, CACHE_SECONDS)
    return svg


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str = "",
    ylabel: str = "",
    value_format: Callable[[float], str] = format_count,
    show_title: bool = False,
) -> str:
    """Horizontal bars, largest label set first from the top, each with its value written out.

    Horizontal, because category labels here are long (organisation types, target groups).
    `xlabel` names the values' axis, `ylabel` the categories'. The title always names the
    chart for screen readers; `show_title` also draws it (the page's heading usually does).
    """
    labels = [str(label) for label in labels]
    values = [float(v) for v in values]
    texts = [value_format(v) for v in values]
    payload: dict[str, Any] = {
        "title": str(title),
        "shown": show_title,
        "labels": labels,
        "values": values,
        "x": str(xlabel),
        "y": str(ylabel),
        "fmt": texts,
        "size": (5.0, 0.6 + 0.5 * max(len(labels), 1) + (0.3 if show_title else 0)),
    }

    def paint(figure: Any) -> None:
        ax = figure.add_subplot()
        _style(ax)
        positions = list(range(len(labels)))
        bars = ax.barh(positions, values, color=ACCENT, height=0.6)
        ax.set_yticks(positions, labels=[_short(label) for label in labels])
        ax.invert_yaxis()
        # Every bar carries its exact value, so the value axis would only add clutter.
        ax.bar_label(bars, labels=texts, padding=4, color=INK)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        top = max(values, default=0)
        # Room on the right for the longest value written after its bar.
        room = 1.1 + 0.03 * max((len(text) for text in texts), default=0)
        ax.set_xlim(0, top * room if top > 0 else 1)
        if show_title:
            ax.set_title(payload["title"], loc="left", fontsize=12, color=INK)
        if xlabel:
            ax.set_xlabel(payload["x"])
        if ylabel:
            ax.set_ylabel(payload["y"])
        if not labels:
            ax.set_yticks([])

    return _draw("bar", payload, paint)


def day_chart_svg(
    days: Sequence[date],
    values: Sequence[int],
    *,
    title: str,
    ylabel: str = "",
    day_format: Callable[[date], str] = lambda d: d.strftime("%d.%m"),
    show_title: bool = False,
) -> str:
    """One column per calendar day (give every day, zeros included), eight labelled at most."""
    days = list(days)
    values = [int(v) for v in values]
    step = max(1, -(-len(days) // 8))
    payload: dict[str, Any] = {
        "title": str(title),
        "shown": show_title,
        "days": [d.isoformat() for d in days],
        "values": values,
        "y": str(ylabel),
        "ticks": [day_format(d) for d in days[::step]],
        "size": (5.0, 2.8 + (0.3 if show_title else 0)),
    }

    def paint(figure: Any) -> None:
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        ax = figure.add_subplot()
        _style(ax)
        positions = list(range(len(days)))
        ax.bar(positions, values, color=ACCENT, width=0.8)
        ax.set_xticks(positions[::step], labels=payload["ticks"])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_count(v)))
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_ylim(0, max(max(values, default=0) * 1.1, 1))
        if show_title:
            ax.set_title(payload["title"], loc="left", fontsize=12, color=INK)
        if ylabel:
            ax.set_ylabel(payload["y"])

    return _draw("day", payload, paint)

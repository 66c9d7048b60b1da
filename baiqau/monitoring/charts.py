"""The impact view's charts: server-drawn inline SVG, each named by a `<title>` and described by a
`<desc>` that gives every figure in words (the data table beside the chart gives them again).

Drawn with `baiqau.core.charts` (matplotlib's SVG canvas, no GUI backend, imported on the first
chart only; DejaVu Sans, which has every Kazakh letter and ₸, stored as paths so the browser
needs no font; no external resource) and cached there by a hash of everything drawn, so a
chart is drawn once per language and data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baiqau.core.charts import (
    ACCENT,
    INK,
    _draw,
    _short,
    _style,
    bar_chart_svg,
    format_count,
)
from baiqau.domain.money import format_tenge

from .impact import Beneficiaries, Impact, Money

__all__ = [
    "SECOND",
    "age_sex_chart",
    "disability_chart",
    "disability_rows",
    "grouped_bar_chart_svg",
    "impact_charts",
    "money_chart",
    "money_rows",
    "reached_chart",
    "with_description",
]

# The second series: amber, 5.0:1 against white, and hatched, so colour is not the only cue.
SECOND = "#b45309"
_LABELLED = re.compile(r'aria-labelledby="([^"]+)-title"')


def with_description(svg: str, description: str) -> SafeString:
    """The chart with a `<desc>` after its `<title>`, referenced by aria-describedby."""
    found = _LABELLED.search(svg)
    if found is None:  # not a chart of ours: leave it as it is
        raise ValueError("Not a chart made by baiqau.core.charts.")
    chart_id = found.group(1)
    svg = svg.replace(
        f'aria-labelledby="{chart_id}-title"',
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"',
        1,
    )
    end = svg.index("</title>") + len("</title>")
    svg = svg[:end] + f'\n<desc id="{chart_id}-desc">{html.escape(description)}</desc>' + svg[end:]
    # matplotlib's paths and our escaped title and description: nobody's text is in it raw.
    return mark_safe(svg)  # noqa: S308


def _describe(labels: Sequence[str], texts: Sequence[str]) -> str:
    return "; ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True)) + "."


def grouped_bar_chart_svg(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    value_format: Callable[[float], str] = format_count,
) -> str:
    """Horizontal bars, two series per group (women and men per age group), with a legend."""
    groups = [str(g) for g in groups]
    names = [str(name) for name, _values in series]
    values = [[int(v) for v in values] for _name, values in series]
    payload: dict[str, Any] = {
        "title": str(title),
        "groups": groups,
        "names": names,
        "values": values,
        "fmt": [[value_format(v) for v in row] for row in values],
        "size": (5.0, 1.0 + 0.75 * max(len(groups), 1)),
    }

    def paint(figure: Any) -> None:
        ax = figure.add_subplot()
        _style(ax)
        height = 0.8 / max(len(series), 1)
        colours = (ACCENT, SECOND)
        hatches = ("", "///")
        for n, (name, row, texts) in enumerate(zip(names, values, payload["fmt"], strict=True)):
            positions = [i + (n - (len(series) - 1) / 2) * height for i in range(len(groups))]
            bars = ax.barh(
                positions,
                row,
                height=height * 0.9,
                color=colours[n % 2],
                hatch=hatches[n % 2],
                edgecolor="white" if n % 2 else colours[n % 2],
                label=name,
            )
            ax.bar_label(bars, labels=texts, padding=3, color=INK, fontsize=9)
        ax.set_yticks(range(len(groups)), labels=[_short(g) for g in groups])
        ax.invert_yaxis()
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        top = max((v for row in values for v in row), default=0)
        ax.set_xlim(0, top * 1.25 if top > 0 else 1)
        ax.legend(loc="lower right", frameon=False, fontsize=9)

    return _draw("grouped", payload, paint)


def age_sex_chart(b: Beneficiaries) -> SafeString:
    title = _("Beneficiaries reached by age group and sex")
    groups = [label for label, *_counts in b.by_age]
    women = [w for _label, w, _m, _t in b.by_age]
    men = [m for _label, _w, m, _t in b.by_age]
    svg = grouped_bar_chart_svg(
        groups, [(_("Women and girls"), women), (_("Men and boys"), men)], title=title
    )
    words = [
        _("%(group)s: %(women)s women and girls, %(men)s men and boys")
        % {"group": g, "women": format_count(w), "men": format_count(m)}
        for g, w, m in zip(groups, women, men, strict=True)
    ]
    return with_description(svg, "; ".join(words) + ".")


def disability_rows(b: Beneficiaries) -> list[tuple[str, int]]:
    """People without a disability, then those with one by group (the group last if not stated)."""
    return [(_("Without a disability"), b.without_disability)] + [
        (label or _("With a disability, group not stated"), n) for label, n in b.by_group
    ]


def disability_chart(b: Beneficiaries) -> SafeString:
    rows = disability_rows(b)
    labels, counts = [r[0] for r in rows], [r[1] for r in rows]
    svg = bar_chart_svg(labels, counts, title=_("Beneficiaries reached by disability"))
    return with_description(svg, _describe(labels, [format_count(c) for c in counts]))


def reached_chart(b: Beneficiaries) -> SafeString:
    labels = [_("Reached (accepted reports)"), _("Target (the agreements)")]
    values = [b.reached, int(b.target)]
    svg = bar_chart_svg(labels, values, title=_("Beneficiaries reached against the target"))
    return with_description(svg, _describe(labels, [format_count(v) for v in values]))


def money_rows(m: Money) -> list[tuple[str, int]]:
    return [
        (pgettext("money", "Awarded"), m.awarded),
        (pgettext("money", "Paid"), m.paid),
        (pgettext("money", "Withheld"), m.withheld),
        (pgettext("money", "Outstanding (not yet paid)"), m.outstanding),
    ]


def money_chart(m: Money) -> SafeString:
    rows = money_rows(m)
    labels, amounts = [r[0] for r in rows], [r[1] for r in rows]
    svg = bar_chart_svg(
        labels,
        amounts,
        title=_("Money awarded, paid, withheld and outstanding"),
        value_format=lambda v: format_tenge(round(v)),
    )
    return with_description(svg, _describe(labels, [format_tenge(a) for a in amounts]))


def impact_charts(impact: Impact) -> dict[str, SafeString]:
    """The charts of an impact page, in the active language (drawn once, then cached)."""
    charts = {"money": money_chart(impact.money)}
    if impact.standing.projects:
        charts["reached"] = reached_chart(impact.beneficiaries)
    if impact.show_categories and impact.beneficiaries.reached:
        charts["age_sex"] = age_sex_chart(impact.beneficiaries)
        charts["disability"] = disability_chart(impact.beneficiaries)
    return charts

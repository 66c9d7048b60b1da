"""The public impact view: what the funded projects achieved, across calls and per call.

Aggregate counts only: beneficiaries by category are shown for a call (or all calls) as a
whole, and per project only as a total. Each project shows its public summary and, once its
final report is accepted, what changed as that report says.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .charts import disability_rows, impact_charts, money_rows
from .impact import (
    PUBLIC_MIN_PROJECTS,
    Impact,
    impact_call_public,
    impact_figures,
    impact_overview,
)
from .impact_projects import project_page, standing_of


def figures_context(impact: Impact) -> dict[str, Any]:
    """What the shared figures template (`monitoring/impact/_figures.html`) needs."""
    return {
        "impact": impact,
        "charts": impact_charts(impact),
        "money_rows": money_rows(impact.money),
        "disability_rows": disability_rows(impact.beneficiaries),
        "min_projects": PUBLIC_MIN_PROJECTS,
    }


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    impact, calls = impact_overview()
    context = figures_context(impact) | {"calls": calls, "public": True}
    return render(request, "monitoring/impact/overview.html", context)


@require_safe
def call_impact(request: HttpRequest, slug: str) -> HttpResponse:
    call = impact_call_public(slug)
    impact = impact_figures(call=call, public=True)
    page = project_page(call=call, public=True, page_number=request.GET.get("page"))
    projects = [{"agreement": a, "standing": standing_of(a)} for a in page]
    context = figures_context(impact) | {
        "call": call,
        "page": page,
        "projects": projects,
        "public": True,
    }
    return render(request, "monitoring/impact/call.html", context)

"""A call's impact for its staff: the public figures plus each project's money, its people
reached against its target and its indicators' progress (counts only, never people)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from baiqau.calls.models import Call
from baiqau.monitoring.impact import impact_figures
from baiqau.monitoring.impact_projects import indicator_progress, project_page, standing_of
from baiqau.monitoring.views_impact import figures_context

from ..access import COMMISSION, ORGANISERS, SCREENERS, staff_view

# Who sees the impact with each project's money: the organisers, the secretariat and the
# commission (observers see the public page).
IMPACT_ROLES = ORGANISERS | SCREENERS | COMMISSION


@staff_view(IMPACT_ROLES)
@require_safe
def impact(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    figures = impact_figures(call=call, public=False)
    page = project_page(call=call, public=False, page_number=request.GET.get("page"))
    agreements = list(page)
    progress = indicator_progress([a.pk for a in agreements])
    projects = [
        {"agreement": a, "standing": standing_of(a), "indicators": progress.get(a.pk, [])}
        for a in agreements
    ]
    context = figures_context(figures) | {
        "call": call,
        "role": role,
        "page": page,
        "projects": projects,
        "public": False,
        "public_visible": call.results_are_public,
        "crumb": _("Impact"),
    }
    return render(request, "workspace/impact/impact.html", context)

"""After the award, for a call's staff: /<lang>/manage/calls/<slug>/agreements/…

The organisers and the secretariat draft, offer and close agreements, move payments, review
reports and record visits; the commission's chair and members see the same pages read-only
(their changes are a 404, like anyone without a role on the call). Changes of state are in
`monitoring_actions`, reports in `monitoring_reports`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.applications.models import Application
from baiqau.calls.models import Call, CallRoleKind
from baiqau.core.errors import DomainError
from baiqau.monitoring.models import AgreementStatus
from baiqau.monitoring.selectors_staff import (
    agreement_for_staff,
    agreement_page,
    award_list,
    award_rows,
    local_today,
    money_totals,
)
from baiqau.monitoring.services import agreement_create, agreement_update

from ..access import SCREENERS, staff_view
from ..forms_monitoring import ScheduleForms, SearchForm

# Who sees the monitoring pages, and who changes anything on them.
VIEWERS = frozenset(
    {CallRoleKind.ORGANISER, CallRoleKind.SECRETARY, CallRoleKind.CHAIR, CallRoleKind.MEMBER}
)
ACTORS = SCREENERS
PAGE_SIZE = 50
GET_POST = ["GET", "POST"]


@staff_view(VIEWERS)
@require_safe
def agreements(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    search = SearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(award_list(call, q), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/monitoring/agreements.html",
        {
            "call": call,
            "role": role,
            "may_act": role in ACTORS,
            "search": search,
            "q": q,
            "page": page,
            "rows": award_rows(page.object_list),
            "query": query.urlencode(),
            "totals": money_totals(call),
            "today": local_today(),
            "crumb": _("Agreements"),
        },
    )


@staff_view(ACTORS)
@require_POST
def agreement_draft(
    request: HttpRequest, application_pk: int, *, call: Call, role: str
) -> HttpResponse:
    application = get_object_or_404(Application, call=call, pk=application_pk)
    try:
        agreement = agreement_create(actor=request.user, application=application)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workspace:agreements", slug=call.slug)
    messages.success(
        request,
        _(
            "The agreement %(number)s is drafted with a default schedule. Check it, change "
            "what the project needs, then offer it to the organisation."
        )
        % {"number": agreement.number},
    )
    return redirect("workspace:agreement", slug=call.slug, pk=agreement.pk)


@staff_view(VIEWERS)
@require_http_methods(GET_POST)
def agreement(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    """The agreement; while it is a draft, the organisers and the secretariat edit it here."""
    if request.method == "POST" and role not in ACTORS:
        raise Http404
    current = agreement_for_staff(call, pk)
    page = agreement_page(current)
    editable = role in ACTORS and current.status == AgreementStatus.DRAFT
    if request.method == "POST" and not editable:
        messages.error(
            request, _("Only a draft agreement can be changed; withdraw the offer first.")
        )
        return redirect("workspace:agreement", slug=call.slug, pk=current.pk)
    forms = (
        ScheduleForms(
            request.POST if request.method == "POST" else None,
            agreement=current,
            indicators=page.indicators,
            reports=[row.report for row in page.reports],
            tranches=[row.tranche for row in page.tranches],
        )
        if editable
        else None
    )
    if request.method == "POST" and forms is not None and forms.is_valid():
        try:
            agreement_update(actor=request.user, agreement=current, **forms.specs())
        except DomainError as error:
            forms.refuse(error)
        else:
            messages.success(request, _("The draft agreement was saved."))
            return redirect("workspace:agreement", slug=call.slug, pk=current.pk)
    return render(
        request,
        "workspace/monitoring/agreement.html",
        {
            "call": call,
            "role": role,
            "may_act": role in ACTORS,
            "agreement": current,
            "page": page,
            "forms": forms,
            "crumb": _("Agreement %(number)s") % {"number": current.number},
        },
        status=400 if request.method == "POST" else 200,
    )

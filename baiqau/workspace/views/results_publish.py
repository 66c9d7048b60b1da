"""Publishing a call's results and withdrawing them: each behind a confirmation page, for the
organisers only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.results.models import Award
from baiqau.results.services import results_publish, results_reopen

from ..access import ORGANISERS, staff_view
from ..forms_results import WithdrawForm
from .jury import refuse
from .results_data import current_ranking_for_staff

GET_POST = ["GET", "POST"]


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def results_publish_view(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    if call.results_are_public:
        messages.info(
            request,
            _("The results were published on %(date)s.")
            % {"date": date_format(localtime(call.results_published_at), "DATETIME_FORMAT")},
        )
        return redirect("workspace:results", slug=call.slug)
    error = ""
    if request.method == "POST":
        try:
            results_publish(actor=request.user, call=call)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                _("The results are published: the call is decided and every applicant is told."),
            )
            return redirect("workspace:results", slug=call.slug)
    ranking = current_ranking_for_staff(call)
    awards = (
        list(
            Award.objects.filter(ranking=ranking)
            .select_related("application__organisation")
            .order_by("place")
        )
        if ranking is not None
        else []
    )
    return render(
        request,
        "workspace/results/publish.html",
        {
            "call": call,
            "role": role,
            "ranking": ranking,
            "awards": awards,
            "error": error,
            "announcement_url": reverse("workspace:results_announcement", args=[call.slug]),
            "decision_url": reverse("workspace:decision", args=[call.slug]),
            "crumb": _("Publish the results"),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def results_withdraw(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    if not call.results_are_public:
        messages.info(request, _("The results are not published: there is nothing to withdraw."))
        return redirect("workspace:results", slug=call.slug)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            results_reopen(actor=request.user, call=call, reason=form.cleaned_data["reason"])
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request, _("The results were withdrawn and the call is back in review.")
            )
            return redirect("workspace:results", slug=call.slug)
    return render(
        request,
        "workspace/results/withdraw.html",
        {"call": call, "role": role, "form": form, "crumb": _("Withdraw the results")},
        status=400 if request.method == "POST" else 200,
    )

"""Reviewing a report: the submitted version (or an earlier one), its files, and staff's answer:
accept it, return it with comments, or reopen an accepted one with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.monitoring.models import Agreement, Report, ReportStatus
from baiqau.monitoring.selectors_staff import agreement_for_staff, is_overdue, local_today
from baiqau.monitoring.selectors_staff_reports import (
    pick_version,
    report_file_for_staff,
    report_for_staff,
    report_versions,
    version_detail,
)
from baiqau.monitoring.services import report_accept, report_reopen, report_return

from ..access import staff_view
from ..forms_monitoring import CommentForm, ReasonForm, ReturnForm
from .monitoring import ACTORS, VIEWERS


def _reopen_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        label=_("Why the accepted report is reopened"),
        help_text=_(
            "The organisation sees the report returned for revision. It no longer counts "
            "until it is accepted again. Recorded in the audit log."
        ),
        prefix="reopen",
    )


def _page(
    request: HttpRequest,
    call: Call,
    role: str,
    agreement: Agreement,
    report: Report,
    **bound: BaseForm,
) -> HttpResponse:
    versions = report_versions(report)
    shown = pick_version(versions, request.GET.get("version"))
    may_act = role in ACTORS
    forms: dict[str, BaseForm] = {}
    if may_act and report.status == ReportStatus.SUBMITTED:
        forms["accept_form"] = bound.get("accept_form") or CommentForm(prefix="accept")
        forms["return_form"] = bound.get("return_form") or ReturnForm(prefix="return")
    if may_act and report.status == ReportStatus.ACCEPTED:
        forms["reopen_form"] = bound.get("reopen_form") or _reopen_form()
    return render(
        request,
        "workspace/monitoring/report.html",
        {
            "call": call,
            "role": role,
            "may_act": may_act,
            "agreement": agreement,
            "report": report,
            "overdue": is_overdue(report, local_today()),
            "versions": versions,
            "shown": shown,
            "latest": versions[-1] if versions else None,
            "detail": version_detail(report, shown) if shown is not None else None,
            **forms,
            "crumb": _("%(report)s of %(number)s")
            % {"report": report.get_kind_display(), "number": agreement.number},
        },
        status=400 if bound else 200,
    )


def _load(call: Call, pk: int, report_pk: int) -> tuple[Agreement, Report]:
    agreement = agreement_for_staff(call, pk)
    return agreement, report_for_staff(agreement, report_pk)


def _back(call: Call, agreement: Agreement, report: Report) -> HttpResponse:
    return redirect("workspace:report_review", slug=call.slug, pk=agreement.pk, report_pk=report.pk)


def _refused(
    request: HttpRequest, call: Call, agreement: Agreement, report: Report, refusal: DomainError
) -> HttpResponse:
    # The report moved meanwhile (someone else answered it) or a rule refused: the page shows
    # the report as it is now, with the reason.
    messages.error(request, refusal.message)
    return _back(call, agreement, report)


@staff_view(VIEWERS)
@require_safe
def report_review(
    request: HttpRequest, pk: int, report_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement, report = _load(call, pk, report_pk)
    return _page(request, call, role, agreement, report)


@staff_view(ACTORS)
@require_POST
def report_accept_view(
    request: HttpRequest, pk: int, report_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement, report = _load(call, pk, report_pk)
    form = CommentForm(request.POST, prefix="accept")
    if form.is_valid():
        try:
            report_accept(actor=request.user, report=report, comment=form.cleaned_data["comment"])
        except DomainError as refusal:
            return _refused(request, call, agreement, report, refusal)
        messages.success(request, _("The report is accepted."))
        return _back(call, agreement, report)
    return _page(request, call, role, agreement, report, accept_form=form)


@staff_view(ACTORS)
@require_POST
def report_return_view(
    request: HttpRequest, pk: int, report_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement, report = _load(call, pk, report_pk)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            report_return(actor=request.user, report=report, comment=form.cleaned_data["comment"])
        except DomainError as refusal:
            return _refused(request, call, agreement, report, refusal)
        messages.success(
            request, _("The report was returned to the organisation with your comments.")
        )
        return _back(call, agreement, report)
    return _page(request, call, role, agreement, report, return_form=form)


@staff_view(ACTORS)
@require_POST
def report_reopen_view(
    request: HttpRequest, pk: int, report_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement, report = _load(call, pk, report_pk)
    form = _reopen_form(request.POST)
    if form.is_valid():
        try:
            report_reopen(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            return _refused(request, call, agreement, report, refusal)
        messages.success(request, _("The report was reopened and returned for revision."))
        return _back(call, agreement, report)
    return _page(request, call, role, agreement, report, reopen_form=form)


@staff_view(VIEWERS)
@require_safe
def report_file(
    request: HttpRequest, pk: int, report_pk: int, file_pk: int, *, call: Call, role: str
) -> FileResponse:
    _agreement, report = _load(call, pk, report_pk)
    stored = report_file_for_staff(report, file_pk)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )

"""The organisation writes its reports: a draft kept between sessions, submitted as a version.

Everything typed survives: a stale draft version (someone else saved meanwhile) and a report
the service finds incomplete both show the form again with the text as it was typed. Files
are uploaded on their own, checked by content like an application's attachments.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.applications.uploads import SizeLimitUploadHandler
from baiqau.core.auth import login_required_keeping_input, pop_kept_input
from baiqau.core.errors import DomainError
from baiqau.workspace.access import mfa_required

from .forms_org import ReportFileForm, ReportForm, beneficiary_columns
from .models import Report
from .selectors_org import (
    ReportPage,
    report_file_for,
    report_for_member,
    report_page,
    version_for_member,
)
from .services import ReportInvalid, report_file_add, report_file_remove, report_save_draft
from .services import report_submit as submit_report


def _url(report: Report) -> str:
    return reverse("monitoring:report", args=[report.agreement_id, report.pk])


def _version(data: QueryDict) -> int | None:
    try:
        return int(data.get("draft_version", ""))
    except ValueError:
        return None


def _render(
    request: HttpRequest,
    page: ReportPage,
    form: ReportForm | None,
    *,
    version: int | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "page": page,
        "report": page.report,
        "agreement": page.agreement,
        "form": form,
        "columns": beneficiary_columns(page.ask_disability_group),
        "draft_version": version if version is not None else page.report.draft_version,
        "conflict": conflict,
        "file_form": ReportFileForm(),
        "latest_version": (
            version_for_member(page.report, page.latest.number)
            if form is None and page.latest is not None
            else None
        ),
    }
    return render(request, "monitoring/org/report.html", context, status=status)


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    found = report_for_member(request.user, pk, report_pk)
    page = report_page(found)
    if request.method == "POST":
        return _post(request, page)
    if not page.editable:
        return _render(request, page, None)
    kept = pop_kept_input(request)
    if kept is not None:
        messages.warning(
            request,
            _("You were logged out before your report was saved. It is shown below: save it."),
        )
        return _render(request, page, ReportForm(page, data=kept), version=_version(kept))
    return _render(request, page, ReportForm(page, draft=found.draft))


def _post(request: HttpRequest, page: ReportPage) -> HttpResponse:
    """Save the draft; with "submit", then submit it. Typed text is never lost."""
    form = ReportForm(page, data=request.POST)
    draft = form.draft()
    version = _version(request.POST)
    try:
        saved = report_save_draft(
            actor=request.user, report=page.report, data=draft, version=version
        )
    except DomainError as error:
        if error.code == "conflict":
            return _render(request, page, form, version=version, conflict=error.message, status=409)
        messages.error(request, error.message)
        return redirect(_url(page.report))
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved."))
        return redirect(_url(saved))
    try:
        submitted = submit_report(actor=request.user, report=saved, version=saved.draft_version)
    except ReportInvalid as invalid:
        form.add_report_errors(invalid.errors)
        messages.error(request, _("Not submitted: your draft is saved; see the marked fields."))
        return _render(request, report_page(saved), form, status=400)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(saved))
    messages.success(
        request,
        _("Report submitted (version %(number)s). The organisers will review it.")
        % {"number": submitted.number},
    )
    return redirect(_url(saved))


@login_required_keeping_input
@require_POST
def report_autosave(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """Saves the draft while the person types (htmx); answers with the save status only."""
    found = report_for_member(request.user, pk, report_pk)
    form = ReportForm(report_page(found), data=request.POST)
    context: dict[str, Any] = {}
    try:
        saved = report_save_draft(
            actor=request.user, report=found, data=form.draft(), version=_version(request.POST)
        )
        context = {"draft_version": saved.draft_version, "saved_at": saved.draft_saved_at}
    except DomainError as error:
        context = {"error": error.message}
    return render(request, "monitoring/org/_save_status.html", context)


@login_required_keeping_input
@require_safe
def report_version(request: HttpRequest, pk: int, report_pk: int, number: int) -> HttpResponse:
    found = report_for_member(request.user, pk, report_pk)
    version = version_for_member(found, number)
    return render(
        request,
        "monitoring/org/report_version.html",
        {"report": found, "agreement": found.agreement, "version": version},
    )


@login_required_keeping_input
@csrf_protect
def _upload(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    found = report_for_member(request.user, pk, report_pk)
    form = ReportFileForm(request.POST, request.FILES)
    too_large = getattr(request, "upload_too_large", None)
    if too_large is not None:
        messages.error(
            request,
            _("The file is larger than %(limit)s MB, the limit for one file. Nothing was saved.")
            % {"limit": too_large.limit // (1024 * 1024)},
        )
        return redirect(f"{_url(found)}#files")
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(f"{_url(found)}#files")
    try:
        report_file_add(actor=request.user, report=found, upload=form.cleaned_data["file"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{_url(found)}#files")
    messages.success(request, _("File uploaded."))
    return redirect(f"{_url(found)}#files")


@require_POST
def report_file_add_view(request: HttpRequest, pk: int, report_pk: int) -> HttpResponseBase:
    # The size limit must be in place before anything reads the request body, so CSRF
    # protection is applied inside, after the upload handlers are set.
    request.upload_handlers = [
        SizeLimitUploadHandler(request, settings.BAIQAU_ATTACHMENT_MAX_BYTES),
        *request.upload_handlers,
    ]
    return _upload(request, pk, report_pk)


report_file_add_view.csrf_exempt = True  # type: ignore[attr-defined]  # checked by _upload


@login_required_keeping_input
@require_POST
def report_file_remove_view(
    request: HttpRequest, pk: int, report_pk: int, file_pk: int
) -> HttpResponse:
    found = report_for_member(request.user, pk, report_pk)
    try:
        report_file_remove(actor=request.user, report=found, file_id=file_pk)
        messages.success(request, _("File removed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{_url(found)}#files")


@login_required_keeping_input
@require_safe
def report_file(request: HttpRequest, pk: int, report_pk: int, file_pk: int) -> HttpResponseBase:
    stored, member = report_file_for(request.user, pk, report_pk, file_pk)
    if not member and mfa_required(request.user):
        messages.warning(
            request,
            _("Staff of a call must use two-factor authentication. Set it up to continue."),
        )
        return redirect("mfa_index")
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )

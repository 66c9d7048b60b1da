"""Attachments: uploaded with a size limit enforced while reading, served only to members."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.calls.models import Question, QuestionKind
from baiqau.core.auth import login_required_keeping_input
from baiqau.core.errors import DomainError

from ..forms import AttachmentForm
from ..models import Application, ApplicationStatus
from ..selectors import application_for_member, attachment_for_member
from ..services import attachment_add, attachment_remove
from ..uploads import SizeLimitUploadHandler
from .common import deadline_context
from .sections import progress_context, section_url


def _file_questions(application: Application) -> list[Question]:
    return [q for q in application.call.questions.all() if q.kind == QuestionKind.FILE]


def _render(
    request: HttpRequest, application: Application, form: AttachmentForm, status: int = 200
) -> HttpResponse:
    attachments = list(application.attachments.select_related("question"))
    by_question = {a.question_id: a for a in attachments if a.question_id}
    return render(
        request,
        "applications/section_files.html",
        {
            "application": application,
            "call": application.call,
            **progress_context("files"),
            "form": form,
            "file_questions": [(q, by_question.get(q.pk)) for q in _file_questions(application)],
            "attachments": [a for a in attachments if not a.question_id],
            "used_bytes": sum(a.size for a in attachments),
            "next_url": section_url(application, "review"),
            **deadline_context(application.call),
        },
        status=status,
    )


@login_required_keeping_input
@csrf_protect
def _upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applicants:review", pk=pk)
    if request.method == "GET":
        return _render(request, application, AttachmentForm())
    form = AttachmentForm(request.POST, request.FILES)
    too_large = getattr(request, "upload_too_large", None)
    if too_large is not None:
        form = AttachmentForm()
        messages.error(
            request,
            _("The file is larger than %(limit)s MB, the limit for one file. Nothing was saved.")
            % {"limit": too_large.limit // (1024 * 1024)},
        )
        return _render(request, application, form, status=413)
    if not form.is_valid():
        return _render(request, application, form, status=400)
    question = None
    question_id = request.POST.get("question")
    if question_id:
        question = next((q for q in _file_questions(application) if str(q.pk) == question_id), None)
    try:
        attachment_add(
            actor=request.user,
            application=application,
            upload=form.cleaned_data["file"],
            question=question,
        )
    except DomainError as error:
        form.add_error("file", error.message)
        return _render(request, application, form, status=400)
    messages.success(request, _("File uploaded."))
    return redirect("applicants:files", pk=pk)


@require_http_methods(["GET", "POST"])
def files(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The size limit must be in place before anything reads the request body, so CSRF
    # protection is applied inside, after the upload handlers are set.
    if request.method == "POST":
        request.upload_handlers = [
            SizeLimitUploadHandler(request, settings.BAIQAU_ATTACHMENT_MAX_BYTES),
            *request.upload_handlers,
        ]
    return _upload(request, pk)


files.csrf_exempt = True  # type: ignore[attr-defined]  # checked by _upload, see above


@login_required_keeping_input
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    attachment_for_member(request.user, pk, file_pk)
    try:
        attachment_remove(actor=request.user, application=application, attachment_id=file_pk)
        messages.success(request, _("File removed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("applicants:files", pk=pk)


@login_required_keeping_input
@require_safe
def file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    attachment = attachment_for_member(request.user, pk, file_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )

"""Review, submit, receipt, PDF copy, reopening and withdrawing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.core.auth import login_required_keeping_input
from baiqau.core.errors import DomainError

from ..forms import WithdrawForm
from ..models import Application, ApplicationStatus
from ..selectors import application_for_member, latest_version
from ..services import (
    application_reopen,
    application_submit,
    application_withdraw,
    completeness_problems,
)
from .common import deadline_context
from .sections import progress_context


def _review_context(application: Application) -> dict[str, Any]:
    lang = application.language
    return {
        "application": application,
        "call": application.call,
        **progress_context("review"),
        "fields": {
            "title": getattr(application, f"title_{lang}"),
            "summary": getattr(application, f"summary_{lang}"),
            "target_group": getattr(application, f"target_group_{lang}"),
            "goal": getattr(application, f"goal_{lang}"),
        },
        "lines": list(application.budget_lines.all()),
        "answers": {a.question_id: a.value for a in application.answers.all()},
        "questions": list(application.call.questions.all()),
        "attachments": list(application.attachments.select_related("question")),
        "problems": completeness_problems(application)
        if application.status == ApplicationStatus.DRAFT
        else [],
        "versions": list(application.versions.order_by("number")),
        **deadline_context(application.call),
    }


@login_required_keeping_input
@require_safe
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    return render(request, "applications/review.html", _review_context(application))


@login_required_keeping_input
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    try:
        application = application_submit(
            actor=request.user,
            application=application,
            arrived_at=getattr(request, "arrived_at", None),
        )
    except DomainError as error:
        messages.error(request, error.message)
        context = _review_context(application)
        return render(request, "applications/review.html", context, status=400)
    return redirect("applicants:receipt", pk=application.pk)


@login_required_keeping_input
@require_safe
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("applicants:review", pk=pk)
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "call": application.call,
            "version": latest_version(application),
            **deadline_context(application.call),
        },
    )


@login_required_keeping_input
@require_safe
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted version, exactly as it was submitted, as a PDF."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    application = application_for_member(request.user, pk)
    version = latest_version(application)
    if version is None:
        messages.info(request, _("A PDF copy is made when the application is submitted."))
        return redirect("applicants:review", pk=pk)
    with translation.override(application.language):
        html = render_to_string(
            "applications/pdf.html",
            {"application": application, "call": application.call, "version": version},
        )
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    filename = f"{version.receipt_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required_keeping_input
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    try:
        application_reopen(actor=request.user, application=application)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("applicants:receipt", pk=pk)
    messages.success(
        request,
        _(
            "The application is a draft again. Submit it again before the deadline, or it will not take part."
        ),
    )
    return redirect("applicants:review", pk=pk)


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The application was withdrawn."))
            return redirect("applicants:dashboard")
    return render(request, "applications/withdraw.html", {"application": application, "form": form})

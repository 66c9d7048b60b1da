"""Screening: the list of a call's applications, one application, bulk moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.applications.models import Application, ApplicationStatus, Attachment
from baiqau.applications.screening_selectors import (
    ScreeningFilters,
    application_for_staff,
    screening_list,
    status_counts,
)
from baiqau.applications.services import (
    bulk_transition,
    checklist_save,
    clarification_request,
    screening_decide,
    staff_message,
)
from baiqau.applications.transitions import TRANSITIONS
from baiqau.calls.models import Call, CallRoleKind
from baiqau.core.errors import DomainError
from baiqau.review.selectors import user_conflicted

from ..access import SCREENERS, staff_view
from ..forms import (
    BulkForm,
    ChecklistForm,
    ClarificationForm,
    DecisionForm,
    ScreeningFilterForm,
    StaffMessageForm,
)

PAGE_SIZE = 50


def _application(request: HttpRequest, call: Call, pk: int) -> Application:
    """The application, unless the person sits on the jury with a conflict of interest with it:
    then, like for an expert, it does not exist for them."""
    application = application_for_staff(call, pk)
    if user_conflicted(request.user, application):
        raise Http404
    return application


def _filters(form: ScreeningFilterForm) -> ScreeningFilters:
    if not form.is_valid():
        return ScreeningFilters()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return ScreeningFilters(**data)


@staff_view()
@require_safe
def application_list(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    form = ScreeningFilterForm(request.GET or None)
    queryset = screening_list(call, _filters(form))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/applications.html",
        {
            "call": call,
            "role": role,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": [
                (ApplicationStatus(status).label, n) for status, n in status_counts(call).items()
            ],
            "role_label": CallRoleKind(role).label,
            "can_screen": role in SCREENERS,
            "bulk_form": BulkForm(),
        },
    )


@staff_view(SCREENERS)
@require_POST
def bulk_move(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:1000]
    form = BulkForm(request.POST)
    applications = list(
        Application.objects.filter(call=call, pk__in=ids).select_related("organisation")
    )
    if not applications or not form.is_valid():
        messages.error(request, _("Choose at least one application and a move."))
        return redirect("workspace:applications", slug=call.slug)
    if not form.cleaned_data["confirmed"]:
        return render(
            request,
            "workspace/bulk_confirm.html",
            {"call": call, "applications": applications, "form": form, "ids": ids},
        )
    result = bulk_transition(
        actor=request.user, applications=applications, to=form.cleaned_data["to"]
    )
    if result.moved:
        messages.success(request, _("%(n)s applications were moved.") % {"n": len(result.moved)})
    for pk, reason in result.refused.items():
        messages.error(request, _("Application #%(pk)s: %(reason)s") % {"pk": pk, "reason": reason})
    return redirect("workspace:applications", slug=call.slug)


def _detail_context(
    request: HttpRequest, call: Call, role: str, application: Application, **forms: Any
) -> dict[str, Any]:
    items = list(call.checklist.all())
    answers = {a.item_id: a for a in application.checklist_answers.all()}
    lang = application.language
    moves = [
        (target, move)
        for (source, target), move in TRANSITIONS.items()
        if source == application.status and move.by & {role}
    ]
    return {
        "call": call,
        "role": role,
        "application": application,
        "can_screen": role in SCREENERS,
        "fields": {
            "title": getattr(application, f"title_{lang}"),
            "summary": getattr(application, f"summary_{lang}"),
            "target_group": getattr(application, f"target_group_{lang}"),
            "goal": getattr(application, f"goal_{lang}"),
        },
        "lines": list(application.budget_lines.all()),
        "answers": {a.question_id: a.value for a in application.answers.all()},
        "questions": list(call.questions.all()),
        "attachments": list(application.attachments.select_related("question")),
        "versions": list(application.versions.order_by("number")),
        "thread": list(application.messages.select_related("author")),
        "checklist_form": forms.get("checklist_form")
        or ChecklistForm(items=items, answers=answers),
        "clarification_form": forms.get("clarification_form") or ClarificationForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "message_form": forms.get("message_form") or StaffMessageForm(),
        "moves": moves,
        "staff_view": True,
        "crumb": application.receipt_number,
    }


@staff_view()
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    application = _application(request, call, pk)
    if request.method == "GET":
        return render(
            request, "workspace/application.html", _detail_context(request, call, role, application)
        )
    if role not in SCREENERS:
        messages.error(request, _("You may not make this change."))
        return redirect("workspace:application", slug=call.slug, pk=pk)
    action = request.POST.get("action")
    forms: dict[str, Any] = {}
    try:
        if action == "checklist":
            items = list(call.checklist.all())
            checklist = ChecklistForm(request.POST, items=items, answers={})
            forms["checklist_form"] = checklist
            if checklist.is_valid():
                checklist_save(
                    actor=request.user, application=application, answers=checklist.answers()
                )
                messages.success(request, _("Checklist saved."))
                return redirect("workspace:application", slug=call.slug, pk=pk)
        elif action == "clarification":
            clarification = ClarificationForm(request.POST)
            forms["clarification_form"] = clarification
            if clarification.is_valid():
                clarification_request(
                    actor=request.user,
                    application=application,
                    message=clarification.cleaned_data["message"],
                    reply_due_at=clarification.cleaned_data["reply_due_at"],
                )
                messages.success(request, _("The question was sent to the applicant."))
                return redirect("workspace:application", slug=call.slug, pk=pk)
        elif action == "decision":
            decision = DecisionForm(request.POST)
            forms["decision_form"] = decision
            if decision.is_valid():
                screening_decide(
                    actor=request.user,
                    application=application,
                    eligible=decision.cleaned_data["decision"] == "eligible",
                    reason=decision.cleaned_data["reason"],
                )
                messages.success(request, _("Decision recorded; the applicant was told."))
                return redirect("workspace:application", slug=call.slug, pk=pk)
        elif action == "message":
            form = StaffMessageForm(request.POST)
            forms["message_form"] = form
            if form.is_valid():
                staff_message(
                    actor=request.user, application=application, body=form.cleaned_data["body"]
                )
                messages.success(request, _("Message sent."))
                return redirect("workspace:application", slug=call.slug, pk=pk)
        elif action == "move":
            target = request.POST.get("to", "")
            bulk = bulk_transition(
                actor=request.user,
                applications=[application],
                to=target,
                reason=request.POST.get("reason", ""),
            )
            for reason in bulk.refused.values():
                messages.error(request, reason)
            if bulk.moved:
                messages.success(request, _("Done."))
            return redirect("workspace:application", slug=call.slug, pk=pk)
    except DomainError as error:
        messages.error(request, error.message)
    application.refresh_from_db()
    return render(
        request,
        "workspace/application.html",
        _detail_context(request, call, role, application, **forms),
        status=400,
    )


@staff_view()
@require_safe
def application_file(
    request: HttpRequest, pk: int, file_pk: int, *, call: Call, role: str
) -> FileResponse:
    application = _application(request, call, pk)
    attachment = Attachment.objects.filter(application=application, pk=file_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@staff_view()
@require_safe
def message_file(
    request: HttpRequest, pk: int, message_pk: int, *, call: Call, role: str
) -> FileResponse:
    application = _application(request, call, pk)
    message = application.messages.filter(pk=message_pk).first()
    if message is None or not message.file:
        raise Http404
    return FileResponse(
        message.file.open("rb"),
        as_attachment=True,
        filename=message.file_name,
        content_type=message.file_type,
    )

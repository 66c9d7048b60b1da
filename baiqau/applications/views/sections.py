"""The application form, one section at a time, saved on every step and while typing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from baiqau.calls.models import QuestionKind
from baiqau.core.auth import login_required_keeping_input, pop_kept_input
from baiqau.core.errors import DomainError

from ..forms import (
    BudgetLineForm,
    PlanForm,
    ProjectForm,
    QuestionsForm,
    initial_answers,
    relaxed,
)
from ..models import Application, ApplicationStatus
from ..selectors import application_for_member
from ..services import (
    ConflictError,
    application_save_answers,
    application_save_budget,
    application_save_fields,
)
from .common import deadline_context


@dataclass(frozen=True)
class Section:
    key: str
    title: Any


SECTIONS = [
    Section("project", gettext_lazy("Project")),
    Section("plan", gettext_lazy("Plan and results")),
    Section("budget", gettext_lazy("Budget")),
    Section("questions", gettext_lazy("Questions")),
    Section("files", gettext_lazy("Attachments")),
    Section("review", gettext_lazy("Review and submit")),
]
SECTION_KEYS = [s.key for s in SECTIONS]
TEXT_FORMS: dict[str, type[forms.Form]] = {"project": ProjectForm, "plan": PlanForm}


def progress_context(key: str) -> dict[str, Any]:
    return {
        "sections": SECTIONS,
        "section": next(s for s in SECTIONS if s.key == key),
        "section_number": SECTION_KEYS.index(key) + 1,
    }


def section_url(application: Application, key: str) -> str:
    if key == "review":
        return reverse("applicants:review", args=[application.pk])
    return reverse("applicants:section", args=[application.pk, key])


def next_key(key: str) -> str:
    return SECTION_KEYS[min(SECTION_KEYS.index(key) + 1, len(SECTION_KEYS) - 1)]


def _initial(application: Application, key: str) -> dict[str, Any]:
    lang = application.language
    if key == "project":
        return {
            "title": getattr(application, f"title_{lang}"),
            "summary": getattr(application, f"summary_{lang}"),
            "target_group": getattr(application, f"target_group_{lang}"),
            "goal": getattr(application, f"goal_{lang}"),
            "problem": application.problem,
        }
    names = ("planned_activities", "expected_results", "beneficiaries_count", "timeline", "team")
    initial = {name: getattr(application, name) for name in names}
    initial["beneficiaries_count"] = application.beneficiaries_count or None
    return initial


def _questions(application: Application) -> list[Any]:
    return [q for q in application.call.questions.all() if q.kind != QuestionKind.FILE]


def build_form(
    application: Application, key: str, data: QueryDict | None, extra_lines: int = 0
) -> Any:
    """The bound or unbound form of a section (a formset for the budget)."""
    if key in TEXT_FORMS:
        return relaxed(TEXT_FORMS[key](data=data, initial=_initial(application, key)))
    if key == "budget":
        lines = [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "contribution": line.contribution,
            }
            for line in application.budget_lines.all()
        ]
        # A blank line to fill in is an "extra" form: left empty, it is skipped, not refused.
        formset_class = formset_factory(
            BudgetLineForm,
            extra=extra_lines if lines else max(extra_lines, 1),
            can_delete=True,
            max_num=100,
            validate_max=True,
        )
        return formset_class(data=data, initial=lines, prefix="lines")
    questions = _questions(application)
    stored = {a.question_id: a.value for a in application.answers.all()}
    return relaxed(
        QuestionsForm(data=data, questions=questions, initial=initial_answers(questions, stored))
    )


def _budget_lines(formset: Any) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("item")
    ]


def save_section(
    *,
    actor: Any,
    application: Application,
    key: str,
    form: Any,
    version: int | None,
    edit_token: str = "",
) -> Application:
    if key in TEXT_FORMS:
        return application_save_fields(
            actor=actor,
            application=application,
            version=version,
            values=form.cleaned_data,
            edit_token=edit_token,
        )
    if key == "budget":
        return application_save_budget(
            actor=actor,
            application=application,
            version=version,
            lines=_budget_lines(form),
            edit_token=edit_token,
        )
    return application_save_answers(
        actor=actor,
        application=application,
        version=version,
        answers=form.answers(),
        edit_token=edit_token,
    )


def _edit_token(request: HttpRequest) -> str:
    token = request.POST.get("edit_token", "")
    return token if token.isalnum() and len(token) <= 32 else ""


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _render(
    request: HttpRequest,
    application: Application,
    key: str,
    form: Any,
    *,
    version: int | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "application": application,
        "call": application.call,
        **progress_context(key),
        "form": form,
        "version": version if version is not None else application.version,
        "edit_token": _edit_token(request) or uuid.uuid4().hex,
        "conflict": conflict,
        "next_url": section_url(application, next_key(key)),
        **deadline_context(application.call),
    }
    return render(
        request,
        f"applications/section_{'budget' if key == 'budget' else 'form'}.html",
        context,
        status=status,
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    application = application_for_member(request.user, pk)
    if key not in TEXT_FORMS and key not in ("budget", "questions"):
        if key == "files":
            return redirect("applicants:files", pk=pk)
        return redirect("applicants:review", pk=pk)
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applicants:review", pk=pk)
    if request.method == "GET":
        kept = pop_kept_input(request)
        if kept is not None:
            messages.warning(
                request,
                _("You were logged out before your text was saved. It is shown below: press Save."),
            )
            form = build_form(application, key, kept)
            form.is_valid()
            return _render(request, application, key, form, version=_version_from(kept))
        extra = 1 if key == "budget" and request.GET.get("add") else 0
        return _render(request, application, key, build_form(application, key, None, extra))
    return _post_section(request, application, key)


def _version_from(data: QueryDict) -> int | None:
    try:
        return int(data.get("version", ""))
    except ValueError:
        return None


def _post_section(request: HttpRequest, application: Application, key: str) -> HttpResponse:
    form = build_form(application, key, request.POST)
    version = _version(request)
    if not form.is_valid():
        messages.error(request, _("Not saved: please correct the fields marked below."))
        return _render(request, application, key, form, version=version, status=400)
    try:
        application = save_section(
            actor=request.user,
            application=application,
            key=key,
            form=form,
            version=version,
            edit_token=_edit_token(request),
        )
    except ConflictError as conflict:
        return _render(
            request,
            application,
            key,
            form,
            version=conflict.current_version,
            conflict=conflict.message,
            status=409,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _render(request, application, key, form, version=version, status=400)
    messages.success(request, _("Saved."))
    action = request.POST.get("action", "save")
    if key == "budget" and action == "add_line":
        return redirect(f"{section_url(application, key)}?add=1#lines")
    if action == "next":
        return redirect(section_url(application, next_key(key)))
    return redirect(section_url(application, key))


@login_required_keeping_input
@require_POST
def autosave(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Saves a section while the person types (htmx); answers with the save status only."""
    application = application_for_member(request.user, pk)
    context: dict[str, Any] = {"version": application.version}
    if key not in (*TEXT_FORMS, "budget", "questions"):
        return HttpResponse(status=404)
    form = build_form(application, key, request.POST)
    if not form.is_valid():
        context["error"] = _("Not saved yet: some fields need correcting. Press Save to see them.")
    else:
        try:
            application = save_section(
                actor=request.user,
                application=application,
                key=key,
                form=form,
                version=_version(request),
                edit_token=_edit_token(request),
            )
            context["version"] = application.version
            context["saved_at"] = timezone.localtime()
        except ConflictError as conflict:
            context["error"] = conflict.message
            context["conflict"] = True
        except DomainError as error:
            context["error"] = error.message
    return render(request, "applications/_save_status.html", context)

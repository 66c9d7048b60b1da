"""Assignments of applications to experts, for the organisers, the secretariat and the chair:
the overview per application, assigning, unassigning and swapping by hand (with a reason),
and "every expert scores everything". The solver's runs are in `jury_runs`."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.review.models import (
    Assignment,
    AssignmentMode,
    Expert,
    ExpertStatus,
)
from baiqau.review.selectors import CONFLICT_REASONS
from baiqau.review.services import (
    JURY_MANAGERS,
    assignment_add,
    assignment_everyone,
    assignment_remove,
    assignment_swap,
    plan_for,
)
from baiqau.review.staff_selectors import (
    assignable_experts,
    assignment_overview,
    assignment_rows,
    latest_run,
)

from ..access import SCREENERS, staff_view
from ..forms_jury import AssignmentFilterForm, ExpertChoiceForm, ReasonForm
from .jury import PAGE_SIZE, refuse

GET_POST = ["GET", "POST"]


@staff_view(JURY_MANAGERS)
@require_safe
def assignments(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    plan = plan_for(call)
    form = AssignmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    overview = assignment_overview(
        call,
        plan.reviews_per_application,
        search=filters.get("q", ""),
        lacking_only=bool(filters.get("lacking")),
    )
    page = Paginator(overview, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = assignment_rows(a.pk for a in page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/jury/assignments.html",
        {
            "call": call,
            "role": role,
            "plan": plan,
            "form": form,
            "page": page,
            "items": [(a, rows[a.pk]) for a in page.object_list],
            "query": query.urlencode(),
            "run": latest_run(call),
            "everyone_mode": plan.mode == AssignmentMode.EVERYONE,
            "may_redact": role in SCREENERS,
            "crumb": _("Assignments"),
        },
    )


# --- By hand, for one application ------------------------------------------------------------


def jury_application(call: Call, pk: int) -> Application:
    """A submitted application of the call, or a 404."""
    found = (
        Application.objects.filter(call=call, pk=pk)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _choices(candidates: list[tuple[Expert, str | None]]) -> list[tuple[int | str, str]]:
    choices: list[tuple[int | str, str]] = []
    for expert, conflict in candidates:
        label = f"{expert.user} ({expert.user.email})"
        if conflict is not None:
            label += " — " + _("conflict of interest: %(reason)s") % {
                "reason": CONFLICT_REASONS[conflict]
            }
        choices.append((expert.pk, label))
    return choices


def _application_page(
    request: HttpRequest,
    call: Call,
    role: str,
    application: Application,
    *,
    add_form: ExpertChoiceForm | None = None,
    swap_forms: dict[int, ExpertChoiceForm] | None = None,
) -> HttpResponse:
    candidates = assignable_experts(call, application)
    choices = _choices(candidates)
    rows = assignment_rows([application.pk])[application.pk]
    swap_forms = swap_forms or {}
    for row in rows:
        pk = row.assignment.pk
        swap_forms.setdefault(pk, ExpertChoiceForm(choices=choices, prefix=f"swap-{pk}"))
    return render(
        request,
        "workspace/jury/assignment_application.html",
        {
            "call": call,
            "role": role,
            "application": application,
            "plan": plan_for(call),
            "rows": [(row, swap_forms[row.assignment.pk]) for row in rows],
            "add_form": add_form or ExpertChoiceForm(choices=choices, prefix="add"),
            "conflicted": sum(conflict is not None for _e, conflict in candidates),
            "may_redact": role in SCREENERS,
            "crumb": str(application.title),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view(JURY_MANAGERS)
@require_safe
def assignment_application(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    return _application_page(request, call, role, jury_application(call, pk))


def _active_expert(call: Call, pk: int) -> Expert | None:
    return Expert.objects.filter(call=call, pk=pk, status=ExpertStatus.ACTIVE).first()


@staff_view(JURY_MANAGERS)
@require_POST
def assignment_add_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    application = jury_application(call, pk)
    form = ExpertChoiceForm(
        request.POST, choices=_choices(assignable_experts(call, application)), prefix="add"
    )
    if form.is_valid():
        chosen = _active_expert(call, form.cleaned_data["expert"])
        try:
            if chosen is None:
                raise DomainError(_("Choose an active expert of this call."), code="expert")
            assignment_add(
                actor=request.user,
                expert=chosen,
                application=application,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request,
                _("%(person)s now has “%(title)s”.")
                % {"person": chosen.user, "title": application.title},
            )
            return redirect("workspace:assignment_application", slug=call.slug, pk=application.pk)
    return _application_page(request, call, role, application, add_form=form)


def _assignment(application: Application, assignment_pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("expert", "expert__user", "application__call"),
        application=application,
        pk=assignment_pk,
    )


@staff_view(JURY_MANAGERS)
@require_POST
def assignment_swap_view(
    request: HttpRequest, pk: int, assignment_pk: int, *, call: Call, role: str
) -> HttpResponse:
    application = jury_application(call, pk)
    assignment = _assignment(application, assignment_pk)
    form = ExpertChoiceForm(
        request.POST,
        choices=_choices(assignable_experts(call, application)),
        prefix=f"swap-{assignment.pk}",
    )
    if form.is_valid():
        chosen = _active_expert(call, form.cleaned_data["expert"])
        try:
            if chosen is None:
                raise DomainError(_("Choose an active expert of this call."), code="expert")
            assignment_swap(
                actor=request.user,
                assignment=assignment,
                to_expert=chosen,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request,
                _("“%(title)s” went from %(old)s to %(new)s.")
                % {"title": application.title, "old": assignment.expert.user, "new": chosen.user},
            )
            return redirect("workspace:assignment_application", slug=call.slug, pk=application.pk)
    return _application_page(request, call, role, application, swap_forms={assignment.pk: form})


@staff_view(JURY_MANAGERS)
@require_http_methods(GET_POST)
def assignment_remove_view(
    request: HttpRequest, pk: int, assignment_pk: int, *, call: Call, role: str
) -> HttpResponse:
    application = jury_application(call, pk)
    assignment = _assignment(application, assignment_pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = assignment.expert.user
        try:
            assignment_remove(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request,
                _("%(person)s no longer has “%(title)s”.")
                % {"person": person, "title": application.title},
            )
            return redirect("workspace:assignment_application", slug=call.slug, pk=application.pk)
    return render(
        request,
        "workspace/jury/assignment_remove.html",
        {
            "call": call,
            "role": role,
            "application": application,
            "assignment": assignment,
            "form": form,
            "crumb": _("Unassign"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Everyone scores everything --------------------------------------------------------------


@staff_view(JURY_MANAGERS)
@require_http_methods(GET_POST)
def everyone(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    plan = plan_for(call)
    if request.method == "POST":
        try:
            created = assignment_everyone(actor=request.user, call=call)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(n)s assignment was made.", "%(n)s assignments were made.", len(created))
                % {"n": len(created)},
            )
        return redirect("workspace:assignments", slug=call.slug)
    if plan.mode != AssignmentMode.EVERYONE:
        messages.error(
            request,
            _("The call shares its applications among the experts; change the review plan first."),
        )
        return redirect("workspace:assignments", slug=call.slug)
    return render(
        request,
        "workspace/jury/everyone.html",
        {
            "call": call,
            "role": role,
            "experts": Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE).count(),
            "applications": assignment_overview(call, plan.reviews_per_application).count(),
            "crumb": _("Every expert scores everything"),
        },
    )

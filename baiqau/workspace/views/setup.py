"""The organiser's set-up of a call: general settings, criteria, checklist, questions, status;
starting a new call and copying one."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baiqau.calls import setup as services
from baiqau.calls.forms import (
    CallCopyForm,
    CallForm,
    CallNewForm,
    ChecklistFormSet,
    CriteriaFormSet,
    MoveForm,
    QuestionForm,
    checklist_initial,
    criteria_initial,
)
from baiqau.calls.models import Call, Question
from baiqau.calls.services import call_create
from baiqau.calls.transitions import TRANSITIONS
from baiqau.core.auth import AuthenticatedRequest
from baiqau.core.errors import DomainError
from baiqau.organisations.models import OrganisationType

from ..access import ORGANISERS, mfa_required, staff_view

GET_POST = ["GET", "POST"]


def put_errors(form: BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form: on its field when it names one, else on top."""
    errors = error.errors if isinstance(error, services.SetupInvalid) else {}
    if not errors:
        form.add_error(None, error.message)
    for name, field_messages in errors.items():
        form.add_error(name if name in form.fields else None, field_messages)


def _page(
    request: HttpRequest, template: str, call: Call, page: str, **context: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        f"workspace/setup/{template}",
        {"call": call, "setup_page": page, **context},
        status=status,
    )


# --- Starting a call -------------------------------------------------------------------------


def _may_create(request: AuthenticatedRequest) -> HttpResponseBase | None:
    if not request.user.has_perm("calls.add_call"):
        raise PermissionDenied
    if mfa_required(request.user):
        # Whoever creates a call becomes its organiser: staff sign in with a second factor.
        messages.warning(
            request,
            _("Staff of a call must use two-factor authentication. Set it up to continue."),
        )
        return redirect("mfa_index")
    return None


@login_required
@require_http_methods(GET_POST)
def call_new(request: AuthenticatedRequest) -> HttpResponseBase:
    if refusal := _may_create(request):
        return refusal
    form = CallNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pool = data["award_scheme"] == "pool"
        try:
            call = call_create(
                actor=request.user,
                slug=data["slug"],
                title={code: data[f"title_{code}"] for code in ("kk", "ru", "en")},
                aim={},
                description={},
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                review_ends_at=data["review_ends_at"],
                results_at=data["results_at"],
                co_organisers=[],
                criteria=[],
                eligible_org_types=OrganisationType.values,
                prizes=[] if pool else data["prizes"],
                pool_amount=data["pool_amount"] if pool else None,
                max_per_project=data["max_per_project"],
            )
        except DomainError as error:
            form.add_error("slug" if error.code == "slug_taken" else None, error.message)
        else:
            messages.success(request, _("The call was created as a draft. Now set it up."))
            return redirect("workspace:setup", slug=call.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workspace/setup/new.html",
        {"form": form, "crumb": _("New call")},
        status=status,
    )


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def call_copy(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    if refusal := _may_create(request):
        return refusal
    form = CallCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.call_copy(
                actor=request.user, source=call, slug=form.cleaned_data["slug"]
            )
        except DomainError as error:
            put_errors(form, error)
        else:
            messages.success(
                request, _("The copy was created as a draft, a year later. Check its dates.")
            )
            return redirect("workspace:setup", slug=new.slug)
    return _page(request, "copy.html", call, "copy", form=form, crumb=_("Copy"))


# --- General settings -----------------------------------------------------------------------


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    links = list(call.organiser_links.select_related("organisation"))
    if request.method == "POST":
        # A copy: a refused change must not show up in the page's own headings.
        form = CallForm(request.POST, instance=copy.copy(call))
        if form.is_valid():
            try:
                saved = services.call_setup_save(
                    actor=request.user,
                    call=call,
                    fields=form.call_fields(),
                    prizes=form.cleaned_data["prizes"],
                    co_organiser_bins=form.cleaned_data["co_organisers"],
                )
            except DomainError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("The call's settings were saved."))
                return redirect("workspace:setup", slug=saved.slug)
    else:
        form = CallForm(
            instance=call,
            initial={
                "prizes": [p.amount for p in call.prizes.all()],
                "co_organisers": [link.organisation.bin for link in links],
            },
        )
    return _page(
        request, "general.html", call, "general", form=form, links=links, crumb=_("Settings")
    )


# --- Criteria and checklist -----------------------------------------------------------------


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_criteria(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    if request.method == "POST":
        formset = CriteriaFormSet(request.POST, prefix="criteria")
        if formset.is_valid():
            try:
                services.criteria_replace(actor=request.user, call=call, criteria=formset.specs())
            except DomainError as error:
                formset.add_error(error.message)
            else:
                messages.success(request, _("The criteria were saved."))
                return redirect("workspace:setup_criteria", slug=call.slug)
    else:
        formset = CriteriaFormSet(initial=criteria_initial(call), prefix="criteria")
    return _page(
        request,
        "criteria.html",
        call,
        "criteria",
        formset=formset,
        locked=services.has_reviews(call),
        crumb=_("Criteria"),
    )


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_checklist(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    if request.method == "POST":
        formset = ChecklistFormSet(request.POST, prefix="checklist")
        if formset.is_valid():
            try:
                services.checklist_replace(actor=request.user, call=call, items=formset.specs())
            except DomainError as error:
                formset.add_error(error.message)
            else:
                messages.success(request, _("The checklist was saved."))
                return redirect("workspace:setup_checklist", slug=call.slug)
    else:
        formset = ChecklistFormSet(initial=checklist_initial(call), prefix="checklist")
    return _page(
        request, "checklist.html", call, "checklist", formset=formset, crumb=_("Checklist")
    )


# --- Questions ------------------------------------------------------------------------------


def _questions_page(request: HttpRequest, call: Call, form: QuestionForm) -> HttpResponse:
    return _page(
        request,
        "questions.html",
        call,
        "questions",
        form=form,
        questions=list(call.questions.all()),
        locked=services.has_submissions(call),
        crumb=_("Questions"),
    )


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_questions(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(actor=request.user, call=call, **form.cleaned_data)
        except DomainError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("workspace:setup_questions", slug=call.slug)
    return _questions_page(request, call, form)


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_question_edit(
    request: AuthenticatedRequest, pk: int, *, call: Call, role: str
) -> HttpResponseBase:
    question = get_object_or_404(Question, call=call, pk=pk)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.question_update(actor=request.user, question=question, **form.cleaned_data)
            except DomainError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("The question was saved."))
                return redirect("workspace:setup_questions", slug=call.slug)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return _page(
        request,
        "question_edit.html",
        call,
        "questions",
        form=form,
        question=question,
        locked=services.has_submissions(call),
        crumb=_("Edit a question"),
    )


@staff_view(ORGANISERS)
@require_POST
def setup_question_move(
    request: AuthenticatedRequest, pk: int, *, call: Call, role: str
) -> HttpResponseBase:
    question = get_object_or_404(Question, call=call, pk=pk)
    try:
        services.question_move(
            actor=request.user, question=question, direction=request.POST.get("direction", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _questions_page(request, call, QuestionForm())
    return redirect("workspace:setup_questions", slug=call.slug)


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_question_remove(
    request: AuthenticatedRequest, pk: int, *, call: Call, role: str
) -> HttpResponseBase:
    question = get_object_or_404(Question, call=call, pk=pk)
    error_message = ""
    if request.method == "POST":
        try:
            services.question_remove(actor=request.user, question=question)
        except DomainError as error:
            error_message = error.message
        else:
            messages.success(request, _("The question was removed."))
            return redirect("workspace:setup_questions", slug=call.slug)
    return _page(
        request,
        "question_remove.html",
        call,
        "questions",
        question=question,
        answers=services.draft_answer_count(question),
        error_message=error_message,
        crumb=_("Remove a question"),
    )


# --- Status ---------------------------------------------------------------------------------


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def setup_status(request: AuthenticatedRequest, *, call: Call, role: str) -> HttpResponseBase:
    moves = {
        target: move for (source, target), move in TRANSITIONS.items() if source == call.status
    }
    forms = {target: MoveForm(target=target, move=move) for target, move in moves.items()}
    target = request.POST.get("to", "")
    if request.method == "POST" and target in moves:
        form = forms[target] = MoveForm(request.POST, target=target, move=moves[target])
        if form.is_valid():
            try:
                services.call_move(
                    actor=request.user,
                    call=call,
                    to=target,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except DomainError as error:
                problems = getattr(error, "problems", None)
                field = "reason" if error.code == "reason" and "reason" in form.fields else None
                form.add_error(field, problems or error.message)
            else:
                messages.success(request, _("Done: %(move)s.") % {"move": moves[target].label})
                return redirect("workspace:setup_status", slug=call.slug)
    elif request.method == "POST":
        messages.error(request, _("This move is not possible from the call's current state."))
    return _page(
        request,
        "status.html",
        call,
        "status",
        problems=services.publication_problems(call),
        forms=list(forms.values()),
        crumb=_("Status"),
    )

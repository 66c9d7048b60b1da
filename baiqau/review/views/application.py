"""One application as the expert sees it: first the declaration of conflicts of interest, then
its content, the scoring form, its attachments and (per plan) other experts' scores.

Whatever keeps an expert away from an application (not assigned, a conflict declared or found,
another call) is a 404, never a page that says why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.applications.models import Application
from baiqau.calls.models import Call
from baiqau.core.auth import pop_kept_input
from baiqau.core.errors import DomainError

from ..expert_selectors import (
    application_content,
    application_of_call,
    attachment_extension,
    attachments_of,
    may_see_scores,
    own_review,
    review_is_open,
    submitted_scores,
)
from ..forms import DeclarationForm, ReviewForm
from ..models import Expert, ReviewPlan, ReviewStatus
from ..selectors import REVIEWABLE, Access, expert_access
from ..services import declaration_make, review_save
from .access import expert_view


def _application(expert: Expert, pk: int) -> tuple[Application, Access]:
    application = application_of_call(expert, pk)
    if application is None:
        raise Http404
    access = expert_access(expert, application)
    if access.may_declare and application.status in REVIEWABLE:
        return application, access
    if not access.may_open:
        raise Http404
    return application, access


def _declaration_page(
    request: HttpRequest,
    call: Call,
    plan: ReviewPlan,
    application: Application,
    form: DeclarationForm,
    status: int = 200,
) -> HttpResponse:
    content = application_content(application, call, plan.blind, title_only=True)
    return render(
        request,
        "review/declare.html",
        {
            "call": call,
            "plan": plan,
            "application": application,
            "content": content,
            "form": form,
            "crumb": content.title,
        },
        status=status,
    )


def _content_page(
    request: HttpRequest,
    call: Call,
    expert: Expert,
    plan: ReviewPlan,
    application: Application,
    *,
    form: ReviewForm | None = None,
    conflict_form: DeclarationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    content = application_content(application, call, plan.blind)
    review = own_review(expert, application)
    criteria = form.criteria if form is not None else list(call.criteria.all())
    if form is None:
        form = ReviewForm(criteria=criteria, comment_required=plan.comment_required, review=review)
    by_criterion = {s.criterion_id: s for s in review.scores.all()} if review else {}
    return render(
        request,
        "review/application.html",
        {
            "call": call,
            "plan": plan,
            "application": application,
            "content": content,
            "review": review,
            "submitted": review is not None and review.status == ReviewStatus.SUBMITTED,
            "review_open": review_is_open(call) and application.status in REVIEWABLE,
            "form": form,
            "given": [(c, by_criterion.get(c.pk)) for c in criteria],
            "conflict_form": conflict_form or DeclarationForm(conflict_only=True),
            "can_see_scores": may_see_scores(plan, review),
            "crumb": content.title,
        },
        status=status,
    )


@expert_view
@require_http_methods(["GET", "POST"])
def application(
    request: HttpRequest, pk: int, *, call: Call, expert: Expert, plan: ReviewPlan
) -> HttpResponse:
    app, access = _application(expert, pk)
    if not access.may_open:
        if request.method == "POST":
            return redirect("review:application", slug=call.slug, pk=pk)
        return _declaration_page(request, call, plan, app, DeclarationForm())
    if request.method == "GET":
        kept = pop_kept_input(request)
        if kept is None:
            return _content_page(request, call, expert, plan, app)
        messages.warning(
            request,
            _(
                "You were logged out before your scores were saved. They are shown below: save them."
            ),
        )
        form = ReviewForm(
            data=kept, criteria=list(call.criteria.all()), comment_required=plan.comment_required
        )
        form.is_valid()
        return _content_page(request, call, expert, plan, app, form=form)
    criteria = list(call.criteria.all())
    form = ReviewForm(data=request.POST, criteria=criteria, comment_required=plan.comment_required)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            review_save(
                actor=request.user,
                application=app,
                scores=form.scores(),
                comments=form.comments(),
                comment_for_applicant=form.cleaned_data["comment_for_applicant"],
                note_for_commission=form.cleaned_data["note_for_commission"],
                submit=submit,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if not submit:
                messages.success(request, _("Draft saved. It is not submitted yet."))
                return redirect("review:application", slug=call.slug, pk=pk)
            messages.success(
                request,
                _("Your scores are submitted. You may change them until the review period ends."),
            )
            return redirect("review:queue", slug=call.slug)
    return _content_page(request, call, expert, plan, app, form=form, status=400)


@expert_view
@require_POST
def declare(
    request: HttpRequest, pk: int, *, call: Call, expert: Expert, plan: ReviewPlan
) -> HttpResponse:
    app, access = _application(expert, pk)
    form = DeclarationForm(request.POST, conflict_only=access.may_open)
    if form.is_valid():
        conflict = bool(form.cleaned_data["conflict"])
        try:
            declaration_make(
                actor=request.user,
                application=app,
                conflict=conflict,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if conflict:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest is recorded. The application was taken out "
                        "of your queue; the secretariat will give it to another expert."
                    ),
                )
                return redirect("review:queue", slug=call.slug)
            messages.success(request, _("Thank you. You may now read and score the application."))
            return redirect("review:application", slug=call.slug, pk=pk)
    if access.may_open:
        return _content_page(request, call, expert, plan, app, conflict_form=form, status=400)
    return _declaration_page(request, call, plan, app, form, status=400)


@expert_view
@require_safe
def application_file(
    request: HttpRequest, pk: int, file_pk: int, *, call: Call, expert: Expert, plan: ReviewPlan
) -> FileResponse:
    app, access = _application(expert, pk)
    if not access.may_open:
        raise Http404
    numbered = {a.pk: (n, a) for n, a in enumerate(attachments_of(app), 1)}
    if file_pk not in numbered:
        raise Http404
    number, attachment = numbered[file_pk]
    # In blind review the file name may name the organisation: give a neutral one.
    name = (
        f"attachment-{number}.{attachment_extension(attachment)}"
        if plan.blind
        else attachment.original_name
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@expert_view
@require_safe
def scores(
    request: HttpRequest, pk: int, *, call: Call, expert: Expert, plan: ReviewPlan
) -> HttpResponse:
    app, access = _application(expert, pk)
    if not access.may_open or not may_see_scores(plan, own_review(expert, app)):
        raise Http404
    criteria = list(call.criteria.all())
    content = application_content(app, call, plan.blind, title_only=True)
    context: dict[str, Any] = {
        "call": call,
        "plan": plan,
        "application": app,
        "content": content,
        "criteria": criteria,
        "rows": submitted_scores(app, expert, criteria),
        "crumb": content.title,
    }
    return render(request, "review/scores.html", context)

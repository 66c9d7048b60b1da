"""The jury of a call, for its staff: the review plan, areas of expertise and scale labels
(organisers); the roster of experts, inviting them, one expert's seat, and withdrawing an
expert from the panel.

Assignments are in `jury_assign`, progress, reminders and an application's review settings in
`jury_progress`.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.notifications.invitations import invitation_create, invitation_state
from baiqau.review.models import Expert, ExpertStatus
from baiqau.review.selectors import expert_queue
from baiqau.review.services import (
    JURY_MANAGERS,
    commission_problems,
    expert_staff_update,
    expert_withdraw,
    expertise_tags_ensure,
    expertise_tags_save,
    plan_for,
    review_plan_update,
)
from baiqau.review.services.anchors import criterion_anchors_save
from baiqau.review.staff_selectors import expert_invitations, expert_roster

from ..access import ORGANISERS, staff_view
from ..forms_jury import (
    AnchorsForm,
    ExpertInviteForm,
    ReasonForm,
    ReviewPlanForm,
    SearchForm,
    SeatForm,
    TagFormSet,
    tag_initial,
)

GET_POST = ["GET", "POST"]
PAGE_SIZE = 50


def refuse(form: BaseForm, error: DomainError, field: str | None = None) -> None:
    """Show a service's refusal on the form: on the named field when it is about it."""
    form.add_error(field if field in form.fields else None, error.message)


# --- The review plan, areas of expertise and the scales' labels ------------------------------


def _save_plan(request: HttpRequest, call: Call, form: ReviewPlanForm) -> bool:
    if not form.is_valid():
        return False
    try:
        review_plan_update(actor=request.user, call=call, **form.values())
    except DomainError as error:
        refuse(form, error)
        return False
    messages.success(request, _("The review plan was saved."))
    return True


def _save_tags(request: HttpRequest, call: Call, formset: Any) -> bool:
    if not formset.is_valid():
        return False
    try:
        expertise_tags_save(actor=request.user, call=call, rows=formset.rows())
    except DomainError as error:
        formset.add_error(error.message)
        return False
    messages.success(request, _("The areas of expertise were saved."))
    return True


def _save_anchors(request: HttpRequest, form: AnchorsForm) -> bool:
    if not form.is_valid():
        return False
    try:
        criterion_anchors_save(actor=request.user, criterion=form.criterion, anchors=form.anchors())
    except DomainError as error:
        refuse(form, error)
        return False
    messages.success(
        request,
        _("The labels of the scale of “%(name)s” were saved.") % {"name": form.criterion.name},
    )
    return True


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def jury(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    plan = plan_for(call)
    tags = expertise_tags_ensure(call)
    criteria = list(call.criteria.all())
    which = request.POST.get("form", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    plan_form = ReviewPlanForm(data if which == "plan" else None, instance=copy.copy(plan))
    formset = TagFormSet(
        data if which == "tags" else None, initial=tag_initial(tags), prefix="tags"
    )
    chosen = request.POST.get("criterion", "")
    anchor_forms = [
        AnchorsForm(data if which == "anchors" and chosen == str(c.pk) else None, criterion=c)
        for c in criteria
    ]
    if which == "plan":
        done = _save_plan(request, call, plan_form)
    elif which == "tags":
        done = _save_tags(request, call, formset)
    elif which == "anchors" and any(form.is_bound for form in anchor_forms):
        done = _save_anchors(request, next(form for form in anchor_forms if form.is_bound))
    else:
        done = False
        if request.method == "POST":
            messages.error(request, _("This form is not on the page any more: reload it."))
    if done:
        return redirect("workspace:jury", slug=call.slug)
    return render(
        request,
        "workspace/jury/jury.html",
        {
            "call": call,
            "role": role,
            "plan": plan,
            "plan_form": plan_form,
            "formset": formset,
            "anchor_forms": anchor_forms,
            "open_anchors": chosen if which == "anchors" else "",
            "problems": commission_problems(call, plan.quorum),
            "crumb": _("Jury"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The roster ------------------------------------------------------------------------------


@staff_view(JURY_MANAGERS)
@require_http_methods(GET_POST)
def experts(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    if request.method == "POST" and role not in ORGANISERS:
        raise PermissionDenied
    invite = ExpertInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and invite.is_valid():
        try:
            invitation = invitation_create(
                actor=request.user,
                call=call,
                email=invite.cleaned_data["email"],
                role=invite.cleaned_data["role"],
                language=translation.get_language() or "kk",
            )
        except DomainError as error:
            refuse(invite, error, "email" if error.code in ("has_role", "open") else None)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("workspace:experts", slug=call.slug)
    search = SearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(expert_roster(call, q), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/jury/experts.html",
        {
            "call": call,
            "role": role,
            "page": page,
            "search": search,
            "query": query.urlencode(),
            "invitations": [(i, invitation_state(i, now)) for i in expert_invitations(call)],
            "invite": invite,
            "may_invite": role in ORGANISERS,
            "crumb": _("Experts"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _expert(call: Call, pk: int) -> Expert:
    return get_object_or_404(Expert.objects.select_related("user"), call=call, pk=pk)


def _seat_initial(expert: Expert) -> dict[str, Any]:
    return {
        "is_commission": expert.is_commission,
        "is_chair": expert.is_chair,
        "min_load": expert.min_load,
        "max_load": expert.max_load,
    }


@staff_view(JURY_MANAGERS)
@require_http_methods(GET_POST)
def expert(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    seat = _expert(call, pk)
    if request.method == "POST" and role not in ORGANISERS:
        raise PermissionDenied
    form = SeatForm(request.POST if request.method == "POST" else None, initial=_seat_initial(seat))
    if request.method == "POST" and form.is_valid():
        try:
            expert_staff_update(actor=request.user, expert=seat, **form.cleaned_data)
        except DomainError as error:
            field = {"chair": "is_chair", "chair_taken": "is_chair", "loads": "min_load"}
            refuse(form, error, field.get(error.code))
        else:
            messages.success(
                request, _("The seat of %(person)s was saved.") % {"person": seat.user}
            )
            return redirect("workspace:expert", slug=call.slug, pk=seat.pk)
    plan = plan_for(call)
    return render(
        request,
        "workspace/jury/expert.html",
        {
            "call": call,
            "role": role,
            "expert": seat,
            "plan": plan,
            "form": form,
            "queue": expert_queue(seat),
            "tags": list(seat.tags.all()),
            "may_edit": role in ORGANISERS,
            "crumb": str(seat.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view(JURY_MANAGERS)
@require_http_methods(GET_POST)
def expert_withdraw_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    seat = _expert(call, pk)
    if seat.status == ExpertStatus.WITHDRAWN:
        messages.info(request, _("%(person)s has already withdrawn.") % {"person": seat.user})
        return redirect("workspace:expert", slug=call.slug, pk=seat.pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = expert_withdraw(
                actor=request.user, expert=seat, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            _tell_withdrawn(request, seat, moved)
            return redirect("workspace:expert", slug=call.slug, pk=seat.pk)
    queue = expert_queue(seat)
    return render(
        request,
        "workspace/jury/expert_withdraw.html",
        {
            "call": call,
            "role": role,
            "expert": seat,
            "form": form,
            "open": sum(item.state != "submitted" for item in queue),
            "submitted": sum(item.state == "submitted" for item in queue),
            "crumb": _("Withdraw %(person)s") % {"person": seat.user},
        },
        status=400 if request.method == "POST" else 200,
    )


def _tell_withdrawn(request: HttpRequest, seat: Expert, moved: dict[str, int]) -> None:
    text = _("%(person)s has withdrawn from the panel.") % {"person": seat.user}
    if moved["freed"]:
        text += " " + ngettext(
            "%(n)s open review was moved to other experts.",
            "%(n)s open reviews were moved to other experts.",
            moved["reassigned"],
        ) % {"n": moved["reassigned"]}
    messages.success(request, text)
    if moved["uncovered"]:
        messages.warning(
            request,
            ngettext(
                "%(n)s review could not be moved: no other expert is free of conflict and has "
                "room. Assign it by hand.",
                "%(n)s reviews could not be moved: no other expert is free of conflict and has "
                "room. Assign them by hand.",
                moved["uncovered"],
            )
            % {"n": moved["uncovered"]},
        )

"""The commission's decision session: /<lang>/manage/calls/<slug>/decision/…

Organisers, the secretary and the commission see the page; only the chair of the commission
opens and closes a session, records tie votes, puts the ranking to the vote and closes the vote;
only members of the commission confirm their own attendance and vote. Every change is a small
POST endpoint; a refusal shows on the page with what the person typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.calls.models import Call, CallRoleKind
from baiqau.core.errors import DomainError
from baiqau.results.models import (
    DecisionSession,
    Motion,
    MotionResult,
    SessionStatus,
)
from baiqau.results.services.decision import (
    attendance_confirm,
    ballot_cast,
    commission,
    current_ranking,
    motion_close,
    motion_open,
    result_change,
    session_close,
    session_open,
    tie_votes_record,
)
from baiqau.review.models import Expert

from ..access import staff_view
from ..forms_decision import BallotForm, ChangeForm, ReasonForm
from .decision_page import (
    confirmed_before,
    lines,
    own_seat,
    page_context,
    quorum_box,
    tie_form,
    ties_for_vote,
)

DECIDERS = frozenset(
    {CallRoleKind.ORGANISER, CallRoleKind.SECRETARY, CallRoleKind.CHAIR, CallRoleKind.MEMBER}
)
GET_POST = ["GET", "POST"]


def _back(call: Call) -> HttpResponse:
    return redirect("workspace:decision", slug=call.slug)


def _member(request: HttpRequest, call: Call, *, chair: bool = False) -> Expert:
    """The person's seat on the commission; others may look but not act (403)."""
    seat = own_seat(request.user, call)
    if seat is None or (chair and not seat.is_chair):
        raise PermissionDenied
    return seat


def _session(call: Call, pk: int) -> DecisionSession:
    return get_object_or_404(DecisionSession.objects.select_related("call"), call=call, pk=pk)


def _motion(call: Call, pk: int) -> Motion:
    return get_object_or_404(
        Motion.objects.select_related("session__call", "ranking"), session__call=call, pk=pk
    )


def _refuse(form: BaseForm, error: DomainError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, error.message)


def _page(request: HttpRequest, call: Call, role: str, **bound: BaseForm) -> HttpResponse:
    status = 400 if bound else 200
    return render(
        request,
        "workspace/decision/decision.html",
        page_context(request.user, call, role, **bound),
        status=status,
    )


@staff_view(DECIDERS)
@require_safe
def decision(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    return _page(request, call, role)


@staff_view(DECIDERS)
@require_safe
def decision_quorum(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    """The quorum box alone, which the page refreshes while the session is open."""
    session = _session(call, pk)
    ranking = current_ranking(call)
    rows = lines(ranking)
    return render(
        request,
        "workspace/decision/_quorum.html",
        {
            "call": call,
            "session": session,
            "box": quorum_box(session, ranking, commission(call), rows),
        },
    )


@staff_view(DECIDERS)
@require_POST
def decision_open(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    _member(request, call, chair=True)
    try:
        session_open(actor=request.user, call=call)
    except DomainError as error:
        if error.code == "open":
            messages.info(request, error.message)
        else:
            messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The decision session is open and your attendance is recorded. Members confirm "
                "their own attendance on this page."
            ),
        )
    return _back(call)


@staff_view(DECIDERS)
@require_POST
def decision_attend(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    session = _session(call, pk)
    _member(request, call)
    try:
        attendance_confirm(actor=request.user, session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your attendance is confirmed."))
    return _back(call)


@staff_view(DECIDERS)
@require_POST
def decision_tie_votes(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    session = _session(call, pk)
    _member(request, call, chair=True)
    ranking = current_ranking(call)
    ties = ties_for_vote(ranking, lines(ranking))
    if not ties or ranking is None:
        messages.error(request, _("No tie of the current ranking is left to the commission."))
        return _back(call)
    form = tie_form(ties, ranking, request.POST)
    if form.is_valid():
        votes = {int(a): int(v) for a, v in ranking.votes.items()} | form.votes()
        if votes == {int(a): int(v) for a, v in ranking.votes.items()}:
            messages.info(request, _("These votes are recorded already."))
            return _back(call)
        try:
            tie_votes_record(actor=request.user, session=session, votes=votes)
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(
                request, _("The tie votes are recorded and the ranking was computed again.")
            )
            return _back(call)
    return _page(request, call, role, tie_form=form)


@staff_view(DECIDERS)
@require_POST
def decision_motion(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    session = _session(call, pk)
    _member(request, call, chair=True)
    form = ReasonForm(request.POST, required=confirmed_before(call))
    if form.is_valid():
        try:
            motion_open(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if error.code in ("pending", "confirmed"):
                messages.info(request, error.message)
                return _back(call)
            _refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(request, _("The ranking is put to the vote."))
            return _back(call)
    return _page(request, call, role, motion_form=form)


@staff_view(DECIDERS)
@require_POST
def decision_change(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    session = _session(call, pk)
    _member(request, call, chair=True)
    form = ChangeForm(request.POST)
    if form.is_valid():
        try:
            result_change(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if error.code == "pending":  # sent twice: the change is already put to the vote
                messages.info(request, error.message)
                return _back(call)
            _refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request,
                _("The ranking was computed again and the change is put to the vote."),
            )
            return _back(call)
    return _page(request, call, role, change_form=form)


@staff_view(DECIDERS)
@require_POST
def decision_vote(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    motion = _motion(call, pk)
    seat = _member(request, call)
    if motion.result != MotionResult.PENDING:
        messages.error(request, _("This vote is closed."))
        return _back(call)
    form = BallotForm(request.POST)
    if form.is_valid():
        cast = motion.ballots.filter(member=seat).first()
        if cast and (cast.choice, cast.dissent) == (
            form.cleaned_data["choice"],
            form.cleaned_data["dissent"].strip(),
        ):
            messages.info(request, _("Your vote is recorded already."))
            return _back(call)
        try:
            ballot = ballot_cast(
                actor=request.user,
                motion=motion,
                choice=form.cleaned_data["choice"],
                dissent=form.cleaned_data["dissent"],
            )
        except DomainError as error:
            if error.code == "closed":
                messages.error(request, error.message)
                return _back(call)
            _refuse(form, error, {"dissent": "dissent", "choice": "choice"}.get(error.code))
        else:
            messages.success(
                request,
                _("Your vote is recorded: %(choice)s. You can change it until the vote closes.")
                % {"choice": ballot.get_choice_display()},
            )
            return _back(call)
    return _page(request, call, role, ballot_form=form)


@staff_view(DECIDERS)
@require_http_methods(GET_POST)
def decision_motion_close(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    motion = _motion(call, pk)
    _member(request, call, chair=True)
    if motion.result != MotionResult.PENDING:
        messages.info(request, _("This vote is closed."))
        return _back(call)
    if request.method == "POST":
        try:
            closed = motion_close(actor=request.user, motion=motion)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if closed.result == MotionResult.ADOPTED:
                messages.success(
                    request, _("The vote is closed: the motion was adopted. The result stands.")
                )
            else:
                messages.warning(request, _("The vote is closed: the motion was rejected."))
        return _back(call)
    box = quorum_box(motion.session, motion.ranking, commission(call), lines(motion.ranking))
    return render(
        request,
        "workspace/decision/motion_close.html",
        {
            "call": call,
            "role": role,
            "motion": motion,
            "box": box,
            "voted": motion.ballots.count(),
            "crumb": _("Close the vote"),
        },
    )


@staff_view(DECIDERS)
@require_http_methods(GET_POST)
def decision_close(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    session = _session(call, pk)
    _member(request, call, chair=True)
    if session.status != SessionStatus.OPEN:
        messages.info(request, _("This session is closed."))
        return _back(call)
    if request.method == "POST":
        try:
            session_close(actor=request.user, session=session)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision session is closed."))
        return _back(call)
    ranking = current_ranking(call)
    return render(
        request,
        "workspace/decision/session_close.html",
        {
            "call": call,
            "role": role,
            "session": session,
            "ranking": ranking,
            "pending": session.motions.filter(result=MotionResult.PENDING).exists(),
            "crumb": _("Close the session"),
        },
    )

"""People of a call: its roles and open invitations, inviting by e-mail, revoking, removing a
role; and the page where an invited person accepts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baiqau.calls.models import Call, CallInvitation, CallRole, CallRoleKind
from baiqau.core.auth import AuthenticatedRequest
from baiqau.core.errors import DomainError
from baiqau.notifications.forms import InvitationForm
from baiqau.notifications.invitations import (
    EXPERT_ROLES,
    call_role_remove,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_state,
)

from ..access import ORGANISERS, mfa_required, staff_view


def _people_context(call: Call, role: str, form: InvitationForm) -> dict[str, object]:
    now = timezone.now()
    invitations = [
        (invitation, invitation_state(invitation, now))
        for invitation in call.invitations.filter(accepted_at=None).select_related("invited_by")
    ]
    roles = list(call.roles.select_related("user", "granted_by").order_by("role", "pk"))
    return {
        "call": call,
        "role": role,
        "roles": roles,
        "organisers": sum(r.role == CallRoleKind.ORGANISER for r in roles),
        "invitations": invitations,
        "form": form,
        "crumb": _("People"),
    }


@staff_view(ORGANISERS)
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                actor=request.user,
                call=call,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=translation.get_language() or "kk",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("workspace:people", slug=call.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "workspace/people/people.html", _people_context(call, role, form), status=status
    )


def _invitation(call: Call, pk: int) -> CallInvitation:
    invitation = call.invitations.select_related("call").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


@staff_view(ORGANISERS)
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    invitation = _invitation(call, pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("workspace:people", slug=call.slug)


@staff_view(ORGANISERS)
@require_POST
def invitation_resend_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    invitation = _invitation(call, pk)
    try:
        invitation_resend(
            actor=request.user,
            invitation=invitation,
            language=translation.get_language() or "kk",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s again.") % {"email": invitation.email},
        )
    return redirect("workspace:people", slug=call.slug)


@staff_view(ORGANISERS)
@require_POST
def role_remove(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    call_role = CallRole.objects.filter(call=call, pk=pk).select_related("call", "user").first()
    if call_role is None:
        raise Http404
    try:
        call_role_remove(actor=request.user, call_role=call_role)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(person)s no longer has a role in this call.") % {"person": call_role.user},
        )
    if call_role.user_id == request.user.pk and call_role.pk is None:
        return redirect("workspace:home")  # they removed themselves
    return redirect("workspace:people", slug=call.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: AuthenticatedRequest, token: str) -> HttpResponse:
    found = CallInvitation.objects.select_related("call", "invited_by").filter(token=token).first()
    if found is None:
        return render(request, "workspace/people/invitation.html", {"state": "invalid"}, status=404)
    state = invitation_state(found)
    context = {"invitation": found, "state": state}
    if request.method == "GET" or state != "open":
        return render(
            request,
            "workspace/people/invitation.html",
            context,
            status=200 if state == "open" else 410,
        )
    try:
        invitation_accept(actor=request.user, invitation=found)
    except DomainError as error:
        messages.error(request, error.message)
        return render(request, "workspace/people/invitation.html", context, status=400)
    if mfa_required(request.user):
        messages.warning(
            request,
            _(
                "You accepted the invitation. Experts must use two-factor authentication: set "
                "it up now to open the applications assigned to you."
            )
            if found.role == CallRoleKind.EXPERT
            else _(
                "You accepted the invitation. Staff of a call must use two-factor "
                "authentication: set it up now to open the call's workspace."
            ),
        )
        return redirect("mfa_index")
    if found.role in EXPERT_ROLES:
        messages.success(
            request,
            _(
                "You accepted the invitation. Tell us your areas of expertise, the languages "
                "you can review in and how many applications you can take."
            ),
        )
        return redirect("review:profile", slug=found.call.slug)
    messages.success(request, _("You accepted the invitation. Welcome to the call's workspace."))
    return redirect("workspace:applications", slug=found.call.slug)

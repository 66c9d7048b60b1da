"""Staff of a call: invitations by e-mail, accepting them, removing a role.

These are the calls app's use cases; they live here, beside the e-mail they send, because the
people pages were built with the notifications. Every change is audited in its transaction.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallInvitation, CallRole, CallRoleKind
from baiqau.core.errors import DomainError

from .models import NotificationKind
from .services import notify, render
from .values import absolute, call_values, link_in

INVITATION_DAYS = 14
EXPERT_ROLES = frozenset({CallRoleKind.EXPERT, CallRoleKind.CHAIR, CallRoleKind.MEMBER})


def invitation_state(invitation: CallInvitation, now: Any = None) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


def _check_organiser(actor: Any, call: Call) -> None:
    if not CallRole.objects.filter(call=call, user=actor, role=CallRoleKind.ORGANISER).exists():
        raise DomainError(_("Only an organiser of the call may do this."), code="forbidden")


def _invitation_values(invitation: CallInvitation, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {
            **call_values(invitation.call, language),
            "role": str(CallRoleKind(invitation.role).label),
        }


def _send(invitation: CallInvitation, language: str) -> None:
    """An address with an account gets a notification (in the app, and an e-mail that is retried
    and listed for staff) in their own language; any other address an e-mail in `language`."""
    from baiqau.accounts.models import User

    user = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if user is not None:
        own = user.preferred_language
        notify(
            user=user,
            kind=NotificationKind.STAFF_INVITATION,
            call=invitation.call,
            values=_invitation_values(invitation, own),
            url=link_in(own, "workspace:invitation", invitation.token),
        )
        return
    from .tasks import send_invitation_email

    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation_email.enqueue(pk, language))


def invitation_email_send(invitation_pk: int, language: str) -> str:
    invitation = CallInvitation.objects.select_related("call").filter(pk=invitation_pk).first()
    if invitation is None or invitation_state(invitation) != "open":
        return "nothing to do"
    values = {
        **_invitation_values(invitation, language),
        "name": invitation.email,
        "url": absolute(link_in(language, "workspace:invitation", invitation.token)),
    }
    with translation.override(language):
        subject, body = render(
            NotificationKind.STAFF_INVITATION,
            call=invitation.call,
            language=language,
            values=values,
        )
    send_mail(subject, body, None, [invitation.email])
    return "sent"


@transaction.atomic
def invitation_create(
    *, actor: Any, call: Call, email: str, role: str, language: str
) -> CallInvitation:
    """Invite an address to a role in the call; the link is good for 14 days."""
    _check_organiser(actor, call)
    email = email.strip().lower()
    if role not in CallRoleKind.values:
        raise DomainError(_("Choose one of the roles."), code="role")
    from baiqau.review.models import Expert, ExpertStatus

    if CallRole.objects.filter(call=call, user__email__iexact=email).exists() or (
        Expert.objects.filter(
            call=call, user__email__iexact=email, status=ExpertStatus.ACTIVE
        ).exists()
    ):
        raise DomainError(
            _("%(email)s already has a role in this call.") % {"email": email}, code="has_role"
        )
    if CallInvitation.objects.filter(
        call=call, email__iexact=email, accepted_at=None, expires_at__gt=timezone.now()
    ).exists():
        raise DomainError(
            _("An invitation to %(email)s is open already: send it again, or revoke it first.")
            % {"email": email},
            code="open",
        )
    invitation = CallInvitation.objects.create(
        call=call,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    # The token is a secret: it is never written to the audit log.
    audit_record(
        actor=actor,
        action="invitation.sent",
        subject=invitation,
        data={"call": call.slug, "email": email, "role": role, "expires_at": invitation.expires_at},
    )
    _send(invitation, language)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: CallInvitation, language: str) -> CallInvitation:
    """Send an invitation not yet accepted again, good for another 14 days."""
    _check_organiser(actor, invitation.call)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been accepted."), code="used")
    invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["expires_at"])
    audit_record(
        actor=actor,
        action="invitation.resent",
        subject=invitation,
        data={"email": invitation.email, "expires_at": invitation.expires_at},
    )
    _send(invitation, language)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: CallInvitation) -> None:
    _check_organiser(actor, invitation.call)
    if invitation.accepted_at is not None:
        raise DomainError(
            _("This invitation has already been accepted: remove the role instead."), code="used"
        )
    audit_record(
        actor=actor,
        action="invitation.revoked",
        subject=invitation,
        data={"call": invitation.call.slug, "email": invitation.email, "role": invitation.role},
    )
    invitation.delete()


@transaction.atomic
def invitation_accept(*, actor: Any, invitation: CallInvitation) -> CallRole:
    invitation = (
        CallInvitation.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=invitation.pk)
    )
    state = invitation_state(invitation)
    if state == "accepted":
        raise DomainError(_("This invitation has already been used."), code="used")
    if state == "expired":
        raise DomainError(
            _("This invitation has expired. Ask the call's organiser to send a new one."),
            code="expired",
        )
    existing = CallRole.objects.filter(call=invitation.call, user=actor).first()
    if existing is not None:
        raise DomainError(
            _("You already have a role in this call: %(role)s.")
            % {"role": existing.get_role_display()},
            code="has_role",
        )
    from baiqau.review.services import expert_seat

    if invitation.role == CallRoleKind.EXPERT:
        # An expert has a seat on the panel but no role in the staff workspace.
        role = CallRole(call=invitation.call, user=actor, role=invitation.role)
    else:
        role = CallRole.objects.create(
            call=invitation.call, user=actor, role=invitation.role, granted_by=invitation.invited_by
        )
    if invitation.role in EXPERT_ROLES:
        # The commission (chair and members) is a subset of the experts.
        expert_seat(
            actor=actor,
            call=invitation.call,
            user=actor,
            is_commission=invitation.role != CallRoleKind.EXPERT,
            is_chair=invitation.role == CallRoleKind.CHAIR,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=actor,
        action="call_role.granted",
        subject=role if role.pk else invitation,
        data={
            "call": invitation.call.slug,
            "user": actor.email,
            "role": invitation.role,
            "invitation": invitation.pk,
            "invited_email": invitation.email,
            "granted_by": invitation.invited_by_id,
        },
    )
    return role


@transaction.atomic
def call_role_remove(*, actor: Any, call_role: CallRole) -> None:
    """Take a person's role away. A call always keeps at least one organiser."""
    call = call_role.call
    _check_organiser(actor, call)
    # Locking the organisers' rows stops two organisers removing each other at the same time.
    organisers = list(
        CallRole.objects.select_for_update(of=("self",))
        .filter(call=call, role=CallRoleKind.ORGANISER)
        .values_list("pk", flat=True)
    )
    if call_role.role == CallRoleKind.ORGANISER and organisers == [call_role.pk]:
        raise DomainError(
            _("A call needs an organiser: invite another one before removing the last."),
            code="last_organiser",
        )
    audit_record(
        actor=actor,
        action="call_role.removed",
        subject=call_role,
        data={"call": call.slug, "user": call_role.user.email, "role": call_role.role},
    )
    call_role.delete()

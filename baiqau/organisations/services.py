from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError
from baiqau.domain.identifiers import normalise_identifier

from .models import (
    FormerMembership,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Organisation,
)


@transaction.atomic
def organisation_register(
    *,
    actor: Any,
    bin: str,
    org_type: str,
    name: dict[str, str],
    address: str = "",
    city: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
) -> Organisation:
    """Register an organisation; the person registering it becomes its owner."""
    bin = normalise_identifier(bin)
    if Organisation.objects.filter(bin=bin).exists():
        raise DomainError(
            _("An organisation with this BIN is already registered: ask its owner to add you."),
            code="bin_taken",
        )
    organisation = Organisation(
        bin=bin,
        org_type=org_type,
        address=address,
        city=city,
        email=email,
        phone=phone,
        website=website,
        **{f"name_{code}": text for code, text in name.items()},
    )
    organisation.full_clean()
    organisation.save()
    if actor is not None:
        Membership.objects.create(organisation=organisation, user=actor, role=MembershipRole.OWNER)
    audit_record(
        actor=actor,
        action="organisation.registered",
        subject=organisation,
        data={"bin": bin, "org_type": org_type, "name": name},
    )
    return organisation


def _check_owner(actor: Any, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        user=actor, organisation=organisation, role=MembershipRole.OWNER
    ).exists():
        raise DomainError(
            _("Only the organisation's owner can manage its members."), code="not_owner"
        )


@transaction.atomic
def organisation_request_join(
    *, actor: Any, organisation: Organisation, message: str = ""
) -> JoinRequest:
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise DomainError(_("You are already a member of this organisation."), code="member")
    existing = JoinRequest.objects.filter(
        user=actor, organisation=organisation, status=JoinRequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    request = JoinRequest.objects.create(
        organisation=organisation, user=actor, message=message.strip()
    )
    audit_record(
        actor=actor,
        action="organisation.join_requested",
        subject=organisation,
        data={"request": request.pk},
    )
    return request


@transaction.atomic
def join_request_decide(*, actor: Any, join_request: JoinRequest, approve: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _check_owner(actor, join_request.organisation)
    if join_request.status != JoinRequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."), code="decided")
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(
            organisation=join_request.organisation,
            user=join_request.user,
            defaults={"role": MembershipRole.MEMBER},
        )
    audit_record(
        actor=actor,
        action="organisation.join_approved" if approve else "organisation.join_declined",
        subject=join_request.organisation,
        data={"request": join_request.pk, "user": join_request.user.get_username()},
    )
    return join_request


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    _check_owner(actor, membership.organisation)
    owners = Membership.objects.filter(
        organisation=membership.organisation, role=MembershipRole.OWNER
    )
    if membership.role == MembershipRole.OWNER and owners.count() == 1:
        raise DomainError(_("An organisation must keep at least one owner."), code="last_owner")
    audit_record(
        actor=actor,
        action="organisation.member_removed",
        subject=membership.organisation,
        data={"user": membership.user.get_username(), "role": membership.role},
    )
    FormerMembership.objects.create(
        organisation=membership.organisation,
        user=membership.user,
        started_at=membership.created_at,
        ended_at=timezone.now(),
    )
    membership.delete()

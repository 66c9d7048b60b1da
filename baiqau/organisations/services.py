from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError
from baiqau.domain.identifiers import normalise_identifier

from .models import Membership, MembershipRole, Organisation


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

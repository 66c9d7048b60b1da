from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from baiqau.core.errors import DomainError
from baiqau.organisations.models import Membership


def check_member(actor: Any, organisation_id: int) -> None:
    if not Membership.objects.filter(user=actor, organisation_id=organisation_id).exists():
        raise DomainError(_("You are not a member of this organisation."), code="not_member")

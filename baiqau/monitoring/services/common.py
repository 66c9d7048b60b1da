"""What every monitoring service needs: who may act, and applying a move of a state table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallRole
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Membership, MembershipRole

from ..transitions import STAFF, Move, move_for


def staff_role(actor: Any, call: Call) -> str | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        CallRole.objects.filter(call=call, user=actor, role__in=list(STAFF))
        .values_list("role", flat=True)
        .first()
    )


def check_staff(actor: Any, call: Call) -> str:
    role = staff_role(actor, call)
    if role is None:
        raise DomainError(
            _("Only the organisers and the secretariat of the call can do this."), code="not_staff"
        )
    return role


def org_role(actor: Any, organisation_id: int) -> str | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=actor, organisation_id=organisation_id)
        .values_list("role", flat=True)
        .first()
    )


def check_member(actor: Any, organisation_id: int, *, owner: bool = False) -> None:
    role = org_role(actor, organisation_id)
    if role is None or (owner and role != MembershipRole.OWNER):
        raise DomainError(
            _("Only an owner of the organisation can do this.")
            if owner
            else _("Only members of the organisation can do this."),
            code="not_member",
        )


def apply_move(
    *,
    actor: Any,
    table: dict[tuple[str, str], Move],
    obj: Any,
    to: str,
    action: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Move:
    """Check the move is in the table (and has its reason), set the status and audit it."""
    move = move_for(table, obj.status, to)
    if move is None:
        raise DomainError(
            _("This cannot move from “%(current)s” to “%(target)s”.")
            % {"current": obj.get_status_display(), "target": to},
            code="transition",
        )
    if move.needs_reason and not reason.strip():
        raise DomainError(_("Please give the reason."), code="reason")
    old = obj.status
    obj.status = to
    audit_record(
        actor=actor,
        action=f"{action}.{move.name}",
        subject=obj,
        data={"from": old, "to": to, "reason": reason.strip(), **(data or {})},
    )
    return move

"""Checks shared by the jury's use cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.calls.models import Call, CallRole, CallRoleKind
from baiqau.core.errors import DomainError

from ..models import Expert, ReviewPlan
from ..selectors import REVIEWABLE, expert_for

# Who manages the jury: the organisers and the secretariat; the chair may also move an
# expert's open reviews when the expert drops out.
JURY_MANAGERS = frozenset({CallRoleKind.ORGANISER, CallRoleKind.SECRETARY, CallRoleKind.CHAIR})
PLAN_EDITORS = frozenset({CallRoleKind.ORGANISER})


def check_role(actor: Any, call: Call, roles: Iterable[str]) -> str:
    role = (
        CallRole.objects.filter(call=call, user=actor, role__in=list(roles))
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise DomainError(_("You may not manage the jury of this call."), code="forbidden")
    return str(role)


def plan_for(call: Call) -> ReviewPlan:
    plan, _created = ReviewPlan.objects.get_or_create(call=call)
    return plan


def own_seat(actor: Any, call: Call) -> Expert:
    expert = expert_for(actor, call)
    if expert is None:
        raise DomainError(_("You are not an expert of this call."), code="not_expert")
    return expert


def check_reviewable(application: Application) -> None:
    if application.status not in REVIEWABLE:
        raise DomainError(
            _("The application “%(title)s” is not eligible for review.")
            % {"title": application.title},
            code="not_reviewable",
        )

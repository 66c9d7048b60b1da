"""Who may do what with an application: members of the applicant organisation, and no one else
(staff roles come with the screening issue)."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from baiqau.organisations.models import Membership

from .models import Application, ApplicationStatus


@predicate
def is_member(user: Any, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=application.organisation_id
    ).exists()


@predicate
def is_draft(user: Any, application: Application) -> bool:
    return application.status == ApplicationStatus.DRAFT


add_perm("applications.view_application", is_member)
add_perm("applications.edit_application", is_member & is_draft)

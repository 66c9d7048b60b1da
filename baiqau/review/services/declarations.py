"""Declarations of conflicts of interest.

An expert declares for each assigned application, before seeing more than its title (and,
unless the review is blind, the organisation's name). "No conflict" may later become a
conflict; a declared conflict is never withdrawn by the expert. Every declaration is kept and
audited; a conflict ends the assignment (an unsubmitted draft is discarded with it).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.audit.services import audit_record
from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..models import Assignment, Declaration, Review, ReviewStatus
from .common import check_reviewable, own_seat, plan_for


@transaction.atomic
def declaration_make(
    *, actor: Any, application: Application, conflict: bool, reason: str = ""
) -> Declaration:
    application = Application.objects.select_related("call").get(pk=application.pk)
    expert = own_seat(actor, application.call)
    check_reviewable(application)
    reason = reason.strip()
    if conflict and not reason:
        raise DomainError(
            _("Say what the conflict is: for example, “I advise this organisation”."),
            code="reason",
        )
    previous = (
        Declaration.objects.select_for_update()
        .filter(expert=expert, application=application, is_current=True)
        .first()
    )
    if previous is not None:
        if previous.conflict:
            raise DomainError(
                _(
                    "You declared a conflict of interest for this application. A declared "
                    "conflict cannot be withdrawn; write to the secretariat if it was a mistake."
                ),
                code="conflict_final",
            )
        if not conflict:
            return previous  # the same declaration again: a double click
        if Review.objects.filter(
            expert=expert, application=application, status=ReviewStatus.SUBMITTED
        ).exists():
            raise DomainError(
                _(
                    "You have already submitted scores for this application. Write to the "
                    "secretariat: they will take the review back and record the conflict."
                ),
                code="submitted",
            )
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    assigned = Assignment.objects.filter(expert=expert, application=application).exists()
    if previous is None and not assigned and not plan_for(application.call).bidding_open:
        raise DomainError(_("This application is not assigned to you."), code="not_assigned")
    declaration = Declaration.objects.create(
        expert=expert,
        application=application,
        conflict=conflict,
        reason=reason,
        declared_at=clock.now(),
    )
    removed_draft = False
    if conflict:
        removed_draft = Review.objects.filter(expert=expert, application=application).exists()
        Review.objects.filter(expert=expert, application=application).delete()
        Assignment.objects.filter(expert=expert, application=application).delete()
    audit_record(
        actor=actor,
        action="declaration.made",
        subject=declaration,
        data={
            "expert": expert.pk,
            "application": application.pk,
            "old": None if previous is None else {"conflict": previous.conflict},
            "new": {"conflict": conflict, "reason": reason},
            "assignment_ended": conflict and assigned,
            "draft_discarded": removed_draft,
        },
    )
    return declaration

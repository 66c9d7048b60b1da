"""The secretariat's use cases: the checklist, clarifications, decisions, bulk moves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import CallRole, CallRoleKind, ChecklistItem
from baiqau.core.errors import DomainError
from baiqau.notifications.models import NotificationKind
from baiqau.notifications.services import notify
from baiqau.organisations.models import Membership

from ..emails import application_values, url_in
from ..models import Application, ApplicationStatus, ChecklistAnswer, ChecklistValue, Message
from .lifecycle import actor_roles, application_transition

SCREENER_ROLES = {CallRoleKind.ORGANISER, CallRoleKind.SECRETARY}


def check_screener(actor: Any, application: Application) -> None:
    if not actor_roles(actor, application) & SCREENER_ROLES:
        raise DomainError(_("You may not make this change."), code="forbidden")


def _notify_members(application: Application, kind: str, values: dict[str, Any]) -> None:
    members = Membership.objects.filter(organisation_id=application.organisation_id).select_related(
        "user"
    )
    for membership in members:
        user = membership.user
        language = user.preferred_language
        with translation.override(language):
            # A value given as a function (e.g. a date) is written in this person's language.
            own = {k: v() if callable(v) else v for k, v in values.items()}
        notify(
            user=user,
            kind=kind,
            call=application.call,
            application=application,
            values={**application_values(application, language), **own},
            url=url_in(language, "applicants:review", application.pk),
        )


def _notify_screeners(application: Application, kind: str, values: dict[str, Any]) -> None:
    roles = CallRole.objects.filter(
        call_id=application.call_id, role__in=list(SCREENER_ROLES)
    ).select_related("user")
    for role in roles:
        language = role.user.preferred_language
        with translation.override(language):
            from django.urls import reverse

            url = reverse("workspace:application", args=[application.call.slug, application.pk])
        notify(
            user=role.user,
            kind=kind,
            call=application.call,
            application=application,
            values={**application_values(application, language), **values},
            url=url,
        )


@transaction.atomic
def checklist_save(
    *, actor: Any, application: Application, answers: Mapping[int, tuple[str, str]]
) -> None:
    check_screener(actor, application)
    items = {i.pk: i for i in ChecklistItem.objects.filter(call_id=application.call_id)}
    changed = {}
    for item_id, (value, note) in answers.items():
        if item_id not in items or value not in ChecklistValue.values:
            continue
        ChecklistAnswer.objects.update_or_create(
            application=application,
            item_id=item_id,
            defaults={"value": value, "note": note.strip(), "answered_by": actor},
        )
        changed[str(item_id)] = [value, note.strip()]
    audit_record(
        actor=actor, action="application.checklist_saved", subject=application, data=changed
    )


@transaction.atomic
def clarification_request(
    *, actor: Any, application: Application, message: str, reply_due_at: datetime
) -> Application:
    check_screener(actor, application)
    message = message.strip()
    if not message:
        raise DomainError(_("Write the question for the applicant."), code="empty")
    if reply_due_at <= timezone.now():
        raise DomainError(_("The reply deadline must be in the future."), code="reply_due")
    application = application_transition(
        actor=actor, application=application, to=ApplicationStatus.CLARIFICATION
    )
    Message.objects.create(
        application=application,
        author=actor,
        from_staff=True,
        body=message,
        reply_due_at=reply_due_at,
    )
    _notify_members(
        application,
        NotificationKind.CLARIFICATION_REQUESTED,
        {
            "message": message,
            "reply_by": lambda: formats.date_format(
                timezone.localtime(reply_due_at), "DATETIME_FORMAT"
            ),
        },
    )
    return application


def clarification_answered(*, actor: Any, application: Application, message: str) -> None:
    """Called when an applicant replies to an open clarification: back to screening."""
    application_transition(actor=actor, application=application, to=ApplicationStatus.SCREENING)
    _notify_screeners(application, NotificationKind.CLARIFICATION_ANSWERED, {"message": message})


@transaction.atomic
def screening_decide(
    *, actor: Any, application: Application, eligible: bool, reason: str = ""
) -> Application:
    target = ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
    application = application_transition(
        actor=actor, application=application, to=target, reason=reason
    )
    _notify_members(
        application,
        NotificationKind.ELIGIBILITY_DECISION,
        # A lazy label: rendered in each recipient's own language.
        {"decision": ApplicationStatus(target).label, "reason": reason},
    )
    return application


@transaction.atomic
def staff_message(*, actor: Any, application: Application, body: str) -> Message:
    check_screener(actor, application)
    body = body.strip()
    if not body:
        raise DomainError(_("Write your message before sending it."), code="empty")
    message = Message.objects.create(
        application=application, author=actor, from_staff=True, body=body
    )
    audit_record(
        actor=actor, action="message.sent", subject=application, data={"message": message.pk}
    )
    _notify_members(
        application,
        NotificationKind.CLARIFICATION_REQUESTED,
        {"message": body, "reply_by": "—"},
    )
    return message


@dataclass
class BulkResult:
    moved: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def bulk_transition(
    *, actor: Any, applications: Iterable[Application], to: str, reason: str = ""
) -> BulkResult:
    """Move many applications; each is its own transaction, and a refusal stops only itself."""
    result = BulkResult()
    for application in applications:
        try:
            application_transition(actor=actor, application=application, to=to, reason=reason)
        except DomainError as error:
            result.refused[application.pk] = error.message
        else:
            result.moved.append(application.pk)
    return result

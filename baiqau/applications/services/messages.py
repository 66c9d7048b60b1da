from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError

from ..models import Application, ApplicationStatus, Message
from .common import check_member


@transaction.atomic
def message_reply(*, actor: Any, application: Application, body: str) -> Message:
    """The applicant writes in the application's thread with the secretariat."""
    check_member(actor, application.organisation_id)
    body = body.strip()
    if not body:
        raise DomainError(_("Write your message before sending it."), code="empty")
    message = Message.objects.create(
        application=application, author=actor, from_staff=False, body=body
    )
    audit_record(
        actor=actor,
        action="message.sent",
        subject=application,
        data={"message": message.pk, "from_staff": False},
    )
    if application.status == ApplicationStatus.CLARIFICATION:
        from .screening import clarification_answered

        clarification_answered(actor=actor, application=application, message=body)
    return message

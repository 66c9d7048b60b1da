from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError

from ..models import Application, ApplicationStatus, Message
from ..uploads import EXTENSIONS, sniff_content_type
from .common import check_member


@transaction.atomic
def message_reply(
    *, actor: Any, application: Application, body: str, upload: UploadedFile | None = None
) -> Message:
    """The applicant writes in the application's thread with the secretariat, optionally
    with one file (the same type and size rules as attachments)."""
    check_member(actor, application.organisation_id)
    body = body.strip()
    if not body:
        raise DomainError(_("Write your message before sending it."), code="empty")
    message = Message(application=application, author=actor, from_staff=False, body=body)
    if upload is not None:
        if (upload.size or 0) > settings.BAIQAU_ATTACHMENT_MAX_BYTES:
            raise DomainError(
                _("“%(name)s” is larger than %(limit)s MB, the limit for one file.")
                % {"name": upload.name, "limit": settings.BAIQAU_ATTACHMENT_MAX_BYTES // 2**20},
                code="file_too_large",
            )
        content_type = sniff_content_type(upload)
        if content_type is None:
            raise DomainError(
                _(
                    "“%(name)s” is not a PDF, DOCX, XLSX, ODT, JPEG or PNG file (its content was "
                    "checked, not its name)."
                )
                % {"name": upload.name},
                code="file_type",
            )
        message.file_name = (upload.name or "file")[:255]
        message.file_type = content_type
        message.file.save(EXTENSIONS[content_type], upload, save=False)
    message.save()
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

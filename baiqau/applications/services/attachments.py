from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from baiqau.calls.models import Question
from baiqau.core.errors import DomainError

from ..models import Application, Attachment
from ..uploads import EXTENSIONS, sha256_of, sniff_content_type
from .drafts import _bump, lock_draft


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    application: Application,
    upload: UploadedFile,
    question: Question | None = None,
) -> Attachment:
    """Store one file after checking its real type by content and the size limits."""
    application = lock_draft(actor=actor, application=application, version=None)
    limit = settings.BAIQAU_ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise DomainError(
            _("“%(name)s” is larger than %(limit)s MB, the limit for one file.")
            % {"name": upload.name, "limit": _megabytes(limit)},
            code="file_too_large",
        )
    used = application.attachments.aggregate(total=Sum("size"))["total"] or 0
    total_limit = settings.BAIQAU_APPLICATION_ATTACHMENTS_MAX_BYTES
    if used + size > total_limit:
        raise DomainError(
            _("Together the files would exceed %(limit)s MB per application; remove one first.")
            % {"limit": _megabytes(total_limit)},
            code="files_too_large",
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
    if question is not None and question.call_id != application.call_id:
        raise DomainError(_("This question belongs to another call."), code="question")
    if question is not None:
        Attachment.objects.filter(application=application, question=question).delete()
    attachment = Attachment(
        application=application,
        question=question,
        original_name=(upload.name or f"file.{EXTENSIONS[content_type]}")[:255],
        content_type=content_type,
        size=size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    attachment.file.save(EXTENSIONS[content_type], upload, save=False)
    attachment.save()
    _bump(application, actor, [])
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, application: Application, attachment_id: int) -> None:
    application = lock_draft(actor=actor, application=application, version=None)
    attachment = Attachment.objects.filter(application=application, pk=attachment_id).first()
    if attachment is None:
        raise DomainError(_("This file has already been removed."), code="gone")
    stored = attachment.file.name
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))
    _bump(application, actor, [])

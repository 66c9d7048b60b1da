"""Monitoring visits: when, who, what they found, with photos."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baiqau.applications.uploads import EXTENSIONS, JPEG, PNG, sha256_of, sniff_content_type
from baiqau.audit.services import audit_record
from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..models import Agreement, Visit, VisitPhoto
from .common import check_staff

MAX_PHOTO_BYTES = 10 * 1024 * 1024


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    agreement: Agreement,
    visited_on: date,
    visitors: str,
    findings: str,
    photos: list[UploadedFile] | None = None,
) -> Visit:
    check_staff(actor, agreement.call)
    if visited_on > timezone.localdate(clock.now()):
        raise DomainError(_("A visit is recorded after it took place."), code="visited_on")
    if not visitors.strip() or not findings.strip():
        raise DomainError(_("Say who visited and what they found."), code="findings")
    visit = Visit.objects.create(
        agreement=agreement,
        visited_on=visited_on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    for upload in photos or []:
        content_type = sniff_content_type(upload)
        if content_type not in (JPEG, PNG) or (upload.size or 0) > MAX_PHOTO_BYTES:
            raise DomainError(
                _("“%(name)s” is not a JPEG or PNG photo of at most 10 MB.")
                % {"name": upload.name},
                code="photo",
            )
        photo = VisitPhoto(
            visit=visit,
            original_name=(upload.name or "photo")[:255],
            content_type=content_type,
            size=upload.size or 0,
            sha256=sha256_of(upload),
        )
        photo.file.save(EXTENSIONS[content_type], upload, save=False)
        photo.save()
    audit_record(
        actor=actor,
        action="visit.recorded",
        subject=agreement,
        data={"visit": visit.pk, "on": visited_on.isoformat(), "visitors": visit.visitors},
    )
    return visit

"""What the secretariat sets for one application before review: its areas of expertise, a
different number of reviews, and redacted versions of its free-text fields for a blind review
(identifying passages replaced by "[…]"). Every change is audited with old and new values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.audit.services import audit_record
from baiqau.calls.models import CallRoleKind, Question, QuestionKind
from baiqau.core.errors import DomainError

from ..models import ApplicationReviewSettings, ExpertiseTag, Redaction
from .common import check_role

REDACTORS = frozenset({CallRoleKind.ORGANISER, CallRoleKind.SECRETARY})
FIELDS = ("title", "summary", "target_group", "goal")
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
MAX_REVIEWS = 50
MAX_TEXT = 20_000


def _check_field(application: Application, field: str) -> None:
    if field in FIELDS:
        return
    prefix, _sep, pk = field.partition(":")
    if (
        prefix == "answer"
        and pk.isdigit()
        and Question.objects.filter(
            pk=int(pk), call_id=application.call_id, kind__in=TEXT_KINDS
        ).exists()
    ):
        return
    raise DomainError(_("This field cannot be redacted."), code="field")


@transaction.atomic
def redaction_save(
    *, actor: Any, application: Application, field: str, text: str
) -> Redaction | None:
    """Set the text experts see in place of a free-text field; empty text removes it."""
    check_role(actor, application.call, REDACTORS)
    _check_field(application, field)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("The text is too long: at most %(n)s characters.") % {"n": MAX_TEXT},
            code="too_long",
        )
    existing = (
        Redaction.objects.select_for_update().filter(application=application, field=field).first()
    )
    old = existing.text if existing is not None else None
    if old == (text or None):
        return existing
    redaction: Redaction | None
    if not text:
        if existing is not None:
            existing.delete()
        redaction = None
    elif existing is None:
        redaction = Redaction.objects.create(
            application=application, field=field, text=text, updated_by=actor
        )
    else:
        existing.text, existing.updated_by = text, actor
        existing.save(update_fields=["text", "updated_by", "updated_at"])
        redaction = existing
    audit_record(
        actor=actor,
        action="redaction.removed" if redaction is None else "redaction.saved",
        subject=application,
        data={"field": field, "old": old, "new": text or None},
    )
    return redaction


@transaction.atomic
def application_review_settings_save(
    *,
    actor: Any,
    application: Application,
    tags: Iterable[ExpertiseTag],
    reviews_needed: int | None,
) -> ApplicationReviewSettings:
    """The application's areas of expertise (for the solver) and, when it needs a different
    number of reviews than the call's, that number."""
    check_role(actor, application.call, REDACTORS)
    tag_list = list(tags)
    if any(tag.call_id != application.call_id for tag in tag_list):
        raise DomainError(_("Choose areas of this call."), code="tags")
    if reviews_needed is not None and not 1 <= reviews_needed <= MAX_REVIEWS:
        raise DomainError(
            _("The number of reviews must be between 1 and %(n)s.") % {"n": MAX_REVIEWS},
            code="reviews_needed",
        )
    settings_, _created = ApplicationReviewSettings.objects.select_for_update().get_or_create(
        application=application
    )
    old = {
        "tags": sorted(settings_.tags.values_list("pk", flat=True)),
        "reviews_needed": settings_.reviews_needed,
    }
    new = {"tags": sorted(t.pk for t in tag_list), "reviews_needed": reviews_needed}
    if old != new:
        settings_.reviews_needed = reviews_needed
        settings_.save(update_fields=["reviews_needed"])
        settings_.tags.set(tag_list)
        audit_record(
            actor=actor,
            action="application_review_settings.changed",
            subject=application,
            data={"old": old, "new": new},
        )
    return settings_

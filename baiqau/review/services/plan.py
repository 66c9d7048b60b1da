"""The review plan of a call and its areas of expertise."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call
from baiqau.core.errors import DomainError

from ..models import ExpertiseTag, ReviewPlan
from .common import PLAN_EDITORS, check_role, plan_for

# The areas a new call starts with; organisers rename, add and remove them.
DEFAULT_TAGS: tuple[tuple[str, str, str], ...] = (
    ("Мүгедектік", "Инвалидность", "Disability"),
    ("Психикалық денсаулық", "Психическое здоровье", "Mental health"),
    ("Балалар", "Дети", "Children"),
    ("Жұмыспен қамту", "Занятость", "Employment"),
    ("Еріктілік", "Волонтёрство", "Volunteering"),
    ("Қарт адамдар", "Пожилые люди", "Elderly people"),
)

PLAN_FIELDS = (
    "mode",
    "reviews_per_application",
    "min_load",
    "max_load",
    "blind",
    "bidding_open",
    "other_scores",
    "comment_required",
    "quorum",
    "reminder_days",
)


def expertise_tags_ensure(call: Call) -> list[ExpertiseTag]:
    """The call's areas of expertise, created from the defaults the first time."""
    tags = list(call.expertise_tags.all())
    if tags:
        return tags
    return ExpertiseTag.objects.bulk_create(
        ExpertiseTag(call=call, position=i, name_kk=kk, name_ru=ru, name_en=en)
        for i, (kk, ru, en) in enumerate(DEFAULT_TAGS)
    )


@transaction.atomic
def review_plan_update(*, actor: Any, call: Call, **values: Any) -> ReviewPlan:
    check_role(actor, call, PLAN_EDITORS)
    plan = ReviewPlan.objects.select_for_update().get(pk=plan_for(call).pk)
    low = values.get("min_load", plan.min_load)
    high = values.get("max_load", plan.max_load)
    if high < 1 or low > high:
        raise DomainError(
            _("The loads must be 0 ≤ minimum ≤ maximum, and the maximum at least 1."),
            code="loads",
        )
    if values.get("reviews_per_application", plan.reviews_per_application) < 1:
        raise DomainError(
            _("Each application needs at least 1 review."), code="reviews_per_application"
        )
    changes: dict[str, Any] = {}
    for name in PLAN_FIELDS:
        if name in values and getattr(plan, name) != values[name]:
            changes[name] = {"old": getattr(plan, name), "new": values[name]}
            setattr(plan, name, values[name])
    if changes:
        plan.save()
        audit_record(actor=actor, action="review_plan.changed", subject=call, data=changes)
    return plan


@transaction.atomic
def expertise_tags_save(
    *, actor: Any, call: Call, rows: list[dict[str, str]]
) -> list[ExpertiseTag]:
    """Replace the call's areas: each row has an optional "id" and name_kk/ru/en. Rows without a
    Kazakh name are removed."""
    check_role(actor, call, PLAN_EDITORS)
    existing = {tag.pk: tag for tag in call.expertise_tags.all()}
    kept: list[ExpertiseTag] = []
    for position, row in enumerate(r for r in rows if r.get("name_kk", "").strip()):
        tag = existing.pop(int(row["id"]), None) if row.get("id") else None
        tag = tag or ExpertiseTag(call=call)
        tag.position = position
        for code in ("kk", "ru", "en"):
            setattr(tag, f"name_{code}", row.get(f"name_{code}", "").strip())
        tag.save()
        kept.append(tag)
    removed = [str(t.name) for t in existing.values()]
    ExpertiseTag.objects.filter(pk__in=list(existing)).delete()
    audit_record(
        actor=actor,
        action="expertise_tags.changed",
        subject=call,
        data={"tags": [t.name_kk for t in kept], "removed": removed},
    )
    return kept

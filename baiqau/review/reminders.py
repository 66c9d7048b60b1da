"""Reminders to experts with reviews not yet submitted: by a click of the chair or the
secretariat (at most once a day per expert), and automatically N days before the review ends
(`ReviewPlan.reminder_days`; once per call, from `baiqau remind`).

The notifications table's unique constraint does not stop a duplicate whose application is
empty (NULLs are distinct), so the once-a-day rule is checked here, under a lock on the
expert's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus
from baiqau.core.errors import DomainError
from baiqau.notifications.models import Notification, NotificationKind
from baiqau.notifications.services import notify
from baiqau.notifications.values import call_values, link_in

from .models import Expert, ExpertStatus, ReviewPlan
from .services.common import JURY_MANAGERS, check_role
from .staff_selectors import open_review_counts, today_key

AUTO_KEY = "review-auto"


@dataclass
class RemindResult:
    sent: int = 0
    already_sent: int = 0


def _already_sent(expert: Expert, key: str) -> bool:
    return Notification.objects.filter(
        user_id=expert.user_id,
        kind=NotificationKind.REVIEW_REMINDER,
        call_id=expert.call_id,
        dedupe_key=key,
    ).exists()


def _locked(expert: Expert) -> Expert:
    return (
        Expert.objects.select_for_update(of=("self",))
        .select_related("call", "user")
        .get(pk=expert.pk)
    )


def _send(expert: Expert, count: int, key: str) -> Notification | None:
    """Notify the expert unless this reminder went out already. Call inside a transaction
    holding the expert's row."""
    if _already_sent(expert, key):
        return None
    call, user = expert.call, expert.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        review_ends = formats.date_format(
            timezone.localtime(call.review_ends_at), "DATETIME_FORMAT"
        )
    return notify(
        user=user,
        kind=NotificationKind.REVIEW_REMINDER,
        call=call,
        values={**call_values(call, language), "count": count, "review_ends": review_ends},
        url=link_in(language, "review:queue", call.slug),
        dedupe_key=key,
    )


def _check_in_review(call: Call) -> None:
    if call.status != CallStatus.IN_REVIEW:
        raise DomainError(
            _("Reminders are sent while the call is in review."), code="not_in_review"
        )


def _remind(actor: Any, expert: Expert, count: int, key: str) -> Notification | None:
    notification = _send(expert, count, key)
    if notification is not None:
        audit_record(
            actor=actor,
            action="review.reminder_sent",
            subject=expert,
            data={"count": count, "key": key},
        )
    return notification


@transaction.atomic
def review_reminder_send(*, actor: Any, expert: Expert) -> Notification | None:
    """Remind one expert of their open reviews. None when they had today's reminder already."""
    expert = _locked(expert)
    check_role(actor, expert.call, JURY_MANAGERS)
    _check_in_review(expert.call)
    if expert.status != ExpertStatus.ACTIVE:
        raise DomainError(
            _("%(person)s has withdrawn from the panel.") % {"person": expert.user},
            code="withdrawn",
        )
    count = open_review_counts(expert.call).get(expert.pk, 0)
    if not count:
        raise DomainError(
            _("%(person)s has no review left to submit.") % {"person": expert.user},
            code="nothing_open",
        )
    return _remind(actor, expert, count, today_key())


@transaction.atomic
def review_reminders_late_send(*, actor: Any, call: Call) -> RemindResult:
    """Remind every active expert of the call with open reviews (each at most once a day)."""
    check_role(actor, call, JURY_MANAGERS)
    _check_in_review(call)
    counts = open_review_counts(call)
    key = today_key()
    result = RemindResult()
    late = Expert.objects.filter(
        call=call, status=ExpertStatus.ACTIVE, pk__in=[pk for pk, n in counts.items() if n]
    ).order_by("pk")
    for expert in late:
        if _remind(actor, _locked(expert), counts[expert.pk], key) is None:
            result.already_sent += 1
        else:
            result.sent += 1
    return result


@dataclass
class DueSummary:
    calls: int = 0
    sent: int = 0
    already_sent: int = 0


def _due_plans(now: datetime) -> list[ReviewPlan]:
    plans = ReviewPlan.objects.filter(
        call__status=CallStatus.IN_REVIEW,
        reminder_days__isnull=False,
        call__review_ends_at__gt=now,
    ).select_related("call")
    return [
        plan
        for plan in plans
        if plan.reminder_days is not None
        and plan.call.review_ends_at - now <= timedelta(days=plan.reminder_days)
    ]


def review_reminders_due(now: datetime | None = None) -> DueSummary:
    """The automatic reminders: for each call in review whose deadline is within its plan's
    `reminder_days`, each active expert with open reviews is reminded once."""
    now = now or timezone.now()
    summary = DueSummary()
    for plan in _due_plans(now):
        call = plan.call
        summary.calls += 1
        counts = open_review_counts(call)
        done = set(
            Notification.objects.filter(
                call=call, kind=NotificationKind.REVIEW_REMINDER, dedupe_key=AUTO_KEY
            ).values_list("user_id", flat=True)
        )
        late = Expert.objects.filter(
            call=call, status=ExpertStatus.ACTIVE, pk__in=[pk for pk, n in counts.items() if n]
        ).order_by("pk")
        for expert in late:
            if expert.user_id in done:
                summary.already_sent += 1
                continue
            with transaction.atomic():
                told = _send(_locked(expert), counts[expert.pk], AUTO_KEY)
            if told is None:  # another run got there first
                summary.already_sent += 1
            else:
                summary.sent += 1
    return summary

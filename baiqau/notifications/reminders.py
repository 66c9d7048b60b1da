"""Deadline reminders: 7 days, 1 day and 3 hours before a call closes, to every member of the
organisation of each draft still not submitted. Run by `baiqau remind` (from `baiqau worker` or
cron); running it twice sends nothing new."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from baiqau.applications.emails import application_values
from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import CallStatus
from baiqau.organisations.models import Membership

from .models import Notification, NotificationKind
from .services import notify
from .values import call_values, link_in

# Narrowest first. A draft gets the reminder of the narrowest window the call is in, so a run
# that was missed (or a draft started late) never sends several reminders at once.
WINDOWS: tuple[tuple[str, timedelta], ...] = (
    ("3h", timedelta(hours=3)),
    ("1d", timedelta(days=1)),
    ("7d", timedelta(days=7)),
)


@dataclass
class ReminderSummary:
    sent: dict[str, int] = field(default_factory=lambda: {key: 0 for key, _w in WINDOWS})
    already_sent: int = 0
    drafts: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def window_for(closes_at: datetime, now: datetime) -> str | None:
    left = closes_at - now
    if left <= timedelta(0):
        return None
    return next((key for key, window in WINDOWS if left <= window), None)


def _due_drafts(now: datetime) -> list[Application]:
    return list(
        Application.objects.filter(
            status=ApplicationStatus.DRAFT,
            call__status=CallStatus.PUBLISHED,
            call__closes_at__gt=now,
            call__closes_at__lte=now + WINDOWS[-1][1],
        )
        .select_related("call", "organisation")
        .order_by("call_id", "pk")
    )


def deadline_reminders_send(now: datetime | None = None) -> ReminderSummary:
    now = now or timezone.now()
    summary = ReminderSummary()
    drafts = _due_drafts(now)
    summary.drafts = len(drafts)
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in={d.organisation_id for d in drafts}, user__is_active=True
    ).select_related("user"):
        members[membership.organisation_id].append(membership.user)
    done = set(
        Notification.objects.filter(
            kind=NotificationKind.DEADLINE_REMINDER, application__in=drafts
        ).values_list("user_id", "application_id", "dedupe_key")
    )
    for draft in drafts:
        key = window_for(draft.call.closes_at, now)
        if key is None:
            continue
        for user in members[draft.organisation_id]:
            if (user.pk, draft.pk, key) in done:
                summary.already_sent += 1
                continue
            language = user.preferred_language
            told = notify(
                user=user,
                kind=NotificationKind.DEADLINE_REMINDER,
                call=draft.call,
                application=draft,
                values={
                    **application_values(draft, language),
                    **call_values(draft.call, language),
                },
                url=link_in(language, "applicants:review", draft.pk),
                dedupe_key=key,
            )
            if told is None:  # another run got there first
                summary.already_sent += 1
            else:
                summary.sent[key] += 1
    return summary

"""Report reminders, run by `baiqau remind`: the organisation's members are told a report is
due `CallMonitoring.reminder_days` before its date (once per report: `Report.reminded_on`), and
the call's organisers are told once when a report is overdue.

Running it twice sends nothing new: the reminder is marked on the report in the same
transaction as its notifications, and each notification has a dedupe key the database keeps
unique per person and application.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation

from baiqau.applications.emails import application_values
from baiqau.calls.models import CallRole, CallRoleKind
from baiqau.notifications.models import Notification, NotificationKind
from baiqau.notifications.services import notify
from baiqau.notifications.values import link_in
from baiqau.organisations.models import Membership

from .models import AgreementStatus, CallMonitoring, Report, ReportStatus

DEFAULT_REMINDER_DAYS = CallMonitoring._meta.get_field("reminder_days").get_default()
OPEN_REPORT = (ReportStatus.DUE, ReportStatus.RETURNED)


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _values(report: Report, language: str) -> dict[str, Any]:
    application = report.agreement.application
    with translation.override(language):
        return {
            **application_values(application, language),
            "report": str(report.get_kind_display()),
            "due_date": formats.date_format(report.due_date, "DATE_FORMAT"),
        }


def _reports() -> QuerySet[Report]:
    return Report.objects.filter(agreement__status=AgreementStatus.ACCEPTED).select_related(
        "agreement__call", "agreement__application__organisation"
    )


def _due_soon(today: date) -> list[Report]:
    """Reports not yet reminded whose call's reminder window has begun (one query per distinct
    number of days the calls set: a handful)."""
    unreminded = _reports().filter(
        status=ReportStatus.DUE, reminded_on__isnull=True, due_date__gte=today
    )
    days = set(CallMonitoring.objects.values_list("reminder_days", flat=True).distinct())
    found = list(
        unreminded.filter(
            agreement__call__monitoring__isnull=True,
            due_date__lte=today + timedelta(days=DEFAULT_REMINDER_DAYS),
        )
    )
    for n in sorted(days):
        found += unreminded.filter(
            agreement__call__monitoring__reminder_days=n, due_date__lte=today + timedelta(days=n)
        )
    return sorted(found, key=lambda r: (r.due_date, r.pk))


def _members(organisation_ids: set[int]) -> dict[int, list[Any]]:
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in=organisation_ids, user__is_active=True
    ).select_related("user"):
        members[membership.organisation_id].append(membership.user)
    return members


def _remind_due(today: date) -> int:
    reports = _due_soon(today)
    members = _members({r.agreement.application.organisation_id for r in reports})
    sent = 0
    for report in reports:
        application = report.agreement.application
        with transaction.atomic():
            for user in members[application.organisation_id]:
                language = _language(user)
                told = notify(
                    user=user,
                    kind=NotificationKind.REPORT_DUE,
                    call=report.agreement.call,
                    application=application,
                    values=_values(report, language),
                    url=link_in(language, "monitoring:report", report.agreement.pk, report.pk),
                    dedupe_key=f"report-{report.pk}-due",
                )
                sent += told is not None
            Report.objects.filter(pk=report.pk).update(reminded_on=today)
    return sent


def _flag_overdue(today: date) -> int:
    reports = list(_reports().filter(status__in=OPEN_REPORT, due_date__lt=today))
    if not reports:
        return 0
    keys = {f"report-{r.pk}-overdue" for r in reports}
    done = set(
        Notification.objects.filter(
            kind=NotificationKind.REPORT_OVERDUE, dedupe_key__in=keys
        ).values_list("user_id", "dedupe_key")
    )
    organisers: dict[int, list[Any]] = defaultdict(list)
    for role in CallRole.objects.filter(
        call_id__in={r.agreement.call_id for r in reports},
        role=CallRoleKind.ORGANISER,
        user__is_active=True,
    ).select_related("user"):
        organisers[role.call_id].append(role.user)
    sent = 0
    for report in reports:
        key = f"report-{report.pk}-overdue"
        agreement = report.agreement
        for user in organisers[agreement.call_id]:
            if (user.pk, key) in done:
                continue
            language = _language(user)
            told = notify(
                user=user,
                kind=NotificationKind.REPORT_OVERDUE,
                call=agreement.call,
                application=agreement.application,
                values=_values(report, language),
                url=link_in(language, "workspace:agreement", agreement.call.slug, agreement.pk),
                dedupe_key=key,
            )
            sent += told is not None
    return sent


def remind_reports(now: datetime | None = None) -> int:
    """Send the due report reminders and overdue flags; returns how many notifications."""
    # The calendar day in Almaty: "due tomorrow" and "overdue" are about the people's day.
    today = timezone.localdate(now or timezone.now())
    return _remind_due(today) + _flag_overdue(today)

"""Notifications about an application, each in its recipient's preferred language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, translation

from baiqau.notifications.models import NotificationKind
from baiqau.notifications.services import notify

from .models import Application


def application_values(application: Application, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {
            "call_title": str(application.call.title),
            "application_title": str(application.title),
            "organisation": str(application.organisation),
            "receipt_number": application.receipt_number or "",
            "deadline": formats.date_format(
                application.call.closes_at.astimezone(), "DATETIME_FORMAT"
            ),
        }


def url_in(language: str, name: str, *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def notify_submitted(application: Application, user: Any) -> None:
    language = user.preferred_language
    notify(
        user=user,
        kind=NotificationKind.SUBMISSION_RECEIPT,
        call=application.call,
        application=application,
        values=application_values(application, language),
        url=url_in(language, "applicants:receipt", application.pk),
    )

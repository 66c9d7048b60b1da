"""Values for previewing a message: samples, the call's own data, and, when the call has an
application, that application's real data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import Call, CallRoleKind

from .messages import check_template, fill_message
from .values import absolute, call_values, link_in


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    unknown: tuple[str, ...]
    well_formed: bool
    application: Application | None


def sample_values(language: str) -> dict[str, Any]:
    from baiqau.results.letters import letter_samples  # results depends on notifications

    with translation.override(language):
        return {
            **letter_samples(language),
            "name": _("Aigerim Sadykova"),
            "application_title": _("Sign language courses for parents"),
            "organisation": _("“Bright Future” public foundation"),
            "receipt_number": "BQ-2025-000123",
            "reply_by": formats.date_format(
                timezone.localtime() + timedelta(days=5), "DATETIME_FORMAT"
            ),
            "reason": _("The budget exceeds the call's maximum per project."),
            "message": _("Please attach the letter of support from the akimat."),
            "decision": str(ApplicationStatus.ELIGIBLE.label),
            "url": absolute(link_in(language, "publishing:home")),
            "role": str(CallRoleKind.MEMBER.label),
            "count": 12,
            "review_ends": formats.date_format(
                timezone.localtime() + timedelta(days=14), "DATETIME_FORMAT"
            ),
            "report": _("Interim report"),
            "due_date": formats.date_format(
                timezone.localdate() + timedelta(days=7), "DATE_FORMAT"
            ),
        }


def _example_application(call: Call) -> Application | None:
    applications = Application.objects.filter(call=call).select_related("organisation", "call")
    return (
        applications.exclude(status=ApplicationStatus.DRAFT).order_by("pk").first()
        or applications.order_by("pk").first()
    )


def preview_values(call: Call, language: str) -> tuple[dict[str, Any], Application | None]:
    values = {**sample_values(language), **call_values(call, language)}
    application = _example_application(call)
    if application is not None:
        with translation.override(language):
            values.update(
                {
                    "application_title": str(application.title) or values["application_title"],
                    "organisation": str(application.organisation),
                    "receipt_number": application.receipt_number or values["receipt_number"],
                    "url": absolute(link_in(language, "applicants:review", application.pk)),
                }
            )
    return values, application


def preview(call: Call, language: str, subject: str, body: str) -> Preview:
    values, application = preview_values(call, language)
    with translation.override(language):
        filled_subject, filled_body = fill_message(subject, body, values)
    check = check_template(subject, body)
    return Preview(filled_subject, filled_body, check.unknown, check.well_formed, application)

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Organisation

from .models import Application, ApplicationStatus
from .transitions import move_for

TRANSLATED_FIELDS = ("title", "summary", "target_group", "goal")
PLAIN_FIELDS = (
    "planned_activities",
    "expected_results",
    "beneficiaries_count",
    "requested_amount",
)


def _check_call_open(call: Call) -> None:
    now = clock.now()
    if call.status != CallStatus.PUBLISHED or now < call.opens_at:
        raise DomainError(_("This call is not open for applications."), code="call_not_open")
    if now >= call.closes_at:
        raise DomainError(
            _("The deadline for this call has passed; your draft is kept."), code="deadline"
        )


@transaction.atomic
def application_create(
    *,
    actor: Any,
    call: Call,
    organisation: Organisation,
    language: str,
    **fields: Any,
) -> Application:
    _check_call_open(call)
    if organisation.org_type not in call.eligible_org_types:
        raise DomainError(
            _("Organisations of the type “%(type)s” are not eligible for this call.")
            % {"type": organisation.get_org_type_display()},
            code="ineligible_type",
        )
    unknown = (
        set(fields)
        - {f"{base}_{code}" for base in TRANSLATED_FIELDS for code in ("kk", "ru", "en")}
        - set(PLAIN_FIELDS)
    )
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    application = Application(
        call=call, organisation=organisation, created_by=actor, language=language, **fields
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="application.created",
        subject=application,
        data={"call": call.slug, "organisation": organisation.bin},
    )
    return application


def _receipt_number(application: Application) -> str:
    return f"BQ-{application.call_id:04d}-{application.pk:07d}"


@transaction.atomic
def application_submit(*, actor: Any, application: Application) -> Application:
    """Submit a draft. Submitting again (a double click, a retry) changes nothing."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    if application.status == ApplicationStatus.SUBMITTED:
        return application
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("Only a draft can be submitted."), code="not_draft")
    _check_call_open(application.call)
    if not application.title:
        raise DomainError(_("Give the project a title before submitting."), code="incomplete")
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = clock.now()
    application.receipt_number = _receipt_number(application)
    application.save(update_fields=["status", "submitted_at", "receipt_number", "updated_at"])
    audit_record(
        actor=actor,
        action="application.submitted",
        subject=application,
        data={
            "receipt_number": application.receipt_number,
            "submitted_at": application.submitted_at,
            "version": application.version,
            "requested_amount": application.requested_amount,
        },
    )
    return application


@transaction.atomic
def application_transition(
    *, actor: Any, application: Application, to: str, reason: str = ""
) -> Application:
    """Apply one row of the application state table, audited with old and new state."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    move = move_for(application.status, to)
    if move is None:
        raise DomainError(
            _("An application cannot move from “%(current)s” to “%(target)s”.")
            % {"current": application.get_status_display(), "target": to},
            code="transition",
        )
    if move.needs_reason and not reason.strip():
        raise DomainError(_("Please give the reason for this decision."), code="reason")
    old = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"application.{move.name}",
        subject=application,
        data={"from": old, "to": to, "reason": reason},
    )
    return application

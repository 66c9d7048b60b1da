from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from baiqau.audit.chain import normalise_data
from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Organisation

from ..emails import notify_submitted
from ..models import Application, ApplicationStatus, ApplicationVersion
from ..transitions import move_for
from .common import check_member

TRANSLATED_FIELDS = ("title", "summary", "target_group", "goal")
PLAIN_FIELDS = (
    "problem",
    "planned_activities",
    "expected_results",
    "timeline",
    "team",
    "beneficiaries_count",
    "requested_amount",
)


def _check_call_open(call: Call, at: datetime | None = None) -> None:
    now = at or clock.now()
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
    if actor is not None:
        check_member(actor, organisation.pk)
    _check_call_open(call)
    from .eligibility import eligibility_problems

    problems = eligibility_problems(call, organisation)
    if problems:
        raise DomainError(" ".join(problems), code="ineligible_type")
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


def _receipt_number(application: Application, number: int) -> str:
    base = f"BQ-{application.call_id:04d}-{application.pk:07d}"
    return base if number == 1 else f"{base}-{number}"


def snapshot(application: Application) -> dict[str, Any]:
    """Everything the application contains, as plain JSON, for its submitted version."""
    fields = {
        f.name: getattr(application, f.attname)
        for f in Application._meta.concrete_fields
        if f.name
        not in {"id", "call", "organisation", "created_by", "status", "version", "last_edited_by"}
        and not f.name.endswith("_at")
        and f.name != "receipt_number"
    }
    return {
        "fields": fields,
        "organisation": {
            "bin": application.organisation.bin,
            "name": str(application.organisation),
        },
        "answers": _answers_as_read(application),
        "budget": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "contribution": line.contribution,
            }
            for line in application.budget_lines.all()
        ],
        "attachments": [
            {"name": a.original_name, "type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in application.attachments.all()
        ],
    }


def _answers_as_read(application: Application) -> list[dict[str, Any]]:
    """Each question with its answer as the applicant read it, in the application's language."""
    from baiqau.core.templatetags.baiqau import answer_text

    answers = {a.question_id: a.value for a in application.answers.all()}
    attachments = list(application.attachments.all())
    with translation.override(application.language):
        return [
            {
                "question": q.pk,
                "label": str(q.label),
                "value": answers.get(q.pk),
                "text": answer_text(q, answers, attachments),
            }
            for q in application.call.questions.all()
        ]


@transaction.atomic
def application_submit(
    *, actor: Any, application: Application, arrived_at: datetime | None = None
) -> Application:
    """Submit a draft. Submitting again (a double click, a retry) changes nothing.

    `arrived_at` is when the request reached the server: the deadline is judged by it, so a
    submission queued behind others at the last second is not refused for the queue's delay.
    """
    received = min(arrived_at, clock.now()) if arrived_at is not None else clock.now()
    from .drafts import completeness_problems  # drafts builds on this module

    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if actor is not None:
        check_member(actor, application.organisation_id)
    if application.status == ApplicationStatus.SUBMITTED:
        return application
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("Only a draft can be submitted."), code="not_draft")
    _check_call_open(application.call, at=received)
    problems = completeness_problems(application)
    if problems:
        raise DomainError(" ".join(problems), code="incomplete")
    number = application.versions.count() + 1
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = received
    application.receipt_number = _receipt_number(application, number)
    application.save(update_fields=["status", "submitted_at", "receipt_number", "updated_at"])
    ApplicationVersion.objects.create(
        application=application,
        number=number,
        receipt_number=application.receipt_number,
        submitted_at=application.submitted_at,
        submitted_by=actor,
        data=normalise_data(snapshot(application)),
    )
    audit_record(
        actor=actor,
        action="application.resubmitted" if number > 1 else "application.submitted",
        subject=application,
        data={
            "receipt_number": application.receipt_number,
            "submitted_at": application.submitted_at,
            "version": number,
            "requested_amount": application.requested_amount,
        },
    )
    if actor is not None:
        notify_submitted(application, actor)
    return application


@transaction.atomic
def application_reopen(*, actor: Any, application: Application) -> Application:
    """Take a submitted application back to draft to change it before the deadline."""
    application = Application.objects.select_related("call").get(pk=application.pk)
    check_member(actor, application.organisation_id)
    _check_call_open(application.call)
    return application_transition(actor=actor, application=application, to=ApplicationStatus.DRAFT)


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    check_member(actor, application.organisation_id)
    return application_transition(
        actor=actor, application=application, to=ApplicationStatus.WITHDRAWN, reason=reason
    )


def actor_roles(actor: Any, application: Application) -> set[str]:
    """The capacities in which a person acts on an application (see transitions.Move.by)."""
    from baiqau.calls.models import CallRole
    from baiqau.organisations.models import Membership

    if actor is None:
        return {"system"}
    roles = set(
        CallRole.objects.filter(call_id=application.call_id, user=actor).values_list(
            "role", flat=True
        )
    )
    if Membership.objects.filter(user=actor, organisation_id=application.organisation_id).exists():
        roles.add("applicant")
    return roles


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
    if not actor_roles(actor, application) & move.by:
        raise DomainError(_("You may not make this change."), code="forbidden")
    if move.needs_reason and not reason.strip():
        raise DomainError(_("Please give the reason for this decision."), code="reason")
    old = application.status
    application.status = to
    fields = ["status", "updated_at"]
    if move.needs_reason or reason:
        application.decision_reason = reason
        fields.append("decision_reason")
    application.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"application.{move.name}",
        subject=application,
        data={"from": old, "to": to, "reason": reason},
    )
    return application

"""Agreements: drafted by staff from an award, offered, accepted by the organisation's owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.results.models import Award

from ..models import (
    Agreement,
    AgreementStatus,
    CallMonitoring,
    Indicator,
    Report,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheStatus,
)
from ..transitions import AGREEMENT
from .common import apply_move, check_member, check_staff


def monitoring_for(call: Call) -> CallMonitoring:
    settings, _created = CallMonitoring.objects.get_or_create(call=call)
    return settings


def award_of(application: Application) -> Award | None:
    return (
        Award.objects.filter(application=application, ranking__is_current=True)
        .select_related("ranking")
        .first()
    )


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    due_date: date


@dataclass(frozen=True)
class TrancheSpec:
    amount: int
    planned_date: date
    condition: int | None = None  # index into the report schedule


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("call", "application")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def agreement_create(*, actor: Any, application: Application) -> Agreement:
    """Draft the agreement of an awarded application with a schedule staff then adjust.

    A prize is paid at once with one final report; a grant in two tranches, the second
    paid once the interim report is accepted. The first indicator is the number of people
    the application promised to reach.
    """
    application = Application.objects.select_related("call", "organisation").get(pk=application.pk)
    call = application.call
    check_staff(actor, call)
    if not call.results_are_public or application.status != ApplicationStatus.AWARDED:
        raise DomainError(
            _("Only an application awarded in published results gets an agreement."),
            code="not_awarded",
        )
    award = award_of(application)
    if award is None:
        raise DomainError(_("This application has no award."), code="not_awarded")
    if Agreement.objects.filter(application=application).exists():
        raise DomainError(_("This application already has an agreement."), code="exists")
    today = timezone.localdate(clock.now())
    language = application.language or "kk"
    with translation.override(language):  # the agreement's language, not the staff's
        purpose = str(application.goal or application.title)
        summary = str(application.summary)
    agreement = Agreement.objects.create(
        application=application,
        call=call,
        number=f"{call.slug[:24]}-{application.pk}",
        amount=award.amount,
        purpose=purpose,
        language=language,
        staff_contact=actor,
        org_contact=application.created_by,
        summary_public=summary,
        created_by=actor,
        created_at=clock.now(),
    )
    with translation.override(agreement.language):  # the agreement's language, not the staff's
        indicators = [
            IndicatorSpec(
                name=_("People reached by the project"),
                unit=_("people"),
                baseline=Decimal(0),
                target=Decimal(application.beneficiaries_count or 1),
            )
        ]
    if call.award_scheme == AwardScheme.PRIZES:
        reports = [ReportSpec(ReportKind.FINAL, today + timedelta(days=180))]
        tranches = [TrancheSpec(award.amount, today + timedelta(days=14))]
    else:
        first = award.amount * 6 // 10
        reports = [
            ReportSpec(ReportKind.INTERIM, today + timedelta(days=90)),
            ReportSpec(ReportKind.FINAL, today + timedelta(days=180)),
        ]
        tranches = [
            TrancheSpec(first, today + timedelta(days=14)),
            TrancheSpec(award.amount - first, today + timedelta(days=100), condition=0),
        ]
    _write_schedule(agreement, indicators, reports, tranches)
    monitoring_for(call)
    audit_record(
        actor=actor,
        action="agreement.created",
        subject=agreement,
        data={"application": application.pk, "amount": award.amount},
    )
    return agreement


def _write_schedule(
    agreement: Agreement,
    indicators: list[IndicatorSpec],
    reports: list[ReportSpec],
    tranches: list[TrancheSpec],
) -> None:
    agreement.indicators.all().delete()
    agreement.tranches.all().delete()
    agreement.reports.all().delete()
    Indicator.objects.bulk_create(
        Indicator(agreement=agreement, position=i, **spec.__dict__)
        for i, spec in enumerate(indicators)
    )
    saved = [
        Report.objects.create(agreement=agreement, position=i, kind=r.kind, due_date=r.due_date)
        for i, r in enumerate(sorted(reports, key=lambda r: r.due_date))
    ]
    order = sorted(range(len(reports)), key=lambda i: reports[i].due_date)
    by_index = {original: saved[new] for new, original in enumerate(order)}
    Tranche.objects.bulk_create(
        Tranche(
            agreement=agreement,
            position=i,
            amount=t.amount,
            planned_date=t.planned_date,
            condition_report=by_index[t.condition] if t.condition is not None else None,
        )
        for i, t in enumerate(tranches)
    )


def _check_schedule(
    amount: int,
    indicators: list[IndicatorSpec],
    reports: list[ReportSpec],
    tranches: list[TrancheSpec],
) -> None:
    if not indicators:
        raise DomainError(_("Name at least one indicator."), code="indicators")
    if not any(r.kind == ReportKind.FINAL for r in reports):
        raise DomainError(_("The schedule needs a final report."), code="reports")
    if not tranches or sum(t.amount for t in tranches) != amount:
        raise DomainError(
            _("The tranches must add up to the amount of the agreement."), code="tranches"
        )
    if any(t.condition is not None and not 0 <= t.condition < len(reports) for t in tranches):
        raise DomainError(
            _("A tranche's condition must be a report of the schedule."), code="tranches"
        )


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    purpose: str,
    summary_public: str,
    indicators: list[IndicatorSpec],
    reports: list[ReportSpec],
    tranches: list[TrancheSpec],
) -> Agreement:
    """Change a draft agreement: its purpose, public summary and schedules (audited)."""
    agreement = _lock(agreement)
    check_staff(actor, agreement.call)
    if agreement.status != AgreementStatus.DRAFT:
        raise DomainError(
            _("Only a draft agreement can be changed; withdraw the offer first."), code="not_draft"
        )
    if not purpose.strip():
        raise DomainError(_("State the purpose of the agreement."), code="purpose")
    _check_schedule(agreement.amount, indicators, reports, tranches)
    agreement.purpose = purpose.strip()
    agreement.summary_public = summary_public.strip()
    agreement.save(update_fields=["purpose", "summary_public"])
    _write_schedule(agreement, indicators, reports, tranches)
    audit_record(
        actor=actor,
        action="agreement.updated",
        subject=agreement,
        data={
            "purpose": agreement.purpose,
            "indicators": [[i.name, i.unit, str(i.baseline), str(i.target)] for i in indicators],
            "reports": [[r.kind, r.due_date.isoformat()] for r in reports],
            "tranches": [[t.amount, t.planned_date.isoformat(), t.condition] for t in tranches],
        },
    )
    return agreement


@transaction.atomic
def agreement_offer(*, actor: Any, agreement: Agreement) -> Agreement:
    agreement = _lock(agreement)
    check_staff(actor, agreement.call)
    indicators = [
        IndicatorSpec(i.name, i.unit, i.baseline, i.target) for i in agreement.indicators.all()
    ]
    reports = list(agreement.reports.all())
    index = {r.pk: n for n, r in enumerate(reports)}
    _check_schedule(
        agreement.amount,
        indicators,
        [ReportSpec(r.kind, r.due_date) for r in reports],
        [
            TrancheSpec(t.amount, t.planned_date, index.get(t.condition_report_id or 0))
            for t in agreement.tranches.all()
        ],
    )
    apply_move(
        actor=actor, table=AGREEMENT, obj=agreement, to=AgreementStatus.OFFERED, action="agreement"
    )
    agreement.offered_at = clock.now()
    agreement.save(update_fields=["status", "offered_at"])
    return agreement


@transaction.atomic
def agreement_withdraw_offer(*, actor: Any, agreement: Agreement, reason: str) -> Agreement:
    agreement = _lock(agreement)
    check_staff(actor, agreement.call)
    apply_move(
        actor=actor,
        table=AGREEMENT,
        obj=agreement,
        to=AgreementStatus.DRAFT,
        action="agreement",
        reason=reason,
    )
    agreement.offered_at = None
    agreement.save(update_fields=["status", "offered_at"])
    return agreement


@transaction.atomic
def agreement_accept(*, actor: Any, agreement: Agreement) -> Agreement:
    """The organisation's owner accepts the agreement as offered (audited)."""
    agreement = _lock(agreement)
    check_member(actor, agreement.application.organisation_id, owner=True)
    apply_move(
        actor=actor,
        table=AGREEMENT,
        obj=agreement,
        to=AgreementStatus.ACCEPTED,
        action="agreement",
        data={"amount": agreement.amount, "number": agreement.number},
    )
    agreement.accepted_at = clock.now()
    agreement.accepted_by = actor
    agreement.save(update_fields=["status", "accepted_at", "accepted_by"])
    return agreement


@transaction.atomic
def agreement_close(*, actor: Any, agreement: Agreement) -> Agreement:
    agreement = _lock(agreement)
    check_staff(actor, agreement.call)
    if agreement.reports.exclude(status=ReportStatus.ACCEPTED).exists():
        raise DomainError(
            _("Every report must be accepted before the agreement is closed."), code="reports"
        )
    if agreement.tranches.filter(
        status__in=[TrancheStatus.PLANNED, TrancheStatus.APPROVED]
    ).exists():
        raise DomainError(
            _("Every tranche must be paid or withheld before the agreement is closed."),
            code="tranches",
        )
    apply_move(
        actor=actor, table=AGREEMENT, obj=agreement, to=AgreementStatus.CLOSED, action="agreement"
    )
    agreement.closed_at = clock.now()
    agreement.save(update_fields=["status", "closed_at"])
    return agreement


@transaction.atomic
def agreement_reopen(*, actor: Any, agreement: Agreement, reason: str) -> Agreement:
    agreement = _lock(agreement)
    check_staff(actor, agreement.call)
    apply_move(
        actor=actor,
        table=AGREEMENT,
        obj=agreement,
        to=AgreementStatus.ACCEPTED,
        action="agreement",
        reason=reason,
    )
    agreement.closed_at = None
    agreement.save(update_fields=["status", "closed_at"])
    return agreement

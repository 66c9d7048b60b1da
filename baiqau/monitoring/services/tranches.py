"""Payments: planned → approved → paid, or withheld with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..models import AgreementStatus, ReportStatus, Tranche, TrancheStatus
from ..transitions import TRANCHE
from .common import apply_move, check_staff


def _lock(tranche: Tranche) -> Tranche:
    return (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("agreement__call", "condition_report")
        .get(pk=tranche.pk)
    )


def approvable(tranche: Tranche) -> bool:
    """A tranche can be approved once the agreement is accepted and its report (if any) is."""
    if tranche.status != TrancheStatus.PLANNED:
        return False
    if tranche.agreement.status not in (AgreementStatus.ACCEPTED, AgreementStatus.CLOSED):
        return False
    report = tranche.condition_report
    return report is None or report.status == ReportStatus.ACCEPTED


@transaction.atomic
def tranche_approve(*, actor: Any, tranche: Tranche) -> Tranche:
    tranche = _lock(tranche)
    check_staff(actor, tranche.agreement.call)
    if tranche.status == TrancheStatus.PLANNED and not approvable(tranche):
        raise DomainError(
            _("This tranche waits for the agreement to be accepted and its report to be accepted."),
            code="condition",
        )
    apply_move(
        actor=actor,
        table=TRANCHE,
        obj=tranche,
        to=TrancheStatus.APPROVED,
        action="tranche",
        data={"amount": tranche.amount},
    )
    tranche.approved_at = clock.now()
    tranche.save(update_fields=["status", "approved_at"])
    return tranche


@transaction.atomic
def tranche_pay(*, actor: Any, tranche: Tranche, paid_on: date, reference: str) -> Tranche:
    tranche = _lock(tranche)
    check_staff(actor, tranche.agreement.call)
    if not reference.strip():
        raise DomainError(_("Give the payment order's reference."), code="reference")
    if paid_on > timezone.localdate(clock.now()):
        raise DomainError(_("The payment date cannot be in the future."), code="paid_on")
    apply_move(
        actor=actor,
        table=TRANCHE,
        obj=tranche,
        to=TrancheStatus.PAID,
        action="tranche",
        data={
            "amount": tranche.amount,
            "paid_on": paid_on.isoformat(),
            "reference": reference.strip(),
        },
    )
    tranche.paid_on = paid_on
    tranche.reference = reference.strip()
    tranche.save(update_fields=["status", "paid_on", "reference"])
    return tranche


@transaction.atomic
def tranche_withhold(*, actor: Any, tranche: Tranche, reason: str) -> Tranche:
    tranche = _lock(tranche)
    check_staff(actor, tranche.agreement.call)
    apply_move(
        actor=actor,
        table=TRANCHE,
        obj=tranche,
        to=TrancheStatus.WITHHELD,
        action="tranche",
        reason=reason,
    )
    tranche.withheld_reason = reason.strip()
    tranche.save(update_fields=["status", "withheld_reason"])
    return tranche


@transaction.atomic
def tranche_reinstate(*, actor: Any, tranche: Tranche, reason: str) -> Tranche:
    tranche = _lock(tranche)
    check_staff(actor, tranche.agreement.call)
    apply_move(
        actor=actor,
        table=TRANCHE,
        obj=tranche,
        to=TrancheStatus.PLANNED,
        action="tranche",
        reason=reason,
    )
    tranche.save(update_fields=["status"])
    return tranche

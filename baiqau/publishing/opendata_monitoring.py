"""What happened after the award, for a call's open data: payments, dates, beneficiaries.

Only an agreement the organisation has accepted (or one since closed) is published: a draft
or an offer may still change. Per grant, in 360Giving's own fields where the standard has
them: ``amountDisbursed`` and one ``disbursementTransaction`` per paid tranche,
``plannedDates`` (from the acceptance to the last report's due date) and, once the agreement
is closed, ``actualDates``. The people reached go in the documented extension
``baiqau:beneficiariesReached`` (counts only, see ``opendata_format.beneficiaries_data``).
All of it is reported by staff and organisations, so the verifier checks that it adds up but
cannot recompute it (docs/opendata.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, F, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from baiqau.applications.models import Application
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import Call
from baiqau.monitoring.models import (
    Agreement,
    AgreementStatus,
    BeneficiaryCount,
    Report,
    ReportStatus,
    Tranche,
    TrancheStatus,
)

from .opendata_format import BENEFICIARIES, CURRENCY, beneficiaries_data

__all__ = ["PUBLISHED", "monitoring_fields", "monitoring_seq"]

# The agreements whose figures are published: accepted by the organisation, or closed.
PUBLISHED = (AgreementStatus.ACCEPTED, AgreementStatus.CLOSED)


def _local_date(value: datetime) -> str:
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()


def monitoring_fields(
    applications: Iterable[Application], grant_id: Callable[[Application], str]
) -> dict[int, dict[str, Any]]:
    """The monitoring fields of each awarded application's grant, by application id.

    The applications come with ``agreement`` selected (``select_related``); three queries
    follow when any is published, none otherwise, whatever the number of grants.
    """
    agreements: dict[int, tuple[Application, Agreement]] = {}
    for application in applications:
        agreement = getattr(application, "agreement", None)
        if agreement is not None and agreement.status in PUBLISHED:
            agreements[agreement.pk] = (application, agreement)
    if not agreements:
        return {}
    ids = sorted(agreements)
    paid: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for agreement_id, paid_on, amount in (
        Tranche.objects.filter(agreement_id__in=ids, status=TrancheStatus.PAID)
        .order_by("agreement_id", "paid_on", "position", "id")
        .values_list("agreement_id", "paid_on", "amount")
    ):
        if paid_on is not None:  # tranche_pay always sets it
            paid[agreement_id].append((paid_on, amount))
    last_due: dict[int, date] = {}
    accepted: dict[int, int] = defaultdict(int)
    for agreement_id, due_date, status in (
        Report.objects.filter(agreement_id__in=ids)
        .order_by()
        .values_list("agreement_id", "due_date", "status")
    ):
        last_due[agreement_id] = max(due_date, last_due.get(agreement_id, due_date))
        if status == ReportStatus.ACCEPTED:
            accepted[agreement_id] += 1
    counts = _counts(ids)
    fields: dict[int, dict[str, Any]] = {}
    for agreement_id in ids:
        application, agreement = agreements[agreement_id]
        fields[application.pk] = _fields(
            grant_id(application),
            agreement,
            paid[agreement_id],
            last_due.get(agreement_id),
            beneficiaries_data(counts[agreement_id], accepted[agreement_id])
            if accepted[agreement_id]
            else None,
        )
    return fields


def _counts(ids: list[int]) -> dict[int, list[tuple[str, str, bool, str, int]]]:
    """The beneficiaries of each agreement's accepted reports (their accepted versions)."""
    rows = (
        BeneficiaryCount.objects.filter(
            version__report__agreement_id__in=ids,
            version__report__status=ReportStatus.ACCEPTED,
            version__report__accepted_version=F("version"),
        )
        .values_list(
            "version__report__agreement_id", "age_group", "sex", "disability", "disability_group"
        )
        .annotate(people=Sum("count"))
        .order_by(
            "version__report__agreement_id", "age_group", "sex", "disability", "disability_group"
        )
    )
    counts: dict[int, list[tuple[str, str, bool, str, int]]] = defaultdict(list)
    for agreement_id, age_group, sex, disability, group, people in rows:
        counts[agreement_id].append((age_group, sex, disability, group, people))
    return counts


def _fields(
    grant_id: str,
    agreement: Agreement,
    paid: list[tuple[date, int]],
    last_due: date | None,
    beneficiaries: dict[str, Any] | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"amountDisbursed": sum(amount for _on, amount in paid)}
    if paid:
        data["disbursementTransaction"] = [
            {
                "id": f"{grant_id}-payment-{number}",
                "transactionDate": paid_on.isoformat(),
                "value": amount,
                "currency": CURRENCY,
            }
            for number, (paid_on, amount) in enumerate(paid, 1)
        ]
    started = _local_date(agreement.accepted_at) if agreement.accepted_at else None
    if started and last_due:
        data["plannedDates"] = [{"startDate": started, "endDate": last_due.isoformat()}]
    if started and agreement.status == AgreementStatus.CLOSED and agreement.closed_at:
        data["actualDates"] = [{"startDate": started, "endDate": _local_date(agreement.closed_at)}]
    if beneficiaries is not None:
        data[BENEFICIARIES] = beneficiaries
    return data


def _ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    # AuditEvent.subject_id is text: compare it with the ids written as text.
    keys: QuerySet[Any] = queryset.order_by().annotate(key=Cast("pk", CharField())).values("key")
    return keys


def monitoring_seq(call: Call) -> Subquery:
    """The number of the latest audit event of the call's agreements, reports or tranches.

    Every write of the monitoring app is audited in its own transaction, so this number
    changes whenever a payment, a report's acceptance or an agreement's state does: the
    cached open-data folder is keyed on it.
    """
    events = AuditEvent.objects.filter(
        Q(
            subject_type=Agreement._meta.label_lower,
            subject_id__in=_ids(Agreement.objects.filter(call=call)),
        )
        | Q(
            subject_type=Tranche._meta.label_lower,
            subject_id__in=_ids(Tranche.objects.filter(agreement__call=call)),
        )
        | Q(
            subject_type=Report._meta.label_lower,
            subject_id__in=_ids(Report.objects.filter(agreement__call=call)),
        )
    )
    return Subquery(events.order_by("-seq").values("seq")[:1])

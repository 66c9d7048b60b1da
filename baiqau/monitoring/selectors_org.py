"""Reads for the organisation's pages: its funded projects, one agreement, one report.

A person sees the agreements of the organisations they belong to, once staff have offered
them (a draft is the organisers' working copy). Anything else is a 404, never a "forbidden":
a page must not confirm that someone else's project exists. Every page costs a fixed number
of queries, whatever the number of agreements, reports, indicators or budget lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format

from baiqau.applications.models import BudgetLine
from baiqau.calls.models import CallOrganiser

from .models import (
    Agreement,
    AgreementStatus,
    CallMonitoring,
    Indicator,
    IndicatorValue,
    Report,
    ReportFile,
    ReportReview,
    ReportStatus,
    ReportVersion,
    Tranche,
)
from .services.common import org_role, staff_role

OPEN = (ReportStatus.DUE, ReportStatus.RETURNED)


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    """Offered, accepted and closed agreements of the person's organisations; nothing else."""
    if not getattr(user, "is_authenticated", False):
        return Agreement.objects.none()
    return Agreement.objects.filter(application__organisation__memberships__user=user).exclude(
        status=AgreementStatus.DRAFT
    )


def _reports() -> QuerySet[Report]:
    # The draft can be long; no list needs it.
    return Report.objects.defer("draft").order_by("due_date", "position", "id")


def is_overdue(report: Report | None, today: date | None = None) -> bool:
    if report is None or report.status not in OPEN:
        return False
    return report.due_date < (today or timezone.localdate())


@dataclass(frozen=True)
class ProjectRow:
    agreement: Agreement
    next_report: Report | None
    overdue: bool


def projects_for(user: Any) -> list[ProjectRow]:
    """The person's funded projects, newest first, each with its next report to write."""
    agreements = (
        agreements_visible_to(user)
        .select_related("call", "application__organisation")
        .prefetch_related(Prefetch("reports", _reports()))
        .order_by("-created_at", "-pk")
    )
    today = timezone.localdate()
    rows = []
    for agreement in agreements:
        upcoming = next((r for r in agreement.reports.all() if r.status in OPEN), None)
        rows.append(ProjectRow(agreement, upcoming, is_overdue(upcoming, today)))
    return rows


def agreement_for_member(user: Any, pk: int) -> Agreement:
    agreement = (
        agreements_visible_to(user)
        .select_related(
            "call",
            "application__organisation",
            "staff_contact",
            "org_contact",
            "accepted_by",
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def plain_number(value: Decimal) -> str:
    """12.50 → "12,5" (in the active language); a whole number without decimals."""
    value = value.normalize()
    if value == value.to_integral_value():
        return number_format(value.to_integral_value())
    return number_format(value)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    latest: IndicatorValue | None

    @property
    def baseline(self) -> str:
        return plain_number(self.indicator.baseline)

    @property
    def target(self) -> str:
        return plain_number(self.indicator.target)

    @property
    def reached(self) -> str:
        return plain_number(self.latest.value) if self.latest is not None else ""


@dataclass(frozen=True)
class AgreementPage:
    agreement: Agreement
    role: str | None
    organisers: list[str]
    tranches: list[Tranche]
    reports: list[Report]
    indicators: list[IndicatorRow]
    today: date

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    @property
    def can_accept(self) -> bool:
        return self.is_owner and self.agreement.status == AgreementStatus.OFFERED

    @property
    def overdue_ids(self) -> set[int]:
        return {r.pk for r in self.reports if is_overdue(r, self.today)}


def latest_accepted_values(agreement: Agreement) -> dict[int, IndicatorValue]:
    """Per indicator, the value of the latest accepted report (a reopened one counts no more)."""
    values = (
        IndicatorValue.objects.filter(
            indicator__agreement=agreement,
            version__report__accepted_version=F("version"),
        )
        .select_related("version__report")
        .order_by("version__report__due_date", "version__report__position", "version__number")
    )
    return {value.indicator_id: value for value in values}


def agreement_page(user: Any, agreement: Agreement) -> AgreementPage:
    """The agreement with its schedules and progress, as the organisation reads it."""
    tranches = list(
        agreement.tranches.select_related("condition_report").defer("condition_report__draft")
    )
    latest = latest_accepted_values(agreement)
    organisers = [
        str(link.organisation)
        for link in CallOrganiser.objects.filter(call_id=agreement.call_id)
        .select_related("organisation")
        .order_by("position", "id")
    ]
    return AgreementPage(
        agreement=agreement,
        role=org_role(user, agreement.application.organisation_id),
        organisers=organisers,
        tranches=tranches,
        reports=list(agreement.reports.defer("draft").order_by("due_date", "position", "id")),
        indicators=[IndicatorRow(i, latest.get(i.pk)) for i in agreement.indicators.all()],
        today=timezone.localdate(),
    )


def report_for_member(user: Any, agreement_pk: int, pk: int) -> Report:
    report = (
        Report.objects.filter(
            agreement__in=agreements_visible_to(user), agreement_id=agreement_pk, pk=pk
        )
        .select_related("agreement__call", "agreement__application__organisation")
        .first()
    )
    if report is None:
        raise Http404
    return report


@dataclass(frozen=True)
class ReportPage:
    report: Report
    indicators: list[Indicator]
    budget_lines: list[BudgetLine]
    ask_disability_group: bool
    versions: list[ReportVersion]
    files: list[ReportFile]

    @property
    def agreement(self) -> Agreement:
        return self.report.agreement

    @property
    def editable(self) -> bool:
        return (
            self.report.status in OPEN and self.report.agreement.status == AgreementStatus.ACCEPTED
        )

    @property
    def latest(self) -> ReportVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def latest_review(self) -> ReportReview | None:
        latest = self.latest
        return getattr(latest, "review", None) if latest is not None else None

    @property
    def pending_files(self) -> list[ReportFile]:
        return [f for f in self.files if f.version_id is None]

    @property
    def overdue(self) -> bool:
        return is_overdue(self.report)


def ask_disability_group(call_id: int) -> bool:
    settings = CallMonitoring.objects.filter(call_id=call_id).only("ask_disability_group").first()
    return True if settings is None else settings.ask_disability_group


def report_page(report: Report) -> ReportPage:
    agreement = report.agreement
    return ReportPage(
        report=report,
        indicators=list(agreement.indicators.all()),
        budget_lines=list(agreement.application.budget_lines.all()),
        ask_disability_group=ask_disability_group(agreement.call_id),
        versions=list(
            report.versions.select_related("review", "review__reviewed_by").order_by("number")
        ),
        files=list(report.files.all()),
    )


def version_for_member(report: Report, number: int) -> ReportVersion:
    """One submitted version with everything it said, read-only."""
    version = (
        report.versions.filter(number=number)
        .select_related("review")
        .prefetch_related(
            Prefetch(
                "indicator_values",
                IndicatorValue.objects.select_related("indicator").order_by(
                    "indicator__position", "indicator_id"
                ),
            ),
            "beneficiaries",
            Prefetch("spending", _spending()),
            "files",
        )
        .first()
    )
    if version is None:
        raise Http404
    return version


def _spending() -> QuerySet[Any]:
    from .models import SpendingLine

    return SpendingLine.objects.select_related("budget_line").order_by(
        "budget_line__position", "budget_line_id"
    )


def report_file_for(
    user: Any, agreement_pk: int, report_pk: int, pk: int
) -> tuple[ReportFile, bool]:
    """A report's file and whether the person is a member of the organisation (else they are
    staff of the call); anyone else gets a 404."""
    stored = (
        ReportFile.objects.filter(pk=pk, report_id=report_pk, report__agreement_id=agreement_pk)
        .select_related("report__agreement__call", "report__agreement__application")
        .first()
    )
    if stored is None:
        raise Http404
    agreement = stored.report.agreement
    member = agreement.status != AgreementStatus.DRAFT and (
        org_role(user, agreement.application.organisation_id) is not None
    )
    if not member and staff_role(user, agreement.call) is None:
        raise Http404
    return stored, member

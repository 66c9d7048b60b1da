"""Reads of the staff's report review page: one report, its versions, and one version as staff
read it (indicator values against their targets, beneficiaries as counts by category, spending
against the budget lines, files), in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404

from .models import (
    Agreement,
    BeneficiaryCount,
    Indicator,
    Report,
    ReportFile,
    ReportVersion,
)


def report_for_staff(agreement: Agreement, pk: int) -> Report:
    report = Report.objects.filter(agreement=agreement, pk=pk).first()
    if report is None:
        raise Http404
    report.agreement = agreement
    return report


def report_versions(report: Report) -> list[ReportVersion]:
    """Every submitted version, oldest first, with who submitted it and staff's answer."""
    return list(
        report.versions.select_related("submitted_by", "review__reviewed_by").order_by("number")
    )


def pick_version(versions: list[ReportVersion], wanted: Any) -> ReportVersion | None:
    """The version asked for by number, or the latest; never an error for a bad number."""
    if not versions:
        return None
    try:
        number = int(str(wanted))
    except (TypeError, ValueError):
        return versions[-1]
    return next((v for v in versions if v.number == number), versions[-1])


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None

    @property
    def share(self) -> int | None:
        """Progress from the baseline to the target, in per cent."""
        indicator = self.indicator
        span = indicator.target - indicator.baseline
        if self.value is None or span <= 0:
            return None
        return int((self.value - indicator.baseline) * 100 / span)

    @property
    def reached(self) -> bool:
        return self.value is not None and self.value >= self.indicator.target


@dataclass(frozen=True)
class SpendingRow:
    item: str
    planned: int
    spent: int | None
    explanation: str

    @property
    def over(self) -> int:
        return max((self.spent or 0) - self.planned, 0) if self.spent is not None else 0

    @property
    def under(self) -> int:
        return max(self.planned - self.spent, 0) if self.spent is not None else 0


@dataclass
class VersionDetail:
    version: ReportVersion
    indicators: list[IndicatorRow]
    beneficiaries: list[BeneficiaryCount]
    spending: list[SpendingRow]
    files: list[ReportFile]

    @property
    def beneficiaries_total(self) -> int:
        return sum(row.count for row in self.beneficiaries)

    @property
    def planned_total(self) -> int:
        return sum(row.planned for row in self.spending)

    @property
    def spent_total(self) -> int:
        return sum(row.spent or 0 for row in self.spending)


def version_detail(report: Report, version: ReportVersion) -> VersionDetail:
    agreement = report.agreement
    values = {value.indicator_id: value.value for value in version.indicator_values.all()}
    indicators = [IndicatorRow(i, values.get(i.pk)) for i in agreement.indicators.all()]
    spent = {line.budget_line_id: line for line in version.spending.all()}
    spending = []
    for line in agreement.application.budget_lines.all():
        entry = spent.get(line.pk)
        spending.append(
            SpendingRow(
                item=line.item,
                planned=line.requested,
                spent=entry.spent if entry is not None else None,
                explanation=entry.explanation if entry is not None else "",
            )
        )
    beneficiaries = list(
        version.beneficiaries.order_by("age_group", "sex", "disability", "disability_group")
    )
    # A file stays part of the report from the version it came with: a resubmission need not
    # attach the photos again.
    files = list(
        ReportFile.objects.filter(report=report, version__number__lte=version.number)
        .select_related("version")
        .order_by("version__number", "created_at", "pk")
    )
    return VersionDetail(version, indicators, beneficiaries, spending, files)


def report_file_for_staff(report: Report, pk: int) -> ReportFile:
    """A file of a submitted version; the organisation's files still in its draft stay its own."""
    stored = ReportFile.objects.filter(report=report, pk=pk, version__isnull=False).first()
    if stored is None:
        raise Http404
    return stored

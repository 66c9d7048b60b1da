"""One page of a call's funded projects with their own totals, and their indicators' progress.

Per-project figures are totals only: beneficiaries are broken down by category for a call as a
whole (`impact`), never for one project. The definitions are those of `impact`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from baiqau.calls.models import Call

from .impact import COUNTS, accepted_q, first_target, overdue_exists, scope_q, summed
from .models import (
    Agreement,
    AgreementStatus,
    Indicator,
    IndicatorValue,
    Report,
    ReportKind,
    ReportStatus,
    ReportVersion,
    Tranche,
    TrancheStatus,
)

__all__ = [
    "PROJECTS_PER_PAGE",
    "IndicatorProgress",
    "indicator_progress",
    "project_page",
    "standing_of",
]

PROJECTS_PER_PAGE = 25


def project_page(
    *, call: Call, public: bool, page_number: Any = 1, per_page: int = PROJECTS_PER_PAGE
) -> Page[Any]:
    """One page of a call's projects with their own totals (two queries).

    Each agreement carries `overdue`, `reached`, `target`, `paid`, `withheld`, `outstanding`
    and `final_changed` (what changed, from the accepted final report; "" before it).
    Per-project figures are totals only: categories are never broken down per project.
    """
    ordering = ("number", "pk")
    chosen = Agreement.objects.filter(scope_q("", call=call, public=public)).order_by(*ordering)
    page: Page[Any] = Paginator(chosen.values_list("pk", flat=True), per_page).get_page(page_number)
    reports = Report.objects.filter(agreement=OuterRef("pk"), status=ReportStatus.ACCEPTED)
    tranches = Tranche.objects.filter(agreement=OuterRef("pk"))
    final = (
        ReportVersion.objects.filter(
            accepted_q(""), report__agreement=OuterRef("pk"), report__kind=ReportKind.FINAL
        )
        .order_by("-report__due_date", "-report__position", "-report__id")
        .values("changed")[:1]
    )
    # The page's ids as a subquery: PostgreSQL would otherwise compute every column below for
    # each row an OFFSET skips.
    projects = (
        Agreement.objects.filter(pk__in=page.object_list)
        .select_related("application__organisation")
        .annotate(
            overdue=overdue_exists(),
            reached=summed(reports, "agreement", f"{COUNTS}count"),
            target=first_target(),
            paid=summed(tranches.filter(status=TrancheStatus.PAID), "agreement", "amount"),
            withheld=summed(tranches.filter(status=TrancheStatus.WITHHELD), "agreement", "amount"),
            outstanding=summed(
                tranches.filter(status__in=[TrancheStatus.PLANNED, TrancheStatus.APPROVED]),
                "agreement",
                "amount",
            ),
            final_changed=Coalesce(Subquery(final), Value(""), output_field=TextField()),
        )
        .order_by(*ordering)
    )
    page.object_list = list(projects)
    return page


def standing_of(agreement: Agreement) -> str:
    """The standing of an agreement annotated by `project_page`: closed, late or on_track."""
    if agreement.status == AgreementStatus.CLOSED:
        return "closed"
    return "late" if getattr(agreement, "overdue", False) else "on_track"


@dataclass(frozen=True)
class IndicatorProgress:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    latest: Decimal | None  # the value of the latest accepted report; None before one

    @property
    def percent(self) -> int | None:
        """How far from the baseline towards the target, in whole percent (may pass 100)."""
        if self.latest is None:
            return None
        span = self.target - self.baseline
        if span == 0:
            return 100 if self.latest >= self.target else 0
        return round((self.latest - self.baseline) * 100 / span)


def indicator_progress(agreement_ids: list[int]) -> dict[int, list[IndicatorProgress]]:
    """Each agreement's indicators with their latest accepted value (one query)."""
    latest = (
        IndicatorValue.objects.filter(accepted_q("version__"), indicator=OuterRef("pk"))
        .order_by(
            "-version__report__due_date", "-version__report__position", "-version__report__id"
        )
        .values("value")[:1]
    )
    progress: dict[int, list[IndicatorProgress]] = {pk: [] for pk in agreement_ids}
    rows = (
        Indicator.objects.filter(agreement_id__in=agreement_ids)
        .annotate(latest=Subquery(latest))
        .order_by("agreement_id", "position", "id")
        .values_list("agreement_id", "name", "unit", "baseline", "target", "latest")
    )
    for agreement_id, name, unit, baseline, target, value in rows:
        progress[agreement_id].append(
            IndicatorProgress(
                name=name,
                unit=unit,
                baseline=baseline,
                target=target,
                latest=Decimal(value) if value is not None else None,
            )
        )
    return progress

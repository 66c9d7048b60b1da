"""Reads of the staff's monitoring pages: the awards of a call with their agreements and money,
and one agreement with its schedules and visits (one report: `selectors_staff_reports`).

Each function fetches what its page shows in a fixed number of queries, whatever the number of
awards, reports, tranches or visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from baiqau.calls.models import Call
from baiqau.core import clock
from baiqau.core.i18n import LANGUAGE_CODES
from baiqau.results.models import Award

from .models import (
    Agreement,
    AgreementStatus,
    Indicator,
    Report,
    ReportStatus,
    Tranche,
    TrancheStatus,
    Visit,
    VisitPhoto,
)
from .services import approvable

# A report still to come from the organisation: never submitted, or returned for revision.
OPEN_REPORT = (ReportStatus.DUE, ReportStatus.RETURNED)


def local_today() -> date:
    # The calendar day in Almaty, not in UTC: a report due today is not overdue until tomorrow
    # there, whatever the server's clock says.
    return timezone.localdate(clock.now())


def is_overdue(report: Report, today: date) -> bool:
    return report.status in OPEN_REPORT and report.due_date < today


# --- The agreements of a call ----------------------------------------------------------------


def _tranche_sum(status: str) -> Coalesce:
    total = (
        Tranche.objects.filter(agreement__application_id=OuterRef("application_id"), status=status)
        .order_by()
        .values("agreement_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), Value(0), output_field=BigIntegerField())


def _report_count(reports: QuerySet[Report]) -> Coalesce:
    counted = reports.order_by().values("agreement_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _search(awards: QuerySet[Award], q: str) -> QuerySet[Award]:
    words = [word for word in q.split() if word][:10]
    for word in words:
        match = Q(application__agreement__number__icontains=word)
        for code in LANGUAGE_CODES:
            match |= Q(**{f"application__title_{code}__icontains": word})
            match |= Q(**{f"application__organisation__name_{code}__icontains": word})
        awards = awards.filter(match)
    return awards


def award_list(call: Call, q: str = "") -> QuerySet[Award]:
    """The awards of the call's published results, with each one's agreement (if any), money
    paid and withheld, next report due, overdue reports and reports waiting for review."""
    if not call.results_are_public:
        return Award.objects.none()
    today = local_today()
    reports = Report.objects.filter(agreement__application_id=OuterRef("application_id"))
    awards = (
        Award.objects.filter(ranking__call=call, ranking__is_current=True)
        .select_related("application__organisation", "application__agreement")
        .annotate(
            paid=_tranche_sum(TrancheStatus.PAID),
            withheld=_tranche_sum(TrancheStatus.WITHHELD),
            next_due=Subquery(
                reports.filter(status__in=OPEN_REPORT).order_by("due_date").values("due_date")[:1]
            ),
            overdue=_report_count(reports.filter(status__in=OPEN_REPORT, due_date__lt=today)),
            to_review=_report_count(reports.filter(status=ReportStatus.SUBMITTED)),
        )
        .order_by("place", "pk")
    )
    return _search(awards, q) if q.strip() else awards


@dataclass(frozen=True)
class AwardRow:
    award: Award
    agreement: Agreement | None
    paid: int
    withheld: int
    next_due: date | None
    overdue: int
    to_review: int

    @property
    def amount(self) -> int:
        return self.agreement.amount if self.agreement is not None else self.award.amount

    @property
    def outstanding(self) -> int:
        return max(self.amount - self.paid - self.withheld, 0)


def award_rows(awards: Any) -> list[AwardRow]:
    """Rows of a page of `award_list`."""
    rows = []
    for award in awards:
        application = award.application
        agreement = getattr(application, "agreement", None)  # no agreement yet: None
        rows.append(
            AwardRow(
                award=award,
                agreement=agreement,
                paid=award.paid,
                withheld=award.withheld,
                next_due=award.next_due,
                overdue=award.overdue,
                to_review=award.to_review,
            )
        )
    return rows


@dataclass(frozen=True)
class MoneyTotals:
    awarded: int
    paid: int
    withheld: int

    @property
    def outstanding(self) -> int:
        return max(self.awarded - self.paid - self.withheld, 0)


def money_totals(call: Call) -> MoneyTotals:
    """Awarded in the published results, paid, withheld and still to pay, for the whole call."""
    if not call.results_are_public:
        return MoneyTotals(0, 0, 0)
    awarded = Award.objects.filter(ranking__call=call, ranking__is_current=True).aggregate(
        total=Sum("amount")
    )["total"]
    sums = dict(
        Tranche.objects.filter(
            agreement__call=call, status__in=[TrancheStatus.PAID, TrancheStatus.WITHHELD]
        )
        .order_by()
        .values_list("status")
        .annotate(total=Sum("amount"))
    )
    return MoneyTotals(
        awarded=int(awarded or 0),
        paid=int(sums.get(TrancheStatus.PAID) or 0),
        withheld=int(sums.get(TrancheStatus.WITHHELD) or 0),
    )


# --- One agreement ---------------------------------------------------------------------------


def agreement_for_staff(call: Call, pk: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related(
            "application__organisation", "staff_contact", "org_contact", "accepted_by"
        )
        .filter(call=call, pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


@dataclass(frozen=True)
class ReportRow:
    report: Report
    versions: int
    overdue: bool


@dataclass(frozen=True)
class TrancheRow:
    tranche: Tranche
    approvable: bool
    waits_for: str


def waits_for(tranche: Tranche) -> str:
    """What a planned tranche waits for before it can be approved, in words."""
    if tranche.status != TrancheStatus.PLANNED or approvable(tranche):
        return ""
    if tranche.agreement.status not in (AgreementStatus.ACCEPTED, AgreementStatus.CLOSED):
        return _("Waits for the organisation to accept the agreement.")
    report = tranche.condition_report
    if report is None:  # pragma: no cover - approvable() covers this
        return ""
    return _("Waits until this report is accepted: %(report)s, due %(date)s.") % {
        "report": report.get_kind_display(),
        "date": date_format(report.due_date, "DATE_FORMAT"),
    }


@dataclass
class AgreementPage:
    agreement: Agreement
    indicators: list[Indicator]
    reports: list[ReportRow]
    tranches: list[TrancheRow]
    visits: list[Visit]

    @property
    def paid(self) -> int:
        return sum(
            r.tranche.amount for r in self.tranches if r.tranche.status == TrancheStatus.PAID
        )

    @property
    def withheld(self) -> int:
        return sum(
            r.tranche.amount for r in self.tranches if r.tranche.status == TrancheStatus.WITHHELD
        )

    @property
    def outstanding(self) -> int:
        return max(self.agreement.amount - self.paid - self.withheld, 0)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.reports)

    @property
    def closable(self) -> bool:
        return (
            self.agreement.status == AgreementStatus.ACCEPTED
            and all(row.report.status == ReportStatus.ACCEPTED for row in self.reports)
            and all(
                row.tranche.status in (TrancheStatus.PAID, TrancheStatus.WITHHELD)
                for row in self.tranches
            )
        )


def agreement_page(agreement: Agreement) -> AgreementPage:
    today = local_today()
    indicators = list(agreement.indicators.all())
    reports = list(agreement.reports.annotate(n_versions=Count("versions")))
    by_pk = {report.pk: report for report in reports}
    tranches = list(agreement.tranches.all())
    rows = []
    for tranche in tranches:
        # The agreement and the condition's report are already here: no query per tranche.
        tranche.agreement = agreement
        if tranche.condition_report_id is not None:
            tranche.condition_report = by_pk[tranche.condition_report_id]
        rows.append(TrancheRow(tranche, approvable(tranche), waits_for(tranche)))
    visits = list(
        agreement.visits.select_related("recorded_by")
        .prefetch_related("photos")
        .order_by("-visited_on", "-pk")
    )
    return AgreementPage(
        agreement=agreement,
        indicators=indicators,
        reports=[ReportRow(r, r.n_versions, is_overdue(r, today)) for r in reports],
        tranches=rows,
        visits=visits,
    )


def visit_photo_for_staff(agreement: Agreement, visit_pk: int, photo_pk: int) -> VisitPhoto:
    photo = VisitPhoto.objects.filter(
        visit__agreement=agreement, visit_id=visit_pk, pk=photo_pk
    ).first()
    if photo is None:
        raise Http404
    return photo

"""What the funded projects achieved, per call and across calls: the reads of the impact view.

Definitions (the page says them in words too):

- **Projects** are agreements offered to, accepted by or closed with an organisation. Drafts
  are staff's work in progress: the staff view counts them apart, the public view not at all.
- **Beneficiaries reached** are the sum of the counts by category (`BeneficiaryCount`) of the
  *accepted version* of every *accepted* report. A report counts the new people of its own
  period, so the sum over a project's reports is the project's total. A submitted, returned
  or due report counts nothing; a report returned and then accepted counts once, with the
  version staff accepted.
- **The target** is the target of each project's *first* indicator (by position): the people
  reached, as `agreement_create` drafts it from the application's number of beneficiaries and
  as staff may correct it before the offer. It is the figure the organisation signed up to,
  rather than what the application first estimated.
- **Indicator progress** is the value of the latest accepted report (by due date) for each
  indicator, against its baseline and target.
- **Money**: awarded is the sum of the agreements' amounts; paid and withheld the tranches in
  those states; outstanding the tranches still planned or approved.
- **On track**: an offered or accepted agreement with no overdue report; **late**: one with a
  report whose due date has passed (Almaty time) and that the organisation still owes (never
  submitted, or returned for revision; a report under review is staff's to answer);
  **closed**: a closed agreement.

Each project's own figures are in `impact_projects`. Every figure comes from a fixed number of
aggregate queries (GROUP BY in the database: sums of
integers, the same on SQLite and PostgreSQL), whatever the number of projects and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
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

from baiqau.calls.models import Call
from baiqau.calls.selectors import PUBLIC_STATUSES
from baiqau.core import clock

from .models import (
    AgeGroup,
    Agreement,
    AgreementStatus,
    DisabilityGroup,
    Indicator,
    Report,
    ReportStatus,
    Sex,
    Tranche,
    TrancheStatus,
)

__all__ = [
    "LIVE",
    "PUBLIC_MIN_PROJECTS",
    "Beneficiaries",
    "CallRow",
    "Impact",
    "Money",
    "Standing",
    "impact_call_public",
    "impact_figures",
    "impact_overview",
]

# The agreements that count as funded projects.
LIVE = (AgreementStatus.OFFERED, AgreementStatus.ACCEPTED, AgreementStatus.CLOSED)
# The public view breaks the beneficiaries down by category only once this many projects have
# an accepted report with beneficiaries: below it, the call's categories would be one project's.
PUBLIC_MIN_PROJECTS = 3
# A report is overdue when its due date has passed (Almaty time) and the organisation still owes
# it: never submitted, or returned for revision. A report submitted on time and waiting for
# staff's review does not make its project late (the staff pages count overdue reports alike).
AWAITED = (ReportStatus.DUE, ReportStatus.RETURNED)


# --------------------------------------------------------------------------- scope


def scope_q(prefix: str, *, call: Call | None, public: bool, drafts: bool = False) -> Q:
    """The agreements an impact view covers, as lookups from a model reaching them by `prefix`."""
    statuses = (*LIVE, AgreementStatus.DRAFT) if drafts else LIVE
    q = Q(**{f"{prefix}status__in": statuses})
    if call is not None:
        q &= Q(**{f"{prefix}call": call})
    if public:
        q &= Q(
            **{
                f"{prefix}call__status__in": PUBLIC_STATUSES,
                f"{prefix}call__results_published_at__isnull": False,
            }
        )
    return q


def accepted_q(prefix: str) -> Q:
    """Rows of the version a staff member accepted, of a report that is still accepted."""
    return Q(
        **{
            f"{prefix}report__status": ReportStatus.ACCEPTED,
            f"{prefix}report__accepted_version": F(f"{prefix}id" if prefix else "id"),
        }
    )


def _today() -> Any:
    return timezone.localdate(clock.now())


def overdue_exists() -> Exists:
    return Exists(
        Report.objects.filter(agreement=OuterRef("pk"), status__in=AWAITED, due_date__lt=_today())
    )


def _reported() -> Exists:
    # The version's total is the sum of its counts (report_submit writes both at once).
    return Exists(
        Report.objects.filter(
            agreement=OuterRef("pk"),
            status=ReportStatus.ACCEPTED,
            accepted_version__beneficiaries_total__gt=0,
        )
    )


def first_target() -> Subquery:
    return Subquery(
        Indicator.objects.filter(agreement=OuterRef("pk"))
        .order_by("position", "id")
        .values("target")[:1]
    )


def summed(queryset: QuerySet[Any], group: str, total: str) -> Coalesce:
    """A correlated SUM as an integer column: 0 where there is nothing to add."""
    # order_by(): the models' default orderings would join (and sort by) the call.
    summed = queryset.order_by().values(group).annotate(s=Sum(total)).values("s")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


# Counts reached from an accepted report: report → its accepted version → that version's counts.
# (Joining counts → version → report instead needs `report.accepted_version = version` on top of
# `version.report = report`, which PostgreSQL's planner misjudges by four orders of magnitude.)
COUNTS = "accepted_version__beneficiaries__"


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Standing:
    on_track: int = 0
    late: int = 0
    closed: int = 0
    drafts: int = 0  # staff only: agreements not yet offered

    @property
    def projects(self) -> int:
        return self.on_track + self.late + self.closed


@dataclass(frozen=True)
class Money:
    awarded: int = 0
    paid: int = 0
    withheld: int = 0
    outstanding: int = 0  # tranches planned or approved
    approved: int = 0  # of which approved, waiting to be paid


@dataclass(frozen=True)
class Beneficiaries:
    reached: int = 0
    target: Decimal = Decimal(0)
    reporting_projects: int = 0
    # (label, women, men, total) per age group, in the order of AgeGroup.
    by_age: list[tuple[str, int, int, int]] = field(default_factory=list)
    women: int = 0
    men: int = 0
    without_disability: int = 0
    with_disability: int = 0
    # (label, count) per disability group of the people with a disability; "" for not stated.
    by_group: list[tuple[str, int]] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        """Reached as a whole percentage of the target, or None without a target."""
        if self.target <= 0:
            return None
        return round(Decimal(self.reached) * 100 / self.target)


@dataclass(frozen=True)
class Impact:
    standing: Standing
    money: Money
    beneficiaries: Beneficiaries
    # Whether the categories may be shown (always for staff; publicly from PUBLIC_MIN_PROJECTS).
    show_categories: bool


@dataclass(frozen=True)
class _Rows:
    """The three grouped reads every impact figure comes from, each row with its call."""

    agreements: list[dict[str, Any]]
    tranches: list[dict[str, Any]]
    categories: list[dict[str, Any]]


def _read(*, call: Call | None, public: bool) -> _Rows:
    # 1. Agreements by call, status and lateness: counts, amounts, targets, who reported.
    agreements = (
        Agreement.objects.filter(scope_q("", call=call, public=public, drafts=not public))
        .annotate(overdue=overdue_exists(), reported=_reported(), first_target=first_target())
        .values("call_id", "status", "overdue", "reported")
        .annotate(n=Count("pk"), amount=Sum("amount"), target=Sum("first_target"))
        .order_by()
    )
    # 2. Tranches by call and status.
    tranches = (
        Tranche.objects.filter(scope_q("agreement__", call=call, public=public))
        .values("status", call_pk=F("agreement__call_id"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    # 3. The accepted versions' counts by call and category.
    categories = (
        Report.objects.filter(
            scope_q("agreement__", call=call, public=public),
            status=ReportStatus.ACCEPTED,
            accepted_version__isnull=False,
        )
        .values(
            call_pk=F("agreement__call_id"),
            age=F(f"{COUNTS}age_group"),
            sex=F(f"{COUNTS}sex"),
            disabled=F(f"{COUNTS}disability"),
            group=F(f"{COUNTS}disability_group"),
        )
        .annotate(n=Sum(f"{COUNTS}count"))
        .order_by()
    )
    return _Rows(
        agreements=list(agreements),
        tranches=list(tranches),
        # A version with no category at all comes out as one row of nulls.
        categories=[row for row in categories if row["n"] is not None],
    )


def _impact(rows: _Rows, *, public: bool, call_pk: int | None = None) -> Impact:
    """Sum the grouped rows (of one call only, given `call_pk`)."""
    counts = {"on_track": 0, "late": 0, "closed": 0, "drafts": 0}
    awarded, reporting, target = 0, 0, Decimal(0)
    for row in rows.agreements:
        if call_pk is not None and row["call_id"] != call_pk:
            continue
        if row["status"] == AgreementStatus.DRAFT:
            counts["drafts"] += row["n"]
            continue
        if row["status"] == AgreementStatus.CLOSED:
            counts["closed"] += row["n"]
        else:
            counts["late" if row["overdue"] else "on_track"] += row["n"]
        awarded += row["amount"] or 0
        target += row["target"] or 0
        reporting += row["n"] if row["reported"] else 0
    tranches: dict[str, int] = {}
    for row in rows.tranches:
        if call_pk is None or row["call_pk"] == call_pk:
            tranches[row["status"]] = tranches.get(row["status"], 0) + (row["total"] or 0)
    money = Money(
        awarded=awarded,
        paid=tranches.get(TrancheStatus.PAID, 0),
        withheld=tranches.get(TrancheStatus.WITHHELD, 0),
        outstanding=tranches.get(TrancheStatus.PLANNED, 0)
        + tranches.get(TrancheStatus.APPROVED, 0),
        approved=tranches.get(TrancheStatus.APPROVED, 0),
    )
    categories = [r for r in rows.categories if call_pk is None or r["call_pk"] == call_pk]
    return Impact(
        standing=Standing(**counts),
        money=money,
        beneficiaries=_beneficiaries(categories, target=target, reporting=reporting),
        show_categories=not public or reporting >= PUBLIC_MIN_PROJECTS,
    )


def impact_figures(*, call: Call | None = None, public: bool) -> Impact:
    """The totals of one call (or of every call): three queries whatever its size."""
    return _impact(_read(call=call, public=public), public=public)


def _beneficiaries(rows: list[dict[str, Any]], *, target: Decimal, reporting: int) -> Beneficiaries:
    by_age_sex: dict[tuple[str, str], int] = {}
    by_group: dict[str, int] = {}
    with_disability = without = 0
    for row in rows:
        n = int(row["n"])
        key = (row["age"], row["sex"])
        by_age_sex[key] = by_age_sex.get(key, 0) + n
        if row["disabled"]:
            with_disability += n
            by_group[row["group"]] = by_group.get(row["group"], 0) + n
        else:
            without += n
    by_age = []
    for value, label in AgeGroup.choices:
        women = by_age_sex.get((value, Sex.FEMALE), 0)
        men = by_age_sex.get((value, Sex.MALE), 0)
        by_age.append((str(label), women, men, women + men))
    # "Not stated" last: the named groups first, in the order of the law.
    groups = [v for v, _label in DisabilityGroup.choices if v] + [DisabilityGroup.NONE.value]
    labels = dict(DisabilityGroup.choices)
    return Beneficiaries(
        reached=with_disability + without,
        target=target,
        reporting_projects=reporting,
        by_age=by_age,
        women=sum(row[1] for row in by_age),
        men=sum(row[2] for row in by_age),
        without_disability=without,
        with_disability=with_disability,
        # A group not stated has no label of its own here: the page names it in context.
        by_group=[(str(labels[v]) if v else "", by_group.get(v, 0)) for v in groups],
    )


# --------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class CallRow:
    call: Call
    impact: Impact


def impact_overview() -> tuple[Impact, list[CallRow]]:
    """Every public call's totals, together and call by call, most recent results first (four
    queries: the three grouped reads, then the calls)."""
    rows = _read(call=None, public=True)
    calls = Call.objects.filter(pk__in={row["call_id"] for row in rows.agreements}).order_by(
        "-results_published_at", "pk"
    )
    return _impact(rows, public=True), [
        CallRow(call=call, impact=_impact(rows, public=True, call_pk=call.pk)) for call in calls
    ]


def impact_call_public(slug: str) -> Call:
    """A call whose impact may be shown publicly: published, with published results (or 404)."""
    call = Call.objects.filter(
        slug=slug, status__in=PUBLIC_STATUSES, results_published_at__isnull=False
    ).first()
    if call is None:
        raise Http404
    return call

"""Reads for the secretariat: the screening list (filters, search, sorting) and one application."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from baiqau.calls.models import Call

from .models import Application, ApplicationStatus, Message

SORTS = {
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "amount": ("requested_amount", "id"),
    "-amount": ("-requested_amount", "-id"),
    "title": ("title_kk", "title_ru", "title_en", "id"),
    "organisation": ("organisation__name_kk", "organisation__name_ru", "id"),
}
FLAGS = ("overdue_reply", "over_maximum")


@dataclass(frozen=True)
class ScreeningFilters:
    status: str = ""
    org_type: str = ""
    target: str = ""
    q: str = ""
    min_amount: int | None = None
    max_amount: int | None = None
    flag: str = ""
    sort: str = "-submitted"


def _search(qs: QuerySet[Application], q: str) -> QuerySet[Application]:
    if connection.vendor == "postgresql":
        # The expression matches the GIN index of migration 0004.
        return qs.filter(
            pk__in=RawSQL(
                "SELECT id FROM applications_application WHERE "
                "to_tsvector('simple', search_text) @@ websearch_to_tsquery('simple', %s)",
                [q],
            )
        )
    words = [w for w in q.lower().split() if w]
    for word in words[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def screening_list(call: Call, filters: ScreeningFilters) -> QuerySet[Application]:
    """Submitted applications of a call (drafts are the applicants' own), filtered and sorted."""
    qs = Application.objects.filter(call=call).exclude(status=ApplicationStatus.DRAFT)
    if filters.status in ApplicationStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.org_type:
        qs = qs.filter(organisation__org_type=filters.org_type)
    if filters.target and connection.vendor == "postgresql":
        qs = qs.filter(
            Q(target_group_kk__icontains=filters.target)
            | Q(target_group_ru__icontains=filters.target)
            | Q(target_group_en__icontains=filters.target)
        )
    elif filters.target:
        # SQLite folds case for Latin letters only: match the lower-cased search text instead.
        qs = qs.filter(search_text__contains=filters.target.casefold())
    if filters.q:
        qs = _search(qs, filters.q)
    if filters.min_amount is not None:
        qs = qs.filter(requested_amount__gte=filters.min_amount)
    if filters.max_amount is not None:
        qs = qs.filter(requested_amount__lte=filters.max_amount)
    if filters.flag == "overdue_reply":
        overdue = Message.objects.filter(
            application=OuterRef("pk"), from_staff=True, reply_due_at__lt=timezone.now()
        )
        qs = qs.filter(Exists(overdue), status=ApplicationStatus.CLARIFICATION)
    elif filters.flag == "over_maximum" and call.max_per_project:
        qs = qs.filter(requested_amount__gt=call.max_per_project)
    order = SORTS.get(filters.sort, SORTS["-submitted"])
    return qs.select_related("organisation").order_by(*order)


def application_for_staff(call: Call, pk: int) -> Application:
    application = (
        Application.objects.filter(call=call, pk=pk)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "organisation", "last_edited_by")
        .first()
    )
    if application is None:
        raise Http404
    return application


def status_counts(call: Call) -> dict[str, int]:
    from django.db.models import Count

    rows = Application.objects.filter(call=call).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}

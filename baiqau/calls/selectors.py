from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Call, CallOrganiser, CallStatus

PUBLIC_STATUSES = [s for s in CallStatus.values if s != CallStatus.DRAFT]


def _with_organisers(qs: QuerySet[Call]) -> QuerySet[Call]:
    return qs.prefetch_related(
        Prefetch(
            "organiser_links",
            CallOrganiser.objects.select_related("organisation").order_by("position", "id"),
        )
    )


@dataclass(frozen=True)
class PublicCallLists:
    open: list[Call]
    upcoming: list[Call]
    past: list[Call]


def call_lists_public(limit: int = 50) -> PublicCallLists:
    """Published calls for the home page, split by where they stand today (two queries)."""
    now = timezone.now()
    calls = list(
        _with_organisers(Call.objects.filter(status__in=PUBLIC_STATUSES)).order_by("-closes_at")[
            :limit
        ]
    )
    open_ = [
        c for c in calls if c.status == CallStatus.PUBLISHED and c.opens_at <= now < c.closes_at
    ]
    upcoming = [c for c in calls if c.status == CallStatus.PUBLISHED and now < c.opens_at]
    past = [c for c in calls if c not in open_ and c not in upcoming]
    open_.sort(key=lambda c: c.closes_at)
    return PublicCallLists(open=open_, upcoming=upcoming, past=past)


def call_get_public(slug: str) -> Call:
    """A published call with its organisers, criteria and prizes; drafts are a 404."""
    call = (
        _with_organisers(Call.objects.filter(slug=slug, status__in=PUBLIC_STATUSES))
        .prefetch_related("criteria", "prizes")
        .first()
    )
    if call is None:
        raise Http404
    return call

"""Reads for the notification pages, each with the joins it needs (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.utils import translation

from .messages import DEFAULTS
from .models import DeliveryStatus, EmailDelivery, Notification, NotificationKind
from .models import NotificationTemplate as Template


def notification_list(user: Any) -> QuerySet[Notification]:
    """A person's notifications, unread first, then newest first."""
    return Notification.objects.filter(user=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


DELIVERY_FILTERS: dict[str, list[str]] = {
    "problems": [DeliveryStatus.FAILED, DeliveryStatus.RETRYING],
    "failed": [DeliveryStatus.FAILED],
    "retrying": [DeliveryStatus.RETRYING],
    "queued": [DeliveryStatus.QUEUED],
    "sent": [DeliveryStatus.SENT],
}


def delivery_list_for_call(call: Any, shown: str = "") -> QuerySet[EmailDelivery]:
    """The e-mails sent about a call (its applications and announcements), newest first."""
    deliveries = EmailDelivery.objects.filter(notification__call=call).select_related(
        "notification"
    )
    if shown in DELIVERY_FILTERS:
        deliveries = deliveries.filter(status__in=DELIVERY_FILTERS[shown])
    return deliveries.order_by("-id")


def delivery_counts_for_call(call: Any) -> dict[str, int]:
    rows = (
        EmailDelivery.objects.filter(notification__call=call)
        .values_list("status")
        .order_by()
        .annotate(n=Count("id"))
    )
    return dict(rows)


def delivery_for_call(call: Any, pk: int) -> EmailDelivery | None:
    return EmailDelivery.objects.filter(notification__call=call, pk=pk).first()


@dataclass(frozen=True)
class Wording:
    language: str
    language_name: str
    subject: str
    body: str
    custom: bool


@dataclass(frozen=True)
class KindWordings:
    kind: str
    label: str
    wordings: tuple[Wording, ...]


def default_wording(kind: str, language: str) -> tuple[str, str]:
    subject, body = DEFAULTS[kind]
    with translation.override(language):
        return str(subject), str(body)


def wording_get(call: Any, kind: str, language: str) -> Wording:
    custom = Template.objects.filter(call=call, kind=kind, language=language).first()
    subject, body = (custom.subject, custom.body) if custom else default_wording(kind, language)
    names = dict(settings.LANGUAGES)
    return Wording(language, names[language], subject, body, custom is not None)


def wording_table(call: Any) -> list[KindWordings]:
    """Every kind of message in every language: the call's own wording, or the default."""
    custom = {(t.kind, t.language): t for t in Template.objects.filter(call=call)}
    table = []
    for kind, label in NotificationKind.choices:
        wordings = []
        for code, name in settings.LANGUAGES:
            own = custom.get((kind, code))
            subject, body = (own.subject, own.body) if own else default_wording(kind, code)
            wordings.append(Wording(code, name, subject, body, own is not None))
        table.append(KindWordings(kind, str(label), tuple(wordings)))
    return table

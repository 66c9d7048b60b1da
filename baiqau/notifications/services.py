from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .messages import DEFAULTS, fill
from .models import DeliveryStatus, EmailDelivery, Notification, NotificationTemplate

MAX_ATTEMPTS = 5


def _wording(kind: str, call: Any, language: str) -> tuple[str, str]:
    if call is not None:
        custom = NotificationTemplate.objects.filter(
            call=call, kind=kind, language=language
        ).first()
        if custom is not None:
            return custom.subject, custom.body
    subject, body = DEFAULTS[kind]
    with translation.override(language):
        return str(subject), str(body)


def render(kind: str, *, call: Any, language: str, values: dict[str, Any]) -> tuple[str, str]:
    subject, body = _wording(kind, call, language)
    return fill(subject, values).replace("\n", " ").strip(), fill(body, values)


def notify(
    *,
    user: Any,
    kind: str,
    values: dict[str, Any],
    call: Any = None,
    application: Any = None,
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell one person something, in their language: in the app, and by e-mail through a
    background task once the transaction commits. Returns None for a duplicate reminder."""
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    full_url = settings.BAIQAU_BASE_URL + url if url.startswith("/") else url
    with translation.override(language):
        subject, body = render(
            kind,
            call=call,
            language=language,
            values={"name": user.get_full_name(), "url": full_url, **values},
        )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                call=call,
                application=application,
                dedupe_key=dedupe_key,
                subject=subject[:300],
                body=body,
                url=url,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if email and user.email:
        delivery = EmailDelivery.objects.create(notification=notification, to=user.email)
        transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return notification


def enqueue_delivery(delivery_pk: int) -> None:
    from .tasks import deliver_email

    deliver_email.enqueue(delivery_pk)


def deliver(delivery_pk: int) -> str:
    """Send one e-mail; on failure, schedule a retry with a growing delay, up to 5 attempts."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_pk)
            .first()
        )
        if delivery is None or delivery.status == DeliveryStatus.SENT:
            return "nothing to do"
        delivery.attempts += 1
        notification = delivery.notification
        try:
            send_mail(notification.subject, notification.body, None, [delivery.to])
        except Exception as error:  # any transport failure is retried
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.status = DeliveryStatus.RETRYING
                delivery.next_attempt_at = timezone.now() + timedelta(minutes=2**delivery.attempts)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.last_error = ""
        delivery.save()
        return str(delivery.status)


def retry_due_deliveries(now: Any = None) -> int:
    """Enqueue the deliveries whose retry time has come (run by `baiqau remind`)."""
    now = now or timezone.now()
    due = list(
        EmailDelivery.objects.filter(
            status=DeliveryStatus.RETRYING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        enqueue_delivery(pk)
    return len(due)


def delivery_retry_now(*, delivery: EmailDelivery) -> None:
    """A staff member asks for a failed e-mail to be sent again."""
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RETRYING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))

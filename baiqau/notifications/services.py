from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError

from .messages import DEFAULTS, fill_message
from .models import (
    DeliveryStatus,
    EmailDelivery,
    Notification,
    NotificationKind,
    NotificationTemplate,
    Subscription,
)
from .values import call_values, link_in

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
    return fill_message(subject, body, values)


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
            EmailDelivery.objects.select_for_update(of=("self",))
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


def delivery_resend(*, actor: Any, delivery: EmailDelivery) -> None:
    """Staff ask for an e-mail that failed, or is waiting for its next try, to go now."""
    if delivery.status == DeliveryStatus.SENT:
        raise DomainError(_("This e-mail has already been sent."), code="sent")
    with transaction.atomic():
        delivery_retry_now(delivery=delivery)
        audit_record(
            actor=actor,
            action="email.resend",
            subject=delivery,
            data={"to": delivery.to, "status": delivery.status, "attempts": delivery.attempts},
        )


# In-app list ----------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification_id: int) -> bool:
    """Mark one of the actor's own notifications read; False when there is no such unread one."""
    return bool(
        Notification.objects.filter(pk=notification_id, user=actor, read_at=None).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(user=actor, read_at=None).update(read_at=timezone.now())


# Subscriptions --------------------------------------------------------------------------------


def subscription_set(*, actor: Any, new_calls: bool) -> Subscription:
    subscription, _created = Subscription.objects.update_or_create(
        user=actor, defaults={"new_calls": new_calls}
    )
    return subscription


def call_published(call: Any) -> int:
    """Tell everyone subscribed to new calls that `call` is published: each once, in their own
    language, in the app and by e-mail. Returns how many people were told.

    Publishing a call runs this through the `announce_call_published` task (tasks.py), so a long
    list of subscribers does not hold up the organiser's request.
    """
    from baiqau.accounts.models import User

    # The database's unique constraint cannot catch these duplicates: a call announcement has no
    # application, and NULLs never collide. Publishing is serialised by the call's row lock.
    told = Notification.objects.filter(kind=NotificationKind.CALL_PUBLISHED, call=call)
    subscribers = (
        User.objects.filter(subscription__new_calls=True, is_active=True)
        .exclude(pk__in=told.values("user_id"))
        .order_by("pk")
    )
    count = 0
    for user in subscribers.iterator(chunk_size=500):
        language = user.preferred_language
        notification = notify(
            user=user,
            kind=NotificationKind.CALL_PUBLISHED,
            call=call,
            values=call_values(call, language),
            url=link_in(language, "publishing:call_detail", call.slug),
            dedupe_key=f"call-{call.pk}",
        )
        count += notification is not None
    return count


# An organiser's own wording -------------------------------------------------------------------


@transaction.atomic
def notification_template_save(
    *, actor: Any, call: Any, kind: str, language: str, subject: str, body: str
) -> NotificationTemplate:
    if kind not in NotificationKind.values or language not in dict(settings.LANGUAGES):
        raise DomainError(_("There is no such message."), code="unknown")
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DomainError(_("Write both the subject and the text."), code="empty")
    template, created = NotificationTemplate.objects.update_or_create(
        call=call, kind=kind, language=language, defaults={"subject": subject, "body": body}
    )
    audit_record(
        actor=actor,
        action="message_template.saved",
        subject=template,
        data={
            "call": call.slug,
            "kind": kind,
            "language": language,
            "subject": subject,
            "body": body,
            "created": created,
        },
    )
    return template


@transaction.atomic
def notification_template_reset(*, actor: Any, call: Any, kind: str, language: str) -> bool:
    """Go back to the default wording; False when the call already used it."""
    template = NotificationTemplate.objects.filter(call=call, kind=kind, language=language).first()
    if template is None:
        return False
    audit_record(
        actor=actor,
        action="message_template.reset",
        subject=template,
        data={"call": call.slug, "kind": kind, "language": language},
    )
    template.delete()
    return True

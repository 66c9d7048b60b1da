"""A failed e-mail is retried with a growing delay, marked failed after five attempts, listed for
staff, and sent again on request. Never silently dropped."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.audit.models import AuditEvent
from baiqau.notifications.models import DeliveryStatus, EmailDelivery, NotificationKind
from baiqau.notifications.services import MAX_ATTEMPTS, notify, retry_due_deliveries
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db

FAILING = "tests.notifications.test_deliveries.FailingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def url(call, tail=""):
    return f"/en/manage/calls/{call.slug}/e-mails/{tail}"


def _notify(call, user, capture):
    with capture(execute=True):
        return notify(
            user=user,
            kind=NotificationKind.CALL_PUBLISHED,
            call=call,
            values={"call_title": "Call"},
            url="/en/",
        )


@pytest.fixture
def failing(settings):
    settings.EMAIL_BACKEND = FAILING
    return settings


def test_a_failed_send_is_retried_after_a_delay_and_then_sent(
    failing, call, applicant, django_capture_on_commit_callbacks
):
    start = timezone.now()
    notification = _notify(call, applicant, django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.next_attempt_at >= start + timedelta(minutes=2)
    assert mail.outbox == []

    failing.EMAIL_BACKEND = WORKING
    assert retry_due_deliveries() == 0  # not yet due
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    # Sent is sent: nothing is due any more.
    assert retry_due_deliveries(timezone.now() + timedelta(days=1)) == 0


def _fail_five_times(call, user, capture):
    attempted_at = timezone.now()
    notification = _notify(call, user, capture)
    delivery = EmailDelivery.objects.get(notification=notification)
    delays = []
    while delivery.status == DeliveryStatus.RETRYING:
        delays.append(delivery.next_attempt_at - attempted_at)
        attempted_at = delivery.next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(attempted_at, tick=False):
            retry_due_deliveries()
        delivery.refresh_from_db()
    return delivery, delays


def test_after_five_attempts_the_delivery_is_failed_and_listed_for_staff(
    client, no_mfa, failing, call, secretary, applicant, django_capture_on_commit_callbacks
):
    delivery, delays = _fail_five_times(call, applicant, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert delivery.next_attempt_at is None
    assert [round(d.total_seconds() / 60) for d in delays] == [2, 4, 8, 16]
    sent_fine = _notify(call, UserFactory(), django_capture_on_commit_callbacks)
    EmailDelivery.objects.filter(notification=sent_fine).update(status=DeliveryStatus.SENT)

    client.force_login(secretary)
    page = client.get(url(call), {"shown": "failed"})
    html = page.content.decode()
    assert page.status_code == 200
    assert applicant.email in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert list(page.context["page"]) == [delivery]
    assert "Send again" in html
    assert len(client.get(url(call)).context["page"]) == 2


def test_send_again_sends_a_failed_e_mail_and_is_audited(
    client, no_mfa, failing, call, secretary, applicant, django_capture_on_commit_callbacks
):
    delivery, _delays = _fail_five_times(call, applicant, django_capture_on_commit_callbacks)
    failing.EMAIL_BACKEND = WORKING
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(call, f"{delivery.pk}/send-again/"), {"shown": "failed"})
    assert response.status_code == 302
    assert response["Location"] == url(call) + "?shown=failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, MAX_ATTEMPTS + 1)
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    event = AuditEvent.objects.get(action="email.resend")
    assert (event.actor_id, event.data["to"]) == (secretary.pk, applicant.email)
    # A sent e-mail is not sent twice.
    again = client.post(url(call, f"{delivery.pk}/send-again/"), follow=True)
    assert "already been sent" in again.content.decode()
    assert len(mail.outbox) == 1


def test_send_again_fails_again_and_stays_visible(
    client, no_mfa, failing, call, secretary, applicant, django_capture_on_commit_callbacks
):
    delivery, _delays = _fail_five_times(call, applicant, django_capture_on_commit_callbacks)
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(call, f"{delivery.pk}/send-again/"))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS + 1)


def test_another_calls_delivery_is_not_found(
    client, no_mfa, call, secretary, applicant, django_capture_on_commit_callbacks
):
    other = _notify(CallFactory(), applicant, django_capture_on_commit_callbacks)
    client.force_login(secretary)
    response = client.post(url(call, f"{other.delivery.pk}/send-again/"))
    assert response.status_code == 404
    assert applicant.email not in client.get(url(call)).content.decode()


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_deliveries_page_costs_the_same_queries_for_any_number_of_rows(
    client, no_mfa, call, secretary, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    _notify(call, UserFactory(), django_capture_on_commit_callbacks)
    few = _count_queries(client, url(call))
    for _ in range(12):
        _notify(call, UserFactory(), django_capture_on_commit_callbacks)
    assert _count_queries(client, url(call)) == few
    assert _count_queries(client, url(call) + "?shown=sent") == few

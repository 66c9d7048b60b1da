"""Reminders to experts with reviews left: by a click (once a day per expert) and automatically
N days before the review ends (once per call), from `baiqau remind`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import Call, CallStatus
from baiqau.core.errors import DomainError
from baiqau.notifications.models import Notification
from baiqau.review.models import ExpertStatus, ReviewPlan, ReviewStatus
from baiqau.review.reminders import review_reminder_send, review_reminders_due
from tests.factories import UserFactory, grant
from tests.workspace.jury_builders import application, assign, jury_call, review, seat

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 5, 10, 6, 0, tzinfo=UTC)  # 11:00 in Almaty


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def call(clock) -> Call:
    call = jury_call()
    Call.objects.filter(pk=call.pk).update(review_ends_at=NOW + timedelta(days=2))
    call.refresh_from_db()
    return call


@pytest.fixture
def chair(call):
    return grant(call, UserFactory(email="chair@jury.example"), "chair")


@pytest.fixture
def late(call):
    """An expert reading Kazakh with two applications: one submitted, one left."""
    expert = seat(call, UserFactory(email="late@jury.example", preferred_language="kk"))
    done, left = application(call, "A"), application(call, "B")
    assign(expert, done, declared=False)
    assign(expert, left, declared=False)
    review(expert, done)
    review(expert, left, ReviewStatus.DRAFT)
    return expert


def test_a_reminder_tells_the_expert_in_their_language_once_a_day(
    call, chair, late, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = review_reminder_send(actor=chair, expert=late)
    assert sent is not None
    assert (sent.kind, sent.call, sent.dedupe_key) == ("review_reminder", call, "review-2031-05-10")
    assert sent.url == f"/kk/expert/calls/{call.slug}/"
    with translation.override("kk"):
        ends = formats.date_format(timezone.localtime(call.review_ends_at), "DATETIME_FORMAT")
    assert ends in sent.subject
    # The wording is translatable: check the values it carries.
    assert ends in sent.body
    assert re.search(r"(^|\D)1(\D|$)", sent.body.replace(ends, "").replace(call.slug, ""))
    assert sent.body.endswith(f"http://127.0.0.1:8000/kk/expert/calls/{call.slug}/")
    assert call.title_kk in sent.body
    assert mail.outbox[0].to == ["late@jury.example"]
    event = AuditEvent.objects.get(action="review.reminder_sent")
    assert (event.actor, event.data) == (chair, {"count": 1, "key": "review-2031-05-10"})
    # The same day: nothing more.
    assert review_reminder_send(actor=chair, expert=late) is None
    assert Notification.objects.count() == 1
    assert AuditEvent.objects.filter(action="review.reminder_sent").count() == 1
    # The next day (in Almaty), again.
    clock.shift(timedelta(hours=14))  # 01:00 on 11 May in Almaty
    again = review_reminder_send(actor=chair, expert=late)
    assert again is not None and again.dedupe_key == "review-2031-05-11"


def test_reminders_are_refused_when_there_is_nothing_to_remind_or_no_right(call, chair, late):
    member = grant(call, UserFactory(), "member")
    with pytest.raises(DomainError, match=re.escape("You may not manage the jury of this call.")):
        review_reminder_send(actor=member, expert=late)
    finished = seat(call)
    assign(finished, application(call), declared=False)
    review(finished, finished.assignments.get().application)
    with pytest.raises(DomainError, match="has no review left to submit"):
        review_reminder_send(actor=chair, expert=finished)
    late.status = ExpertStatus.WITHDRAWN
    late.save()
    with pytest.raises(DomainError, match="has withdrawn from the panel"):
        review_reminder_send(actor=chair, expert=late)
    Call.objects.filter(pk=call.pk).update(status=CallStatus.CLOSED)
    with pytest.raises(
        DomainError, match=re.escape("Reminders are sent while the call is in review.")
    ):
        review_reminder_send(actor=chair, expert=finished)
    assert not Notification.objects.exists()


def test_an_expert_on_two_calls_is_reminded_for_each(call, chair, late):
    other = jury_call()
    other_chair = grant(other, UserFactory(), "chair")
    other_seat = seat(other, late.user)
    assign(other_seat, application(other), declared=False)
    assert review_reminder_send(actor=chair, expert=late) is not None
    assert review_reminder_send(actor=other_chair, expert=other_seat) is not None
    assert Notification.objects.filter(user=late.user).count() == 2


def _plan(call: Call, days: int | None) -> None:
    ReviewPlan.objects.filter(call=call).update(reminder_days=days)


def test_automatic_reminders_go_once_to_experts_with_reviews_left(call, late, clock):
    _plan(call, 3)
    finished = seat(call)
    app = application(call)
    assign(finished, app, declared=False)
    review(finished, app)
    withdrawn = seat(call, status=ExpertStatus.WITHDRAWN)
    assign(withdrawn, app)
    summary = review_reminders_due()
    assert (summary.calls, summary.sent, summary.already_sent) == (1, 1, 0)
    (notification,) = Notification.objects.all()
    assert (notification.user, notification.dedupe_key) == (late.user, "review-auto")
    clock.shift(timedelta(days=1))
    summary = review_reminders_due()
    assert (summary.sent, summary.already_sent) == (0, 1)
    assert Notification.objects.count() == 1
    # An automatic reminder does not count as the day's reminder by hand.
    chair = grant(call, UserFactory(), "chair")
    assert review_reminder_send(actor=chair, expert=late) is not None


@pytest.mark.parametrize(
    ("days", "status", "ends_in"),
    [
        (None, CallStatus.IN_REVIEW, timedelta(days=1)),  # no automatic reminder
        (1, CallStatus.IN_REVIEW, timedelta(days=2)),  # not yet
        (3, CallStatus.IN_REVIEW, timedelta(hours=-1)),  # over
        (3, CallStatus.CLOSED, timedelta(days=1)),  # not in review
    ],
)
def test_automatic_reminders_only_within_the_window_of_a_call_in_review(
    call, late, days, status, ends_in
):
    _plan(call, days)
    Call.objects.filter(pk=call.pk).update(status=status, review_ends_at=NOW + ends_in)
    assert review_reminders_due().sent == 0
    assert not Notification.objects.exists()


def test_baiqau_remind_sends_the_automatic_review_reminders(
    call, late, django_capture_on_commit_callbacks
):
    _plan(call, 5)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=out)
    assert "Review reminders sent: 1; already sent before: 0; calls whose review ends soon: 1." in (
        out.getvalue()
    )
    assert [m.to for m in mail.outbox] == [["late@jury.example"]]
    out = StringIO()
    call_command("remind", stdout=out)
    assert "Review reminders sent: 0; already sent before: 1" in out.getvalue()

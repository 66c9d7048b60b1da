"""Deadline reminders 7 days, 1 day and 3 hours before closing, each sent once, to every member
of the organisation of each unsubmitted draft; `baiqau remind` and `baiqau worker`."""

import signal
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from baiqau.applications.services import application_submit
from baiqau.calls.models import CallStatus
from baiqau.notifications.models import DeliveryStatus, EmailDelivery, Notification
from baiqau.notifications.reminders import window_for
from tests.factories import CallFactory, UserFactory, complete_draft, member_of

pytestmark = pytest.mark.django_db

CLOSES = datetime(2031, 3, 20, 13, 0, tzinfo=UTC)


@pytest.fixture
def closing_call(db):
    with time_machine.travel(CLOSES - timedelta(days=20), tick=False):
        return CallFactory(
            opens_at=CLOSES - timedelta(days=30),
            closes_at=CLOSES,
            review_ends_at=CLOSES + timedelta(days=10),
            results_at=CLOSES + timedelta(days=20),
        )


@pytest.fixture
def draft(closing_call, applicant):
    """A draft of an organisation with two members, one reading Russian."""
    with time_machine.travel(CLOSES - timedelta(days=20), tick=False):
        draft = complete_draft(closing_call, applicant)
    colleague = UserFactory(email="colleague@test.example", preferred_language="ru")
    member_of(colleague, draft.organisation, role="member")
    return draft


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """`baiqau remind` at a given time. It runs outside any transaction, where each e-mail is
    queued at once; the test's transaction would hold them back."""

    def run(at, command="remind", *args):
        out = StringIO()
        with (
            time_machine.travel(at, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command(command, *args, stdout=out)
        return out.getvalue()

    return run


def reminders():
    return sorted(
        Notification.objects.filter(kind="deadline_reminder").values_list(
            "user__email", "dedupe_key"
        )
    )


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (timedelta(days=8), None),
        (timedelta(days=7), "7d"),
        (timedelta(days=1, seconds=1), "7d"),
        (timedelta(days=1), "1d"),
        (timedelta(hours=3), "3h"),
        (timedelta(seconds=1), "3h"),
        (timedelta(0), None),
        (-timedelta(hours=1), None),
    ],
)
def test_window_for(left, expected):
    assert window_for(CLOSES, CLOSES - left) == expected


def test_reminders_at_7_days_1_day_and_3_hours_each_once(draft, applicant, remind):
    assert "sent: 0" in remind(CLOSES - timedelta(days=8))
    out = remind(CLOSES - timedelta(days=7) + timedelta(minutes=5))
    assert "Deadline reminders sent: 2 (3h: 0, 1d: 0, 7d: 2)" in out
    pair = ["applicant@test.example", "colleague@test.example"]
    assert reminders() == [(pair[0], "7d"), (pair[1], "7d")]
    # Every 10 minutes, and on the next days, nothing new until the next window.
    assert "sent: 0" in remind(CLOSES - timedelta(days=7) + timedelta(minutes=15))
    assert "already sent before: 2" in remind(CLOSES - timedelta(days=3))
    assert "1d: 2" in remind(CLOSES - timedelta(hours=23))
    assert "sent: 0" in remind(CLOSES - timedelta(hours=22))
    assert "3h: 2" in remind(CLOSES - timedelta(hours=2, minutes=50))
    assert "sent: 0" in remind(CLOSES - timedelta(hours=1))
    assert "sent: 0" in remind(CLOSES + timedelta(minutes=1))
    assert reminders() == sorted((email, key) for email in pair for key in ("7d", "1d", "3h"))
    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(pair * 3)
    # Each in the member's own language, with a link to the draft.
    russian = Notification.objects.filter(user__email=pair[1]).first()
    assert russian.url == f"/ru/applications/{draft.pk}/"
    assert draft.call.title_ru in russian.subject


def test_a_late_first_run_sends_one_reminder_not_three(draft, remind):
    assert "sent: 2 (3h: 2, 1d: 0, 7d: 0)" in remind(CLOSES - timedelta(hours=1))
    assert len(mail.outbox) == 2


def test_no_reminder_for_submitted_applications_closed_calls_or_far_deadlines(
    draft, closing_call, applicant, other_applicant, remind
):
    with time_machine.travel(CLOSES - timedelta(days=20), tick=False):
        application_submit(actor=applicant, application=draft)
        far = CallFactory(
            opens_at=CLOSES - timedelta(days=30),
            closes_at=CLOSES + timedelta(days=30),
            review_ends_at=CLOSES + timedelta(days=40),
            results_at=CLOSES + timedelta(days=50),
        )
        complete_draft(far, other_applicant)
        stopped = CallFactory(
            opens_at=CLOSES - timedelta(days=30),
            closes_at=CLOSES,
            review_ends_at=CLOSES + timedelta(days=40),
            results_at=CLOSES + timedelta(days=50),
        )
        complete_draft(stopped, other_applicant)
    stopped.status = CallStatus.DRAFT
    stopped.save()
    mail.outbox.clear()
    assert "sent: 0" in remind(CLOSES - timedelta(hours=2))
    assert reminders() == []


def test_remind_also_queues_the_failed_e_mails_that_are_due(draft, settings, remind):
    settings.EMAIL_BACKEND = "tests.notifications.test_deliveries.FailingBackend"
    remind(CLOSES - timedelta(days=6))
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.RETRYING}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = remind(CLOSES - timedelta(days=6) + timedelta(minutes=10))
    assert "E-mails queued for another attempt: 2." in out
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_worker_runs_the_queue_and_the_reminders_once(draft, remind):
    text = remind(CLOSES - timedelta(hours=2), "worker", "--once")
    assert "only sends the reminders" in text
    assert "Deadline reminders sent: 2" in text


@pytest.fixture
def _signals_restored():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)


@pytest.mark.usefixtures("_signals_restored")
# The worker closes database connections between batches, as a long-running process must:
# inside a test's transaction that would end the test's own connection.
@pytest.mark.django_db(transaction=True)
def test_the_worker_works_the_database_queue(draft, settings, remind):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    remind(CLOSES - timedelta(hours=2))
    # With the database backend the e-mails wait in the queue…
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"queued"}
    assert mail.outbox == []
    # …until the worker runs them.
    remind(CLOSES - timedelta(hours=2), "worker", "--once", "--no-remind", "--verbosity=0")
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2


def test_the_help_texts_document_the_cron_line():
    from baiqau.core.management.commands import remind, worker

    line = "*/10 * * * * /path/.venv/bin/baiqau remind"
    assert line in remind.Command.help
    assert line in worker.Command.help

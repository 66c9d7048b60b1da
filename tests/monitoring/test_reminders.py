"""Report reminders: the organisation's members are told before a report is due (the call's
number of days, once per report), the call's organisers once when it is overdue; `baiqau
remind` sends both and a second run sends nothing new."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from baiqau.monitoring.models import CallMonitoring, Report, ReportKind, ReportStatus
from baiqau.monitoring.reminders import remind_reports
from baiqau.monitoring.services import report_return
from baiqau.notifications.models import Notification, NotificationKind
from baiqau.organisations.models import Membership
from tests.factories import UserFactory, grant
from tests.monitoring.staff_builders import accepted, funded_call, offered, report_of, submit

pytestmark = pytest.mark.django_db

DUE = NotificationKind.REPORT_DUE
OVERDUE = NotificationKind.REPORT_OVERDUE


def on(day) -> datetime:
    """Noon in Almaty on a given day."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def set_due(report: Report, day) -> Report:
    Report.objects.filter(pk=report.pk).update(due_date=day)
    report.refresh_from_db()
    return report


@pytest.fixture
def world(db):
    world = funded_call(1)
    world.member = UserFactory(full_name="Member", preferred_language="ru")
    Membership.objects.create(
        organisation=world.applications[0].organisation, user=world.member, role="member"
    )
    return world


def test_the_members_are_reminded_once_within_the_calls_days(world):
    agreement = accepted(world)
    interim = report_of(agreement)
    today = timezone.localdate()
    set_due(interim, today + timedelta(days=10))
    set_due(report_of(agreement, ReportKind.FINAL), today + timedelta(days=100))
    # Ten days before: outside the default seven.
    assert remind_reports(on(today)) == 0
    assert remind_reports(on(today + timedelta(days=3))) == 2
    told = Notification.objects.filter(kind=DUE)
    assert {n.user_id for n in told} == {world.owner.pk, world.member.pk}
    assert {n.application_id for n in told} == {agreement.application_id}
    interim.refresh_from_db()
    assert interim.reminded_on == today + timedelta(days=3)
    # Once per report: later runs send nothing, even nearer the date.
    assert remind_reports(on(today + timedelta(days=3))) == 0
    assert remind_reports(on(today + timedelta(days=9))) == 0
    assert Notification.objects.filter(kind=DUE).count() == 2


def test_the_reminder_is_in_each_members_language_with_the_report_and_date(
    world, django_capture_on_commit_callbacks
):
    agreement = accepted(world)
    interim = set_due(report_of(agreement), timezone.localdate() + timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        remind_reports()
    russian = Notification.objects.get(kind=DUE, user=world.member)
    assert russian.url.startswith("/ru/")
    # (The new wording has no Russian translation yet: the catalogue is updated separately.)
    assert "Проект 0" in russian.body
    english = Notification.objects.get(kind=DUE, user=world.owner)
    with translation.override("en"):
        assert english.url == reverse("monitoring:report", args=[agreement.pk, interim.pk])
    assert english.subject.startswith("Report due on ")
    assert "Interim report: due on" in english.body
    assert "Project 0" in english.body
    assert str(interim.due_date.year) in english.subject
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.owner.email, world.member.email])


def test_the_calls_own_number_of_days_is_used(world):
    agreement = accepted(world)
    CallMonitoring.objects.filter(call=world.call).update(reminder_days=14)
    today = timezone.localdate()
    set_due(report_of(agreement), today + timedelta(days=13))
    set_due(report_of(agreement, ReportKind.FINAL), today + timedelta(days=200))
    assert remind_reports(on(today)) == 2


def test_without_monitoring_settings_the_default_seven_days_apply(world):
    agreement = accepted(world)
    CallMonitoring.objects.filter(call=world.call).delete()
    today = timezone.localdate()
    set_due(report_of(agreement), today + timedelta(days=8))
    assert remind_reports(on(today)) == 0
    assert remind_reports(on(today + timedelta(days=1))) == 2


def test_no_reminder_before_the_agreement_is_accepted_or_after_submission(world):
    second = funded_call(1)
    pending = offered(second)
    set_due(report_of(pending), timezone.localdate() + timedelta(days=2))
    agreement = accepted(world)
    interim = report_of(agreement)
    submit(interim, world.owner)
    set_due(interim, timezone.localdate() + timedelta(days=2))
    assert remind_reports() == 0
    assert not Notification.objects.filter(kind=DUE).exists()


def test_an_overdue_report_is_flagged_once_to_the_organisers(world):
    second_organiser = grant(world.call, UserFactory(full_name="Second", preferred_language="kk"))
    agreement = accepted(world)
    today = timezone.localdate()
    interim = set_due(report_of(agreement), today)
    set_due(report_of(agreement, ReportKind.FINAL), today + timedelta(days=300))
    Report.objects.filter(pk=interim.pk).update(reminded_on=today)  # already reminded
    # Due today is not overdue yet.
    assert remind_reports(on(today)) == 0
    assert remind_reports(on(today + timedelta(days=1))) == 2
    flagged = Notification.objects.filter(kind=OVERDUE)
    assert sorted(n.user_id for n in flagged) == sorted([world.organiser.pk, second_organiser.pk])
    kazakh = flagged.get(user=second_organiser)
    assert kazakh.url.startswith("/kk/manage/")
    english = flagged.get(user=world.organiser)
    assert english.url == f"/en/manage/calls/{world.call.slug}/agreements/{agreement.pk}/"
    assert english.subject == "Report overdue: Project 0"
    # Neither the secretariat nor the organisation is flagged; a second run sends nothing.
    assert remind_reports(on(today + timedelta(days=2))) == 0
    assert set(flagged.values_list("user_id", flat=True)) == {
        world.organiser.pk,
        second_organiser.pk,
    }


def test_a_returned_report_past_its_date_is_overdue_but_a_submitted_one_is_not(world):
    agreement = accepted(world)
    interim, final = report_of(agreement), report_of(agreement, ReportKind.FINAL)
    submit(interim, world.owner)
    submit(final, world.owner)
    report_return(actor=world.organiser, report=interim, comment="Revise")
    yesterday = timezone.localdate() - timedelta(days=1)
    set_due(interim, yesterday)
    set_due(final, yesterday)
    assert Report.objects.get(pk=final.pk).status == ReportStatus.SUBMITTED
    assert remind_reports() == 1
    assert Notification.objects.get(kind=OVERDUE).dedupe_key == f"report-{interim.pk}-overdue"


def test_the_remind_command_sends_the_report_reminders(world):
    agreement = accepted(world)
    set_due(report_of(agreement), timezone.localdate() + timedelta(days=1))
    out = StringIO()
    call_command("remind", stdout=out)
    assert "Report reminders and overdue flags sent: 2." in out.getvalue()
    call_command("remind", stdout=out)
    assert "Report reminders and overdue flags sent: 0." in out.getvalue()

"""Every kind of notification, in every language, through the flow that sends it; an
organiser's own wording; the placeholders."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.services import (
    application_submit,
    application_transition,
    clarification_request,
    message_reply,
    screening_decide,
)
from baiqau.calls.models import Call, CallStatus
from baiqau.notifications.forms import DELIVERY_SHOWN
from baiqau.notifications.invitations import invitation_create
from baiqau.notifications.messages import (
    DEFAULTS,
    PLACEHOLDERS,
    check_template,
    fill,
    placeholders_of,
)
from baiqau.notifications.models import Notification, NotificationKind, NotificationTemplate
from baiqau.notifications.preview import preview_values
from baiqau.notifications.reminders import deadline_reminders_send
from baiqau.notifications.selectors import DELIVERY_FILTERS
from baiqau.notifications.services import call_published, subscription_set
from tests.factories import CallFactory, UserFactory, complete_draft, grant

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]


def _submitted(call, applicant):
    return application_submit(actor=applicant, application=complete_draft(call, applicant))


def _in_screening(call, applicant, secretary):
    application = _submitted(call, applicant)
    return application_transition(actor=secretary, application=application, to="screening")


def _ask(application, secretary):
    return clarification_request(
        actor=secretary,
        application=application,
        message="Бюджетті нақтылаңыз",
        reply_due_at=timezone.now() + timedelta(days=3),
    )


def send_submission_receipt(call, applicant, secretary, organiser):
    _submitted(call, applicant)
    return applicant


def send_clarification_requested(call, applicant, secretary, organiser):
    _ask(_in_screening(call, applicant, secretary), secretary)
    return applicant


def send_clarification_answered(call, applicant, secretary, organiser):
    application = _ask(_in_screening(call, applicant, secretary), secretary)
    message_reply(actor=applicant, application=application, body="Нақтыладық")
    return secretary


def send_eligibility_decision(call, applicant, secretary, organiser):
    application = _in_screening(call, applicant, secretary)
    screening_decide(actor=secretary, application=application, eligible=True)
    return applicant


def send_call_published(call, applicant, secretary, organiser):
    subscription_set(actor=applicant, new_calls=True)
    call_published(call)
    return applicant


def send_deadline_reminder(call, applicant, secretary, organiser):
    complete_draft(call, applicant)
    with time_machine.travel(call.closes_at - timedelta(hours=2)):
        deadline_reminders_send()
    return applicant


def send_staff_invitation(call, applicant, secretary, organiser):
    invitation_create(
        actor=organiser, call=call, email=applicant.email, role="member", language="en"
    )
    return applicant


def send_reviews_assigned(call, applicant, secretary, organiser):
    from baiqau.review.services import assignment_add, expert_seat

    application = _submitted(call, applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ELIGIBLE)
    Call.objects.filter(pk=call.pk).update(status=CallStatus.IN_REVIEW)
    application = Application.objects.select_related("call").get(pk=application.pk)
    expert = expert_seat(actor=organiser, call=call, user=secretary)
    assignment_add(
        actor=organiser, expert=expert, application=application, reason="Knows the field"
    )
    return secretary


def send_review_reminder(call, applicant, secretary, organiser):
    from baiqau.review.models import Assignment
    from baiqau.review.reminders import review_reminder_send
    from baiqau.review.services import expert_seat

    application = _submitted(call, applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ELIGIBLE)
    Call.objects.filter(pk=call.pk).update(status=CallStatus.IN_REVIEW)
    expert = expert_seat(actor=organiser, call=call, user=secretary)
    Assignment.objects.create(expert=expert, application_id=application.pk)
    review_reminder_send(actor=organiser, expert=expert)
    return secretary


def send_results_decision(call, applicant, secretary, organiser):
    from baiqau.results.letters import letters_send
    from baiqau.results.models import Ranking, RankingEntry

    application = _submitted(call, applicant)
    ranking = Ranking.objects.create(
        call=call,
        method="mean",
        award_rule="prizes",
        computed_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    RankingEntry.objects.create(
        ranking=ranking,
        application=application,
        position=1,
        score=80,
        score_exact="80/1",
        review_count=0,
    )
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    letters_send(call.pk)
    return applicant


def _funded(call, applicant, organiser):
    """The applicant's application awarded in published results, its agreement accepted."""
    from baiqau.monitoring.services import agreement_accept, agreement_create, agreement_offer
    from baiqau.results.models import Award, Ranking

    application = _submitted(call, applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.AWARDED)
    Call.objects.filter(pk=call.pk).update(
        status=CallStatus.DECIDED, results_published_at=timezone.now()
    )
    ranking = Ranking.objects.create(
        call=call,
        method="mean",
        award_rule="prizes",
        computed_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    Award.objects.create(ranking=ranking, application=application, place=1, amount=500_000)
    agreement = agreement_create(actor=organiser, application=application)
    agreement_offer(actor=organiser, agreement=agreement)
    return agreement_accept(actor=applicant, agreement=agreement)


def send_report_due(call, applicant, secretary, organiser):
    from baiqau.monitoring.reminders import remind_reports

    agreement = _funded(call, applicant, organiser)
    agreement.reports.update(due_date=timezone.localdate() + timedelta(days=3))
    remind_reports()
    return applicant


def send_report_overdue(call, applicant, secretary, organiser):
    from baiqau.monitoring.reminders import remind_reports

    agreement = _funded(call, applicant, organiser)
    agreement.reports.update(
        due_date=timezone.localdate() - timedelta(days=1), reminded_on=timezone.localdate()
    )
    # Overdue reports are flagged to the organisers: this one reads the language under test.
    organiser.preferred_language = secretary.preferred_language
    organiser.save()
    remind_reports()
    return organiser


SENDERS = {
    NotificationKind.SUBMISSION_RECEIPT: send_submission_receipt,
    NotificationKind.CLARIFICATION_REQUESTED: send_clarification_requested,
    NotificationKind.CLARIFICATION_ANSWERED: send_clarification_answered,
    NotificationKind.ELIGIBILITY_DECISION: send_eligibility_decision,
    NotificationKind.CALL_PUBLISHED: send_call_published,
    NotificationKind.DEADLINE_REMINDER: send_deadline_reminder,
    NotificationKind.STAFF_INVITATION: send_staff_invitation,
    NotificationKind.REVIEWS_ASSIGNED: send_reviews_assigned,
    NotificationKind.REVIEW_REMINDER: send_review_reminder,
    NotificationKind.RESULTS_DECISION: send_results_decision,
    NotificationKind.REPORT_DUE: send_report_due,
    NotificationKind.REPORT_OVERDUE: send_report_overdue,
}


def test_every_kind_has_a_sender_in_these_tests():
    assert set(SENDERS) == set(NotificationKind.values)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(SENDERS))
def test_each_kind_reaches_its_recipient_in_their_language(
    call, call_organiser, secretary, applicant, kind, language, django_capture_on_commit_callbacks
):
    applicant.preferred_language = language
    applicant.save()
    secretary.preferred_language = language
    secretary.save()
    with django_capture_on_commit_callbacks(execute=True):
        recipient = SENDERS[kind](call, applicant, secretary, call_organiser)
    notification = Notification.objects.get(user=recipient, kind=kind)
    text = notification.subject + notification.body
    assert notification.url.startswith(f"/{language}/")
    assert not [name for name in PLACEHOLDERS if "{" + name + "}" in text]
    title = getattr(call, f"title_{language}")
    if "call_title" in placeholders_of(kind):
        assert title in text
    # The e-mail says the same as the notification, with the full link.
    sent = [
        m for m in mail.outbox if m.to == [recipient.email] and m.subject == notification.subject
    ]
    assert len(sent) == 1
    assert sent[0].body == notification.body
    assert f"http://127.0.0.1:8000/{language}/" in sent[0].body
    assert notification.delivery.status == "sent"


def test_the_deadline_is_written_in_almaty_time_in_the_recipients_language(applicant):
    applicant.preferred_language = "ru"
    applicant.save()
    year = timezone.now().year + 1
    closes = datetime(year, 12, 1, 8, 0, tzinfo=UTC)  # 13:00 in Almaty (UTC+5)
    call = CallFactory(
        closes_at=closes,
        review_ends_at=closes + timedelta(days=10),
        results_at=closes + timedelta(days=20),
    )
    subscription_set(actor=applicant, new_calls=True)
    call_published(call)
    body = Notification.objects.get(user=applicant).body
    assert f"1 декабря {year} г. 13:00" in body


def test_a_custom_wording_is_used_in_its_language_with_placeholders_filled(
    call, applicant, other_applicant, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "kk"
    applicant.save()
    other_applicant.preferred_language = "en"
    other_applicant.save()
    NotificationTemplate.objects.create(
        call=call,
        kind=NotificationKind.SUBMISSION_RECEIPT,
        language="kk",
        subject="Қабылданды {receipt_number}",
        body="Сәлем, {name}! «{application_title}» өтінімі «{call_title}» байқауына түсті. {nope}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        mine = _submitted(call, applicant)
        theirs = _submitted(call, other_applicant)
    kk = Notification.objects.get(user=applicant)
    assert kk.subject == f"Қабылданды {mine.receipt_number}"
    assert kk.body == (
        f"Сәлем, Applicant! «Жоба» өтінімі «{call.title_kk}» байқауына түсті. {{nope}}"
    )
    # No English wording was written for the call: the default is used.
    en = Notification.objects.get(user=other_applicant)
    assert en.subject == f"Application received: {theirs.receipt_number}"
    # Another call keeps the default wording.
    other_call = CallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        third = _submitted(other_call, applicant)
    # The applicant reads Kazakh: the default wording in Kazakh.
    assert Notification.objects.get(application=third).subject.startswith("Өтінім қабылданды")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hello {name}", "Hello Aida"),
        ("Hello {unknown}", "Hello {unknown}"),
        ("{name} owes {0} and {}", "Aida owes {0} and {}"),
        ("Stray { brace {name}", "Stray { brace {name}"),
        ("Braces {{as such}} {name}", "Braces {as such} Aida"),
        ("{name.upper}", "{name.upper}"),
        ("{name[0]}", "{name[0]}"),
        ("{name:>10} {name!r}", "{name:>10} {name!r}"),
    ],
)
def test_fill_never_fails_on_an_organisers_braces(template, expected):
    assert fill(template, {"name": "Aida"}) == expected


def test_a_template_cannot_reach_into_the_values():
    # str.format would follow attributes: from a lazy label to a module's globals, and on to
    # the settings.
    values = {"decision": ApplicationStatus.ELIGIBLE.label}
    template = "{decision.__init__.__globals__} {decision._proxy____args}"
    assert fill(template, values) == template


def test_check_template_reports_unknown_and_malformed_placeholders():
    assert check_template("Hello {name}", "{call_title}").unknown == ()
    assert check_template("Hello {name} {nmae}", "{budget}").unknown == ("budget", "nmae")
    assert check_template("Hello {name}").well_formed
    assert not check_template("Hello {").well_formed
    check = check_template("Hello {0}", "{name.upper} {name!r}")
    assert check.well_formed
    assert check.unknown == ("0", "name!r", "name.upper")


def test_every_default_uses_only_known_placeholders():
    for kind in DEFAULTS:
        assert placeholders_of(kind) <= PLACEHOLDERS.keys(), kind


def test_the_preview_has_a_value_for_every_placeholder(call):
    values, application = preview_values(call, "kk")
    assert values.keys() == PLACEHOLDERS.keys()
    assert application is None


def test_the_delivery_filter_choices_match_the_selector():
    assert {value for value, _label in DELIVERY_SHOWN if value} == set(DELIVERY_FILTERS)


def test_a_staff_member_is_told_about_an_answer_in_their_language(
    call, secretary, applicant, django_capture_on_commit_callbacks
):
    grant(call, UserFactory(preferred_language="ru"), "secretary")
    application = _ask(_in_screening(call, applicant, secretary), secretary)
    with django_capture_on_commit_callbacks(execute=True):
        message_reply(actor=applicant, application=application, body="Нақтыладық")
    answered = Notification.objects.filter(kind=NotificationKind.CLARIFICATION_ANSWERED)
    assert sorted(n.url[:4] for n in answered) == ["/kk/", "/ru/"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING

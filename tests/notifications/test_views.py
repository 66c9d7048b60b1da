"""A person's notification list, marking read, subscriptions, announcements of new calls."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.notifications.context_processors import unread_notifications
from baiqau.notifications.models import Notification, NotificationKind, Subscription
from baiqau.notifications.services import call_published
from baiqau.notifications.tasks import announce_call_published
from tests.factories import CallFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notification_urls")]

LIST = "/en/notifications/"


def make(user, n=1, read=False, **extra):
    return [
        Notification.objects.create(
            user=user,
            kind=NotificationKind.SUBMISSION_RECEIPT,
            subject=f"Subject {i}",
            body=f"Body {i}",
            url="/en/my/",
            read_at=timezone.now() if read else None,
            **extra,
        )
        for i in range(n)
    ]


def test_anonymous_is_sent_to_log_in(client):
    for path in (LIST, f"{LIST}subscriptions/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    assert client.post(f"{LIST}read-all/")["Location"].startswith("/en/accounts/login/")


def test_the_list_shows_unread_first_and_only_ones_own(client, applicant, other_applicant):
    (old_unread,) = make(applicant)
    (read,) = make(applicant, read=True)
    (new_unread,) = make(applicant)
    make(other_applicant)
    client.force_login(applicant)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"]) == [new_unread, old_unread, read]
    html = response.content.decode()
    assert html.count("Mark as read") == 2
    assert "Mark all as read" in html


def test_the_list_is_paginated_by_30_with_a_fixed_number_of_queries(client, applicant):
    make(applicant, 3)
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    make(applicant, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(many) == len(few)
    assert len(response.context["page"]) == 30
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 13


def test_mark_one_read_and_back_to_the_page(client, applicant):
    first, second = make(applicant, 2)
    client.force_login(applicant)
    response = client.post(f"{LIST}{first.pk}/read/", {"next": f"{LIST}?page=1"})
    assert response["Location"] == f"{LIST}?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    # Again: harmless. An unsafe "next" is ignored.
    again = client.post(f"{LIST}{first.pk}/read/", {"next": "https://evil.example/"})
    assert again["Location"] == LIST


def test_someone_elses_notification_is_not_found(client, applicant, other_applicant):
    (theirs,) = make(other_applicant)
    client.force_login(applicant)
    assert client.post(f"{LIST}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(f"{LIST}{theirs.pk}/read/").status_code == 405


def test_mark_all_read(client, applicant, other_applicant):
    make(applicant, 3)
    (theirs,) = make(other_applicant)
    client.force_login(applicant)
    response = client.post(f"{LIST}read-all/", follow=True)
    assert "All notifications are marked as read." in response.content.decode()
    assert not applicant.notifications.filter(read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_count_costs_one_query_and_none_for_visitors(
    applicant, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    make(applicant, 2)
    make(applicant, read=True)
    request = RequestFactory().get("/")
    request.user = applicant
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 2}
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {"unread_notifications": 0}


def test_subscribing_to_new_calls(client, applicant):
    client.force_login(applicant)
    page = client.get(f"{LIST}subscriptions/")
    assert page.status_code == 200
    assert 'type="checkbox"' in page.content.decode()
    client.post(f"{LIST}subscriptions/", {"new_calls": "on"})
    assert Subscription.objects.get(user=applicant).new_calls is True
    client.post(f"{LIST}subscriptions/", {})
    assert Subscription.objects.get(user=applicant).new_calls is False


def test_publishing_a_call_tells_each_subscriber_once_in_their_language(
    applicant, other_applicant, django_capture_on_commit_callbacks
):
    from django.core import mail

    russian = UserFactory(preferred_language="ru")
    english = UserFactory(preferred_language="en")
    inactive = UserFactory(is_active=False)
    for user in (russian, english, inactive):
        Subscription.objects.create(user=user, new_calls=True)
    Subscription.objects.create(user=applicant, new_calls=False)
    call = CallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert call_published(call) == 2
    told = Notification.objects.filter(kind=NotificationKind.CALL_PUBLISHED)
    assert {n.user for n in told} == {russian, english}
    ru = told.get(user=russian)
    assert call.title_ru in ru.subject
    assert ru.url == f"/ru/calls/{call.slug}/"
    assert call.title_en in told.get(user=english).subject
    assert sorted(m.to[0] for m in mail.outbox) == sorted([russian.email, english.email])
    # Publishing again (or the task running twice) tells nobody twice.
    assert call_published(call) == 0
    assert announce_call_published.enqueue(call.pk).return_value == 0
    assert told.count() == 2

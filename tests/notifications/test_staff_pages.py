"""The organiser's own wording of a call's messages (list, edit, preview, reset), and who may
see the call's messages and e-mails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baiqau.applications.services import application_submit
from baiqau.audit.models import AuditEvent
from baiqau.notifications.models import EmailDelivery, Notification, NotificationTemplate
from tests.factories import CallFactory, UserFactory, complete_draft, grant

pytestmark = pytest.mark.django_db


def messages_url(call, tail=""):
    return f"/en/manage/calls/{call.slug}/messages/{tail}"


RECEIPT_KK = "submission_receipt/kk/"


def test_the_list_shows_every_kind_in_every_language_default_or_custom(
    client, no_mfa, call, call_organiser
):
    NotificationTemplate.objects.create(
        call=call, kind="call_published", language="ru", subject="Новый конкурс!", body="…"
    )
    client.force_login(call_organiser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(messages_url(call))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Новый конкурс!" in html
    assert "Application received: {receipt_number}" in html
    assert html.count("Changed for this call") == 1
    assert html.count(f"/manage/calls/{call.slug}/messages/") >= 7 * 3 * 2
    for kind_label in ("Submission receipt", "Deadline reminder", "Invitation to a call"):
        assert kind_label in html
    assert len(queries) <= 8


def test_edit_shows_the_wording_in_use_and_the_placeholders(client, no_mfa, call, call_organiser):
    client.force_login(call_organiser)
    response = client.get(messages_url(call, RECEIPT_KK))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].initial["subject"] == "Өтінім қабылданды: {receipt_number}"
    assert "{receipt_number}" in html
    assert "the receipt number" in html  # the placeholder's meaning
    assert "The default wording is in use." in html


def test_saving_a_wording_is_audited_and_used(client, no_mfa, call, call_organiser):
    client.force_login(call_organiser)
    response = client.post(
        messages_url(call, RECEIPT_KK),
        {"action": "save", "subject": "Қабылданды: {receipt_number}", "body": "Сәлем, {name}!"},
    )
    assert response.status_code == 302
    template = NotificationTemplate.objects.get(call=call)
    assert (template.kind, template.language, template.subject) == (
        "submission_receipt",
        "kk",
        "Қабылданды: {receipt_number}",
    )
    event = AuditEvent.objects.get(action="message_template.saved")
    assert event.actor_id == call_organiser.pk
    assert event.data["body"] == "Сәлем, {name}!"
    assert "Changed for this call" in client.get(messages_url(call, RECEIPT_KK)).content.decode()


def test_an_empty_wording_is_refused(client, no_mfa, call, call_organiser):
    client.force_login(call_organiser)
    response = client.post(messages_url(call, RECEIPT_KK), {"subject": "", "body": ""})
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_reset_to_default(client, no_mfa, call, call_organiser):
    NotificationTemplate.objects.create(
        call=call, kind="submission_receipt", language="kk", subject="Own", body="Own"
    )
    client.force_login(call_organiser)
    response = client.post(messages_url(call, RECEIPT_KK), {"action": "reset"}, follow=True)
    assert "back to the default wording" in response.content.decode()
    assert not NotificationTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="message_template.reset").count() == 1


def test_unknown_kind_or_language_is_not_found(client, no_mfa, call, call_organiser):
    client.force_login(call_organiser)
    assert client.get(messages_url(call, "nonsense/kk/")).status_code == 404
    assert client.get(messages_url(call, "submission_receipt/de/")).status_code == 404


def test_preview_with_sample_values_when_the_call_has_no_application(
    client, no_mfa, call, call_organiser
):
    client.force_login(call_organiser)
    response = client.get(messages_url(call, "submission_receipt/ru/preview/"))
    preview = response.context["preview"]
    assert response.status_code == 200
    assert preview.subject == "Заявка принята: BQ-2025-000123"
    assert "Aigerim Sadykova" in preview.body
    assert call.title_ru in preview.body
    assert "http://127.0.0.1:8000/ru/" in preview.body
    assert preview.application is None
    assert "the call has no application yet" in response.content.decode()


def test_preview_of_unsaved_text_with_a_real_application_and_a_warning(
    client, no_mfa, call, call_organiser, applicant
):
    application = application_submit(actor=applicant, application=complete_draft(call, applicant))
    client.force_login(call_organiser)
    response = client.post(
        messages_url(call, "submission_receipt/kk/preview/"),
        {"subject": "№ {receipt_number}", "body": "{organisation}: {application_title} {budget}"},
    )
    html = response.content.decode()
    preview = response.context["preview"]
    assert response.status_code == 200
    assert preview.subject == f"№ {application.receipt_number}"
    assert preview.body == f"{application.organisation.name_kk}: Жоба {{budget}}"
    assert preview.unknown == ("budget",)
    assert "Unknown placeholders, sent as written" in html
    assert f"Filled with the data of application {application.receipt_number}" in html
    # The preview saves nothing; the form keeps the text being edited.
    assert not NotificationTemplate.objects.exists()
    assert response.context["form"].data["subject"] == "№ {receipt_number}"


def test_preview_warns_about_a_stray_brace(client, no_mfa, call, call_organiser):
    client.force_login(call_organiser)
    response = client.post(
        messages_url(call, "submission_receipt/en/preview/"),
        {"subject": "Hello {name", "body": "Hi {name}"},
    )
    assert response.context["preview"].subject == "Hello {name"
    assert "sent exactly as written" in response.content.decode()


ROLES = ["organiser", "secretary", "chair", "member", "observer", "none", "other_call"]


def _user_with(role, call):
    user = UserFactory()
    if role == "other_call":
        grant(CallFactory(), user, "organiser")
    elif role != "none":
        grant(call, user, role)
    return user


@pytest.fixture
def failed_delivery(call, applicant):
    notification = Notification.objects.create(
        user=applicant, kind="call_published", call=call, subject="S", body="B"
    )
    return EmailDelivery.objects.create(
        notification=notification, to=applicant.email, status="failed", attempts=5
    )


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, no_mfa, call, failed_delivery, role):
    client.force_login(_user_with(role, call))
    organiser = role == "organiser"
    screener = role in ("organiser", "secretary")
    expected = {
        ("get", messages_url(call)): organiser,
        ("get", messages_url(call, RECEIPT_KK)): organiser,
        ("post", messages_url(call, RECEIPT_KK)): organiser,
        ("get", messages_url(call, "submission_receipt/kk/preview/")): organiser,
        ("post", messages_url(call, "submission_receipt/kk/preview/")): organiser,
        ("get", f"/en/manage/calls/{call.slug}/e-mails/"): screener,
        ("post", f"/en/manage/calls/{call.slug}/e-mails/{failed_delivery.pk}/send-again/"): (
            screener
        ),
    }
    for (method, path), allowed in expected.items():
        response = getattr(client, method)(path, {"subject": "S", "body": "B"})
        assert response.status_code in ((200, 302) if allowed else (404,)), (path, method)
    failed_delivery.refresh_from_db()
    assert (failed_delivery.status == "retrying") == screener  # sent on commit


def test_anonymous_is_sent_to_log_in(client, call):
    for path in (
        messages_url(call),
        messages_url(call, RECEIPT_KK),
        messages_url(call, "submission_receipt/kk/preview/"),
        f"/en/manage/calls/{call.slug}/e-mails/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")


def test_staff_without_two_factor_are_sent_to_set_it_up(client, call, call_organiser):
    client.force_login(call_organiser)
    response = client.get(messages_url(call))
    assert response["Location"] == "/en/accounts/2fa/"

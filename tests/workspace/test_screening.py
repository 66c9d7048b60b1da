from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus, Message
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import ChecklistItem
from tests.factories import CallFactory, UserFactory, complete_draft, grant

pytestmark = pytest.mark.django_db


def list_url(call):
    return f"/en/manage/calls/{call.slug}/applications/"


def detail_url(call, application):
    return f"{list_url(call)}{application.pk}/"


def test_staff_without_two_factor_is_sent_to_set_it_up(client, screening_call, secretary):
    client.force_login(secretary)
    response = client.get(list_url(screening_call))
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/"


def test_staff_with_two_factor_gets_in(client, screening_call, secretary, submitted):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(secretary, generate_totp_secret())
    client.force_login(secretary)
    response = client.get(list_url(screening_call))
    assert response.status_code == 200
    assert submitted.receipt_number in response.content.decode()


ROLES = ["organiser", "secretary", "chair", "member", "observer", "none", "other_call"]


@pytest.mark.parametrize("role", ROLES)
def test_screening_permission_matrix(client, no_mfa, screening_call, submitted, role):
    user = UserFactory()
    if role == "other_call":
        grant(CallFactory(), user, "organiser")
    elif role != "none":
        grant(screening_call, user, role)
    client.force_login(user)
    sees = role in ("organiser", "secretary", "chair", "member", "observer")
    screens = role in ("organiser", "secretary")
    assert client.get(list_url(screening_call)).status_code == (200 if sees else 404)
    assert client.get(detail_url(screening_call, submitted)).status_code == (200 if sees else 404)
    response = client.post(
        detail_url(screening_call, submitted), {"action": "move", "to": "screening"}
    )
    submitted.refresh_from_db()
    if screens:
        assert response.status_code == 302
        assert submitted.status == ApplicationStatus.SCREENING
    else:
        assert response.status_code in (302, 404)
        assert submitted.status == ApplicationStatus.SUBMITTED
    bulk = client.post(
        f"{list_url(screening_call)}bulk/",
        {"ids": [submitted.pk], "to": "screening", "confirmed": "on"},
    )
    assert bulk.status_code == (302 if screens else 404)


def test_anonymous_is_sent_to_log_in(client, screening_call, submitted):
    response = client.get(list_url(screening_call))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_drafts_are_not_shown_to_staff(client, no_mfa, screening_call, secretary, applicant):
    draft = complete_draft(screening_call, applicant)
    client.force_login(secretary)
    assert draft.receipt_number is None
    assert client.get(detail_url(screening_call, draft)).status_code == 404


def test_clarification_round_trip_in_each_persons_language(
    client,
    no_mfa,
    screening_call,
    secretary,
    applicant,
    submitted,
    django_capture_on_commit_callbacks,
):
    applicant.preferred_language = "ru"
    applicant.save()
    client.force_login(secretary)
    client.post(detail_url(screening_call, submitted), {"action": "move", "to": "screening"})
    due = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(screening_call, submitted),
            {"action": "clarification", "message": "Бюджетті нақтылаңыз", "reply_due_at": due},
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CLARIFICATION
    assert Message.objects.get().reply_due_at is not None
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "Бюджетті нақтылаңыз" in mail.outbox[0].body
    # The applicant answers from the dashboard; the application returns to screening.
    client.force_login(applicant)
    dashboard = client.get("/ru/my/").content.decode()
    assert "Бюджетті нақтылаңыз" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ru/applications/{submitted.pk}/reply/", {"body": "Нақтыладық"})
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SCREENING
    assert mail.outbox[-1].to == [secretary.email]
    assert AuditEvent.objects.filter(action="application.answer_clarification").count() == 1


def test_ineligible_needs_a_reason_which_the_applicant_sees(
    client, no_mfa, screening_call, secretary, applicant, submitted
):
    client.force_login(secretary)
    client.post(detail_url(screening_call, submitted), {"action": "move", "to": "screening"})
    response = client.post(
        detail_url(screening_call, submitted), {"action": "decision", "decision": "ineligible"}
    )
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    client.post(
        detail_url(screening_call, submitted),
        {"action": "decision", "decision": "ineligible", "reason": "Тіркелгеніне бір жыл толмаған"},
    )
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.INELIGIBLE
    client.force_login(applicant)
    assert "Тіркелгеніне бір жыл толмаған" in client.get("/en/my/").content.decode()


def test_checklist_is_saved_and_audited(client, no_mfa, screening_call, secretary, submitted):
    item = ChecklistItem.objects.create(
        call=screening_call, text_kk="БСН тексерілді", text_en="BIN checked"
    )
    client.force_login(secretary)
    client.post(
        detail_url(screening_call, submitted),
        {"action": "checklist", f"item_{item.pk}": "yes", f"note_{item.pk}": "ok"},
    )
    answer = submitted.checklist_answers.get()
    assert (answer.value, answer.note, answer.answered_by) == ("yes", "ok", secretary)
    assert AuditEvent.objects.filter(action="application.checklist_saved").count() == 1


def test_bulk_move_asks_for_confirmation_then_moves(
    client, no_mfa, screening_call, secretary, applicant, submitted
):
    second = complete_draft(screening_call, applicant)
    from baiqau.applications.services import application_submit

    second = application_submit(actor=applicant, application=second)
    client.force_login(secretary)
    url = f"{list_url(screening_call)}bulk/"
    confirm = client.post(url, {"ids": [submitted.pk, second.pk], "to": "screening"})
    assert confirm.status_code == 200
    assert "Yes, move them" in confirm.content.decode()
    assert Application.objects.filter(status="screening").count() == 0
    client.post(url, {"ids": [submitted.pk, second.pk], "to": "screening", "confirmed": "on"})
    assert Application.objects.filter(status="screening").count() == 2
    # A move the table does not allow is reported per application, not a crash.
    response = client.post(
        url, {"ids": [submitted.pk], "to": "in_review", "confirmed": "on"}, follow=True
    )
    assert "cannot move" in response.content.decode()


def test_bulk_move_ignores_applications_of_other_calls(
    client, no_mfa, screening_call, secretary, applicant
):
    other_call = CallFactory()
    from baiqau.applications.services import application_submit

    other = application_submit(actor=applicant, application=complete_draft(other_call, applicant))
    client.force_login(secretary)
    client.post(
        f"{list_url(screening_call)}bulk/",
        {"ids": [other.pk], "to": "screening", "confirmed": "on"},
    )
    other.refresh_from_db()
    assert other.status == ApplicationStatus.SUBMITTED


def _submitted_many(call, n):
    from baiqau.applications.services import application_submit

    for _ in range(n):
        user = UserFactory()
        application_submit(actor=user, application=complete_draft(call, user))


def test_list_query_count_does_not_grow_with_rows(client, no_mfa, screening_call, secretary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretary)
    _submitted_many(screening_call, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(screening_call))
    _submitted_many(screening_call, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(list_url(screening_call) + "?sort=-amount&status=submitted")
    assert response.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_filters_and_search(client, no_mfa, screening_call, secretary, applicant):
    from baiqau.applications.services import application_submit

    ramps = complete_draft(screening_call, applicant, title_kk="Пандустар мектепке")
    ramps = application_submit(actor=applicant, application=ramps)
    camp = complete_draft(screening_call, applicant, title_kk="Жазғы лагерь")
    application_submit(actor=applicant, application=camp)
    client.force_login(secretary)
    html = client.get(list_url(screening_call) + "?q=пандустар").content.decode()
    assert "Пандустар мектепке" in html
    assert "Жазғы лагерь" not in html
    html = client.get(list_url(screening_call) + "?min_amount=600000").content.decode()
    assert "No application matches." in html


def test_staff_of_one_call_see_nothing_of_another(client, no_mfa, screening_call, submitted):
    other_staff = grant(CallFactory(), UserFactory(), "organiser")
    client.force_login(other_staff)
    assert client.get(detail_url(screening_call, submitted)).status_code == 404
    assert client.get(f"{detail_url(screening_call, submitted)}files/1/").status_code == 404


def test_a_move_outside_the_table_via_the_page_is_refused_with_a_message(
    client, no_mfa, screening_call, secretary, submitted
):
    client.force_login(secretary)
    response = client.post(
        detail_url(screening_call, submitted), {"action": "move", "to": "awarded"}, follow=True
    )
    assert "cannot move" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_applicant_answers_a_clarification_with_a_file_that_staff_can_open(
    client, no_mfa, screening_call, secretary, applicant, submitted
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.conftest import PDF_BYTES

    client.force_login(secretary)
    client.post(detail_url(screening_call, submitted), {"action": "move", "to": "screening"})
    due = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        detail_url(screening_call, submitted),
        {"action": "clarification", "message": "Хатты жіберіңіз", "reply_due_at": due},
    )
    client.force_login(applicant)
    fake = SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>")
    response = client.post(
        f"/en/applications/{submitted.pk}/reply/", {"body": "Міне", "file": fake}, follow=True
    )
    assert "is not a PDF, DOCX" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CLARIFICATION
    letter = SimpleUploadedFile("letter.pdf", PDF_BYTES)
    client.post(f"/en/applications/{submitted.pk}/reply/", {"body": "Міне хат", "file": letter})
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SCREENING
    message = Message.objects.get(from_staff=False)
    assert (message.file_name, message.file_type) == ("letter.pdf", "application/pdf")
    client.force_login(secretary)
    page = client.get(detail_url(screening_call, submitted)).content.decode()
    assert "letter.pdf" in page
    outsider = UserFactory()
    client.force_login(outsider)
    assert (
        client.get(f"/en/applications/{submitted.pk}/messages/{message.pk}/file/").status_code
        == 404
    )
    client.force_login(secretary)
    download = client.get(f"{detail_url(screening_call, submitted)}messages/{message.pk}/file/")
    assert b"".join(download.streaming_content) == PDF_BYTES
    # Last: closing a response ends the request, which (on PostgreSQL) closes the connection.
    download.close()

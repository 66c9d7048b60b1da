from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from baiqau.applications.models import Application, ApplicationStatus, ApplicationVersion
from baiqau.audit.models import AuditEvent
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def url(application, tail=""):
    return f"/en/applications/{application.pk}/{tail}"


def test_section_shows_the_saved_values(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(url(draft, "edit/project/")).content.decode()
    assert 'value="Жоба"' in html
    assert 'aria-current="step"' in html


def test_invalid_input_is_refused_with_errors_and_every_typed_value_kept(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        url(draft, "edit/plan/"),
        {
            "version": draft.version,
            "planned_activities": "Менің ұзақ жоспарым",
            "expected_results": "Нәтиже",
            "beneficiaries_count": "көп",
            "timeline": "",
            "team": "",
            "action": "next",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Менің ұзақ жоспарым" in html
    assert 'value="көп"' in html
    assert 'id="error-summary"' in html
    assert 'aria-invalid="true"' in html
    draft.refresh_from_db()
    assert draft.planned_activities == "Іс-шаралар"


def test_save_and_continue_goes_to_the_next_section(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        url(draft, "edit/project/"),
        {
            "version": draft.version,
            "title": "Пандустар",
            "summary": "Қысқаша",
            "target_group": "Балалар",
            "problem": "Баспалдақ",
            "goal": "Қолжетімділік",
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(draft, "edit/plan/")
    draft.refresh_from_db()
    assert draft.title_kk == "Пандустар"


def test_stale_version_shows_a_conflict_and_keeps_the_typed_text(
    client, draft, applicant, other_applicant
):
    member_of(other_applicant, draft.organisation, role="member")
    stale = draft.version
    client.force_login(other_applicant)
    client.post(url(draft, "edit/project/"), {"version": stale, "title": "Бірінші нұсқа"})
    client.force_login(applicant)
    response = client.post(
        url(draft, "edit/project/"), {"version": stale, "title": "Менің мәтінім"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Менің мәтінім" in html
    assert "after you opened it" in html
    draft.refresh_from_db()
    assert draft.title_kk == "Бірінші нұсқа"
    # Saving again from the conflict page (it carries the current version) goes through.
    response = client.post(
        url(draft, "edit/project/"), {"version": draft.version, "title": "Менің мәтінім"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_kk == "Менің мәтінім"


def test_autosave_answers_with_the_saved_time_and_new_version(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        url(draft, "autosave/project/"),
        {"version": draft.version, "title": "Автосақтау"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html
    assert f'value="{draft.version + 1}"' in html
    draft.refresh_from_db()
    assert draft.title_kk == "Автосақтау"


def test_expired_session_keeps_the_typed_text_until_after_log_in(client, draft, applicant):
    section = url(draft, "edit/project/")
    response = client.post(section, {"version": draft.version, "title": "Жоғалмайтын мәтін"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    client.force_login(applicant)
    html = client.get(section).content.decode()
    assert 'value="Жоғалмайтын мәтін"' in html
    assert "You were logged out before your text was saved" in html
    draft.refresh_from_db()
    assert draft.title_kk == "Жоба"  # shown again to be saved, not saved behind their back


def test_autosave_with_an_expired_session_says_so_and_keeps_the_page(client, draft):
    response = client.post(
        url(draft, "autosave/project/"), {"title": "Мәтін"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "your session has expired" in response.content.decode()


def test_double_submit_yields_one_submission(client, draft, applicant):
    client.force_login(applicant)
    first = client.post(url(draft, "submit/"))
    second = client.post(url(draft, "submit/"))
    assert first.status_code == second.status_code == 302
    assert ApplicationVersion.objects.filter(application=draft).count() == 1
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1


def test_late_submission_is_refused_with_a_clear_message_and_the_draft_kept(
    client, draft, applicant, open_call
):
    client.force_login(applicant)
    with time_machine.travel(open_call.closes_at + timedelta(seconds=1)):
        response = client.post(url(draft, "submit/"))
    assert response.status_code == 400
    assert "The deadline for this call has passed; your draft is kept." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.title_kk == "Жоба"


def test_receipt_page_and_e_mail(client, draft, applicant, django_capture_on_commit_callbacks):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(draft, "submit/"))
    draft.refresh_from_db()
    html = client.get(url(draft, "receipt/")).content.decode()
    assert draft.receipt_number in html
    assert len(mail.outbox) == 1
    assert draft.receipt_number in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/kk/applications/{draft.pk}/receipt/" in mail.outbox[0].body


def test_pdf_copy_of_what_was_submitted(client, draft, applicant):
    client.force_login(applicant)
    client.post(url(draft, "submit/"))
    response = client.get(url(draft, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_apply_page_tells_an_ineligible_organisation_why(client, open_call, applicant):
    member_of(applicant, OrganisationFactory(org_type="state_social"))
    client.force_login(applicant)
    html = client.get(f"/en/calls/{open_call.slug}/apply/").content.decode()
    assert "are not eligible for this call" in html
    assert "Start an application" not in html


def test_apply_starts_a_draft_in_the_language_of_the_page(client, open_call, applicant):
    organisation = member_of(applicant)
    client.force_login(applicant)
    response = client.post(f"/ru/calls/{open_call.slug}/apply/", {"organisation": organisation.pk})
    application = Application.objects.get()
    assert response["Location"] == f"/ru/applications/{application.pk}/edit/project/"
    assert application.language == "ru"


def test_dashboard_query_count_does_not_grow_with_applications(
    client, applicant, open_call, django_assert_max_num_queries
):
    from tests.factories import complete_draft

    client.force_login(applicant)
    complete_draft(open_call, applicant)
    with django_assert_max_num_queries(12) as few:
        client.get("/en/my/")
    for _ in range(8):
        complete_draft(open_call, applicant)
    with django_assert_max_num_queries(12) as many:
        client.get("/en/my/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_a_pages_own_autosave_is_not_a_conflict_with_its_save(client, draft, applicant):
    client.force_login(applicant)
    loaded = draft.version
    client.post(
        url(draft, "autosave/project/"),
        {"version": loaded, "edit_token": "page1", "title": "Бір"},
        HTTP_HX_REQUEST="true",
    )
    # The save button still carries the version the page was loaded with.
    response = client.post(
        url(draft, "edit/project/"), {"version": loaded, "edit_token": "page1", "title": "Екі"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_kk == "Екі"
    # Another page with the same old version is a conflict.
    response = client.post(
        url(draft, "edit/project/"), {"version": loaded, "edit_token": "page2", "title": "Үш"}
    )
    assert response.status_code == 409


def test_an_empty_budget_line_is_skipped_not_refused(client, open_call, applicant):
    from tests.factories import member_of

    organisation = member_of(applicant)
    client.force_login(applicant)
    client.post(f"/en/calls/{open_call.slug}/apply/", {"organisation": organisation.pk})
    application = Application.objects.get()
    html = client.get(url(application, "edit/budget/")).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="1"' in html
    response = client.post(
        url(application, "edit/budget/"),
        {
            "version": application.version,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "100",
            "lines-0-item": "",
            "lines-0-quantity": "",
            "lines-0-unit_cost": "",
            "lines-0-contribution": "",
            "action": "next",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.budget_lines.count() == 0


def test_line_ends_are_stored_as_typed(client, draft, applicant):
    client.force_login(applicant)
    client.post(url(draft, "edit/project/"), {"version": draft.version, "problem": "Бір\r\nЕкі"})
    draft.refresh_from_db()
    assert draft.problem == "Бір\nЕкі"

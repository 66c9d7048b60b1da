"""The organisation's pages: its funded projects, accepting the agreement, writing a report
(drafts, conflicts, errors, versions), its files and the agreement's PDF."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from baiqau.audit.models import AuditEvent
from baiqau.monitoring.models import (
    AgreementStatus,
    Report,
    ReportFile,
    ReportStatus,
    ReportVersion,
)
from baiqau.monitoring.services import report_accept, report_return
from tests.monitoring.builders import PURPOSE, form_data, funded, pdf_text, submit, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def page(response) -> str:
    return unescape(response.content.decode())


def report_url(project, report: Report | None = None) -> str:
    report = report or project.report()
    return url("report", project.agreement.pk, report.pk)


@pytest.fixture
def project():
    return funded(accept=True)


# The list of funded projects ----------------------------------------------------------------


def test_the_list_shows_the_organisations_projects_and_flags_an_overdue_report(client):
    project = funded()
    Report.objects.filter(pk=project.report().pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(project.member)

    html = page(client.get(url("projects")))

    agreement = project.agreement
    assert agreement.number in html
    assert str(agreement.application.title) in html
    assert str(project.call.title) in html
    assert "400\xa0000\xa0₸" in html
    assert "Offered to the organisation" in html
    assert "Interim report" in html
    assert "Overdue" in html
    assert project.other.number not in html
    assert f'href="{url("agreement", agreement.pk)}"' in html


def test_the_menu_links_to_the_funded_projects(client):
    project = funded()
    client.force_login(project.no_org)
    html = page(client.get(url("projects")))
    assert f'<a href="{url("projects")}">My funded projects</a>' in html
    assert "Your organisations have no funded projects yet." in html


# Accepting the agreement --------------------------------------------------------------------


def test_the_owner_accepts_after_confirming_and_the_acceptance_is_audited(client):
    project = funded()
    agreement = project.agreement
    client.force_login(project.owner)
    html = page(client.get(url("agreement", agreement.pk)))
    assert PURPOSE in html
    assert 'name="confirm"' in html
    assert "Accept the agreement" in html

    unconfirmed = client.post(url("agreement_accept", agreement.pk), {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm you have read the agreement." in page(unconfirmed)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED

    accepted = client.post(url("agreement_accept", agreement.pk), {"confirm": "on"})
    assert accepted.status_code == 302
    assert accepted["Location"] == url("agreement", agreement.pk)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED
    assert agreement.accepted_by == project.owner
    event = AuditEvent.objects.get(action="agreement.accept", subject_id=str(agreement.pk))
    assert event.actor == project.owner
    html = page(client.get(url("agreement", agreement.pk)))
    assert "accepted on" in html
    assert 'name="confirm"' not in html
    again = page(client.get(url("agreement_accept", agreement.pk)))
    assert "This agreement is not waiting for acceptance" in again
    twice = client.post(url("agreement_accept", agreement.pk), {"confirm": "on"}, follow=True)
    assert "This cannot move from" in page(twice)
    assert AuditEvent.objects.filter(action="agreement.accept").count() == 1


def test_a_member_who_is_not_an_owner_is_told_an_owner_must_accept(client):
    project = funded()
    agreement = project.agreement
    client.force_login(project.member)

    html = page(client.get(url("agreement", agreement.pk)))
    assert "An owner of the organisation must accept this agreement." in html
    assert 'name="confirm"' not in html

    refused = client.post(url("agreement_accept", agreement.pk), {"confirm": "on"})
    assert refused.status_code == 403
    assert "Only an owner of the organisation can do this." in page(refused)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED
    assert not AuditEvent.objects.filter(action="agreement.accept").exists()


def test_the_agreement_page_shows_schedules_progress_and_contacts(client, project):
    agreement = project.agreement
    interim = project.report()
    submit(interim, project.owner)
    report_accept(actor=project.organiser, report=interim)
    tranche = agreement.tranches.get(position=0)
    tranche.status, tranche.withheld_reason = "withheld", "Documents missing"
    tranche.save()
    client.force_login(project.member)

    html = page(client.get(url("agreement", agreement.pk)))

    assert "240\xa0000\xa0₸" in html
    assert "160\xa0000\xa0₸" in html
    assert "Paid once the interim report due" in html
    assert "Reason: Documents missing" in html
    assert "Final report" in html
    # The first indicator is named in the agreement's language, whoever drafted it.
    assert agreement.indicators.first().name in html
    assert '<td class="num">40</td>' in html  # target
    assert '<td class="num">12</td>' in html  # reached, from the accepted interim report
    assert project.organiser.email in html
    assert project.owner.email in html
    assert "Reports are written once the agreement is accepted." not in html


# Writing a report ---------------------------------------------------------------------------


def test_a_saved_draft_is_there_after_a_reload(client, project):
    client.force_login(project.member)
    report = project.report()
    indicator = project.agreement.indicators.get()
    typed = form_data(report, done="Үш семинар өтті", difficulties="", **{"ben-3-f-g1": "2"})
    typed[f"indicator-{indicator.pk}"] = "7,5"

    saved = client.post(report_url(project), {**typed, "action": "save"})

    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.draft_version == 1
    assert report.status == ReportStatus.DUE
    html = page(client.get(report_url(project)))
    assert "Үш семинар өтті</textarea>" in html
    assert f'name="indicator-{indicator.pk}" value="7,5"' in html
    assert 'name="ben-3-f-g1" value="2"' in html
    assert 'name="ben-1-m-no" value="7"' in html
    assert 'name="draft_version" value="1"' in html
    assert "Draft saved" in html


def test_the_draft_is_saved_while_typing(client, project):
    report = project.report()
    client.force_login(project.member)
    autosave = url("report_autosave", project.agreement.pk, report.pk)

    response = client.post(
        autosave, form_data(report, done="Жазып жатырмын"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = page(response)
    assert "Draft saved at" in html
    assert 'name="draft_version" value="1" id="draft-version" hx-swap-oob="true"' in html
    report.refresh_from_db()
    assert report.draft["done"] == "Жазып жатырмын"
    stale = client.post(autosave, form_data(report, version=0), HTTP_HX_REQUEST="true")
    assert "Someone else saved this report in the meantime." in page(stale)
    report.refresh_from_db()
    assert (report.draft_version, report.draft["done"]) == (1, "Жазып жатырмын")


def test_an_autosave_after_the_session_expired_says_so(client, project):
    report = project.report()
    response = client.post(
        url("report_autosave", project.agreement.pk, report.pk),
        form_data(report),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "your session has expired" in page(response)


def test_a_stale_draft_version_shows_the_conflict_and_keeps_the_typed_text(client, project):
    report = project.report()
    client.force_login(project.owner)
    client.post(
        report_url(project), {**form_data(report, done="The owner's text"), "action": "save"}
    )
    client.force_login(project.member)

    typed = form_data(report, version=0, done="My own long text", **{"ben-0-f-no": "3"})
    response = client.post(report_url(project), {**typed, "action": "save"})

    assert response.status_code == 409
    html = page(response)
    assert "Someone else saved this report in the meantime." in html
    assert "My own long text</textarea>" in html
    assert 'name="ben-0-f-no" value="3"' in html
    report.refresh_from_db()
    assert report.draft["done"] == "The owner's text"


def test_a_submit_with_errors_keeps_everything_and_lists_the_errors(client, project):
    report = project.report()
    line = project.agreement.application.budget_lines.first()
    indicator = project.agreement.indicators.get()
    client.force_login(project.owner)
    typed = form_data(
        report,
        changed="",
        difficulties="Winter came early",
        **{
            "ben-2-m-no": "many",
            f"indicator-{indicator.pk}": "",
            f"spent-{line.pk}": str(line.requested + 5000),
        },
    )

    response = client.post(report_url(project), {**typed, "action": "submit"})

    assert response.status_code == 400
    html = page(response)
    assert 'id="error-summary"' in html
    for target in ("id_changed", f"id_indicator-{indicator.pk}", "id_ben-2-m-no"):
        assert f'href="#{target}"' in html
    assert f'href="#id_explanation-{line.pk}"' in html
    assert "Explain why the spending differs from the budget" in html
    assert "Оқу үйінде 12 жаттығу өткізілді.</textarea>" in html
    assert "Winter came early</textarea>" in html
    assert '<input type="text" name="ben-2-m-no" value="many"' in html
    cell = html.split('name="ben-2-m-no"')[1].split(">")[0]
    assert 'aria-invalid="true"' in cell
    assert 'aria-describedby="id_ben-2-m-no-error"' in cell
    assert '<p class="field-error" id="id_ben-2-m-no-error">' in html
    assert f'name="spent-{line.pk}" value="{line.requested + 5000}"' in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE
    assert report.versions.count() == 0
    assert report.draft["difficulties"] == "Winter came early"  # the draft was saved
    assert 'name="draft_version" value="1"' in html


def test_a_complete_submit_creates_version_1(client, project):
    report = project.report()
    client.force_login(project.member)

    response = client.post(report_url(project), {**form_data(report), "action": "submit"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    version = ReportVersion.objects.get(report=report)
    assert (version.number, version.beneficiaries_total) == (1, 12)
    html = page(client.get(report_url(project)))
    assert "Submitted, under review" in html
    assert 'name="done"' not in html  # no form while staff review it
    assert "Version 1" in html
    assert "Оқу үйінде 12 жаттығу өткізілді." in html


def test_a_returned_report_shows_the_comment_and_resubmits_as_version_2(client, project):
    report = project.report()
    submit(report, project.owner)
    report_return(actor=project.organiser, report=report, comment="Add the spring workshops.")
    client.force_login(project.owner)

    html = page(client.get(report_url(project)))
    assert "The organisers returned the report for revision" in html
    assert "Add the spring workshops." in html
    assert "Оқу үйінде 12 жаттығу өткізілді.</textarea>" in html  # the draft is the basis

    report.refresh_from_db()
    typed = form_data(report, done="Spring workshops added.")
    assert client.post(report_url(project), {**typed, "action": "submit"}).status_code == 302

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.versions.values_list("number", "done")) == [
        (1, "Оқу үйінде 12 жаттығу өткізілді."),
        (2, "Spring workshops added."),
    ]
    first = page(client.get(url("report_version", project.agreement.pk, report.pk, 1)))
    assert "Оқу үйінде 12 жаттығу өткізілді." in first
    assert "Add the spring workshops." in first
    assert "Spring workshops added." not in first
    assert client.get(url("report_version", project.agreement.pk, report.pk, 3)).status_code == 404


def test_a_report_before_the_agreement_is_accepted_has_no_form(client):
    project = funded()
    client.force_login(project.owner)
    html = page(client.get(report_url(project)))
    assert "Reports are written once the agreement is accepted." in html
    assert 'name="done"' not in html


def test_the_beneficiary_table_has_one_with_disability_column_when_the_call_does_not_ask_groups(
    client,
):
    project = funded(accept=True, ask_disability_group=False)
    client.force_login(project.owner)
    html = page(client.get(report_url(project)))
    assert 'name="ben-0-f-yes"' in html
    assert 'name="ben-0-f-g1"' not in html
    assert "<caption" in html and '<th scope="row">' in html


# Files --------------------------------------------------------------------------------------


def test_files_are_uploaded_checked_by_content_downloaded_and_removed(client, project):
    report = project.report()
    client.force_login(project.member)
    add = url("report_file_add", project.agreement.pk, report.pk)

    ok = client.post(add, {"file": SimpleUploadedFile("photos.pdf", PDF)})
    fake = client.post(add, {"file": SimpleUploadedFile("fake.pdf", b"just some text\n")})

    assert ok.status_code == fake.status_code == 302
    [stored] = ReportFile.objects.filter(report=report)
    assert stored.original_name == "photos.pdf"
    html = page(client.get(report_url(project)))
    assert "photos.pdf" in html
    assert "“fake.pdf” is not a PDF" in html  # told why
    assert ">fake.pdf</a>" not in html
    assert 'accept=".pdf,.png,.jpg,.docx,.xlsx,.odt,.jpeg"' in html
    download = client.get(url("report_file", project.agreement.pk, report.pk, stored.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    removed = client.post(url("report_file_remove", project.agreement.pk, report.pk, stored.pk))
    assert removed.status_code == 302
    assert not ReportFile.objects.filter(report=report).exists()


def test_a_text_file_named_pdf_is_refused_with_a_message(client, project):
    report = project.report()
    client.force_login(project.member)
    response = client.post(
        url("report_file_add", project.agreement.pk, report.pk),
        {"file": SimpleUploadedFile("names.pdf", b"Aigerim, Nurlan\n")},
        follow=True,
    )
    assert "“names.pdf” is not a PDF, DOCX, XLSX, ODT, JPEG or PNG file" in page(response)
    assert not ReportFile.objects.filter(report=report).exists()


def test_a_submitted_file_stays_and_is_listed_with_its_version(client, project):
    report = project.report()
    client.force_login(project.member)
    client.post(
        url("report_file_add", project.agreement.pk, report.pk),
        {"file": SimpleUploadedFile("photos.pdf", PDF)},
    )
    submit(report, project.owner)
    stored = ReportFile.objects.get(report=report)
    html = page(client.get(url("report_version", project.agreement.pk, report.pk, 1)))
    assert "photos.pdf" in html
    removed = client.post(
        url("report_file_remove", project.agreement.pk, report.pk, stored.pk), follow=True
    )
    assert "This report is submitted" in page(removed)
    assert ReportFile.objects.filter(pk=stored.pk).exists()


# The agreement as a PDF ---------------------------------------------------------------------


@pytest.mark.parametrize(("language", "month_of"), [("kk", "kk"), ("ru", "ru")])
def test_the_agreement_pdf_is_in_the_agreements_language(client, tmp_path, language, month_of):
    project = funded(accept=True, language=language)
    agreement = project.agreement
    assert agreement.language == language
    client.force_login(project.member)

    response = client.get(url("agreement_pdf", agreement.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="agreement-{agreement.number}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    assert " ".join(agreement.purpose.split()) in text
    assert "400 000 ₸" in text
    assert "240 000 ₸" in text
    assert agreement.number in text
    with translation.override(month_of):
        offered = date_format(timezone.localtime(agreement.offered_at), "DATE_FORMAT")
        accepted = date_format(timezone.localtime(agreement.accepted_at), "DATE_FORMAT")
    assert offered in text
    assert accepted in text
    assert project.owner.full_name in text

"""The services the organisation's pages use: accepting the agreement, keeping a report's
draft, submitting it (with its indicator values, beneficiaries by category and spending),
staff returning it and the organisation resubmitting, versions kept, files checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_verify
from baiqau.core.errors import DomainError
from baiqau.monitoring.models import (
    AgreementStatus,
    BeneficiaryCount,
    ReportReview,
    ReportStatus,
    ReportVersion,
    SpendingLine,
)
from baiqau.monitoring.selectors_org import latest_accepted_values
from baiqau.monitoring.services import (
    ReportInvalid,
    agreement_accept,
    report_accept,
    report_file_add,
    report_file_remove,
    report_return,
    report_save_draft,
    report_submit,
)
from tests.monitoring.builders import complete_data, funded, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def project():
    return funded(accept=True)


def events(action: str, subject) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
        )
    )


# Accepting the agreement --------------------------------------------------------------------


def test_the_owner_accepts_the_offered_agreement_and_it_is_audited():
    project = funded()
    agreement = agreement_accept(actor=project.owner, agreement=project.agreement)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED
    assert agreement.accepted_by == project.owner
    assert agreement.accepted_at is not None
    [event] = events("agreement.accept", agreement)
    assert event.actor == project.owner
    assert event.data["from"] == "offered"
    assert event.data["to"] == "accepted"
    assert event.data["number"] == agreement.number
    assert audit_verify().ok


@pytest.mark.parametrize("persona", ["member", "other_org", "no_org", "staff"])
def test_only_an_owner_of_the_organisation_can_accept(persona):
    project = funded()
    with pytest.raises(DomainError) as refused:
        agreement_accept(actor=project.user(persona), agreement=project.agreement)
    assert refused.value.code == "not_member"
    project.agreement.refresh_from_db()
    assert project.agreement.status == AgreementStatus.OFFERED
    assert events("agreement.accept", project.agreement) == []


def test_an_accepted_agreement_cannot_be_accepted_twice(project):
    with pytest.raises(DomainError) as refused:
        agreement_accept(actor=project.owner, agreement=project.agreement)
    assert refused.value.code == "transition"


# Drafts -------------------------------------------------------------------------------------


def test_a_draft_is_kept_and_its_version_moves_on(project):
    report = project.report()
    data = complete_data(report, done="Бірінші жоба", indicators={"999": "5", "x": ["list"]})

    saved = report_save_draft(actor=project.member, report=report, data=data, version=0)

    saved.refresh_from_db()
    assert saved.draft_version == 1
    assert saved.draft_saved_at is not None
    assert saved.draft["done"] == "Бірінші жоба"
    # Unknown parts are kept as text, never refused: the draft is the person's work.
    assert saved.draft["indicators"] == {"999": "5", "x": "['list']"}
    assert saved.draft["beneficiaries"][0] == {
        "age_group": "18-34",
        "sex": "f",
        "disability": True,
        "disability_group": "2",
        "count": "5",
    }


def test_a_draft_saved_from_a_stale_version_is_a_conflict(project):
    report = project.report()
    report_save_draft(actor=project.owner, report=report, data={"done": "owner's"}, version=0)

    with pytest.raises(DomainError) as conflict:
        report_save_draft(actor=project.member, report=report, data={"done": "mine"}, version=0)

    assert conflict.value.code == "conflict"
    report.refresh_from_db()
    assert report.draft["done"] == "owner's"
    assert report.draft_version == 1


def test_nothing_is_written_before_the_agreement_is_accepted():
    project = funded()
    with pytest.raises(DomainError) as refused:
        report_save_draft(actor=project.owner, report=project.report(), data={}, version=0)
    assert refused.value.code == "agreement"


@pytest.mark.parametrize("persona", ["other_org", "no_org", "staff"])
def test_only_members_write_the_report(project, persona):
    report = project.report()
    with pytest.raises(DomainError) as refused:
        report_save_draft(actor=project.user(persona), report=report, data={}, version=0)
    assert refused.value.code == "not_member"
    with pytest.raises(DomainError):
        report_submit(actor=project.user(persona), report=report)
    assert report.versions.count() == 0


# Submitting ---------------------------------------------------------------------------------


def test_a_complete_report_becomes_version_1_with_all_its_rows(project):
    report = project.report()
    indicator = project.agreement.indicators.get()
    lines = list(project.agreement.application.budget_lines.all())

    version = submit(report, project.member)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert version.number == 1
    assert version.submitted_by == project.member
    assert version.done == "Оқу үйінде 12 жаттығу өткізілді."
    assert [(v.indicator_id, v.value) for v in version.indicator_values.all()] == [
        (indicator.pk, Decimal(12))
    ]
    assert sorted(
        (b.age_group, b.sex, b.disability, b.disability_group, b.count)
        for b in version.beneficiaries.all()
    ) == [("18-34", "f", True, "2", 5), ("18-34", "m", False, "", 7)]
    assert version.beneficiaries_total == 12
    assert sorted((s.budget_line_id, s.spent) for s in version.spending.all()) == sorted(
        (line.pk, line.requested) for line in lines
    )
    [event] = events("report.submit", report)
    assert event.data["version"] == 1
    assert event.data["beneficiaries"] == 12


def test_an_incomplete_report_is_refused_with_errors_by_part(project):
    report = project.report()
    indicator = project.agreement.indicators.get()
    line = project.agreement.application.budget_lines.first()
    data = complete_data(report, done="", changed="  ")
    data["indicators"] = {str(indicator.pk): "many"}
    data["spending"][str(line.pk)] = {"spent": "12.5", "explanation": ""}
    data["beneficiaries"] = [
        {"age_group": "18-34", "sex": "x", "disability": False, "count": 1},
        {"age_group": "63+", "sex": "f", "disability": False, "count": "-2"},
    ]
    report_save_draft(actor=project.owner, report=report, data=data, version=0)

    with pytest.raises(ReportInvalid) as invalid:
        report_submit(actor=project.owner, report=report, version=1)

    assert set(invalid.value.errors) == {
        "done",
        "changed",
        f"indicator-{indicator.pk}",
        f"spending-{line.pk}",
        "beneficiaries-0",
        "beneficiaries-1",
    }
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE
    assert report.versions.count() == 0
    assert report.draft["done"] == ""  # the draft stays as it was saved


def test_spending_that_differs_from_the_plan_needs_an_explanation(project):
    report = project.report()
    line = project.agreement.application.budget_lines.first()
    data = complete_data(report)
    data["spending"][str(line.pk)] = {"spent": line.requested + 1000, "explanation": " "}
    report_save_draft(actor=project.owner, report=report, data=data, version=0)

    with pytest.raises(ReportInvalid) as invalid:
        report_submit(actor=project.owner, report=report)
    assert list(invalid.value.errors) == [f"spending-{line.pk}"]
    assert "Explain why the spending differs" in invalid.value.errors[f"spending-{line.pk}"][0]

    data["spending"][str(line.pk)]["explanation"] = "Prices rose"
    report_save_draft(actor=project.owner, report=report, data=data, version=1)
    version = report_submit(actor=project.owner, report=report)
    spent = SpendingLine.objects.get(version=version, budget_line=line)
    assert (spent.spent, spent.explanation) == (line.requested + 1000, "Prices rose")


def test_counts_of_one_category_add_up_and_empty_categories_are_not_stored(project):
    rows = [
        {
            "age_group": "0-17",
            "sex": "m",
            "disability": True,
            "disability_group": "child",
            "count": 2,
        },
        {
            "age_group": "0-17",
            "sex": "m",
            "disability": True,
            "disability_group": "child",
            "count": 3,
        },
        {"age_group": "35-62", "sex": "f", "disability": False, "count": "0"},
    ]
    version = submit(project.report(), project.owner, beneficiaries=rows)
    assert [
        (b.age_group, b.sex, b.disability, b.disability_group, b.count)
        for b in BeneficiaryCount.objects.filter(version=version)
    ] == [("0-17", "m", True, "child", 5)]
    assert version.beneficiaries_total == 5


def test_the_disability_group_is_not_kept_when_the_call_does_not_ask_for_it():
    project = funded(accept=True, ask_disability_group=False)
    rows = [
        {"age_group": "35-62", "sex": "f", "disability": True, "disability_group": "1", "count": 4}
    ]
    version = submit(project.report(), project.owner, beneficiaries=rows)
    assert [(b.disability, b.disability_group, b.count) for b in version.beneficiaries.all()] == [
        (True, "", 4)
    ]


def test_a_submit_from_a_stale_version_is_a_conflict(project):
    report = project.report()
    report_save_draft(actor=project.owner, report=report, data=complete_data(report), version=0)
    with pytest.raises(DomainError) as conflict:
        report_submit(actor=project.member, report=report, version=0)
    assert conflict.value.code == "conflict"


def test_a_submitted_report_cannot_be_changed_until_it_is_returned(project):
    report = project.report()
    submit(report, project.owner)
    report.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        report_save_draft(actor=project.owner, report=report, data={}, version=None)
    assert refused.value.code == "not_editable"
    with pytest.raises(DomainError):
        report_submit(actor=project.owner, report=report)


# Return and resubmit ------------------------------------------------------------------------


def test_returning_needs_a_comment_and_only_staff_of_the_call_return(project):
    report = project.report()
    submit(report, project.owner)
    with pytest.raises(DomainError) as no_reason:
        report_return(actor=project.organiser, report=report, comment=" ")
    assert no_reason.value.code == "reason"
    with pytest.raises(DomainError) as not_staff:
        report_return(actor=project.owner, report=report, comment="Please add numbers")
    assert not_staff.value.code == "not_staff"


def test_a_returned_report_is_resubmitted_as_version_2_keeping_version_1(project):
    report = project.report()
    first = submit(report, project.owner)
    report_return(actor=project.organiser, report=report, comment="Add the spring workshops.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    review = ReportReview.objects.get(version=first)
    assert (review.outcome, review.comment) == ("returned", "Add the spring workshops.")

    second = submit(report, project.member, done="Spring workshops added.")

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert [v.number for v in ReportVersion.objects.filter(report=report)] == [1, 2]
    first.refresh_from_db()
    assert first.done == "Оқу үйінде 12 жаттығу өткізілді."
    assert first.beneficiaries.count() == 2
    assert first.indicator_values.count() == 1
    assert second.done == "Spring workshops added."
    assert [e.data["to"] for e in events("report.resubmit", report)] == ["submitted"]


def test_the_latest_accepted_value_is_the_indicators_progress(project):
    indicator = project.agreement.indicators.get()
    interim, final = project.report(), project.report("final")
    submit(interim, project.owner, indicators={str(indicator.pk): "10"})
    assert latest_accepted_values(project.agreement) == {}
    report_accept(actor=project.organiser, report=interim)
    submit(final, project.owner, indicators={str(indicator.pk): "35.5"})
    values = latest_accepted_values(project.agreement)
    assert values[indicator.pk].value == Decimal(10)  # the final report is not yet accepted
    report_accept(actor=project.organiser, report=final)
    assert latest_accepted_values(project.agreement)[indicator.pk].value == Decimal("35.5")
    interim.refresh_from_db()
    assert interim.accepted_version.number == 1


# Files --------------------------------------------------------------------------------------


def test_files_are_checked_by_content_and_join_the_submitted_version(project):
    report = project.report()
    stored = report_file_add(
        actor=project.member, report=report, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    assert (stored.content_type, stored.original_name, stored.version) == (
        "application/pdf",
        "plan.pdf",
        None,
    )
    with pytest.raises(DomainError) as refused:
        report_file_add(
            actor=project.member,
            report=report,
            upload=SimpleUploadedFile("names.pdf", b"Aigerim, Nurlan: a list of people\n"),
        )
    assert refused.value.code == "file_type"
    assert report.files.count() == 1

    version = submit(report, project.owner)
    stored.refresh_from_db()
    assert stored.version == version
    report_return(actor=project.organiser, report=report, comment="More photos, please.")
    with pytest.raises(DomainError) as stays:
        report_file_remove(actor=project.owner, report=report, file_id=stored.pk)
    assert stays.value.code == "file"


def test_a_file_not_yet_submitted_can_be_removed(project):
    report = project.report()
    stored = report_file_add(
        actor=project.member, report=report, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    report_file_remove(actor=project.member, report=report, file_id=stored.pk)
    assert report.files.count() == 0

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from baiqau.applications.models import Answer, ApplicationStatus, ApplicationVersion
from baiqau.applications.services import (
    ConflictError,
    application_reopen,
    application_save_answers,
    application_save_budget,
    application_save_fields,
    application_submit,
    application_withdraw,
    attachment_add,
    completeness_problems,
)
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import Question, QuestionKind
from baiqau.core.errors import DomainError
from tests.applications.conftest import PDF_BYTES
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def test_saving_bumps_the_version_and_records_who(draft, applicant):
    version = draft.version
    saved = application_save_fields(
        actor=applicant, application=draft, version=version, values={"title": "Жаңа атау"}
    )
    assert saved.version == version + 1
    assert saved.title_kk == "Жаңа атау"
    assert saved.last_edited_by == applicant


def test_two_members_saving_the_same_version_get_a_conflict_not_an_overwrite(
    draft, applicant, other_applicant
):
    member_of(other_applicant, draft.organisation, role="member")
    version = draft.version
    application_save_fields(
        actor=applicant, application=draft, version=version, values={"title": "Бірінші"}
    )
    with pytest.raises(ConflictError) as error:
        application_save_fields(
            actor=other_applicant, application=draft, version=version, values={"title": "Екінші"}
        )
    assert "Applicant saved this draft at" in error.value.message
    assert error.value.current_version == version + 1
    draft.refresh_from_db()
    assert draft.title_kk == "Бірінші"


def test_budget_totals_are_computed_on_the_server(draft, applicant):
    saved = application_save_budget(
        actor=applicant,
        application=draft,
        version=draft.version,
        lines=[
            {"item": "Пандус", "quantity": 20, "unit_cost": 90_000, "contribution": 100_000},
            {"item": "Оқыту", "quantity": 1, "unit_cost": 150_000, "contribution": None},
        ],
    )
    assert saved.requested_amount == 1_850_000
    assert [line.requested for line in saved.budget_lines.all()] == [1_700_000, 150_000]


def test_requested_amount_above_the_call_maximum_blocks_submission(draft, applicant):
    draft = application_save_budget(
        actor=applicant,
        application=draft,
        version=draft.version,
        lines=[{"item": "Үй", "quantity": 1, "unit_cost": 2_500_000, "contribution": 0}],
    )
    problems = completeness_problems(draft)
    assert problems == [
        "The requested amount, 2\u00a0500\u00a0000\u00a0₸, is more than this call's maximum of "
        "2\u00a0000\u00a0000\u00a0₸."
    ]
    with pytest.raises(DomainError) as error:
        application_submit(actor=applicant, application=draft)
    assert error.value.code == "incomplete"


def test_required_questions_of_every_kind_are_checked(open_call, draft, applicant):
    kinds = list(QuestionKind.values)
    questions = {
        kind: Question.objects.create(
            call=open_call,
            kind=kind,
            label_en=f"Q {kind}",
            required=True,
            choices=[{"value": "a", "en": "A"}, {"value": "b", "en": "B"}],
        )
        for kind in kinds
    }
    assert len(completeness_problems(draft)) == len(kinds)
    application_save_answers(
        actor=applicant,
        application=draft,
        version=draft.version,
        answers={
            questions["short_text"].pk: "Айгүл",
            questions["long_text"].pk: "Ұзақ мәтін",
            questions["number"].pk: "7",
            questions["single_choice"].pk: "a",
            questions["multiple_choice"].pk: ["a", "b"],
            questions["date"].pk: "2027-01-15",
            questions["yes_no"].pk: False,
        },
    )
    attachment_add(
        actor=applicant,
        application=draft,
        upload=SimpleUploadedFile("x.pdf", PDF_BYTES),
        question=questions["file"],
    )
    draft.refresh_from_db()
    assert completeness_problems(draft) == []
    assert Answer.objects.get(question=questions["yes_no"]).value is False


def test_submission_keeps_a_version_and_sends_a_receipt_in_the_persons_language(
    draft, applicant, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "ru"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = application_submit(actor=applicant, application=draft)
    version = ApplicationVersion.objects.get(application=draft)
    assert version.receipt_number == submitted.receipt_number
    assert version.data["fields"]["title_kk"] == "Жоба"
    assert version.data["budget"] == [
        {"item": "Жалға алу", "quantity": 2, "unit_cost": 250_000, "contribution": 0}
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant.email]
    assert mail.outbox[0].subject == f"Заявка принята: {submitted.receipt_number}"
    assert "Номер квитанции" in mail.outbox[0].body


def test_reopen_and_resubmit_keeps_both_versions(draft, applicant):
    first = application_submit(actor=applicant, application=draft)
    reopened = application_reopen(actor=applicant, application=first)
    assert reopened.status == ApplicationStatus.DRAFT
    application_save_fields(
        actor=applicant, application=reopened, version=None, values={"title": "Түзетілген"}
    )
    second = application_submit(actor=applicant, application=reopened)
    assert second.receipt_number == f"{first.receipt_number}-2"
    versions = list(ApplicationVersion.objects.filter(application=draft).order_by("number"))
    assert [v.data["fields"]["title_kk"] for v in versions] == ["Жоба", "Түзетілген"]
    assert AuditEvent.objects.filter(action="application.resubmitted").count() == 1


def test_reopening_after_the_deadline_is_refused(draft, applicant, open_call):
    submitted = application_submit(actor=applicant, application=draft)
    with (
        time_machine.travel(open_call.closes_at + timedelta(minutes=1)),
        pytest.raises(DomainError) as error,
    ):
        application_reopen(actor=applicant, application=submitted)
    assert error.value.code == "deadline"


def test_submitted_application_cannot_be_edited(draft, applicant):
    submitted = application_submit(actor=applicant, application=draft)
    with pytest.raises(DomainError) as error:
        application_save_fields(
            actor=applicant, application=submitted, version=None, values={"title": "Өзгеріс"}
        )
    assert error.value.code == "not_draft"


def test_withdraw_is_audited_with_the_reason(draft, applicant):
    withdrawn = application_withdraw(actor=applicant, application=draft, reason="Қаржы табылды")
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    event = AuditEvent.objects.get(action="application.withdraw")
    assert event.data == {"from": "draft", "to": "withdrawn", "reason": "Қаржы табылды"}


def test_outsider_cannot_submit(draft, other_applicant):
    with pytest.raises(DomainError) as error:
        application_submit(actor=other_applicant, application=draft)
    assert error.value.code == "not_member"

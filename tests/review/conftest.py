"""A call in review with one application assigned to the `expert` persona, and builders for
the other people around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from baiqau.applications.models import (
    Answer,
    Application,
    ApplicationStatus,
    Attachment,
    BudgetLine,
)
from baiqau.applications.uploads import PDF
from baiqau.calls.models import Call, CallStatus, Criterion, Question, QuestionKind
from baiqau.organisations.models import Organisation
from baiqau.review.models import Assignment, Declaration, Expert, ReviewPlan
from tests.factories import CallFactory, OrganisationFactory, UserFactory, add_criteria

ORGANISATION_NAME = "Qamqor Foundation"
SUMMARY = "Sign-language lessons run by Aigerim Bekova, phone +7 701 555 12 34."
TEAM = "Aigerim Bekova (coordinator), Daniyar Serikov (accountant)"
FILE_NAME = "Qamqor-Foundation-charter.pdf"
ANSWER = "We worked with 120 families in Almaty."


@pytest.fixture
def no_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


def in_review_call(**fields: Any) -> Call:
    now = timezone.now()
    call = CallFactory(
        status=CallStatus.IN_REVIEW,
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        review_ends_at=now + timedelta(days=10),
        results_at=now + timedelta(days=20),
        **fields,
    )
    add_criteria(call)
    return call


def make_application(
    call: Call,
    *,
    title: str = "Жоба",
    organisation: Organisation | None = None,
    status: str = ApplicationStatus.IN_REVIEW,
    **fields: Any,
) -> Application:
    return Application.objects.create(
        call=call,
        organisation=organisation or OrganisationFactory(),
        language="kk",
        title_kk=title,
        status=status,
        submitted_at=timezone.now(),
        **fields,
    )


def seat(call: Call, user: Any = None, **fields: Any) -> Expert:
    fields.setdefault("languages", ["kk", "ru"])
    fields.setdefault("profile_done_at", timezone.now())
    return Expert.objects.create(call=call, user=user or UserFactory(), **fields)


def assign(expert: Expert, application: Application, declared: bool | None = None) -> Assignment:
    """Assign; `declared` False records "no conflict", True a conflict (row kept as it is)."""
    assignment = Assignment.objects.create(expert=expert, application=application)
    if declared is not None:
        Declaration.objects.create(
            expert=expert,
            application=application,
            conflict=declared,
            reason="I advise them" if declared else "",
            declared_at=timezone.now(),
        )
    return assignment


def attach(application: Application, name: str = FILE_NAME, question: Question | None = None):
    body = b"%PDF-1.4\n" + b"x" * 2000
    return Attachment.objects.create(
        application=application,
        question=question,
        file=ContentFile(body, name="upload.pdf"),
        original_name=name,
        content_type=PDF,
        size=len(body),
        sha256="0" * 64,
    )


@dataclass
class Panel:
    call: Call
    plan: ReviewPlan
    seat: Expert
    application: Application
    organisation: Organisation
    criteria: list[Criterion]
    question: Question
    attachment: Attachment

    def url(self, name: str, **kwargs: Any) -> str:
        if name not in ("queue", "profile", "bids"):
            kwargs.setdefault("pk", self.application.pk)
        if name == "file":
            kwargs.setdefault("file_pk", self.attachment.pk)
        return reverse(f"review:{name}", kwargs={"slug": self.call.slug, **kwargs})


@pytest.fixture
def panel(db, expert) -> Panel:
    """A call in review; one application with content, assigned to `expert`, undeclared."""
    call = in_review_call()
    plan = ReviewPlan.objects.create(call=call)
    organisation = OrganisationFactory(name_kk=ORGANISATION_NAME, name_en=ORGANISATION_NAME)
    application = make_application(
        call,
        title="Ым тілі сабақтары",
        organisation=organisation,
        summary_kk=SUMMARY,
        goal_kk="Мақсат",
        team=TEAM,
        requested_amount=500_000,
    )
    BudgetLine.objects.create(
        application=application, item="Жалға алу", quantity=2, unit_cost=250_000
    )
    question = Question.objects.create(
        call=call,
        position=0,
        kind=QuestionKind.LONG_TEXT,
        label_kk="Тәжірибе",
        label_en="Experience",
    )
    Answer.objects.create(application=application, question=question, value=ANSWER)
    attachment = attach(application)
    expert_seat = seat(call, expert)
    assign(expert_seat, application)
    return Panel(
        call=call,
        plan=plan,
        seat=expert_seat,
        application=application,
        organisation=organisation,
        criteria=list(call.criteria.all()),
        question=question,
        attachment=attachment,
    )


@pytest.fixture
def declared(panel: Panel) -> Panel:
    """The same, with the expert's "no conflict" declaration."""
    Declaration.objects.create(
        expert=panel.seat,
        application=panel.application,
        conflict=False,
        declared_at=timezone.now(),
    )
    return panel


@pytest.fixture
def expert_client(client, expert, no_mfa):
    client.force_login(expert)
    return client


def drain(response):
    """Read a streamed file to its end, so the test client closes it (a bare close() would also
    close the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def set_plan(panel: Panel, **fields: Any) -> None:
    ReviewPlan.objects.filter(pk=panel.plan.pk).update(**fields)
    panel.plan.refresh_from_db()

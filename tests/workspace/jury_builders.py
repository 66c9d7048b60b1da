"""Builders for the tests of the staff's jury pages, the `assign` command and reminders: a call
in review with its whole cast (one person per role), applications, expert seats, assignments
and reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import Call, CallStatus
from baiqau.organisations.models import Organisation
from baiqau.review.models import (
    Assignment,
    Declaration,
    Expert,
    Review,
    ReviewPlan,
    ReviewStatus,
)
from tests.factories import CallFactory, OrganisationFactory, UserFactory, add_criteria, grant

ROLES = ("organiser", "secretary", "chair", "member", "observer")
PERSONAS = ("anonymous", "applicant", "expert", *ROLES, "other_staff")


def jury_call(status: str = CallStatus.IN_REVIEW, **fields: Any) -> Call:
    now = timezone.now()
    call = CallFactory(
        status=status,
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        review_ends_at=now + timedelta(days=10),
        results_at=now + timedelta(days=20),
        **fields,
    )
    add_criteria(call)
    ReviewPlan.objects.get_or_create(call=call)
    return call


def application(
    call: Call,
    title: str = "Жоба",
    *,
    organisation: Organisation | None = None,
    status: str = ApplicationStatus.IN_REVIEW,
    language: str = "kk",
    **fields: Any,
) -> Application:
    return Application.objects.create(
        call=call,
        organisation=organisation or OrganisationFactory(),
        language=language,
        title_kk=title,
        title_en=fields.pop("title_en", title),
        status=status,
        submitted_at=timezone.now(),
        **fields,
    )


def seat(call: Call, user: Any = None, **fields: Any) -> Expert:
    fields.setdefault("languages", ["kk", "ru", "en"])
    fields.setdefault("profile_done_at", timezone.now())
    return Expert.objects.create(call=call, user=user or UserFactory(), **fields)


def assign(
    expert: Expert, app: Application, *, declared: bool | None = None, **fields: Any
) -> Assignment:
    assignment = Assignment.objects.create(expert=expert, application=app, **fields)
    if declared is not None:
        Declaration.objects.create(
            expert=expert,
            application=app,
            conflict=declared,
            reason="I advise them" if declared else "",
            declared_at=timezone.now(),
        )
    return assignment


def review(expert: Expert, app: Application, status: str = ReviewStatus.SUBMITTED) -> Review:
    return Review.objects.create(
        expert=expert,
        application=app,
        status=status,
        submitted_at=timezone.now() if status == ReviewStatus.SUBMITTED else None,
    )


@dataclass
class Cast:
    call: Call
    people: dict[str, Any]
    chair_seat: Expert
    member_seat: Expert
    expert_seat: Expert

    def user(self, persona: str) -> Any:
        return self.people.get(persona)


def cast(call: Call) -> Cast:
    """One person per persona. The chair and member have a role and a seat; the expert has a
    seat but no role; `other_staff` organises another call."""
    people: dict[str, Any] = {"anonymous": None}
    for role in ROLES:
        people[role] = grant(call, UserFactory(email=f"{role}@jury.example", full_name=role), role)
    people["applicant"] = UserFactory(email="applicant@jury.example", full_name="Applicant")
    people["expert"] = UserFactory(email="expert@jury.example", full_name="Expert Only")
    people["other_staff"] = grant(
        jury_call(), UserFactory(email="other@jury.example", full_name="Other"), "organiser"
    )
    return Cast(
        call=call,
        people=people,
        chair_seat=seat(call, people["chair"], is_commission=True, is_chair=True),
        member_seat=seat(call, people["member"], is_commission=True),
        expert_seat=seat(call, people["expert"]),
    )


def url(call: Call, name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs={"slug": call.slug, **kwargs})

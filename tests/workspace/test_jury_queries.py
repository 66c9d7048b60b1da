"""The jury's list pages cost a fixed number of queries whatever the number of applications,
experts and assignments (3 and then 30 of each)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baiqau.review.models import AssignmentRun, ReviewStatus, RunStatus
from tests.factories import UserFactory
from tests.workspace.jury_builders import application, assign, cast, jury_call, review, seat, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return cast(jury_call())


@pytest.fixture
def as_chair(client, no_mfa, people):
    client.force_login(people.user("chair"))
    return client


def grow(call, count: int) -> None:
    """`count` applications, each with an expert of its own who declared and drafted or
    submitted, and one more assignment to the shared expert."""
    shared = seat(call, user=UserFactory())
    for i in range(count):
        app = application(call, f"Project {i}")
        expert = seat(call, user=UserFactory())
        expert.tags.add(*call.expertise_tags.all()[:2])
        assign(expert, app, declared=False, affinity=0.5)
        review(expert, app, ReviewStatus.SUBMITTED if i % 2 else ReviewStatus.DRAFT)
        assign(shared, app)


def queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Session, user, role with its call; the header's unread notifications, workspace and
        # expert links (6); then the page's own reads.
        ("assignments", 13),  # plan, count, page, assignments, declarations, reviews, run
        ("experts", 10),  # count, page with loads, areas, invitations
        ("review_progress", 13),  # plan, 5 of call_progress, today's reminders
    ],
)
def test_a_list_page_costs_the_same_for_3_or_30_rows(as_chair, people, name, expected):
    call = people.call
    from baiqau.review.services import expertise_tags_ensure

    expertise_tags_ensure(call)
    grow(call, 3)
    few = queries(as_chair, url(call, name))
    grow(call, 27)
    many = queries(as_chair, url(call, name))
    assert (few, many) == (expected, expected)


def test_the_proposal_page_costs_the_same_for_3_or_30_applications(as_chair, people):
    call = people.call
    helper = seat(call)

    def run_with(count: int) -> AssignmentRun:
        apps = [application(call, f"P{i}") for i in range(count)]
        return AssignmentRun.objects.create(
            call=call,
            status=RunStatus.PROPOSED,
            progress=100,
            result={
                "pairs": [[a.pk, e.pk, 0.5] for a in apps for e in (helper, people.expert_seat)],
                "summary": {},
                "problems": [],
            },
        )

    few = queries(as_chair, url(call, "assignment_run", pk=run_with(3).pk))
    many = queries(as_chair, url(call, "assignment_run", pk=run_with(30).pk))
    assert few == many

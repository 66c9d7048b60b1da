"""The decision page costs a fixed number of queries whatever the number of applications and
members: 3 applications and 3 members, then 30 applications and 7 members, each with a past
session, a conflict, a vote in progress and ballots."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.results.models import Choice
from baiqau.results.services import decision as d
from baiqau.review.models import Declaration
from tests.workspace.decision_builders import World, bring_to, decision_call, url

pytestmark = pytest.mark.django_db


def busy(applications: int, members: int, name: str, state: str = "voting") -> World:
    world = decision_call([90 - i * 2 for i in range(applications)], members=members, name=name)
    # A past session whose vote was rejected, with a dissent.
    session = d.session_open(actor=world.chair, call=world.call)
    for user in world.members[1:]:
        d.attendance_confirm(actor=user, session=session)
    motion = d.motion_open(actor=world.chair, session=session)
    for i, user in enumerate(world.members):
        choice = Choice.AGAINST if i else Choice.FOR
        d.ballot_cast(actor=user, motion=motion, choice=choice, dissent="Not yet")
    d.motion_close(actor=world.chair, motion=motion)
    d.session_close(actor=world.chair, session=session)
    # A member with a conflict, and a vote in progress with two ballots cast.
    Declaration.objects.create(
        expert=world.seat(2),
        application=world.apps[0],
        conflict=True,
        reason="Relative",
        declared_at=timezone.now(),
    )
    bring_to(world, state)
    if world.motion is not None:
        for user in world.members[:2]:
            d.ballot_cast(actor=user, motion=world.motion, choice=Choice.FOR)
    return world


def queries(client, user, target) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("state", ["voting", "open"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # Session, user, role with its call; the header's notifications, workspace and expert
        # links (3); then the page: the seat, the ranking, its awards and entries, the sessions
        # with their motions and ballots, the tallies' entries, the commission, and the quorum
        # (attendance, the ranking's applications, 5 for conflicts).
        # With no vote in progress, the chair's form asks whether a result was confirmed before.
        ("chair", 22),
        ("member", 22),
        ("organiser", 22),
    ],
)
def test_the_decision_page_costs_the_same_for_3_or_30_applications(
    client, no_mfa, state, persona, expected
):
    small = busy(3, 3, "small", state)
    large = busy(30, 7, "large", state)
    few = queries(client, small.user(persona), url(small.call, "decision"))
    many = queries(client, large.user(persona), url(large.call, "decision"))
    expected += state == "open" and persona == "chair"
    assert (few, many) == (expected, expected)


def test_the_quorum_box_costs_the_same_for_3_or_30_applications(client, no_mfa):
    small = busy(3, 3, "small")
    large = busy(30, 7, "large")
    few = queries(client, small.chair, url(small.call, "decision_quorum", pk=small.session.pk))
    many = queries(client, large.chair, url(large.call, "decision_quorum", pk=large.session.pk))
    assert few == many

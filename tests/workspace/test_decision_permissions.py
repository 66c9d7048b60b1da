"""Who may open each decision page and take each decision step: every persona × every endpoint,
with the exact status expected.

Anonymous people are sent to log in. People without an organiser, secretary or commission role
on the call (applicants, experts with a seat but no role, observers, staff of another call) get
a 404. The organiser and the secretary follow the session but take no part (403 on every
step); members confirm their attendance and vote, and only the chair opens, puts to the vote,
closes the vote and closes the session (403 for the other members).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants, get_messages

from baiqau.results.models import Attendance, DecisionSession, Motion, MotionResult
from baiqau.results.services import decision as d
from baiqau.review.models import Expert
from tests.factories import grant
from tests.workspace.decision_builders import PERSONAS, bring_to, decision_call, url

pytestmark = pytest.mark.django_db

OK, MOVED, FORBIDDEN, MISSING = 200, 302, 403, 404
VIEWERS = ("organiser", "secretary", "chair", "member")


def expect(**statuses: int) -> dict[str, int]:
    """404 for everyone without a role the page is for; the login page for anonymous people;
    `statuses` for the viewers."""
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED
    table.update(statuses)
    return table


SEE = expect(organiser=OK, secretary=OK, chair=OK, member=OK)
CHAIR_PAGE = expect(organiser=FORBIDDEN, secretary=FORBIDDEN, chair=OK, member=FORBIDDEN)
CHAIR_ACTS = expect(organiser=FORBIDDEN, secretary=FORBIDDEN, chair=MOVED, member=FORBIDDEN)
MEMBERS_ACT = expect(organiser=FORBIDDEN, secretary=FORBIDDEN, chair=MOVED, member=MOVED)


def _session(w: Any) -> int:
    return w.session.pk


def _motion(w: Any) -> int:
    return w.motion.pk


def _votes(w: Any) -> dict[str, str]:
    return {f"ties-votes_{w.apps[1].pk}": "1", f"ties-votes_{w.apps[2].pk}": "4"}


# (case id, state of the world, method, url name, pk, POST data, expected statuses)
CASES: list[tuple[str, str, str, str, Any, Any, dict[str, int]]] = [
    ("page-no-session", "none", "get", "decision", None, None, SEE),
    ("page-voting", "voting", "get", "decision", None, None, SEE),
    ("page-confirmed", "confirmed", "get", "decision", None, None, SEE),
    ("quorum-box", "open", "get", "decision_quorum", _session, None, SEE),
    ("open", "none", "post", "decision_open", None, lambda w: {}, CHAIR_ACTS),
    ("attend", "open", "post", "decision_attend", _session, lambda w: {}, MEMBERS_ACT),
    ("tie-votes", "open", "post", "decision_tie_votes", _session, _votes, CHAIR_ACTS),
    (
        "motion",
        "open",
        "post",
        "decision_motion",
        _session,
        lambda w: {"motion-reason": ""},
        CHAIR_ACTS,
    ),
    (
        "change",
        "confirmed",
        "post",
        "decision_change",
        _session,
        lambda w: {"change-reason": "A score was mistyped"},
        CHAIR_ACTS,
    ),
    (
        "vote",
        "voting",
        "post",
        "decision_vote",
        _motion,
        lambda w: {"ballot-choice": "for", "ballot-dissent": ""},
        MEMBERS_ACT,
    ),
    ("vote-close-confirm", "voting", "get", "decision_motion_close", _motion, None, CHAIR_PAGE),
    (
        "vote-close",
        "voted",
        "post",
        "decision_motion_close",
        _motion,
        lambda w: {},
        CHAIR_ACTS,
    ),
    ("session-close-confirm", "open", "get", "decision_close", _session, None, CHAIR_PAGE),
    ("session-close", "open", "post", "decision_close", _session, lambda w: {}, CHAIR_ACTS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("state", "method", "name", "pk", "make_data", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, no_mfa, persona, state, method, name, pk, make_data, expected):
    world = bring_to(decision_call(), state)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    kwargs = {"pk": pk(world)} if pk else {}
    target = url(world.call, name, **kwargs)
    response = client.get(target) if method == "get" else client.post(target, make_data(world))
    assert response.status_code == expected[persona], (persona, target, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    elif response.status_code == MOVED:
        # Allowed and done: not a refusal sent back as a warning or an error.
        told = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        assert told and all(level < constants.WARNING for level, _text in told), told


def test_the_steps_allowed_in_the_matrix_really_happen(client, no_mfa):
    world = bring_to(decision_call(), "none")
    client.force_login(world.chair)
    client.post(url(world.call, "decision_open"))
    session = DecisionSession.objects.get(call=world.call)
    client.force_login(world.user("member"))
    client.post(url(world.call, "decision_attend", pk=session.pk))
    assert Attendance.objects.filter(session=session, member=world.seat(1)).exists()
    for user in world.members[2:]:
        client.force_login(user)
        client.post(url(world.call, "decision_attend", pk=session.pk))
    client.force_login(world.chair)
    client.post(url(world.call, "decision_motion", pk=session.pk), {"motion-reason": ""})
    motion = Motion.objects.get(session=session)
    for user in world.members:
        client.force_login(user)
        client.post(url(world.call, "decision_vote", pk=motion.pk), {"ballot-choice": "for"})
    assert motion.ballots.count() == 5
    client.force_login(world.chair)
    client.post(url(world.call, "decision_motion_close", pk=motion.pk))
    motion.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED


def test_staff_without_a_seat_may_not_act_and_a_chair_role_without_the_chair_seat_neither(
    client, no_mfa
):
    """The seat on the commission decides, not the workspace role: a "member" whose seat was
    removed cannot attend; a "chair" whose seat is not the chair's cannot open a session."""
    world = bring_to(decision_call(), "none")
    Expert.objects.filter(pk=world.seat(1).pk).update(is_commission=False)
    Expert.objects.filter(pk=world.seat(0).pk).update(is_chair=False)
    client.force_login(world.chair)
    assert client.post(url(world.call, "decision_open")).status_code == FORBIDDEN
    assert not DecisionSession.objects.exists()
    # An organiser who also sits on the commission votes as a member.
    Expert.objects.filter(pk=world.seat(2).pk).update(is_chair=True)
    organiser = world.user("organiser")
    seat = Expert.objects.create(call=world.call, user=organiser, is_commission=True)
    world.session = d.session_open(actor=world.members[2], call=world.call)
    client.force_login(world.user("member"))
    target = url(world.call, "decision_attend", pk=world.session.pk)
    assert client.post(target).status_code == FORBIDDEN
    client.force_login(organiser)
    assert client.post(target).status_code == MOVED
    assert Attendance.objects.filter(session=world.session, member=seat).exists()
    grant(world.call, organiser, "secretary")
    assert client.post(target).status_code == MOVED

"""The commission's decision pages: the whole session through the views (the chair opens,
members attend and vote with dissent, the chair closes the vote and the session, the result is
confirmed), tie votes, changes, refusals shown with the typed text kept, and other calls'
objects."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from baiqau.audit.models import AuditEvent
from baiqau.results.models import (
    Attendance,
    Ballot,
    Choice,
    DecisionSession,
    Motion,
    MotionKind,
    MotionResult,
    Ranking,
    SessionStatus,
)
from baiqau.results.services import decision as d
from baiqau.review.models import Declaration, Expert, Score
from tests.factories import UserFactory
from tests.workspace.decision_builders import bring_to, decision_call, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value)


@pytest.fixture
def world(db):
    return decision_call((9, 7, 5))


@pytest.fixture
def as_(client, no_mfa, world):
    def login(who):
        client.force_login(who if not isinstance(who, str) else world.user(who))
        return client

    return login


def test_the_whole_session_through_the_pages(as_, world):
    call = world.call
    page = url(call, "decision")
    # No session yet: the chair sees the button, a member is told the chair opens one.
    member_page = text(as_("member").get(page))
    assert "No decision session is open" in member_page
    assert "Open a decision session" not in member_page
    chair = as_("chair")
    assert "Open a decision session" in text(chair.get(page))
    response = chair.post(url(call, "decision_open"))
    assert response.status_code == 302 and response["Location"] == page
    session = DecisionSession.objects.get(call=call)
    assert session.status == SessionStatus.OPEN
    # Members confirm their attendance.
    for member in world.members[1:]:
        client = as_(member)
        assert "Confirm my attendance" in text(client.get(page))
        response = client.post(url(call, "decision_attend", pk=session.pk))
        assert response.status_code == 302
        assert told(response) == ["Your attendance is confirmed."]
        assert "Confirm my attendance" not in text(client.get(page))
    assert Attendance.objects.filter(session=session).count() == 5
    body = squash(text(as_("organiser").get(page)))
    assert "Present: 5 of 5." in body
    assert "The session is quorate: the commission may vote." in body
    # The chair puts the ranking to the vote.
    chair = as_("chair")
    response = chair.post(url(call, "decision_motion", pk=session.pk), {"motion-reason": ""})
    assert response.status_code == 302
    motion = Motion.objects.get(session=session)
    # Members vote; one against with a dissenting opinion, then changes their mind once.
    for i, member in enumerate(world.members):
        client = as_(member)
        choice = "against" if i == 4 else "for"
        dissent = "Project 2 deserved more." if i == 4 else ""
        response = client.post(
            url(call, "decision_vote", pk=motion.pk),
            {"ballot-choice": choice, "ballot-dissent": dissent},
        )
        assert response.status_code == 302, text(response)
    client = as_(world.members[4])
    body = squash(text(client.get(page)))
    assert "Your vote: Against." in body
    assert "Your dissenting opinion: Project 2 deserved more." in body
    assert "5 of 5 present members have voted." in body
    # The organiser sees how many voted, not how.
    organiser_page = squash(text(as_("organiser").get(page)))
    assert "5 of 5 present members have voted." in organiser_page
    assert "Project 2 deserved more." not in organiser_page
    # The chair confirms closing the vote.
    chair = as_("chair")
    close = url(call, "decision_motion_close", pk=motion.pk)
    confirm = squash(text(chair.get(close)))
    assert "Close the vote and count it?" in confirm
    assert "5 of 5 present members have voted." in confirm
    assert Motion.objects.get().result == MotionResult.PENDING
    response = chair.post(close)
    assert told(response) == ["The vote is closed: the motion was adopted. The result stands."]
    motion.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED
    assert world.ranking().confirmed_at == motion.closed_at
    body = squash(text(chair.get(page)))
    assert "Adopted: the commission confirmed this ranking and its awards." in body
    assert "Votes: 4 for, 1 against, 0 abstaining." in body
    assert "<strong>Member 4</strong> (Against): Project 2 deserved more." in body
    assert "Confirmed by the commission" in body
    # The chair closes the session after a confirmation step.
    session_close = url(call, "decision_close", pk=session.pk)
    assert "Close the decision session?" in text(chair.get(session_close))
    response = chair.post(session_close)
    assert told(response) == ["The decision session is closed."]
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    body = squash(text(as_("secretary").get(page)))
    assert "No decision session is open" in body
    assert "Confirm the ranking and awards — Adopted" in body
    assert "Project 2 deserved more." in body
    actions = list(
        AuditEvent.objects.filter(action__startswith="decision.").values_list("action", flat=True)
    )
    assert actions == [
        "decision.session_opened",
        *["decision.attendance_confirmed"] * 4,
        "decision.motion_opened",
        *["decision.ballot_cast"] * 5,
        "decision.motion_closed",
        "decision.session_closed",
    ]


def test_a_member_changes_their_vote_on_the_page(as_, world):
    bring_to(world, "voting")
    client = as_("member")
    target = url(world.call, "decision_vote", pk=world.motion.pk)
    client.post(target, {"ballot-choice": "against", "ballot-dissent": "Too early"})
    body = text(client.get(url(world.call, "decision")))
    assert "Your vote: Against." in body
    # The form shows the vote cast, to change it.
    assert 'value="against" id="id_ballot-choice_1" required checked' in body
    assert ">\nToo early</textarea>" in body
    assert "Change my vote" in body
    client.post(target, {"ballot-choice": "for", "ballot-dissent": ""})
    assert list(Ballot.objects.values_list("choice", "dissent")) == [("for", "")]
    # Sent twice: recorded once.
    response = client.post(target, {"ballot-choice": "for", "ballot-dissent": ""})
    assert told(response)[-1] == "Your vote is recorded already."
    assert list(
        AuditEvent.objects.filter(action__startswith="decision.ballot").values_list(
            "action", flat=True
        )
    ) == ["decision.ballot_cast", "decision.ballot_changed"]


def test_a_vote_against_without_dissent_is_shown_again_with_the_choice(as_, world):
    bring_to(world, "voting")
    client = as_("member")
    response = client.post(
        url(world.call, "decision_vote", pk=world.motion.pk),
        {"ballot-choice": "against", "ballot-dissent": "   "},
    )
    assert response.status_code == 400
    body = text(response)
    assert "A vote against needs your dissenting opinion; it goes into the protocol." in body
    assert 'value="against" id="id_ballot-choice_1" required checked' in body
    assert not Ballot.objects.exists()


def test_a_refused_vote_keeps_the_dissent_typed(as_, world):
    # The member did not confirm attendance: the service refuses; the text is not lost.
    bring_to(world, "open")
    Attendance.objects.filter(member=world.seat(1)).delete()
    world.motion = d.motion_open(actor=world.chair, session=world.session)
    client = as_("member")
    response = client.post(
        url(world.call, "decision_vote", pk=world.motion.pk),
        {"ballot-choice": "against", "ballot-dissent": "Мен қарсымын: балл дұрыс емес."},
    )
    assert response.status_code == 400
    body = text(response)
    assert "Confirm your attendance before voting." in body
    assert "Мен қарсымын: балл дұрыс емес.</textarea>" in body
    assert "Confirm my attendance" in body
    assert not Ballot.objects.exists()


def test_a_motion_without_quorum_is_refused_with_the_reason_kept(as_, world):
    world.session = d.session_open(actor=world.chair, call=world.call)
    d.attendance_confirm(actor=world.members[1], session=world.session)
    client = as_("chair")
    response = client.post(
        url(world.call, "decision_motion", pk=world.session.pk),
        {"motion-reason": "Бірінші отырыс"},
    )
    assert response.status_code == 400
    body = squash(text(response))
    assert "The session is not quorate: 2 present, the quorum is 3." in body
    assert "Бірінші отырыс</textarea>" in body
    assert "The session is not quorate: the commission cannot vote yet." in body
    assert not Motion.objects.exists()


def test_a_conflict_is_shown_in_the_quorum_box(as_, world):
    conflicted = world.apps[1]
    Declaration.objects.create(
        expert=world.seat(2),
        application=conflicted,
        conflict=True,
        reason="Relative",
        declared_at=timezone.now(),
    )
    world.session = d.session_open(actor=world.chair, call=world.call)
    for member in world.members[1:3]:
        d.attendance_confirm(actor=member, session=world.session)
    body = squash(text(as_("secretary").get(url(world.call, "decision"))))
    assert (
        "Member 2 has a conflict with the application “Project 1” and does not decide it." in body
    )
    assert "Applications without a quorum" in body
    assert "Present: 3 of 5." in body
    assert "The session is not quorate: the commission cannot vote yet." in body
    # The box alone, as the page refreshes it.
    box = squash(text(as_("member").get(url(world.call, "decision_quorum", pk=world.session.pk))))
    assert box.startswith('<div id="quorum-box"')
    assert "Member 2 has a conflict with the application “Project 1”" in box
    d.attendance_confirm(actor=world.members[3], session=world.session)
    box = squash(text(as_("member").get(url(world.call, "decision_quorum", pk=world.session.pk))))
    assert "The session is quorate: the commission may vote." in box
    assert "Applications without a quorum" not in box


def test_a_rejected_vote_is_shown_in_words_and_leaves_the_ranking_unconfirmed(as_, world):
    bring_to(world, "voting")
    for i, member in enumerate(world.members):
        choice = Choice.FOR if i < 2 else Choice.ABSTAIN
        d.ballot_cast(actor=member, motion=world.motion, choice=choice)
    response = as_("chair").post(url(world.call, "decision_motion_close", pk=world.motion.pk))
    assert told(response) == ["The vote is closed: the motion was rejected."]
    assert world.ranking().confirmed_at is None
    body = squash(text(as_("chair").get(url(world.call, "decision"))))
    assert "Rejected: the commission did not confirm this ranking." in body
    assert "Votes: 2 for, 0 against, 3 abstaining." in body
    assert "Put the ranking to the vote" in body


def test_opening_is_disabled_and_refused_while_the_commission_is_even(as_, world):
    Expert.objects.create(call=world.call, user=UserFactory(), is_commission=True)
    client = as_("chair")
    body = squash(text(client.get(url(world.call, "decision"))))
    assert (
        "The commission has 6 members: it needs an odd number, so that a vote cannot tie." in body
    )
    assert '<button type="submit" disabled aria-describedby="open-help">' in body
    response = client.post(url(world.call, "decision_open"))
    assert response.status_code == 302
    assert told(response) == [
        "The commission has 6 members: it needs an odd number, so that a vote cannot tie."
    ]
    assert not DecisionSession.objects.exists()


def test_opening_without_a_ranking_is_disabled(as_, world):
    Ranking.objects.all().delete()
    body = squash(text(as_("chair").get(url(world.call, "decision"))))
    assert "There is no ranking yet" in body
    assert "disabled" in body


def test_opening_twice_is_harmless(as_, world):
    client = as_("chair")
    client.post(url(world.call, "decision_open"))
    response = client.post(url(world.call, "decision_open"))
    assert response.status_code == 302
    assert told(response)[-1] == "A decision session is already open."
    assert DecisionSession.objects.count() == 1


def test_closing_a_vote_twice_or_a_session_twice_is_harmless(as_, world):
    bring_to(world, "voting")
    client = as_("chair")
    close = url(world.call, "decision_motion_close", pk=world.motion.pk)
    client.post(close)
    response = client.post(close)
    assert told(response)[-1] == "This vote is closed."
    assert AuditEvent.objects.filter(action="decision.motion_closed").count() == 1
    session_close = url(world.call, "decision_close", pk=world.session.pk)
    client.post(session_close)
    response = client.post(session_close)
    assert told(response)[-1] == "This session is closed."
    assert AuditEvent.objects.filter(action="decision.session_closed").count() == 1


def test_the_session_cannot_close_during_a_vote(as_, world):
    bring_to(world, "voting")
    client = as_("chair")
    target = url(world.call, "decision_close", pk=world.session.pk)
    assert "A vote is in progress: close the vote first." in text(client.get(target))
    response = client.post(target)
    assert told(response) == ["Close the vote in progress first."]
    world.session.refresh_from_db()
    assert world.session.status == SessionStatus.OPEN


def test_putting_to_the_vote_twice_is_harmless(as_, world):
    bring_to(world, "open")
    client = as_("chair")
    target = url(world.call, "decision_motion", pk=world.session.pk)
    client.post(target, {"motion-reason": ""})
    response = client.post(target, {"motion-reason": ""})
    assert response.status_code == 302
    assert told(response)[-1] == "A vote is already in progress."
    assert Motion.objects.count() == 1


# --- Tie votes -------------------------------------------------------------------------------


@pytest.fixture
def tied(db):
    return bring_to(decision_call((9, 7, 7, 3), name="tie"), "open")


def test_the_chair_records_tie_votes_and_the_ranking_is_computed_again(client, no_mfa, tied):
    client.force_login(tied.chair)
    page = url(tied.call, "decision")
    a, b = tied.apps[1], tied.apps[2]
    body = squash(text(client.get(page)))
    assert "Tied at position 2 — waiting for the votes" in body
    assert f'name="ties-votes_{a.pk}"' in body and f'name="ties-votes_{b.pk}"' in body
    before = tied.ranking()
    target = url(tied.call, "decision_tie_votes", pk=tied.session.pk)
    response = client.post(target, {f"ties-votes_{a.pk}": "2", f"ties-votes_{b.pk}": "3"})
    assert told(response) == ["The tie votes are recorded and the ranking was computed again."]
    after = tied.ranking()
    assert after != before and after.votes == {str(a.pk): 2, str(b.pk): 3}
    assert [(e.application, e.position) for e in after.entries.all()] == [
        (tied.apps[0], 1),
        (b, 2),
        (a, 3),
        (tied.apps[3], 4),
    ]
    body = squash(text(client.get(page)))
    assert "Place 3: 500 000 ₸" in body
    assert f'name="ties-votes_{a.pk}" value="2"' in body  # the votes recorded, to correct
    client.force_login(tied.user("member"))
    body = squash(text(client.get(page)))
    assert "Tied at position 2: Project 2 (3 votes), Project 1 (2 votes)" in body
    assert "waiting for the votes" not in body
    client.force_login(tied.chair)
    # The same votes again change nothing.
    response = client.post(target, {f"ties-votes_{a.pk}": "2", f"ties-votes_{b.pk}": "3"})
    assert told(response) == ["These votes are recorded already."]
    assert Ranking.objects.filter(call=tied.call).count() == 2
    computed = AuditEvent.objects.filter(action="ranking.computed").last()
    assert computed.data["votes"] == {str(a.pk): 2, str(b.pk): 3}


def test_tie_votes_that_are_not_numbers_are_shown_again(client, no_mfa, tied):
    client.force_login(tied.chair)
    a, b = tied.apps[1], tied.apps[2]
    response = client.post(
        url(tied.call, "decision_tie_votes", pk=tied.session.pk),
        {f"ties-votes_{a.pk}": "-1", f"ties-votes_{b.pk}": "бес"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "Ensure this value is greater than or equal to 0." in body
    assert "Enter a whole number." in body
    assert f'name="ties-votes_{a.pk}" value="-1"' in body
    assert f'name="ties-votes_{b.pk}" value="бес"' in body
    assert Ranking.objects.filter(call=tied.call).count() == 1


def test_tie_votes_are_refused_during_a_vote(client, no_mfa, tied):
    tied.motion = d.motion_open(actor=tied.chair, session=tied.session)
    client.force_login(tied.chair)
    a, b = tied.apps[1], tied.apps[2]
    response = client.post(
        url(tied.call, "decision_tie_votes", pk=tied.session.pk),
        {f"ties-votes_{a.pk}": "1", f"ties-votes_{b.pk}": "4"},
    )
    assert response.status_code == 400
    assert "Close the vote in progress first." in text(response)
    assert Ranking.objects.filter(call=tied.call).count() == 1


def test_no_tie_no_tie_votes(as_, world):
    bring_to(world, "open")
    client = as_("chair")
    assert "Ties left to the commission" not in text(client.get(url(world.call, "decision")))
    response = client.post(url(world.call, "decision_tie_votes", pk=world.session.pk), {})
    assert told(response) == ["No tie of the current ranking is left to the commission."]


# --- Changing a confirmed result -------------------------------------------------------------


def test_a_confirmed_result_changes_through_a_reasoned_new_vote(as_, world):
    bring_to(world, "confirmed")
    client = as_("chair")
    page = url(world.call, "decision")
    body = text(client.get(page))
    assert "Change the confirmed result" in body
    assert "Put the ranking to the vote" not in body
    target = url(world.call, "decision_change", pk=world.session.pk)
    response = client.post(target, {"change-reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    Score.objects.filter(review__application=world.apps[2]).update(value=8)
    response = client.post(target, {"change-reason": "Бағалау қатесі түзетілді"})
    assert told(response) == ["The ranking was computed again and the change is put to the vote."]
    change = Motion.objects.get(kind=MotionKind.CHANGE)
    assert (change.reason, change.result) == ("Бағалау қатесі түзетілді", MotionResult.PENDING)
    body = squash(text(client.get(page)))
    assert "The commission is voting on: Change a confirmed result." in body
    assert "Reason: Бағалау қатесі түзетілді" in body
    # Sent twice: one change, one new ranking.
    response = client.post(target, {"change-reason": "Бағалау қатесі түзетілді"})
    assert response.status_code == 302
    assert told(response)[-1] == "A vote is already in progress."
    assert Ranking.objects.filter(call=world.call).count() == 2


def test_a_change_is_refused_with_the_reason_kept_when_the_quorum_is_gone(as_, world):
    bring_to(world, "confirmed")
    for i in (1, 2, 3):
        Expert.objects.filter(pk=world.seat(i).pk).update(status="withdrawn")
    client = as_("chair")
    response = client.post(
        url(world.call, "decision_change", pk=world.session.pk),
        {"change-reason": "Reason typed with care"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "The session is not quorate: 2 present, the quorum is 3." in body
    assert "Reason typed with care</textarea>" in body
    # Nothing was recomputed: the refusal rolled the new ranking back.
    assert Ranking.objects.filter(call=world.call).count() == 1


def test_a_new_ranking_after_confirmation_needs_a_reason_on_the_page(as_, world):
    from baiqau.results.services import ranking_compute

    bring_to(world, "confirmed")
    ranking_compute(actor=world.user("organiser"), call=world.call, reason="Recounted")
    client = as_("chair")
    body = text(client.get(url(world.call, "decision")))
    assert "The commission confirmed a result before" in body
    response = client.post(
        url(world.call, "decision_motion", pk=world.session.pk), {"motion-reason": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in text(response)


# --- Other calls' objects and navigation ------------------------------------------------------


def test_another_call_s_session_and_motion_are_not_found(as_, world):
    other = bring_to(decision_call((8, 6, 4), name="other"), "voting")
    bring_to(world, "open")
    client = as_("chair")
    session, motion = other.session.pk, other.motion.pk
    for name, pk, method in [
        ("decision_quorum", session, "get"),
        ("decision_attend", session, "post"),
        ("decision_tie_votes", session, "post"),
        ("decision_motion", session, "post"),
        ("decision_change", session, "post"),
        ("decision_close", session, "get"),
        ("decision_close", session, "post"),
        ("decision_vote", motion, "post"),
        ("decision_motion_close", motion, "get"),
        ("decision_motion_close", motion, "post"),
    ]:
        target = url(world.call, name, pk=pk)
        response = getattr(client, method)(target, {"ballot-choice": "for"})
        assert response.status_code == 404, (name, method)
    assert Motion.objects.get(pk=motion).result == MotionResult.PENDING
    assert DecisionSession.objects.get(pk=session).status == SessionStatus.OPEN


def test_unknown_ids_are_not_found(as_, world):
    client = as_("chair")
    assert client.get(url(world.call, "decision_close", pk=999)).status_code == 404
    assert client.post(url(world.call, "decision_vote", pk=999)).status_code == 404


def test_the_menu_shows_the_decision_to_the_commission_and_staff_only(as_, world):
    link = f'href="{url(world.call, "decision")}"'
    for persona in ("organiser", "secretary", "chair", "member"):
        assert link in text(as_(persona).get(url(world.call, "applications"))), persona
    assert link not in text(as_("observer").get(url(world.call, "applications")))
    current = text(as_("member").get(url(world.call, "decision")))
    assert f'{link} aria-current="page"' in current


def test_the_page_in_kazakh(as_, world):
    bring_to(world, "voting")
    response = as_("member").get(url(world.call, "decision", language="kk"))
    assert response.status_code == 200
    assert 'lang="kk"' in text(response)

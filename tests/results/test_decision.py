"""The commission's decision session: opening, attendance, the quorum with conflicted members
left out per application, votes with dissent, confirmation, changes and tie votes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baiqau.applications.models import Application
from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_verify
from baiqau.core.errors import DomainError
from baiqau.results.models import (
    Attendance,
    Ballot,
    Choice,
    DecisionSession,
    Motion,
    MotionKind,
    MotionResult,
    Ranking,
    ResultRules,
    SessionStatus,
)
from baiqau.results.services import decision as d
from baiqau.results.services import ranking_compute, results_publish
from baiqau.review.models import Declaration, Expert, ExpertStatus, ReviewPlan, Score
from tests.factories import UserFactory, call_in_review_with_scores, grant, member_of

pytestmark = pytest.mark.django_db


class Commission:
    """A call in review scored by its commission; the first member chairs."""

    def __init__(
        self, scores: list[int], members: int = 5, *, chair: bool = True, name: str = "c"
    ) -> None:
        self.users = [
            UserFactory(email=f"{name}-member{i}@decision.example", full_name=f"Member {i}")
            for i in range(members)
        ]
        self.call = call_in_review_with_scores(
            [[s] * 3 * members for s in scores], expert_users=self.users
        )
        # Few resamples: the rank intervals are not what these tests are about.
        ResultRules.objects.update_or_create(
            call=self.call, defaults={"tie_break": ["vote"], "resamples": 20}
        )
        if chair:
            Expert.objects.filter(call=self.call, user=self.users[0]).update(is_chair=True)
        self.apps = list(Application.objects.filter(call=self.call).order_by("pk"))
        self.organiser = grant(self.call, UserFactory(email=f"{name}-org@decision.example"))

    @property
    def chair(self):
        return self.users[0]

    def seat(self, i: int) -> Expert:
        return Expert.objects.get(call=self.call, user=self.users[i])

    def rank(self) -> Ranking:
        return ranking_compute(actor=self.organiser, call=self.call)

    def open(self, present: int | None = None) -> DecisionSession:
        session = d.session_open(actor=self.chair, call=self.call)
        for user in self.users[1 : present if present is not None else len(self.users)]:
            d.attendance_confirm(actor=user, session=session)
        return session

    def vote(self, motion: Motion, choices: dict[int, str], dissent: str = "") -> None:
        for i, choice in choices.items():
            d.ballot_cast(
                actor=self.users[i],
                motion=motion,
                choice=choice,
                dissent=dissent if choice == Choice.AGAINST else "",
            )


def refused(code: str, call, /, **kwargs):
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value.message


# --- Opening ---------------------------------------------------------------------------------


def test_the_chair_opens_a_session_and_is_present():
    c = Commission([9, 7, 5])
    c.rank()
    session = d.session_open(actor=c.chair, call=c.call)
    assert (session.status, session.quorum, session.opened_by) == (
        SessionStatus.OPEN,
        3,
        c.chair,
    )
    assert [a.member for a in Attendance.objects.filter(session=session)] == [c.seat(0)]
    event = AuditEvent.objects.get(action="decision.session_opened")
    assert event.data == {
        "call": c.call.slug,
        "quorum": 3,
        "commission": [m.pk for m in d.commission(c.call)],
    }


def test_opening_is_refused_for_an_even_commission():
    c = Commission([9, 7], members=4)
    c.rank()
    message = refused("commission", d.session_open, actor=c.chair, call=c.call)
    assert message == (
        "The commission has 4 members: it needs an odd number, so that a vote cannot tie."
    )
    assert not DecisionSession.objects.exists()


def test_opening_is_refused_without_a_chair():
    c = Commission([9, 7], chair=False)
    c.rank()
    message = refused("not_member", d.session_open, actor=c.users[0], call=c.call)
    assert message == "Only the chair of the commission can do this."


def test_opening_is_refused_to_a_member_who_is_not_the_chair():
    c = Commission([9, 7])
    c.rank()
    refused("not_member", d.session_open, actor=c.users[1], call=c.call)
    refused("not_member", d.session_open, actor=c.organiser, call=c.call)


def test_opening_is_refused_when_the_quorum_exceeds_the_commission():
    c = Commission([9, 7])
    c.rank()
    ReviewPlan.objects.update_or_create(call=c.call, defaults={"quorum": 6})
    message = refused("commission", d.session_open, actor=c.chair, call=c.call)
    assert message == "The quorum (6) is larger than the commission (5)."


def test_opening_is_refused_without_a_ranking():
    c = Commission([9, 7])
    message = refused("no_ranking", d.session_open, actor=c.chair, call=c.call)
    assert message == "Compute the ranking before opening a decision session."


def test_opening_twice_is_refused():
    c = Commission([9, 7])
    c.rank()
    first = d.session_open(actor=c.chair, call=c.call)
    refused("open", d.session_open, actor=c.chair, call=c.call)
    assert list(DecisionSession.objects.all()) == [first]


def test_the_plan_s_quorum_is_the_session_s():
    c = Commission([9, 7])
    c.rank()
    ReviewPlan.objects.update_or_create(call=c.call, defaults={"quorum": 4})
    assert d.session_open(actor=c.chair, call=c.call).quorum == 4


# --- Attendance ------------------------------------------------------------------------------


def test_members_confirm_their_own_attendance_once():
    c = Commission([9, 7])
    c.rank()
    session = d.session_open(actor=c.chair, call=c.call)
    first = d.attendance_confirm(actor=c.users[1], session=session)
    again = d.attendance_confirm(actor=c.users[1], session=session)
    assert first == again
    assert Attendance.objects.filter(session=session).count() == 2
    events = AuditEvent.objects.filter(action="decision.attendance_confirmed")
    assert [e.data for e in events] == [{"member": c.seat(1).pk}]


@pytest.mark.parametrize("who", ["stranger", "organiser", "expert_only", "withdrawn"])
def test_attendance_by_someone_not_on_the_commission_is_refused(who):
    c = Commission([9, 7])
    c.rank()
    session = d.session_open(actor=c.chair, call=c.call)
    if who == "stranger":
        actor = UserFactory()
    elif who == "organiser":
        actor = c.organiser
    elif who == "expert_only":
        actor = UserFactory()
        Expert.objects.create(call=c.call, user=actor, is_commission=False)
    else:
        actor = c.users[2]
        Expert.objects.filter(pk=c.seat(2).pk).update(
            status=ExpertStatus.WITHDRAWN, withdrawn_at=timezone.now()
        )
    message = refused("not_member", d.attendance_confirm, actor=actor, session=session)
    assert message == "Only members of the commission can do this."
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_member_of_another_call_s_commission_cannot_attend():
    c = Commission([9, 7])
    other = Commission([8, 6], name="other")
    c.rank()
    session = d.session_open(actor=c.chair, call=c.call)
    refused("not_member", d.attendance_confirm, actor=other.users[1], session=session)


def test_attendance_in_a_closed_session_is_refused():
    c = Commission([9, 7])
    c.rank()
    session = d.session_open(actor=c.chair, call=c.call)
    d.session_close(actor=c.chair, session=session)
    assert refused("closed", d.attendance_confirm, actor=c.users[1], session=session) == (
        "This session is closed."
    )


# --- The quorum ------------------------------------------------------------------------------


def test_without_the_quorum_the_motion_is_refused_with_the_numbers():
    c = Commission([9, 7, 5])
    c.rank()
    session = c.open(present=2)
    message = refused("quorum", d.motion_open, actor=c.chair, session=session)
    assert message == "The session is not quorate: 2 present, the quorum is 3."
    assert not Motion.objects.exists()
    d.attendance_confirm(actor=c.users[2], session=session)
    assert d.motion_open(actor=c.chair, session=session).result == MotionResult.PENDING


def conflict(c: Commission, member: int, application: Application, how: str) -> None:
    seat = c.seat(member)
    if how == "declared":
        Declaration.objects.create(
            expert=seat,
            application=application,
            conflict=True,
            reason="My sister runs it",
            declared_at=timezone.now(),
        )
    else:
        member_of(seat.user, application.organisation)


@pytest.mark.parametrize("how", ["declared", "member"])
def test_a_conflicted_member_is_left_out_for_that_application_only(how):
    c = Commission([9, 7, 5])
    ranking = c.rank()
    conflicted = c.apps[1]
    conflict(c, 2, conflicted, how)
    session = c.open(present=3)
    state = d.quorum_state(session)
    assert [m.pk for m in state.present] == [c.seat(i).pk for i in range(3)]
    assert state.excluded == {conflicted.pk: [c.seat(2)]}
    assert state.eligible == {
        c.apps[0].pk: 3,
        conflicted.pk: 2,
        c.apps[2].pk: 3,
    }
    assert (state.short, state.quorate) == ([conflicted.pk], False)
    message = refused("quorum", d.motion_open, actor=c.chair, session=session)
    assert message == (
        "The session is not quorate for 1 application(s): with the members who have a "
        "conflict with them excluded, fewer than 3 may decide them."
    )
    d.attendance_confirm(actor=c.users[3], session=session)
    state = d.quorum_state(session, ranking)
    assert state.eligible[conflicted.pk] == 3
    assert state.eligible[c.apps[0].pk] == 4
    assert (state.short, state.quorate) == ([], True)
    assert d.motion_open(actor=c.chair, session=session).kind == MotionKind.CONFIRM


def test_the_conflicted_member_s_ballot_does_not_count_for_that_application():
    c = Commission([9, 7, 5])
    c.rank()
    conflicted = c.apps[1]
    conflict(c, 4, conflicted, "member")
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, {0: "for", 1: "for", 2: "for", 3: "abstain", 4: "against"}, "Too generous")
    motion = d.motion_close(actor=c.chair, motion=motion)
    assert motion.tally == {
        str(c.apps[0].pk): {"for": 3, "against": 1, "abstain": 1, "excluded": 0, "eligible": 5},
        str(conflicted.pk): {"for": 3, "against": 0, "abstain": 1, "excluded": 1, "eligible": 4},
        str(c.apps[2].pk): {"for": 3, "against": 1, "abstain": 1, "excluded": 0, "eligible": 5},
    }
    assert motion.result == MotionResult.ADOPTED


def test_the_conflicted_member_s_vote_cannot_carry_the_application():
    # 3 present, one conflicted with an application: 2 may decide it, 1 votes for.
    c = Commission([9, 7, 5])
    c.rank()
    conflict(c, 2, c.apps[0], "declared")
    session = c.open(present=4)
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, {0: "for", 1: "abstain", 2: "for", 3: "for"})
    motion = d.motion_close(actor=c.chair, motion=motion)
    assert motion.tally[str(c.apps[0].pk)] == {
        "for": 2,
        "against": 0,
        "abstain": 1,
        "excluded": 1,
        "eligible": 3,
    }
    assert motion.result == MotionResult.ADOPTED  # 2 of 3 eligible: more than half


def test_quorum_state_costs_the_same_for_3_or_5_present(django_assert_num_queries):
    c = Commission([9, 7, 5, 3])
    ranking = c.rank()
    few = c.open(present=3)
    with django_assert_num_queries(7):
        d.quorum_state(few, ranking)
    for user in c.users[3:]:
        d.attendance_confirm(actor=user, session=few)
    with django_assert_num_queries(7):
        assert len(d.quorum_state(few, ranking).present) == 5


# --- Ballots ---------------------------------------------------------------------------------


def test_a_vote_against_needs_a_dissenting_opinion():
    c = Commission([9, 7])
    c.rank()
    motion = d.motion_open(actor=c.chair, session=c.open())
    message = refused(
        "dissent", d.ballot_cast, actor=c.users[1], motion=motion, choice="against", dissent="  "
    )
    assert message == ("A vote against needs your dissenting opinion; it goes into the protocol.")
    assert not Ballot.objects.exists()
    ballot = d.ballot_cast(
        actor=c.users[1], motion=motion, choice="against", dissent=" Project 1 is weak. "
    )
    assert (ballot.choice, ballot.dissent, ballot.member) == (
        Choice.AGAINST,
        "Project 1 is weak.",
        c.seat(1),
    )
    event = AuditEvent.objects.get(action="decision.ballot_cast")
    assert event.data == {
        "member": c.seat(1).pk,
        "choice": "against",
        "dissent": "Project 1 is weak.",
    }


def test_a_member_changes_their_vote_until_the_vote_closes():
    c = Commission([9, 7])
    c.rank()
    motion = d.motion_open(actor=c.chair, session=c.open())
    d.ballot_cast(actor=c.users[1], motion=motion, choice="against", dissent="No")
    d.ballot_cast(actor=c.users[1], motion=motion, choice="for")
    assert list(Ballot.objects.values_list("choice", "dissent")) == [("for", "")]
    assert list(
        AuditEvent.objects.filter(action__startswith="decision.ballot").values_list(
            "action", flat=True
        )
    ) == ["decision.ballot_cast", "decision.ballot_changed"]
    c.vote(motion, {0: "for", 2: "for"})
    d.motion_close(actor=c.chair, motion=motion)
    assert refused("closed", d.ballot_cast, actor=c.users[1], motion=motion, choice="abstain")


def test_ballots_are_refused_to_absent_members_strangers_and_odd_choices():
    c = Commission([9, 7])
    c.rank()
    session = c.open(present=3)
    motion = d.motion_open(actor=c.chair, session=session)
    assert refused("absent", d.ballot_cast, actor=c.users[4], motion=motion, choice="for") == (
        "Confirm your attendance before voting."
    )
    refused("not_member", d.ballot_cast, actor=UserFactory(), motion=motion, choice="for")
    refused("choice", d.ballot_cast, actor=c.users[1], motion=motion, choice="maybe")
    assert not Ballot.objects.exists()


def test_only_the_chair_opens_and_closes_the_vote():
    c = Commission([9, 7])
    c.rank()
    session = c.open()
    refused("not_member", d.motion_open, actor=c.users[1], session=session)
    motion = d.motion_open(actor=c.chair, session=session)
    refused("pending", d.motion_open, actor=c.chair, session=session)
    refused("not_member", d.motion_close, actor=c.users[1], motion=motion)
    refused("not_member", d.motion_close, actor=c.organiser, motion=motion)
    refused("pending", d.session_close, actor=c.chair, session=session)
    d.motion_close(actor=c.chair, motion=motion)
    refused("closed", d.motion_close, actor=c.chair, motion=motion)


# --- Confirmation ----------------------------------------------------------------------------


def test_an_adopted_motion_confirms_the_ranking():
    c = Commission([9, 7, 5])
    ranking = c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session, reason="  ")
    assert (motion.kind, motion.reason, motion.ranking) == (MotionKind.CONFIRM, "", ranking)
    c.vote(motion, {0: "for", 1: "for", 2: "for", 3: "against", 4: "abstain"}, "Disagree")
    motion = d.motion_close(actor=c.chair, motion=motion)
    ranking.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED
    assert ranking.confirmed_at == motion.closed_at
    refused("confirmed", d.motion_open, actor=c.chair, session=session)
    assert Ballot.objects.get(choice="against").dissent == "Disagree"


@pytest.mark.parametrize(
    "choices",
    [
        {0: "for", 1: "for", 2: "abstain", 3: "abstain", 4: "abstain"},  # 2 of 5
        {0: "for", 1: "for", 2: "against", 3: "against", 4: "against"},
        {0: "for", 1: "for"},  # the others did not vote
    ],
)
def test_a_motion_without_a_majority_of_those_present_is_rejected(choices):
    c = Commission([9, 7, 5])
    ranking = c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, choices, "Not fair")
    motion = d.motion_close(actor=c.chair, motion=motion)
    ranking.refresh_from_db()
    assert motion.result == MotionResult.REJECTED
    assert ranking.confirmed_at is None
    assert ranking.is_current
    # The commission can vote again in the same session.
    again = d.motion_open(actor=c.chair, session=session)
    c.vote(again, dict.fromkeys(range(5), "for"))
    assert d.motion_close(actor=c.chair, motion=again).result == MotionResult.ADOPTED


def test_a_change_after_confirmation_needs_a_reason_and_a_new_vote():
    c = Commission([9, 7, 5])
    first = c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, dict.fromkeys(range(5), "for"))
    d.motion_close(actor=c.chair, motion=motion)
    # Recomputing a confirmed result directly needs a reason too.
    refused("reason", ranking_compute, actor=c.organiser, call=c.call)
    refused("reason", d.result_change, actor=c.chair, session=session, reason=" ")
    refused("not_member", d.result_change, actor=c.users[1], session=session, reason="Fix")
    # A score was entered wrongly: Project 2 deserves more than Project 1.
    Score.objects.filter(review__application=c.apps[2]).update(value=8)
    change = d.result_change(actor=c.chair, session=session, reason="A score was mistyped")
    second = Ranking.objects.get(is_current=True)
    assert second != first
    assert (change.kind, change.reason, change.ranking) == (
        MotionKind.CHANGE,
        "A score was mistyped",
        second,
    )
    assert second.confirmed_at is None
    assert [e.application for e in second.entries.order_by("position")] == [
        c.apps[0],
        c.apps[2],
        c.apps[1],
    ]
    computed = AuditEvent.objects.filter(action="ranking.computed").last()
    assert computed.data["reason"] == "A score was mistyped"
    c.vote(change, dict.fromkeys(range(5), "for"))
    assert d.motion_close(actor=c.chair, motion=change).result == MotionResult.ADOPTED
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.confirmed_at is not None and second.is_current
    assert not first.is_current


def test_a_rejected_change_restores_the_result_confirmed_before():
    c = Commission([9, 7, 5])
    first = c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, dict.fromkeys(range(5), "for"))
    d.motion_close(actor=c.chair, motion=motion)
    Score.objects.filter(review__application=c.apps[2]).update(value=8)
    change = d.result_change(actor=c.chair, session=session, reason="A score was mistyped")
    c.vote(change, {0: "for", 1: "against", 2: "against", 3: "against"}, "The score was right")
    change = d.motion_close(actor=c.chair, motion=change)
    assert change.result == MotionResult.REJECTED
    first.refresh_from_db()
    change.ranking.refresh_from_db()
    assert first.is_current and first.confirmed_at is not None
    assert not change.ranking.is_current and change.ranking.confirmed_at is None
    assert d.current_ranking(c.call) == first


def test_a_new_ranking_after_confirmation_goes_to_the_vote_only_with_a_reason():
    c = Commission([9, 7, 5])
    c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, dict.fromkeys(range(5), "for"))
    d.motion_close(actor=c.chair, motion=motion)
    ranking_compute(actor=c.organiser, call=c.call, reason="Reviews corrected")
    assert refused("reason", d.motion_open, actor=c.chair, session=session) == (
        "Changing a confirmed result needs the reason, recorded for the protocol."
    )
    motion = d.motion_open(actor=c.chair, session=session, reason="Reviews corrected")
    assert motion.kind == MotionKind.CHANGE


def test_published_results_cannot_be_changed():
    c = Commission([9, 7, 5, 3])
    c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, dict.fromkeys(range(5), "for"))
    d.motion_close(actor=c.chair, motion=motion)
    d.session_close(actor=c.chair, session=session)
    results_publish(actor=c.organiser, call=c.call)
    session = d.session_open(actor=c.chair, call=c.call)
    assert refused("published", d.result_change, actor=c.chair, session=session, reason="x") == (
        "The results are published: withdraw them before changing them."
    )


# --- Tie votes -------------------------------------------------------------------------------


def test_tie_votes_break_a_vote_tie_at_a_prize_place_and_the_log_has_every_step():
    c = Commission([9, 7, 7, 3])
    tied = c.rank()
    first, a, b, last = c.apps
    assert [(e.application, e.position, e.tied) for e in tied.entries.all()] == [
        (first, 1, False),
        (a, 2, True),
        (b, 2, True),
        (last, 4, False),
    ]
    assert tied.ties[0]["steps"] == [
        {"rule": "vote", "applied": False, "values": {}, "order": [[a.pk, b.pk]]}
    ]
    assert [w.place for w in tied.awards.all()] == [1]
    session = c.open()
    refused("not_member", d.tie_votes_record, actor=c.users[1], session=session, votes={})
    assert refused(
        "votes", d.tie_votes_record, actor=c.chair, session=session, votes={a.pk: -1, b.pk: 2}
    ) == ("Votes cannot be negative.")
    ranking = d.tie_votes_record(actor=c.chair, session=session, votes={a.pk: 1, b.pk: 4})
    assert ranking.is_current and ranking.votes == {str(a.pk): 1, str(b.pk): 4}
    assert [(e.application, e.position, e.tied, e.decided_by) for e in ranking.entries.all()] == [
        (first, 1, False, ""),
        (b, 2, False, "vote"),
        (a, 3, False, "vote"),
        (last, 4, False, ""),
    ]
    assert [(w.application, w.place) for w in ranking.awards.all()] == [
        (first, 1),
        (b, 2),
        (a, 3),
    ]
    assert ranking.ties[0]["steps"][0]["applied"] is True
    motion = d.motion_open(actor=c.chair, session=session)
    refused("pending", d.tie_votes_record, actor=c.chair, session=session, votes={a.pk: 5})
    c.vote(motion, {0: "for", 1: "for", 2: "for", 3: "for", 4: "against"}, "Vote was rushed")
    motion = d.motion_close(actor=c.chair, motion=motion)
    d.session_close(actor=c.chair, session=session)
    ranking.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED and ranking.confirmed_at is not None
    steps = list(
        AuditEvent.objects.filter(seq__gt=0)
        .exclude(action__in=["expert.added", "results.rules_updated"])
        .values_list("action", flat=True)
    )
    assert steps == [
        "ranking.computed",
        "decision.session_opened",
        *["decision.attendance_confirmed"] * 4,
        "ranking.computed",
        "decision.motion_opened",
        *["decision.ballot_cast"] * 5,
        "decision.motion_closed",
        "decision.session_closed",
    ]
    computed = AuditEvent.objects.filter(action="ranking.computed").last()
    assert computed.data["votes"] == {str(a.pk): 1, str(b.pk): 4}
    assert computed.data["unresolved_ties"] == []
    closed = AuditEvent.objects.get(action="decision.motion_closed")
    assert closed.data["result"] == "adopted"
    assert closed.data["tally"][str(a.pk)]["against"] == 1
    against = AuditEvent.objects.filter(action="decision.ballot_cast").last()
    assert against.data == {
        "member": c.seat(4).pk,
        "choice": "against",
        "dissent": "Vote was rushed",
    }
    assert audit_verify().ok


def test_tie_votes_that_are_equal_leave_the_tie():
    c = Commission([9, 7, 7, 3])
    c.rank()
    a, b = c.apps[1], c.apps[2]
    session = c.open()
    ranking = d.tie_votes_record(actor=c.chair, session=session, votes={a.pk: 2, b.pk: 2})
    assert [e.tied for e in ranking.entries.all()] == [False, True, True, False]
    assert ranking.ties[0]["steps"][0]["applied"] is True


# --- Edge cases the services guard -----------------------------------------------------------


def test_a_ranking_recomputed_during_the_vote_is_not_confirmed_by_it():
    c = Commission([9, 7, 5])
    voted_on = c.rank()
    session = c.open()
    motion = d.motion_open(actor=c.chair, session=session)
    c.vote(motion, dict.fromkeys(range(5), "for"))
    newer = c.rank()  # the organiser recomputes while the commission votes
    motion = d.motion_close(actor=c.chair, motion=motion)
    voted_on.refresh_from_db()
    assert motion.result == MotionResult.REJECTED
    assert (voted_on.confirmed_at, d.current_ranking(c.call)) == (None, newer)
    again = d.motion_open(actor=c.chair, session=session)
    assert again.ranking == newer


def test_a_member_withdrawn_after_attending_no_longer_counts_for_the_quorum():
    c = Commission([9, 7])
    c.rank()
    session = c.open(present=3)
    Expert.objects.filter(pk=c.seat(2).pk).update(
        status=ExpertStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    assert [m.pk for m in d.quorum_state(session).present] == [c.seat(0).pk, c.seat(1).pk]
    assert refused("quorum", d.motion_open, actor=c.chair, session=session) == (
        "The session is not quorate: 2 present, the quorum is 3."
    )

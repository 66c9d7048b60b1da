"""The commission's decision: a session, attendance, quorum, votes with dissent, changes.

The chair opens a session on the current ranking; members confirm their own
attendance. A vote can be held only when the session is quorate: for every
application being decided, the members present who have no conflict with it must
reach the call's quorum (conflicted members are excluded per application, never
counted). A motion is adopted when, for every application, more than half of the
present members without a conflict with it voted for. A confirmed result changes
only through a new ranking with a recorded reason and a new vote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.review.models import Expert, ExpertStatus
from baiqau.review.selectors import call_conflicts
from baiqau.review.services import commission_problems, plan_for

from ..models import (
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
from .ranking import ranking_compute


def commission(call: Call) -> list[Expert]:
    return list(
        Expert.objects.filter(call=call, is_commission=True, status=ExpertStatus.ACTIVE)
        .select_related("user")
        .order_by("-is_chair", "user__full_name", "pk")
    )


def _seat(actor: Any, call: Call, *, chair: bool = False) -> Expert:
    seat = Expert.objects.filter(
        call=call, user=actor, is_commission=True, status=ExpertStatus.ACTIVE
    ).first()
    if seat is None or (chair and not seat.is_chair):
        raise DomainError(
            _("Only the chair of the commission can do this.")
            if chair
            else _("Only members of the commission can do this."),
            code="not_member",
        )
    return seat


def _lock(session: DecisionSession) -> DecisionSession:
    session = DecisionSession.objects.select_for_update().select_related("call").get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise DomainError(_("This session is closed."), code="closed")
    return session


def current_ranking(call: Call) -> Ranking | None:
    return Ranking.objects.filter(call=call, is_current=True).first()


@dataclass
class QuorumState:
    quorum: int
    present: list[Expert]
    # Application id → the present members excluded from deciding it by a conflict.
    excluded: dict[int, list[Expert]] = field(default_factory=dict)
    # Application id → how many present members may decide it.
    eligible: dict[int, int] = field(default_factory=dict)

    @property
    def short(self) -> list[int]:
        """Applications without a quorum of present members free of conflict."""
        return sorted(a for a, n in self.eligible.items() if n < self.quorum)

    @property
    def quorate(self) -> bool:
        return len(self.present) >= self.quorum and not self.short


def quorum_state(session: DecisionSession, ranking: Ranking | None = None) -> QuorumState:
    """Who is present and, per application, who may decide it; a fixed number of queries."""
    ranking = ranking or current_ranking(session.call)
    present = [
        a.member
        # A member withdrawn from the commission since attending no longer counts.
        for a in Attendance.objects.filter(
            session=session, member__is_commission=True, member__status=ExpertStatus.ACTIVE
        )
        .select_related("member__user")
        .order_by("confirmed_at", "pk")
    ]
    app_ids = list(ranking.entries.values_list("application_id", flat=True)) if ranking else []
    conflicts = call_conflicts(session.call, experts=present, application_ids=app_ids)
    by_app: dict[int, list[Expert]] = defaultdict(list)
    members = {m.pk: m for m in present}
    for expert_id, application_id in conflicts:
        if expert_id in members:
            by_app[application_id].append(members[expert_id])
    return QuorumState(
        quorum=session.quorum,
        present=present,
        excluded=dict(by_app),
        eligible={a: len(present) - len(by_app.get(a, ())) for a in app_ids},
    )


@transaction.atomic
def session_open(*, actor: Any, call: Call) -> DecisionSession:
    call = Call.objects.select_for_update().get(pk=call.pk)
    chair = _seat(actor, call, chair=True)
    plan = plan_for(call)
    members = commission(call)
    quorum = plan.quorum or len(members) // 2 + 1
    problems = commission_problems(call, quorum)
    if problems:
        raise DomainError(" ".join(problems), code="commission")
    if current_ranking(call) is None:
        raise DomainError(
            _("Compute the ranking before opening a decision session."), code="no_ranking"
        )
    if DecisionSession.objects.filter(call=call, status=SessionStatus.OPEN).exists():
        raise DomainError(_("A decision session is already open."), code="open")
    session = DecisionSession.objects.create(
        call=call, quorum=quorum, opened_by=actor, opened_at=clock.now()
    )
    Attendance.objects.create(session=session, member=chair, confirmed_at=clock.now())
    audit_record(
        actor=actor,
        action="decision.session_opened",
        subject=session,
        data={"call": call.slug, "quorum": quorum, "commission": [m.pk for m in members]},
    )
    return session


@transaction.atomic
def attendance_confirm(*, actor: Any, session: DecisionSession) -> Attendance:
    session = _lock(session)
    seat = _seat(actor, session.call)
    attendance, created = Attendance.objects.get_or_create(
        session=session, member=seat, defaults={"confirmed_at": clock.now()}
    )
    if created:
        audit_record(
            actor=actor,
            action="decision.attendance_confirmed",
            subject=session,
            data={"member": seat.pk},
        )
    return attendance


def pending_motion(session: DecisionSession) -> Motion | None:
    return session.motions.filter(result=MotionResult.PENDING).first()


@transaction.atomic
def tie_votes_record(*, actor: Any, session: DecisionSession, votes: dict[int, int]) -> Ranking:
    """The commission's votes on tied applications (for a "vote" tie-break rule); recomputes."""
    session = _lock(session)
    _seat(actor, session.call, chair=True)
    if pending_motion(session):
        raise DomainError(_("Close the vote in progress first."), code="pending")
    if any(v < 0 for v in votes.values()):
        raise DomainError(_("Votes cannot be negative."), code="votes")
    previous = current_ranking(session.call)
    reason = ""
    if previous is not None and previous.confirmed_at is not None:
        reason = _("Tie votes recorded after confirmation")
    return ranking_compute(actor=actor, call=session.call, votes=votes, reason=reason)


@transaction.atomic
def motion_open(
    *, actor: Any, session: DecisionSession, kind: str = MotionKind.CONFIRM, reason: str = ""
) -> Motion:
    """Put the current ranking to the vote; only in a quorate session."""
    session = _lock(session)
    _seat(actor, session.call, chair=True)
    if pending_motion(session):
        raise DomainError(_("A vote is already in progress."), code="pending")
    ranking = current_ranking(session.call)
    if ranking is None:
        raise DomainError(_("There is no ranking to vote on."), code="no_ranking")
    if ranking.confirmed_at is not None:
        raise DomainError(_("This ranking is already confirmed."), code="confirmed")
    confirmed_before = Ranking.objects.filter(call=session.call, confirmed_at__isnull=False)
    if confirmed_before.exists():
        kind = MotionKind.CHANGE
        if not reason.strip():
            raise DomainError(
                _("Changing a confirmed result needs the reason, recorded for the protocol."),
                code="reason",
            )
    state = quorum_state(session, ranking)
    if not state.quorate:
        raise DomainError(_quorum_message(state), code="quorum")
    motion = Motion.objects.create(
        session=session, ranking=ranking, kind=kind, reason=reason.strip(), opened_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="decision.motion_opened",
        subject=motion,
        data={
            "ranking": ranking.pk,
            "kind": kind,
            "reason": motion.reason,
            "present": [m.pk for m in state.present],
        },
    )
    return motion


def _quorum_message(state: QuorumState) -> str:
    if len(state.present) < state.quorum:
        return _("The session is not quorate: %(p)s present, the quorum is %(q)s.") % {
            "p": len(state.present),
            "q": state.quorum,
        }
    return _(
        "The session is not quorate for %(n)s application(s): with the members who have a "
        "conflict with them excluded, fewer than %(q)s may decide them."
    ) % {"n": len(state.short), "q": state.quorum}


@transaction.atomic
def ballot_cast(*, actor: Any, motion: Motion, choice: str, dissent: str = "") -> Ballot:
    motion = Motion.objects.select_for_update().select_related("session__call").get(pk=motion.pk)
    session = _lock(motion.session)
    if motion.result != MotionResult.PENDING:
        raise DomainError(_("This vote is closed."), code="closed")
    seat = _seat(actor, session.call)
    if not Attendance.objects.filter(session=session, member=seat).exists():
        raise DomainError(_("Confirm your attendance before voting."), code="absent")
    if choice not in Choice.values:
        raise DomainError(_("Choose for, against or abstain."), code="choice")
    dissent = dissent.strip()
    if choice == Choice.AGAINST and not dissent:
        raise DomainError(
            _("A vote against needs your dissenting opinion; it goes into the protocol."),
            code="dissent",
        )
    ballot, created = Ballot.objects.update_or_create(
        motion=motion,
        member=seat,
        defaults={"choice": choice, "dissent": dissent, "cast_at": clock.now()},
    )
    audit_record(
        actor=actor,
        action="decision.ballot_cast" if created else "decision.ballot_changed",
        subject=motion,
        data={"member": seat.pk, "choice": choice, "dissent": dissent},
    )
    return ballot


def tally(motion: Motion, state: QuorumState) -> dict[str, dict[str, int]]:
    """Per application: for / against / abstain / not voted among those who may decide it."""
    ballots = {b.member_id: b.choice for b in motion.ballots.all()}
    result: dict[str, dict[str, int]] = {}
    for application_id, eligible in state.eligible.items():
        excluded = {m.pk for m in state.excluded.get(application_id, ())}
        counts = {"for": 0, "against": 0, "abstain": 0, "excluded": len(excluded)}
        for member in state.present:
            if member.pk not in excluded and member.pk in ballots:
                counts[ballots[member.pk]] += 1
        counts["eligible"] = eligible
        result[str(application_id)] = counts
    return result


@transaction.atomic
def motion_close(*, actor: Any, motion: Motion) -> Motion:
    """Count the votes; an adopted motion confirms its ranking."""
    motion = Motion.objects.select_for_update().select_related("session__call").get(pk=motion.pk)
    session = _lock(motion.session)
    _seat(actor, session.call, chair=True)
    if motion.result != MotionResult.PENDING:
        raise DomainError(_("This vote is closed."), code="closed")
    state = quorum_state(session, motion.ranking)
    counts = tally(motion, state)
    # A ranking recomputed while the vote ran supersedes the one voted on: it cannot be confirmed.
    adopted = (
        motion.ranking.is_current
        and state.quorate
        and all(c["for"] * 2 > c["eligible"] for c in counts.values())
    )
    now = clock.now()
    motion.tally = counts
    motion.result = MotionResult.ADOPTED if adopted else MotionResult.REJECTED
    motion.closed_at = now
    motion.save(update_fields=["tally", "result", "closed_at"])
    ranking = motion.ranking
    if adopted:
        ranking.confirmed_at = now
        ranking.save(update_fields=["confirmed_at"])
    elif motion.kind == MotionKind.CHANGE:
        # The change failed: the result confirmed before stays in force.
        before = (
            Ranking.objects.filter(call=session.call, confirmed_at__isnull=False)
            .order_by("-confirmed_at")
            .first()
        )
        if before is not None:
            Ranking.objects.filter(call=session.call, is_current=True).update(is_current=False)
            Ranking.objects.filter(pk=before.pk).update(is_current=True)
    audit_record(
        actor=actor,
        action="decision.motion_closed",
        subject=motion,
        data={"ranking": ranking.pk, "result": motion.result, "tally": counts},
    )
    return motion


@transaction.atomic
def result_change(*, actor: Any, session: DecisionSession, reason: str) -> Motion:
    """Recompute a confirmed result (after a correction) and put it to a new vote."""
    if not reason.strip():
        raise DomainError(
            _("Changing a confirmed result needs the reason, recorded for the protocol."),
            code="reason",
        )
    session = _lock(session)
    _seat(actor, session.call, chair=True)
    if session.call.results_are_public:
        raise DomainError(
            _("The results are published: withdraw them before changing them."), code="published"
        )
    previous = current_ranking(session.call)
    votes = {int(a): v for a, v in (previous.votes if previous else {}).items()}
    ranking_compute(actor=actor, call=session.call, votes=votes, reason=reason)
    return motion_open(actor=actor, session=session, kind=MotionKind.CHANGE, reason=reason)


@transaction.atomic
def session_close(*, actor: Any, session: DecisionSession) -> DecisionSession:
    session = _lock(session)
    _seat(actor, session.call, chair=True)
    if pending_motion(session):
        raise DomainError(_("Close the vote in progress first."), code="pending")
    session.status = SessionStatus.CLOSED
    session.closed_at = clock.now()
    session.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="decision.session_closed", subject=session, data={})
    return session

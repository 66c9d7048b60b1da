"""What the decision page shows, and the forms it offers to whom: the ranking under decision,
the ties left to the commission's vote, the quorum box and the history of sessions and votes.
A fixed number of queries, whatever the number of applications, members, sessions and votes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.forms import BaseForm
from django.urls import reverse
from django.utils.translation import gettext as _

from baiqau.calls.models import Call
from baiqau.results.models import (
    Award,
    Ballot,
    Choice,
    DecisionSession,
    Motion,
    MotionResult,
    Ranking,
    RankingEntry,
    SessionStatus,
)
from baiqau.results.services.decision import (
    QuorumState,
    commission,
    current_ranking,
    quorum_state,
)
from baiqau.review.models import Expert, ExpertStatus
from baiqau.review.services import commission_problems, plan_for

from ..forms_decision import BallotForm, ChangeForm, ReasonForm, TieVotesForm

VOTE = "vote"


@dataclass
class Line:
    entry: RankingEntry
    award: Award | None


@dataclass
class Tie:
    """Applications tied at a position that the "vote" rule leaves to the commission."""

    position: int
    entries: list[RankingEntry]
    # True while the votes are not recorded for every one of them.
    waiting: bool
    # Each application with the votes recorded for it (None: none yet).
    votes: list[tuple[RankingEntry, int | None]] = field(default_factory=list)


@dataclass
class Exclusion:
    member: Expert
    application: Any


@dataclass
class QuorumBox:
    state: QuorumState
    commission: list[Expert]
    absent: list[Expert]
    exclusions: list[Exclusion]
    short: list[Any]

    @property
    def present_count(self) -> int:
        return len(self.state.present)


@dataclass
class TallyRow:
    title: str
    counts: dict[str, int]
    carried: bool


@dataclass
class MotionView:
    motion: Motion
    counts: dict[str, int] = field(default_factory=dict)
    dissents: list[Ballot] = field(default_factory=list)
    rows: list[TallyRow] = field(default_factory=list)


def own_seat(user: Any, call: Call) -> Expert | None:
    """The person's active seat on the call's commission."""
    return Expert.objects.filter(
        call=call, user=user, is_commission=True, status=ExpertStatus.ACTIVE
    ).first()


def lines(ranking: Ranking | None) -> list[Line]:
    if ranking is None:
        return []
    awards = {a.application_id: a for a in ranking.awards.all()}
    entries = ranking.entries.select_related("application").order_by("position", "application_id")
    return [Line(entry, awards.get(entry.application_id)) for entry in entries]


def _voted_on(tie: dict[str, Any]) -> tuple[list[int], bool] | None:
    """The applications of a stored tie that reached the vote rule, and whether they wait."""
    for step in tie.get("steps", ()):
        if step.get("rule") != VOTE:
            continue
        if step.get("applied"):
            return [int(a) for a in step.get("values", {})], False
        return [int(a) for block in step.get("order", ()) if len(block) > 1 for a in block], True
    return None


def ties_for_vote(ranking: Ranking | None, rows: list[Line]) -> list[Tie]:
    """Ties the commission votes on: those that reached the "vote" rule (still waiting for
    votes, or with votes it may still correct before confirming)."""
    if ranking is None or VOTE not in (ranking.rules or {}).get("tie_break", []):
        return []
    by_app = {line.entry.application_id: line.entry for line in rows}
    out: list[Tie] = []
    for tie in ranking.ties or []:
        found = _voted_on(tie)
        if found is None or not found[0]:
            continue
        ids, waiting = found
        entries = sorted(
            (by_app[a] for a in ids if a in by_app), key=lambda e: (e.position, e.application_id)
        )
        out.append(Tie(int(tie.get("position", 0)), entries, waiting))
    if not out:
        # Tied lines with no stored step: the rule is the commission's all the same.
        groups: dict[int, list[RankingEntry]] = {}
        for line in rows:
            if line.entry.tied:
                groups.setdefault(line.entry.position, []).append(line.entry)
        out = [Tie(position, group, True) for position, group in sorted(groups.items())]
    recorded = {int(a): int(v) for a, v in (ranking.votes or {}).items()}
    for tie in out:
        tie.votes = [(e, recorded.get(e.application_id)) for e in tie.entries]
    return [tie for tie in out if len(tie.entries) > 1]


def quorum_box(
    session: DecisionSession, ranking: Ranking | None, commission: list[Expert], rows: list[Line]
) -> QuorumBox:
    state = quorum_state(session, ranking)
    applications = {line.entry.application_id: line.entry.application for line in rows}
    present = {m.pk for m in state.present}
    exclusions = [
        Exclusion(member, applications[application_id])
        for application_id, members in sorted(state.excluded.items())
        if application_id in applications
        for member in members
    ]
    return QuorumBox(
        state=state,
        commission=commission,
        absent=[m for m in commission if m.pk not in present],
        exclusions=exclusions,
        short=[applications[a] for a in state.short if a in applications],
    )


def sessions_with_votes(call: Call) -> list[DecisionSession]:
    return list(
        DecisionSession.objects.filter(call=call)
        .select_related("opened_by")
        .prefetch_related(
            Prefetch(
                "motions",
                queryset=Motion.objects.order_by("opened_at", "pk").prefetch_related(
                    Prefetch(
                        "ballots",
                        queryset=Ballot.objects.select_related("member__user").order_by(
                            "cast_at", "pk"
                        ),
                    )
                ),
            )
        )
        .order_by("-opened_at", "-pk")
    )


def motion_views(sessions: list[DecisionSession]) -> dict[int, MotionView]:
    """Every closed motion's counts, dissents and tally per application, in ranking order."""
    motions = [m for s in sessions for m in s.motions.all()]
    closed = [m for m in motions if m.result != MotionResult.PENDING]
    entries: dict[tuple[int, int], RankingEntry] = {}
    if closed:
        for entry in RankingEntry.objects.filter(
            ranking_id__in={m.ranking_id for m in closed}
        ).select_related("application"):
            entries[(entry.ranking_id, entry.application_id)] = entry
    out: dict[int, MotionView] = {}
    for motion in motions:
        view = MotionView(motion)
        out[motion.pk] = view
        if motion.result == MotionResult.PENDING:
            continue
        ballots = list(motion.ballots.all())
        counted = Counter(b.choice for b in ballots)
        view.counts = {choice: counted.get(choice, 0) for choice in Choice.values}
        view.dissents = [b for b in ballots if b.dissent]
        rows = []
        for key, counts in motion.tally.items():
            found = entries.get((motion.ranking_id, int(key)))
            rows.append(
                (
                    (found.position, found.application_id) if found else (0, int(key)),
                    TallyRow(
                        str(found.application.title) if found else f"#{key}",
                        counts,
                        counts.get("for", 0) * 2 > counts.get("eligible", 0),
                    ),
                )
            )
        view.rows = [row for _key, row in sorted(rows, key=lambda pair: pair[0])]
    return out


# --- The page's context ----------------------------------------------------------------------


def results_url(call: Call) -> str:
    return reverse("workspace:results", kwargs={"slug": call.slug})


def confirmed_before(call: Call) -> bool:
    return Ranking.objects.filter(call=call, confirmed_at__isnull=False).exists()


def tie_form(ties: list[Any], ranking: Ranking | None, data: Any = None) -> TieVotesForm:
    recorded = {int(a): int(v) for a, v in (ranking.votes if ranking else {}).items()}
    return TieVotesForm(
        data,
        applications=[(e.application_id, str(e.application)) for t in ties for e in t.entries],
        initial_votes=recorded,
    )


def page_context(user: Any, call: Call, role: str, **bound: BaseForm) -> dict[str, Any]:
    """Everything the decision page shows; `bound` are forms sent back with their errors."""
    seat = own_seat(user, call)
    is_chair = bool(seat and seat.is_chair)
    ranking = current_ranking(call)
    rows = lines(ranking)
    sessions = sessions_with_votes(call)
    views = motion_views(sessions)
    session = next((s for s in sessions if s.status == SessionStatus.OPEN), None)
    context: dict[str, Any] = {
        "call": call,
        "role": role,
        "seat": seat,
        "is_chair": is_chair,
        "ranking": ranking,
        "rows": rows,
        "session": session,
        "history": [(s, [views[m.pk] for m in s.motions.all()]) for s in sessions],
        "results_url": results_url(call),
        "crumb": _("Decision"),
    }
    if session is None:
        if is_chair:
            members = commission(call)
            quorum = plan_for(call).quorum or len(members) // 2 + 1
            problems = commission_problems(call, quorum)
            context.update(problems=problems, may_open=not problems and ranking is not None)
        return context
    session.call = call  # already loaded: spare quorum_state a query
    members = commission(call)
    box = quorum_box(session, ranking, members, rows)
    motions = list(session.motions.all())
    pending = next((m for m in motions if m.result == MotionResult.PENDING), None)
    closed = [views[m.pk] for m in motions if m.result != MotionResult.PENDING]
    present = bool(seat and any(m.pk == seat.pk for m in box.state.present))
    ballots = list(pending.ballots.all()) if pending else []
    mine = next((b for b in ballots if seat and b.member_id == seat.pk), None)
    ties = ties_for_vote(ranking, rows)
    context.update(
        box=box,
        present=present,
        pending=pending,
        voted=len(ballots),
        mine=mine,
        last=closed[-1] if closed else None,
        ties=ties,
    )
    if pending and seat and (present or "ballot_form" in bound):
        context["ballot_form"] = bound.get("ballot_form") or BallotForm(
            initial={"choice": mine.choice, "dissent": mine.dissent} if mine else None
        )
    if is_chair and ranking is not None:
        _chair_forms(context, call, ranking, bound, voting=pending is not None)
    return context


def _chair_forms(
    context: dict[str, Any],
    call: Call,
    ranking: Ranking,
    bound: dict[str, BaseForm],
    *,
    voting: bool,
) -> None:
    """The chair's forms: to record tie votes and put the ranking to the vote, or to change a
    confirmed result; a form sent back with errors is shown whatever the state."""
    idle = not voting
    ties = context["ties"]
    if "motion_form" in bound or (idle and ranking.confirmed_at is None):
        context["motion_form"] = bound.get("motion_form") or ReasonForm(
            required=confirmed_before(call)
        )
    if ties and ("tie_form" in bound or (idle and ranking.confirmed_at is None)):
        form = bound.get("tie_form") or tie_form(ties, ranking)
        context["tie_form"] = form
        context["tie_groups"] = [
            (tie, [form[f"votes_{e.application_id}"] for e in tie.entries]) for tie in ties
        ]
    if "change_form" in bound or (
        idle and ranking.confirmed_at is not None and not call.results_are_public
    ):
        context["change_form"] = bound.get("change_form") or ChangeForm()

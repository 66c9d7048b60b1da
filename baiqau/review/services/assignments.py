"""Assignments of applications to experts: by hand (assign, unassign, swap, each with a reason),
"everyone scores everything", the solver's proposals (applied only when a person confirms
them), and moving an expert's open reviews to others when they drop out.

Every change is audited; a whole proposal is one event listing its pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus
from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..models import (
    Assignment,
    AssignmentMode,
    AssignmentRun,
    AssignmentSource,
    Expert,
    ExpertStatus,
    Review,
    ReviewStatus,
    RunStatus,
)
from ..selectors import CONFLICT_REASONS, REVIEWABLE, call_conflicts, conflict_reason
from .common import JURY_MANAGERS, check_reviewable, check_role, plan_for

OPEN_CALL_STATES = (CallStatus.CLOSED, CallStatus.IN_REVIEW)


def _check_call(call: Call) -> None:
    if call.status not in OPEN_CALL_STATES:
        raise DomainError(
            _("Applications can be assigned once the call has closed, until review ends."),
            code="call_state",
        )


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give a reason: it is recorded in the audit log."), code="reason")
    return reason


def _check_pair(expert: Expert, application: Application) -> None:
    if expert.call_id != application.call_id:
        raise DomainError(_("The expert is not on this call's panel."), code="other_call")
    if expert.status != ExpertStatus.ACTIVE:
        raise DomainError(
            _("%(person)s has withdrawn from the panel.") % {"person": expert.user},
            code="withdrawn",
        )
    check_reviewable(application)
    reason = conflict_reason(expert, application)
    if reason is not None:
        raise DomainError(
            _("%(person)s has a conflict of interest with this application: %(reason)s.")
            % {"person": expert.user, "reason": CONFLICT_REASONS[reason]},
            code="conflict",
        )


@transaction.atomic
def assignment_add(
    *,
    actor: Any,
    expert: Expert,
    application: Application,
    reason: str,
    source: str = AssignmentSource.HAND,
) -> Assignment:
    check_role(actor, application.call, JURY_MANAGERS)
    _check_call(application.call)
    reason = _require_reason(reason)
    _check_pair(expert, application)
    if Assignment.objects.filter(expert=expert, application=application).exists():
        raise DomainError(
            _("%(person)s already has this application.") % {"person": expert.user},
            code="assigned",
        )
    assignment = Assignment.objects.create(
        expert=expert, application=application, source=source, reason=reason, created_by=actor
    )
    audit_record(
        actor=actor,
        action="assignment.added",
        subject=assignment,
        data={
            "expert": expert.pk,
            "application": application.pk,
            "source": source,
            "reason": reason,
        },
    )
    _notify_experts(application.call, Counter({expert.pk: 1}), {expert.pk: expert})
    return assignment


def _end(assignment: Assignment) -> bool:
    """Remove the assignment (and its unsubmitted draft); refuse when a review is submitted."""
    review = Review.objects.filter(
        expert_id=assignment.expert_id, application_id=assignment.application_id
    ).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise DomainError(
            _(
                "%(person)s has submitted a review of this application: a submitted review is "
                "part of the result and is not taken away by unassigning."
            )
            % {"person": assignment.expert.user},
            code="submitted",
        )
    had_draft = review is not None
    if review is not None:
        review.delete()
    assignment.delete()
    return had_draft


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: Assignment, reason: str) -> None:
    call = assignment.application.call
    check_role(actor, call, JURY_MANAGERS)
    _check_call(call)
    reason = _require_reason(reason)
    data = {
        "expert": assignment.expert_id,
        "application": assignment.application_id,
        "reason": reason,
    }
    pk = assignment.pk
    data["draft_discarded"] = _end(assignment)
    audit_record(
        actor=actor,
        action="assignment.removed",
        subject_type="review.assignment",
        subject_id=str(pk),
        data=data,
    )


@transaction.atomic
def assignment_swap(
    *, actor: Any, assignment: Assignment, to_expert: Expert, reason: str
) -> Assignment:
    """Give an expert's application to another expert."""
    application = assignment.application
    call = application.call
    check_role(actor, call, JURY_MANAGERS)
    _check_call(call)
    reason = _require_reason(reason)
    if to_expert.pk == assignment.expert_id:
        raise DomainError(_("Choose a different expert."), code="same")
    _check_pair(to_expert, application)
    if Assignment.objects.filter(expert=to_expert, application=application).exists():
        raise DomainError(
            _("%(person)s already has this application.") % {"person": to_expert.user},
            code="assigned",
        )
    from_expert = assignment.expert_id
    discarded = _end(assignment)
    new = Assignment.objects.create(
        expert=to_expert,
        application=application,
        source=AssignmentSource.HAND,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="assignment.swapped",
        subject=new,
        data={
            "application": application.pk,
            "from_expert": from_expert,
            "to_expert": to_expert.pk,
            "reason": reason,
            "draft_discarded": discarded,
        },
    )
    return new


def _bulk_assign(
    *,
    actor: Any,
    call: Call,
    pairs: Sequence[tuple[int, int, float | None]],
    source: str,
    reason: str,
    extra: dict[str, Any],
) -> list[Assignment]:
    """Create (application, expert, affinity) assignments after checking each pair again;
    pairs that became impossible are skipped and reported in the audit event."""
    experts = {
        e.pk: e
        for e in Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE).select_related("user")
    }
    app_ids = set(
        Application.objects.filter(call=call, status__in=REVIEWABLE).values_list("pk", flat=True)
    )
    conflicts = call_conflicts(call)
    existing = set(
        Assignment.objects.filter(application__call=call).values_list("expert_id", "application_id")
    )
    rows, skipped = [], []
    for app_id, expert_id, affinity in pairs:
        key = (expert_id, app_id)
        if expert_id not in experts or app_id not in app_ids or key in conflicts or key in existing:
            skipped.append([app_id, expert_id])
            continue
        existing.add(key)
        rows.append(
            Assignment(
                expert_id=expert_id,
                application_id=app_id,
                source=source,
                affinity=affinity,
                reason=reason,
                created_by=actor,
            )
        )
    created = Assignment.objects.bulk_create(rows, batch_size=2000)
    # Notify before recording: audit_record takes the audit chain's lock, held until the
    # commit, and every audited action on the platform waits for it meanwhile.
    _notify_experts(call, Counter(a.expert_id for a in created), experts)
    audit_record(
        actor=actor,
        action="assignment.bulk_added",
        subject=call,
        data={
            **extra,
            "source": source,
            "count": len(created),
            "pairs": [[a.application_id, a.expert_id] for a in created],
            "skipped": skipped,
        },
    )
    return created


def _notify_experts(call: Call, counts: Counter[int], experts: dict[int, Expert]) -> None:
    from django.utils import formats, timezone, translation

    from baiqau.notifications.models import NotificationKind
    from baiqau.notifications.services import notify
    from baiqau.notifications.values import call_values, link_in

    for expert_id, count in sorted(counts.items()):
        user = experts[expert_id].user
        language = user.preferred_language or "kk"
        with translation.override(language):
            review_ends = formats.date_format(
                timezone.localtime(call.review_ends_at), "DATETIME_FORMAT"
            )
        notify(
            user=user,
            kind=NotificationKind.REVIEWS_ASSIGNED,
            call=call,
            values={**call_values(call, language), "count": count, "review_ends": review_ends},
            url=link_in(language, "review:queue", call.slug),
        )


@transaction.atomic
def assignment_everyone(*, actor: Any, call: Call) -> list[Assignment]:
    """Every active expert gets every eligible application they have no conflict with."""
    check_role(actor, call, JURY_MANAGERS)
    _check_call(call)
    plan = plan_for(call)
    if plan.mode != AssignmentMode.EVERYONE:
        raise DomainError(
            _("The call shares its applications among the experts; change the review plan first."),
            code="mode",
        )
    expert_ids = list(
        Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE).values_list("pk", flat=True)
    )
    app_ids = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE).values_list("pk", flat=True)
    )
    pairs: list[tuple[int, int, float | None]] = [(a, e, None) for a in app_ids for e in expert_ids]
    return _bulk_assign(
        actor=actor,
        call=call,
        pairs=pairs,
        source=AssignmentSource.EVERYONE,
        reason=_("Every expert scores every application."),
        extra={},
    )


@transaction.atomic
def assignment_run_start(*, actor: Any, call: Call) -> AssignmentRun:
    """Queue a solver run; its proposal waits for a person to apply it."""
    check_role(actor, call, JURY_MANAGERS)
    _check_call(call)
    busy = AssignmentRun.objects.filter(
        call=call, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ).first()
    if busy is not None:
        return busy  # a double click, or a second person: one run at a time
    run = AssignmentRun.objects.create(call=call, created_by=actor)
    audit_record(actor=actor, action="assignment_run.started", subject=run, data={})
    from ..tasks import run_assignment

    pk = run.pk
    transaction.on_commit(lambda: run_assignment.enqueue(pk))
    return run


def _check_applicable(actor: Any, run: AssignmentRun, states: tuple[str, ...]) -> None:
    check_role(actor, run.call, JURY_MANAGERS)
    _check_call(run.call)
    if run.status not in states:
        raise DomainError(_("Only a proposal waiting for review can be applied."), code="run_state")
    newer = AssignmentRun.objects.filter(call=run.call, pk__gt=run.pk).exclude(
        status__in=(RunStatus.DISCARDED, RunStatus.FAILED)
    )
    if newer.exists():
        raise DomainError(_("A newer proposal exists: review that one instead."), code="run_stale")


@transaction.atomic
def assignment_run_apply_later(*, actor: Any, run: AssignmentRun) -> AssignmentRun:
    """Confirm a proposal; a background task applies it (tens of thousands of assignments and
    a notification to every expert are too much for one web request). A second click finds
    it being applied and does nothing more."""
    run = AssignmentRun.objects.select_for_update().select_related("call").get(pk=run.pk)
    if run.status == RunStatus.APPLYING:
        return run
    _check_applicable(actor, run, (RunStatus.PROPOSED,))
    run.status = RunStatus.APPLYING
    run.result = {**run.result, "apply_error": ""}
    run.save(update_fields=["status", "result"])
    audit_record(actor=actor, action="assignment_run.confirmed", subject=run, data={})
    from ..tasks import apply_assignment

    pk, actor_pk = run.pk, actor.pk
    transaction.on_commit(lambda: apply_assignment.enqueue(pk, actor_pk))
    return run


@transaction.atomic
def assignment_run_apply(*, actor: Any, run: AssignmentRun) -> list[Assignment]:
    """Apply a proposal now (the console, the demo and the background task)."""
    run = AssignmentRun.objects.select_for_update().select_related("call").get(pk=run.pk)
    _check_applicable(actor, run, (RunStatus.PROPOSED, RunStatus.APPLYING))
    pairs = [(int(a), int(e), float(f)) for a, e, f in run.result.get("pairs", [])]
    created = _bulk_assign(
        actor=actor,
        call=run.call,
        pairs=pairs,
        source=AssignmentSource.SOLVER,
        reason=_("Proposed by the solver and confirmed."),
        extra={"run": run.pk},
    )
    run.status = RunStatus.APPLIED
    run.result = {**run.result, "applied": len(created), "skipped": len(pairs) - len(created)}
    run.save(update_fields=["status", "result"])
    return created


@transaction.atomic
def assignment_run_discard(*, actor: Any, run: AssignmentRun) -> AssignmentRun:
    run = AssignmentRun.objects.select_for_update().select_related("call").get(pk=run.pk)
    check_role(actor, run.call, JURY_MANAGERS)
    if run.status not in (RunStatus.PROPOSED, RunStatus.FAILED):
        raise DomainError(_("This run cannot be discarded."), code="run_state")
    run.status = RunStatus.DISCARDED
    run.save(update_fields=["status"])
    audit_record(actor=actor, action="assignment_run.discarded", subject=run, data={})
    return run


@transaction.atomic
def expert_withdraw(*, actor: Any, expert: Expert, reason: str) -> dict[str, int]:
    """An expert drops out: their unsubmitted assignments end and go to other experts, chosen
    by the solver within everyone's maximum load. Submitted reviews stay.

    Returns {"freed": …, "reassigned": …, "uncovered": …}.
    """
    from ..solver import reassign_open_reviews

    expert = Expert.objects.select_for_update().select_related("call", "user").get(pk=expert.pk)
    call = expert.call
    check_role(actor, call, JURY_MANAGERS)
    reason = _require_reason(reason)
    if expert.status == ExpertStatus.WITHDRAWN:
        raise DomainError(
            _("%(person)s has already withdrawn.") % {"person": expert.user}, code="withdrawn"
        )
    submitted = set(
        Review.objects.filter(expert=expert, status=ReviewStatus.SUBMITTED).values_list(
            "application_id", flat=True
        )
    )
    open_ = list(Assignment.objects.filter(expert=expert).exclude(application_id__in=submitted))
    freed = [a.application_id for a in open_]
    Review.objects.filter(expert=expert).exclude(status=ReviewStatus.SUBMITTED).delete()
    Assignment.objects.filter(pk__in=[a.pk for a in open_]).delete()
    expert.status = ExpertStatus.WITHDRAWN
    expert.withdrawn_at = clock.now()
    expert.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        actor=actor,
        action="expert.withdrawn",
        subject=expert,
        data={"reason": reason, "freed": freed, "kept_submitted": sorted(submitted)},
    )
    pairs: Sequence[tuple[int, int, float | None]] = []
    if freed and call.status in OPEN_CALL_STATES:
        pairs = list(reassign_open_reviews(call, freed))
    created = (
        _bulk_assign(
            actor=actor,
            call=call,
            pairs=pairs,
            source=AssignmentSource.REASSIGNED,
            reason=_("Reassigned after %(person)s withdrew.") % {"person": expert.user},
            extra={"withdrawn_expert": expert.pk},
        )
        if pairs
        else []
    )
    return {"freed": len(freed), "reassigned": len(created), "uncovered": len(freed) - len(created)}

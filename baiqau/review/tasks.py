"""Background work of the jury: the solver, and applying its proposal."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import AssignmentRun, RunStatus


@task()
def run_assignment(run_pk: int) -> str:
    """Compute a proposal for a run, writing progress to the run as it goes."""
    from .solver import solve_call

    run = AssignmentRun.objects.select_related("call").filter(pk=run_pk).first()
    if run is None or run.status != RunStatus.QUEUED:
        return "nothing to do"
    AssignmentRun.objects.filter(pk=run_pk).update(status=RunStatus.RUNNING, progress=1)

    def progress(stage: str, fraction: float) -> None:
        AssignmentRun.objects.filter(pk=run_pk).update(
            progress=max(1, min(99, int(fraction * 100))), stage=stage[:200]
        )

    try:
        result = solve_call(run.call, progress=progress)
    except Exception as error:  # the page must say it failed, not spin forever
        AssignmentRun.objects.filter(pk=run_pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            result={"error": type(error).__name__, "problems": []},
        )
        raise
    status = RunStatus.PROPOSED if result["pairs"] or not result["problems"] else RunStatus.FAILED
    with transaction.atomic():
        AssignmentRun.objects.filter(pk=run_pk).update(
            status=status, progress=100, stage="done", result=result, finished_at=timezone.now()
        )
    return status


@task()
def apply_assignment(run_pk: int, actor_pk: int) -> str:
    """Apply a confirmed proposal. When it cannot be applied any more (the person lost their
    role, the call moved on, a newer proposal exists), the run goes back to waiting for review
    with the reason, which its page shows."""
    from django.contrib.auth import get_user_model

    from baiqau.core.errors import DomainError

    from .services import assignment_run_apply

    run = AssignmentRun.objects.filter(pk=run_pk).first()
    actor = get_user_model().objects.filter(pk=actor_pk).first()
    if run is None or run.status != RunStatus.APPLYING:
        return "nothing to do"
    try:
        if actor is None:
            raise DomainError("", code="forbidden")
        created = assignment_run_apply(actor=actor, run=run)
    except DomainError as error:
        AssignmentRun.objects.filter(pk=run_pk, status=RunStatus.APPLYING).update(
            status=RunStatus.PROPOSED, result={**run.result, "apply_error": error.code}
        )
        return f"refused: {error.code}"
    return f"applied {len(created)}"

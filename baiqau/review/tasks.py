"""Background work of the jury: the solver."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import AssignmentRun, RunStatus

STAGES = {"reading", "affinity", "candidates", "solving", "done"}


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

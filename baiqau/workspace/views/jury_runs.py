"""The solver's runs, for the organisers, the secretariat and the chair: start one, follow its
progress (htmx polling, with a plain reload link without JavaScript), review its proposal in
figures and in words, apply or discard it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.review.models import AssignmentRun, RunStatus
from baiqau.review.services import (
    JURY_MANAGERS,
    assignment_run_apply_later,
    assignment_run_discard,
    assignment_run_start,
)
from baiqau.review.staff_selectors import run_groups, stage_label

from ..access import staff_view

FINISHED = (RunStatus.PROPOSED, RunStatus.FAILED, RunStatus.APPLIED, RunStatus.DISCARDED)
# Why a confirmed proposal went back to waiting for review (the background task's refusal).
APPLY_REFUSALS = {
    "forbidden": _lazy("You may not manage the jury of this call."),
    "call_state": _lazy(
        "Applications can be assigned once the call has closed, until review ends."
    ),
    "run_stale": _lazy("A newer proposal exists: review that one instead."),
    "run_state": _lazy("Only a proposal waiting for review can be applied."),
}


@staff_view(JURY_MANAGERS)
@require_POST
def run_start(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    try:
        run = assignment_run_start(actor=request.user, call=call)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workspace:assignments", slug=call.slug)
    return redirect("workspace:assignment_run", slug=call.slug, pk=run.pk)


def _run(call: Call, pk: int) -> AssignmentRun:
    return get_object_or_404(AssignmentRun.objects.select_related("created_by"), call=call, pk=pk)


def _run_context(call: Call, role: str, run: AssignmentRun) -> dict[str, Any]:
    return {
        "call": call,
        "role": role,
        "run": run,
        "finished": run.status in FINISHED,
        "stage": stage_label(run.stage if run.status == RunStatus.RUNNING else ""),
    }


@staff_view(JURY_MANAGERS)
@require_safe
def run_page(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    run = _run(call, pk)
    context = _run_context(call, role, run)
    result = run.result or {}
    if run.status in FINISHED:
        from baiqau.review.solver import describe_problems

        context["problems"] = describe_problems(result.get("problems", []))
        context["summary"] = result.get("summary", {})
        context["crashed"] = bool(result.get("error"))
        refusal = result.get("apply_error")
        if refusal:
            context["apply_refused"] = APPLY_REFUSALS.get(refusal, APPLY_REFUSALS["run_state"])
        context["skipped"] = int(result.get("skipped", 0) or 0)
        if result.get("pairs"):
            context["groups"] = run_groups(run, request.GET.get("page"))
    context["crumb"] = _("Solver run")
    return render(request, "workspace/jury/run.html", context)


@staff_view(JURY_MANAGERS)
@require_safe
def run_state(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    """The polled fragment: the progress; once finished, the page reloads to show the result."""
    run = _run(call, pk)
    response = render(request, "workspace/jury/_run_state.html", _run_context(call, role, run))
    if run.status in FINISHED:
        response["HX-Refresh"] = "true"
    return response


@staff_view(JURY_MANAGERS)
@require_POST
def run_apply(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    run = _run(call, pk)
    try:
        assignment_run_apply_later(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workspace:assignment_run", slug=call.slug, pk=run.pk)
    run.refresh_from_db()
    if run.status == RunStatus.APPLIED:  # the task ran at once (the immediate backend)
        messages.success(request, applied_text(run))
        return redirect("workspace:assignments", slug=call.slug)
    messages.info(
        request,
        _("The assignment is being applied in the background: this page shows when it is done."),
    )
    return redirect("workspace:assignment_run", slug=call.slug, pk=run.pk)


def applied_text(run: AssignmentRun) -> str:
    created = int((run.result or {}).get("applied", 0) or 0)
    skipped = int((run.result or {}).get("skipped", 0) or 0)
    text = ngettext(
        "The assignment was applied: %(n)s application given to an expert.",
        "The assignment was applied: %(n)s applications given to experts.",
        created,
    ) % {"n": created}
    if skipped:
        text += " " + ngettext(
            "%(n)s proposed pair was skipped: it was no longer possible (an expert withdrew, a "
            "conflict was declared, or it was assigned meanwhile).",
            "%(n)s proposed pairs were skipped: they were no longer possible (an expert "
            "withdrew, a conflict was declared, or they were assigned meanwhile).",
            skipped,
        ) % {"n": skipped}
    return text


@staff_view(JURY_MANAGERS)
@require_POST
def run_discard(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    run = _run(call, pk)
    try:
        assignment_run_discard(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workspace:assignment_run", slug=call.slug, pk=run.pk)
    messages.success(request, _("The proposal was discarded; nothing was assigned."))
    return redirect("workspace:assignments", slug=call.slug)

"""`baiqau assign --call SLUG`: run the solver for a call from the console.

Without --apply the proposal is stored as a run waiting for review in the workspace (where a
person applies or discards it); with --apply --actor EMAIL it is applied at once, as that
person. --everyone gives every expert every application (the "everyone" mode).
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.review.models import AssignmentRun, RunStatus
from baiqau.review.services import assignment_everyone, assignment_run_apply
from baiqau.review.services.common import JURY_MANAGERS, check_role
from baiqau.review.staff_selectors import stage_label

BAR_WIDTH = 30


class Progress:
    """A bar redrawn in place on a terminal; one line per stage otherwise (logs, CI)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.stage = ""
        self.drawn = False

    def __call__(self, stage: str, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if self.tty:
            filled = BAR_WIDTH * percent // 100
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {percent:3d}% {stage_label(stage):<60}", ending="")
            self.stream.flush()
            self.drawn = True
        elif stage != self.stage:
            self.stream.write(f"{percent:3d}% {stage_label(stage)}")
        self.stage = stage

    def close(self) -> None:
        if self.drawn:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Propose an assignment of a call's applications to its experts with the solver. "
        "Without --apply, the proposal waits for review in the workspace; with --apply "
        "--actor EMAIL it is applied at once. --everyone gives every expert every application."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--call", required=True, metavar="SLUG", help="the call's slug")
        parser.add_argument(
            "--apply", action="store_true", help="apply the proposal (needs --actor)"
        )
        parser.add_argument(
            "--everyone",
            action="store_true",
            help="every expert scores every application (needs --actor)",
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="the person applying it: an organiser, secretary or chair of the call",
        )
        parser.add_argument(
            "--language",
            choices=["kk", "ru", "en"],
            default="en",
            help="the language of the problems described (default: en)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The problems are written in the language asked for (English by default).
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        call = Call.objects.filter(slug=options["call"]).first()
        if call is None:
            raise CommandError(f"No call has the slug “{options['call']}”.")
        actor = self._actor(options.get("actor"), needed=options["apply"] or options["everyone"])
        try:
            if actor is not None:
                check_role(actor, call, JURY_MANAGERS)
            if options["everyone"]:
                created = assignment_everyone(actor=actor, call=call)
                self.stdout.write(f"Assignments made: {len(created)}.")
                return
            run = self._propose(call, actor)
            if options["apply"]:
                if run.status != RunStatus.PROPOSED:
                    raise CommandError("Nothing to apply: no assignment could be proposed.")
                created = assignment_run_apply(actor=actor, run=run)
                run.refresh_from_db()
                skipped = run.result.get("skipped", 0)
                self.stdout.write(f"Applied: {len(created)} assignments; skipped: {skipped}.")
            elif run.status == RunStatus.PROPOSED:
                self.stdout.write(
                    f"The proposal is run {run.pk}: review and apply it in the workspace, or "
                    "run this command again with --apply --actor EMAIL."
                )
            else:
                raise CommandError("No assignment could be proposed: see the problems above.")
        except DomainError as error:
            raise CommandError(error.message) from error

    def _actor(self, email: str | None, *, needed: bool) -> Any:
        if not email:
            if needed:
                raise CommandError("Give --actor EMAIL: the person on whose behalf it is done.")
            return None
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Nobody has the e-mail address {email}.")
        return user

    def _propose(self, call: Call, actor: Any) -> AssignmentRun:
        from baiqau.review.solver import describe_problems, solve_call

        started = time.perf_counter()
        progress = Progress(self.stderr)
        try:
            result = solve_call(call, progress=progress)
        finally:
            progress.close()
        seconds = time.perf_counter() - started
        status = (
            RunStatus.PROPOSED if result["pairs"] or not result["problems"] else RunStatus.FAILED
        )
        with transaction.atomic():
            run = AssignmentRun.objects.create(
                call=call,
                created_by=actor,
                status=status,
                progress=100,
                stage="done",
                result=result,
                finished_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="assignment_run.proposed",
                subject=run,
                data={"from": "console", "status": status, "pairs": len(result["pairs"])},
            )
        self._summary(result["summary"], seconds)
        problems = describe_problems(result["problems"])
        if problems:
            self.stdout.write("Problems:")
            for text in problems:
                self.stdout.write(f"- {text}")
        return run

    def _summary(self, summary: dict[str, Any], seconds: float) -> None:
        def figure(value: Any) -> str:
            return "—" if value is None else str(value)

        self.stdout.write(
            f"Applications: {summary.get('applications', 0)}; experts: "
            f"{summary.get('experts', 0)}; reviews needed: {summary.get('reviews_needed', 0)}; "
            f"proposed: {summary.get('assigned', 0)}."
        )
        self.stdout.write(f"Coverage: {figure(summary.get('coverage'))}%.")
        self.stdout.write(
            f"Load per expert: {figure(summary.get('load_min'))} to "
            f"{figure(summary.get('load_max'))}."
        )
        self.stdout.write(
            f"Affinity: mean {figure(summary.get('mean_affinity'))}, minimum "
            f"{figure(summary.get('min_affinity'))}."
        )
        self.stdout.write(f"Time: {seconds:.1f} s.")

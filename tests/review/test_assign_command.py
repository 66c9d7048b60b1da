"""`baiqau assign --call SLUG`: propose (a run waiting for review in the workspace), apply as
a person with a jury role, every expert scores everything; clear errors, never a
traceback."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baiqau.audit.models import AuditEvent
from baiqau.review.models import (
    Assignment,
    AssignmentMode,
    AssignmentRun,
    AssignmentSource,
    ReviewPlan,
    RunStatus,
)
from tests.factories import UserFactory, grant
from tests.workspace.jury_builders import application, jury_call, seat

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def call():
    call = jury_call()
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=2, max_load=3)
    for i in range(3):
        application(call, f"Project {i}", summary_kk="Балалар")
    for _ in range(2):
        seat(call, expertise="Балалар")
    seat(call, expertise="Спорт")
    return call


@pytest.fixture
def secretary(call):
    return grant(call, UserFactory(email="secretary@jury.example"), "secretary")


def run(*args: str, stderr: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command("assign", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_proposal_waits_for_review_in_the_workspace(call):
    out, err = run("--call", call.slug)
    run_ = AssignmentRun.objects.get(call=call)
    assert run_.status == RunStatus.PROPOSED
    assert len(run_.result["pairs"]) == 6
    assert "Applications: 3; experts: 3; reviews needed: 6; proposed: 6." in out
    assert "Coverage: 100.0%." in out
    assert re.search(r"Load per expert: \d to \d\.", out)
    assert "Affinity: mean " in out and "Time: " in out
    assert f"The proposal is run {run_.pk}" in out
    assert not Assignment.objects.exists()
    # Not a terminal: one line per stage, no carriage returns.
    assert "\r" not in err
    assert "Reading the call" in err.splitlines()[0]
    assert AuditEvent.objects.get(action="assignment_run.proposed").data["pairs"] == 6


def test_on_a_terminal_the_progress_is_a_bar(call):
    _out, err = run("--call", call.slug, stderr=Terminal())
    assert "\r[" in err and "100% Done" in err
    assert err.endswith("\n")


def test_apply_as_a_person_with_a_jury_role(call, secretary):
    out, _err = run("--call", call.slug, "--apply", "--actor", "Secretary@Jury.example")
    assert "Applied: 6 assignments; skipped: 0." in out
    assert Assignment.objects.filter(source=AssignmentSource.SOLVER).count() == 6
    assert AssignmentRun.objects.get(call=call).status == RunStatus.APPLIED
    assert AuditEvent.objects.get(action="assignment.bulk_added").actor == secretary


def test_apply_needs_an_actor_with_a_jury_role(call):
    with pytest.raises(CommandError, match="Give --actor EMAIL"):
        run("--call", call.slug, "--apply")
    with pytest.raises(
        CommandError, match=re.escape("Nobody has the e-mail address nobody@jury.example.")
    ):
        run("--call", call.slug, "--apply", "--actor", "nobody@jury.example")
    observer = grant(call, UserFactory(email="observer@jury.example"), "observer")
    with pytest.raises(CommandError, match=re.escape("You may not manage the jury of this call.")):
        run("--call", call.slug, "--apply", "--actor", observer.email)
    assert not AssignmentRun.objects.exists()
    assert not Assignment.objects.exists()


def test_an_unknown_call_is_a_clear_error(db):
    with pytest.raises(CommandError, match=re.escape("No call has the slug “nope”.")):
        run("--call", "nope")


def test_an_impossible_instance_is_explained_and_fails(call, secretary):
    ReviewPlan.objects.filter(call=call).update(max_load=0)
    out = io.StringIO()
    with pytest.raises(
        CommandError, match=re.escape("Nothing to apply: no assignment could be proposed.")
    ):
        call_command(
            "assign", "--call", call.slug, "--apply", "--actor", secretary.email, stdout=out
        )
    assert "- The experts can take 0 more reviews in all, but the applications need 6." in (
        out.getvalue()
    )
    with pytest.raises(CommandError, match="No assignment could be proposed: see the problems"):
        run("--call", call.slug)
    assert {r.status for r in AssignmentRun.objects.filter(call=call)} == {RunStatus.FAILED}
    assert not Assignment.objects.exists()


def test_the_problems_are_written_in_words(call):
    ReviewPlan.objects.filter(call=call).update(max_load=1)
    out = io.StringIO()
    call_command("assign", "--call", call.slug, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Problems:" in text
    assert (
        "- The experts can take 3 more reviews in all, but the applications need 6. Raise the "
        "maximum load per expert, or invite more experts." in text
    )


def test_everyone_mode(call, secretary):
    with pytest.raises(CommandError, match="change the review plan first"):
        run("--call", call.slug, "--everyone", "--actor", secretary.email)
    ReviewPlan.objects.filter(call=call).update(mode=AssignmentMode.EVERYONE)
    out, _err = run("--call", call.slug, "--everyone", "--actor", secretary.email)
    assert "Assignments made: 9." in out
    assert Assignment.objects.filter(source=AssignmentSource.EVERYONE).count() == 9


def test_the_console_command_exits_non_zero_without_a_traceback(tmp_path):
    """Through the `baiqau` entry point, as a person types it (its own SQLite database)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "baiqau.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "test-only",
    }
    root = Path(__file__).resolve().parents[2]
    subprocess.run(  # fixed arguments
        [sys.executable, "-m", "baiqau.cli", "migrate", "-v", "0"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    done = subprocess.run(  # fixed arguments
        [sys.executable, "-m", "baiqau.cli", "assign", "--call", "nope"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "No call has the slug “nope”." in done.stderr
    assert "Traceback" not in done.stderr

"""Solver runs from the workspace: start, progress (htmx polling with a no-JS fallback), the
proposal in words and figures, applying or discarding it; impossible instances explained."""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages

from baiqau.audit.models import AuditEvent
from baiqau.review.models import (
    Assignment,
    AssignmentRun,
    AssignmentSource,
    Expert,
    ExpertStatus,
    ReviewPlan,
    RunStatus,
)
from tests.factories import member_of
from tests.workspace.jury_builders import application, cast, jury_call, seat, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def people(db):
    people = cast(jury_call())
    # Only the spare experts created by each test take reviews.
    Expert.objects.filter(call=people.call).update(max_load=0)
    return people


@pytest.fixture
def call(people):
    return people.call


@pytest.fixture
def as_secretary(client, no_mfa, people):
    client.force_login(people.user("secretary"))
    return client


@pytest.fixture
def start(as_secretary, call, django_capture_on_commit_callbacks):
    """Start a run; the task (immediate backend) runs when the request's transaction
    commits."""

    def start():
        with django_capture_on_commit_callbacks(execute=True):
            return as_secretary.post(url(call, "assignment_run_start"))

    return start


def test_a_run_is_proposed_reviewed_and_applied(
    as_secretary, call, people, start, django_capture_on_commit_callbacks
):
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=2, max_load=4)
    apps = [application(call, f"Project {i}", summary_kk="Мүгедектік") for i in range(4)]
    experts = [seat(call, expertise="Мүгедектік", max_load=None) for _ in range(3)]
    started = start()
    run = AssignmentRun.objects.get(call=call)
    assert started["Location"] == url(call, "assignment_run", pk=run.pk)
    # The immediate task backend has run it already.
    assert run.status == RunStatus.PROPOSED
    page = text(as_secretary.get(started["Location"]))
    assert "Reviews needed</dt><dd>8</dd>" in page
    assert "Reviews proposed</dt><dd>8</dd>" in page
    assert "Coverage</dt><dd>100.0%</dd>" in page
    assert "Apply this assignment" in page
    assert "hx-trigger" not in page
    for app in apps:
        assert app.title_kk in page
    # Confirming queues the work; the page follows it (here the task runs at the commit).
    with django_capture_on_commit_callbacks(execute=True):
        applied = as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    assert applied["Location"] == url(call, "assignment_run", pk=run.pk)
    assert told(applied) == [
        "The assignment is being applied in the background: this page shows when it is done."
    ]
    assert "Applied: 8 assignments." in text(as_secretary.get(applied["Location"]))
    assert Assignment.objects.filter(source=AssignmentSource.SOLVER).count() == 8
    loads = sorted(Assignment.objects.filter(expert__in=experts).values_list("expert", flat=True))
    assert all(loads.count(e.pk) <= 4 for e in experts)
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED
    event = AuditEvent.objects.get(action="assignment.bulk_added")
    assert (event.data["run"], event.data["count"]) == (run.pk, 8)
    # Applying twice does nothing more.
    again = as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    assert "Only a proposal waiting for review can be applied." in told(again)
    assert Assignment.objects.count() == 8


def test_a_run_in_progress_polls_its_fragment_and_offers_a_reload_link(as_secretary, call):
    run = AssignmentRun.objects.create(
        call=call, status=RunStatus.RUNNING, progress=40, stage="affinity"
    )
    page = as_secretary.get(url(call, "assignment_run", pk=run.pk)).content.decode()
    state = url(call, "assignment_run_state", pk=run.pk)
    assert f'hx-get="{state}" hx-trigger="every 1s"' in page
    assert '<div aria-live="polite">' in page
    assert '<progress id="run-progress" max="100" value="40"' in page
    assert "40% done" in page
    assert "Matching experts to applications" in page
    assert f'<a href="{url(call, "assignment_run", pk=run.pk)}">Reload</a>' in page
    fragment = as_secretary.get(state)
    assert "HX-Refresh" not in fragment
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    AssignmentRun.objects.filter(pk=run.pk).update(status=RunStatus.PROPOSED, progress=100)
    done = as_secretary.get(state)
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()
    assert "Show the result" in done.content.decode()


def test_a_run_with_no_expert_explains_itself_and_nothing_can_be_applied(as_secretary, call, start):
    Expert.objects.filter(call=call).update(status=ExpertStatus.WITHDRAWN)
    application(call, "Жалғыз")
    start()
    run = AssignmentRun.objects.get(call=call)
    assert run.status == RunStatus.FAILED
    response = as_secretary.get(url(call, "assignment_run", pk=run.pk))
    assert response.status_code == 200
    page = text(response)
    assert "No assignment could be proposed" in page
    assert (
        "The experts can take 0 more reviews in all, but the applications need 3. Raise the "
        "maximum load per expert, or invite more experts." in page
    )
    assert "Apply this assignment" not in page
    refused = as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    assert "Only a proposal waiting for review can be applied." in told(refused)


def test_an_application_every_expert_is_conflicted_with_is_named(
    as_secretary, call, start, django_capture_on_commit_callbacks
):
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=1)
    helper = seat(call, max_load=5)
    covered = application(call, "Covered")
    blocked = application(call, "Blocked")
    member_of(helper.user, blocked.organisation)
    start()
    run = AssignmentRun.objects.get(call=call)
    assert run.status == RunStatus.PROPOSED  # the rest can still be applied
    page = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert "What the proposal cannot cover" in page
    assert "“Blocked”" in page
    assert "Coverage</dt><dd>50.0%</dd>" in page
    with django_capture_on_commit_callbacks(execute=True):
        as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    assert list(Assignment.objects.values_list("application", "expert")) == [
        (covered.pk, helper.pk)
    ]


def test_a_run_that_crashed_says_so_without_a_traceback(as_secretary, call):
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.FAILED,
        progress=30,
        result={"error": "MemoryError", "problems": []},
    )
    response = as_secretary.get(url(call, "assignment_run", pk=run.pk))
    assert response.status_code == 200
    page = text(response)
    assert "The solver stopped because of an error." in page
    assert "MemoryError" not in page and "Traceback" not in page


def test_a_solver_error_fails_the_run_and_the_page_explains(as_secretary, call, monkeypatch, start):
    def broken(call, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("baiqau.review.solver.solve_call", broken)
    application(call)
    start()  # the task fails; the backend logs it
    run = AssignmentRun.objects.get(call=call)
    assert run.status == RunStatus.FAILED
    page = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert "The solver stopped because of an error." in page and "boom" not in page


def test_discarding_a_proposal_assigns_nothing(as_secretary, call):
    helper = seat(call, max_load=5)
    app = application(call)
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={"pairs": [[app.pk, helper.pk, 0.4]], "summary": {}, "problems": []},
    )
    response = as_secretary.post(url(call, "assignment_run_discard", pk=run.pk))
    assert told(response) == ["The proposal was discarded; nothing was assigned."]
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED
    assert not Assignment.objects.exists()


def test_applying_reports_pairs_that_became_impossible(
    as_secretary, call, django_capture_on_commit_callbacks
):
    helper, gone = seat(call, max_load=5), seat(call, max_load=5)
    app = application(call)
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={
            "pairs": [[app.pk, helper.pk, 0.4], [app.pk, gone.pk, 0.3]],
            "summary": {},
            "problems": [],
        },
    )
    Expert.objects.filter(pk=gone.pk).update(status=ExpertStatus.WITHDRAWN)
    page = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert page.index(str(helper.user)) < page.index(str(gone.user))  # best affinity first
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    page = text(as_secretary.get(response["Location"]))
    assert "Applied: 1 assignments. 1 proposed pair was skipped" in page
    assert list(Assignment.objects.values_list("expert", flat=True)) == [helper.pk]


def test_a_second_click_on_run_returns_the_run_in_progress(as_secretary, call):
    busy = AssignmentRun.objects.create(call=call, status=RunStatus.RUNNING, progress=10)
    response = as_secretary.post(url(call, "assignment_run_start"))
    assert response["Location"] == url(call, "assignment_run", pk=busy.pk)
    assert AssignmentRun.objects.count() == 1


def test_the_proposal_is_paginated_by_application(as_secretary, call):
    helper = seat(call, max_load=100)
    apps = [application(call, f"P{i:02d}") for i in range(55)]
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={"pairs": [[a.pk, helper.pk, 0.5] for a in apps], "summary": {}, "problems": []},
    )
    first = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert "Page 1 of 2" in first and "P00" in first and "P54" not in first
    second = text(as_secretary.get(url(call, "assignment_run", pk=run.pk), {"page": 2}))
    assert "P54" in second and "P00" not in second


def test_a_confirmed_proposal_is_applied_in_the_background_once(
    as_secretary, call, django_capture_on_commit_callbacks
):
    helper = seat(call, max_load=5)
    app = application(call)
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={"pairs": [[app.pk, helper.pk, 0.4]], "summary": {}, "problems": []},
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
        as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))  # a double click
    run.refresh_from_db()
    assert run.status == RunStatus.APPLYING
    page = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert "hx-trigger" in page  # the page follows the work
    assert len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED
    assert Assignment.objects.count() == 1


def test_a_proposal_that_became_stale_goes_back_with_the_reason(
    as_secretary, call, django_capture_on_commit_callbacks
):
    helper = seat(call, max_load=5)
    app = application(call)
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={"pairs": [[app.pk, helper.pk, 0.4]], "summary": {}, "problems": []},
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_secretary.post(url(call, "assignment_run_apply", pk=run.pk))
    AssignmentRun.objects.create(call=call, status=RunStatus.PROPOSED, progress=100)
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    page = text(as_secretary.get(url(call, "assignment_run", pk=run.pk)))
    assert "The proposal was not applied: A newer proposal exists" in page
    assert not Assignment.objects.exists()

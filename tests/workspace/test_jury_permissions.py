"""Who may open each jury page and make each jury change: every persona × every page and
action, with the exact status expected.

Anonymous people are sent to log in; people without a role on the call (applicants, experts
without a staff role, staff of another call) get a 404, as do roles the page is not for; a
role that may see a page but not change it gets a 403 for the change.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants, get_messages

from baiqau.review.models import AssignmentMode, AssignmentRun, ReviewPlan, RunStatus
from tests.workspace.jury_builders import PERSONAS, application, assign, cast, jury_call, seat, url

pytestmark = pytest.mark.django_db

OK, MOVED, FORBIDDEN, MISSING = 200, 302, 403, 404
MANAGERS = {"organiser", "secretary", "chair"}
ALL = {"organiser", "secretary", "chair", "member", "observer"}


def expect(allowed: set[str], status: int, *, also: dict[str, int] | None = None) -> dict[str, int]:
    """The status for each persona: `status` for the allowed roles, 404 for the others."""
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED
    table.update(dict.fromkeys(allowed, status))
    table.update(also or {})
    return table


@pytest.fixture
def world(monkeypatch):
    """A call in review, every persona, two applications, a spare expert, an assignment, a
    proposed run. The solver is replaced: this test is about who may, not what it does."""
    monkeypatch.setattr(
        "baiqau.review.solver.solve_call",
        lambda call, **kwargs: {"pairs": [], "summary": {}, "problems": []},
    )
    call = jury_call()
    ReviewPlan.objects.filter(call=call).update(mode=AssignmentMode.EVERYONE)
    people = cast(call)
    first, second = application(call, "Бірінші"), application(call, "Екінші")
    spare = seat(call)
    assignment = assign(people.expert_seat, first, declared=False)
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.PROPOSED,
        progress=100,
        result={"pairs": [[second.pk, spare.pk, 0.5]], "summary": {}, "problems": []},
    )
    return {
        "cast": people,
        "call": call,
        "first": first,
        "second": second,
        "spare": spare,
        "assignment": assignment,
        "run": run,
    }


def _cases() -> list[tuple[str, str, Any, Any, dict[str, int]]]:
    """(case id, method, url builder, POST data builder, expected statuses)."""

    def page(name: str, **kw: Any) -> Any:
        return lambda w: url(w["call"], name, **{k: v(w) for k, v in kw.items()})

    first = lambda w: w["first"].pk  # noqa: E731
    spare = lambda w: w["spare"].pk  # noqa: E731
    run = lambda w: w["run"].pk  # noqa: E731
    assignment = lambda w: w["assignment"].pk  # noqa: E731
    nothing = lambda w: {}  # noqa: E731
    return [
        ("jury", "get", page("jury"), None, expect({"organiser"}, OK)),
        (
            "jury-plan",
            "post",
            page("jury"),
            lambda w: {
                "form": "plan",
                "mode": "solver",
                "reviews_per_application": "2",
                "min_load": "0",
                "max_load": "10",
                "other_scores": "never",
            },
            expect({"organiser"}, MOVED),
        ),
        ("experts", "get", page("experts"), None, expect(MANAGERS, OK)),
        (
            "experts-invite",
            "post",
            page("experts"),
            lambda w: {"email": "new@jury.example", "role": "expert"},
            expect(MANAGERS, FORBIDDEN, also={"organiser": MOVED}),
        ),
        ("expert", "get", page("expert", pk=spare), None, expect(MANAGERS, OK)),
        (
            "expert-seat",
            "post",
            page("expert", pk=spare),
            lambda w: {"is_commission": "on", "max_load": "5"},
            expect(MANAGERS, FORBIDDEN, also={"organiser": MOVED}),
        ),
        ("withdraw", "get", page("expert_withdraw", pk=spare), None, expect(MANAGERS, OK)),
        (
            "withdraw-post",
            "post",
            page("expert_withdraw", pk=spare),
            lambda w: {"reason": "Ill"},
            expect(MANAGERS, MOVED),
        ),
        ("assignments", "get", page("assignments"), None, expect(MANAGERS, OK)),
        (
            "assignment-application",
            "get",
            page("assignment_application", pk=first),
            None,
            expect(MANAGERS, OK),
        ),
        (
            "assignment-add",
            "post",
            page("assignment_add", pk=first),
            lambda w: {"add-expert": str(w["spare"].pk), "add-reason": "Knows the field"},
            expect(MANAGERS, MOVED),
        ),
        (
            "assignment-swap",
            "post",
            page("assignment_swap", pk=first, assignment_pk=assignment),
            lambda w: {
                f"swap-{w['assignment'].pk}-expert": str(w["spare"].pk),
                f"swap-{w['assignment'].pk}-reason": "Busy",
            },
            expect(MANAGERS, MOVED),
        ),
        (
            "assignment-remove",
            "get",
            page("assignment_remove", pk=first, assignment_pk=assignment),
            None,
            expect(MANAGERS, OK),
        ),
        (
            "assignment-remove-post",
            "post",
            page("assignment_remove", pk=first, assignment_pk=assignment),
            lambda w: {"reason": "Busy"},
            expect(MANAGERS, MOVED),
        ),
        ("everyone", "get", page("assignment_everyone"), None, expect(MANAGERS, OK)),
        ("everyone-post", "post", page("assignment_everyone"), nothing, expect(MANAGERS, MOVED)),
        ("run-start", "post", page("assignment_run_start"), nothing, expect(MANAGERS, MOVED)),
        ("run", "get", page("assignment_run", pk=run), None, expect(MANAGERS, OK)),
        ("run-state", "get", page("assignment_run_state", pk=run), None, expect(MANAGERS, OK)),
        (
            "run-apply",
            "post",
            page("assignment_run_apply", pk=run),
            nothing,
            expect(MANAGERS, MOVED),
        ),
        (
            "run-discard",
            "post",
            page("assignment_run_discard", pk=run),
            nothing,
            expect(MANAGERS, MOVED),
        ),
        ("progress", "get", page("review_progress"), None, expect(ALL, OK)),
        (
            "remind",
            "post",
            page("review_remind", pk=lambda w: w["cast"].expert_seat.pk),
            nothing,
            expect(MANAGERS, MOVED),
        ),
        ("remind-late", "post", page("review_remind_late"), nothing, expect(MANAGERS, MOVED)),
        (
            "application-jury",
            "get",
            page("application_jury", pk=first),
            None,
            expect({"organiser", "secretary"}, OK),
        ),
        (
            "application-jury-post",
            "post",
            page("application_jury", pk=first),
            lambda w: {"form": "settings", "reviews_needed": "2"},
            expect({"organiser", "secretary"}, MOVED),
        ),
    ]


CASES = _cases()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "make_url", "make_data", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, no_mfa, world, persona, method, make_url, make_data, expected):
    user = world["cast"].user(persona)
    if user is not None:
        client.force_login(user)
    target = make_url(world)
    response = client.get(target) if method == "get" else client.post(target, make_data(world))
    assert response.status_code == expected[persona], (persona, target, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    elif response.status_code == MOVED:
        # Allowed and done: not a refusal sent back as an error message.
        told = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        assert all(level < constants.WARNING for level, _text in told), told


def test_the_changes_allowed_in_the_matrix_really_happen(client, no_mfa, world):
    """A 302 in the matrix is a change made, not a refusal sent back with a message."""
    from baiqau.review.models import Assignment

    client.force_login(world["cast"].user("chair"))
    response = client.post(
        url(world["call"], "assignment_add", pk=world["first"].pk),
        {"add-expert": str(world["spare"].pk), "add-reason": "Knows the field"},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(expert=world["spare"], application=world["first"]).exists()

"""Who may open each results page and make each results change: every persona × every page and
action, with the exact status expected.

Anonymous people are sent to log in; people without a role on the call (applicants, experts
without a staff role, staff of another call) get a 404, as do roles the page is not for; a
role that may see a page but not change it gets a 403 for the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages

from baiqau.calls.models import CallStatus
from baiqau.results.models import Ranking
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import confirm_by_vote
from tests.workspace.results_builders import PERSONAS, distinct_rows, results_world, url

pytestmark = pytest.mark.django_db

OK, MOVED, FORBIDDEN, MISSING = 200, 302, 403, 404
EVERY_ROLE = {"organiser", "secretary", "chair", "member", "observer"}
RESULTS = {"organiser", "secretary", "chair", "member"}
COMPUTE = {"organiser", "chair"}
RULES = {
    "calibration": "none",
    "decides": "raw",
    "bias_ridge": "2",
    "min_reviews": "3",
    "tie_1": "vote",
    "disagreement_threshold": "25",
    "resamples": "50",
    "level": "0.95",
    "lottery_value": "",
}


def expect(allowed: set[str], status: int, *, also: dict[str, int] | None = None) -> dict[str, int]:
    """The status for each persona: `status` for the allowed roles, 404 for the others."""
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED
    table.update(dict.fromkeys(allowed, status))
    table.update(also or {})
    return table


@pytest.fixture
def world(db):
    """A call in review with a ranking the commission confirmed."""
    world = results_world(distinct_rows(3))
    ranking_compute(actor=world.user("organiser"), call=world.call)
    confirm_by_vote(world.call)
    return world


def before_review(world: Any) -> None:
    world.call.status = CallStatus.CLOSED
    world.call.save(update_fields=["status"])


def published(world: Any) -> None:
    results_publish(actor=world.user("organiser"), call=world.call)


Case = tuple[str, str, str, dict[str, str] | None, Callable[[Any], None] | None, dict[str, int]]

CASES: list[Case] = [
    ("rules", "get", "results_rules", None, None, expect(EVERY_ROLE, OK)),
    (
        "rules-save",
        "post",
        "results_rules",
        RULES,
        before_review,
        expect(EVERY_ROLE, FORBIDDEN, also={"organiser": MOVED}),
    ),
    ("results", "get", "results", None, None, expect(RESULTS, OK)),
    (
        "compute",
        "post",
        "results",
        {"reason": "A review was corrected"},
        None,
        expect(RESULTS, FORBIDDEN, also=dict.fromkeys(COMPUTE, MOVED)),
    ),
    ("publish", "get", "results_publish", None, None, expect({"organiser"}, OK)),
    ("publish-post", "post", "results_publish", {}, None, expect({"organiser"}, MOVED)),
    ("withdraw", "get", "results_withdraw", None, published, expect({"organiser"}, OK)),
    (
        "withdraw-post",
        "post",
        "results_withdraw",
        {"reason": "A conflict came to light"},
        published,
        expect({"organiser"}, MOVED),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "name", "data", "prepare", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, no_mfa, world, persona, method, name, data, prepare, expected):
    if prepare is not None:
        prepare(world)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    target = url(world.call, name)
    response = client.get(target) if method == "get" else client.post(target, data)
    assert response.status_code == expected[persona], (persona, target, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    elif response.status_code == MOVED:
        # Allowed and done: not a refusal sent back as an error message.
        told = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        assert all(level == constants.SUCCESS for level, _text in told), told


@pytest.mark.parametrize("persona", ["secretary", "member", "observer", "applicant", "other_staff"])
def test_a_refused_compute_changes_nothing(client, no_mfa, world, persona):
    client.force_login(world.user(persona))
    client.post(url(world.call, "results"), {"reason": "Try"})
    assert Ranking.objects.filter(call=world.call).count() == 1


def test_staff_must_use_two_factor_authentication(client, world):
    client.force_login(world.user("organiser"))
    response = client.get(url(world.call, "results"))
    assert response.status_code == MOVED
    assert "/accounts/2fa/" in response["Location"]

"""The results pages cost a fixed number of queries whatever the number of applications: the
same count is expected for 3 and for 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baiqau.calls.models import CallStatus
from baiqau.results.services import ranking_compute
from tests.workspace.results_builders import distinct_rows, results_world, set_rules, url

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def count(client, size: int, persona: str, name: str, *, status: str = "", ranked=True) -> int:
    world = results_world(distinct_rows(size))
    set_rules(world.call, calibration="zscore", disagreement_threshold=5, resamples=20)
    if ranked:
        ranking_compute(actor=world.user("organiser"), call=world.call)
    if status:
        world.call.status = status
        world.call.save(update_fields=["status"])
    client.force_login(world.user(persona))
    target = url(world.call, name)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    if name == "results" and ranked:
        assert response.content.decode().count('<th scope="row"><a href=') == size
    return len(captured)


# Session, user, the role with its call; the header's unread notifications, workspace and
# expert links: the workspace's fixed cost (6). Then each page's own reads.
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # ranking, criteria, count, page of entries, their awards, the experts' names
        ("organiser", 12),
        # the same without the experts' names
        ("chair", 11),
    ],
)
def test_the_results_page_costs_the_same_for_3_or_30_applications(
    client, no_mfa, size, persona, expected
):
    assert count(client, size, persona, "results") == expected


@pytest.mark.parametrize("size", SIZES)
def test_the_results_page_before_a_ranking_costs_the_same(client, no_mfa, size):
    # ranking, criteria, the call's rules
    assert count(client, size, "secretary", "results", ranked=False) == 9


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("organiser", CallStatus.CLOSED, 8),  # the form: rules, criteria
        ("secretary", CallStatus.IN_REVIEW, 8),  # the summary: rules, criteria
    ],
)
def test_the_rules_page_costs_the_same_for_3_or_30_applications(
    client, no_mfa, size, persona, status, expected
):
    assert count(client, size, persona, "results_rules", status=status) == expected

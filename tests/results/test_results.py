from decimal import Decimal

import pytest

from baiqau.applications.models import ApplicationStatus
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import AwardScheme, CallStatus
from baiqau.core.errors import DomainError
from baiqau.results.models import Ranking
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import call_in_review_with_scores, confirm_by_vote, grant

pytestmark = pytest.mark.django_db


def _titles(ranking):
    return [(e.position, e.application.title_en, e.tied) for e in ranking.entries.all()]


def test_ranking_is_computed_from_weighted_scores(organiser):
    # Two experts; criteria weighted 40/30/30 on a 0–10 scale.
    call = call_in_review_with_scores(
        [
            [10, 0, 0, 10, 0, 0],  # 40 from each review → 40
            [0, 10, 10, 0, 10, 10],  # 60 from each review → 60
            [5, 5, 5, 5, 5, 5],  # 50
        ]
    )
    ranking = ranking_compute(actor=organiser, call=call)
    assert _titles(ranking) == [
        (1, "Project 1", False),
        (2, "Project 2", False),
        (3, "Project 0", False),
    ]
    assert [e.score for e in ranking.entries.all()] == [Decimal(60), Decimal(50), Decimal(40)]
    assert [(a.place, a.amount) for a in ranking.awards.all()] == [
        (1, 1_000_000),
        (2, 700_000),
        (3, 500_000),
    ]
    event = AuditEvent.objects.get(action="ranking.computed")
    assert event.data["awards"][0] == [ranking.entries.first().application_id, 1, 1_000_000]


def test_tie_at_a_prize_place_is_reported_and_blocks_publication(organiser):
    call = call_in_review_with_scores([[9, 9, 9], [7, 7, 7], [7, 7, 7], [3, 3, 3]])
    ranking = ranking_compute(actor=organiser, call=call)
    assert [(e.position, e.tied) for e in ranking.entries.all()] == [
        (1, False),
        (2, True),
        (2, True),
        (4, False),
    ]
    # Place 1 is awarded; the tie covers places 2 and 3, which wait for a tie-break.
    assert [a.place for a in ranking.awards.all()] == [1]
    assert len(AuditEvent.objects.get(action="ranking.computed").data["unresolved_ties"]) == 1
    with pytest.raises(DomainError) as error:
        results_publish(actor=organiser, call=call)
    assert error.value.code == "unresolved_tie"


def test_recomputing_keeps_one_current_ranking(organiser):
    call = call_in_review_with_scores([[9, 9, 9], [5, 5, 5]])
    first = ranking_compute(actor=organiser, call=call)
    second = ranking_compute(actor=organiser, call=call)
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert Ranking.objects.filter(call=call, is_current=True).get() == second


def test_publish_decides_the_call_and_every_application(organiser):
    call = call_in_review_with_scores([[9, 9, 9], [8, 8, 8], [7, 7, 7], [6, 6, 6]])
    grant(call, organiser)
    ranking_compute(actor=organiser, call=call)
    with pytest.raises(DomainError) as error:
        results_publish(actor=organiser, call=call)
    assert error.value.code == "unconfirmed"
    confirm_by_vote(call)
    call = results_publish(actor=organiser, call=call)
    assert call.status == CallStatus.DECIDED
    assert call.results_published_at is not None
    statuses = list(call.applications.order_by("id").values_list("status", flat=True))
    assert statuses == [ApplicationStatus.AWARDED] * 3 + [ApplicationStatus.NOT_AWARDED]
    assert AuditEvent.objects.filter(action="results.published").count() == 1


def test_grant_pool_funds_down_the_ranking(organiser):
    call = call_in_review_with_scores([[9, 9, 9], [8, 8, 8], [7, 7, 7]])
    call.award_scheme = AwardScheme.POOL
    call.pool_amount = 1_500_000
    call.max_per_project = 800_000
    call.save()
    call.prizes.all().delete()
    call.applications.update(requested_amount=700_000)
    ranking = ranking_compute(actor=organiser, call=call)
    assert [(a.place, a.amount) for a in ranking.awards.all()] == [(1, 700_000), (2, 700_000)]


def test_ranking_without_reviews_is_refused(organiser):
    call = call_in_review_with_scores([[5, 5, 5]])
    from baiqau.review.models import Review

    Review.objects.all().update(status="draft")
    with pytest.raises(DomainError) as error:
        ranking_compute(actor=organiser, call=call)
    assert error.value.code == "no_reviews"


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"calibration": "zscore", "min_reviews": 1}, "min_reviews"),
        ({"calibration": "least_squares_scale", "bias_ridge": 0}, "bias_ridge"),
        ({"resamples": 0}, "resamples"),
        ({"level": Decimal("1.0")}, "level"),
        ({"tie_break": ["lot"]}, "lottery_value"),
        ({"tie_break": ["criterion:999999"]}, "tie_break"),
        ({"decides": "calibrated"}, "decides"),
    ],
)
def test_inconsistent_result_rules_are_refused_with_a_reason(organiser, values, code):
    from baiqau.results.services import result_rules_update

    call = call_in_review_with_scores([[5, 5, 5]])
    call.status = CallStatus.CLOSED
    call.save()
    with pytest.raises(DomainError) as error:
        result_rules_update(actor=organiser, call=call, **values)
    assert error.value.code == code


def test_publishing_twice_is_refused(organiser):
    call = call_in_review_with_scores([[9, 9, 9], [8, 8, 8], [7, 7, 7]])
    grant(call, organiser)
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    results_publish(actor=organiser, call=call)
    with pytest.raises(DomainError) as error:
        results_publish(actor=organiser, call=call)
    assert error.value.code == "published"

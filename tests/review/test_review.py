"""Scoring: drafts, submission, resubmission with old and new values audited, the rules on
who may score what and when."""

from datetime import timedelta

import pytest

from baiqau.audit.models import AuditEvent
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.review.models import Assignment, Review, ReviewStatus
from baiqau.review.services import (
    declaration_make,
    expert_add,
    review_plan_update,
    review_save,
    review_submit,
)
from tests.factories import UserFactory, call_in_review_with_scores, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(expert, organiser):
    call = call_in_review_with_scores([[5, 5, 5]])
    grant(call, organiser, "organiser")
    seat = expert_add(actor=organiser, call=call, user=expert, is_commission=True)
    application = call.applications.get()
    Assignment.objects.create(expert=seat, application=application, reason="test")
    declaration_make(actor=expert, application=application, conflict=False)
    criteria = list(call.criteria.all())
    return call, application, criteria


def test_submit_scores_is_audited(setup, expert):
    _call, application, criteria = setup
    review = review_submit(
        actor=expert,
        application=application,
        scores={c.pk: 7 for c in criteria},
        comments={criteria[0].pk: "Clear need"},
    )
    assert review.status == ReviewStatus.SUBMITTED
    assert [s.value for s in review.scores.all()] == [7, 7, 7]
    assert review.scores.get(criterion=criteria[0]).comment == "Clear need"
    event = AuditEvent.objects.get(action="review.submitted")
    assert event.data["old"] is None
    assert event.data["new"][str(criteria[0].pk)] == {"score": "7.00", "comment": "Clear need"}


def test_changing_a_submitted_score_is_audited_with_old_and_new_values(setup, expert):
    _call, application, criteria = setup
    review_submit(actor=expert, application=application, scores={c.pk: 7 for c in criteria})
    review_submit(
        actor=expert,
        application=application,
        scores={criteria[0].pk: 9, criteria[1].pk: 7, criteria[2].pk: 7},
    )
    event = AuditEvent.objects.get(action="review.resubmitted")
    assert event.data["old"][str(criteria[0].pk)]["score"] == "7.00"
    assert event.data["new"][str(criteria[0].pk)]["score"] == "9.00"
    assert Review.objects.filter(application=application, expert__user=expert).count() == 1


def test_submitting_the_same_scores_again_records_nothing_new(setup, expert):
    _call, application, criteria = setup
    review_submit(actor=expert, application=application, scores={c.pk: 7 for c in criteria})
    review_submit(actor=expert, application=application, scores={c.pk: 7 for c in criteria})
    assert not AuditEvent.objects.filter(action="review.resubmitted").exists()


def test_a_draft_keeps_partial_scores_and_is_not_audited(setup, expert):
    _call, application, criteria = setup
    review = review_save(
        actor=expert,
        application=application,
        scores={criteria[0].pk: "6,5", criteria[1].pk: ""},
        note_for_commission="Check the budget",
    )
    assert review.status == ReviewStatus.DRAFT
    values = {s.criterion_id: s.value for s in review.scores.all()}
    assert str(values[criteria[0].pk]) == "6.50"
    assert values[criteria[1].pk] is None
    assert review.note_for_commission == "Check the budget"
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_a_submitted_review_cannot_go_back_to_draft(setup, expert):
    _call, application, criteria = setup
    review_submit(actor=expert, application=application, scores={c.pk: 7 for c in criteria})
    with pytest.raises(DomainError) as error:
        review_save(actor=expert, application=application, scores={})
    assert error.value.code == "submitted"


def test_score_outside_the_scale_is_refused(setup, expert):
    _call, application, criteria = setup
    with pytest.raises(DomainError) as error:
        review_submit(
            actor=expert,
            application=application,
            scores={criteria[0].pk: 11, criteria[1].pk: 5, criteria[2].pk: 5},
        )
    assert error.value.code == "score_range"
    assert "between 0 and 10" in error.value.message
    assert not Review.objects.filter(expert__user=expert).exists()


@pytest.mark.parametrize("garbage", ["seven", "NaN", "1e999", "Infinity"])
def test_a_score_that_is_not_a_number_is_refused_clearly(setup, expert, garbage):
    _call, application, criteria = setup
    with pytest.raises(DomainError) as error:
        review_save(actor=expert, application=application, scores={criteria[0].pk: garbage})
    assert error.value.code in {"score_number", "score_range"}


def test_missing_criterion_is_refused(setup, expert):
    _call, application, criteria = setup
    with pytest.raises(DomainError) as error:
        review_submit(actor=expert, application=application, scores={criteria[0].pk: 5})
    assert error.value.code == "missing_score"


def test_comments_are_required_when_the_plan_says_so(setup, expert, organiser):
    call, application, criteria = setup
    review_plan_update(actor=organiser, call=call, comment_required=True)
    with pytest.raises(DomainError) as error:
        review_submit(
            actor=expert,
            application=application,
            scores={c.pk: 5 for c in criteria},
            comments={criteria[0].pk: "Fine"},
        )
    assert error.value.code == "missing_comment"
    assert str(criteria[1].name) in error.value.message


def test_person_who_is_not_an_expert_of_the_call_cannot_score(setup):
    _call, application, criteria = setup
    outsider = UserFactory()
    with pytest.raises(DomainError) as error:
        review_submit(actor=outsider, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "not_expert"


def test_an_expert_must_be_assigned_and_declared_to_score(setup, organiser):
    call, application, criteria = setup
    other = UserFactory()
    expert_add(actor=organiser, call=call, user=other)
    with pytest.raises(DomainError) as error:
        review_submit(actor=other, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "forbidden"
    seat = call.experts.get(user=other)
    Assignment.objects.create(expert=seat, application=application)
    with pytest.raises(DomainError) as error:  # assigned, but no declaration yet
        review_submit(actor=other, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "forbidden"


def test_scores_are_refused_when_the_call_is_not_in_review(setup, expert):
    call, application, criteria = setup
    call.status = "decided"
    call.save()
    with pytest.raises(DomainError) as error:
        review_submit(actor=expert, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "not_in_review"


def test_scores_are_refused_after_the_review_period(setup, expert):
    call, application, criteria = setup
    with clock.replay(call.review_ends_at + timedelta(minutes=1)), pytest.raises(DomainError) as e:
        review_submit(actor=expert, application=application, scores={c.pk: 5 for c in criteria})
    assert e.value.code == "review_closed"


def test_adding_the_same_expert_twice_keeps_one_seat(organiser, expert, setup):
    call, _application, _criteria = setup
    expert_add(actor=organiser, call=call, user=expert)
    assert call.experts.filter(user=expert).count() == 1
    assert AuditEvent.objects.filter(action="expert.added").count() == 1

import pytest

from baiqau.audit.models import AuditEvent
from baiqau.core.errors import DomainError
from baiqau.review.models import Review, ReviewStatus
from baiqau.review.services import expert_add, review_submit
from tests.factories import UserFactory, call_in_review_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(expert, organiser):
    call = call_in_review_with_scores([[5, 5, 5]])
    expert_add(actor=organiser, call=call, user=expert, is_commission=True)
    application = call.applications.get()
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
    assert event.data["old_scores"] == {}
    assert event.data["scores"] == {str(c.pk): "7" for c in criteria}


def test_changing_a_submitted_score_is_audited_with_old_and_new_values(setup, expert):
    _call, application, criteria = setup
    review_submit(actor=expert, application=application, scores={c.pk: 7 for c in criteria})
    review_submit(
        actor=expert,
        application=application,
        scores={criteria[0].pk: 9, criteria[1].pk: 7, criteria[2].pk: 7},
    )
    event = AuditEvent.objects.get(action="review.resubmitted")
    assert event.data["old_scores"][str(criteria[0].pk)] == "7.00"
    assert event.data["scores"][str(criteria[0].pk)] == "9"
    assert Review.objects.filter(application=application, expert__user=expert).count() == 1


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


def test_missing_criterion_is_refused(setup, expert):
    _call, application, criteria = setup
    with pytest.raises(DomainError) as error:
        review_submit(actor=expert, application=application, scores={criteria[0].pk: 5})
    assert error.value.code == "missing_score"


def test_person_who_is_not_an_expert_of_the_call_cannot_score(setup):
    _call, application, criteria = setup
    outsider = UserFactory()
    with pytest.raises(DomainError) as error:
        review_submit(actor=outsider, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "not_expert"


def test_scores_are_refused_when_the_call_is_not_in_review(setup, expert):
    call, application, criteria = setup
    call.status = "decided"
    call.save()
    with pytest.raises(DomainError) as error:
        review_submit(actor=expert, application=application, scores={c.pk: 5 for c in criteria})
    assert error.value.code == "not_in_review"


def test_adding_the_same_expert_twice_keeps_one_seat(organiser, expert, setup):
    call, _application, _criteria = setup
    expert_add(actor=organiser, call=call, user=expert)
    assert call.experts.filter(user=expert).count() == 1
    assert AuditEvent.objects.filter(action="expert.added").count() == 1

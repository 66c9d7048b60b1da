from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import Call, CallStatus
from baiqau.calls.services import CriterionSpec, call_create, call_transition
from baiqau.calls.transitions import TRANSITIONS
from baiqau.core.errors import DomainError
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

T = {"kk": "Байқау", "ru": "Конкурс", "en": "Call"}


def _create(actor, **overrides):
    now = timezone.now()
    kwargs = {
        "actor": actor,
        "slug": "city-contest",
        "title": T,
        "aim": T,
        "description": T,
        "opens_at": now,
        "closes_at": now + timedelta(days=30),
        "review_ends_at": now + timedelta(days=45),
        "results_at": now + timedelta(days=50),
        "co_organisers": [OrganisationFactory(), OrganisationFactory()],
        "criteria": [
            CriterionSpec(name={"kk": "А"}, weight=Decimal(60)),
            CriterionSpec(name={"kk": "Б"}, weight=Decimal(40)),
        ],
        "eligible_org_types": ["ngo", "dpo"],
        "prizes": [1_000_000, 700_000, 500_000],
    }
    kwargs.update(overrides)
    return call_create(**kwargs)


def test_create_call_with_organisers_criteria_prizes_and_audit(organiser):
    call = _create(organiser)
    assert call.status == CallStatus.DRAFT
    assert [p.amount for p in call.prizes.all()] == [1_000_000, 700_000, 500_000]
    assert [c.weight for c in call.criteria.all()] == [Decimal(60), Decimal(40)]
    assert call.organiser_links.count() == 2
    event = AuditEvent.objects.get(action="call.created")
    assert event.data["prizes"] == [1_000_000, 700_000, 500_000]
    assert event.actor == organiser


def test_weights_must_total_100(organiser):
    with pytest.raises(DomainError) as error:
        _create(
            organiser,
            criteria=[CriterionSpec(name={"kk": "А"}, weight=Decimal(60))],
        )
    assert error.value.code == "weights"
    assert Call.objects.count() == 0


def test_timeline_out_of_order_is_refused(organiser):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        _create(organiser, opens_at=now, closes_at=now - timedelta(days=1))
    assert "closes_at" in error.value.message_dict


def test_unknown_organisation_type_is_refused(organiser):
    with pytest.raises(ValidationError):
        _create(organiser, eligible_org_types=["bank"])


def test_allowed_move_is_applied_and_audited(organiser):
    call = _create(organiser)
    call = call_transition(actor=organiser, call=call, to=CallStatus.PUBLISHED)
    assert call.status == CallStatus.PUBLISHED
    event = AuditEvent.objects.get(action="call.publish")
    assert event.data == {"from": "draft", "to": "published", "reason": ""}


@pytest.mark.parametrize("target", [CallStatus.DECIDED, CallStatus.ARCHIVED, CallStatus.IN_REVIEW])
def test_move_not_in_the_table_is_refused(organiser, target):
    call = CallFactory(status=CallStatus.DRAFT)
    with pytest.raises(DomainError) as error:
        call_transition(actor=organiser, call=call, to=target)
    assert error.value.code == "transition"
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert not AuditEvent.objects.exists()


def test_every_move_not_in_the_table_is_refused(organiser):
    for current in CallStatus.values:
        for target in CallStatus.values:
            if (current, target) in TRANSITIONS or current == target:
                continue
            call = CallFactory(status=current)
            with pytest.raises(DomainError):
                call_transition(actor=organiser, call=call, to=target, reason="why")


def test_correction_needs_a_reason(organiser):
    call = CallFactory(status=CallStatus.DECIDED)
    with pytest.raises(DomainError) as error:
        call_transition(actor=organiser, call=call, to=CallStatus.IN_REVIEW, reason="  ")
    assert error.value.code == "reason"
    call = call_transition(
        actor=organiser, call=call, to=CallStatus.IN_REVIEW, reason="Score entry error"
    )
    assert AuditEvent.objects.get(action="call.reopen_review").data["reason"] == "Score entry error"

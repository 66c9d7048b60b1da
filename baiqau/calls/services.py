from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Organisation

from .models import (
    AwardScheme,
    Call,
    CallOrganiser,
    CallRole,
    CallRoleKind,
    CallStatus,
    Criterion,
    Prize,
)
from .transitions import move_for


@dataclass(frozen=True)
class CriterionSpec:
    name: dict[str, str]
    weight: Decimal
    min_score: int = 0
    max_score: int = 10
    description: dict[str, str] = field(default_factory=dict)


def _translations(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in values.items()}


@transaction.atomic
def call_create(
    *,
    actor: Any,
    slug: str,
    title: dict[str, str],
    aim: dict[str, str],
    description: dict[str, str],
    opens_at: datetime,
    closes_at: datetime,
    review_ends_at: datetime,
    results_at: datetime,
    co_organisers: Sequence[Organisation],
    criteria: Sequence[CriterionSpec],
    eligible_org_types: Sequence[str],
    prizes: Sequence[int] = (),
    pool_amount: int | None = None,
    max_per_project: int | None = None,
    aggregation_method: str = "mean",
) -> Call:
    if Call.objects.filter(slug=slug).exists():
        raise DomainError(_("A call with this address already exists."), code="slug_taken")
    total_weight = sum((spec.weight for spec in criteria), Decimal(0))
    if criteria and total_weight != Decimal(100):
        raise DomainError(
            _("The criteria's weights must add up to 100%% (they add up to %(total)s%%).")
            % {"total": total_weight},
            code="weights",
        )
    call = Call(
        slug=slug,
        **_translations("title", title),
        **_translations("aim", aim),
        **_translations("description", description),
        opens_at=opens_at,
        closes_at=closes_at,
        review_ends_at=review_ends_at,
        results_at=results_at,
        eligible_org_types=list(eligible_org_types),
        award_scheme=AwardScheme.PRIZES if prizes else AwardScheme.POOL,
        pool_amount=pool_amount,
        max_per_project=max_per_project,
        aggregation_method=aggregation_method,
        created_by=actor,
    )
    call.full_clean()
    call.save()
    if actor is not None:
        # Whoever creates a call organises it, until they hand the role on.
        CallRole.objects.create(
            call=call, user=actor, role=CallRoleKind.ORGANISER, granted_by=actor
        )
    CallOrganiser.objects.bulk_create(
        CallOrganiser(call=call, organisation=org, position=i)
        for i, org in enumerate(co_organisers)
    )
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            position=i,
            weight=spec.weight,
            min_score=spec.min_score,
            max_score=spec.max_score,
            **_translations("name", spec.name),
            **_translations("description", spec.description),
        )
        for i, spec in enumerate(criteria)
    )
    Prize.objects.bulk_create(
        Prize(call=call, place=place, amount=amount) for place, amount in enumerate(prizes, 1)
    )
    audit_record(
        actor=actor,
        action="call.created",
        subject=call,
        data={
            "slug": slug,
            "title": title,
            "timeline": [opens_at, closes_at, review_ends_at, results_at],
            "co_organisers": [org.bin for org in co_organisers],
            "criteria": [
                {
                    "name": spec.name,
                    "weight": spec.weight,
                    "scale": [spec.min_score, spec.max_score],
                }
                for spec in criteria
            ],
            "prizes": list(prizes),
            "pool_amount": pool_amount,
            "max_per_project": max_per_project,
            "aggregation_method": aggregation_method,
            "eligible_org_types": list(eligible_org_types),
        },
    )
    return call


@transaction.atomic
def call_transition(*, actor: Any, call: Call, to: str, reason: str = "") -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    move = move_for(call.status, to)
    if move is None:
        raise DomainError(
            _("A call cannot move from “%(current)s” to “%(target)s”.")
            % {"current": call.get_status_display(), "target": to},
            code="transition",
        )
    if move.needs_reason and not reason.strip():
        raise DomainError(_("Please give the reason for this correction."), code="reason")
    old = call.status
    call.status = to
    call.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"call.{move.name}",
        subject=call,
        data={"from": old, "to": to, "reason": reason},
    )
    if to == CallStatus.PUBLISHED:
        from baiqau.notifications.tasks import announce_call_published
        from baiqau.results.services.rules import result_rules_for

        # The result rules (and the seed of the rank intervals) are public from now on.
        result_rules_for(call)

        call_pk = call.pk
        transaction.on_commit(lambda: announce_call_published.enqueue(call_pk))
    return call

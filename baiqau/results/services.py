from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.services import application_transition
from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call, CallStatus
from baiqau.calls.services import call_transition
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain.awards import AwardOutcome, Prize, award_grants, award_prizes
from baiqau.domain.ranking import rank
from baiqau.domain.scoring import AggregationMethod, score_applications

from .models import Award, Ranking, RankingEntry
from .selectors import scoring_inputs_for_call

_FOUR_PLACES = Decimal("0.0001")


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _FOUR_PLACES, rounding=ROUND_HALF_EVEN
    )


def _awards_for(call: Call, ranking: Any) -> AwardOutcome:
    if call.award_scheme == AwardScheme.PRIZES:
        prizes = [Prize(place=p.place, amount=p.amount) for p in call.prizes.all()]
        return award_prizes(ranking, prizes)
    requested = dict(Application.objects.filter(call=call).values_list("id", "requested_amount"))
    return award_grants(ranking, requested, call.pool_amount or 0, call.max_per_project)


@transaction.atomic
def ranking_compute(*, actor: Any, call: Call) -> Ranking:
    """Compute the ranking and awards from the submitted reviews, replacing the current one."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    inputs = scoring_inputs_for_call(call)
    if not inputs.reviews:
        raise DomainError(_("There are no submitted reviews to rank yet."), code="no_reviews")
    method = AggregationMethod(call.aggregation_method)
    scores = score_applications(inputs.criteria, inputs.reviews, method)
    ranking_result = rank({app_id: s.score for app_id, s in scores.items()})
    outcome = _awards_for(call, ranking_result)

    Ranking.objects.filter(call=call, is_current=True).update(is_current=False)
    ranking = Ranking.objects.create(
        call=call,
        method=method.value,
        award_rule=outcome.rule,
        computed_at=clock.now(),
        computed_by=actor,
        is_current=True,
    )
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            application_id=entry.application_id,
            position=entry.position,
            score=_decimal(entry.score),
            score_exact=f"{entry.score.numerator}/{entry.score.denominator}",
            review_count=scores[entry.application_id].review_count,
            tied=entry.tied,
        )
        for entry in ranking_result.entries
    )
    Award.objects.bulk_create(
        Award(ranking=ranking, application_id=a.application_id, place=a.place, amount=a.amount)
        for a in outcome.awards
    )
    audit_record(
        actor=actor,
        action="ranking.computed",
        subject=ranking,
        data={
            "call": call.slug,
            "method": method.value,
            "reviews": len(inputs.reviews),
            "entries": [
                [e.application_id, e.position, f"{e.score.numerator}/{e.score.denominator}"]
                for e in ranking_result.entries
            ],
            "ties": [list(t.application_ids) for t in ranking_result.ties],
            "awards": [[a.application_id, a.place, a.amount] for a in outcome.awards],
            "unresolved_ties": [list(t.application_ids) for t in outcome.unresolved],
            "rule": outcome.rule,
        },
    )
    return ranking


@transaction.atomic
def results_publish(*, actor: Any, call: Call) -> Call:
    """Publish the current ranking: the call is decided and every application learns its outcome."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    ranking = Ranking.objects.filter(call=call, is_current=True).first()
    if ranking is None:
        raise DomainError(_("Compute the ranking before publishing results."), code="no_ranking")
    unresolved = ranking.entries.filter(tied=True, position__lte=call.prizes.count()).exists()
    if call.award_scheme == AwardScheme.PRIZES and unresolved:
        raise DomainError(
            _("A tie among the prize places must be resolved before results are published."),
            code="unresolved_tie",
        )
    awarded = set(ranking.awards.values_list("application_id", flat=True))
    ranked = Application.objects.filter(pk__in=ranking.entries.values("application_id"))
    for application in ranked:
        if application.status == ApplicationStatus.IN_REVIEW:
            application = application_transition(
                actor=actor, application=application, to=ApplicationStatus.RANKED
            )
        if application.status == ApplicationStatus.RANKED:
            outcome = (
                ApplicationStatus.AWARDED
                if application.pk in awarded
                else ApplicationStatus.NOT_AWARDED
            )
            application_transition(actor=actor, application=application, to=outcome)
    if call.status == CallStatus.IN_REVIEW:
        call = call_transition(actor=actor, call=call, to=CallStatus.DECIDED)
    call.results_published_at = clock.now()
    call.save(update_fields=["results_published_at"])
    audit_record(
        actor=actor,
        action="results.published",
        subject=call,
        data={"ranking": ranking.pk, "awards": sorted(awarded)},
    )
    return call


@transaction.atomic
def results_reopen(*, actor: Any, call: Call, reason: str) -> Call:
    """Withdraw published results and reopen the review (a correction: the reason is required)."""
    if not reason.strip():
        raise DomainError(_("Please give the reason for reopening the results."), code="reason")
    call = call_transition(actor=actor, call=call, to=CallStatus.IN_REVIEW, reason=reason)
    back: dict[str, str] = {
        ApplicationStatus.AWARDED: ApplicationStatus.RANKED,
        ApplicationStatus.NOT_AWARDED: ApplicationStatus.RANKED,
    }
    for application in Application.objects.filter(call=call, status__in=list(back)):
        application = application_transition(
            actor=actor, application=application, to=back[application.status], reason=reason
        )
        application_transition(
            actor=actor, application=application, to=ApplicationStatus.IN_REVIEW, reason=reason
        )
    call.results_published_at = None
    call.save(update_fields=["results_published_at"])
    audit_record(actor=actor, action="results.withdrawn", subject=call, data={"reason": reason})
    return call

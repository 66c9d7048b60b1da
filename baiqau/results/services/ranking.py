"""Computing a call's ranking: the stored copy of what ``domain.results`` returns."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain import results as domain
from baiqau.domain.lottery import LotteryError
from baiqau.domain.scoring import ScoringError
from baiqau.domain.tiebreak import TieBreakError
from baiqau.publishing.opendata_format import effects_data, ties_data

from ..models import Award, Ranking, RankingEntry
from ..selectors import scoring_inputs_for_call
from .rules import domain_rules, result_rules_for

_FOUR_PLACES = Decimal("0.0001")


def decimal4(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _FOUR_PLACES, rounding=ROUND_HALF_EVEN
    )


def exact(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def results_inputs(
    call: Call, votes: dict[int, int] | None = None
) -> tuple[domain.Inputs, dict[int, int]]:
    """The pure inputs of the call's results, and anonymous expert number → Expert pk."""
    scoring_inputs = scoring_inputs_for_call(call)
    rules = domain_rules(call, result_rules_for(call))
    requested: dict[int, int] = {}
    if call.award_scheme == AwardScheme.POOL:
        requested = dict(
            Application.objects.filter(
                pk__in={r.application_id for r in scoring_inputs.reviews}
            ).values_list("id", "requested_amount")
        )
    inputs = domain.Inputs(
        criteria=scoring_inputs.criteria,
        reviews=scoring_inputs.reviews,
        rules=rules,
        requested=requested,
        votes=votes or None,
    )
    return inputs, scoring_inputs.expert_numbers


def compute(
    call: Call, votes: dict[int, int] | None = None
) -> tuple[domain.Outcome, dict[int, int]]:
    inputs, numbers = results_inputs(call, votes)
    if not inputs.reviews:
        raise DomainError(_("There are no submitted reviews to rank yet."), code="no_reviews")
    try:
        return domain.compute_results(inputs), numbers
    except (ScoringError, TieBreakError, LotteryError, ValueError) as error:
        raise DomainError(
            _("The ranking cannot be computed: %(e)s") % {"e": error}, code="compute"
        ) from None


@transaction.atomic
def ranking_compute(
    *, actor: Any, call: Call, votes: dict[int, int] | None = None, reason: str = ""
) -> Ranking:
    """Compute the ranking and awards from the submitted reviews; it becomes the current one."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.results_are_public:
        raise DomainError(
            _("The results are published: withdraw them before recomputing."), code="published"
        )
    confirmed = Ranking.objects.filter(call=call, is_current=True, confirmed_at__isnull=False)
    if confirmed.exists() and not reason.strip():
        raise DomainError(
            _("The commission has confirmed this result: changing it needs a reason."),
            code="reason",
        )
    outcome, numbers = compute(call, votes)
    rules = domain_rules(call, result_rules_for(call))
    Ranking.objects.filter(call=call, is_current=True).update(is_current=False)
    ranking = Ranking.objects.create(
        call=call,
        method=rules.method.value,
        award_rule=outcome.rule,
        computed_at=clock.now(),
        computed_by=actor,
        is_current=True,
        rules=domain.rules_as_data(rules),
        effects=effects_data(outcome),
        centre=str(outcome.calibration.centre) if outcome.calibration else "",
        ties=ties_data(outcome),
        cut=outcome.bands.cut,
        seed=outcome.seed.hex() if outcome.seed else "",
        votes={str(a): v for a, v in (votes or {}).items()},
        expert_numbers={str(n): pk for n, pk in numbers.items()},
    )
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            application_id=line.application_id,
            position=line.position,
            score=decimal4(line.score),
            score_exact=exact(line.score),
            review_count=line.review_count,
            tied=line.tied,
            raw_score=decimal4(line.raw),
            raw_exact=exact(line.raw),
            calibrated_score=decimal4(line.calibrated) if line.calibrated is not None else None,
            calibrated_exact=exact(line.calibrated) if line.calibrated is not None else "",
            criterion_scores={k: exact(v) for k, v in line.criteria.items()},
            decided_by=line.decided_by,
            rank_low=line.low,
            rank_high=line.high,
            band=line.band.value,
            spread=line.spread,
        )
        for line in outcome.lines
    )
    by_lot = {line.application_id for line in outcome.lines if line.by_lot}
    Award.objects.bulk_create(
        Award(
            ranking=ranking,
            application_id=a.application_id,
            place=a.place,
            amount=a.amount,
            by_lot=a.application_id in by_lot,
        )
        for a in outcome.awards
    )
    audit_record(
        actor=actor,
        action="ranking.computed",
        subject=ranking,
        data={
            "call": call.slug,
            "rules": ranking.rules,
            "reviews": sum(line.review_count for line in outcome.lines),
            "entries": [
                [line.application_id, line.position, exact(line.score)] for line in outcome.lines
            ],
            "ties": ranking.ties,
            "votes": ranking.votes,
            "seed": ranking.seed,
            "awards": [[a.application_id, a.place, a.amount] for a in outcome.awards],
            "unresolved_ties": [list(t.application_ids) for t in outcome.unresolved],
            "rule": outcome.rule,
            "reason": reason,
        },
    )
    return ranking

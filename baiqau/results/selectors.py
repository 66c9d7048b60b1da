from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch

from baiqau.calls.models import Call
from baiqau.domain import scoring
from baiqau.review.models import ReviewStatus, Score

from .models import Announcement, Award, Motion, MotionResult, Ranking, RankingEntry


@dataclass(frozen=True)
class ScoringInputs:
    criteria: tuple[scoring.Criterion, ...]
    reviews: tuple[scoring.Review, ...]  # expert_id is the anonymous number, 1, 2, …
    expert_numbers: dict[int, int]  # anonymous number → review.Expert pk


def scoring_inputs_for_call(call: Call) -> ScoringInputs:
    """The criteria and submitted reviews of a call, as the pure scoring code takes them."""
    criteria = tuple(
        scoring.Criterion(
            key=str(c.pk),
            weight=Fraction(c.weight),
            min_score=c.min_score,
            max_score=c.max_score,
        )
        for c in call.criteria.all()
    )
    by_review: dict[int, dict[str, Fraction]] = defaultdict(dict)
    heads: dict[int, tuple[int, int]] = {}
    rows = Score.objects.filter(
        review__application__call=call, review__status=ReviewStatus.SUBMITTED, value__isnull=False
    ).values_list(
        "review_id", "review__application_id", "review__expert_id", "criterion_id", "value"
    )
    for review_id, application_id, expert_id, criterion_id, value in rows.iterator(chunk_size=5000):
        heads[review_id] = (application_id, expert_id)
        if value is not None:  # filtered out above; a draft's empty score never counts
            by_review[review_id][str(criterion_id)] = Fraction(value)
    # Experts are published by number only, in the order they joined the panel.
    numbers = {pk: n for n, pk in enumerate(sorted({e for _, e in heads.values()}), 1)}
    reviews = tuple(
        scoring.Review(
            application_id=app_id, expert_id=numbers[expert_id], scores=by_review[review_id]
        )
        for review_id, (app_id, expert_id) in sorted(heads.items())
    )
    return ScoringInputs(
        criteria=criteria,
        reviews=reviews,
        expert_numbers={n: pk for pk, n in numbers.items()},
    )


@dataclass(frozen=True)
class PublicResults:
    ranking: Ranking
    entries: list[RankingEntry]
    awards: list[Award]
    tie_count: int
    motion: Motion | None = None  # the commission's vote that confirmed the ranking
    announcement: Announcement | None = None
    calibrated: bool = False
    band_count: int = 0


def results_public_get(call: Call) -> PublicResults | None:
    """The current ranking of a call whose results are published; five queries whatever its size."""
    if not call.results_are_public:
        return None
    entry_qs = RankingEntry.objects.select_related("application__organisation").order_by(
        "position", "application_id"
    )
    award_qs = Award.objects.select_related("application__organisation").order_by("place")
    ranking = (
        Ranking.objects.filter(call=call, is_current=True)
        .prefetch_related(Prefetch("entries", entry_qs), Prefetch("awards", award_qs))
        .first()
    )
    if ranking is None:
        return None
    entries = list(ranking.entries.all())
    motion = (
        Motion.objects.filter(ranking=ranking, result=MotionResult.ADOPTED)
        .order_by("-closed_at")
        .first()
    )
    return PublicResults(
        ranking=ranking,
        entries=entries,
        awards=list(ranking.awards.all()),
        tie_count=sum(1 for e in entries if e.tied),
        motion=motion,
        announcement=Announcement.objects.filter(call=call).first(),
        calibrated=any(e.calibrated_score is not None for e in entries),
        band_count=sum(1 for e in entries if e.band == "band"),
    )

"""Review totals and their aggregation into one score per application.

All arithmetic uses ``Fraction``: ties between applications decide who gets a
prize or a grant, so they must be detected exactly and come out the same on
every machine. Floats would make two equal scores differ in the last bit.

Where floats cannot be avoided (calibration for expert severity, in
``calibration``), their results are rounded half-to-even to ``DECIMALS``
places with ``round_fixed`` before anything is compared, and from there on the
arithmetic is exact again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "DECIMALS",
    "AggregationMethod",
    "ApplicationScore",
    "Criterion",
    "Review",
    "ScoringError",
    "aggregate",
    "check_scores",
    "criterion_aggregates",
    "review_total",
    "review_totals_by_application",
    "round_fixed",
    "score_applications",
]

SCALE = Fraction(100)
# Calibrated values (and anything else that passed through floats) are rounded
# to this many decimal places before they are compared or published.
DECIMALS = 6


class ScoringError(ValueError):
    """Scores or criteria that cannot be scored; the message names the culprit."""


def _exact(value: object, what: str) -> Fraction:
    # Floats are refused rather than converted: Fraction(0.1) is exact binary
    # noise, and accepting it would smuggle machine-dependent rounding back in.
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise ScoringError(f"{what} must be an integer, Fraction or Decimal, not {value!r}.")
    try:
        return Fraction(value)
    except (ValueError, OverflowError):
        raise ScoringError(f"{what} must be a finite number, not {value!r}.") from None


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Fraction
    min_score: int
    max_score: int

    def __post_init__(self) -> None:
        if not self.key:
            raise ScoringError("A criterion needs a key.")
        weight = _exact(self.weight, f"The weight of criterion {self.key!r}")
        if weight <= 0:
            raise ScoringError(f"The weight of criterion {self.key!r} must be positive.")
        object.__setattr__(self, "weight", weight)
        if self.max_score <= self.min_score:
            raise ScoringError(
                f"Criterion {self.key!r}: the maximum score ({self.max_score}) must be "
                f"greater than the minimum ({self.min_score})."
            )


def _freeze_scores(scores: Mapping[str, object], owner: str) -> MappingProxyType[str, Fraction]:
    return MappingProxyType(
        {key: _exact(value, f"{owner}: the score for {key!r}") for key, value in scores.items()}
    )


@dataclass(frozen=True)
class Review:
    application_id: int
    expert_id: int
    # Left out of the hash (a mapping proxy is unhashable) but still compared.
    scores: Mapping[str, Fraction] = field(hash=False)

    def __post_init__(self) -> None:
        owner = f"Review by expert {self.expert_id} of application {self.application_id}"
        object.__setattr__(self, "scores", _freeze_scores(self.scores, owner))


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise ScoringError("At least one criterion is needed to score a review.")
    keys = [criterion.key for criterion in criteria]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ScoringError(f"Criterion keys must be unique; repeated: {', '.join(duplicates)}.")


@lru_cache(maxsize=64)
def _coefficients(criteria: tuple[Criterion, ...]) -> tuple[int, tuple[int, ...]]:
    """(D, n) such that a review's total is Σ nᵢ·(scoreᵢ − minᵢ) / D.

    The same rational as Σ wᵢ·(sᵢ − minᵢ)/spanᵢ / Σ wᵢ × 100, with the arithmetic
    done once per call's criteria instead of once per review.
    """
    _check_criteria(criteria)
    total_weight = sum((criterion.weight for criterion in criteria), Fraction(0))
    coefficients = [
        criterion.weight * SCALE / (total_weight * (criterion.max_score - criterion.min_score))
        for criterion in criteria
    ]
    denominator = math.lcm(*(c.denominator for c in coefficients))
    return denominator, tuple(c.numerator * (denominator // c.denominator) for c in coefficients)


def review_total(criteria: Sequence[Criterion], scores: Mapping[str, Fraction]) -> Fraction:
    """The weighted total of one review on a 0-100 scale.

    Each score is first placed on 0..1 within its criterion's scale, so a
    criterion scored 1-5 and one scored 0-10 count by their weights alone.
    Scores outside the scale are not refused here (see ``check_scores``).
    """
    return _total(criteria, _coefficients(tuple(criteria)), scores)


def _total(
    criteria: Sequence[Criterion],
    plan: tuple[int, tuple[int, ...]],
    scores: Mapping[str, Fraction],
) -> Fraction:
    denominator, coefficients = plan
    values: list[Fraction] = []
    for criterion in criteria:
        if criterion.key not in scores:
            raise ScoringError(f"The score for criterion {criterion.key!r} is missing.")
        value = scores[criterion.key]
        if type(value) is not Fraction:
            value = _exact(value, f"The score for {criterion.key!r}")
        values.append(value)
    if all(value.denominator == 1 for value in values):
        # Whole-point scores, the usual case: integers until the one division.
        units = sum(
            coefficient * (value.numerator - criterion.min_score)
            for coefficient, value, criterion in zip(coefficients, values, criteria, strict=True)
        )
        return Fraction(units, denominator)
    return sum(
        (
            Fraction(coefficient, denominator) * (value - criterion.min_score)
            for coefficient, value, criterion in zip(coefficients, values, criteria, strict=True)
        ),
        Fraction(0),
    )


def check_scores(criteria: Sequence[Criterion], scores: Mapping[str, Fraction]) -> None:
    """Refuse scores for unknown criteria or outside a criterion's scale.

    Missing scores are left to ``review_total`` so that a draft review with
    some criteria still unscored can be checked as it is filled in.
    """
    by_key = {criterion.key: criterion for criterion in criteria}
    for key, value in scores.items():
        criterion = by_key.get(key)
        if criterion is None:
            known = ", ".join(sorted(by_key)) or "none"
            raise ScoringError(f"There is no criterion {key!r}; the criteria are: {known}.")
        score = _exact(value, f"The score for {key!r}")
        if not criterion.min_score <= score <= criterion.max_score:
            raise ScoringError(
                f"The score for criterion {key!r} must be between {criterion.min_score} "
                f"and {criterion.max_score}; {score} is outside that range."
            )


class AggregationMethod(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"


def _mean(values: Sequence[Fraction]) -> Fraction:
    denominator = values[0].denominator if values else 1
    if all(value.denominator == denominator for value in values):
        # One shared denominator (whole-point scores; totals of one call): add the
        # numerators, and reduce once.
        return Fraction(sum(value.numerator for value in values), denominator * len(values))
    return sum(values, Fraction(0)) / len(values)


def aggregate(totals: Sequence[Fraction], method: AggregationMethod) -> Fraction:
    """Combine the review totals of one application into its score."""
    if not totals:
        raise ScoringError("An application without reviews has no score.")
    ordered = sorted(totals)
    count = len(ordered)
    if method is AggregationMethod.MEAN:
        return _mean(ordered)
    if method is AggregationMethod.MEDIAN:
        middle = count // 2
        if count % 2:
            return ordered[middle]
        return _mean(ordered[middle - 1 : middle + 1])
    if method is AggregationMethod.TRIMMED_MEAN:
        # With two reviews, dropping both extremes would leave nothing.
        return _mean(ordered[1:-1] if count >= 3 else ordered)
    raise ScoringError(f"Unknown aggregation method {method!r}.")


@dataclass(frozen=True)
class ApplicationScore:
    application_id: int
    score: Fraction
    review_count: int
    review_totals: tuple[Fraction, ...]
    criterion_means: Mapping[str, Fraction] = field(hash=False)

    def __post_init__(self) -> None:
        # Sorted so that the order in which reviews arrived cannot show.
        object.__setattr__(self, "review_totals", tuple(sorted(self.review_totals)))
        object.__setattr__(self, "criterion_means", MappingProxyType(dict(self.criterion_means)))


def _score_one(
    criteria: Sequence[Criterion],
    application_id: int,
    reviews: Sequence[Review],
    method: AggregationMethod,
    plan: tuple[int, tuple[int, ...]],
) -> ApplicationScore:
    totals = [_total(criteria, plan, review.scores) for review in reviews]
    means = {
        criterion.key: _mean([review.scores[criterion.key] for review in reviews])
        for criterion in criteria
    }
    return ApplicationScore(
        application_id=application_id,
        score=aggregate(totals, method),
        review_count=len(reviews),
        review_totals=tuple(totals),
        criterion_means=means,
    )


def _by_application(reviews: Iterable[Review]) -> dict[int, list[Review]]:
    # Two reviews of one application by the same expert are refused: counting
    # an expert twice would silently give them double weight.
    by_application: dict[int, list[Review]] = {}
    seen: set[tuple[int, int]] = set()
    for review in reviews:
        pair = (review.application_id, review.expert_id)
        if pair in seen:
            raise ScoringError(
                f"Expert {review.expert_id} has more than one review of application "
                f"{review.application_id}."
            )
        seen.add(pair)
        by_application.setdefault(review.application_id, []).append(review)
    return dict(sorted(by_application.items()))


def score_applications(
    criteria: Sequence[Criterion],
    reviews: Iterable[Review],
    method: AggregationMethod = AggregationMethod.MEAN,
) -> dict[int, ApplicationScore]:
    """Score every application that has at least one review.

    Two reviews of one application by the same expert are refused: counting
    an expert twice would silently give them double weight.
    """
    plan = _coefficients(tuple(criteria))
    return {
        application_id: _score_one(criteria, application_id, application_reviews, method, plan)
        for application_id, application_reviews in _by_application(reviews).items()
    }


def review_totals_by_application(
    criteria: Sequence[Criterion], reviews: Iterable[Review]
) -> dict[int, dict[int, Fraction]]:
    """Application → expert → the weighted total of that expert's review.

    The input that calibration for expert severity needs (``baiqau.domain.calibration``).
    """
    plan = _coefficients(tuple(criteria))
    return {
        application_id: {
            review.expert_id: _total(criteria, plan, review.scores)
            for review in sorted(application_reviews, key=lambda review: review.expert_id)
        }
        for application_id, application_reviews in _by_application(reviews).items()
    }


def criterion_aggregates(
    criteria: Sequence[Criterion],
    reviews: Iterable[Review],
    method: AggregationMethod = AggregationMethod.MEAN,
) -> dict[int, dict[str, Fraction]]:
    """Application → criterion key → its scores aggregated by the call's method.

    What a "higher score on criterion X" tie-break compares (``tiebreak.py``):
    the criterion's own scale, combined the same way as the totals.
    """
    _check_criteria(criteria)
    result: dict[int, dict[str, Fraction]] = {}
    for application_id, application_reviews in _by_application(reviews).items():
        per_criterion: dict[str, Fraction] = {}
        for criterion in criteria:
            missing = [r.expert_id for r in application_reviews if criterion.key not in r.scores]
            if missing:
                raise ScoringError(
                    f"The score for criterion {criterion.key!r} is missing from the review "
                    f"by expert {missing[0]} of application {application_id}."
                )
            values = [review.scores[criterion.key] for review in application_reviews]
            per_criterion[criterion.key] = aggregate(values, method)
        result[application_id] = per_criterion
    return result


def round_fixed(value: Fraction | int | float, places: int = DECIMALS) -> Decimal:
    """``value`` rounded half-to-even to ``places`` decimal places, exactly.

    A float is taken at its exact binary value (``Fraction(0.1)`` is not 1/10),
    so the result depends on nothing but the float's bits: no ``repr``, no
    ``round()`` on a scaled float, no locale.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise ScoringError(f"Cannot round {value!r}: it is not a finite number.")
    exact = Fraction(value)
    units = round(exact * 10**places)  # Fraction.__round__ rounds half to even
    # From a string, a Decimal is exact whatever the context's precision.
    return Decimal(f"{units}E-{places}")

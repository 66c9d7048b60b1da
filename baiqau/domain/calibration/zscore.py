"""The z-score: for small panels where every expert scores every application."""

from __future__ import annotations

import math
from fractions import Fraction

from baiqau.domain.scoring import AggregationMethod, ScoringError, round_fixed

from .effects import (
    Calibration,
    CalibrationMethod,
    ExpertEffect,
    Totals,
    Unestimated,
    _by_expert,
    _exact_mean,
    _result,
    _rows,
    _unestimated,
)
from .least_squares import _Flat


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def calibrate_zscore(
    totals: Totals,
    *,
    aggregation: AggregationMethod = AggregationMethod.MEAN,
    min_reviews: int = 3,
) -> Calibration:
    """Standardise each expert's totals; for panels where everyone scores everything.

    Means and variances are exact; the one float step is the square root in each
    expert's scale, ``sqrt(variance / pooled variance)``, which IEEE 754 rounds
    correctly. Experts with fewer than ``min_reviews`` totals, or all totals equal,
    are left as they are.
    """
    if min_reviews < 2:
        raise ScoringError("A standard deviation needs at least two reviews per expert.")
    rows = _rows(totals)
    by_expert = _by_expert(rows)
    stats: dict[int, tuple[Fraction, Fraction]] = {}
    reasons: dict[int, Unestimated] = {}
    for expert_id, values in by_expert.items():
        if len(values) < min_reviews:
            reasons[expert_id] = Unestimated.FEW_REVIEWS
            continue
        mean = _mean(values)
        variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)
        if variance == 0:
            reasons[expert_id] = Unestimated.NO_SPREAD
            continue
        stats[expert_id] = (mean, variance)
    if stats:
        exact_centre = _mean([mean for mean, _ in stats.values()])
        pooled = _mean([variance for _, variance in stats.values()])
    else:
        exact_centre = _exact_mean(value for _, _, value in rows)
        pooled = Fraction(1)
    centre = round_fixed(exact_centre)
    experts: dict[int, ExpertEffect] = {}
    for expert_id, values in by_expert.items():
        if expert_id in stats:
            mean, variance = stats[expert_id]
            scale = round_fixed(math.sqrt(float(variance / pooled)))
            if scale > 0:
                experts[expert_id] = ExpertEffect(
                    expert_id, len(values), round_fixed(mean - exact_centre), scale
                )
                continue
            reasons[expert_id] = Unestimated.NO_SPREAD
        experts[expert_id] = _unestimated(expert_id, len(values), reasons[expert_id])
    return _result(
        rows, CalibrationMethod.ZSCORE, aggregation, centre, experts, _Flat(rows).groups()[0]
    )

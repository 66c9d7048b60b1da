"""What calibration publishes (each expert's effect) and the exact arithmetic on it."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from baiqau.domain.scoring import AggregationMethod, ScoringError, aggregate, round_fixed

# Application id → expert id → that expert's review total (0–100, exact).
Totals = Mapping[int, Mapping[int, Fraction]]


class CalibrationMethod(StrEnum):
    ZSCORE = "zscore"
    LEAST_SQUARES = "least_squares"
    LEAST_SQUARES_SCALE = "least_squares_scale"


class Unestimated(StrEnum):
    """Why an expert's effect was not estimated (bias 0 and scale 1 assumed)."""

    FEW_REVIEWS = "few_reviews"
    NO_OVERLAP = "no_overlap"  # no application they reviewed had another reviewer
    NO_SPREAD = "no_spread"  # every total the same: no scale to standardise by


@dataclass(frozen=True)
class ExpertEffect:
    expert_id: int
    review_count: int
    bias: Decimal  # points above (+) or below (−) the panel, on the 0–100 total
    scale: Decimal  # 1: spreads scores as the panel does; 1.5: half as wide again
    unestimated: Unestimated | None = None

    @property
    def estimated(self) -> bool:
        return self.unestimated is None


@dataclass(frozen=True)
class ExpertDifference:
    """What a page words as "expert 4 scores 1.2 points below the panel"."""

    expert_id: int
    points: Decimal  # signed

    @property
    def below(self) -> bool:
        return self.points < 0


@dataclass(frozen=True, eq=False)
class Calibration:
    method: CalibrationMethod
    aggregation: AggregationMethod
    centre: Decimal
    experts: Mapping[int, ExpertEffect] = field(repr=False)
    review_totals: Mapping[int, Mapping[int, Fraction]] = field(repr=False)
    scores: Mapping[int, Fraction] = field(repr=False)
    groups: int  # connected groups of experts and applications; >1: not comparable across
    iterations: int
    converged: bool

    @property
    def unestimated(self) -> tuple[int, ...]:
        return tuple(e.expert_id for e in self.experts.values() if not e.estimated)


# --------------------------------------------------------------------------- exact part

# One review: (application, expert, raw total), sorted by application then expert.
Rows = list[tuple[int, int, Fraction]]


def _rows(totals: Totals) -> Rows:
    rows: Rows = []
    for application_id in sorted(totals):
        row = totals[application_id]
        if not row:
            raise ScoringError(f"Application {application_id} has no review totals.")
        for expert_id, raw in sorted(row.items()):
            if type(raw) is not Fraction:
                if isinstance(raw, bool) or not isinstance(raw, int | Fraction | Decimal):
                    raise ScoringError(
                        f"The total of expert {expert_id} for application {application_id} "
                        f"must be an integer, Fraction or Decimal, not {raw!r}."
                    )
                raw = Fraction(raw)
            rows.append((application_id, expert_id, raw))
    return rows


def _exact_mean(values: Iterable[Fraction]) -> Fraction:
    # Summing numerators per denominator first: totals share few denominators, and
    # 60,000 Fraction additions would each reduce by a gcd.
    by_denominator: dict[int, int] = {}
    count = 0
    for value in values:
        by_denominator[value.denominator] = (
            by_denominator.get(value.denominator, 0) + value.numerator
        )
        count += 1
    return sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0)) / count


def _aggregate_units(units: list[int], denominator: int, method: AggregationMethod) -> Fraction:
    """``aggregate`` of ``unit / denominator`` values, with integers until the end."""
    units.sort()
    count = len(units)
    if method is AggregationMethod.MEDIAN:
        middle = count // 2
        if count % 2:
            return Fraction(units[middle], denominator)
        return Fraction(units[middle - 1] + units[middle], 2 * denominator)
    if method is AggregationMethod.TRIMMED_MEAN and count >= 3:
        return Fraction(sum(units[1:-1]), (count - 2) * denominator)
    return Fraction(sum(units), count * denominator)


def _apply(
    rows: Rows, centre: Decimal, experts: Mapping[int, ExpertEffect], aggregation: AggregationMethod
) -> tuple[dict[int, dict[int, Fraction]], dict[int, Fraction]]:
    maps: dict[int, tuple[Fraction, Fraction]] = {}
    for expert_id, effect in experts.items():
        if Fraction(effect.scale) <= 0:
            raise ScoringError(f"The scale of expert {expert_id} must be positive.")
        maps[expert_id] = (Fraction(effect.bias), Fraction(effect.scale))
    missing = sorted({expert for _, expert, _ in rows} - set(maps))
    if missing:
        raise ScoringError(f"Expert {missing[0]} has no published effect.")
    if all(scale == 1 for _, scale in maps.values()):
        return _apply_biases(rows, maps, aggregation)
    exact_centre = Fraction(centre)
    review_totals: dict[int, dict[int, Fraction]] = {}
    for application_id, expert_id, value in rows:
        bias, scale = maps[expert_id]
        review_totals.setdefault(application_id, {})[expert_id] = (
            exact_centre + (value - exact_centre - bias) / scale
        )
    scores = {
        application_id: aggregate(list(row.values()), aggregation)
        for application_id, row in review_totals.items()
    }
    return review_totals, scores


def _apply_biases(
    rows: Rows, maps: Mapping[int, tuple[Fraction, Fraction]], aggregation: AggregationMethod
) -> tuple[dict[int, dict[int, Fraction]], dict[int, Fraction]]:
    """Raw total − bias for every review, in integers over one common denominator."""
    denominator = math.lcm(
        *{value.denominator for _, _, value in rows}, *{b.denominator for b, _ in maps.values()}
    )
    offsets = {
        expert: b.numerator * (denominator // b.denominator) for expert, (b, _) in maps.items()
    }
    units: dict[int, dict[int, int]] = {}
    for application_id, expert_id, value in rows:
        units.setdefault(application_id, {})[expert_id] = (
            value.numerator * (denominator // value.denominator) - offsets[expert_id]
        )
    review_totals = {
        application_id: {expert: Fraction(unit, denominator) for expert, unit in row.items()}
        for application_id, row in units.items()
    }
    scores = {
        application_id: _aggregate_units(list(row.values()), denominator, aggregation)
        for application_id, row in units.items()
    }
    return review_totals, scores


def apply_effects(
    totals: Totals,
    centre: Decimal,
    experts: Mapping[int, ExpertEffect],
    aggregation: AggregationMethod = AggregationMethod.MEAN,
) -> tuple[dict[int, dict[int, Fraction]], dict[int, Fraction]]:
    """Calibrated totals and scores from published effects, exactly.

    Returns (application → expert → calibrated total, application → score); what a
    verifier recomputes from the published raw totals, centre and effects.
    """
    return _apply(_rows(totals), centre, experts, aggregation)


def _result(
    rows: Rows,
    method: CalibrationMethod,
    aggregation: AggregationMethod,
    centre: Decimal,
    experts: dict[int, ExpertEffect],
    groups: int,
    iterations: int = 0,
    converged: bool = True,
) -> Calibration:
    review_totals, scores = _apply(rows, centre, experts, aggregation)
    return Calibration(
        method=method,
        aggregation=aggregation,
        centre=centre,
        experts=MappingProxyType(experts),
        review_totals=MappingProxyType(
            {app: MappingProxyType(row) for app, row in review_totals.items()}
        ),
        scores=MappingProxyType(scores),
        groups=groups,
        iterations=iterations,
        converged=converged,
    )


def _unestimated(expert_id: int, count: int, reason: Unestimated) -> ExpertEffect:
    return ExpertEffect(expert_id, count, round_fixed(0), round_fixed(1), reason)


def expert_differences(
    calibration: Calibration, *, at_least: Decimal = Decimal(0)
) -> tuple[ExpertDifference, ...]:
    """Estimated experts whose bias is at least ``at_least`` points, largest first."""
    return tuple(
        ExpertDifference(expert_id=effect.expert_id, points=effect.bias)
        for effect in sorted(
            calibration.experts.values(), key=lambda e: (-abs(e.bias), e.expert_id)
        )
        if effect.estimated and effect.bias != 0 and abs(effect.bias) >= at_least
    )


def _by_expert(rows: Rows) -> dict[int, list[Fraction]]:
    by_expert: dict[int, list[Fraction]] = {}
    for _, expert_id, value in rows:
        by_expert.setdefault(expert_id, []).append(value)
    return dict(sorted(by_expert.items()))

"""How sure the ranking is: reviews that disagree, rank intervals, the band at the line.

Disagreement is judged exactly on the review totals. Rank intervals come from a
bootstrap over each application's reviews: in every resample each application's
reviews are drawn with replacement (as many as it has), its score is recomputed
by the call's method, and all applications are ranked (standard competition
ranking, as ``ranking.rank``). An application's interval runs from a low to a
high percentile of its positions over the resamples. The experts' calibration,
if any, is not re-estimated in each resample: the calibrated totals are resampled
as they are.

Reproducibility. The draws come from numpy's PCG64 bit generator seeded with the
call's seed, read through ``random_raw``: numpy promises that a bit generator's
stream never changes (NEP 19), unlike ``Generator`` methods such as ``integers``.
The raw 64-bit words are consumed resample by resample, application by application
in ascending id, review slot by slot; a word w picks review
``((w >> 32) × n) >> 32`` of the application's n reviews sorted ascending (a bias
below n / 2³², negligible). Each total is first rounded half-to-even to 10⁻⁶ points
and held as an integer; a resampled score is an integer sum divided once by its
count (≤ 500), a division IEEE 754 rounds correctly, so equal scores are equal
floats and distinct ones stay distinct and in order. The intervals therefore
depend only on the totals, the method, the seed, the number of resamples and the
level: the same on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from baiqau.domain.scoring import DECIMALS, AggregationMethod, ScoringError

__all__ = [
    "Disagreement",
    "LineBands",
    "RankInterval",
    "RankIntervals",
    "SpreadMeasure",
    "bootstrap_ranks",
    "classify",
    "flag_disagreements",
]

Float = NDArray[np.float64]
Int = NDArray[np.int64]
BLOCK = 25  # resamples drawn and ranked at a time: bounds the memory, not the result
MAX_REVIEWS = 500
MICRO: int = 10**DECIMALS


# --------------------------------------------------------------------------- disagreement


class SpreadMeasure(StrEnum):
    RANGE = "range"  # highest total − lowest total
    SD = "sd"  # sample standard deviation of the totals


@dataclass(frozen=True)
class Disagreement:
    application_id: int
    spread: Decimal  # rounded to DECIMALS places for display; the flag was decided exactly
    review_totals: tuple[Fraction, ...]


def _spread_squared(values: Sequence[Fraction], measure: SpreadMeasure) -> Fraction:
    if measure is SpreadMeasure.RANGE:
        return (max(values) - min(values)) ** 2
    mean = sum(values, Fraction(0)) / len(values)
    return sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)


def flag_disagreements(
    totals: Mapping[int, Sequence[Fraction]],
    *,
    threshold: Fraction | int | Decimal,
    measure: SpreadMeasure = SpreadMeasure.RANGE,
) -> tuple[Disagreement, ...]:
    """Applications whose review totals spread more than ``threshold``, widest first.

    The comparison is exact (for the standard deviation, variance > threshold²);
    an application with one review cannot disagree with itself.
    """
    limit = Fraction(threshold)
    if limit < 0:
        raise ScoringError("The disagreement threshold cannot be negative.")
    flagged: list[tuple[Fraction, int, tuple[Fraction, ...]]] = []
    for application_id, values in totals.items():
        if len(values) < 2:
            continue
        squared = _spread_squared(values, measure)
        if squared > limit * limit:
            flagged.append((squared, application_id, tuple(sorted(values))))
    flagged.sort(key=lambda item: (-item[0], item[1]))
    return tuple(
        Disagreement(
            application_id=application_id,
            spread=_root(squared),
            review_totals=values,
        )
        for squared, application_id, values in flagged
    )


def _root(squared: Fraction) -> Decimal:
    """The square root of an exact value, rounded half-to-even to DECIMALS places."""
    scaled = squared * 10 ** (2 * DECIMALS)
    units = math.isqrt(scaled.numerator // scaled.denominator)
    # units ≤ √scaled < units + 1; round up when √scaled > units + ½, i.e. when
    # 4·scaled > (2·units + 1)², and to even on equality (a rational root).
    doubled = Fraction(2 * units + 1) ** 2
    if 4 * scaled > doubled or (4 * scaled == doubled and units % 2):
        units += 1
    return Decimal(f"{units}E-{DECIMALS}")


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class RankInterval:
    application_id: int
    position: int  # in the ranking of the full sample, as the bootstrap computes it
    low: int  # best plausible position
    high: int  # worst plausible position


@dataclass(frozen=True, eq=False)
class RankIntervals:
    intervals: Mapping[int, RankInterval] = field(repr=False)
    method: AggregationMethod
    resamples: int
    seed: int
    level: Fraction


def _micro(value: Fraction) -> int:
    return round(Fraction(value) * MICRO)  # half to even, exactly


class _Data:
    """The totals as integers of 10⁻⁶ points, applications by ascending id."""

    def __init__(self, totals: Mapping[int, Sequence[Fraction]]) -> None:
        self.ids = sorted(totals)
        counts = [len(totals[application_id]) for application_id in self.ids]
        if any(count == 0 for count in counts):
            raise ScoringError("An application without reviews has no score to resample.")
        if max(counts, default=0) > MAX_REVIEWS:
            raise ScoringError(f"At most {MAX_REVIEWS} reviews per application can be resampled.")
        self.counts = np.asarray(counts, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64)
        self.values = np.asarray(
            [_micro(v) for application_id in self.ids for v in sorted(totals[application_id])],
            dtype=np.int64,
        )
        # Within ±10⁴ points and 500 reviews, two different scores differ by more
        # than a float's last bit, so the float division keeps them apart.
        if self.values.size and int(np.abs(self.values).max()) > 10 ** (4 + DECIMALS):
            raise ScoringError("Review totals beyond ±10,000 points cannot be resampled.")


def _divide(sums: Int, count: int) -> Float:
    # Integer sums below 2⁵³ convert exactly; one division, correctly rounded.
    return np.asarray(sums.astype(np.float64) / count, dtype=np.float64)


def _score(sorted_values: Int, method: AggregationMethod) -> Float:
    """Scores of a (..., n) block of ascending values, as correctly rounded floats."""
    n = sorted_values.shape[-1]
    if method is AggregationMethod.MEAN or (method is AggregationMethod.TRIMMED_MEAN and n < 3):
        return _divide(sorted_values.sum(axis=-1), n)
    if method is AggregationMethod.TRIMMED_MEAN:
        return _divide(sorted_values[..., 1:-1].sum(axis=-1), n - 2)
    if method is AggregationMethod.MEDIAN:
        middle = n // 2
        if n % 2:
            return sorted_values[..., middle].astype(np.float64)
        pair = sorted_values[..., middle - 1] + sorted_values[..., middle]
        return _divide(pair, 2)
    raise ScoringError(f"Unknown aggregation method {method!r}.")


def _positions(scores: Float) -> NDArray[np.int32]:
    """Competition ranking of each row: one more than the number of higher scores."""
    order = np.argsort(-scores, axis=-1, kind="stable")
    ranked = np.take_along_axis(scores, order, axis=-1)
    index = np.broadcast_to(np.arange(scores.shape[-1]), scores.shape)
    new_score = np.ones(scores.shape, dtype=np.bool_)
    new_score[..., 1:] = ranked[..., 1:] != ranked[..., :-1]
    first = np.maximum.accumulate(np.where(new_score, index, 0), axis=-1)
    positions = np.empty(scores.shape, dtype=np.int32)
    np.put_along_axis(positions, order, (first + 1).astype(np.int32), axis=-1)
    return positions


def _resampled(data: _Data, method: AggregationMethod, words: NDArray[np.uint64]) -> Float:
    """Scores of every application in each resample of a block of raw words."""
    scores = np.empty((words.shape[0], len(data.ids)))
    for n in np.unique(data.counts).tolist():
        members = np.flatnonzero(data.counts == n)
        slots = data.offsets[members][:, None] + np.arange(n)
        picks = (((words[:, slots] >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)).astype(
            np.int64
        )
        drawn = data.values[slots[None, :, :1] + picks]
        scores[:, members] = _score(np.sort(drawn, axis=-1), method)
    return scores


def bootstrap_ranks(
    totals: Mapping[int, Sequence[Fraction]],
    *,
    seed: int,
    method: AggregationMethod = AggregationMethod.MEAN,
    resamples: int = 200,
    level: Fraction = Fraction(95, 100),
) -> RankIntervals:
    """Each application's rank interval at ``level`` over ``resamples`` bootstrap resamples.

    The interval is [the ⌊q·(B−1)⌋-th, the ⌈(1−q)·(B−1)⌉-th] smallest position
    (counting from 0) over the B resamples, q = (1 − level) / 2: on the cautious side.
    """
    level = Fraction(level)
    if not 0 < level < 1:
        raise ScoringError("The level of a rank interval must be between 0 and 1.")
    if resamples < 1:
        raise ScoringError("The bootstrap needs at least one resample.")
    if seed < 0:
        raise ScoringError("The bootstrap seed must be a non-negative integer.")
    data = _Data(totals)
    frozen_level = level
    if not data.ids:
        return RankIntervals(MappingProxyType({}), method, resamples, seed, frozen_level)
    whole = data.values.size
    bits = np.random.PCG64(seed)
    positions = np.empty((resamples, len(data.ids)), dtype=np.int32)
    for start in range(0, resamples, BLOCK):
        size = min(BLOCK, resamples - start)
        words = bits.random_raw(size * whole).reshape(size, whole)
        positions[start : start + size] = _positions(_resampled(data, method, words))
    positions.sort(axis=0)
    tail = (1 - level) / 2
    low = positions[math.floor(tail * (resamples - 1))]
    high = positions[math.ceil((1 - tail) * (resamples - 1))]
    point = _positions(_point_scores(data, method)[None, :])[0]
    intervals = {
        application_id: RankInterval(application_id, int(p), int(lo), int(hi))
        for application_id, p, lo, hi in zip(
            data.ids, point.tolist(), low.tolist(), high.tolist(), strict=True
        )
    }
    return RankIntervals(MappingProxyType(intervals), method, resamples, seed, frozen_level)


def _point_scores(data: _Data, method: AggregationMethod) -> Float:
    scores = np.empty(len(data.ids))
    for n in np.unique(data.counts).tolist():
        members = np.flatnonzero(data.counts == n)
        slots = data.offsets[members][:, None] + np.arange(n)
        scores[members] = _score(data.values[slots], method)
    return scores


# --------------------------------------------------------------------------- the line


@dataclass(frozen=True)
class LineBands:
    """Who is clearly in, clearly out, or in the band of uncertainty at a cut.

    ``cut`` is the number of places (or funded applications): positions 1..cut are
    in. Each tuple is ordered by full-sample position, then application id.
    """

    cut: int
    clearly_in: tuple[int, ...]  # worst plausible position still within the cut
    band: tuple[int, ...]
    clearly_out: tuple[int, ...]  # best plausible position already below the cut


def classify(intervals: RankIntervals | Mapping[int, RankInterval], cut: int) -> LineBands:
    if cut < 0:
        raise ScoringError("The number of places cannot be negative.")
    if isinstance(intervals, RankIntervals):
        intervals = intervals.intervals
    ordered = sorted(intervals.values(), key=lambda i: (i.position, i.application_id))
    return LineBands(
        cut=cut,
        clearly_in=tuple(i.application_id for i in ordered if i.high <= cut),
        band=tuple(i.application_id for i in ordered if i.low <= cut < i.high),
        clearly_out=tuple(i.application_id for i in ordered if i.low > cut),
    )

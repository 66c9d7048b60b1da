"""A call's whole result from its published inputs: one function for Baiqau and the verifier.

``compute_results`` takes the criteria, the submitted reviews (with anonymous
expert numbers), the call's rules fixed before scoring, the requested amounts
and any tie votes of the commission, and returns everything the results are made
of: raw and calibrated scores, the ranking, how each tie was broken, rank
intervals and the band at the line, disagreements, and the awards. Baiqau stores
what it returns; ``baiqau verify`` calls it again on the open-data folder and
compares. Nothing here reads a clock, a database or a random number generator
that is not seeded from the inputs.

The score data that seeds a lot (``score_data``) is the anonymised reviews as
published: every score as the decimal text it is published with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from baiqau.domain import calibration as cal
from baiqau.domain.awards import Award, AwardOutcome, Prize, award_grants, award_prizes
from baiqau.domain.lottery import fund_band, lottery_seed
from baiqau.domain.ranking import Ranking, TieGroup, rank
from baiqau.domain.scoring import (
    AggregationMethod,
    Criterion,
    Review,
    ScoringError,
    aggregate,
    criterion_aggregates,
    review_totals_by_application,
)
from baiqau.domain.tiebreak import RuleKind, TieBreak, break_ties, parse_rules
from baiqau.domain.uncertainty import (
    Disagreement,
    LineBands,
    RankIntervals,
    bootstrap_ranks,
    classify,
    flag_disagreements,
)

__all__ = [
    "RULE_PARTIAL_RANDOMISATION",
    "RULE_POOL_PARTIAL_LAST",
    "Calibrate",
    "Decides",
    "Inputs",
    "Line",
    "Outcome",
    "Rules",
    "compute_results",
    "decimal_text",
    "rules_as_data",
    "rules_from_data",
    "score_data",
]

RULE_PARTIAL_RANDOMISATION = "partial_randomisation_of_band"
RULE_POOL_PARTIAL_LAST = "pool_in_rank_order_partial_last"


class Calibrate(StrEnum):
    NONE = "none"
    ZSCORE = "zscore"
    LEAST_SQUARES = "least_squares"
    LEAST_SQUARES_SCALE = "least_squares_scale"


class Decides(StrEnum):
    RAW = "raw"
    CALIBRATED = "calibrated"


class Band(StrEnum):
    IN = "in"
    BAND = "band"
    OUT = "out"


@dataclass(frozen=True)
class Rules:
    """What the call fixed before scoring began."""

    method: AggregationMethod = AggregationMethod.MEAN
    calibration: Calibrate = Calibrate.NONE
    bias_ridge: Decimal = Decimal(2)
    min_reviews: int = 3
    decides: Decides = Decides.RAW
    tie_break: tuple[str, ...] = ()
    disagreement: Decimal | None = None  # points of spread between review totals
    bootstrap_seed: int = 0
    resamples: int = 200
    level: Fraction = Fraction(95, 100)
    lottery_value: str = ""
    partial_randomisation: bool = False
    prizes: tuple[Prize, ...] = ()
    pool: int | None = None
    max_per_project: int | None = None
    partial_last_grant: bool = False  # the first grant that does not fit gets what is left

    def __post_init__(self) -> None:
        parse_rules(self.tie_break)
        if self.decides is Decides.CALIBRATED and self.calibration is Calibrate.NONE:
            raise ScoringError("Calibrated scores cannot decide when there is no calibration.")
        if not self.prizes and self.pool is None:
            raise ScoringError("A call awards either prizes or grants from a pool.")
        uses_lot = any(p.kind is RuleKind.LOT for p in parse_rules(self.tie_break))
        if (uses_lot or self.partial_randomisation) and not self.lottery_value:
            raise ScoringError("A draw needs a value published before scoring began.")


@dataclass(frozen=True)
class Inputs:
    criteria: tuple[Criterion, ...]
    reviews: tuple[Review, ...]
    rules: Rules
    requested: Mapping[int, int] = field(default_factory=dict)
    votes: Mapping[int, int] | None = None


@dataclass(frozen=True)
class Line:
    """One application's row of the results."""

    application_id: int
    review_count: int
    raw: Fraction
    calibrated: Fraction | None
    score: Fraction  # the one that decides: raw or calibrated, as the call states
    criteria: Mapping[str, Fraction] = field(hash=False)
    position: int = 0
    tied: bool = False
    decided_by: str = ""  # the tie-break rule that placed it, if a tie was broken
    low: int = 0  # best plausible position
    high: int = 0  # worst plausible position
    band: Band = Band.OUT
    spread: Decimal | None = None  # set when its reviews disagree beyond the threshold
    place: int | None = None
    amount: int | None = None
    by_lot: bool = False


@dataclass(frozen=True, eq=False)
class Outcome:
    lines: tuple[Line, ...]  # by position, then application id
    calibration: cal.Calibration | None
    tiebreak: TieBreak
    intervals: RankIntervals
    bands: LineBands
    disagreements: tuple[Disagreement, ...]
    seed: bytes | None
    awards: tuple[Award, ...]
    unresolved: tuple[TieGroup, ...]
    rule: str

    @property
    def ranking(self) -> Ranking:
        return self.tiebreak.ranking

    def line(self, application_id: int) -> Line:
        for line in self.lines:
            if line.application_id == application_id:
                return line
        raise KeyError(application_id)


def decimal_text(value: Fraction | Decimal | int) -> str:
    """A terminating decimal as plain text without exponent or trailing zeros ("7", "7.5")."""
    fraction = Fraction(value)
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        raise ScoringError(f"{value} has no finite decimal form.")
    text = format(Decimal(fraction.numerator) / Decimal(fraction.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score_data(criteria: Sequence[Criterion], reviews: Sequence[Review]) -> dict[str, object]:
    """The anonymised score data as published, in the shape the lottery seed hashes."""
    return {
        "criteria": [
            {
                "key": c.key,
                "weight": decimal_text(c.weight),
                "min": c.min_score,
                "max": c.max_score,
            }
            for c in criteria
        ],
        "reviews": [
            {
                "application": r.application_id,
                "expert": r.expert_id,
                "scores": {key: decimal_text(value) for key, value in sorted(r.scores.items())},
            }
            for r in sorted(reviews, key=lambda r: (r.application_id, r.expert_id))
        ],
    }


def _calibrate(
    totals: Mapping[int, Mapping[int, Fraction]], rules: Rules
) -> cal.Calibration | None:
    if rules.calibration is Calibrate.NONE:
        return None
    if rules.calibration is Calibrate.ZSCORE:
        return cal.calibrate_zscore(totals, aggregation=rules.method, min_reviews=rules.min_reviews)
    return cal.calibrate_least_squares(
        totals,
        aggregation=rules.method,
        bias_ridge=float(rules.bias_ridge),
        scale=rules.calibration is Calibrate.LEAST_SQUARES_SCALE,
        min_reviews=rules.min_reviews,
    )


def _plain_awards(ranking: Ranking, inputs: Inputs) -> AwardOutcome:
    rules = inputs.rules
    if rules.prizes:
        return award_prizes(ranking, rules.prizes)
    outcome = award_grants(ranking, inputs.requested, rules.pool or 0, rules.max_per_project)
    if not rules.partial_last_grant or outcome.unresolved:
        return outcome
    left = (rules.pool or 0) - sum(a.amount for a in outcome.awards)
    following = ranking.entries[len(outcome.awards) : len(outcome.awards) + 1]
    if left <= 0 or not following or following[0].tied:
        return outcome
    last = Award(
        application_id=following[0].application_id, place=following[0].position, amount=left
    )
    return AwardOutcome(awards=(*outcome.awards, last), unresolved=(), rule=RULE_POOL_PARTIAL_LAST)


def _cut(plain: AwardOutcome, rules: Rules) -> int:
    """The funding line: the number of places, or of grants the pool reaches in rank order."""
    if rules.prizes:
        return len(rules.prizes)
    return len(plain.awards) + sum(len(t.application_ids) for t in plain.unresolved)


def _randomised(
    ranking: Ranking, bands: LineBands, seed: bytes, inputs: Inputs
) -> AwardOutcome | None:
    """Fund the clearly-in in rank order, then the band by lot; None when it does not apply."""
    rules = inputs.rules
    if not bands.band:
        return None
    band = set(bands.band)
    clearly_in = [e.application_id for e in ranking.entries if e.application_id in bands.clearly_in]
    tied_in = {a for t in ranking.ties for a in t.application_ids if a in bands.clearly_in}
    if tied_in:
        return None  # places among tied applications would be a silent tie-break
    if rules.prizes:
        table = {p.place: p.amount for p in rules.prizes}
        funding = fund_band(clearly_in, band, seed, places=len(rules.prizes))
        awards = tuple(
            Award(application_id=f.application_id, place=place, amount=table[place])
            for place, f in enumerate(funding.funded, 1)
        )
    else:
        funding = fund_band(
            clearly_in,
            band,
            seed,
            requested=inputs.requested,
            pool=rules.pool or 0,
            max_per_project=rules.max_per_project,
        )
        awards = tuple(
            Award(application_id=f.application_id, place=place, amount=f.amount or 0)
            for place, f in enumerate(funding.funded, 1)
        )
    return AwardOutcome(awards=awards, unresolved=(), rule=RULE_PARTIAL_RANDOMISATION)


def compute_results(inputs: Inputs) -> Outcome:
    """Everything the results consist of, from the published inputs alone."""
    rules, criteria = inputs.rules, inputs.criteria
    if not inputs.reviews:
        raise ScoringError("There are no submitted reviews to rank.")
    raw_totals = review_totals_by_application(criteria, inputs.reviews)
    raw = {a: aggregate(list(t.values()), rules.method) for a, t in raw_totals.items()}
    calibration = _calibrate(raw_totals, rules)
    use_calibrated = calibration is not None and rules.decides is Decides.CALIBRATED
    deciding_totals = calibration.review_totals if use_calibrated and calibration else raw_totals
    deciding = dict(calibration.scores) if use_calibrated and calibration else raw
    per_criterion = criterion_aggregates(criteria, inputs.reviews, rules.method)

    seed = None
    if rules.lottery_value:
        seed = lottery_seed(score_data(criteria, inputs.reviews), rules.lottery_value)
    tiebreak = break_ties(
        rank(deciding),
        rules.tie_break,
        criterion_scores=per_criterion,
        votes=inputs.votes,
        seed=seed,
    )
    ranking = tiebreak.ranking
    intervals = bootstrap_ranks(
        {a: list(t.values()) for a, t in deciding_totals.items()},
        seed=rules.bootstrap_seed,
        method=rules.method,
        resamples=rules.resamples,
        level=rules.level,
    )
    plain = _plain_awards(ranking, inputs)
    bands = classify(intervals, _cut(plain, rules))
    outcome = plain
    if rules.partial_randomisation and seed is not None:
        outcome = _randomised(ranking, bands, seed, inputs) or plain
    disagreements: tuple[Disagreement, ...] = ()
    if rules.disagreement is not None:
        disagreements = flag_disagreements(
            {a: list(t.values()) for a, t in raw_totals.items()}, threshold=rules.disagreement
        )
    rows = _lines(inputs, raw_totals, raw, calibration, per_criterion, tiebreak, intervals)
    lines = _annotate(rows, bands, disagreements, outcome)
    return Outcome(
        lines=lines,
        calibration=calibration,
        tiebreak=tiebreak,
        intervals=intervals,
        bands=bands,
        disagreements=disagreements,
        seed=seed,
        awards=outcome.awards,
        unresolved=outcome.unresolved,
        rule=outcome.rule,
    )


def _lines(
    inputs: Inputs,
    raw_totals: Mapping[int, Mapping[int, Fraction]],
    raw: Mapping[int, Fraction],
    calibration: cal.Calibration | None,
    per_criterion: Mapping[int, Mapping[str, Fraction]],
    tiebreak: TieBreak,
    intervals: RankIntervals,
) -> list[Line]:
    decided_by: dict[int, str] = {}
    for tie in tiebreak.outcomes:
        decided_by.update(tie.decided_by)
    lines = []
    for entry in tiebreak.ranking.entries:
        a = entry.application_id
        interval = intervals.intervals[a]
        lines.append(
            Line(
                application_id=a,
                review_count=len(raw_totals[a]),
                raw=raw[a],
                calibrated=calibration.scores[a] if calibration is not None else None,
                score=entry.score,
                criteria=MappingProxyType(dict(per_criterion.get(a, {}))),
                position=entry.position,
                tied=entry.tied,
                decided_by=decided_by.get(a, ""),
                low=interval.low,
                high=interval.high,
            )
        )
    return lines


def _annotate(
    lines: list[Line],
    bands: LineBands,
    disagreements: tuple[Disagreement, ...],
    outcome: AwardOutcome,
) -> tuple[Line, ...]:
    band_of = dict.fromkeys(bands.clearly_in, Band.IN)
    band_of.update(dict.fromkeys(bands.band, Band.BAND))
    spread = {d.application_id: d.spread for d in disagreements}
    awards = {a.application_id: a for a in outcome.awards}
    by_lot = outcome.rule == RULE_PARTIAL_RANDOMISATION
    band = set(bands.band)
    annotated = []
    for line in lines:
        award = awards.get(line.application_id)
        annotated.append(
            replace(
                line,
                band=band_of.get(line.application_id, Band.OUT),
                spread=spread.get(line.application_id),
                place=award.place if award else None,
                amount=award.amount if award else None,
                by_lot=bool(award and by_lot and line.application_id in band),
            )
        )
    return tuple(annotated)


def rules_as_data(rules: Rules) -> dict[str, object]:
    """The rules in the published form (rules.json of the open data, Ranking.rules)."""
    return {
        "method": rules.method.value,
        "calibration": rules.calibration.value,
        "bias_ridge": decimal_text(rules.bias_ridge),
        "min_reviews": rules.min_reviews,
        "decides": rules.decides.value,
        "tie_break": list(rules.tie_break),
        "disagreement_threshold": (
            decimal_text(rules.disagreement) if rules.disagreement is not None else None
        ),
        "bootstrap_seed": rules.bootstrap_seed,
        "resamples": rules.resamples,
        "level": decimal_text(rules.level),
        "lottery_value": rules.lottery_value,
        "partial_randomisation": rules.partial_randomisation,
        "prizes": [{"place": p.place, "amount": p.amount} for p in rules.prizes],
        "pool": rules.pool,
        "max_per_project": rules.max_per_project,
        "partial_last_grant": rules.partial_last_grant,
    }


def rules_from_data(data: Mapping[str, Any]) -> Rules:
    """The inverse of ``rules_as_data``: what the verifier reads back."""
    threshold = data.get("disagreement_threshold")
    return Rules(
        method=AggregationMethod(data["method"]),
        calibration=Calibrate(data["calibration"]),
        bias_ridge=Decimal(data["bias_ridge"]),
        min_reviews=int(data["min_reviews"]),
        decides=Decides(data["decides"]),
        tie_break=tuple(data["tie_break"]),
        disagreement=Decimal(threshold) if threshold is not None else None,
        bootstrap_seed=int(data["bootstrap_seed"]),
        resamples=int(data["resamples"]),
        level=Fraction(Decimal(data["level"])),
        lottery_value=data["lottery_value"],
        partial_randomisation=bool(data["partial_randomisation"]),
        prizes=tuple(Prize(place=p["place"], amount=p["amount"]) for p in data["prizes"]),
        pool=data["pool"],
        max_per_project=data["max_per_project"],
        partial_last_grant=bool(data.get("partial_last_grant", False)),
    )

"""The whole result from published inputs, on hand-made cases with known answers."""

import hashlib
from decimal import Decimal
from fractions import Fraction

import pytest

from baiqau.domain.awards import Prize
from baiqau.domain.lottery import canonical_json, draw
from baiqau.domain.results import (
    RULE_PARTIAL_RANDOMISATION,
    RULE_POOL_PARTIAL_LAST,
    Band,
    Calibrate,
    Decides,
    Inputs,
    Rules,
    compute_results,
    decimal_text,
    rules_as_data,
    rules_from_data,
    score_data,
)
from baiqau.domain.scoring import AggregationMethod, Criterion, Review, ScoringError

QUALITY = Criterion("quality", Fraction(1), 0, 10)
IMPACT = Criterion("impact", Fraction(1), 0, 10)
CRITERIA = (QUALITY, IMPACT)
PRIZES = (Prize(1, 1_000_000), Prize(2, 700_000), Prize(3, 500_000))


def _reviews(table: dict[int, dict[int, tuple[int, int]]]) -> tuple[Review, ...]:
    """application → expert → (quality, impact)."""
    return tuple(
        Review(a, e, {"quality": q, "impact": i})
        for a, by_expert in table.items()
        for e, (q, i) in by_expert.items()
    )


def _order(outcome) -> list[tuple[int, int]]:
    return [(line.application_id, line.position) for line in outcome.lines]


def _awards(outcome) -> list[tuple[int, int, int]]:
    return [(a.application_id, a.place, a.amount) for a in outcome.awards]


def test_a_lenient_and_a_severe_expert_are_calibrated_and_the_calibrated_score_decides():
    # Expert 1 is lenient (+2 on everything), expert 2 severe (−2); each application is
    # reviewed by one of them and by the neutral expert 3. Application 11 is truly better
    # than 12, but drew the severe expert: raw, it loses; calibrated, it wins.
    reviews = _reviews(
        {
            10: {1: (9, 9), 3: (7, 7)},  # true 7
            11: {2: (6, 6), 3: (8, 8)},  # true 8, severe expert
            12: {1: (9, 9), 3: (7, 7)},  # true 7, lenient expert
            13: {2: (3, 3), 3: (5, 5)},  # true 5
            14: {1: (7, 7), 3: (5, 5)},  # true 5
            15: {2: (5, 5), 3: (7, 7)},  # true 7
        }
    )
    raw = compute_results(Inputs(CRITERIA, reviews, Rules(prizes=PRIZES[:1])))
    calibrated = compute_results(
        Inputs(
            CRITERIA,
            reviews,
            Rules(
                prizes=PRIZES[:1],
                calibration=Calibrate.LEAST_SQUARES,
                bias_ridge=Decimal(0),
                min_reviews=2,
                decides=Decides.CALIBRATED,
                tie_break=("lot",),
                lottery_value="published-2026-01-01",
            ),
        )
    )
    # Raw: 10 and 12 share 80 points at the top (the lenient expert's applications).
    assert raw.line(10).raw == raw.line(12).raw == Fraction(80)
    assert raw.line(11).raw == Fraction(70)
    assert raw.line(11).calibrated is None
    assert calibrated.calibration is not None
    effects = calibrated.calibration.experts
    assert effects[1].bias > 0 > effects[2].bias
    assert effects[1].bias == Decimal("20.000000")
    assert effects[2].bias == Decimal("-20.000000")
    # Calibrated, 11 comes first with its true 80 points; raw values are still shown.
    assert calibrated.lines[0].application_id == 11
    assert calibrated.line(11).calibrated == Fraction(80)
    assert calibrated.line(11).raw == Fraction(70)
    assert calibrated.line(11).score == calibrated.line(11).calibrated
    assert _awards(calibrated) == [(11, 1, 1_000_000)]


def test_a_tie_is_broken_by_the_named_criterion():
    reviews = _reviews(
        {
            1: {1: (9, 9)},
            2: {1: (8, 6)},  # 70: more on quality
            3: {1: (6, 8)},  # 70: more on impact
            4: {1: (2, 2)},
        }
    )
    outcome = compute_results(
        Inputs(CRITERIA, reviews, Rules(prizes=PRIZES, tie_break=("criterion:impact", "vote")))
    )
    assert _order(outcome) == [(1, 1), (3, 2), (2, 3), (4, 4)]
    assert outcome.line(3).decided_by == "criterion:impact"
    assert _awards(outcome) == [(1, 1, 1_000_000), (3, 2, 700_000), (2, 3, 500_000)]
    assert outcome.unresolved == ()


def test_a_tie_the_criteria_leave_goes_to_the_commissions_vote_then_stays_open():
    reviews = _reviews({1: {1: (9, 9)}, 2: {1: (7, 7)}, 3: {1: (7, 7)}, 4: {1: (2, 2)}})
    rules = Rules(prizes=PRIZES[:2], tie_break=("criterion:impact", "vote"))
    undecided = compute_results(Inputs(CRITERIA, reviews, rules))
    assert [a.place for a in undecided.awards] == [1]
    assert [t.application_ids for t in undecided.unresolved] == [(2, 3)]
    voted = compute_results(Inputs(CRITERIA, reviews, rules, votes={2: 2, 3: 5}))
    assert _awards(voted) == [(1, 1, 1_000_000), (3, 2, 700_000)]
    assert voted.line(3).decided_by == "vote"


def test_a_tie_that_goes_to_a_lot_is_the_same_draw_on_every_machine():
    reviews = _reviews({1: {1: (9, 9)}, 2: {1: (7, 7)}, 3: {1: (7, 7)}, 4: {1: (7, 7)}})
    rules = Rules(prizes=PRIZES, tie_break=("criterion:quality", "lot"), lottery_value="X-2026")
    outcome = compute_results(Inputs(CRITERIA, reviews, rules))
    # The seed by its published definition, with nothing but hashlib: SHA-256 of the
    # canonical score data followed by the pre-published value.
    data = score_data(CRITERIA, reviews)
    expected_seed = hashlib.sha256(canonical_json(data) + b"X-2026").digest()
    assert outcome.seed == expected_seed
    by_hash = sorted(
        [2, 3, 4], key=lambda a: hashlib.sha256(expected_seed + str(a).encode()).digest()
    )
    assert (
        [line.application_id for line in outcome.lines[1:]]
        == by_hash
        == list(draw([2, 3, 4], expected_seed))
    )
    assert {outcome.line(a).decided_by for a in by_hash} == {"lot"}
    assert [a.application_id for a in outcome.awards] == [1, *by_hash[:2]]
    # The same inputs give the same draw; a different pre-published value another seed.
    assert compute_results(Inputs(CRITERIA, reviews, rules)).seed == expected_seed
    other = Rules(prizes=PRIZES, tie_break=("lot",), lottery_value="Y-2026")
    assert compute_results(Inputs(CRITERIA, reviews, other)).seed != expected_seed
    # The canonical score data is pinned byte for byte.
    assert canonical_json(data).startswith(
        b'{"criteria":[{"key":"quality","max":10,"min":0,"weight":"1"},'
    )


def test_a_pool_that_runs_out_mid_ranking_stops_at_the_first_grant_that_does_not_fit():
    reviews = _reviews({a: {1: (10 - a, 10 - a)} for a in range(1, 6)})
    requested = {1: 400_000, 2: 500_000, 3: 300_000, 4: 100_000, 5: 50_000}
    rules = Rules(pool=1_000_000, max_per_project=450_000)
    outcome = compute_results(Inputs(CRITERIA, reviews, rules, requested=requested))
    # 400 000 + min(500 000, cap 450 000) = 850 000; 300 000 does not fit in the 150 000
    # left, and 4 and 5 are not funded past it even though they would fit.
    assert _awards(outcome) == [(1, 1, 400_000), (2, 2, 450_000)]
    assert outcome.bands.cut == 2
    partial = compute_results(
        Inputs(
            CRITERIA,
            reviews,
            Rules(pool=1_000_000, max_per_project=450_000, partial_last_grant=True),
            requested=requested,
        )
    )
    assert _awards(partial) == [(1, 1, 400_000), (2, 2, 450_000), (3, 3, 150_000)]
    assert partial.rule == RULE_POOL_PARTIAL_LAST


def test_disagreement_is_flagged_beyond_the_threshold():
    reviews = _reviews({1: {1: (10, 10), 2: (2, 2)}, 2: {1: (7, 7), 2: (6, 6)}})
    outcome = compute_results(
        Inputs(CRITERIA, reviews, Rules(prizes=PRIZES[:1], disagreement=Decimal(25)))
    )
    assert outcome.line(1).spread == Decimal("80.000000")
    assert outcome.line(2).spread is None


def test_partial_randomisation_funds_the_band_by_lot():
    # Ten applications with noisy reviews: the middle ones are within the band at the line.
    table = {
        a: {e: (max(0, min(10, 10 - a // 2 + (e * a) % 3 - 1)),) * 2 for e in (1, 2, 3)}
        for a in range(1, 11)
    }
    reviews = _reviews(table)
    rules = Rules(
        prizes=PRIZES,
        tie_break=("lot",),
        lottery_value="band-2026",
        partial_randomisation=True,
        bootstrap_seed=7,
    )
    outcome = compute_results(Inputs(CRITERIA, reviews, rules))
    assert outcome.bands.band, "the hand-made case must have a band at the line"
    assert outcome.rule == RULE_PARTIAL_RANDOMISATION
    winners = [a.application_id for a in outcome.awards]
    clearly_in = [line.application_id for line in outcome.lines if line.band is Band.IN]
    assert winners[: len(clearly_in)] == clearly_in
    lot = list(draw(outcome.bands.band, outcome.seed))
    assert winners[len(clearly_in) :] == lot[: 3 - len(clearly_in)]
    assert all(outcome.line(a).by_lot for a in winners[len(clearly_in) :])
    assert [a.amount for a in outcome.awards] == [1_000_000, 700_000, 500_000]


def test_rules_round_trip_through_their_published_form():
    rules = Rules(
        method=AggregationMethod.TRIMMED_MEAN,
        calibration=Calibrate.LEAST_SQUARES_SCALE,
        bias_ridge=Decimal("2.5"),
        decides=Decides.CALIBRATED,
        tie_break=("criterion:impact", "vote", "lot"),
        disagreement=Decimal("12.5"),
        bootstrap_seed=42,
        resamples=100,
        level=Fraction(9, 10),
        lottery_value="v",
        partial_randomisation=True,
        pool=5_000_000,
        max_per_project=1_000_000,
        partial_last_grant=True,
    )
    assert rules_from_data(rules_as_data(rules)) == rules


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tie_break": ("lot",)}, "published before scoring"),
        ({"partial_randomisation": True}, "published before scoring"),
        ({"decides": Decides.CALIBRATED}, "no calibration"),
        ({"tie_break": ("lot", "vote")}, "last"),
    ],
)
def test_inconsistent_rules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Rules(prizes=PRIZES, **kwargs)


def test_a_call_without_prizes_or_pool_is_refused():
    with pytest.raises(ScoringError):
        Rules()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(7), "7"),
        (Fraction(15, 2), "7.5"),
        (Decimal("7.50"), "7.5"),
        (0, "0"),
        (Fraction(1, 8), "0.125"),
    ],
)
def test_decimal_text_is_plain(value, text):
    assert decimal_text(value) == text


def test_decimal_text_refuses_a_repeating_decimal():
    with pytest.raises(ScoringError):
        decimal_text(Fraction(1, 3))

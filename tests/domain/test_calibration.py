from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.calibration import (
    Calibration,
    CalibrationMethod,
    ExpertDifference,
    ExpertEffect,
    Totals,
    Unestimated,
    apply_effects,
    calibrate_least_squares,
    calibrate_zscore,
    expert_differences,
)
from baiqau.domain.ranking import rank
from baiqau.domain.scoring import AggregationMethod, ScoringError, aggregate

# Six applications of known quality, each reviewed by two of four experts: expert 1
# is lenient (+10 points), expert 2 severe (−10), experts 3 and 4 score as they see.
QUALITY = {101: 60, 102: 64, 103: 50, 104: 70, 105: 55, 106: 65}
BIAS = {1: 10, 2: -10, 3: 0, 4: 0}
DESIGN = {101: (1, 3), 102: (2, 4), 103: (1, 4), 104: (2, 3), 105: (1, 2), 106: (3, 4)}


def _totals(copies: int = 1) -> dict[int, dict[int, Fraction]]:
    """The design, repeated ``copies`` times (ids 101…, 201…, …) by the same experts."""
    return {
        application + 100 * copy: {e: Fraction(QUALITY[application] + BIAS[e]) for e in experts}
        for application, experts in DESIGN.items()
        for copy in range(copies)
    }


def _raw(totals: Totals) -> dict[int, Fraction]:
    return {a: aggregate(list(row.values()), AggregationMethod.MEAN) for a, row in totals.items()}


def _order(scores: dict[int, Fraction] | Calibration) -> list[int]:
    if isinstance(scores, Calibration):
        scores = dict(scores.scores)
    return [entry.application_id for entry in rank(scores).entries]


# --- least squares: known answers --------------------------------------------------------


def test_without_a_ridge_least_squares_recovers_the_lenient_and_the_severe_expert() -> None:
    totals = _totals()
    # The raw mean puts 101 (lenient + neutral: 65) ahead of 102 (severe + neutral: 59).
    assert _raw(totals)[101] > _raw(totals)[102]
    calibration = calibrate_least_squares(totals, bias_ridge=0)
    assert dict(calibration.scores) == {a: Fraction(q) for a, q in QUALITY.items()}
    assert _order(calibration) == [104, 106, 102, 101, 105, 103]
    assert {e: effect.bias for e, effect in calibration.experts.items()} == {
        1: Decimal("10.000000"),
        2: Decimal("-10.000000"),
        3: Decimal("0.000000"),
        4: Decimal("0.000000"),
    }
    assert calibration.method is CalibrationMethod.LEAST_SQUARES
    assert calibration.converged
    assert calibration.groups == 1
    assert calibration.unestimated == ()


def test_the_default_ridge_reorders_the_two_applications_the_raw_mean_got_wrong() -> None:
    # Twice the design: six reviews per expert. The ridge (2) shrinks each bias towards
    # the panel, here from ±10 to ±20/3, still enough to put 102 ahead of 101.
    totals = _totals(copies=2)
    calibration = calibrate_least_squares(totals)
    assert _order(_raw(totals)).index(101) < _order(_raw(totals)).index(102)
    assert calibration.scores[101] == Fraction(123333333, 2000000)  # 70 − 6.666667, 60
    assert calibration.scores[102] == Fraction(124666667, 2000000)  # 54 + 6.666667, 64
    assert calibration.scores[102] > calibration.scores[101]
    assert expert_differences(calibration) == (
        ExpertDifference(expert_id=1, points=Decimal("6.666667")),
        ExpertDifference(expert_id=2, points=Decimal("-6.666667")),
    )
    assert expert_differences(calibration)[1].below


def test_the_ridge_believes_three_reviews_less_than_six() -> None:
    biases = {copies: calibrate_least_squares(_totals(copies)).experts[2].bias for copies in (1, 2)}
    assert biases == {1: Decimal("-5.000000"), 2: Decimal("-6.666667")}


def test_calibrated_totals_are_raw_totals_minus_the_published_bias() -> None:
    calibration = calibrate_least_squares(_totals(copies=2))
    assert dict(calibration.review_totals[101]) == {
        1: Fraction(70) - Fraction("6.666667"),
        3: Fraction(60),
    }


def test_a_verifier_recomputes_the_scores_exactly_from_the_published_effects() -> None:
    totals = _totals(copies=2)
    calibration = calibrate_least_squares(totals, scale=True)
    review_totals, scores = apply_effects(totals, calibration.centre, calibration.experts)
    assert scores == dict(calibration.scores)
    assert review_totals == {a: dict(row) for a, row in calibration.review_totals.items()}


def test_calibrated_score_follows_the_calls_aggregation_method() -> None:
    totals = {1: {1: Fraction(10), 2: Fraction(20), 3: Fraction(90)}, 2: {1: Fraction(50)}}
    calibration = calibrate_least_squares(
        totals, aggregation=AggregationMethod.MEDIAN, min_reviews=5
    )
    assert calibration.aggregation is AggregationMethod.MEDIAN
    assert dict(calibration.scores) == {1: Fraction(20), 2: Fraction(50)}


def test_experts_with_too_few_reviews_or_no_overlap_are_not_estimated() -> None:
    totals = _totals()
    totals[107] = {5: Fraction(90), 1: Fraction(80)}  # expert 5: one review
    totals[108] = {6: Fraction(10)}  # expert 6: alone on everything they reviewed
    totals[109] = {6: Fraction(20)}
    totals[110] = {6: Fraction(30)}
    calibration = calibrate_least_squares(totals, bias_ridge=0)
    assert calibration.experts[5] == ExpertEffect(
        expert_id=5,
        review_count=1,
        bias=Decimal("0.000000"),
        scale=Decimal("1.000000"),
        unestimated=Unestimated.FEW_REVIEWS,
    )
    assert calibration.experts[6].unestimated is Unestimated.NO_OVERLAP
    assert calibration.unestimated == (5, 6)
    assert calibration.review_totals[108][6] == Fraction(10)
    assert calibration.review_totals[107] == {5: Fraction(90), 1: Fraction(70)}
    # Neither takes part in estimating the others: nobody is measured against expert 5.
    assert calibration.groups == 1
    assert expert_differences(calibration, at_least=Decimal(1)) == (
        ExpertDifference(expert_id=1, points=Decimal("10.000000")),
        ExpertDifference(expert_id=2, points=Decimal("-10.000000")),
    )


def test_separate_groups_are_each_centred_on_their_own_experts() -> None:
    shifted = {a + 1000: {e + 10: t + 5 for e, t in row.items()} for a, row in _totals().items()}
    calibration = calibrate_least_squares({**_totals(), **shifted}, bias_ridge=0)
    assert calibration.groups == 2
    assert calibration.experts[11].bias == Decimal("10.000000")
    assert calibration.scores[1101] == calibration.scores[101] + 5


def test_scale_model_finds_an_expert_who_stretches_the_scale() -> None:
    quality = {a: Fraction(40 + 3 * a) for a in range(1, 11)}
    scales = {1: 1, 2: 1, 3: 2, 4: 1}
    totals = {
        a: {e: 50 + scales[e] * (q - 50) + (4 if e == 4 else 0) for e in scales}
        for a, q in quality.items()
    }
    calibration = calibrate_least_squares(totals, scale=True, bias_ridge=0.01, scale_ridge=0.01)
    assert calibration.method is CalibrationMethod.LEAST_SQUARES_SCALE
    assert calibration.converged
    effects = calibration.experts
    assert float(effects[3].scale / effects[1].scale) == pytest.approx(2, abs=5e-3)
    assert float(effects[4].bias - effects[1].bias) == pytest.approx(4, abs=1e-2)
    assert _order(calibration) == sorted(quality, reverse=True)


def test_scale_model_needs_both_ridges() -> None:
    with pytest.raises(ScoringError, match="both ridges"):
        calibrate_least_squares(_totals(), scale=True, bias_ridge=0)


@pytest.mark.parametrize("bad", [0.5, "7", True, None])
def test_inexact_totals_are_refused(bad: object) -> None:
    with pytest.raises(ScoringError, match="integer, Fraction or Decimal"):
        calibrate_least_squares({1: {1: bad, 2: Fraction(1)}})  # type: ignore[dict-item]  # the point is a caller that ignores the type


def test_nothing_to_calibrate_is_refused() -> None:
    with pytest.raises(ScoringError, match="no review totals"):
        calibrate_least_squares({})
    with pytest.raises(ScoringError, match="zero or a positive number"):
        calibrate_least_squares(_totals(), bias_ridge=-1)


def test_the_same_input_gives_the_same_result_in_every_order() -> None:
    totals = _totals(copies=3)
    again = {a: dict(reversed(list(totals[a].items()))) for a in reversed(list(totals))}
    first = calibrate_least_squares(totals, scale=True)
    second = calibrate_least_squares(again, scale=True)
    assert dict(first.experts) == dict(second.experts)
    assert dict(first.scores) == dict(second.scores)
    assert first.iterations == second.iterations


# --- z-score ----------------------------------------------------------------------------------


def test_zscore_puts_a_narrow_and_a_wide_expert_on_one_scale() -> None:
    # Expert 1 scores within 69–71 (sd 1), expert 2 within 33–47 (sd 7): the raw mean
    # is decided by expert 2 alone. Standardised, both count alike, on the panel's
    # scale (mean of means 55, root mean square of the sds 5).
    totals = {
        1: {1: Fraction(71), 2: Fraction(33)},
        2: {1: Fraction(70), 2: Fraction(47)},
        3: {1: Fraction(69), 2: Fraction(40)},
    }
    assert _order(_raw(totals)) == [2, 3, 1]
    calibration = calibrate_zscore(totals)
    assert calibration.centre == Decimal("55.000000")
    assert dict(calibration.scores) == {1: Fraction(55), 2: Fraction(115, 2), 3: Fraction(105, 2)}
    assert _order(calibration) == [2, 1, 3]
    assert [(e.bias, e.scale) for e in calibration.experts.values()] == [
        (Decimal("15.000000"), Decimal("0.200000")),
        (Decimal("-15.000000"), Decimal("1.400000")),
    ]


def test_zscore_leaves_experts_it_cannot_standardise() -> None:
    totals = {
        1: {1: Fraction(71), 2: Fraction(33), 3: Fraction(80), 4: Fraction(5)},
        2: {1: Fraction(70), 2: Fraction(47), 3: Fraction(80), 4: Fraction(9)},
        3: {1: Fraction(69), 2: Fraction(40), 3: Fraction(80)},
    }
    calibration = calibrate_zscore(totals)
    assert calibration.experts[3].unestimated is Unestimated.NO_SPREAD
    assert calibration.experts[4].unestimated is Unestimated.FEW_REVIEWS
    assert calibration.review_totals[1][4] == Fraction(5)
    with pytest.raises(ScoringError, match="two reviews"):
        calibrate_zscore(totals, min_reviews=1)


# --- properties --------------------------------------------------------------------------------


@st.composite
def designs(draw: st.DrawFn) -> dict[int, dict[int, Fraction]]:
    """Every application reviewed by two or more of a few experts, totals 0–100."""
    experts = list(range(1, draw(st.integers(3, 6)) + 1))
    totals = {}
    for application in range(1, draw(st.integers(2, 8)) + 1):
        reviewers = draw(st.sets(st.sampled_from(experts), min_size=2, max_size=len(experts)))
        totals[application] = {
            expert: draw(st.fractions(min_value=0, max_value=100, max_denominator=3))
            for expert in sorted(reviewers)
        }
    return totals


def _relabel(totals: Totals, apps: dict[int, int], experts: dict[int, int]) -> Totals:
    return {apps[a]: {experts[e]: t for e, t in row.items()} for a, row in totals.items()}


def _close(first: Decimal | Fraction, second: Decimal | Fraction) -> bool:
    # One unit in the sixth decimal, plus what the exact arithmetic carries from it.
    return abs(Fraction(first) - Fraction(second)) <= Fraction(2, 10**6)


calibrations = st.sampled_from(
    [
        lambda t: calibrate_least_squares(t, min_reviews=1),
        lambda t: calibrate_least_squares(t, bias_ridge=0, min_reviews=1),
        lambda t: calibrate_least_squares(t, scale=True, min_reviews=2),
        lambda t: calibrate_zscore(t, min_reviews=2),
    ]
)


@settings(deadline=None, max_examples=60)
@given(designs(), calibrations, st.data())
def test_renaming_experts_and_applications_changes_nothing(
    totals: Totals, calibrate: object, data: st.DataObject
) -> None:
    experts = sorted({e for row in totals.values() for e in row})
    new_ids = st.lists(st.integers(-(10**6), 10**6), unique=True, min_size=0)
    app_ids = data.draw(new_ids.filter(lambda ids: len(ids) >= len(totals)))[: len(totals)]
    expert_ids = data.draw(new_ids.filter(lambda ids: len(ids) >= len(experts)))[: len(experts)]
    apps = dict(zip(sorted(totals), app_ids, strict=True))
    renamed_experts = dict(zip(experts, expert_ids, strict=True))
    before = calibrate(totals)  # type: ignore[operator]  # one of the callables above
    after = calibrate(_relabel(totals, apps, renamed_experts))  # type: ignore[operator]  # as above
    for expert, effect in before.experts.items():
        other = after.experts[renamed_experts[expert]]
        assert other.unestimated == effect.unestimated
        assert _close(other.bias, effect.bias)
        assert _close(other.scale, effect.scale)
    for application, score in before.scores.items():
        assert _close(after.scores[apps[application]], score)


def _groups(totals: Totals) -> list[set[int]]:
    groups: list[tuple[set[int], set[int]]] = []
    for application, row in totals.items():
        joined = [g for g in groups if g[1] & set(row)]
        apps = {application}.union(*(g[0] for g in joined))
        experts = set(row).union(*(g[1] for g in joined))
        groups = [g for g in groups if g not in joined] + [(apps, experts)]
    return [apps for apps, _ in groups]


@settings(deadline=None, max_examples=60)
@given(designs(), st.fractions(min_value=-20, max_value=20, max_denominator=4), st.data())
def test_adding_a_constant_to_one_experts_totals_leaves_the_quality_unchanged(
    totals: Totals, constant: Fraction, data: st.DataObject
) -> None:
    experts = sorted({e for row in totals.values() for e in row})
    expert = data.draw(st.sampled_from(experts))
    shifted = {
        a: {e: t + constant if e == expert else t for e, t in row.items()}
        for a, row in totals.items()
    }
    before = calibrate_least_squares(totals, bias_ridge=0, min_reviews=1)
    after = calibrate_least_squares(shifted, bias_ridge=0, min_reviews=1)
    assert before.converged and after.converged
    # Up to one common shift per group: the expert is part of the panel it is
    # compared with, so the panel's level moves by constant / (experts in the group).
    for group in _groups(totals):
        moves = [Fraction(after.scores[a]) - before.scores[a] for a in group]
        assert max(moves) - min(moves) <= Fraction(4, 10**6)


@settings(deadline=None, max_examples=40)
@given(designs(), st.sampled_from(AggregationMethod), st.booleans())
def test_each_score_is_the_calls_method_over_the_calibrated_totals(
    totals: Totals, method: AggregationMethod, scale: bool
) -> None:
    calibration = calibrate_least_squares(totals, aggregation=method, scale=scale, min_reviews=1)
    for application, row in calibration.review_totals.items():
        assert calibration.scores[application] == aggregate(list(row.values()), method)

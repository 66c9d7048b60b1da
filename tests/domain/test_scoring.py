from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from random import Random
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.ranking import Ranking, rank
from baiqau.domain.scoring import (
    AggregationMethod,
    ApplicationScore,
    Criterion,
    Review,
    ScoringError,
    aggregate,
    check_scores,
    criterion_aggregates,
    review_total,
    review_totals_by_application,
    round_fixed,
    score_applications,
)

RELEVANCE = Criterion(key="relevance", weight=Fraction(2), min_score=0, max_score=10)
FEASIBILITY = Criterion(key="feasibility", weight=Fraction(1), min_score=1, max_score=5)
CRITERIA = (RELEVANCE, FEASIBILITY)


def _review(application_id: int, expert_id: int, relevance: int, feasibility: int) -> Review:
    return Review(
        application_id=application_id,
        expert_id=expert_id,
        scores={"relevance": Fraction(relevance), "feasibility": Fraction(feasibility)},
    )


# --- Criterion and Review -------------------------------------------------


@pytest.mark.parametrize("weight", [Fraction(0), Fraction(-1)])
def test_criterion_weight_must_be_positive(weight: Fraction) -> None:
    with pytest.raises(ScoringError, match="weight"):
        Criterion(key="impact", weight=weight, min_score=0, max_score=10)


@pytest.mark.parametrize("max_score", [0, -1])
def test_criterion_maximum_must_exceed_minimum(max_score: int) -> None:
    with pytest.raises(ScoringError, match="maximum"):
        Criterion(key="impact", weight=Fraction(1), min_score=0, max_score=max_score)


def test_criterion_weight_refuses_float() -> None:
    with pytest.raises(ScoringError, match="Fraction or Decimal"):
        Criterion(key="impact", weight=0.1, min_score=0, max_score=10)  # type: ignore[arg-type]  # the point is a caller that ignores the type


def test_criterion_weight_given_as_decimal_becomes_an_exact_fraction() -> None:
    criterion = Criterion(key="impact", weight=Decimal("0.1"), min_score=0, max_score=10)  # type: ignore[arg-type]  # the database hands over Decimal
    assert criterion.weight == Fraction(1, 10)
    assert type(criterion.weight) is Fraction


def test_review_converts_int_and_decimal_scores_to_fractions() -> None:
    review = Review(
        application_id=1,
        expert_id=2,
        scores={"relevance": 7, "feasibility": Decimal("3.5")},  # type: ignore[dict-item]  # mixed input is the case
    )
    assert dict(review.scores) == {"relevance": Fraction(7), "feasibility": Fraction(7, 2)}
    assert all(type(value) is Fraction for value in review.scores.values())


def test_review_scores_are_read_only_and_detached_from_the_input() -> None:
    source = {"relevance": Fraction(7), "feasibility": Fraction(3)}
    review = Review(application_id=1, expert_id=2, scores=source)
    source["relevance"] = Fraction(0)
    assert review.scores["relevance"] == Fraction(7)
    assert isinstance(review.scores, MappingProxyType)
    with pytest.raises(TypeError):
        review.scores["relevance"] = Fraction(1)  # type: ignore[index]  # proving it is read-only


@pytest.mark.parametrize("bad", [7.0, True, Decimal("NaN"), "7"])
def test_review_refuses_inexact_or_non_numeric_scores(bad: object) -> None:
    with pytest.raises(ScoringError, match="relevance"):
        Review(application_id=1, expert_id=2, scores={"relevance": bad})  # type: ignore[dict-item]  # bad input is the case


def test_reviews_with_equal_scores_are_equal_and_hashable() -> None:
    assert _review(1, 2, 7, 4) == _review(1, 2, 7, 4)
    assert _review(1, 2, 7, 4) != _review(1, 2, 7, 5)
    assert len({_review(1, 2, 7, 4), _review(1, 2, 7, 4)}) == 1


# --- review_total and check_scores ------------------------------------------


def test_review_total_matches_hand_computation() -> None:
    # (2 * 7/10 + 1 * (4-1)/(5-1)) / 3 * 100 = (43/20) / 3 * 100 = 215/3
    assert review_total(CRITERIA, {"relevance": Fraction(7), "feasibility": Fraction(4)}) == (
        Fraction(215, 3)
    )


def test_review_total_is_0_at_every_minimum_and_100_at_every_maximum() -> None:
    assert review_total(CRITERIA, {"relevance": Fraction(0), "feasibility": Fraction(1)}) == 0
    assert review_total(CRITERIA, {"relevance": Fraction(10), "feasibility": Fraction(5)}) == 100


def test_review_total_names_the_missing_criterion() -> None:
    with pytest.raises(ScoringError, match="'feasibility'"):
        review_total(CRITERIA, {"relevance": Fraction(7)})


def test_review_total_ignores_scores_for_other_keys() -> None:
    scores = {"relevance": Fraction(7), "feasibility": Fraction(4), "other": Fraction(99)}
    assert review_total(CRITERIA, scores) == Fraction(215, 3)


def test_review_total_does_not_check_the_scale() -> None:
    assert review_total(CRITERIA, {"relevance": Fraction(20), "feasibility": Fraction(5)}) == (
        Fraction(500, 3)
    )


def test_review_total_needs_at_least_one_criterion() -> None:
    with pytest.raises(ScoringError, match="criterion"):
        review_total((), {})


def test_review_total_refuses_repeated_criterion_keys() -> None:
    with pytest.raises(ScoringError, match="relevance"):
        review_total((RELEVANCE, RELEVANCE), {"relevance": Fraction(1)})


def test_check_scores_accepts_scores_on_the_boundaries() -> None:
    check_scores(CRITERIA, {"relevance": Fraction(0), "feasibility": Fraction(5)})
    check_scores(CRITERIA, {"relevance": Fraction(10), "feasibility": Fraction(1)})


def test_check_scores_leaves_missing_scores_to_review_total() -> None:
    check_scores(CRITERIA, {"relevance": Fraction(3)})


@pytest.mark.parametrize("score", [Fraction(0), Fraction(6), Fraction(11, 2)])
def test_check_scores_names_criterion_and_range_for_out_of_range_score(score: Fraction) -> None:
    with pytest.raises(ScoringError) as caught:
        check_scores(CRITERIA, {"relevance": Fraction(5), "feasibility": score})
    message = str(caught.value)
    assert "'feasibility'" in message
    assert "between 1 and 5" in message


def test_check_scores_names_the_unknown_key_and_the_known_ones() -> None:
    with pytest.raises(ScoringError) as caught:
        check_scores(CRITERIA, {"budget": Fraction(3)})
    assert str(caught.value) == (
        "There is no criterion 'budget'; the criteria are: feasibility, relevance."
    )


# --- aggregate ----------------------------------------------------------------


def _fractions(*values: int) -> list[Fraction]:
    return [Fraction(value) for value in values]


@pytest.mark.parametrize(
    ("totals", "method", "expected"),
    [
        (_fractions(60, 70, 95), AggregationMethod.MEAN, Fraction(75)),
        (_fractions(60, 70), AggregationMethod.MEAN, Fraction(65)),
        (_fractions(95, 60, 70), AggregationMethod.MEDIAN, Fraction(70)),
        (_fractions(95, 60, 70, 80), AggregationMethod.MEDIAN, Fraction(75)),
        (_fractions(50), AggregationMethod.MEDIAN, Fraction(50)),
        (_fractions(10, 60, 70, 100), AggregationMethod.TRIMMED_MEAN, Fraction(65)),
        (_fractions(0, 60, 61), AggregationMethod.TRIMMED_MEAN, Fraction(60)),
        (_fractions(0, 61), AggregationMethod.TRIMMED_MEAN, Fraction(61, 2)),
        (_fractions(42), AggregationMethod.TRIMMED_MEAN, Fraction(42)),
    ],
)
def test_aggregate_known_answers(
    totals: list[Fraction], method: AggregationMethod, expected: Fraction
) -> None:
    assert aggregate(totals, method) == expected


def test_trimmed_mean_drops_only_one_of_several_equal_extremes() -> None:
    assert aggregate(_fractions(0, 0, 90, 90), AggregationMethod.TRIMMED_MEAN) == Fraction(45)


@pytest.mark.parametrize("method", list(AggregationMethod))
def test_aggregate_of_no_totals_is_refused(method: AggregationMethod) -> None:
    with pytest.raises(ScoringError):
        aggregate([], method)


def test_equal_scores_stay_equal_where_floats_would_drift() -> None:
    first = aggregate([Fraction(1, 10), Fraction(2, 10)], AggregationMethod.MEAN)
    second = aggregate([Fraction(3, 10), Fraction(0)], AggregationMethod.MEAN)
    assert (0.1 + 0.2) / 2 != (0.3 + 0.0) / 2
    assert first == second


def test_aggregation_method_values_are_stable_strings() -> None:
    assert [method.value for method in AggregationMethod] == ["mean", "median", "trimmed_mean"]


# --- score_applications ---------------------------------------------------------


def test_score_applications_known_answer() -> None:
    reviews = [_review(7, 1, 10, 5), _review(7, 2, 0, 1), _review(8, 1, 7, 4)]
    scores = score_applications(CRITERIA, reviews)
    assert scores == {
        7: ApplicationScore(
            application_id=7,
            score=Fraction(50),
            review_count=2,
            review_totals=(Fraction(0), Fraction(100)),
            criterion_means={"relevance": Fraction(5), "feasibility": Fraction(3)},
        ),
        8: ApplicationScore(
            application_id=8,
            score=Fraction(215, 3),
            review_count=1,
            review_totals=(Fraction(215, 3),),
            criterion_means={"relevance": Fraction(7), "feasibility": Fraction(4)},
        ),
    }


def test_score_applications_uses_the_chosen_method() -> None:
    reviews = [_review(7, 1, 10, 5), _review(7, 2, 0, 1), _review(7, 3, 10, 1)]
    # Totals 0, 200/3, 100: median 200/3, mean 500/9, trimmed mean 200/3.
    assert score_applications(CRITERIA, reviews, AggregationMethod.MEDIAN)[7].score == (
        Fraction(200, 3)
    )
    assert score_applications(CRITERIA, reviews)[7].score == Fraction(500, 9)


def test_application_without_reviews_is_absent() -> None:
    assert score_applications(CRITERIA, []) == {}


def test_review_totals_are_sorted_whatever_the_arrival_order() -> None:
    reviews = [_review(7, 1, 10, 5), _review(7, 2, 0, 1), _review(7, 3, 5, 3)]
    scored = score_applications(CRITERIA, reviews)[7]
    assert scored.review_totals == (Fraction(0), Fraction(50), Fraction(100))


def test_criterion_means_are_read_only() -> None:
    scored = score_applications(CRITERIA, [_review(7, 1, 10, 5)])[7]
    assert isinstance(scored.criterion_means, MappingProxyType)


def test_two_reviews_by_one_expert_of_one_application_are_refused() -> None:
    with pytest.raises(ScoringError, match="Expert 1"):
        score_applications(CRITERIA, [_review(7, 1, 10, 5), _review(7, 1, 3, 3)])


def test_one_expert_may_review_several_applications() -> None:
    scores = score_applications(CRITERIA, [_review(7, 1, 10, 5), _review(8, 1, 0, 1)])
    assert sorted(scores) == [7, 8]


def test_score_applications_names_the_missing_criterion() -> None:
    review = Review(application_id=7, expert_id=1, scores={"relevance": Fraction(3)})
    with pytest.raises(ScoringError, match="'feasibility'"):
        score_applications(CRITERIA, [review])


# --- inputs for calibration and tie-breaks -----------------------------------------


def test_review_totals_by_application_known_answer() -> None:
    reviews = [_review(7, 2, 0, 1), _review(7, 1, 10, 5), _review(8, 1, 7, 4)]
    assert review_totals_by_application(CRITERIA, reviews) == {
        7: {1: Fraction(100), 2: Fraction(0)},
        8: {1: Fraction(215, 3)},
    }


def test_review_totals_by_application_refuses_an_expert_twice() -> None:
    with pytest.raises(ScoringError, match="Expert 1"):
        review_totals_by_application(CRITERIA, [_review(7, 1, 10, 5), _review(7, 1, 3, 3)])


def test_criterion_aggregates_use_the_calls_method() -> None:
    reviews = [_review(7, 1, 10, 5), _review(7, 2, 0, 1), _review(7, 3, 2, 1)]
    assert criterion_aggregates(CRITERIA, reviews) == {
        7: {"relevance": Fraction(4), "feasibility": Fraction(7, 3)}
    }
    assert criterion_aggregates(CRITERIA, reviews, AggregationMethod.MEDIAN) == {
        7: {"relevance": Fraction(2), "feasibility": Fraction(1)}
    }


def test_criterion_aggregates_name_the_review_missing_a_score() -> None:
    reviews = [_review(7, 1, 10, 5), Review(7, 2, {"relevance": Fraction(3)})]
    with pytest.raises(ScoringError, match="'feasibility' is missing from the review by expert 2"):
        criterion_aggregates(CRITERIA, reviews)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 3), "0.333333"),
        (Fraction(2, 3), "0.666667"),
        (Fraction(5, 10**7), "0.000000"),  # half to even: down to 0
        (Fraction(15, 10**7), "0.000002"),  # half to even: up to 2
        (Fraction(-15, 10**7), "-0.000002"),
        (70, "70.000000"),
        (0.1, "0.100000"),  # the float's exact value is 0.1000000000000000055…
        (10**30, "1000000000000000000000000000000.000000"),
    ],
)
def test_round_fixed_rounds_half_to_even_exactly(
    value: Fraction | int | float, expected: str
) -> None:
    assert str(round_fixed(value)) == expected


def test_round_fixed_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ScoringError, match="finite"):
        round_fixed(float("nan"))


# --- properties -------------------------------------------------------------------


@st.composite
def criteria_strategy(draw: st.DrawFn) -> tuple[Criterion, ...]:
    count = draw(st.integers(1, 4))
    criteria = []
    for index in range(count):
        low = draw(st.integers(0, 2))
        criteria.append(
            Criterion(
                key=f"c{index}",
                weight=draw(st.fractions(min_value=Fraction(1, 4), max_value=5)),
                min_score=low,
                max_score=draw(st.integers(low + 1, low + 10)),
            )
        )
    return tuple(criteria)


@st.composite
def reviewed_call(draw: st.DrawFn) -> tuple[tuple[Criterion, ...], list[Review]]:
    criteria = draw(criteria_strategy())
    reviews = []
    application_ids = draw(st.sets(st.integers(1, 30), min_size=1, max_size=6))
    for application_id in sorted(application_ids):
        experts = draw(st.sets(st.integers(1, 8), min_size=1, max_size=4))
        for expert_id in sorted(experts):
            # Few distinct values per criterion so that ties actually occur.
            scores = {
                criterion.key: Fraction(
                    draw(st.sampled_from((criterion.min_score, criterion.max_score)))
                )
                for criterion in criteria
            }
            reviews.append(Review(application_id, expert_id, scores))
    return criteria, reviews


def _ranking(
    criteria: Sequence[Criterion], reviews: Sequence[Review], method: AggregationMethod
) -> Ranking:
    scored = score_applications(criteria, reviews, method)
    return rank({application_id: result.score for application_id, result in scored.items()})


def _shape(ranking: Ranking) -> tuple[object, ...]:
    """Order, positions and ties, without the scores themselves."""
    return (
        tuple((entry.application_id, entry.position, entry.tied) for entry in ranking.entries),
        tuple((tie.position, tie.application_ids) for tie in ranking.ties),
    )


methods = st.sampled_from(AggregationMethod)


@settings(deadline=None)
@given(reviewed_call(), methods, st.randoms(use_true_random=False))
def test_order_of_arrival_of_reviews_changes_nothing(
    call: tuple[tuple[Criterion, ...], list[Review]],
    method: AggregationMethod,
    rng: Random,
) -> None:
    criteria, reviews = call
    shuffled = list(reviews)
    rng.shuffle(shuffled)
    assert score_applications(criteria, shuffled, method) == score_applications(
        criteria, reviews, method
    )
    assert _ranking(criteria, shuffled, method) == _ranking(criteria, reviews, method)


@settings(deadline=None)
@given(reviewed_call(), methods, st.data())
def test_renaming_experts_changes_nothing(
    call: tuple[tuple[Criterion, ...], list[Review]],
    method: AggregationMethod,
    data: st.DataObject,
) -> None:
    criteria, reviews = call
    experts = sorted({review.expert_id for review in reviews})
    new_ids = data.draw(
        st.lists(
            st.integers(-(10**9), 10**9),
            min_size=len(experts),
            max_size=len(experts),
            unique=True,
        )
    )
    relabel = dict(zip(experts, new_ids, strict=True))
    renamed = [
        Review(review.application_id, relabel[review.expert_id], review.scores)
        for review in reviews
    ]
    assert score_applications(criteria, renamed, method) == score_applications(
        criteria, reviews, method
    )
    assert _ranking(criteria, renamed, method) == _ranking(criteria, reviews, method)


@settings(deadline=None)
@given(reviewed_call(), methods, st.fractions(min_value=-20, max_value=20, max_denominator=4))
def test_adding_a_constant_to_every_score_keeps_order_and_ties(
    call: tuple[tuple[Criterion, ...], list[Review]],
    method: AggregationMethod,
    constant: Fraction,
) -> None:
    criteria, reviews = call
    shifted = [
        Review(
            review.application_id,
            review.expert_id,
            {key: score + constant for key, score in review.scores.items()},
        )
        for review in reviews
    ]
    assert _shape(_ranking(criteria, shifted, method)) == _shape(
        _ranking(criteria, reviews, method)
    )


def _total_by_definition(criteria: Sequence[Criterion], scores: dict[str, Fraction]) -> Fraction:
    weighted = sum(
        (c.weight * (scores[c.key] - c.min_score) / (c.max_score - c.min_score) for c in criteria),
        Fraction(0),
    )
    return weighted / sum((c.weight for c in criteria), Fraction(0)) * 100


@settings(deadline=None)
@given(criteria_strategy(), st.data())
def test_review_total_is_the_definition_for_whole_and_fractional_scores(
    criteria: tuple[Criterion, ...], data: st.DataObject
) -> None:
    whole = data.draw(st.booleans())
    scores = {
        c.key: data.draw(
            st.integers(c.min_score - 2, c.max_score + 2).map(Fraction)
            if whole
            else st.fractions(c.min_score, c.max_score, max_denominator=8)
        )
        for c in criteria
    }
    assert review_total(criteria, scores) == _total_by_definition(criteria, scores)

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.awards import Award, AwardOutcome, Prize, award_grants, award_prizes
from baiqau.domain.ranking import Ranking, TieGroup, rank

PRIZES = (
    Prize(place=1, amount=1_000_000),
    Prize(place=2, amount=500_000),
    Prize(place=3, amount=250_000),
)


def _ranking(*scores: int) -> Ranking:
    """Application ids 1, 2, 3 ... get the scores in the order given."""
    return rank({index: Fraction(score) for index, score in enumerate(scores, start=1)})


# --- award_prizes -------------------------------------------------------------


def test_untied_ranking_gives_each_place_its_prize() -> None:
    outcome = award_prizes(_ranking(70, 90, 80, 60), PRIZES)
    assert outcome == AwardOutcome(
        awards=(
            Award(application_id=2, place=1, amount=1_000_000),
            Award(application_id=3, place=2, amount=500_000),
            Award(application_id=1, place=3, amount=250_000),
        ),
        unresolved=(),
        rule="prizes_by_place",
    )


def test_tie_at_second_place_leaves_second_and_third_unawarded() -> None:
    outcome = award_prizes(_ranking(90, 80, 80, 70), PRIZES)
    assert outcome.awards == (Award(application_id=1, place=1, amount=1_000_000),)
    assert outcome.unresolved == (TieGroup(position=2, score=Fraction(80), application_ids=(2, 3)),)


def test_entry_below_a_tie_still_gets_its_own_prize_place() -> None:
    prizes = (*PRIZES, Prize(place=4, amount=100_000))
    outcome = award_prizes(_ranking(90, 80, 80, 70), prizes)
    assert outcome.awards == (
        Award(application_id=1, place=1, amount=1_000_000),
        Award(application_id=4, place=4, amount=100_000),
    )


def test_tie_at_first_place_leaves_the_covered_places_open() -> None:
    outcome = award_prizes(_ranking(90, 90, 80), PRIZES)
    assert outcome.awards == (Award(application_id=3, place=3, amount=250_000),)
    assert outcome.unresolved == (TieGroup(position=1, score=Fraction(90), application_ids=(1, 2)),)


def test_tie_reaching_past_the_last_prize_place_is_unresolved() -> None:
    outcome = award_prizes(_ranking(90, 80, 70, 70), PRIZES)
    assert [award.place for award in outcome.awards] == [1, 2]
    assert outcome.unresolved == (TieGroup(position=3, score=Fraction(70), application_ids=(3, 4)),)


def test_tie_below_the_prize_places_is_not_reported() -> None:
    outcome = award_prizes(_ranking(90, 80, 70, 60, 60), PRIZES)
    assert [award.place for award in outcome.awards] == [1, 2, 3]
    assert outcome.unresolved == ()


def test_prizes_may_be_given_in_any_order() -> None:
    reversed_prizes = tuple(reversed(PRIZES))
    ranking = _ranking(70, 90, 80)
    assert award_prizes(ranking, reversed_prizes) == award_prizes(ranking, PRIZES)


def test_fewer_entries_than_prizes_leaves_lower_places_open() -> None:
    outcome = award_prizes(_ranking(50), PRIZES)
    assert outcome.awards == (Award(application_id=1, place=1, amount=1_000_000),)


def test_no_entries_no_awards() -> None:
    assert award_prizes(rank({}), PRIZES) == AwardOutcome(
        awards=(), unresolved=(), rule="prizes_by_place"
    )


@pytest.mark.parametrize(
    "places",
    [(1, 3), (2, 3), (1, 1, 2)],
    ids=["gap", "not_from_one", "repeated"],
)
def test_prize_places_must_be_contiguous_from_one(places: tuple[int, ...]) -> None:
    prizes = [Prize(place=place, amount=100) for place in places]
    with pytest.raises(ValueError, match="Prize places"):
        award_prizes(_ranking(90, 80, 70), prizes)


def test_prize_place_starts_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        Prize(place=0, amount=100)


def test_prize_amount_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        Prize(place=1, amount=-1)


# --- award_grants ----------------------------------------------------------------


def test_grants_are_funded_in_rank_order_until_one_does_not_fit() -> None:
    ranking = _ranking(90, 80, 70, 60)
    requested = {1: 400, 2: 500, 3: 200, 4: 50}
    outcome = award_grants(ranking, requested, pool=1000, max_per_project=None)
    # 400 + 500 leaves 100: application 3 (200) does not fit, and application 4
    # (50) would, but the rule never skips down the ranking.
    assert outcome == AwardOutcome(
        awards=(
            Award(application_id=1, place=1, amount=400),
            Award(application_id=2, place=2, amount=500),
        ),
        unresolved=(),
        rule="pool_in_rank_order_no_partial",
    )


def test_grant_is_capped_at_the_maximum_per_project() -> None:
    outcome = award_grants(_ranking(90, 80), {1: 800, 2: 300}, pool=1000, max_per_project=600)
    assert outcome.awards == (
        Award(application_id=1, place=1, amount=600),
        Award(application_id=2, place=2, amount=300),
    )


def test_grants_that_use_up_the_pool_exactly_are_all_funded() -> None:
    outcome = award_grants(_ranking(90, 80), {1: 700, 2: 300}, pool=1000, max_per_project=None)
    assert sum(award.amount for award in outcome.awards) == 1000


def test_first_application_too_large_for_the_pool_funds_nobody() -> None:
    outcome = award_grants(_ranking(90, 80), {1: 2000, 2: 10}, pool=1000, max_per_project=None)
    assert outcome.awards == ()
    assert outcome.unresolved == ()


def test_tie_straddling_the_funding_line_is_unresolved_and_nobody_in_it_is_funded() -> None:
    ranking = _ranking(90, 80, 80, 70)
    requested = {1: 400, 2: 300, 3: 400, 4: 10}
    outcome = award_grants(ranking, requested, pool=1000, max_per_project=None)
    assert outcome.awards == (Award(application_id=1, place=1, amount=400),)
    assert outcome.unresolved == (TieGroup(position=2, score=Fraction(80), application_ids=(2, 3)),)


def test_tie_that_fits_entirely_is_funded_at_its_shared_place() -> None:
    ranking = _ranking(90, 80, 80, 70)
    requested = {1: 400, 2: 300, 3: 300, 4: 500}
    outcome = award_grants(ranking, requested, pool=1000, max_per_project=None)
    assert outcome.awards == (
        Award(application_id=1, place=1, amount=400),
        Award(application_id=2, place=2, amount=300),
        Award(application_id=3, place=2, amount=300),
    )
    assert outcome.unresolved == ()


def test_tie_wholly_below_the_funding_line_is_not_unresolved() -> None:
    ranking = _ranking(90, 80, 80)
    requested = {1: 900, 2: 300, 3: 200}
    outcome = award_grants(ranking, requested, pool=1000, max_per_project=None)
    assert outcome.awards == (Award(application_id=1, place=1, amount=900),)
    assert outcome.unresolved == ()


def test_missing_requested_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="Application 2"):
        award_grants(_ranking(90, 80), {1: 100}, pool=1000, max_per_project=None)


@pytest.mark.parametrize(
    ("requested", "pool", "cap"),
    [({1: 0}, 1000, None), ({1: 100}, -1, None), ({1: 100}, 1000, 0)],
    ids=["zero_request", "negative_pool", "zero_cap"],
)
def test_nonsensical_amounts_are_refused(
    requested: dict[int, int], pool: int, cap: int | None
) -> None:
    with pytest.raises(ValueError):
        award_grants(_ranking(90), requested, pool=pool, max_per_project=cap)


# --- properties -------------------------------------------------------------------

# Scores from a handful of values, so that ties are common.
rankings = st.dictionaries(st.integers(1, 40), st.integers(0, 6).map(Fraction), max_size=15).map(
    rank
)


@settings(deadline=None)
@given(rankings, st.lists(st.integers(0, 10**6), max_size=8))
def test_award_prizes_never_gives_a_place_twice_nor_awards_a_tied_entry(
    ranking: Ranking, amounts: list[int]
) -> None:
    prizes = [Prize(place=place, amount=amount) for place, amount in enumerate(amounts, start=1)]
    outcome = award_prizes(ranking, prizes)
    places = [award.place for award in outcome.awards]
    assert len(places) == len(set(places))
    tied = {entry.application_id for entry in ranking.entries if entry.tied}
    for award in outcome.awards:
        assert award.application_id not in tied
        assert ranking.position_of(award.application_id) == award.place
        assert award.amount == amounts[award.place - 1]
    assert all(tie.position <= len(prizes) for tie in outcome.unresolved)


@settings(deadline=None)
@given(
    rankings,
    st.lists(st.integers(1, 1000), min_size=40, max_size=40),
    st.integers(0, 5000),
    st.none() | st.integers(1, 1000),
)
def test_award_grants_never_exceeds_the_pool_and_funds_a_prefix_of_the_ranking(
    ranking: Ranking, amounts: list[int], pool: int, cap: int | None
) -> None:
    requested = dict(enumerate(amounts, start=1))
    outcome = award_grants(ranking, requested, pool=pool, max_per_project=cap)
    assert sum(award.amount for award in outcome.awards) <= pool
    funded = [award.application_id for award in outcome.awards]
    assert funded == [entry.application_id for entry in ranking.entries[: len(funded)]]
    for award in outcome.awards:
        expected = requested[award.application_id]
        assert award.amount == (expected if cap is None else min(expected, cap))
        assert award.place == ranking.position_of(award.application_id)
    assert len(outcome.unresolved) <= 1

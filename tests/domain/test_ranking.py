from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.ranking import RankedEntry, Ranking, TieGroup, rank


def test_empty_input_gives_an_empty_ranking() -> None:
    assert rank({}) == Ranking(entries=(), ties=())


def test_distinct_scores_are_ranked_descending() -> None:
    ranking = rank({1: Fraction(50), 2: Fraction(90), 3: Fraction(70)})
    assert ranking == Ranking(
        entries=(
            RankedEntry(application_id=2, score=Fraction(90), position=1, tied=False),
            RankedEntry(application_id=3, score=Fraction(70), position=2, tied=False),
            RankedEntry(application_id=1, score=Fraction(50), position=3, tied=False),
        ),
        ties=(),
    )


def test_equal_scores_share_a_position_and_the_next_one_is_skipped() -> None:
    ranking = rank({10: Fraction(90), 30: Fraction(80), 20: Fraction(80), 40: Fraction(70)})
    assert ranking.entries == (
        RankedEntry(application_id=10, score=Fraction(90), position=1, tied=False),
        RankedEntry(application_id=20, score=Fraction(80), position=2, tied=True),
        RankedEntry(application_id=30, score=Fraction(80), position=2, tied=True),
        RankedEntry(application_id=40, score=Fraction(70), position=4, tied=False),
    )
    assert ranking.ties == (TieGroup(position=2, score=Fraction(80), application_ids=(20, 30)),)


def test_every_tie_is_reported_in_rank_order() -> None:
    ranking = rank(
        {1: Fraction(10), 2: Fraction(10), 3: Fraction(99), 4: Fraction(99), 5: Fraction(99)}
    )
    assert ranking.ties == (
        TieGroup(position=1, score=Fraction(99), application_ids=(3, 4, 5)),
        TieGroup(position=4, score=Fraction(10), application_ids=(1, 2)),
    )


def test_scores_differing_by_a_tiny_fraction_are_not_tied() -> None:
    ranking = rank({1: Fraction(200, 3), 2: Fraction(200, 3) - Fraction(1, 10**12)})
    assert ranking.ties == ()
    assert [entry.position for entry in ranking.entries] == [1, 2]


def test_position_of_finds_the_shared_position() -> None:
    ranking = rank({10: Fraction(90), 20: Fraction(80), 30: Fraction(80)})
    assert ranking.position_of(10) == 1
    assert ranking.position_of(30) == 2


def test_position_of_an_unranked_application_raises_key_error() -> None:
    with pytest.raises(KeyError, match="99"):
        rank({10: Fraction(90)}).position_of(99)


scores_strategy = st.dictionaries(
    st.integers(1, 10_000),
    st.fractions(min_value=0, max_value=10, max_denominator=3),
    max_size=25,
)


@settings(deadline=None)
@given(scores_strategy)
def test_rank_invariants(scores: dict[int, Fraction]) -> None:
    ranking = rank(scores)
    entries = ranking.entries
    assert sorted(entry.application_id for entry in entries) == sorted(scores)
    for entry in entries:
        assert entry.score == scores[entry.application_id]
        # Standard competition ranking: one more than the number strictly ahead.
        assert entry.position == 1 + sum(1 for score in scores.values() if score > entry.score)
    for before, after in pairwise(entries):
        assert before.position <= after.position
        if before.position == after.position:
            assert before.tied and after.tied
            assert before.score == after.score
            assert before.application_id < after.application_id
        else:
            assert before.score > after.score
    for entry in entries:
        assert entry.tied == any(
            entry.application_id in tie.application_ids for tie in ranking.ties
        )
    for tie in ranking.ties:
        assert len(tie.application_ids) >= 2
        assert {scores[application_id] for application_id in tie.application_ids} == {tie.score}
        assert all(ranking.position_of(member) == tie.position for member in tie.application_ids)

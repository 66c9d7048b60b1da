from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.awards import Award, Prize, award_prizes
from baiqau.domain.lottery import lottery_seed
from baiqau.domain.ranking import RankedEntry, Ranking, TieGroup, rank
from baiqau.domain.scoring import Criterion, Review, criterion_aggregates
from baiqau.domain.tiebreak import (
    RuleKind,
    RuleStep,
    TieBreakError,
    TieBreakRule,
    break_ties,
    parse_rules,
)

# The seed of tests/domain/test_lottery.py: its draw orders 101..106 as
# 104, 103, 106, 101, 105, 102.
SEED = bytes.fromhex("33773ebbae2ff365cd599417929f3356bcd9ecffb0cf24c616e8d6c46716b121")
RULES = ("criterion:impact", "vote", "lot")


def _ranking(scores: dict[int, int]) -> Ranking:
    return rank({application_id: Fraction(score) for application_id, score in scores.items()})


def _impact(**values: int) -> dict[int, dict[str, Fraction]]:
    return {int(key[1:]): {"impact": Fraction(value)} for key, value in values.items()}


def _order(ranking: Ranking) -> list[tuple[int, int, bool]]:
    return [(e.application_id, e.position, e.tied) for e in ranking.entries]


# --- the rules -------------------------------------------------------------------------


def test_parse_rules_reads_the_call_settings() -> None:
    assert parse_rules(RULES, criteria={"impact", "budget"}) == (
        TieBreakRule(RuleKind.CRITERION, "impact"),
        TieBreakRule(RuleKind.VOTE),
        TieBreakRule(RuleKind.LOT),
    )
    assert [str(rule) for rule in parse_rules(RULES)] == list(RULES)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (["coin"], "Unknown tie-break rule 'coin'"),
        (["vote:chair"], "Unknown tie-break rule"),
        (["criterion:"], "names its criterion"),
        (["criterion:reach"], "There is no criterion 'reach'; the criteria are: budget, impact"),
        (["lot", "vote"], "last"),
        (["vote", "vote"], "listed twice: vote"),
    ],
)
def test_parse_rules_refuses_what_cannot_be_applied(rules: list[str], message: str) -> None:
    with pytest.raises(TieBreakError, match=message):
        parse_rules(rules, criteria={"impact", "budget"})


# --- breaking ties ---------------------------------------------------------------------


def test_tie_broken_by_a_criterion() -> None:
    ranking = _ranking({1: 90, 2: 80, 3: 80, 4: 70})
    result = break_ties(ranking, RULES, criterion_scores=_impact(a2=6, a3=8))
    assert _order(result.ranking) == [(1, 1, False), (3, 2, False), (2, 3, False), (4, 4, False)]
    assert result.unresolved == ()
    (outcome,) = result.outcomes
    assert outcome.tie == TieGroup(position=2, score=Fraction(80), application_ids=(2, 3))
    assert outcome.steps == (
        RuleStep("criterion:impact", True, {2: Fraction(6), 3: Fraction(8)}, ((3,), (2,))),
    )
    assert dict(outcome.decided_by) == {3: "criterion:impact", 2: "criterion:impact"}
    assert outcome.resolved


def test_criterion_tie_goes_to_the_commissions_vote() -> None:
    ranking = _ranking({1: 80, 2: 80, 3: 80})
    result = break_ties(
        ranking, RULES, criterion_scores=_impact(a1=7, a2=7, a3=9), votes={1: 3, 2: 5}
    )
    assert _order(result.ranking) == [(3, 1, False), (2, 2, False), (1, 3, False)]
    (outcome,) = result.outcomes
    assert [step.rule for step in outcome.steps] == ["criterion:impact", "vote"]
    assert dict(outcome.decided_by) == {3: "criterion:impact", 2: "vote", 1: "vote"}


def test_tie_without_votes_goes_to_the_lot_in_the_order_of_the_draw() -> None:
    ranking = _ranking({101: 80, 102: 80, 103: 80, 104: 80, 105: 60})
    result = break_ties(
        ranking,
        RULES,
        criterion_scores=_impact(a101=5, a102=5, a103=5, a104=5),
        votes={101: 2},  # not every tied application has a count: the vote is skipped
        seed=SEED,
    )
    assert _order(result.ranking) == [
        (104, 1, False),
        (103, 2, False),
        (101, 3, False),
        (102, 4, False),
        (105, 5, False),
    ]
    (outcome,) = result.outcomes
    assert [(step.rule, step.applied) for step in outcome.steps] == [
        ("criterion:impact", True),
        ("vote", False),
        ("lot", True),
    ]
    assert dict(outcome.steps[-1].values) == {104: 1, 103: 2, 101: 3, 102: 4}
    assert set(outcome.decided_by.values()) == {"lot"}


def test_lot_from_the_published_data_gives_the_same_order_on_every_machine() -> None:
    seed = lottery_seed({"scores": [[1, 1, "80.000000"], [2, 1, "80.000000"]]}, "pre-published")
    assert seed.hex() == "0da311ec1ca8b18cca001227a12fb5faf3cd0d2d601f2bf40a52c65c6997b888"
    result = break_ties(_ranking({1: 80, 2: 80, 3: 80}), ["lot"], seed=seed)
    assert [e.application_id for e in result.ranking.entries] == [2, 3, 1]


def test_a_rule_splits_a_tie_in_part_and_the_rest_stays_tied_without_a_seed() -> None:
    ranking = _ranking({1: 90, 2: 80, 3: 80, 4: 80, 5: 80, 6: 50})
    result = break_ties(ranking, RULES, criterion_scores=_impact(a2=4, a3=9, a4=4, a5=1))
    assert _order(result.ranking) == [
        (1, 1, False),
        (3, 2, False),
        (2, 3, True),
        (4, 3, True),
        (5, 5, False),
        (6, 6, False),
    ]
    assert result.unresolved == (TieGroup(position=3, score=Fraction(80), application_ids=(2, 4)),)
    (outcome,) = result.outcomes
    assert outcome.order == ((3,), (2, 4), (5,))
    assert not outcome.resolved
    assert dict(outcome.decided_by) == {3: "criterion:impact", 5: "criterion:impact"}


def test_what_no_rule_breaks_stays_unawarded() -> None:
    ranking = _ranking({1: 90, 2: 80, 3: 80})
    result = break_ties(ranking, ["vote", "lot"])
    assert result.ranking == ranking
    prizes = [Prize(place=1, amount=1_000), Prize(place=2, amount=500)]
    outcome = award_prizes(result.ranking, prizes)
    assert outcome.awards == (Award(application_id=1, place=1, amount=1_000),)
    assert outcome.unresolved == (TieGroup(position=2, score=Fraction(80), application_ids=(2, 3)),)


def test_broken_ties_give_their_prizes() -> None:
    ranking = _ranking({1: 80, 2: 80, 3: 70})
    result = break_ties(ranking, RULES, criterion_scores=_impact(a1=3, a2=4))
    prizes = [Prize(place=1, amount=1_000), Prize(place=2, amount=500)]
    assert award_prizes(result.ranking, prizes).awards == (
        Award(application_id=2, place=1, amount=1_000),
        Award(application_id=1, place=2, amount=500),
    )


def test_criterion_aggregates_feed_the_criterion_rule() -> None:
    criteria = (
        Criterion(key="impact", weight=Fraction(1), min_score=0, max_score=10),
        Criterion(key="budget", weight=Fraction(1), min_score=0, max_score=10),
    )
    reviews = [
        Review(1, 1, {"impact": Fraction(8), "budget": Fraction(2)}),
        Review(2, 1, {"impact": Fraction(4), "budget": Fraction(6)}),
    ]
    aggregates = criterion_aggregates(criteria, reviews)
    result = break_ties(_ranking({1: 50, 2: 50}), ["criterion:impact"], criterion_scores=aggregates)
    assert [e.application_id for e in result.ranking.entries] == [1, 2]


def test_a_missing_criterion_aggregate_is_an_error_not_a_skip() -> None:
    with pytest.raises(
        TieBreakError, match="Application 3 has no aggregate for criterion 'impact'"
    ):
        break_ties(_ranking({2: 80, 3: 80}), RULES, criterion_scores=_impact(a2=1))


def test_no_ties_means_nothing_to_do() -> None:
    ranking = _ranking({1: 90, 2: 80})
    assert break_ties(ranking, RULES).ranking == ranking


# --- properties ----------------------------------------------------------------------------


scores_strategy = st.dictionaries(st.integers(1, 60), st.integers(0, 4), min_size=1, max_size=25)


@settings(deadline=None)
@given(scores_strategy, st.data())
def test_break_ties_keeps_every_entry_and_orders_by_score_then_the_rules(
    scores: dict[int, int], data: st.DataObject
) -> None:
    criterion = {a: {"impact": Fraction(data.draw(st.integers(0, 2)))} for a in scores}
    votes = data.draw(st.dictionaries(st.sampled_from(sorted(scores)), st.integers(0, 3)))
    with_lot = data.draw(st.booleans())
    ranking = _ranking(scores)
    result = break_ties(
        ranking, RULES, criterion_scores=criterion, votes=votes, seed=SEED if with_lot else None
    )
    entries = result.ranking.entries
    assert sorted(e.application_id for e in entries) == sorted(scores)
    for e in entries:
        assert e.score == scores[e.application_id]
        # Never ahead of anything that scored higher, never behind anything that scored lower.
        assert e.position == 1 + sum(
            1
            for other in entries
            if other.score > e.score or (other.score == e.score and other.position < e.position)
        )
        untied = ranking.position_of(e.application_id)
        assert untied <= e.position < untied + sum(1 for s in scores.values() if s == e.score)
    if with_lot:
        assert result.unresolved == ()
    assert all(
        all(e.tied for e in entries if e.application_id in tie.application_ids)
        for tie in result.unresolved
    )


def test_entries_within_an_unbroken_tie_are_listed_by_id() -> None:
    ranking = _ranking({5: 80, 3: 80, 4: 80, 9: 90})
    result = break_ties(ranking, ["criterion:impact"], criterion_scores=_impact(a3=1, a4=2, a5=1))
    assert result.ranking.entries[1:] == (
        RankedEntry(application_id=4, score=Fraction(80), position=2, tied=False),
        RankedEntry(application_id=3, score=Fraction(80), position=3, tied=True),
        RankedEntry(application_id=5, score=Fraction(80), position=3, tied=True),
    )

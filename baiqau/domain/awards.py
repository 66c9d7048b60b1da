"""Turn a ranking into prizes or grants, leaving contested places open.

A tie that decides who gets money is never settled here: the affected places
stay unawarded and the tie is returned as unresolved, so that the commission
applies the call's stated tie-break rule (or decides) and records why.
Amounts are whole tenge.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from baiqau.domain.ranking import RankedEntry, Ranking, TieGroup

__all__ = [
    "RULE_POOL_IN_RANK_ORDER_NO_PARTIAL",
    "RULE_PRIZES_BY_PLACE",
    "Award",
    "AwardOutcome",
    "Prize",
    "award_grants",
    "award_prizes",
]

RULE_PRIZES_BY_PLACE = "prizes_by_place"
RULE_POOL_IN_RANK_ORDER_NO_PARTIAL = "pool_in_rank_order_no_partial"


@dataclass(frozen=True)
class Prize:
    place: int
    amount: int

    def __post_init__(self) -> None:
        if self.place < 1:
            raise ValueError(f"Prize places start at 1, not {self.place}.")
        if self.amount < 0:
            raise ValueError(f"The prize for place {self.place} cannot be negative.")


@dataclass(frozen=True)
class Award:
    application_id: int
    place: int
    amount: int


@dataclass(frozen=True)
class AwardOutcome:
    awards: tuple[Award, ...]
    unresolved: tuple[TieGroup, ...]
    rule: str


def _prize_table(prizes: Sequence[Prize]) -> dict[int, int]:
    places = sorted(prize.place for prize in prizes)
    if places != list(range(1, len(places) + 1)):
        raise ValueError(
            "Prize places must be 1, 2, 3 ... without gaps or repeats; got "
            f"{', '.join(map(str, places))}."
        )
    return {prize.place: prize.amount for prize in prizes}


def _tie_at(ranking: Ranking, position: int) -> TieGroup:
    return next(tie for tie in ranking.ties if tie.position == position)


def award_prizes(ranking: Ranking, prizes: Sequence[Prize]) -> AwardOutcome:
    """Give place p's prize to the entry at position p, unless it is tied.

    A tie at position p covers places p .. p+size-1; none of those is awarded,
    because any choice among the tied entries would be a silent tie-break.
    Entries further down still get their own place if it carries a prize.
    """
    amounts = _prize_table(prizes)
    awards = tuple(
        Award(
            application_id=entry.application_id,
            place=entry.position,
            amount=amounts[entry.position],
        )
        for entry in ranking.entries
        if entry.position in amounts and not entry.tied
    )
    unresolved = tuple(tie for tie in ranking.ties if tie.position in amounts)
    return AwardOutcome(awards=awards, unresolved=unresolved, rule=RULE_PRIZES_BY_PLACE)


def _groups(ranking: Ranking) -> Iterator[tuple[RankedEntry, ...]]:
    for _, group in groupby(ranking.entries, key=lambda entry: entry.position):
        yield tuple(group)


def _grant(application_id: int, requested: Mapping[int, int], cap: int | None) -> int:
    if application_id not in requested:
        raise ValueError(f"Application {application_id} has no requested amount.")
    amount = requested[application_id]
    if amount <= 0:
        raise ValueError(f"Application {application_id} must request a positive amount.")
    return amount if cap is None else min(amount, cap)


def award_grants(
    ranking: Ranking,
    requested: Mapping[int, int],
    pool: int,
    max_per_project: int | None,
) -> AwardOutcome:
    """Fund applications in rank order while their grants fit in the pool.

    Funding stops at the first application that does not fit: no partial
    grant, and no skipping down to a cheaper project, because jumping the
    queue would reward a lower-ranked application for asking less.
    A tie group that straddles the funding line (one member could be funded,
    not all) is unresolved: nobody in it is funded and funding stops.
    """
    if pool < 0:
        raise ValueError("The grant pool cannot be negative.")
    if max_per_project is not None and max_per_project <= 0:
        raise ValueError("The maximum grant per project must be positive.")
    remaining = pool
    awards: list[Award] = []
    unresolved: tuple[TieGroup, ...] = ()
    for group in _groups(ranking):
        grants = [_grant(entry.application_id, requested, max_per_project) for entry in group]
        if sum(grants) > remaining:
            # Any tie-break order would fund the cheapest member first if it
            # fits, so only then does the order of the tie matter.
            if len(group) > 1 and min(grants) <= remaining:
                unresolved = (_tie_at(ranking, group[0].position),)
            break
        awards.extend(
            Award(application_id=entry.application_id, place=entry.position, amount=grant)
            for entry, grant in zip(group, grants, strict=True)
        )
        remaining -= sum(grants)
    return AwardOutcome(
        awards=tuple(awards), unresolved=unresolved, rule=RULE_POOL_IN_RANK_ORDER_NO_PARTIAL
    )

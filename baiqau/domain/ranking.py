"""Order applications by score without ever breaking a tie silently.

Equal scores share a position (standard competition ranking: 1, 2, 2, 4).
Who wins a tie is a decision the commission must take, or a tie-break rule the
call stated in advance; the ranking only reports the tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby

__all__ = ["RankedEntry", "Ranking", "TieGroup", "rank"]


@dataclass(frozen=True)
class RankedEntry:
    application_id: int
    score: Fraction
    position: int
    tied: bool


@dataclass(frozen=True)
class TieGroup:
    position: int
    score: Fraction
    application_ids: tuple[int, ...]


@dataclass(frozen=True)
class Ranking:
    entries: tuple[RankedEntry, ...]
    ties: tuple[TieGroup, ...]

    def position_of(self, application_id: int) -> int:
        for entry in self.entries:
            if entry.application_id == application_id:
                return entry.position
        raise KeyError(f"Application {application_id} is not in the ranking.")


def rank(scores: Mapping[int, Fraction]) -> Ranking:
    """Rank applications by descending score.

    Within a tie, entries are listed by ascending application id; that order
    is for a stable display only and confers nothing.
    """
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    entries: list[RankedEntry] = []
    ties: list[TieGroup] = []
    position = 1
    for score, group in groupby(ordered, key=lambda item: item[1]):
        application_ids = tuple(application_id for application_id, _ in group)
        tied = len(application_ids) > 1
        entries.extend(
            RankedEntry(application_id=application_id, score=score, position=position, tied=tied)
            for application_id in application_ids
        )
        if tied:
            ties.append(TieGroup(position=position, score=score, application_ids=application_ids))
        position += len(application_ids)
    return Ranking(entries=tuple(entries), ties=tuple(ties))

"""Tie-break rules, fixed by the call before scoring opens, applied in their order.

A rule is written as the call stores it:

* ``criterion:<key>``: the higher aggregate on that criterion (``scoring.
  criterion_aggregates``) ranks first;
* ``vote``: the commission's vote, given as application → votes for it; more
  votes rank first. Until votes are recorded for every application of a tie, the
  rule is skipped for that tie and the next rule applies;
* ``lot``: the verifiable draw (``lottery.py``); skipped while there is no seed.

Each rule splits what is still tied into ordered blocks; whatever a rule leaves
equal goes on to the next. Whatever the last rule leaves equal stays tied and is
reported, never broken silently. ``lot`` can only be the last rule, as nothing
can be left for a rule after it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import groupby
from types import MappingProxyType

from baiqau.domain.lottery import draw
from baiqau.domain.ranking import RankedEntry, Ranking, TieGroup

__all__ = [
    "RuleKind",
    "RuleStep",
    "TieBreak",
    "TieBreakError",
    "TieBreakRule",
    "TieOutcome",
    "break_ties",
    "parse_rules",
]

Blocks = tuple[tuple[int, ...], ...]


class TieBreakError(ValueError):
    """Rules or data a tie cannot be broken with; the message names the culprit."""


class RuleKind(StrEnum):
    CRITERION = "criterion"
    VOTE = "vote"
    LOT = "lot"


@dataclass(frozen=True)
class TieBreakRule:
    kind: RuleKind
    criterion: str = ""

    def __str__(self) -> str:
        return f"criterion:{self.criterion}" if self.kind is RuleKind.CRITERION else self.kind.value


def _parse_one(text: str, criteria: Collection[str] | None) -> TieBreakRule:
    kind, _, argument = text.strip().partition(":")
    if kind == RuleKind.CRITERION:
        key = argument.strip()
        if not key:
            raise TieBreakError("A criterion rule names its criterion: criterion:<key>.")
        if criteria is not None and key not in criteria:
            known = ", ".join(sorted(criteria)) or "none"
            raise TieBreakError(f"There is no criterion {key!r}; the criteria are: {known}.")
        return TieBreakRule(RuleKind.CRITERION, key)
    if kind in (RuleKind.VOTE, RuleKind.LOT) and not argument:
        return TieBreakRule(RuleKind(kind))
    raise TieBreakError(
        f"Unknown tie-break rule {text!r}; the rules are criterion:<key>, vote and lot."
    )


def parse_rules(
    texts: Iterable[str], criteria: Collection[str] | None = None
) -> tuple[TieBreakRule, ...]:
    """Read the call's rules; ``criteria``, if given, are the keys a rule may name."""
    rules = tuple(_parse_one(text, criteria) for text in texts)
    written = [str(rule) for rule in rules]
    repeated = sorted({text for text in written if written.count(text) > 1})
    if repeated:
        raise TieBreakError(f"A tie-break rule is listed twice: {', '.join(repeated)}.")
    if any(rule.kind is RuleKind.LOT for rule in rules[:-1]):
        raise TieBreakError("The lot can only be the last tie-break rule.")
    return rules


@dataclass(frozen=True)
class RuleStep:
    rule: str  # as written, e.g. "criterion:impact"
    applied: bool  # False: its input was absent for every tied block, which went on unchanged
    # What each contender had under the rule: the criterion aggregate, the votes, or
    # the place in the draw (1 first). Empty when the rule was not applied.
    values: Mapping[int, Fraction | int] = field(hash=False)
    order: Blocks  # the tie after this rule; a block of several ids is still tied


@dataclass(frozen=True)
class TieOutcome:
    tie: TieGroup
    steps: tuple[RuleStep, ...]
    order: Blocks  # after every rule
    # Application → the rule that fixed its place; absent while it is still tied.
    decided_by: Mapping[int, str] = field(hash=False)

    @property
    def resolved(self) -> bool:
        return all(len(block) == 1 for block in self.order)


@dataclass(frozen=True)
class TieBreak:
    ranking: Ranking  # positions after the rules; what they could not break stays tied
    outcomes: tuple[TieOutcome, ...]  # one per tie of the scored ranking, in rank order

    @property
    def unresolved(self) -> tuple[TieGroup, ...]:
        return self.ranking.ties


def _rule_values(
    rule: TieBreakRule,
    block: tuple[int, ...],
    criterion_scores: Mapping[int, Mapping[str, Fraction]] | None,
    votes: Mapping[int, int] | None,
    seed: bytes | None,
) -> dict[int, Fraction | int] | None:
    """Each member's value under the rule (higher first), or None when absent."""
    if rule.kind is RuleKind.CRITERION:
        values: dict[int, Fraction | int] = {}
        for application_id in block:
            scores = (criterion_scores or {}).get(application_id, {})
            if rule.criterion not in scores:
                raise TieBreakError(
                    f"Application {application_id} has no aggregate for criterion "
                    f"{rule.criterion!r}."
                )
            values[application_id] = Fraction(scores[rule.criterion])
        return values
    if rule.kind is RuleKind.VOTE:
        if votes is None or any(application_id not in votes for application_id in block):
            return None
        return {application_id: votes[application_id] for application_id in block}
    if seed is None:
        return None
    return {application_id: place for place, application_id in enumerate(draw(block, seed), 1)}


def _split(block: tuple[int, ...], values: Mapping[int, Fraction | int], lot: bool) -> Blocks:
    # The draw's place is better when lower; every other value when higher.
    def key(application_id: int) -> Fraction | int:
        value = values[application_id]
        return value if lot else -value

    ordered = sorted(block, key=lambda application_id: (key(application_id), application_id))
    return tuple(tuple(group) for _, group in groupby(ordered, key=key))


def _break_one(
    tie: TieGroup,
    rules: tuple[TieBreakRule, ...],
    criterion_scores: Mapping[int, Mapping[str, Fraction]] | None,
    votes: Mapping[int, int] | None,
    seed: bytes | None,
) -> TieOutcome:
    order: Blocks = (tie.application_ids,)
    steps: list[RuleStep] = []
    decided_by: dict[int, str] = {}
    for rule in rules:
        if all(len(block) == 1 for block in order):
            break
        step_values: dict[int, Fraction | int] = {}
        following: list[tuple[int, ...]] = []
        for block in order:
            values = None
            if len(block) > 1:
                values = _rule_values(rule, block, criterion_scores, votes, seed)
            if values is None:
                following.append(block)
                continue
            step_values.update(values)
            for part in _split(block, values, rule.kind is RuleKind.LOT):
                following.append(part)
                if len(part) == 1:
                    decided_by[part[0]] = str(rule)
        order = tuple(following)
        steps.append(RuleStep(str(rule), bool(step_values), MappingProxyType(step_values), order))
    return TieOutcome(tie, tuple(steps), order, MappingProxyType(decided_by))


def break_ties(
    ranking: Ranking,
    rules: Iterable[TieBreakRule | str],
    *,
    criterion_scores: Mapping[int, Mapping[str, Fraction]] | None = None,
    votes: Mapping[int, int] | None = None,
    seed: bytes | None = None,
) -> TieBreak:
    """Apply the rules to every tie of ``ranking``; positions follow the new order.

    The result's ranking can go straight to ``awards.award_prizes`` or
    ``award_grants``: what is still tied there stays unawarded, as before.
    """
    parsed = parse_rules(str(rule) for rule in rules)
    outcomes = tuple(_break_one(tie, parsed, criterion_scores, votes, seed) for tie in ranking.ties)
    by_position = {outcome.tie.position: outcome for outcome in outcomes}
    entries: list[RankedEntry] = []
    ties: list[TieGroup] = []
    for entry in ranking.entries:
        if not entry.tied:
            entries.append(entry)
            continue
        outcome = by_position.pop(entry.position, None)
        if outcome is None:  # a later member of a tie already placed
            continue
        position = outcome.tie.position
        for block in outcome.order:
            members = tuple(sorted(block))
            tied = len(members) > 1
            entries.extend(
                RankedEntry(application_id=member, score=entry.score, position=position, tied=tied)
                for member in (members if tied else block)
            )
            if tied:
                ties.append(TieGroup(position=position, score=entry.score, application_ids=members))
            position += len(block)
    return TieBreak(ranking=Ranking(entries=tuple(entries), ties=tuple(ties)), outcomes=outcomes)

"""What the staff's results pages read, and the words they put it in.

A ranking is stored as ``baiqau.domain.results`` returned it: rule names ("criterion:12", "vote",
"lot"), exact fractions ("15/2"), bands ("in", "band", "out") and anonymous expert numbers. Here
they become sentences a commission reads ("Expert 4 scores 1.2 points below the panel"), and the
page's rows are read in a fixed number of queries whatever the number of applications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baiqau.applications.models import Application
from baiqau.calls.models import AggregationMethod, Call, Criterion
from baiqau.results.models import Award, Calibration, Decides, Ranking, RankingEntry
from baiqau.review.models import Expert

ROWS_PER_PAGE = 100
_TENTH = Decimal("0.1")


def current_ranking_for_staff(call: Call) -> Ranking | None:
    return Ranking.objects.filter(call=call, is_current=True).select_related("computed_by").first()


def exact_decimal(text: str) -> Decimal | None:
    """ "15/2" → Decimal("7.5"), to four places; None for an empty or unreadable value."""
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_EVEN
    )


def _points(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    return number_format(value.quantize(quantum, rounding=ROUND_HALF_EVEN), places)


# --- Rules in words --------------------------------------------------------------------------


def rule_words(rule: str, names: Mapping[str, str]) -> str:
    """A tie-break rule as the call page states it."""
    kind, _sep, key = rule.partition(":")
    if kind == "criterion":
        return _("the higher score on criterion “%(name)s”") % {"name": names.get(key, key)}
    if kind == "vote":
        return _("the commission's vote")
    if kind == "lot":
        return _("lot")
    return rule


def decided_words(rule: str, names: Mapping[str, str]) -> str:
    """What placed an application that was tied, for its row of the table."""
    kind, _sep, key = rule.partition(":")
    if kind == "criterion":
        return _("Tie broken by criterion “%(name)s”") % {"name": names.get(key, key)}
    if kind == "vote":
        return _("Tie broken by the commission's vote")
    if kind == "lot":
        return _("Tie broken by lot")
    return rule


def band_words(band: str) -> str:
    return {
        "in": _("Clearly in"),
        "band": _("In the band at the line"),
        "out": _("Clearly out"),
    }.get(band, "")


def rules_summary(data: Mapping[str, Any], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The method as a list of (what, how) for a definition list."""
    methods = dict(AggregationMethod.choices)
    calibrations = dict(Calibration.choices)
    decides = dict(Decides.choices)
    rows: list[tuple[str, str]] = [
        (_("Aggregation of reviews"), str(methods.get(data.get("method", ""), data.get("method")))),
    ]
    calibration = str(data.get("calibration", "none"))
    text = str(calibrations.get(calibration, calibration))
    if calibration in (Calibration.LEAST_SQUARES, Calibration.LEAST_SQUARES_SCALE):
        text += "; " + _("regularisation of the biases: %(ridge)s") % {
            "ridge": _points(Decimal(str(data.get("bias_ridge", 0))))
        }
    if calibration != Calibration.NONE:
        text += "; " + _("experts with fewer than %(n)s reviews are left as they are") % {
            "n": data.get("min_reviews")
        }
    rows.append((_("Calibration for expert severity"), text))
    rows.append((_("Which score decides"), str(decides.get(data.get("decides", ""), ""))))
    steps = [rule_words(rule, names) for rule in data.get("tie_break") or []]
    rows.append(
        (
            _("Tie-break rules, in order"),
            "; ".join(f"{n}. {words}" for n, words in enumerate(steps, 1))
            if steps
            else _("None: ties stay for the commission to resolve"),
        )
    )
    threshold = data.get("disagreement_threshold")
    rows.append(
        (
            _("Disagreement"),
            _("Flagged when review totals differ by more than %(points)s points")
            % {"points": _points(Decimal(str(threshold)))}
            if threshold is not None
            else _("Not flagged"),
        )
    )
    rows.append(
        (
            _("Rank intervals"),
            _("%(n)s bootstrap resamples at level %(level)s (seed %(seed)s)")
            % {
                "n": data.get("resamples"),
                "level": number_format(Decimal(str(data.get("level", "0.95"))).normalize()),
                "seed": data.get("bootstrap_seed"),
            },
        )
    )
    rows.append(
        (
            _("Value published before scoring, for any draw"),
            str(data.get("lottery_value") or _("None")),
        )
    )
    rows.append(
        (
            _("The band at the line is funded by lot"),
            _("Yes") if data.get("partial_randomisation") else _("No"),
        )
    )
    if data.get("pool") is not None:
        rows.append(
            (
                _("The first grant that does not fit receives what is left of the pool"),
                _("Yes") if data.get("partial_last_grant") else _("No"),
            )
        )
    return rows


# --- Expert effects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectView:
    number: int
    reviews: int
    text: str
    scale: str
    name: str  # for organisers only; empty for everyone else


def effect_words(number: int, bias: Decimal, unestimated: str | None, min_reviews: Any) -> str:
    if unestimated == "few_reviews":
        return _(
            "Expert %(n)s: not estimated, fewer than %(min)s reviews; counted as scoring like "
            "the panel."
        ) % {"n": number, "min": min_reviews}
    if unestimated == "no_overlap":
        return _(
            "Expert %(n)s: not estimated, no application they reviewed had another reviewer."
        ) % {"n": number}
    if unestimated == "no_spread":
        return _("Expert %(n)s: not estimated, every total they gave is the same.") % {"n": number}
    points = abs(bias).quantize(_TENTH, rounding=ROUND_HALF_EVEN)
    if points == 0:
        return _("Expert %(n)s scores in line with the panel.") % {"n": number}
    values = {"n": number, "points": number_format(points, 1)}
    if bias > 0:
        return _("Expert %(n)s scores %(points)s points above the panel.") % values
    return _("Expert %(n)s scores %(points)s points below the panel.") % values


def effects_for(ranking: Ranking, *, with_names: bool) -> list[EffectView]:
    """The calibration's effect per anonymous expert; names only for organisers (one query)."""
    names: dict[int, str] = {}
    numbers = {int(n): pk for n, pk in (ranking.expert_numbers or {}).items()}
    if with_names and ranking.effects:
        experts = Expert.objects.filter(pk__in=set(numbers.values())).select_related("user")
        by_pk = {e.pk: e.user.get_full_name() for e in experts}
        names = {n: by_pk.get(pk, "") for n, pk in numbers.items()}
    scaled = ranking.rules.get("calibration") in (
        Calibration.ZSCORE,
        Calibration.LEAST_SQUARES_SCALE,
    )
    min_reviews = ranking.rules.get("min_reviews", "")
    views = []
    for effect in sorted(ranking.effects or [], key=lambda e: int(e["expert"])):
        number = int(effect["expert"])
        scale = Decimal(str(effect.get("scale", "1")))
        views.append(
            EffectView(
                number=number,
                reviews=int(effect.get("reviews", 0)),
                text=effect_words(
                    number, Decimal(str(effect["bias"])), effect.get("unestimated"), min_reviews
                ),
                scale=number_format(scale.quantize(Decimal("0.01")), 2)
                if scaled and not effect.get("unestimated")
                else "",
                name=names.get(number, ""),
            )
        )
    return views


# --- Ties -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    number: int
    words: str
    applied: bool
    values: list[tuple[str, str]]  # (application title, its value under the rule)
    order: list[tuple[str, bool]]  # (titles of a block, still tied)


@dataclass(frozen=True)
class TieView:
    position: int
    score: Decimal | None
    titles: list[str]
    steps: list[StepView]
    resolved: bool


def _value_words(rule: str, value: str) -> str:
    if rule == "vote":
        votes = int(Fraction(value))
        return ngettext("%(n)s vote", "%(n)s votes", votes) % {"n": votes}
    if rule == "lot":
        return _("drawn %(n)s") % {"n": int(Fraction(value))}
    number = exact_decimal(value)
    return _points(number) if number is not None else value


def _not_applied(rule: str) -> str:
    if rule == "vote":
        return _("Not applied: the commission's votes are not recorded for every tied application.")
    if rule == "lot":
        return _("Not applied: there is no value published before scoring to seed a draw.")
    return _("Not applied.")


def ties_for(ranking: Ranking, names: Mapping[str, str]) -> list[TieView]:
    """Every tie of the ranking and each rule applied to it; the titles in one query."""
    ties = ranking.ties or []
    ids = {int(a) for tie in ties for a in tie.get("applications", [])}
    titles = {a.pk: str(a.title) for a in Application.objects.filter(pk__in=ids)} if ids else {}

    def title(app: Any) -> str:
        return titles.get(int(app), f"#{app}")

    views = []
    for tie in ties:
        steps = []
        for number, step in enumerate(tie.get("steps", []), 1):
            rule = str(step.get("rule", ""))
            kind = rule.partition(":")[0]
            values = [(title(a), _value_words(kind, v)) for a, v in step.get("values", {}).items()]
            steps.append(
                StepView(
                    number=number,
                    words=rule_words(rule, names) if step.get("applied") else _not_applied(kind),
                    applied=bool(step.get("applied")),
                    values=values,
                    order=[
                        (", ".join(title(a) for a in block), len(block) > 1)
                        for block in step.get("order", [])
                    ],
                )
            )
        order = tie.get("order", [])
        views.append(
            TieView(
                position=int(tie.get("position", 0)),
                score=exact_decimal(str(tie.get("score", ""))),
                titles=[title(a) for a in tie.get("applications", [])],
                steps=steps,
                resolved=all(len(block) == 1 for block in order),
            )
        )
    return views


# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    entry: RankingEntry
    criteria: list[Decimal | None]
    award: Award | None
    band: str
    tie_note: str


@dataclass
class Table:
    page: Page[RankingEntry]
    rows: list[Row] = field(default_factory=list)


def table_for(
    ranking: Ranking, criteria: Sequence[Criterion], names: Mapping[str, str], number: Any
) -> Table:
    """One page of the ranking: count, entries with their applications, their awards."""
    entries = (
        RankingEntry.objects.filter(ranking=ranking)
        .select_related("application")
        .order_by("position", "application_id")
    )
    page = Paginator(entries, ROWS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    awards = {
        a.application_id: a
        for a in Award.objects.filter(
            ranking=ranking, application_id__in=[e.application_id for e in shown]
        )
    }
    rows = []
    for entry in shown:
        scores = entry.criterion_scores or {}
        if entry.decided_by:
            note = decided_words(entry.decided_by, names)
        elif entry.tied:
            note = _("Still tied")
        else:
            note = ""
        rows.append(
            Row(
                entry=entry,
                criteria=[exact_decimal(scores.get(str(c.pk), "")) for c in criteria],
                award=awards.get(entry.application_id),
                band=band_words(entry.band),
                tie_note=note,
            )
        )
    return Table(page=page, rows=rows)

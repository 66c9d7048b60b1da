"""The result rules and tie-breaks in words, for the call page, the results page and the protocol.

Everything here reads the published form of the rules (``domain.results.rules_as_data``, as
stored in ``Ranking.rules``), so that what a page says is what was applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baiqau.calls.models import AggregationMethod, AwardScheme, Call
from baiqau.domain import results as domain

from .models import Calibration, Decides, ResultRules


def criterion_names(call: Call) -> dict[str, str]:
    """Criterion key (its pk as text) → its name in the current language."""
    return {str(c.pk): str(c.name) for c in call.criteria.all()}


def tie_rule_words(rule: str, names: Mapping[str, str]) -> str:
    if rule == "vote":
        return _("the commission's vote")
    if rule == "lot":
        return _("a verifiable draw by lot")
    if rule.startswith("criterion:"):
        key = rule.split(":", 1)[1]
        return _("the higher score on the criterion “%(name)s”") % {"name": names.get(key, key)}
    return rule


def band_words(band: str) -> str:
    return {
        "in": _("clearly within the places"),
        "band": _("within the band of uncertainty"),
        "out": _("clearly outside the places"),
    }.get(band, "")


def rules_data(call: Call, rules: ResultRules) -> dict[str, Any]:
    """The call's rules now, in the shape a ranking keeps of them (``Ranking.rules``).

    Not through ``domain.Rules``: a call still being set up (no prizes yet) has rules to show.
    """
    threshold = rules.disagreement_threshold
    return {
        "method": call.aggregation_method,
        "calibration": rules.calibration,
        "bias_ridge": domain.decimal_text(rules.bias_ridge),
        "min_reviews": rules.min_reviews,
        "decides": rules.decides,
        "tie_break": list(rules.tie_break or []),
        "disagreement_threshold": (
            domain.decimal_text(threshold) if threshold is not None else None
        ),
        "bootstrap_seed": rules.bootstrap_seed,
        "resamples": rules.resamples,
        "level": domain.decimal_text(rules.level),
        "lottery_value": rules.lottery_value,
        "partial_randomisation": rules.partial_randomisation,
        "pool": call.pool_amount if call.award_scheme == AwardScheme.POOL else None,
        "partial_last_grant": rules.partial_last_grant,
    }


def rules_data_for(call: Call) -> dict[str, Any]:
    """The call's current rules (the defaults if none were saved yet)."""
    return rules_data(call, ResultRules.objects.filter(call=call).first() or ResultRules(call=call))


def rules_facts(data: Mapping[str, Any], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(term, description) pairs describing how the ranking is computed."""
    facts = [
        (
            _("Total of a review"),
            _("the weighted sum of its criterion scores, each scaled to 0–100"),
        ),
        (
            _("Score of a project"),
            str(dict(AggregationMethod.choices).get(data["method"], data["method"])),
        ),
    ]
    calibration = data["calibration"]
    if calibration != Calibration.NONE:
        facts.append(
            (
                _("Calibration for expert severity"),
                str(dict(Calibration.choices).get(calibration, calibration)),
            )
        )
        facts.append((_("Which score decides"), str(dict(Decides.choices)[data["decides"]])))
    rules = data.get("tie_break") or []
    if rules:
        steps = "; ".join(
            f"{index}. {tie_rule_words(rule, names)}" for index, rule in enumerate(rules, 1)
        )
        facts.append((_("Ties are broken by"), steps))
    else:
        facts.append((_("Ties"), _("equal scores are shown as ties and decided by the commission")))
    if data.get("disagreement_threshold") is not None:
        facts.append(
            (
                _("Disagreement"),
                _(
                    "projects whose review totals differ by more than %(points)s points are "
                    "discussed by the commission"
                )
                % {"points": data["disagreement_threshold"]},
            )
        )
    facts.append(
        (
            _("Rank intervals"),
            ngettext(
                "each project's plausible positions from %(n)s bootstrap resample of its "
                "reviews (level %(level)s, seed %(seed)s)",
                "each project's plausible positions from %(n)s bootstrap resamples of its "
                "reviews (level %(level)s, seed %(seed)s)",
                data["resamples"],
            )
            % {"n": data["resamples"], "level": data["level"], "seed": data["bootstrap_seed"]},
        )
    )
    if data.get("partial_randomisation"):
        facts.append(
            (
                _("Band at the line"),
                _(
                    "projects clearly within the places are awarded in rank order; the places "
                    "left go to projects within the band of uncertainty by a verifiable draw"
                ),
            )
        )
    if data.get("partial_last_grant"):
        facts.append(
            (
                _("Last grant"),
                _("the first grant that does not fit receives what is left of the pool"),
            )
        )
    if data.get("lottery_value"):
        facts.append((_("Value published for any draw"), str(data["lottery_value"])))
    return facts

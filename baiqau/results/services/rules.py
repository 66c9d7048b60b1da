"""The call's result rules: fixed before scoring opens, shown on the call page."""

from __future__ import annotations

import secrets
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call, CallStatus
from baiqau.core.errors import DomainError
from baiqau.domain import results as domain
from baiqau.domain.awards import Prize
from baiqau.domain.scoring import AggregationMethod, ScoringError
from baiqau.domain.tiebreak import RuleKind, TieBreakError, parse_rules

from ..models import Decides, ResultRules

# Once review has begun, the rules are what the experts scored under: they no longer change.
EDITABLE = frozenset({CallStatus.DRAFT, CallStatus.PUBLISHED, CallStatus.CLOSED})
FIELDS = (
    "calibration",
    "bias_ridge",
    "min_reviews",
    "decides",
    "tie_break",
    "disagreement_threshold",
    "bootstrap_seed",
    "resamples",
    "level",
    "lottery_value",
    "partial_randomisation",
    "partial_last_grant",
)


def result_rules_for(call: Call) -> ResultRules:
    """The call's rules, created with the defaults (and a fresh seed) the first time."""
    rules = ResultRules.objects.filter(call=call).first()
    if rules is None:
        rules, _created = ResultRules.objects.get_or_create(
            call=call,
            defaults={"bootstrap_seed": secrets.randbits(48)},
        )
    return rules


def rules_editable(call: Call) -> bool:
    return call.status in EDITABLE


def _check(call: Call, values: dict[str, Any]) -> None:
    criteria = {str(pk) for pk in call.criteria.values_list("pk", flat=True)}
    try:
        parsed = parse_rules(values.get("tie_break", []), criteria)
    except TieBreakError as error:
        raise DomainError(
            _("The tie-break rules are not valid: %(e)s") % {"e": error}, code="tie_break"
        ) from None
    needs_draw = values.get("partial_randomisation") or any(
        rule.kind is RuleKind.LOT for rule in parsed
    )
    if needs_draw and not str(values.get("lottery_value", "")).strip():
        raise DomainError(
            _("A draw by lot needs a value published before scoring begins."),
            code="lottery_value",
        )
    if values.get("decides") == Decides.CALIBRATED and values.get("calibration") == "none":
        raise DomainError(
            _("Calibrated scores can decide only when a calibration is chosen."), code="decides"
        )
    calibration = values.get("calibration")
    if calibration == "zscore" and int(values.get("min_reviews", 0)) < 2:
        raise DomainError(_("A z-score needs at least two reviews per expert."), code="min_reviews")
    if calibration == "least_squares_scale" and Decimal(values.get("bias_ridge", 0)) <= 0:
        raise DomainError(
            _("With each expert's scale, the regularisation of biases must be above zero."),
            code="bias_ridge",
        )
    if Decimal(values.get("bias_ridge", 0)) < 0:
        raise DomainError(_("The regularisation cannot be negative."), code="bias_ridge")
    if not 1 <= int(values.get("resamples", 0)) <= 10_000:
        raise DomainError(
            _("The number of resamples must be between 1 and 10,000."), code="resamples"
        )
    if not 0 < Decimal(values.get("level", 0)) < 1:
        raise DomainError(_("The level must be between 0 and 1."), code="level")
    if values.get("partial_last_grant") and call.award_scheme != AwardScheme.POOL:
        raise DomainError(
            _("A partial last grant applies only to a grant pool."), code="partial_last_grant"
        )


@transaction.atomic
def result_rules_update(*, actor: Any, call: Call, **values: Any) -> ResultRules:
    """Change the rules while the call has not gone to review; audited with old and new."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not rules_editable(call):
        raise DomainError(
            _("The result rules are fixed once review has begun."), code="rules_fixed"
        )
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown result rules: {', '.join(sorted(unknown))}")
    rules = result_rules_for(call)
    merged = {name: getattr(rules, name) for name in FIELDS} | values
    merged["lottery_value"] = str(merged["lottery_value"]).strip()
    _check(call, merged)
    old = {name: _plain(getattr(rules, name)) for name in FIELDS}
    for name, value in merged.items():
        setattr(rules, name, value)
    rules.save()
    new = {name: _plain(getattr(rules, name)) for name in FIELDS}
    changed = {k: [old[k], new[k]] for k in FIELDS if old[k] != new[k]}
    if changed:
        audit_record(
            actor=actor, action="results.rules_updated", subject=call, data={"changed": changed}
        )
    return rules


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def domain_rules(call: Call, rules: ResultRules) -> domain.Rules:
    """The call's rules as the pure result code takes them."""
    prizes: tuple[Prize, ...] = ()
    pool = None
    if call.award_scheme == AwardScheme.PRIZES:
        prizes = tuple(Prize(place=p.place, amount=p.amount) for p in call.prizes.all())
    else:
        pool = call.pool_amount or 0
    try:
        return domain.Rules(
            method=AggregationMethod(call.aggregation_method),
            calibration=domain.Calibrate(rules.calibration),
            bias_ridge=Decimal(rules.bias_ridge),
            min_reviews=rules.min_reviews,
            decides=domain.Decides(rules.decides),
            tie_break=tuple(rules.tie_break),
            disagreement=(
                Decimal(rules.disagreement_threshold)
                if rules.disagreement_threshold is not None
                else None
            ),
            bootstrap_seed=rules.bootstrap_seed,
            resamples=rules.resamples,
            level=Fraction(Decimal(rules.level)),
            lottery_value=rules.lottery_value,
            partial_randomisation=rules.partial_randomisation,
            prizes=prizes,
            pool=pool,
            max_per_project=call.max_per_project,
            partial_last_grant=rules.partial_last_grant,
        )
    except (ScoringError, TieBreakError) as error:
        raise DomainError(str(error), code="rules") from None

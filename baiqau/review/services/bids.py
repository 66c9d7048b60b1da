"""Bids: while the plan allows it, an expert marks the applications they want, can, or would
prefer not to review; the solver reads them as preferences. A bid is the expert's own wish,
not a decision, so it is not audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError

from ..models import Bid, BidValue
from ..selectors import call_conflicts, reviewable_applications
from .common import own_seat, plan_for


@transaction.atomic
def bid_save(*, actor: Any, call: Call, values: Mapping[int, int | None]) -> int:
    """Save the expert's bids: {application id: BidValue, or None to take a bid back}.

    Returns how many bids changed.
    """
    expert = own_seat(actor, call)
    if not plan_for(call).bidding_open:
        raise DomainError(_("Bidding is closed for this call."), code="bidding_closed")
    if not values:
        return 0
    allowed = set(BidValue.values)
    if any(value is not None and value not in allowed for value in values.values()):
        raise DomainError(_("Choose one of the offered answers for each bid."), code="bid_value")
    ids = set(values)
    open_ids = set(reviewable_applications(call).filter(pk__in=ids).values_list("pk", flat=True))
    conflicted = {
        app for (_e, app) in call_conflicts(call, experts=[expert], application_ids=sorted(ids))
    }
    if ids - open_ids or ids & conflicted:
        raise DomainError(
            _("Some of these applications are not open to your bids. Reload the page."),
            code="not_biddable",
        )
    current = dict(
        Bid.objects.select_for_update()
        .filter(expert=expert, application_id__in=ids)
        .values_list("application_id", "value")
    )
    changed = 0
    for app_id, value in sorted(values.items()):
        if current.get(app_id) == value:
            continue
        changed += 1
        if value is None:
            Bid.objects.filter(expert=expert, application_id=app_id).delete()
        else:
            Bid.objects.update_or_create(
                expert=expert, application_id=app_id, defaults={"value": value}
            )
    return changed

"""The labels of a criterion's scale ("anchors"): what each point means, in kk/ru/en.

Experts see them beside the scores (`Criterion.anchor_pairs`). A point without a label in any
language has no anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Criterion
from baiqau.core.errors import DomainError

from .common import PLAN_EDITORS, check_role

LANGUAGES = ("kk", "ru", "en")
MAX_LABEL = 200


def _point(raw: Any, criterion: Criterion) -> int:
    try:
        point = int(str(raw).strip())
    except ValueError:
        raise DomainError(
            _("“%(point)s” is not a point of the scale.") % {"point": raw}, code="point"
        ) from None
    if not criterion.min_score <= point <= criterion.max_score:
        raise DomainError(
            _("%(point)s is outside the scale of “%(name)s” (%(min)s to %(max)s).")
            % {
                "point": point,
                "name": criterion.name,
                "min": criterion.min_score,
                "max": criterion.max_score,
            },
            code="point",
        )
    return point


@transaction.atomic
def criterion_anchors_save(
    *, actor: Any, criterion: Criterion, anchors: Mapping[str, Mapping[str, str]]
) -> Criterion:
    """Replace the labels of the criterion's scale: {"<point>": {"kk": …, "ru": …, "en": …}}.

    Empty labels are dropped; a point with no label left has no anchor.
    """
    criterion = Criterion.objects.select_for_update().select_related("call").get(pk=criterion.pk)
    check_role(actor, criterion.call, PLAN_EDITORS)
    clean: dict[int, dict[str, str]] = {}
    for raw, labels in anchors.items():
        point = _point(raw, criterion)
        texts = {}
        for code in LANGUAGES:
            text = " ".join(str((labels or {}).get(code) or "").split())
            if len(text) > MAX_LABEL:
                raise DomainError(
                    _("The label of %(point)s is too long: at most %(n)s characters.")
                    % {"point": point, "n": MAX_LABEL},
                    code="too_long",
                )
            if text:
                texts[code] = text
        if texts:
            clean[point] = texts
    new = {str(point): clean[point] for point in sorted(clean)}
    old = criterion.anchors or {}
    if new != old:
        criterion.anchors = new
        criterion.save(update_fields=["anchors"])
        audit_record(
            actor=actor,
            action="criterion.anchors_changed",
            subject=criterion,
            data={"call": criterion.call.slug, "old": old, "new": new},
        )
    return criterion

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baiqau.calls.models import Call


def remaining_text(seconds: float) -> str:
    """ "3 days 4 hours", "5 hours 12 minutes", "9 minutes": in the active language."""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours and len(parts) < 2:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if not days and (minutes or not parts):
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def deadline_context(call: Call) -> dict[str, Any]:
    seconds = (call.closes_at - timezone.now()).total_seconds()
    labels = {
        "day": [ngettext("%(n)s day", "%(n)s days", n) for n in (1, 2, 5)],
        "hour": [ngettext("%(n)s hour", "%(n)s hours", n) for n in (1, 2, 5)],
        "minute": [ngettext("%(n)s minute", "%(n)s minutes", n) for n in (1, 2, 5)],
    }
    return {
        "deadline": call.closes_at,
        "deadline_passed": seconds <= 0,
        "remaining": remaining_text(seconds) if seconds > 0 else _("the deadline has passed"),
        "countdown_labels_json": json.dumps(labels, ensure_ascii=False),
    }

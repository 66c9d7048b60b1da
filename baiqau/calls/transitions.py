"""The one table of allowed state changes of a call.

Each row: (from, to) → the move's name and whether it needs a written reason. Corrections
(moving back) are ordinary rows that require a reason, never a bypass.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import CallStatus as S


@dataclass(frozen=True)
class Move:
    name: str
    label: StrOrPromise
    needs_reason: bool = False


TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.PUBLISHED): Move("publish", _("Publish the call")),
    (S.PUBLISHED, S.CLOSED): Move("close", _("Close submissions")),
    (S.CLOSED, S.IN_REVIEW): Move("start_review", _("Start the review")),
    (S.IN_REVIEW, S.DECIDED): Move("decide", _("Record the decision")),
    (S.DECIDED, S.ARCHIVED): Move("archive", _("Archive the call")),
    # Corrections.
    (S.PUBLISHED, S.DRAFT): Move("unpublish", _("Withdraw the call to draft"), needs_reason=True),
    (S.CLOSED, S.PUBLISHED): Move("reopen", _("Reopen submissions"), needs_reason=True),
    (S.DECIDED, S.IN_REVIEW): Move("reopen_review", _("Reopen the review"), needs_reason=True),
}


def move_for(current: str, target: str) -> Move | None:
    return TRANSITIONS.get((current, target))

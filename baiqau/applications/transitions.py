"""The one table of allowed state changes of an application.

The screening issue adds who may make each move and richer guards; the table is the single
place the moves are defined. Corrections are rows that require a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import ApplicationStatus as S

# Who may make a move: "applicant" (a member of the applicant organisation), a role of the
# call's staff (see calls.models.CallRoleKind), or "system" (Baiqau itself, e.g. results).
APPLICANT = frozenset({"applicant"})
SCREENERS = frozenset({"organiser", "secretary"})
DECIDERS = frozenset({"organiser", "chair", "system"})


@dataclass(frozen=True)
class Move:
    name: str
    label: StrOrPromise
    by: frozenset[str]
    needs_reason: bool = False


TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move("submit", _("Submit"), APPLICANT),
    (S.DRAFT, S.WITHDRAWN): Move("withdraw", _("Withdraw"), APPLICANT),
    (S.SUBMITTED, S.WITHDRAWN): Move("withdraw", _("Withdraw"), APPLICANT),
    (S.SUBMITTED, S.DRAFT): Move("reopen", _("Reopen to edit before the deadline"), APPLICANT),
    (S.SUBMITTED, S.SCREENING): Move("start_screening", _("Start screening"), SCREENERS),
    (S.SCREENING, S.ELIGIBLE): Move("mark_eligible", _("Mark eligible"), SCREENERS),
    (S.SCREENING, S.INELIGIBLE): Move("mark_ineligible", _("Mark ineligible"), SCREENERS, True),
    (S.SCREENING, S.CLARIFICATION): Move(
        "request_clarification", _("Request clarification"), SCREENERS
    ),
    (S.CLARIFICATION, S.SCREENING): Move(
        "answer_clarification", _("Answer the clarification"), APPLICANT
    ),
    (S.ELIGIBLE, S.IN_REVIEW): Move("send_to_review", _("Send to review"), SCREENERS),
    (S.IN_REVIEW, S.RANKED): Move("rank", _("Place in the ranking"), DECIDERS),
    (S.RANKED, S.AWARDED): Move("award", _("Award"), DECIDERS),
    (S.RANKED, S.NOT_AWARDED): Move("not_award", _("Not awarded"), DECIDERS),
    # Corrections.
    (S.INELIGIBLE, S.SCREENING): Move("reopen_screening", _("Reopen screening"), SCREENERS, True),
    (S.ELIGIBLE, S.SCREENING): Move("reopen_screening", _("Reopen screening"), SCREENERS, True),
    (S.AWARDED, S.RANKED): Move("revoke_award", _("Revoke the award decision"), DECIDERS, True),
    (S.NOT_AWARDED, S.RANKED): Move("reopen_award", _("Reopen the award decision"), DECIDERS, True),
    (S.RANKED, S.IN_REVIEW): Move("reopen_review", _("Reopen the review"), DECIDERS, True),
}


def move_for(current: str, target: str) -> Move | None:
    return TRANSITIONS.get((current, target))

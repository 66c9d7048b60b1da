"""Scores: an expert saves a draft, submits, and may change a submitted review until the
review period closes. Every submission and every change to a submitted score is audited with
its old and new values; a draft is the expert's own business and is not."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus, Criterion
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain.scoring import Criterion as DomainCriterion
from baiqau.domain.scoring import ScoringError, check_scores

from ..models import Expert, Review, ReviewStatus, Score
from ..selectors import expert_access
from .common import check_reviewable, own_seat, plan_for

ScoreInput = Mapping[int, Decimal | int | str | None]


def check_review_open(call: Call) -> None:
    if call.status != CallStatus.IN_REVIEW:
        raise DomainError(
            _("Scores can only be given while the call is in review."), code="not_in_review"
        )
    if clock.now() > call.review_ends_at:
        raise DomainError(
            _("The review period has ended: scores can no longer be changed."),
            code="review_closed",
        )


def _as_decimal(raw: Decimal | int | str | None, criterion: Criterion) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(
            _("The score for “%(name)s” must be a number.") % {"name": criterion.name},
            code="score_number",
        ) from None
    if not value.is_finite() or not criterion.min_score <= value <= criterion.max_score:
        raise DomainError(
            _("The score for “%(name)s” must be between %(min)s and %(max)s.")
            % {"name": criterion.name, "min": criterion.min_score, "max": criterion.max_score},
            code="score_range",
        )
    return value


def _two_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _opened_seat(actor: Any, application: Application) -> Expert:
    expert = own_seat(actor, application.call)
    access = expert_access(expert, application)
    if not access.may_open:
        # The same answer whatever the reason: not assigned, undeclared, or conflicted.
        raise DomainError(_("This application is not open to you for scoring."), code="forbidden")
    return expert


def _store(
    review: Review,
    criteria: list[Criterion],
    values: dict[int, Decimal | None],
    comments: Mapping[int, str],
) -> None:
    Score.objects.filter(review=review).delete()
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=c,
            value=values.get(c.pk),
            comment=(comments.get(c.pk) or "").strip(),
        )
        for c in criteria
    )


@transaction.atomic
def review_save(
    *,
    actor: Any,
    application: Application,
    scores: ScoreInput,
    comments: Mapping[int, str] | None = None,
    comment_for_applicant: str = "",
    note_for_commission: str = "",
    submit: bool = False,
) -> Review:
    """Save the expert's review of an application: a draft (anything may be missing) or a
    submission (every criterion scored; comments where the call requires them).

    A submitted review stays submitted: changing it is a resubmission, audited with the old and
    the new values.
    """
    comments = comments or {}
    application = Application.objects.select_related("call").get(pk=application.pk)
    call = application.call
    check_review_open(call)
    check_reviewable(application)
    expert = _opened_seat(actor, application)
    criteria = list(call.criteria.all())
    values = {c.pk: _as_decimal(scores.get(c.pk), c) for c in criteria}
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, expert=expert
    )
    was_submitted = review.status == ReviewStatus.SUBMITTED
    if was_submitted and not submit:
        raise DomainError(
            _("This review is submitted: change it by submitting it again."), code="submitted"
        )
    if submit:
        missing = [str(c.name) for c in criteria if values[c.pk] is None]
        if missing:
            raise DomainError(
                _("Give a score for every criterion (missing: %(names)s).")
                % {"names": ", ".join(missing)},
                code="missing_score",
            )
        if plan_for(call).comment_required:
            bare = [str(c.name) for c in criteria if not (comments.get(c.pk) or "").strip()]
            if bare:
                raise DomainError(
                    _("Explain every score (no comment for: %(names)s).")
                    % {"names": ", ".join(bare)},
                    code="missing_comment",
                )
        domain_criteria = [
            DomainCriterion(
                key=str(c.pk),
                weight=Fraction(c.weight),
                min_score=c.min_score,
                max_score=c.max_score,
            )
            for c in criteria
        ]
        try:
            check_scores(
                domain_criteria,
                {str(k): Fraction(v) for k, v in values.items() if v is not None},
            )
        except ScoringError as error:
            raise DomainError(str(error), code="score") from error
    old = {
        str(s.criterion_id): {
            "score": None if s.value is None else str(s.value),
            "comment": s.comment,
        }
        for s in review.scores.all()
    }
    old_texts = {
        "comment_for_applicant": review.comment_for_applicant,
        "note_for_commission": review.note_for_commission,
    }
    _store(review, criteria, values, comments)
    review.comment_for_applicant = comment_for_applicant.strip()
    review.note_for_commission = note_for_commission.strip()
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = clock.now()
    review.save()
    if submit:
        new = {
            str(c.pk): {
                "score": str(_two_places(values[c.pk])),
                "comment": (comments.get(c.pk) or "").strip(),
            }
            for c in criteria
        }
        new_texts = {
            "comment_for_applicant": review.comment_for_applicant,
            "note_for_commission": review.note_for_commission,
        }
        if was_submitted and old == new and old_texts == new_texts:
            return review  # submitted again unchanged: a double click, nothing to record
        audit_record(
            actor=actor,
            action="review.resubmitted" if was_submitted else "review.submitted",
            subject=review,
            data={
                "application": application.pk,
                "expert": expert.pk,
                "old": old if was_submitted else None,
                "new": new,
                "old_texts": old_texts if was_submitted else None,
                "new_texts": new_texts,
            },
        )
    return review


def review_submit(
    *,
    actor: Any,
    application: Application,
    scores: ScoreInput,
    comments: Mapping[int, str] | None = None,
    comment_for_applicant: str = "",
    note_for_commission: str = "",
) -> Review:
    """Submit (or resubmit) a complete review."""
    return review_save(
        actor=actor,
        application=application,
        scores=scores,
        comments=comments,
        comment_for_applicant=comment_for_applicant,
        note_for_commission=note_for_commission,
        submit=True,
    )

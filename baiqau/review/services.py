from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.audit.services import audit_record
from baiqau.calls.models import Call, CallStatus
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain.scoring import Criterion as DomainCriterion
from baiqau.domain.scoring import ScoringError, check_scores

from .models import Expert, Review, ReviewStatus, Score


@transaction.atomic
def expert_add(
    *,
    actor: Any,
    call: Call,
    user: Any,
    is_commission: bool = False,
    is_chair: bool = False,
    expertise: str = "",
) -> Expert:
    expert, created = Expert.objects.get_or_create(
        call=call,
        user=user,
        defaults={"is_commission": is_commission, "is_chair": is_chair, "expertise": expertise},
    )
    if created:
        audit_record(
            actor=actor,
            action="expert.added",
            subject=expert,
            data={"call": call.slug, "user": user.get_username(), "commission": is_commission},
        )
    return expert


@transaction.atomic
def review_submit(
    *,
    actor: Any,
    application: Application,
    scores: Mapping[int, Decimal | int],
    comments: Mapping[int, str] | None = None,
    comment_for_applicant: str = "",
) -> Review:
    """Submit (or, while the review is open, resubmit) one expert's scores for an application.

    `scores` maps criterion id to the score. Every change to a submitted score is audited with
    its old and new value.
    """
    comments = comments or {}
    application = Application.objects.select_related("call").get(pk=application.pk)
    call = application.call
    if call.status != CallStatus.IN_REVIEW:
        raise DomainError(
            _("Scores can only be given while the call is in review."), code="not_in_review"
        )
    if application.status not in (ApplicationStatus.IN_REVIEW, ApplicationStatus.ELIGIBLE):
        raise DomainError(_("This application is not in review."), code="not_in_review")
    try:
        expert = Expert.objects.get(call=call, user=actor)
    except Expert.DoesNotExist:
        raise DomainError(_("You are not an expert of this call."), code="not_expert") from None
    criteria = list(call.criteria.all())
    domain_criteria = [
        DomainCriterion(
            key=str(c.pk), weight=Fraction(c.weight), min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]
    as_keys = {str(key): Decimal(value) for key, value in scores.items()}
    for c in criteria:
        value = as_keys.get(str(c.pk))
        if value is not None and not c.min_score <= value <= c.max_score:
            raise DomainError(
                _("The score for “%(name)s” must be between %(min)s and %(max)s.")
                % {"name": c.name, "min": c.min_score, "max": c.max_score},
                code="score_range",
            )
    try:
        check_scores(domain_criteria, {k: Fraction(v) for k, v in as_keys.items()})
    except ScoringError as error:
        raise DomainError(str(error), code="score") from error
    missing = [str(c.name) for c in criteria if str(c.pk) not in as_keys]
    if missing:
        raise DomainError(
            _("Give a score for every criterion (missing: %(names)s).")
            % {"names": ", ".join(missing)},
            code="missing_score",
        )
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, expert=expert
    )
    old = {str(s.criterion_id): str(s.value) for s in review.scores.all()}
    Score.objects.filter(review=review).delete()
    Score.objects.bulk_create(
        Score(review=review, criterion=c, value=as_keys[str(c.pk)], comment=comments.get(c.pk, ""))
        for c in criteria
    )
    was_submitted = review.status == ReviewStatus.SUBMITTED
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = clock.now()
    review.comment_for_applicant = comment_for_applicant
    review.save()
    audit_record(
        actor=actor,
        action="review.resubmitted" if was_submitted else "review.submitted",
        subject=review,
        data={
            "application": application.pk,
            "expert": expert.pk,
            "old_scores": old,
            "scores": {key: str(value) for key, value in as_keys.items()},
        },
    )
    return review

"""Decision letters: every ranked applicant learns its outcome, scores and the experts' comments.

When the results are published (``services.publish.results_publish``), a background task sends
each ranked application's submitters one notification, in their own language, in the app and by
e-mail: the outcome (place and prize or grant, or not awarded), the position of N, the score on
each criterion and the total, and what each expert wrote for the applicant.

Experts appear only as "Expert 1", "Expert 2"… numbered within the letter, whether or not the
call's review was blind; the private note for the commission is never read here at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from baiqau.applications.models import Application, ApplicationVersion
from baiqau.calls.models import AwardScheme, Call, Criterion
from baiqau.domain.money import format_tenge
from baiqau.notifications.models import NotificationKind
from baiqau.notifications.services import notify
from baiqau.notifications.values import link_in
from baiqau.organisations.models import Membership
from baiqau.review.models import Review, ReviewStatus, Score

from .models import Award, Ranking, RankingEntry


@dataclass
class ExpertFeedback:
    """What one expert wrote for the applicant: never their name, never their private note."""

    comment: str = ""
    criteria: dict[int, str] = field(default_factory=dict)  # criterion pk → comment


def _number(value: Fraction | Decimal) -> str:
    fraction = Fraction(value)
    number = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    return number_format(number, 2)


def feedback_for(application_ids: list[int]) -> dict[int, list[ExpertFeedback]]:
    """Per application, each submitted review's comments for the applicant, in review order.

    Only the columns meant for the applicant are read: the query never selects the private
    note for the commission, nor who wrote the review.
    """
    reviews = (
        Review.objects.filter(application_id__in=application_ids, status=ReviewStatus.SUBMITTED)
        .order_by("application_id", "pk")
        .values_list("pk", "application_id", "comment_for_applicant")
    )
    by_review: dict[int, ExpertFeedback] = {}
    result: dict[int, list[ExpertFeedback]] = defaultdict(list)
    for review_id, application_id, comment in reviews:
        feedback = ExpertFeedback(comment=comment.strip())
        by_review[review_id] = feedback
        result[application_id].append(feedback)
    scores = (
        Score.objects.filter(review_id__in=list(by_review))
        .exclude(comment="")
        .values_list("review_id", "criterion_id", "comment")
    )
    for review_id, criterion_id, comment in scores:
        if comment.strip():
            by_review[review_id].criteria[criterion_id] = comment.strip()
    return dict(result)


def recipients_for(applications: list[Application]) -> dict[int, list[Any]]:
    """Per application, the people told: the current members of the applicant organisation who
    created or submitted it; when none of them is still a member, every current member."""
    ids = [a.pk for a in applications]
    actors: dict[int, set[int]] = defaultdict(set)
    for application in applications:
        if application.created_by_id:
            actors[application.pk].add(application.created_by_id)
    submitted = ApplicationVersion.objects.filter(
        application_id__in=ids, submitted_by__isnull=False
    ).values_list("application_id", "submitted_by_id")
    for application_id, user_id in submitted:
        actors[application_id].add(user_id)
    members: dict[int, list[Any]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(
            organisation_id__in={a.organisation_id for a in applications}, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )
    for membership in memberships:
        members[membership.organisation_id].append(membership.user)
    result = {}
    for application in applications:
        everyone = members.get(application.organisation_id, [])
        chosen = [u for u in everyone if u.pk in actors[application.pk]]
        result[application.pk] = chosen or everyone
    return result


def _outcome(call: Call, award: Award | None) -> str:
    if award is None:
        return _("not awarded.")
    if call.award_scheme == AwardScheme.POOL:
        return _("awarded a grant of %(amount)s.") % {"amount": format_tenge(award.amount)}
    return _("place %(place)s, awarded a prize of %(amount)s.") % {
        "place": award.place,
        "amount": format_tenge(award.amount),
    }


def _scores(entry: RankingEntry, criteria: list[Criterion], *, calibrated: bool = False) -> str:
    lines = []
    for criterion in criteria:
        value = entry.criterion_scores.get(str(criterion.pk))
        if value is None:
            continue
        lines.append(
            _("%(criterion)s: %(score)s (scale %(low)s–%(high)s)")
            % {
                "criterion": criterion.name,
                "score": _number(Fraction(value)),
                "low": criterion.min_score,
                "high": criterion.max_score,
            }
        )
    if calibrated and entry.calibrated_score is not None:
        # The calibrated total decides: say so, and give the plain one the criteria add up to.
        lines.append(_("Total: %(score)s out of 100") % {"score": _number(entry.raw_score)})
        lines.append(
            _("Total calibrated for the experts' severity, which decides: %(score)s")
            % {"score": _number(entry.calibrated_score)}
        )
    else:
        lines.append(_("Total: %(score)s out of 100") % {"score": _number(entry.score)})
    return "\n".join(f"– {line}" for line in lines)


def _comments(feedback: list[ExpertFeedback], criteria: list[Criterion]) -> str:
    names = {c.pk: str(c.name) for c in criteria}
    blocks = []
    for number, expert in enumerate(feedback, 1):
        lines = []
        if expert.comment:
            lines.append(expert.comment)
        lines.extend(
            f"– {names[c.pk]}: {expert.criteria[c.pk]}" for c in criteria if c.pk in expert.criteria
        )
        if lines:
            heading = _("Expert %(number)s:") % {"number": number}
            blocks.append("\n".join([heading, *lines]))
    return "\n\n".join(blocks) if blocks else _("The experts left no comments for you.")


def letter_values(
    *,
    call: Call,
    entry: RankingEntry,
    award: Award | None,
    count: int,
    criteria: list[Criterion],
    feedback: list[ExpertFeedback],
    calibrated: bool = False,
) -> dict[str, Any]:
    """The placeholders of the letter, in the active language."""
    application = entry.application
    return {
        "call_title": str(call.title),
        "application_title": str(application.title),
        "organisation": str(application.organisation),
        "receipt_number": application.receipt_number or "",
        "outcome": _outcome(call, award),
        "position": _("%(position)s of %(count)s") % {"position": entry.position, "count": count},
        "scores": _scores(entry, criteria, calibrated=calibrated),
        "comments": _comments(feedback, criteria),
    }


def letters_send(call_pk: int) -> int:
    """Send the decision letters of a call whose results are public; returns how many people
    were told. Sending twice for the same publication tells nobody twice."""
    call = Call.objects.filter(pk=call_pk).first()
    if call is None or call.results_published_at is None:
        return 0
    ranking = Ranking.objects.filter(call=call, is_current=True).first()
    if ranking is None:
        return 0
    entries = list(
        RankingEntry.objects.filter(ranking=ranking)
        .select_related("application__organisation")
        .order_by("position", "application_id")
    )
    awards = {a.application_id: a for a in Award.objects.filter(ranking=ranking)}
    criteria = list(call.criteria.all())
    applications = [e.application for e in entries]
    feedback = feedback_for([a.pk for a in applications])
    recipients = recipients_for(applications)
    # One letter per person per publication: a re-publication after a withdrawal tells again.
    dedupe = f"results-{ranking.pk}-{call.results_published_at.isoformat()}"
    told = 0
    for entry in entries:
        for user in recipients.get(entry.application_id, []):
            language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                values = letter_values(
                    call=call,
                    entry=entry,
                    award=awards.get(entry.application_id),
                    count=len(entries),
                    criteria=criteria,
                    feedback=feedback.get(entry.application_id, []),
                    calibrated=ranking.rules.get("decides") == "calibrated",
                )
            notification = notify(
                user=user,
                kind=NotificationKind.RESULTS_DECISION,
                call=call,
                application=entry.application,
                values=values,
                url=link_in(language, "publishing:call_results", call.slug),
                dedupe_key=dedupe,
            )
            told += notification is not None
    return told


@task()
def send_decision_letters(call_pk: int) -> int:
    """The letters of one publication, off the organiser's request (see letters_send)."""
    return letters_send(call_pk)


def letters_enqueue(call_pk: int) -> None:
    send_decision_letters.enqueue(call_pk)


def letter_samples(language: str) -> dict[str, str]:
    """Sample values of the letter's own placeholders, for the preview of an organiser's wording
    (``notifications.preview.sample_values``)."""
    with translation.override(language):
        criterion = _("Social significance")
        return {
            "outcome": _outcome_sample(),
            "position": _("%(position)s of %(count)s") % {"position": 2, "count": 12},
            "scores": "\n".join(
                [
                    "– "
                    + _("%(criterion)s: %(score)s (scale %(low)s–%(high)s)")
                    % {
                        "criterion": criterion,
                        "score": _number(Fraction(17, 2)),
                        "low": 0,
                        "high": 10,
                    },
                    "– " + _("Total: %(score)s out of 100") % {"score": _number(Fraction(161, 2))},
                ]
            ),
            "comments": "\n".join(
                [
                    _("Expert %(number)s:") % {"number": 1},
                    _("A clear plan; the budget for transport needs explaining."),
                ]
            ),
        }


def _outcome_sample() -> str:
    return _("place %(place)s, awarded a prize of %(amount)s.") % {
        "place": 2,
        "amount": format_tenge(700_000),
    }

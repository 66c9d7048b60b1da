"""Reads for the expert's own pages: their seats, the queue, one application as the expert may
see it (blind review hides the applicant's identity), other experts' scores, and bids.

Each function costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus, Attachment
from baiqau.applications.uploads import EXTENSIONS
from baiqau.calls.models import Call, CallStatus, Criterion, Question, QuestionKind
from baiqau.core import clock
from baiqau.core.templatetags.baiqau import answer_text
from baiqau.domain.scoring import Criterion as DomainCriterion
from baiqau.domain.scoring import ScoringError, review_total

from .models import (
    Assignment,
    Bid,
    Expert,
    ExpertStatus,
    OtherScores,
    Redaction,
    Review,
    ReviewPlan,
    ReviewStatus,
)
from .selectors import REVIEWABLE, call_conflicts, expert_queue, reviewable_applications

# An expert keeps read access to what they reviewed once the call has moved on.
VISIBLE = (
    *REVIEWABLE,
    ApplicationStatus.RANKED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.NOT_AWARDED,
)


def expert_seat_for(user: Any, slug: str) -> Expert | None:
    """The person's active seat on the call's panel, with the call and its plan: one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Expert.objects.filter(call__slug=slug, user=user, status=ExpertStatus.ACTIVE)
        .select_related("call", "call__review_plan")
        .first()
    )


def plan_of(call: Call) -> ReviewPlan | None:
    """The plan loaded with the call (see `expert_seat_for`), or None when it has none yet."""
    return getattr(call, "review_plan", None)


def expert_seats(user: Any) -> list[Expert]:
    """The person's active seats, each with `n_assigned` and `n_submitted`: one query."""
    assigned = (
        Assignment.objects.filter(expert=OuterRef("pk"), application__status__in=REVIEWABLE)
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    submitted = (
        Review.objects.filter(
            expert=OuterRef("pk"),
            status=ReviewStatus.SUBMITTED,
            application__status__in=REVIEWABLE,
            application__assignments__expert=OuterRef("pk"),
        )
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Expert.objects.filter(user=user, status=ExpertStatus.ACTIVE)
        .select_related("call")
        .annotate(
            n_assigned=Coalesce(Subquery(assigned, output_field=IntegerField()), 0),
            n_submitted=Coalesce(Subquery(submitted, output_field=IntegerField()), 0),
        )
        .order_by("call__review_ends_at", "pk")
    )


def redactions_for(application_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for app_id, name, text in Redaction.objects.filter(
        application_id__in=list(application_ids)
    ).values_list("application_id", "field", "text"):
        out.setdefault(app_id, {})[name] = text
    return out


def original_text(application: Application, name: str) -> str:
    """A core field in the language the applicant wrote in (falling back to any language)."""
    translated = ("title", "summary", "target_group", "goal")
    if name in translated:
        value = getattr(application, f"{name}_{application.language}", "") or getattr(
            application, name
        )
        return str(value or "")
    return str(getattr(application, name, "") or "")


def seen_title(application: Application, redactions: dict[str, str], blind: bool) -> str:
    if blind and "title" in redactions:
        return redactions["title"]
    return original_text(application, "title") or f"#{application.pk}"


@dataclass(frozen=True)
class QueueRow:
    application: Application
    title: str
    organisation: str  # empty in blind review
    state: str  # declare / to_score / draft / submitted / conflict
    review: Review | None


def queue_rows(expert: Expert, blind: bool) -> list[QueueRow]:
    """The expert's queue (see `expert_queue`) with the titles they may see; a conflict found
    by the platform (membership, employer) shows as a conflict even before any declaration."""
    items = expert_queue(expert)
    ids = [item.assignment.application_id for item in items]
    detected = (
        {app for (_e, app) in call_conflicts(expert.call, experts=[expert], application_ids=ids)}
        if ids
        else set()
    )
    redactions = redactions_for(ids) if blind and ids else {}
    rows = []
    for item in items:
        application = item.assignment.application
        state = "conflict" if application.pk in detected else item.state
        rows.append(
            QueueRow(
                application=application,
                title=seen_title(application, redactions.get(application.pk, {}), blind),
                organisation="" if blind else str(application.organisation.name),
                state=state,
                review=item.review,
            )
        )
    order = {"declare": 0, "to_score": 1, "draft": 1, "submitted": 2, "conflict": 3}
    rows.sort(key=lambda row: order[row.state])
    return rows


def review_is_open(call: Call) -> bool:
    """Scores may be saved: the call is in review and its review period has not ended."""
    return call.status == CallStatus.IN_REVIEW and clock.now() <= call.review_ends_at


def may_see_scores(plan: ReviewPlan, own: Review | None) -> bool:
    """Whether the plan shows other experts' scores to an expert who may open the application."""
    if plan.other_scores == OtherScores.ALWAYS:
        return True
    return (
        plan.other_scores == OtherScores.AFTER_SUBMIT
        and own is not None
        and own.status == ReviewStatus.SUBMITTED
    )


def application_of_call(expert: Expert, pk: int) -> Application | None:
    return (
        Application.objects.filter(call_id=expert.call_id, pk=pk, status__in=VISIBLE)
        .select_related("organisation")
        .first()
    )


# The sections of an application as the expert reads them: (section, field, label).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("project", ("summary", "target_group", "problem", "goal")),
    ("plan", ("planned_activities", "expected_results", "beneficiaries_count", "timeline", "team")),
)
# Free text likely to name people: hidden in blind review unless the secretariat redacted it.
HIDDEN_WHEN_BLIND = frozenset({"team"})


def field_labels() -> dict[str, str]:
    return {
        "summary": _("Summary"),
        "target_group": _("Target group"),
        "problem": _("Problem"),
        "goal": _("Goal"),
        "planned_activities": _("Planned activities"),
        "expected_results": _("Expected results and indicators"),
        "beneficiaries_count": _("Number of beneficiaries"),
        "timeline": _("Timeline"),
        "team": _("Team"),
    }


@dataclass(frozen=True)
class FieldRow:
    label: str
    text: str
    redacted: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class AttachmentRow:
    pk: int
    number: int
    label: str
    question_id: int | None


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    text: str
    files: list[AttachmentRow]
    redacted: bool = False


@dataclass
class ApplicationContent:
    title: str
    organisation: str
    sections: dict[str, list[FieldRow]]
    lines: list[Any]
    answers: list[AnswerRow]
    attachments: list[AttachmentRow]  # those not attached to a question
    all_attachments: list[AttachmentRow] = field(default_factory=list)


def attachment_extension(attachment: Attachment) -> str:
    return EXTENSIONS.get(attachment.content_type, "bin")


def attachment_label(attachment: Attachment, number: int, blind: bool) -> str:
    size = filesizeformat(attachment.size)
    if blind:
        return _("Attachment %(n)s (%(type)s, %(size)s)") % {
            "n": number,
            "type": attachment_extension(attachment).upper(),
            "size": size,
        }
    return f"{attachment.original_name} ({size})"


def attachments_of(application: Application) -> list[Attachment]:
    """In the order that numbers them (the same on the page and in the download name)."""
    return list(Attachment.objects.filter(application=application).order_by("created_at", "id"))


def application_content(
    application: Application, call: Call, blind: bool, title_only: bool = False
) -> ApplicationContent:
    """Everything the expert may read of an application; `title_only` for the declaration."""
    redactions = redactions_for([application.pk]).get(application.pk, {}) if blind else {}
    title = seen_title(application, redactions, blind)
    organisation = "" if blind else str(application.organisation.name)
    if title_only:
        return ApplicationContent(title, organisation, {}, [], [], [])
    labels = field_labels()
    sections: dict[str, list[FieldRow]] = {}
    for section, names in SECTIONS:
        rows = []
        for name in names:
            if name in redactions:
                rows.append(FieldRow(labels[name], redactions[name], redacted=True))
            elif blind and name in HIDDEN_WHEN_BLIND:
                rows.append(FieldRow(labels[name], "", hidden=True))
            else:
                rows.append(FieldRow(labels[name], original_text(application, name)))
        sections[section] = rows
    files = [
        AttachmentRow(a.pk, n, attachment_label(a, n, blind), a.question_id)
        for n, a in enumerate(attachments_of(application), 1)
    ]
    answers_by_question = {a.question_id: a.value for a in application.answers.all()}
    answers = []
    for question in call.questions.all():
        key = f"answer:{question.pk}"
        own_files = [f for f in files if f.question_id == question.pk]
        if question.kind == QuestionKind.FILE:
            answers.append(AnswerRow(question, "", own_files))
        elif key in redactions:
            answers.append(AnswerRow(question, redactions[key], [], redacted=True))
        else:
            answers.append(AnswerRow(question, answer_text(question, answers_by_question), []))
    return ApplicationContent(
        title=title,
        organisation=organisation,
        sections=sections,
        lines=list(application.budget_lines.all()),
        answers=answers,
        attachments=[f for f in files if f.question_id is None],
        all_attachments=files,
    )


def own_review(expert: Expert, application: Application) -> Review | None:
    return (
        Review.objects.filter(expert=expert, application=application)
        .prefetch_related("scores")
        .first()
    )


def _domain_criteria(criteria: list[Criterion]) -> list[DomainCriterion]:
    return [
        DomainCriterion(
            key=str(c.pk), weight=Fraction(c.weight), min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]


def _as_decimal(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class ScoreRow:
    label: str
    is_mine: bool
    values: list[Decimal | None]
    total: Decimal | None


def submitted_scores(
    application: Application, expert: Expert, criteria: list[Criterion]
) -> list[ScoreRow]:
    """Every submitted review's scores, each expert shown by a number, never by name; the
    private notes and comments are not even read. Two queries."""
    reviews = list(
        Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED)
        .only("pk", "expert_id", "status")
        .prefetch_related("scores")
        .order_by("pk")
    )
    domain = _domain_criteria(criteria)
    rows = []
    number = 0
    for review in reviews:
        by_criterion = {s.criterion_id: s.value for s in review.scores.all()}
        values = [by_criterion.get(c.pk) for c in criteria]
        try:
            total: Decimal | None = _as_decimal(
                review_total(
                    domain,
                    {
                        str(c.pk): Fraction(v)
                        for c, v in zip(criteria, values, strict=True)
                        if v is not None
                    },
                )
            )
        except ScoringError:
            total = None
        mine = review.expert_id == expert.pk
        if not mine:
            number += 1
        label = _("You") if mine else _("Expert %(n)s") % {"n": number}
        rows.append(ScoreRow(label=label, is_mine=mine, values=values, total=total))
    return rows


def bid_candidates(expert: Expert, blind: bool, query: str = "") -> QuerySet[Application]:
    """The call's reviewable applications the expert may bid on (no conflict found or
    declared), searched by the title the expert sees."""
    call = expert.call
    conflicted = [app for (_e, app) in call_conflicts(call, experts=[expert])]
    qs = reviewable_applications(call).exclude(pk__in=conflicted)
    query = query.strip()
    if query:
        title_match = (
            Q(title_kk__icontains=query)
            | Q(title_ru__icontains=query)
            | Q(title_en__icontains=query)
        )
        if blind:
            # Search what the expert sees: a redacted title hides the original from the search.
            redacted = Redaction.objects.filter(application=OuterRef("pk"), field="title")
            qs = qs.filter(
                Exists(redacted.filter(text__icontains=query)) | (~Exists(redacted) & title_match)
            )
        else:
            qs = qs.filter(title_match)
    return qs.select_related("organisation").order_by("pk")


@dataclass(frozen=True)
class BidRow:
    application: Application
    title: str
    organisation: str
    value: int | None


def bid_rows(expert: Expert, applications: list[Application], blind: bool) -> list[BidRow]:
    ids = [a.pk for a in applications]
    bids = dict(
        Bid.objects.filter(expert=expert, application_id__in=ids).values_list(
            "application_id", "value"
        )
    )
    redactions = redactions_for(ids) if blind and ids else {}
    return [
        BidRow(
            application=a,
            title=seen_title(a, redactions.get(a.pk, {}), blind),
            organisation="" if blind else str(a.organisation.name),
            value=bids.get(a.pk),
        )
        for a in applications
    ]

"""Reads for the staff's jury pages: the roster of experts, the assignments per application, a
solver run's proposal, the applications' free-text fields for redaction, and open reviews.

Each page costs a fixed number of queries whatever the number of applications and experts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baiqau.applications.models import Answer, Application
from baiqau.calls.models import Call, CallInvitation, CallRoleKind, QuestionKind
from baiqau.core.i18n import LANGUAGE_CODES

from .models import (
    Assignment,
    AssignmentRun,
    Declaration,
    Expert,
    ExpertStatus,
    Redaction,
    Review,
    ReviewStatus,
)
from .selectors import (
    REVIEWABLE,
    CallProgress,
    ExpertProgress,
    call_conflicts,
    reviewable_applications,
)

# The solver's stages, as a person reads them (stage names come from baiqau.review.solver and
# baiqau.domain.assignment).
STAGE_LABELS: dict[str, Any] = {
    "": _("Waiting for a worker"),
    "reading": _("Reading the call"),
    "text": _("Reading the applications and the experts' expertise"),
    "affinity": _("Matching experts to applications"),
    "candidates": _("Choosing candidates"),
    "solving": _("Finding the best assignment"),
    "solve": _("Finding the best assignment"),
    "widen": _("Looking wider for experts with room"),
    "done": _("Done"),
}

EXPERT_INVITATION_ROLES = (CallRoleKind.EXPERT, CallRoleKind.MEMBER, CallRoleKind.CHAIR)

FREE_TEXT_FIELDS: tuple[tuple[str, Any], ...] = (
    ("title", _("Title")),
    ("summary", _("Summary")),
    ("target_group", _("Target group")),
    ("goal", _("Goal")),
)
TEXT_QUESTION_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


# --- Experts ---------------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) of a queryset filtered on OuterRef("pk")."""
    counted = queryset.order_by().values("expert_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def expert_roster(call: Call, search: str = "") -> QuerySet[Expert]:
    """Every expert of the call (active first), with their loads and areas."""
    experts = Expert.objects.filter(call=call)
    search = search.strip()
    if search:
        experts = experts.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return (
        experts.select_related("user")
        .prefetch_related("tags")
        .annotate(
            n_assigned=_count(
                Assignment.objects.filter(expert=OuterRef("pk"), application__status__in=REVIEWABLE)
            ),
            n_submitted=_count(
                Review.objects.filter(
                    expert=OuterRef("pk"),
                    status=ReviewStatus.SUBMITTED,
                    application__status__in=REVIEWABLE,
                )
            ),
        )
        .order_by("status", "-is_chair", "-is_commission", "user__full_name", "pk")
    )


def expert_invitations(call: Call) -> list[CallInvitation]:
    """Invitations to the panel not yet accepted (expired ones too: they may be sent again)."""
    return list(
        call.invitations.filter(accepted_at=None, role__in=EXPERT_INVITATION_ROLES)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def open_review_counts(call: Call) -> dict[int, int]:
    """Per expert id: assigned reviewable applications without a submitted review. Two
    queries."""
    assigned = Assignment.objects.filter(
        application__call=call, application__status__in=REVIEWABLE
    ).values_list("expert_id", "application_id")
    submitted = set(
        Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED).values_list(
            "expert_id", "application_id"
        )
    )
    counts: dict[int, int] = defaultdict(int)
    for pair in assigned:
        if pair not in submitted:
            counts[pair[0]] += 1
    return dict(counts)


def progress_sorted(progress: CallProgress) -> list[ExpertProgress]:
    """Active experts with reviews left first (least done first), then the finished, then
    those who withdrew."""

    def key(row: ExpertProgress) -> tuple[int, int, int, str]:
        group = 2 if not row.expert.is_active else 0 if row.left > 0 else 1
        return (group, row.percent, -row.left, str(row.expert.user).casefold())

    return sorted(progress.experts, key=key)


# --- Assignments -----------------------------------------------------------------------------


def assignment_overview(
    call: Call, reviews_per_application: int, *, search: str = "", lacking_only: bool = False
) -> QuerySet[Application]:
    """The reviewable applications with how many reviewers they have and need; those lacking
    the most first."""
    needed = Coalesce(
        F("review_settings__reviews_needed"),
        Value(reviews_per_application),
        output_field=IntegerField(),
    )
    apps = reviewable_applications(call)
    search = search.strip()
    if search:
        apps = apps.filter(search_text__contains=search.lower())
    apps = apps.annotate(
        n_reviewers=Count(
            "assignments",
            filter=Q(assignments__expert__status=ExpertStatus.ACTIVE),
            distinct=True,
        ),
        needed=needed,
    ).annotate(
        missing=ExpressionWrapper(F("needed") - F("n_reviewers"), output_field=IntegerField())
    )
    if lacking_only:
        apps = apps.filter(missing__gt=0)
    # Only what the page shows: sorting 20,000 whole rows (summaries included) spills to disk.
    return apps.only("pk", "call_id", "title_kk", "title_ru", "title_en").order_by("-missing", "pk")


@dataclass
class AssignmentRow:
    assignment: Assignment
    declaration: Declaration | None
    review: Review | None

    @property
    def declaration_state(self) -> str:
        if self.declaration is None:
            return "undeclared"
        return "conflict" if self.declaration.conflict else "no_conflict"

    @property
    def review_state(self) -> str:
        if self.review is None:
            return "none"
        return str(self.review.status)


def assignment_rows(application_ids: Iterable[int]) -> dict[int, list[AssignmentRow]]:
    """Per application id: its assignments with the expert's declaration and review. Three
    queries."""
    ids = list(application_ids)
    assignments = list(
        Assignment.objects.filter(application_id__in=ids)
        .select_related("expert", "expert__user")
        .order_by("application_id", "expert__user__full_name", "pk")
    )
    declarations = {
        (d.expert_id, d.application_id): d
        for d in Declaration.objects.filter(application_id__in=ids, is_current=True)
    }
    reviews = {
        (r.expert_id, r.application_id): r for r in Review.objects.filter(application_id__in=ids)
    }
    rows: dict[int, list[AssignmentRow]] = {pk: [] for pk in ids}
    for a in assignments:
        key = (a.expert_id, a.application_id)
        rows[a.application_id].append(AssignmentRow(a, declarations.get(key), reviews.get(key)))
    return rows


def latest_run(call: Call) -> AssignmentRun | None:
    # Not its proposal: 60,000 pairs are over a megabyte of JSON, and the pages show the status.
    return AssignmentRun.objects.filter(call=call).defer("result").first()


@dataclass
class ProposedGroup:
    application: Application | None
    application_id: int
    pairs: list[tuple[Expert | None, int, float]] = field(default_factory=list)


def run_groups(run: AssignmentRun, page_number: Any, per_page: int = 50) -> Page[ProposedGroup]:
    """The run's proposed pairs grouped by application, one page of applications. Two
    queries."""
    grouped: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for app_id, expert_id, affinity in (run.result or {}).get("pairs", []):
        grouped[int(app_id)].append((int(expert_id), float(affinity)))
    groups = [ProposedGroup(application=None, application_id=a) for a in sorted(grouped)]
    page = Paginator(groups, per_page).get_page(page_number)
    shown = list(page.object_list)
    app_ids = [g.application_id for g in shown]
    expert_ids = {e for a in app_ids for e, _f in grouped[a]}
    apps = {a.pk: a for a in Application.objects.filter(pk__in=app_ids, call_id=run.call_id)}
    experts = {
        e.pk: e
        for e in Expert.objects.filter(pk__in=expert_ids, call_id=run.call_id).select_related(
            "user"
        )
    }
    for group in shown:
        group.application = apps.get(group.application_id)
        pairs = sorted(grouped[group.application_id], key=lambda p: -p[1])
        group.pairs = [(experts.get(e), e, f) for e, f in pairs]
    return page


def assignable_experts(call: Call, application: Application) -> list[tuple[Expert, str | None]]:
    """Active experts not yet assigned to the application, each with the reason of a conflict
    of interest found with it (or None). Four queries."""
    experts = list(
        Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE)
        .exclude(assignments__application=application)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    conflicts = call_conflicts(call, experts=experts, application_ids=[application.pk])
    return [(e, conflicts.get((e.pk, application.pk))) for e in experts]


# --- Redaction -------------------------------------------------------------------------------


@dataclass
class FreeText:
    """One free-text field of an application: its original versions and what experts see."""

    name: str  # "title", … or "answer:<question id>"
    label: str
    originals: list[tuple[str, str]]  # (language code, text)
    redacted: str | None

    @property
    def original(self) -> str:
        return self.originals[0][1] if self.originals else ""


def free_texts(application: Application) -> list[FreeText]:
    """The fields the secretariat may redact for a blind review. Three queries."""
    redactions = dict(
        Redaction.objects.filter(application=application).values_list("field", "text")
    )
    first = application.language
    codes = [first, *(c for c in LANGUAGE_CODES if c != first)]
    texts = []
    for name, label in FREE_TEXT_FIELDS:
        originals = [
            (code, str(getattr(application, f"{name}_{code}", "") or "")) for code in codes
        ]
        texts.append(
            FreeText(
                name=name,
                label=str(label),
                originals=[(c, t) for c, t in originals if t.strip()],
                redacted=redactions.get(name),
            )
        )
    questions = list(application.call.questions.filter(kind__in=TEXT_QUESTION_KINDS))
    answers = dict(
        Answer.objects.filter(
            application=application, question_id__in=[q.pk for q in questions]
        ).values_list("question_id", "value")
    )
    for question in questions:
        value = answers.get(question.pk)
        text = "" if value in (None, "") else str(value)
        texts.append(
            FreeText(
                name=f"answer:{question.pk}",
                label=str(question.label),
                originals=[(application.language, text)] if text.strip() else [],
                redacted=redactions.get(f"answer:{question.pk}"),
            )
        )
    return texts


def reminded_today(call: Call, user_ids: Sequence[int], key: str) -> set[int]:
    """Which of these people had today's reminder for the call already."""
    from baiqau.notifications.models import Notification, NotificationKind

    return set(
        Notification.objects.filter(
            call=call,
            kind=NotificationKind.REVIEW_REMINDER,
            dedupe_key=key,
            user_id__in=list(user_ids),
        ).values_list("user_id", flat=True)
    )


def today_key(now: Any = None) -> str:
    """The dedupe key of today's reminders, by the calendar of the project's time zone."""
    return f"review-{timezone.localdate(now or timezone.now()):%Y-%m-%d}"

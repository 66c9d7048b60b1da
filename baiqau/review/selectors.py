"""Reads of the jury: conflicts of interest (declared and detected), what an expert may open,
the expert's queue and the chair's progress.

Conflicts are found set-wise for a whole call (for the solver and the pages that list many
applications) and pair-wise for one expert and one application (for the permission check of
every page that shows an application's content).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import Call
from baiqau.organisations.models import FormerMembership, Membership, Organisation

from .models import (
    Assignment,
    Declaration,
    Expert,
    ExpertStatus,
    Review,
    ReviewStatus,
)

# Applications the jury works on.
REVIEWABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)

CONFLICT_REASONS: dict[str, Any] = {
    "declared": _("declared by the expert"),
    "member": _("the expert is a member of the applicant organisation"),
    "former_member": _("the expert was a member of the applicant organisation"),
    "employer": _("the expert works for the applicant organisation (same BIN)"),
    "declared_earlier": _("the expert declared a relation to this organisation in another call"),
}

Pair = tuple[int, int]  # (expert id, application id)


def reviewable_applications(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, status__in=REVIEWABLE)


def active_experts(call: Call) -> QuerySet[Expert]:
    return Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE)


def expert_for(user: Any, call: Call) -> Expert | None:
    """The person's active seat on the call's panel."""
    if not getattr(user, "is_authenticated", False):
        return None
    return active_experts(call).filter(user=user).first()


def _org_conflicts(
    user_org_pairs: Iterable[tuple[int, int]],
    experts_by_user: dict[int, list[int]],
    apps_by_org: dict[int, list[int]],
    reason: str,
    out: dict[Pair, str],
) -> None:
    for user_id, org_id in user_org_pairs:
        for expert_id in experts_by_user.get(user_id, ()):
            for app_id in apps_by_org.get(org_id, ()):
                out.setdefault((expert_id, app_id), reason)


def call_conflicts(
    call: Call, *, experts: Iterable[Expert] | None = None, application_ids: Iterable[int] = ()
) -> dict[Pair, str]:
    """Every conflicted (expert, application) pair of the call, with the first reason found.

    A fixed number of queries whatever the number of experts and applications.
    """
    if experts is None:
        expert_rows = list(
            Expert.objects.filter(call=call).order_by().values_list("pk", "user_id", "employer_bin")
        )
    else:
        expert_rows = [(e.pk, e.user_id, e.employer_bin) for e in experts]
    apps = Application.objects.filter(call=call).order_by()
    ids = list(application_ids)
    if ids:
        apps = apps.filter(pk__in=ids)
    app_rows = list(apps.values_list("pk", "organisation_id", "organisation__bin"))
    experts_by_user: dict[int, list[int]] = defaultdict(list)
    for expert_id, user_id, _bin in expert_rows:
        experts_by_user[user_id].append(expert_id)
    apps_by_org: dict[int, list[int]] = defaultdict(list)
    apps_by_bin: dict[str, list[int]] = defaultdict(list)
    for app_id, org_id, bin_ in app_rows:
        apps_by_org[org_id].append(app_id)
        apps_by_bin[bin_].append(app_id)
    out: dict[Pair, str] = {}
    expert_ids = [row[0] for row in expert_rows]
    # The call's applications and organisations as subqueries: lists of 20,000 ids cost
    # PostgreSQL more to parse and plan than the queries cost to run.
    app_ids = apps.values("pk")
    orgs = apps.values("organisation_id")
    users = list(experts_by_user)
    for expert_id, app_id in (
        Declaration.objects.filter(
            expert_id__in=expert_ids, application_id__in=app_ids, is_current=True, conflict=True
        )
        .order_by()
        .values_list("expert_id", "application_id")
    ):
        out[(expert_id, app_id)] = "declared"
    _org_conflicts(
        Membership.objects.filter(user_id__in=users, organisation_id__in=orgs).values_list(
            "user_id", "organisation_id"
        ),
        experts_by_user,
        apps_by_org,
        "member",
        out,
    )
    _org_conflicts(
        FormerMembership.objects.filter(user_id__in=users, organisation_id__in=orgs)
        .order_by()
        .values_list("user_id", "organisation_id"),
        experts_by_user,
        apps_by_org,
        "former_member",
        out,
    )
    for expert_id, _user_id, employer_bin in expert_rows:
        for app_id in apps_by_bin.get(employer_bin, ()) if employer_bin else ():
            out.setdefault((expert_id, app_id), "employer")
    _org_conflicts(
        Declaration.objects.filter(
            expert__user_id__in=users,
            application__organisation_id__in=orgs,
            is_current=True,
            conflict=True,
        )
        .exclude(expert__call=call)
        .order_by()
        .values_list("expert__user_id", "application__organisation_id")
        .distinct(),
        experts_by_user,
        apps_by_org,
        "declared_earlier",
        out,
    )
    return out


def conflict_reason(expert: Expert, application: Application) -> str | None:
    """Why the expert is kept away from the application, or None."""
    if Declaration.objects.filter(
        expert=expert, application=application, is_current=True, conflict=True
    ).exists():
        return "declared"
    org_id = application.organisation_id
    if Membership.objects.filter(user_id=expert.user_id, organisation_id=org_id).exists():
        return "member"
    if FormerMembership.objects.filter(user_id=expert.user_id, organisation_id=org_id).exists():
        return "former_member"
    if (
        expert.employer_bin
        and Organisation.objects.filter(pk=org_id, bin=expert.employer_bin).exists()
    ):
        return "employer"
    if (
        Declaration.objects.filter(
            expert__user_id=expert.user_id,
            application__organisation_id=org_id,
            is_current=True,
            conflict=True,
        )
        .exclude(expert__call_id=expert.call_id)
        .exists()
    ):
        return "declared_earlier"
    return None


def current_declaration(expert: Expert, application: Application) -> Declaration | None:
    return Declaration.objects.filter(
        expert=expert, application=application, is_current=True
    ).first()


@dataclass(frozen=True)
class Access:
    """What one expert may see of one application."""

    assigned: bool
    declaration: Declaration | None
    conflict: str | None

    @property
    def may_declare(self) -> bool:
        return self.assigned and self.conflict is None and self.declaration is None

    @property
    def may_open(self) -> bool:
        """The content, scores and discussion: assigned, declared free of conflict, none found."""
        return (
            self.assigned
            and self.conflict is None
            and self.declaration is not None
            and not self.declaration.conflict
        )


def expert_access(expert: Expert, application: Application) -> Access:
    assigned = Assignment.objects.filter(expert=expert, application=application).exists()
    return Access(
        assigned=assigned,
        declaration=current_declaration(expert, application),
        conflict=conflict_reason(expert, application),
    )


def user_conflicted(user: Any, application: Application) -> bool:
    """For staff who sit on the commission: is their expert seat conflicted with it?"""
    expert = Expert.objects.filter(call_id=application.call_id, user=user).first()
    return expert is not None and conflict_reason(expert, application) is not None


@dataclass
class QueueItem:
    assignment: Assignment
    declaration: Declaration | None
    review: Review | None

    @property
    def state(self) -> str:
        if self.declaration is None:
            return "declare"
        if self.declaration.conflict:
            return "conflict"
        if self.review is None:
            return "to_score"
        return "submitted" if self.review.status == ReviewStatus.SUBMITTED else "draft"


def expert_queue(expert: Expert) -> list[QueueItem]:
    """The expert's assigned applications, what is left first. Three queries."""
    assignments = list(
        Assignment.objects.filter(expert=expert, application__status__in=REVIEWABLE)
        .select_related("application", "application__organisation")
        .order_by("application__call__review_ends_at", "application_id")
    )
    app_ids = [a.application_id for a in assignments]
    declarations = {
        d.application_id: d
        for d in Declaration.objects.filter(
            expert=expert, application_id__in=app_ids, is_current=True
        )
    }
    reviews = {r.application_id: r for r in Review.objects.filter(expert=expert)}
    items = [
        QueueItem(a, declarations.get(a.application_id), reviews.get(a.application_id))
        for a in assignments
    ]
    order = {"declare": 0, "to_score": 1, "draft": 1, "submitted": 2, "conflict": 3}
    items.sort(key=lambda item: order[item.state])
    return items


@dataclass
class ExpertProgress:
    expert: Expert
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    undeclared: int = 0

    @property
    def left(self) -> int:
        return self.assigned - self.submitted

    @property
    def percent(self) -> int:
        return 100 if not self.assigned else self.submitted * 100 // self.assigned


@dataclass
class CallProgress:
    experts: list[ExpertProgress] = field(default_factory=list)
    applications: int = 0
    reviews_needed: int = 0
    lacking: list[tuple[Application, int]] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return sum(e.assigned for e in self.experts)

    @property
    def submitted(self) -> int:
        return sum(e.submitted for e in self.experts)

    @property
    def percent(self) -> int:
        return 100 if not self.assigned else self.submitted * 100 // self.assigned


def call_progress(call: Call, reviews_per_application: int) -> CallProgress:
    """Per expert: assigned, submitted, drafts, undeclared; applications lacking reviewers.

    A fixed number of queries whatever the size of the call.
    """
    experts = list(
        Expert.objects.filter(call=call)
        .select_related("user")
        .annotate(
            n_assigned=Count(
                "assignments",
                filter=Q(assignments__application__status__in=REVIEWABLE),
                distinct=True,
            ),
        )
        .order_by("-is_chair", "-is_commission", "pk")
    )
    reviews: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for expert_id, status, n in (
        Review.objects.filter(expert__call=call, application__status__in=REVIEWABLE)
        .values_list("expert_id", "status")
        .annotate(n=Count("pk"))
    ):
        reviews[expert_id][status] = n
    declared = dict(
        Declaration.objects.filter(
            expert__call=call, is_current=True, application__status__in=REVIEWABLE
        )
        .values_list("expert_id")
        .annotate(n=Count("pk"))
    )
    progress = CallProgress()
    for expert in experts:
        assigned = getattr(expert, "n_assigned", 0)
        progress.experts.append(
            ExpertProgress(
                expert=expert,
                assigned=assigned,
                submitted=reviews[expert.pk][ReviewStatus.SUBMITTED],
                drafts=reviews[expert.pk][ReviewStatus.DRAFT],
                undeclared=max(0, assigned - declared.get(expert.pk, 0)),
            )
        )
    needed = Coalesce(
        F("review_settings__reviews_needed"),
        Value(reviews_per_application),
        output_field=IntegerField(),
    )
    totals = reviewable_applications(call).aggregate(n=Count("pk"), needed=Sum(needed))
    progress.applications = totals["n"]
    progress.reviews_needed = totals["needed"] or 0
    # Only the lacking applications, and only what the page shows of them: the call may have
    # tens of thousands, each with its summaries.
    lacking = (
        reviewable_applications(call)
        .annotate(
            missing=ExpressionWrapper(
                needed
                - Count(
                    "assignments",
                    filter=Q(assignments__expert__status=ExpertStatus.ACTIVE),
                    distinct=True,
                ),
                output_field=IntegerField(),
            )
        )
        .filter(missing__gt=0)
        .only("pk", "call_id", "title_kk", "title_ru", "title_en")
        .order_by("pk")
    )
    progress.lacking = [(app, app.missing) for app in lacking]
    return progress

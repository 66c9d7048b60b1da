"""The third demo call, in review, so that the jury's pages show real work.

Replayed through the services like the seed contest: the call is created with a grant pool and
published six weeks before the day the demo is loaded; 24 organisations apply; it closes
yesterday and the organiser screens every application eligible; nine experts take their seats
(three on the commission) and fill in their profiles; the real solver proposes an assignment,
which the organiser applies; one expert declares a conflict and the solver fills the gap; the
experts then declare and score about half of their applications. The review period ends three
weeks after the day the demo is loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.services import (
    application_create,
    application_save_budget,
    application_submit,
    application_transition,
)
from baiqau.calls.models import Call, CallStatus
from baiqau.calls.services import CriterionSpec, call_create, call_transition
from baiqau.core import clock
from baiqau.domain.identifiers import make_bin
from baiqau.notifications.invitations import invitation_accept, invitation_create
from baiqau.organisations.models import Membership, Organisation
from baiqau.organisations.services import (
    join_request_decide,
    membership_remove,
    organisation_request_join,
)
from baiqau.review.models import Assignment, AssignmentMode, AssignmentRun, Expert, RunStatus
from baiqau.review.services import (
    assignment_run_apply,
    assignment_run_start,
    declaration_make,
    expert_profile_update,
    expert_seat,
    expertise_tags_ensure,
    review_plan_update,
    review_save,
    review_submit,
)
from baiqau.review.services.anchors import criterion_anchors_save
from baiqau.review.services.redaction import application_review_settings_save
from baiqau.review.tasks import run_assignment

from . import data
from . import jury_data as jd
from .people import demo_organisation as _organisation
from .people import demo_user as _user

Log = Callable[[str], None]


def load_jury_call(log: Log = print) -> Call | None:
    """Load the call in review unless it is there already (then None)."""
    if Call.objects.filter(slug=jd.JURY_CALL_SLUG).exists():
        return None
    with transaction.atomic():
        return _load(log)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=data.ALMATY)


def _unit(*parts: str) -> float:
    """A number in [0, 1) drawn from the parts: the same on every load and every database."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def jury_score(project: str, expert: str, criterion: int, low: int, high: int) -> int:
    """An expert's score for one criterion: the project's quality, the expert's severity and
    their own judgement."""
    quality = 0.35 + 0.5 * _unit("quality", project)
    severity = 0.2 * (_unit("severity", expert) - 0.5)
    judgement = 0.3 * (_unit(project, expert, str(criterion)) - 0.5)
    share = min(1.0, max(0.0, quality + severity + judgement))
    return low + round(share * (high - low))


def _load(log: Log) -> Call:
    today = timezone.localdate()
    closes_at = _at(today - timedelta(days=1), 18)
    organiser = _user("organiser", "Жанар Тұрсынова", "kk")
    call = _create_call(organiser, today)
    apps = _apply(call)
    log(
        f"Call “{call.title_en}”: {len(apps)} applications submitted; review until "
        f"{call.review_ends_at.astimezone(data.ALMATY):%Y-%m-%d %H:%M}."
    )
    with clock.replay(closes_at - timedelta(days=10)):
        experts = _seat_experts(call, organiser)
    with clock.replay(closes_at):
        call = call_transition(actor=organiser, call=call, to=CallStatus.CLOSED)
    with clock.replay(closes_at + timedelta(minutes=30)):
        _screen(call, organiser, apps)
    with clock.replay(closes_at + timedelta(hours=1)):
        call = call_transition(actor=organiser, call=call, to=CallStatus.IN_REVIEW)
        for app in apps.values():
            application_transition(actor=organiser, application=app, to=ApplicationStatus.IN_REVIEW)
    with clock.replay(closes_at + timedelta(hours=1, minutes=10)):
        first = _solve(call, organiser)
    with clock.replay(closes_at + timedelta(hours=1, minutes=30)):
        _declare_conflicts(experts)
    with clock.replay(closes_at + timedelta(hours=1, minutes=40)):
        refill = _solve(call, organiser)
    log(
        f"{len(experts)} experts seated; the solver assigned {first} reviews, and {refill} more "
        "after a declared conflict."
    )
    submitted, drafts = _review(call, experts, apps, closes_at + timedelta(hours=2))
    log(f"{submitted} reviews submitted and {drafts} drafts saved.")
    return call


def _create_call(organiser: Any, today: date) -> Call:
    department = _organisation(organiser, data.ORGANISERS[2])
    opens_at = _at(today - timedelta(days=42), 9)
    review_ends_at = _at(today + timedelta(days=21), 18)
    with clock.replay(opens_at - timedelta(days=3)):
        call = call_create(
            actor=organiser,
            slug=jd.JURY_CALL_SLUG,
            title=jd.CALL["title"],
            aim=jd.CALL["aim"],
            description=jd.CALL["description"],
            opens_at=opens_at,
            closes_at=_at(today - timedelta(days=1), 18),
            review_ends_at=review_ends_at,
            results_at=review_ends_at + timedelta(days=9),
            co_organisers=[department],
            criteria=[CriterionSpec(**c) for c in jd.CRITERIA],
            eligible_org_types=jd.CALL["eligible_org_types"],
            pool_amount=jd.CALL["pool_amount"],
            max_per_project=jd.CALL["max_per_project"],
        )
        criterion = call.criteria.all()[jd.ANCHORED_CRITERION]
        criterion_anchors_save(actor=organiser, criterion=criterion, anchors=jd.ANCHORS)
        expertise_tags_ensure(call)
        review_plan_update(
            actor=organiser,
            call=call,
            mode=AssignmentMode.SOLVER,
            reviews_per_application=3,
            max_load=10,
            quorum=2,
            reminder_days=3,
        )
    with clock.replay(opens_at - timedelta(days=1)):
        return call_transition(actor=organiser, call=call, to=CallStatus.PUBLISHED)


def _apply(call: Call) -> dict[str, Application]:
    """Each organisation registers and applies during the six weeks the call is open."""
    apps: dict[str, Application] = {}
    for index, project in enumerate(jd.PROJECTS):
        when = call.opens_at + timedelta(days=1 + index * 39 // 24, hours=index % 7)
        language = project.language
        with clock.replay(when):
            applicant = _user(f"applicant-{project.org.key}", "", language)
            organisation = _organisation(applicant, project.org)
            application = application_create(
                actor=applicant,
                call=call,
                organisation=organisation,
                language=language,
                beneficiaries_count=project.beneficiaries,
                requested_amount=project.requested,
                **{f"title_{k}": v for k, v in project.title.items()},
                **{f"summary_{k}": v for k, v in project.summary.items()},
                **{f"target_group_{k}": v for k, v in project.target_group.items()},
                **{f"goal_{language}": project.goal},
                **jd.plan_texts(project),
            )
            application = application_save_budget(
                actor=applicant,
                application=application,
                version=application.version,
                lines=[
                    {
                        "item": data.BUDGET_ITEM[language],
                        "quantity": 1,
                        "unit_cost": project.requested,
                    }
                ],
            )
            apps[project.org.key] = application_submit(actor=applicant, application=application)
    return apps


def _seat_experts(call: Call, organiser: Any) -> list[tuple[jd.JuryExpert, Expert]]:
    """The organiser invites the commission (a role in the workspace and a seat) and seats the
    other experts; each expert then fills in their profile."""
    tags = {str(tag.name_en): tag for tag in expertise_tags_ensure(call)}
    seated = []
    for person in jd.EXPERTS:
        user = _user(person.local, person.name, person.language)
        if person.former_member_of:
            _past_membership(user, person.former_member_of)
        if person.role == "expert":
            expert = expert_seat(actor=organiser, call=call, user=user)
        else:
            invitation = invitation_create(
                actor=organiser,
                call=call,
                email=user.email,
                role=person.role,
                language=person.language,
            )
            invitation_accept(actor=user, invitation=invitation)
            expert = Expert.objects.get(call=call, user=user)
        expert = expert_profile_update(
            actor=user,
            expert=expert,
            tags=[tags[name] for name in person.tags],
            expertise=person.expertise,
            languages=person.reads,
            employer_bin="",
            max_load=person.max_load,
        )
        seated.append((person, expert))
    return seated


def _past_membership(user: Any, org_key: str) -> None:
    """The expert once sat on the board of an applicant organisation: detected as a conflict."""
    org = next(p.org for p in jd.PROJECTS if p.org.key == org_key)
    organisation = Organisation.objects.get(bin=make_bin(org.bin11))
    owner = _user(f"applicant-{org_key}", "", "ru")
    request = organisation_request_join(actor=user, organisation=organisation)
    join_request_decide(actor=owner, join_request=request, approve=True)
    membership = Membership.objects.get(user=user, organisation=organisation)
    membership_remove(actor=owner, membership=membership)


def _screen(call: Call, organiser: Any, apps: dict[str, Application]) -> None:
    """Every application is screened eligible and tagged with its areas for the solver."""
    tags = {str(tag.name_en): tag for tag in expertise_tags_ensure(call)}
    for project in jd.PROJECTS:
        application = apps[project.org.key]
        for status in (ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE):
            application = application_transition(
                actor=organiser, application=application, to=status
            )
        apps[project.org.key] = application
        application_review_settings_save(
            actor=organiser,
            application=application,
            tags=[tags[name] for name in project.tags],
            reviews_needed=None,
        )


def _solve(call: Call, organiser: Any) -> int:
    """A solver run, started and applied as the organiser would in the workspace."""
    run = assignment_run_start(actor=organiser, call=call)
    run.refresh_from_db()
    if run.status == RunStatus.QUEUED:
        # The service enqueues the task when the transaction commits; the demo is loaded in
        # one transaction, so it works the task itself. The queued copy (the immediate backend
        # after the commit, or `baiqau worker`) then finds nothing to do.
        run_assignment.call(run.pk)
        run = AssignmentRun.objects.get(pk=run.pk)
    return len(assignment_run_apply(actor=organiser, run=run))


def _declare_conflicts(experts: list[tuple[jd.JuryExpert, Expert]]) -> None:
    for person, expert in experts:
        if not person.conflict_reason:
            continue
        assignment = Assignment.objects.filter(expert=expert).order_by("application_id").first()
        if assignment is not None:
            declaration_make(
                actor=expert.user,
                application=assignment.application,
                conflict=True,
                reason=person.conflict_reason,
            )


def _review(
    call: Call,
    experts: list[tuple[jd.JuryExpert, Expert]],
    apps: dict[str, Application],
    start: datetime,
) -> tuple[int, int]:
    """Each expert works through their queue as far as their diligence takes them: reviews
    submitted, then one draft, then one declared but not yet scored; the rest wait for a
    declaration."""
    key_of = {app.pk: key for key, app in apps.items()}
    criteria = list(call.criteria.all())
    step, submitted, drafts = 0, 0, 0
    for person, expert in experts:
        assignments = list(
            Assignment.objects.filter(expert=expert)
            .select_related("application")
            .order_by("application_id")
        )
        n_submit = round(len(assignments) * person.diligence)
        started = person.diligence > 0
        for index, assignment in enumerate(assignments):
            if not started or index > n_submit + 1:
                break
            step += 1
            key = key_of[assignment.application_id]
            with clock.replay(start + timedelta(minutes=2 * step)):
                declaration_make(
                    actor=expert.user, application=assignment.application, conflict=False
                )
                scores = {
                    c.pk: jury_score(key, person.local, i, c.min_score, c.max_score)
                    for i, c in enumerate(criteria)
                }
                if index < n_submit:
                    comments = jd.COMMENTS[person.language]
                    review_submit(
                        actor=expert.user,
                        application=assignment.application,
                        scores=scores,
                        comment_for_applicant=comments[
                            int(_unit("comment", key, person.local) * len(comments))
                        ],
                    )
                    submitted += 1
                elif index == n_submit:
                    first = criteria[0].pk
                    review_save(
                        actor=expert.user,
                        application=assignment.application,
                        scores={first: scores[first]},
                    )
                    drafts += 1
    return submitted, drafts

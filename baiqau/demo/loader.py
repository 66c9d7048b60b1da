"""Load the seed competition by replaying its history through the service functions.

Nothing here writes a ranking or an award: the commission's scores go through
`review_submit`, and the places come out of `ranking_compute`, the real scoring code.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
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
from baiqau.calls.models import Call, CallStatus, Question
from baiqau.calls.services import CriterionSpec, call_create, call_transition
from baiqau.core import clock
from baiqau.results.models import Choice
from baiqau.results.services import ranking_compute, result_rules_update, results_publish
from baiqau.results.services.decision import (
    attendance_confirm,
    ballot_cast,
    motion_close,
    motion_open,
    session_close,
    session_open,
)
from baiqau.review.models import AssignmentMode
from baiqau.review.services import (
    assignment_everyone,
    declaration_make,
    expert_seat,
    review_plan_update,
    review_submit,
)

from . import data
from .jury import load_jury_call
from .monitoring import load_monitoring
from .people import demo_organisation as _organisation
from .people import demo_user as _user


@dataclass
class DemoReport:
    created: bool
    call: Call
    applications: int = 0
    reviews: int = 0


def expert_score(project_index: int, expert_index: int, criterion_index: int) -> int:
    """One expert's whole-point score for one criterion: the project's typical score, the
    expert's severity, and their own judgement, drawn reproducibly."""
    project = data.PROJECTS[project_index]
    severity = data.EXPERTS[expert_index][2]
    # Not for security: a fixed seed so that every load of the demo gives the same scores.
    judgement = random.Random(  # noqa: S311  # reproducible demo data, not a secret
        project_index * 1000 + expert_index * 10 + criterion_index
    ).uniform(-0.8, 0.8)
    raw = project.quality[criterion_index] + severity + judgement
    return max(0, min(10, round(raw)))


def load_demo(
    log: Callable[[str], None] = print, *, jury: bool = True, monitoring: bool = True
) -> DemoReport:
    """The open call, the seed contest (with its winners' agreements, payments and reports
    unless `monitoring` is false) and (unless `jury` is false) the call in review."""
    with transaction.atomic():
        if not Call.objects.filter(slug=data.OPEN_CALL_SLUG).exists():
            _load_open_call(log)
    existing = Call.objects.filter(slug=data.CALL_SLUG).first()
    if existing is not None:
        report = DemoReport(created=False, call=existing)
    else:
        with transaction.atomic():
            report = _load(log, monitoring=monitoring)
    # After the seed contest, so that its rows keep the ids (and receipt numbers) they had.
    if jury and load_jury_call(log) is not None:
        report.created = True
    return report


def _load_open_call(log: Callable[[str], None]) -> Call:
    """A call open from today for four weeks, with a question of every kind."""
    organiser = _user("organiser", "Жанар Тұрсынова")
    department = _organisation(organiser, data.ORGANISERS[2])
    today = timezone.localdate()
    opens_at = datetime.combine(today - timedelta(days=7), time(9, 0), tzinfo=data.ALMATY)
    closes_at = datetime.combine(today + timedelta(days=28), time(18, 0), tzinfo=data.ALMATY)
    call = call_create(
        actor=organiser,
        slug=data.OPEN_CALL_SLUG,
        title=data.OPEN_CALL["title"],
        aim=data.OPEN_CALL["aim"],
        description=data.OPEN_CALL["description"],
        opens_at=opens_at,
        closes_at=closes_at,
        review_ends_at=closes_at + timedelta(days=21),
        results_at=closes_at + timedelta(days=30),
        co_organisers=[department],
        criteria=[CriterionSpec(**c) for c in data.CRITERIA],
        eligible_org_types=data.OPEN_CALL["eligible_org_types"],
        pool_amount=data.OPEN_CALL["pool_amount"],
        max_per_project=data.OPEN_CALL["max_per_project"],
    )
    Question.objects.bulk_create(
        Question(
            call=call,
            position=i,
            kind=q["kind"],
            required=q["required"],
            max_length=q.get("max_length"),
            choices=q.get("choices", []),
            **{f"label_{code}": text for code, text in q["label"].items()},
            **{f"help_{code}": text for code, text in q.get("help", {}).items()},
        )
        for i, q in enumerate(data.QUESTIONS)
    )
    call = call_transition(actor=organiser, call=call, to=CallStatus.PUBLISHED)
    log(f"Open call “{call.title_en}” published; applications until {closes_at:%Y-%m-%d %H:%M}.")
    return call


def _load(log: Callable[[str], None], *, monitoring: bool = True) -> DemoReport:
    organiser = _user("organiser", "Жанар Тұрсынова")
    with clock.replay(data.at("2021-08-20T10:00")):
        organisers = [_organisation(organiser, org) for org in data.ORGANISERS]
    with clock.replay(data.at("2021-08-25T11:00")):
        call = call_create(
            actor=organiser,
            slug=data.CALL_SLUG,
            title=data.CALL["title"],
            aim=data.CALL["aim"],
            description=data.CALL["description"],
            opens_at=data.CALL["opens_at"],
            closes_at=data.CALL["closes_at"],
            review_ends_at=data.CALL["review_ends_at"],
            results_at=data.CALL["results_at"],
            co_organisers=organisers,
            criteria=[CriterionSpec(**c) for c in data.CRITERIA],
            eligible_org_types=data.CALL["eligible_org_types"],
            prizes=data.CALL["prizes"],
        )
    with clock.replay(data.at("2021-08-30T09:00")):
        # The rules of the result, fixed and shown on the call page before anyone scores.
        first_criterion = call.criteria.order_by("position", "pk").first()
        assert first_criterion is not None  # noqa: S101  # the seed call has criteria
        result_rules_update(
            actor=organiser,
            call=call,
            calibration="zscore",
            decides="raw",
            tie_break=[f"criterion:{first_criterion.pk}", "vote", "lot"],
            lottery_value=data.LOTTERY_VALUE,
            bootstrap_seed=20210830,
        )
        call = call_transition(actor=organiser, call=call, to=CallStatus.PUBLISHED)
    log(f"Call “{call.title_en}” created and published.")

    orgs = {org.key: org for org in data.APPLICANTS}
    applications: list[Application] = []
    for index, project in enumerate(data.PROJECTS):
        when = data.at("2021-09-03T10:00") + timedelta(days=index * 2, hours=index % 5)
        with clock.replay(when):
            applicant = _user(f"applicant-{project.org}", "", project.language)
            organisation = _organisation(applicant, orgs[project.org])
            application = application_create(
                actor=applicant,
                call=call,
                organisation=organisation,
                language=project.language,
                beneficiaries_count=project.beneficiaries,
                requested_amount=project.requested,
                **{f"title_{k}": v for k, v in project.title.items()},
                **{f"summary_{k}": v for k, v in (project.summary or project.goal).items()},
                **{f"target_group_{k}": v for k, v in project.target_group.items()},
                **{f"goal_{k}": v for k, v in project.goal.items()},
                **data.plan_texts(project),
            )
            application = application_save_budget(
                actor=applicant,
                application=application,
                version=application.version,
                lines=[
                    {
                        "item": data.BUDGET_ITEM[project.language],
                        "quantity": 1,
                        "unit_cost": project.requested,
                    }
                ],
            )
            applications.append(application_submit(actor=applicant, application=application))
    log(f"{len(applications)} applications submitted.")

    with clock.replay(data.CALL["closes_at"]):
        call = call_transition(actor=organiser, call=call, to=CallStatus.CLOSED)
    with clock.replay(data.at("2021-10-04T10:00")):
        for application in applications:
            for status in (ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE):
                application = application_transition(
                    actor=organiser, application=application, to=status
                )
        experts = [
            _user(local, name, "ru" if index % 3 == 2 else "kk")
            for index, (local, name, _severity, _chair) in enumerate(data.EXPERTS)
        ]
        for user, (_local, _name, _severity, chair) in zip(experts, data.EXPERTS, strict=True):
            expert_seat(actor=organiser, call=call, user=user, is_commission=True, is_chair=chair)
        # A city contest: the whole commission scores every project.
        review_plan_update(
            actor=organiser, call=call, mode=AssignmentMode.EVERYONE, quorum=len(experts) // 2 + 1
        )
        call = call_transition(actor=organiser, call=call, to=CallStatus.IN_REVIEW)
        for application in applications:
            application_transition(
                actor=organiser, application=application, to=ApplicationStatus.IN_REVIEW
            )
        assignment_everyone(actor=organiser, call=call)
    log(f"Commission of {len(experts)} experts formed; each scores every project.")

    criteria = list(call.criteria.all())
    reviews = 0
    for e_index, expert in enumerate(experts):
        for p_index, application in enumerate(applications):
            when = data.at("2021-10-05T09:00") + timedelta(days=e_index, minutes=p_index * 20)
            with clock.replay(when):
                declaration_make(actor=expert, application=application, conflict=False)
                review_submit(
                    actor=expert,
                    application=application,
                    scores={
                        c.pk: expert_score(p_index, e_index, c_index)
                        for c_index, c in enumerate(criteria)
                    },
                )
            reviews += 1
    log(f"{reviews} reviews submitted.")

    with clock.replay(data.at("2021-10-21T15:00")):
        ranking_compute(actor=organiser, call=call)
    _decide(call, experts)
    with clock.replay(data.CALL["results_at"]):
        call = results_publish(actor=organiser, call=call)
    log("Ranking computed, confirmed by the commission's vote and results published.")
    # After the award: the winners' agreements, prizes paid and final reports (2021–2022).
    if monitoring:
        load_monitoring(call, organiser, log)
    return DemoReport(created=True, call=call, applications=len(applications), reviews=reviews)


def _decide(call: Call, experts: list[Any]) -> None:
    """The commission's sitting: the chair opens it, everyone attends and votes for."""
    chair = experts[0]
    with clock.replay(data.at("2021-10-22T10:00")):
        session = session_open(actor=chair, call=call)
        for member in experts[1:]:
            attendance_confirm(actor=member, session=session)
    with clock.replay(data.at("2021-10-22T10:30")):
        motion = motion_open(actor=chair, session=session)
        for member in experts:
            ballot_cast(actor=member, motion=motion, choice=Choice.FOR)
        motion_close(actor=chair, motion=motion)
        session_close(actor=chair, session=session)

"""factory_boy factories and small builders for a call in any state."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus, BudgetLine
from baiqau.calls.models import Call, CallOrganiser, CallStatus, Criterion, Prize
from baiqau.domain.identifiers import check_digit
from baiqau.organisations.models import Membership, Organisation, OrganisationType
from baiqau.review.models import Expert, Review, ReviewStatus, Score

_serial = itertools.count(1)


def next_bin() -> str:
    """A fresh valid BIN (registered in January 2010, serial from a counter)."""
    while True:
        first11 = f"1001400{next(_serial):04d}"
        digit = check_digit(first11)
        if digit is not None:
            return first11 + str(digit)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Faker("name")
    password = factory.django.Password("pw-test-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    bin = factory.LazyFunction(next_bin)
    org_type = OrganisationType.NGO
    name_kk = factory.Sequence(lambda n: f"Ұйым {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    slug = factory.Sequence(lambda n: f"call-{n}")
    title_kk = factory.Sequence(lambda n: f"Байқау {n}")
    title_ru = factory.Sequence(lambda n: f"Конкурс {n}")
    title_en = factory.Sequence(lambda n: f"Call {n}")
    aim_kk = "Мақсаты"
    aim_ru = "Цель"
    aim_en = "Aim"
    status = CallStatus.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    review_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    results_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def add_criteria(call: Call, weights=(40, 30, 30), scale=(0, 10)) -> list[Criterion]:
    return [
        Criterion.objects.create(
            call=call,
            position=i,
            name_kk=f"Өлшем {i + 1}",
            name_ru=f"Критерий {i + 1}",
            name_en=f"Criterion {i + 1}",
            weight=Decimal(w),
            min_score=scale[0],
            max_score=scale[1],
        )
        for i, w in enumerate(weights)
    ]


def add_prizes(call: Call, amounts=(1_000_000, 700_000, 500_000)) -> None:
    Prize.objects.bulk_create(Prize(call=call, place=i, amount=a) for i, a in enumerate(amounts, 1))


def add_organisers(call: Call, count: int = 2) -> None:
    for i in range(count):
        CallOrganiser.objects.create(call=call, organisation=OrganisationFactory(), position=i)


def call_in_review_with_scores(score_rows: list[list[int]], *, expert_users=None) -> Call:
    """A call in review whose applications carry the given submitted scores.

    `score_rows[i]` is the flat list of one application's scores: for each expert in turn,
    one score per criterion (three criteria, 40/30/30, scale 0–10).
    """
    call = CallFactory(status=CallStatus.IN_REVIEW)
    add_organisers(call)
    add_prizes(call)
    criteria = add_criteria(call)
    per_expert = len(criteria)
    n_experts = len(score_rows[0]) // per_expert
    users = expert_users or [UserFactory() for _ in range(n_experts)]
    experts = [Expert.objects.create(call=call, user=u, is_commission=True) for u in users]
    for i, row in enumerate(score_rows):
        application = Application.objects.create(
            call=call,
            organisation=OrganisationFactory(),
            title_kk=f"Жоба {i}",
            title_ru=f"Проект {i}",
            title_en=f"Project {i}",
            status=ApplicationStatus.IN_REVIEW,
            submitted_at=timezone.now(),
        )
        for e, expert in enumerate(experts):
            review = Review.objects.create(
                application=application, expert=expert, status=ReviewStatus.SUBMITTED
            )
            Score.objects.bulk_create(
                Score(review=review, criterion=c, value=row[e * per_expert + k])
                for k, c in enumerate(criteria)
            )
    return call


def member_of(user, organisation=None, role="owner") -> Organisation:
    organisation = organisation or OrganisationFactory()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return organisation


COMPLETE_FIELDS = {
    "title_kk": "Жоба",
    "summary_kk": "Қысқаша сипаттама",
    "target_group_kk": "Мүгедектігі бар адамдар",
    "goal_kk": "Мақсат",
    "problem": "Мәселе",
    "planned_activities": "Іс-шаралар",
    "expected_results": "Нәтижелер",
    "beneficiaries_count": 40,
}


def complete_draft(call, user, organisation=None, **overrides) -> Application:
    """A draft with every required part filled in, by a member of its organisation."""
    from baiqau.applications.services import application_create

    organisation = member_of(user, organisation)
    fields = {**COMPLETE_FIELDS, **overrides}
    application = application_create(
        actor=user, call=call, organisation=organisation, language="kk", **fields
    )
    BudgetLine.objects.create(
        application=application, item="Жалға алу", quantity=2, unit_cost=250_000
    )
    application.requested_amount = 500_000
    application.save(update_fields=["requested_amount"])
    return application


def grant(call, user, role="organiser"):
    from baiqau.calls.models import CallRole

    CallRole.objects.update_or_create(call=call, user=user, defaults={"role": role})
    return user


def confirm_by_vote(call: Call):
    """The commission confirms the current ranking through a real decision session: the first
    expert chairs, the commission is made odd, everyone attends and votes for."""
    from baiqau.results.models import Choice
    from baiqau.results.services import decision

    experts = list(Expert.objects.filter(call=call, is_commission=True).order_by("pk"))
    if len(experts) % 2 == 0:
        Expert.objects.filter(pk=experts.pop().pk).update(is_commission=False)
    Expert.objects.filter(pk=experts[0].pk).update(is_chair=True)
    chair = experts[0].user
    session = decision.session_open(actor=chair, call=call)
    for expert in experts[1:]:
        decision.attendance_confirm(actor=expert.user, session=session)
    motion = decision.motion_open(actor=chair, session=session)
    for expert in experts:
        decision.ballot_cast(actor=expert.user, motion=motion, choice=Choice.FOR)
    decision.motion_close(actor=chair, motion=motion)
    decision.session_close(actor=chair, session=session)
    return motion

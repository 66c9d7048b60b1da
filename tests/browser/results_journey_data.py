"""The starting data of the results journey (test_results_journey.py): a call in review whose
three-member commission scored five applications, with Kazakh titles and names that use every
letter of the Kazakh alphabet beyond Russian's (ә ғ қ ң ө ұ ү һ і).

The result rules are set through the service while the call is still closed, so the lottery
value is on record (in the audit log) before the call goes to review: tie-break by the first
criterion, then the commission's vote, then a verifiable draw. Z-score calibration is shown
beside the raw score, which decides. Two applications tie exactly on the total (72 of 100)
and differ on the first criterion, so the tie is broken by it and nothing is left to the vote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

SLUG = "onir-bastamalary-2026"
KAZAKH_LETTERS = "әғқңөұүһі"
CALL_TITLE = {
    "kk": "Өңірдегі қоғамдық бастамалар: ұлағатты іс, жаңа үміт һәм өзгеріс",
    "ru": "Общественные инициативы региона",
    "en": "Civic initiatives of the region",
}
LOTTERY_VALUE = "KASE индексі 2026-01-05 жабылуы: 5 312,44"
# The call's organisers (their names open the protocol's first page).
ORGANISERS = [
    {"kk": "«Жаңа өңір» қоғамдық қоры", "ru": "Общественный фонд «Жана онир»", "en": "Jana Onir"},
    {
        "kk": "Ұлытау облысының жастар саясаты басқармасы",
        "ru": "Управление молодёжной политики области Улытау",
        "en": "Youth Policy Department of Ulytau Region",
    },
]
CRITERIA = [
    {"kk": "Әлеуметтік маңыздылығы", "ru": "Социальная значимость", "en": "Social significance"},
    {"kk": "Іске асыру жоспары", "ru": "План реализации", "en": "Implementation plan"},
    {"kk": "Бюджеттің негізділігі", "ru": "Обоснованность бюджета", "en": "Sound budget"},
]
WEIGHTS = (40, 30, 30)
# Per application: title, organisation (kk/ru/en) and the panel's scores per criterion.
# Totals out of 100: 91, 72, 72 (a tie the first criterion breaks: 9 beats 6), 57, 33.
APPLICATIONS = [
    {
        "title": {
            "kk": "Ауыл балаларына арналған ғылым үйірмесі",
            "ru": "Научный кружок для сельских детей",
            "en": "A science club for village children",
        },
        "organisation": {"kk": "«Білім һәм өнер» бірлестігі", "ru": "«Билим и онер»", "en": "BO"},
        "scores": (10, 9, 8),
    },
    {
        "title": {
            "kk": "Қарттарға көмек: үйге қызмет көрсету",
            "ru": "Помощь пожилым на дому",
            "en": "Help at home for the elderly",
        },
        "organisation": {"kk": "«Қамқорлық» қоры", "ru": "Фонд «Камкорлык»", "en": "Kamkorlyk"},
        "scores": (9, 6, 6),
    },
    {
        "title": {
            "kk": "Мүмкіндігі шектеулі жастарға кәсіптік оқу",
            "ru": "Профобучение для молодёжи с инвалидностью",
            "en": "Vocational training for young people with disabilities",
        },
        "organisation": {"kk": "«Үміт жолы» ұйымы", "ru": "«Умит жолы»", "en": "Umit Zholy"},
        "scores": (6, 10, 6),
    },
    {
        "title": {
            "kk": "Өзен жағасын тазарту акциясы",
            "ru": "Очистка берега реки",
            "en": "Cleaning the river bank",
        },
        "organisation": {"kk": "«Таза өзен» клубы", "ru": "Клуб «Таза озен»", "en": "Taza Ozen"},
        "scores": (6, 6, 5),
    },
    {
        "title": {
            "kk": "Көше шамдарын жөндеу",
            "ru": "Ремонт уличных фонарей",
            "en": "Repairing street lights",
        },
        "organisation": {"kk": "«Жарық көше» тобы", "ru": "Группа «Жарык коше»", "en": "JK"},
        "scores": (3, 4, 3),
    },
]
# Each expert's constant offset on the third criterion: they differ in severity (the z-score
# calibration has something to show) but not on the raw panel mean, so the tie stays exact.
OFFSETS = (0, 1, -1)
COMMENT_FOR_APPLICANT = "Жоспар нақты, бірақ бюджетті түсіндіру керек."

ORGANISER = {"email": "nurlan.organiser@onir.example", "name": "Нұрлан Жаңабаев", "lang": "kk"}
CHAIR = {"email": "aliya.chair@onir.example", "name": "Әлия Қайратқызы", "lang": "kk"}
MEMBER_RU = {"email": "gani.member@onir.example", "name": "Ғани Өмірұлы", "lang": "ru"}
MEMBER_EN = {"email": "hadiya.member@onir.example", "name": "Һадия Үсенова", "lang": "en"}
COMMISSION = (CHAIR, MEMBER_RU, MEMBER_EN)


@dataclass
class Journey:
    call: Any
    organiser: Any
    commission: list[Any]  # users: the chair first
    applications: list[Any]  # in the order of APPLICATIONS
    criteria: list[Any]


def build_call(organiser: Any, commission: list[Any]) -> Journey:
    """The call, its rules (set while closed), then review: every commission member scored
    every application. `commission` are the users, the chair first."""
    from baiqau.applications.models import Application, ApplicationStatus, BudgetLine
    from baiqau.calls.models import CallOrganiser, CallStatus, Criterion
    from baiqau.calls.services import call_transition
    from baiqau.results.services import result_rules_update
    from baiqau.review.models import Expert, Review, ReviewStatus, Score
    from tests.factories import CallFactory, OrganisationFactory, add_prizes, grant

    now = timezone.now()
    call = CallFactory(
        slug=SLUG,
        status=CallStatus.CLOSED,
        **{f"title_{code}": text for code, text in CALL_TITLE.items()},
        aim_kk="Өңірдегі азаматтық бастамаларды қолдау.",
        aim_ru="Поддержка гражданских инициатив региона.",
        aim_en="To support the region's civic initiatives.",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        review_ends_at=now + timedelta(days=5),
        results_at=now + timedelta(days=15),
    )
    for position, names in enumerate(ORGANISERS):
        organisation = OrganisationFactory(**{f"name_{c}": t for c, t in names.items()})
        CallOrganiser.objects.create(call=call, organisation=organisation, position=position)
    grant(call, organiser, "organiser")
    add_prizes(call)
    criteria = [
        Criterion.objects.create(
            call=call,
            position=i,
            **{f"name_{c}": t for c, t in names.items()},
            weight=Decimal(weight),
            min_score=0,
            max_score=10,
        )
        for i, (names, weight) in enumerate(zip(CRITERIA, WEIGHTS, strict=True))
    ]
    # The rules, the lottery value among them, are fixed before the call goes to review.
    result_rules_update(
        actor=organiser,
        call=call,
        tie_break=[f"criterion:{criteria[0].pk}", "vote", "lot"],
        lottery_value=LOTTERY_VALUE,
        calibration="zscore",
        resamples=200,
        bootstrap_seed=20260105,
    )
    call = call_transition(actor=organiser, call=call, to=CallStatus.IN_REVIEW)

    roles = ["chair"] + ["member"] * (len(commission) - 1)
    seats = []
    for user, role in zip(commission, roles, strict=True):
        grant(call, user, role)
        seats.append(
            Expert.objects.create(
                call=call, user=user, is_commission=True, is_chair=role == "chair"
            )
        )
    applications = []
    for row in APPLICATIONS:
        organisation = OrganisationFactory(
            **{f"name_{c}": t for c, t in row["organisation"].items()}
        )
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            language="kk",
            **{f"title_{c}": t for c, t in row["title"].items()},
            goal_kk="Жергілікті қауымдастыққа нақты пайда әкелу.",
            status=ApplicationStatus.IN_REVIEW,
            submitted_at=now - timedelta(days=11),
            requested_amount=500_000,
        )
        BudgetLine.objects.create(
            application=application, item="Жабдық", quantity=2, unit_cost=250_000
        )
        for seat, offset in zip(seats, OFFSETS, strict=True):
            review = Review.objects.create(
                application=application,
                expert=seat,
                status=ReviewStatus.SUBMITTED,
                submitted_at=now - timedelta(days=3),
                comment_for_applicant=COMMENT_FOR_APPLICANT,
            )
            values = list(row["scores"])
            values[2] += offset
            Score.objects.bulk_create(
                Score(review=review, criterion=c, value=v)
                for c, v in zip(criteria, values, strict=True)
            )
        applications.append(application)
    return Journey(call, organiser, list(commission), applications, criteria)

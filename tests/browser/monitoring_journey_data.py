"""The starting data of the monitoring journey (test_monitoring_journey.py): a grant-pool call
whose results are published, with two funded projects.

Ours: «Өмір кілті» prepares young people with disabilities for independent living in a
training flat (600 000 ₸, its application written in Kazakh, three budget lines, 40 people
promised). The call's organiser has drafted its agreement with the default grant schedule
(a 60 % tranche, the interim report, a 40 % tranche paid once the interim report is accepted,
the final report); the journey offers it through the staff page.

The other project is further on: its agreement accepted, its interim report accepted (nine
people reached, by category) and its first tranche paid. The impact view's totals therefore
start from something, and the journey checks that ours add to them exactly.

The results are written directly (a ranking, its awards, the call published) rather than
computed, as in tests/monitoring/staff_builders.py: the journey is about what comes after the
award. Everything after the award goes through the real services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

SLUG = "omir-kilti-2026"
CALL_TITLE = {
    "kk": "Өз бетінше өмір: мүмкіндігі шектеулі жастарға қолдау",
    "ru": "Самостоятельная жизнь: поддержка молодёжи с инвалидностью",
    "en": "Independent living: support for young people with disabilities",
}
AMOUNT = 600_000
FIRST_TRANCHE = AMOUNT * 6 // 10  # 360 000 ₸, paid once the agreement is accepted
SECOND_TRANCHE = AMOUNT - FIRST_TRANCHE  # 240 000 ₸, once the interim report is accepted

OWNER = {"email": "asem.owner@omir-kilti.example", "name": "Әсем Төлеғалиқызы", "lang": "kk"}
ORGANISER = {"email": "oksana.organiser@qor.example", "name": "Оксана Ғалымжанова", "lang": "ru"}

PROJECT = {
    "organisation": {
        "kk": "«Өмір кілті» қоғамдық бірлестігі",
        "ru": "Общественное объединение «Омир килти»",
        "en": "Omir Kilti",
    },
    "title": {
        "kk": "Оқу пәтері: жастар өз бетінше өмір сүруге үйренеді",
        "ru": "Учебная квартира: молодые люди учатся жить самостоятельно",
        "en": "A training flat: young people learn to live on their own",
    },
    "goal": "Мүмкіндігі шектеулі 40 жасты өз бетінше өмір сүруге дайындау.",
    "summary": "Оқу пәтерінде жастар тамақ әзірлеуді, ақша санауды және көлікті үйренеді.",
    "beneficiaries": 40,
    # Budget lines (item, amount): they add up to the award.
    "budget": [("Пәтер жалдау", 300_000), ("Тәлімгер жалақысы", 200_000), ("Жиһаз", 100_000)],
}
OTHER = {
    "organisation": {"kk": "«Қамқор үй» қоры", "ru": "Фонд «Камкор уй»", "en": "Kamkor Ui"},
    "title": {
        "kk": "Қарттарға үйде көмек",
        "ru": "Помощь пожилым на дому",
        "en": "Help at home for older people",
    },
    "beneficiaries": 30,
}
# The other project's accepted interim report: nine people, counts by category only.
OTHER_REACHED = [
    {"age_group": "63+", "sex": "f", "disability": True, "disability_group": "1", "count": 4},
    {"age_group": "63+", "sex": "m", "disability": False, "disability_group": "", "count": 5},
]
OTHER_REACHED_TOTAL = sum(row["count"] for row in OTHER_REACHED)


@dataclass
class World:
    call: Any
    organiser: Any
    owner: Any
    agreement: Any  # ours, drafted
    other: Any  # the other project's agreement, further on


def _funded_application(call: Any, ranking: Any, rows: dict, owner: Any, place: int) -> Any:
    from baiqau.applications.models import Application, ApplicationStatus, BudgetLine
    from baiqau.organisations.models import Membership
    from baiqau.results.models import Award
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(**{f"name_{c}": t for c, t in rows["organisation"].items()})
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=owner,
        language="kk",
        **{f"title_{c}": t for c, t in rows["title"].items()},
        goal_kk=rows.get("goal", ""),
        summary_kk=rows.get("summary", ""),
        beneficiaries_count=rows["beneficiaries"],
        requested_amount=AMOUNT,
        status=ApplicationStatus.AWARDED,
        submitted_at=timezone.now() - timedelta(days=70),
    )
    budget = rows.get("budget") or [("Жабдық", AMOUNT)]
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, position=i, item=item, quantity=1, unit_cost=cost)
        for i, (item, cost) in enumerate(budget)
    )
    Award.objects.create(ranking=ranking, application=application, place=place, amount=AMOUNT)
    return application


def build_world(organiser: Any, owner: Any) -> World:
    """The call, its published results and the two agreements (see the module's docstring)."""
    from baiqau.calls.models import AwardScheme, CallOrganiser, CallStatus
    from baiqau.monitoring.models import ReportKind
    from baiqau.monitoring.services import (
        agreement_accept,
        agreement_create,
        agreement_offer,
        report_accept,
        report_save_draft,
        report_submit,
        tranche_approve,
        tranche_pay,
    )
    from baiqau.results.models import Ranking
    from tests.factories import CallFactory, OrganisationFactory, UserFactory, grant

    now = timezone.now()
    call = CallFactory(
        slug=SLUG,
        status=CallStatus.DECIDED,
        **{f"title_{code}": text for code, text in CALL_TITLE.items()},
        award_scheme=AwardScheme.POOL,
        pool_amount=AMOUNT * 2,
        max_per_project=AMOUNT,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        review_ends_at=now - timedelta(days=40),
        results_at=now - timedelta(days=30),
        results_published_at=now - timedelta(days=20),
    )
    CallOrganiser.objects.create(
        call=call,
        organisation=OrganisationFactory(
            name_kk="«Жаңа қадам» қоры", name_ru="Фонд «Жана кадам»", name_en="Jana Qadam"
        ),
        position=0,
    )
    grant(call, organiser, "organiser")
    ranking = Ranking.objects.create(
        call=call,
        method="mean",
        award_rule=AwardScheme.POOL,
        computed_at=now - timedelta(days=25),
        confirmed_at=now - timedelta(days=22),
    )
    ours = _funded_application(call, ranking, PROJECT, owner, place=1)
    other_owner = UserFactory(full_name="Гүлнар Сейітова", preferred_language="kk")
    theirs = _funded_application(call, ranking, OTHER, other_owner, place=2)

    agreement = agreement_create(actor=organiser, application=ours)

    # The other project: accepted, its interim report accepted, its first tranche paid.
    other = agreement_create(actor=organiser, application=theirs)
    agreement_offer(actor=organiser, agreement=other)
    agreement_accept(actor=other_owner, agreement=other)
    interim = other.reports.get(kind=ReportKind.INTERIM)
    data = {
        "done": "Он екі қарт адамға үйде күтім көрсетілді.",
        "changed": "Қарттар дәрігерге уақытында барады.",
        "difficulties": "",
        "indicators": {str(i.pk): str(OTHER_REACHED_TOTAL) for i in other.indicators.all()},
        "beneficiaries": OTHER_REACHED,
        "spending": {
            str(line.pk): {"spent": line.requested, "explanation": ""}
            for line in theirs.budget_lines.all()
        },
    }
    interim = report_save_draft(actor=other_owner, report=interim, data=data)
    report_submit(actor=other_owner, report=interim)
    report_accept(actor=organiser, report=interim)
    first = other.tranches.get(position=0)
    tranche_approve(actor=organiser, tranche=first)
    tranche_pay(
        actor=organiser,
        tranche=first,
        paid_on=timezone.localdate() - timedelta(days=5),
        reference="ПП-0417",
    )
    return World(call=call, organiser=organiser, owner=owner, agreement=agreement, other=other)

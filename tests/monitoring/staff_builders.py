"""Builders for the tests of the staff's monitoring pages: a grant call whose published results
award `n` applications, the call's staff (one person per role), an owner per funded
organisation, and the steps of an agreement's life through the real services.

The results are written directly (a ranking, its awards, the call published) rather than
computed: these tests are about what happens after the award, and a real ranking would cost
seconds per test.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from baiqau.applications.models import Application, ApplicationStatus, BudgetLine
from baiqau.calls.models import AwardScheme, Call, CallStatus
from baiqau.monitoring.models import Agreement, Report, ReportKind
from baiqau.monitoring.services import (
    agreement_accept,
    agreement_create,
    agreement_offer,
    report_save_draft,
    report_submit,
)
from baiqau.organisations.models import Membership
from baiqau.results.models import Award, Ranking
from tests.factories import CallFactory, OrganisationFactory, UserFactory, grant

AMOUNT = 600_000
ROLES = ("organiser", "secretary", "chair", "member", "observer")
PERSONAS = ("anonymous", "owner", *ROLES, "other_staff")


def _png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (white pixels), so the content check and any image reader accept it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()


@pytest.fixture
def no_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


@dataclass
class World:
    call: Call
    applications: list[Application]
    owners: list[Any]
    people: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return self.people.get(persona)

    @property
    def organiser(self) -> Any:
        return self.people["organiser"]

    @property
    def owner(self) -> Any:
        return self.owners[0]


def funded_call(
    n: int = 1, *, scheme: str = AwardScheme.POOL, budget_lines: int = 2, slug: str = ""
) -> World:
    """A decided call with published results awarding `n` applications (600 000 ₸ each)."""
    now = timezone.now()
    extra = {"slug": slug} if slug else {}
    call = CallFactory(
        status=CallStatus.DECIDED,
        award_scheme=scheme,
        pool_amount=AMOUNT * n if scheme == AwardScheme.POOL else None,
        max_per_project=AMOUNT,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        review_ends_at=now - timedelta(days=40),
        results_at=now - timedelta(days=30),
        results_published_at=now - timedelta(days=20),
        **extra,
    )
    ranking = Ranking.objects.create(
        call=call,
        method="mean",
        award_rule=scheme,
        computed_at=now - timedelta(days=25),
        confirmed_at=now - timedelta(days=22),
    )
    applications, owners = [], []
    for i in range(n):
        owner = UserFactory(full_name=f"Owner {i}", preferred_language="en")
        organisation = OrganisationFactory()
        Membership.objects.create(organisation=organisation, user=owner, role="owner")
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            created_by=owner,
            language="kk",
            title_kk=f"Жоба {i}",
            title_ru=f"Проект {i}",
            title_en=f"Project {i}",
            summary_kk="Қысқаша",
            goal_kk="Өз бетінше өмір сүруге дайындау",
            beneficiaries_count=40,
            requested_amount=AMOUNT,
            status=ApplicationStatus.AWARDED,
            submitted_at=now - timedelta(days=70),
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                position=k,
                item=f"Line {k}",
                quantity=1,
                unit_cost=AMOUNT // budget_lines,
            )
            for k in range(budget_lines)
        )
        Award.objects.create(ranking=ranking, application=application, place=i + 1, amount=AMOUNT)
        applications.append(application)
        owners.append(owner)
    world = World(call=call, applications=applications, owners=owners)
    world.people["anonymous"] = None
    world.people["owner"] = owners[0]
    for role in ROLES:
        world.people[role] = grant(
            call, UserFactory(full_name=role.title(), preferred_language="en"), role
        )
    other = CallFactory()
    world.people["other_staff"] = grant(other, UserFactory(full_name="Other Organiser"))
    return world


# --- An agreement's life -----------------------------------------------------------------------


def drafted(world: World, i: int = 0) -> Agreement:
    return agreement_create(actor=world.organiser, application=world.applications[i])


def offered(world: World, i: int = 0) -> Agreement:
    return agreement_offer(actor=world.organiser, agreement=drafted(world, i))


def accepted(world: World, i: int = 0) -> Agreement:
    return agreement_accept(actor=world.owners[i], agreement=offered(world, i))


def report_of(agreement: Agreement, kind: str = ReportKind.INTERIM) -> Report:
    return Report.objects.select_related("agreement").get(agreement=agreement, kind=kind)


def complete_report_data(report: Report, *, categories: int = 2, spent_delta: int = 0) -> dict:
    """A draft the service accepts: values for every indicator, `categories` beneficiary
    categories, and every budget line (the first over- or underspent by `spent_delta`, with
    an explanation)."""
    agreement = report.agreement
    groups = [
        (age, sex, disability, group)
        for age in ("0-17", "18-34", "35-62", "63+")
        for sex in ("f", "m")
        for disability, group in ((True, "2"), (False, ""))
    ]
    lines = list(agreement.application.budget_lines.order_by("position", "pk"))
    return {
        "done": "Тренингтер өтті",
        "changed": "12 жас өз бетінше тұра бастады",
        "difficulties": "",
        "indicators": {str(i.pk): "12" for i in agreement.indicators.all()},
        "beneficiaries": [
            {"age_group": a, "sex": s, "disability": d, "disability_group": g, "count": 3}
            for a, s, d, g in groups[:categories]
        ],
        "spending": {
            str(line.pk): {
                "spent": line.requested + (spent_delta if n == 0 else 0),
                "explanation": "Бағасы өзгерді" if n == 0 and spent_delta else "",
            }
            for n, line in enumerate(lines)
        },
    }


def submit(report: Report, owner: Any, **data: Any) -> Any:
    """The organisation writes the report and submits it (through the services)."""
    report = Report.objects.get(pk=report.pk)
    report = report_save_draft(
        actor=owner, report=report, data=complete_report_data(report, **data)
    )
    return report_submit(actor=owner, report=report)


def url(call: Call, name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs={"slug": call.slug, **kwargs})

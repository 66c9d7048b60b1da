"""The staff's monitoring pages cost a fixed number of queries whatever the number of rows: the
same count is expected for 1 and for 10 awards, schedule lines, visits, versions, categories,
budget lines and files."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.monitoring.models import ReportKind
from baiqau.monitoring.services import (
    IndicatorSpec,
    ReportSpec,
    TrancheSpec,
    agreement_accept,
    agreement_offer,
    agreement_update,
    report_file_add,
    report_return,
    tranche_approve,
    tranche_pay,
    tranche_withhold,
    visit_record,
)
from tests.monitoring.staff_builders import (
    AMOUNT,
    PNG,
    accepted,
    drafted,
    funded_call,
    no_mfa,
    report_of,
    submit,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa")]
__all__ = ["no_mfa"]

SIZES = [1, 10]


def count(client, user, target: str, params=None, *, shows: tuple[str, int] = ("", 0)) -> int:
    """The queries of one page view; `shows` is a text the page must hold so many times."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target, params or {})
    assert response.status_code == 200
    if shows[0]:
        assert response.content.decode().count(shows[0]) == shows[1]
    return len(captured)


# Session, user, the role with its call; the header's unread notifications, workspace and
# expert links: the workspace's fixed cost (6). Then each page's own reads.


@pytest.mark.parametrize("size", SIZES)
def test_the_agreements_list_costs_the_same_for_1_or_10_awards(client, size):
    world = funded_call(size + 1)
    organiser, today = world.organiser, timezone.localdate()
    for i in range(size):
        agreement = accepted(world, i)
        first, second = agreement.tranches.all()
        tranche_approve(actor=organiser, tranche=first)
        tranche_pay(actor=organiser, tranche=first, paid_on=today, reference=f"PP-{i}")
        tranche_withhold(actor=organiser, tranche=second, reason="Late")
        report_of(agreement).__class__.objects.filter(agreement=agreement).update(
            due_date=today - timedelta(days=1)
        )
    # The last award has no agreement yet.
    # count, page of awards with their agreements and money, awarded total, tranche totals
    overdue = ("Overdue: 2 reports", size)
    assert count(client, organiser, url(world.call, "agreements"), shows=overdue) == 10
    target = url(world.call, "agreements")
    assert count(client, organiser, target, {"q": "Project"}, shows=overdue) == 10


def _large_schedule(world, size: int):
    agreement = drafted(world)
    today = timezone.localdate()
    amounts = [AMOUNT // size] * size
    amounts[-1] += AMOUNT - sum(amounts)
    agreement_update(
        actor=world.organiser,
        agreement=agreement,
        purpose="Дайындау",
        summary_public="",
        indicators=[
            IndicatorSpec(f"Indicator {n}", "people", Decimal(0), Decimal(10)) for n in range(size)
        ],
        reports=[
            ReportSpec(
                ReportKind.FINAL if n == size - 1 else ReportKind.INTERIM,
                today + timedelta(days=30 * (n + 1)),
            )
            for n in range(size)
        ],
        tranches=[
            TrancheSpec(amount, today + timedelta(days=30 * n), condition=n if n else None)
            for n, amount in enumerate(amounts)
        ],
    )
    return agreement


@pytest.mark.parametrize("size", SIZES)
def test_the_draft_agreement_page_costs_the_same_for_1_or_10_lines(client, size):
    world = funded_call(1)
    agreement = _large_schedule(world, size)
    # agreement, indicators, reports, tranches, visits
    target = url(world.call, "agreement", pk=agreement.pk)
    # 3 fields and a checkbox per line, an empty line, the management form's 4 fields
    lines = ('name="tranches-', 4 * (size + 1) + 4)
    assert count(client, world.organiser, target, shows=lines) == 11


@pytest.mark.parametrize("size", SIZES)
def test_the_agreement_page_costs_the_same_for_1_or_10_lines_and_visits(client, size):
    world = funded_call(1)
    agreement = _large_schedule(world, size)
    agreement = agreement_offer(actor=world.organiser, agreement=agreement)
    agreement = agreement_accept(actor=world.owner, agreement=agreement)
    for n in range(size):
        visit_record(
            actor=world.organiser,
            agreement=agreement,
            visited_on=timezone.localdate() - timedelta(days=n),
            visitors="Secretariat",
            findings="Going well",
            photos=[SimpleUploadedFile("room.png", PNG, content_type="image/png")],
        )
    target = url(world.call, "agreement", pk=agreement.pk)
    # agreement, indicators, reports, tranches, visits, their photos
    assert count(client, world.organiser, target, shows=("Visit on", size)) == 12
    assert count(client, world.user("chair"), target, shows=("room.png", size)) == 12


@pytest.mark.parametrize("size", SIZES)
def test_the_report_review_costs_the_same_for_1_or_10_rows(client, size):
    world = funded_call(1, budget_lines=size)
    agreement = accepted(world)
    report = report_of(agreement)
    for n in range(size):
        report_file_add(
            actor=world.owner,
            report=report,
            upload=SimpleUploadedFile(f"photo{n}.png", PNG, content_type="image/png"),
        )
    for _ in range(size - 1):
        submit(report, world.owner, categories=size)
        report_return(actor=world.organiser, report=report, comment="Revise")
    submit(report, world.owner, categories=size)
    target = url(world.call, "report_review", pk=agreement.pk, report_pk=report.pk)
    # agreement, report, versions with their reviews; of the version shown: indicator values,
    # indicators, spending, budget lines, beneficiary counts, files
    assert count(client, world.organiser, target, shows=("photo", size)) == 15
    assert (
        count(
            client, world.organiser, target, {"version": "1"}, shows=("<option", size * (size > 1))
        )
        == 15
    )

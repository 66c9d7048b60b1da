"""Who may open each staff monitoring page and make each change: every persona × every page and
action, with the exact status expected.

Anonymous people are sent to log in. The organisers and the secretariat see and act; the
commission's chair and members see the pages read-only, and their changes are a 404 as for
anyone without the role; observers, the funded organisation's owner and the staff of another
call get a 404 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from baiqau.monitoring.models import Agreement, ReportKind, ReportStatus
from baiqau.monitoring.services import (
    agreement_close,
    report_accept,
    report_file_add,
    tranche_approve,
    tranche_pay,
    tranche_withhold,
    visit_record,
)
from tests.monitoring.staff_builders import (
    PERSONAS,
    PNG,
    World,
    accepted,
    drafted,
    funded_call,
    no_mfa,
    offered,
    report_of,
    submit,
    url,
)

pytestmark = pytest.mark.django_db
__all__ = ["no_mfa"]

OK, MOVED, INVALID, MISSING = 200, 302, 400, 404
VIEWERS = {"organiser", "secretary", "chair", "member"}
ACTORS = {"organiser", "secretary"}


def expect(allowed: set[str], status: int) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED
    table.update(dict.fromkeys(allowed, status))
    return table


# Each preparation builds the state a page needs and returns the URL's keyword arguments and
# the form data to post.
Prepared = tuple[dict[str, Any], dict[str, Any]]


def with_award(world: World) -> Prepared:
    return {"application_pk": world.applications[0].pk}, {}


def with_draft(world: World) -> Prepared:
    agreement = drafted(world)
    tranches = list(agreement.tranches.all())
    reports = list(agreement.reports.all())
    data = {
        "purpose": "Дайындау",
        "summary_public": "",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-name": "People reached",
        "indicators-0-unit": "people",
        "indicators-0-baseline": "0",
        "indicators-0-target": "40",
        "reports-TOTAL_FORMS": str(len(reports)),
        "reports-INITIAL_FORMS": str(len(reports)),
        "tranches-TOTAL_FORMS": str(len(tranches)),
        "tranches-INITIAL_FORMS": str(len(tranches)),
    }
    for n, report in enumerate(reports):
        data[f"reports-{n}-kind"] = report.kind
        data[f"reports-{n}-due_date"] = report.due_date.isoformat()
    for n, tranche in enumerate(tranches):
        data[f"tranches-{n}-amount"] = str(tranche.amount)
        data[f"tranches-{n}-planned_date"] = tranche.planned_date.isoformat()
    return {"pk": agreement.pk}, data


def with_offer(world: World) -> Prepared:
    return {"pk": offered(world).pk}, {"reason": "The amount was wrong"}


def with_accepted(world: World) -> Prepared:
    return {"pk": accepted(world).pk}, {}


def _closed(world: World) -> Agreement:
    agreement = accepted(world)
    organiser, today = world.organiser, timezone.localdate()
    for report in agreement.reports.all():
        submit(report, world.owner)
        report_accept(actor=organiser, report=report)
    for tranche in agreement.tranches.all():
        tranche_approve(actor=organiser, tranche=tranche)
        tranche_pay(actor=organiser, tranche=tranche, paid_on=today, reference="PP")
    return agreement_close(actor=organiser, agreement=agreement)


def with_closed(world: World) -> Prepared:
    return {"pk": _closed(world).pk}, {"reason": "A receipt was forged"}


def with_tranche(status: str) -> Callable[[World], Prepared]:
    def prepare(world: World) -> Prepared:
        agreement = accepted(world)
        tranche = agreement.tranches.get(position=0)
        if status == "approved":
            tranche_approve(actor=world.organiser, tranche=tranche)
        if status == "withheld":
            tranche_withhold(actor=world.organiser, tranche=tranche, reason="Late")
        data = {
            "paid_on": timezone.localdate().isoformat(),
            "reference": "PP-1",
            "reason": "A reason",
        }
        return {"pk": agreement.pk, "tranche_pk": tranche.pk}, data

    return prepare


def with_visit_form(world: World) -> Prepared:
    data = {
        "visited_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "visitors": "Secretariat",
        "findings": "Going well",
    }
    return {"pk": accepted(world).pk}, data


def with_visit_photo(world: World) -> Prepared:
    agreement = accepted(world)
    visit = visit_record(
        actor=world.organiser,
        agreement=agreement,
        visited_on=timezone.localdate(),
        visitors="Secretariat",
        findings="Going well",
        photos=[SimpleUploadedFile("room.png", PNG, content_type="image/png")],
    )
    photo = visit.photos.get()
    return {"pk": agreement.pk, "visit_pk": visit.pk, "photo_pk": photo.pk}, {}


def with_report(status: str) -> Callable[[World], Prepared]:
    def prepare(world: World) -> Prepared:
        agreement = accepted(world)
        report = report_of(agreement, ReportKind.FINAL)
        if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            submit(report, world.owner)
        if status == ReportStatus.ACCEPTED:
            report_accept(actor=world.organiser, report=report)
        data = {
            "accept-comment": "Thank you",
            "return-comment": "Revise please",
            "reopen-reason": "Wrong figures",
        }
        return {"pk": agreement.pk, "report_pk": report.pk}, data

    return prepare


def with_report_file(world: World) -> Prepared:
    agreement = accepted(world)
    report = report_of(agreement, ReportKind.FINAL)
    stored = report_file_add(
        actor=world.owner,
        report=report,
        upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    submit(report, world.owner)
    return {"pk": agreement.pk, "report_pk": report.pk, "file_pk": stored.pk}, {}


Case = tuple[str, str, str, Callable[[World], Prepared], dict[str, int]]

CASES: list[Case] = [
    ("agreements", "get", "agreements", lambda w: ({}, {}), expect(VIEWERS, OK)),
    ("draft", "post", "agreement_draft", with_award, expect(ACTORS, MOVED)),
    ("agreement", "get", "agreement", with_draft, expect(VIEWERS, OK)),
    ("agreement-save", "post", "agreement", with_draft, expect(ACTORS, MOVED)),
    ("offer", "get", "agreement_offer", with_draft, expect(ACTORS, OK)),
    ("offer-post", "post", "agreement_offer", with_draft, expect(ACTORS, MOVED)),
    ("withdraw", "get", "agreement_withdraw", with_offer, expect(ACTORS, OK)),
    ("withdraw-post", "post", "agreement_withdraw", with_offer, expect(ACTORS, MOVED)),
    ("close", "get", "agreement_close", with_accepted, expect(ACTORS, OK)),
    # Not closable yet (no report accepted): the organisers see why, others nothing.
    ("close-post", "post", "agreement_close", with_accepted, expect(ACTORS, INVALID)),
    ("reopen", "get", "agreement_reopen", with_closed, expect(ACTORS, OK)),
    ("reopen-post", "post", "agreement_reopen", with_closed, expect(ACTORS, MOVED)),
    ("approve", "get", "tranche_approve", with_tranche("planned"), expect(ACTORS, OK)),
    ("approve-post", "post", "tranche_approve", with_tranche("planned"), expect(ACTORS, MOVED)),
    ("pay", "get", "tranche_pay", with_tranche("approved"), expect(ACTORS, OK)),
    ("pay-post", "post", "tranche_pay", with_tranche("approved"), expect(ACTORS, MOVED)),
    ("withhold", "get", "tranche_withhold", with_tranche("planned"), expect(ACTORS, OK)),
    (
        "withhold-post",
        "post",
        "tranche_withhold",
        with_tranche("planned"),
        expect(ACTORS, MOVED),
    ),
    ("reinstate", "get", "tranche_reinstate", with_tranche("withheld"), expect(ACTORS, OK)),
    (
        "reinstate-post",
        "post",
        "tranche_reinstate",
        with_tranche("withheld"),
        expect(ACTORS, MOVED),
    ),
    ("visit", "get", "visit_record", with_visit_form, expect(ACTORS, OK)),
    ("visit-post", "post", "visit_record", with_visit_form, expect(ACTORS, MOVED)),
    ("visit-photo", "get", "visit_photo", with_visit_photo, expect(VIEWERS, OK)),
    ("report", "get", "report_review", with_report("submitted"), expect(VIEWERS, OK)),
    ("report-due", "get", "report_review", with_report("due"), expect(VIEWERS, OK)),
    ("accept", "post", "report_accept", with_report("submitted"), expect(ACTORS, MOVED)),
    ("return", "post", "report_return", with_report("submitted"), expect(ACTORS, MOVED)),
    ("reopen-report", "post", "report_reopen", with_report("accepted"), expect(ACTORS, MOVED)),
    ("report-file", "get", "report_file", with_report_file, expect(VIEWERS, OK)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "name", "prepare", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, no_mfa, persona, method, name, prepare, expected):
    world = funded_call(1)
    kwargs, data = prepare(world)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    target = url(world.call, name, **kwargs)
    response = client.get(target) if method == "get" else client.post(target, data)
    if response.streaming:  # a file's download: reading it to the end closes the file
        b"".join(response.streaming_content)
    assert response.status_code == expected[persona], (persona, target, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")


def test_every_monitoring_url_is_in_the_matrix():
    from baiqau.workspace import urls_monitoring

    names = {pattern.name for pattern in urls_monitoring.urlpatterns}
    assert names == {case[2] for case in CASES}


@pytest.mark.parametrize("name", ["agreement", "agreement_offer", "agreement_close"])
def test_an_agreement_of_another_call_is_a_404_for_its_organiser(client, no_mfa, name):
    world = funded_call(1)
    other = funded_call(1)
    agreement = accepted(other)
    client.force_login(world.organiser)
    assert client.get(url(world.call, name, pk=agreement.pk)).status_code == MISSING


def test_a_report_of_another_agreement_is_a_404(client, no_mfa):
    world = funded_call(2)
    mine, theirs = accepted(world, 0), accepted(world, 1)
    report = report_of(theirs)
    client.force_login(world.organiser)
    target = url(world.call, "report_review", pk=mine.pk, report_pk=report.pk)
    assert client.get(target).status_code == MISSING
    target = url(world.call, "report_accept", pk=mine.pk, report_pk=report.pk)
    assert client.post(target).status_code == MISSING


def test_staff_must_use_two_factor_authentication(client, settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = True
    world = funded_call(1)
    client.force_login(world.organiser)
    response = client.get(url(world.call, "agreements"))
    assert response.status_code == MOVED
    assert response["Location"] == reverse("mfa_index")

"""The staff's monitoring pages in a real browser, in Kazakh and English: the agreements of a
call, a draft agreement with its schedule form (and its errors), the confirmation to offer it,
a payment's form, a report under review with an earlier version, and the visit form. Each page
gets an axe-core check: no serious or critical violation.

Sessions are made on the server (the log-in with a TOTP code has its own journey in
test_organiser_journey); the pages are what is checked here.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from baiqau.monitoring.services import report_return, tranche_approve
from tests.monitoring.staff_builders import accepted, drafted, funded_call, report_of, submit, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_without_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


def log_in_as(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_agreement_pages_are_accessible(
    page: Page, live_server, staff_without_mfa, assert_accessible, language
):
    world = funded_call(3)
    call = world.call
    draft = drafted(world, 0)
    agreement = accepted(world, 1)
    interim = report_of(agreement)
    submit(interim, world.owners[1], categories=3, spent_delta=20_000)
    report_return(actor=world.organiser, report=interim, comment="Түсіндіріңіз")
    submit(interim, world.owners[1], categories=4)
    tranche = agreement.tranches.get(position=0)
    tranche_approve(actor=world.organiser, tranche=tranche)
    log_in_as(page, live_server, world.organiser)

    def visit(name: str, **kwargs) -> None:
        page.goto(live_server.url + url(call, name, language, **kwargs))
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)

    visit("agreements")
    visit("agreement", pk=draft.pk)
    # A tranche that no longer adds up: the errors are shown at the top and by the fields.
    page.locator("#id_tranches-0-amount").fill("1")
    page.locator("#edit-heading ~ form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    visit("agreement_offer", pk=draft.pk)
    visit("agreement", pk=agreement.pk)
    visit("tranche_pay", pk=agreement.pk, tranche_pk=tranche.pk)
    visit("report_review", pk=agreement.pk, report_pk=interim.pk)
    visit("visit_record", pk=agreement.pk)

"""The staff's results pages in a real browser, in Kazakh, Russian and English: the ranking
(with calibration, a tie, disagreements and the experts' effects), the result rules as a form
and read-only, the publication's confirmation and the withdrawal's. Each page gets an axe-core
check: no serious or critical violation.

The organiser's session is made on the server (the log-in with a TOTP code has its own journey
in test_organiser_journey); the pages are what is checked here.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from baiqau.calls.models import CallStatus
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import confirm_by_vote
from tests.workspace.results_builders import distinct_rows, results_world, set_rules, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_without_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


def log_in_as(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_results_pages_are_accessible(
    page: Page, live_server, staff_without_mfa, assert_accessible, language
):
    world = results_world(distinct_rows(6))
    call = world.call
    set_rules(call, calibration="zscore", disagreement_threshold=5, bootstrap_seed=3)
    organiser = world.user("organiser")
    ranking_compute(actor=organiser, call=call)
    log_in_as(page, live_server, organiser)

    page.goto(live_server.url + url(call, "results", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#ranking-caption")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + url(call, "results_rules", language))
    assert_accessible(page)
    page.goto(live_server.url + url(call, "results_publish", language))
    assert_accessible(page)

    # The rules as a form, before review; then a refusal shown on it.
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    page.goto(live_server.url + url(call, "results_rules", language))
    page.locator("#id_tie_1").select_option("lot")
    page.locator("#id_tie_2").select_option("vote")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

    call.status = CallStatus.IN_REVIEW
    call.save(update_fields=["status"])
    confirm_by_vote(call)
    results_publish(actor=organiser, call=call)
    page.goto(live_server.url + url(call, "results_withdraw", language))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

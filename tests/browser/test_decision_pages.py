"""The commission's decision session in a real browser, in Kazakh and English: the chair's page
with the tie votes and the motion form, a member's vote refused without a dissent and then
cast with one, the confirmation pages, and the result. Each page gets an axe-core check: no
serious or critical violation.

Sessions are made on the server (the log-in with a TOTP code has its own journey in
test_organiser_journey); the pages are what is checked here.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from baiqau.results.models import Ballot, MotionResult
from baiqau.results.services import decision as d
from tests.workspace.decision_builders import bring_to, decision_call, url

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
def test_the_decision_pages_are_accessible(
    page: Page, live_server, staff_without_mfa, assert_accessible, language
):
    world = bring_to(decision_call((9, 7, 7, 3)), "none")
    call = world.call
    page_url = live_server.url + url(call, "decision", language)

    # The chair opens the session.
    log_in_as(page, live_server, world.chair)
    page.goto(page_url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    page.locator(f"form[action='{url(call, 'decision_open', language)}'] button").click()
    expect(page.locator("#quorum-box")).to_be_visible()
    assert_accessible(page)

    # A member confirms their attendance; the others too.
    log_in_as(page, live_server, world.user("member"))
    page.goto(page_url)
    session = d.DecisionSession.objects.get(call=call)
    page.locator(
        f"form[action='{url(call, 'decision_attend', language, pk=session.pk)}'] button"
    ).click()
    for member in world.members[2:]:
        d.attendance_confirm(actor=member, session=session)

    # The chair records the tie votes (one refused first), then puts the ranking to the vote.
    log_in_as(page, live_server, world.chair)
    page.goto(page_url)
    a, b = world.apps[1], world.apps[2]
    page.locator(f"#id_ties-votes_{a.pk}").fill("-1")
    page.locator(f"#id_ties-votes_{b.pk}").fill("3")
    page.locator(
        f"form[action='{url(call, 'decision_tie_votes', language, pk=session.pk)}'] button"
    ).click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#id_ties-votes_{a.pk}").fill("2")
    page.locator(
        f"form[action='{url(call, 'decision_tie_votes', language, pk=session.pk)}'] button"
    ).click()
    expect(page.locator("#id_motion-reason")).to_be_visible()
    page.locator(
        f"form[action='{url(call, 'decision_motion', language, pk=session.pk)}'] button"
    ).click()
    motion = d.Motion.objects.get(session=session)

    # A member votes against without a dissent: refused, shown; then with one.
    log_in_as(page, live_server, world.user("member"))
    page.goto(page_url)
    page.locator("#id_ballot-choice_1").check()
    vote = f"form[action='{url(call, 'decision_vote', language, pk=motion.pk)}'] button"
    page.locator(vote).click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_ballot-dissent").fill("Жоба 2 жоғары бағаға лайық.")
    page.locator(vote).click()
    expect(page.locator("#my-vote")).to_be_visible()
    assert Ballot.objects.get(motion=motion).dissent == "Жоба 2 жоғары бағаға лайық."
    for member in (world.chair, *world.members[2:]):
        d.ballot_cast(actor=member, motion=motion, choice="for")

    # The chair closes the vote and the session, each after a confirmation page.
    log_in_as(page, live_server, world.chair)
    page.goto(live_server.url + url(call, "decision_motion_close", language, pk=motion.pk))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#last-vote")).to_be_visible()
    assert_accessible(page)
    motion.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED
    page.goto(live_server.url + url(call, "decision_close", language, pk=session.pk))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#history-heading")).to_be_visible()
    assert_accessible(page)

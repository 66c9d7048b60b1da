"""The announcement editor in a real browser, in Kazakh and Russian: the page, its error state
(typed text kept) and the confirmation before regenerating pass an axe-core check."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.results.builders import build_call
from tests.workspace.jury_builders import url

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


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_announcement_editor_is_accessible(
    page: Page, live_server, staff_without_mfa, assert_accessible, language
):
    world = build_call(confirm=True)
    log_in_as(page, live_server, world.organiser)
    page.goto(live_server.url + url(world.call, "results_announcement", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#id_text_kk")).to_have_attribute("lang", "kk")
    assert_accessible(page)

    page.fill("#id_text_kk", "")
    page.fill("#id_text_ru", "Мой текст объявления")
    page.locator("section[aria-labelledby=edit-heading] button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_text_ru")).to_have_value("Мой текст объявления")
    assert_accessible(page)

    page.goto(live_server.url + url(world.call, "results_announcement_regenerate", language))
    assert_accessible(page)

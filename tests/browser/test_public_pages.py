import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"
# Screenshots for a person to look at; pytest-playwright empties its own test-results/.
SHOTS = "data/screenshots"


@pytest.fixture
def demo_site(live_server):
    from baiqau.demo.loader import load_demo

    load_demo(log=lambda _line: None)
    return live_server.url


@pytest.mark.parametrize(
    ("lang", "results_heading", "first_project"),
    [
        ("kk", "Өз бетімен өмір сүруге арналған үй", "Өз бетімен өмір сүруге арналған үй"),
        ("en", "House for Independent Living", "House for Independent Living"),
    ],
)
def test_visitor_goes_from_home_to_results(
    page: Page, demo_site, assert_accessible, lang, results_heading, first_project
):
    page.goto(f"{demo_site}/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    # The demo's call in review is listed too: the visitor picks the seed contest.
    page.locator("#past-calls ~ ul a[href*='/almaty-social-projects/']").first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/calls/almaty-social-projects/$"))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    page.locator("main a[href$='/results/']").first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/calls/almaty-social-projects/results/$"))
    winners = page.locator("ol.winners > li")
    expect(winners).to_have_count(3)
    expect(winners.nth(0).locator("h3")).to_have_text(first_project)
    expect(winners.nth(0).locator(".prize")).to_have_text(f"1{NBSP}000{NBSP}000{NBSP}₸")
    expect(winners.nth(2).locator(".prize")).to_have_text(f"500{NBSP}000{NBSP}₸")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/results-{lang}.png", full_page=True)


def test_language_switcher_keeps_the_page(page: Page, demo_site):
    page.goto(f"{demo_site}/kk/calls/almaty-social-projects/results/")
    page.locator("nav.languages").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/calls/almaty-social-projects/results/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("ol.winners h3").first).to_have_text("House for Independent Living")


def test_keyboard_user_can_skip_to_content_and_reach_results(page: Page, demo_site):
    page.goto(f"{demo_site}/en/calls/almaty-social-projects/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # The next Tab stops inside the main content, at the link to the results.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/en/calls/almaty-social-projects/results/"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/results/$"))


def test_results_page_reads_well_on_a_phone(browser, demo_site, assert_accessible):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{demo_site}/ru/calls/almaty-social-projects/results/")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/results-ru-phone.png", full_page=True)
    context.close()

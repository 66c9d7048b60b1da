"""The organisation's pages in a real browser: accepting the agreement, the report form saved
while typing, its error summary, a returned report; axe-core on every page, in kk and ru."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from baiqau.monitoring.models import AgreementStatus, ReportStatus
from baiqau.monitoring.services import report_return
from tests.monitoring.builders import funded, submit, url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SERIOUS = {"serious", "critical"}


def log_in_as(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )
    assert bad == [], f"axe-core found serious violations on {page.url}:\n{report}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_accepting_and_writing_a_report_in_the_browser(page: Page, live_server, language):
    project = funded(language=language)
    agreement = project.agreement
    log_in_as(page, live_server, project.owner)
    site = live_server.url

    page.goto(site + url("projects", language=language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)

    page.goto(site + url("agreement", agreement.pk, language=language))
    assert_accessible(page)
    page.locator("#id_confirm").check()
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    page.wait_for_url(f"**{url('agreement', agreement.pk, language=language)}")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED
    assert_accessible(page)

    report = project.report()
    page.goto(site + url("report", agreement.pk, report.pk, language=language))
    assert_accessible(page)
    page.locator("#id_done").fill("Бірінші кезеңде 12 жаттығу өтті.")
    expect(page.locator("#save-status")).not_to_be_empty(timeout=10_000)
    report.refresh_from_db()
    assert report.draft["done"] == "Бірінші кезеңде 12 жаттығу өтті."
    assert page.locator("#draft-version").get_attribute("value") == str(report.draft_version)

    page.locator("#id_ben-1-f-g2").fill("lots")
    page.locator("button[value=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_done")).to_have_value("Бірінші кезеңде 12 жаттығу өтті.")
    expect(page.locator("#id_ben-1-f-g2")).to_have_value("lots")
    assert_accessible(page)
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_a_returned_report_and_its_first_version_are_accessible(page: Page, live_server):
    project = funded(accept=True)
    report = project.report()
    submit(report, project.owner)
    report_return(actor=project.organiser, report=report, comment="Фотосуреттерді қосыңыз.")
    log_in_as(page, live_server, project.member)

    page.goto(live_server.url + url("report", project.agreement.pk, report.pk, language="kk"))
    expect(page.get_by_text("Фотосуреттерді қосыңыз.").first).to_be_visible()
    assert_accessible(page)
    page.goto(
        live_server.url + url("report_version", project.agreement.pk, report.pk, 1, language="ru")
    )
    assert_accessible(page)

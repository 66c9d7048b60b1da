"""After the award, in a real browser: an agreement accepted, an interim report written, returned,
revised and accepted, both tranches paid, and the impact view's totals moving with them.

The starting data (monitoring_journey_data.py): a grant-pool call with published results; our
project's agreement drafted by the organiser with the default grant schedule (60 % tranche,
interim report, 40 % tranche conditioned on the interim report, final report); another
project already reported nine people and was paid its first tranche.

1. The organiser (Russian pages, password and TOTP) offers the agreement after its
   confirmation page; while it is a draft, both tranches wait for the organisation.
2. The owner (Kazakh pages) finds it in "My funded projects" and accepts it: refused without
   ticking the box, then accepted (audited). The organiser's agreement page now lets the first
   tranche be approved and says the second waits for the interim report; the first tranche is
   approved and paid.
3. The owner writes the interim report: narrative, the indicator's value, people reached in
   four categories (with and without disability), spending on three budget lines (one under
   the plan, explained). She saves a draft, reloads (all kept), and submits version 1.
4. The organiser reads version 1 and returns it: refused with no comment, then with one.
5. The owner reads the comment, corrects one count and the narrative and submits version 2;
   version 1 stays readable as submitted, with the organisers' answer.
6. Before acceptance, the public impact page (Kazakh) and the staff impact page count nothing
   for our project: the submitted report does not count yet. The organiser accepts version 2;
   the second tranche becomes approvable, is approved, and is marked paid (refused without the
   payment order's reference, the date typed kept; then with it).
7. The staff impact page and the public impact page (Kazakh, English) now count the people of
   version 2 and the money of both tranches on top of the other project's; the public page
   still hides the breakdown by category (fewer than three projects have reported); the owner
   sees both payments and the indicator's progress.

axe-core checks every page visited, in kk, ru and en; the findings are reported together.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, Locator, Page, expect

from .monitoring_journey_data import (
    AMOUNT,
    CALL_TITLE,
    FIRST_TRANCHE,
    ORGANISER,
    OTHER_REACHED_TOTAL,
    OWNER,
    PROJECT,
    SECOND_TRANCHE,
    SLUG,
    build_world,
)
from .test_organiser_journey import Findings, let_autosave_finish, log_in, make_user, press_submit
from .test_results_journey import at, words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The report, version 1: people reached by category (cell of the form: count).
#   ben-<age>-<sex>-<column>: age 0 = 0–17, 1 = 18–34, 2 = 35–62; columns: no = without
#   disability, g2 = disability group II, gchild = child with a disability.
REACHED_V1 = {"ben-1-f-g2": 5, "ben-1-m-no": 7, "ben-2-f-no": 4, "ben-0-m-gchild": 3}
REACHED_V2 = {**REACHED_V1, "ben-1-m-no": 8}  # the attendance log said eight, not seven
TOTAL_V1 = sum(REACHED_V1.values())  # 19
TOTAL_V2 = sum(REACHED_V2.values())  # 20
DONE = "Оқу пәтерінде 14 жаттығу өтті: тамақ әзірлеу, ақша санау, қоғамдық көлік."
CHANGED_V1 = "Алты жас дүкенге өзі барып, коммуналдық төлемдерді өзі төлейді."
CHANGED_V2 = CHANGED_V1 + " Екі жас сүйемелденетін тұрғын үйге көшті."
DIFFICULTIES = "Қыста екі апта пәтер жылусыз қалды; жаттығуларды кітапханаға көшірдік."
# Spending per budget line (in the order of PROJECT["budget"]): the mentor's line is under.
SPENT = [300_000, 185_000, 100_000]
UNDERSPEND = "Тәлімгер бір ай демалыста болды, оның орнына ерікті жұмыс істеді."
RETURN_COMMENT = (
    "Мужчин 18–34 лет без инвалидности по журналу посещений было 8, а не 7. "
    "Напишите также, сколько человек переехали в сопровождаемое проживание."
)
ACCEPT_COMMENT = "Спасибо, отчёт принят."
FIRST_REFERENCE = "ПП-1024"
SECOND_REFERENCE = "ПП-2231"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    # Whatever the environment says, staff must use a second factor in this journey.
    settings.BAIQAU_STAFF_REQUIRE_MFA = True


# --- Addresses and wording ---------------------------------------------------------------------


def _reverse(lang: str, name: str, *args: Any, **kwargs: Any) -> str:
    from django.urls import reverse

    with translation.override(lang):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def ws(lang: str, name: str, **kwargs: Any) -> str:
    return _reverse(lang, f"workspace:{name}", slug=SLUG, **kwargs)


def org(lang: str, name: str, *args: Any) -> str:
    return _reverse(lang, f"monitoring:{name}", *args)


def in_lang(lang: str, value: Any) -> str:
    """A lazy label, a model's display or a date as the pages say it in `lang`."""
    with translation.override(lang):
        return str(value() if callable(value) else value)


def date_in(lang: str, day) -> str:
    from django.utils.formats import date_format

    with translation.override(lang):
        return date_format(day, "DATE_FORMAT")


def tenge(amount: int) -> str:
    from baiqau.domain.money import format_tenge

    return format_tenge(amount)


def flat(text: str | None) -> str:
    return " ".join((text or "").split())


def has_flat_text(locator: Locator, expected: str) -> None:
    """The locator's text, whitespace (no-break spaces too) collapsed, contains `expected`."""
    expect(locator).to_have_count(1)
    assert flat(expected) in flat(locator.text_content()), (expected, locator.text_content())


def message(page: Page, lang: str, text: str, **params: Any) -> None:
    expect(page.locator(".messages")).to_contain_text(words(lang, text, **params))


# --- What the impact pages say ------------------------------------------------------------------


def figures(page: Page) -> dict[str, str]:
    """The shared figures of an impact page (`monitoring/impact/_figures.html`): people reached
    and money paid, from the tables beside the charts."""
    reached = page.locator("section[aria-labelledby=reached-heading] tbody tr").nth(0)
    paid = page.locator("section[aria-labelledby=money-heading] tbody tr").nth(1)
    return {
        "reached": flat(reached.locator("td").text_content()),
        "paid": flat(paid.locator("td").text_content()),
        "paid_label": flat(paid.locator("th").text_content()),
    }


def check_figures(page: Page, lang: str, *, reached: int, paid: int) -> None:
    with translation.override(lang):
        paid_label = translation.pgettext("money", "Paid")
    assert figures(page) == {
        "reached": str(reached),
        "paid": flat(tenge(paid)),
        "paid_label": paid_label,
    }, page.url


def public_card(page: Page, lang: str) -> Locator:
    return page.locator("section[aria-labelledby=projects-heading] li.card").filter(
        has=page.locator("h3", has_text=PROJECT["title"][lang])
    )


def card_fact(card: Locator, lang: str, label: str) -> Locator:
    term = card.locator("dt", has_text=words(lang, label))
    return term.locator("xpath=following-sibling::dd[1]")


def staff_row(page: Page) -> Locator:
    """Our project's row of the staff impact page's table (its title in Russian, the page's
    language)."""
    return page.locator("section[aria-labelledby=projects-heading] tbody tr").filter(
        has=page.locator("th", has_text=PROJECT["title"]["ru"])
    )


# --- The journey -------------------------------------------------------------------------------


def test_an_agreement_a_report_returned_and_accepted_and_the_tranches_paid(
    page: Page, browser: Browser, live_server, assert_accessible
):
    from django.db.models import F

    from baiqau.audit.models import AuditEvent
    from baiqau.monitoring.models import (
        AgreementStatus,
        BeneficiaryCount,
        ReportKind,
        ReportStatus,
        Tranche,
        TrancheStatus,
    )

    site = live_server.url
    findings = Findings(assert_accessible)
    organiser, organiser_secret = make_user(ORGANISER, totp=True)
    owner, _none = make_user(OWNER, totp=False)
    world = build_world(organiser, owner)
    agreement = world.agreement
    number = agreement.number
    interim = agreement.reports.get(kind=ReportKind.INTERIM)
    first, second = agreement.tranches.order_by("position")
    assert (first.amount, first.condition_report) == (FIRST_TRANCHE, None)
    assert (second.amount, second.condition_report) == (SECOND_TRANCHE, interim)
    [indicator] = agreement.indicators.all()
    lines = list(agreement.application.budget_lines.order_by("position"))
    audited_from = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    staff = page  # the organiser's browser, Russian pages
    tranche_rows = staff.locator("section[aria-labelledby=tranches-heading] tbody tr")

    def staff_agreement() -> None:
        staff.goto(site + ws("ru", "agreement", pk=agreement.pk))
        at(staff, ws("ru", "agreement", pk=agreement.pk))
        findings.accessible(staff)

    def tranche_link(name: str, tranche) -> Locator:
        return staff.locator(
            f"main a[href='{ws('ru', name, pk=agreement.pk, tranche_pk=tranche.pk)}']"
        )

    def confirm_on_staff_page(title: str, done: str, **params: Any) -> None:
        expect(staff.locator("main h1")).to_have_text(words("ru", title))
        findings.accessible(staff)
        press_submit(staff, "main form button[type=submit]")
        at(staff, ws("ru", "agreement", pk=agreement.pk))
        message(staff, "ru", done, **params)
        findings.accessible(staff)

    # 1. The organiser offers the drafted agreement, after its confirmation page.
    staff.goto(site + ws("ru", "agreement", pk=agreement.pk))
    log_in(staff, findings, "ru", ORGANISER, organiser_secret)
    at(staff, ws("ru", "agreement", pk=agreement.pk))
    expect(staff.locator("html")).to_have_attribute("lang", "ru")
    expect(staff.locator("main h1")).to_contain_text(number)
    waits_for_acceptance = words("ru", "Waits for the organisation to accept the agreement.")
    expect(tranche_rows).to_have_count(2)
    for row in (0, 1):
        expect(tranche_rows.nth(row)).to_contain_text(waits_for_acceptance)
    expect(staff.locator("main a[href*='/tranches/']")).to_have_count(0)
    findings.accessible(staff)
    staff.locator(f"main a[href='{ws('ru', 'agreement_offer', pk=agreement.pk)}']").click()
    at(staff, ws("ru", "agreement_offer", pk=agreement.pk))
    confirm_on_staff_page(
        "Offer the agreement to the organisation?",
        "The agreement is offered to the organisation.",
    )
    expect(staff.locator("main")).to_contain_text(
        words("ru", "Waiting for the organisation's owner to accept the agreement.")
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED

    # 2. The owner finds the agreement among her funded projects and accepts it.
    owner_context = browser.new_context()
    desk = owner_context.new_page()
    desk.goto(site + org("kk", "projects"))
    log_in(desk, findings, "kk", OWNER, None)
    at(desk, org("kk", "projects"))
    expect(desk.locator("html")).to_have_attribute("lang", "kk")
    row = desk.locator("main tbody tr").filter(has=desk.locator("th", has_text=number))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(PROJECT["title"]["kk"])
    expect(row).to_contain_text(CALL_TITLE["kk"])
    has_flat_text(row.locator("td.num"), tenge(AMOUNT))
    expect(row.locator(f"a[href='{org('kk', 'agreement', agreement.pk)}#accept']")).to_have_text(
        words("kk", "Waiting for your acceptance")
    )
    findings.accessible(desk)
    row.locator("th a").click()
    at(desk, org("kk", "agreement", agreement.pk))
    expect(desk.locator("main h1")).to_contain_text(number)
    expect(desk.locator("main dl.facts").first).to_contain_text(PROJECT["goal"])
    payments = desk.locator("section[aria-labelledby=payments] tbody tr")
    expect(payments).to_have_count(2)
    has_flat_text(payments.nth(0).locator("td.num"), tenge(FIRST_TRANCHE))
    has_flat_text(payments.nth(1).locator("td.num"), tenge(SECOND_TRANCHE))
    expect(payments.nth(1).locator("td").nth(2)).to_have_text(
        words(
            "kk",
            "Paid once the %(kind)s due %(due)s is accepted",
            kind=in_lang("kk", interim.get_kind_display).lower(),
            due=date_in("kk", interim.due_date),
        )
    )
    findings.accessible(desk)

    # Accepting without ticking the box is refused.
    accept_button = "#accept-section form button[type=submit]"
    press_submit(desk, accept_button)
    at(desk, org("kk", "agreement_accept", agreement.pk))
    expect(desk.locator("#error-summary")).to_contain_text(
        words("kk", "Tick the box to confirm you have read the agreement.")
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED
    findings.accessible(desk)
    desk.locator("#id_confirm").check()
    press_submit(desk, "main form[action$='/accept/'] button[type=submit]")
    at(desk, org("kk", "agreement", agreement.pk))
    message(
        desk,
        "kk",
        "You accepted the agreement %(number)s. You can now write its reports.",
        number=number,
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.accepted_by) == (AgreementStatus.ACCEPTED, owner)
    expect(desk.locator("main dl.facts").first).to_contain_text(OWNER["name"])
    expect(desk.locator("#accept-section")).to_have_count(0)
    findings.accessible(desk)

    # The organiser: the first tranche can be approved now; the second waits for the report.
    waits_for_report = words(
        "ru",
        "Waits until this report is accepted: %(report)s, due %(date)s.",
        report=in_lang("ru", interim.get_kind_display),
        date=date_in("ru", interim.due_date),
    )
    staff_agreement()
    expect(tranche_rows.nth(0)).not_to_contain_text(waits_for_acceptance)
    expect(tranche_rows.nth(1)).to_contain_text(waits_for_report)
    expect(tranche_link("tranche_approve", first)).to_have_count(1)
    expect(tranche_link("tranche_approve", second)).to_have_count(0)
    tranche_link("tranche_approve", first).click()
    confirm_on_staff_page(
        "Approve this tranche for payment?",
        "The tranche of %(amount)s is approved for payment.",
        amount=tenge(FIRST_TRANCHE),
    )
    tranche_link("tranche_pay", first).click()
    at(staff, ws("ru", "tranche_pay", pk=agreement.pk, tranche_pk=first.pk))
    expect(staff.locator("#id_paid_on")).to_have_value(timezone.localdate().isoformat())
    staff.locator("#id_reference").fill(FIRST_REFERENCE)
    confirm_on_staff_page(
        "Mark this tranche as paid?",
        "The tranche of %(amount)s is marked as paid.",
        amount=tenge(FIRST_TRANCHE),
    )
    first.refresh_from_db()
    assert (first.status, first.reference) == (TrancheStatus.PAID, FIRST_REFERENCE)
    expect(tranche_rows.nth(1)).to_contain_text(waits_for_report)

    # 3. The owner writes the interim report, saves a draft, reloads, submits.
    report_url = org("kk", "report", agreement.pk, interim.pk)
    desk.locator(f"section[aria-labelledby=reports] a[href='{report_url}']").click()
    at(desk, report_url)
    expect(desk.locator("main h1")).to_have_text(in_lang("kk", interim.get_kind_display))
    findings.accessible(desk)
    form_values = {
        "#id_done": DONE,
        "#id_changed": CHANGED_V1,
        "#id_difficulties": DIFFICULTIES,
        f"#id_indicator-{indicator.pk}": str(TOTAL_V1),
        **{f"#id_{cell}": str(count) for cell, count in REACHED_V1.items()},
        **{f"#id_spent-{line.pk}": str(spent) for line, spent in zip(lines, SPENT, strict=True)},
        f"#id_explanation-{lines[1].pk}": UNDERSPEND,
    }
    for selector, value in form_values.items():
        desk.locator(selector).fill(value)
    let_autosave_finish(desk)
    press_submit(desk, "main form button[value=save]")
    at(desk, report_url)
    message(desk, "kk", "Draft saved.")
    desk.reload()
    at(desk, report_url)
    for selector, value in form_values.items():
        expect(desk.locator(selector)).to_have_value(value)
    interim.refresh_from_db()
    assert interim.status == ReportStatus.DUE and interim.draft["done"] == DONE
    findings.accessible(desk)
    press_submit(desk, "main form button[value=submit]")
    at(desk, report_url)
    message(
        desk,
        "kk",
        "Report submitted (version %(number)s). The organisers will review it.",
        number=1,
    )
    interim.refresh_from_db()
    assert interim.status == ReportStatus.SUBMITTED
    [v1] = interim.versions.all()
    assert (v1.number, v1.beneficiaries_total) == (1, TOTAL_V1)
    expect(desk.locator("main form button[value=submit]")).to_have_count(0)
    findings.accessible(desk)

    # 4. The organiser reads version 1 and returns it with a comment.
    review_url = ws("ru", "report_review", pk=agreement.pk, report_pk=interim.pk)
    staff_agreement()
    review_link = staff.locator(f"section[aria-labelledby=reports-heading] a[href='{review_url}']")
    expect(review_link).to_contain_text(words("ru", "Review the report"))
    review_link.click()
    at(staff, review_url)
    expect(staff.locator("#version-shown-heading")).to_have_text(words("ru", "Version %(n)s", n=1))
    expect(staff.locator("section[aria-labelledby=version-shown-heading]")).to_contain_text(DONE)
    beneficiaries = staff.locator("table:has(#beneficiaries-caption)")
    expect(beneficiaries.locator("tbody tr")).to_have_count(len(REACHED_V1))
    expect(beneficiaries.locator("tfoot td")).to_have_text(str(TOTAL_V1))
    mentor = staff.locator("table:has(#spending-caption) tbody tr").nth(1)
    has_flat_text(
        mentor.locator("td").nth(2),
        words("ru", "Underspent by %(amount)s", amount=tenge(lines[1].requested - SPENT[1])),
    )
    expect(mentor).to_contain_text(UNDERSPEND)
    findings.accessible(staff)
    return_form = (
        f"main form[action='{ws('ru', 'report_return', pk=agreement.pk, report_pk=interim.pk)}']"
    )
    # Returned with no comment: refused, nothing moves.
    press_submit(staff, f"{return_form} button[type=submit]")
    summary = staff.locator(f"{return_form} #error-summary")
    expect(summary).to_contain_text(words("ru", "What the organisation should revise"))
    interim.refresh_from_db()
    assert interim.status == ReportStatus.SUBMITTED
    findings.accessible(staff)
    staff.locator("#id_return-comment").fill(RETURN_COMMENT)
    press_submit(staff, f"{return_form} button[type=submit]")
    at(staff, review_url)
    message(staff, "ru", "The report was returned to the organisation with your comments.")
    interim.refresh_from_db()
    assert interim.status == ReportStatus.RETURNED
    findings.accessible(staff)

    # 5. The owner reads the comment, revises and resubmits: version 2.
    desk.goto(site + org("kk", "projects"))
    expect(row).to_contain_text(words("kk", "Returned for revision"))
    findings.accessible(desk)
    row.locator(f"a[href='{report_url}']").click()
    at(desk, report_url)
    expect(desk.locator("section[aria-labelledby=staff-comments] blockquote")).to_have_text(
        RETURN_COMMENT
    )
    expect(desk.locator("#id_ben-1-m-no")).to_have_value(str(REACHED_V1["ben-1-m-no"]))
    expect(desk.locator("#id_changed")).to_have_value(CHANGED_V1)
    findings.accessible(desk)
    desk.locator("#id_ben-1-m-no").fill(str(REACHED_V2["ben-1-m-no"]))
    desk.locator("#id_changed").fill(CHANGED_V2)
    desk.locator(f"#id_indicator-{indicator.pk}").fill(str(TOTAL_V2))
    let_autosave_finish(desk)
    press_submit(desk, "main form button[value=submit]")
    at(desk, report_url)
    message(
        desk,
        "kk",
        "Report submitted (version %(number)s). The organisers will review it.",
        number=2,
    )
    interim.refresh_from_db()
    assert interim.status == ReportStatus.SUBMITTED
    v1, v2 = interim.versions.order_by("number")
    assert (v1.beneficiaries_total, v2.beneficiaries_total) == (TOTAL_V1, TOTAL_V2)
    assert (v1.changed, v2.changed) == (CHANGED_V1, CHANGED_V2)
    versions = desk.locator("section[aria-labelledby=versions] tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text(RETURN_COMMENT[:40])
    findings.accessible(desk)
    version_url = org("kk", "report_version", agreement.pk, interim.pk, 1)
    versions.nth(0).locator(f"a[href='{version_url}']").click()
    at(desk, version_url)
    expect(desk.locator("main blockquote")).to_have_text(RETURN_COMMENT)
    expect(desk.locator("main dl.facts")).to_contain_text(CHANGED_V1)
    expect(desk.locator("main dl.facts")).not_to_contain_text(CHANGED_V2)
    people = desk.locator("table:has(#people-1) tbody tr")
    expect(people).to_have_count(len(REACHED_V1))
    assert sorted(int(n) for n in people.locator("td.num").all_text_contents()) == sorted(
        REACHED_V1.values()
    )
    findings.accessible(desk)

    # 6. Before acceptance: the impact pages count nothing for our project.
    visitor_context = browser.new_context()
    visitor = visitor_context.new_page()
    visitor.goto(site + _reverse("kk", "impact:call", slug=SLUG))
    expect(visitor.locator("html")).to_have_attribute("lang", "kk")
    expect(visitor.locator("main h1")).to_contain_text(CALL_TITLE["kk"])
    check_figures(visitor, "kk", reached=OTHER_REACHED_TOTAL, paid=2 * FIRST_TRANCHE)
    expect(card_fact(public_card(visitor, "kk"), "kk", "Beneficiaries reached")).to_have_text("0")
    findings.accessible(visitor)
    staff.goto(site + ws("ru", "impact"))
    at(staff, ws("ru", "impact"))
    check_figures(staff, "ru", reached=OTHER_REACHED_TOTAL, paid=2 * FIRST_TRANCHE)
    ours = staff_row(staff)
    has_flat_text(ours.locator("td").nth(2), tenge(FIRST_TRANCHE))  # paid
    has_flat_text(ours.locator("td").nth(4), tenge(SECOND_TRANCHE))  # outstanding
    expect(ours.locator("td").nth(5)).to_have_text(
        words("ru", "%(reached)s of %(target)s", reached=0, target=PROJECT["beneficiaries"])
    )
    findings.accessible(staff)

    # The second tranche still waits for the report.
    staff_agreement()
    expect(tranche_rows.nth(1)).to_contain_text(waits_for_report)
    expect(tranche_link("tranche_approve", second)).to_have_count(0)

    # The organiser looks at version 1 again, then accepts version 2.
    review_link.click()
    at(staff, review_url)
    expect(staff.locator("#version-shown-heading")).to_have_text(words("ru", "Version %(n)s", n=2))
    expect(staff.locator("table:has(#beneficiaries-caption) tfoot td")).to_have_text(str(TOTAL_V2))
    findings.accessible(staff)
    staff.locator("#id_version").select_option("1")
    with staff.expect_navigation():
        staff.locator("form.filters button[type=submit]").click()
    at(staff, review_url + "?version=1")
    expect(staff.locator("section[aria-labelledby=version-shown-heading] .notice")).to_contain_text(
        words(
            "ru",
            "This is an earlier version. The latest is version %(n)s; staff answer the latest "
            "version only.",
            n=2,
        )
    )
    expect(staff.locator("table:has(#beneficiaries-caption) tfoot td")).to_have_text(str(TOTAL_V1))
    findings.accessible(staff)
    staff.goto(site + review_url)
    accept_form = (
        f"main form[action='{ws('ru', 'report_accept', pk=agreement.pk, report_pk=interim.pk)}']"
    )
    staff.locator("#id_accept-comment").fill(ACCEPT_COMMENT)
    press_submit(staff, f"{accept_form} button[type=submit]")
    at(staff, review_url)
    message(staff, "ru", "The report is accepted.")
    interim.refresh_from_db()
    assert (interim.status, interim.accepted_version) == (ReportStatus.ACCEPTED, v2)
    findings.accessible(staff)

    # The second tranche is approvable now: approved, then paid (the reference is needed).
    staff_agreement()
    expect(tranche_rows.nth(1)).not_to_contain_text(waits_for_report)
    tranche_link("tranche_approve", second).click()
    confirm_on_staff_page(
        "Approve this tranche for payment?",
        "The tranche of %(amount)s is approved for payment.",
        amount=tenge(SECOND_TRANCHE),
    )
    tranche_link("tranche_pay", second).click()
    pay_url = ws("ru", "tranche_pay", pk=agreement.pk, tranche_pk=second.pk)
    at(staff, pay_url)
    paid_on = timezone.localdate() - timedelta(days=1)
    staff.locator("#id_paid_on").fill(paid_on.isoformat())
    findings.accessible(staff)
    press_submit(staff, "main form button[type=submit]")
    at(staff, pay_url)
    expect(staff.locator("#error-summary")).to_contain_text(
        words("ru", "Payment order's reference")
    )
    expect(staff.locator("#id_paid_on")).to_have_value(paid_on.isoformat())
    second.refresh_from_db()
    assert second.status == TrancheStatus.APPROVED
    findings.accessible(staff)
    staff.locator("#id_reference").fill(SECOND_REFERENCE)
    press_submit(staff, "main form button[type=submit]")
    at(staff, ws("ru", "agreement", pk=agreement.pk))
    message(
        staff, "ru", "The tranche of %(amount)s is marked as paid.", amount=tenge(SECOND_TRANCHE)
    )
    expect(tranche_rows.nth(1)).to_contain_text(
        words(
            "ru",
            "On %(date)s, reference %(reference)s",
            date=date_in("ru", paid_on),
            reference=SECOND_REFERENCE,
        )
    )
    second.refresh_from_db()
    assert (second.status, second.paid_on, second.reference) == (
        TrancheStatus.PAID,
        paid_on,
        SECOND_REFERENCE,
    )
    findings.accessible(staff)

    # 7. The impact view's totals move by exactly our accepted version and our payments.
    reached_now = OTHER_REACHED_TOTAL + TOTAL_V2
    paid_now = FIRST_TRANCHE + AMOUNT
    accepted_counts = BeneficiaryCount.objects.filter(
        version__report__accepted_version=F("version"),
        version__report__agreement__call=world.call,
    )
    assert sum(c.count for c in accepted_counts) == reached_now
    paid_tranches = Tranche.objects.filter(
        agreement__call=world.call, status=TrancheStatus.PAID
    ).values_list("amount", flat=True)
    assert sum(paid_tranches) == paid_now
    staff.goto(site + ws("ru", "impact"))
    check_figures(staff, "ru", reached=reached_now, paid=paid_now)
    has_flat_text(ours.locator("td").nth(2), tenge(AMOUNT))
    has_flat_text(ours.locator("td").nth(4), tenge(0))
    expect(ours.locator("td").nth(5)).to_have_text(
        words("ru", "%(reached)s of %(target)s", reached=TOTAL_V2, target=PROJECT["beneficiaries"])
    )
    # By category (staff only): women 5 + 4 of ours and 4 of theirs; men 8 + 3 and 5.
    by_age = staff.locator("table:has(#age-caption) tfoot td")
    expect(by_age).to_have_text(["13", "16", str(reached_now)])
    findings.accessible(staff)

    for lang in ("kk", "en"):
        visitor.goto(site + _reverse(lang, "impact:call", slug=SLUG))
        expect(visitor.locator("html")).to_have_attribute("lang", lang)
        check_figures(visitor, lang, reached=reached_now, paid=paid_now)
        card = public_card(visitor, lang)
        expect(card_fact(card, lang, "Beneficiaries reached")).to_have_text(str(TOTAL_V2))
        expect(public_card(visitor, lang).locator("xpath=..").locator("li.card")).to_have_count(2)
        expect(
            visitor.locator("section[aria-labelledby=categories-heading] .notice")
        ).to_be_visible()
        expect(visitor.locator("table:has(#age-caption)")).to_have_count(0)
        findings.accessible(visitor)
    visitor_context.close()

    # The owner sees both payments and the indicator's latest accepted value.
    desk.goto(site + org("kk", "agreement", agreement.pk))
    for n, (day, reference) in enumerate(
        ((timezone.localdate(), FIRST_REFERENCE), (paid_on, SECOND_REFERENCE))
    ):
        expect(payments.nth(n)).to_contain_text(
            words(
                "kk",
                "Paid on %(date)s, reference %(reference)s",
                date=date_in("kk", day),
                reference=reference,
            )
        )
    indicators = desk.locator("section[aria-labelledby=indicators] tbody tr")
    expect(indicators.locator("td").nth(3)).to_have_text(str(TOTAL_V2))
    findings.accessible(desk)
    owner_context.close()

    # Every move was audited, by the person who made it.
    ours_events = [
        (event.action, event.actor_id)
        for event in AuditEvent.objects.filter(seq__gt=audited_from).order_by("seq")
    ]
    assert ours_events == [
        ("agreement.offer", organiser.pk),
        ("agreement.accept", owner.pk),
        ("tranche.approve", organiser.pk),
        ("tranche.pay", organiser.pk),
        ("report.submit", owner.pk),
        ("report.return", organiser.pk),
        ("report.resubmit", owner.pk),
        ("report.accept", organiser.pk),
        ("tranche.approve", organiser.pk),
        ("tranche.pay", organiser.pk),
    ], ours_events
    findings.raise_any()

"""An applicant's whole journey in a real browser: from the call page to the receipt.

Every page on the way is checked with axe-core. Selectors use URLs, ids and names rather
than visible words, so the tests keep working as the Kazakh catalogue fills in; the words
that matter (e-mail subjects, the BIN error) are asserted exactly, in each language.
"""

import re
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "inclusive-almaty-grants"
PASSWORD = "Spring-in-Almaty-2026!"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RECEIPT_NUMBER = re.compile(r"BQ-\d{4}-\d{7}")
# The call page's button, to see that the pages really are in the person's language.
APPLY_BUTTON = {"kk": "Өтінім беру", "en": "Apply"}

# What allauth with our vendored Kazakh catalogue (baiqau/locale_vendor) puts in the subject.
CONFIRMATION_SUBJECT = {
    "kk": "[Baiqau] Электрондық пошта мекенжайыңызды растаңыз",
    "en": "[Baiqau] Please Confirm Your Email Address",
}
# baiqau/organisations/validators.py, BIN_MESSAGES["month"], and its Kazakh translation.
BIN_MONTH_ERROR = {
    "kk": "БСН-нің 3- және 4-цифрлары тіркелген айды білдіреді (01–12).",
    "en": "Digits 3 and 4 of a BIN are the month of registration (01–12).",
}
# The receipt e-mail: its subject, and the line with the receipt number in its body.
RECEIPT_SUBJECT = {"kk": "Өтінім қабылданды: {number}", "en": "Application received: {number}"}
RECEIPT_RECEIPT_LINE = {"kk": "Түбіртек нөмірі: {number}", "en": "Receipt number: {number}"}


# What the applicant types, in the language they apply in.
TEXTS = {
    "kk": {
        "org_name": "Қамқор жүрек қоғамдық бірлестігі",
        "project": {
            "title": "Әркімге қолжетімді саябақ",
            "summary": "Саябақтағы жолдар мен ойын алаңдарын мүгедектігі бар балаларға бейімдейміз.",
            "target_group": "Мүгедектігі бар балалар мен олардың отбасылары",
            "problem": "Аудандағы саябақтарға арбамен кіру қиын.\nПандустар жоқ.",
            "goal": "Бір жыл ішінде үш саябақты қолжетімді ету.",
        },
        "plan": {
            "planned_activities": "Аудит, жобалау, құрылыс жұмыстары.",
            "expected_results": "Үш саябақ қолжетімді; 500 отбасы қатысады.",
            "beneficiaries_count": "500",
            "timeline": "Қыркүйек–желтоқсан",
            "team": "Жоба жетекшісі, инженер, екі ерікті.",
        },
        "lines": [
            {
                "item": "Пандус жалға алу",
                "quantity": "2",
                "unit_cost": "150000",
                "contribution": "50000",
            },
            {
                "item": "Ым тілі аудармашысы",
                "quantity": "10",
                "unit_cost": "40000",
                "contribution": "",
            },
        ],
        "short_text": "Әсел Нұрланқызы",
        "long_text": "Ата-аналар кеңесі әр айда жиналады.",
        "file_name": "хат.pdf",
    },
    "en": {
        "org_name": "Caring Heart Public Association",
        "project": {
            "title": "A park for everyone",
            "summary": "We adapt park paths and playgrounds for children with disabilities.",
            "target_group": "Children with disabilities and their families",
            "problem": "Wheelchairs cannot get into the district's parks.\nThere are no ramps.",
            "goal": "Make three parks accessible within a year.",
        },
        "plan": {
            "planned_activities": "Audit, design, building work.",
            "expected_results": "Three parks accessible; 500 families take part.",
            "beneficiaries_count": "500",
            "timeline": "September to December",
            "team": "A project manager, an engineer, two volunteers.",
        },
        "lines": [
            {"item": "Ramp hire", "quantity": "2", "unit_cost": "150000", "contribution": "50000"},
            {
                "item": "Sign-language interpreter",
                "quantity": "10",
                "unit_cost": "40000",
                "contribution": "",
            },
        ],
        "short_text": "Asel Nurlankyzy",
        "long_text": "A parents' council meets every month.",
        "file_name": "letter.pdf",
    },
}
# Answers whose values do not depend on the language.
NUMBER_ANSWER = "7"
DISTRICT = "medeu"
GROUPS = ["children", "families"]
START_DATE = "2026-09-01"
YES_NO = "no"


@pytest.fixture(scope="session")
def compiled_catalogues(tmp_path_factory):
    """The .po catalogues as they are now, compiled into a temporary folder.

    `make pytest` compiles them first, but .mo files are not in git and go stale while
    someone edits a .po; the Kazakh pages and e-mails are checked against the sources.
    """
    from django.conf import settings

    from baiqau.core.compile_messages import compile_all

    root = tmp_path_factory.mktemp("catalogues")
    copies = []
    for i, folder in enumerate(settings.LOCALE_PATHS):
        copy = root / f"{i}-{folder.name}"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.mo"))
        copies.append(copy)
    compile_all(tuple(copies))
    return copies


@pytest.fixture(autouse=True)
def _current_catalogues(settings, compiled_catalogues):
    # Changing LOCALE_PATHS empties Django's cache of loaded catalogues (django.test.signals).
    settings.LOCALE_PATHS = compiled_catalogues


@pytest.fixture
def demo_site(live_server):
    from baiqau.demo.loader import load_demo

    load_demo(log=lambda _line: None)
    return live_server.url


@pytest.fixture
def letter_pdf(tmp_path):
    def write(name: str):
        path = tmp_path / name
        path.write_bytes(PDF_BYTES)
        return path

    return write


def valid_bin(serial: int) -> str:
    """A BIN registered in May (digits 3-4 are 05), with a correct check digit."""
    from baiqau.domain.identifiers import check_digit, make_bin

    while check_digit(f"990540{serial:05d}") is None:
        serial += 1
    return make_bin(f"990540{serial:05d}")


def question_ids() -> dict[str, int]:
    """The open call's questions by kind: it has one question of every kind."""
    from baiqau.calls.models import Question

    return {q.kind: q.pk for q in Question.objects.filter(call__slug=SLUG)}


def confirmation_link(message) -> str:
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, f"no confirmation link in:\n{message.body}"
    return match.group(0)


def press_submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


# ---------------------------------------------------------------------------------------------
# 1. A new applicant, with the mouse, in Kazakh and in English
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_new_applicant_applies_from_scratch(
    page: Page, demo_site, mailoutbox, assert_accessible, letter_pdf, lang
):
    texts = TEXTS[lang]
    email = f"new-applicant-{lang}@test.example"
    qids = question_ids()

    # The call page: Apply sends a stranger to log in, which links to sign-up.
    page.goto(f"{demo_site}/{lang}/calls/{SLUG}/")
    assert_accessible(page)
    apply = page.locator(f"main a[href='/{lang}/calls/{SLUG}/apply/']")
    expect(apply).to_have_text(APPLY_BUTTON[lang])
    apply.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/accounts/login/\?next="))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    page.locator(f"main a[href^='/{lang}/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/accounts/signup/"))
    assert_accessible(page)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    press_submit(page, "main form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/{lang}/accounts/confirm-email/$"))
    assert_accessible(page)

    # The confirmation e-mail, in the language the person signed up in.
    # (The demo's own e-mails are in the outbox too.)
    mine = [m for m in mailoutbox if m.to == [email]]
    assert len(mine) == 1, [m.subject for m in mine]
    confirmation = mine[0]
    assert confirmation.subject == CONFIRMATION_SUBJECT[lang]
    page.goto(confirmation_link(confirmation))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)
    press_submit(page, "main form button[type=submit]")

    # Confirming logs the person in and takes them on to where they were going.
    expect(page).to_have_url(re.compile(rf"/{lang}/calls/{SLUG}/apply/$"))
    expect(page.locator(f"nav.account-nav a[href='/{lang}/my/']")).to_be_visible()
    assert_accessible(page)

    # Registering the organisation: a mistyped BIN first, then a valid one.
    page.locator(f"main a[href^='/{lang}/organisations/new/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/organisations/new/\?next="))
    assert_accessible(page)
    page.locator("#id_bin").fill("123456789012")
    page.locator("input[name=org_type][value=ngo]").check()
    page.locator(f"#id_name_{lang}").fill(texts["org_name"])
    press_submit(page, "main .actions button[type=submit]")
    expect(page.locator("#id_bin-error")).to_have_text(BIN_MONTH_ERROR[lang])
    expect(page.locator("#id_bin")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_bin")).to_have_attribute(
        "aria-describedby", "id_bin-help id_bin-error"
    )
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    page.locator("#id_bin").fill(valid_bin(100 + len(lang)))
    press_submit(page, "main .actions button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/{lang}/calls/{SLUG}/apply/$"))
    assert_accessible(page)

    # Starting the application.
    press_submit(page, "main .card form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/{lang}/applications/\d+/edit/project/$"))
    pk = int(re.search(r"/applications/(\d+)/", page.url).group(1))
    assert_accessible(page)

    for name, value in texts["project"].items():
        page.locator(f"#id_{name}").fill(value)
    press_submit(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/plan/$"))
    assert_accessible(page)

    for name, value in texts["plan"].items():
        page.locator(f"#id_{name}").fill(value)
    press_submit(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/budget/$"))
    assert_accessible(page)

    # Two budget lines: the second one through "Add a line".
    first, second = texts["lines"]
    for name, value in first.items():
        page.locator(f"#id_lines-0-{name}").fill(value)
    press_submit(page, "button[name=action][value=add_line]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/budget/\?add=1#lines$"))
    expect(page.locator("#id_lines-1-item")).to_be_visible()
    assert_accessible(page)
    for name, value in second.items():
        page.locator(f"#id_lines-1-{name}").fill(value)
    press_submit(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/questions/$"))
    assert_accessible(page)

    # One question of every kind.
    page.locator(f"#id_q{qids['short_text']}").fill(texts["short_text"])
    page.locator(f"#id_q{qids['long_text']}").fill(texts["long_text"])
    page.locator(f"#id_q{qids['number']}").fill(NUMBER_ANSWER)
    page.locator(f"input[name=q{qids['single_choice']}][value={DISTRICT}]").check()
    for group in GROUPS:
        page.locator(f"input[name=q{qids['multiple_choice']}][value={group}]").check()
    page.locator(f"#id_q{qids['date']}").fill(START_DATE)
    page.locator(f"input[name=q{qids['yes_no']}][value={YES_NO}]").check()
    press_submit(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/files/$"))
    assert_accessible(page)

    # The letter of support, a real (if tiny) PDF.
    file_input = page.locator(f"#file-q{qids['file']}")
    file_input.set_input_files(letter_pdf(texts["file_name"]))
    press_submit(page, f"section:has(#file-q{qids['file']}) button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/files/$"))
    expect(page.locator(f"section:has(#file-q{qids['file']}) a")).to_have_text(texts["file_name"])
    assert_accessible(page)

    # Leave for the home page, come back through "My applications".
    page.locator("header a.brand").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/$"))
    assert_accessible(page)
    page.locator(f"nav.account-nav a[href='/{lang}/my/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/my/$"))
    assert_accessible(page)
    card = page.locator(f"#application-{pk}")
    expect(card.locator("h3 a")).to_have_text(texts["project"]["title"])
    card.locator("h3 a").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/applications/{pk}/$"))

    # Everything typed is still there.
    progress = page.locator("nav.progress")
    progress.locator(f"a[href$='/applications/{pk}/edit/project/']").click()
    for name, value in texts["project"].items():
        expect(page.locator(f"#id_{name}")).to_have_value(value)
    progress.locator(f"a[href$='/applications/{pk}/edit/plan/']").click()
    for name, value in texts["plan"].items():
        expect(page.locator(f"#id_{name}")).to_have_value(value)
    progress.locator(f"a[href$='/applications/{pk}/edit/budget/']").click()
    for i, line in enumerate(texts["lines"]):
        for name, value in line.items():
            expect(page.locator(f"#id_lines-{i}-{name}")).to_have_value(value or "0")
    progress.locator(f"a[href$='/applications/{pk}/edit/questions/']").click()
    expect(page.locator(f"#id_q{qids['short_text']}")).to_have_value(texts["short_text"])
    expect(page.locator(f"#id_q{qids['long_text']}")).to_have_value(texts["long_text"])
    expect(page.locator(f"#id_q{qids['number']}")).to_have_value(NUMBER_ANSWER)
    expect(page.locator(f"input[name=q{qids['single_choice']}]:checked")).to_have_value(DISTRICT)
    checked = page.locator(f"input[name=q{qids['multiple_choice']}]:checked")
    expect(checked).to_have_count(len(GROUPS))
    assert [checked.nth(i).get_attribute("value") for i in range(len(GROUPS))] == GROUPS
    expect(page.locator(f"#id_q{qids['date']}")).to_have_value(START_DATE)
    expect(page.locator(f"input[name=q{qids['yes_no']}]:checked")).to_have_value(YES_NO)
    progress.locator(f"a[href$='/applications/{pk}/files/']").click()
    expect(page.locator(f"section:has(#file-q{qids['file']}) a")).to_have_text(texts["file_name"])

    # Review and submit.
    progress.locator(f"a[href='/{lang}/applications/{pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/applications/{pk}/$"))
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("#sum-budget ~ .table-wrap tfoot td")).to_have_text("650\u00a0000\u00a0₸")
    assert_accessible(page)
    press_submit(page, f"form[action='/{lang}/applications/{pk}/submit/'] button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/{lang}/applications/{pk}/receipt/$"))
    receipt_number = page.locator(".receipt-number").inner_text()
    assert RECEIPT_NUMBER.fullmatch(receipt_number), receipt_number
    assert_accessible(page)

    # The PDF copy.
    pdf_href = page.locator(f"main a[href='/{lang}/applications/{pk}/pdf/']").get_attribute("href")
    response = page.request.get(demo_site + pdf_href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The dashboard shows the submitted application with its receipt number.
    page.locator(f"main a[href='/{lang}/my/']").click()
    expect(page.locator(f"#application-{pk}")).to_contain_text(receipt_number)
    assert_accessible(page)

    # The receipt e-mail, in the applicant's language (checked last: the
    # page checks above do not depend on it).
    receipts = [m for m in mailoutbox if m.to == [email] and receipt_number in m.subject]
    assert len(receipts) == 1, [(m.to, m.subject) for m in mailoutbox]
    receipt = receipts[0]
    assert receipt.subject == RECEIPT_SUBJECT[lang].format(number=receipt_number)
    assert RECEIPT_RECEIPT_LINE[lang].format(number=receipt_number) in receipt.body
    assert f"/{lang}/applications/{pk}/receipt/" in receipt.body


# ---------------------------------------------------------------------------------------------
# 2. The same journey with the keyboard alone
# ---------------------------------------------------------------------------------------------

DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "(body)";
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (el.name) text += "[name=" + el.name + "]";
    if (el.type === "radio" || el.type === "checkbox") text += "[value=" + el.value + "]";
    const label = (el.getAttribute("href") || el.textContent || "").trim().slice(0, 40);
    return label ? text + " “" + label + "”" : text;
}"""


def tab_to(page: Page, selector: str, max_tabs: int = 80) -> None:
    """Press Tab until the focused element matches the CSS selector; fail listing every stop."""
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        seen.append(page.evaluate(DESCRIBE_FOCUS))
    stops = "\n  ".join(seen)
    pytest.fail(f"{max_tabs} presses of Tab on {page.url} never reached {selector}:\n  {stops}")


def focused(page: Page, prop: str):
    return page.evaluate(f"() => document.activeElement.{prop}")


def tab_and_type(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_radio(page: Page, name: str, value: str, max_moves: int = 12) -> None:
    """Tab into a radio group, then choose with Space and the arrow keys, as people do."""
    tab_to(page, f"input[type=radio][name={name}]")
    page.keyboard.press("Space")
    for _ in range(max_moves):
        if focused(page, "value") == value:
            break
        page.keyboard.press("ArrowDown")
    assert focused(page, "value") == value
    expect(page.locator(f"input[name={name}][value={value}]")).to_be_checked()


def press_enter_on(page: Page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def verified_user(email: str, language: str = "en"):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email, PASSWORD, full_name="Keyboard User", preferred_language=language
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# Chromium's date field takes its digits in the order of the browser's locale.
@pytest.mark.browser_context_args(locale="en-US")
def test_keyboard_only_journey(page: Page, demo_site, mailoutbox, letter_pdf):
    texts = TEXTS["en"]
    email = "keyboard@test.example"
    verified_user(email)
    qids = question_ids()

    page.goto(f"{demo_site}/en/calls/{SLUG}/")
    press_enter_on(page, f"main a[href='/en/calls/{SLUG}/apply/']")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/\?next="))

    tab_and_type(page, "#id_login", email)
    tab_and_type(page, "#id_password", PASSWORD)
    press_enter_on(page, "main form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/en/calls/{SLUG}/apply/$"))

    press_enter_on(page, "main a[href^='/en/organisations/new/']")
    tab_and_type(page, "#id_bin", valid_bin(300))
    choose_radio(page, "org_type", "ngo")
    tab_and_type(page, "#id_name_en", texts["org_name"])
    press_enter_on(page, "main .actions button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/en/calls/{SLUG}/apply/$"))

    press_enter_on(page, "main .card form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/en/applications/\d+/edit/project/$"))
    pk = int(re.search(r"/applications/(\d+)/", page.url).group(1))

    for name, value in texts["project"].items():
        tab_and_type(page, f"#id_{name}", value)
    press_enter_on(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/plan/$"))

    for name, value in texts["plan"].items():
        tab_and_type(page, f"#id_{name}", value)
    press_enter_on(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/budget/$"))

    first, second = texts["lines"]
    for name, value in first.items():
        tab_and_type(page, f"#id_lines-0-{name}", value)
    press_enter_on(page, "button[name=action][value=add_line]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/budget/\?add=1#lines$"))
    for name, value in second.items():
        if value:
            tab_and_type(page, f"#id_lines-1-{name}", value)
    press_enter_on(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/questions/$"))

    tab_and_type(page, f"#id_q{qids['short_text']}", texts["short_text"])
    tab_and_type(page, f"#id_q{qids['long_text']}", texts["long_text"])
    tab_and_type(page, f"#id_q{qids['number']}", NUMBER_ANSWER)
    choose_radio(page, f"q{qids['single_choice']}", DISTRICT)
    for group in GROUPS:
        tab_to(page, f"input[name=q{qids['multiple_choice']}][value={group}]")
        page.keyboard.press("Space")
    year, month, day = START_DATE.split("-")
    tab_and_type(page, f"#id_q{qids['date']}", f"{month}{day}{year}")
    expect(page.locator(f"#id_q{qids['date']}")).to_have_value(START_DATE)
    choose_radio(page, f"q{qids['yes_no']}", YES_NO)
    press_enter_on(page, "button[name=action][value=next]")
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/files/$"))

    tab_to(page, f"#file-q{qids['file']}")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(letter_pdf(texts["file_name"]))
    press_enter_on(page, f"section:has(#file-q{qids['file']}) button[type=submit]")
    expect(page.locator(f"section:has(#file-q{qids['file']}) a")).to_have_text(texts["file_name"])

    press_enter_on(page, f"main .actions a[href='/en/applications/{pk}/']")
    expect(page).to_have_url(re.compile(rf"/en/applications/{pk}/$"))
    expect(page.locator("#error-summary")).to_have_count(0)
    press_enter_on(page, f"form[action='/en/applications/{pk}/submit/'] button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/en/applications/{pk}/receipt/$"))
    receipt_number = page.locator(".receipt-number").inner_text()
    assert RECEIPT_NUMBER.fullmatch(receipt_number), receipt_number
    assert any(m.to == [email] and receipt_number in m.subject for m in mailoutbox)

    # What went in by keyboard is what was stored.
    from baiqau.applications.models import Application

    application = Application.objects.get(pk=pk)
    assert application.title_en == texts["project"]["title"]
    # Browsers send a textarea's line breaks as CRLF.
    assert application.problem.replace("\r\n", "\n") == texts["project"]["problem"]
    assert application.beneficiaries_count == 500
    assert application.requested_amount == 650_000
    answers = {a.question_id: a.value for a in application.answers.all()}
    assert answers[qids["single_choice"]] == DISTRICT
    assert answers[qids["multiple_choice"]] == GROUPS
    assert answers[qids["date"]] == START_DATE
    assert answers[qids["yes_no"]] is False

    press_enter_on(page, "main .actions a[href='/en/my/']")
    expect(page.locator(f"#application-{pk}")).to_contain_text(receipt_number)


# ---------------------------------------------------------------------------------------------
# 3. Autosave
# ---------------------------------------------------------------------------------------------


def log_in_as(page: Page, live_server_url: str, user) -> None:
    """Give the browser a session cookie for the user (the log-in form is tested above)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}]
    )


def test_autosave_shows_saved_time(page: Page, live_server, assert_accessible):
    from baiqau.applications.services import application_create
    from tests.factories import CallFactory, member_of

    user = verified_user("autosave@test.example")
    call = CallFactory(eligible_org_types=["ngo", "dpo"])
    application = application_create(
        actor=user, call=call, organisation=member_of(user), language="en"
    )
    log_in_as(page, live_server.url, user)

    url = f"{live_server.url}/en/applications/{application.pk}/edit/project/"
    page.goto(url)
    status = page.locator("#save-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.locator("#id_title").focus()
    page.keyboard.type("Ramps for every school")
    # Saved two seconds after the typing stops; the server answers with the time, seconds too.
    saved = re.compile(r"^Saved at (\d{2}):(\d{2}):(\d{2})\s*$")
    expect(status).to_have_text(saved, timeout=5000)
    assert_accessible(page)
    # The time is Almaty time, as everywhere on the site.
    hours, minutes, seconds = map(int, saved.match(status.inner_text()).groups())
    now = datetime.now(ZoneInfo("Asia/Almaty"))
    seconds_ago = (now.hour - hours) * 3600 + (now.minute - minutes) * 60 + now.second - seconds
    assert 0 <= seconds_ago % 86400 < 30, (status.inner_text(), now)

    application.refresh_from_db()
    assert application.title_en == "Ramps for every school"
    page.reload()
    expect(page.locator("#id_title")).to_have_value("Ramps for every school")

"""The commission decides, the organiser publishes, anyone checks: a call's results in a real
browser, from the ranking to the protocol PDF and the open data.

A call in review (results_journey_data.py): a commission of three, each with a TOTP
authenticator, scored five applications whose Kazakh titles and names use ә ғ қ ң ө ұ ү һ і;
the result rules (tie-break by the first criterion, then the vote, then a draw, with the
lottery value) were fixed before review.

1. The organiser (Kazakh pages) computes the ranking with the button on the results page and
   sees the raw and calibrated totals and the rank intervals.
2. The chair (Kazakh) opens a decision session: not quorate, and putting the ranking to the
   vote is refused with her reason kept. The two members (one on Russian pages, one on
   English pages, each in their own browser) confirm their attendance; the chair's quorum box
   refreshes itself (htmx polling, the clock run forward) and says quorate; she puts the
   ranking to the vote. The chair and the Russian-speaking member vote for; the
   English-speaking member votes against, first without the dissent the vote needs (refused,
   her choice kept), then with it. The chair closes the vote after its confirmation page
   (adopted, 2 for, 1 against, the dissent shown) and then the session.
3. The organiser checks the generated announcement (it names the winner), adds a sentence,
   saves, and publishes the results after the confirmation page.
4. A visitor downloads the Kazakh protocol from the public results page. Its first page is
   rendered to PNG (pdftoppm) and is not blank; its text (pdftotext) holds the call's Kazakh
   title and an organiser's Kazakh name exactly, with no replacement character or box; every
   font is embedded DejaVu or Noto, which cover the Kazakh letters.
5. The public results page, in Kazakh and in English, shows the method (the tie-break with
   the criterion's name, the rank intervals), the announcement and the links to the protocol
   and the open data; the open-data page lists grants.json, scores.json and manifest.json with
   their SHA-256, which match the files served.

axe-core checks every page visited (each state of the decision page for each person); the
findings are collected and reported together at the end.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .results_journey_data import (
    APPLICATIONS,
    CALL_TITLE,
    CHAIR,
    COMMISSION,
    CRITERIA,
    KAZAKH_LETTERS,
    LOTTERY_VALUE,
    MEMBER_EN,
    MEMBER_RU,
    ORGANISER,
    ORGANISERS,
    SLUG,
    build_call,
)
from .test_organiser_journey import Findings, log_in, make_user, press_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTION_REASON = "Комиссия есептелген рейтингті бекітуге ұсынады."
DISSENT = "Қарсымын: «Үміт жолы» ұйымының жобасы жоғары орынға лайық, әсері ұзаққа созылады."
ANNOUNCEMENT_ADDITION = "Жеңімпаздарды марапаттау рәсімі қаңтардың соңында өтеді."
OPENDATA_FILES = ("grants.json", "scores.json", "manifest.json")


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    # Whatever the environment says, staff must use a second factor in this journey.
    settings.BAIQAU_STAFF_REQUIRE_MFA = True


# --- Helpers ---------------------------------------------------------------------------------


def ws(lang: str, name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    with translation.override(lang):
        return reverse(f"workspace:{name}", kwargs={"slug": SLUG, **kwargs})


def public(lang: str, name: str) -> str:
    from django.urls import reverse

    with translation.override(lang):
        return reverse(f"publishing:{name}", args=[SLUG])


def words(lang: str, text: str, **params: Any) -> str:
    """A message as the pages say it in `lang` (whatever the catalogue holds now)."""
    with translation.override(lang):
        message = translation.gettext(text)
    return message % params if params else message


def at(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}(#[\w-]*)?$"))


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Desk:
    """One person at their own browser."""

    person: dict[str, str]
    page: Page
    context: BrowserContext | None = None

    @property
    def lang(self) -> str:
        return self.person["lang"]

    def decision(self, site: str) -> None:
        self.page.goto(site + ws(self.lang, "decision"))
        at(self.page, ws(self.lang, "decision"))


def quorum_box(page: Page):
    return page.locator("#quorum-box")


def check_quorum(page: Page, lang: str, present: int, *, quorate: bool) -> None:
    box = quorum_box(page)
    expect(box).to_contain_text(words(lang, "Present: %(n)s of %(m)s.", n=present, m=3))
    sentence = (
        "The session is quorate: the commission may vote."
        if quorate
        else "The session is not quorate: the commission cannot vote yet."
    )
    expect(box.locator("strong")).to_have_text(words(lang, sentence))


def render_first_page(pdf: Path) -> tuple[Path, str, str]:
    """The first page as a PNG (80 dpi), its text (layout kept) and the PDF's fonts."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    [png] = sorted(pdf.parent.glob(f"{prefix.name}-*1.png"))
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode(
        "utf-8"
    )
    return png, text, fonts


def ink(png: Path) -> float:
    """The share of the page's pixels that are not (nearly) white."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        return sum(histogram[:240]) / (grey.width * grey.height)


# --- The journey -----------------------------------------------------------------------------


def test_the_commission_decides_and_the_results_are_published(
    page: Page, browser: Browser, live_server, assert_accessible, tmp_path
):
    from baiqau.audit.models import AuditEvent
    from baiqau.results.models import (
        Ballot,
        Choice,
        DecisionSession,
        Motion,
        MotionResult,
        Ranking,
        SessionStatus,
    )

    site = live_server.url
    findings = Findings(assert_accessible)
    organiser, organiser_secret = make_user(ORGANISER, totp=True)
    members = [make_user(person, totp=True) for person in COMMISSION]
    journey = build_call(organiser, [user for user, _secret in members])
    call, apps, criteria = journey.call, journey.applications, journey.criteria
    winner, second, third = apps[0], apps[1], apps[2]
    # The lottery value was on record before the review began.
    actions = list(
        AuditEvent.objects.filter(action__in=["results.rules_updated", "call.start_review"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["results.rules_updated", "call.start_review"], actions

    # 1. The organiser computes the ranking on the results page and reads it.
    page.goto(site + ws("kk", "results"))
    log_in(page, findings, "kk", ORGANISER, organiser_secret)
    at(page, ws("kk", "results"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_contain_text(CALL_TITLE["kk"])
    expect(page.locator("#status-heading + p")).to_have_text(
        words("kk", "No ranking has been computed yet.")
    )
    findings.accessible(page)
    press_submit(page, "section[aria-labelledby=status-heading] form button[type=submit]")
    at(page, ws("kk", "results"))
    ranking = Ranking.objects.get(call=call, is_current=True)
    assert ranking.computed_by == organiser and ranking.confirmed_at is None
    assert ranking.rules["tie_break"] == [f"criterion:{criteria[0].pk}", "vote", "lot"]
    assert ranking.rules["lottery_value"] == LOTTERY_VALUE
    expect(page.locator(".messages")).to_contain_text(words("kk", "The ranking was computed."))
    table = page.locator("section[aria-labelledby=ranking-heading] table")
    headers = table.locator("thead th")
    for column in ("Raw total", "Calibrated total", "Plausible positions"):
        expect(headers.filter(has_text=words("kk", column))).to_have_count(1)
    for criterion in CRITERIA:
        expect(headers.filter(has_text=criterion["kk"])).to_have_count(1)
    rows = table.locator("tbody tr")
    expect(rows.locator("th")).to_have_text([row["title"]["kk"] for row in APPLICATIONS])
    # The tie at 72 points is broken by the first criterion; the two share the interval 2–3.
    for tied in (1, 2):
        expect(rows.nth(tied).locator("td").nth(6)).to_have_text("2–3")
        expect(rows.nth(tied).locator(".tie")).to_have_count(1)
    expect(page.locator("section[aria-labelledby=ties-heading] article")).to_have_count(1)
    expect(page.locator("section[aria-labelledby=ties-heading]")).to_contain_text(CRITERIA[0]["kk"])
    findings.accessible(page)

    # 2. The chair opens a decision session.
    desks = []
    for person, (_user, secret) in zip(COMMISSION, members, strict=True):
        context = browser.new_context()
        desk = Desk(person, context.new_page(), context)
        # The quorum box polls every 15 seconds: the clock is run forward rather than waited.
        desk.page.clock.install()
        desk.page.goto(site + ws(desk.lang, "decision"))
        log_in(desk.page, findings, desk.lang, person, secret)
        at(desk.page, ws(desk.lang, "decision"))
        expect(desk.page.locator("html")).to_have_attribute("lang", desk.lang)
        desks.append(desk)
    chair, ghani, hadiya = desks
    assert (chair.person, ghani.person, hadiya.person) == (CHAIR, MEMBER_RU, MEMBER_EN)
    board = chair.page
    expect(board.locator("#session-heading")).to_have_text(
        words("kk", "No decision session is open")
    )
    open_button = board.locator(f"form[action='{ws('kk', 'decision_open')}'] button")
    expect(open_button).to_be_enabled()
    findings.accessible(board)
    with board.expect_navigation():
        open_button.click()
    at(board, ws("kk", "decision"))
    session = DecisionSession.objects.get(call=call, status=SessionStatus.OPEN)
    assert session.quorum == 2
    check_quorum(board, "kk", 1, quorate=False)
    findings.accessible(board)

    # Putting the ranking to the vote now is refused; the reason she typed stays.
    board.locator("#id_motion-reason").fill(MOTION_REASON)
    press_submit(board, f"form[action='{ws('kk', 'decision_motion', pk=session.pk)}'] button")
    summary = board.locator("#error-summary")
    expect(summary).to_contain_text(
        words("kk", "The session is not quorate: %(p)s present, the quorum is %(q)s.", p=1, q=2)
    )
    expect(board.locator("#id_motion-reason")).to_have_value(MOTION_REASON)
    assert not Motion.objects.filter(session=session).exists()
    findings.accessible(board)

    # The members see the session and confirm their attendance, each in their language.
    for present, desk in enumerate((ghani, hadiya), start=2):
        desk.decision(site)
        check_quorum(desk.page, desk.lang, present - 1, quorate=present > 2)
        attend = desk.page.locator(
            f"form[action='{ws(desk.lang, 'decision_attend', pk=session.pk)}'] button"
        )
        expect(attend).to_have_text(words(desk.lang, "Confirm my attendance"))
        findings.accessible(desk.page)
        with desk.page.expect_navigation():
            attend.click()
        at(desk.page, ws(desk.lang, "decision"))
        expect(desk.page.locator(".messages")).to_contain_text(
            words(desk.lang, "Your attendance is confirmed.")
        )
        check_quorum(desk.page, desk.lang, present, quorate=True)
        expect(attend).to_have_count(0)
        findings.accessible(desk.page)

    # The chair's quorum box refreshes itself (htmx, every 15 s): quorate, all present.
    with board.expect_response(re.compile(r"/decision/\d+/quorum/$")):
        board.clock.fast_forward(16_000)
    check_quorum(board, "kk", 3, quorate=True)
    expect(quorum_box(board)).to_contain_text(words("kk", "Every member is present."))
    expect(board.locator("#id_motion-reason")).to_have_value(MOTION_REASON)
    findings.accessible(board)
    press_submit(board, f"form[action='{ws('kk', 'decision_motion', pk=session.pk)}'] button")
    at(board, ws("kk", "decision"))
    motion = Motion.objects.get(session=session)
    assert (motion.result, motion.reason) == (MotionResult.PENDING, MOTION_REASON)
    expect(board.locator(".messages")).to_contain_text(
        words("kk", "The ranking is put to the vote.")
    )
    findings.accessible(board)

    # The chair and the Russian-speaking member vote for.
    vote = "form[action='{}'] button[type=submit]"
    for desk in (chair, ghani):
        if desk is not chair:
            desk.decision(site)
        desk.page.locator(f"input[name='ballot-choice'][value='{Choice.FOR}']").check()
        press_submit(desk.page, vote.format(ws(desk.lang, "decision_vote", pk=motion.pk)))
        at(desk.page, ws(desk.lang, "decision"))
        expect(desk.page.locator("#my-vote")).to_be_visible()
        findings.accessible(desk.page)

    # The English-speaking member votes against: refused without a dissent, her choice kept.
    hadiya.decision(site)
    ballot = hadiya.page.locator(f"form[action='{ws('en', 'decision_vote', pk=motion.pk)}']")
    against = ballot.locator(f"input[name='ballot-choice'][value='{Choice.AGAINST}']")
    against.check()
    press_submit(hadiya.page, vote.format(ws("en", "decision_vote", pk=motion.pk)))
    expect(hadiya.page.locator("#error-summary")).to_contain_text(
        words("en", "A vote against needs your dissenting opinion; it goes into the protocol.")
    )
    expect(hadiya.page.locator("#id_ballot-dissent")).to_have_attribute("aria-invalid", "true")
    expect(against).to_be_checked()
    assert not Ballot.objects.filter(motion=motion, member__user=journey.commission[2]).exists()
    findings.accessible(hadiya.page)
    hadiya.page.locator("#id_ballot-dissent").fill(DISSENT)
    press_submit(hadiya.page, vote.format(ws("en", "decision_vote", pk=motion.pk)))
    at(hadiya.page, ws("en", "decision"))
    expect(hadiya.page.locator("#my-vote")).to_contain_text(DISSENT)
    findings.accessible(hadiya.page)
    assert sorted(Ballot.objects.filter(motion=motion).values_list("choice", flat=True)) == sorted(
        [Choice.FOR, Choice.FOR, Choice.AGAINST]
    )

    # The chair closes the vote after its confirmation page: adopted.
    chair.decision(site)
    close_vote = ws("kk", "decision_motion_close", pk=motion.pk)
    board.locator(f"main a[href='{close_vote}']").click()
    at(board, close_vote)
    expect(board.locator("main h1")).to_have_text(words("kk", "Close the vote and count it?"))
    findings.accessible(board)
    press_submit(board, "main form button[type=submit]")
    at(board, ws("kk", "decision"))
    last = board.locator("#last-vote")
    expect(last).to_contain_text(
        words("kk", "Adopted: the commission confirmed this ranking and its awards.")
    )
    expect(last).to_contain_text(
        words("kk", "Votes: %(f)s for, %(a)s against, %(b)s abstaining.", f=2, a=1, b=0)
    )
    expect(last.locator("li", has_text=DISSENT)).to_contain_text(MEMBER_EN["name"])
    findings.accessible(board)
    motion.refresh_from_db()
    ranking.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED and ranking.confirmed_at is not None

    # … and then the session, after its confirmation page.
    close_session = ws("kk", "decision_close", pk=session.pk)
    board.locator(f"main a[href='{close_session}']").click()
    at(board, close_session)
    findings.accessible(board)
    press_submit(board, "main form button[type=submit]")
    at(board, ws("kk", "decision"))
    expect(board.locator("#session-heading")).to_have_text(
        words("kk", "No decision session is open")
    )
    expect(board.locator("section[aria-labelledby=history-heading] article")).to_have_count(1)
    findings.accessible(board)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    for desk in desks:
        assert desk.context is not None
        desk.context.close()

    # 3. The organiser checks the announcement, adds a sentence, and publishes the results.
    page.goto(site + ws("kk", "results_publish"))
    at(page, ws("kk", "results_publish"))
    winners = page.locator("section[aria-labelledby=winners-heading] tbody th")
    expect(winners).to_have_text([a.title_kk for a in (winner, second, third)])
    findings.accessible(page)
    page.locator(f"main a[href='{ws('kk', 'results_announcement')}']").click()
    at(page, ws("kk", "results_announcement"))
    text_kk = page.locator("#id_text_kk")
    expect(text_kk).to_have_attribute("lang", "kk")
    expect(text_kk).to_have_value(re.compile(re.escape(APPLICATIONS[0]["title"]["kk"])))
    expect(page.locator("#generated-kk + div")).to_contain_text(APPLICATIONS[0]["title"]["kk"])
    findings.accessible(page)
    text_kk.fill(text_kk.input_value().rstrip() + "\n\n" + ANNOUNCEMENT_ADDITION)
    press_submit(page, "section[aria-labelledby=edit-heading] button[type=submit]")
    at(page, ws("kk", "results_announcement"))
    expect(page.locator(".messages")).to_contain_text(words("kk", "The announcement is saved."))
    expect(text_kk).to_have_value(re.compile(re.escape(ANNOUNCEMENT_ADDITION) + "$"))
    findings.accessible(page)
    page.goto(site + ws("kk", "results_publish"))
    press_submit(page, "main form button[type=submit].button-danger")
    at(page, ws("kk", "results"))
    call.refresh_from_db()
    assert call.results_published_at is not None
    expect(page.locator(".messages")).to_contain_text(
        words("kk", "The results are published: the call is decided and every applicant is told.")
    )
    findings.accessible(page)

    # 4. A visitor downloads the Kazakh protocol from the public results page.
    visitor_context = browser.new_context()
    visitor = visitor_context.new_page()
    visitor.goto(site + public("kk", "call_results"))
    expect(visitor.locator("html")).to_have_attribute("lang", "kk")
    protocol_link = visitor.locator(f"main a[href='{public('kk', 'results_protocol')}']")
    expect(protocol_link).to_have_text(words("kk", "Results protocol (PDF)"))
    pdf = tmp_path / "protocol-kk.pdf"
    # Served inline, the PDF opens in Chromium's own viewer (no download event, and the
    # viewer's page in place of the body): the file is fetched from the link's address with
    # the visitor's request context.
    href = protocol_link.get_attribute("href")
    assert href
    response = visitor.request.get(site + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    disposition = f'inline; filename="protocol-{SLUG}-kk.pdf"'
    assert response.headers["content-disposition"] == disposition
    pdf.write_bytes(response.body())
    assert pdf.read_bytes().startswith(b"%PDF")
    png, text, fonts = render_first_page(pdf)
    assert png.stat().st_size > 10_000
    assert ink(png) > 0.01, "the first page of the protocol renders blank"
    page_one = flat(text)
    assert CALL_TITLE["kk"] in page_one, page_one
    assert ORGANISERS[0]["kk"] in page_one, page_one
    assert ORGANISERS[1]["kk"] in page_one, page_one
    assert CHAIR["name"] in page_one, page_one
    assert set(KAZAKH_LETTERS) <= set(page_one)
    assert "\ufffd" not in text and "□" not in text and "\u25a1" not in text
    font_rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert font_rows, fonts
    for line in font_rows:
        assert re.search(r"DejaVu|Noto", line), f"not a font with Kazakh coverage: {line}"
        embedded = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert embedded and embedded.group(1) == "yes", f"font not embedded: {line}"

    # Further on, the protocol records the dissent with its author's name.
    whole = flat(
        subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
    )
    assert DISSENT in whole and MEMBER_EN["name"] in whole, whole

    # 5. The public results page, in Kazakh and in English: the method, the announcement, the
    # links to the protocol and the open data.
    for lang in ("kk", "en"):
        if lang != "kk":
            visitor.goto(site + public(lang, "call_results"))
            expect(visitor.locator("html")).to_have_attribute("lang", lang)
        expect(visitor.locator("main h1")).to_contain_text(CALL_TITLE[lang])
        method = visitor.locator("section[aria-labelledby=ranking] dl.facts")
        ties_by = method.locator("dt", has_text=words(lang, "Ties are broken by"))
        expect(ties_by).to_have_count(1)
        expect(ties_by.locator("xpath=following-sibling::dd[1]")).to_contain_text(CRITERIA[0][lang])
        expect(method.locator("dt", has_text=words(lang, "Rank intervals"))).to_have_count(1)
        expect(method).to_contain_text(LOTTERY_VALUE)
        expect(visitor.locator("section[aria-labelledby=winners] h3")).to_have_text(
            [row["title"][lang] for row in APPLICATIONS[:3]]
        )
        if lang == "kk":
            expect(visitor.locator("section[aria-labelledby=announcement]")).to_contain_text(
                ANNOUNCEMENT_ADDITION
            )
        expect(visitor.locator(f"main a[href='{public(lang, 'results_protocol')}']")).to_have_count(
            1
        )
        expect(visitor.locator(f"main a[href='{public(lang, 'opendata')}']")).to_have_count(1)
        findings.accessible(visitor)

    # The open data, from the link on the Kazakh page.
    visitor.goto(site + public("kk", "call_results"))
    visitor.locator(f"main a[href='{public('kk', 'opendata')}']").click()
    at(visitor, public("kk", "opendata"))
    files = visitor.locator("section[aria-labelledby=files-heading] tbody tr")
    served: dict[str, bytes] = {}
    for name in OPENDATA_FILES:
        row = files.filter(has=visitor.locator("th", has_text=name))
        expect(row).to_have_count(1)
        href = row.locator("th a").get_attribute("href")
        assert href
        body = visitor.request.get(site + href)
        assert body.ok, (name, body.status)
        served[name] = body.body()
        digest = hashlib.sha256(served[name]).hexdigest()
        expect(row.locator("code")).to_have_text(digest)
    manifest = json.loads(served["manifest.json"])
    listed = str(manifest)
    for name in ("grants.json", "scores.json"):
        assert hashlib.sha256(served[name]).hexdigest() in listed, (name, manifest)
    findings.accessible(visitor)
    visitor_context.close()

    findings.raise_any()

"""Three experts review a call's applications in a real browser, each in their own language.

The organiser (English pages) invites three people who have accounts: an expert who reads
Kazakh pages, one who reads Russian pages, and the commission's chair, who reads English pages
(the chair is an expert too). Each follows the link in their e-mail, logs in with a password
and a TOTP code, accepts, and fills in the expert profile. The organiser runs the solver,
reviews its proposal and applies it. The experts declare their interests; the Kazakh-speaking
expert declares a conflict with one application, which leaves her queue and is a 404 for her
from then on. The solver, run again, gives the missing review to the one expert still free of
conflict with it, never to her. Each expert scores in their own language (a point of a labelled
scale chosen with the keyboard, a draft saved, then the submission), and the chair sees the
review progress reach 100%.

Every page visited, the experts' and the staff's jury pages, gets an axe-core check; the
findings are collected and reported together at the end, so that one does not hide the rest of
the journey. The jury's strings are not translated yet: the Kazakh and Russian pages are
checked by their language attribute and their data (criteria, scale labels, areas of expertise
and the call's title in that language), not by the wording of the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .test_organiser_journey import Findings, log_in, make_user, press_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "accessible-city-2026"
CALL_TITLE = {
    "kk": "Бәріне қолжетімді қала",
    "ru": "Доступный город",
    "en": "A city open to everyone",
}
ORGANISER = {"email": "aigerim.organiser@test.example", "name": "Aigerim Organiser", "lang": "en"}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    lang: str
    role: str  # of the invitation: "expert" or "chair"
    areas: tuple[str, ...]  # English names of the call's areas of expertise
    expertise: str
    languages: tuple[str, ...]

    def __getitem__(self, key: str) -> str:  # log_in() reads person["email"]
        return getattr(self, key)


GULNAR = Person(
    email="gulnar.expert@test.example",
    name="Гүлнар Сарапшы",
    lang="kk",
    role="expert",
    areas=("Children",),
    expertise="Он жыл балалар үйірмелерін басқардым.",
    languages=("kk", "ru"),
)
OLGA = Person(
    email="olga.expert@test.example",
    name="Ольга Эксперт",
    lang="ru",
    role="expert",
    areas=("Disability",),
    expertise="Руководила реабилитационным центром для взрослых.",
    languages=("ru", "kk"),
)
SARAH = Person(
    email="sarah.chair@test.example",
    name="Sarah Chair",
    lang="en",
    role="chair",
    areas=("Employment", "Disability"),
    expertise="Employment programmes for people with disabilities.",
    languages=("en", "ru", "kk"),
)
EXPERTS = (GULNAR, OLGA, SARAH)
MAX_LOAD = 4
CONFLICT_REASON = "Мен осы ұйымның кеңесшісімін."

# One criterion has a label for every point of its scale: experts choose among radio buttons.
CRITERIA = [
    {
        "name": {"kk": "Әлеуметтік әсер", "ru": "Социальный эффект", "en": "Social impact"},
        "weight": 60,
        "scale": (1, 4),
        "anchors": {
            "1": {"kk": "Әлсіз", "ru": "Слабо", "en": "Weak"},
            "2": {"kk": "Орташа", "ru": "Средне", "en": "Fair"},
            "3": {"kk": "Жақсы", "ru": "Хорошо", "en": "Good"},
            "4": {"kk": "Өте жақсы", "ru": "Отлично", "en": "Excellent"},
        },
    },
    {
        "name": {
            "kk": "Бюджеттің негізділігі",
            "ru": "Обоснованность бюджета",
            "en": "Sound budget",
        },
        "weight": 40,
        "scale": (0, 10),
        "anchors": {},
    },
]
# Each in the applicant's language, from four organisations; the first is about children.
APPLICATIONS = [
    {
        "language": "kk",
        "organisation": "Балалар әлемі",
        "title": "Ерекше балаларға арналған сурет үйірмесі",
        "summary": "Мүгедектігі бар балаларға аптасына екі рет сурет сабағы.",
        "areas": ("Children",),
    },
    {
        "language": "ru",
        "organisation": "Равные возможности",
        "title": "Пандусы у подъездов",
        "summary": "Установим пандусы в двадцати домах для людей на колясках.",
        "areas": ("Disability",),
    },
    {
        "language": "ru",
        "organisation": "Работа рядом",
        "title": "Работа для людей с инвалидностью",
        "summary": "Обучим и трудоустроим тридцать человек с инвалидностью.",
        "areas": ("Employment", "Disability"),
    },
    {
        "language": "kk",
        "organisation": "Жарық",
        "title": "Нашар көретіндерге арналған шеберхана",
        "summary": "Нашар көретін адамдарды қолөнерге оқытып, жұмысқа орналастырамыз.",
        "areas": ("Employment",),
    },
]


# --- Set-up in the database ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    # Whatever the environment says, staff and experts must use a second factor here.
    settings.BAIQAU_STAFF_REQUIRE_MFA = True


def build_call(organiser):
    """A call in review: criteria (one with labelled points), prizes, a review plan of two
    reviews per application, the default areas of expertise, four applications."""
    from baiqau.applications.models import Application, ApplicationStatus, BudgetLine
    from baiqau.calls.models import CallStatus, Criterion
    from baiqau.review.models import ApplicationReviewSettings, ReviewPlan
    from baiqau.review.services import expertise_tags_ensure
    from tests.factories import CallFactory, OrganisationFactory, add_prizes, grant

    now = timezone.now()
    call = CallFactory(
        slug=SLUG,
        status=CallStatus.IN_REVIEW,
        **{f"title_{code}": text for code, text in CALL_TITLE.items()},
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        review_ends_at=now + timedelta(days=10),
        results_at=now + timedelta(days=20),
    )
    grant(call, organiser, "organiser")
    add_prizes(call)
    for position, criterion in enumerate(CRITERIA):
        Criterion.objects.create(
            call=call,
            position=position,
            **{f"name_{code}": text for code, text in criterion["name"].items()},
            weight=Decimal(criterion["weight"]),
            min_score=criterion["scale"][0],
            max_score=criterion["scale"][1],
            anchors=criterion["anchors"],
        )
    ReviewPlan.objects.create(call=call, reviews_per_application=2, max_load=MAX_LOAD)
    areas = {tag.name_en: tag for tag in expertise_tags_ensure(call)}
    applications = []
    for row in APPLICATIONS:
        lang = row["language"]
        organisation = OrganisationFactory(
            name_kk=row["organisation"], name_ru=row["organisation"], name_en=row["organisation"]
        )
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            language=lang,
            **{f"title_{lang}": row["title"], f"summary_{lang}": row["summary"]},
            status=ApplicationStatus.IN_REVIEW,
            submitted_at=now - timedelta(days=12),
            requested_amount=400_000,
        )
        BudgetLine.objects.create(
            application=application, item="Материалы", quantity=4, unit_cost=100_000
        )
        settings_row = ApplicationReviewSettings.objects.create(application=application)
        settings_row.tags.set([areas[name] for name in row["areas"]])
        applications.append(application)
    return call, applications, areas


# --- Helpers ---------------------------------------------------------------------------------


def url(lang: str, name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    with translation.override(lang):
        return reverse(name, kwargs={"slug": SLUG, **kwargs})


def at(page: Page, path: str) -> None:
    """The page is at `path` (with a fragment the browser kept across a redirect)."""
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}(#[\w-]*)?$"))


def check_language(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)


def application_row(application) -> dict[str, Any]:
    return next(row for row in APPLICATIONS if row["title"] == application.title)


@dataclass
class Desk:
    """One expert at their own browser."""

    person: Person
    context: BrowserContext
    page: Page
    secret: str
    user: Any
    findings: Findings
    seat: Any = None
    checked: set[str] = field(default_factory=set)

    def check(self, kind: str) -> None:
        """axe-core on the page, once per kind of page and expert (they repeat otherwise)."""
        if kind not in self.checked:
            self.checked.add(kind)
            self.findings.accessible(self.page)

    def go(self, site: str, name: str, **kwargs: Any) -> None:
        self.page.goto(site + url(self.person.lang, name, **kwargs))
        at(self.page, url(self.person.lang, name, **kwargs))

    def open_from_queue(self, site: str, application) -> None:
        self.go(site, "review:queue")
        path = url(self.person.lang, "review:application", pk=application.pk)
        self.page.locator(f"main a[href='{path}']").click()
        at(self.page, path)


def invitation_path(mailoutbox, person: Person) -> str:
    """The link of the invitation e-mailed to `person`: a page in their own language."""
    found = [
        match
        for message in mailoutbox
        if message.to == [person.email]
        and (match := re.search(r"https?://\S+/manage/invitations/\S+/", message.body))
    ]
    assert len(found) == 1, [(m.to, m.subject) for m in mailoutbox]
    path = urlparse(found[0].group(0)).path
    assert path.startswith(f"/{person.lang}/manage/invitations/"), path
    return path


def declare(me: Desk, application, *, reason: str = "") -> None:
    """On the declaration page of `application`: no conflict, or a conflict with a reason
    (first forgotten, to see the error)."""
    page, lang = me.page, me.person.lang
    row = application_row(application)
    expect(page.locator("main h1")).to_have_text(row["title"])
    expect(page.locator("main")).to_contain_text(row["organisation"])
    # Nothing of the content before the declaration.
    expect(page.locator("main")).not_to_contain_text(row["summary"])
    expect(page.locator("main input[name^=score_]")).to_have_count(0)
    check_language(page, lang)
    me.check("declare")
    submit = "main form[action$='/declare/'] button[type=submit]"
    if reason:
        page.locator("input[name=conflict][value=yes]").check()
        press_submit(page, submit)
        expect(page.locator("#error-summary")).to_be_focused()
        expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
        me.check("declare with an error")
        page.locator("#id_reason").fill(reason)
        press_submit(page, submit)
        at(page, url(lang, "review:queue"))
        me.check("queue after a conflict")
    else:
        page.locator("input[name=conflict][value=no]").check()
        press_submit(page, submit)
        at(page, url(lang, "review:application", pk=application.pk))
        expect(page.locator("main")).to_contain_text(row["summary"])


def score(me: Desk, application, criteria, points: tuple[int, int], *, first: bool) -> None:
    """On the application's page: both scores, in the expert's language. The first time, the
    labelled point is chosen with the keyboard and a draft is saved before submitting."""
    from baiqau.review.models import Review, ReviewStatus

    page, lang = me.page, me.person.lang
    labelled, plain = criteria
    check_language(page, lang)
    scoring = page.locator("section[aria-labelledby=scoring]")
    # The criteria and the labels of the scale's points come in the expert's language; so
    # does the form's "(required)", translated already.
    expect(scoring.locator(".criterion h3")).to_have_text([c["name"][lang] for c in CRITERIA])
    for point, labels in CRITERIA[0]["anchors"].items():
        label = scoring.locator(f"label[for=id_score_{labelled.pk}_{int(point) - 1}]")
        expect(label).to_have_text(f"{point} — {labels[lang]}")
    with translation.override(lang):
        required = f"({translation.gettext('required')})"
    if lang != "en":
        assert required != "(required)", f"“required” is not translated into {lang}"
    expect(scoring.locator(f"#id_score_{labelled.pk} legend .required")).to_have_text(required)
    radios = scoring.locator(f"input[type=radio][name=score_{labelled.pk}]")
    number = scoring.locator(f"#id_score_{plain.pk}")
    expect(radios).to_have_count(len(CRITERIA[0]["anchors"]))
    me.check("application")
    social, budget = points
    if first:
        # The keyboard: "Go to the scores", Tab into the radio group, Space, then arrows.
        page.locator("main a[href='#scoring']").click()
        page.keyboard.press("Tab")
        expect(radios.nth(0)).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(social - 1):
            page.keyboard.press("ArrowRight")
        expect(radios.nth(social - 1)).to_be_focused()
        expect(radios.nth(social - 1)).to_be_checked()
        number.fill(str(budget))
        press_submit(page, "button[name=action][value=draft]")
        at(page, url(lang, "review:application", pk=application.pk))
        review = Review.objects.get(expert=me.seat, application=application)
        assert review.status == ReviewStatus.DRAFT
        assert {s.criterion_id: s.value for s in review.scores.all()} == {
            labelled.pk: Decimal(social),
            plain.pk: Decimal(budget),
        }
        # The draft comes back as it was saved.
        expect(radios.nth(social - 1)).to_be_checked()
        expect(number).to_have_value(str(budget))
        me.check("application with a draft")
    else:
        scoring.locator(f"label[for=id_score_{labelled.pk}_{social - 1}]").click()
        number.fill(str(budget))
    page.locator("#id_comment_for_applicant").fill(f"{social}/{budget}: {me.person.expertise}")
    press_submit(page, "button[name=action][value=submit]")
    at(page, url(lang, "review:queue"))
    review = Review.objects.get(expert=me.seat, application=application)
    assert review.status == ReviewStatus.SUBMITTED
    assert {s.criterion_id: s.value for s in review.scores.all()} == {
        labelled.pk: Decimal(social),
        plain.pk: Decimal(budget),
    }


def run_solver(page: Page, findings: Findings, site: str) -> Any:
    """From the assignments page: run the solver and wait for its proposal."""
    from baiqau.review.models import AssignmentRun, RunStatus

    page.goto(site + url("en", "workspace:assignments"))
    findings.accessible(page)
    press_submit(page, f"form[action='{url('en', 'workspace:assignment_run_start')}'] button")
    expect(page).to_have_url(re.compile(r"/jury/runs/\d+/$"))
    run = AssignmentRun.objects.latest("created_at")
    # With a worker the page polls the run's progress and reloads itself when it is done; the
    # tests' immediate task backend has finished it before the page opens.
    apply = page.locator(f"form[action='{url('en', 'workspace:assignment_run_apply', pk=run.pk)}']")
    expect(apply).to_be_visible(timeout=30_000)
    findings.accessible(page)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.result
    return run


def apply_proposal(page: Page, findings: Findings) -> None:
    press_submit(page, "form[action$='/apply/'] button[type=submit]")
    at(page, url("en", "workspace:assignments"))
    expect(page.locator(".messages")).to_be_visible()
    findings.accessible(page)


# --- The journey -----------------------------------------------------------------------------


def test_experts_declare_and_score_in_their_languages(
    page: Page, browser: Browser, live_server, mailoutbox, assert_accessible
):
    from baiqau.calls.models import CallRole, CallRoleKind
    from baiqau.review.models import Assignment, Declaration, Expert, Review, ReviewStatus
    from baiqau.review.selectors import call_progress

    site = live_server.url
    findings = Findings(assert_accessible)
    organiser, organiser_secret = make_user(ORGANISER, totp=True)
    call, applications, areas = build_call(organiser)
    criteria = tuple(call.criteria.all())
    desks = []
    for person in EXPERTS:
        user, secret = make_user(
            {"email": person.email, "name": person.name, "lang": person.lang}, totp=True
        )
        context = browser.new_context()
        desks.append(Desk(person, context, context.new_page(), secret, user, findings))
    gulnar, olga, sarah = desks
    experts_page = url("en", "workspace:experts")

    # 1. The organiser invites the three from the jury's experts page: Sarah as the chair.
    page.goto(site + experts_page)
    log_in(page, findings, "en", ORGANISER, organiser_secret)
    at(page, experts_page)
    findings.accessible(page)
    for person in EXPERTS:
        page.locator("#id_email").fill(person.email)
        page.locator("#id_role").select_option(person.role)
        press_submit(page, "section[aria-labelledby=invite-heading] button[type=submit]")
        at(page, experts_page)
        expect(page.locator("#error-summary")).to_have_count(0)
    invited = page.locator("section:has(#invitations-heading) tbody th")
    assert sorted(invited.all_inner_texts()) == sorted(p.email for p in EXPERTS)
    findings.accessible(page)

    # 2. Each follows the link in their e-mail, to a page in their language, logs in, accepts
    # and fills in the expert profile: areas (offered in their language), languages, load.
    for me in desks:
        person, desk = me.person, me.page
        path = invitation_path(mailoutbox, person)
        desk.goto(site + path)
        log_in(desk, findings, person.lang, person, me.secret)
        at(desk, path)
        check_language(desk, person.lang)
        expect(desk.locator("main")).to_contain_text(CALL_TITLE[person.lang])
        me.check("invitation")
        press_submit(desk, "main form button[type=submit]")
        at(desk, url(person.lang, "review:profile"))
        check_language(desk, person.lang)
        me.check("profile")
        for name in person.areas:
            label = desk.locator("label", has_text=getattr(areas[name], f"name_{person.lang}"))
            expect(label).to_have_count(1)
            label.click()
        desk.locator("#id_expertise").fill(person.expertise)
        for code in person.languages:
            desk.locator(f"input[name=languages][value={code}]").check()
        desk.locator("#id_max_load").fill(str(MAX_LOAD))
        press_submit(desk, "main form button[type=submit]")
        at(desk, url(person.lang, "review:queue"))
        expect(desk.locator("main table")).to_have_count(0)  # nothing assigned yet
        me.check("empty queue")
        me.seat = Expert.objects.get(call=call, user=me.user)
        assert me.seat.profile_done_at is not None
        assert sorted(me.seat.languages) == sorted(person.languages)
        assert {t.name_en for t in me.seat.tags.all()} == set(person.areas)
        assert me.seat.max_load == MAX_LOAD
        # The expert's home lists the call by its title in their language.
        desk.goto(f"{site}/{person.lang}/expert/")
        queue = url(person.lang, "review:queue")
        expect(desk.locator(f"main a[href='{queue}']")).to_have_text(CALL_TITLE[person.lang])
        me.check("home")
    assert (sarah.seat.is_chair, sarah.seat.is_commission) == (True, True)
    assert not gulnar.seat.is_commission and not olga.seat.is_commission
    assert CallRole.objects.get(call=call, user=sarah.user).role == CallRoleKind.CHAIR
    # Experts who are not on the commission have a seat on the panel, no staff role.
    assert not CallRole.objects.filter(call=call, user__in=[gulnar.user, olga.user]).exists()

    page.reload()
    expect(page.locator("section:has(#invitations-heading) tbody th")).to_have_count(0)
    roster = page.locator("main table").first.locator("tbody tr")
    expect(roster).to_have_count(len(EXPERTS))
    for person in EXPERTS:
        expect(roster.filter(has_text=person.name)).to_have_count(1)
    findings.accessible(page)

    # 3. The organiser runs the solver, reviews its proposal and applies it.
    run = run_solver(page, findings, site)
    assert len(run.result["pairs"]) == 2 * len(applications)
    assert run.result["summary"]["coverage"] == 100.0
    expect(page.locator("section:has(#pairs-heading) tbody tr")).to_have_count(len(applications))
    apply_proposal(page, findings)
    pairs = set(
        Assignment.objects.filter(application__call=call).values_list("application_id", "expert_id")
    )
    assert len(pairs) == 2 * len(applications)
    mine = {me.seat.pk: [a for a in applications if (a.pk, me.seat.pk) in pairs] for me in desks}
    for me in desks:
        # Each is told by e-mail, with a link to their queue in their language.
        queue = url(me.person.lang, "review:queue")
        assert [m for m in mailoutbox if m.to == [me.person.email] and queue in m.body]
    # The only expert in the area "Children" got the application about children.
    children = applications[0]
    assert children in mine[gulnar.seat.pk], run.result["pairs"]

    # 4. The experts declare their interests. Gulnar advises the organisation behind the
    # application about children: she declares a conflict, and it leaves her queue.
    for me in desks:
        me.go(site, "review:queue")
        expect(me.page.locator("main tbody tr")).to_have_count(len(mine[me.seat.pk]))
        check_language(me.page, me.person.lang)
        me.check("queue")
        for application in mine[me.seat.pk]:
            me.open_from_queue(site, application)
            conflict = me is gulnar and application == children
            declare(me, application, reason=CONFLICT_REASON if conflict else "")
            if not conflict:
                me.check("application")
    declaration = Declaration.objects.get(expert=gulnar.seat, application=children, is_current=True)
    assert (declaration.conflict, declaration.reason) == (True, CONFLICT_REASON)
    assert not Assignment.objects.filter(expert=gulnar.seat, application=children).exists()
    gulnar.go(site, "review:queue")
    expect(gulnar.page.locator("main tbody tr")).to_have_count(len(mine[gulnar.seat.pk]) - 1)
    expect(gulnar.page.locator("main")).not_to_contain_text(application_row(children)["title"])
    # The application is a 404 for her now: its page and the other experts' scores.
    for name in ("review:application", "review:scores"):
        response = gulnar.page.goto(site + url("kk", name, pk=children.pk))
        assert response is not None and response.status == 404, name

    # 5. The organiser runs the solver again: the missing review goes to the one expert left
    # free of conflict with the application, never to Gulnar.
    page.goto(site + url("en", "workspace:assignments"))
    title = application_row(children)["title"]
    lacking = page.locator("main tbody tr", has_text=title)
    expect(lacking.locator(".badge")).to_have_count(1)
    # The application's assignments: Gulnar is offered with her declared conflict.
    one = url("en", "workspace:assignment_application", pk=children.pk)
    lacking.locator(f"th a[href='{one}']").click()
    at(page, one)
    expect(page.locator("section[aria-labelledby=assigned-heading] h3")).to_have_count(1)
    option = page.locator(f"#id_add-expert option[value='{gulnar.seat.pk}']")
    expect(option).to_contain_text("declared by the expert")
    findings.accessible(page)
    run = run_solver(page, findings, site)
    [[app_id, expert_id, _affinity]] = run.result["pairs"]
    assert app_id == children.pk and expert_id != gulnar.seat.pk
    holder = next(me for me in desks if me.seat.pk == expert_id)
    assert (children.pk, holder.seat.pk) not in pairs
    proposed = page.locator("section:has(#pairs-heading) tbody tr")
    expect(proposed).to_have_count(1)
    expect(proposed).to_contain_text(title)
    expect(proposed).to_contain_text(holder.person.name)
    expect(proposed).not_to_contain_text(GULNAR.name)
    apply_proposal(page, findings)
    row = page.locator("main tbody tr", has_text=title)
    expect(row.locator(".badge")).to_have_count(0)
    expect(row).to_contain_text(holder.person.name)
    expect(row).not_to_contain_text(GULNAR.name)
    assert not Assignment.objects.filter(expert=gulnar.seat, application=children).exists()
    assert Assignment.objects.filter(application=children).count() == 2

    # 6. Each expert scores everything assigned to them, in their language; the one given
    # the application about children declares first.
    points = iter([(3, 7), (2, 5), (4, 9), (1, 3), (3, 6), (4, 8), (2, 4), (3, 8)])
    for me in desks:
        assigned = [
            a.application
            for a in Assignment.objects.filter(expert=me.seat)
            .select_related("application")
            .order_by("application_id")
        ]
        for n, application in enumerate(assigned):
            me.open_from_queue(site, application)
            if me is holder and application == children:
                declare(me, application)
            score(me, application, criteria, next(points), first=n == 0)
        expect(me.page.locator("main progress")).to_have_attribute("value", str(len(assigned)))
        me.check("queue, all submitted")

    # After submitting, the plan lets an expert see the others' scores: numbered, not named.
    application = mine[olga.seat.pk][0]
    olga.go(site, "review:application", pk=application.pk)
    scores = url("ru", "review:scores", pk=application.pk)
    olga.page.locator(f"main a[href='{scores}']").click()
    at(olga.page, scores)
    check_language(olga.page, "ru")
    expect(olga.page.locator("main tbody tr")).to_have_count(2)
    for person in EXPERTS:
        expect(olga.page.locator("main")).not_to_contain_text(person.name)
    olga.check("scores")

    # 7. The chair opens the review progress in the workspace: 100%.
    submitted = Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
    assert submitted.count() == 2 * len(applications)
    assert call_progress(call, 2).percent == 100
    board = sarah.page
    board.goto(site + url("en", "workspace:review_progress"))
    at(board, url("en", "workspace:review_progress"))
    expect(board.locator("#overall-text")).to_contain_text("(100%)")
    overall = board.locator("progress[aria-labelledby=overall-heading]")
    expect(overall).to_have_attribute("value", "100")
    rows = board.locator("main table tbody tr")
    expect(rows).to_have_count(len(EXPERTS))
    for person in EXPERTS:
        expect(rows.filter(has_text=person.name)).to_contain_text("100%")
    findings.accessible(board)

    for me in desks:
        me.context.close()
    findings.raise_any()

"""The impact view (issue 7, part 5): its totals are the sums of the accepted reports, its
categories add up, indicator progress takes the latest accepted value, the money and the
projects' standing are right, the pages cost a fixed number of queries, no page lists people,
the charts are accessible SVG, and the staff page opens only to the call's staff."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from matplotlib.figure import Figure

from baiqau.calls.models import CallStatus
from baiqau.monitoring import charts
from baiqau.monitoring.impact import PUBLIC_MIN_PROJECTS, Money, impact_figures
from baiqau.monitoring.impact_projects import (
    IndicatorProgress,
    indicator_progress,
    project_page,
    standing_of,
)
from baiqau.monitoring.models import (
    AgeGroup,
    Agreement,
    AgreementStatus,
    BeneficiaryCount,
    DisabilityGroup,
    Report,
    ReportStatus,
)
from baiqau.monitoring.services import (
    IndicatorSpec,
    ReportSpec,
    TrancheSpec,
    agreement_offer,
    agreement_update,
    report_accept,
    report_reopen,
    tranche_approve,
)
from tests.factories import CallFactory, UserFactory, grant
from tests.monitoring.impact_builders import (
    Funded,
    accepted,
    complete,
    funded_call,
    pay,
    returned,
    rich,
    row,
    submit,
    url,
    withhold,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
AGE_LABELS = [str(label) for label in AgeGroup.labels]
GROUP_LABELS = [str(label) for value, label in DisabilityGroup.choices if value]


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


@pytest.fixture(autouse=True)
def _empty_chart_cache():
    cache.clear()


def today() -> date:
    return timezone.localdate()


def reached(funded: Funded, public: bool = True) -> int:
    return impact_figures(call=funded.call, public=public).beneficiaries.reached


def accepted_sum(funded: Funded) -> int:
    """The definition, computed the slow way: each accepted report's accepted version."""
    total = 0
    for report in Report.objects.filter(agreement__call=funded.call):
        if report.status == ReportStatus.ACCEPTED:
            total += sum(b.count for b in report.accepted_version.beneficiaries.all())
    return total


# --------------------------------------------------------------------------- totals


def test_totals_in_the_impact_view_equal_the_sum_of_accepted_reports(client):
    funded = funded_call(3)
    organiser = funded.organiser
    (i0, f0), (i1, _f1), (i2, _f2) = (funded.reports(n) for n in range(3))
    accepted(i0, funded.owners[0], organiser, [row(count=4), row("0-17", "m", "child", 2)])
    submit(i1, funded.owners[1], [row(count=50)])  # submitted, under review: not counted
    returned(i2, funded.owners[2], organiser, [row(count=70)])  # returned: not counted
    # Returned with 9, revised to 5 and accepted: counted once, as accepted.
    returned(f0, funded.owners[0], organiser, [row("35-62", "f", "2", 9)])
    accepted(f0, funded.owners[0], organiser, [row("35-62", "f", "2", 5)])

    assert accepted_sum(funded) == 11
    assert reached(funded) == 11
    assert reached(funded, public=False) == 11
    page = project_page(call=funded.call, public=True)
    assert [a.reached for a in page] == [11, 0, 0]
    html = client.get(url("impact:call", slug=funded.call.slug)).content.decode()
    assert "<dt>Beneficiaries reached</dt><dd>11 of the 123 targeted (9 %)</dd>" in html


def test_a_reopened_report_counts_no_more_until_accepted_again():
    funded = funded_call(1)
    interim, _final = funded.reports(0)
    accepted(interim, funded.owners[0], funded.organiser, [row(count=8)])
    assert reached(funded) == 8
    report_reopen(actor=funded.organiser, report=interim, reason="Сандар қате.")
    assert reached(funded) == 0
    accepted(interim, funded.owners[0], funded.organiser, [row(count=6)])
    assert reached(funded) == 6 == accepted_sum(funded)


def test_categories_add_up_to_the_total():
    funded = funded_call(3)
    rows = [
        row("0-17", "f", "child", 3),
        row("0-17", "m", None, 4),
        row("18-34", "f", "1", 5),
        row("35-62", "m", "3", 6),
        row("63+", "f", "", 7),
        row("63+", "m", None, 8),
    ]
    for n in range(3):
        accepted(funded.reports(n)[0], funded.owners[n], funded.organiser, rows[n * 2 : n * 2 + 2])
    b = impact_figures(call=funded.call, public=True).beneficiaries
    assert b.reached == 33 == accepted_sum(funded)
    assert sum(total for _label, _w, _m, total in b.by_age) == b.reached
    assert b.women + b.men == b.reached
    assert (b.women, b.men) == (15, 18)
    assert b.without_disability + b.with_disability == b.reached
    assert sum(n for _label, n in b.by_group) == b.with_disability == 21
    assert b.by_age == [
        ("Children (0–17)", 3, 4, 7),
        ("Young people (18–34)", 5, 0, 5),
        ("Adults (35–62)", 0, 6, 6),
        ("Older people (63 and over)", 7, 8, 15),
    ]
    assert b.by_group == [
        ("Disability group I", 5),
        ("Disability group II", 0),
        ("Disability group III", 6),
        ("Child with a disability", 3),
        ("", 7),
    ]


def test_the_target_is_each_agreements_first_indicator():
    funded = funded_call(2, targets=[30, 50], accept=False)
    first = funded.agreements[0]
    # Staff correct the target before the offer, and add a second indicator (not counted).
    agreement_update(
        actor=funded.organiser,
        agreement=first,
        purpose="Өз бетінше өмір",
        summary_public="",
        indicators=[
            IndicatorSpec("People reached", "people", Decimal(0), Decimal(45)),
            IndicatorSpec("Trainings", "sessions", Decimal(0), Decimal(1000)),
        ],
        reports=[ReportSpec("final", today() + timedelta(days=100))],
        tranches=[TrancheSpec(first.amount, today())],
    )
    for agreement in funded.agreements:
        agreement_offer(actor=funded.organiser, agreement=agreement)
    assert impact_figures(call=funded.call, public=True).beneficiaries.target == Decimal(95)


# --------------------------------------------------------------------------- indicators


def test_indicator_progress_uses_the_latest_accepted_value():
    funded = funded_call(1)
    agreement = funded.agreements[0]
    indicator = agreement.indicators.get()
    interim, final = funded.reports(0)
    owner, organiser = funded.owners[0], funded.organiser

    def progress():
        return indicator_progress([agreement.pk])[agreement.pk][0]

    assert progress().latest is None and progress().percent is None
    # The final report (due later) is accepted first, the interim after it: the final's value
    # stays the latest, whatever the order of acceptance.
    accepted(final, owner, organiser, [row()], values={indicator.pk: "30"})
    accepted(interim, owner, organiser, [row()], values={indicator.pk: "12"})
    assert progress().latest == Decimal(30)
    assert progress().percent == round(30 * 100 / 40)
    # A value under review does not count.
    report_reopen(actor=organiser, report=final, reason="Тексеру")
    assert progress().latest == Decimal(12)
    submit(final, owner, [row()], values={indicator.pk: "39"})
    assert progress().latest == Decimal(12)
    # Accepted again with the revised value: now it counts.
    report_accept(actor=organiser, report=final)
    assert progress().latest == Decimal(39)
    assert progress().percent == 98


def test_indicator_percent_counts_from_the_baseline():
    p = IndicatorProgress("Jobs", "people", Decimal(10), Decimal(30), Decimal(25))
    assert p.percent == 75
    flat = IndicatorProgress("Kept", "%", Decimal(5), Decimal(5), Decimal(5))
    assert flat.percent == 100


# --------------------------------------------------------------------------- money


def test_money_totals():
    funded = funded_call(3)
    organiser = funded.organiser
    # Project 0: both tranches paid. Project 1: the first paid, the second withheld.
    # Project 2: the first approved (outstanding), the second planned (outstanding).
    interim0 = funded.reports(0)[0]
    accepted(interim0, funded.owners[0], organiser, [row()])
    for tranche in funded.tranches(0):
        pay(tranche, organiser, today())
    first1, second1 = funded.tranches(1)
    pay(first1, organiser, today())
    withhold(second1, organiser)
    tranche_approve(actor=organiser, tranche=funded.tranches(2)[0])

    money = impact_figures(call=funded.call, public=True).money
    assert money.awarded == 3_000_000
    assert money.paid == 1_000_000 + 600_000
    assert money.withheld == 400_000
    assert money.outstanding == 1_000_000
    assert money.approved == 600_000
    assert money.paid + money.withheld + money.outstanding == money.awarded
    rows = [
        (a.paid, a.withheld, a.outstanding) for a in project_page(call=funded.call, public=False)
    ]
    assert sorted(rows) == [(0, 0, 1_000_000), (600_000, 400_000, 0), (1_000_000, 0, 0)]


def test_drafts_count_for_staff_only():
    funded = funded_call(2, accept=False)
    agreement_offer(actor=funded.organiser, agreement=funded.agreements[0])
    public = impact_figures(call=funded.call, public=True)
    staff = impact_figures(call=funded.call, public=False)
    assert (public.standing.projects, public.standing.drafts, public.money.awarded) == (
        1,
        0,
        1_000_000,
    )
    assert (staff.standing.projects, staff.standing.drafts, staff.money.awarded) == (
        1,
        1,
        1_000_000,
    )


# --------------------------------------------------------------------------- standing


def test_on_track_late_and_closed_with_a_frozen_clock():
    # Six in the morning UTC is eleven in Almaty: the same calendar day in both.
    start = timezone.now().replace(hour=6, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        funded = funded_call(5)
    days_to_interim = (funded.reports(0)[0].due_date - timezone.localdate(start)).days
    with time_machine.travel(start + timedelta(days=days_to_interim + 1), tick=False):
        owners, organiser = funded.owners, funded.organiser
        accepted(funded.reports(0)[0], owners[0], organiser, [row()])  # on track
        # Submitted and waiting for staff: the organisation owes nothing, still on track.
        submit(funded.reports(1)[0], owners[1], [row()])
        returned(funded.reports(2)[0], owners[2], organiser, [row()])  # returned: late
        # Project 3: nothing submitted: late. Project 4: everything done and closed.
        complete(funded, 4, [row(count=2)], timezone.localdate())
        standing = impact_figures(call=funded.call, public=True).standing
        assert (standing.on_track, standing.late, standing.closed) == (2, 2, 1)
        page = {a.pk: a for a in project_page(call=funded.call, public=True)}
        assert [standing_of(page[a.pk]) for a in funded.agreements] == [
            "on_track",
            "on_track",
            "late",
            "late",
            "closed",
        ]
    # On the due date itself nothing is late yet.
    with time_machine.travel(start + timedelta(days=days_to_interim), tick=False):
        standing = impact_figures(call=funded.call, public=True).standing
        assert (standing.on_track, standing.late, standing.closed) == (4, 0, 1)


# --------------------------------------------------------------------------- queries


def _count(client, name: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(name, **kwargs))
    assert response.status_code == 200
    return len(captured)


# Public pages: their own reads only. Overview: agreements grouped, tranches grouped,
# categories grouped, the calls with their totals (4). One call: the call, the three grouped
# reads, the count and the page of projects (6). The staff page: the workspace's fixed cost
# (session, user, role with the call, the header's notifications, workspace and expert links:
# 6), the three grouped reads, the count and the page of projects, their indicators (12).
@pytest.mark.parametrize("size", [1, 10])
def test_the_impact_pages_cost_the_same_for_1_or_10_projects(client, size):
    funded = funded_call(size)
    rich(funded, today())
    assert _count(client, "impact:overview") == 4
    assert _count(client, "impact:call", slug=funded.call.slug) == 6
    client.force_login(funded.organiser)
    assert _count(client, "workspace:impact", slug=funded.call.slug) == 12


# --------------------------------------------------------------------------- no people


def test_no_person_level_data_exists_to_leak():
    """A category count is all the database keeps of beneficiaries: no name, no birth date, no
    identifier of a person."""
    fields = {f.name for f in BeneficiaryCount._meta.get_fields()}
    assert fields == {
        "id",
        "version",
        "age_group",
        "sex",
        "disability",
        "disability_group",
        "count",
    }


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ul>)', html, re.S)


def test_no_public_page_breaks_a_single_projects_beneficiaries_down(client):
    funded = funded_call(PUBLIC_MIN_PROJECTS)
    owners, organiser = funded.owners, funded.organiser
    accepted(funded.reports(0)[0], owners[0], organiser, [row("63+", "m", "1", 7)])
    html = client.get(url("impact:call", slug=funded.call.slug)).content.decode()
    # One project has reported: its categories would be the call's, so none is shown.
    assert "Beneficiaries reached by age group and sex" not in html
    assert "7 of the" in html
    for label in [*AGE_LABELS, *GROUP_LABELS, "Women and girls", "Men and boys"]:
        assert label not in html
    # Once enough projects reported, the call's categories appear, aggregated.
    accepted(funded.reports(1)[0], owners[1], organiser, [row("0-17", "f", None, 3)])
    accepted(funded.reports(2)[0], owners[2], organiser, [row("18-34", "f", "child", 2)])
    html = client.get(url("impact:call", slug=funded.call.slug)).content.decode()
    assert "Beneficiaries reached by age group and sex" in html
    cards = _cards(html)
    assert len(cards) == PUBLIC_MIN_PROJECTS
    for card in cards:  # each project shows its total, never its categories
        assert "<dt>Beneficiaries reached</dt>" in card
        for label in [*AGE_LABELS, *GROUP_LABELS, "Without a disability", "Women and girls"]:
            assert label not in card


def test_the_staff_page_shows_each_projects_total_not_its_categories(client):
    funded = funded_call(2)
    accepted(funded.reports(0)[0], funded.owners[0], funded.organiser, [row("63+", "m", "1", 7)])
    client.force_login(funded.organiser)
    html = client.get(url("workspace:impact", slug=funded.call.slug)).content.decode()
    table = html[html.index('id="projects-caption"') :]
    table = table[: table.index("</table>")]
    assert "7 of 40" in table
    for label in [*AGE_LABELS, *GROUP_LABELS, "Women and girls", "Men and boys"]:
        assert label not in table


def test_the_final_report_summary_is_public_once_accepted(client):
    funded = funded_call(1)
    interim, final = funded.reports(0)
    owner, organiser = funded.owners[0], funded.organiser
    accepted(interim, owner, organiser, [row()], changed="Аралық нәтиже.")
    submit(final, owner, [row()], changed="Он екі адам өз үйіне көшті.")
    target = url("impact:call", slug=funded.call.slug)
    html = client.get(target).content.decode()
    assert "Он екі адам" not in html and "Аралық нәтиже" not in html
    assert "Жоба 1: мүмкіндігі шектеулі" in html  # the public summary
    report_accept(actor=organiser, report=final)
    html = client.get(target).content.decode()
    assert "<h4>What changed, from the final report</h4>" in html
    assert "Он екі адам өз үйіне көшті." in html
    assert "Аралық нәтиже" not in html


# --------------------------------------------------------------------------- pages


def test_the_overview_adds_up_every_public_call(client):
    first = funded_call(2)
    second = funded_call(1)
    accepted(first.reports(0)[0], first.owners[0], first.organiser, [row(count=3)])
    accepted(second.reports(0)[0], second.owners[0], second.organiser, [row(count=4)])
    both = impact_figures(public=True)
    assert both.beneficiaries.reached == 7
    assert both.money.awarded == 3_000_000
    assert both.standing.projects == 3
    html = client.get(url("impact:overview")).content.decode()
    for call in (first.call, second.call):
        assert f'href="{url("impact:call", slug=call.slug)}"' in html


def test_a_call_without_published_results_has_no_public_impact(client):
    funded = funded_call(1)
    funded.call.__class__.objects.filter(pk=funded.call.pk).update(results_published_at=None)
    assert client.get(url("impact:call", slug=funded.call.slug)).status_code == 404
    assert impact_figures(public=True).standing.projects == 0
    draft = CallFactory(status=CallStatus.DRAFT)
    assert client.get(url("impact:call", slug=draft.slug)).status_code == 404
    assert client.get(url("impact:call", slug="no-such-call")).status_code == 404


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_pages_render_in_each_language(client, language):
    funded = funded_call(3)
    rich(funded, today())
    client.force_login(funded.organiser)
    for name, kwargs in (
        ("impact:overview", {}),
        ("impact:call", {"slug": funded.call.slug}),
        ("workspace:impact", {"slug": funded.call.slug}),
    ):
        response = client.get(url(name, language, **kwargs))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert html.count('<svg role="img"') == 4


def test_the_pages_render_before_any_project_is_funded(client):
    call = CallFactory()
    organiser = grant(call, UserFactory(), "organiser")
    html = client.get(url("impact:overview")).content.decode()
    assert "No call has funded projects yet." in html
    assert html.count('<svg role="img"') == 1  # the money, all zero
    client.force_login(organiser)
    html = client.get(url("workspace:impact", slug=call.slug)).content.decode()
    assert "No project of this call has an agreement offered yet." in html
    assert "The public impact page" not in html  # the results are not public


def test_a_wrong_page_number_shows_a_page(client):
    funded = funded_call(3)
    for page in ("abc", "-1", "999"):
        response = client.get(url("impact:call", slug=funded.call.slug) + f"?page={page}")
        assert response.status_code == 200
    page = project_page(call=funded.call, public=True, page_number=2, per_page=2)
    assert [a.pk for a in page] == [funded.agreements[2].pk]


# --------------------------------------------------------------------------- charts


def parse(svg: str) -> ET.Element:
    # Markup this server drew from its own figures, not untrusted input.
    return ET.fromstring(svg)  # noqa: S314


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def test_each_chart_is_valid_svg_named_and_described_with_a_table_beside(client):
    funded = funded_call(3)
    rich(funded, today())
    html = client.get(url("impact:call", slug=funded.call.slug)).content.decode()
    svgs = _svgs(html)
    assert len(svgs) == 4
    titles = []
    for svg in svgs:
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert "http" not in svg.replace("http://www.w3.org/", "")  # nothing external
        titles.append(title.text)
    assert titles == [
        "Beneficiaries reached against the target",
        "Beneficiaries reached by age group and sex",
        "Beneficiaries reached by disability",
        "Money awarded, paid, withheld and outstanding",
    ]
    # Each chart's figures are in the table beside it, whose caption is the chart's title.
    for title in titles[1:]:
        assert re.search(rf'<caption id="[a-z-]+">{re.escape(title)}</caption>', html)
    money = parse(svgs[3]).find(f"{SVG}desc").text
    assert money == "Awarded: 3\xa0000\xa0000\xa0₸; Paid: 1\xa0800\xa0000\xa0₸; " + (
        "Withheld: 1\xa0200\xa0000\xa0₸; Outstanding (not yet paid): 0\xa0₸."
    )


def _glyph_ids(text: str) -> set[str]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    indices = {font.get_char_index(ord(ch)) for ch in text if not ch.isspace()}
    assert 0 not in indices  # DejaVu Sans has every letter (0 would be the missing glyph)
    return {f"DejaVuSans-{index:x}" for index in indices}


def test_charts_draw_kazakh_labels_with_their_own_glyphs():
    groups = ["Балалар (0–17)", "Қарт адамдар"]
    svg = charts.with_description(
        charts.grouped_bar_chart_svg(
            groups, [("Әйелдер", [3, 4]), ("Ерлер", [5, 6])], title="Қатысушылар санаты"
        ),
        "Балалар: 3 әйел, 5 ер; Қарт адамдар: 4 әйел, 6 ер.",
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Қатысушылар санаты"
    assert root.find(f"{SVG}desc").text.startswith("Балалар: 3 әйел")
    defined = set(re.findall(r'<path id="chart-[0-9a-f]+-(DejaVuSans-[0-9a-f]+)"', svg))
    assert _glyph_ids("ӘйелдерҚартБалалар") <= defined


def test_a_chart_is_drawn_once_then_comes_from_the_cache(monkeypatch):
    first = charts.money_chart(Money(awarded=5, paid=3))

    def refuse(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(Figure, "savefig", refuse)
    assert charts.money_chart(Money(awarded=5, paid=3)) == first
    with pytest.raises(AssertionError, match="drawn again"):
        charts.money_chart(Money(awarded=6, paid=3))  # other figures: another chart


# --------------------------------------------------------------------------- permissions

STAFF_ROLES = ("organiser", "secretary", "chair", "member")


def _people(funded: Funded) -> dict[str, object]:
    people: dict[str, object] = {"organiser": funded.organiser, "anonymous": None}
    for role in ("secretary", "chair", "member", "observer"):
        people[role] = grant(funded.call, UserFactory(full_name=role), role)
    people["applicant"] = funded.owners[0]
    people["other_organiser"] = grant(CallFactory(), UserFactory(full_name="Other"), "organiser")
    return people


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        *((role, 200) for role in STAFF_ROLES),
        ("observer", 404),
        ("applicant", 404),
        ("other_organiser", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_staff_impact_page(client, persona, expected):
    funded = funded_call(1)
    person = _people(funded)[persona]
    if person is not None:
        client.force_login(person)
    response = client.get(url("workspace:impact", slug=funded.call.slug))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("persona", ["anonymous", "applicant", "observer", "organiser"])
def test_everyone_opens_the_public_impact_pages(client, persona):
    funded = funded_call(1)
    person = _people(funded)[persona]
    if person is not None:
        client.force_login(person)
    assert client.get(url("impact:overview")).status_code == 200
    assert client.get(url("impact:call", slug=funded.call.slug)).status_code == 200


def test_the_staff_page_refuses_writes(client):
    funded = funded_call(1)
    client.force_login(funded.organiser)
    assert client.post(url("workspace:impact", slug=funded.call.slug)).status_code == 405
    assert client.post(url("impact:call", slug=funded.call.slug)).status_code == 405


def test_agreements_of_other_statuses_are_not_projects():
    funded = funded_call(2)
    Agreement.objects.filter(pk=funded.agreements[1].pk).update(status=AgreementStatus.DRAFT)
    assert impact_figures(call=funded.call, public=True).standing.projects == 1

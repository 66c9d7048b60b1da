"""The call dashboard and the exports of the screening list (CSV, XLSX, background)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import AwardScheme
from baiqau.core.charts import bar_chart_svg, day_chart_svg
from baiqau.organisations.models import OrganisationType
from baiqau.workspace.views.reports import call_figures
from tests.factories import CallFactory, OrganisationFactory, UserFactory, add_prizes, grant

pytestmark = pytest.mark.django_db

HEADERS = [
    "Receipt number",
    "Title",
    "Organisation",
    "BIN",
    "Organisation type",
    "Target group",
    "Requested amount, ₸",
    "Status",
    "Submitted (Almaty time)",
]


@pytest.fixture(autouse=True)
def _staff_without_two_factor(settings):
    # The two-factor rule has its own tests (test_screening.py); here it would only get in the way.
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


@pytest.fixture
def call(db):
    return CallFactory(award_scheme=AwardScheme.POOL, pool_amount=10_000_000)


@pytest.fixture
def staff(call):
    return grant(call, UserFactory(email="reports-organiser@test.example"), "organiser")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def almaty(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.get_default_timezone())


def make_application(
    call,
    *,
    status=ApplicationStatus.SUBMITTED,
    amount=1_000_000,
    org_type=OrganisationType.NGO,
    title_kk="Жоба",
    target_kk="",
    submitted_at=None,
    **fields,
) -> Application:
    application = Application.objects.create(
        call=call,
        organisation=OrganisationFactory(org_type=org_type),
        status=status,
        requested_amount=amount,
        title_kk=title_kk,
        target_group_kk=target_kk,
        submitted_at=None
        if status == ApplicationStatus.DRAFT
        else submitted_at or almaty(2026, 3, 10, 12, 0),
        **fields,
    )
    if status != ApplicationStatus.DRAFT:
        application.receipt_number = f"BQ-{call.pk:04d}-{application.pk:07d}"
        application.save(update_fields=["receipt_number"])
    return application


def dashboard_url(call):
    return f"/en/manage/calls/{call.slug}/dashboard/"


def export_url(call, fmt="csv"):
    return f"/en/manage/calls/{call.slug}/export/{fmt}/"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


# --------------------------------------------------------------------------- dashboard


@pytest.fixture
def mixed(call):
    """Six applications of every kind, submitted on either side of an Almaty midnight."""
    return {
        "a": make_application(
            call, amount=1_000_000, target_kk="Балалар", submitted_at=almaty(2026, 3, 10, 23, 30)
        ),
        # 00:30 in Almaty is still 10 March in UTC: it counts for 11 March.
        "b": make_application(
            call, amount=2_000_000, target_kk=" балалар ", submitted_at=almaty(2026, 3, 11, 0, 30)
        ),
        "c": make_application(
            call,
            status=ApplicationStatus.ELIGIBLE,
            amount=3_000_000,
            org_type=OrganisationType.DISABILITY,
            target_kk="Мүгедектігі бар адамдар",
            submitted_at=almaty(2026, 3, 13, 9, 0),
        ),
        "d": make_application(
            call,
            status=ApplicationStatus.INELIGIBLE,
            amount=4_000_000,
            org_type=OrganisationType.OTHER,
            submitted_at=almaty(2026, 3, 13, 10, 0),
        ),
        "e": make_application(
            call, status=ApplicationStatus.WITHDRAWN, amount=5_000_000, target_kk="Қарттар"
        ),
        "draft": make_application(call, status=ApplicationStatus.DRAFT, amount=6_000_000),
    }


def test_dashboard_figures_equal_the_data(call, mixed):
    figures = call_figures(call)

    assert figures.by_status == [
        ("Submitted", 2, 3_000_000),
        ("Eligible", 1, 3_000_000),
        ("Ineligible", 1, 4_000_000),
        ("Withdrawn", 1, 5_000_000),
    ]
    assert figures.drafts == 1
    assert figures.submitted == 5
    assert figures.requested_all == 15_000_000
    assert figures.requested == 10_000_000  # withdrawn and drafts left out
    assert figures.requested_in_running == 6_000_000  # ineligible left out too
    assert figures.available == 10_000_000
    assert figures.by_org_type == [
        ("Non-governmental organisation", 3, 8_000_000),
        ("Organisation of persons with disabilities", 1, 3_000_000),
        ("State social-protection institution", 0, 0),
        ("Other organisation", 1, 4_000_000),
    ]
    assert figures.target_groups == [
        ("Балалар", 2),
        ("Мүгедектігі бар адамдар", 1),
        ("Қарттар", 1),
    ]
    assert figures.per_day == [
        (date(2026, 3, 10), 2),  # "e" was submitted at the default 10 March noon
        (date(2026, 3, 11), 1),
        (date(2026, 3, 12), 0),
        (date(2026, 3, 13), 2),
    ]


def test_prize_call_compares_with_the_prizes_total(db):
    call = CallFactory(award_scheme=AwardScheme.PRIZES)
    add_prizes(call, amounts=(1_000_000, 700_000, 500_000))
    make_application(call, amount=900_000)

    assert call_figures(call).available == 2_200_000


def test_dashboard_shows_each_chart_with_its_table(staff_client, call, mixed):
    response = staff_client.get(dashboard_url(call))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg role="img"') == 5
    for title_id in re.findall(r'<svg role="img" aria-labelledby="([^"]+)"', html):
        assert f'<title id="{title_id}">' in html
    assert html.count("<caption") == 5
    assert "10\xa0000\xa0000\xa0₸" in html  # the pool, formatted on the server
    assert "Мүгедектігі бар адамдар" in html


def test_dashboard_of_a_call_without_applications(staff_client, call):
    response = staff_client.get(dashboard_url(call))

    assert response.status_code == 200
    assert "No application has been submitted yet." in response.content.decode()
    assert "<svg" not in response.content.decode()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries]


def _add(call, n):
    for i in range(n):
        make_application(
            call,
            amount=100_000 * (i + 1),
            org_type=list(OrganisationType)[i % 4],
            target_kk=f"Топ {i % 7}",
            submitted_at=almaty(2026, 3, 1 + i % 20, 10, 0),
        )


@pytest.mark.parametrize("url", [dashboard_url, export_url, lambda c: export_url(c, "xlsx")])
def test_query_count_does_not_grow_with_the_rows(staff_client, call, url):
    _add(call, 3)
    few = _queries(staff_client, url(call))
    _add(call, 27)
    many = _queries(staff_client, url(call))

    assert len(many) == len(few), "\n".join(many)


# --------------------------------------------------------------------------- exports


def test_csv_export_holds_exactly_the_filtered_rows(staff_client, call, mixed):
    response = staff_client.get(export_url(call), {"status": "submitted"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = read_csv(response)
    assert rows[0] == HEADERS
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [mixed["a"].receipt_number, mixed["b"].receipt_number]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["a", "b", "c", "d", "e"]),  # drafts are the applicants' own
        ({"org_type": "dpo"}, ["c"]),
        ({"min_amount": "3000000", "max_amount": "4000000"}, ["c", "d"]),
        # (SQLite's icontains ignores case in ASCII only: "алалар" matches on every database.)
        ({"target": "алалар"}, ["a", "b"]),
        ({"q": "мүгедектігі"}, ["c"]),
    ],
)
def test_export_honours_the_list_filters(staff_client, call, mixed, query, expected):
    rows = read_csv(staff_client.get(export_url(call), query))[1:]
    xlsx = read_xlsx(staff_client.get(export_url(call, "xlsx"), query).content)[1:]

    wanted = sorted(mixed[key].receipt_number for key in expected)
    assert sorted(r[0] for r in rows) == wanted
    assert sorted(r[0] for r in xlsx) == wanted


def test_csv_decodes_as_utf8_with_kazakh_text(staff_client, call):
    application = make_application(
        call,
        title_kk="Қазақ тілі үйірмесі: әңгіме, ғылым, өнер",
        target_kk="Жасөспірімдер",
        amount=1_234_567,
        submitted_at=almaty(2026, 3, 10, 23, 45),
    )
    application.organisation.name_kk = "«Үміт» қоғамдық бірлестігі"
    application.organisation.name_en = ""
    application.organisation.save()

    rows = read_csv(staff_client.get(export_url(call)))

    assert rows[1] == [
        application.receipt_number,
        "Қазақ тілі үйірмесі: әңгіме, ғылым, өнер",
        "«Үміт» қоғамдық бірлестігі",  # no English name: the Kazakh one, as on the pages
        application.organisation.bin,
        "Non-governmental organisation",
        "Жасөспірімдер",
        "1234567",
        "Submitted",
        "2026-03-10 23:45",  # Almaty time, not UTC (18:45)
    ]


def test_export_texts_follow_the_page_language(staff_client, call):
    make_application(call, title_kk="Жоба", title_ru="Проект", target_kk="Балалар")

    rows = read_csv(staff_client.get(f"/ru/manage/calls/{call.slug}/export/csv/"))

    assert rows[1][1] == "Проект"
    assert rows[1][5] == "Балалар"  # no Russian given: falls back like the pages


def test_spreadsheet_formulas_in_applicants_text_are_not_run(staff_client, call):
    make_application(call, title_kk='=HYPERLINK("http://evil.example","x")', target_kk="@SUM(1)")

    rows = read_csv(staff_client.get(export_url(call)))
    workbook = openpyxl.load_workbook(
        io.BytesIO(staff_client.get(export_url(call, "xlsx")).content)
    )
    title_cell = workbook.worksheets[0]["B2"]

    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[1][5] == "'@SUM(1)"
    assert title_cell.data_type == "s"
    assert title_cell.value == '=HYPERLINK("http://evil.example","x")'


def test_xlsx_export_opens_with_numbers_and_times(staff_client, call):
    application = make_application(
        call, title_kk="Жоба\x0bбелгісі", amount=2_500_000, submitted_at=almaty(2026, 3, 10, 9, 5)
    )

    response = staff_client.get(export_url(call, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = read_xlsx(response.content)
    assert list(rows[0]) == HEADERS
    assert rows[1] == (
        application.receipt_number,
        "Жобабелгісі",  # a control character XML cannot hold is dropped, not fatal
        application.organisation.name_en,
        application.organisation.bin,
        "Non-governmental organisation",
        None,
        2_500_000,
        "Submitted",
        datetime(2026, 3, 10, 9, 5),
    )


def test_unknown_export_format_is_not_found(staff_client, call):
    assert staff_client.get(export_url(call, "pdf")).status_code == 404


# --------------------------------------------------------------------------- background


@pytest.fixture
def long_list(settings, call):
    settings.BAIQAU_EXPORT_STREAM_MAX_ROWS = 2
    return [make_application(call, title_kk=f"Жоба {i}") for i in range(3)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_long_export_runs_in_the_background_and_is_downloaded(staff_client, call, long_list, fmt):
    offer = staff_client.get(export_url(call, fmt), {"sort": "amount"})
    assert offer.status_code == 200
    assert "Content-Disposition" not in offer
    assert "3 applications" in offer.content.decode()

    started = staff_client.post(export_url(call, fmt) + "?sort=amount")
    assert started.status_code == 302
    result_id = started["Location"].rstrip("/").rsplit("/", 1)[1]
    assert default_storage.exists(f"exports/{call.pk}/{result_id}.{fmt}")

    status = staff_client.get(started["Location"])
    assert status.status_code == 200
    assert f"{started['Location']}download/" in status.content.decode()

    download = staff_client.get(f"{started['Location']}download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in read_xlsx(content)]
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == [a.receipt_number for a in long_list]


# The worker closes its database connection after each task, as it should outside a test.
@pytest.mark.django_db(transaction=True)
def test_background_export_with_the_database_backend(settings, staff_client, call, long_list):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    started = staff_client.post(export_url(call))
    pending = staff_client.get(started["Location"])
    assert "The file is being prepared." in pending.content.decode()
    assert staff_client.get(f"{started['Location']}download/").status_code == 404

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    ready = staff_client.get(started["Location"])
    assert "The file is ready: 3 applications." in ready.content.decode()
    download = staff_client.get(f"{started['Location']}download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4


def test_an_export_is_not_found_under_another_call(client, call, staff, long_list):
    client.force_login(staff)
    started = client.post(export_url(call))
    result_id = started["Location"].rstrip("/").rsplit("/", 1)[1]
    other = CallFactory()
    client.force_login(grant(other, UserFactory(), "organiser"))

    assert client.get(f"{export_url(other)}{result_id}/").status_code == 404
    assert client.get(f"{export_url(other)}{result_id}/download/").status_code == 404


def test_malformed_result_id_is_not_found(staff_client, call):
    assert staff_client.get(f"{export_url(call)}..%2F..%2Fsecret/").status_code == 404
    assert staff_client.get(f"{export_url(call)}abc/").status_code == 404


# --------------------------------------------------------------------------- permissions

ROLES = ["organiser", "secretary", "chair", "member", "observer", "none", "other_call"]


@pytest.mark.parametrize("role", ROLES)
def test_reports_permission_matrix(client, settings, call, role):
    settings.BAIQAU_EXPORT_STREAM_MAX_ROWS = 0  # every export goes through the background
    make_application(call)
    owner = grant(call, UserFactory(), "organiser")
    client.force_login(owner)
    started = client.post(export_url(call))["Location"]
    user = UserFactory()
    if role == "other_call":
        grant(CallFactory(), user, "organiser")
    elif role != "none":
        grant(call, user, role)
    client.force_login(user)
    allowed = 200 if role not in ("none", "other_call") else 404

    def status(response):
        if response.streaming:
            b"".join(response.streaming_content)  # which closes the file it reads
        return response.status_code

    assert status(client.get(dashboard_url(call))) == allowed
    assert status(client.get(export_url(call))) == allowed
    assert status(client.get(export_url(call, "xlsx"))) == allowed
    assert status(client.get(started)) == allowed
    assert status(client.get(f"{started}download/")) == allowed
    assert status(client.post(export_url(call))) == (302 if allowed == 200 else 404)


def test_anonymous_is_sent_to_log_in(client, call):
    make_application(call)
    for url in (
        dashboard_url(call),
        export_url(call),
        export_url(call, "xlsx"),
        f"{export_url(call)}{'a' * 32}/",
        f"{export_url(call)}{'a' * 32}/download/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")


# --------------------------------------------------------------------------- charts


def test_chart_is_an_accessible_inline_svg():
    svg = bar_chart_svg(
        ["Балалар", "$x$ </svg><script>alert(1)</script> --> <b>"],
        [1_234_567, 0],
        title="Ұйым түрі <бойынша> & ₸",
    )

    assert svg.startswith('<svg role="img" aria-labelledby="chart-')
    title_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    assert f'<title id="{title_id}">Ұйым түрі &lt;бойынша&gt; &amp; ₸</title>' in svg
    for leak in ("<script", "<style", "<!--", "<?xml", "<!DOCTYPE", "<b>"):
        assert leak not in svg


def test_charts_on_one_page_share_no_ids():
    days = [date(2026, 3, d) for d in range(1, 29)]
    first = bar_chart_svg(["a", "b"], [1, 2], title="One")
    second = bar_chart_svg(["a", "b"], [1, 2], title="Two")
    third = day_chart_svg(days, list(range(28)), title="Three")

    ids = re.findall(r'\bid="([^"]+)"', first + second + third)
    assert len(ids) == len(set(ids))
    for svg in (first, second, third):
        for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', svg):
            assert f'id="{ref}"' in svg


def test_matplotlib_is_imported_only_when_a_chart_is_drawn():
    code = "import sys, baiqau.core.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": ""},
        timeout=60,
    )
    assert result.stdout.strip() == "False"

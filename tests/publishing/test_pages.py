import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.calls.models import CallStatus
from baiqau.results.services import ranking_compute
from tests.factories import CallFactory, add_criteria, add_organisers, call_in_review_with_scores

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
RESULTS = "/{lang}/calls/almaty-social-projects/results/"


@pytest.mark.parametrize(
    ("lang", "first_title", "first_org"),
    [
        (
            "kk",
            "Өз бетімен өмір сүруге арналған үй",
            "«№1 Арнаулы әлеуметтік қызметтер көрсету орталығы» КММ",
        ),
        (
            "ru",
            "Дом для самостоятельного проживания",
            "КГУ «Центр оказания специальных социальных услуг №1»",
        ),
        (
            "en",
            "House for Independent Living",
            "Centre for Special Social Services No. 1 (communal state institution)",
        ),
    ],
)
def test_results_page_shows_winners_in_each_language(demo, client, lang, first_title, first_org):
    response = client.get(RESULTS.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    winners = html.split('id="ranking"')[0]
    assert winners.index(first_title) < winners.index(f"1{NBSP}000{NBSP}000{NBSP}₸")
    assert first_org in winners
    prizes = re.findall(r'<dd class="prize">([^<]+)</dd>', winners)
    assert prizes == [f"1{NBSP}000{NBSP}000{NBSP}₸", f"700{NBSP}000{NBSP}₸", f"500{NBSP}000{NBSP}₸"]


def test_results_page_shows_target_group_and_goal(demo, client):
    html = client.get(RESULTS.format(lang="en")).content.decode()
    assert "Adults over 18 with psychoneurological conditions" in html
    assert "To prepare people over 18 with psychoneurological conditions" in html


def test_scores_use_the_languages_decimal_separator(demo, client):
    kk = client.get(RESULTS.format(lang="kk")).content.decode()
    en = client.get(RESULTS.format(lang="en")).content.decode()
    assert re.search(r'<td class="num">\d{2},\d{2}</td>', kk)
    assert re.search(r'<td class="num">\d{2}\.\d{2}</td>', en)


def test_kazakh_dates_follow_kazakh_conventions(demo, client):
    html = client.get(RESULTS.format(lang="kk")).content.decode()
    assert "28 Қазан 2021 ж." in html


def test_language_switcher_links_to_the_same_page(demo, client):
    html = client.get(RESULTS.format(lang="ru")).content.decode()
    for lang in ("kk", "ru", "en"):
        assert f'href="/{lang}/calls/almaty-social-projects/results/" lang="{lang}"' in html
    assert 'lang="ru" hreflang="ru" aria-current="true"' in html


def test_ties_are_marked_as_ties(client, organiser):
    call = call_in_review_with_scores([[9, 9, 9], [6, 6, 6], [6, 6, 6], [2, 2, 2]])
    ranking_compute(actor=organiser, call=call)
    call.results_published_at = timezone.now()
    call.status = CallStatus.DECIDED
    call.save()
    html = client.get(f"/en/calls/{call.slug}/results/").content.decode()
    positions = re.findall(
        r'<td class="num position">(\d+)( <span class="tie">\(tie\)</span>)?</td>', html
    )
    assert positions == [
        ("1", ""),
        ("2", ' <span class="tie">(tie)</span>'),
        ("2", ' <span class="tie">(tie)</span>'),
        ("4", ""),
    ]


def test_unpublished_results_say_so(client):
    call = CallFactory()
    response = client.get(f"/en/calls/{call.slug}/results/")
    assert response.status_code == 200
    assert "have not been published yet" in response.content.decode()


def test_draft_call_is_not_found(client):
    call = CallFactory(status=CallStatus.DRAFT)
    assert client.get(f"/en/calls/{call.slug}/").status_code == 404
    assert client.get(f"/en/calls/{call.slug}/results/").status_code == 404


def test_unknown_call_is_not_found(client):
    assert client.get("/kk/calls/no-such-call/").status_code == 404


def test_call_page_shows_criteria_prizes_and_timeline(demo, client):
    html = client.get("/en/calls/almaty-social-projects/").content.decode()
    assert "Social significance and relevance" in html
    assert "40%" in html
    assert f"1{NBSP}000{NBSP}000{NBSP}₸" in html
    assert "Almaty Department of Employment and Social Programmes" in html
    assert "1 September 2021, 09:00" in html


def test_home_lists_open_and_past_calls(demo, client):
    open_call = CallFactory(title_en="Open now")
    html = client.get("/en/").content.decode()
    open_part, past_part = html.split('id="past-calls"')
    assert "Open now" in open_part
    assert f"/en/calls/{open_call.slug}/" in open_part
    assert "Competition of social initiative projects" in past_part


def test_root_redirects_to_kazakh(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_post_to_a_public_page_is_refused_not_an_error(client, demo):
    assert client.post("/en/calls/almaty-social-projects/results/").status_code == 405


def _published_call_with(n_applications):
    call = call_in_review_with_scores([[(i % 10), 5, 5] for i in range(n_applications)])
    from baiqau.results.models import Ranking

    ranking_compute(actor=None, call=call)
    assert Ranking.objects.get(call=call, is_current=True).entries.count() == n_applications
    call.results_published_at = timezone.now()
    call.status = CallStatus.DECIDED
    call.save()
    return call


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_results_page_query_count_does_not_grow_with_applications(client):
    small = _published_call_with(10)
    large = _published_call_with(200)
    small_count, _ = _count_queries(client, f"/en/calls/{small.slug}/results/")
    large_count, queries = _count_queries(client, f"/en/calls/{large.slug}/results/")
    assert small_count == large_count, "\n".join(queries)
    assert large_count <= 9, "\n".join(queries)


def test_call_page_and_home_query_counts_are_fixed(client):
    for n in (1, 12):
        for _ in range(n):
            call = CallFactory()
            add_organisers(call, 3)
            add_criteria(call)
    first, _ = _count_queries(client, f"/en/calls/{call.slug}/")
    home, queries = _count_queries(client, "/en/")
    assert first <= 6
    assert home <= 3, "\n".join(queries)


@pytest.mark.parametrize("n", [2, 20])
def test_home_query_count_is_the_same_for_few_and_many_calls(client, n, django_assert_num_queries):
    for _ in range(n):
        add_organisers(CallFactory(), 2)
    with django_assert_num_queries(2):
        assert client.get("/en/").status_code == 200


def test_not_found_page_is_translated_and_uses_the_site_layout(client):
    response = client.get("/ru/calls/no-such-call/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert 'href="#main"' in html

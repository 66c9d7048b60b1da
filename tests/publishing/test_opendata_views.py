"""The public open-data page, its files and its zip."""

import hashlib
import io
import zipfile

import pytest
from django.core.cache import cache

from baiqau.calls.models import CallStatus
from baiqau.publishing.opendata import opendata_build
from baiqau.publishing.opendata_format import MANIFEST
from baiqau.results.services import ranking_compute
from tests.factories import CallFactory, UserFactory, call_in_review_with_scores
from tests.publishing.test_opendata import published_call

pytestmark = pytest.mark.django_db

PAGE = "/{lang}/calls/{slug}/results/open-data/"
ZIP = "/{lang}/calls/{slug}/results/open-data.zip"
FILE = "/{lang}/calls/{slug}/results/open-data/{name}"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rolled-back tests reuse primary keys: a folder cached by one must not serve another.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call():
    return published_call([[9, 9, 9], [7, 7, 7], [5, 5, 5], [3, 3, 3]])


def urls(slug, lang="en"):
    return [
        PAGE.format(lang=lang, slug=slug),
        ZIP.format(lang=lang, slug=slug),
        FILE.format(lang=lang, slug=slug, name="scores.json"),
    ]


def test_nothing_is_public_before_the_results_are(client):
    call = call_in_review_with_scores([[9, 9, 9], [5, 5, 5]])
    ranking_compute(actor=UserFactory(), call=call)
    assert [client.get(url).status_code for url in urls(call.slug)] == [404, 404, 404]


def test_a_draft_or_unknown_call_is_not_found(client):
    draft = CallFactory(status=CallStatus.DRAFT)
    for slug in (draft.slug, "no-such-call"):
        assert [client.get(url).status_code for url in urls(slug)] == [404, 404, 404]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_lists_every_file_with_size_and_hash(client, call, lang):
    response = client.get(PAGE.format(lang=lang, slug=call.slug))
    assert response.status_code == 200
    html = response.content.decode().replace("<wbr>", "")
    files = opendata_build(call)
    for name, data in files.items():
        assert f'href="/{lang}/calls/{call.slug}/results/open-data/{name}"' in html
        assert f"<code>{hashlib.sha256(data).hexdigest()}</code>" in html
        assert f">{len(data)} " in html
    assert html.count("<code>" + hashlib.sha256(files[MANIFEST]).hexdigest()) == 2
    assert f"baiqau verify {call.slug}-open-data" in html
    assert f"python -m baiqau.publishing.verify {call.slug}-open-data" in html
    assert f'href="/{lang}/calls/{call.slug}/results/open-data.zip"' in html
    assert "<caption" in html and 'scope="row"' in html


def test_the_zip_holds_exactly_the_folder(client, call):
    response = client.get(ZIP.format(lang="en", slug=call.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-open-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    folder = f"{call.slug}-open-data/"
    assert {i.filename.removeprefix(folder): archive.read(i) for i in archive.infolist()} == (
        opendata_build(call)
    )
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_zip_is_the_same_every_time(client, call):
    first = client.get(ZIP.format(lang="en", slug=call.slug)).content
    cache.clear()
    assert client.get(ZIP.format(lang="kk", slug=call.slug)).content == first


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("scores.json", "application/json; charset=utf-8"),
        ("ranking.csv", "text/csv; charset=utf-8"),
        (MANIFEST, "application/json; charset=utf-8"),
    ],
)
def test_each_file_downloads_as_published(client, call, name, content_type):
    response = client.get(FILE.format(lang="en", slug=call.slug, name=name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content == opendata_build(call)[name]


@pytest.mark.parametrize(
    "name", ["secrets.json", "..", "manifest.json.bak", "%2e%2e%2fsettings.py"]
)
def test_a_file_not_in_the_folder_is_not_found(client, call, name):
    assert client.get(FILE.format(lang="en", slug=call.slug, name=name)).status_code == 404


def test_posting_is_refused_not_an_error(client, call):
    assert client.post(PAGE.format(lang="en", slug=call.slug)).status_code == 405


def _call_with(applications: int):
    # Totals 4a + 3b + 15 never repeat for these a and b: no tie holds up publication.
    return published_call([[10 - i // 4, 10 - i % 4, 5] for i in range(applications)])


@pytest.mark.parametrize("applications", [3, 12])
def test_a_cached_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, applications
):
    call = _call_with(applications)
    url = PAGE.format(lang="en", slug=call.slug)
    client.get(url)  # builds and caches the folder
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(5):
        client.get(ZIP.format(lang="en", slug=call.slug))


@pytest.mark.parametrize("applications", [3, 12])
def test_building_the_folder_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, applications
):
    call = _call_with(applications)
    with django_assert_num_queries(12):
        assert client.get(PAGE.format(lang="en", slug=call.slug)).status_code == 200

"""The staff's protocol download and the announcement editor: who may open and change them,
and how the editor behaves (typed text kept on errors, a confirmation before regenerating,
frozen once the results are public)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from baiqau.audit.models import AuditEvent
from baiqau.results.models import Announcement
from baiqau.results.services import results_publish
from tests.factories import UserFactory, grant
from tests.results.builders import build_call, flat, pdf_text, public_url
from tests.workspace.jury_builders import PERSONAS, cast, jury_call, url

pytestmark = pytest.mark.django_db

OK, MOVED, MISSING = 200, 302, 404
STAFF = {"organiser", "secretary", "chair", "member", "observer"}


def expect(allowed: set[str], status: int) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED
    table.update(dict.fromkeys(allowed, status))
    return table


@pytest.fixture
def world():
    call = jury_call()
    return {"call": call, "cast": cast(call)}


TEXTS = {"text_kk": "Байқау қорытындысы", "text_ru": "Итоги", "text_en": "Results"}

CASES: list[tuple[str, str, str, Any, dict[str, int]]] = [
    ("protocol", "get", "results_protocol", None, expect(STAFF, OK)),
    ("announcement", "get", "results_announcement", None, expect({"organiser"}, OK)),
    ("announcement-save", "post", "results_announcement", TEXTS, expect({"organiser"}, MOVED)),
    ("regenerate", "get", "results_announcement_regenerate", None, expect({"organiser"}, OK)),
    (
        "regenerate-post",
        "post",
        "results_announcement_regenerate",
        {},
        expect({"organiser"}, MOVED),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "name", "data", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, no_mfa, world, persona, method, name, data, expected):
    user = world["cast"].user(persona)
    if user is not None:
        client.force_login(user)
    target = url(world["call"], name)
    response = client.get(target) if method == "get" else client.post(target, data)
    assert response.status_code == expected[persona], (persona, target, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    elif response.status_code == MOVED:
        told = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        assert all(level < constants.WARNING for level, _text in told), told
    if response.status_code == OK and name == "results_protocol":
        assert response["Content-Type"] == "application/pdf"


def test_staff_must_use_two_factor_authentication(client, world, settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = True
    client.force_login(world["cast"].user("organiser"))
    for name in ("results_protocol", "results_announcement"):
        response = client.get(url(world["call"], name))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")


# The protocol for staff ------------------------------------------------------------------------


def test_staff_see_the_draft_protocol_before_publication(client, no_mfa, tmp_path):
    decided = build_call(confirm=False)
    member = grant(decided.call, UserFactory(), "member")
    client.force_login(member)
    response = client.get(url(decided.call, "results_protocol", language="kk"))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'inline; filename="protocol-{decided.call.slug}-kk.pdf"'
    )
    text = flat(pdf_text(response.content, tmp_path))
    with translation.override("kk"):
        draft = gettext("Draft — not confirmed by the commission")
    assert draft != "Draft — not confirmed by the commission"  # the catalogue translates it
    assert draft in text
    client.logout()
    assert client.get(public_url(decided.call)).status_code == 404


# The announcement editor ----------------------------------------------------------------------


@pytest.fixture
def decided(client, no_mfa):
    world = build_call(confirm=True)
    client.force_login(world.organiser)
    return world


def page(call, name="results_announcement"):
    return url(call, name)


def test_the_editor_shows_the_generated_text_in_three_labelled_fields(client, decided):
    response = client.get(page(decided.call))
    assert response.status_code == 200
    html = response.content.decode()
    announcement = Announcement.objects.get(call=decided.call)
    for code, label in (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")):
        assert f'<label for="id_text_{code}">Announcement in {label}' in html
        assert f'lang="{code}"' in html
    assert "«Өз бетімен өмір сүруге арналған үй» жобасы иеленді" in announcement.text_kk
    assert response.context["form"].initial["text_kk"] == announcement.text_kk
    assert "Generated from the current results" in html


def test_saving_keeps_the_text_and_is_audited(client, decided):
    response = client.post(page(decided.call), TEXTS)
    assert response.status_code == 302
    announcement = Announcement.objects.get(call=decided.call)
    assert (announcement.text_kk, announcement.text_ru, announcement.text_en) == (
        "Байқау қорытындысы",
        "Итоги",
        "Results",
    )
    assert AuditEvent.objects.get(action="results.announcement_saved").actor == decided.organiser
    follow = client.get(response["Location"])
    assert "Байқау қорытындысы" in follow.content.decode()


def test_typed_text_survives_a_validation_error(client, decided):
    typed = {"text_kk": "", "text_ru": "Мой текст объявления", "text_en": "My own words"}
    response = client.post(page(decided.call), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Мой текст объявления" in html
    assert "My own words" in html
    assert "Write the announcement in Kazakh." in html
    assert 'aria-invalid="true"' in html
    assert not AuditEvent.objects.filter(action="results.announcement_saved").exists()


def test_regenerating_asks_first_and_then_replaces_the_edits(client, decided):
    client.post(page(decided.call), TEXTS)
    confirm = client.get(page(decided.call, "results_announcement_regenerate"))
    assert confirm.status_code == 200
    assert confirm.context["confirm_regenerate"] is True
    assert "Yes, replace the texts" in confirm.content.decode()
    # Asking changes nothing.
    assert Announcement.objects.get(call=decided.call).text_kk == "Байқау қорытындысы"
    done = client.post(page(decided.call, "results_announcement_regenerate"))
    assert done.status_code == 302
    announcement = Announcement.objects.get(call=decided.call)
    assert announcement.text_kk.startswith("Байқауды ұйымдастырушылар — ")
    assert AuditEvent.objects.filter(action="results.announcement_regenerated").count() == 1


def test_after_publication_the_editor_is_read_only(client, decided):
    results_publish(actor=decided.organiser, call=decided.call)
    response = client.get(page(decided.call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<fieldset disabled>" in html
    assert "Save the announcement" not in html
    refused = client.post(page(decided.call), TEXTS)
    assert refused.status_code == 400
    assert "withdraw them before changing the announcement" in refused.content.decode()
    assert "Байқау қорытындысы" in refused.content.decode()  # what was typed is still there
    again = client.post(page(decided.call, "results_announcement_regenerate"))
    assert again.status_code == 400
    assert not AuditEvent.objects.filter(action__startswith="results.announcement").exists()


def test_the_editor_speaks_the_language_of_the_address(client, decided):
    response = client.get(url(decided.call, "results_announcement", language="ru"))
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "ru"
    assert '<html lang="ru"' in response.content.decode()

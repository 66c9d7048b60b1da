"""The announcement of the results: generated from the data in Kazakh, Russian and English,
edited by the organisers until publication, every change audited."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import AwardScheme
from baiqau.core.errors import DomainError
from baiqau.domain.money import group_digits
from baiqau.results.announcement import (
    announcement_generate,
    announcement_get_or_generate,
    announcement_regenerate,
    announcement_save,
    clause,
    english_ordinal,
    plural_category,
    quoted,
)
from baiqau.results.models import Announcement, Ranking
from baiqau.results.services import ranking_compute, results_publish, results_reopen
from tests.factories import UserFactory, call_in_review_with_scores, grant
from tests.results.builders import MEMBERS, PROJECTS, build_call

pytestmark = pytest.mark.django_db

AMOUNTS = [1_000_000, 700_000, 500_000]
INDEX = {"kk": 0, "ru": 1, "en": 2}


@pytest.fixture
def world():
    return build_call(confirm=True)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_announcement_names_the_winners_and_their_prizes(world, language):
    text = announcement_generate(world.call)[language]
    index = INDEX[language]
    for (titles, names, _type), amount in zip(PROJECTS, AMOUNTS, strict=False):
        assert titles[index] in text
        assert names[index] in text
        assert group_digits(amount) in text  # with no-break spaces, never wrapped
    # The fourth project won nothing and is not named.
    assert PROJECTS[3][0][index] not in text
    # The organisers, the aim and the commission with its chair.
    assert getattr(world.call.organiser_links.first().organisation, f"name_{language}") in text
    assert MEMBERS[0][0] in text
    assert "\n\n" in text  # paragraphs


def test_each_language_is_written_in_its_own_grammar(world):
    texts = announcement_generate(world.call)
    kk, ru, en = texts["kk"], texts["ru"], texts["en"]
    assert kk.startswith("Байқауды ұйымдастырушылар — ")
    assert "Байқаудың мақсаты — өмірдегі қиын жағдайға душар болған жандарға қолдау көрсету." in kk
    assert (
        "1-орын мен 1\u00a0000\u00a0000 теңге көлеміндегі ақшалай жүлдені "
        "«Өз бетімен өмір сүруге арналған үй» жобасы иеленді." in kk
    )
    assert "Жоба 100 балдан 90 балл жинады" in kk
    assert "үкіметтік емес ұйымдар (2 өтінім)" in kk
    assert "Жеңімпаздарды 5 адамнан тұратын байқау комиссиясы анықтады" in kk
    assert "жеребе арқылы анықталды" in kk  # places 2 and 3 went to the draw
    assert "неправительственные организации (2 заявки)" in ru
    assert "организации лиц с инвалидностью (1 заявка)" in ru
    assert "1-е место и денежный приз в размере 1\u00a0000\u00a0000 тенге получил проект" in ru
    assert "Проект набрал 90 из 100 баллов" in ru
    assert "в составе 5 человек" in ru
    assert "1st place and a cash prize of 1\u00a0000\u00a0000 tenge went to the project" in en
    assert "The aim of the competition is to support people" in en
    assert "(1 application)" in en and "(2 applications)" in en
    # Template syntax never leaks into the text.
    for text in texts.values():
        assert "{" not in text and "¶" not in text and "  " not in text


RUSSIAN_FORMS = {1: "one", 2: "few", 4: "few", 5: "many", 11: "many", 12: "many", 21: "one"}
RUSSIAN_FORMS |= {22: "few", 25: "many", 111: "many", 114: "many", 0: "many"}


@pytest.mark.parametrize(("n", "expected"), sorted(RUSSIAN_FORMS.items()))
def test_russian_plural_forms(n, expected):
    assert plural_category("ru", n) == expected


def test_small_writing_helpers():
    assert plural_category("en", 1) == "one"
    assert plural_category("en", 3) == "other"
    assert plural_category("kk", 1) == "other"
    assert [english_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip
    assert quoted("Жоба", "kk") == "«Жоба»"
    assert quoted("«Жоба»", "ru") == "«Жоба»"
    assert quoted("Project", "en") == "“Project”"
    assert clause("Поддержка проектов. ") == "поддержка проектов"
    assert clause("NGO support") == "NGO support"


def test_a_grant_pool_is_announced_as_grants():
    call = call_in_review_with_scores([[9, 9, 9], [8, 8, 8], [3, 3, 3]])
    call.award_scheme = AwardScheme.POOL
    call.pool_amount = 1_500_000
    call.max_per_project = 800_000
    call.save()
    call.prizes.all().delete()
    call.applications.update(requested_amount=700_000)
    ranking_compute(actor=grant(call, UserFactory()), call=call)
    texts = announcement_generate(call)
    assert "жобасына 700\u00a0000 теңге көлемінде грант берілді" in texts["kk"]
    assert "грант в размере 700\u00a0000 тенге получил проект «Проект 0»" in texts["ru"]
    assert (
        "a grant of 700\u00a0000 tenge went to the project “Project 0”, ranked 1st" in texts["en"]
    )
    assert "Проект 2" not in texts["ru"]


def test_without_a_ranking_the_announcement_says_the_winners_are_not_decided():
    call = build_call(confirm=False).call
    Ranking.objects.filter(call=call).delete()
    texts = announcement_generate(call)
    assert "жеңімпаздары әлі анықталған жоқ" in texts["kk"]
    assert "Победители конкурса пока не определены." in texts["ru"]
    assert "have not been decided yet" in texts["en"]


def test_generating_reads_a_fixed_number_of_queries():
    counts = []
    for rows in (2, 6):
        call = call_in_review_with_scores([[5 + i, 5, 5] for i in range(rows)])
        ranking_compute(actor=grant(call, UserFactory()), call=call)
        with CaptureQueriesContext(connection) as queries:
            announcement_generate(call)
        counts.append(len(queries))
    assert counts == [counts[0]] * 2
    assert counts[0] == 6


# Storing and editing -------------------------------------------------------------------------


def test_get_or_generate_stores_the_text_and_follows_the_data_until_edited(world):
    announcement = announcement_get_or_generate(world.call)
    assert announcement.pk is not None
    assert announcement.text_kk == announcement_generate(world.call)["kk"]
    world.call.title_kk = "Жаңа атау"
    world.call.save()
    announcement = announcement_get_or_generate(world.call)
    assert announcement.text_kk == announcement_generate(world.call)["kk"]
    announcement_save(
        actor=world.organiser, call=world.call, text_kk="Өз мәтінім", text_ru="", text_en=""
    )
    world.call.aim_kk = "Басқа мақсат"
    world.call.save()
    assert announcement_get_or_generate(world.call).text_kk == "Өз мәтінім"
    assert Announcement.objects.filter(call=world.call).count() == 1


def test_saving_is_audited_with_the_old_and_new_texts(world):
    before = announcement_get_or_generate(world.call)
    announcement = announcement_save(
        actor=world.organiser,
        call=world.call,
        text_kk="  Байқау қорытындысы.  ",
        text_ru="Итоги конкурса.",
        text_en="",
    )
    assert announcement.text_kk == "Байқау қорытындысы."
    assert announcement.edited_by == world.organiser
    assert announcement.edited_at is not None
    event = AuditEvent.objects.get(action="results.announcement_saved")
    assert event.actor == world.organiser
    assert event.data["old"] == {"kk": before.text_kk, "ru": before.text_ru, "en": before.text_en}
    assert event.data["new"] == {"kk": "Байқау қорытындысы.", "ru": "Итоги конкурса.", "en": ""}


def test_the_kazakh_text_is_required(world):
    with pytest.raises(DomainError) as error:
        announcement_save(
            actor=world.organiser, call=world.call, text_kk="   ", text_ru="Текст", text_en=""
        )
    assert error.value.code == "text_kk"
    assert not AuditEvent.objects.filter(action="results.announcement_saved").exists()


def test_only_organisers_may_change_it(world):
    secretary = grant(world.call, UserFactory(), "secretary")
    for actor in (secretary, world.members[0], UserFactory()):
        with pytest.raises(DomainError) as error:
            announcement_save(actor=actor, call=world.call, text_kk="Мәтін", text_ru="", text_en="")
        assert error.value.code == "forbidden"
        with pytest.raises(DomainError):
            announcement_regenerate(actor=actor, call=world.call)


def test_published_results_freeze_the_announcement_until_withdrawn(world):
    results_publish(actor=world.organiser, call=world.call)
    world.call.refresh_from_db()
    with pytest.raises(DomainError) as error:
        announcement_save(
            actor=world.organiser, call=world.call, text_kk="Мәтін", text_ru="", text_en=""
        )
    assert error.value.code == "published"
    with pytest.raises(DomainError):
        announcement_regenerate(actor=world.organiser, call=world.call)
    results_reopen(actor=world.organiser, call=world.call, reason="Қате табылды")
    world.call.refresh_from_db()
    announcement = announcement_save(
        actor=world.organiser, call=world.call, text_kk="Түзетілген мәтін", text_ru="", text_en=""
    )
    assert announcement.text_kk == "Түзетілген мәтін"


def test_regenerating_replaces_the_edits_and_is_audited(world):
    announcement_save(
        actor=world.organiser, call=world.call, text_kk="Өз мәтінім", text_ru="", text_en=""
    )
    announcement = announcement_regenerate(actor=world.organiser, call=world.call)
    generated = announcement_generate(world.call)
    assert (announcement.text_kk, announcement.text_ru, announcement.text_en) == (
        generated["kk"],
        generated["ru"],
        generated["en"],
    )
    assert announcement.edited_at is None and announcement.edited_by is None
    event = AuditEvent.objects.get(action="results.announcement_regenerated")
    assert event.data["old"]["kk"] == "Өз мәтінім"
    assert event.data["new"]["kk"] == generated["kk"]

"""Decision letters: one per applicant, in their language, with the outcome, the scores per
criterion and the experts' comments for the applicant, and nothing the applicant may not see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from baiqau.domain.money import format_tenge
from baiqau.notifications.messages import PLACEHOLDERS, placeholders_of
from baiqau.notifications.models import Notification, NotificationKind
from baiqau.organisations.models import Membership
from baiqau.results.letters import letter_samples, letter_values, letters_send
from baiqau.results.models import RankingEntry
from baiqau.results.services import results_publish, results_reopen
from baiqau.review.models import ReviewPlan
from tests.factories import UserFactory
from tests.results.builders import (
    COMMENT_FOR_APPLICANT,
    CRITERION_COMMENT,
    MEMBERS,
    PRIVATE_NOTE,
    PROJECTS,
    add_applicants,
    build_call,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en", "kk"]
CRITERION_1 = {"kk": "Өлшем 1", "ru": "Критерий 1", "en": "Criterion 1"}
DECIMAL = {"kk": "9,00", "ru": "9,00", "en": "9.00"}
TOTAL = {"kk": "90,00", "ru": "90,00", "en": "90.00"}


@pytest.fixture
def world():
    return build_call(confirm=True)


def publish(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(actor=world.organiser, call=world.call)
    world.call.refresh_from_db()


def letters_by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def _in(language, message, **values):
    with translation.override(language):
        text = gettext(message)
    return text % values if values else text


@pytest.mark.parametrize("blind", [True, False])
def test_each_applicant_gets_one_letter_in_their_language(
    world, django_capture_on_commit_callbacks, blind
):
    ReviewPlan.objects.update_or_create(call=world.call, defaults={"blind": blind})
    people = add_applicants(world.applications, LANGUAGES)
    mail.outbox.clear()
    publish(world, django_capture_on_commit_callbacks)
    letters = letters_by_recipient()
    assert len(mail.outbox) == len(people) == 4
    assert set(letters) == {person.email for person in people}
    for person, language, (titles, _names, _type) in zip(people, LANGUAGES, PROJECTS, strict=True):
        body = letters[person.email].body
        index = {"kk": 0, "ru": 1, "en": 2}[language]
        assert titles[index] in body
        assert getattr(world.call, f"title_{language}") in body
        # Scores per criterion, named in the letter's language, and the total.
        assert CRITERION_1[language] in body
        for other in {"kk", "ru", "en"} - {language}:
            assert CRITERION_1[other] not in body
        # What the experts wrote for the applicant: the review's comment and the criterion's.
        assert COMMENT_FOR_APPLICANT in body
        assert CRITERION_COMMENT in body
        with translation.override(language):
            experts = [gettext("Expert %(number)s:") % {"number": n} for n in (1, 5)]
        assert all(expert in body for expert in experts)
        # Never the private note, never who the experts are.
        assert PRIVATE_NOTE not in body
        for name, email in MEMBERS:
            assert name not in body
            assert email not in body
        assert f"http://127.0.0.1:8000/{language}/calls/{world.call.slug}/results/" in body
    winner = letters[people[0].email].body
    assert DECIMAL["kk"] in winner and TOTAL["kk"] in winner
    assert format_tenge(1_000_000) in winner
    assert _in("kk", "%(position)s of %(count)s", position=1, count=4) in winner
    # Places 2 and 3 are tied and go to the draw, whose order follows the applications' ids:
    # read the place the English applicant drew from the ranking.
    english = letters[people[2].email].body
    place = RankingEntry.objects.get(
        ranking__is_current=True, application=world.applications[2]
    ).position
    assert format_tenge({2: 700_000, 3: 500_000}[place]) in english
    assert f"{place} of 4" in english
    last = letters[people[3].email].body
    assert _in("kk", "not awarded.") in last
    assert _in("kk", "%(position)s of %(count)s", position=4, count=4) in last
    kinds = Notification.objects.filter(kind=NotificationKind.RESULTS_DECISION)
    assert kinds.count() == 4
    assert {n.application_id for n in kinds} == {a.pk for a in world.applications}


def test_the_scores_are_written_the_english_way_in_english(
    world, django_capture_on_commit_callbacks
):
    people = add_applicants(world.applications, ["en", "en", "en", "en"])
    publish(world, django_capture_on_commit_callbacks)
    body = letters_by_recipient()[people[0].email].body
    assert DECIMAL["en"] in body and TOTAL["en"] in body
    assert "Criterion 1: 9.00 (scale 0–10)" in body
    assert "Total: 90.00 out of 100" in body


def test_sending_again_for_the_same_publication_tells_nobody_twice(
    world, django_capture_on_commit_callbacks
):
    add_applicants(world.applications, LANGUAGES)
    publish(world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert letters_send(world.call.pk) == 0
    assert len(mail.outbox) == 4


def test_a_new_publication_after_a_withdrawal_sends_new_letters(
    world, django_capture_on_commit_callbacks
):
    add_applicants(world.applications, LANGUAGES)
    publish(world, django_capture_on_commit_callbacks)
    results_reopen(actor=world.organiser, call=world.call, reason="Қате табылды")
    assert letters_send(world.call.pk) == 0  # withdrawn: nothing to tell
    world.call.refresh_from_db()
    publish(world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 8


def test_only_the_people_who_made_the_application_are_told(
    world, django_capture_on_commit_callbacks
):
    people = add_applicants(world.applications, LANGUAGES)
    colleague = UserFactory(email="colleague@decided.example")
    Membership.objects.create(
        organisation=world.applications[0].organisation, user=colleague, role="member"
    )
    # Nobody who made the second application is still a member: every member is told.
    second = world.applications[1]
    Membership.objects.filter(user=people[1]).delete()
    heir = UserFactory(email="heir@decided.example")
    Membership.objects.create(organisation=second.organisation, user=heir, role="owner")
    publish(world, django_capture_on_commit_callbacks)
    recipients = set(letters_by_recipient())
    assert colleague.email not in recipients
    assert people[1].email not in recipients
    assert heir.email in recipients
    assert people[0].email in recipients


def test_nothing_is_sent_before_publication(world):
    add_applicants(world.applications, LANGUAGES)
    assert letters_send(world.call.pk) == 0
    assert letters_send(0) == 0
    assert mail.outbox == []


def test_when_calibrated_scores_decide_the_letter_gives_both_totals(world):
    application = world.applications[0]
    entry = RankingEntry(
        application=application,
        position=1,
        score=Decimal("81.5"),
        raw_score=Decimal("80"),
        calibrated_score=Decimal("81.5"),
        criterion_scores={},
    )
    values = letter_values(
        call=world.call, entry=entry, award=None, count=4, criteria=[], feedback=[], calibrated=True
    )
    assert values["scores"].splitlines() == [
        "– Total: 80.00 out of 100",
        "– Total calibrated for the experts' severity, which decides: 81.50",
    ]
    assert values["comments"] == "The experts left no comments for you."


def test_the_letter_samples_cover_its_placeholders():
    samples = letter_samples("kk")
    assert set(samples) == placeholders_of(NotificationKind.RESULTS_DECISION) - {
        "name",
        "url",
        "call_title",
        "application_title",
        "organisation",
    }
    assert set(samples) <= set(PLACEHOLDERS)
    assert "700\u00a0000\u00a0₸" in samples["outcome"]

"""The organiser's call set-up: services, pages, and who may reach them."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from baiqau.applications.models import (
    Answer,
    Application,
    ApplicationStatus,
    ChecklistAnswer,
    ChecklistValue,
)
from baiqau.audit.models import AuditEvent
from baiqau.calls import setup
from baiqau.calls.models import (
    AwardScheme,
    Call,
    CallRole,
    CallStatus,
    ChecklistItem,
    Criterion,
    Prize,
    Question,
    QuestionKind,
)
from baiqau.calls.services import CriterionSpec
from baiqau.core.errors import DomainError
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    UserFactory,
    add_criteria,
    add_organisers,
    add_prizes,
    call_in_review_with_scores,
    complete_draft,
    grant,
)

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def with_two_factor(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


def may_create_calls(user):
    user.user_permissions.add(Permission.objects.get(codename="add_call"))
    return user


@pytest.fixture
def draft_call(organiser):
    """A draft with nothing set up beyond what creating a call needs."""
    call = CallFactory(
        status=CallStatus.DRAFT,
        title_ru="",
        title_en="",
        aim_kk="",
        aim_ru="",
        aim_en="",
    )
    grant(call, organiser)
    return call


@pytest.fixture
def ready_call(organiser):
    """A draft with everything publication needs."""
    call = CallFactory(status=CallStatus.DRAFT, description_kk="Сипаттама", description_ru="Опис")
    add_criteria(call)
    add_prizes(call)
    grant(call, organiser)
    return call


def submitted_application(call):
    return Application.objects.create(
        call=call,
        organisation=OrganisationFactory(),
        title_kk="Жоба",
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


# --- Services: criteria -----------------------------------------------------------------------


def spec(weight, name="Өлшем", scale=(0, 10)):
    return CriterionSpec(
        name={"kk": name, "ru": "Критерий"},
        weight=Decimal(weight),
        min_score=scale[0],
        max_score=scale[1],
    )


def test_weights_that_do_not_total_100_are_refused(organiser, draft_call):
    with pytest.raises(DomainError) as error:
        setup.criteria_replace(actor=organiser, call=draft_call, criteria=[spec(60), spec(30)])
    assert error.value.code == "weights"
    assert error.value.message == (
        "The criteria's weights must add up to 100% (they add up to 90%)."
    )
    assert draft_call.criteria.count() == 0
    assert actions() == []


def test_criteria_are_replaced_and_audited(organiser, ready_call):
    setup.criteria_replace(
        actor=organiser, call=ready_call, criteria=[spec("62.5", "А"), spec("37.5", "Б", (1, 5))]
    )
    rows = list(ready_call.criteria.values_list("name_kk", "weight", "min_score", "max_score"))
    assert rows == [("А", Decimal("62.5"), 0, 10), ("Б", Decimal("37.5"), 1, 5)]
    event = AuditEvent.objects.get(action="call.criteria_replaced")
    assert [c["weight"] for c in event.data["before"]] == ["40", "30", "30"]
    assert [c["weight"] for c in event.data["after"]] == ["62.5", "37.5"]
    assert event.actor == organiser


def test_a_scale_without_room_to_score_is_refused(organiser, draft_call):
    with pytest.raises(DomainError) as error:
        setup.criteria_replace(actor=organiser, call=draft_call, criteria=[spec(100, scale=(5, 5))])
    assert error.value.code == "scale"
    assert error.value.message == "Criterion 1: the highest score must be above the lowest."


def test_criteria_cannot_change_once_reviews_exist(organiser):
    call = call_in_review_with_scores([[5, 5, 5]])
    with pytest.raises(DomainError) as error:
        setup.criteria_replace(actor=organiser, call=call, criteria=[spec(100)])
    assert error.value.code == "reviews_exist"
    assert call.criteria.count() == 3


def test_saving_the_same_criteria_again_writes_nothing(organiser, ready_call):
    same = [
        CriterionSpec(
            name={"kk": c.name_kk, "ru": c.name_ru, "en": c.name_en},
            weight=c.weight,
            min_score=c.min_score,
            max_score=c.max_score,
        )
        for c in ready_call.criteria.all()
    ]
    ids = list(ready_call.criteria.values_list("pk", flat=True))
    setup.criteria_replace(actor=organiser, call=ready_call, criteria=same)
    assert list(ready_call.criteria.values_list("pk", flat=True)) == ids
    assert actions() == []


# --- Services: the call itself ----------------------------------------------------------------


def test_timeline_out_of_order_is_refused_in_words(organiser, draft_call):
    with pytest.raises(setup.SetupInvalid) as error:
        setup.call_update(
            actor=organiser,
            call=draft_call,
            closes_at=draft_call.opens_at - timedelta(days=1),
        )
    assert error.value.errors["closes_at"] == ["The call must close after it opens."]
    with pytest.raises(setup.SetupInvalid) as error:
        setup.call_update(
            actor=organiser,
            call=draft_call,
            review_ends_at=draft_call.closes_at,
            results_at=draft_call.closes_at - timedelta(days=1),
        )
    assert error.value.errors == {
        "review_ends_at": ["The review must end after the call closes."],
        "results_at": ["The results must be announced after the review ends."],
    }
    draft_call.refresh_from_db()
    assert draft_call.opens_at < draft_call.closes_at < draft_call.review_ends_at
    assert actions() == []


def test_call_update_saves_the_changes_and_audits_them(organiser, draft_call):
    setup.call_update(
        actor=organiser,
        call=draft_call,
        title_ru="Конкурс",
        min_registered_months=12,
        region="Алматы",
        eligible_org_types=["dpo"],
        title_kk=draft_call.title_kk,
    )
    draft_call.refresh_from_db()
    assert (draft_call.title_ru, draft_call.min_registered_months, draft_call.region) == (
        "Конкурс",
        12,
        "Алматы",
    )
    event = AuditEvent.objects.get(action="call.updated")
    assert event.data["changes"] == {
        "title_ru": ["", "Конкурс"],
        "min_registered_months": [None, 12],
        "region": ["", "Алматы"],
        "eligible_org_types": [["ngo", "dpo", "state_social", "other"], ["dpo"]],
    }


def test_a_pool_needs_its_amount(organiser, draft_call):
    with pytest.raises(setup.SetupInvalid) as error:
        setup.call_update(actor=organiser, call=draft_call, award_scheme=AwardScheme.POOL)
    assert error.value.errors == {"pool_amount": ["A grant pool needs its amount."]}


def test_co_organisers_are_named_by_bin(organiser, draft_call):
    first, second = OrganisationFactory(), OrganisationFactory()
    grouped = f"{second.bin[:4]} {second.bin[4:8]} {second.bin[8:]}"
    setup.co_organisers_set(actor=organiser, call=draft_call, bins=[grouped, first.bin])
    assert list(draft_call.co_organisers.order_by("call_links__position")) == [second, first]
    event = AuditEvent.objects.get(action="call.co_organisers_set")
    assert event.data == {"before": [], "after": [second.bin, first.bin]}


def test_an_unknown_bin_is_refused_clearly(organiser, draft_call):
    known = OrganisationFactory()
    with pytest.raises(setup.SetupInvalid) as error:
        setup.co_organisers_set(actor=organiser, call=draft_call, bins=[known.bin, "100140099999"])
    assert error.value.code == "unknown_bin"
    assert error.value.errors == {
        "co_organisers": ["No organisation is registered with the BIN 100140099999."]
    }
    assert draft_call.co_organisers.count() == 0


def test_prizes_are_replaced_and_audited(organiser, ready_call):
    setup.prizes_replace(actor=organiser, call=ready_call, amounts=[2_000_000, 1_000_000])
    assert list(ready_call.prizes.values_list("place", "amount")) == [
        (1, 2_000_000),
        (2, 1_000_000),
    ]
    event = AuditEvent.objects.get(action="call.prizes_replaced")
    assert event.data == {
        "before": [1_000_000, 700_000, 500_000],
        "after": [2_000_000, 1_000_000],
    }


def test_an_archived_call_cannot_change(organiser, ready_call):
    Call.objects.filter(pk=ready_call.pk).update(status=CallStatus.ARCHIVED)
    ready_call.refresh_from_db()
    with pytest.raises(DomainError) as error:
        setup.call_update(actor=organiser, call=ready_call, region="Алматы")
    assert error.value.code == "archived"


# --- Services: publication --------------------------------------------------------------------


def test_publishing_is_refused_with_the_list_of_problems_then_allowed(organiser, draft_call):
    with pytest.raises(setup.PublicationBlocked) as error:
        setup.call_move(actor=organiser, call=draft_call, to=CallStatus.PUBLISHED)
    assert error.value.problems == [
        "The title in Russian is missing.",
        "The aim in Kazakh is missing.",
        "The aim in Russian is missing.",
        "The description in Kazakh is missing.",
        "The description in Russian is missing.",
        "The call has no criteria.",
        "The call has no prizes.",
    ]
    assert error.value.message.startswith("The call cannot be published yet: The title in Russian")
    draft_call.refresh_from_db()
    assert draft_call.status == CallStatus.DRAFT

    texts = {
        f"{base}_{code}": "Мәтін"
        for base in ("title", "aim", "description")
        for code in ("kk", "ru")
    }
    draft_call = setup.call_update(actor=organiser, call=draft_call, **texts)
    add_criteria(draft_call, weights=(50, 30, 10))
    add_prizes(draft_call)
    assert setup.publication_problems(draft_call) == [
        "The criteria's weights add up to 90%, not 100%."
    ]
    Criterion.objects.filter(call=draft_call, position=2).update(weight=20)
    assert setup.publication_problems(draft_call) == []
    call = setup.call_move(actor=organiser, call=draft_call, to=CallStatus.PUBLISHED)
    assert call.status == CallStatus.PUBLISHED
    event = AuditEvent.objects.get(action="call.publish")
    assert event.data == {"from": "draft", "to": "published", "reason": ""}


def test_a_missing_russian_criterion_name_or_question_blocks_publication(organiser, ready_call):
    Criterion.objects.filter(call=ready_call, position=1).update(name_ru="")
    Question.objects.create(call=ready_call, kind=QuestionKind.SHORT_TEXT, label_kk="Сұрақ")
    assert setup.publication_problems(ready_call) == [
        "Criterion 2 has no name in Russian.",
        "Question 1 has no wording in Russian.",
    ]


def test_a_timeline_out_of_order_blocks_publication(organiser, ready_call):
    Call.objects.filter(pk=ready_call.pk).update(review_ends_at=ready_call.closes_at)
    ready_call.refresh_from_db()
    assert setup.publication_problems(ready_call) == ["The review must end after the call closes."]


def test_a_correction_needs_a_reason(organiser, ready_call):
    call = setup.call_move(actor=organiser, call=ready_call, to=CallStatus.PUBLISHED)
    with pytest.raises(DomainError) as error:
        setup.call_move(actor=organiser, call=call, to=CallStatus.DRAFT)
    assert error.value.code == "reason"
    call = setup.call_move(actor=organiser, call=call, to=CallStatus.DRAFT, reason="Typo in aim")
    assert call.status == CallStatus.DRAFT
    assert AuditEvent.objects.get(action="call.unpublish").data["reason"] == "Typo in aim"


def test_only_a_draft_may_change_its_address(organiser, ready_call):
    call = setup.call_update(actor=organiser, call=ready_call, slug="renamed")
    assert call.slug == "renamed"
    call = setup.call_move(actor=organiser, call=call, to=CallStatus.PUBLISHED)
    with pytest.raises(setup.SetupInvalid) as error:
        setup.call_update(actor=organiser, call=call, slug="renamed-again")
    assert error.value.code == "slug_fixed"


def test_a_new_call_needs_its_dates_in_order(staff_client, organiser):
    may_create_calls(organiser)
    now = timezone.localtime(timezone.now(), ALMATY)
    response = staff_client.post(
        "/en/manage/calls/new/",
        {
            "slug": "city",
            "title_kk": "Байқау",
            "opens_at": local(now),
            "closes_at": local(now + timedelta(days=30)),
            "review_ends_at": local(now + timedelta(days=30)),
            "results_at": local(now + timedelta(days=40)),
            "award_scheme": "pool",
            "pool_amount": "10000000",
        },
    )
    assert response.status_code == 400
    assert "The review must end after the call closes." in response.content.decode()
    assert not Call.objects.exists()


def test_a_public_call_cannot_lose_what_publishing_required(organiser, ready_call):
    call = setup.call_move(actor=organiser, call=ready_call, to=CallStatus.PUBLISHED)
    with pytest.raises(setup.SetupInvalid) as error:
        setup.call_update(actor=organiser, call=call, title_ru="")
    assert error.value.code == "public"
    assert error.value.errors == {
        "__all__": [
            "The call is already public, so this change cannot leave it incomplete:",
            "The title in Russian is missing.",
        ]
    }
    with pytest.raises(setup.SetupInvalid) as error:
        setup.criteria_replace(actor=organiser, call=call, criteria=[])
    assert error.value.errors["__all__"][1:] == ["The call has no criteria."]
    with pytest.raises(setup.SetupInvalid) as error:
        setup.question_add(actor=organiser, call=call, kind=QuestionKind.DATE, label_kk="Күні")
    assert error.value.errors["__all__"][1:] == ["Question 1 has no wording in Russian."]
    call.refresh_from_db()
    assert (call.title_ru, call.criteria.count(), call.questions.count()) == (
        ready_call.title_ru,
        3,
        0,
    )
    setup.call_update(actor=organiser, call=call, title_ru="Новое название")
    setup.question_add(
        actor=organiser, call=call, kind=QuestionKind.DATE, label_kk="Күні", label_ru="Дата"
    )


# --- Services: questions ----------------------------------------------------------------------

CHOICES = [
    {"value": "a", "kk": "А", "ru": "А", "en": "A"},
    {"value": "b", "kk": "Б", "ru": "Б", "en": "B"},
]


def add_question(actor, call, **overrides):
    fields = {
        "kind": QuestionKind.SINGLE_CHOICE,
        "label_kk": "Таңдаңыз",
        "label_ru": "Выберите",
        "choices": CHOICES,
    }
    return setup.question_add(actor=actor, call=call, **{**fields, **overrides})


def test_questions_are_added_in_order_and_audited(organiser, ready_call):
    first = add_question(organiser, ready_call)
    second = add_question(organiser, ready_call, kind=QuestionKind.LONG_TEXT, max_length=2000)
    assert [q.pk for q in ready_call.questions.all()] == [first.pk, second.pk]
    assert second.choices == []  # only choice questions keep choices
    assert second.max_length == 2000
    assert actions() == ["call.question_added", "call.question_added"]


def test_a_choice_question_needs_two_choices(organiser, ready_call):
    with pytest.raises(setup.SetupInvalid) as error:
        add_question(organiser, ready_call, choices=CHOICES[:1])
    assert error.value.errors == {"choices": ["A choice question needs at least two choices."]}


def test_after_a_submission_a_question_keeps_its_meaning_but_its_wording_may_change(
    organiser, ready_call
):
    question = add_question(organiser, ready_call)
    submitted_application(ready_call)

    refused = [
        ({"kind": QuestionKind.MULTIPLE_CHOICE}, "kind"),
        ({"choices": [*CHOICES, {"value": "c", "kk": "В"}]}, "choices"),
        ({"choices": [{**CHOICES[0], "value": "x"}, CHOICES[1]]}, "choices"),
        ({"required": True}, "required"),
    ]
    for change, field in refused:
        with pytest.raises(setup.SetupInvalid) as error:
            setup.question_update(actor=organiser, question=question, **change)
        assert error.value.code == "locked"
        assert list(error.value.errors) == [field]
    with pytest.raises(setup.SetupInvalid) as error:
        setup.question_update(actor=organiser, question=question, kind=QuestionKind.SHORT_TEXT)
    assert error.value.message == (
        "Applications have already been submitted: the kind of this question can no longer "
        "change. You may still correct its wording."
    )

    reworded = [{**CHOICES[0], "ru": "Вариант А"}, CHOICES[1]]
    setup.question_update(actor=organiser, question=question, label_ru="Выбор", choices=reworded)
    question.refresh_from_db()
    assert question.label_ru == "Выбор"
    assert question.choices[0]["ru"] == "Вариант А"
    assert question.kind == QuestionKind.SINGLE_CHOICE
    event = AuditEvent.objects.get(action="call.question_updated")
    assert sorted(event.data["changes"]) == ["choices", "label_ru"]


def test_after_a_submission_a_text_limit_may_rise_but_not_fall(organiser, ready_call):
    question = add_question(organiser, ready_call, kind=QuestionKind.LONG_TEXT, choices=[])
    submitted_application(ready_call)
    with pytest.raises(setup.SetupInvalid) as error:
        setup.question_update(actor=organiser, question=question, max_length=1000)
    assert list(error.value.errors) == ["max_length"]
    setup.question_update(actor=organiser, question=question, max_length=8000)
    question.refresh_from_db()
    assert question.max_length == 8000


def test_after_a_submission_a_question_cannot_be_removed(organiser, ready_call):
    question = add_question(organiser, ready_call)
    submitted_application(ready_call)
    with pytest.raises(DomainError) as error:
        setup.question_remove(actor=organiser, question=question)
    assert error.value.code == "locked"
    assert Question.objects.filter(pk=question.pk).exists()


def test_after_a_submission_only_an_optional_question_may_be_added(organiser, ready_call):
    submitted_application(ready_call)
    with pytest.raises(DomainError) as error:
        add_question(organiser, ready_call, required=True)
    assert error.value.code == "locked"
    add_question(organiser, ready_call, required=False)
    assert ready_call.questions.count() == 1


def test_before_any_submission_a_new_kind_clears_the_draft_answers(
    organiser, ready_call, applicant
):
    ready_call.status = CallStatus.PUBLISHED
    ready_call.save()
    question = add_question(organiser, ready_call)
    draft = complete_draft(ready_call, applicant)
    Answer.objects.create(application=draft, question=question, value="a")
    setup.question_update(actor=organiser, question=question, kind=QuestionKind.SHORT_TEXT)
    assert not Answer.objects.filter(question=question).exists()
    event = AuditEvent.objects.get(action="call.question_updated")
    assert event.data["draft_answers_cleared"] == 1
    assert event.data["changes"]["kind"] == ["single_choice", "short_text"]


def test_before_any_submission_a_question_is_removed_with_its_draft_answers(
    organiser, ready_call, applicant
):
    ready_call.status = CallStatus.PUBLISHED
    ready_call.save()
    question = add_question(organiser, ready_call)
    Answer.objects.create(
        application=complete_draft(ready_call, applicant), question=question, value="b"
    )
    pk = question.pk
    setup.question_remove(actor=organiser, question=question)
    assert not Question.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="call.question_removed")
    assert event.data["draft_answers_deleted"] == 1
    assert event.data["question"] == pk


def test_questions_move_up_and_down(organiser, ready_call):
    first, second, third = (
        add_question(organiser, ready_call, label_kk=label) for label in ("1", "2", "3")
    )
    setup.question_move(actor=organiser, question=third, direction="up")
    assert list(ready_call.questions.values_list("label_kk", flat=True)) == ["1", "3", "2"]
    setup.question_move(actor=organiser, question=first, direction="down")
    assert list(ready_call.questions.values_list("label_kk", flat=True)) == ["3", "1", "2"]
    setup.question_move(actor=organiser, question=second, direction="down")  # already last
    assert list(ready_call.questions.values_list("label_kk", flat=True)) == ["3", "1", "2"]
    assert actions().count("call.question_moved") == 2


# --- Services: checklist ----------------------------------------------------------------------


def test_checklist_items_keep_their_answers_when_reworded(organiser, ready_call, applicant):
    setup.checklist_replace(
        actor=organiser,
        call=ready_call,
        items=[
            setup.ChecklistItemSpec(text={"kk": "Жарғы"}),
            setup.ChecklistItemSpec(text={"kk": "Хат"}),
        ],
    )
    charter, letter = ready_call.checklist.all()
    application = submitted_application(ready_call)
    ChecklistAnswer.objects.create(application=application, item=charter, value=ChecklistValue.YES)

    with pytest.raises(DomainError) as error:
        setup.checklist_replace(
            actor=organiser,
            call=ready_call,
            items=[setup.ChecklistItemSpec(text={"kk": "Хат"}, pk=letter.pk)],
        )
    assert error.value.code == "item_answered"
    assert error.value.message == (
        "The item “Жарғы” has already been answered during screening, so it cannot be removed. "
        "You may still correct its wording."
    )

    setup.checklist_replace(
        actor=organiser,
        call=ready_call,
        items=[setup.ChecklistItemSpec(text={"kk": "Жарғы", "ru": "Устав"}, pk=charter.pk)],
    )
    assert list(ready_call.checklist.values_list("pk", "text_ru")) == [(charter.pk, "Устав")]
    assert ChecklistAnswer.objects.filter(item=charter).count() == 1
    assert actions() == ["call.checklist_replaced", "call.checklist_replaced"]


# --- Services: copy ---------------------------------------------------------------------------


def test_copy_keeps_everything_and_shifts_the_dates_a_year(organiser, expert):
    source = CallFactory(
        status=CallStatus.DECIDED,
        description_kk="Сипаттама",
        description_ru="Описание",
        eligible_org_types=["ngo", "dpo"],
        min_registered_months=12,
        region="Алматы",
        max_per_project=2_000_000,
        aggregation_method="median",
        opens_at=datetime(2024, 2, 29, 9, 0, tzinfo=ALMATY),
        closes_at=datetime(2024, 3, 31, 18, 0, tzinfo=ALMATY),
        review_ends_at=datetime(2024, 4, 30, 18, 0, tzinfo=ALMATY),
        results_at=datetime(2024, 5, 15, 12, 0, tzinfo=ALMATY),
    )
    add_organisers(source)
    add_criteria(source)
    add_prizes(source)
    ChecklistItem.objects.create(call=source, text_kk="Жарғы", text_ru="Устав")
    Question.objects.create(
        call=source, kind=QuestionKind.SINGLE_CHOICE, label_kk="Таңдау", choices=CHOICES
    )
    grant(source, expert, "organiser")

    copy = setup.call_copy(actor=organiser, source=source, slug="copy-2025")

    assert copy.status == CallStatus.DRAFT
    assert copy.created_by == organiser
    for name in setup.COPIED_CALL_FIELDS:
        assert getattr(copy, name) == getattr(source, name), name
    assert [timezone.localtime(getattr(copy, f), ALMATY) for f in setup.TIMELINE] == [
        datetime(2025, 2, 28, 9, 0, tzinfo=ALMATY),
        datetime(2025, 3, 31, 18, 0, tzinfo=ALMATY),
        datetime(2025, 4, 30, 18, 0, tzinfo=ALMATY),
        datetime(2025, 5, 15, 12, 0, tzinfo=ALMATY),
    ]
    assert list(copy.co_organisers.order_by("call_links__position")) == list(
        source.co_organisers.order_by("call_links__position")
    )

    def rows(model, *fields):
        return [list(model.objects.filter(call=c).values_list(*fields)) for c in (source, copy)]

    for model, fields in [
        (Criterion, ("position", "name_kk", "name_ru", "weight", "min_score", "max_score")),
        (Prize, ("place", "amount")),
        (ChecklistItem, ("position", "text_kk", "text_ru")),
        (Question, ("position", "kind", "label_kk", "choices", "required")),
    ]:
        original, copied = rows(model, *fields)
        assert copied == original != []
    assert list(CallRole.objects.filter(call=copy).values_list("user", "role")) == [
        (organiser.pk, "organiser")
    ]
    event = AuditEvent.objects.get(action="call.copied")
    assert event.data == {"source": source.slug, "slug": "copy-2025"}
    assert event.subject_id == str(copy.pk)


def test_copy_to_a_taken_address_is_refused(organiser, ready_call):
    with pytest.raises(DomainError) as error:
        setup.call_copy(actor=organiser, source=ready_call, slug=ready_call.slug)
    assert error.value.code == "slug_taken"


def test_every_write_is_audited(organiser, draft_call):
    organisation = OrganisationFactory()
    texts = {f"{b}_{c}": "Мәтін" for b in ("title", "aim", "description") for c in ("kk", "ru")}
    setup.call_update(actor=organiser, call=draft_call, **texts)
    setup.prizes_replace(actor=organiser, call=draft_call, amounts=[1_000_000])
    setup.co_organisers_set(actor=organiser, call=draft_call, bins=[organisation.bin])
    setup.criteria_replace(actor=organiser, call=draft_call, criteria=[spec(100)])
    setup.checklist_replace(
        actor=organiser, call=draft_call, items=[setup.ChecklistItemSpec(text={"kk": "Жарғы"})]
    )
    question = add_question(organiser, draft_call, choices=[{**c, "ru": "В"} for c in CHOICES])
    second = add_question(organiser, draft_call, kind=QuestionKind.DATE, label_ru="Дата")
    setup.question_update(actor=organiser, question=question, label_ru="Выбор")
    setup.question_move(actor=organiser, question=second, direction="up")
    setup.question_remove(actor=organiser, question=second)
    setup.call_move(actor=organiser, call=draft_call, to=CallStatus.PUBLISHED)
    setup.call_copy(actor=organiser, source=draft_call, slug="next-year")
    assert actions() == [
        "call.updated",
        "call.prizes_replaced",
        "call.co_organisers_set",
        "call.criteria_replaced",
        "call.checklist_replaced",
        "call.question_added",
        "call.question_added",
        "call.question_updated",
        "call.question_moved",
        "call.question_removed",
        "call.publish",
        "call.copied",
    ]
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {organiser.pk}


# --- Pages ------------------------------------------------------------------------------------


def url(call, tail=""):
    return f"/en/manage/calls/{call.slug}/setup/{tail}"


def local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def staff_client(client, organiser):
    with_two_factor(organiser)
    client.force_login(organiser)
    return client


def test_a_call_is_set_up_from_scratch_in_three_languages_and_published(staff_client, organiser):
    may_create_calls(organiser)
    co_organiser = OrganisationFactory()
    start = timezone.localtime(timezone.now() + timedelta(days=1), ALMATY).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    dates = {
        "opens_at": local(start),
        "closes_at": local(start + timedelta(days=30)),
        "review_ends_at": local(start + timedelta(days=45)),
        "results_at": local(start + timedelta(days=50)),
    }
    titles = {"title_kk": "Қала байқауы", "title_ru": "Городской конкурс", "title_en": "City call"}

    assert staff_client.get("/en/manage/calls/new/").status_code == 200
    response = staff_client.post(
        "/en/manage/calls/new/",
        {"slug": "city-2026", **titles, **dates, "award_scheme": "prizes", "prizes": "1 000 000"},
    )
    call = Call.objects.get(slug="city-2026")
    assert response.status_code == 302
    assert response["Location"] == url(call)
    assert CallRole.objects.get(call=call).user == organiser

    assert staff_client.get(url(call)).status_code == 200
    response = staff_client.post(
        url(call),
        {
            "slug": "city-contest-2026",
            **titles,
            "aim_kk": "Мақсаты",
            "aim_ru": "Цель",
            "aim_en": "Aim",
            "description_kk": "Сипаттамасы",
            "description_ru": "Описание",
            "description_en": "Description",
            "eligible_org_types": ["ngo", "dpo"],
            "min_registered_months": "12",
            "region": "Алматы",
            **dates,
            "award_scheme": "prizes",
            "prizes": "1 000 000\n700 000\n500 000",
            "max_per_project": "2000000",
            "aggregation_method": "mean",
            "co_organisers": co_organiser.bin,
        },
    )
    assert response.status_code == 302, response.content.decode()
    call.refresh_from_db()
    assert response["Location"] == url(call) == "/en/manage/calls/city-contest-2026/setup/"

    criterion = {"name_kk": "Өзектілік", "name_ru": "Актуальность", "name_en": "Relevance"}
    response = staff_client.post(
        url(call, "criteria/"),
        formset_data(
            "criteria",
            [
                {**criterion, "weight": "60", "min_score": "0", "max_score": "10"},
                {"name_kk": "Тиімділік", "name_ru": "Эффективность", "weight": "40"},
                {"min_score": "0", "max_score": "10"},  # the blank extra row
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()

    response = staff_client.post(
        url(call, "checklist/"),
        formset_data(
            "checklist",
            [{"text_kk": "Жарғы бар", "text_ru": "Устав есть", "text_en": "Charter"}, {}],
        ),
    )
    assert response.status_code == 302, response.content.decode()

    for question in (
        {"kind": "long_text", "label_kk": "Тәжірибе", "label_ru": "Опыт", "required": "on"},
        {
            "kind": "single_choice",
            "label_kk": "Аудан",
            "label_ru": "Район",
            "label_en": "District",
            "choices": "Алмалы | Алмалы | Almaly\nmed | Медеу | Медеу | Medeu",
        },
    ):
        response = staff_client.post(url(call, "questions/"), question)
        assert response.status_code == 302, response.content.decode()

    response = staff_client.get(url(call, "status/"))
    assert "Nothing is missing" in response.content.decode()
    response = staff_client.post(url(call, "status/"), {"to": "published"})
    assert response.status_code == 302

    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    assert (call.title_ru, call.aim_en, call.region, call.min_registered_months) == (
        "Городской конкурс",
        "Aim",
        "Алматы",
        12,
    )
    assert timezone.localtime(call.closes_at, ALMATY) == start + timedelta(days=30)
    assert list(call.prizes.values_list("amount", flat=True)) == [1_000_000, 700_000, 500_000]
    assert list(call.co_organisers.all()) == [co_organiser]
    assert list(call.criteria.values_list("name_en", "weight")) == [
        ("Relevance", Decimal(60)),
        ("", Decimal(40)),
    ]
    assert list(call.checklist.values_list("text_en", flat=True)) == ["Charter"]
    district = call.questions.get(kind="single_choice")
    assert district.choices == [
        {"value": "1", "kk": "Алмалы", "ru": "Алмалы", "en": "Almaly"},
        {"value": "med", "kk": "Медеу", "ru": "Медеу", "en": "Medeu"},
    ]
    assert staff_client.get(f"/ru/calls/{call.slug}/").status_code == 200


def test_invalid_settings_keep_the_typed_input_and_say_what_is_wrong(staff_client, draft_call):
    before = draft_call.title_kk
    response = staff_client.post(
        url(draft_call),
        {
            "title_kk": "Жаңа атау",
            "eligible_org_types": ["ngo"],
            "opens_at": local(timezone.localtime(draft_call.opens_at)),
            "closes_at": local(timezone.localtime(draft_call.opens_at - timedelta(days=1))),
            "review_ends_at": local(timezone.localtime(draft_call.review_ends_at)),
            "results_at": local(timezone.localtime(draft_call.results_at)),
            "award_scheme": "prizes",
            "aggregation_method": "mean",
            "co_organisers": "100140099999",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page
    assert 'value="Жаңа атау"' in page
    assert "The call must close after it opens." in page
    draft_call.refresh_from_db()
    assert draft_call.title_kk == before


def test_a_strict_timeline_error_from_the_service_lands_on_its_field(staff_client, draft_call):
    data = {
        "slug": draft_call.slug,
        "title_kk": "Атау",
        "eligible_org_types": ["ngo"],
        "award_scheme": "prizes",
        "aggregation_method": "mean",
        "co_organisers": "100140099999",
        **{f: local(timezone.localtime(getattr(draft_call, f))) for f in setup.TIMELINE},
        "review_ends_at": local(timezone.localtime(draft_call.closes_at)),
    }
    response = staff_client.post(url(draft_call), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_review_ends_at-error"' in page
    assert "The review must end after the call closes." in page
    assert "No organisation is registered with the BIN 100140099999." in page
    assert actions() == []


def test_weights_not_totalling_100_are_refused_on_the_criteria_page(staff_client, draft_call):
    response = staff_client.post(
        url(draft_call, "criteria/"),
        formset_data("criteria", [{"name_kk": "А", "weight": "70"}, {"name_kk": "Б"}]),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2, Weight, %: This field is required." in page
    response = staff_client.post(
        url(draft_call, "criteria/"),
        formset_data(
            "criteria", [{"name_kk": "А", "weight": "70"}, {"name_kk": "Б", "weight": "20"}]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The criteria&#x27;s weights must add up to 100% (they add up to 90%)." in page
    assert 'value="Б"' in page
    assert draft_call.criteria.count() == 0


@pytest.mark.parametrize("count", [2, 12])
def test_the_question_list_costs_the_same_queries_for_2_or_12_questions(
    staff_client, draft_call, django_assert_num_queries, count
):
    for n in range(count):
        Question.objects.create(
            call=draft_call, position=n, kind=QuestionKind.SHORT_TEXT, label_kk=f"Сұрақ {n}"
        )
    # Session, user, role with its call, second factor, questions, submissions; the header's
    # workspace link, reviews link and unread notifications.
    with django_assert_num_queries(9):
        response = staff_client.get(url(draft_call, "questions/"))
    assert response.status_code == 200
    assert response.content.decode().count("Move up") == count - 1


def test_a_question_edit_that_would_break_submitted_answers_is_refused_on_the_page(
    staff_client, organiser, ready_call
):
    question = add_question(organiser, ready_call)
    submitted_application(ready_call)
    edit = url(ready_call, f"questions/{question.pk}/")
    page = staff_client.get(edit).content.decode()
    assert "Applications have already been submitted" in page
    assert "a | А | А | A" in page
    data = {
        "kind": "multiple_choice",
        "label_kk": "Таңдаңыз",
        "choices": "a | А | А | A\nb | Б | Б | B",
    }
    response = staff_client.post(edit, data)
    assert response.status_code == 400
    assert "the kind of this question can no longer change" in response.content.decode()
    response = staff_client.post(edit, {**data, "kind": "single_choice", "label_ru": "Выбор"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label_ru == "Выбор"


def test_removing_a_question_asks_first(staff_client, organiser, ready_call):
    question = add_question(organiser, ready_call)
    remove = url(ready_call, f"questions/{question.pk}/remove/")
    response = staff_client.get(remove)
    assert response.status_code == 200
    assert "Remove this question?" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    response = staff_client.post(remove)
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_removing_a_question_after_a_submission_is_refused_on_the_page(
    staff_client, organiser, ready_call
):
    question = add_question(organiser, ready_call)
    submitted_application(ready_call)
    response = staff_client.post(url(ready_call, f"questions/{question.pk}/remove/"))
    assert response.status_code == 400
    assert "can no longer be removed" in response.content.decode()


def test_questions_are_reordered_from_the_list(staff_client, organiser, ready_call):
    first = add_question(organiser, ready_call, label_kk="1")
    add_question(organiser, ready_call, label_kk="2")
    move = url(ready_call, f"questions/{first.pk}/move/")
    response = staff_client.post(move, {"direction": "down"})
    assert response.status_code == 302
    assert list(ready_call.questions.values_list("label_kk", flat=True)) == ["2", "1"]
    assert staff_client.post(move, {"direction": "sideways"}).status_code == 400


def test_the_status_page_lists_the_problems_and_refuses_to_publish(staff_client, draft_call):
    page = staff_client.get(url(draft_call, "status/")).content.decode()
    assert "The call has no criteria." in page
    assert "Publish the call" in page
    response = staff_client.post(url(draft_call, "status/"), {"to": "published"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page
    assert "<li>The aim in Kazakh is missing.</li>" in page
    draft_call.refresh_from_db()
    assert draft_call.status == CallStatus.DRAFT


def test_a_correction_asks_for_its_reason_on_the_status_page(staff_client, ready_call):
    Call.objects.filter(pk=ready_call.pk).update(status=CallStatus.PUBLISHED)
    response = staff_client.post(url(ready_call, "status/"), {"to": "draft", "reason": " "})
    assert response.status_code == 400
    assert "Please give the reason for this correction." in response.content.decode()
    response = staff_client.post(url(ready_call, "status/"), {"to": "draft", "reason": "Typo"})
    assert response.status_code == 302
    ready_call.refresh_from_db()
    assert ready_call.status == CallStatus.DRAFT


def test_copying_a_call_from_its_page(staff_client, organiser, ready_call):
    may_create_calls(organiser)
    response = staff_client.post(url(ready_call, "copy/"), {"slug": "next-year"})
    copy = Call.objects.get(slug="next-year")
    assert response["Location"] == url(copy)
    response = staff_client.post(url(ready_call, "copy/"), {"slug": "next-year"})
    assert response.status_code == 400
    assert "A call with this address already exists." in response.content.decode()


def test_copying_needs_the_permission_to_create_calls(staff_client, ready_call):
    assert staff_client.get(url(ready_call, "copy/")).status_code == 403
    assert staff_client.post(url(ready_call, "copy/"), {"slug": "x"}).status_code == 403
    assert not Call.objects.filter(slug="x").exists()


def test_staff_without_two_factor_are_sent_to_set_it_up(client, organiser, draft_call):
    client.force_login(organiser)
    response = client.get(url(draft_call))
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/"
    with_two_factor(organiser)
    assert client.get(url(draft_call)).status_code == 200


def test_starting_a_call_needs_log_in_and_the_permission(client, organiser):
    response = client.get("/en/manage/calls/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    client.force_login(organiser)
    assert client.get("/en/manage/calls/new/").status_code == 403
    assert client.post("/en/manage/calls/new/", {"slug": "x"}).status_code == 403
    may_create_calls(organiser)
    organiser = type(organiser).objects.get(pk=organiser.pk)  # a fresh permission cache
    response = client.get("/en/manage/calls/new/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/"
    with_two_factor(organiser)
    assert client.get("/en/manage/calls/new/").status_code == 200


def test_an_invalid_new_call_keeps_the_input(staff_client, organiser):
    may_create_calls(organiser)
    response = staff_client.post(
        "/en/manage/calls/new/", {"slug": "city", "title_kk": "Байқау", "award_scheme": "prizes"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Байқау"' in page
    assert "Give the prize of at least the first place." in page
    assert not Call.objects.exists()


def test_the_language_fieldsets_have_legends_and_language_tags(staff_client, draft_call):
    page = staff_client.get(url(draft_call)).content.decode()
    for name in ("Kazakh", "Russian", "English"):
        assert f"<legend>{name}" in page
    assert 'name="title_ru"' in page
    assert 'lang="ru"' in page
    assert 'role="tablist"' not in page  # tabs are built by the script; the page works without


# --- Who may reach the pages --------------------------------------------------------------------

VIEWS = [
    ("get", ""),
    ("post", ""),
    ("get", "criteria/"),
    ("post", "criteria/"),
    ("get", "checklist/"),
    ("post", "checklist/"),
    ("get", "questions/"),
    ("post", "questions/"),
    ("get", "questions/{q}/"),
    ("post", "questions/{q}/"),
    ("get", "questions/{q}/move/"),
    ("post", "questions/{q}/move/"),
    ("get", "questions/{q}/remove/"),
    ("post", "questions/{q}/remove/"),
    ("get", "status/"),
    ("post", "status/"),
    ("get", "copy/"),
    ("post", "copy/"),
]
ROLES = ["organiser", "secretary", "chair", "member", "observer", "none", "other_call", "anonymous"]
POST_DATA = {
    "status/": {"to": "published"},
    "copy/": {"slug": "matrix-copy"},
    "questions/{q}/move/": {"direction": "down"},
    "questions/": {"kind": "short_text", "label_kk": "Сұрақ"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "tail"), VIEWS)
def test_permission_matrix(client, ready_call, role, method, tail):
    question = Question.objects.create(
        call=ready_call, kind=QuestionKind.SHORT_TEXT, label_kk="Сұрақ", label_ru="Вопрос"
    )
    Question.objects.create(call=ready_call, position=1, kind=QuestionKind.DATE, label_kk="Күн")
    if role != "anonymous":
        user = with_two_factor(may_create_calls(UserFactory()))
        if role == "other_call":
            grant(CallFactory(), user, "organiser")
        elif role != "none":
            grant(ready_call, user, role)
        client.force_login(user)
    path = url(ready_call, tail.format(q=question.pk))
    data = POST_DATA.get(tail, {}) if method == "post" else {}
    response = getattr(client, method)(path, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    elif role == "organiser" and method == "get":
        assert response.status_code == (405 if tail.endswith("/move/") else 200)
    elif role == "organiser":
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 404
    if role not in ("organiser", "anonymous") or method == "get":
        assert actions() == []


def test_a_public_call_keeps_its_address_and_its_required_texts(staff_client, ready_call):
    Call.objects.filter(pk=ready_call.pk).update(status=CallStatus.PUBLISHED)
    address = ready_call.slug
    form = staff_client.get(url(ready_call)).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value not in (None, "")
    }
    data.update(
        {
            **{f: local(timezone.localtime(getattr(ready_call, f))) for f in setup.TIMELINE},
            "prizes": "1000000\n700000\n500000",
            "slug": "another-address",
            "title_en": "Corrected title",
        }
    )
    response = staff_client.post(url(ready_call), data)
    assert response.status_code == 302, response.content.decode()
    ready_call.refresh_from_db()
    assert (ready_call.slug, ready_call.title_en) == (address, "Corrected title")
    assert response["Location"] == url(ready_call)

    response = staff_client.post(url(ready_call), {**data, "title_ru": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The call is already public, so this change cannot leave it incomplete:" in page
    assert "The title in Russian is missing." in page

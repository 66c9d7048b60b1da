"""The staff's jury pages: the review plan, areas and scale labels; the roster, inviting,
seats and withdrawal; assigning by hand; an application's review settings and redactions."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import CallInvitation, CallStatus, Question, QuestionKind
from baiqau.core.errors import DomainError
from baiqau.review.models import (
    ApplicationReviewSettings,
    Assignment,
    AssignmentMode,
    AssignmentSource,
    Expert,
    ExpertiseTag,
    ExpertStatus,
    Redaction,
    Review,
    ReviewPlan,
    ReviewStatus,
)
from baiqau.review.services.anchors import criterion_anchors_save
from baiqau.review.services.redaction import redaction_save
from tests.factories import UserFactory, member_of
from tests.workspace.jury_builders import application, assign, cast, jury_call, review, seat, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def people(db):
    return cast(jury_call())


@pytest.fixture
def call(people):
    return people.call


@pytest.fixture
def as_organiser(client, no_mfa, people):
    client.force_login(people.user("organiser"))
    return client


@pytest.fixture
def as_secretary(client, no_mfa, people):
    client.force_login(people.user("secretary"))
    return client


PLAN = {
    "form": "plan",
    "mode": "solver",
    "reviews_per_application": "2",
    "min_load": "1",
    "max_load": "12",
    "blind": "on",
    "other_scores": "never",
    "quorum": "3",
    "reminder_days": "2",
}


# --- The review plan, areas, scale labels -----------------------------------------------------


def test_the_review_plan_is_saved_and_audited(as_organiser, call, people):
    response = as_organiser.post(url(call, "jury"), PLAN)
    assert response.status_code == 302
    assert told(response) == ["The review plan was saved."]
    plan = ReviewPlan.objects.get(call=call)
    assert (plan.reviews_per_application, plan.min_load, plan.max_load) == (2, 1, 12)
    assert (plan.blind, plan.other_scores, plan.quorum, plan.reminder_days) == (
        True,
        "never",
        3,
        2,
    )
    event = AuditEvent.objects.get(action="review_plan.changed")
    assert event.actor == people.user("organiser")
    assert event.data["reviews_per_application"] == {"old": 3, "new": 2}
    assert event.data["blind"] == {"old": False, "new": True}


def test_a_plan_whose_minimum_is_above_its_maximum_is_refused_on_the_page(as_organiser, call):
    response = as_organiser.post(url(call, "jury"), {**PLAN, "min_load": "20"})
    assert response.status_code == 400
    assert "The minimum cannot be above the maximum." in text(response)
    assert ReviewPlan.objects.get(call=call).min_load == 0
    assert not AuditEvent.objects.filter(action="review_plan.changed").exists()


def test_the_commission_problems_are_shown_on_the_jury_page(as_organiser, call):
    # The cast's commission is a chair and a member: an even number.
    page = text(as_organiser.get(url(call, "jury")))
    assert "The commission has 2 members: it needs an odd number" in page


def _tag_data(rows, total=None):
    data = {
        "form": "tags",
        "tags-TOTAL_FORMS": str(total or len(rows)),
        "tags-INITIAL_FORMS": "0",
        "tags-MIN_NUM_FORMS": "0",
        "tags-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"tags-{i}-{key}"] = value
    return data


def test_the_areas_start_from_the_defaults_and_are_edited_added_and_removed(as_organiser, call):
    page = text(as_organiser.get(url(call, "jury")))
    tags = list(ExpertiseTag.objects.filter(call=call))
    assert len(tags) == 6
    assert "Disability" in page
    first, second = tags[0], tags[1]
    rows = [
        {
            "id": str(first.pk),
            "name_kk": "Мүгедектік",
            "name_ru": "Инвалидность",
            "name_en": "Disabilities",
        },
        {"id": str(second.pk), "name_kk": second.name_kk, "remove": "on"},
        {"name_kk": "Спорт", "name_ru": "Спорт", "name_en": "Sport"},
    ]
    response = as_organiser.post(url(call, "jury"), _tag_data(rows))
    assert response.status_code == 302
    names = list(ExpertiseTag.objects.filter(call=call).values_list("name_en", flat=True))
    assert names == ["Disabilities", "Sport"]
    assert ExpertiseTag.objects.get(name_en="Disabilities").pk == first.pk
    event = AuditEvent.objects.get(action="expertise_tags.changed")
    assert event.data["tags"] == ["Мүгедектік", "Спорт"]
    assert len(event.data["removed"]) == 5


def test_a_new_area_named_only_in_russian_is_refused(as_organiser, call):
    as_organiser.get(url(call, "jury"))
    response = as_organiser.post(url(call, "jury"), _tag_data([{"name_ru": "Спорт"}]))
    assert response.status_code == 400
    assert "Give the name in Kazakh too." in text(response)
    assert ExpertiseTag.objects.filter(call=call).count() == 6


def test_the_labels_of_a_scale_are_saved_and_audited(as_organiser, call, people):
    criterion = call.criteria.first()
    data = {
        "form": "anchors",
        "criterion": str(criterion.pk),
        f"anchors-{criterion.pk}-p0_kk": "Жоқ",
        f"anchors-{criterion.pk}-p0_ru": "Нет",
        f"anchors-{criterion.pk}-p0_en": "None",
        f"anchors-{criterion.pk}-p10_en": "  Excellent  ",
    }
    response = as_organiser.post(url(call, "jury"), data)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.anchors == {
        "0": {"kk": "Жоқ", "ru": "Нет", "en": "None"},
        "10": {"en": "Excellent"},
    }
    assert criterion.anchor_pairs("ru")[0] == (0, "Нет")
    assert criterion.anchor_pairs("kk")[10] == (10, "Excellent")
    event = AuditEvent.objects.get(action="criterion.anchors_changed")
    assert (event.actor, event.data["old"], event.data["new"]) == (
        people.user("organiser"),
        {},
        criterion.anchors,
    )
    # The page shows them back.
    assert 'value="Жоқ"' in as_organiser.get(url(call, "jury")).content.decode()


def test_labels_outside_the_scale_or_by_others_than_organisers_are_refused(call, people):
    criterion = call.criteria.first()
    with pytest.raises(DomainError, match=r"11 is outside the scale of “Criterion 1” \(0 to 10\)"):
        criterion_anchors_save(
            actor=people.user("organiser"), criterion=criterion, anchors={"11": {"en": "Too"}}
        )
    with pytest.raises(DomainError, match="You may not manage the jury"):
        criterion_anchors_save(
            actor=people.user("secretary"), criterion=criterion, anchors={"1": {"en": "Low"}}
        )
    criterion.refresh_from_db()
    assert criterion.anchors == {}


# --- The roster, inviting, the seat, withdrawal ----------------------------------------------


def test_an_organiser_invites_an_expert(as_organiser, call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_organiser.post(
            url(call, "experts"), {"email": "New.Expert@Jury.example", "role": "expert"}
        )
    assert response.status_code == 302
    assert told(response) == ["An invitation was sent to new.expert@jury.example."]
    invitation = CallInvitation.objects.get(call=call)
    assert (invitation.email, invitation.role) == ("new.expert@jury.example", "expert")
    assert mail.outbox[0].to == ["new.expert@jury.example"]
    page = text(as_organiser.get(url(call, "experts")))
    assert "new.expert@jury.example" in page


def test_inviting_someone_already_on_the_panel_is_refused_on_the_email_field(as_organiser, call):
    response = as_organiser.post(
        url(call, "experts"), {"email": "expert@jury.example", "role": "member"}
    )
    assert response.status_code == 400
    assert "expert@jury.example already has a role in this call." in text(response)
    assert not CallInvitation.objects.exists()


def test_the_roster_shows_every_expert_with_loads_and_searches_by_name_or_email(
    as_organiser, call, people
):
    first, second = application(call, "A"), application(call, "B")
    assign(people.expert_seat, first)
    assign(people.expert_seat, second)
    review(people.expert_seat, first)
    gone = seat(call, status=ExpertStatus.WITHDRAWN)
    page = text(as_organiser.get(url(call, "experts")))
    assert "4 experts" in page
    assert "Expert Only" in page and gone.user.email in page
    row = page[page.index("Expert Only") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">2</td>' in row and '<td class="num">1</td>' in row
    found = text(as_organiser.get(url(call, "experts"), {"q": "EXPERT@jury"}))
    assert "1 expert" in found and "Expert Only" in found and gone.user.email not in found


def test_the_organiser_seats_an_expert_on_the_commission_audited(as_organiser, call, people):
    target = people.expert_seat
    response = as_organiser.post(
        url(call, "expert", pk=target.pk), {"is_commission": "on", "max_load": "7"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.is_commission, target.is_chair, target.max_load) == (True, False, 7)
    event = AuditEvent.objects.get(action="expert.seat_changed")
    assert event.data["old"]["is_commission"] is False and event.data["new"]["max_load"] == 7


def test_a_second_chair_is_refused_on_the_page(as_organiser, call, people):
    response = as_organiser.post(
        url(call, "expert", pk=people.expert_seat.pk), {"is_commission": "on", "is_chair": "on"}
    )
    assert response.status_code == 400
    assert "chair chairs the commission already." in text(response)
    assert not Expert.objects.get(pk=people.expert_seat.pk).is_chair


def test_the_expert_page_lists_their_assignments_with_their_state(as_secretary, call, people):
    app = application(call, "Ым тілі")
    assign(people.expert_seat, app, declared=False)
    page = text(as_secretary.get(url(call, "expert", pk=people.expert_seat.pk)))
    assert "Ым тілі" in page and "Not scored yet" in page
    assert "Save the seat" not in page  # the secretary sees the seat, only organisers change it


def test_withdrawing_needs_a_reason(as_secretary, call, people):
    response = as_secretary.post(
        url(call, "expert_withdraw", pk=people.expert_seat.pk), {"reason": " "}
    )
    assert response.status_code == 400
    assert "Give a reason: it is recorded in the audit log." in text(response)
    assert Expert.objects.get(pk=people.expert_seat.pk).status == ExpertStatus.ACTIVE


def test_withdrawing_an_expert_moves_their_open_reviews(as_secretary, call, people):
    """Real solver: the open review goes to the only other expert with room; the submitted
    one stays."""
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=1)
    leaving = people.expert_seat
    Expert.objects.exclude(pk=leaving.pk).update(max_load=0)
    helper = seat(call, max_load=5)
    open_app, done_app = application(call, "Open"), application(call, "Done")
    assign(leaving, open_app, declared=False)
    assign(leaving, done_app, declared=False)
    review(leaving, done_app)
    confirm = text(as_secretary.get(url(call, "expert_withdraw", pk=leaving.pk)))
    assert "They have 1 review not yet submitted" in confirm
    response = as_secretary.post(url(call, "expert_withdraw", pk=leaving.pk), {"reason": "Ill"})
    assert response.status_code == 302
    assert told(response) == [
        "Expert Only has withdrawn from the panel. 1 open review was moved to other experts."
    ]
    leaving.refresh_from_db()
    assert leaving.status == ExpertStatus.WITHDRAWN
    moved = Assignment.objects.get(application=open_app)
    assert (moved.expert, moved.source) == (helper, AssignmentSource.REASSIGNED)
    assert Assignment.objects.filter(expert=leaving, application=done_app).exists()
    assert AuditEvent.objects.get(action="expert.withdrawn").data["reason"] == "Ill"


def test_a_withdrawal_that_cannot_move_every_review_says_so(as_secretary, call, people):
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=1)
    Expert.objects.exclude(pk=people.expert_seat.pk).update(max_load=0)
    assign(people.expert_seat, application(call, "Open"), declared=False)
    response = as_secretary.post(
        url(call, "expert_withdraw", pk=people.expert_seat.pk), {"reason": "Ill"}
    )
    assert response.status_code == 302
    assert told(response)[1] == (
        "1 review could not be moved: no other expert is free of conflict and has room. "
        "Assign it by hand."
    )


# --- Assigning by hand -----------------------------------------------------------------------


@pytest.fixture
def as_chair(client, no_mfa, people):
    client.force_login(people.user("chair"))
    return client


def test_assigning_by_hand_with_a_reason_is_audited(as_chair, call, people):
    app = application(call, "Ым тілі")
    response = as_chair.post(
        url(call, "assignment_add", pk=app.pk),
        {"add-expert": str(people.expert_seat.pk), "add-reason": "Knows sign language"},
    )
    assert response.status_code == 302
    assert told(response) == ["Expert Only now has “Ым тілі”."]
    made = Assignment.objects.get(application=app)
    assert (made.expert, made.source, made.reason) == (
        people.expert_seat,
        AssignmentSource.HAND,
        "Knows sign language",
    )
    event = AuditEvent.objects.get(action="assignment.added")
    assert (event.actor, event.data["reason"]) == (people.user("chair"), "Knows sign language")


def test_assigning_a_conflicted_expert_is_refused_clearly_and_keeps_the_reason(
    as_chair, call, people
):
    app = application(call, "Ым тілі")
    member_of(people.user("expert"), app.organisation)
    page = text(as_chair.get(url(call, "assignment_application", pk=app.pk)))
    assert (
        "Expert Only (expert@jury.example) — conflict of interest: the expert is a member" in page
    )
    response = as_chair.post(
        url(call, "assignment_add", pk=app.pk),
        {"add-expert": str(people.expert_seat.pk), "add-reason": "My typed reason"},
    )
    assert response.status_code == 400
    page = text(response)
    assert (
        "Expert Only has a conflict of interest with this application: the expert is a member "
        "of the applicant organisation." in page
    )
    assert "My typed reason</textarea>" in page
    assert not Assignment.objects.exists()


def test_assigning_without_a_reason_is_refused_on_the_reason(as_chair, call, people):
    app = application(call)
    response = as_chair.post(
        url(call, "assignment_add", pk=app.pk), {"add-expert": str(people.expert_seat.pk)}
    )
    assert response.status_code == 400
    assert 'id="id_add-reason-error"' in response.content.decode()
    assert "Give a reason: it is recorded in the audit log." in text(response)


def test_unassigning_asks_for_confirmation_and_a_reason_and_is_audited(as_chair, call, people):
    app = application(call, "Ым тілі")
    made = assign(people.expert_seat, app, declared=False)
    Review.objects.create(expert=people.expert_seat, application=app)  # a draft
    target = url(call, "assignment_remove", pk=app.pk, assignment_pk=made.pk)
    confirm = as_chair.get(target)
    assert confirm.status_code == 200
    assert "Unassign Expert Only?" in text(confirm)
    assert Assignment.objects.filter(pk=made.pk).exists()  # nothing happens on GET
    refused = as_chair.post(target, {"reason": ""})
    assert refused.status_code == 400
    response = as_chair.post(target, {"reason": "Too busy"})
    assert response.status_code == 302
    assert told(response) == ["Expert Only no longer has “Ым тілі”."]
    assert not Assignment.objects.filter(pk=made.pk).exists()
    event = AuditEvent.objects.get(action="assignment.removed")
    assert (event.data["reason"], event.data["draft_discarded"]) == ("Too busy", True)


def test_unassigning_a_submitted_review_is_refused_on_the_page(as_chair, call, people):
    app = application(call)
    made = assign(people.expert_seat, app, declared=False)
    review(people.expert_seat, app)
    response = as_chair.post(
        url(call, "assignment_remove", pk=app.pk, assignment_pk=made.pk), {"reason": "Busy"}
    )
    assert response.status_code == 400
    assert "Expert Only has submitted a review of this application" in text(response)
    assert "Busy</textarea>" in text(response)
    assert Assignment.objects.filter(pk=made.pk).exists()


def test_swapping_an_assignment_to_another_expert_is_audited(as_chair, call, people):
    app = application(call, "Ым тілі")
    made = assign(people.expert_seat, app)
    other = seat(call)
    response = as_chair.post(
        url(call, "assignment_swap", pk=app.pk, assignment_pk=made.pk),
        {f"swap-{made.pk}-expert": str(other.pk), f"swap-{made.pk}-reason": "Busy"},
    )
    assert response.status_code == 302
    assert told(response) == [f"“Ым тілі” went from Expert Only to {other.user}."]
    assert list(Assignment.objects.filter(application=app).values_list("expert", flat=True)) == [
        other.pk
    ]
    event = AuditEvent.objects.get(action="assignment.swapped")
    assert (event.data["from_expert"], event.data["to_expert"], event.data["reason"]) == (
        people.expert_seat.pk,
        other.pk,
        "Busy",
    )


def test_a_refused_swap_shows_its_form_open_with_the_message(as_chair, call, people):
    app = application(call)
    made = assign(people.expert_seat, app)
    other = seat(call)
    member_of(other.user, app.organisation)
    response = as_chair.post(
        url(call, "assignment_swap", pk=app.pk, assignment_pk=made.pk),
        {f"swap-{made.pk}-expert": str(other.pk), f"swap-{made.pk}-reason": "Kept reason"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "has a conflict of interest with this application" in page
    assert "<details open>" in page and "Kept reason</textarea>" in page
    assert Assignment.objects.get(application=app).expert == people.expert_seat


def test_the_assignments_page_puts_applications_lacking_reviewers_first_and_filters(
    as_chair, call, people
):
    ReviewPlan.objects.filter(call=call).update(reviews_per_application=1)
    full = application(call, "Covered one")
    empty = application(call, "Lacking one")
    assign(people.expert_seat, full, declared=False, source=AssignmentSource.SOLVER, affinity=0.75)
    page = text(as_chair.get(url(call, "assignments")))
    assert page.index("Lacking one") < page.index("Covered one")
    assert "Expert Only — Solver, affinity 0.75; no conflict · not scored yet" in page
    assert "1 missing" in page
    lacking = text(as_chair.get(url(call, "assignments"), {"lacking": "on"}))
    assert "Lacking one" in lacking and "Covered one" not in lacking
    found = text(as_chair.get(url(call, "assignments"), {"q": "COVERED"}))
    assert "1 application" in found and "Covered one" in found and "Lacking one" not in found
    assert empty.pk  # both listed by their own pages
    assert "Areas and redaction" not in page  # the chair does not redact


def test_every_expert_scores_everything_after_a_confirmation(as_chair, call, people):
    apps = [application(call, "A"), application(call, "B")]
    member_of(people.user("member"), apps[0].organisation)
    off = as_chair.get(url(call, "assignment_everyone"))
    assert off.status_code == 302 and "change the review plan first" in told(off)[0]
    ReviewPlan.objects.filter(call=call).update(mode=AssignmentMode.EVERYONE)
    confirm = text(as_chair.get(url(call, "assignment_everyone")))
    assert "3 active experts" in confirm and "2 applications" in confirm
    response = as_chair.post(url(call, "assignment_everyone"))
    assert told(response) == ["5 assignments were made."]  # 3 × 2 but the conflicted pair
    assert Assignment.objects.filter(source=AssignmentSource.EVERYONE).count() == 5
    assert not Assignment.objects.filter(expert=people.member_seat, application=apps[0]).exists()


def test_assigning_before_the_call_closes_is_refused_with_the_reason(client, no_mfa):
    people = cast(jury_call(status=CallStatus.PUBLISHED))
    client.force_login(people.user("organiser"))
    app = application(people.call)
    response = client.post(
        url(people.call, "assignment_add", pk=app.pk),
        {"add-expert": str(people.expert_seat.pk), "add-reason": "Early"},
    )
    assert response.status_code == 400
    assert "Applications can be assigned once the call has closed" in text(response)


# --- An application's review settings and redactions -----------------------------------------


def test_the_secretariat_sets_an_applications_areas_and_reviews_needed(as_secretary, call):
    app = application(call)
    as_secretary.get(url(call, "jury"))  # not theirs: areas exist from the organiser's page
    tags = ExpertiseTag.objects.bulk_create(
        [
            ExpertiseTag(call=call, name_kk="Балалар", name_en="Children"),
            ExpertiseTag(call=call, name_kk="Спорт"),
        ]
    )
    response = as_secretary.post(
        url(call, "application_jury", pk=app.pk),
        {"form": "settings", "tags": [str(tags[0].pk)], "reviews_needed": "5"},
    )
    assert response.status_code == 302
    saved = ApplicationReviewSettings.objects.get(application=app)
    assert (saved.reviews_needed, list(saved.tags.all())) == (5, [tags[0]])
    event = AuditEvent.objects.get(action="application_review_settings.changed")
    assert event.data == {
        "old": {"tags": [], "reviews_needed": None},
        "new": {"tags": [tags[0].pk], "reviews_needed": 5},
    }
    page = text(as_secretary.get(url(call, "application_jury", pk=app.pk)))
    assert 'value="5"' in page


def test_the_secretariat_redacts_a_free_text_and_removes_the_redaction(as_secretary, call, people):
    question = Question.objects.create(
        call=call, kind=QuestionKind.LONG_TEXT, label_kk="Тәжірибе", label_en="Experience"
    )
    app = application(call, "Ым тілі", summary_kk="Aigerim Bekova, +7 701 555 12 34")
    app.answers.create(question=question, value="We, Qamqor, worked with 120 families.")
    page = text(as_secretary.get(url(call, "application_jury", pk=app.pk)))
    assert "Aigerim Bekova, +7 701 555 12 34" in page
    assert "We, Qamqor, worked with 120 families." in page
    assert "“[…]”" in page
    response = as_secretary.post(
        url(call, "application_jury", pk=app.pk),
        {"form": "redaction", "field": "summary", "text": "[…], +7 […]"},
    )
    assert response.status_code == 302
    assert Redaction.objects.get(application=app, field="summary").text == "[…], +7 […]"
    response = as_secretary.post(
        url(call, "application_jury", pk=app.pk),
        {"form": "redaction", "field": f"answer:{question.pk}", "text": "We, […], worked."},
    )
    assert response.status_code == 302
    assert Redaction.objects.get(field=f"answer:{question.pk}").text == "We, […], worked."
    response = as_secretary.post(
        url(call, "application_jury", pk=app.pk),
        {"form": "redaction", "field": "summary", "text": "  "},
    )
    assert not Redaction.objects.filter(field="summary").exists()
    saved, removed = AuditEvent.objects.filter(action__startswith="redaction.").order_by("seq")[::2]
    assert saved.data == {"field": "summary", "old": None, "new": "[…], +7 […]"}
    assert (removed.action, removed.data["old"], removed.data["new"]) == (
        "redaction.removed",
        "[…], +7 […]",
        None,
    )


def test_only_free_text_fields_of_the_call_can_be_redacted(call, people):
    app = application(call)
    other_question = Question.objects.create(
        call=jury_call(), kind=QuestionKind.LONG_TEXT, label_kk="Q"
    )
    number = Question.objects.create(call=call, kind=QuestionKind.NUMBER, label_kk="N")
    for field in ("team", f"answer:{other_question.pk}", f"answer:{number.pk}", "answer:x"):
        with pytest.raises(DomainError, match=re.escape("This field cannot be redacted.")):
            redaction_save(actor=people.user("secretary"), application=app, field=field, text="x")
    with pytest.raises(DomainError, match="You may not manage the jury"):
        redaction_save(actor=people.user("chair"), application=app, field="title", text="x")
    assert not Redaction.objects.exists()


# --- Progress and reminders ------------------------------------------------------------------


def test_the_progress_page_puts_late_experts_first(client, no_mfa, call, people):
    first, second = application(call, "A"), application(call, "B")
    assign(people.chair_seat, first, declared=False)
    review(people.chair_seat, first)
    assign(people.expert_seat, first, declared=False)
    assign(people.expert_seat, second)
    Review.objects.create(expert=people.expert_seat, application=first, status=ReviewStatus.DRAFT)
    client.force_login(people.user("observer"))
    page = text(client.get(url(call, "review_progress")))
    assert "1 of 3 assigned reviews submitted (33%)." in page
    assert page.index("Expert Only") < page.index("chair")
    assert '<progress max="100" value="0"' in page and '<progress max="100" value="100"' in page
    assert "Send a reminder" not in page  # observers do not remind
    assert "B: 2 reviewers missing" in page


def test_the_progress_page_shows_fifty_experts_a_page_the_late_first(client, no_mfa, call, people):
    app = application(call, "A")
    done = [seat(call, UserFactory(full_name=f"Finished Expert {i}")) for i in range(3)]
    for expert in done:
        assign(expert, app, declared=False)
        review(expert, app)
    late = [seat(call, UserFactory(full_name=f"Late Expert {i}")) for i in range(55)]
    for expert in late:
        assign(expert, app, declared=False)
    client.force_login(people.user("observer"))
    first = text(client.get(url(call, "review_progress")))
    assert first.count('<th scope="row">') == 50
    assert "Page 1 of 2" in first
    assert not any(str(e.user.get_full_name()) in first for e in done)
    second = text(client.get(url(call, "review_progress") + "?page=2"))
    assert all(str(e.user.get_full_name()) in second for e in done)
    # Everyone still counts in the overall figure.
    assert "3 of 58 assigned reviews submitted (5%)." in second


def test_a_reminder_is_sent_once_a_day(as_chair, call, people, django_capture_on_commit_callbacks):
    from baiqau.notifications.models import Notification

    assign(people.expert_seat, application(call), declared=False)
    target = url(call, "review_remind", pk=people.expert_seat.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = as_chair.post(target)
    assert told(first) == ["A reminder was sent to Expert Only."]
    assert "Reminded today" in text(as_chair.get(url(call, "review_progress")))
    again = as_chair.post(target)
    assert told(again) == [
        "Expert Only was reminded today already: an expert gets at most one reminder a day."
    ]
    assert Notification.objects.filter(kind="review_reminder").count() == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="review.reminder_sent").count() == 1


def test_remind_all_late_experts(as_chair, call, people):
    app = application(call)
    assign(people.expert_seat, app, declared=False)
    assign(people.member_seat, app, declared=False)
    assign(people.chair_seat, app, declared=False)
    review(people.chair_seat, app)
    response = as_chair.post(url(call, "review_remind_late"))
    assert told(response) == ["A reminder was sent to 2 experts."]
    assign(people.expert_seat, application(call), declared=False)
    newcomer = seat(call)
    assign(newcomer, app, declared=False)
    again = as_chair.post(url(call, "review_remind_late"))
    assert told(again)[-1] == (
        "A reminder was sent to 1 expert. 2 experts were reminded today already and were not "
        "reminded again."
    )
    last = as_chair.post(url(call, "review_remind_late"))
    assert told(last)[-1] == (
        "Every late expert was reminded today already: an expert gets at most one reminder a day."
    )


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("organiser", ["Jury", "Experts", "Assignments", "Review progress"]),
        ("secretary", ["Experts", "Assignments", "Review progress"]),
        ("chair", ["Experts", "Assignments", "Review progress"]),
        ("member", ["Review progress"]),
        ("observer", ["Review progress"]),
    ],
)
def test_the_menu_snippet_shows_each_role_the_pages_it_opens(call, role, links):

    from django.template.loader import render_to_string

    snippet = render_to_string(
        "workspace/jury/_nav.html", {"call": call, "role": role, "url_name": "assignments"}
    )
    assert re.findall(r">([^<>]+)</a>", snippet) == links
    if "Assignments" in links:
        assert f'href="{url(call, "assignments")}" aria-current="page"' in snippet

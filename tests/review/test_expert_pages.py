"""The expert's pages: declaration before content, blind review, the scoring form (drafts,
submissions, changes, closed periods, bad input), profile, queue, bids, other experts' scores."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from baiqau.applications.models import Answer, ApplicationStatus, BudgetLine
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import Call, CallStatus, Criterion, Question, QuestionKind
from baiqau.review.models import (
    Bid,
    BidValue,
    Declaration,
    Expert,
    Redaction,
    Review,
    ReviewStatus,
    Score,
)
from baiqau.review.services import review_save
from tests.factories import UserFactory, member_of

from .conftest import (
    ANSWER,
    FILE_NAME,
    ORGANISATION_NAME,
    SUMMARY,
    TEAM,
    Panel,
    assign,
    attach,
    drain,
    in_review_call,
    make_application,
    seat,
    set_plan,
)

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def scores_post(panel: Panel, values, action="submit", **extra) -> dict[str, str]:
    data = {f"score_{c.pk}": str(v) for c, v in zip(panel.criteria, values, strict=True)}
    data.update(action=action, **extra)
    return data


# Declaration first, then content -------------------------------------------------------------


def test_before_declaring_the_expert_sees_only_the_title_and_the_organisation(expert_client, panel):
    response = expert_client.get(panel.url("application"))
    html = page(response)
    assert response.status_code == 200
    assert "Ым тілі сабақтары" in html
    assert ORGANISATION_NAME in html
    assert 'action="{}"'.format(panel.url("declare")) in html
    assert '<input type="radio" name="conflict" value="no"' in html
    for secret in (SUMMARY, TEAM, ANSWER, FILE_NAME, "score_", panel.organisation.bin):
        assert secret not in html
    assert expert_client.get(panel.url("file")).status_code == 404


def test_declaring_no_conflict_opens_the_content_and_is_audited(expert_client, panel):
    response = expert_client.post(panel.url("declare"), {"conflict": "no"})
    assert response.status_code == 302
    assert response["Location"] == panel.url("application")
    declaration = Declaration.objects.get(expert=panel.seat, application=panel.application)
    assert (declaration.conflict, declaration.is_current) == (False, True)
    event = AuditEvent.objects.get(action="declaration.made")
    assert event.data["new"] == {"conflict": False, "reason": ""}
    html = page(expert_client.get(panel.url("application")))
    assert SUMMARY in html
    assert ANSWER in html
    assert TEAM in html
    assert f"{FILE_NAME} (2.0" in html
    assert "500\u00a0000\u00a0₸" in html
    assert f'name="score_{panel.criteria[0].pk}"' in html


def test_declaring_a_conflict_takes_the_application_away(expert_client, panel):
    response = expert_client.post(
        panel.url("declare"), {"conflict": "yes", "reason": "I chair its board"}
    )
    assert response.status_code == 302
    assert response["Location"] == panel.url("queue")
    declaration = Declaration.objects.get(expert=panel.seat, application=panel.application)
    assert (declaration.conflict, declaration.reason) == (True, "I chair its board")
    assert not panel.seat.assignments.exists()
    queue = page(expert_client.get(panel.url("queue")))
    assert "Your conflict of interest is recorded." in queue
    assert "Ым тілі сабақтары" not in queue
    assert expert_client.get(panel.url("application")).status_code == 404


def test_a_conflict_without_a_reason_is_refused_and_the_choice_is_kept(expert_client, panel):
    response = expert_client.post(panel.url("declare"), {"conflict": "yes", "reason": "  "})
    html = page(response)
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "Say what the conflict is" in html
    assert re.search(r'value="yes"[^>]*checked', html)
    assert SUMMARY not in html
    assert not Declaration.objects.exists()


def test_a_declaration_with_no_choice_keeps_the_typed_reason(expert_client, panel):
    response = expert_client.post(panel.url("declare"), {"reason": "My cousin works there"})
    assert response.status_code == 400
    assert "My cousin works there" in page(response)
    assert "Choose one: no conflict, or a conflict of interest." in page(response)


def test_a_conflict_found_later_can_be_declared_from_the_content_page(expert_client, declared):
    response = expert_client.post(
        declared.url("declare"), {"conflict": "yes", "reason": "I found out I advise them"}
    )
    assert response.status_code == 302
    assert expert_client.get(declared.url("application")).status_code == 404
    assert Declaration.objects.filter(expert=declared.seat).count() == 2
    assert Declaration.objects.get(is_current=True).conflict is True


def test_a_later_conflict_without_a_reason_reopens_the_form_on_the_content_page(
    expert_client, declared
):
    response = expert_client.post(declared.url("declare"), {"conflict": "yes", "reason": ""})
    html = page(response)
    assert response.status_code == 400
    assert SUMMARY in html
    assert "<details open>" in html


# Blind review --------------------------------------------------------------------------------


@pytest.fixture
def blind(declared):
    set_plan(declared, blind=True)
    Redaction.objects.create(
        application=declared.application, field="summary", text="Sign-language lessons [name]."
    )
    Redaction.objects.create(
        application=declared.application, field="title", text="Sign-language lessons"
    )
    return declared


def test_blind_review_hides_the_applicant_and_shows_the_redacted_text(expert_client, blind):
    html = page(expert_client.get(blind.url("application")))
    assert "Sign-language lessons [name]." in html
    assert "<h1>Sign-language lessons</h1>" in html
    for secret in (
        ORGANISATION_NAME,
        blind.organisation.bin,
        SUMMARY,
        TEAM,
        FILE_NAME,
        "Ым тілі сабақтары",
        "Non-governmental organisation",
    ):
        assert secret not in html, secret
    assert "Attachment 1 (PDF, 2.0" in html
    assert "Not shown in blind review" in html


def test_blind_review_hides_the_organisation_before_the_declaration_too(expert_client, panel):
    set_plan(panel, blind=True)
    html = page(expert_client.get(panel.url("application")))
    assert ORGANISATION_NAME not in html
    assert "Ым тілі сабақтары" in html  # no redaction of the title: the title as written
    queue = page(expert_client.get(panel.url("queue")))
    assert ORGANISATION_NAME not in queue
    assert "Ым тілі сабақтары" in queue


def test_blind_download_name_does_not_reveal_the_file_name(expert_client, blind):
    response = expert_client.get(blind.url("file"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="attachment-1.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_open_download_keeps_the_file_name(expert_client, declared):
    response = drain(expert_client.get(declared.url("file")))
    assert response.status_code == 200
    assert FILE_NAME in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_an_attachment_of_another_application_is_not_served(expert_client, declared):
    other = attach(make_application(declared.call), name="other.pdf")
    assert expert_client.get(declared.url("file", file_pk=other.pk)).status_code == 404


def test_blind_file_answers_are_listed_by_number(expert_client, blind):
    question = Question.objects.create(
        call=blind.call, position=1, kind=QuestionKind.FILE, label_kk="Жарғы", label_en="Charter"
    )
    attach(blind.application, name="Qamqor-letter.pdf", question=question)
    html = page(expert_client.get(blind.url("application")))
    assert "Qamqor-letter.pdf" not in html
    assert "Attachment 2 (PDF, 2.0" in html
    response = drain(
        expert_client.get(
            blind.url("file", file_pk=blind.application.attachments.get(question=question).pk)
        )
    )
    assert response["Content-Disposition"] == 'attachment; filename="attachment-2.pdf"'


# The scoring form ----------------------------------------------------------------------------


def test_a_criterion_with_labelled_points_is_a_radio_group(expert_client, declared):
    criterion = declared.criteria[0]
    Criterion.objects.filter(pk=criterion.pk).update(
        anchors={"0": {"en": "Absent", "kk": "Жоқ"}, "10": {"en": "Excellent", "kk": "Өте жақсы"}}
    )
    html = page(expert_client.get(declared.url("application")))
    assert f'<fieldset class="field " id="id_score_{criterion.pk}"' in html
    assert "<legend>Score for “Criterion 1”" in html
    assert html.count(f'type="radio" name="score_{criterion.pk}"') == 11
    assert "0 — Absent</label>" in html
    assert "10 — Excellent</label>" in html
    assert re.search(rf'<label for="id_score_{criterion.pk}_5">5</label>', html)
    other = declared.criteria[1]
    assert re.search(rf'type="number" name="score_{other.pk}"[^>]*min="0" max="10"', html)


def test_anchor_radios_save_and_come_back_checked(expert_client, declared):
    criterion = declared.criteria[0]
    Criterion.objects.filter(pk=criterion.pk).update(anchors={"7": {"en": "Good"}})
    response = expert_client.post(
        declared.url("application"), {f"score_{criterion.pk}": "7", "action": "draft"}
    )
    assert response.status_code == 302
    html = page(expert_client.get(declared.url("application")))
    assert re.search(rf'name="score_{criterion.pk}" value="7"[^>]*checked', html)


def test_a_draft_keeps_partial_values_and_is_not_audited(expert_client, declared):
    first = declared.criteria[0]
    response = expert_client.post(
        declared.url("application"),
        {
            f"score_{first.pk}": "7.5",
            f"comment_{first.pk}": "Clear need",
            "comment_for_applicant": "",
            "note_for_commission": "Check the budget",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == declared.url("application")
    review = Review.objects.get(expert=declared.seat)
    assert review.status == ReviewStatus.DRAFT
    assert [s.value for s in review.scores.all()] == [Decimal("7.50"), None, None]
    assert review.note_for_commission == "Check the budget"
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()
    html = page(expert_client.get(declared.url("application")))
    assert 'value="7.5"' in html
    assert "Clear need" in html
    assert "Check the budget" in html
    assert "Save draft" in html


def test_submitting_scores_is_audited(expert_client, declared):
    response = expert_client.post(
        declared.url("application"),
        scores_post(declared, [8, 6, 9], comment_for_applicant="A sound plan."),
    )
    assert response.status_code == 302
    assert response["Location"] == declared.url("queue")
    review = Review.objects.get(expert=declared.seat)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.comment_for_applicant == "A sound plan."
    event = AuditEvent.objects.get(action="review.submitted")
    assert event.data["old"] is None
    assert event.data["new"] == {
        str(c.pk): {"score": v, "comment": ""}
        for c, v in zip(declared.criteria, ["8.00", "6.00", "9.00"], strict=True)
    }
    html = page(expert_client.get(declared.url("application")))
    assert "Submit changes" in html
    assert "Save draft" not in html


def test_changing_submitted_scores_is_audited_with_old_and_new_values(expert_client, declared):
    expert_client.post(declared.url("application"), scores_post(declared, [8, 6, 9]))
    response = expert_client.post(declared.url("application"), scores_post(declared, [8, 7, 9]))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="review.resubmitted")
    second = str(declared.criteria[1].pk)
    assert event.data["old"][second] == {"score": "6.00", "comment": ""}
    assert event.data["new"][second] == {"score": "7.00", "comment": ""}
    assert Review.objects.get().scores.get(criterion=declared.criteria[1]).value == 7


def test_a_submitted_review_cannot_go_back_to_draft(expert_client, declared):
    expert_client.post(declared.url("application"), scores_post(declared, [8, 6, 9]))
    response = expert_client.post(
        declared.url("application"), scores_post(declared, [1, 1, 1], action="draft")
    )
    assert response.status_code == 400
    assert "change it by submitting it again" in page(response)
    assert Review.objects.get().scores.get(criterion=declared.criteria[0]).value == 8


def test_submitting_with_a_score_missing_shows_the_error_and_keeps_the_input(
    expert_client, declared
):
    first, second, third = declared.criteria
    response = expert_client.post(
        declared.url("application"),
        {
            f"score_{first.pk}": "8",
            f"score_{second.pk}": "",
            f"score_{third.pk}": "9",
            f"comment_{third.pk}": "Strong partners",
            "note_for_commission": "Private thought",
            "action": "submit",
        },
    )
    html = page(response)
    assert response.status_code == 400
    assert 'role="alert" tabindex="-1" id="error-summary"' in html
    assert "Give a score for every criterion (missing: Criterion 2)." in html
    assert 'value="8"' in html and 'value="9"' in html
    assert "Strong partners" in html and "Private thought" in html
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Enter a number."),
        ("11", "Ensure this value is less than or equal to 10."),
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("1e400", "Ensure this value is less than or equal to 10."),
        ("NaN", "Enter a number."),
    ],
)
def test_garbage_scores_are_a_form_error_not_a_crash(expert_client, declared, value, message):
    first = declared.criteria[0]
    response = expert_client.post(
        declared.url("application"),
        {f"score_{first.pk}": value, f"comment_{first.pk}": "Kept text", "action": "submit"},
    )
    html = page(response)
    assert response.status_code == 400
    assert message in html
    assert "Kept text" in html
    assert not Review.objects.exists()


def test_garbage_in_a_radio_group_is_a_form_error(expert_client, declared):
    first = declared.criteria[0]
    Criterion.objects.filter(pk=first.pk).update(anchors={"5": {"en": "Fair"}})
    response = expert_client.post(
        declared.url("application"), {f"score_{first.pk}": "5.5; DROP", "action": "draft"}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in page(response)


def test_unknown_criterion_keys_and_actions_are_ignored(expert_client, declared):
    other_call = in_review_call()
    foreign = other_call.criteria.first()
    data = scores_post(declared, [5, 5, 5], action="draft")
    data.update({"score_999999": "3", f"score_{foreign.pk}": "4", "score_x": "y", "action": "??"})
    response = expert_client.post(declared.url("application"), data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == ReviewStatus.DRAFT
    assert sorted(s.criterion_id for s in review.scores.all()) == [c.pk for c in declared.criteria]
    assert not Score.objects.filter(criterion=foreign).exists()


def test_comments_required_by_the_plan_are_marked_and_enforced(expert_client, declared):
    set_plan(declared, comment_required=True)
    html = page(expert_client.get(declared.url("application")))
    assert re.search(r"Comment on “Criterion 1” <span class=\"required\">", html)
    response = expert_client.post(declared.url("application"), scores_post(declared, [5, 6, 7]))
    assert response.status_code == 400
    assert "Explain every score" in page(response)
    assert not Review.objects.exists()
    data = scores_post(declared, [5, 6, 7])
    data.update({f"comment_{c.pk}": "Because" for c in declared.criteria})
    assert expert_client.post(declared.url("application"), data).status_code == 302
    assert Review.objects.get().status == ReviewStatus.SUBMITTED


def submit_directly(panel: Panel, expert_user, values=(8, 6, 9), note="Only for you"):
    return review_save(
        actor=expert_user,
        application=panel.application,
        scores={c.pk: v for c, v in zip(panel.criteria, values, strict=True)},
        comment_for_applicant="Good work",
        note_for_commission=note,
        submit=True,
    )


def test_after_the_review_period_the_review_is_read_only(expert_client, expert, declared):
    submit_directly(declared, expert)
    with time_machine.travel(declared.call.review_ends_at + timedelta(minutes=1)):
        html = page(expert_client.get(declared.url("application")))
        assert '<form method="post" novalidate data-submit-once>' not in html
        assert "The review period has ended" in html
        assert "Good work" in html
        assert "8.00" in html
        response = expert_client.post(declared.url("application"), scores_post(declared, [1, 1, 1]))
    assert response.status_code == 400
    assert "The review period has ended: scores can no longer be changed." in page(response)
    assert Review.objects.get().scores.get(criterion=declared.criteria[0]).value == 8


def test_once_the_call_is_decided_the_review_stays_readable(expert_client, expert, declared):
    submit_directly(declared, expert)
    Call.objects.filter(pk=declared.call.pk).update(status=CallStatus.DECIDED)
    declared.application.status = ApplicationStatus.RANKED
    declared.application.save(update_fields=["status"])
    html = page(expert_client.get(declared.url("application")))
    assert "The review of this call is over" in html
    assert "Submit changes" not in html
    assert "Good work" in html


def test_logged_out_before_saving_keeps_the_scores(client, expert, no_mfa, declared):
    first = declared.criteria[0]
    data = {f"score_{first.pk}": "6", f"comment_{first.pk}": "Typed before expiry"}
    response = client.post(declared.url("application"), {**data, "action": "draft"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(expert)
    html = page(client.get(declared.url("application")))
    assert "Typed before expiry" in html
    assert "You were logged out before your scores were saved" in html
    assert not Review.objects.exists()


# Profile ------------------------------------------------------------------------------------


def test_the_profile_offers_the_call_areas_and_languages(expert_client, panel):
    html = page(expert_client.get(panel.url("profile")))
    tags = list(panel.call.expertise_tags.all())
    assert len(tags) == 6
    for tag in tags:
        assert f'<input type="checkbox" name="tags" value="{tag.pk}"' in html
    assert "<legend>Areas of expertise" in html
    assert "<legend>Languages you can review in" in html
    assert re.search(r'name="languages" value="kk"[^>]*checked', html)
    assert not re.search(r'name="languages" value="en"[^>]*checked', html)


def test_saving_the_profile_goes_to_the_queue(expert_client, panel):
    Expert.objects.filter(pk=panel.seat.pk).update(profile_done_at=None, languages=[])
    expert_client.get(panel.url("profile"))
    tag = panel.call.expertise_tags.first()
    response = expert_client.post(
        panel.url("profile"),
        {
            "tags": [tag.pk],
            "expertise": "Инклюзивті білім",
            "languages": ["ru", "en"],
            "employer_bin": "",
            "max_load": "12",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == panel.url("queue")
    panel.seat.refresh_from_db()
    assert panel.seat.languages == ["ru", "en"]
    assert panel.seat.max_load == 12
    assert list(panel.seat.tags.all()) == [tag]
    assert panel.seat.profile_done_at is not None
    assert AuditEvent.objects.filter(action="expert.profile_changed").count() == 1
    assert "Your profile is saved." in page(expert_client.get(panel.url("queue")))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"languages": []}, "Choose at least one language you can review in."),
        ({"employer_bin": "123"}, "The BIN is not valid"),
        ({"max_load": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"max_load": "many"}, "Enter a whole number."),
        ({"tags": ["999999"]}, "Select a valid choice."),
    ],
)
def test_profile_errors_keep_the_input(expert_client, panel, data, message):
    posted = {"expertise": "Typed words", "languages": ["kk"], **data}
    response = expert_client.post(panel.url("profile"), posted)
    html = page(response)
    assert response.status_code == 400
    assert message in html
    assert "Typed words" in html
    assert 'role="alert"' in html


# Queue --------------------------------------------------------------------------------------


def test_the_queue_shows_states_progress_and_deadline(expert_client, expert, declared):
    call = declared.call
    submitted_app = make_application(call, title="Дайын")
    assign(declared.seat, submitted_app, declared=False)
    review_save(
        actor=expert,
        application=submitted_app,
        scores={c.pk: 5 for c in declared.criteria},
        submit=True,
    )
    undeclared = make_application(call, title="Жаңа")
    assign(declared.seat, undeclared)
    found = make_application(call, title="Туыстық", organisation=member_of(expert))
    assign(declared.seat, found)
    review_save(
        actor=expert,
        application=declared.application,
        scores={declared.criteria[0].pk: 5},
        submit=False,
    )
    html = page(expert_client.get(declared.url("queue")))
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', html, re.S)
    titles = [re.sub(r"<.*?>", "", r.split("</th>")[0]) for r in rows]
    assert titles == ["Жаңа", "Ым тілі сабақтары", "Дайын", "Туыстық"]
    assert "Declaration needed" in rows[0]
    assert "Draft" in rows[1]
    assert "Submitted" in rows[2]
    assert "Conflict of interest" in rows[3] and "<a " not in rows[3].split("</th>")[0]
    assert "1 of 3 submitted" in html
    local = timezone.localtime(call.review_ends_at)
    assert f'datetime="{local.isoformat()}"' in html
    assert "(Almaty time)" in html
    assert "Complete your profile" not in html
    assert "Place your bids" not in html


def test_the_queue_asks_for_the_profile_and_offers_bids(expert_client, panel):
    Expert.objects.filter(pk=panel.seat.pk).update(profile_done_at=None)
    set_plan(panel, bidding_open=True)
    html = page(expert_client.get(panel.url("queue")))
    assert f'href="{panel.url("profile")}">Complete your profile' in html
    assert f'href="{panel.url("bids")}">Place your bids' in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_applications(
    expert_client, panel, django_assert_num_queries, count
):
    set_plan(panel, blind=True)
    for n in range(count - 1):
        application = make_application(panel.call, title=f"Жоба {n}")
        assign(panel.seat, application, declared=n % 2 == 0)
    # Session, user, seat with call and plan; assignments, declarations, reviews; conflicts
    # (applications, declared, members, former members, earlier declarations); redactions; the
    # header's workspace and reviews links and unread notifications.
    with django_assert_num_queries(15):
        response = expert_client.get(panel.url("queue"))
    assert page(response).count('<th scope="row">') == count


def test_the_home_page_lists_the_seats_with_counts(expert_client, expert, declared):
    review_save(
        actor=expert,
        application=declared.application,
        scores={c.pk: 5 for c in declared.criteria},
        submit=True,
    )
    other = in_review_call()
    seat(other, expert)
    html = page(expert_client.get(reverse("review:home")))
    assert html.count('<li class="card">') == 2
    assert "Reviews submitted: 1 of 1" in html
    assert "Reviews submitted: 0 of 0" in html


@pytest.mark.parametrize("count", [1, 4])
def test_the_home_page_costs_the_same_queries_for_1_or_4_calls(
    expert_client, expert, panel, django_assert_num_queries, count
):
    for _n in range(count - 1):
        seat(in_review_call(), expert)
    with django_assert_num_queries(6):
        response = expert_client.get(reverse("review:home"))
    assert page(response).count('<li class="card">') == count


def test_the_home_page_of_a_person_without_a_seat_says_so(client, applicant):
    client.force_login(applicant)
    assert "You are not an expert of any call yet." in page(client.get(reverse("review:home")))


# Bids ---------------------------------------------------------------------------------------


@pytest.fixture
def bidding(panel):
    set_plan(panel, bidding_open=True)
    return panel


def test_bids_are_a_404_while_bidding_is_closed(expert_client, panel):
    assert expert_client.get(panel.url("bids")).status_code == 404
    assert expert_client.post(panel.url("bids"), {}).status_code == 404


def test_bids_list_reviewable_applications_without_conflicts(expert_client, expert, bidding):
    call = bidding.call
    make_application(call, title="Тағы бір жоба")
    make_application(call, title="Менің ұйымым", organisation=member_of(expert))
    make_application(call, title="Жоба жоқ", status=ApplicationStatus.INELIGIBLE)
    make_application(in_review_call(), title="Басқа байқау")
    html = page(expert_client.get(bidding.url("bids")))
    assert "Тағы бір жоба" in html and "Ым тілі сабақтары" in html
    assert ORGANISATION_NAME in html
    for hidden in ("Менің ұйымым", "Жоба жоқ", "Басқа байқау"):
        assert hidden not in html
    assert "2 applications" in html
    assert '<label for="bid-' in html


def test_bids_are_saved_for_the_page(expert_client, bidding):
    other = make_application(bidding.call, title="Тағы бір жоба")
    Bid.objects.create(expert=bidding.seat, application=other, value=BidValue.CAN)
    response = expert_client.post(
        bidding.url("bids"),
        {f"bid_{bidding.application.pk}": "1", f"bid_{other.pk}": "", "q": "", "page": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == bidding.url("bids") + "?page=1"
    assert list(Bid.objects.values_list("application_id", "value")) == [(bidding.application.pk, 1)]
    html = page(expert_client.get(response["Location"]))
    assert "2 bids saved." in html
    assert re.search(
        rf'name="bid_{bidding.application.pk}".*?<option value="1" selected', html, re.S
    )


@pytest.mark.parametrize(
    "key_value",
    [("bid_{pk}", "7"), ("bid_{pk}", "want"), ("bid_{foreign}", "1"), ("bid_{ineligible}", "0")],
)
def test_bad_bids_are_refused_keeping_the_page(expert_client, bidding, key_value):
    foreign = make_application(in_review_call())
    ineligible = make_application(bidding.call, status=ApplicationStatus.INELIGIBLE)
    key = key_value[0].format(
        pk=bidding.application.pk, foreign=foreign.pk, ineligible=ineligible.pk
    )
    response = expert_client.post(bidding.url("bids"), {key: key_value[1]})
    assert response.status_code == 400
    assert 'role="alert"' in page(response)
    assert not Bid.objects.exists()


def test_a_bid_for_a_conflicted_application_is_refused(expert_client, expert, bidding):
    mine = make_application(bidding.call, organisation=member_of(expert))
    response = expert_client.post(bidding.url("bids"), {f"bid_{mine.pk}": "1"})
    assert response.status_code == 400
    assert not Bid.objects.exists()


def test_bids_search_the_title_the_expert_sees(expert_client, bidding):
    make_application(bidding.call, title="Qamqor volunteers")
    set_plan(bidding, blind=True)
    redacted = make_application(bidding.call, title="Qamqor Foundation camp")
    Redaction.objects.create(application=redacted, field="title", text="A summer camp")
    html = page(expert_client.get(bidding.url("bids"), {"q": "qamqor"}))
    assert "Qamqor volunteers" in html
    assert "camp" not in html
    html = page(expert_client.get(bidding.url("bids"), {"q": "summer"}))
    assert "A summer camp" in html and "Qamqor" not in html
    assert ORGANISATION_NAME not in html


def test_bids_are_paginated_by_50(expert_client, bidding):
    for n in range(55):
        make_application(bidding.call, title=f"Жоба {n:02d}")
    first = page(expert_client.get(bidding.url("bids")))
    assert first.count('<select name="bid_') == 50
    assert "Page 1 of 2" in first
    second = page(expert_client.get(bidding.url("bids"), {"page": 2}))
    assert second.count('<select name="bid_') == 6


@pytest.mark.parametrize("count", [5, 50])
def test_bids_cost_the_same_queries_for_5_or_50_applications(
    expert_client, bidding, django_assert_num_queries, count
):
    set_plan(bidding, blind=True)
    for n in range(count - 1):
        application = make_application(bidding.call, title=f"Жоба {n}")
        if n % 2:
            Bid.objects.create(expert=bidding.seat, application=application, value=1)
    # Session, user, seat; conflicts (experts' applications, declared, members, former members,
    # earlier declarations); count, page, bids, redactions; header links and notifications.
    with django_assert_num_queries(15):
        response = expert_client.get(bidding.url("bids"))
    assert page(response).count('<select name="bid_') == count


# Other experts' scores ----------------------------------------------------------------------


@pytest.fixture
def colleagues(declared):
    """Two other experts who submitted reviews of the same application."""
    names = []
    for values, note in (((4, 5, 6), "Colleague note A"), ((9, 9, 9), "Colleague note B")):
        user = UserFactory(full_name=f"Colleague {values[0]}")
        names.append(user.full_name)
        other = seat(declared.call, user)
        assign(other, declared.application, declared=False)
        submit_directly(declared, user, values=values, note=note)
    return declared, names


def test_other_scores_are_hidden_until_the_expert_submits(expert_client, expert, colleagues):
    panel, _names = colleagues
    html = page(expert_client.get(panel.url("application")))
    assert panel.url("scores") not in html
    assert expert_client.get(panel.url("scores")).status_code == 404
    submit_directly(panel, expert)
    assert panel.url("scores") in page(expert_client.get(panel.url("application")))
    assert expert_client.get(panel.url("scores")).status_code == 200


def test_other_scores_are_numbered_never_named_and_notes_stay_private(
    expert_client, expert, colleagues
):
    panel, names = colleagues
    submit_directly(panel, expert, note="My own note")
    html = page(expert_client.get(panel.url("scores")))
    assert "Expert 1" in html and "Expert 2" in html and "You" in html
    for secret in (*names, "Colleague note A", "Colleague note B", "My own note", "Good work"):
        assert secret not in html
    assert '<td class="num">4.00</td><td class="num">5.00</td><td class="num">6.00</td>' in html
    assert '<td class="num">49.00</td>' in html  # (0.4·4 + 0.3·5 + 0.3·6) / 10, out of 100
    assert '<td class="num">90.00</td>' in html


@pytest.mark.parametrize(("setting", "status"), [("never", 404), ("always", 200)])
def test_the_plan_decides_whether_other_scores_show(expert_client, colleagues, setting, status):
    panel, _names = colleagues
    set_plan(panel, other_scores=setting)
    assert expert_client.get(panel.url("scores")).status_code == status


@pytest.mark.parametrize("count", [1, 4])
def test_other_scores_cost_the_same_queries_for_1_or_4_reviews(
    expert_client, declared, django_assert_num_queries, count
):
    set_plan(declared, other_scores="always")
    for _n in range(count):
        user = UserFactory()
        other = seat(declared.call, user)
        assign(other, declared.application, declared=False)
        submit_directly(declared, user)
    with django_assert_num_queries(17):
        response = expert_client.get(declared.url("scores"))
    assert page(response).count("Expert ") >= count


def test_the_application_page_costs_the_same_queries_whatever_its_size(
    expert_client, declared, django_assert_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert expert_client.get(declared.url("application")).status_code == 200
        return len(ctx.captured_queries)

    small = count_queries()
    for n in range(5):
        attach(declared.application, name=f"file-{n}.pdf")
        BudgetLine.objects.create(application=declared.application, item=f"Item {n}", quantity=1)
        question = Question.objects.create(
            call=declared.call, position=n + 1, kind=QuestionKind.SHORT_TEXT, label_kk=f"С {n}"
        )
        Answer.objects.create(application=declared.application, question=question, value="A")
    big = count_queries()
    assert small == big

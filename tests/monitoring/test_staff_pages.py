"""The staff's monitoring pages: drafting an agreement from an award, editing its schedules,
offering it, moving its payments, reviewing its reports, recording visits and closing it."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baiqau.audit.models import AuditEvent
from baiqau.monitoring.models import (
    Agreement,
    AgreementStatus,
    Report,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheStatus,
    Visit,
)
from baiqau.monitoring.services import (
    agreement_accept,
    report_file_add,
    report_save_draft,
    tranche_approve,
    tranche_pay,
    tranche_withhold,
)
from tests.monitoring.staff_builders import (
    AMOUNT,
    PNG,
    accepted,
    drafted,
    funded_call,
    no_mfa,
    offered,
    report_of,
    submit,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa")]
__all__ = ["no_mfa"]


def text(response) -> str:
    """The page's text with tags removed and white space (no-break spaces too) collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def schedule_post(agreement: Agreement, **changes) -> dict[str, str]:
    """The edit form as the page shows it for the default grant schedule, with `changes`."""
    reports = list(agreement.reports.all())
    tranches = list(agreement.tranches.all())
    data = {
        "purpose": agreement.purpose,
        "summary_public": agreement.summary_public,
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-name": "People reached by the project",
        "indicators-0-unit": "people",
        "indicators-0-baseline": "0",
        "indicators-0-target": "40",
        "reports-TOTAL_FORMS": str(len(reports) + 1),
        "reports-INITIAL_FORMS": str(len(reports)),
        "tranches-TOTAL_FORMS": str(len(tranches) + 1),
        "tranches-INITIAL_FORMS": str(len(tranches)),
    }
    line_of = {r.pk: n for n, r in enumerate(reports, 1)}
    for n, report in enumerate(reports):
        data[f"reports-{n}-kind"] = report.kind
        data[f"reports-{n}-due_date"] = report.due_date.isoformat()
    for n, tranche in enumerate(tranches):
        data[f"tranches-{n}-amount"] = str(tranche.amount)
        data[f"tranches-{n}-planned_date"] = tranche.planned_date.isoformat()
        data[f"tranches-{n}-condition"] = str(line_of.get(tranche.condition_report_id, ""))
    data.update(changes)
    return data


# --- The agreements of a call ------------------------------------------------------------------


def test_an_award_without_an_agreement_offers_to_draft_one(client):
    world = funded_call(2)
    client.force_login(world.organiser)
    page = client.get(url(world.call, "agreements"))
    assert page.status_code == 200
    assert text(page).count("No agreement yet") == 2
    assert text(page).count("Draft the agreement") == 2
    response = client.post(
        url(world.call, "agreement_draft", application_pk=world.applications[0].pk)
    )
    agreement = Agreement.objects.get(application=world.applications[0])
    assert response.status_code == 302
    assert response["Location"] == url(world.call, "agreement", pk=agreement.pk)
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.amount == AMOUNT
    # The grant's default schedule: 60 % then 40 % once the interim report is accepted.
    assert [t.amount for t in agreement.tranches.all()] == [360_000, 240_000]
    assert [r.kind for r in agreement.reports.all()] == [ReportKind.INTERIM, ReportKind.FINAL]
    assert AuditEvent.objects.filter(action="agreement.created").count() == 1
    page = client.get(url(world.call, "agreements"))
    assert text(page).count("Draft the agreement") == 1
    assert agreement.number in text(page)


def test_drafting_twice_is_refused_with_a_message(client):
    world = funded_call(1)
    drafted(world)
    client.force_login(world.organiser)
    response = client.post(
        url(world.call, "agreement_draft", application_pk=world.applications[0].pk), follow=True
    )
    assert "This application already has an agreement." in text(response)
    assert Agreement.objects.count() == 1


def test_an_application_of_another_call_cannot_be_drafted_here(client):
    world = funded_call(1)
    elsewhere = funded_call(1)
    client.force_login(world.organiser)
    response = client.post(
        url(world.call, "agreement_draft", application_pk=elsewhere.applications[0].pk)
    )
    assert response.status_code == 404
    assert not Agreement.objects.exists()


def test_before_the_results_are_published_there_is_nothing_to_draft(client):
    world = funded_call(1)
    world.call.results_published_at = None
    world.call.save(update_fields=["results_published_at"])
    client.force_login(world.organiser)
    page = client.get(url(world.call, "agreements"))
    assert page.status_code == 200
    assert "The results of this call are not published." in text(page)
    assert "Draft the agreement" not in text(page)


def test_search_finds_an_award_by_title_or_organisation(client):
    world = funded_call(3)
    # Words no id, number or other name can contain, whatever ran before.
    for application, word in zip(
        world.applications, ("Almaty", "Baikonur", "Shymkent"), strict=True
    ):
        application.title_en = f"{word} house"
        application.save(update_fields=["title_en"])
    client.force_login(world.user("secretary"))
    page = client.get(url(world.call, "agreements"), {"q": "Baikonur"})
    assert "Baikonur house" in text(page)
    assert "Shymkent house" not in text(page)
    organisation = world.applications[2].organisation
    organisation.name_en = "Zhetysu Volunteers"
    organisation.save(update_fields=["name_en"])
    page = client.get(url(world.call, "agreements"), {"q": "Zhetysu"})
    assert "Shymkent house" in text(page)
    assert "Almaty house" not in text(page)


def test_the_list_pages_by_fifty(client):
    world = funded_call(51, budget_lines=1)
    client.force_login(world.organiser)
    first = client.get(url(world.call, "agreements"))
    assert text(first).count("Draft the agreement") == 50
    assert "Page 1 of 2" in text(first)
    second = client.get(url(world.call, "agreements"), {"page": "2"})
    assert text(second).count("Draft the agreement") == 1
    assert client.get(url(world.call, "agreements"), {"page": "x"}).status_code == 200


def test_the_totals_are_awarded_paid_withheld_and_outstanding(client):
    world = funded_call(3)
    organiser = world.organiser
    first = accepted(world, 0)
    second = accepted(world, 1)
    drafted(world, 2)  # no money moves on a draft
    today = timezone.localdate()
    paid = first.tranches.get(position=0)
    tranche_approve(actor=organiser, tranche=paid)
    tranche_pay(actor=organiser, tranche=paid, paid_on=today, reference="PP-1")
    tranche_withhold(actor=organiser, tranche=second.tranches.get(position=1), reason="Late")
    client.force_login(organiser)
    page = text(client.get(url(world.call, "agreements")))
    totals = page[page.index("Money of the call") : page.index("Outstanding is")]
    assert totals == (
        "Money of the call Awarded 1 800 000 ₸ Paid 360 000 ₸ Withheld 240 000 ₸ "
        "Outstanding 1 200 000 ₸ "
    )


def test_overdue_reports_are_flagged_in_words(client):
    world = funded_call(2)
    agreement = accepted(world, 0)
    accepted(world, 1)
    Report.objects.filter(agreement=agreement, kind=ReportKind.INTERIM).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(world.organiser)
    page = text(client.get(url(world.call, "agreements")))
    assert page.count("Overdue: 1 report") == 1
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "Overdue" in page


def test_a_report_due_today_is_not_overdue(client):
    world = funded_call(1)
    agreement = accepted(world, 0)
    Report.objects.filter(agreement=agreement).update(due_date=timezone.localdate())
    client.force_login(world.organiser)
    assert "Overdue" not in text(client.get(url(world.call, "agreements")))


# --- Editing the draft -------------------------------------------------------------------------


def test_the_draft_schedule_is_saved_from_the_form(client):
    world = funded_call(1)
    agreement = drafted(world)
    client.force_login(world.organiser)
    due = (timezone.localdate() + timedelta(days=200)).isoformat()
    data = schedule_post(
        agreement,
        purpose="Дайындау",
        **{
            "indicators-1-name": "Adults moved into supported living",
            "indicators-1-unit": "people",
            "indicators-1-baseline": "0",
            "indicators-1-target": "12",
            "reports-1-DELETE": "on",  # the final report moves to line 3
            "reports-2-kind": ReportKind.FINAL,
            "reports-2-due_date": due,
            "tranches-0-amount": "300000",
            "tranches-1-amount": "200000",
            "tranches-2-amount": "100000",
            "tranches-2-planned_date": due,
            "tranches-2-condition": "3",
        },
    )
    response = client.post(url(world.call, "agreement", pk=agreement.pk), data)
    assert response.status_code == 302, text(response)
    agreement.refresh_from_db()
    assert agreement.purpose == "Дайындау"
    assert [i.name for i in agreement.indicators.all()] == [
        "People reached by the project",
        "Adults moved into supported living",
    ]
    reports = list(agreement.reports.all())
    assert [(r.kind, r.due_date.isoformat()) for r in reports][1] == (ReportKind.FINAL, due)
    tranches = list(agreement.tranches.all())
    assert [t.amount for t in tranches] == [300_000, 200_000, 100_000]
    assert [t.condition_report for t in tranches] == [None, reports[0], reports[1]]
    assert AuditEvent.objects.filter(action="agreement.updated").count() == 1


def test_schedule_errors_are_shown_and_what_was_typed_is_kept(client):
    world = funded_call(1)
    agreement = drafted(world)
    client.force_login(world.organiser)
    data = schedule_post(
        agreement,
        purpose="Жаңа мақсат",
        **{
            "indicators-1-name": "Families supported",
            "indicators-1-unit": "",  # missing
            "indicators-1-target": "7",
            "tranches-0-amount": "123456",  # no longer adds up
        },
    )
    response = client.post(url(world.call, "agreement", pk=agreement.pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indicator, line 2, Unit: This field is required." in text(response)
    assert 'value="Families supported"' in page
    assert 'value="123456"' in page
    assert "Жаңа мақсат" in page
    # Fixing the unit leaves the service's refusal: the tranches do not add up.
    data["indicators-1-unit"] = "families"
    response = client.post(url(world.call, "agreement", pk=agreement.pk), data)
    assert response.status_code == 400
    assert "The tranches must add up to the amount of the agreement." in text(response)
    assert 'value="families"' in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.purpose != "Жаңа мақсат"
    assert agreement.tranches.count() == 2


def test_a_condition_on_a_removed_report_line_is_an_error(client):
    world = funded_call(1)
    agreement = drafted(world)
    client.force_login(world.organiser)
    data = schedule_post(agreement, **{"reports-0-DELETE": "on"})
    response = client.post(url(world.call, "agreement", pk=agreement.pk), data)
    assert response.status_code == 400
    assert "This line of the report schedule is empty or removed." in text(response)


def test_a_broken_formset_is_a_page_with_errors_not_a_crash(client):
    world = funded_call(1)
    agreement = drafted(world)
    client.force_login(world.organiser)
    response = client.post(
        url(world.call, "agreement", pk=agreement.pk),
        {"purpose": "x", "tranches-0-condition": "99", "reports-TOTAL_FORMS": "zz"},
    )
    assert response.status_code == 400


def test_an_offered_agreement_is_not_editable(client):
    world = funded_call(1)
    agreement = offered(world)
    client.force_login(world.organiser)
    page = client.get(url(world.call, "agreement", pk=agreement.pk))
    assert "Change the draft" not in text(page)
    assert "Withdraw the offer" in text(page)
    response = client.post(
        url(world.call, "agreement", pk=agreement.pk), schedule_post(agreement, purpose="New")
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.purpose != "New"


# --- Offering, withdrawing, closing ------------------------------------------------------------


def test_offering_asks_for_confirmation_then_offers(client):
    world = funded_call(1)
    agreement = drafted(world)
    client.force_login(world.organiser)
    confirm = client.get(url(world.call, "agreement_offer", pk=agreement.pk))
    assert confirm.status_code == 200
    assert "Offer the agreement to the organisation?" in text(confirm)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    response = client.post(url(world.call, "agreement_offer", pk=agreement.pk))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED
    assert agreement.offered_at is not None
    assert AuditEvent.objects.filter(action="agreement.offer").count() == 1


def test_withdrawing_the_offer_needs_a_reason(client):
    world = funded_call(1)
    agreement = offered(world)
    client.force_login(world.organiser)
    target = url(world.call, "agreement_withdraw", pk=agreement.pk)
    response = client.post(target, {"reason": "  "})
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OFFERED
    response = client.post(target, {"reason": "The amount was wrong"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    event = AuditEvent.objects.get(action="agreement.withdraw_offer")
    assert event.data["reason"] == "The amount was wrong"


# --- Payments ----------------------------------------------------------------------------------


def test_a_tranche_conditioned_on_a_report_waits_for_its_acceptance(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    second = agreement.tranches.get(condition_report=interim)
    client.force_login(world.organiser)
    target = url(world.call, "tranche_approve", pk=agreement.pk, tranche_pk=second.pk)
    approve_link = f'href="{target}"'
    page = client.get(url(world.call, "agreement", pk=agreement.pk))
    assert page.content.decode().count(approve_link) == 0
    assert "Waits until this report is accepted: Interim report" in text(page)
    response = client.post(target)
    assert response.status_code == 400
    assert "waits for the agreement to be accepted and its report" in text(response)
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED
    # The organisation submits, staff accept: the tranche becomes approvable.
    submit(interim, world.owner)
    client.post(url(world.call, "report_accept", pk=agreement.pk, report_pk=interim.pk))
    page = client.get(url(world.call, "agreement", pk=agreement.pk))
    assert page.content.decode().count(approve_link) == 1
    assert "Waits until" not in text(page)
    assert client.post(target).status_code == 302
    second.refresh_from_db()
    assert second.status == TrancheStatus.APPROVED


def test_paying_needs_a_reference_and_a_date_not_in_the_future(client):
    world = funded_call(1)
    agreement = accepted(world)
    first = agreement.tranches.get(position=0)
    tranche_approve(actor=world.organiser, tranche=first)
    client.force_login(world.organiser)
    target = url(world.call, "tranche_pay", pk=agreement.pk, tranche_pk=first.pk)
    today = timezone.localdate()
    assert client.get(target).status_code == 200
    response = client.post(target, {"paid_on": today.isoformat(), "reference": ""})
    assert response.status_code == 400
    assert "Payment order's reference: This field is required." in text(response)
    tomorrow = (today + timedelta(days=2)).isoformat()
    response = client.post(target, {"paid_on": tomorrow, "reference": "PP-77"})
    assert response.status_code == 400
    assert "The payment date cannot be in the future." in text(response)
    assert 'value="PP-77"' in response.content.decode()
    first.refresh_from_db()
    assert first.status == TrancheStatus.APPROVED
    response = client.post(target, {"paid_on": today.isoformat(), "reference": "PP-77"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.paid_on, first.reference) == (TrancheStatus.PAID, today, "PP-77")
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "reference PP-77" in page


def test_withholding_needs_a_reason_and_reinstating_too(client):
    world = funded_call(1)
    agreement = accepted(world)
    tranche = agreement.tranches.get(position=0)
    client.force_login(world.organiser)
    withhold = url(world.call, "tranche_withhold", pk=agreement.pk, tranche_pk=tranche.pk)
    response = client.post(withhold, {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED
    assert client.post(withhold, {"reason": "No receipts"}).status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.withheld_reason) == (TrancheStatus.WITHHELD, "No receipts")
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "Reason: No receipts" in page
    reinstate = url(world.call, "tranche_reinstate", pk=agreement.pk, tranche_pk=tranche.pk)
    assert client.post(reinstate, {"reason": ""}).status_code == 400
    assert client.post(reinstate, {"reason": "Receipts came"}).status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_a_tranche_of_another_agreement_is_a_404(client):
    world = funded_call(2)
    mine, theirs = accepted(world, 0), accepted(world, 1)
    client.force_login(world.organiser)
    other = theirs.tranches.first()
    target = url(world.call, "tranche_withhold", pk=mine.pk, tranche_pk=other.pk)
    assert client.post(target, {"reason": "x"}).status_code == 404
    assert Tranche.objects.get(pk=other.pk).status == TrancheStatus.PLANNED


# --- Reports -----------------------------------------------------------------------------------


def test_a_report_is_returned_with_a_comment_then_accepted_after_resubmission(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    submit(interim, world.owner, categories=3, spent_delta=50_000)
    client.force_login(world.organiser)
    review = url(world.call, "report_review", pk=agreement.pk, report_pk=interim.pk)
    page = client.get(review)
    assert page.status_code == 200
    body = text(page)
    assert "Тренингтер өтті" in body
    assert "Overspent by 50 000 ₸" in body
    first = agreement.indicators.first()  # named in the agreement's language
    assert f"{first.name} {first.unit} 0 40 12 30 % of the way to the target" in body
    assert "Бағасы өзгерді" in body
    assert "Children (0–17)" in body
    # Returning needs a comment.
    response = client.post(
        url(world.call, "report_return", pk=agreement.pk, report_pk=interim.pk),
        {"return-comment": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in text(response)
    interim.refresh_from_db()
    assert interim.status == ReportStatus.SUBMITTED
    response = client.post(
        url(world.call, "report_return", pk=agreement.pk, report_pk=interim.pk),
        {"return-comment": "Please explain the spending on line 1"},
    )
    assert response.status_code == 302
    interim.refresh_from_db()
    assert interim.status == ReportStatus.RETURNED
    # The organisation revises and resubmits; version 1 is kept with staff's comment.
    submit(interim, world.owner, categories=4)
    page = client.get(review)
    body = text(page)
    assert "Version 2" in body
    assert "Version 1, submitted" in body
    first = client.get(review, {"version": "1"})
    assert "Please explain the spending on line 1" in text(first)
    assert "This is an earlier version." in text(first)
    assert client.get(review, {"version": "nonsense"}).status_code == 200
    response = client.post(
        url(world.call, "report_accept", pk=agreement.pk, report_pk=interim.pk),
        {"accept-comment": "Thank you"},
    )
    assert response.status_code == 302
    interim.refresh_from_db()
    assert interim.status == ReportStatus.ACCEPTED
    assert interim.accepted_version.number == 2
    assert interim.versions.count() == 2
    assert interim.accepted_version.review.comment == "Thank you"
    assert AuditEvent.objects.filter(action="report.return").count() == 1
    assert AuditEvent.objects.filter(action="report.accept").count() == 1


def test_the_review_page_lists_beneficiaries_as_counts_by_category_only(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    submit(interim, world.owner, categories=2)
    client.force_login(world.organiser)
    page = text(client.get(url(world.call, "report_review", pk=agreement.pk, report_pk=interim.pk)))
    table = page[page.index("People reached in this report") : page.index("Spending against")]
    assert table == (
        "People reached in this report's period, by age group, sex and disability Age group Sex "
        "With a disability Disability group Number of people "
        "Children (0–17) Women and girls No — 3 "
        "Children (0–17) Women and girls Yes Disability group II 3 Total 6 "
    )


def test_an_accepted_report_can_be_reopened_with_a_reason(client):
    world = funded_call(1)
    agreement = accepted(world)
    final = report_of(agreement, ReportKind.FINAL)
    submit(final, world.owner)
    client.force_login(world.organiser)
    client.post(url(world.call, "report_accept", pk=agreement.pk, report_pk=final.pk))
    target = url(world.call, "report_reopen", pk=agreement.pk, report_pk=final.pk)
    assert client.post(target, {"reopen-reason": ""}).status_code == 400
    assert client.post(target, {"reopen-reason": "Figures were wrong"}).status_code == 302
    final.refresh_from_db()
    assert (final.status, final.accepted_version) == (ReportStatus.RETURNED, None)


def test_accepting_a_report_twice_says_why_not(client):
    world = funded_call(1)
    agreement = accepted(world)
    final = report_of(agreement, ReportKind.FINAL)
    submit(final, world.owner)
    client.force_login(world.organiser)
    target = url(world.call, "report_accept", pk=agreement.pk, report_pk=final.pk)
    client.post(target)
    response = client.post(target, follow=True)
    assert "This cannot move from" in text(response)


def test_a_report_file_is_downloaded_but_not_a_draft_one(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    attached = report_file_add(
        actor=world.owner,
        report=interim,
        upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    client.force_login(world.organiser)
    target = url(
        world.call, "report_file", pk=agreement.pk, report_pk=interim.pk, file_pk=attached.pk
    )
    assert client.get(target).status_code == 404  # still the organisation's draft
    submit(interim, world.owner)
    response = client.get(target)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    page = client.get(url(world.call, "report_review", pk=agreement.pk, report_pk=interim.pk))
    assert f'href="{target}"' in page.content.decode()


def test_a_report_not_submitted_yet_has_no_answer_form(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    report_save_draft(actor=world.owner, report=interim, data={"done": "Draft only"})
    client.force_login(world.organiser)
    page = text(client.get(url(world.call, "report_review", pk=agreement.pk, report_pk=interim.pk)))
    assert "The organisation has not submitted this report yet." in page
    assert "Draft only" not in page
    assert "Accept the report" not in page


# --- Visits and closing ------------------------------------------------------------------------


def test_a_visit_is_recorded_with_a_photo(client):
    world = funded_call(1)
    agreement = accepted(world)
    client.force_login(world.user("secretary"))
    target = url(world.call, "visit_record", pk=agreement.pk)
    assert client.get(target).status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        target,
        {
            "visited_on": yesterday,
            "visitors": "A. Sadykova, secretariat",
            "findings": "The flat is ready; six residents moved in.",
            "photos": [
                SimpleUploadedFile("kitchen.png", PNG, content_type="image/png"),
                SimpleUploadedFile("room.png", PNG, content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302, text(response)
    visit = Visit.objects.get(agreement=agreement)
    assert visit.visitors == "A. Sadykova, secretariat"
    assert sorted(p.original_name for p in visit.photos.all()) == ["kitchen.png", "room.png"]
    assert AuditEvent.objects.filter(action="visit.recorded").count() == 1
    page = client.get(url(world.call, "agreement", pk=agreement.pk))
    photo = visit.photos.get(original_name="kitchen.png")
    link = url(world.call, "visit_photo", pk=agreement.pk, visit_pk=visit.pk, photo_pk=photo.pk)
    assert f'href="{link}"' in page.content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG


def test_a_visit_in_the_future_or_with_a_non_image_is_refused_with_the_text_kept(client):
    world = funded_call(1)
    agreement = accepted(world)
    client.force_login(world.organiser)
    target = url(world.call, "visit_record", pk=agreement.pk)
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        target, {"visited_on": tomorrow, "visitors": "Team", "findings": "Всё хорошо"}
    )
    assert response.status_code == 400
    assert "A visit is recorded after it took place." in text(response)
    assert "Всё хорошо" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        target,
        {
            "visited_on": today,
            "visitors": "Team",
            "findings": "Fine",
            "photos": SimpleUploadedFile("notes.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "is not a JPEG or PNG photo" in text(response)
    assert not Visit.objects.exists()


def test_closing_waits_for_reports_and_payments_then_closes(client):
    world = funded_call(1)
    agreement = accepted(world)
    organiser = world.organiser
    client.force_login(organiser)
    close = url(world.call, "agreement_close", pk=agreement.pk)
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "The agreement can be closed once every report is accepted" in page
    response = client.post(close)
    assert response.status_code == 400
    assert "Every report must be accepted before the agreement is closed." in text(response)
    today = timezone.localdate()
    for report in agreement.reports.all():
        submit(report, world.owner)
        client.post(url(world.call, "report_accept", pk=agreement.pk, report_pk=report.pk))
    for tranche in agreement.tranches.all():
        tranche_approve(actor=organiser, tranche=tranche)
        tranche_pay(actor=organiser, tranche=tranche, paid_on=today, reference=f"PP-{tranche.pk}")
    page = client.get(url(world.call, "agreement", pk=agreement.pk))
    assert f'href="{close}"' in page.content.decode()
    assert "Close the agreement?" in text(client.get(close))
    assert client.post(close).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CLOSED
    page = text(client.get(url(world.call, "agreements")))
    assert "Closed" in page
    assert "Outstanding 0 ₸" in page
    reopen = url(world.call, "agreement_reopen", pk=agreement.pk)
    assert client.post(reopen, {"reason": ""}).status_code == 400
    assert client.post(reopen, {"reason": "A receipt was forged"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED


def test_the_chair_reads_the_pages_without_any_action(client):
    world = funded_call(1)
    agreement = accepted(world)
    interim = report_of(agreement)
    submit(interim, world.owner)
    client.force_login(world.user("chair"))
    page = text(client.get(url(world.call, "agreements")))
    assert "Draft the agreement" not in page
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "Record a visit" not in page
    assert "Withhold" not in page
    assert "Close the agreement" not in page
    page = text(client.get(url(world.call, "report_review", pk=agreement.pk, report_pk=interim.pk)))
    assert "Accept the report" not in page
    assert "Тренингтер өтті" in page


def test_the_organisations_acceptance_shows_on_the_agreement_page(client):
    world = funded_call(1)
    agreement = offered(world)
    agreement_accept(actor=world.owner, agreement=agreement)
    client.force_login(world.organiser)
    page = text(client.get(url(world.call, "agreement", pk=agreement.pk)))
    assert "Accepted" in page
    assert "by Owner 0" in page

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.services import (
    application_create,
    application_submit,
    application_transition,
)
from baiqau.audit.models import AuditEvent
from baiqau.core.errors import DomainError
from baiqau.organisations.models import OrganisationType
from tests.factories import CallFactory, OrganisationFactory, complete_draft, grant, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_call():
    return CallFactory(eligible_org_types=["ngo", "dpo"])


def _draft(call, actor, **extra):
    return complete_draft(call, actor, **extra)


def test_submit_gives_a_receipt_and_is_audited(open_call, applicant):
    application = application_submit(actor=applicant, application=_draft(open_call, applicant))
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number == f"BQ-{open_call.pk:04d}-{application.pk:07d}"
    event = AuditEvent.objects.get(action="application.submitted")
    assert event.data["receipt_number"] == application.receipt_number


def test_submit_after_deadline_is_refused_and_draft_kept(open_call, applicant):
    draft = _draft(open_call, applicant, summary_kk="Мәтін сақталуы керек")
    with (
        time_machine.travel(open_call.closes_at + timedelta(seconds=1)),
        pytest.raises(DomainError) as error,
    ):
        application_submit(actor=applicant, application=draft)
    assert error.value.code == "deadline"
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.summary_kk == "Мәтін сақталуы керек"
    assert not AuditEvent.objects.filter(action="application.submitted").exists()


def test_submit_one_second_before_deadline_is_accepted(open_call, applicant):
    draft = _draft(open_call, applicant)
    with time_machine.travel(open_call.closes_at - timedelta(seconds=1)):
        application = application_submit(actor=applicant, application=draft)
    assert application.status == ApplicationStatus.SUBMITTED


def test_double_submit_yields_one_submission(open_call, applicant):
    draft = _draft(open_call, applicant)
    first = application_submit(actor=applicant, application=draft)
    second = application_submit(actor=applicant, application=draft)
    assert first.receipt_number == second.receipt_number
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1


def test_ineligible_organisation_type_is_told_before_typing(applicant):
    call = CallFactory(eligible_org_types=[OrganisationType.DISABILITY])
    with pytest.raises(DomainError) as error:
        application_create(
            actor=applicant,
            call=call,
            organisation=member_of(applicant, OrganisationFactory(org_type=OrganisationType.NGO)),
            language="kk",
        )
    assert error.value.code == "ineligible_type"
    assert Application.objects.count() == 0


def test_call_not_yet_open_refuses_applications(applicant):
    call = CallFactory(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError) as error:
        _draft(call, applicant)
    assert error.value.code == "call_not_open"


def test_transition_outside_the_table_is_refused(open_call, applicant, organiser):
    grant(open_call, organiser)
    application = application_submit(actor=applicant, application=_draft(open_call, applicant))
    with pytest.raises(DomainError) as error:
        application_transition(
            actor=organiser, application=application, to=ApplicationStatus.AWARDED
        )
    assert error.value.code == "transition"


def test_marking_ineligible_needs_a_reason(open_call, applicant, organiser):
    grant(open_call, organiser, "secretary")
    application = application_submit(actor=applicant, application=_draft(open_call, applicant))
    application = application_transition(
        actor=organiser, application=application, to=ApplicationStatus.SCREENING
    )
    with pytest.raises(DomainError):
        application_transition(
            actor=organiser, application=application, to=ApplicationStatus.INELIGIBLE
        )
    application = application_transition(
        actor=organiser,
        application=application,
        to=ApplicationStatus.INELIGIBLE,
        reason="Registered less than a year ago",
    )
    event = AuditEvent.objects.filter(action="application.mark_ineligible").get()
    assert event.data == {
        "from": "screening",
        "to": "ineligible",
        "reason": "Registered less than a year ago",
    }


def test_every_allowed_move_is_audited_when_made_by_a_permitted_role(open_call, applicant):
    from baiqau.applications.models import Application
    from baiqau.applications.transitions import TRANSITIONS
    from tests.factories import UserFactory

    staff = {role: grant(open_call, UserFactory(), role) for role in ("organiser", "secretary")}
    for (source, target), move in TRANSITIONS.items():
        application = complete_draft(open_call, applicant)
        Application.objects.filter(pk=application.pk).update(status=source)
        role = sorted(move.by)[0]
        actor = {"applicant": applicant, "system": None}.get(role) or staff.get(role)
        if actor is None:  # the chair: seat one on the call
            actor = grant(open_call, UserFactory(), role)
        before = AuditEvent.objects.count()
        application_transition(
            actor=actor, application=application, to=target, reason="Reason given"
        )
        application.refresh_from_db()
        assert application.status == target
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-seq").first()
        assert event.action == f"application.{move.name}"
        assert event.data == {"from": source, "to": target, "reason": "Reason given"}


def test_an_applicant_cannot_screen_their_own_application(open_call, applicant):
    application = application_submit(actor=applicant, application=_draft(open_call, applicant))
    with pytest.raises(DomainError) as error:
        application_transition(
            actor=applicant, application=application, to=ApplicationStatus.SCREENING
        )
    assert error.value.code == "forbidden"


def test_an_observer_cannot_screen(open_call, applicant):
    from tests.factories import UserFactory

    observer = grant(open_call, UserFactory(), "observer")
    application = application_submit(actor=applicant, application=_draft(open_call, applicant))
    with pytest.raises(DomainError) as error:
        application_transition(
            actor=observer, application=application, to=ApplicationStatus.SCREENING
        )
    assert error.value.code == "forbidden"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_every_move_not_in_the_table_is_refused(open_call, applicant):
    from baiqau.applications.models import Application
    from baiqau.applications.transitions import TRANSITIONS
    from tests.factories import UserFactory

    organiser = grant(open_call, UserFactory(), "organiser")
    application = complete_draft(open_call, applicant)
    for source in ApplicationStatus.values:
        for target in ApplicationStatus.values:
            if (source, target) in TRANSITIONS or source == target:
                continue
            Application.objects.filter(pk=application.pk).update(status=source)
            with pytest.raises(DomainError) as error:
                application_transition(
                    actor=organiser, application=application, to=target, reason="x"
                )
            assert error.value.code == "transition"


def test_organisation_registered_too_recently_is_told_why(applicant):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from baiqau.domain.identifiers import check_digit

    call = CallFactory(eligible_org_types=["ngo"], min_registered_months=12)
    now = datetime.now(ZoneInfo("Asia/Almaty"))
    first = f"{now:%y%m}40{1234:05d}"
    while check_digit(first) is None:
        first = first[:-1] + str((int(first[-1]) + 1) % 10)
    young = OrganisationFactory(bin=first + str(check_digit(first)))
    with pytest.raises(DomainError) as error:
        application_create(
            actor=applicant, call=call, organisation=member_of(applicant, young), language="kk"
        )
    assert "registered at least 12 months ago" in error.value.message


def test_organisation_outside_the_region_is_told_why(applicant):
    call = CallFactory(eligible_org_types=["ngo"], region="Алматы")
    elsewhere = OrganisationFactory(city="Шымкент")
    with pytest.raises(DomainError) as error:
        application_create(
            actor=applicant, call=call, organisation=member_of(applicant, elsewhere), language="kk"
        )
    assert error.value.message == "This call is for organisations located in Алматы."
    here = OrganisationFactory(city="Алматы қаласы")
    assert application_create(
        actor=applicant, call=call, organisation=member_of(applicant, here), language="kk"
    )


def test_a_submission_that_arrived_before_the_deadline_is_on_time_even_if_handled_after(
    open_call, applicant
):
    draft = _draft(open_call, applicant)
    arrived = open_call.closes_at - timedelta(milliseconds=300)
    with time_machine.travel(open_call.closes_at + timedelta(seconds=2)):
        application = application_submit(actor=applicant, application=draft, arrived_at=arrived)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at == arrived


def test_a_submission_that_arrived_after_the_deadline_is_late(open_call, applicant):
    draft = _draft(open_call, applicant)
    with (
        time_machine.travel(open_call.closes_at + timedelta(seconds=2)),
        pytest.raises(DomainError) as error,
    ):
        application_submit(
            actor=applicant,
            application=draft,
            arrived_at=open_call.closes_at + timedelta(milliseconds=1),
        )
    assert error.value.code == "deadline"

"""Conflicts of interest: declared and detected, enforced in assignments and in the staff
workspace; the expert's seat from an invitation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.audit.models import AuditEvent
from baiqau.calls.models import CallRole, CallStatus
from baiqau.core.errors import DomainError
from baiqau.notifications.invitations import invitation_accept, invitation_create
from baiqau.organisations.models import FormerMembership, Membership
from baiqau.organisations.services import membership_remove
from baiqau.review.models import Assignment, Declaration, Expert, Review
from baiqau.review.selectors import call_conflicts, conflict_reason, expert_access
from baiqau.review.services import (
    assignment_add,
    assignment_remove,
    assignment_swap,
    declaration_make,
    expert_seat,
    review_save,
    review_submit,
)
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    UserFactory,
    add_criteria,
    grant,
    member_of,
)

pytestmark = pytest.mark.django_db


def _application(call, organisation=None, **extra):
    return Application.objects.create(
        call=call,
        organisation=organisation or OrganisationFactory(),
        title_kk="Жоба",
        title_en="Project",
        status=ApplicationStatus.IN_REVIEW,
        submitted_at=timezone.now(),
        **extra,
    )


@pytest.fixture
def call(organiser):
    call = CallFactory(status=CallStatus.IN_REVIEW)
    add_criteria(call)
    grant(call, organiser, "organiser")
    return call


@pytest.fixture
def seat(call, expert, organiser):
    return expert_seat(actor=organiser, call=call, user=expert)


def test_membership_of_the_applicant_organisation_is_a_conflict(call, seat, expert):
    organisation = member_of(expert)
    application = _application(call, organisation)
    assert conflict_reason(seat, application) == "member"
    assert call_conflicts(call)[(seat.pk, application.pk)] == "member"


def test_a_former_member_stays_conflicted(call, seat, expert):
    owner = UserFactory()
    organisation = member_of(owner)
    member_of(expert, organisation, role="member")
    membership = Membership.objects.get(user=expert, organisation=organisation)
    membership_remove(actor=owner, membership=membership)
    assert FormerMembership.objects.filter(user=expert, organisation=organisation).exists()
    application = _application(call, organisation)
    assert conflict_reason(seat, application) == "former_member"
    assert call_conflicts(call)[(seat.pk, application.pk)] == "former_member"


def test_the_experts_employer_bin_is_a_conflict(call, seat):
    organisation = OrganisationFactory()
    seat.employer_bin = organisation.bin
    seat.save()
    application = _application(call, organisation)
    assert conflict_reason(seat, application) == "employer"
    assert call_conflicts(call)[(seat.pk, application.pk)] == "employer"


def test_a_relation_declared_in_another_call_carries_over(call, seat, expert, organiser):
    organisation = OrganisationFactory()
    earlier = CallFactory(status=CallStatus.IN_REVIEW)
    grant(earlier, organiser, "organiser")
    old_seat = expert_seat(actor=organiser, call=earlier, user=expert)
    old_application = _application(earlier, organisation)
    Assignment.objects.create(expert=old_seat, application=old_application)
    declaration_make(
        actor=expert, application=old_application, conflict=True, reason="I advise them"
    )
    application = _application(call, organisation)
    assert conflict_reason(seat, application) == "declared_earlier"
    assert call_conflicts(call)[(seat.pk, application.pk)] == "declared_earlier"
    # An unrelated organisation is not touched.
    assert conflict_reason(seat, _application(call)) is None


def test_call_conflicts_costs_a_fixed_number_of_queries(
    call, organiser, django_assert_max_num_queries
):
    for _ in range(3):
        expert_seat(actor=organiser, call=call, user=UserFactory())
        _application(call)
    with django_assert_max_num_queries(7):
        call_conflicts(call)
    for _ in range(20):
        expert_seat(actor=organiser, call=call, user=UserFactory())
        _application(call)
    with django_assert_max_num_queries(7):
        call_conflicts(call)


def test_a_conflict_needs_a_reason_and_cannot_be_withdrawn(call, seat, expert):
    application = _application(call)
    Assignment.objects.create(expert=seat, application=application)
    with pytest.raises(DomainError) as error:
        declaration_make(actor=expert, application=application, conflict=True, reason=" ")
    assert error.value.code == "reason"
    declaration_make(actor=expert, application=application, conflict=True, reason="My sister")
    with pytest.raises(DomainError) as error:
        declaration_make(actor=expert, application=application, conflict=False)
    assert error.value.code == "conflict_final"
    assert Declaration.objects.filter(expert=seat, application=application).count() == 1


def test_declaring_a_conflict_later_ends_the_assignment_and_is_kept_in_history(call, seat, expert):
    application = _application(call)
    Assignment.objects.create(expert=seat, application=application)
    declaration_make(actor=expert, application=application, conflict=False)
    assert expert_access(seat, application).may_open
    review_save(actor=expert, application=application, scores={})
    declaration_make(actor=expert, application=application, conflict=True, reason="Found out")
    assert not Assignment.objects.filter(expert=seat, application=application).exists()
    assert not Review.objects.filter(expert=seat, application=application).exists()
    history = list(Declaration.objects.filter(expert=seat, application=application))
    assert [(d.conflict, d.is_current) for d in history] == [(True, True), (False, False)]
    event = AuditEvent.objects.filter(action="declaration.made").order_by("pk").last()
    assert event.data["old"] == {"conflict": False}
    assert event.data["new"]["conflict"] is True
    assert event.data["assignment_ended"] and event.data["draft_discarded"]
    assert not expert_access(seat, application).may_open


def test_no_conflict_cannot_become_a_conflict_after_scores_are_submitted(call, seat, expert):
    application = _application(call)
    Assignment.objects.create(expert=seat, application=application)
    declaration_make(actor=expert, application=application, conflict=False)
    review_submit(
        actor=expert, application=application, scores={c.pk: 5 for c in call.criteria.all()}
    )
    with pytest.raises(DomainError) as error:
        declaration_make(actor=expert, application=application, conflict=True, reason="Oops")
    assert error.value.code == "submitted"


def test_declaring_needs_an_assignment_unless_bidding_is_open(call, seat, expert):
    application = _application(call)
    with pytest.raises(DomainError) as error:
        declaration_make(actor=expert, application=application, conflict=False)
    assert error.value.code == "not_assigned"


def test_a_conflicted_pair_is_never_assigned_by_hand(call, seat, expert, organiser):
    application = _application(call, member_of(expert))
    with pytest.raises(DomainError) as error:
        assignment_add(actor=organiser, expert=seat, application=application, reason="Expertise")
    assert error.value.code == "conflict"
    assert "member of the applicant organisation" in error.value.message
    assert not Assignment.objects.exists()


def test_assign_unassign_and_swap_are_audited_with_their_reasons(call, seat, organiser):
    application = _application(call)
    other = expert_seat(actor=organiser, call=call, user=UserFactory())
    with pytest.raises(DomainError) as error:
        assignment_add(actor=organiser, expert=seat, application=application, reason="")
    assert error.value.code == "reason"
    assignment = assignment_add(
        actor=organiser, expert=seat, application=application, reason="Knows disability"
    )
    swapped = assignment_swap(
        actor=organiser, assignment=assignment, to_expert=other, reason="Lighter load"
    )
    assert swapped.expert == other
    assignment_remove(actor=organiser, assignment=swapped, reason="Not needed")
    actions = list(
        AuditEvent.objects.filter(action__startswith="assignment.")
        .order_by("pk")
        .values_list("action", "data__reason")
    )
    assert actions == [
        ("assignment.added", "Knows disability"),
        ("assignment.swapped", "Lighter load"),
        ("assignment.removed", "Not needed"),
    ]


def test_a_submitted_review_is_not_taken_away_by_unassigning(call, seat, expert, organiser):
    application = _application(call)
    assignment = assignment_add(
        actor=organiser, expert=seat, application=application, reason="Expertise"
    )
    declaration_make(actor=expert, application=application, conflict=False)
    review_submit(
        actor=expert, application=application, scores={c.pk: 5 for c in call.criteria.all()}
    )
    with pytest.raises(DomainError) as error:
        assignment_remove(actor=organiser, assignment=assignment, reason="Mistake")
    assert error.value.code == "submitted"


def test_only_jury_managers_assign(call, seat):
    application = _application(call)
    for role in ("member", "observer", None):
        person = UserFactory()
        if role:
            grant(call, person, role)
        with pytest.raises(DomainError) as error:
            assignment_add(actor=person, expert=seat, application=application, reason="x")
        assert error.value.code == "forbidden"


def test_an_expert_invitation_gives_a_seat_and_no_workspace_role(call, organiser):
    person = UserFactory(email="new.expert@test.example")
    invitation = invitation_create(
        actor=organiser, call=call, email=person.email, role="expert", language="en"
    )
    invitation_accept(actor=person, invitation=invitation)
    seat = Expert.objects.get(call=call, user=person)
    assert not seat.is_commission
    assert not CallRole.objects.filter(call=call, user=person).exists()
    with pytest.raises(DomainError) as error:  # already on the panel
        invitation_create(
            actor=organiser, call=call, email=person.email, role="expert", language="en"
        )
    assert error.value.code == "has_role"


def test_a_chair_invitation_seats_the_person_on_the_commission(call, organiser):
    person = UserFactory()
    invitation = invitation_create(
        actor=organiser, call=call, email=person.email, role="chair", language="en"
    )
    invitation_accept(actor=person, invitation=invitation)
    seat = Expert.objects.get(call=call, user=person)
    assert seat.is_commission and seat.is_chair
    assert CallRole.objects.get(call=call, user=person).role == "chair"


def test_a_conflicted_commission_member_cannot_open_it_in_the_workspace(
    call, organiser, client, settings
):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False
    member = grant(call, UserFactory(), "member")
    expert_seat(actor=organiser, call=call, user=member, is_commission=True)
    own = _application(call, member_of(member))
    other = _application(call)
    client.force_login(member)
    base = f"/en/manage/calls/{call.slug}/applications/"
    assert client.get(f"{base}{other.pk}/").status_code == 200
    assert client.get(f"{base}{own.pk}/").status_code == 404
    assert client.get(f"{base}{own.pk}/files/1/").status_code == 404


def test_review_period_end_is_enforced_for_declarations_too(call, seat, expert):
    # Declaring stays possible until the end (it only protects); scoring does not.
    application = _application(call)
    Assignment.objects.create(expert=seat, application=application)
    call.review_ends_at = timezone.now() - timedelta(minutes=1)
    call.results_at = call.review_ends_at + timedelta(days=1)
    call.closes_at = call.review_ends_at - timedelta(days=1)
    call.opens_at = call.closes_at - timedelta(days=1)
    call.save()
    declaration_make(actor=expert, application=application, conflict=False)
    with pytest.raises(DomainError) as error:
        review_save(actor=expert, application=application, scores={})
    assert error.value.code == "review_closed"

"""Who may open the expert's pages: every role × every view. Only an active expert of the call
reaches its pages, and only an assigned expert free of any conflict (declared or found) sees an
application's content, attachments and scores; everyone else gets a 404 (anonymous people are
sent to log in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from baiqau.review.models import Declaration, ExpertStatus
from tests.factories import UserFactory, grant, member_of

from .conftest import Panel, assign, attach, drain, in_review_call, make_application, seat, set_plan

pytestmark = pytest.mark.django_db


def _anonymous(panel: Panel) -> None:
    return None


def _applicant(panel: Panel) -> Any:
    user = UserFactory()
    member_of(user, panel.organisation)
    return user


def _no_seat(panel: Panel) -> Any:
    return UserFactory()


def _other_call_expert(panel: Panel) -> Any:
    user = UserFactory()
    other = in_review_call()
    assign(seat(other, user), make_application(other), declared=False)
    return user


def _unassigned(panel: Panel) -> Any:
    user = UserFactory()
    seat(panel.call, user)
    return user


def _assigned_undeclared(panel: Panel) -> Any:
    user = UserFactory()
    assign(seat(panel.call, user), panel.application)
    return user


def _assigned(panel: Panel) -> Any:
    user = UserFactory()
    assign(seat(panel.call, user), panel.application, declared=False)
    return user


def _declared_conflict(panel: Panel) -> Any:
    # The assignment normally ends with the declaration; kept here to show the declaration alone
    # closes the application.
    user = UserFactory()
    assign(seat(panel.call, user), panel.application, declared=True)
    return user


def _member_conflict(panel: Panel) -> Any:
    user = UserFactory()
    member_of(user, panel.organisation, role="member")
    assign(seat(panel.call, user), panel.application)
    return user


def _member_declared_free(panel: Panel) -> Any:
    # Declared "no conflict", but the platform knows better.
    user = UserFactory()
    member_of(user, panel.organisation, role="member")
    assign(seat(panel.call, user), panel.application, declared=False)
    return user


def _employer_conflict(panel: Panel) -> Any:
    user = UserFactory()
    assign(
        seat(panel.call, user, employer_bin=panel.organisation.bin),
        panel.application,
        declared=False,
    )
    return user


def _withdrawn(panel: Panel) -> Any:
    user = UserFactory()
    expert = seat(panel.call, user, status=ExpertStatus.WITHDRAWN, withdrawn_at=timezone.now())
    assign(expert, panel.application, declared=False)
    return user


def _organiser(panel: Panel) -> Any:
    return grant(panel.call, UserFactory(), "organiser")


def _secretary(panel: Panel) -> Any:
    return grant(panel.call, UserFactory(), "secretary")


def _chair_without_seat(panel: Panel) -> Any:
    return grant(panel.call, UserFactory(), "chair")


ROLES: dict[str, Callable[[Panel], Any]] = {
    "anonymous": _anonymous,
    "applicant": _applicant,
    "no_seat": _no_seat,
    "other_call_expert": _other_call_expert,
    "unassigned": _unassigned,
    "assigned_undeclared": _assigned_undeclared,
    "assigned": _assigned,
    "declared_conflict": _declared_conflict,
    "member_conflict": _member_conflict,
    "member_declared_free": _member_declared_free,
    "employer_conflict": _employer_conflict,
    "withdrawn": _withdrawn,
    "organiser": _organiser,
    "secretary": _secretary,
    "chair_without_seat": _chair_without_seat,
}

VIEWS = ("queue", "profile", "bids", "application", "declare", "file", "scores")

# What each role gets from each view; anonymous people are sent to log in everywhere.
CALL_PAGES = {"queue": 200, "profile": 200, "bids": 200}
CLOSED = {"application": 404, "declare": 404, "file": 404, "scores": 404}
NOTHING = dict.fromkeys(VIEWS, 404)
EXPECTED: dict[str, dict[str, int]] = {
    "anonymous": dict.fromkeys(VIEWS, 302),
    "applicant": NOTHING,
    "no_seat": NOTHING,
    "other_call_expert": NOTHING,
    "unassigned": {**CALL_PAGES, **CLOSED},
    # Sees the declaration form (title only); may declare; nothing more.
    "assigned_undeclared": {
        **CALL_PAGES,
        "application": 200,
        "declare": 302,
        "file": 404,
        "scores": 404,
    },
    "assigned": {**CALL_PAGES, "application": 200, "declare": 302, "file": 200, "scores": 200},
    "declared_conflict": {**CALL_PAGES, **CLOSED},
    "member_conflict": {**CALL_PAGES, **CLOSED},
    "member_declared_free": {**CALL_PAGES, **CLOSED},
    "employer_conflict": {**CALL_PAGES, **CLOSED},
    "withdrawn": NOTHING,
    "organiser": NOTHING,
    "secretary": NOTHING,
    "chair_without_seat": NOTHING,
}


def request(client, panel: Panel, view: str):
    url = panel.url(view)
    if view == "declare":
        return client.post(url, {"conflict": "yes", "reason": "I advise them"})
    return drain(client.get(url))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", list(ROLES))
def test_permission_matrix(client, no_mfa, panel, role, view):
    set_plan(panel, bidding_open=True, other_scores="always")
    user = ROLES[role](panel)
    if user is not None:
        client.force_login(user)
    response = request(client, panel, view)
    assert response.status_code == EXPECTED[role][view], (role, view)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["declared_conflict", "member_conflict", "employer_conflict"])
def test_a_conflicted_expert_learns_nothing_of_the_application(client, no_mfa, panel, role):
    set_plan(panel, other_scores="always")
    client.force_login(ROLES[role](panel))
    for view in ("application", "file", "scores"):
        response = request(client, panel, view)
        assert response.status_code == 404
        assert panel.organisation.name_kk not in response.content.decode()
    # Not even a second attachment by guessing its number.
    extra = attach(panel.application, name="budget.pdf")
    assert request_file(client, panel, extra.pk).status_code == 404


def request_file(client, panel: Panel, file_pk: int):
    return drain(client.get(panel.url("file", file_pk=file_pk)))


def test_a_conflict_declared_by_the_same_person_in_another_call_closes_the_organisation(
    client, no_mfa, panel
):
    user = UserFactory()
    earlier = in_review_call()
    old_application = make_application(earlier, organisation=panel.organisation)
    Declaration.objects.create(
        expert=seat(earlier, user),
        application=old_application,
        conflict=True,
        reason="I advise them",
        declared_at=timezone.now(),
    )
    assign(seat(panel.call, user), panel.application, declared=False)
    client.force_login(user)
    assert client.get(panel.url("application")).status_code == 404


def test_an_application_of_another_call_is_a_404_even_for_its_own_expert(
    client, no_mfa, panel, expert
):
    other = in_review_call()
    application = make_application(other)
    assign(seat(other, expert), application, declared=False)
    client.force_login(expert)
    # The right application, the wrong call in the address.
    url = reverse("review:application", kwargs={"slug": panel.call.slug, "pk": application.pk})
    assert client.get(url).status_code == 404


def test_the_home_page_needs_a_log_in_and_nothing_else(client, applicant):
    response = client.get(reverse("review:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(applicant)
    assert client.get(reverse("review:home")).status_code == 200


def test_an_expert_without_two_factor_authentication_is_sent_to_set_it_up(
    client, settings, panel, expert
):
    settings.BAIQAU_STAFF_REQUIRE_MFA = True
    client.force_login(expert)
    for view in ("queue", "application"):
        response = client.get(panel.url(view))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Experts must use two-factor authentication." in page
    home = client.get(reverse("review:home")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in home


def test_a_person_without_a_seat_gets_a_404_not_the_mfa_page(client, settings, panel):
    settings.BAIQAU_STAFF_REQUIRE_MFA = True
    client.force_login(UserFactory())
    assert client.get(panel.url("queue")).status_code == 404

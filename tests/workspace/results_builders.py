"""Builders for the tests of the staff's results pages: a call in review whose three commission
experts (the chair, a member and a third) scored every application, one person per persona,
and the rules set as a test needs them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from baiqau.calls.models import Call
from baiqau.results.models import ResultRules
from baiqau.results.services import result_rules_for
from baiqau.review.models import Expert
from tests.factories import UserFactory, call_in_review_with_scores, grant
from tests.workspace.jury_builders import jury_call, seat

ROLES = ("organiser", "secretary", "chair", "member", "observer")
PERSONAS = ("anonymous", "applicant", "expert", *ROLES, "other_staff")
EXPERT_NAMES = ("Chair Person", "Member Person", "Third Expert")


def distinct_rows(count: int, offsets: tuple[int, int, int] = (0, 2, 1)) -> list[list[int]]:
    """`count` (up to 33) applications with distinct totals; the three experts score alike
    but for a constant offset on the third criterion, so expert 1 scores lowest, expert 2
    highest and expert 3 as the panel's middle."""
    if count > 33:
        raise ValueError("At most 33 applications have distinct totals here.")
    rows = []
    for i in range(count):
        a, b = i % 11, i // 11
        rows.append([v for offset in offsets for v in (a, b, offset)])
    return rows


@dataclass
class World:
    call: Call
    people: dict[str, Any]

    def user(self, persona: str) -> Any:
        return self.people.get(persona)


def results_world(rows: list[list[int]]) -> World:
    """The call and its cast: the chair and the member have a role and a commission seat (they
    are experts 1 and 2); `expert` has a seat but no role; `other_staff` organises another call."""
    people: dict[str, Any] = {"anonymous": None}
    scorers = [
        UserFactory(email=f"scorer{i}@results.example", full_name=name)
        for i, name in enumerate(EXPERT_NAMES)
    ]
    call = call_in_review_with_scores(rows, expert_users=scorers)
    Expert.objects.filter(call=call, user=scorers[0]).update(is_chair=True)
    people["chair"] = grant(call, scorers[0], "chair")
    people["member"] = grant(call, scorers[1], "member")
    for role in ("organiser", "secretary", "observer"):
        people[role] = grant(
            call, UserFactory(email=f"{role}@results.example", full_name=role.title()), role
        )
    people["applicant"] = UserFactory(email="applicant@results.example", full_name="Applicant")
    people["expert"] = UserFactory(email="expert@results.example", full_name="Expert Only")
    seat(call, people["expert"])
    people["other_staff"] = grant(
        jury_call(), UserFactory(email="other@results.example", full_name="Other"), "organiser"
    )
    return World(call=call, people=people)


def set_rules(call: Call, **fields: Any) -> ResultRules:
    """The call's result rules as a test needs them (the service refuses once review began)."""
    rules = result_rules_for(call)
    ResultRules.objects.filter(pk=rules.pk).update(**fields)
    rules.refresh_from_db()
    return rules


def url(call: Call, name: str, language: str = "en", **kwargs: Any) -> str:
    from django.urls import reverse

    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs={"slug": call.slug, **kwargs})

"""Builders for the tests of the decision session pages: a call scored by its commission,
whose chair and members have their workspace roles, with every other persona around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import translation

from baiqau.applications.models import Application
from baiqau.calls.models import Call
from baiqau.results.models import Choice, DecisionSession, Motion, Ranking, ResultRules
from baiqau.results.services import decision as d
from baiqau.results.services import ranking_compute
from baiqau.review.models import Expert
from tests.factories import CallFactory, UserFactory, call_in_review_with_scores, grant

PERSONAS = (
    "anonymous",
    "applicant",
    "expert",
    "organiser",
    "secretary",
    "chair",
    "member",
    "observer",
    "other_staff",
)
STATES = ("none", "open", "voting", "voted", "confirmed")


@dataclass
class World:
    call: Call
    people: dict[str, Any]
    members: list[Any]  # the commission, the chair first
    apps: list[Application]
    session: DecisionSession | None = None
    motion: Motion | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return self.people.get(persona)

    @property
    def chair(self) -> Any:
        return self.members[0]

    def seat(self, i: int) -> Expert:
        return Expert.objects.get(call=self.call, user=self.members[i])

    def ranking(self) -> Ranking:
        return Ranking.objects.get(call=self.call, is_current=True)


def decision_call(
    scores: list[int] | tuple[int, ...] = (9, 7, 7, 3), *, members: int = 5, name: str = "d"
) -> World:
    """A call in review scored by a commission of `members` (the chair and members with their
    roles) and its current ranking; by default with a tie at place 2 left to the vote."""
    commission = [
        UserFactory(email=f"{name}-chair@decision.example", full_name="Chair Person"),
        *(
            UserFactory(email=f"{name}-member{i}@decision.example", full_name=f"Member {i}")
            for i in range(1, members)
        ),
    ]
    call = call_in_review_with_scores([[s] * 3 * members for s in scores], expert_users=commission)
    ResultRules.objects.update_or_create(
        call=call, defaults={"tie_break": ["vote"], "resamples": 20}
    )
    Expert.objects.filter(call=call, user=commission[0]).update(is_chair=True)
    grant(call, commission[0], "chair")
    for user in commission[1:]:
        grant(call, user, "member")
    people: dict[str, Any] = {"anonymous": None, "chair": commission[0], "member": commission[1]}
    for role in ("organiser", "secretary", "observer"):
        people[role] = grant(
            call, UserFactory(email=f"{name}-{role}@decision.example", full_name=role), role
        )
    people["applicant"] = UserFactory(email=f"{name}-applicant@decision.example")
    people["expert"] = UserFactory(email=f"{name}-expert@decision.example", full_name="Expert")
    Expert.objects.create(call=call, user=people["expert"])
    people["other_staff"] = grant(
        CallFactory(), UserFactory(email=f"{name}-other@decision.example"), "organiser"
    )
    ranking_compute(actor=people["organiser"], call=call)
    apps = list(Application.objects.filter(call=call).order_by("pk"))
    return World(call=call, people=people, members=commission, apps=apps)


def bring_to(world: World, state: str) -> World:
    """none: no session; open: everyone present; voting: a motion pending; voted: everyone
    voted for, the vote still open; confirmed: the ranking confirmed, the session still open."""
    if state == "none":
        return world
    world.session = d.session_open(actor=world.chair, call=world.call)
    for user in world.members[1:]:
        d.attendance_confirm(actor=user, session=world.session)
    if state == "open":
        return world
    world.motion = d.motion_open(actor=world.chair, session=world.session)
    if state == "voting":
        return world
    for user in world.members:
        d.ballot_cast(actor=user, motion=world.motion, choice=Choice.FOR)
    if state == "voted":
        return world
    d.motion_close(actor=world.chair, motion=world.motion)
    return world


def url(call: Call, name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs={"slug": call.slug, **kwargs})

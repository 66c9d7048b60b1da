import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from baiqau.applications.models import Application
from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_verify
from baiqau.calls.models import Call, CallStatus
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.demo import data
from baiqau.demo.loader import expert_score
from baiqau.organisations.models import Organisation
from baiqau.results.models import Ranking
from baiqau.results.services import decision, ranking_compute, results_publish, results_reopen
from baiqau.review.models import Expert, Review
from baiqau.review.services import review_submit

pytestmark = pytest.mark.django_db

WINNERS_EN = [
    "House for Independent Living",
    "Art therapy for families raising children with disabilities",
    "The volunteer movement changes lives!",
]


def _winners(call):
    ranking = Ranking.objects.get(call=call, is_current=True)
    return [(a.place, a.application.title_en, a.amount) for a in ranking.awards.all()]


def test_demo_places_the_article_winners_first_second_and_third(demo):
    call = demo.call
    assert call.slug == "almaty-social-projects"
    assert call.status == CallStatus.DECIDED
    assert _winners(call) == [
        (1, WINNERS_EN[0], 1_000_000),
        (2, WINNERS_EN[1], 700_000),
        (3, WINNERS_EN[2], 500_000),
    ]
    assert call.organiser_links.count() == 3
    assert Application.objects.filter(call=call).count() == len(data.PROJECTS)
    assert Expert.objects.filter(call=call, is_commission=True).count() == 7
    assert Review.objects.filter(application__call=call, status="submitted").count() == 7 * 15


def test_demo_is_idempotent(db, capsys):
    call_command("demo")
    capsys.readouterr()
    counts = (Call.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    call_command("demo")
    assert "Demo already loaded" in capsys.readouterr().out
    assert (
        Call.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_every_demo_step_is_audited_and_the_chain_verifies(demo):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "organisation.registered",
        "call.created",
        "call.publish",
        "application.created",
        "application.submitted",
        "expert.added",
        "review.submitted",
        "ranking.computed",
        "results.published",
    } <= actions
    assert audit_verify().ok
    call_command("audit", "verify")


def test_demo_scores_come_from_the_commissions_reviews(demo):
    criteria = list(demo.call.criteria.all())
    first = Application.objects.filter(call=demo.call).order_by("id").first()
    expert = Expert.objects.filter(call=demo.call).order_by("id").first()
    review = Review.objects.get(application=first, expert=expert)
    assert [int(s.value) for s in review.scores.order_by("criterion__position")] == [
        expert_score(0, 0, i) for i in range(len(criteria))
    ]


def _results_rows(client):
    html = client.get("/en/calls/almaty-social-projects/results/").content.decode()
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def test_changing_scores_lets_another_application_overtake_third_place(demo_decided, client):
    demo = demo_decided
    organiser = demo.call.created_by
    call = demo.call
    fourth_title = _results_rows(client)[3]
    fourth = Application.objects.get(call=call, title_en=fourth_title)
    assert _results_rows(client)[:3] == WINNERS_EN

    call = results_reopen(actor=organiser, call=call, reason="Scores entered on the wrong form")
    # The commission corrects its scores inside the (replayed) review period: scores cannot
    # change once it has ended.
    with clock.replay(call.review_ends_at - timedelta(hours=1)):
        for expert in Expert.objects.filter(call=call).select_related("user"):
            review_submit(
                actor=expert.user,
                application=fourth,
                scores={c.pk: 10 for c in call.criteria.all()},
            )
    # The commission confirmed the first result: a change needs a reason and a new vote.
    with pytest.raises(DomainError):
        ranking_compute(actor=organiser, call=call)
    chair = Expert.objects.get(call=call, is_chair=True).user
    members = [e.user for e in Expert.objects.filter(call=call, is_commission=True, is_chair=False)]
    session = decision.session_open(actor=chair, call=call)
    for member in members:
        decision.attendance_confirm(actor=member, session=session)
    motion = decision.result_change(
        actor=chair, session=session, reason="Scores entered on the wrong form"
    )
    for user in [chair, *members]:
        decision.ballot_cast(actor=user, motion=motion, choice="for")
    decision.motion_close(actor=chair, motion=motion)
    decision.session_close(actor=chair, session=session)
    results_publish(actor=organiser, call=call)

    rows = _results_rows(client)
    assert rows[0] == fourth_title
    assert rows[1:4] == WINNERS_EN
    html = client.get("/en/calls/almaty-social-projects/results/").content.decode()
    winners_section = html.split('id="ranking"')[0]
    assert fourth_title in winners_section
    assert WINNERS_EN[2] not in winners_section
    assert audit_verify().ok

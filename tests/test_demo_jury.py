"""The demo's third call, in review: 24 applications, nine experts, the solver's assignment,
conflicts declared and detected, reviews part done."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_verify
from baiqau.calls.models import Call, CallRole, CallStatus
from baiqau.core.management.commands.demo import DEMO_ADMIN_PASSWORD, DEMO_EXPERT
from baiqau.demo import jury_data
from baiqau.demo.jury import jury_score
from baiqau.demo.loader import load_demo
from baiqau.organisations.models import FormerMembership, Organisation
from baiqau.results.models import Ranking
from baiqau.review.models import (
    Assignment,
    AssignmentRun,
    AssignmentSource,
    Declaration,
    Expert,
    Review,
    ReviewStatus,
    RunStatus,
    Score,
)
from baiqau.review.selectors import call_conflicts, call_progress, expert_queue
from baiqau.review.services import commission_problems, plan_for
from baiqau.review.solver import describe_problems

pytestmark = pytest.mark.django_db

SLUG = jury_data.JURY_CALL_SLUG


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end; each
    test runs in a savepoint of it (as Django's setUpTestData does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_demo(log=lambda _line: None)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def call(loaded, db):
    return Call.objects.get(slug=SLUG)


def _experts(call):
    return {
        e.user.email.split("@")[0]: e
        for e in Expert.objects.filter(call=call).select_related("user")
    }


def test_the_call_is_in_review_with_24_eligible_applications(call):
    assert call.status == CallStatus.IN_REVIEW
    assert timezone.localtime(call.review_ends_at).date() == timezone.localdate() + timedelta(
        days=21
    )
    assert timezone.localtime(call.closes_at).date() == timezone.localdate() - timedelta(days=1)
    assert (call.pool_amount, call.max_per_project) == (20_000_000, 3_000_000)
    apps = list(Application.objects.filter(call=call))
    assert len(apps) == 24
    assert {a.status for a in apps} == {ApplicationStatus.IN_REVIEW}
    assert len({a.organisation_id for a in apps}) == 24
    assert {a.language for a in apps} == {"kk", "ru", "en"}
    eligible = AuditEvent.objects.filter(
        action="application.mark_eligible", subject_id__in=[str(a.pk) for a in apps]
    )
    assert eligible.count() == 24
    assert all(a.review_settings.tags.exists() for a in apps)
    assert sorted(call.expertise_tags.values_list("name_en", flat=True)) == sorted(
        ["Disability", "Mental health", "Children", "Employment", "Volunteering", "Elderly people"]
    )


def test_one_criterion_has_a_label_for_every_point_of_its_scale(call):
    criteria = list(call.criteria.all())
    assert len(criteria) == 3
    anchored = criteria[jury_data.ANCHORED_CRITERION]
    for language in ("kk", "ru", "en"):
        pairs = anchored.anchor_pairs(language)
        assert [point for point, _label in pairs] == [1, 2, 3, 4, 5]
        assert all(label == jury_data.ANCHORS[str(p)][language] for p, label in pairs)


def test_nine_experts_and_an_odd_commission_with_a_chair(call):
    experts = list(Expert.objects.filter(call=call))
    assert len(experts) == 9
    assert all(e.profile_done_at and e.languages and e.expertise for e in experts)
    assert {lang for e in experts for lang in e.languages} == {"kk", "ru", "en"}
    commission = [e for e in experts if e.is_commission]
    assert len(commission) == 3
    assert [e.is_chair for e in commission].count(True) == 1
    plan = plan_for(call)
    assert (plan.mode, plan.reviews_per_application, plan.max_load, plan.quorum) == (
        "solver",
        3,
        10,
        2,
    )
    assert commission_problems(call, plan.quorum) == []
    roles = dict(CallRole.objects.filter(call=call).values_list("user__email", "role"))
    assert roles["organiser@demo.baiqau.example"] == "organiser"
    assert sorted(roles[e.user.email] for e in commission) == ["chair", "member", "member"]


def test_every_application_has_three_reviewers_or_a_visible_reason(call):
    runs = list(AssignmentRun.objects.filter(call=call).order_by("pk"))
    assert [r.status for r in runs] == [RunStatus.APPLIED, RunStatus.APPLIED]
    assert {a.source for a in Assignment.objects.filter(application__call=call)} == {
        AssignmentSource.SOLVER
    }
    progress = call_progress(call, 3)
    named = {pk for problem in runs[-1].result["problems"] for pk in problem["applications"]}
    for app, _missing in progress.lacking:
        assert app.pk in named
    assert describe_problems(runs[-1].result["problems"]) == []
    # The data leave room for every review: all 72 are assigned, within each expert's load.
    assert progress.lacking == []
    assert progress.assigned == 72
    for row in progress.experts:
        assert row.assigned <= (row.expert.max_load or 10)


def test_no_conflicted_pair_is_assigned_and_both_kinds_of_conflict_exist(call):
    conflicts = call_conflicts(call)
    assigned = set(
        Assignment.objects.filter(application__call=call).values_list("expert_id", "application_id")
    )
    assert assigned.isdisjoint(conflicts)
    experts = _experts(call)
    declared = Declaration.objects.get(application__call=call, conflict=True)
    assert declared.expert == experts["gulnar.ospanova"]
    assert declared.reason == jury_data.EXPERTS[5].conflict_reason
    assert conflicts[(declared.expert_id, declared.application_id)] == "declared"
    kedergisiz = Application.objects.get(call=call, organisation__name_en__startswith="Kedergisiz")
    marat = experts["marat.akhmetov"]
    assert FormerMembership.objects.filter(
        user=marat.user, organisation=kedergisiz.organisation
    ).exists()
    assert conflicts[(marat.pk, kedergisiz.pk)] == "former_member"
    assert declared.application_id != kedergisiz.pk
    assert sorted(conflicts.values()) == ["declared", "former_member"]


def test_about_half_the_reviews_are_submitted_and_the_queue_shows_every_state(call):
    progress = call_progress(call, 3)
    assert 0.4 <= progress.submitted / progress.assigned <= 0.6
    assert sum(row.drafts for row in progress.experts) > 0
    assert sum(row.undeclared for row in progress.experts) > 0
    percents = sorted(row.percent for row in progress.experts)
    assert percents[0] == 0
    assert percents[-1] == 100
    expert = Expert.objects.get(call=call, user__email=DEMO_EXPERT)
    assert expert.user.preferred_language == "en"
    states = [item.state for item in expert_queue(expert)]
    assert set(states) == {"declare", "to_score", "draft", "submitted"}
    assert Review.objects.filter(expert=expert, status=ReviewStatus.SUBMITTED).count() < len(states)


def test_submitted_scores_are_the_same_on_every_load(call):
    key_of = {p.title["en"]: p.org.key for p in jury_data.PROJECTS}
    criteria = list(call.criteria.all())
    scores = Score.objects.filter(
        review__application__call=call, review__status=ReviewStatus.SUBMITTED
    ).select_related("review__application", "review__expert__user", "criterion")
    assert scores.exists()
    for score in scores:
        review = score.review
        expected = jury_score(
            key_of[review.application.title_en],
            review.expert.user.email.split("@")[0],
            criteria.index(score.criterion),
            score.criterion.min_score,
            score.criterion.max_score,
        )
        assert int(score.value) == expected


def test_loading_the_demo_again_changes_nothing(call, capsys):
    def counts():
        return [
            model.objects.count()
            for model in (
                Call,
                Organisation,
                Application,
                Expert,
                Assignment,
                Declaration,
                Review,
                Score,
                AssignmentRun,
                AuditEvent,
            )
        ]

    before = counts()
    call_command("demo")
    assert "Demo already loaded; nothing changed." in capsys.readouterr().out
    assert counts() == before
    assert audit_verify().ok


def test_the_seed_contests_winners_are_unchanged(call):
    seed = Call.objects.get(slug="almaty-social-projects")
    ranking = Ranking.objects.get(call=seed, is_current=True)
    assert [(a.place, a.application.title_en, a.amount) for a in ranking.awards.all()] == [
        (1, "House for Independent Living", 1_000_000),
        (2, "Art therapy for families raising children with disabilities", 700_000),
        (3, "The volunteer movement changes lives!", 500_000),
    ]


def test_with_debug_the_demo_command_gives_the_expert_a_login(call, settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    out = capsys.readouterr().out
    assert f"Expert (DEBUG only): /en/expert/  {DEMO_EXPERT} / {DEMO_ADMIN_PASSWORD}" in out
    user = get_user_model().objects.get(email=DEMO_EXPERT)
    assert user.check_password(DEMO_ADMIN_PASSWORD)
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_the_expert_and_the_organiser_see_the_jury_at_work(call, client, settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False
    expert = get_user_model().objects.get(email=DEMO_EXPERT)
    client.force_login(expert)
    with translation.override("en"):
        queue = reverse("review:queue", args=[SLUG])
        progress = reverse("workspace:review_progress", kwargs={"slug": SLUG})
    page = client.get(queue)
    assert page.status_code == 200
    assert "Inclusive employment grants" in page.content.decode()
    client.force_login(get_user_model().objects.get(email="organiser@demo.baiqau.example"))
    page = client.get(progress)
    assert page.status_code == 200
    assert "Helen Brooks" in page.content.decode()

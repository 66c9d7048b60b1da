"""The solver seen from the database: what it is given and what it proposes."""

import pytest
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.calls.models import CallStatus
from baiqau.review.models import Assignment, ExpertiseTag, ReviewPlan
from baiqau.review.selectors import call_conflicts
from baiqau.review.services import (
    assignment_add,
    declaration_make,
    expert_seat,
    expert_withdraw,
    expertise_tags_ensure,
    review_plan_update,
    review_submit,
)
from baiqau.review.services.redaction import application_review_settings_save
from baiqau.review.solver import build, describe_problems, solve_call
from tests.factories import CallFactory, OrganisationFactory, UserFactory, add_criteria, grant

pytestmark = pytest.mark.django_db

TOPICS = {
    "children": ("Балаларға арналған ойын орталығы", "Дети с аутизмом, игровая терапия"),
    "employment": ("Мүгедектігі бар жастарды жұмысқа орналастыру", "Трудоустройство молодёжи"),
    "elderly": ("Қарттарға үйде күтім", "Уход за пожилыми людьми на дому"),
}


@pytest.fixture
def call(organiser):
    call = CallFactory(status=CallStatus.IN_REVIEW)
    add_criteria(call)
    grant(call, organiser, "organiser")
    ReviewPlan.objects.create(call=call, reviews_per_application=2, max_load=4)
    return call


def _applications(call, n, language="kk"):
    apps = []
    topics = list(TOPICS.values())
    for i in range(n):
        title, summary = topics[i % len(topics)]
        apps.append(
            Application.objects.create(
                call=call,
                organisation=OrganisationFactory(),
                title_kk=f"{title} {i}",
                summary_ru=summary,
                language=language,
                status=ApplicationStatus.ELIGIBLE,
                submitted_at=timezone.now(),
            )
        )
    return apps


def _experts(call, organiser, texts):
    return [
        expert_seat(actor=organiser, call=call, user=UserFactory(), expertise=text)
        for text in texts
    ]


def test_the_same_call_gives_the_same_proposal(call, organiser):
    _applications(call, 6)
    _experts(call, organiser, ["Дети, аутизм", "Жұмыспен қамту", "Пожилые люди", "Балалар"])
    first, second = solve_call(call), solve_call(call)
    assert first["pairs"] == second["pairs"]
    assert first["summary"]["coverage"] == 100.0
    assert len(first["pairs"]) == 12


def test_expertise_attracts_the_matching_applications(call, organiser):
    apps = _applications(call, 3)
    review_plan_update(actor=organiser, call=call, reviews_per_application=1, max_load=1)
    experts = _experts(
        call,
        organiser,
        ["Қарттарға үйде күтім, пожилые люди", "Мүгедектігі бар жастарды жұмысқа", "Балалар, дети"],
    )
    pairs = {(a, e) for a, e, _f in solve_call(call)["pairs"]}
    assert pairs == {
        (apps[0].pk, experts[2].pk),
        (apps[1].pk, experts[1].pk),
        (apps[2].pk, experts[0].pk),
    }


def test_tags_count_towards_affinity(call, organiser):
    apps = _applications(call, 2)
    review_plan_update(actor=organiser, call=call, reviews_per_application=1, max_load=1)
    tags = expertise_tags_ensure(call)
    a, b = _experts(call, organiser, ["", ""])
    a.tags.set([tags[0]])
    b.tags.set([tags[1]])
    application_review_settings_save(
        actor=organiser, application=apps[0], tags=[tags[1]], reviews_needed=None
    )
    application_review_settings_save(
        actor=organiser, application=apps[1], tags=[tags[0]], reviews_needed=None
    )
    pairs = {(app, e) for app, e, _f in solve_call(call)["pairs"]}
    assert pairs == {(apps[0].pk, b.pk), (apps[1].pk, a.pk)}
    assert ExpertiseTag.objects.filter(call=call).count() == 6


def test_conflicts_languages_and_existing_assignments_are_respected(call, organiser):
    apps = _applications(call, 4)
    english = _applications(call, 1, language="en")[0]
    experts = _experts(call, organiser, ["a", "b", "c", "d"])
    experts[0].languages = ["kk"]
    experts[0].save()
    experts[1].employer_bin = apps[0].organisation.bin
    experts[1].save()
    assignment_add(actor=organiser, expert=experts[2], application=apps[1], reason="by hand")
    result = solve_call(call)
    pairs = {(a, e) for a, e, _f in result["pairs"]}
    conflicts = call_conflicts(call)
    assert not {(a, e) for a, e in pairs if (e, a) in conflicts}
    assert (apps[0].pk, experts[1].pk) not in pairs
    assert (english.pk, experts[0].pk) not in pairs
    assert (apps[1].pk, experts[2].pk) not in pairs  # already assigned
    per_app = {app.pk: sum(1 for a, _e in pairs if a == app.pk) for app in [*apps, english]}
    assert per_app[apps[1].pk] == 1  # one by hand plus one proposed
    assert all(n == 2 for pk, n in per_app.items() if pk != apps[1].pk)
    built = build(call)
    assert int(built.problem.max_load[built.expert_ids.index(experts[2].pk)]) == 3


def test_an_impossible_call_is_explained_in_words(call, organiser):
    _applications(call, 5)
    _experts(call, organiser, ["a"])
    result = solve_call(call)
    texts = describe_problems(result["problems"])
    assert texts
    assert any("can take" in t and "need" in t for t in texts)


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ({"kind": "capacity", "needed": 10, "available": 4}, "can take 4 more reviews"),
        ({"kind": "minimum", "needed": 10, "available": 14}, "minimum loads add up to 14"),
        ({"kind": "candidates", "applications": "APP"}, "fewer experts free of conflict"),
        ({"kind": "coverage", "applications": "APP"}, "would still lack reviews"),
        ({"kind": "min_load", "experts": "EXPERT"}, "cannot reach the minimum load"),
        ({"kind": "limits", "experts": "EXPERT"}, "minimum load is above the maximum"),
        ({"kind": "language", "language": "ru", "needed": 6, "available": 2}, "read Russian"),
    ],
)
def test_every_kind_of_problem_has_its_own_words(call, organiser, problem, words):
    app = _applications(call, 1)[0]
    expert = _experts(call, organiser, ["a"])[0]
    if problem.get("applications") == "APP":
        problem["applications"] = [app.pk]
    if problem.get("experts") == "EXPERT":
        problem["experts"] = [expert.pk]
    (text,) = describe_problems([problem])
    assert words in text
    if "applications" in problem:
        assert str(app.title) in text
    if "experts" in problem:
        assert str(expert.user) in text


def test_a_withdrawn_experts_open_reviews_go_to_others(call, organiser):
    apps = _applications(call, 2)
    review_plan_update(actor=organiser, call=call, reviews_per_application=1, max_load=2)
    leaving, staying = _experts(call, organiser, ["a", "b"])
    done = assignment_add(actor=organiser, expert=leaving, application=apps[0], reason="x")
    assignment_add(actor=organiser, expert=leaving, application=apps[1], reason="x")
    declaration_make(actor=leaving.user, application=apps[0], conflict=False)
    review_submit(
        actor=leaving.user, application=apps[0], scores={c.pk: 5 for c in call.criteria.all()}
    )
    summary = expert_withdraw(actor=organiser, expert=leaving, reason="Fell ill")
    assert summary == {"freed": 1, "reassigned": 1, "uncovered": 0}
    assert Assignment.objects.filter(pk=done.pk).exists()  # the submitted review stays
    assert Assignment.objects.get(application=apps[1]).expert == staying

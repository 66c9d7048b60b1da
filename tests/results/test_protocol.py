"""The results protocol PDF: its content in each language, its fonts, the draft mark, the hash
of the decision's audit event, and the public and staff downloads."""

from __future__ import annotations

import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_head_hash
from baiqau.domain.money import format_tenge
from baiqau.results.models import Choice, Motion, MotionKind, Ranking, ResultRules
from baiqau.results.protocol import protocol_context, protocol_pdf
from baiqau.results.services import decision, ranking_compute, results_publish, results_reopen
from baiqau.review.models import Declaration, Expert
from tests.factories import UserFactory, call_in_review_with_scores, confirm_by_vote, grant
from tests.results.builders import (
    CALL_TITLE_KK,
    DISSENT,
    KAZAKH_LETTERS,
    MEMBERS,
    PROJECTS,
    build_call,
    flat,
    pdf_text,
    public_url,
    vote,
)

pytestmark = pytest.mark.django_db

DRAFT = "Draft — not confirmed by the commission"


def closing_event(motion: Motion) -> AuditEvent:
    return AuditEvent.objects.get(
        action="decision.motion_closed", subject_type="results.motion", subject_id=str(motion.pk)
    )


@pytest.fixture
def published():
    return build_call(publish=True)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("kk", f"{CALL_TITLE_KK} ({KAZAKH_LETTERS})"),
        ("ru", "Конкурс социальных проектов"),
        ("en", "Competition of social projects"),
    ],
)
def test_the_protocol_holds_the_whole_decision_in_each_language(
    published, tmp_path, language, title
):
    document = protocol_pdf(published.call, language)
    assert document.startswith(b"%PDF-")
    text = flat(pdf_text(document, tmp_path))
    index = {"kk": 0, "ru": 1, "en": 2}[language]
    assert title in text
    for _titles, names, _type in PROJECTS:
        assert flat(names[index]) in text
    for name, _email in MEMBERS:
        assert name in text  # the commission signs; its members are named
    # The decision: the hash of the audit event recorded when the confirming vote closed, not
    # the head of the log at the time of printing (publication came after it).
    event = closing_event(published.motion)
    assert event.hash in text
    assert event.hash != audit_head_hash()
    assert DISSENT in text
    # The tie went to the draw: the seed, published with the rules' value, is printed.
    seed = Ranking.objects.get(call=published.call, is_current=True).seed
    assert seed and seed in text.replace(" ", "")
    assert format_tenge(1_000_000).replace("\xa0", " ") in text.replace("\xa0", " ")
    assert DRAFT not in text


def test_the_kazakh_protocol_embeds_a_font_that_covers_kazakh(published, tmp_path):
    document = protocol_pdf(published.call, "kk")
    path = tmp_path / "kk.pdf"
    path.write_bytes(document)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    assert all(("DejaVu" in row or "Noto" in row) for row in rows), fonts.stdout
    # Every font is embedded ("emb" yes) as a subset with a Unicode map.
    assert all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts.stdout
    text = pdf_text(document, tmp_path)
    assert KAZAKH_LETTERS in text
    assert "Әлеуметтік" in text  # a capital too


def test_the_first_page_renders_to_a_picture_that_is_not_blank(published, tmp_path):
    path = tmp_path / "protocol.pdf"
    path.write_bytes(protocol_pdf(published.call, "kk"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    pictures = sorted(tmp_path.glob("page*.png"))
    assert len(pictures) == 1
    with Image.open(pictures[0]) as picture:
        grey = picture.convert("L")
        dark = grey.histogram()[:128]
        dark = sum(dark)
        assert grey.size[0] < grey.size[1]  # A4, portrait
    assert dark > 500


def test_an_unconfirmed_ranking_gives_a_draft(tmp_path):
    world = build_call(confirm=False)
    context = protocol_context(world.call, "en")
    assert context["draft"] is True
    assert context["decision_event"] is None
    text = flat(pdf_text(protocol_pdf(world.call, "en"), tmp_path))
    assert DRAFT in text
    assert "The commission has not confirmed the ranking" in text


def test_attendance_names_who_was_present_and_who_was_absent(published):
    commission = protocol_context(published.call, "kk")["commission"]
    assert [p["name"] for p in commission["absent"]] == [MEMBERS[4][0]]
    assert {p["name"] for p in commission["present"]} == {name for name, _ in MEMBERS[:4]}
    assert commission["chair"]["name"] == MEMBERS[0][0]


def test_ties_show_each_rule_step_with_its_values(published):
    context = protocol_context(published.call, "en")
    (tie,) = context["ties"]
    assert tie["position"] == 2
    criterion, lot = tie["steps"]
    first = published.call.criteria.order_by("position").first()
    assert criterion["words"] == f"the higher score on the criterion “{first.name_en}”"
    assert [v["value"] for v in criterion["values"]] == ["6.00", "6.00"]
    assert lot["kind"] == "lot"
    assert sorted(v["value"] for v in lot["values"]) == ["1", "2"]
    assert all(len(v["key"]) == 64 for v in lot["values"])
    assert not tie["open"]


def test_expert_effects_appear_by_anonymous_number_only(tmp_path):
    world = build_call(confirm=True)
    ResultRules.objects.filter(call=world.call).update(calibration="zscore")
    ranking = Ranking.objects.get(call=world.call, is_current=True)
    ranking.effects = [
        {"expert": 1, "reviews": 4, "bias": "1.5", "scale": "1", "unestimated": None}
    ]
    ranking.rules = {**ranking.rules, "calibration": "zscore"}
    ranking.save()
    text = flat(pdf_text(protocol_pdf(world.call, "en"), tmp_path))
    assert "Expert 1" in text
    assert "Expert effects estimated by the calibration" in text
    assert "expert_numbers" not in text


def test_a_change_of_a_confirmed_result_is_recorded_with_its_reason(tmp_path):
    world = build_call(confirm=True)
    chair = world.members[0]
    session = decision.session_open(actor=chair, call=world.call)
    for user in world.members[1:4]:
        decision.attendance_confirm(actor=user, session=session)
    reason = "Сарапшының техникалық қатесі түзетілді"
    motion = decision.result_change(actor=chair, session=session, reason=reason)
    for user in world.members[:4]:
        decision.ballot_cast(actor=user, motion=motion, choice=Choice.FOR)
    motion = decision.motion_close(actor=chair, motion=motion)
    context = protocol_context(world.call, "kk")
    assert context["motion"] == motion
    assert [m["motion"].reason for m in context["changes"]] == [reason]
    assert context["decision_event"] == closing_event(motion)
    assert motion.kind == MotionKind.CHANGE
    text = flat(pdf_text(protocol_pdf(world.call, "kk"), tmp_path))
    assert reason in text
    assert closing_event(motion).hash in text
    # Both votes are in the protocol, the first with its dissent.
    assert len(context["motions"]) == 2
    assert DISSENT in text


def _decided_call(rows: int):
    call = call_in_review_with_scores([[5 + i % 5, 6, 7, 8, 6, 5] for i in range(rows)])
    organiser = grant(call, UserFactory())
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    return call


def test_the_protocol_reads_a_fixed_number_of_queries():
    counts = []
    for rows in (2, 7):
        call = _decided_call(rows)
        with CaptureQueriesContext(connection) as queries:
            context = protocol_context(call, "kk")
        assert len(context["rows"]) == rows
        counts.append(len(queries))
    assert counts == [counts[0], counts[0]]
    assert counts[0] == 12


# Downloads ------------------------------------------------------------------------------------


def test_the_public_protocol_is_missing_until_the_results_are_published(client):
    world = build_call(confirm=True)
    assert client.get(public_url(world.call)).status_code == 404
    results_publish(actor=world.organiser, call=world.call)
    response = client.get(public_url(world.call))
    assert response.status_code == 200


def test_an_unknown_call_has_no_protocol(client):
    assert client.get(public_url(type("C", (), {"slug": "no-such-call"})())).status_code == 404


def test_the_public_protocol_is_in_the_language_of_the_address(client, published, tmp_path):
    response = client.get(public_url(published.call, "ru"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'inline; filename="protocol-{published.call.slug}-ru.pdf"'
    )
    text = flat(pdf_text(response.content, tmp_path))
    assert "Конкурс социальных проектов" in text
    assert "Общественный фонд «Умит»" in text


def test_the_public_protocol_answers_only_reading(client, published):
    assert client.post(public_url(published.call)).status_code == 405


def test_the_public_protocol_is_rendered_once_per_publication_and_language(
    client, published, monkeypatch
):
    rendered = []
    real = protocol_pdf

    def counting(call, language):
        rendered.append(language)
        return real(call, language)

    monkeypatch.setattr("baiqau.publishing.views_protocol.protocol_pdf", counting)
    for _ in range(2):
        assert client.get(public_url(published.call, "kk")).status_code == 200
    assert client.get(public_url(published.call, "en")).status_code == 200
    assert rendered == ["kk", "en"]
    # A withdrawal and a new publication make a new protocol.
    results_reopen(actor=published.organiser, call=published.call, reason="Қате")
    assert client.get(public_url(published.call, "kk")).status_code == 404
    results_publish(actor=published.organiser, call=published.call)
    assert client.get(public_url(published.call, "kk")).status_code == 200
    assert rendered == ["kk", "en", "kk"]


def test_the_demo_call_has_a_public_protocol(client, demo, tmp_path):
    response = client.get(public_url(demo.call, "kk"))
    assert response.status_code == 200
    text = flat(pdf_text(response.content, tmp_path))
    assert "Өз бетімен өмір сүруге арналған үй" in text
    assert len(protocol_context(demo.call, "kk")["effects"]) == 7  # calibration shown
    motion = Motion.objects.get(session__call=demo.call, result="adopted")
    assert closing_event(motion).hash in text
    assert DRAFT not in text


def test_a_member_excluded_by_a_conflict_shows_in_that_applications_tally():
    world = build_call(confirm=False)
    conflicted = Expert.objects.get(call=world.call, user=world.members[3])
    Declaration.objects.create(
        expert=conflicted,
        application=world.applications[3],
        conflict=True,
        reason="Менің туысым",
        declared_at=timezone.now(),
    )
    vote(world.call, world.members)
    (motion,) = protocol_context(world.call, "kk")["motions"]
    assert motion["ballots"] == {"for": 3, "against": 1, "abstain": 0}
    assert motion["common"] == {"for": 3, "against": 1, "abstain": 0, "excluded": 0}
    assert motion["exceptions"] == [
        {
            "title": PROJECTS[3][0][0],
            "for": 3,
            "against": 0,
            "abstain": 0,
            "excluded": 1,
            "eligible": 3,
        }
    ]

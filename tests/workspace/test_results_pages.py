"""The staff's results pages: the result rules, the ranking with its method, ties, intervals,
disagreements and the experts' effects, computing it, publishing and withdrawing the results."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import AwardScheme, CallStatus
from baiqau.domain.money import format_tenge
from baiqau.results.models import Ranking, ResultRules
from baiqau.results.services import ranking_compute, result_rules_for, results_publish
from baiqau.review.models import Score
from baiqau.workspace.views.results_data import band_words
from tests.factories import UserFactory, call_in_review_with_scores, confirm_by_vote, grant
from tests.workspace.results_builders import distinct_rows, results_world, set_rules, url

pytestmark = pytest.mark.django_db

RULES = {
    "calibration": "zscore",
    "decides": "raw",
    "bias_ridge": "2",
    "min_reviews": "3",
    "tie_1": "vote",
    "tie_2": "",
    "tie_3": "",
    "disagreement_threshold": "20",
    "resamples": "150",
    "level": "0.9",
    "lottery_value": "",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def row_of(page: str, title: str) -> str:
    """The table row of the application with this title."""
    match = re.search(
        rf"<tr>(?:(?!</tr>).)*>{re.escape(title)}</a>(?:(?!</tr>).)*</tr>", page, re.S
    )
    assert match, title
    return match.group(0)


@pytest.fixture
def world(db):
    world = results_world(distinct_rows(5))
    set_rules(world.call, bootstrap_seed=7)
    return world


@pytest.fixture
def call(world):
    return world.call


@pytest.fixture
def login(client, no_mfa, world):
    def as_(persona: str):
        client.force_login(world.user(persona))
        return client

    return as_


@pytest.fixture
def editable(call):
    """The call before review: its result rules may still change."""
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    return call


# --- The result rules ------------------------------------------------------------------------


def test_the_rules_form_explains_each_choice(login, editable):
    page = text(login("organiser").get(url(editable, "results_rules")))
    assert "small panels where every expert scores every application" in page
    assert "Swiss National Science Foundation" in page
    assert "Published on the call page before scoring begins" in page
    assert re.search(r"copy into the field if you wish:\s*<code>[0-9a-f]{32}</code>", page)
    criterion = editable.criteria.first()
    assert f'value="criterion:{criterion.pk}"' in page
    assert f"The higher score on criterion “{criterion.name}”" in page
    # A prize call has no partial last grant.
    assert 'name="partial_last_grant"' not in page


def test_the_rules_are_saved_and_audited(login, editable):
    first, second = editable.criteria.all()[:2]
    data = RULES | {
        "tie_1": f"criterion:{first.pk}",
        "tie_2": "vote",
        "tie_3": "lot",
        "lottery_value": "  published-before-scoring  ",
        "partial_randomisation": "on",
    }
    response = login("organiser").post(url(editable, "results_rules"), data)
    assert response.status_code == 302
    assert told(response) == ["The result rules were saved."]
    rules = ResultRules.objects.get(call=editable)
    assert (rules.calibration, rules.tie_break, rules.lottery_value) == (
        "zscore",
        [f"criterion:{first.pk}", "vote", "lot"],
        "published-before-scoring",
    )
    assert (rules.resamples, str(rules.level), rules.partial_randomisation) == (150, "0.900", True)
    event = AuditEvent.objects.get(action="results.rules_updated")
    assert event.data["changed"]["calibration"] == ["none", "zscore"]
    assert event.data["changed"]["tie_break"] == [
        ["vote"],
        [f"criterion:{first.pk}", "vote", "lot"],
    ]
    assert second  # a second criterion exists, so the first was a choice among several


def test_lot_must_be_the_last_step(login, editable):
    response = login("organiser").post(
        url(editable, "results_rules"),
        RULES | {"tie_1": "lot", "tie_2": "vote", "lottery_value": "x"},
    )
    assert response.status_code == 400
    assert "Lot can only be the last step" in text(response)
    assert result_rules_for(editable).tie_break == ["vote"]
    assert not AuditEvent.objects.filter(action="results.rules_updated").exists()


def test_a_criterion_of_another_call_cannot_break_ties(login, editable, world):
    from tests.workspace.jury_builders import jury_call

    foreign = jury_call().criteria.first()
    response = login("organiser").post(
        url(editable, "results_rules"), RULES | {"tie_1": f"criterion:{foreign.pk}"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert result_rules_for(editable).tie_break == ["vote"]


def test_steps_are_filled_in_order_and_used_once(login, editable):
    client = login("organiser")
    gap = client.post(url(editable, "results_rules"), RULES | {"tie_1": "", "tie_2": "vote"})
    assert gap.status_code == 400
    assert "without an empty step between" in text(gap)
    twice = client.post(url(editable, "results_rules"), RULES | {"tie_1": "vote", "tie_2": "vote"})
    assert twice.status_code == 400
    assert "Each rule can be used once." in text(twice)


def test_the_services_refusal_is_shown_on_the_form_with_the_typed_values(login, editable):
    response = login("organiser").post(
        url(editable, "results_rules"),
        RULES | {"tie_2": "lot", "min_reviews": "7", "resamples": "321"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "A draw by lot needs a value published before scoring begins." in page
    assert 'id="id_lottery_value-error"' in page  # on the field it is about
    assert 'name="min_reviews" value="7"' in page
    assert 'name="resamples" value="321"' in page
    assert 'value="lot" selected' in page


def test_calibrated_scores_need_a_calibration(login, editable):
    response = login("organiser").post(
        url(editable, "results_rules"), RULES | {"calibration": "none", "decides": "calibrated"}
    )
    assert response.status_code == 400
    assert "Calibrated scores can decide only when a calibration is chosen." in text(response)


def test_a_grant_pool_offers_the_partial_last_grant(login, editable):
    editable.award_scheme = AwardScheme.POOL
    editable.pool_amount = 3_000_000
    editable.save()
    client = login("organiser")
    assert 'name="partial_last_grant"' in text(client.get(url(editable, "results_rules")))
    response = client.post(url(editable, "results_rules"), RULES | {"partial_last_grant": "on"})
    assert response.status_code == 302
    assert result_rules_for(editable).partial_last_grant is True


def test_once_review_has_begun_the_rules_are_read_only(login, call):
    client = login("organiser")
    page = text(client.get(url(call, "results_rules")))
    assert "Review has begun: the experts score under these rules" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "1. the commission's vote" in page
    response = client.post(url(call, "results_rules"), RULES)
    assert response.status_code == 400
    assert "The result rules are fixed once review has begun." in text(response)
    assert result_rules_for(call).calibration == "none"


def test_other_staff_see_the_rules_without_a_form(login, editable):
    page = text(login("secretary").get(url(editable, "results_rules")))
    assert "Only the organisers can change the result rules" in page
    assert 'name="calibration"' not in page


# --- The ranking -----------------------------------------------------------------------------


def test_the_compute_button_computes_the_ranking(login, call):
    client = login("organiser")
    page = text(client.get(url(call, "results")))
    assert "No ranking has been computed yet." in page
    assert "Compute the ranking</button>" in page
    response = client.post(url(call, "results"), {})
    assert response.status_code == 302
    assert told(response) == ["The ranking was computed."]
    ranking = Ranking.objects.get(call=call, is_current=True)
    assert ranking.computed_by.email == "organiser@results.example"
    assert AuditEvent.objects.filter(action="ranking.computed").count() == 1


def test_a_ranking_without_reviews_is_refused_on_the_page(login, call):
    Score.objects.filter(review__application__call=call).delete()
    from baiqau.review.models import Review

    Review.objects.filter(application__call=call).update(status="draft")
    response = login("chair").post(url(call, "results"), {})
    assert response.status_code == 400
    assert "There are no submitted reviews to rank yet." in text(response)
    assert not Ranking.objects.filter(call=call).exists()


def test_after_confirmation_recomputing_needs_a_reason(login, world, call):
    ranking_compute(actor=world.user("organiser"), call=call)
    confirm_by_vote(call)
    client = login("chair")
    page = text(client.get(url(call, "results")))
    assert "Confirmed by the commission on" in page
    assert 'name="reason"' in page
    refused = client.post(url(call, "results"), {"reason": "  "})
    assert refused.status_code == 400
    assert "This field is required." in text(refused)
    assert Ranking.objects.filter(call=call).count() == 1
    done = client.post(url(call, "results"), {"reason": "A review was corrected"})
    assert done.status_code == 302
    assert told(done) == ["The ranking was computed. It needs the commission's vote again."]
    assert Ranking.objects.filter(call=call).count() == 2
    event = AuditEvent.objects.filter(action="ranking.computed").latest("seq")
    assert event.data["reason"] == "A review was corrected"


def make_tie(call, *, by_criterion: bool = False) -> list:
    """The call's two lowest applications (every expert gave them 0 and 1 on criterion 1) get
    the same total; `by_criterion`: both rise to the top, the second leading on criterion 1 (6
    there, 0 on criterion 2) and the first making it up on criterion 2 (0 there, 8)."""
    first, second = call.criteria.order_by("position")[:2]
    low = list(call.applications.order_by("pk")[:2])
    scores = Score.objects.filter(review__application__in=low)
    if by_criterion:
        scores.filter(review__application=low[0], criterion=second).update(value=8)
        scores.filter(review__application=low[1], criterion=first).update(value=6)
    else:
        scores.filter(review__application=low[1], criterion=first).update(value=0)
    return low


def test_recomputing_keeps_the_commissions_tie_votes(login, world, call):
    low = make_tie(call)
    ranking = ranking_compute(actor=world.user("organiser"), call=call)
    assert sorted(e.application_id for e in ranking.entries.filter(tied=True)) == [
        a.pk for a in low
    ]
    votes = {str(low[0].pk): 1, str(low[1].pk): 3}
    Ranking.objects.filter(pk=ranking.pk).update(votes=votes)
    response = login("organiser").post(url(call, "results"), {})
    assert response.status_code == 302
    current = Ranking.objects.get(call=call, is_current=True)
    assert current.votes == votes
    assert current.entries.get(application_id=low[1].pk).decided_by == "vote"


def test_the_table_shows_raw_and_calibrated_scores_intervals_bands_and_disagreements(
    login, world, call
):
    set_rules(call, calibration="zscore", disagreement_threshold=5)
    ranking = ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("organiser").get(url(call, "results")))
    assert "Raw total <strong>(decides)</strong>" in page
    assert "Calibrated total</th>" in page
    for entry in ranking.entries.select_related("application"):
        row = row_of(page, entry.application.title_en)
        interval = (
            f">{entry.rank_low}<"
            if entry.rank_low == entry.rank_high
            else f">{entry.rank_low}–{entry.rank_high}<"
        )
        assert interval in row
        assert f"<td>{band_words(entry.band)}</td>" in row
        assert f"<strong>{entry.raw_score:.2f}</strong>" in row
        assert f">{entry.calibrated_score:.2f}<" in row
        # The experts' totals differ by 6 points (their offsets on criterion 3): above 5.
        assert "Reviews differ by 6.00 points" in row
        discuss = url(call, "application_jury", pk=entry.application_id)
        assert f'href="{discuss}"' in row
    top = ranking.entries.get(position=1)
    assert f"Place 1: {format_tenge(1_000_000)}" in row_of(page, top.application.title_en)
    assert "Clearly in" in page and "Clearly out" in page


def test_the_commission_is_not_sent_to_a_page_it_cannot_open(login, world, call):
    set_rules(call, disagreement_threshold=5)
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("chair").get(url(call, "results")))
    assert "Reviews differ by 6.00 points" in page
    assert "/jury/applications/" not in page


def test_the_calibrated_score_is_highlighted_when_it_decides(login, world, call):
    set_rules(call, calibration="zscore", decides="calibrated")
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("member").get(url(call, "results")))
    assert "Raw total</th>" in page
    assert "Calibrated total <strong>(decides)</strong>" in page


def test_a_tie_broken_by_a_criterion_is_explained(login, world, call):
    low = make_tie(call, by_criterion=True)
    first = call.criteria.order_by("position").first()
    set_rules(call, tie_break=[f"criterion:{first.pk}", "vote"])
    ranking = ranking_compute(actor=world.user("organiser"), call=call)
    assert len(ranking.ties) == 1
    page = text(login("organiser").get(url(call, "results")))
    note = f"Tie broken by criterion “{first.name_en}”"
    assert note in row_of(page, low[0].title_en) and note in row_of(page, low[1].title_en)
    assert "Tie at position 1 (score 27.00)" in page
    assert f"Step 1: the higher score on criterion “{first.name_en}”." in page
    assert f"{low[1].title_en}: 6.00" in page and f"{low[0].title_en}: 0.00" in page
    assert f"Order after this step: 1. {low[1].title_en}; 2. {low[0].title_en}" in page
    assert "Resolved." in page


def test_an_unresolved_tie_says_so(login, world, call):
    low = make_tie(call)
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("secretary").get(url(call, "results")))
    assert "Still tied" in row_of(page, low[0].title_en)
    assert (
        "Not applied: the commission's votes are not recorded for every tied application." in page
    )
    assert "Not resolved: the commission must decide it." in page


def test_the_experts_effects_are_worded_above_and_below_the_panel(login, world, call):
    set_rules(call, calibration="zscore")
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("member").get(url(call, "results")))
    assert "Expert 1 scores 3.0 points below the panel." in page
    assert "Expert 2 scores 3.0 points above the panel." in page
    assert "Expert 3 scores in line with the panel." in page


def test_an_expert_with_too_few_reviews_is_said_to_be_unestimated(login, world, call):
    set_rules(call, calibration="least_squares", min_reviews=9)
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("chair").get(url(call, "results")))
    assert (
        "Expert 1: not estimated, fewer than 9 reviews; counted as scoring like the panel." in page
    )


def test_the_organisers_see_the_experts_names_the_commission_only_numbers(login, world, call):
    set_rules(call, calibration="zscore")
    ranking_compute(actor=world.user("organiser"), call=call)
    organiser = text(login("organiser").get(url(call, "results")))
    assert "Name (organisers only)" in organiser
    assert "<td>Member Person</td>" in organiser and "<td>Third Expert</td>" in organiser
    for persona in ("chair", "member", "secretary"):
        page = text(login(persona).get(url(call, "results")))
        assert "Name (organisers only)" not in page
        assert "Third Expert" not in page, persona
        assert "Expert 3 scores in line with the panel." in page


def test_an_unconfirmed_ranking_points_to_the_commissions_decision(login, world, call):
    ranking_compute(actor=world.user("organiser"), call=call)
    page = text(login("member").get(url(call, "results")))
    assert "Not yet confirmed by the commission." in page
    decision = url(call, "decision")
    assert f'href="{decision}"' in login("member").get(url(call, "results")).content.decode()


def test_the_table_is_paginated_a_hundred_rows_a_page(client, no_mfa):
    big = call_in_review_with_scores([[i % 11, i % 7, i % 5] * 3 for i in range(105)])
    set_rules(big, resamples=20)
    organiser = grant(big, UserFactory(email="big@results.example"), "organiser")
    ranking_compute(actor=organiser, call=big)
    client.force_login(organiser)
    first = text(client.get(url(big, "results")))
    assert first.count('<th scope="row"><a href=') == 100
    assert "Page 1 of 2" in first
    second = text(client.get(url(big, "results") + "?page=2"))
    assert second.count('<th scope="row"><a href=') == 5
    assert "The current ranking: 105 applications" in second


# --- Publishing and withdrawing --------------------------------------------------------------


def test_publishing_asks_for_confirmation_then_publishes(login, world, call):
    ranking = ranking_compute(actor=world.user("organiser"), call=call)
    confirm_by_vote(call)
    client = login("organiser")
    page = text(client.get(url(call, "results_publish")))
    assert "Publish the results?" in page
    assert "each applicant gets a letter" in page.lower()
    for award in ranking.awards.select_related("application"):
        assert award.application.title_en in page
        assert format_tenge(award.amount) in page
    call.refresh_from_db()
    assert call.results_published_at is None
    response = client.post(url(call, "results_publish"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED
    assert call.results_published_at is not None
    assert AuditEvent.objects.filter(action="results.published").count() == 1
    again = client.get(url(call, "results_publish"))
    assert again.status_code == 302
    assert told(again)[-1].startswith("The results were published on")


def test_an_unconfirmed_ranking_is_not_published(login, world, call):
    ranking_compute(actor=world.user("organiser"), call=call)
    client = login("organiser")
    assert "Not yet confirmed by the commission" in text(client.get(url(call, "results_publish")))
    response = client.post(url(call, "results_publish"))
    assert response.status_code == 400
    assert "The commission must confirm the ranking by vote before results are published." in text(
        response
    )
    call.refresh_from_db()
    assert (call.status, call.results_published_at) == (CallStatus.IN_REVIEW, None)


def test_a_tie_among_the_prize_places_is_not_published(client, no_mfa):
    small = results_world(distinct_rows(3))
    make_tie(small.call)
    ranking_compute(actor=small.user("organiser"), call=small.call)
    client.force_login(small.user("organiser"))
    response = client.post(url(small.call, "results_publish"))
    assert response.status_code == 400
    assert "A tie among the prize places must be resolved before results are published." in text(
        response
    )
    small.call.refresh_from_db()
    assert small.call.results_published_at is None


def test_withdrawing_needs_a_reason_and_a_confirmation(login, world, call):
    organiser = world.user("organiser")
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    results_publish(actor=organiser, call=call)
    client = login("organiser")
    results_page = text(client.get(url(call, "results")))
    assert "Withdraw the results" in results_page
    assert "The results are published: withdraw them before recomputing." in results_page
    page = text(client.get(url(call, "results_withdraw")))
    assert "Withdraw the published results?" in page
    refused = client.post(url(call, "results_withdraw"), {"reason": "   "})
    assert refused.status_code == 400
    assert "This field is required." in text(refused)
    call.refresh_from_db()
    assert call.results_published_at is not None
    done = client.post(url(call, "results_withdraw"), {"reason": "A conflict came to light"})
    assert done.status_code == 302
    call.refresh_from_db()
    assert (call.status, call.results_published_at) == (CallStatus.IN_REVIEW, None)
    event = AuditEvent.objects.get(action="results.withdrawn")
    assert event.data == {"reason": "A conflict came to light"}


def test_there_is_nothing_to_withdraw_before_publication(login, call):
    response = login("organiser").get(url(call, "results_withdraw"))
    assert response.status_code == 302
    assert told(response) == ["The results are not published: there is nothing to withdraw."]


# --- The menu --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["organiser", "secretary", "chair", "member"])
def test_the_menu_links_the_results(login, call, persona):
    page = text(login(persona).get(url(call, "results")))
    assert f'<a href="{url(call, "results")}" aria-current="page">Results</a>' in page


def test_observers_have_no_results_link(login, call):
    page = text(login("observer").get(url(call, "results_rules")))
    assert f'href="{url(call, "results")}"' not in page


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pages_render_in_kazakh_and_russian(login, world, call, language):
    set_rules(call, calibration="zscore", disagreement_threshold=5)
    make_tie(call)
    ranking_compute(actor=world.user("organiser"), call=call)
    client = login("organiser")
    for name in ("results", "results_rules", "results_publish"):
        response = client.get(url(call, name, language))
        assert response.status_code == 200, name
        assert f'<html lang="{language}"' in text(response)

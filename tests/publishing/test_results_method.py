"""The public call and results pages state the rules of the result and how sure it is."""

import pytest

from baiqau.results.models import Ranking
from baiqau.results.services import result_rules_update

pytestmark = pytest.mark.django_db


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_call_page_states_the_rules_fixed_before_scoring(client, demo):
    html = _text(client, "/en/calls/almaty-social-projects/")
    assert "Per-expert z-score" in html
    assert "Raw scores decide" in html
    first = demo.call.criteria.order_by("position", "pk").first()
    assert f"1. the higher score on the criterion “{first.name_en}”" in html
    assert "2. the commission&#x27;s vote; 3. a verifiable draw by lot" in html
    assert "almaty-social-projects 2021-08-30 a3f9c1d2e7b84650" in html


def test_the_results_page_shows_raw_and_calibrated_scores_intervals_and_the_confirmation(
    client, demo
):
    ranking = Ranking.objects.get(call=demo.call, is_current=True)
    html = _text(client, "/en/calls/almaty-social-projects/results/")
    assert "Raw score" in html and "Calibrated score" in html
    assert "The raw score decides the ranking" in html
    assert "Plausible positions" in html
    first = ranking.entries.get(position=1)
    assert f"{first.rank_low}–{first.rank_high}" in html
    assert "clearly within the places" in html
    assert "Confirmed by the commission" in html
    assert "200 bootstrap resamples" in html


def test_rules_cannot_change_once_review_has_begun(demo):
    from baiqau.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        result_rules_update(actor=demo.call.created_by, call=demo.call, lottery_value="other")
    assert error.value.code == "rules_fixed"

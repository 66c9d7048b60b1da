import hashlib
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.awards import award_grants
from baiqau.domain.lottery import (
    BandFunding,
    Funded,
    LotteryError,
    canonical_json,
    draw,
    draw_key,
    fund_band,
    lottery_seed,
)
from baiqau.domain.ranking import rank

SCORE_DATA = {
    "call": "жасыл-қала",
    "method": "mean",
    "scores": [[101, 1, "72.500000"], [101, 2, "65.000000"], [102, 1, "70.000000"]],
    "pre": None,
}
PRE_PUBLISHED = "2026-03-01 KZ lotto 4 8 15 16 23 42"
SEED = bytes.fromhex("33773ebbae2ff365cd599417929f3356bcd9ecffb0cf24c616e8d6c46716b121")


# --- canonical JSON -----------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8_with_decimals_as_strings() -> None:
    data = {
        "b": [1, -2, True, False, None],
        "a": {"z": Decimal("7.50"), "y": "қала"},
        "é": 'tab\tquote"back\\slash/ctl\x01',
    }
    assert canonical_json(data) == (
        b'{"a":{"y":"\xd2\x9b\xd0\xb0\xd0\xbb\xd0\xb0","z":"7.50"},"b":[1,-2,true,false,null],'
        b'"\xc3\xa9":"tab\\tquote\\"back\\\\slash/ctl\\u0001"}'
    )


def test_canonical_json_of_the_score_data_known_bytes() -> None:
    assert (
        canonical_json(SCORE_DATA)
        == (
            '{"call":"жасыл-қала","method":"mean","pre":null,"scores":[[101,1,"72.500000"],'
            '[101,2,"65.000000"],[102,1,"70.000000"]]}'
        ).encode()
    )


def test_canonical_json_keys_sort_by_code_point_not_utf16() -> None:
    # U+FF61 sorts before U+1F600 by code point; UTF-16 would put the emoji first.
    assert canonical_json({"\U0001f600": 1, "\uff61": 2}) == '{"｡":2,"😀":1}'.encode()


@pytest.mark.parametrize(
    "value",
    [0.5, Fraction(1, 2), Decimal("NaN"), Decimal("Infinity"), {1, 2}, b"bytes"],
)
def test_canonical_json_refuses_values_without_one_written_form(value: object) -> None:
    with pytest.raises(LotteryError):
        canonical_json({"value": value})


def test_canonical_json_refuses_non_string_keys_and_a_top_level_array() -> None:
    with pytest.raises(LotteryError, match="keys must be strings"):
        canonical_json({"scores": {101: "1"}})
    with pytest.raises(LotteryError, match="JSON object"):
        canonical_json([1, 2])  # type: ignore[arg-type]  # the point is a caller that ignores the type


# --- the seed and the draw ------------------------------------------------------------


def test_seed_is_sha256_of_the_canonical_data_then_the_pre_published_value() -> None:
    message = canonical_json(SCORE_DATA) + PRE_PUBLISHED.encode()
    assert lottery_seed(SCORE_DATA, PRE_PUBLISHED) == hashlib.sha256(message).digest() == SEED


def test_seed_needs_the_pre_published_value() -> None:
    with pytest.raises(LotteryError, match="before scoring"):
        lottery_seed(SCORE_DATA, "")


def test_draw_known_order_for_a_fixed_seed() -> None:
    # The same on every machine: nothing but SHA-256 decides it.
    assert draw([101, 102, 103, 104, 105, 106], SEED) == (104, 103, 106, 101, 105, 102)


def test_draw_key_is_sha256_of_seed_and_ascii_id() -> None:
    assert draw_key(SEED, 104) == hashlib.sha256(SEED + b"104").digest()


def test_every_lot_takes_its_applications_in_the_one_order_of_the_draw() -> None:
    assert draw([102, 101, 106], SEED) == (106, 101, 102)


@pytest.mark.parametrize("seed", [b"", b"short", "0" * 32])
def test_draw_refuses_a_seed_that_is_not_a_digest(seed: object) -> None:
    with pytest.raises(LotteryError, match="32 bytes"):
        draw([1, 2], seed)  # type: ignore[arg-type]  # the point is a caller that ignores the type


def test_draw_refuses_an_application_twice() -> None:
    with pytest.raises(LotteryError, match="twice"):
        draw([1, 2, 1], SEED)


@settings(deadline=None)
@given(st.sets(st.integers(-(10**12), 10**12), max_size=30), st.binary(min_size=32, max_size=32))
def test_draw_is_a_permutation_whatever_the_input_order(ids: set[int], seed: bytes) -> None:
    ordered = draw(sorted(ids), seed)
    assert sorted(ordered) == sorted(ids)
    assert draw(sorted(ids, reverse=True), seed) == ordered


score_strings = st.decimals(min_value=0, max_value=100, places=6).map(str)


@settings(deadline=None)
@given(
    st.lists(score_strings, min_size=1, max_size=12),
    st.data(),
)
def test_changing_any_one_score_changes_the_draw(scores: list[str], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(scores) - 1))
    other = data.draw(score_strings.filter(lambda s: s != scores[index]))
    changed = [*scores[:index], other, *scores[index + 1 :]]
    ids = range(1, 13)
    before = lottery_seed({"scores": scores}, PRE_PUBLISHED)
    after = lottery_seed({"scores": changed}, PRE_PUBLISHED)
    assert before != after
    # 12! orders: two different seeds giving the same one is a 1-in-479-million event.
    assert draw(ids, before) != draw(ids, after)


@settings(deadline=None)
@given(st.text(min_size=1, max_size=20), st.data())
def test_the_draw_depends_on_every_byte_of_its_input(pre: str, data: st.DataObject) -> None:
    message = canonical_json(SCORE_DATA) + pre.encode("utf-8")
    assert lottery_seed(SCORE_DATA, pre) == hashlib.sha256(message).digest()
    index = data.draw(st.integers(0, len(message) - 1))
    flip = data.draw(st.integers(1, 255))
    altered = bytearray(message)
    altered[index] ^= flip
    assert hashlib.sha256(bytes(altered)).digest() != lottery_seed(SCORE_DATA, pre)


# --- partial randomisation of the band ----------------------------------------------


def test_band_is_funded_in_draw_order_until_the_places_are_used() -> None:
    outcome = fund_band([7, 3], [101, 102, 103, 104, 105, 106], SEED, places=4)
    assert outcome == BandFunding(
        funded=(
            Funded(application_id=7, amount=None, by_lot=False),
            Funded(application_id=3, amount=None, by_lot=False),
            Funded(application_id=104, amount=None, by_lot=True),
            Funded(application_id=103, amount=None, by_lot=True),
        ),
        band_order=(104, 103, 106, 101, 105, 102),
        not_funded=(106, 101, 105, 102),
        remaining=0,
    )


def test_pool_running_out_mid_ranking_with_a_lottery_band() -> None:
    # Scores put 1 and 2 clearly in; 101–106 are within the band at the line;
    # the draw orders the band 104, 103, 106, 101, 105, 102.
    scores = {1: 90, 2: 88, 101: 80, 102: 79, 103: 79, 104: 78, 105: 77, 106: 76, 9: 50}
    requested = {1: 400, 2: 300, 101: 200, 102: 150, 103: 250, 104: 300, 105: 100, 106: 260, 9: 1}
    # By rank alone, the pool of 1,500 funds 1, 2, 101, 102 and 103 and then stops at
    # 104 (300 > 200 left): no skipping to the cheaper 105.
    by_rank = award_grants(
        rank({k: Fraction(v) for k, v in scores.items()}), requested, 1_500, None
    )
    assert [award.application_id for award in by_rank.awards] == [1, 2, 101, 102, 103]
    outcome = fund_band(
        [1, 2], [101, 102, 103, 104, 105, 106], SEED, requested=requested, pool=1_500
    )
    # 400 + 300 clearly in; by lot 104 (300) and 103 (250) fit, 106 (260) does not:
    # 250 are left, and funding stops there, as it does by rank.
    assert outcome.funded == (
        Funded(application_id=1, amount=400, by_lot=False),
        Funded(application_id=2, amount=300, by_lot=False),
        Funded(application_id=104, amount=300, by_lot=True),
        Funded(application_id=103, amount=250, by_lot=True),
    )
    assert outcome.remaining == 250
    assert outcome.not_funded == (106, 101, 105, 102)


def test_band_grants_are_capped_per_project() -> None:
    outcome = fund_band(
        [], [101, 102], SEED, requested={101: 900, 102: 900}, pool=1_000, max_per_project=500
    )
    assert [(f.application_id, f.amount) for f in outcome.funded] == [(101, 500), (102, 500)]
    assert outcome.remaining == 0


def test_clearly_in_that_exhausts_the_pool_leaves_the_band_unfunded() -> None:
    outcome = fund_band([1], [101, 102], SEED, requested={1: 1_000, 101: 1, 102: 1}, pool=1_000)
    assert outcome.funded == (Funded(application_id=1, amount=1_000, by_lot=False),)
    assert outcome.not_funded == (101, 102)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "either"),
        ({"places": 1, "pool": 1, "requested": {}}, "either"),
        ({"places": -1}, "negative"),
        ({"pool": 10}, "requested amounts"),
        ({"pool": 10, "requested": {101: 1}}, "no requested amount"),
        ({"pool": 10, "requested": {101: 0, 102: 1}}, "positive amount"),
        ({"pool": 10, "requested": {101: 1, 102: 1}, "max_per_project": 0}, "maximum"),
    ],
)
def test_fund_band_refuses_unclear_limits(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(LotteryError, match=message):
        fund_band([], [101, 102], SEED, **kwargs)  # type: ignore[arg-type]  # kwargs built per case


def test_an_application_cannot_be_both_clearly_in_and_in_the_band() -> None:
    with pytest.raises(LotteryError, match="Application 101"):
        fund_band([101], [101, 102], SEED, places=1)

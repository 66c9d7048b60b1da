import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.money import format_tenge, group_digits

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, f"0{NBSP}₸"),
        (7, f"7{NBSP}₸"),
        (999, f"999{NBSP}₸"),
        (1000, f"1{NBSP}000{NBSP}₸"),
        (1_000_000, f"1{NBSP}000{NBSP}000{NBSP}₸"),
        (12_345_678, f"12{NBSP}345{NBSP}678{NBSP}₸"),
        (-1500, f"{MINUS}1{NBSP}500{NBSP}₸"),
    ],
)
def test_format_tenge_known_answers(amount: int, expected: str) -> None:
    assert format_tenge(amount) == expected


def test_million_tenge_spelled_out_in_code_points() -> None:
    assert format_tenge(1_000_000) == "1\u00a0000\u00a0000\u00a0\u20b8"


def test_group_digits_with_another_separator() -> None:
    assert group_digits(1234567, sep=",") == "1,234,567"


def test_group_digits_of_a_negative_number_uses_the_minus_sign() -> None:
    assert group_digits(-123456) == f"{MINUS}123{NBSP}456"


@pytest.mark.parametrize("bad", [1.5, True, "1000"])
def test_non_integer_amounts_are_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        format_tenge(bad)  # type: ignore[arg-type]  # wrong type is the case


@settings(deadline=None)
@given(st.integers(-(10**15), 10**15))
def test_grouping_round_trips_and_groups_are_three_digits(amount: int) -> None:
    text = group_digits(amount)
    unsigned = text.removeprefix(MINUS)
    assert (text != unsigned) == (amount < 0)
    groups = unsigned.split(NBSP)
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])
    assert int("".join(groups)) == abs(amount)

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baiqau.domain.identifiers import (
    IdentifierError,
    check_digit,
    is_valid_bin,
    is_valid_iin,
    make_bin,
    normalise_identifier,
    validate_bin,
    validate_iin,
)

# Worked by hand, digit by digit, so the tests do not just re-run the code.
#
# 18044000012: 1*1 + 2*8 + 4*4 + 5*4 + 10*1 + 11*2 = 85; 85 mod 11 = 8.
FIRST_PASS_BIN = "180440000128"
# 05120000001: 2*5 + 3*1 + 4*2 + 11*1 = 32; 32 mod 11 = 10, so second pass:
# 4*5 + 5*1 + 6*2 + 2*1 = 39; 39 mod 11 = 6.
SECOND_PASS_BIN = "051200000016"
# 20014000130: 1*2 + 4*1 + 5*4 + 9*1 + 10*3 = 65; 65 mod 11 = 10;
# second pass 3*2 + 6*1 + 7*4 + 11*1 + 1*3 = 54; 54 mod 11 = 10: no check digit.
UNUSABLE_FIRST11 = "20014000130"
# Born 1985-07-15, 7th digit 3 (1900s, male).
# 85071530001: 1*8 + 2*5 + 4*7 + 5*1 + 6*5 + 7*3 + 11*1 = 113; 113 mod 11 = 3.
IIN_1900S = "850715300013"
# Born 2005-03-10, 7th digit 5 (2000s, male).
# 05031050002: 2*5 + 4*3 + 5*1 + 7*5 + 11*2 = 84; 84 mod 11 = 7.
IIN_2000S = "050310500027"


def _first_pass_remainder(first11: str) -> int:
    return sum(int(digit) * weight for weight, digit in enumerate(first11, start=1)) % 11


def test_first_pass_check_digit_matches_hand_computation() -> None:
    assert check_digit(FIRST_PASS_BIN[:11]) == 8
    assert validate_bin(FIRST_PASS_BIN) == FIRST_PASS_BIN


def test_second_pass_is_used_when_first_pass_gives_ten() -> None:
    assert _first_pass_remainder(SECOND_PASS_BIN[:11]) == 10
    assert check_digit(SECOND_PASS_BIN[:11]) == 6
    assert validate_bin(SECOND_PASS_BIN) == SECOND_PASS_BIN


def test_both_passes_giving_ten_has_no_check_digit() -> None:
    assert check_digit(UNUSABLE_FIRST11) is None


@pytest.mark.parametrize("last", "0123456789")
def test_bin_with_no_possible_check_digit_is_unusable(last: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_bin(UNUSABLE_FIRST11 + last)
    assert caught.value.code == "unusable"


def test_make_bin_appends_the_check_digit() -> None:
    assert make_bin("18044000012") == FIRST_PASS_BIN
    assert make_bin("05120000001") == SECOND_PASS_BIN


def test_make_bin_refuses_digits_without_a_check_digit() -> None:
    with pytest.raises(IdentifierError) as caught:
        make_bin(UNUSABLE_FIRST11)
    assert caught.value.code == "unusable"


@pytest.mark.parametrize(
    ("first11", "code"), [("1804400001", "length"), ("1804400001X", "not_digits")]
)
def test_make_bin_refuses_malformed_input(first11: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        make_bin(first11)
    assert caught.value.code == code


def test_normalise_removes_whitespace_spaces_and_hyphens() -> None:
    assert normalise_identifier(" 1804-4000\u00a00128\t") == FIRST_PASS_BIN


def test_validate_bin_returns_the_normalised_number() -> None:
    assert validate_bin(" 180 440 000 128 ") == FIRST_PASS_BIN


def test_valid_iins_from_two_centuries() -> None:
    assert validate_iin(IIN_1900S) == IIN_1900S
    assert validate_iin(IIN_2000S) == IIN_2000S
    assert validate_iin("8507-1530-0013") == IIN_1900S


def test_is_valid_helpers_answer_without_raising() -> None:
    assert is_valid_bin(FIRST_PASS_BIN) is True
    assert is_valid_bin("180440000129") is False
    assert is_valid_iin(IIN_1900S) is True
    assert is_valid_iin("") is False


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("  - ", "empty"),
        ("18044000012A", "not_digits"),
        ("+80440000128", "not_digits"),
        ("١٨٠٤٤٠٠٠٠١٢٨", "not_digits"),  # Arabic-Indic digits pass str.isdigit()
        ("18044000012", "length"),
        ("1804400001280", "length"),
        ("180040000128", "month"),
        ("181340000128", "month"),
        ("180440000127", "check_digit"),
        (UNUSABLE_FIRST11 + "0", "unusable"),
    ],
)
def test_bin_error_codes(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_bin(value)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("85071530001X", "not_digits"),
        ("85071530001", "length"),
        ("850715000013", "date"),  # 7th digit 0 gives no century
        ("850715700013", "date"),  # nor does 7
        ("851315300013", "date"),  # month 13
        ("850732300013", "date"),  # 32 July
        ("000229300013", "date"),  # 1900 was not a leap year
        ("850715300014", "check_digit"),
    ],
)
def test_iin_error_codes(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_iin(value)
    assert caught.value.code == code


def test_iin_29_february_2000_is_a_real_date() -> None:
    assert is_valid_iin(make_bin("00022950000"))


def test_iin_with_no_possible_check_digit_is_unusable() -> None:
    # 96010130094 (born 1996-01-01): 1*9 + 2*6 + 4*1 + 6*1 + 7*3 + 10*9 + 11*4 = 186,
    # 186 mod 11 = 10; 3*9 + 4*6 + 6*1 + 8*1 + 9*3 + 1*9 + 2*4 = 109, 109 mod 11 = 10.
    with pytest.raises(IdentifierError) as caught:
        validate_iin("960101300940")
    assert caught.value.code == "unusable"


# The check digit is weaker than it looks: digit 11 has weight 11, which is 0
# modulo 11, so the first pass never sees it; and a number that needs the
# second pass can collide with a single-digit typo of another number.


def test_changing_digit_11_goes_unnoticed_when_the_first_pass_applies() -> None:
    # 18044000010: 85 - 11*2 + 11*0 = 63; 63 mod 11 = 8, the same check digit.
    assert is_valid_bin("180440000108")
    assert is_valid_iin("850715300023")


def test_second_pass_number_collides_with_a_single_digit_typo() -> None:
    # 05110000001: 2*5 + 3*1 + 4*1 + 11*1 = 28; 28 mod 11 = 6, which is also
    # the second-pass check digit of 05120000001.
    assert is_valid_bin(SECOND_PASS_BIN)
    assert is_valid_bin("051100000016")


digit = st.sampled_from("0123456789")
bin_first11 = st.builds(
    lambda year, month, rest: f"{year:02d}{month:02d}{rest}",
    st.integers(0, 99),
    st.integers(1, 12),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
).filter(lambda first11: check_digit(first11) is not None)


@settings(deadline=None)
@given(bin_first11)
def test_make_bin_always_gives_a_valid_bin(first11: str) -> None:
    assert validate_bin(make_bin(first11)) == make_bin(first11)


@settings(deadline=None)
@given(bin_first11, digit)
def test_changing_the_check_digit_is_always_caught(first11: str, new: str) -> None:
    valid = make_bin(first11)
    altered = valid[:11] + new
    assert is_valid_bin(altered) == (altered == valid)


@settings(deadline=None)
@given(bin_first11, st.integers(0, 10), digit)
def test_single_digit_change_is_caught_unless_digit_11_or_second_pass(
    first11: str, index: int, new: str
) -> None:
    valid = make_bin(first11)
    altered = valid[:index] + new + valid[index + 1 :]
    if altered == valid or not is_valid_bin(altered):
        return
    # Only these escape: a change in digit 11, or a number needing the second pass.
    assert (
        index == 10
        or _first_pass_remainder(valid[:11]) == 10
        or _first_pass_remainder(altered[:11]) == 10
    )


@settings(deadline=None)
@given(bin_first11, st.integers(0, 9), digit)
def test_change_in_digits_1_to_10_is_caught_when_both_use_the_first_pass(
    first11: str, index: int, new: str
) -> None:
    valid = make_bin(first11)
    altered = valid[:index] + new + valid[index + 1 :]
    if altered == valid:
        return
    if _first_pass_remainder(valid[:11]) == 10 or _first_pass_remainder(altered[:11]) == 10:
        return
    assert not is_valid_bin(altered)

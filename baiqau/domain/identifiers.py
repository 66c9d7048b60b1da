"""Kazakhstan business (BIN) and individual (IIN) identification numbers.

Both are 12 digits whose last digit is a check digit computed from the first
eleven. The check digit is weak: digit 11 carries weight 11, which is 0 modulo
11, so the first pass ignores it entirely, and numbers that need the second
pass can collide with single-digit typos. The check catches most typos, not
all of them; never treat a passing number as proof that it was typed right.
"""

from __future__ import annotations

import datetime
import re

__all__ = [
    "IdentifierError",
    "check_digit",
    "is_valid_bin",
    "is_valid_iin",
    "make_bin",
    "normalise_identifier",
    "validate_bin",
    "validate_iin",
]

IDENTIFIER_LENGTH = 12

_FIRST_PASS_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_PASS_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# People copy these numbers from printed forms that group the digits with
# spaces or hyphens; accepting those saves a round trip through an error.
_SEPARATORS = re.compile(r"[\s\-]+")

# The 7th IIN digit encodes century and sex; only the century matters here.
_IIN_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


class IdentifierError(ValueError):
    """An identifier failed validation; ``code`` says which check failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits.
    return value.isascii() and value.isdigit()


def _weighted_remainder(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11


def check_digit(first11: str) -> int | None:
    """The check digit for the first eleven digits, or None if none exists."""
    if not _is_ascii_digits(first11):
        raise IdentifierError("not_digits", "The first eleven characters must be digits.")
    if len(first11) != IDENTIFIER_LENGTH - 1:
        raise IdentifierError(
            "length", "Exactly eleven digits are needed to compute a check digit."
        )
    remainder = _weighted_remainder(first11, _FIRST_PASS_WEIGHTS)
    if remainder == 10:
        remainder = _weighted_remainder(first11, _SECOND_PASS_WEIGHTS)
    return None if remainder == 10 else remainder


def normalise_identifier(value: str) -> str:
    """Remove surrounding whitespace and inner spaces or hyphens."""
    return _SEPARATORS.sub("", value)


def _check_shape(value: str, name: str) -> str:
    normalised = normalise_identifier(value)
    if not normalised:
        raise IdentifierError("empty", f"Enter the {name}.")
    if not _is_ascii_digits(normalised):
        raise IdentifierError("not_digits", f"The {name} must contain digits only.")
    if len(normalised) != IDENTIFIER_LENGTH:
        raise IdentifierError(
            "length",
            f"The {name} must have exactly 12 digits; this one has {len(normalised)}.",
        )
    return normalised


def _check_check_digit(normalised: str, name: str) -> None:
    expected = check_digit(normalised[:11])
    if expected is None:
        raise IdentifierError(
            "unusable",
            f"No valid {name} starts with these eleven digits; please check the number.",
        )
    if expected != int(normalised[11]):
        raise IdentifierError(
            "check_digit",
            f"The {name} check digit does not match; please check the number for a typo.",
        )


def validate_bin(value: str) -> str:
    """Return the normalised 12-digit BIN or raise IdentifierError."""
    normalised = _check_shape(value, "BIN")
    # Digits 3-4 are the month of registration.
    if not 1 <= int(normalised[2:4]) <= 12:
        raise IdentifierError(
            "month",
            "Digits 3 and 4 of the BIN are the registration month and must be 01 to 12.",
        )
    _check_check_digit(normalised, "BIN")
    return normalised


def is_valid_bin(value: str) -> bool:
    try:
        validate_bin(value)
    except IdentifierError:
        return False
    return True


def _check_birth_date(normalised: str) -> None:
    century = _IIN_CENTURY.get(normalised[6])
    if century is None:
        raise IdentifierError(
            "date",
            "The 7th digit of the IIN must be 1 to 6 (it gives the century of birth).",
        )
    try:
        datetime.date(century + int(normalised[0:2]), int(normalised[2:4]), int(normalised[4:6]))
    except ValueError:
        raise IdentifierError(
            "date",
            "The first six digits of the IIN must be a real birth date (YYMMDD).",
        ) from None


def validate_iin(value: str) -> str:
    """Return the normalised 12-digit IIN or raise IdentifierError."""
    normalised = _check_shape(value, "IIN")
    _check_birth_date(normalised)
    _check_check_digit(normalised, "IIN")
    return normalised


def is_valid_iin(value: str) -> bool:
    try:
        validate_iin(value)
    except IdentifierError:
        return False
    return True


def make_bin(first11: str) -> str:
    """Append the check digit; for demo data and test factories.

    Digits 3-4 are not checked here: the caller picks a month from 01 to 12.
    """
    digit = check_digit(first11)
    if digit is None:
        raise IdentifierError(
            "unusable", f"No check digit exists for {first11}; choose other digits."
        )
    return f"{first11}{digit}"

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from baiqau.domain.identifiers import IdentifierError, validate_bin

BIN_MESSAGES = {
    "empty": _("Enter the BIN."),
    "not_digits": _("A BIN has only digits."),
    "length": _("A BIN has exactly 12 digits."),
    "month": _("Digits 3 and 4 of a BIN are the month of registration (01–12)."),
    "unusable": _("This is not a valid BIN: no check digit exists for its first 11 digits."),
    "check_digit": _(
        "This BIN's check digit does not match: please check the number for a typing error."
    ),
}


def bin_validator(value: str) -> None:
    try:
        validate_bin(value)
    except IdentifierError as error:
        raise ValidationError(
            BIN_MESSAGES.get(error.code, _("This is not a valid BIN.")), code=f"bin_{error.code}"
        ) from error

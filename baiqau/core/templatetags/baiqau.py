from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from baiqau.domain.money import format_tenge

register = template.Library()


@register.filter
def tenge(amount: Any) -> str:
    """Whole tenge with no-break spaces: 1 000 000 ₸ (the same in every language)."""
    if amount is None or amount == "":
        return ""
    return format_tenge(int(amount))


@register.filter
def score(value: Any, places: int = 2) -> str:
    """A score rounded half-to-even and written with the language's decimal separator."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-int(places))
    return number_format(Decimal(value).quantize(quantum, rounding=ROUND_HALF_EVEN), int(places))

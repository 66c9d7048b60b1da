"""Display amounts of whole tenge.

Groups are separated by no-break spaces (U+00A0) so that a browser never
wraps an amount across two lines, and negatives use the true minus sign
(U+2212) rather than the shorter hyphen-minus, as typographic convention asks.
"""

from __future__ import annotations

__all__ = ["MINUS", "NBSP", "TENGE", "format_tenge", "group_digits"]

NBSP = "\u00a0"
MINUS = "\u2212"
TENGE = "\u20b8"


def group_digits(n: int, sep: str = NBSP) -> str:
    """Group the digits of ``n`` in threes from the right: 1000000 → 1 000 000."""
    # bool is an int subclass; True printed as "1" would hide a caller's bug.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Expected an int, got {type(n).__name__}.")
    digits = str(abs(n))
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    sign = MINUS if n < 0 else ""
    return sign + sep.join(groups)


def format_tenge(amount: int) -> str:
    """Format whole tenge for display, e.g. ``1 000 000 ₸`` with no-break spaces."""
    return f"{group_digits(amount)}{NBSP}{TENGE}"

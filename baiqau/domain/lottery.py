"""The verifiable draw: a lot anyone can repeat with nothing but SHA-256.

When a tie-break rule says "lot", or a call funds part of the band of uncertainty
at its funding line by lot (partial randomisation, as the Swiss National Science
Foundation does), the order comes from a seed nobody could choose:

    seed = SHA-256( canonical_json(score_data) ‖ UTF-8(pre_published) )

``score_data`` is the score data published with the results (a JSON object);
``pre_published`` is a value the call fixed and published before scoring began
(for example a random string, or a future lottery's numbers), so that nobody
could steer the seed by adjusting scores, and nobody could know it in advance.
The JSON text ends with its closing brace, so the concatenation is unambiguous.

The draw orders applications by ``SHA-256(seed ‖ ASCII decimal id)`` ascending
(the 32 digest bytes compared as an unsigned big-endian number; ties, which would
need a SHA-256 collision, by id). One draw thus orders every application once;
every lot of a call takes the applications it needs in that order. Repeating it
needs no random number generator and no library beyond SHA-256, so no version of
any software can change it.

Canonical JSON, byte for byte (what ``canonical_json`` writes):

* UTF-8, no byte order mark, no whitespace at all outside strings: ``,`` between
  items and ``:`` between a key and its value;
* object keys are strings, sorted by Unicode code point (the same as sorting their
  UTF-8 bytes; not JavaScript's default UTF-16 sort, which differs beyond U+FFFF);
  a key may appear once;
* strings: every character as itself in UTF-8, except ``"`` → ``\\"``, ``\\`` →
  ``\\\\``, and the control characters U+0000–U+001F: ``\\b \\f \\n \\r \\t`` for
  backspace, form feed, line feed, carriage return and tab, ``\\u00XX`` (lower-case
  hex) for the others; ``/`` and U+007F and above are not escaped;
* integers in decimal, ``-`` for negatives, no leading zeros, no exponent;
  ``true``, ``false``, ``null``;
* decimals (scores, amounts) as JSON **strings** holding exactly the published
  text, e.g. ``"72.500000"``: never as JSON numbers, whose reading differs between
  languages; floats are refused;
* arrays keep their order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "BandFunding",
    "Funded",
    "LotteryError",
    "canonical_json",
    "draw",
    "draw_key",
    "fund_band",
    "lottery_seed",
]


class LotteryError(ValueError):
    """Data that cannot be drawn from; the message names the culprit."""


def _plain(value: object, path: str) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise LotteryError(f"{path}: {value} is not a finite number.")
        return str(value)
    if isinstance(value, Mapping):
        plain: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise LotteryError(f"{path}: object keys must be strings, not {key!r}.")
            plain[key] = _plain(item, f"{path}.{key}")
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise LotteryError(
        f"{path}: {type(value).__name__} has no canonical form; give decimals as Decimal "
        "or as the published string."
    )


def canonical_json(data: Mapping[str, object]) -> bytes:
    """The canonical JSON bytes of a JSON object (see the module's docstring)."""
    if not isinstance(data, Mapping):
        raise LotteryError("The published score data must be a JSON object.")
    plain = _plain(data, "$")
    text = json.dumps(
        plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise LotteryError(
            f"The score data holds text that is not valid Unicode: {error}."
        ) from None


def lottery_seed(score_data: Mapping[str, object], pre_published: str) -> bytes:
    """SHA-256 of the canonical score data followed by the pre-published value."""
    if not pre_published:
        raise LotteryError("The value published before scoring began is missing.")
    return hashlib.sha256(canonical_json(score_data) + pre_published.encode("utf-8")).digest()


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise LotteryError("A draw's seed is the 32 bytes of a SHA-256 digest.")


def draw_key(seed: bytes, application_id: int) -> bytes:
    """SHA-256(seed ‖ the id in ASCII decimal): the application's place in the draw."""
    _check_seed(seed)
    if isinstance(application_id, bool) or not isinstance(application_id, int):
        raise LotteryError(f"Application ids are integers, not {application_id!r}.")
    return hashlib.sha256(seed + str(application_id).encode("ascii")).digest()


def draw(application_ids: Iterable[int], seed: bytes) -> tuple[int, ...]:
    """The applications in the order of the draw."""
    ids = list(application_ids)
    if len(set(ids)) != len(ids):
        raise LotteryError("An application cannot take part in a draw twice.")
    return tuple(
        sorted(ids, key=lambda application_id: (draw_key(seed, application_id), application_id))
    )


# --------------------------------------------------------------------------- the band


@dataclass(frozen=True)
class Funded:
    application_id: int
    amount: int | None  # tenge; None when the call awards places, not a pool
    by_lot: bool


@dataclass(frozen=True)
class BandFunding:
    funded: tuple[Funded, ...]  # clearly in, in rank order, then the band in draw order
    band_order: tuple[int, ...]  # the whole band in draw order
    not_funded: tuple[int, ...]  # the band's applications the places or pool did not reach
    remaining: int  # places or tenge left over


def fund_band(
    clearly_in: Sequence[int],
    band: Collection[int],
    seed: bytes,
    *,
    places: int | None = None,
    requested: Mapping[int, int] | None = None,
    pool: int | None = None,
    max_per_project: int | None = None,
) -> BandFunding:
    """Fund the clearly-in applications in rank order, then the band in draw order.

    Give either ``places`` (each funded application takes one) or ``pool`` with
    ``requested`` (each takes its request, capped at ``max_per_project``). Funding
    stops at the first application that does not fit, as ``awards.award_grants``
    does: the next in line is never skipped for a cheaper one. ``clearly_in`` must
    already be in its final order (ties broken by the call's rules).
    """
    if (places is None) == (pool is None):
        raise LotteryError("Give either the number of places or the pool, not both.")
    overlap = set(clearly_in) & set(band)
    if overlap:
        raise LotteryError(f"Application {min(overlap)} is both clearly in and in the band.")
    band_order = draw(band, seed)
    if places is not None:
        if places < 0:
            raise LotteryError("The number of places cannot be negative.")
        remaining = places
    else:
        if pool is None or pool < 0 or requested is None:
            raise LotteryError("Funding from a pool needs the pool and the requested amounts.")
        if max_per_project is not None and max_per_project <= 0:
            raise LotteryError("The maximum grant per project must be positive.")
        remaining = pool
    funded: list[Funded] = []
    queue = [(a, False) for a in clearly_in] + [(a, True) for a in band_order]
    for application_id, by_lot in queue:
        cost = 1 if places is not None else _grant(application_id, requested, max_per_project)
        if cost > remaining:
            break
        remaining -= cost
        amount = None if places is not None else cost
        funded.append(Funded(application_id=application_id, amount=amount, by_lot=by_lot))
    chosen = {entry.application_id for entry in funded}
    return BandFunding(
        funded=tuple(funded),
        band_order=band_order,
        not_funded=tuple(a for a in band_order if a not in chosen),
        remaining=remaining,
    )


def _grant(application_id: int, requested: Mapping[int, int] | None, cap: int | None) -> int:
    if requested is None or application_id not in requested:
        raise LotteryError(f"Application {application_id} has no requested amount.")
    amount = requested[application_id]
    if amount <= 0:
        raise LotteryError(f"Application {application_id} must request a positive amount.")
    return amount if cap is None else min(amount, cap)

"""The public announcement of a call's results, in the style of the seed article.

The text is generated from the data (organisers, aim, who took part, the winners with their
prizes, scores and strongest criterion, the commission) by one plain-text template per language
(``results/announcement/<lang>.txt``), written as native prose rather than translated from
English. Organisers may edit it until the results are published; withdrawing the results
makes it editable again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call, CallRole, CallRoleKind, Criterion
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain.money import group_digits
from baiqau.organisations.models import OrganisationType
from baiqau.review.models import Expert, ExpertStatus

from .models import Announcement, Award, Ranking, RankingEntry

LANGUAGES = ("kk", "ru", "en")
_SPACES = re.compile(r"[ \t\r\n]+")
PARAGRAPH = "¶"  # the templates end each paragraph with this mark
QUOTES = {"kk": ("«", "»"), "ru": ("«", "»"), "en": ("“", "”")}


def plural_category(language: str, n: int) -> str:
    """The CLDR plural category of a whole number: which form of a counted noun to use."""
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if language == "en":
        return "one" if n == 1 else "other"
    return "other"  # Kazakh nouns do not change after a numeral


def english_ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quoted(text: str, language: str) -> str:
    opening, closing = QUOTES[language]
    text = text.strip()
    if not text or text[0] in '«“"':
        return text
    return f"{opening}{text}{closing}"


def clause(text: str) -> str:
    """A sentence to follow a dash or "is": its first letter lowered (unless an acronym) and
    its final full stop removed."""
    text = " ".join(text.split()).rstrip(" .")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def points(value: Decimal | Fraction | int) -> str:
    """A score as prose writes it: "87,5", "60" (the language's decimal separator)."""
    fraction = Fraction(value)
    number = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    if number == number.to_integral_value():
        return number_format(number.quantize(Decimal(1)))
    return number_format(number.normalize())


def amount_words(amount: int) -> str:
    return group_digits(amount)


@dataclass(frozen=True)
class _Data:
    call: Call
    organisers: list[Any]
    criteria: list[Criterion]
    ranking: Ranking | None
    entries: dict[int, RankingEntry]
    awards: list[Award]
    participants: list[Application]
    members: list[Expert]


def _data(call: Call) -> _Data:
    """Everything the announcement says, read in a fixed number of queries."""
    ranking = Ranking.objects.filter(call=call, is_current=True).first()
    organisers = [link.organisation for link in call.organiser_links.select_related("organisation")]
    criteria = list(call.criteria.all())
    entries: dict[int, RankingEntry] = {}
    awards: list[Award] = []
    if ranking is not None:
        entries = {
            e.application_id: e
            for e in RankingEntry.objects.filter(ranking=ranking).select_related(
                "application__organisation"
            )
        }
        awards = list(
            Award.objects.filter(ranking=ranking)
            .select_related("application__organisation")
            .order_by("place")
        )
        participants = [e.application for e in entries.values()]
    else:
        participants = list(
            Application.objects.filter(call=call)
            .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
            .select_related("organisation")
        )
    members = list(
        Expert.objects.filter(call=call, is_commission=True, status=ExpertStatus.ACTIVE)
        .select_related("user")
        .order_by("-is_chair", "user__full_name", "pk")
    )
    return _Data(call, organisers, criteria, ranking, entries, awards, participants, members)


def _strongest(entry: RankingEntry, criteria: list[Criterion]) -> tuple[Criterion, Fraction] | None:
    """The criterion on which the project scored best relative to the criterion's scale."""
    best: tuple[Fraction, Criterion, Fraction] | None = None
    for criterion in criteria:
        text = entry.criterion_scores.get(str(criterion.pk))
        if text is None:
            continue
        value = Fraction(text)
        relative = (value - criterion.min_score) / (criterion.max_score - criterion.min_score)
        if best is None or relative > best[0]:
            best = (relative, criterion, value)
    return (best[1], best[2]) if best else None


def _winner(award: Award, data: _Data, language: str) -> dict[str, Any]:
    application = award.application
    entry = data.entries.get(application.pk)
    strongest = _strongest(entry, data.criteria) if entry is not None else None
    return {
        "place": award.place,
        "ordinal": english_ordinal(award.place),
        "amount": amount_words(award.amount),
        "title": quoted(str(application.title), language),
        "organisation": str(application.organisation),
        "goal": clause(str(application.goal)),
        "score": points(entry.score) if entry is not None else "",
        "criterion": quoted(str(strongest[0].name), language) if strongest else "",
        "criterion_value": points(strongest[1]) if strongest else "",
        "criterion_max": strongest[0].max_score if strongest else "",
        # Placed by a draw: either a tie broken by lot or the band at the line funded by lot.
        "by_lot": award.by_lot or (entry is not None and entry.decided_by == "lot"),
    }


def _groups(data: _Data, language: str) -> list[dict[str, Any]]:
    counts = Counter(a.organisation.org_type for a in data.participants)
    return [
        {"type": value, "count": counts[value], "form": plural_category(language, counts[value])}
        for value in OrganisationType.values
        if counts[value]
    ]


def _context(data: _Data, language: str) -> dict[str, Any]:
    call = data.call
    chair = next((m for m in data.members if m.is_chair), None)
    confirmed = data.ranking.confirmed_at if data.ranking is not None else None
    total = len(data.participants)
    size = len(data.members)
    return {
        "title": quoted(str(call.title), language),
        "organisers": [str(o) for o in data.organisers],
        "aim": clause(str(call.aim)),
        "groups": _groups(data, language),
        "total": total,
        "total_form": plural_category(language, total),
        "pool": call.award_scheme == AwardScheme.POOL,
        "winners": [_winner(a, data, language) for a in data.awards],
        "commission_size": size,
        "commission_form": plural_category(language, size),
        "chair": (chair.user.get_full_name() or str(chair.user)) if chair else "",
        "confirmed": _date(confirmed, language) if confirmed else "",
    }


def _date(moment: Any, language: str) -> str:
    text = date_format(localtime(moment), "DATE_FORMAT")
    # Kazakh writes month names in lower case; Django's Kazakh catalogue capitalises them.
    return text.lower() if language == "kk" else text


def _render(data: _Data, language: str) -> str:
    with translation.override(language):
        text = render_to_string(f"results/announcement/{language}.txt", _context(data, language))
    # The templates keep one sentence per line for their editors and mark the end of each
    # paragraph. Only ordinary spaces and line ends are collapsed: amounts keep their no-break
    # spaces.
    paragraphs = [_SPACES.sub(" ", p).strip() for p in text.split(PARAGRAPH)]
    return "\n\n".join(p for p in paragraphs if p)


def announcement_generate(call: Call) -> dict[str, str]:
    """The announcement in Kazakh, Russian and English, generated from the call's data."""
    data = _data(call)
    return {language: _render(data, language) for language in LANGUAGES}


def announcement_get_or_generate(call: Call) -> Announcement:
    """The call's announcement; generated and stored the first time it is asked for.

    Until someone edits it, and while the results are not public, the stored text follows the
    data: a recomputed ranking or a renamed organisation shows in it at once.
    """
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(call=call).first()
        if announcement is not None and (
            announcement.edited_at is not None or call.results_are_public
        ):
            return announcement
        texts = announcement_generate(call)
        if announcement is None:
            return Announcement.objects.create(
                call=call,
                text_kk=texts["kk"],
                text_ru=texts["ru"],
                text_en=texts["en"],
                generated_at=clock.now(),
            )
        if _texts(announcement) != texts:
            announcement.text_kk, announcement.text_ru, announcement.text_en = (
                texts["kk"],
                texts["ru"],
                texts["en"],
            )
            announcement.generated_at = clock.now()
            announcement.save(update_fields=["text_kk", "text_ru", "text_en", "generated_at"])
        return announcement


def _texts(announcement: Announcement) -> dict[str, str]:
    return {
        "kk": announcement.text_kk,
        "ru": announcement.text_ru,
        "en": announcement.text_en,
    }


def _check_editable(actor: Any, call: Call) -> None:
    if not CallRole.objects.filter(call=call, user=actor, role=CallRoleKind.ORGANISER).exists():
        raise DomainError(
            _("Only the call's organisers can edit the announcement."), code="forbidden"
        )
    if call.results_are_public:
        raise DomainError(
            _("The results are published: withdraw them before changing the announcement."),
            code="published",
        )


@transaction.atomic
def announcement_save(
    *, actor: Any, call: Call, text_kk: str, text_ru: str, text_en: str
) -> Announcement:
    """The organisers' own wording of the announcement; the Kazakh text is required."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(actor, call)
    new = {"kk": text_kk.strip(), "ru": text_ru.strip(), "en": text_en.strip()}
    if not new["kk"]:
        raise DomainError(_("Write the announcement in Kazakh."), code="text_kk")
    announcement = Announcement.objects.filter(call=call).first() or Announcement(
        call=call, text_kk="", generated_at=clock.now()
    )
    old = _texts(announcement)
    announcement.text_kk, announcement.text_ru, announcement.text_en = (
        new["kk"],
        new["ru"],
        new["en"],
    )
    announcement.edited_at = clock.now()
    announcement.edited_by = actor
    announcement.save()
    audit_record(
        actor=actor,
        action="results.announcement_saved",
        subject=announcement,
        data={"call": call.slug, "old": old, "new": new},
    )
    return announcement


@transaction.atomic
def announcement_regenerate(*, actor: Any, call: Call) -> Announcement:
    """Replace the announcement with one generated afresh from the data (edits are lost)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(actor, call)
    announcement = announcement_get_or_generate(call)
    old = _texts(announcement)
    new = announcement_generate(call)
    announcement.text_kk, announcement.text_ru, announcement.text_en = (
        new["kk"],
        new["ru"],
        new["en"],
    )
    announcement.generated_at = clock.now()
    announcement.edited_at = None
    announcement.edited_by = None
    announcement.save()
    audit_record(
        actor=actor,
        action="results.announcement_regenerated",
        subject=announcement,
        data={"call": call.slug, "old": old, "new": new},
    )
    return announcement

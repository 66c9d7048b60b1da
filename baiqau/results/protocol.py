"""The results protocol: what the commission decided, how, and on which data, as a PDF.

``protocol_context`` reads everything the protocol shows in a fixed number of queries, whatever
the number of applications, experts or votes; ``protocol_pdf`` renders it with WeasyPrint in
one language. The protocol names the commission's members (they sign it) but experts'
calibration effects only by their anonymous number, as the open data does. A ranking the
commission has not confirmed gives a draft, marked as such on every page.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format

from baiqau.audit.models import AuditEvent
from baiqau.calls.models import AwardScheme, Call
from baiqau.domain.lottery import draw_key
from baiqau.review.models import Expert, ExpertStatus

from .models import (
    Attendance,
    Award,
    Ballot,
    Calibration,
    Choice,
    DecisionSession,
    Motion,
    MotionKind,
    MotionResult,
    Ranking,
    RankingEntry,
)
from .wording import band_words, rules_data_for, rules_facts, tie_rule_words

_TWO_PLACES = Decimal("0.01")


def fraction_decimal(text: str | int | Fraction) -> Decimal | None:
    """An exact value ("15/2", "6", a Fraction) as a Decimal rounded to two places."""
    try:
        value = Fraction(text)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _TWO_PLACES, rounding=ROUND_HALF_EVEN
    )


def confirming_motion(ranking: Ranking | None) -> Motion | None:
    """The adopted motion that confirmed the ranking (the latest, should there be several)."""
    if ranking is None or ranking.confirmed_at is None:
        return None
    return (
        Motion.objects.filter(ranking=ranking, result=MotionResult.ADOPTED)
        .select_related("session")
        .order_by("-closed_at", "-pk")
        .first()
    )


def decision_event(motion: Motion | None) -> AuditEvent | None:
    """The audit event recorded when the confirming vote was closed."""
    if motion is None:
        return None
    return (
        AuditEvent.objects.filter(
            action="decision.motion_closed",
            subject_type=Motion._meta.label_lower,
            subject_id=str(motion.pk),
        )
        .order_by("-seq")
        .first()
    )


def _ranking(call: Call) -> Ranking | None:
    entries = RankingEntry.objects.select_related("application__organisation").order_by(
        "position", "application_id"
    )
    awards = Award.objects.select_related("application__organisation").order_by("place")
    return (
        Ranking.objects.filter(call=call, is_current=True)
        .prefetch_related(Prefetch("entries", entries), Prefetch("awards", awards))
        .first()
    )


def _rows(
    entries: list[RankingEntry], criteria: list[Any], awards: dict[int, Award]
) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        application = entry.application
        rows.append(
            {
                "entry": entry,
                "title": str(application.title),
                "organisation": str(application.organisation),
                "criteria": [
                    fraction_decimal(entry.criterion_scores.get(str(c.pk), "")) for c in criteria
                ],
                "interval": (
                    str(entry.rank_low)
                    if entry.rank_low == entry.rank_high
                    else f"{entry.rank_low}–{entry.rank_high}"
                ),
                "band": band_words(entry.band),
                "award": awards.get(application.pk),
            }
        )
    return rows


def _step_value(rule: str, value: str) -> str:
    """A criterion's aggregate with the language's decimal separator; votes and draw places
    as they are."""
    if rule.startswith("criterion:"):
        number = fraction_decimal(value)
        return value if number is None else number_format(number, 2)
    return value


def _ties(ranking: Ranking, titles: dict[int, str], names: dict[str, str]) -> list[dict[str, Any]]:
    seed = bytes.fromhex(ranking.seed) if ranking.seed else None
    ties = []
    for tie in ranking.ties:
        steps = []
        for step in tie["steps"]:
            rule = step["rule"]
            values = []
            for app_id, value in step["values"].items():
                key = draw_key(seed, int(app_id)).hex() if rule == "lot" and seed else ""
                values.append(
                    {
                        "title": titles.get(int(app_id), f"#{app_id}"),
                        "value": _step_value(rule, value),
                        "key": key,
                    }
                )
            steps.append(
                {
                    "words": tie_rule_words(rule, names),
                    "kind": rule.split(":", 1)[0],
                    "applied": step["applied"],
                    "values": values,
                }
            )
        order = [[titles.get(a, f"#{a}") for a in block] for block in tie["order"]]
        ties.append(
            {
                "position": tie["position"],
                "score": fraction_decimal(tie["score"]),
                "titles": [titles.get(a, f"#{a}") for a in tie["applications"]],
                "steps": steps,
                "order": order,
                "open": any(len(block) > 1 for block in tie["order"]),
            }
        )
    return ties


_TALLY = ("for", "against", "abstain", "excluded")


def _tally_key(counts: dict[str, int]) -> tuple[int, ...]:
    return tuple(counts.get(name, 0) for name in _TALLY)


def _motions(call: Call, titles: dict[int, str]) -> list[dict[str, Any]]:
    ballots = Ballot.objects.select_related("member__user").order_by("cast_at", "pk")
    motions = (
        Motion.objects.filter(session__call=call)
        .select_related("session")
        .prefetch_related(Prefetch("ballots", ballots))
        .order_by("opened_at", "pk")
    )
    result = []
    for motion in motions:
        cast = list(motion.ballots.all())
        counts = Counter(b.choice for b in cast)
        tallies = Counter(_tally_key(c) for c in motion.tally.values())
        common = tallies.most_common(1)[0][0] if tallies else None
        # Most applications share one tally; only those where a conflict of interest excluded
        # someone (or a member did not vote on them) are listed one by one.
        exceptions = [
            {"title": titles.get(int(app), f"#{app}"), **counts_}
            for app, counts_ in motion.tally.items()
            if _tally_key(counts_) != common
        ]
        result.append(
            {
                "motion": motion,
                "ballots": {
                    "for": counts[Choice.FOR],
                    "against": counts[Choice.AGAINST],
                    "abstain": counts[Choice.ABSTAIN],
                },
                "common": dict(zip(_TALLY, common, strict=True)) if common else None,
                "exceptions": exceptions,
                "dissents": [
                    {
                        "member": b.member.user.get_full_name() or str(b.member.user),
                        "text": b.dissent,
                    }
                    for b in cast
                    if b.dissent
                ],
            }
        )
    return result


def _commission(call: Call, session: DecisionSession | None) -> dict[str, Any]:
    members = list(
        Expert.objects.filter(call=call, is_commission=True, status=ExpertStatus.ACTIVE)
        .select_related("user")
        .order_by("-is_chair", "user__full_name", "pk")
    )
    present_ids: set[int] = set()
    if session is not None:
        present_ids = set(
            Attendance.objects.filter(session=session).values_list("member_id", flat=True)
        )
    people = [
        {
            "name": m.user.get_full_name() or str(m.user),
            "chair": m.is_chair,
            "present": m.pk in present_ids,
        }
        for m in members
    ]
    return {
        "members": people,
        "chair": next((p for p in people if p["chair"]), None),
        "present": [p for p in people if p["present"]],
        "absent": [p for p in people if not p["present"]],
        "session": session,
    }


def _latest_session(call: Call) -> DecisionSession | None:
    return DecisionSession.objects.filter(call=call).order_by("-opened_at", "-pk").first()


def protocol_context(call: Call, language: str) -> dict[str, Any]:
    """Everything the protocol shows, in ``language``; a fixed number of queries."""
    with translation.override(language):
        organisers = [
            str(link.organisation) for link in call.organiser_links.select_related("organisation")
        ]
        criteria = list(call.criteria.all())
        names = {str(c.pk): str(c.name) for c in criteria}
        ranking = _ranking(call)
        entries = list(ranking.entries.all()) if ranking else []
        awards = list(ranking.awards.all()) if ranking else []
        titles = {e.application_id: str(e.application.title) for e in entries}
        motion = confirming_motion(ranking)
        event = decision_event(motion)
        session = motion.session if motion is not None else _latest_session(call)
        rules = ranking.rules if ranking is not None else rules_data_for(call)
        calibrated = rules.get("calibration", Calibration.NONE) != Calibration.NONE
        motions = _motions(call, titles) if ranking is not None else []
        return {
            "language": language,
            "call": call,
            "title": str(call.title),
            "aim": str(call.aim),
            "pool": call.award_scheme == AwardScheme.POOL,
            "prizes": list(call.prizes.all()),
            "organisers": organisers,
            "criteria": criteria,
            "ranking": ranking,
            "draft": ranking is None or ranking.confirmed_at is None,
            "rows": _rows(entries, criteria, {a.application_id: a for a in awards}),
            "calibrated": calibrated,
            "method_facts": rules_facts(rules, names),
            "effects": ranking.effects if ranking is not None else [],
            "ties": _ties(ranking, titles, names) if ranking is not None else [],
            "awards": awards,
            "commission": _commission(call, session),
            "motion": motion,
            "motions": motions,
            "changes": [m for m in motions if m["motion"].kind == MotionKind.CHANGE],
            "decision_event": event,
            "flagged": sum(1 for e in entries if e.spread is not None),
        }


def protocol_pdf(call: Call, language: str) -> bytes:
    """The protocol as an A4 PDF (tagged, fonts embedded) in ``language``."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    with translation.override(language):
        html = render_to_string("results/protocol.html", protocol_context(call, language))
        return bytes(HTML(string=html).write_pdf(pdf_tags=True))


def protocol_filename(call: Call, language: str) -> str:
    return f"protocol-{call.slug}-{language}.pdf"


__all__ = [
    "confirming_motion",
    "decision_event",
    "protocol_context",
    "protocol_filename",
    "protocol_pdf",
]

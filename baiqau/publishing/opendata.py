"""A call's open data: the published result as files anyone can check with ``baiqau verify``.

The folder holds the awards as 360Giving data (``grants.json``, ``grants.csv``, with what
was paid and the people reached once an agreement is accepted: ``opendata_monitoring``), the
anonymised scores (``scores.json``: exactly the score data the lottery seed hashes),
the rules fixed before scoring (``rules.json``), the published result
(``results.json``, ``ranking.csv``) and a manifest of every file's SHA-256. The
same data always gives the same bytes: nothing here reads the clock, and the only
times written are when the ranking was computed and the results published.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from baiqau.applications.models import Application
from baiqau.calls.models import AwardScheme, Call, CallOrganiser
from baiqau.calls.models import Criterion as CallCriterion
from baiqau.core.errors import DomainError
from baiqau.domain.lottery import canonical_json
from baiqau.domain.results import decimal_text, score_data
from baiqau.organisations.models import Organisation
from baiqau.results.models import Award, Ranking, RankingEntry
from baiqau.results.services import results_inputs

from .opendata_format import (
    CURRENCY,
    LANGUAGES,
    MANIFEST,
    grants_csv,
    json_file,
    line_data,
    manifest_data,
    ranking_csv,
    text_in_order,
    zip_bytes,
)
from .opendata_monitoring import monitoring_fields, monitoring_seq
from .opendata_schema import grants_schema_errors

__all__ = [
    "opendata_build",
    "opendata_cached",
    "opendata_current_ranking",
    "opendata_zip",
]

CACHE_SECONDS = 24 * 60 * 60


def opendata_current_ranking(call: Call) -> Ranking:
    """The ranking the published results show; a DomainError while there is none to publish."""
    if not call.results_are_public:
        raise DomainError(
            _("The results of this call are not published, so there is no open data yet."),
            code="not_published",
        )
    # The agreement comes along (a reverse one-to-one): the grants need its state.
    entries = RankingEntry.objects.select_related(
        "application__organisation", "application__agreement"
    ).order_by("position", "application_id")
    ranking = (
        Ranking.objects.filter(call=call, is_current=True)
        .prefetch_related(
            Prefetch("entries", entries),
            Prefetch("awards", Award.objects.order_by("place", "application_id")),
        )
        .first()
    )
    if ranking is None:
        raise DomainError(_("The call has no current ranking."), code="no_ranking")
    return ranking


def opendata_build(call: Call) -> dict[str, bytes]:
    """Every file of the call's open-data folder, by name (a fixed number of queries)."""
    ranking = opendata_current_ranking(call)
    votes = {int(a): int(n) for a, n in (ranking.votes or {}).items()}
    inputs, _numbers = results_inputs(call, votes)
    criteria = list(CallCriterion.objects.filter(call=call).order_by("position", "id"))
    organisers = [
        link.organisation
        for link in CallOrganiser.objects.filter(call=call)
        .select_related("organisation")
        .order_by("position", "id")
    ]
    if not organisers:  # 360Giving data names the funder of every grant
        raise DomainError(
            _("The call names no organiser: open data needs the funder."), code="no_organiser"
        )
    entries = list(ranking.entries.all())
    awards = list(ranking.awards.all())
    rules = _rules(call, ranking, criteria, entries, inputs.requested)
    results = _results(call, ranking, entries, awards)
    files = {
        "scores.json": canonical_json(score_data(inputs.criteria, inputs.reviews)),
        "rules.json": json_file(rules),
        "results.json": json_file(results),
        "ranking.csv": ranking_csv(results, rules),
    }
    package = _grants(call, organisers, entries, awards)
    if package["grants"]:
        errors = grants_schema_errors(package)
        if errors:  # the export's own bug: never publish data that breaks the standard
            raise RuntimeError(f"grants.json is not valid 360Giving data: {errors[0]}")
        files["grants.json"] = json_file(package)
    files["grants.csv"] = grants_csv(package)
    files[MANIFEST] = json_file(manifest_data(call.slug, files))
    return dict(sorted(files.items()))


def opendata_cached(call: Call) -> dict[str, bytes]:
    """The folder, built once per published ranking and state of its agreements.

    One query when it is cached: the current ranking, with the latest audit event of the
    call's agreements, reports and tranches (a payment or an accepted report after
    publication changes the folder, so it changes the key).
    """
    current = (
        Ranking.objects.filter(call=call, is_current=True)
        .annotate(monitoring=monitoring_seq(call))
        .values_list("pk", "monitoring")
        .first()
    )
    if not call.results_are_public or current is None:
        raise DomainError(_("There is no open data for this call."), code="not_published")
    ranking, monitoring = current
    published = call.results_published_at.isoformat() if call.results_published_at else ""
    key = f"baiqau:opendata:{call.pk}:{ranking}:{published}:{monitoring or 0}"
    files: dict[str, bytes] | None = cache.get(key)
    if files is None:
        files = opendata_build(call)
        cache.set(key, files, CACHE_SECONDS)
    return files


def opendata_zip(call: Call, files: dict[str, bytes]) -> bytes:
    return zip_bytes(files, folder=f"{call.slug}-open-data")


def _utc(value: datetime | None) -> str | None:
    # UTC, not Almaty time: the same instant must give the same bytes whatever tzdata says.
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _names(obj: Any, base: str) -> dict[str, str]:
    return {f"{base}_{code}": str(getattr(obj, f"{base}_{code}", "") or "") for code in LANGUAGES}


def _text(obj: Any, base: str) -> str:
    return text_in_order({code: getattr(obj, f"{base}_{code}", "") or "" for code in LANGUAGES})


def _rules(
    call: Call,
    ranking: Ranking,
    criteria: list[CallCriterion],
    entries: list[RankingEntry],
    requested: Mapping[int, int],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "call": call.slug,
        **_names(call, "title"),
        "criteria": [
            {
                "key": str(c.pk),
                "weight": decimal_text(Decimal(c.weight)),
                "min": c.min_score,
                "max": c.max_score,
                **_names(c, "name"),
            }
            for c in criteria
        ],
        "rules": ranking.rules,
        "votes": {str(a): ranking.votes[a] for a in sorted(ranking.votes or {}, key=int)},
    }
    if call.award_scheme == AwardScheme.POOL:
        data["requested"] = {str(a): requested[a] for a in sorted(requested)}
    applications = sorted((e.application for e in entries), key=lambda a: a.pk)
    data["applications"] = [
        {
            "id": a.pk,
            **_names(a, "title"),
            **{
                f"organisation_{code}": getattr(a.organisation, f"name_{code}")
                for code in LANGUAGES
            },
            "organisation_id": a.organisation.identifier,
        }
        for a in applications
    ]
    return data


def _results(
    call: Call, ranking: Ranking, entries: list[RankingEntry], awards: list[Award]
) -> dict[str, Any]:
    by_application = {a.application_id: a for a in awards}
    lines = []
    for entry in entries:
        award = by_application.get(entry.application_id)
        lines.append(
            line_data(
                application=entry.application_id,
                position=entry.position,
                tied=entry.tied,
                review_count=entry.review_count,
                score=Fraction(entry.score_exact),
                raw=Fraction(entry.raw_exact),
                calibrated=Fraction(entry.calibrated_exact) if entry.calibrated_exact else None,
                criteria={k: Fraction(v) for k, v in (entry.criterion_scores or {}).items()},
                rank_low=entry.rank_low,
                rank_high=entry.rank_high,
                band=entry.band,
                decided_by=entry.decided_by,
                spread=entry.spread,
                place=award.place if award else None,
                amount=award.amount if award else None,
                by_lot=award.by_lot if award else False,
            )
        )
    return {
        "call": call.slug,
        "published_at": _utc(call.results_published_at),
        "computed_at": _utc(ranking.computed_at),
        "method": ranking.method,
        "award_rule": ranking.award_rule,
        "centre": ranking.centre or None,
        "cut": ranking.cut,
        "seed": ranking.seed or None,
        "effects": ranking.effects or [],
        "ties": ranking.ties or [],
        "lines": lines,
    }


def _public_url(name: str, slug: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{settings.BAIQAU_BASE_URL}{reverse(name, args=[slug])}"


def _organisation(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {"id": organisation.identifier, "name": _text(organisation, "name")}
    if organisation.city:
        data["addressLocality"] = organisation.city
    data["addressCountry"] = "KZ"
    return data


def _grants(
    call: Call, organisers: list[Organisation], entries: list[RankingEntry], awards: list[Award]
) -> dict[str, Any]:
    applications: dict[int, Application] = {e.application_id: e.application for e in entries}
    published = call.results_published_at
    assert published is not None  # noqa: S101  # opendata_current_ranking checked it
    award_date = published.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()
    title = _text(call, "title")
    results_url = _public_url("publishing:call_results", call.slug)
    funders = [_organisation(o) for o in organisers]

    def grant_id(application: Application) -> str:
        return f"{settings.BAIQAU_360G_PREFIX}-{call.slug}-{application.pk}"

    monitoring = monitoring_fields(
        (applications[a.application_id] for a in awards), grant_id=grant_id
    )
    grants = []
    for award in sorted(awards, key=lambda a: (a.place, a.application_id)):
        application = applications[award.application_id]
        grant: dict[str, Any] = {
            "id": grant_id(application),
            "title": _text(application, "title"),
            "description": _text(application, "summary") or _text(application, "goal"),
            "currency": CURRENCY,
        }
        if application.requested_amount:
            grant["amountAppliedFor"] = application.requested_amount
        grant |= {
            "amountAwarded": award.amount,
            "awardDate": award_date,
            "url": results_url,
            "recipientOrganization": [_organisation(application.organisation)],
            "fundingOrganization": funders,
            "grantProgramme": [
                {
                    "code": call.slug,
                    "title": title,
                    "url": _public_url("publishing:call_detail", call.slug),
                }
            ],
            "fromOpenCall": "Yes",
        }
        grant |= monitoring.get(application.pk, {})
        grants.append(grant)
    package: dict[str, Any] = {
        "version": "1.4",
        "title": title,
        "issued": award_date,
        "grants": grants,
    }
    if organisers:
        package["publisher"] = {"name": funders[0]["name"], "identifier": funders[0]["id"]}
    return package

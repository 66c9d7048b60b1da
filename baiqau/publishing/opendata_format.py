"""The files of a call's open-data folder, without Django: the export writes them, the verifier reads.

Everything here is plain Python plus ``baiqau.domain``, so that
``python -m baiqau.publishing.verify DIR`` runs on any machine without a database
or Baiqau's settings. The export (``opendata.py``) and the verifier format values
with the same functions, so a published value and its recomputation are compared
as the same text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from baiqau.domain import results as domain

__all__ = [
    "AGE_GROUPS",
    "BENEFICIARIES",
    "CURRENCY",
    "DISABILITY_GROUPS",
    "FILES",
    "GENERATOR",
    "LANGUAGES",
    "MANIFEST",
    "SEXES",
    "beneficiaries_data",
    "decimal6",
    "effects_data",
    "fraction_text",
    "grants_csv",
    "json_file",
    "line_data",
    "manifest_data",
    "ranking_csv",
    "results_lines",
    "sha256_hex",
    "text_in_order",
    "ties_data",
    "zip_bytes",
]

MANIFEST = "manifest.json"
# Every file the folder may hold, in the order they are described to people.
FILES = (
    "grants.json",
    "grants.csv",
    "scores.json",
    "rules.json",
    "results.json",
    "ranking.csv",
    MANIFEST,
)
GENERATOR = "Baiqau"
CURRENCY = "KZT"
# One language order for every single-language field of the folder (360Giving has one
# title per grant): the official language first, as the site's default.
LANGUAGES = ("kk", "ru", "en")

# The documented extension of 360Giving data (docs/opendata.md): the people each grant's
# project reports it reached, as counts per category, summed over its accepted reports.
BENEFICIARIES = "baiqau:beneficiariesReached"
# The categories of the report form (baiqau.monitoring.models), as the extension names them.
AGE_GROUPS = ("0-17", "18-34", "35-62", "63+")
SEXES = ("f", "m")
DISABILITY_GROUPS = ("1", "2", "3", "child", "notStated")

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MILLION = 10**6


# --------------------------------------------------------------------------- values


def fraction_text(value: Fraction) -> str:
    """The exact value as "numerator/denominator", the form the ranking stores."""
    return f"{value.numerator}/{value.denominator}"


def decimal6(value: Fraction) -> str:
    """The value rounded half-to-even to six decimal places, always written with six."""
    scaled = round(value * _MILLION)
    whole, part = divmod(abs(scaled), _MILLION)
    return f"{'-' if scaled < 0 else ''}{whole}.{part:06d}"


def spread_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def text_in_order(values: Mapping[str, str]) -> str:
    """The first non-empty text in the folder's language order."""
    return next((values[code] for code in LANGUAGES if values.get(code)), "")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_file(data: Mapping[str, Any]) -> bytes:
    """Readable JSON (two-space indent, UTF-8, newline at the end); key order as built."""
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def manifest_data(call: str, files: Mapping[str, bytes]) -> dict[str, Any]:
    return {
        "call": call,
        "generator": GENERATOR,
        "files": {
            name: {"sha256": sha256_hex(data), "bytes": len(data)}
            for name, data in sorted(files.items())
            if name != MANIFEST
        },
    }


# --------------------------------------------------------------------------- results.json


def line_data(
    *,
    application: int,
    position: int,
    tied: bool,
    review_count: int,
    score: Fraction,
    raw: Fraction,
    calibrated: Fraction | None,
    criteria: Mapping[str, Fraction],
    rank_low: int,
    rank_high: int,
    band: str,
    decided_by: str,
    spread: Decimal | None,
    place: int | None,
    amount: int | None,
    by_lot: bool,
) -> dict[str, Any]:
    """One application's published result."""
    return {
        "application": application,
        "position": position,
        "tied": tied,
        "review_count": review_count,
        "score": decimal6(score),
        "score_exact": fraction_text(score),
        "raw": decimal6(raw),
        "raw_exact": fraction_text(raw),
        "calibrated": decimal6(calibrated) if calibrated is not None else None,
        "calibrated_exact": fraction_text(calibrated) if calibrated is not None else None,
        "criteria": {
            key: {"value": decimal6(value), "exact": fraction_text(value)}
            for key, value in sorted(criteria.items(), key=lambda item: _key_order(item[0]))
        },
        "rank_low": rank_low,
        "rank_high": rank_high,
        "band": band,
        "decided_by": decided_by or None,
        "spread": spread_text(spread),
        "place": place,
        "amount": amount,
        "by_lot": by_lot,
    }


def _key_order(key: str) -> tuple[int, str]:
    # Criterion keys are database ids: 10 after 9, not after 1.
    return (int(key), "") if key.isdigit() else (0, key)


def results_lines(outcome: domain.Outcome) -> list[dict[str, Any]]:
    """The lines of a recomputed outcome, in the published shape."""
    return [
        line_data(
            application=line.application_id,
            position=line.position,
            tied=line.tied,
            review_count=line.review_count,
            score=line.score,
            raw=line.raw,
            calibrated=line.calibrated,
            criteria=line.criteria,
            rank_low=line.low,
            rank_high=line.high,
            band=line.band.value,
            decided_by=line.decided_by,
            spread=line.spread,
            place=line.place,
            amount=line.amount,
            by_lot=line.by_lot,
        )
        for line in outcome.lines
    ]


def ties_data(outcome: domain.Outcome) -> list[dict[str, Any]]:
    """Every tie and how it was broken: the form ``Ranking.ties`` stores."""
    return [
        {
            "position": tie.tie.position,
            "score": fraction_text(tie.tie.score),
            "applications": list(tie.tie.application_ids),
            "steps": [
                {
                    "rule": step.rule,
                    "applied": step.applied,
                    "values": {str(a): str(v) for a, v in step.values.items()},
                    "order": [list(block) for block in step.order],
                }
                for step in tie.steps
            ],
            "order": [list(block) for block in tie.order],
            "decided_by": {str(a): rule for a, rule in tie.decided_by.items()},
        }
        for tie in outcome.tiebreak.outcomes
    ]


def effects_data(outcome: domain.Outcome) -> list[dict[str, Any]]:
    """The calibration's effect of each anonymous expert: the form ``Ranking.effects`` stores."""
    if outcome.calibration is None:
        return []
    return [
        {
            "expert": effect.expert_id,
            "reviews": effect.review_count,
            "bias": str(effect.bias),
            "scale": str(effect.scale),
            "unestimated": effect.unestimated.value if effect.unestimated else None,
        }
        for effect in outcome.calibration.experts.values()
    ]


# --------------------------------------------------------------------------- monitoring


def beneficiaries_data(
    counts: Iterable[tuple[str, str, bool, str, int]], accepted_reports: int
) -> dict[str, Any]:
    """The extension's object from (age group, sex, disability, group, count) rows.

    Each category is counted on its own (by age group, by sex, with a disability, by
    disability group), never crossed with the others: a project's crossed cells are small
    enough to point at a person, and disability status is sensitive personal data.
    """
    age = dict.fromkeys(AGE_GROUPS, 0)
    sex = dict.fromkeys(SEXES, 0)
    group = dict.fromkeys(DISABILITY_GROUPS, 0)
    total = disabled = 0
    for age_group, sex_code, disability, disability_group, count in counts:
        total += count
        age[age_group] += count
        sex[sex_code] += count
        if disability:
            disabled += count
            group[disability_group or "notStated"] += count
    return {
        "acceptedReports": accepted_reports,
        "total": total,
        "byAgeGroup": age,
        "bySex": sex,
        "withDisability": disabled,
        "byDisabilityGroup": group,
    }


# --------------------------------------------------------------------------- CSV

GRANT_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Amount Disbursed",
    "Disbursement Transaction:Transaction Date",
    "Disbursement Transaction:Value",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Actual Dates:Start Date",
    "Actual Dates:End Date",
    "Beneficiaries Reached (baiqau):Accepted Reports",
    "Beneficiaries Reached (baiqau):Total",
    *(f"Beneficiaries Reached (baiqau):Age {code}" for code in AGE_GROUPS),
    "Beneficiaries Reached (baiqau):Female",
    "Beneficiaries Reached (baiqau):Male",
    "Beneficiaries Reached (baiqau):With a Disability",
    "Beneficiaries Reached (baiqau):Disability Group I",
    "Beneficiaries Reached (baiqau):Disability Group II",
    "Beneficiaries Reached (baiqau):Disability Group III",
    "Beneficiaries Reached (baiqau):Child with a Disability",
    "Beneficiaries Reached (baiqau):Disability Group Not Stated",
)


def _text(value: str) -> str:
    # The apostrophe makes a spreadsheet show the text as text instead of running it.
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark (so that spreadsheets read Cyrillic), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def grants_csv(package: Mapping[str, Any]) -> bytes:
    """The grants flat, one row each; several co-organisers are joined with "; "."""
    rows = []
    for grant in package.get("grants", []):
        recipient = grant["recipientOrganization"][0]
        funders = grant["fundingOrganization"]
        programme = (grant.get("grantProgramme") or [{}])[0]
        rows.append(
            (
                grant["id"],
                _text(grant["title"]),
                _text(grant["description"]),
                grant["currency"],
                grant.get("amountAppliedFor"),
                grant["amountAwarded"],
                grant["awardDate"],
                recipient["id"],
                _text(recipient["name"]),
                "; ".join(f["id"] for f in funders),
                _text("; ".join(f["name"] for f in funders)),
                programme.get("code"),
                _text(programme.get("title") or ""),
                *_monitoring_cells(grant),
            )
        )
    return _csv(GRANT_COLUMNS, rows)


def _monitoring_cells(grant: Mapping[str, Any]) -> list[object]:
    """Payments, dates and beneficiaries; empty cells where grants.json has no such field."""
    payments = grant.get("disbursementTransaction") or []
    planned = (grant.get("plannedDates") or [{}])[0]
    actual = (grant.get("actualDates") or [{}])[0]
    reached = grant.get(BENEFICIARIES) or {}
    by_age, by_sex = reached.get("byAgeGroup") or {}, reached.get("bySex") or {}
    by_group = reached.get("byDisabilityGroup") or {}
    return [
        grant.get("amountDisbursed"),
        "; ".join(str(p["transactionDate"]) for p in payments),
        "; ".join(str(p["value"]) for p in payments),
        planned.get("startDate"),
        planned.get("endDate"),
        actual.get("startDate"),
        actual.get("endDate"),
        reached.get("acceptedReports"),
        reached.get("total"),
        *(by_age.get(code) for code in AGE_GROUPS),
        *(by_sex.get(code) for code in SEXES),
        reached.get("withDisability"),
        *(by_group.get(code) for code in DISABILITY_GROUPS),
    ]


def ranking_csv(results: Mapping[str, Any], rules: Mapping[str, Any]) -> bytes:
    """The published ranking as a table people can open in a spreadsheet."""
    criteria = rules["criteria"]
    applications = {a["id"]: a for a in rules["applications"]}
    header = [
        "Position",
        "Tied",
        "Application",
        "Title",
        "Organisation",
        "Organisation identifier",
        "Score",
        "Raw score",
        "Calibrated score",
        *(f"Criterion {c['key']}: {text_in_order(_names(c, 'name'))}" for c in criteria),
        "Reviews",
        "Best plausible position",
        "Worst plausible position",
        "At the line",
        "Tie broken by",
        "Disagreement",
        "Place",
        f"Amount ({CURRENCY})",
        "By lot",
    ]
    rows = []
    for line in results["lines"]:
        application = applications.get(line["application"], {})
        aggregates = line["criteria"]
        rows.append(
            [
                line["position"],
                "yes" if line["tied"] else "no",
                line["application"],
                _text(text_in_order(_names(application, "title"))),
                _text(text_in_order(_names(application, "organisation"))),
                application.get("organisation_id", ""),
                line["score"],
                line["raw"],
                line["calibrated"],
                *(aggregates.get(c["key"], {}).get("value") for c in criteria),
                line["review_count"],
                line["rank_low"],
                line["rank_high"],
                line["band"],
                line["decided_by"],
                line["spread"],
                line["place"],
                line["amount"],
                "yes" if line["by_lot"] else "no",
            ]
        )
    return _csv(header, rows)


def _names(data: Mapping[str, Any], base: str) -> dict[str, str]:
    return {code: str(data.get(f"{base}_{code}") or "") for code in LANGUAGES}


# --------------------------------------------------------------------------- zip

# 1980-01-01 is the earliest time a zip entry can carry: the archive never depends on the clock.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_bytes(files: Mapping[str, bytes], folder: str) -> bytes:
    """The folder as a zip archive, byte for byte the same for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the server runs on
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()

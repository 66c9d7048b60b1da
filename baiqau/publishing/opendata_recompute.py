"""The verifier's comparisons: the result recomputed from the folder against what it publishes.

Each check raises ``Difference`` with the first thing that is not what the
recomputation gives, named in words. No Django here (see ``verify.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from baiqau.domain import results as domain
from baiqau.domain.lottery import LotteryError
from baiqau.domain.scoring import ScoringError
from baiqau.domain.tiebreak import TieBreakError

from .opendata_format import (
    AGE_GROUPS,
    BENEFICIARIES,
    CURRENCY,
    DISABILITY_GROUPS,
    MANIFEST,
    SEXES,
    decimal6,
    effects_data,
    grants_csv,
    ranking_csv,
    results_lines,
    ties_data,
)

__all__ = [
    "Difference",
    "Folder",
    "check_awards",
    "check_draw",
    "check_results",
    "check_tables",
    "check_ties",
]


class Difference(Exception):
    """The first thing in the folder that is not what it should be."""


@dataclass
class Folder:
    path: Path
    files: dict[str, bytes] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)
    inputs: domain.Inputs | None = None
    outcome: domain.Outcome | None = None

    def json(self, name: str) -> Any:
        if name not in self.docs:
            try:
                self.docs[name] = json.loads(self.files[name].decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                raise Difference(f"{name}: not valid JSON ({error}).") from None
        return self.docs[name]


# Compared one field at a time over every application, so that the first difference named
# is the most telling one: a changed score before the positions it moved.
_FIELDS = (
    ("score", "score"),
    ("raw", "raw score"),
    ("calibrated", "calibrated score"),
    ("criteria", ""),
    ("review_count", "number of reviews"),
    ("position", "position"),
    ("tied", "tie"),
    ("decided_by", "tie broken by"),
    ("rank_low", "best plausible position"),
    ("rank_high", "worst plausible position"),
    ("band", "place at the line"),
    ("spread", "disagreement"),
)


def _compare_value(where: str, label: str, published: Any, recomputed: Any) -> None:
    if published != recomputed:
        raise Difference(f"{where}: published {label} {published}, recomputed {recomputed}")


def _compare_exact(where: str, label: str, pub: Mapping[str, Any], rec: Mapping[str, Any]) -> None:
    """Compare a value written as six decimals and as an exact fraction."""
    value, exact = pub.get("value"), pub.get("exact")
    if exact != rec["exact"]:
        try:
            shown = decimal6(Fraction(exact)) if exact is not None else None
        except (ValueError, ZeroDivisionError, TypeError):
            shown = exact
        if shown == (decimal6(Fraction(rec["exact"])) if rec["exact"] is not None else None):
            _compare_value(where, f"exact {label}", exact, rec["exact"])
        _compare_value(where, label, shown, rec["value"])
    _compare_value(where, label, value, rec["value"])


def check_results(folder: Folder) -> str:
    assert folder.inputs is not None  # noqa: S101  # set by the previous check
    try:
        folder.outcome = outcome = domain.compute_results(folder.inputs)
    except (ScoringError, TieBreakError, LotteryError, ValueError) as error:
        raise Difference(f"recomputation: the inputs cannot be ranked ({error}).") from None
    results = folder.json("results.json")
    published = {line["application"]: line for line in results["lines"]}
    recomputed = {line["application"]: line for line in results_lines(outcome)}
    unpublished = sorted(set(recomputed) - set(published))
    if unpublished:
        raise Difference(
            f"results.json: application {unpublished[0]} was scored but has no result."
        )
    unscored = sorted(set(published) - set(recomputed))
    if unscored:
        raise Difference(f"results.json: application {unscored[0]} has a result but no scores.")
    order = [line["application"] for line in results["lines"]]
    for name, label in _FIELDS:
        for app in order:
            pub, rec = published[app], recomputed[app]
            where = f"application {app}"
            if name == "criteria":
                _compare_criteria(where, pub.get("criteria") or {}, rec["criteria"])
            elif name in ("score", "raw", "calibrated"):
                pair = {"value": pub.get(name), "exact": pub.get(f"{name}_exact")}
                _compare_exact(
                    where, label, pair, {"value": rec[name], "exact": rec[f"{name}_exact"]}
                )
            else:
                _compare_value(where, label, pub.get(name), rec[name])
    rules = folder.inputs.rules
    centre = str(outcome.calibration.centre) if outcome.calibration else None
    _compare_value("results.json", "aggregation method", results.get("method"), rules.method.value)
    _compare_value("results.json", "panel centre", results.get("centre"), centre)
    _compare_value("results.json", "funding line", results.get("cut"), outcome.bands.cut)
    _compare_value("results.json", "award rule", results.get("award_rule"), outcome.rule)
    published_effects = {e.get("expert"): e for e in results.get("effects") or []}
    for effect in effects_data(outcome):
        pub = published_effects.pop(effect["expert"], {})
        for key in ("reviews", "bias", "scale", "unestimated"):
            _compare_value(f"expert {effect['expert']}", key, pub.get(key), effect[key])
    if published_effects:
        number = next(iter(published_effects))
        raise Difference(f"results.json: expert {number} has an effect but no reviews.")
    return (
        f"{len(order)} applications: scores, criteria, positions, rank intervals and bands "
        "match results.json"
    )


def _compare_criteria(where: str, pub: Mapping[str, Any], rec: Mapping[str, Any]) -> None:
    for key in sorted(set(pub) | set(rec)):
        if key not in rec:
            raise Difference(f"{where}: criterion {key} is published but was never scored.")
        _compare_exact(f"{where}, criterion {key}", "aggregate", pub.get(key) or {}, rec[key])


def check_ties(folder: Folder) -> str:
    assert folder.outcome is not None  # noqa: S101
    published = folder.json("results.json").get("ties") or []
    recomputed = ties_data(folder.outcome)
    if len(published) != len(recomputed):
        raise Difference(f"ties: {len(published)} published, {len(recomputed)} recomputed.")
    for pub, rec in zip(published, recomputed, strict=True):
        for key in ("position", "score", "applications", "steps", "order", "decided_by"):
            _compare_value(f"tie at position {rec['position']}", key, pub.get(key), rec[key])
    return f"{len(recomputed)} ties, each broken as published" if recomputed else "no ties"


def check_draw(folder: Folder) -> str:
    assert folder.outcome is not None and folder.inputs is not None  # noqa: S101
    seed = folder.outcome.seed.hex() if folder.outcome.seed else None
    _compare_value(
        "results.json", "seed of the draw", folder.json("results.json").get("seed"), seed
    )
    if seed is None:
        return "no draw: the rules publish no lottery value"
    value = folder.inputs.rules.lottery_value
    direct = hashlib.sha256(folder.files["scores.json"] + value.encode("utf-8")).hexdigest()
    _compare_value("seed", "SHA-256(scores.json ‖ lottery value)", seed, direct)
    return f"seed {seed} = SHA-256(scores.json ‖ {value!r})"


def check_awards(folder: Folder) -> str:
    assert folder.outcome is not None  # noqa: S101
    lines = {line.application_id: line for line in folder.outcome.lines}
    awarded = {a: line for a, line in lines.items() if line.amount is not None}
    for pub in folder.json("results.json")["lines"]:
        line = lines[pub["application"]]
        published = (pub.get("place"), pub.get("amount"), pub.get("by_lot"))
        if published != (line.place, line.amount, line.by_lot):
            raise Difference(
                f"application {line.application_id}: published award {_award(*published)}, "
                f"recomputed {_award(line.place, line.amount, line.by_lot)}."
            )
    if "grants.json" not in folder.files:
        if awarded:
            raise Difference(
                f"grants.json: missing, the recomputed result makes {len(awarded)} awards."
            )
        return "no awards"
    call = folder.json(MANIFEST).get("call")
    organisations = {
        a["id"]: a.get("organisation_id") for a in folder.json("rules.json")["applications"]
    }
    granted: set[int] = set()
    reported = [0, 0, 0]  # paid, payments, people reached
    for grant in folder.json("grants.json")["grants"]:
        head, _, tail = str(grant["id"]).rpartition("-")
        if not tail.isdigit() or not head.endswith(f"-{call}"):
            raise Difference(f"grants.json: grant {grant['id']} names no application of {call}.")
        app = int(tail)
        if app in granted:
            raise Difference(f"grants.json: application {app} has two grants.")
        granted.add(app)
        amount = grant["amountAwarded"]
        if grant["currency"] != CURRENCY:
            raise Difference(f"grants.json: application {app} awarded in {grant['currency']}.")
        if app not in awarded:
            raise Difference(
                f"grants.json: application {app} awarded {amount} {CURRENCY}, "
                "the recomputed result gives no award."
            )
        if amount != awarded[app].amount:
            raise Difference(
                f"grants.json: application {app} awarded {amount} {CURRENCY}, "
                f"the recomputed result gives {awarded[app].amount}."
            )
        recipient = grant["recipientOrganization"][0]["id"]
        if recipient != organisations.get(app):
            raise Difference(
                f"grants.json: application {app} goes to {recipient}, "
                f"rules.json names {organisations.get(app)}."
            )
        for n, figure in enumerate(_check_monitoring(app, grant)):
            reported[n] += figure
    ungranted = sorted(set(awarded) - granted)
    if ungranted:
        app = ungranted[0]
        raise Difference(
            f"grants.json: application {app} has no grant, the recomputed result awards "
            f"{awarded[app].amount} {CURRENCY}."
        )
    total = sum(line.amount or 0 for line in awarded.values())
    paid, payments, people = reported
    return (
        f"{len(awarded)} awards, {total} {CURRENCY} in all, match results.json and grants.json; "
        f"reported since (consistent, not recomputable): {paid} {CURRENCY} paid in {payments} "
        f"payments, {people} beneficiaries reached"
    )


def _whole(where: str, label: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Difference(f"{where}: {label} {value!r} is not a whole number 0 or more.")
    return int(value)


def _check_monitoring(app: int, grant: Mapping[str, Any]) -> tuple[int, int, int]:
    """What was reported after the award adds up: payments, and people by category.

    Payments and beneficiaries are reported by staff and organisations, not derived from the
    scores, so nothing here can be recomputed; a change to them shows only in the manifest's
    hashes, or here when the figures no longer add up.
    """
    where = f"grants.json: application {app}"
    payments = grant.get("disbursementTransaction") or []
    paid = 0
    for payment in payments:
        value = _whole(where, "payment", payment["value"])
        if payment.get("currency") != CURRENCY:
            raise Difference(f"{where}: payment {payment.get('id')} in {payment.get('currency')}.")
        if str(payment["transactionDate"]) < str(grant["awardDate"]):
            raise Difference(
                f"{where}: payment {payment.get('id')} on {payment['transactionDate']}, "
                f"before the award on {grant['awardDate']}."
            )
        paid += value
    if "amountDisbursed" in grant or payments:
        disbursed = _whole(where, "amount disbursed", grant.get("amountDisbursed"))
        if disbursed != paid:
            raise Difference(
                f"{where}: amount disbursed {disbursed} {CURRENCY}, its payments add up to "
                f"{paid} {CURRENCY}."
            )
        if disbursed > grant["amountAwarded"]:
            raise Difference(
                f"{where}: {disbursed} {CURRENCY} disbursed, more than the "
                f"{grant['amountAwarded']} {CURRENCY} awarded."
            )
    people = 0
    if BENEFICIARIES in grant:
        people = _check_beneficiaries(where, grant[BENEFICIARIES])
    return paid, len(payments), people


def _check_beneficiaries(where: str, reached: Mapping[str, Any]) -> int:
    where = f"{where}, {BENEFICIARIES}"
    total = _whole(where, "total", reached["total"])
    if _whole(where, "accepted reports", reached["acceptedReports"]) < 1:
        raise Difference(f"{where}: people reached without an accepted report.")
    parts = (
        ("byAgeGroup", "age groups", AGE_GROUPS, total),
        ("bySex", "sexes", SEXES, total),
        (
            "byDisabilityGroup",
            "disability groups",
            DISABILITY_GROUPS,
            _whole(where, "with a disability", reached["withDisability"]),
        ),
    )
    for key, label, codes, expected in parts:
        counts = reached[key]
        if sorted(counts) != sorted(codes):
            raise Difference(f"{where}: {key} names {sorted(counts)}, not {sorted(codes)}.")
        added = sum(_whole(where, f"{key} {code}", counts[code]) for code in codes)
        if added != expected:
            raise Difference(f"{where}: the {label} add up to {added}, not {expected}.")
    if reached["withDisability"] > total:
        raise Difference(f"{where}: more people with a disability than people reached.")
    return total


def _award(place: int | None, amount: int | None, by_lot: bool | None) -> str:
    if amount is None:
        return "none"
    return f"{amount} {CURRENCY} (place {place}{', by lot' if by_lot else ''})"


def check_tables(folder: Folder) -> str:
    package = folder.json("grants.json") if "grants.json" in folder.files else {"grants": []}
    expected = {
        "grants.csv": (grants_csv(package), "grants.json"),
        "ranking.csv": (
            ranking_csv(folder.json("results.json"), folder.json("rules.json")),
            "results.json and rules.json",
        ),
    }
    for name, (data, source) in expected.items():
        if data != folder.files[name]:
            written = folder.files[name].decode("utf-8", "replace").splitlines()
            wanted = data.decode("utf-8").splitlines()
            line = next(
                (n for n, (a, b) in enumerate(zip(written, wanted, strict=False), 1) if a != b),
                min(len(written), len(wanted)) + 1,
            )
            raise Difference(f"{name}: line {line} does not match {source}.")
    return "grants.csv and ranking.csv say what the JSON files say"

"""Check a call's open-data folder: its hashes, its 360Giving data, and the result recomputed.

Run it as ``baiqau verify DIR`` or, without Django, a database or Baiqau's settings,
as ``python -m baiqau.publishing.verify DIR``. It needs only the standard library
and ``baiqau.domain`` (plus ``jsonschema`` for the 360Giving schema of grants.json).

The checks run in order and stop at the first difference, which is named in words:

1. manifest: every file's SHA-256 and size as ``manifest.json`` lists them, nothing
   missing, nothing unlisted;
2. grants.json is valid 360Giving data;
3. the inputs: ``scores.json`` is canonical JSON (its bytes are what the lottery seed
   hashes), the criteria of ``rules.json`` are those of the score data, the rules read;
4. the result: ``compute_results`` on those inputs gives every published score,
   position, rank interval and band of ``results.json``;
5. the ties and how each was broken; 6. the draw's seed;
7. the awards, in ``results.json`` and ``grants.json``; and what was reported after them
   (the amounts paid, the people reached) adds up. Those figures are reported, not
   derived from the scores, so they cannot be recomputed: only the manifest vouches for them;
8. the tables: ``grants.csv`` and ``ranking.csv`` say what the JSON files say.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from baiqau.domain import results as domain
from baiqau.domain.lottery import LotteryError, canonical_json
from baiqau.domain.scoring import Criterion, Review, ScoringError, check_scores
from baiqau.domain.tiebreak import TieBreakError

from .opendata_format import MANIFEST, sha256_hex
from .opendata_recompute import (
    Difference,
    Folder,
    check_awards,
    check_draw,
    check_results,
    check_tables,
    check_ties,
)
from .opendata_schema import grants_schema_errors

__all__ = ["Check", "VerifyReport", "main", "verify_folder"]

OK_MESSAGE = "OK: the published results match the recomputation."
REQUIRED = ("scores.json", "rules.json", "results.json", "ranking.csv", "grants.csv")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"[ok]   {self.name}: {self.detail}" if self.ok else f"[FAIL] {self.detail}"


@dataclass
class VerifyReport:
    folder: Path
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def first_difference(self) -> str | None:
        return next((check.detail for check in self.checks if not check.ok), None)

    def summary(self) -> str:
        return OK_MESSAGE if self.ok else f"FAILED: {self.first_difference}"


# --------------------------------------------------------------------------- the checks


def _manifest(folder: Folder) -> str:
    path = folder.path / MANIFEST
    if not path.is_file():
        raise Difference(f"manifest: {MANIFEST} is missing from {folder.path}.")
    folder.files[MANIFEST] = path.read_bytes()
    listed = folder.json(MANIFEST).get("files")
    if not isinstance(listed, dict):
        raise Difference(f"manifest: {MANIFEST} lists no files.")
    # Hidden files (.DS_Store and the like) are a file manager's, never the export's.
    present = sorted(
        p.name for p in folder.path.iterdir() if p.name != MANIFEST and not p.name.startswith(".")
    )
    for name in sorted(listed):
        if "/" in name or "\\" in name or name.startswith(".") or name == MANIFEST:
            raise Difference(f"manifest: {name!r} is not a file name of the folder.")
        if name not in present:
            raise Difference(f"manifest: {name} is listed but missing from the folder.")
        data = (folder.path / name).read_bytes()
        entry = listed[name]
        if sha256_hex(data) != entry.get("sha256"):
            raise Difference(
                f"manifest: {name} SHA-256 differs (manifest {entry.get('sha256')}, "
                f"file {sha256_hex(data)})."
            )
        if len(data) != entry.get("bytes"):
            raise Difference(
                f"manifest: {name} has {len(data)} bytes, the manifest says {entry.get('bytes')}."
            )
        folder.files[name] = data
    for name in present:
        if name not in listed:
            raise Difference(f"manifest: {name} is in the folder but not in the manifest.")
    for name in REQUIRED:
        if name not in listed:
            raise Difference(f"manifest: {name} is missing; the folder must hold it.")
    own = sha256_hex(folder.files[MANIFEST])
    return f"{len(listed)} files, every SHA-256 and size matches (manifest SHA-256 {own})"


def _schema(folder: Folder) -> str:
    if "grants.json" not in folder.files:
        return "no grants.json (checked against the recomputed awards below)"
    package = folder.json("grants.json")
    try:
        errors = grants_schema_errors(package)
    except ImportError as error:
        raise Difference(
            f"grants.json: the 360Giving schema cannot be checked ({error}); "
            "install jsonschema, referencing and rfc3339-validator."
        ) from None
    if errors:
        raise Difference(f"grants.json: not valid 360Giving data: {errors[0]}")
    return f"valid 360Giving data, {len(package['grants'])} grants"


def _number(text: Any, what: str) -> Fraction:
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise Difference(f"{what}: {text!r} is not a decimal written as text.")
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):
        raise Difference(f"{what}: {text!r} is not a number.") from None


def _inputs(folder: Folder) -> str:
    scores, rules = folder.json("scores.json"), folder.json("rules.json")
    results = folder.json("results.json")
    calls = {MANIFEST: folder.json(MANIFEST).get("call"), "rules.json": rules.get("call")}
    calls["results.json"] = results.get("call")
    for name, call in calls.items():
        if call != calls[MANIFEST]:
            raise Difference(f"{name}: call {call!r}, the manifest says {calls[MANIFEST]!r}.")
    try:
        canonical = canonical_json(scores)
    except LotteryError as error:
        raise Difference(f"scores.json: {error}") from None
    if canonical != folder.files["scores.json"]:
        raise Difference(
            "scores.json: not in canonical JSON form, so its SHA-256 is not what the "
            "lottery seed hashes."
        )
    try:
        criteria = tuple(
            Criterion(
                key=str(c["key"]),
                weight=_number(c["weight"], f"scores.json: criterion {c['key']} weight"),
                min_score=int(c["min"]),
                max_score=int(c["max"]),
            )
            for c in scores["criteria"]
        )
        _same_criteria(scores["criteria"], rules["criteria"])
        reviews = tuple(
            Review(
                application_id=int(r["application"]),
                expert_id=int(r["expert"]),
                scores={
                    key: _number(
                        value,
                        f"scores.json: application {r['application']}, expert "
                        f"{r['expert']}, criterion {key}",
                    )
                    for key, value in r["scores"].items()
                },
            )
            for r in scores["reviews"]
        )
        for review in reviews:
            _on_the_scale(criteria, review)
    except ScoringError as error:  # a weight, scale or score the scoring code refuses
        raise Difference(f"scores.json: {error}") from None
    votes = {int(a): int(n) for a, n in (rules.get("votes") or {}).items()}
    try:
        rule_set = domain.rules_from_data(rules["rules"])
    except (ScoringError, TieBreakError, ValueError, KeyError) as error:
        raise Difference(f"rules.json: the rules cannot be read ({error}).") from None
    folder.inputs = domain.Inputs(
        criteria=criteria,
        reviews=reviews,
        rules=rule_set,
        requested={int(a): int(n) for a, n in (rules.get("requested") or {}).items()},
        votes=votes or None,
    )
    experts = len({r.expert_id for r in reviews})
    applications = len({r.application_id for r in reviews})
    return (
        f"scores.json is canonical: {len(reviews)} reviews of {applications} applications "
        f"by {experts} anonymous experts; {len(criteria)} criteria agree with rules.json"
    )


def _on_the_scale(criteria: tuple[Criterion, ...], review: Review) -> None:
    # compute_results takes any number; a published score must lie on its criterion's scale.
    try:
        check_scores(criteria, review.scores)
    except ScoringError as error:
        raise Difference(
            f"scores.json: application {review.application_id}, expert {review.expert_id}: {error}"
        ) from None


def _same_criteria(scored: list[Any], stated: list[Any]) -> None:
    stated_by_key = {str(c["key"]): c for c in stated}
    for c in scored:
        key = str(c["key"])
        if key not in stated_by_key:
            raise Difference(f"rules.json: criterion {key} of scores.json is missing.")
        for part in ("weight", "min", "max"):
            if str(stated_by_key[key][part]) != str(c[part]):
                raise Difference(
                    f"rules.json: criterion {key} has {part} {stated_by_key[key][part]}, "
                    f"scores.json has {c[part]}."
                )
    extra = sorted(set(stated_by_key) - {str(c["key"]) for c in scored})
    if extra:
        raise Difference(f"rules.json: criterion {extra[0]} is not in scores.json.")


_STEPS: tuple[tuple[str, Callable[[Folder], str]], ...] = (
    ("manifest", _manifest),
    ("360Giving", _schema),
    ("inputs", _inputs),
    ("recomputation", check_results),
    ("ties", check_ties),
    ("draw", check_draw),
    ("awards", check_awards),
    ("tables", check_tables),
)


def verify_folder(path: str | Path) -> VerifyReport:
    """Every check in turn, up to the first that fails."""
    folder = Folder(path=Path(path))
    report = VerifyReport(folder=folder.path)
    if not folder.path.is_dir():
        report.checks.append(Check("folder", False, f"{folder.path} is not a folder."))
        return report
    for name, step in _STEPS:
        try:
            detail = step(folder)
        except Difference as difference:
            report.checks.append(Check(name, False, str(difference)))
            break
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            # A file that parses but lacks a part or has the wrong shape.
            report.checks.append(Check(name, False, f"{name}: malformed data ({error!r})."))
            break
        except OSError as error:
            report.checks.append(Check(name, False, f"{name}: a file cannot be read ({error})."))
            break
        report.checks.append(Check(name, True, detail))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m baiqau.publishing.verify",
        description="Recompute a call's published results from its open-data folder "
        "(no database needed) and name the first difference.",
    )
    parser.add_argument("folder", help="the unpacked open-data folder")
    args = parser.parse_args(argv)
    report = verify_folder(args.folder)
    for check in report.checks:
        print(check)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

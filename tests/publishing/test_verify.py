"""The verifier: `baiqau verify DIR` and `python -m baiqau.publishing.verify DIR`."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baiqau.domain.lottery import canonical_json, draw
from baiqau.publishing.opendata import opendata_build
from baiqau.publishing.opendata_format import MANIFEST, json_file, manifest_data
from baiqau.publishing.verify import OK_MESSAGE, verify_folder
from baiqau.results.models import ResultRules
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import UserFactory, call_in_review_with_scores, confirm_by_vote, grant
from tests.publishing.test_opendata import build_demo_folder, published_call

# Every test, even one that only reads the demo folder: pytest-django creates the test
# database only when a selected test asks for it, and the folder is built in it.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOT = {"tie_break": ["lot"], "lottery_value": "2024-05-01 lottery 07 13 21 34 42"}


@pytest.fixture(scope="module")
def demo_files(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        return build_demo_folder(tmp_path_factory.mktemp("demo")).files


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def rehash(files: dict[str, bytes]) -> dict[str, bytes]:
    """The folder with its manifest written again, as someone covering their tracks would."""
    call = json.loads(files[MANIFEST])["call"]
    return {**files, MANIFEST: json_file(manifest_data(call, files))}


def failure(tmp_path: Path, files: dict[str, bytes]) -> str:
    report = verify_folder(write(tmp_path / "folder", files))
    assert not report.ok
    assert report.checks[-1].ok is False
    return report.first_difference


# --------------------------------------------------------------------------- passing


def test_the_demo_folder_verifies(demo_files, tmp_path):
    report = verify_folder(write(tmp_path / "folder", demo_files))
    assert report.ok, report.first_difference
    assert [c.name for c in report.checks] == [
        "manifest",
        "360Giving",
        "inputs",
        "recomputation",
        "ties",
        "draw",
        "awards",
        "tables",
    ]
    assert report.summary() == OK_MESSAGE


def test_a_tie_broken_by_lot_verifies_and_the_seed_repeats_the_draw(tmp_path):
    call = published_call([[9] * 9, [7] * 9, [7] * 9, [3] * 9], rules=LOT)
    files = opendata_build(call)
    report = verify_folder(write(tmp_path / "folder", files))
    assert report.ok, report.first_difference

    results = json.loads(files["results.json"])
    (tie,) = results["ties"]
    assert tie["position"] == 2
    assert [step["rule"] for step in tie["steps"]] == ["lot"]
    assert set(tie["decided_by"].values()) == {"lot"}
    seed = hashlib.sha256(files["scores.json"] + LOT["lottery_value"].encode()).digest()
    assert results["seed"] == seed.hex()
    order = draw(tie["applications"], seed)
    lines = {line["application"]: line for line in results["lines"]}
    assert [lines[a]["position"] for a in order] == [2, 3]
    assert [lines[a]["amount"] for a in order] == [700_000, 500_000]
    assert all(lines[a]["decided_by"] == "lot" for a in order)
    assert opendata_build(call) == files  # the same seed, the same draw, the same bytes


def test_a_grant_pool_verifies(tmp_path):
    call = published_call([[9, 9, 9], [8, 8, 8], [7, 7, 7]], pool=(1_500_000, 800_000))
    files = opendata_build(call)
    assert verify_folder(write(tmp_path / "folder", files)).ok


def test_a_call_without_awards_has_no_grants_json_and_verifies(tmp_path):
    call = published_call([[9, 9, 9], [8, 8, 8]], pool=(100_000, None))
    files = opendata_build(call)
    assert "grants.json" not in files
    assert files["grants.csv"].decode("utf-8-sig").count("\n") == 1
    assert verify_folder(write(tmp_path / "folder", files)).ok


# --------------------------------------------------------------------------- one change


def _changed_score(files, index):
    scores = json.loads(files["scores.json"])
    review = scores["reviews"][index]
    key = sorted(review["scores"])[index % len(review["scores"])]
    old = int(review["scores"][key])
    review["scores"][key] = str(old - 1 if old > 0 else old + 1)
    return {**files, "scores.json": canonical_json(scores)}, review["application"]


SCORE_PICKS = [0, 1, 52, -1]


@pytest.mark.parametrize("index", SCORE_PICKS)
def test_one_changed_score_breaks_the_manifest(demo_files, tmp_path, index):
    files, _app = _changed_score(demo_files, index)
    assert failure(tmp_path, files).startswith("manifest: scores.json SHA-256 differs")


@pytest.mark.parametrize("index", SCORE_PICKS)
def test_one_changed_score_is_found_by_the_recomputation(demo_files, tmp_path, index):
    files, app = _changed_score(demo_files, index)
    message = failure(tmp_path, rehash(files))
    assert re.fullmatch(
        rf"application {app}: published score \d+\.\d{{6}}, recomputed \d+\.\d{{6}}", message
    ), message


def _changed_weight(files, index):
    rules = json.loads(files["rules.json"])
    criterion = rules["criteria"][index]
    old = criterion["weight"]
    criterion["weight"] = str(int(old) + 5)
    return {**files, "rules.json": json_file(rules)}, criterion["key"], old, criterion["weight"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_changed_weight_breaks_the_manifest(demo_files, tmp_path, index):
    files, *_ = _changed_weight(demo_files, index)
    assert failure(tmp_path, files).startswith("manifest: rules.json SHA-256 differs")


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_changed_weight_is_named_with_its_criterion(demo_files, tmp_path, index):
    files, key, old, new = _changed_weight(demo_files, index)
    assert failure(tmp_path, rehash(files)) == (
        f"rules.json: criterion {key} has weight {new}, scores.json has {old}."
    )


def test_weights_changed_in_both_files_change_the_scores(demo_files, tmp_path):
    files, _key, _old, new = _changed_weight(demo_files, 0)
    scores = json.loads(files["scores.json"])
    scores["criteria"][0]["weight"] = new
    files["scores.json"] = canonical_json(scores)
    message = failure(tmp_path, rehash(files))
    assert re.fullmatch(r"application \d+: published score [\d.]+, recomputed [\d.]+", message)


def _changed_award(files, index):
    package = json.loads(files["grants.json"])
    grant = package["grants"][index]
    old = grant["amountAwarded"]
    grant["amountAwarded"] = old + 100_000
    app = int(grant["id"].rsplit("-", 1)[1])
    return {**files, "grants.json": json_file(package)}, app, old, grant["amountAwarded"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_changed_award_breaks_the_manifest(demo_files, tmp_path, index):
    files, *_ = _changed_award(demo_files, index)
    assert failure(tmp_path, files).startswith("manifest: grants.json SHA-256 differs")


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_changed_award_is_named_with_its_application(demo_files, tmp_path, index):
    files, app, old, new = _changed_award(demo_files, index)
    assert failure(tmp_path, rehash(files)) == (
        f"grants.json: application {app} awarded {new} KZT, the recomputed result gives {old}."
    )


def test_a_changed_published_score_is_named(demo_files, tmp_path):
    results = json.loads(demo_files["results.json"])
    line = results["lines"][4]
    published = line["score"]
    line["score"] = "99.000000"
    files = rehash({**demo_files, "results.json": json_file(results)})
    assert failure(tmp_path, files) == (
        f"application {line['application']}: published score 99.000000, recomputed {published}"
    )


def test_swapped_places_are_named(demo_files, tmp_path):
    results = json.loads(demo_files["results.json"])
    first, second = results["lines"][0], results["lines"][1]
    first["position"], second["position"] = 2, 1
    files = rehash({**demo_files, "results.json": json_file(results)})
    assert failure(tmp_path, files) == (
        f"application {first['application']}: published position 2, recomputed 1"
    )


def test_a_changed_seed_is_named(demo_files, tmp_path):
    results = json.loads(demo_files["results.json"])
    seed = results["seed"]
    results["seed"] = "0" * 64
    files = rehash({**demo_files, "results.json": json_file(results)})
    assert failure(tmp_path, files) == (
        f"results.json: published seed of the draw {'0' * 64}, recomputed {seed}"
    )


def test_a_draw_that_was_not_the_lots_is_named(tmp_path):
    call = published_call([[9] * 9, [7] * 9, [7] * 9, [3] * 9], rules=LOT)
    files = opendata_build(call)
    results = json.loads(files["results.json"])
    tie = results["ties"][0]
    tie["order"] = list(reversed(tie["order"]))
    files = rehash({**files, "results.json": json_file(results)})
    assert failure(tmp_path, files).startswith("tie at position 2: published order")


def test_an_edited_table_is_named(demo_files, tmp_path):
    text = demo_files["ranking.csv"].decode("utf-8")
    lines = text.split("\r\n")
    lines[3] = lines[3].replace(",no,", ",yes,", 1)
    files = rehash({**demo_files, "ranking.csv": "\r\n".join(lines).encode()})
    assert (
        failure(tmp_path, files)
        == "ranking.csv: line 4 does not match results.json and rules.json."
    )


def test_a_missing_file_is_named(demo_files, tmp_path):
    files = {k: v for k, v in demo_files.items() if k != "scores.json"}
    assert (
        failure(tmp_path, files) == "manifest: scores.json is listed but missing from the folder."
    )


def test_an_unlisted_file_is_named(demo_files, tmp_path):
    files = {**demo_files, "extra.json": b"{}"}
    assert (
        failure(tmp_path, files) == "manifest: extra.json is in the folder but not in the manifest."
    )


def test_a_score_outside_the_scale_is_named(demo_files, tmp_path):
    scores = json.loads(demo_files["scores.json"])
    review = scores["reviews"][0]
    key = sorted(review["scores"])[0]
    review["scores"][key] = "11"
    files = rehash({**demo_files, "scores.json": canonical_json(scores)})
    assert failure(tmp_path, files) == (
        f"scores.json: application {review['application']}, expert {review['expert']}: "
        f"The score for criterion '{key}' must be between 0 and 10; 11 is outside that range."
    )


def test_a_malformed_file_is_named_not_a_crash(demo_files, tmp_path):
    results = json.loads(demo_files["results.json"])
    del results["lines"][0]["position"]
    files = rehash({**demo_files, "results.json": json_file(results)})
    assert failure(tmp_path, files).startswith("application ")
    files = rehash({**demo_files, "rules.json": b"{not json"})
    assert failure(tmp_path, files).startswith("rules.json: not valid JSON")


def test_a_file_managers_hidden_file_is_ignored(demo_files, tmp_path):
    assert verify_folder(write(tmp_path / "folder", {**demo_files, ".DS_Store": b"x"})).ok


def test_a_pretty_printed_score_file_is_refused(demo_files, tmp_path):
    scores = json.loads(demo_files["scores.json"])
    files = rehash({**demo_files, "scores.json": json_file(scores)})
    assert failure(tmp_path, files).startswith("scores.json: not in canonical JSON form")


def test_a_folder_without_a_manifest_is_refused(demo_files, tmp_path):
    files = {k: v for k, v in demo_files.items() if k != MANIFEST}
    assert failure(tmp_path, files).startswith("manifest: manifest.json is missing")


def test_grants_json_that_breaks_the_standard_is_named(demo_files, tmp_path):
    package = json.loads(demo_files["grants.json"])
    package["grants"][0]["awardDate"] = "28.10.2021"
    files = rehash({**demo_files, "grants.json": json_file(package)})
    assert failure(tmp_path, files).startswith(
        "grants.json: not valid 360Giving data: $.grants[0].awardDate"
    )


# --------------------------------------------------------------------------- the commands


def test_the_help_names_both_ways_to_verify():
    from baiqau.publishing.management.commands.export import Command as Export
    from baiqau.publishing.management.commands.verify import Command as Verify

    for command in (Export, Verify):
        assert "python -m baiqau.publishing.verify DIR" in command.help
    assert "`baiqau verify DIR`" in Export.help


def test_verify_command_prints_each_check_and_ok(demo_files, tmp_path):
    out = io.StringIO()
    call_command("verify", str(write(tmp_path / "folder", demo_files)), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 9
    assert lines[0].startswith("[ok]   manifest: 6 files")
    assert lines[-1] == OK_MESSAGE


def test_verify_command_exits_non_zero_naming_the_first_difference(demo_files, tmp_path):
    files, app, old, new = _changed_award(demo_files, 1)
    folder = write(tmp_path / "folder", rehash(files))
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("verify", str(folder), stdout=out)
    assert error.value.returncode == 1
    assert str(error.value) == (
        f"FAILED: grants.json: application {app} awarded {new} KZT, "
        f"the recomputed result gives {old}."
    )
    assert out.getvalue().splitlines()[-1].startswith("[FAIL] grants.json")


def _without_django(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_the_verifier_runs_without_django(demo_files, tmp_path):
    folder = write(tmp_path / "folder", demo_files)
    script = (
        "import sys\n"
        "from baiqau.publishing.verify import verify_folder\n"
        f"report = verify_folder({str(folder)!r})\n"
        "assert report.ok, report.first_difference\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
        "print('no django')\n"
    )
    result = _without_django("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no django\n"


def test_python_m_verify_passes_the_demo_folder(demo_files, tmp_path):
    result = _without_django(
        "-m", "baiqau.publishing.verify", str(write(tmp_path / "f", demo_files))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == OK_MESSAGE


def test_python_m_verify_fails_naming_the_difference(demo_files, tmp_path):
    files, _app = _changed_score(demo_files, 0)
    result = _without_django("-m", "baiqau.publishing.verify", str(write(tmp_path / "f", files)))
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith(
        "FAILED: manifest: scores.json SHA-256 differs"
    )


ROWS = [
    [9, 8, 9, 7, 7, 8, 10, 9, 9],
    [6, 7, 5, 8, 6, 7, 7, 7, 6],
    [5, 5, 6, 4, 5, 5, 8, 6, 7],
    [3, 4, 2, 5, 4, 3, 6, 5, 5],
    [8, 6, 7, 9, 9, 8, 7, 8, 6],
]


@pytest.mark.parametrize(
    ("calibration", "decides"),
    [
        ("zscore", "calibrated"),
        ("least_squares", "calibrated"),
        ("least_squares_scale", "calibrated"),
        ("least_squares", "raw"),
    ],
)
def test_every_calibration_verifies(tmp_path, calibration, decides):
    rules = {
        "calibration": calibration,
        "decides": decides,
        "min_reviews": 2,
        "disagreement_threshold": Decimal("5"),
        "bootstrap_seed": 7,
    }
    files = opendata_build(published_call(ROWS, rules=rules))
    assert json.loads(files["results.json"])["effects"]
    assert any(line["spread"] for line in json.loads(files["results.json"])["lines"])
    report = verify_folder(write(tmp_path / "folder", files))
    assert report.ok, report.first_difference


def test_a_band_funded_by_lot_verifies(tmp_path):
    rules = {"partial_randomisation": True, "lottery_value": "drawn 2024-05-01", "resamples": 100}
    call = published_call(ROWS, rules=rules, pool=(2_100_000, 700_000))
    files = opendata_build(call)
    results = json.loads(files["results.json"])
    assert results["award_rule"] == "partial_randomisation_of_band"
    assert any(line["by_lot"] for line in results["lines"])
    report = verify_folder(write(tmp_path / "folder", files))
    assert report.ok, report.first_difference


def test_a_tie_broken_by_the_commissions_vote_verifies_and_the_votes_count(tmp_path):
    call = call_in_review_with_scores([[9] * 9, [7] * 9, [7] * 9, [3] * 9])
    ResultRules.objects.update_or_create(call=call, defaults={"tie_break": ["vote"]})
    second, third = call.applications.order_by("pk")[1:3]
    organiser = grant(call, UserFactory())
    ranking_compute(actor=organiser, call=call, votes={second.pk: 1, third.pk: 2})
    confirm_by_vote(call)
    call = results_publish(actor=organiser, call=call)
    files = opendata_build(call)
    assert json.loads(files["rules.json"])["votes"] == {str(second.pk): 1, str(third.pk): 2}
    assert verify_folder(write(tmp_path / "folder", files)).ok

    rules = json.loads(files["rules.json"])
    rules["votes"] = {str(second.pk): 2, str(third.pk): 1}
    message = failure(tmp_path, rehash({**files, "rules.json": json_file(rules)}))
    assert message == f"application {third.pk}: published position 2, recomputed 3"

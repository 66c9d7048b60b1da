"""Building a call's open-data folder (baiqau.publishing.opendata) and `baiqau export opendata`."""

import csv
import hashlib
import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from baiqau.calls.models import AwardScheme, Call
from baiqau.core.errors import DomainError
from baiqau.domain.lottery import canonical_json
from baiqau.domain.results import score_data
from baiqau.publishing.opendata import opendata_build
from baiqau.publishing.opendata_format import FILES, MANIFEST
from baiqau.publishing.opendata_schema import grants_schema_errors
from baiqau.results.models import Ranking, ResultRules
from baiqau.results.services import ranking_compute, results_inputs, results_publish
from baiqau.review.models import Expert, Review, Score
from tests.factories import UserFactory, call_in_review_with_scores, confirm_by_vote, grant

# Every test, even one that only reads the demo folder: pytest-django creates the test
# database only when a selected test asks for it, and the folder is built in it.
pytestmark = pytest.mark.django_db

DEMO = "almaty-social-projects"


@dataclass(frozen=True)
class DemoFolder:
    files: dict[str, bytes]
    again: dict[str, bytes]
    score_data: bytes  # canonical score data of results_inputs, built independently
    seed: str
    lottery_value: str
    organisers: list[str]
    awards: list[tuple[int, int, str]]  # (application, amount, recipient id) by place
    secrets: list[str]  # expert names and e-mail addresses


def build_demo_folder(tmp_dir) -> DemoFolder:
    """Load the demo inside a transaction that is rolled back, and keep what the tests need."""
    with override_settings(MEDIA_ROOT=tmp_dir / "private"), transaction.atomic():
        from baiqau.demo.loader import load_demo

        load_demo(log=lambda _line: None, jury=False)
        call = Call.objects.get(slug=DEMO)
        ranking = Ranking.objects.get(call=call, is_current=True)
        inputs, _numbers = results_inputs(call, None)
        experts = Expert.objects.filter(call=call).select_related("user")
        folder = DemoFolder(
            files=opendata_build(call),
            again=opendata_build(Call.objects.get(slug=DEMO)),
            score_data=canonical_json(score_data(inputs.criteria, inputs.reviews)),
            seed=ranking.seed,
            lottery_value=call.result_rules.lottery_value,
            organisers=[link.organisation.identifier for link in call.organiser_links.all()],
            awards=[
                (a.application_id, a.amount, a.application.organisation.identifier)
                for a in ranking.awards.order_by("place")
            ],
            secrets=[e.user.full_name for e in experts] + [e.user.email for e in experts],
        )
        transaction.set_rollback(True)
    return folder


@pytest.fixture(scope="module")
def demo_folder(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        return build_demo_folder(tmp_path_factory.mktemp("demo"))


def published_call(rows, *, rules=None, pool=None, requested=700_000):
    """A hand-made call whose results are computed, confirmed by vote and published."""
    call = call_in_review_with_scores(rows)
    if rules is not None:
        ResultRules.objects.update_or_create(call=call, defaults=rules)
    if pool is not None:
        call.award_scheme = AwardScheme.POOL
        call.pool_amount, call.max_per_project = pool
        call.save()
        call.prizes.all().delete()
        call.applications.update(requested_amount=requested)
    organiser = grant(call, UserFactory())
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    return results_publish(actor=organiser, call=call)


def _json(files, name):
    return json.loads(files[name])


# --------------------------------------------------------------------------- the demo folder


def test_the_folder_holds_the_seven_files(demo_folder):
    assert sorted(demo_folder.files) == sorted(FILES)


def test_grants_json_is_valid_360giving_data(demo_folder):
    package = _json(demo_folder.files, "grants.json")
    assert grants_schema_errors(package) == []
    grants = package["grants"]
    assert [
        (g["amountAwarded"], g["currency"], g["awardDate"], g["recipientOrganization"][0]["id"])
        for g in grants
    ] == [(amount, "KZT", "2021-10-28", org) for _app, amount, org in demo_folder.awards]
    assert [g["id"] for g in grants] == [
        f"360G-baiqau-{DEMO}-{app}" for app, _amount, _org in demo_folder.awards
    ]
    assert [f["id"] for f in grants[0]["fundingOrganization"]] == demo_folder.organisers
    assert all(org.startswith("KZ-BIN-") for org in demo_folder.organisers)
    assert grants[0]["grantProgramme"][0]["code"] == DEMO


def test_the_schema_check_rejects_what_360giving_rejects(demo_folder):
    package = _json(demo_folder.files, "grants.json")
    del package["grants"][0]["fundingOrganization"]
    package["grants"][1]["awardDate"] = "28.10.2021"
    errors = grants_schema_errors(package)
    assert len(errors) == 2
    assert errors[0].startswith("$.grants[0]")
    assert errors[1].startswith("$.grants[1]")


def test_scores_json_is_the_score_data_the_seed_hashes(demo_folder):
    scores = demo_folder.files["scores.json"]
    assert scores == demo_folder.score_data
    assert hashlib.sha256(scores + demo_folder.lottery_value.encode()).hexdigest() == (
        demo_folder.seed
    )
    assert _json(demo_folder.files, "results.json")["seed"] == demo_folder.seed


def test_scores_json_names_experts_by_number_only(demo_folder):
    reviews = _json(demo_folder.files, "scores.json")["reviews"]
    assert sorted({r["expert"] for r in reviews}) == [1, 2, 3, 4, 5, 6, 7]
    assert set(reviews[0]) == {"application", "expert", "scores"}


def test_two_builds_are_byte_identical(demo_folder):
    assert demo_folder.again == demo_folder.files


def test_no_expert_name_or_email_is_published(demo_folder):
    text = b"".join(demo_folder.files.values()).decode("utf-8")
    assert demo_folder.secrets
    assert [s for s in demo_folder.secrets if s in text] == []
    assert "expert_numbers" not in text


def test_the_manifest_covers_every_other_file(demo_folder):
    manifest = _json(demo_folder.files, MANIFEST)
    assert manifest["call"] == DEMO
    assert manifest["generator"] == "Baiqau"
    assert manifest["files"] == {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        for name, data in demo_folder.files.items()
        if name != MANIFEST
    }


def test_rules_json_states_criteria_rules_and_applications(demo_folder):
    rules = _json(demo_folder.files, "rules.json")
    assert [c["weight"] for c in rules["criteria"]] == ["40", "30", "30"]
    assert rules["criteria"][0]["name_en"] == "Social significance and relevance"
    assert rules["rules"]["tie_break"][1:] == ["vote", "lot"]
    assert rules["rules"]["lottery_value"] == demo_folder.lottery_value
    assert "requested" not in rules  # a prize call
    first = rules["applications"][0]
    assert first["title_en"] == "House for Independent Living"
    assert first["organisation_id"].startswith("KZ-BIN-")


def test_results_json_gives_six_decimals_and_exact_fractions(demo_folder):
    results = _json(demo_folder.files, "results.json")
    first = results["lines"][0]
    assert (first["position"], first["score"], first["score_exact"]) == (1, "89.714286", "628/7")
    assert first["criteria"]["4" if "4" in first["criteria"] else next(iter(first["criteria"]))]
    assert [line["amount"] for line in results["lines"][:4]] == [1_000_000, 700_000, 500_000, None]
    assert results["published_at"] == "2021-10-28T06:00:00Z"
    assert [e["expert"] for e in results["effects"]] == [1, 2, 3, 4, 5, 6, 7]


def test_csv_files_carry_the_same_awards_and_ranking(demo_folder):
    grants = list(csv.DictReader(io.StringIO(demo_folder.files["grants.csv"].decode("utf-8-sig"))))
    assert [(g["Amount Awarded"], g["Currency"]) for g in grants] == [
        ("1000000", "KZT"),
        ("700000", "KZT"),
        ("500000", "KZT"),
    ]
    assert grants[0]["Funding Org:Identifier"] == "; ".join(demo_folder.organisers)
    ranking = list(
        csv.DictReader(io.StringIO(demo_folder.files["ranking.csv"].decode("utf-8-sig")))
    )
    assert len(ranking) == 15
    assert (ranking[0]["Position"], ranking[0]["Score"], ranking[0]["Place"]) == (
        "1",
        "89.714286",
        "1",
    )


# --------------------------------------------------------------------------- hand-made calls


def test_results_that_are_not_published_have_no_open_data():
    call = call_in_review_with_scores([[9, 9, 9], [5, 5, 5]])
    ranking_compute(actor=UserFactory(), call=call)
    with pytest.raises(DomainError) as error:
        opendata_build(call)
    assert error.value.code == "not_published"


def test_the_grant_prefix_comes_from_the_settings(settings):
    settings.BAIQAU_360G_PREFIX = "360G-test"
    call = published_call([[9, 9, 9], [7, 7, 7], [5, 5, 5]])
    grants = json.loads(opendata_build(call)["grants.json"])["grants"]
    first = call.applications.order_by("pk").first()
    assert grants[0]["id"] == f"360G-test-{call.slug}-{first.pk}"


def test_comments_and_private_notes_are_never_published():
    experts = [
        UserFactory(full_name=f"Құпия Сарапшы {i}", email=f"hidden{i}@secret.example")
        for i in range(3)
    ]
    call = call_in_review_with_scores([[9] * 9, [7] * 9, [5] * 9], expert_users=experts)
    Review.objects.filter(application__call=call).update(
        comment_for_applicant="COMMENT-FOR-APPLICANT", note_for_commission="PRIVATE-NOTE"
    )
    Score.objects.filter(review__application__call=call).update(comment="SCORE-COMMENT")
    organiser = grant(call, UserFactory())
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    call = results_publish(actor=organiser, call=call)
    text = b"".join(opendata_build(call).values()).decode("utf-8")
    hidden = ["COMMENT-FOR-APPLICANT", "PRIVATE-NOTE", "SCORE-COMMENT", "Құпия", "secret.example"]
    assert [word for word in hidden if word in text] == []


def test_a_grant_pool_states_the_requested_amounts():
    call = published_call([[9, 9, 9], [8, 8, 8], [7, 7, 7]], pool=(1_500_000, 800_000))
    files = opendata_build(call)
    rules = json.loads(files["rules.json"])
    assert sorted(rules["requested"].values()) == [700_000] * 3
    grants = json.loads(files["grants.json"])["grants"]
    assert [(g["amountAppliedFor"], g["amountAwarded"]) for g in grants] == [(700_000, 700_000)] * 2


# --------------------------------------------------------------------------- the command


def test_export_command_writes_the_folder_and_prints_the_manifest_hash(tmp_path):
    call = published_call([[9, 9, 9], [7, 7, 7], [5, 5, 5]])
    out = io.StringIO()
    call_command(
        "export", "opendata", "--call", call.slug, "--out", str(tmp_path / "od"), stdout=out
    )
    files = {p.name: p.read_bytes() for p in (tmp_path / "od").iterdir()}
    assert files == opendata_build(call)
    manifest_hash = hashlib.sha256(files[MANIFEST]).hexdigest()
    assert f"{MANIFEST} SHA-256 {manifest_hash}" in out.getvalue()
    assert all(name in out.getvalue() for name in files)


def test_export_command_refuses_an_unknown_call(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("export", "opendata", "--call", "no-such-call", "--out", str(tmp_path))
    assert error.value.returncode == 1
    assert "no-such-call" in str(error.value)


def test_export_command_refuses_unpublished_results(tmp_path):
    call = call_in_review_with_scores([[9, 9, 9], [5, 5, 5]])
    with pytest.raises(CommandError) as error:
        call_command("export", "opendata", "--call", call.slug, "--out", str(tmp_path / "od"))
    assert error.value.returncode == 1
    assert "not published" in str(error.value)
    assert not (tmp_path / "od").exists()


def test_export_command_will_not_mix_the_folder_with_other_files(tmp_path):
    call = published_call([[9, 9, 9], [7, 7, 7], [5, 5, 5]])
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError) as error:
        call_command("export", "opendata", "--call", call.slug, "--out", str(tmp_path))
    assert "notes.txt" in str(error.value)
    assert (tmp_path / "notes.txt").read_text() == "mine"

"""What the open data says after the award: payments, dates and beneficiaries reached."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.monitoring.models import AgeGroup, Agreement, DisabilityGroup, Sex
from baiqau.monitoring.services import (
    agreement_accept,
    agreement_close,
    agreement_create,
    agreement_offer,
    report_accept,
    report_reopen,
    report_return,
    report_save_draft,
    report_submit,
    tranche_approve,
    tranche_pay,
)
from baiqau.publishing.opendata import opendata_build, opendata_cached
from baiqau.publishing.opendata_format import (
    AGE_GROUPS,
    BENEFICIARIES,
    DISABILITY_GROUPS,
    SEXES,
    beneficiaries_data,
    grants_csv,
    json_file,
)
from baiqau.publishing.opendata_schema import grants_schema_errors
from baiqau.publishing.verify import verify_folder
from tests.factories import UserFactory, grant, member_of
from tests.publishing.test_opendata import published_call
from tests.publishing.test_verify import failure, rehash, write

pytestmark = pytest.mark.django_db

ROWS = [
    # age group, sex, with a disability, disability group, count
    {"age_group": "18-34", "sex": "f", "disability": True, "disability_group": "2", "count": 5},
    {"age_group": "18-34", "sex": "m", "disability": True, "disability_group": "1", "count": 1},
    {"age_group": "35-62", "sex": "f", "disability": False, "disability_group": "", "count": 7},
    {"age_group": "63+", "sex": "m", "disability": True, "disability_group": "", "count": 2},
]
NARRATIVE = {
    "done": "DONE-TEXT Жоба аясында оқыту өтті",
    "changed": "CHANGED-TEXT Алтауы өз бетімен тұрады",
    "difficulties": "DIFFICULTIES-TEXT",
}


class Funding:
    """A published call whose winners get agreements; the staff and owners who act on them."""

    def __init__(self, winners: int = 3):
        self.call = published_call([[9, 9, 9], [8, 8, 8], [7, 7, 7], [5, 5, 5]])
        self.staff = grant(self.call, UserFactory())
        self.applications = list(
            Application.objects.filter(call=self.call, status=ApplicationStatus.AWARDED)
            .select_related("organisation")
            .order_by("pk")
        )[:winners]
        self.owners = {}
        for application in self.applications:
            self.owners[application.pk] = owner = UserFactory()
            member_of(owner, application.organisation)

    def agreement(self, application, *, accept=True) -> Agreement:
        agreement = agreement_create(actor=self.staff, application=application)
        agreement = agreement_offer(actor=self.staff, agreement=agreement)
        if accept:
            agreement = agreement_accept(actor=self.owners[application.pk], agreement=agreement)
        return agreement

    def pay(self, agreement, paid_on=None, reference="ПП № 1457"):
        tranche = agreement.tranches.order_by("position").first()
        tranche = tranche_approve(actor=self.staff, tranche=tranche)
        return tranche_pay(
            actor=self.staff,
            tranche=tranche,
            paid_on=paid_on or timezone.localdate(),
            reference=reference,
        )

    def report(self, agreement, rows=ROWS, *, accept=True):
        report = agreement.reports.order_by("due_date").first()
        owner = self.owners[agreement.application_id]
        draft = {
            **NARRATIVE,
            "indicators": {str(i.pk): "6" for i in agreement.indicators.all()},
            "beneficiaries": rows,
            "spending": {},
        }
        report = report_save_draft(actor=owner, report=report, data=draft)
        report_submit(actor=owner, report=report)
        if accept:
            report = report_accept(actor=self.staff, report=report)
        return report


def _grants(files):
    return {g["id"].rpartition("-")[2]: g for g in json.loads(files["grants.json"])["grants"]}


def _grant(files, application):
    return _grants(files)[str(application.pk)]


def _verified(tmp_path: Path, files) -> str:
    report = verify_folder(write(tmp_path / "folder", files))
    assert report.ok, report.first_difference
    return next(c.detail for c in report.checks if c.name == "awards")


# --------------------------------------------------------------------------- the export


def test_a_paid_prize_and_an_accepted_report_are_published_and_verify(tmp_path):
    funding = Funding()
    first = funding.applications[0]
    agreement = funding.agreement(first)
    today = timezone.localdate()
    funding.pay(agreement, paid_on=today)
    funding.report(agreement)
    agreement_close(actor=funding.staff, agreement=agreement)

    files = opendata_build(funding.call)
    package = json.loads(files["grants.json"])
    assert grants_schema_errors(package) == []
    published = _grant(files, first)
    assert published["amountDisbursed"] == agreement.amount == published["amountAwarded"]
    assert published["disbursementTransaction"] == [
        {
            "id": f"{published['id']}-payment-1",
            "transactionDate": today.isoformat(),
            "value": agreement.amount,
            "currency": "KZT",
        }
    ]
    due = agreement.reports.get().due_date.isoformat()
    assert published["plannedDates"] == [{"startDate": today.isoformat(), "endDate": due}]
    assert published["actualDates"] == [
        {"startDate": today.isoformat(), "endDate": today.isoformat()}
    ]
    assert published[BENEFICIARIES] == {
        "acceptedReports": 1,
        "total": 15,
        "byAgeGroup": {"0-17": 0, "18-34": 6, "35-62": 7, "63+": 2},
        "bySex": {"f": 12, "m": 3},
        "withDisability": 8,
        "byDisabilityGroup": {"1": 1, "2": 5, "3": 0, "child": 0, "notStated": 2},
    }
    detail = _verified(tmp_path, files)
    assert detail.endswith(f"{agreement.amount} KZT paid in 1 payments, 15 beneficiaries reached")


def test_the_csv_carries_the_same_payments_dates_and_counts(tmp_path):
    funding = Funding()
    first = funding.applications[0]
    agreement = funding.agreement(first)
    funding.pay(agreement)
    funding.report(agreement)
    files = opendata_build(funding.call)
    rows = {
        r["Identifier"].rpartition("-")[2]: r
        for r in csv.DictReader(io.StringIO(files["grants.csv"].decode("utf-8-sig")))
    }
    row = rows[str(first.pk)]
    reached = "Beneficiaries Reached (baiqau)"
    assert (row["Amount Disbursed"], row["Disbursement Transaction:Value"]) == (
        str(agreement.amount),
        str(agreement.amount),
    )
    assert row["Disbursement Transaction:Transaction Date"] == timezone.localdate().isoformat()
    assert (row[f"{reached}:Total"], row[f"{reached}:Female"], row[f"{reached}:Male"]) == (
        "15",
        "12",
        "3",
    )
    assert row[f"{reached}:Disability Group Not Stated"] == "2"
    assert row["Actual Dates:End Date"] == ""  # not closed yet
    others = [r for key, r in rows.items() if key != str(first.pk)]
    assert {r["Amount Disbursed"] for r in others} == {""}
    assert files["grants.csv"] == grants_csv(json.loads(files["grants.json"]))
    _verified(tmp_path, files)


def test_agreements_not_yet_accepted_publish_nothing_of_their_own():
    funding = Funding()
    before = opendata_build(funding.call)
    funding.agreement(funding.applications[0], accept=False)  # offered only
    assert opendata_build(funding.call) == before


def test_an_accepted_agreement_with_nothing_paid_says_zero_and_reports_no_one(tmp_path):
    funding = Funding()
    funding.agreement(funding.applications[0])
    files = opendata_build(funding.call)
    published = _grant(files, funding.applications[0])
    assert published["amountDisbursed"] == 0
    assert "disbursementTransaction" not in published
    assert "actualDates" not in published
    assert BENEFICIARIES not in published
    assert grants_schema_errors(json.loads(files["grants.json"])) == []
    assert _verified(tmp_path, files).endswith("0 KZT paid in 0 payments, 0 beneficiaries reached")


def test_only_accepted_versions_of_accepted_reports_count():
    funding = Funding()
    agreement = funding.agreement(funding.applications[0])
    report = funding.report(agreement, rows=[{**ROWS[0], "count": 50}], accept=False)
    assert BENEFICIARIES not in _grant(opendata_build(funding.call), funding.applications[0])

    # Returned with comments: the first version stays, the revised one is what counts.
    report = report_return(actor=funding.staff, report=report, comment="Check the numbers")
    owner = funding.owners[agreement.application_id]
    report = report_save_draft(
        actor=owner, report=report, data={**report.draft, "beneficiaries": ROWS}
    )
    report_submit(actor=owner, report=report)
    report = report_accept(actor=funding.staff, report=report)
    assert report.versions.count() == 2
    assert (
        _grant(opendata_build(funding.call), funding.applications[0])[BENEFICIARIES]["total"] == 15
    )

    report_reopen(actor=funding.staff, report=report, reason="Counted twice")
    assert BENEFICIARIES not in _grant(opendata_build(funding.call), funding.applications[0])


def test_beneficiaries_are_counts_by_category_and_no_report_text_is_published():
    funding = Funding()
    agreement = funding.agreement(funding.applications[0])
    funding.pay(agreement, reference="ПП-SECRET-REF")
    funding.report(agreement)
    files = opendata_build(funding.call)
    reached = _grant(files, funding.applications[0])[BENEFICIARIES]
    assert set(reached) == {
        "acceptedReports",
        "total",
        "byAgeGroup",
        "bySex",
        "withDisability",
        "byDisabilityGroup",
    }
    # One level of categories, each a whole number: no list, no crossed cells, no person.
    for value in reached.values():
        counts = value.values() if isinstance(value, dict) else [value]
        assert all(isinstance(n, int) for n in counts)
    text = b"".join(files.values()).decode("utf-8")
    hidden = [*NARRATIVE.values(), "ПП-SECRET-REF", funding.staff.email]
    hidden += [owner.email for owner in funding.owners.values()]
    hidden += [owner.full_name for owner in funding.owners.values() if owner.full_name]
    assert [word for word in hidden if word in text] == []


def test_two_builds_with_monitoring_are_byte_identical():
    funding = Funding()
    for application in funding.applications:
        agreement = funding.agreement(application)
        funding.pay(agreement)
        funding.report(agreement)
    assert opendata_build(funding.call) == opendata_build(funding.call)


def test_the_categories_are_those_of_the_report_form():
    assert list(AGE_GROUPS) == AgeGroup.values
    assert list(SEXES) == Sex.values
    assert list(DISABILITY_GROUPS) == [
        *(g for g in DisabilityGroup.values if g),
        "notStated",
    ]


def test_beneficiaries_data_counts_each_category_on_its_own():
    data = beneficiaries_data(
        [("0-17", "f", True, "child", 3), ("63+", "m", False, "", 4), ("0-17", "f", True, "", 1)],
        accepted_reports=2,
    )
    assert data == {
        "acceptedReports": 2,
        "total": 8,
        "byAgeGroup": {"0-17": 4, "18-34": 0, "35-62": 0, "63+": 4},
        "bySex": {"f": 4, "m": 4},
        "withDisability": 4,
        "byDisabilityGroup": {"1": 0, "2": 0, "3": 0, "child": 3, "notStated": 1},
    }


# --------------------------------------------------------------------------- the verifier


@pytest.fixture
def paid_files():
    funding = Funding(winners=2)
    for application in funding.applications:
        agreement = funding.agreement(application)
        funding.pay(agreement)
        funding.report(agreement)
    return funding, opendata_build(funding.call)


def _tampered(files, change, *, csv_too=True):
    package = json.loads(files["grants.json"])
    change(package["grants"][0])
    changed = {**files, "grants.json": json_file(package)}
    if csv_too:  # someone covering their tracks writes the table again too
        changed["grants.csv"] = grants_csv(package)
    return rehash(changed)


def test_a_changed_paid_amount_is_caught_when_it_no_longer_adds_up(paid_files, tmp_path):
    _funding, files = paid_files

    def more(grant):
        grant["amountDisbursed"] -= 100_000

    assert "payments add up to" in failure(tmp_path, _tampered(files, more))


def test_a_changed_payment_that_still_adds_up_cannot_be_recomputed(paid_files, tmp_path):
    """Payments are reported, not derived from the scores: only the manifest vouches for
    them. A folder rewritten consistently, manifest included, still verifies."""
    _funding, files = paid_files

    def less(grant):
        grant["amountDisbursed"] -= 100_000
        grant["disbursementTransaction"][0]["value"] -= 100_000

    assert verify_folder(write(tmp_path / "folder", _tampered(files, less))).ok
    # Without a new manifest, the changed bytes are caught.
    package = json.loads(files["grants.json"])
    less(package["grants"][0])
    changed = {**files, "grants.json": json_file(package)}
    assert failure(tmp_path / "b", changed).startswith("manifest: grants.json SHA-256 differs")


def test_a_payment_beyond_the_award_is_caught(paid_files, tmp_path):
    _funding, files = paid_files

    def double(grant):
        grant["amountDisbursed"] *= 2
        grant["disbursementTransaction"][0]["value"] *= 2

    assert "more than the" in failure(tmp_path, _tampered(files, double))


def test_a_payment_before_the_award_is_caught(paid_files, tmp_path):
    _funding, files = paid_files

    def early(grant):
        grant["disbursementTransaction"][0]["transactionDate"] = "2001-01-01"

    assert "before the award" in failure(tmp_path, _tampered(files, early))


def test_beneficiary_counts_that_do_not_add_up_are_caught(paid_files, tmp_path):
    _funding, files = paid_files

    def inflate(grant):
        grant[BENEFICIARIES]["total"] += 100

    assert "add up to 15, not 115" in failure(tmp_path, _tampered(files, inflate))

    def unknown(grant):
        grant[BENEFICIARIES]["bySex"]["x"] = 0

    assert "bySex names" in failure(tmp_path / "b", _tampered(files, unknown))


def test_a_csv_not_matching_the_payments_is_caught(paid_files, tmp_path):
    _funding, files = paid_files

    def more(grant):
        grant["amountDisbursed"] -= 1

    package = json.loads(files["grants.json"])
    more(package["grants"][0])
    changed = rehash({**files, "grants.csv": grants_csv(package)})
    assert failure(tmp_path, changed) == "grants.csv: line 2 does not match grants.json."


# --------------------------------------------------------------------------- the cache


def test_the_cached_folder_changes_when_a_payment_or_report_does():
    cache.clear()
    funding = Funding()
    application = funding.applications[0]
    agreement = funding.agreement(application)
    assert _grant(opendata_cached(funding.call), application)["amountDisbursed"] == 0
    funding.pay(agreement)
    assert _grant(opendata_cached(funding.call), application)["amountDisbursed"] == (
        agreement.amount
    )
    assert BENEFICIARIES not in _grant(opendata_cached(funding.call), application)
    funding.report(agreement)
    assert _grant(opendata_cached(funding.call), application)[BENEFICIARIES]["total"] == 15
    # Another call's payments leave this call's key alone: the folder still comes from
    # the cache, in the one query that reads the key (a rebuild costs a dozen).
    other = Funding(winners=1)
    other.pay(other.agreement(other.applications[0]))
    with CaptureQueriesContext(connection) as queries:
        opendata_cached(funding.call)
    assert len(queries) == 1


def test_a_cached_folder_costs_one_query_with_agreements():
    cache.clear()
    funding = Funding()
    for application in funding.applications:
        funding.pay(funding.agreement(application))
    opendata_cached(funding.call)
    with CaptureQueriesContext(connection) as queries:
        opendata_cached(funding.call)
    assert len(queries) == 1


def _queries_to_build(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        opendata_build(call)
    return len(queries)


@pytest.mark.parametrize("winners", [1, 3])
def test_building_with_agreements_costs_a_fixed_number_of_queries(winners):
    funding = Funding(winners=winners)
    without = _queries_to_build(funding.call)
    for application in funding.applications:
        agreement = funding.agreement(application)
        funding.pay(agreement)
        funding.report(agreement)
    # The agreements come with the ranking's entries; then tranches, reports, beneficiaries.
    assert _queries_to_build(funding.call) == without + 3


def test_a_grant_gains_only_the_documented_fields():
    # Indicators are the project's own measures, not 360Giving fields: they stay in the
    # impact view; the grant gains exactly the fields docs/opendata.md describes.
    funding = Funding(winners=1)
    before = set(_grant(opendata_build(funding.call), funding.applications[0]))
    agreement = funding.agreement(funding.applications[0])
    funding.pay(agreement)
    funding.report(agreement)
    agreement_close(actor=funding.staff, agreement=agreement)
    published = _grant(opendata_build(funding.call), funding.applications[0])
    assert set(published) - before == {
        "amountDisbursed",
        "disbursementTransaction",
        "plannedDates",
        "actualDates",
        BENEFICIARIES,
    }

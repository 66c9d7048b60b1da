"""The demo after the award: the seed contest's winners are funded, paid and report back."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_verify
from baiqau.demo import data
from baiqau.demo.monitoring import OUTCOMES
from baiqau.monitoring.models import (
    Agreement,
    AgreementStatus,
    BeneficiaryCount,
    IndicatorValue,
    Report,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheStatus,
)
from baiqau.organisations.models import Membership, MembershipRole
from baiqau.publishing.opendata import opendata_build
from baiqau.publishing.opendata_format import BENEFICIARIES
from baiqau.publishing.opendata_schema import grants_schema_errors
from baiqau.publishing.verify import verify_folder
from baiqau.results.models import Ranking

pytestmark = pytest.mark.django_db

WINNER_AMOUNTS = [1_000_000, 700_000, 500_000]


def _agreements(call):
    places = {
        a.application_id: a.place
        for a in Ranking.objects.get(call=call, is_current=True).awards.all()
    }
    agreements = Agreement.objects.filter(call=call).select_related(
        "application__organisation", "accepted_by"
    )
    return sorted(agreements, key=lambda a: places[a.application_id])


def test_the_three_winners_accepted_their_agreements_and_they_are_closed(demo):
    agreements = _agreements(demo.call)
    assert [(a.amount, a.status) for a in agreements] == [
        (amount, AgreementStatus.CLOSED) for amount in WINNER_AMOUNTS
    ]
    for agreement in agreements:
        owner = Membership.objects.get(
            organisation=agreement.application.organisation, user=agreement.accepted_by
        )
        assert owner.role == MembershipRole.OWNER
        assert agreement.language == agreement.application.language
        assert agreement.purpose == getattr(agreement.application, f"goal_{agreement.language}")
        assert (
            agreement.created_at
            < agreement.accepted_at
            < agreement.closed_at
            < data.at("2022-12-31T00:00")
        )
    assert [a.application.language for a in agreements] == ["kk", "ru", "kk"]


def test_one_prize_each_was_paid_two_million_two_hundred_thousand_in_all(demo):
    tranches = Tranche.objects.filter(agreement__call=demo.call)
    assert tranches.count() == 3
    assert set(tranches.values_list("status", flat=True)) == {TrancheStatus.PAID}
    assert tranches.aggregate(total=Sum("amount"))["total"] == 2_200_000
    assert sorted(tranches.values_list("reference", flat=True)) == [o.payment for o in OUTCOMES]
    assert set(tranches.values_list("paid_on", flat=True)) == {date(2021, 11, 26)}


def test_each_winner_has_an_accepted_final_report_with_real_figures(demo):
    reports = Report.objects.filter(agreement__call=demo.call).select_related("accepted_version")
    assert [(r.kind, r.status) for r in reports] == [(ReportKind.FINAL, ReportStatus.ACCEPTED)] * 3
    assert all(r.accepted_version is not None for r in reports)
    counts = BeneficiaryCount.objects.filter(version__report__agreement__call=demo.call)
    total = counts.aggregate(total=Sum("count"))["total"]
    assert total == sum(r.accepted_version.beneficiaries_total for r in reports) == 377
    house = _agreements(demo.call)[0]
    moved = IndicatorValue.objects.get(
        version__report__agreement=house,
        indicator__name="Сүйемелдеумен өз бетімен тұруға көшкен ересектер",
    )
    assert (moved.value, moved.indicator.target, moved.indicator.unit) == (
        Decimal(6),
        Decimal(8),
        "адам",
    )
    # The "people reached" indicator of each project equals the people it counted.
    for agreement, outcome in zip(_agreements(demo.call), OUTCOMES, strict=True):
        reached = IndicatorValue.objects.get(
            version__report__agreement=agreement,
            indicator__position=0,  # "people reached" comes first, as the impact view reads it
        )
        assert reached.value == sum(row[-1] for row in outcome.beneficiaries)


def test_every_monitoring_step_is_audited_and_the_chain_verifies(demo):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "agreement.created",
        "agreement.updated",
        "agreement.offer",
        "agreement.accept",
        "tranche.approve",
        "tranche.pay",
        "report.submit",
        "report.accept",
        "agreement.close",
    } <= actions
    assert audit_verify().ok


def test_the_seed_calls_open_data_carries_the_payments_and_verifies(demo, tmp_path):
    files = opendata_build(demo.call)
    package = json.loads(files["grants.json"])
    assert grants_schema_errors(package) == []
    grants = package["grants"]
    assert [(g["amountAwarded"], g["amountDisbursed"]) for g in grants] == [
        (amount, amount) for amount in WINNER_AMOUNTS
    ]
    assert [g["disbursementTransaction"][0]["transactionDate"] for g in grants] == [
        "2021-11-26"
    ] * 3
    assert [g[BENEFICIARIES]["total"] for g in grants] == [24, 131, 222]
    assert [g["actualDates"][0]["endDate"] for g in grants] == [
        "2022-06-20",
        "2022-06-21",
        "2022-06-22",
    ]
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    report = verify_folder(folder)
    assert report.ok, report.first_difference
    awards = next(c.detail for c in report.checks if c.name == "awards")
    assert "2200000 KZT paid in 3 payments, 377 beneficiaries reached" in awards


def test_loading_the_demo_again_adds_no_agreement_or_payment(demo):
    from baiqau.demo.loader import load_demo

    before = (Agreement.objects.count(), Tranche.objects.count(), AuditEvent.objects.count())
    report = load_demo(log=lambda _line: None, jury=False)
    assert report.created is False
    assert (
        Agreement.objects.count(),
        Tranche.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_results_with_accepted_agreements_cannot_be_reopened(demo):
    from baiqau.core.errors import DomainError
    from baiqau.results.services import results_reopen

    with pytest.raises(DomainError) as error:
        results_reopen(actor=demo.call.created_by, call=demo.call, reason="a correction")
    assert error.value.code == "agreements"

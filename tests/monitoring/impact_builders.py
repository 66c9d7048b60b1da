"""Builders for the tests of the impact view: funded projects made through the services.

`funded_call(n)` runs a call through the real pipeline (scores, ranking, the commission's vote,
published results) so that every application is awarded; each gets its agreement from
`agreement_create` (a grant: 60 % tranche, interim report, 40 % tranche on the interim report,
final report), offered and accepted by the organisation's owner. Reports are written, submitted,
returned and accepted with the services too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from baiqau.applications.models import Application
from baiqau.calls.models import AwardScheme, Call, Prize
from baiqau.monitoring.models import Agreement, Report, ReportKind, Tranche
from baiqau.monitoring.services import (
    agreement_accept,
    agreement_close,
    agreement_create,
    agreement_offer,
    report_accept,
    report_return,
    report_save_draft,
    report_submit,
    tranche_approve,
    tranche_pay,
    tranche_withhold,
)
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import (
    UserFactory,
    call_in_review_with_scores,
    confirm_by_vote,
    grant,
    member_of,
)
from tests.workspace.results_builders import distinct_rows

AMOUNT = 1_000_000
KAZAKH_SUMMARY = "Жоба {n}: мүмкіндігі шектеулі жандарға өз бетінше өмір сүруге көмек."
# A category row: (age group, sex, with a disability, disability group, count).
Row = tuple[str, str, bool, str, int]


@dataclass
class Funded:
    call: Call
    organiser: Any
    owners: list[Any]
    agreements: list[Agreement]

    def reports(self, index: int) -> list[Report]:
        return list(self.agreements[index].reports.order_by("due_date", "position"))

    def tranches(self, index: int) -> list[Tranche]:
        return list(self.agreements[index].tranches.order_by("position"))


def funded_call(
    count: int = 3,
    *,
    scheme: str = AwardScheme.POOL,
    targets: list[int] | None = None,
    accept: bool = True,
    slug: str = "",
) -> Funded:
    """A call with published results whose `count` applications (up to 33) are all funded."""
    call = call_in_review_with_scores(distinct_rows(count))
    if slug:
        Call.objects.filter(pk=call.pk).update(slug=slug)
    Prize.objects.filter(call=call).delete()
    if scheme == AwardScheme.POOL:
        Call.objects.filter(pk=call.pk).update(
            award_scheme=AwardScheme.POOL, pool_amount=count * AMOUNT, max_per_project=AMOUNT
        )
    else:
        Prize.objects.bulk_create(
            Prize(call=call, place=i, amount=AMOUNT - 10_000 * i) for i in range(1, count + 1)
        )
    call.refresh_from_db()
    applications = list(call.applications.order_by("pk"))
    for i, application in enumerate(applications):
        application.requested_amount = AMOUNT
        application.beneficiaries_count = targets[i] if targets else 40 + i
        application.summary_kk = KAZAKH_SUMMARY.format(n=i + 1)
        application.save(update_fields=["requested_amount", "beneficiaries_count", "summary_kk"])
    organiser = grant(call, UserFactory(full_name="Ұйымдастырушы"), "organiser")
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    results_publish(actor=organiser, call=call)
    call.refresh_from_db()
    owners, agreements = [], []
    for i, application in enumerate(Application.objects.filter(call=call).order_by("pk")):
        owner = UserFactory(full_name=f"Owner {i}")
        member_of(owner, application.organisation)
        agreement = agreement_create(actor=organiser, application=application)
        if accept:
            agreement_offer(actor=organiser, agreement=agreement)
            agreement = agreement_accept(actor=owner, agreement=agreement)
        owners.append(owner)
        agreements.append(agreement)
    return Funded(call=call, organiser=organiser, owners=owners, agreements=agreements)


def row(age: str = "18-34", sex: str = "f", group: str | None = None, count: int = 1) -> Row:
    """A category row; `group` given means "with a disability" ("" for a group not stated)."""
    return (age, sex, group is not None, group or "", count)


def submit(
    report: Report,
    owner: Any,
    rows: list[Row],
    *,
    values: dict[int, str] | None = None,
    changed: str = "Адамдар өз бетінше тұра бастады.",
) -> Report:
    """The organisation writes the report (every indicator given, default 10) and submits it."""
    indicators = values or {i.pk: "10" for i in report.agreement.indicators.all()}
    data = {
        "done": "Сабақтар өтті.",
        "changed": changed,
        "difficulties": "",
        "indicators": {str(pk): value for pk, value in indicators.items()},
        "beneficiaries": [
            {
                "age_group": age,
                "sex": sex,
                "disability": disability,
                "disability_group": group,
                "count": count,
            }
            for age, sex, disability, group, count in rows
        ],
        "spending": {},
    }
    report_save_draft(actor=owner, report=report, data=data)
    report_submit(actor=owner, report=report)
    report.refresh_from_db()
    return report


def accepted(report: Report, owner: Any, organiser: Any, rows: list[Row], **kwargs: Any) -> Report:
    submit(report, owner, rows, **kwargs)
    return report_accept(actor=organiser, report=report)


def returned(report: Report, owner: Any, organiser: Any, rows: list[Row], **kwargs: Any) -> Report:
    submit(report, owner, rows, **kwargs)
    return report_return(actor=organiser, report=report, comment="Санын тексеріңіз.")


def pay(tranche: Tranche, organiser: Any, when: Any) -> Tranche:
    tranche = tranche_approve(actor=organiser, tranche=tranche)
    return tranche_pay(actor=organiser, tranche=tranche, paid_on=when, reference="ПП-1")


def withhold(tranche: Tranche, organiser: Any) -> Tranche:
    return tranche_withhold(actor=organiser, tranche=tranche, reason="Есеп қабылданбады.")


def complete(funded: Funded, index: int, rows: list[Row], when: Any) -> Agreement:
    """Every report accepted (the same rows each), every tranche paid, the agreement closed."""
    owner, organiser = funded.owners[index], funded.organiser
    for report in funded.reports(index):
        changed = (
            "Түпкілікті: 12 адам өз бетінше тұрады." if report.kind == ReportKind.FINAL else ""
        )
        accepted(report, owner, organiser, rows, **({"changed": changed} if changed else {}))
    for tranche in funded.tranches(index):
        pay(tranche, organiser, when)
    return agreement_close(actor=organiser, agreement=funded.agreements[index])


def rich(funded: Funded, when: Any) -> None:
    """Every shape a page shows, on each project: an interim report returned then accepted, the
    first tranche paid, the second withheld; the final report accepted on every other project."""
    for i, owner in enumerate(funded.owners):
        interim, final = funded.reports(i)
        first, second = funded.tranches(i)
        returned(interim, owner, funded.organiser, [row(count=9)])
        accepted(interim, owner, funded.organiser, [row(count=4), row("0-17", "m", "child", 2)])
        pay(first, funded.organiser, when)
        withhold(second, funded.organiser)
        if i % 2 == 0:
            accepted(final, owner, funded.organiser, [row("35-62", "f", "2", 3)])


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)

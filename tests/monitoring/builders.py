"""Funded projects for the monitoring tests: a grant call with published results, the awarded
applications' agreements offered (or accepted), and a cast of people around them.

The call is a grant pool (two tranches, the second conditioned on the interim report; an
interim and a final report). Our organisation has an owner and a member; another funded
organisation has its own owner; the call's organiser drafted and offered the agreements.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation

from baiqau.applications.models import Application, BudgetLine
from baiqau.calls.models import AwardScheme, Call
from baiqau.monitoring.models import Agreement, Report, ReportKind
from baiqau.monitoring.services import (
    agreement_accept,
    agreement_create,
    agreement_offer,
    report_save_draft,
    report_submit,
)
from baiqau.organisations.models import Membership, Organisation
from baiqau.results.services import ranking_compute, results_publish
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    call_in_review_with_scores,
    confirm_by_vote,
    grant,
)

PURPOSE = "Мүмкіндігі шектеулі жастарды өз бетінше өмір сүруге дайындау (ә ғ қ ң ө ұ ү һ і)"
AMOUNT = 600_000
LINE_COSTS = (250_000, 150_000, 100_000, 60_000, 40_000)

PERSONAS = ["owner", "member", "other_org", "no_org", "staff", "anonymous"]


@dataclass
class Funded:
    call: Call
    organiser: Any
    owner: Any
    member: Any
    other_owner: Any
    no_org: Any
    organisation: Organisation
    agreements: list[Agreement]
    other: Agreement
    people: dict[str, Any] = field(default_factory=dict)

    @property
    def agreement(self) -> Agreement:
        return self.agreements[0]

    def report(self, kind: str = ReportKind.INTERIM, agreement: Agreement | None = None) -> Report:
        return (agreement or self.agreement).reports.get(kind=kind)

    def user(self, persona: str) -> Any:
        return {
            "owner": self.owner,
            "member": self.member,
            "other_org": self.other_owner,
            "no_org": self.no_org,
            "staff": self.organiser,
            "anonymous": None,
        }[persona]


def _budget(application: Application, lines: int) -> None:
    costs = [LINE_COSTS[i % len(LINE_COSTS)] for i in range(lines)]
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, position=i, item=f"Шығын {i + 1}", unit_cost=cost)
        for i, cost in enumerate(costs)
    )
    application.requested_amount = sum(costs)
    application.save(update_fields=["requested_amount"])


def funded(
    *,
    projects: int = 1,
    lines: int = 2,
    accept: bool = False,
    language: str = "kk",
    ask_disability_group: bool = True,
) -> Funded:
    """``projects`` funded projects of our organisation plus one of another organisation."""
    count = projects + 1
    # Three commission members; the applications rank in order, none tied.
    rows = [[9 - i % 9] * 9 for i in range(count)]
    call = call_in_review_with_scores(rows)
    Call.objects.filter(pk=call.pk).update(
        award_scheme=AwardScheme.POOL, pool_amount=AMOUNT * count * 2, max_per_project=AMOUNT * 2
    )
    call.refresh_from_db()
    organisation = OrganisationFactory()
    owner = UserFactory(full_name="Әсем Ұйымова", preferred_language=language)
    member = UserFactory(full_name="Member of the organisation")
    other_owner = UserFactory(full_name="Owner of another organisation")
    no_org = UserFactory(full_name="Applicant without organisation")
    Membership.objects.create(organisation=organisation, user=owner, role="owner")
    Membership.objects.create(organisation=organisation, user=member, role="member")
    applications = list(call.applications.order_by("pk"))
    ours, theirs = applications[:projects], applications[projects]
    Membership.objects.create(organisation=theirs.organisation, user=other_owner, role="owner")
    for application in ours:
        application.organisation = organisation
        application.created_by = owner
    for application in applications:
        application.language = language
        application.goal_kk = PURPOSE
        application.goal_ru = "Подготовка молодых людей с инвалидностью к самостоятельной жизни"
        application.beneficiaries_count = 40
        application.save()
        _budget(application, lines if application in ours else 1)
    theirs.created_by = other_owner
    theirs.save(update_fields=["created_by"])
    organiser = grant(call, UserFactory(full_name="Organiser of the call"))
    ranking_compute(actor=organiser, call=call)
    confirm_by_vote(call)
    results_publish(actor=organiser, call=call)
    agreements = []
    for application in applications:
        agreement = agreement_create(actor=organiser, application=application)
        agreement_offer(actor=organiser, agreement=agreement)
        agreements.append(agreement)
    from baiqau.monitoring.services import monitoring_for

    settings = monitoring_for(call)
    settings.ask_disability_group = ask_disability_group
    settings.save()
    result = Funded(
        call=call,
        organiser=organiser,
        owner=owner,
        member=member,
        other_owner=other_owner,
        no_org=no_org,
        organisation=organisation,
        agreements=agreements[:projects],
        other=agreements[projects],
    )
    if accept:
        for agreement in [*result.agreements, result.other]:
            accepter = owner if agreement in result.agreements else other_owner
            agreement_accept(actor=accepter, agreement=agreement)
    for agreement in [*result.agreements, result.other]:
        agreement.refresh_from_db()
    return result


def complete_data(report: Report, **overrides: Any) -> dict[str, Any]:
    """A draft (in the service's JSON format) that submits without errors."""
    agreement = report.agreement
    data: dict[str, Any] = {
        "done": "Оқу үйінде 12 жаттығу өткізілді.",
        "changed": "Бес жас өз бетінше тұра бастады.",
        "difficulties": "",
        "indicators": {str(i.pk): "12" for i in agreement.indicators.all()},
        "beneficiaries": [
            {
                "age_group": "18-34",
                "sex": "f",
                "disability": True,
                "disability_group": "2",
                "count": 5,
            },
            {
                "age_group": "18-34",
                "sex": "m",
                "disability": False,
                "disability_group": "",
                "count": 7,
            },
        ],
        "spending": {
            str(line.pk): {"spent": line.requested, "explanation": ""}
            for line in agreement.application.budget_lines.all()
        },
    }
    data.update(overrides)
    return data


def submit(report: Report, actor: Any, **overrides: Any) -> Any:
    report.refresh_from_db()
    report = report_save_draft(
        actor=actor,
        report=report,
        data=complete_data(report, **overrides),
        version=report.draft_version,
    )
    return report_submit(actor=actor, report=report, version=report.draft_version)


# URLs ---------------------------------------------------------------------------------------


def url(name: str, *args: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"monitoring:{name}", args=args)


# Reading a PDF back -------------------------------------------------------------------------


def pdf_text(document: bytes, tmp_path: Path, name: str = "agreement") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(document)
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(re.sub("\u2010\\s+", "", result.stdout.decode("utf-8")).split())


def form_data(report: Report, *, version: int | None = None, **overrides: Any) -> dict[str, Any]:
    """What a person types into the report form: complete, unless overridden."""
    agreement = report.agreement
    data: dict[str, Any] = {
        "draft_version": report.draft_version if version is None else version,
        "done": "Оқу үйінде 12 жаттығу өткізілді.",
        "changed": "Бес жас өз бетінше тұра бастады.",
        "difficulties": "",
        # Young people (18–34): 5 women with disability group II, 7 men without disability.
        "ben-1-f-g2": "5",
        "ben-1-m-no": "7",
    }
    for indicator in agreement.indicators.all():
        data[f"indicator-{indicator.pk}"] = "12"
    for line in agreement.application.budget_lines.all():
        data[f"spent-{line.pk}"] = str(line.requested)
        data[f"explanation-{line.pk}"] = ""
    data.update(overrides)
    return data

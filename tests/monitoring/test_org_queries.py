"""The organisation's pages cost a fixed number of queries, whatever the number of
agreements, budget lines or beneficiary categories.

Of each count, five queries are the page frame's: the session, the person, their unread
notifications and the two menu checks (workspace, reviews).
"""

from __future__ import annotations

import pytest

from tests.monitoring.builders import funded, submit, url

pytestmark = pytest.mark.django_db

SIZES = [1, 10]


@pytest.mark.parametrize("n", SIZES)
def test_the_projects_list_costs_the_same_for_1_or_10_agreements(
    client, django_assert_num_queries, n
):
    project = funded(projects=n)
    client.force_login(project.member)
    # + the agreements with their calls and applications, + all their reports
    with django_assert_num_queries(7):
        response = client.get(url("projects"))
    assert response.content.decode().count('<th scope="row"><a href=') == n


@pytest.mark.parametrize("n", SIZES)
def test_the_agreement_page_costs_the_same_for_1_or_10_agreements(
    client, django_assert_num_queries, n
):
    project = funded(projects=n, accept=True)
    client.force_login(project.owner)
    # + the agreement, tranches, accepted indicator values, organisers, role, reports,
    # indicators
    with django_assert_num_queries(12):
        assert client.get(url("agreement", project.agreement.pk)).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_the_report_form_costs_the_same_for_1_or_10_budget_lines(
    client, django_assert_num_queries, n
):
    project = funded(lines=n, accept=True)
    report = project.report()
    client.force_login(project.owner)
    # + the report, indicators, budget lines, monitoring settings, versions, files
    with django_assert_num_queries(11):
        response = client.get(url("report", project.agreement.pk, report.pk))
    assert response.content.decode().count('name="spent-') == n


@pytest.mark.parametrize("n", SIZES)
def test_a_submitted_report_and_its_version_cost_the_same_for_1_or_10_budget_lines(
    client, django_assert_num_queries, n
):
    project = funded(lines=n, accept=True)
    report = project.report()
    submit(report, project.owner)
    client.force_login(project.owner)
    # The report page shows the latest version read-only: + the version with its indicator
    # values, beneficiaries, spending and files.
    with django_assert_num_queries(16):
        response = client.get(url("report", project.agreement.pk, report.pk))
    assert response.status_code == 200
    with django_assert_num_queries(11):
        response = client.get(url("report_version", project.agreement.pk, report.pk, 1))
    assert response.content.decode().count("Шығын ") == n

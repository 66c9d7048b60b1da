"""Who may open and use the organisation's pages: every view and action × every persona.

Members of the funded organisation may; an owner alone accepts the agreement; staff of the
call may download a report's files (their pages are elsewhere); everyone else gets a 404,
so a page never confirms that someone else's project exists.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baiqau.monitoring.models import (
    ReportFile,
    ReportKind,
    ReportStatus,
)
from baiqau.monitoring.services import (
    agreement_accept,
    agreement_withdraw_offer,
    report_file_add,
    report_return,
)
from tests.factories import CallFactory, UserFactory, grant
from tests.monitoring.builders import PERSONAS, Funded, form_data, funded, submit, url

pytestmark = pytest.mark.django_db

OK, MOVED, FORBIDDEN, MISSING = 200, 302, 403, 404
MEMBERS = {"owner", "member"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def expect(allowed: dict[str, int]) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, MISSING)
    table["anonymous"] = MOVED  # to the log-in page
    table.update(allowed)
    return table


def members(status: int) -> dict[str, int]:
    return dict.fromkeys(MEMBERS, status)


@pytest.fixture
def world() -> dict[str, Any]:
    """Our accepted agreement: the interim report is due with a file not yet submitted; the
    final report is submitted (version 1) with its file. Another agreement is only offered."""
    project = funded(projects=2)
    agreement_accept(actor=project.owner, agreement=project.agreement)
    project.agreement.refresh_from_db()
    offered = project.agreements[1]
    interim = project.report(ReportKind.INTERIM)
    final = project.report(ReportKind.FINAL)
    pending = report_file_add(
        actor=project.owner, report=interim, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    report_file_add(actor=project.owner, report=final, upload=SimpleUploadedFile("f.pdf", PDF))
    submit(final, project.owner)
    kept = ReportFile.objects.get(report=final)
    return {
        "project": project,
        "offered": offered,
        "interim": interim,
        "final": final,
        "pending": pending,
        "kept": kept,
    }


def target(world: dict[str, Any], name: str) -> str:
    project: Funded = world["project"]
    agreement = project.agreement
    interim, final = world["interim"], world["final"]
    return {
        "projects": url("projects"),
        "agreement": url("agreement", agreement.pk),
        "agreement_pdf": url("agreement_pdf", agreement.pk),
        "accept": url("agreement_accept", world["offered"].pk),
        "report": url("report", agreement.pk, interim.pk),
        "report_submitted": url("report", agreement.pk, final.pk),
        "report_autosave": url("report_autosave", agreement.pk, interim.pk),
        "report_version": url("report_version", agreement.pk, final.pk, 1),
        "report_file": url("report_file", agreement.pk, interim.pk, world["pending"].pk),
        "report_file_kept": url("report_file", agreement.pk, final.pk, world["kept"].pk),
        "report_file_add": url("report_file_add", agreement.pk, interim.pk),
        "report_file_remove": url(
            "report_file_remove", agreement.pk, interim.pk, world["pending"].pk
        ),
    }[name]


def data_for(world: dict[str, Any], case: str) -> dict[str, Any] | None:
    if case == "save":
        return {**form_data(world["interim"]), "action": "save"}
    if case == "submit":
        return {**form_data(world["interim"]), "action": "submit"}
    if case == "accept":
        return {"confirm": "on"}
    if case == "upload":
        return {"file": SimpleUploadedFile("photo.pdf", PDF)}
    return {}


CASES: list[tuple[str, str, str, str, dict[str, int]]] = [
    # id, method, view, data, expected per persona
    (
        "projects",
        "get",
        "projects",
        "",
        expect(dict.fromkeys(["owner", "member", "other_org", "no_org", "staff"], OK)),
    ),
    ("agreement", "get", "agreement", "", expect(members(OK))),
    ("agreement-pdf", "get", "agreement_pdf", "", expect(members(OK))),
    ("accept-page", "get", "accept", "", expect(members(OK))),
    ("accept", "post", "accept", "accept", expect({"owner": MOVED, "member": FORBIDDEN})),
    ("report", "get", "report", "", expect(members(OK))),
    ("report-submitted", "get", "report_submitted", "", expect(members(OK))),
    ("report-save", "post", "report", "save", expect(members(MOVED))),
    ("report-submit", "post", "report", "submit", expect(members(MOVED))),
    ("report-autosave", "post", "report_autosave", "save", expect(members(OK))),
    ("report-version", "get", "report_version", "", expect(members(OK))),
    ("file", "get", "report_file", "", expect({**members(OK), "staff": OK})),
    ("file-submitted", "get", "report_file_kept", "", expect({**members(OK), "staff": OK})),
    ("file-add", "post", "report_file_add", "upload", expect(members(MOVED))),
    ("file-remove", "post", "report_file_remove", "", expect(members(MOVED))),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "view", "case", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(client, settings, world, persona, method, view, case, expected):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False
    user = world["project"].user(persona)
    if user is not None:
        client.force_login(user)
    address = target(world, view)
    if method == "get":
        response = client.get(address)
    else:
        response = client.post(address, data_for(world, case))
    if response.streaming:
        # A file download: reading it to the end closes it, as a WSGI server would.
        assert b"".join(response.streaming_content) == PDF
    assert response.status_code == expected[persona], (persona, address, response.status_code)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("persona", ["other_org", "no_org", "staff", "anonymous"])
def test_a_report_cannot_be_submitted_for_someone_elses_project(client, world, persona):
    project: Funded = world["project"]
    interim = world["interim"]
    user = project.user(persona)
    if user is not None:
        client.force_login(user)
    response = client.post(
        url("report", project.agreement.pk, interim.pk),
        {**form_data(interim), "action": "submit"},
    )
    assert response.status_code == (MOVED if user is None else MISSING)
    interim.refresh_from_db()
    assert interim.status == ReportStatus.DUE
    assert interim.draft_version == 0
    assert interim.versions.count() == 0


def test_a_member_cannot_reach_another_organisations_report_through_their_own_agreement(
    client, world
):
    project: Funded = world["project"]
    theirs = project.report(ReportKind.INTERIM, agreement=project.other)
    client.force_login(project.owner)
    for address in (
        url("report", project.other.pk, theirs.pk),
        url("report", project.agreement.pk, theirs.pk),  # our agreement, their report
    ):
        assert client.get(address).status_code == MISSING
        response = client.post(address, {**form_data(theirs), "action": "submit"})
        assert response.status_code == MISSING
    assert client.get(url("agreement", project.other.pk)).status_code == MISSING
    assert client.get(url("agreement_pdf", project.other.pk)).status_code == MISSING
    theirs.refresh_from_db()
    assert theirs.versions.count() == 0


def test_a_file_is_reached_only_through_its_own_report_and_agreement(client, world):
    project: Funded = world["project"]
    client.force_login(project.owner)
    pending, final = world["pending"], world["final"]
    assert (
        client.get(url("report_file", project.agreement.pk, final.pk, pending.pk)).status_code
        == 404
    )
    assert (
        client.get(url("report_file", project.other.pk, pending.report_id, pending.pk)).status_code
        == 404
    )
    response = client.post(url("report_file_remove", project.agreement.pk, final.pk, pending.pk))
    assert response.status_code == MOVED  # told the file is not there; nothing removed
    assert ReportFile.objects.filter(pk=pending.pk).exists()


def test_staff_of_another_call_cannot_download_a_report_file(client, settings, world):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False
    project: Funded = world["project"]
    stranger = UserFactory()
    grant(CallFactory(), stranger)
    client.force_login(stranger)
    address = url("report_file", project.agreement.pk, world["interim"].pk, world["pending"].pk)
    assert client.get(address).status_code == MISSING


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client, settings, world):
    settings.BAIQAU_STAFF_REQUIRE_MFA = True
    project: Funded = world["project"]
    client.force_login(project.organiser)
    address = url("report_file", project.agreement.pk, world["interim"].pk, world["pending"].pk)
    response = client.get(address)
    assert response.status_code == MOVED
    assert "/accounts/2fa/" in response["Location"]


def test_the_staff_of_the_call_do_not_see_the_organisations_pages(client, world):
    project: Funded = world["project"]
    client.force_login(project.organiser)
    assert client.get(url("agreement", project.agreement.pk)).status_code == MISSING
    html = client.get(url("projects")).content.decode()
    assert project.agreement.number not in html


def test_others_lists_do_not_show_our_projects(client, world):
    project: Funded = world["project"]
    for persona in ("other_org", "no_org", "staff"):
        client.force_login(project.user(persona))
        html = client.get(url("projects")).content.decode()
        assert project.agreement.number not in html, persona
    client.force_login(project.other_owner)
    assert project.other.number in client.get(url("projects")).content.decode()


def test_a_draft_agreement_is_a_404_even_to_its_members(client):
    project = funded()
    agreement = project.agreement
    agreement_withdraw_offer(actor=project.organiser, agreement=agreement, reason="Fix dates")
    report = project.report()
    client.force_login(project.owner)
    for address in (
        url("agreement", agreement.pk),
        url("agreement_pdf", agreement.pk),
        url("agreement_accept", agreement.pk),
        url("report", agreement.pk, report.pk),
    ):
        assert client.get(address).status_code == MISSING, address
    assert client.post(url("agreement_accept", agreement.pk), {"confirm": "on"}).status_code == 404
    assert agreement.number not in client.get(url("projects")).content.decode()


def test_a_returned_report_is_writable_again_only_by_members(client, world):
    project: Funded = world["project"]
    final = world["final"]
    report_return(actor=project.organiser, report=final, comment="Add photos.")
    final.refresh_from_db()
    client.force_login(project.other_owner)
    data = {**form_data(final), "action": "submit"}
    assert client.post(url("report", project.agreement.pk, final.pk), data).status_code == 404
    client.force_login(project.member)
    assert client.post(url("report", project.agreement.pk, final.pk), data).status_code == 302
    final.refresh_from_db()
    assert final.versions.count() == 2

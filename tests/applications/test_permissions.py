"""Every applicant-facing view × every role: only members of the applicant organisation get in;
anyone else gets a 404 (never a hint that the application exists)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baiqau.applications.services import attachment_add
from tests.applications.conftest import PDF_BYTES
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db

VIEWS = [
    ("get", "", {}),
    ("get", "edit/project/", {}),
    ("post", "edit/project/", {"title": "X"}),
    ("post", "autosave/project/", {"title": "X"}),
    ("get", "files/", {}),
    ("post", "files/", {}),
    ("get", "files/{file}/", {}),
    ("post", "files/{file}/remove/", {}),
    ("get", "receipt/", {}),
    ("get", "pdf/", {}),
    ("post", "reopen/", {}),
    ("get", "withdraw/", {}),
    ("post", "withdraw/", {}),
    ("post", "reply/", {"body": "Сәлем"}),
    ("post", "submit/", {}),
]
ROLES = ["anonymous", "member", "outsider", "staff"]


@pytest.fixture
def setup(draft, applicant):
    attachment = attachment_add(
        actor=applicant, application=draft, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    outsider = UserFactory(email="outsider@test.example")
    member_of(outsider)  # a member of some other organisation
    staff = UserFactory(email="staff@test.example", is_staff=True, is_superuser=True)
    return draft, attachment, {"member": applicant, "outsider": outsider, "staff": staff}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "tail", "data"), VIEWS)
def test_permission_matrix(client, setup, role, method, tail, data):
    application, attachment, users = setup
    if role != "anonymous":
        client.force_login(users[role])
    path = f"/en/applications/{application.pk}/" + tail.format(file=attachment.pk)
    response = getattr(client, method)(path, data)
    response.close()  # a file download holds its file open until closed
    if role == "anonymous":
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"].startswith("/en/accounts/login/")
        else:  # an htmx autosave answers in place that the session has expired
            assert "session has expired" in response.content.decode()
    elif role == "member":
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["outsider", "staff"])
def test_someone_elses_attachment_and_pdf_are_not_found(client, setup, role):
    application, attachment, users = setup
    client.force_login(users["member"])
    client.post(f"/en/applications/{application.pk}/submit/")
    client.force_login(users[role])
    assert (
        client.get(f"/en/applications/{application.pk}/files/{attachment.pk}/").status_code == 404
    )
    assert client.get(f"/en/applications/{application.pk}/pdf/").status_code == 404
    assert client.get(f"/en/applications/{application.pk}/").status_code == 404


def test_member_downloads_the_attachment_with_its_name(client, setup):
    application, attachment, users = setup
    client.force_login(users["member"])
    response = client.get(f"/en/applications/{application.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="a.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_attachment_of_another_application_cannot_be_reached_through_mine(client, setup, open_call):
    from tests.factories import complete_draft

    _application, attachment, users = setup
    mine = complete_draft(open_call, users["outsider"])
    client.force_login(users["outsider"])
    assert client.get(f"/en/applications/{mine.pk}/files/{attachment.pk}/").status_code == 404

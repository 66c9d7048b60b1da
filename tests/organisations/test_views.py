import pytest
from django.utils import translation

from baiqau.audit.models import AuditEvent
from baiqau.organisations.models import JoinRequest, Membership, Organisation
from tests.factories import UserFactory, member_of, next_bin

pytestmark = pytest.mark.django_db


def _form(bin_, **extra):
    return {"bin": bin_, "org_type": "dpo", "name_kk": "Ұйым", **extra}


def test_register_with_an_invalid_bin_shows_the_error_and_keeps_input(client, applicant):
    client.force_login(applicant)
    response = client.post("/en/organisations/new/", _form("123456789012", name_en="Keep me"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digits 3 and 4 of a BIN are the month of registration" in html
    assert 'value="Keep me"' in html
    assert Organisation.objects.count() == 0


def test_register_in_kazakh_gives_the_error_in_kazakh(client, applicant):
    client.force_login(applicant)
    html = client.post("/kk/organisations/new/", _form("12345")).content.decode()
    with translation.override("kk"):
        assert "БСН дәл 12 цифрдан тұрады." in html


def test_register_with_a_valid_bin_makes_the_person_owner(client, applicant):
    client.force_login(applicant)
    bin_ = next_bin()
    response = client.post("/en/organisations/new/", _form(bin_))
    organisation = Organisation.objects.get(bin=bin_)
    assert response["Location"] == f"/en/organisations/{organisation.pk}/"
    assert Membership.objects.get(organisation=organisation).role == "owner"


def test_register_returns_to_the_call_when_asked(client, applicant):
    client.force_login(applicant)
    response = client.post("/en/organisations/new/", _form(next_bin(), next="/en/calls/x/apply/"))
    assert response["Location"] == "/en/calls/x/apply/"


def test_register_ignores_a_next_address_on_another_site(client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/en/organisations/new/", _form(next_bin(), next="https://evil.example/")
    )
    assert response["Location"].startswith("/en/organisations/")


def test_same_bin_offers_to_join_and_the_owner_approves(client, applicant, other_applicant):
    organisation = member_of(applicant)
    client.force_login(other_applicant)
    html = client.post("/en/organisations/new/", _form(organisation.bin)).content.decode()
    assert "already registered with this BIN" in html
    client.post(f"/en/organisations/{organisation.pk}/join/", {"message": "Мен бухгалтермін"})
    join_request = JoinRequest.objects.get()
    assert join_request.status == "pending"
    # Someone who is not the owner cannot decide.
    response = client.post(
        f"/en/organisations/{organisation.pk}/requests/{join_request.pk}/",
        {"decision": "approve"},
    )
    assert response.status_code == 404
    client.force_login(applicant)
    client.post(
        f"/en/organisations/{organisation.pk}/requests/{join_request.pk}/",
        {"decision": "approve"},
    )
    assert Membership.objects.get(user=other_applicant).role == "member"
    assert AuditEvent.objects.filter(action="organisation.join_approved").count() == 1


def test_member_cannot_remove_others_and_owner_cannot_remove_the_last_owner(
    client, applicant, other_applicant
):
    organisation = member_of(applicant)
    member_of(other_applicant, organisation, role="member")
    owner_seat = Membership.objects.get(user=applicant)
    client.force_login(other_applicant)
    client.post(f"/en/organisations/{organisation.pk}/members/{owner_seat.pk}/remove/")
    assert Membership.objects.filter(organisation=organisation).count() == 2
    client.force_login(applicant)
    response = client.post(
        f"/en/organisations/{organisation.pk}/members/{owner_seat.pk}/remove/", follow=True
    )
    assert "must keep at least one owner" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_organisation_pages_are_for_members_only(client, applicant, role):
    organisation = member_of(applicant)
    if role == "outsider":
        client.force_login(UserFactory())
        assert client.get(f"/en/organisations/{organisation.pk}/").status_code == 404
    else:
        response = client.get(f"/en/organisations/{organisation.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")

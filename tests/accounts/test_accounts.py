import re

import pytest
from django.core import mail

from baiqau.accounts.models import User

pytestmark = pytest.mark.django_db


def _sign_up(client, lang, email="new@test.example"):
    return client.post(
        f"/{lang}/accounts/signup/",
        {"email": email, "password1": "Str0ng-pass-phrase!", "password2": "Str0ng-pass-phrase!"},
    )


def test_sign_up_sends_a_verification_link_and_the_link_logs_in(client):
    response = _sign_up(client, "en")
    assert response.status_code == 302
    user = User.objects.get(email="new@test.example")
    assert user.preferred_language == "en"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/en/accounts/confirm-email/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert client.get("/en/my/").status_code == 200


def test_sign_up_in_kazakh_sends_the_e_mail_in_kazakh(client):
    _sign_up(client, "kk", "kk@test.example")
    assert User.objects.get(email="kk@test.example").preferred_language == "kk"
    assert mail.outbox[0].subject == "[Baiqau] Электрондық пошта мекенжайыңызды растаңыз"


def test_unverified_person_cannot_log_in(client):
    _sign_up(client, "en")
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "new@test.example", "password": "Str0ng-pass-phrase!"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"


def test_failed_log_ins_are_rate_limited_with_a_clear_message(client, applicant):
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": applicant.email, "password": "wrong"})
    response = client.post("/en/accounts/login/", {"login": applicant.email, "password": "wrong"})
    assert "Too many failed login attempts" in response.content.decode()


def test_profile_saves_the_preferred_language(client, applicant):
    client.force_login(applicant)
    client.post("/en/accounts/profile/", {"full_name": "Айгүл", "preferred_language": "ru"})
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.preferred_language) == ("Айгүл", "ru")


def test_login_and_signup_pages_render_in_every_language(client):
    for lang in ("kk", "ru", "en"):
        for page in ("login", "signup", "password/reset"):
            response = client.get(f"/{lang}/accounts/{page}/")
            assert response.status_code == 200
            assert f'<html lang="{lang}">' in response.content.decode()


def test_failed_log_ins_from_one_address_are_rate_limited_across_accounts(client):
    for i in range(10):
        client.post("/en/accounts/login/", {"login": f"nobody{i}@test.example", "password": "x"})
    response = client.post(
        "/en/accounts/login/", {"login": "another@test.example", "password": "x"}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_e_mail_goes_out_in_the_persons_language(client, applicant):
    applicant.preferred_language = "ru"
    applicant.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=applicant, email=applicant.email, verified=True, primary=True)
    client.post("/en/accounts/password/reset/", {"email": applicant.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Baiqau] Письмо для сброса пароля"


def test_two_factor_and_e_mail_pages_are_reachable_for_a_logged_in_person(client, applicant):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=applicant, email=applicant.email, verified=True, primary=True)
    client.force_login(applicant)
    for page in ("2fa/", "email/", "password/change/"):
        response = client.get(f"/kk/accounts/{page}")
        assert response.status_code == 200, page
        assert '<html lang="kk">' in response.content.decode()
    # Turning on two-factor authentication asks for the password again first.
    response = client.get("/kk/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/kk/accounts/reauthenticate/")

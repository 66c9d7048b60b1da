import pytest
from django.contrib import admin
from django.urls import reverse

from baiqau.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _admin_urls():
    for model in admin.site._registry:
        meta = model._meta
        yield f"admin:{meta.app_label}_{meta.model_name}_changelist"


@pytest.mark.parametrize("url_name", list(_admin_urls()))
def test_staff_can_open_every_changelist(client, staff_admin, demo, url_name):
    client.force_login(staff_admin)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", list(_admin_urls()))
def test_anonymous_is_sent_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_user_cannot_enter_the_admin(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_audit_events_are_read_only_in_the_admin(client, staff_admin, demo):
    client.force_login(staff_admin)
    event = AuditEvent.objects.order_by("seq").first()
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200
    response = client.post(change_url, {"action": "tampered"})
    assert response.status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action != "tampered"


def test_every_model_of_the_lifecycle_is_in_the_admin():
    labels = {m._meta.label for m in admin.site._registry}
    assert {
        "accounts.User",
        "organisations.Organisation",
        "organisations.Membership",
        "calls.Call",
        "calls.Criterion",
        "calls.Prize",
        "applications.Application",
        "review.Expert",
        "review.Review",
        "review.Score",
        "results.Ranking",
        "results.Award",
        "audit.AuditEvent",
    } <= labels

"""E-mails about an application, each in its recipient's preferred language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Application


def send_receipt(application_pk: int, user_pk: int) -> None:
    application = Application.objects.select_related("call", "organisation").get(pk=application_pk)
    user = get_user_model().objects.get(pk=user_pk)
    with translation.override(user.preferred_language):
        context = {
            "application": application,
            "user": user,
            "url": settings.BAIQAU_BASE_URL + reverse("applicants:receipt", args=[application.pk]),
            "site_name": settings.BAIQAU_SITE_NAME,
        }
        subject = render_to_string("applications/email/receipt_subject.txt", context).strip()
        body = render_to_string("applications/email/receipt_body.txt", context)
    send_mail(subject, body, None, [user.email])

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from baiqau.organisations.models import JoinRequest, JoinRequestStatus, Membership

from .models import Application, ApplicationVersion, Attachment, Message


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Applications of the organisations the person belongs to; nothing else, ever."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(organisation__memberships__user=user)


def application_for_member(user: Any, pk: int) -> Application:
    application = (
        applications_visible_to(user)
        .select_related("call", "organisation", "last_edited_by")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def attachment_for_member(user: Any, application_pk: int, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(
            application__in=applications_visible_to(user), application_id=application_pk, pk=pk
        )
        .select_related("application")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def latest_version(application: Application) -> ApplicationVersion | None:
    return application.versions.order_by("-number").first()


@dataclass(frozen=True)
class Dashboard:
    memberships: list[Membership]
    applications: list[Application]
    pending_requests: list[JoinRequest]
    my_requests: list[JoinRequest]


def dashboard_for(user: Any) -> Dashboard:
    """Everything on the applicant's dashboard, in a fixed number of queries."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("id")
    )
    applications = list(
        applications_visible_to(user)
        .select_related("call", "organisation")
        .prefetch_related(
            Prefetch("messages", Message.objects.select_related("author").order_by("created_at"))
        )
        .order_by("-updated_at")
    )
    owned = [m.organisation_id for m in memberships if m.role == "owner"]
    pending = list(
        JoinRequest.objects.filter(organisation_id__in=owned, status=JoinRequestStatus.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )
    mine = list(
        JoinRequest.objects.filter(user=user, status=JoinRequestStatus.PENDING).select_related(
            "organisation"
        )
    )
    return Dashboard(memberships, applications, pending, mine)

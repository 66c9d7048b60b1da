from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.core.auth import AuthenticatedRequest
from baiqau.core.errors import DomainError
from baiqau.domain.identifiers import normalise_identifier

from .forms import JoinForm, OrganisationForm
from .models import JoinRequest, Membership, MembershipRole, Organisation
from .services import (
    join_request_decide,
    membership_remove,
    organisation_register,
    organisation_request_join,
)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Organisation.objects.filter(bin=normalise_identifier(data["bin"])).first()
        if existing is None:
            try:
                organisation = organisation_register(
                    actor=request.user,
                    bin=data["bin"],
                    org_type=data["org_type"],
                    name={code: data[f"name_{code}"] for code in ("kk", "ru", "en")},
                    address=data["address"],
                    city=data["city"],
                    email=data["email"],
                    phone=data["phone"],
                    website=data["website"],
                )
            except (DomainError, ValidationError) as error:
                messages.error(request, getattr(error, "message", str(error)))
            else:
                messages.success(request, _("The organisation is registered; you are its owner."))
                next_url = _safe_next(request)
                if next_url:
                    return redirect(next_url)
                return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/register.html",
        {"form": form, "existing": existing, "join_form": JoinForm(), "next": _safe_next(request)},
    )


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        organisation_request_join(actor=request.user, organisation=organisation, message=message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your request was sent. The organisation's owner will approve or decline it."),
        )
    return redirect("applicants:dashboard")


def _membership_or_404(request: AuthenticatedRequest, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(user=request.user, organisation_id=pk)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@login_required
@require_safe
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk)
    organisation = membership.organisation
    is_owner = membership.role == MembershipRole.OWNER
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "is_owner": is_owner,
            "members": list(organisation.memberships.select_related("user").order_by("id")),
            "requests": list(
                organisation.join_requests.filter(status="pending").select_related("user")
            )
            if is_owner
            else [],
        },
    )


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    _membership_or_404(request, pk)
    join_request = JoinRequest.objects.filter(pk=request_pk, organisation_id=pk).first()
    if join_request is None:
        raise Http404
    try:
        join_request_decide(
            actor=request.user,
            join_request=join_request,
            approve=request.POST.get("decision") == "approve",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("organisations:detail", pk=pk)


@login_required
@require_POST
def remove_member(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    _membership_or_404(request, pk)
    membership = Membership.objects.filter(pk=member_pk, organisation_id=pk).first()
    if membership is None:
        raise Http404
    try:
        membership_remove(actor=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member was removed."))
    return redirect("organisations:detail", pk=pk)

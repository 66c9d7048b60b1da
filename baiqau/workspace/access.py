"""Who gets into the staff workspace: people with a role on the call, using two-factor
authentication. Anyone else gets a 404 for the call and everything in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from baiqau.calls.models import Call, CallRole, CallRoleKind

ALL_ROLES = frozenset(CallRoleKind.values) - {CallRoleKind.EXPERT}
COMMISSION = frozenset({CallRoleKind.CHAIR, CallRoleKind.MEMBER})
SCREENERS = frozenset({CallRoleKind.ORGANISER, CallRoleKind.SECRETARY})
ORGANISERS = frozenset({CallRoleKind.ORGANISER})


def call_role(user: Any, call: Call) -> str | None:
    if not user.is_authenticated:
        return None
    return CallRole.objects.filter(call=call, user=user).values_list("role", flat=True).first()


def staff_call_for(user: Any, slug: str, roles: Iterable[str] = ALL_ROLES) -> tuple[Call, str]:
    """The call and the person's role on it, or a 404 when they have no (such) role."""
    row = (
        CallRole.objects.filter(call__slug=slug, user=user, role__in=list(roles))
        .select_related("call")
        .first()
    )
    if row is None:
        raise Http404
    return row.call, row.role


def mfa_required(user: Any) -> bool:
    return bool(settings.BAIQAU_STAFF_REQUIRE_MFA) and not is_mfa_enabled(user)


def staff_view(roles: Iterable[str] = ALL_ROLES) -> Callable[..., Callable[..., HttpResponseBase]]:
    """Decorate a workspace view taking `slug`: it receives `call` and `role` as keywords."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            call, role = staff_call_for(request.user, slug, allowed)
            # The workspace menu shows each person the pages their role opens.
            request.call_role = role  # type: ignore[attr-defined]
            if mfa_required(request.user):
                messages.warning(
                    request,
                    _("Staff of a call must use two-factor authentication. Set it up to continue."),
                )
                return redirect("mfa_index")
            return view(request, *args, call=call, role=role, **kwargs)

        return wrapper

    return decorator

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from baiqau.calls.models import CallRole
from baiqau.core.auth import AuthenticatedRequest

from ..access import mfa_required


@login_required
@require_safe
def home(request: AuthenticatedRequest) -> HttpResponse:
    roles = list(
        CallRole.objects.filter(user=request.user)
        .select_related("call")
        .order_by("-call__opens_at")
    )
    return render(
        request,
        "workspace/home.html",
        {
            "roles": roles,
            "can_create": request.user.has_perm("calls.add_call"),
            "needs_mfa": mfa_required(request.user),
        },
    )

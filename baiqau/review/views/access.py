"""Who gets into an expert's pages of a call: a person with an active seat on its panel, using
two-factor authentication like the staff. Anyone else gets a 404 for the call and everything in
it, so the pages do not even tell whether the call has a panel."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from baiqau.core.auth import login_required_keeping_input
from baiqau.workspace.access import mfa_required

from ..expert_selectors import expert_seat_for, plan_of
from ..services import plan_for


def expert_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a view taking `slug`: it receives `call`, `expert` and `plan` as keywords.

    A form posted after the session expired is kept and shown again after logging in.
    """

    @login_required_keeping_input
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        expert = expert_seat_for(request.user, slug)
        if expert is None:
            raise Http404
        if mfa_required(request.user):
            messages.warning(
                request,
                _("Experts must use two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_index")
        call = expert.call
        plan = plan_of(call) or plan_for(call)
        return view(request, *args, call=call, expert=expert, plan=plan, **kwargs)

    return wrapper

"""Log-in that never loses what a person typed: a form posted after the session expired is
kept, and shown again, unsaved, once they have logged in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render

from baiqau.accounts.models import User

KEPT_INPUT = "baiqau_kept_input"


def login_required_keeping_input(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            kept = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken"
            }
            request.session.setdefault(KEPT_INPUT, {})[request.path] = kept
            request.session.modified = True
            if request.headers.get("HX-Request"):
                return render(request, "core/_session_expired.html", {"next": request.path})
        return redirect_to_login(request.get_full_path())

    return wrapper


def pop_kept_input(request: HttpRequest, path: str | None = None) -> QueryDict | None:
    """The input kept for this page before the person logged in again, if any."""
    kept = request.session.get(KEPT_INPUT, {})
    values = kept.pop(path or request.path, None)
    if values is None:
        return None
    request.session.modified = True
    data = QueryDict(mutable=True)
    for key, items in values.items():
        data.setlist(key, items)
    return data


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind a log-in check (for the type checker)."""

    user: User

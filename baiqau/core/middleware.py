from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class ArrivalTimeMiddleware:
    """Notes when a request reached Baiqau, before any other work on it.

    A submission that arrived before the deadline is on time even if a busy server gets to it a
    moment after the deadline: deadlines are judged by this time, not by when the work runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.arrived_at = timezone.now()  # type: ignore[attr-defined]
        return self.get_response(request)

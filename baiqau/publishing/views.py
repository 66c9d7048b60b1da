from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from baiqau.calls.selectors import call_get_public, call_lists_public
from baiqau.results.selectors import results_public_get


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/home.html", {"lists": call_lists_public()})


@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_get_public(slug)
    return render(request, "publishing/call_detail.html", {"call": call})


@require_safe
def call_results(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_get_public(slug)
    results = results_public_get(call)
    return render(request, "publishing/call_results.html", {"call": call, "results": results})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from baiqau.calls.selectors import call_get_public, call_lists_public
from baiqau.results.selectors import results_public_get
from baiqau.results.wording import (
    band_words,
    criterion_names,
    rules_data_for,
    rules_facts,
    tie_rule_words,
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/home.html", {"lists": call_lists_public()})


@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_get_public(slug)
    facts = rules_facts(rules_data_for(call), criterion_names(call))
    return render(request, "publishing/call_detail.html", {"call": call, "method_facts": facts})


@require_safe
def call_results(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_get_public(slug)
    results = results_public_get(call)
    context: dict[str, object] = {"call": call, "results": results}
    if results is not None:
        names = criterion_names(call)
        ranking = results.ranking
        titles = {e.application_id: e.application.title for e in results.entries}
        context |= {
            "method_facts": rules_facts(ranking.rules, names),
            "rows": [
                {
                    "entry": entry,
                    "band": band_words(entry.band),
                    "decided_by": tie_rule_words(entry.decided_by, names)
                    if entry.decided_by
                    else "",
                }
                for entry in results.entries
            ],
            "ties": [
                {
                    "position": tie["position"],
                    "titles": [titles.get(a, str(a)) for a in tie["applications"]],
                    "steps": [
                        tie_rule_words(step["rule"], names)
                        for step in tie["steps"]
                        if step["applied"]
                    ],
                    "open": any(len(block) > 1 for block in tie["order"]),
                }
                for tie in ranking.ties
            ],
            "links": {
                "protocol": reverse("publishing:results_protocol", args=[call.slug]),
                "opendata": reverse("publishing:opendata", args=[call.slug]),
            },
            "announcement_text": (
                results.announcement.text(get_language() or "kk") if results.announcement else ""
            ),
        }
    return render(request, "publishing/call_results.html", context)


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

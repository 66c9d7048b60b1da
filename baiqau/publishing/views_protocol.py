"""The results protocol of a call, as a PDF, once its results are public."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from baiqau.calls.models import Call
from baiqau.calls.selectors import call_get_public
from baiqau.results.models import Ranking
from baiqau.results.protocol import protocol_filename, protocol_pdf

# Rendering a large call's protocol takes seconds; published results change only through a
# withdrawal and a new publication, which the cache key includes.
PUBLIC_CACHE_SECONDS = 60 * 60


def pdf_response(call: Call, language: str, document: bytes) -> HttpResponse:
    """The PDF shown in the browser, saved under a name that says which call and language."""
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{protocol_filename(call, language)}"'
    return response


def protocol_response(call: Call, language: str) -> HttpResponse:
    return pdf_response(call, language, protocol_pdf(call, language))


def _public_key(call: Call, language: str) -> str:
    ranking = Ranking.objects.filter(call=call, is_current=True).values_list("pk", flat=True)
    published = call.results_published_at.isoformat() if call.results_published_at else ""
    return f"baiqau:protocol:{call.pk}:{ranking.first()}:{published}:{language}"


@require_safe
def results_protocol(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_get_public(slug)
    if not call.results_are_public:
        raise Http404
    # The language is the page's: /kk/…, /ru/… or /en/….
    language = get_language() or "kk"
    key = _public_key(call, language)
    document = cache.get(key)
    if document is None:
        document = protocol_pdf(call, language)
        cache.set(key, document, PUBLIC_CACHE_SECONDS)
    return pdf_response(call, language, document)

"""The open data of a call's published results: a page describing the files, the files, a zip."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from baiqau.calls.models import Call
from baiqau.calls.selectors import call_get_public
from baiqau.core.errors import DomainError

from .opendata import opendata_cached, opendata_zip
from .opendata_format import FILES, MANIFEST, sha256_hex

# What each file is, in plain words, in the order the page lists them.
DESCRIPTIONS = {
    "grants.json": _(
        "The awards as 360Giving data (JSON): each grant with its amount in tenge, the date, "
        "the recipient and the organisers, identified by their BIN (KZ-BIN-…)."
    ),
    "grants.csv": _("The same awards as a table, one row per grant."),
    "scores.json": _(
        "Every submitted score: application, anonymous expert number and the score per "
        "criterion. No expert's name and no comment is published. Any draw by lot is seeded "
        "from exactly these bytes."
    ),
    "rules.json": _(
        "The rules fixed before scoring: the criteria and their weights, how scores are "
        "combined, the tie-break rules, the value published for any draw, the prizes or the "
        "pool, and the titles of the applications."
    ),
    "results.json": _(
        "The published result: every application's scores (rounded and exact), position, "
        "range of plausible positions, how each tie was broken, and the awards."
    ),
    "ranking.csv": _("The published ranking as a table, highest score first."),
    MANIFEST: _("The size and SHA-256 fingerprint of every other file."),
}
CONTENT_TYPES = {".json": "application/json", ".csv": "text/csv"}


def _folder(slug: str) -> tuple[Call, dict[str, bytes]]:
    call = call_get_public(slug)
    try:
        return call, opendata_cached(call)
    except DomainError:
        raise Http404 from None


def _groups(digest: str) -> list[str]:
    # Shown in groups that may wrap on a narrow screen (<wbr>), copied as one string.
    return [digest[i : i + 16] for i in range(0, len(digest), 16)]


@require_safe
def opendata(request: HttpRequest, slug: str) -> HttpResponse:
    call, files = _folder(slug)
    rows = [
        {
            "name": name,
            "size": len(files[name]),
            "sha256": _groups(sha256_hex(files[name])),
            "description": DESCRIPTIONS[name],
        }
        for name in FILES
        if name in files
    ]
    context = {
        "call": call,
        "files": rows,
        "manifest_sha256": _groups(sha256_hex(files[MANIFEST])),
        "folder": f"{call.slug}-open-data",
    }
    return render(request, "publishing/opendata.html", context)


@require_safe
def opendata_zip_download(request: HttpRequest, slug: str) -> HttpResponse:
    call, files = _folder(slug)
    response = HttpResponse(opendata_zip(call, files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-open-data.zip"'
    return response


@require_safe
def opendata_file(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    _call, files = _folder(slug)
    if name not in files:
        raise Http404
    extension = name[name.rindex(".") :]
    response = HttpResponse(files[name], content_type=f"{CONTENT_TYPES[extension]}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

"""Placeholder values and links, in one recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from baiqau.calls.models import Call


def link_in(language: str, name: str, *args: Any) -> str:
    """The path of a page in a given language (its /kk/, /ru/ or /en/ prefix)."""
    with translation.override(language):
        return reverse(name, args=args)


def absolute(path: str) -> str:
    return settings.BAIQAU_BASE_URL + path if path.startswith("/") else path


def deadline_text(call: Call, language: str) -> str:
    # localtime(): the project's zone (Almaty), not the server's.
    with translation.override(language):
        return formats.date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")


def call_values(call: Call, language: str) -> dict[str, Any]:
    with translation.override(language):
        return {"call_title": str(call.title), "deadline": deadline_text(call, language)}

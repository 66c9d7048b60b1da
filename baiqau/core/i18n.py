"""Translated model fields: one column per language (see docs/adr/0002-translated-fields.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def language_fallbacks(language: str | None = None) -> list[str]:
    """The order in which languages are tried: the requested one, then kk, ru, en."""
    first = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [first, *(code for code in LANGUAGE_CODES if code != first)]


def translated_value(obj: Any, base: str, language: str | None = None) -> str:
    for code in language_fallbacks(language):
        value = getattr(obj, f"{base}_{code}", "")
        if value:
            return str(value)
    return ""


class Translated:
    """Read the `<base>_<lang>` column for the active language, falling back to the others."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return translated_value(obj, self.base)


def translated_field_names(base: str) -> list[str]:
    return [f"{base}_{code}" for code in LANGUAGE_CODES]

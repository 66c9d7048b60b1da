"""Publishing a call's results, for its staff: the protocol PDF (a draft until the commission
confirms the ranking) and the announcement editor (organisers)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.publishing.views_protocol import protocol_response
from baiqau.results.announcement import (
    announcement_generate,
    announcement_get_or_generate,
    announcement_regenerate,
    announcement_save,
)
from baiqau.results.models import Announcement

from ..access import ALL_ROLES, ORGANISERS, staff_view

GET_POST = ["GET", "POST"]


@staff_view(ALL_ROLES)
@require_safe
def results_protocol(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    """The protocol as it stands: before the commission confirms the ranking, a draft."""
    return protocol_response(call, get_language() or "kk")


class AnnouncementForm(forms.Form):
    text_kk = forms.CharField(
        label=gettext_lazy("Announcement in Kazakh"),
        widget=forms.Textarea(attrs={"rows": 14, "lang": "kk"}),
        error_messages={"required": gettext_lazy("Write the announcement in Kazakh.")},
    )
    text_ru = forms.CharField(
        label=gettext_lazy("Announcement in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "ru"}),
    )
    text_en = forms.CharField(
        label=gettext_lazy("Announcement in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "en"}),
    )


def _initial(announcement: Announcement) -> dict[str, str]:
    return {
        "text_kk": announcement.text_kk,
        "text_ru": announcement.text_ru,
        "text_en": announcement.text_en,
    }


def _page(
    request: HttpRequest,
    call: Call,
    announcement: Announcement,
    form: AnnouncementForm,
    *,
    confirm: bool = False,
    status: int = 200,
) -> HttpResponse:
    generated = announcement_generate(call)
    return render(
        request,
        "workspace/results/announcement.html",
        {
            "call": call,
            "announcement": announcement,
            "form": form,
            "generated": [
                ("kk", _("Kazakh"), generated["kk"]),
                ("ru", _("Russian"), generated["ru"]),
                ("en", _("English"), generated["en"]),
            ],
            "published": call.results_are_public,
            "confirm_regenerate": confirm,
            "crumb": _("Announcement of the results"),
        },
        status=status,
    )


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def results_announcement(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    announcement = announcement_get_or_generate(call)
    if request.method != "POST":
        return _page(request, call, announcement, AnnouncementForm(initial=_initial(announcement)))
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            announcement_save(actor=request.user, call=call, **form.cleaned_data)
        except DomainError as error:
            form.add_error("text_kk" if error.code == "text_kk" else None, error.message)
        else:
            messages.success(request, _("The announcement is saved."))
            return redirect("workspace:results_announcement", slug=call.slug)
    return _page(request, call, announcement, form, status=400)


@staff_view(ORGANISERS)
@require_http_methods(GET_POST)
def results_announcement_regenerate(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    """Replacing the texts with freshly generated ones loses any edits: asked first."""
    announcement = announcement_get_or_generate(call)
    form = AnnouncementForm(initial=_initial(announcement))
    if request.method != "POST":
        return _page(request, call, announcement, form, confirm=True)
    try:
        announcement_regenerate(actor=request.user, call=call)
    except DomainError as error:
        form = AnnouncementForm(_initial(announcement))
        form.is_valid()
        form.add_error(None, error.message)
        return _page(request, call, announcement, form, status=400)
    messages.success(request, _("The announcement was generated again from the results."))
    return redirect("workspace:results_announcement", slug=call.slug)

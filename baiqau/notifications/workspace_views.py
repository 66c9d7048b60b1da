"""Staff pages of a call's messages: the organiser's own wording of each kind of message, and the
e-mails sent about the call, with those that failed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.workspace.access import ORGANISERS, SCREENERS, staff_view

from .forms import DeliveryFilterForm, TemplateForm
from .messages import PLACEHOLDERS, placeholders_of
from .models import NotificationKind
from .preview import preview
from .selectors import (
    delivery_counts_for_call,
    delivery_for_call,
    delivery_list_for_call,
    wording_get,
    wording_table,
)
from .services import delivery_resend, notification_template_reset, notification_template_save

DELIVERIES_PAGE_SIZE = 50


def _kind_and_language(kind: str, language: str) -> tuple[str, str]:
    if kind not in NotificationKind.values or language not in dict(settings.LANGUAGES):
        raise Http404
    return kind, language


@staff_view(ORGANISERS)
@require_safe
def message_list(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    return render(
        request,
        "workspace/people/messages.html",
        {"call": call, "role": role, "table": wording_table(call), "crumb": _("Messages")},
    )


def _edit_context(
    call: Call, role: str, kind: str, language: str, form: TemplateForm, **extra: Any
) -> dict[str, Any]:
    used = placeholders_of(kind)
    return {
        "call": call,
        "role": role,
        "kind": kind,
        "kind_label": NotificationKind(kind).label,
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "form": form,
        "placeholders": [(name, meaning, name in used) for name, meaning in PLACEHOLDERS.items()],
        "crumb": _("Messages"),
        **extra,
    }


@staff_view(ORGANISERS)
@require_http_methods(["GET", "POST"])
def message_edit(
    request: HttpRequest, kind: str, language: str, *, call: Call, role: str
) -> HttpResponse:
    kind, language = _kind_and_language(kind, language)
    wording = wording_get(call, kind, language)
    if request.method == "POST" and request.POST.get("action") == "reset":
        if notification_template_reset(actor=request.user, call=call, kind=kind, language=language):
            messages.success(request, _("The message is back to the default wording."))
        return redirect("workspace:message_edit", slug=call.slug, kind=kind, language=language)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                notification_template_save(
                    actor=request.user, call=call, kind=kind, language=language, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The message is saved."))
                return redirect("workspace:messages", slug=call.slug)
        status = 400
    else:
        form = TemplateForm(initial={"subject": wording.subject, "body": wording.body})
        status = 200
    return render(
        request,
        "workspace/people/message_edit.html",
        _edit_context(call, role, kind, language, form, custom=wording.custom),
        status=status,
    )


@staff_view(ORGANISERS)
@require_http_methods(["GET", "POST"])
def message_preview(
    request: HttpRequest, kind: str, language: str, *, call: Call, role: str
) -> HttpResponse:
    """GET: the wording in use; POST: the text being edited, not saved yet."""
    kind, language = _kind_and_language(kind, language)
    wording = wording_get(call, kind, language)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "workspace/people/message_edit.html",
                _edit_context(call, role, kind, language, form, custom=wording.custom),
                status=400,
            )
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    else:
        subject, body = wording.subject, wording.body
        form = TemplateForm(initial={"subject": subject, "body": body})
    return render(
        request,
        "workspace/people/message_edit.html",
        _edit_context(
            call,
            role,
            kind,
            language,
            form,
            custom=wording.custom,
            preview=preview(call, language, subject, body),
        ),
    )


@staff_view(SCREENERS)
@require_safe
def delivery_list(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    form = DeliveryFilterForm(request.GET or None)
    shown = form.cleaned_data["shown"] if form.is_valid() else ""
    page = Paginator(delivery_list_for_call(call, shown), DELIVERIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/people/deliveries.html",
        {
            "call": call,
            "role": role,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": delivery_counts_for_call(call),
            "crumb": _("E-mails"),
        },
    )


@staff_view(SCREENERS)
@require_POST
def delivery_retry(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    delivery = delivery_for_call(call, pk)
    if delivery is None:
        raise Http404
    try:
        delivery_resend(actor=request.user, delivery=delivery)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        delivery.refresh_from_db()
        messages.success(
            request,
            _("The e-mail to %(to)s is being sent again. Its status now: %(status)s.")
            % {"to": delivery.to, "status": delivery.get_status_display()},
        )
    target = reverse("workspace:deliveries", kwargs={"slug": call.slug})
    shown = request.POST.get("shown", "")
    return redirect(f"{target}?{urlencode({'shown': shown})}" if shown else target)

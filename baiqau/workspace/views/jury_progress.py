"""The review's progress (who finished what, reminders to late experts) and one application's
review settings (its areas, the number of reviews it needs, redacted free texts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.review.models import ApplicationReviewSettings, Expert
from baiqau.review.reminders import review_reminder_send, review_reminders_late_send
from baiqau.review.selectors import call_progress
from baiqau.review.services import JURY_MANAGERS, plan_for
from baiqau.review.services.redaction import application_review_settings_save, redaction_save
from baiqau.review.staff_selectors import (
    FreeText,
    free_texts,
    progress_sorted,
    reminded_today,
    today_key,
)

from ..access import ALL_ROLES, SCREENERS, staff_view
from ..forms_jury import ApplicationReviewSettingsForm, RedactionForm
from .jury import refuse
from .jury_assign import jury_application

LACKING_SHOWN = 50
EXPERTS_PER_PAGE = 50


@staff_view(ALL_ROLES)
@require_safe
def review_progress(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    plan = plan_for(call)
    progress = call_progress(call, plan.reviews_per_application)
    rows = progress_sorted(progress)
    # A national programme has thousands of experts: the late ones come first, 50 a page.
    page = Paginator(rows, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    may_remind = role in JURY_MANAGERS
    return render(
        request,
        "workspace/jury/progress.html",
        {
            "call": call,
            "role": role,
            "progress": progress,
            "rows": page.object_list,
            "page": page,
            "lacking": progress.lacking[:LACKING_SHOWN],
            "more_lacking": max(0, len(progress.lacking) - LACKING_SHOWN),
            "may_remind": may_remind,
            "reminded": reminded_today(
                call, [r.expert.user_id for r in page.object_list], today_key()
            )
            if may_remind
            else set(),
            "late": sum(1 for r in rows if r.expert.is_active and r.left > 0),
            "crumb": _("Review progress"),
        },
    )


@staff_view(JURY_MANAGERS)
@require_POST
def review_remind(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    expert = get_object_or_404(Expert.objects.select_related("user"), call=call, pk=pk)
    try:
        sent = review_reminder_send(actor=request.user, expert=expert)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if sent is None:
            messages.warning(
                request,
                _(
                    "%(person)s was reminded today already: an expert gets at most one "
                    "reminder a day."
                )
                % {"person": expert.user},
            )
        else:
            messages.success(
                request, _("A reminder was sent to %(person)s.") % {"person": expert.user}
            )
    return redirect("workspace:review_progress", slug=call.slug)


@staff_view(JURY_MANAGERS)
@require_POST
def review_remind_late(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    try:
        result = review_reminders_late_send(actor=request.user, call=call)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workspace:review_progress", slug=call.slug)
    if not result.sent and result.already_sent:
        messages.warning(
            request,
            _(
                "Every late expert was reminded today already: an expert gets at most one "
                "reminder a day."
            ),
        )
        return redirect("workspace:review_progress", slug=call.slug)
    text = ngettext(
        "A reminder was sent to %(n)s expert.", "A reminder was sent to %(n)s experts.", result.sent
    ) % {"n": result.sent}
    if result.already_sent:
        text += " " + ngettext(
            "%(n)s expert was reminded today already and was not reminded again.",
            "%(n)s experts were reminded today already and were not reminded again.",
            result.already_sent,
        ) % {"n": result.already_sent}
    messages.success(request, text)
    return redirect("workspace:review_progress", slug=call.slug)


# --- One application's review settings and redactions ----------------------------------------


def _slug(name: str) -> str:
    return name.replace(":", "-")


def _redaction_form(text: FreeText, data: QueryDict | None = None) -> RedactionForm:
    shown = text.redacted if text.redacted is not None else text.original
    initial = {"field": text.name, "text": shown}
    return RedactionForm(data, initial=initial, auto_id=f"redact-{_slug(text.name)}-%s")


@staff_view(SCREENERS)
@require_http_methods(["GET", "POST"])
def application_jury(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    application = jury_application(call, pk)
    current = ApplicationReviewSettings.objects.filter(application=application).first()
    which = request.POST.get("form", "") if request.method == "POST" else ""
    settings_form = ApplicationReviewSettingsForm(
        request.POST if which == "settings" else None,
        tags=call.expertise_tags.all(),
        initial={
            "tags": list(current.tags.all()) if current else [],
            "reviews_needed": current.reviews_needed if current else None,
        },
    )
    texts = free_texts(application)
    posted_field = request.POST.get("field", "") if which == "redaction" else ""
    forms = [
        (text, _redaction_form(text, request.POST if text.name == posted_field else None))
        for text in texts
    ]
    if which == "settings" and settings_form.is_valid():
        try:
            application_review_settings_save(
                actor=request.user,
                application=application,
                tags=settings_form.cleaned_data["tags"],
                reviews_needed=settings_form.cleaned_data["reviews_needed"],
            )
        except DomainError as error:
            refuse(settings_form, error, error.code)
        else:
            messages.success(request, _("The application's review settings were saved."))
            return redirect("workspace:application_jury", slug=call.slug, pk=application.pk)
    bound = next((form for _text, form in forms if form.is_bound), None)
    if bound is not None and bound.is_valid():
        try:
            redaction_save(
                actor=request.user,
                application=application,
                field=bound.cleaned_data["field"],
                text=bound.cleaned_data["text"],
            )
        except DomainError as error:
            refuse(bound, error, "text")
        else:
            messages.success(request, _("The version experts see was saved."))
            return redirect("workspace:application_jury", slug=call.slug, pk=application.pk)
    if (request.method == "POST" and which not in ("settings", "redaction")) or (
        which == "redaction" and bound is None
    ):
        messages.error(request, _("This form is not on the page any more: reload it."))
    return render(
        request,
        "workspace/jury/application.html",
        {
            "call": call,
            "role": role,
            "application": application,
            "plan": plan_for(call),
            "settings_form": settings_form,
            "forms": [(text, form, _slug(text.name)) for text, form in forms],
            "crumb": _("Review settings"),
        },
        status=400 if request.method == "POST" else 200,
    )

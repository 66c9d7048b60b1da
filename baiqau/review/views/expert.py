"""The expert's own pages around the applications: their calls, profile, queue and bids."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.workspace.access import mfa_required

from ..expert_selectors import bid_candidates, bid_rows, expert_seats, queue_rows, review_is_open
from ..forms import BID_CHOICES, BidSearchForm, ProfileForm, parse_bids
from ..models import Expert, ReviewPlan
from ..services import expert_profile_update, expertise_tags_ensure
from ..services.bids import bid_save
from .access import expert_view

BIDS_PER_PAGE = 50
# Which profile field a refusal of the service is about.
PROFILE_ERROR_FIELDS = {"bin": "employer_bin", "languages": "languages", "max_load": "max_load"}


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    seats = expert_seats(request.user)
    return render(
        request,
        "review/home.html",
        {"seats": seats, "needs_mfa": bool(seats) and mfa_required(request.user)},
    )


@expert_view
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, *, call: Call, expert: Expert, plan: ReviewPlan) -> HttpResponse:
    tags = expertise_tags_ensure(call)
    if request.method == "POST":
        form = ProfileForm(request.POST, tags=tags, default_load=plan.max_load)
        if form.is_valid():
            data = form.cleaned_data
            try:
                expert_profile_update(
                    actor=request.user,
                    expert=expert,
                    tags=form.chosen_tags(),
                    expertise=data["expertise"],
                    languages=data["languages"],
                    employer_bin=data["employer_bin"],
                    max_load=data["max_load"],
                )
            except DomainError as error:
                form.add_error(PROFILE_ERROR_FIELDS.get(error.code), error.message)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("review:queue", slug=call.slug)
        status = 400
    else:
        form = ProfileForm(
            initial={
                "tags": [str(pk) for pk in expert.tags.values_list("pk", flat=True)],
                "expertise": expert.expertise,
                "languages": expert.languages,
                "employer_bin": expert.employer_bin,
                "max_load": expert.max_load,
            },
            tags=tags,
            default_load=plan.max_load,
        )
        status = 200
    return render(
        request,
        "review/profile.html",
        {"call": call, "plan": plan, "expert": expert, "form": form, "crumb": _("Profile")},
        status=status,
    )


@expert_view
@require_safe
def queue(request: HttpRequest, *, call: Call, expert: Expert, plan: ReviewPlan) -> HttpResponse:
    rows = queue_rows(expert, plan.blind)
    counted = [row for row in rows if row.state != "conflict"]
    return render(
        request,
        "review/queue.html",
        {
            "call": call,
            "plan": plan,
            "expert": expert,
            "rows": rows,
            "total": len(counted),
            "submitted": sum(1 for row in counted if row.state == "submitted"),
            "review_open": review_is_open(call),
        },
    )


@expert_view
@require_http_methods(["GET", "POST"])
def bids(request: HttpRequest, *, call: Call, expert: Expert, plan: ReviewPlan) -> HttpResponse:
    if not plan.bidding_open:
        raise Http404
    search = BidSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page_number = request.GET.get("page")
    posted: dict[str, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        query = str(request.POST.get("q", ""))[:200]
        page_number = request.POST.get("page")
        values, refused = parse_bids(request.POST)
        posted = {str(pk): "" if v is None else str(v) for pk, v in values.items()}
        if refused:
            errors.append(_("Choose one of the offered answers for each bid."))
        else:
            try:
                changed = bid_save(actor=request.user, call=call, values=values)
            except DomainError as error:
                errors.append(error.message)
            else:
                messages.success(
                    request,
                    ngettext("%(n)s bid saved.", "%(n)s bids saved.", changed) % {"n": changed}
                    if changed
                    else _("Nothing changed."),
                )
                params = {k: v for k, v in (("q", query), ("page", page_number)) if v}
                url = reverse("review:bids", kwargs={"slug": call.slug})
                return redirect(f"{url}?{urlencode(params)}" if params else url)
    page = Paginator(bid_candidates(expert, plan.blind, query), BIDS_PER_PAGE).get_page(page_number)
    rows = bid_rows(expert, list(page.object_list), plan.blind)
    selected = [
        (row, posted.get(str(row.application.pk), "" if row.value is None else str(row.value)))
        for row in rows
    ]
    return render(
        request,
        "review/bids.html",
        {
            "call": call,
            "plan": plan,
            "expert": expert,
            "search": search,
            "query": query,
            "page": page,
            "rows": selected,
            "choices": BID_CHOICES,
            "errors": errors,
            "page_query": urlencode({"q": query}) if query else "",
            "crumb": _("Bids"),
        },
        status=400 if errors else 200,
    )

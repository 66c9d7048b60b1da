"""A person's own notifications and subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.core.auth import AuthenticatedRequest

from .forms import SubscriptionForm
from .models import Subscription
from .selectors import notification_list
from .services import notification_mark_read, notifications_mark_all_read, subscription_set

PAGE_SIZE = 30


def _back(request: AuthenticatedRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_safe
def notification_list_view(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(notification_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "has_unread": any(n.read_at is None for n in page)},
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    marked = notification_mark_read(actor=request.user, notification_id=pk)
    # Marking a read notification again is harmless; someone else's is not found.
    if not marked and not request.user.notifications.filter(pk=pk).exists():
        raise Http404
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: AuthenticatedRequest) -> HttpResponse:
    current = Subscription.objects.filter(user=request.user).first()
    form = SubscriptionForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        subscription_set(actor=request.user, new_calls=form.cleaned_data["new_calls"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:subscriptions")
    return render(request, "notifications/subscriptions.html", {"form": form})

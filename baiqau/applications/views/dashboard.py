from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baiqau.calls.selectors import call_get_public
from baiqau.core.auth import AuthenticatedRequest, login_required_keeping_input
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Membership

from ..forms import ReplyForm
from ..models import Application, Message
from ..selectors import application_for_member, dashboard_for
from ..services import application_start, message_reply
from ..services.eligibility import eligibility_problems
from ..uploads import ACCEPT_ATTRIBUTE, SizeLimitUploadHandler


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/dashboard.html",
        {
            "dashboard": dashboard_for(request.user),
            "reply_form": ReplyForm(),
            "accept": ACCEPT_ATTRIBUTE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Choose which of one's organisations applies; ineligible ones are told why up front."""
    call = call_get_public(slug)
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("organisation").order_by("id")
    )
    drafts = {
        a.organisation_id: a
        for a in Application.objects.filter(
            call=call, organisation__in=[m.organisation for m in memberships]
        ).exclude(status="withdrawn")
    }
    if request.method == "POST":
        organisation = next(
            (
                m.organisation
                for m in memberships
                if str(m.organisation_id) == request.POST.get("organisation")
            ),
            None,
        )
        if organisation is None:
            messages.error(request, _("Choose one of your organisations."))
        elif organisation.pk in drafts:
            return redirect("applicants:review", pk=drafts[organisation.pk].pk)
        else:
            try:
                application = application_start(
                    actor=request.user, call=call, organisation=organisation
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                return redirect("applicants:section", pk=application.pk, key="project")
    choices = [
        {
            "organisation": m.organisation,
            "problems": eligibility_problems(call, m.organisation),
            "existing": drafts.get(m.organisation_id),
        }
        for m in memberships
    ]
    return render(request, "applications/apply.html", {"call": call, "choices": choices})


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The size limit must be in place before anything reads the body (see views/files.py).
    request.upload_handlers = [
        SizeLimitUploadHandler(request, settings.BAIQAU_ATTACHMENT_MAX_BYTES),
        *request.upload_handlers,
    ]
    return _reply(request, pk)


reply.csrf_exempt = True  # type: ignore[attr-defined]  # checked by _reply, see above


@login_required_keeping_input
@csrf_protect
def _reply(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", None) is not None:
        messages.error(request, _("The file is larger than 10 MB: nothing was sent."))
    elif form.is_valid():
        try:
            message_reply(
                actor=request.user,
                application=application,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("file"),
            )
            messages.success(request, _("Your answer was sent to the secretariat."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Write your message before sending it."))
    return redirect(f"{reverse('applicants:dashboard')}#application-{pk}")


@login_required_keeping_input
@require_safe
def message_file(request: HttpRequest, pk: int, message_pk: int) -> FileResponse:
    application = application_for_member(request.user, pk)
    message = Message.objects.filter(application=application, pk=message_pk).first()
    if message is None or not message.file:
        raise Http404
    return FileResponse(
        message.file.open("rb"),
        as_attachment=True,
        filename=message.file_name,
        content_type=message.file_type,
    )

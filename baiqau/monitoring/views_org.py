"""The organisation's side of a funded project: its list, the agreement, accepting it, its PDF.

Only members of the funded organisation see these pages; anyone else gets a 404. The
reports' pages are in views_org_reports.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from baiqau.core.auth import login_required_keeping_input
from baiqau.core.errors import DomainError

from .forms_org import AcceptForm
from .models import Agreement
from .selectors_org import agreement_for_member, agreement_page, projects_for
from .services import agreement_accept as accept_agreement


@login_required
@require_safe
def projects(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/org/projects.html", {"rows": projects_for(request.user)})


@login_required
@require_safe
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    found = agreement_for_member(request.user, pk)
    return render(
        request,
        "monitoring/org/agreement.html",
        {"page": agreement_page(request.user, found), "form": AcceptForm()},
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def agreement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner confirms they have read the agreement, then accepts it (audited)."""
    found = agreement_for_member(request.user, pk)
    page = agreement_page(request.user, found)
    if request.method == "GET":
        return render(request, "monitoring/org/accept.html", {"page": page, "form": AcceptForm()})
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return render(
            request, "monitoring/org/accept.html", {"page": page, "form": form}, status=400
        )
    try:
        accept_agreement(actor=request.user, agreement=found)
    except DomainError as error:
        if error.code == "not_member":
            return render(
                request,
                "monitoring/org/accept.html",
                {"page": page, "form": form, "refused": error.message},
                status=403,
            )
        messages.error(request, error.message)
        return redirect("monitoring:agreement", pk=pk)
    messages.success(
        request,
        _("You accepted the agreement %(number)s. You can now write its reports.")
        % {"number": found.number},
    )
    return redirect("monitoring:agreement", pk=pk)


def agreement_pdf_bytes(user: Any, agreement: Agreement) -> bytes:
    """The agreement as an A4 PDF in the agreement's language (fonts embedded)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    language = agreement.language or "kk"
    with translation.override(language):
        html = render_to_string(
            "monitoring/org/agreement_pdf.html",
            {"page": agreement_page(user, agreement), "language": language},
        )
        return bytes(HTML(string=html).write_pdf(pdf_tags=True))


@login_required
@require_safe
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = agreement_for_member(request.user, pk)
    response = HttpResponse(
        agreement_pdf_bytes(request.user, found), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="agreement-{found.number}.pdf"'
    return response

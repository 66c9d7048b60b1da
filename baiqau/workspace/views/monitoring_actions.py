"""Changes to an agreement, its payments and its visits, for the organisers and the secretariat.

Each change is a small endpoint: GET shows what will happen (a confirmation, or the form with
the reason, the date and the reference it needs), POST makes it. A refusal shows on the same
page with what the person typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_stubs_ext import StrOrPromise

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.domain.money import format_tenge
from baiqau.monitoring.models import Agreement, Tranche
from baiqau.monitoring.selectors_staff import (
    agreement_for_staff,
    local_today,
    visit_photo_for_staff,
    waits_for,
)
from baiqau.monitoring.services import (
    agreement_close,
    agreement_offer,
    agreement_reopen,
    agreement_withdraw_offer,
    tranche_approve,
    tranche_pay,
    tranche_reinstate,
    tranche_withhold,
    visit_record,
)

from ..access import staff_view
from ..forms_monitoring import PayForm, ReasonForm, VisitForm
from .monitoring import ACTORS, GET_POST, VIEWERS


def _back(agreement: Agreement) -> HttpResponse:
    return redirect("workspace:agreement", slug=agreement.call.slug, pk=agreement.pk)


def _facts(agreement: Agreement) -> list[tuple[StrOrPromise, str]]:
    return [
        (_("Agreement"), agreement.number),
        (_("Project"), str(agreement.application.title)),
        (_("Organisation"), str(agreement.application.organisation)),
        (_("Amount"), format_tenge(agreement.amount)),
    ]


def _confirm(
    request: HttpRequest,
    agreement: Agreement,
    *,
    act: Callable[[Any], Any],
    title: StrOrPromise,
    points: list[StrOrPromise],
    button: StrOrPromise,
    done: StrOrPromise,
    form: BaseForm | None = None,
    fields: dict[str, str] | None = None,
    facts: list[tuple[StrOrPromise, str]] | None = None,
    danger: bool = False,
) -> HttpResponse:
    """A confirmation page (with a form, when the change needs a reason or details); POST acts.

    `fields` maps a service's refusal code to the field it is about."""
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            act(form)
        except DomainError as refusal:
            field = (fields or {}).get(refusal.code)
            if form is not None and field is not None:
                form.add_error(field, refusal.message)
            else:
                error = refusal.message
        else:
            messages.success(request, done)
            return _back(agreement)
    return render(
        request,
        "workspace/monitoring/confirm.html",
        {
            "call": agreement.call,
            "agreement": agreement,
            "title": title,
            "points": points,
            "button": button,
            "form": form,
            "error": error,
            "facts": facts if facts is not None else _facts(agreement),
            "danger": danger,
            "crumb": title,
        },
        status=400 if request.method == "POST" else 200,
    )


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- The agreement -----------------------------------------------------------------------------


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def agreement_offer_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    return _confirm(
        request,
        agreement,
        act=lambda _form: agreement_offer(actor=request.user, agreement=agreement),
        title=_("Offer the agreement to the organisation?"),
        points=[
            _("The organisation's owner can then read the agreement and accept it in Baiqau."),
            _("While it is offered, it cannot be changed; withdraw the offer to change it."),
        ],
        button=_("Yes, offer the agreement"),
        done=_("The agreement is offered to the organisation."),
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def agreement_withdraw_view(
    request: HttpRequest, pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    form = ReasonForm(_data(request), label=_("Why the offer is withdrawn"))
    return _confirm(
        request,
        agreement,
        act=lambda f: agreement_withdraw_offer(
            actor=request.user, agreement=agreement, reason=f.cleaned_data["reason"]
        ),
        title=_("Withdraw the offer?"),
        points=[
            _("The agreement goes back to a draft that you can change and offer again."),
            _("The organisation can no longer accept it until it is offered again."),
        ],
        button=_("Withdraw the offer"),
        done=_("The offer was withdrawn; the agreement is a draft again."),
        form=form,
        fields={"reason": "reason"},
        danger=True,
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def agreement_close_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    return _confirm(
        request,
        agreement,
        act=lambda _form: agreement_close(actor=request.user, agreement=agreement),
        title=_("Close the agreement?"),
        points=[
            _("Every report must be accepted and every tranche paid or withheld."),
            _("A closed agreement can be reopened only with a reason, which is recorded."),
        ],
        button=_("Yes, close the agreement"),
        done=_("The agreement is closed."),
        danger=True,
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def agreement_reopen_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    form = ReasonForm(_data(request), label=_("Why the agreement is reopened"))
    return _confirm(
        request,
        agreement,
        act=lambda f: agreement_reopen(
            actor=request.user, agreement=agreement, reason=f.cleaned_data["reason"]
        ),
        title=_("Reopen the agreement?"),
        points=[_("The agreement becomes accepted again: its reports and payments can move.")],
        button=_("Reopen the agreement"),
        done=_("The agreement was reopened."),
        form=form,
        fields={"reason": "reason"},
    )


# --- Payments ----------------------------------------------------------------------------------


def _tranche(agreement: Agreement, pk: int) -> Tranche:
    tranche = get_object_or_404(
        Tranche.objects.select_related("condition_report"), agreement=agreement, pk=pk
    )
    tranche.agreement = agreement
    return tranche


def _tranche_facts(agreement: Agreement, tranche: Tranche) -> list[tuple[StrOrPromise, str]]:
    facts = _facts(agreement)[:3]
    facts += [
        (_("Tranche"), format_tenge(tranche.amount)),
        (_("Planned date"), date_format(tranche.planned_date, "DATE_FORMAT")),
        (_("Status"), str(tranche.get_status_display())),
    ]
    report = tranche.condition_report
    if report is not None:
        facts.append(
            (
                _("Paid once this report is accepted"),
                f"{report.get_kind_display()} ({report.get_status_display()})",
            )
        )
    return facts


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def tranche_approve_view(
    request: HttpRequest, pk: int, tranche_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    tranche = _tranche(agreement, tranche_pk)
    waiting = waits_for(tranche)
    return _confirm(
        request,
        agreement,
        act=lambda _form: tranche_approve(actor=request.user, tranche=tranche),
        title=_("Approve this tranche for payment?"),
        points=[waiting]
        if waiting
        else [
            _("The tranche can then be marked as paid, with the payment's date and reference."),
            _("An approved tranche can still be withheld, with a reason."),
        ],
        button=_("Approve for payment"),
        done=_("The tranche of %(amount)s is approved for payment.")
        % {"amount": format_tenge(tranche.amount)},
        facts=_tranche_facts(agreement, tranche),
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def tranche_pay_view(
    request: HttpRequest, pk: int, tranche_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    tranche = _tranche(agreement, tranche_pk)
    form = PayForm(_data(request), initial={"paid_on": local_today()})
    return _confirm(
        request,
        agreement,
        act=lambda f: tranche_pay(
            actor=request.user,
            tranche=tranche,
            paid_on=f.cleaned_data["paid_on"],
            reference=f.cleaned_data["reference"],
        ),
        title=_("Mark this tranche as paid?"),
        points=[_("A payment marked as paid cannot be undone; check the date and reference.")],
        button=_("Mark as paid"),
        done=_("The tranche of %(amount)s is marked as paid.")
        % {"amount": format_tenge(tranche.amount)},
        form=form,
        fields={"reference": "reference", "paid_on": "paid_on"},
        facts=_tranche_facts(agreement, tranche),
        danger=True,
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def tranche_withhold_view(
    request: HttpRequest, pk: int, tranche_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    tranche = _tranche(agreement, tranche_pk)
    form = ReasonForm(
        _data(request),
        label=_("Why the tranche is withheld"),
        help_text=_("The organisation sees this reason. It is recorded in the audit log."),
    )
    return _confirm(
        request,
        agreement,
        act=lambda f: tranche_withhold(
            actor=request.user, tranche=tranche, reason=f.cleaned_data["reason"]
        ),
        title=_("Withhold this tranche?"),
        points=[_("The money is not paid; the tranche can be reinstated later with a reason.")],
        button=_("Withhold the tranche"),
        done=_("The tranche of %(amount)s is withheld.") % {"amount": format_tenge(tranche.amount)},
        form=form,
        fields={"reason": "reason"},
        facts=_tranche_facts(agreement, tranche),
        danger=True,
    )


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def tranche_reinstate_view(
    request: HttpRequest, pk: int, tranche_pk: int, *, call: Call, role: str
) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    tranche = _tranche(agreement, tranche_pk)
    form = ReasonForm(_data(request), label=_("Why the tranche is reinstated"))
    return _confirm(
        request,
        agreement,
        act=lambda f: tranche_reinstate(
            actor=request.user, tranche=tranche, reason=f.cleaned_data["reason"]
        ),
        title=_("Reinstate this tranche?"),
        points=[_("The tranche is planned again and can be approved once its condition is met.")],
        button=_("Reinstate the tranche"),
        done=_("The tranche of %(amount)s is planned again.")
        % {"amount": format_tenge(tranche.amount)},
        form=form,
        fields={"reason": "reason"},
        facts=_tranche_facts(agreement, tranche),
    )


# --- Visits ------------------------------------------------------------------------------------


@staff_view(ACTORS)
@require_http_methods(GET_POST)
def visit_record_view(request: HttpRequest, pk: int, *, call: Call, role: str) -> HttpResponse:
    agreement = agreement_for_staff(call, pk)
    form = VisitForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_record(actor=request.user, agreement=agreement, **form.cleaned_data)
        except DomainError as refusal:
            field = {"visited_on": "visited_on", "findings": "findings", "photo": "photos"}
            form.add_error(field.get(refusal.code), refusal.message)
        else:
            messages.success(request, _("The visit was recorded."))
            return _back(agreement)
    return render(
        request,
        "workspace/monitoring/visit.html",
        {
            "call": call,
            "agreement": agreement,
            "form": form,
            "crumb": _("Record a visit"),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view(VIEWERS)
@require_safe
def visit_photo(
    request: HttpRequest, pk: int, visit_pk: int, photo_pk: int, *, call: Call, role: str
) -> FileResponse:
    photo = visit_photo_for_staff(agreement_for_staff(call, pk), visit_pk, photo_pk)
    return FileResponse(
        photo.file.open("rb"),
        as_attachment=True,
        filename=photo.original_name,
        content_type=photo.content_type,
    )

"""A call's results, for its staff: the result rules (fixed before review) and the current
ranking with its method, ties, rank intervals, disagreements and the experts' effects.

Publishing and withdrawing the results are in `results_publish`; the words and the reads of
these pages in `results_data`.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from baiqau.calls.models import Call, CallRoleKind
from baiqau.core.errors import DomainError
from baiqau.results.models import Ranking
from baiqau.results.services import (
    ranking_compute,
    result_rules_for,
    result_rules_update,
    rules_editable,
)
from baiqau.results.wording import rules_data

from ..access import ALL_ROLES, COMMISSION, ORGANISERS, SCREENERS, staff_view
from ..forms_results import TIE_FIELDS, ComputeForm, ResultRulesForm
from .jury import refuse
from .results_data import (
    current_ranking_for_staff,
    effects_for,
    rules_summary,
    table_for,
    ties_for,
)

GET_POST = ["GET", "POST"]
# Who sees the ranking: the organisers, the secretariat and the commission (not observers).
RESULTS_ROLES = ORGANISERS | SCREENERS | COMMISSION
# Who may compute it: the organisers and the commission's chair.
COMPUTE_ROLES = frozenset({CallRoleKind.ORGANISER, CallRoleKind.CHAIR})
# A DomainError's code → the field of the rules form it is about.
RULES_ERROR_FIELDS = {
    "tie_break": TIE_FIELDS[0],
    "lottery_value": "lottery_value",
    "decides": "decides",
    "partial_last_grant": "partial_last_grant",
}


# --- The result rules -------------------------------------------------------------------------


@staff_view(ALL_ROLES)
@require_http_methods(GET_POST)
def results_rules(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    if request.method == "POST" and role not in ORGANISERS:
        raise PermissionDenied
    rules = result_rules_for(call)
    criteria = list(call.criteria.all())
    names = {str(c.pk): str(c.name) for c in criteria}
    editable = rules_editable(call)
    form: ResultRulesForm | None = None
    refusal = ""
    status = 200
    if editable and role in ORGANISERS:
        posted = request.POST if request.method == "POST" else None
        form = ResultRulesForm(
            posted, call=call, criteria=criteria, initial=ResultRulesForm.initial_from(rules)
        )
        if posted is not None and form.is_valid():
            try:
                result_rules_update(actor=request.user, call=call, **form.values())
            except DomainError as error:
                refuse(form, error, RULES_ERROR_FIELDS.get(error.code or ""))
            else:
                messages.success(request, _("The result rules were saved."))
                return redirect("workspace:results_rules", slug=call.slug)
        if posted is not None:
            status = 400
    elif request.method == "POST":
        refusal = _("The result rules are fixed once review has begun.")
        status = 400
    return render(
        request,
        "workspace/results/rules.html",
        {
            "call": call,
            "role": role,
            "form": form,
            "editable": editable,
            "refusal": refusal,
            # A value nobody chose: fresh on every page, for the organiser to copy if they wish.
            "suggestion": secrets.token_hex(16) if form is not None else "",
            "summary": rules_summary(rules_data(call, rules), names),
            "may_see_results": role in RESULTS_ROLES,
            "crumb": _("Result rules"),
        },
        status=status,
    )


# --- The ranking ------------------------------------------------------------------------------


def _votes(ranking: Ranking | None) -> dict[int, int] | None:
    """The commission's tie votes: a recomputation keeps them (they are its decision)."""
    if ranking is None or not ranking.votes:
        return None
    return {int(a): int(n) for a, n in ranking.votes.items()}


@staff_view(RESULTS_ROLES)
@require_http_methods(GET_POST)
def results(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    if request.method == "POST" and role not in COMPUTE_ROLES:
        raise PermissionDenied
    ranking = current_ranking_for_staff(call)
    confirmed = ranking is not None and ranking.confirmed_at is not None
    form = ComputeForm(request.POST if request.method == "POST" else None, needs_reason=confirmed)
    if request.method == "POST" and form.is_valid():
        try:
            ranking_compute(
                actor=request.user, call=call, votes=_votes(ranking), reason=form.reason_text()
            )
        except DomainError as error:
            refuse(form, error, "reason" if error.code == "reason" else None)
        else:
            messages.success(
                request,
                _("The ranking was computed.")
                + (" " + _("It needs the commission's vote again.") if confirmed else ""),
            )
            return redirect("workspace:results", slug=call.slug)
    criteria = list(call.criteria.all())
    names = {str(c.pk): str(c.name) for c in criteria}
    context: dict[str, Any] = {
        "call": call,
        "role": role,
        "ranking": ranking,
        "criteria": criteria,
        "form": form,
        "compute_role": role in COMPUTE_ROLES,
        "may_compute": role in COMPUTE_ROLES and not call.results_are_public,
        "is_organiser": role in ORGANISERS,
        "may_discuss": role in SCREENERS,
        "decision_url": reverse("workspace:decision", args=[call.slug]),
        "crumb": _("Results"),
    }
    if ranking is None:
        context["summary"] = rules_summary(rules_data(call, result_rules_for(call)), names)
    else:
        table = table_for(ranking, criteria, names, request.GET.get("page"))
        context |= {
            "summary": rules_summary(ranking.rules, names),
            "page": table.page,
            "rows": table.rows,
            "ties": ties_for(ranking, names),
            "effects": effects_for(ranking, with_names=role in ORGANISERS),
            "calibrated": ranking.rules.get("calibration", "none") != "none",
            "decides_calibrated": ranking.rules.get("decides") == "calibrated",
        }
    return render(
        request,
        "workspace/results/results.html",
        context,
        status=400 if request.method == "POST" else 200,
    )

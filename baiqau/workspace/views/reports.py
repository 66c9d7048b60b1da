"""Reports of a call: the dashboard (figures, charts with their tables) and list exports."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import CharField, Count, Min, Sum, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim, TruncDate
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from baiqau.applications import exports
from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.tasks import export_applications
from baiqau.calls.models import AwardScheme, Call
from baiqau.core.charts import bar_chart_svg, day_chart_svg
from baiqau.core.i18n import language_fallbacks
from baiqau.domain.money import format_tenge
from baiqau.organisations.models import OrganisationType

from ..access import staff_view
from ..forms import ScreeningFilterForm
from .screening import _filters

logger = logging.getLogger(__name__)

TOP_TARGET_GROUPS = 10
# Longer spans (a call reopened a year later) are drawn from the days that have submissions.
MAX_FILLED_DAYS = 400
# Statuses of applications that can no longer receive money (or never asked for it).
OUT_OF_THE_RUNNING = {
    ApplicationStatus.DRAFT,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.NOT_AWARDED,
}


@dataclass(frozen=True)
class Figures:
    by_status: list[tuple[str, int, int]]  # label, applications, requested ₸
    drafts: int
    submitted: int
    requested_all: int  # every submitted application, withdrawn ones included
    by_org_type: list[tuple[str, int, int]]
    target_groups: list[tuple[str, int]]
    requested: int  # every submitted application but the withdrawn ones
    requested_in_running: int
    available: int | None
    per_day: list[tuple[date, int]]


def _target_group_key() -> Coalesce:
    """The target group in the active language, falling back like the pages do."""
    texts = [NullIf(Trim(f"target_group_{code}"), Value("")) for code in language_fallbacks()]
    return Coalesce(*texts, output_field=CharField())


def _per_day(rows: list[dict[str, Any]]) -> list[tuple[date, int]]:
    counts = {row["day"]: row["n"] for row in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if (last - first).days > MAX_FILLED_DAYS:
        return sorted(counts.items())
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def _merge_case(rows: Any) -> list[tuple[str, int]]:
    """Count "Балалар" and "балалар" together.

    PostgreSQL's LOWER() already did; SQLite's lowers ASCII letters only, so the groups are
    merged again here (over a few times as many groups as are shown).
    """
    merged: dict[str, list[Any]] = {}
    for row in rows:
        entry = merged.setdefault(row["label"].casefold(), [row["label"], 0])
        entry[1] += row["n"]
    ranked = sorted(merged.items(), key=lambda item: (-item[1][1], item[0]))
    return [(label, n) for _key, (label, n) in ranked[:TOP_TARGET_GROUPS]]


def call_figures(call: Call) -> Figures:
    """The dashboard's figures in a fixed number of aggregate queries (4, or 5 for prizes)."""
    applications = Application.objects.filter(call=call)
    submitted = applications.exclude(status=ApplicationStatus.DRAFT)
    statuses = {
        row["status"]: (row["n"], row["requested"] or 0)
        for row in applications.values("status")
        .annotate(n=Count("id"), requested=Sum("requested_amount"))
        .order_by()
    }
    types = {
        row["organisation__org_type"]: (row["n"], row["requested"] or 0)
        for row in submitted.values("organisation__org_type")
        .annotate(n=Count("id"), requested=Sum("requested_amount"))
        .order_by()
    }
    targets = (
        submitted.annotate(target=_target_group_key())
        .exclude(target=None)
        .annotate(key=Lower("target"))
        .values("key")
        .annotate(n=Count("id"), label=Min("target"))
        .order_by("-n", "key")[: TOP_TARGET_GROUPS * 5]
    )
    days = (
        submitted.exclude(submitted_at=None)
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    if call.award_scheme == AwardScheme.POOL:
        available = call.pool_amount
    else:
        available = call.prizes.aggregate(total=Sum("amount"))["total"]
    return Figures(
        by_status=[
            (str(label), *statuses[value])
            for value, label in ApplicationStatus.choices
            if value in statuses and value != ApplicationStatus.DRAFT
        ],
        drafts=statuses.get(ApplicationStatus.DRAFT, (0, 0))[0],
        submitted=sum(n for s, (n, _r) in statuses.items() if s != ApplicationStatus.DRAFT),
        requested_all=sum(r for s, (_n, r) in statuses.items() if s != ApplicationStatus.DRAFT),
        by_org_type=[
            (str(label), *types.get(value, (0, 0))) for value, label in OrganisationType.choices
        ]
        + [
            (value, *figures)
            for value, figures in types.items()
            if value not in OrganisationType.values
        ],
        target_groups=_merge_case(targets),
        requested=sum(
            r
            for s, (_n, r) in statuses.items()
            if s not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
        ),
        requested_in_running=sum(
            r for s, (_n, r) in statuses.items() if s not in OUT_OF_THE_RUNNING
        ),
        available=available,
        per_day=_per_day(list(days)),
    )


def _charts(figures: Figures) -> dict[str, SafeString]:
    charts: dict[str, str] = {}
    applications = _("Applications")
    if figures.by_status:
        charts["status"] = bar_chart_svg(
            [row[0] for row in figures.by_status],
            [row[1] for row in figures.by_status],
            title=_("Applications by status"),
            xlabel=applications,
        )
    if figures.submitted:
        charts["org_type"] = bar_chart_svg(
            [row[0] for row in figures.by_org_type],
            [row[1] for row in figures.by_org_type],
            title=_("Applications by organisation type"),
            xlabel=applications,
        )
    if figures.target_groups:
        charts["target"] = bar_chart_svg(
            [row[0] for row in figures.target_groups],
            [row[1] for row in figures.target_groups],
            title=_("Most frequent target groups"),
            xlabel=applications,
        )
    if figures.submitted:
        charts["money"] = bar_chart_svg(
            [row[0] for row in _money_rows(figures)],
            [row[1] for row in _money_rows(figures)],
            title=_("Requested amounts and the funds available"),
            value_format=lambda v: format_tenge(round(v)),
        )
    if figures.per_day:
        charts["per_day"] = day_chart_svg(
            [row[0] for row in figures.per_day],
            [row[1] for row in figures.per_day],
            title=_("Submissions per day (Almaty time)"),
            ylabel=applications,
        )
    # The markup is matplotlib's paths plus an escaped <title>: no text of anyone's is in it raw.
    return {key: mark_safe(svg) for key, svg in charts.items()}  # noqa: S308


def _money_rows(figures: Figures) -> list[tuple[str, int]]:
    rows = [
        (_("Requested by all submitted applications"), figures.requested),
        (_("Requested by applications still in the running"), figures.requested_in_running),
    ]
    if figures.available is not None:
        rows.append((_("Available to award"), figures.available))
    return rows


@staff_view()
@require_safe
def dashboard(request: HttpRequest, *, call: Call, role: str) -> HttpResponse:
    figures = call_figures(call)
    ratio = None
    if figures.available:
        ratio = number_format(Decimal(figures.requested) / Decimal(figures.available), 1)
    return render(
        request,
        "workspace/reports/dashboard.html",
        {
            "call": call,
            "role": role,
            "figures": figures,
            "money_rows": _money_rows(figures),
            "ratio": ratio,
            "charts": _charts(figures),
            "form": ScreeningFilterForm(),
            "crumb": _("Dashboard"),
        },
    )


def _export_response(call: Call, fmt: str, filters: Any) -> HttpResponse | StreamingHttpResponse:
    headers = {
        "Content-Disposition": content_disposition_header(True, exports.export_filename(call, fmt))
    }
    rows = exports.export_rows(call, filters)
    if fmt == "csv":
        return StreamingHttpResponse(
            exports.csv_chunks(rows), content_type=exports.FORMATS[fmt], headers=headers
        )
    buffer = io.BytesIO()  # a few hundred kilobytes at most below the streaming limit
    exports.write_xlsx(rows, buffer, sheet_title=_("Applications"))
    return HttpResponse(buffer.getvalue(), content_type=exports.FORMATS[fmt], headers=headers)


@staff_view()
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: HttpRequest, fmt: str, *, call: Call, role: str) -> Any:
    """GET: the file at once, or for a long list, a page offering to prepare it in the
    background; POST: start that background export."""
    if fmt not in exports.FORMATS:
        raise Http404
    filters = _filters(ScreeningFilterForm(request.GET or None))
    if request.method == "POST":
        result = export_applications.enqueue(
            call.pk, fmt, exports.filters_to_json(filters), get_language()
        )
        if result.status == TaskResultStatus.FAILED:
            logger.error("Export %s of call %s failed: %s", result.id, call.pk, result.errors)
            return render(
                request,
                "workspace/reports/export_status.html",
                {"call": call, "state": "failed", "fmt": fmt, "crumb": _("Export")},
                status=500,
            )
        return redirect("workspace:export_status", slug=call.slug, fmt=fmt, result_id=result.id)
    count = exports.export_count(call, filters)
    if count <= exports.stream_limit():
        return _export_response(call, fmt, filters)
    return render(
        request,
        "workspace/reports/export_start.html",
        {
            "call": call,
            "fmt": fmt,
            "count": count,
            "limit": exports.stream_limit(),
            "crumb": _("Export"),
        },
    )


def _export_state(call: Call, fmt: str, result_id: str) -> tuple[str, dict[str, Any]]:
    """("ready" | "pending" | "failed" | "expired", the task's return value), or a 404 when
    the export does not exist or belongs to another call."""
    if fmt not in exports.FORMATS or not exports.valid_result_id(result_id):
        raise Http404
    name = exports.export_path(call.pk, result_id, fmt)
    if not export_applications.get_backend().supports_get_result:
        # The immediate backend keeps no results: the task ran inside the request that
        # started it, and the file (named after the result) is there or it never will be.
        if default_storage.exists(name):
            return "ready", {}
        raise Http404
    try:
        result = export_applications.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch) as error:
        raise Http404 from error
    if list(result.args[:2]) != [call.pk, fmt]:
        raise Http404  # another call's export: the same answer as one that does not exist
    if result.status == TaskResultStatus.SUCCESSFUL:
        # Old files are purged (exports.exports_purge); the result outlives them.
        return ("ready" if default_storage.exists(name) else "expired"), result.return_value or {}
    if result.status == TaskResultStatus.FAILED:
        return "failed", {}
    return "pending", {}


@staff_view()
@require_safe
def export_status(
    request: HttpRequest, fmt: str, result_id: str, *, call: Call, role: str
) -> HttpResponse:
    state, value = _export_state(call, fmt, result_id)
    return render(
        request,
        "workspace/reports/export_status.html",
        {
            "call": call,
            "fmt": fmt,
            "state": state,
            "rows": value.get("rows"),
            "result_id": result_id,
            "crumb": _("Export"),
        },
    )


@staff_view()
@require_safe
def export_download(
    request: HttpRequest, fmt: str, result_id: str, *, call: Call, role: str
) -> FileResponse:
    state, _value = _export_state(call, fmt, result_id)
    if state != "ready":
        raise Http404
    return FileResponse(
        default_storage.open(exports.export_path(call.pk, result_id, fmt), "rb"),
        as_attachment=True,
        filename=exports.export_filename(call, fmt),
        content_type=exports.FORMATS[fmt],
    )

"""Reports: a draft the organisation keeps, submitted as a version, reviewed by staff.

The draft is one JSON document (kept between sessions like an application draft)::

    {"done": "...", "changed": "...", "difficulties": "...",
     "indicators": {"<indicator id>": "12.5"},
     "beneficiaries": [{"age_group": "18-34", "sex": "f", "disability": true,
                        "disability_group": "2", "count": 5}],
     "spending": {"<budget line id>": {"spent": 100000, "explanation": "..."}}}

Beneficiaries reached are counted per report for its period (new people since the previous
report), so a project's and a call's totals are the sums over accepted reports.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from baiqau.applications.uploads import EXTENSIONS, sha256_of, sniff_content_type
from baiqau.audit.services import audit_record
from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..models import (
    AgeGroup,
    AgreementStatus,
    BeneficiaryCount,
    DisabilityGroup,
    IndicatorValue,
    Report,
    ReportFile,
    ReportReview,
    ReportStatus,
    ReportVersion,
    Sex,
    SpendingLine,
)
from ..transitions import REPORT
from .agreements import monitoring_for
from .common import apply_move, check_member, check_staff

EDITABLE = frozenset({ReportStatus.DUE, ReportStatus.RETURNED})


class ReportInvalid(DomainError):
    """A report that cannot be submitted: ``errors`` maps a part of the form to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("The report is not complete; see the marked fields."), code="invalid")
        self.errors = errors


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("agreement__application", "agreement__call")
        .get(pk=report.pk)
    )


def _check_writer(actor: Any, report: Report) -> None:
    check_member(actor, report.agreement.application.organisation_id)
    if report.agreement.status != AgreementStatus.ACCEPTED:
        raise DomainError(
            _("Reports are written once the agreement is accepted."), code="agreement"
        )
    if report.status not in EDITABLE:
        raise DomainError(
            _("This report is submitted: it can be changed only if staff return it."),
            code="not_editable",
        )


def _clean_draft(data: Any) -> dict[str, Any]:
    """Keep only the known parts, in their types; never refuse a draft for its content."""
    data = data if isinstance(data, dict) else {}
    clean: dict[str, Any] = {
        k: str(data.get(k, ""))[:20000] for k in ("done", "changed", "difficulties")
    }
    indicators = data.get("indicators") if isinstance(data.get("indicators"), dict) else {}
    clean["indicators"] = {str(k): str(v)[:30] for k, v in indicators.items()}
    rows = data.get("beneficiaries") if isinstance(data.get("beneficiaries"), list) else []
    clean["beneficiaries"] = [
        {
            "age_group": str(r.get("age_group", "")),
            "sex": str(r.get("sex", "")),
            "disability": bool(r.get("disability")),
            "disability_group": str(r.get("disability_group", "") or ""),
            "count": str(r.get("count", "")),
        }
        for r in rows[:200]
        if isinstance(r, dict)
    ]
    spending = data.get("spending") if isinstance(data.get("spending"), dict) else {}
    clean["spending"] = {
        str(k): {
            "spent": str(v.get("spent", "")),
            "explanation": str(v.get("explanation", ""))[:5000],
        }
        for k, v in spending.items()
        if isinstance(v, dict)
    }
    return clean


@transaction.atomic
def report_save_draft(
    *, actor: Any, report: Report, data: Any, version: int | None = None
) -> Report:
    """Keep what the organisation typed. ``version`` guards against overwriting a newer draft."""
    report = _lock(report)
    _check_writer(actor, report)
    if version is not None and version != report.draft_version:
        raise DomainError(
            _(
                "Someone else saved this report in the meantime. Your text is kept below; "
                "copy what you need and reload the page."
            ),
            code="conflict",
        )
    report.draft = _clean_draft(data)
    report.draft_version += 1
    report.draft_saved_at = clock.now()
    report.save(update_fields=["draft", "draft_version", "draft_saved_at"])
    return report


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(str(text).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _validate(report: Report) -> tuple[dict[str, Any], dict[str, list[str]]]:
    draft = _clean_draft(report.draft)
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    for key, label in (("done", _("what was done")), ("changed", _("what changed"))):
        if not draft[key].strip():
            err(key, _("Describe %(what)s.") % {"what": label})
    values: dict[int, Decimal] = {}
    for indicator in report.agreement.indicators.all():
        value = _number(draft["indicators"].get(str(indicator.pk), ""))
        if value is None or value < 0:
            err(f"indicator-{indicator.pk}", _("Give the value reached, a number 0 or more."))
        else:
            values[indicator.pk] = value
    ask_group = monitoring_for(report.agreement.call).ask_disability_group
    counts: dict[tuple[str, str, bool, str], int] = {}
    for n, row in enumerate(draft["beneficiaries"]):
        count = _number(row["count"])
        if row["age_group"] not in AgeGroup.values or row["sex"] not in Sex.values:
            err(f"beneficiaries-{n}", _("Choose the age group and sex."))
            continue
        if count is None or count < 0 or count != count.to_integral_value():
            err(f"beneficiaries-{n}", _("The number of people is a whole number, 0 or more."))
            continue
        group = row["disability_group"] if row["disability"] and ask_group else ""
        if group not in DisabilityGroup.values:
            err(f"beneficiaries-{n}", _("Choose a disability group from the list."))
            continue
        category = (row["age_group"], row["sex"], bool(row["disability"]), group)
        counts[category] = counts.get(category, 0) + int(count)
    spending: dict[int, tuple[int, str]] = {}
    for line in report.agreement.application.budget_lines.all():
        entry = draft["spending"].get(str(line.pk), {})
        spent = _number(entry.get("spent", ""))
        if spent is None or spent < 0 or spent != spent.to_integral_value():
            err(f"spending-{line.pk}", _("Give the amount spent in whole tenge, 0 or more."))
            continue
        explanation = entry.get("explanation", "").strip()
        if int(spent) != line.requested and not explanation:
            err(
                f"spending-{line.pk}",
                _("Explain why the spending differs from the budget (%(planned)s ₸).")
                % {"planned": line.requested},
            )
            continue
        spending[line.pk] = (int(spent), explanation)
    return {"draft": draft, "values": values, "counts": counts, "spending": spending}, errors


@transaction.atomic
def report_submit(*, actor: Any, report: Report, version: int | None = None) -> ReportVersion:
    """Submit the draft as a new version (or resubmit after a return); audited."""
    report = _lock(report)
    _check_writer(actor, report)
    if version is not None and version != report.draft_version:
        raise DomainError(
            _("Someone else saved this report in the meantime; reload the page."),
            code="conflict",
        )
    checked, errors = _validate(report)
    if errors:
        raise ReportInvalid(errors)
    draft = checked["draft"]
    number = report.versions.count() + 1
    submitted = ReportVersion.objects.create(
        report=report,
        number=number,
        done=draft["done"].strip(),
        changed=draft["changed"].strip(),
        difficulties=draft["difficulties"].strip(),
        beneficiaries_total=sum(checked["counts"].values()),
        submitted_at=clock.now(),
        submitted_by=actor,
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(version=submitted, indicator_id=pk, value=value)
        for pk, value in checked["values"].items()
    )
    BeneficiaryCount.objects.bulk_create(
        BeneficiaryCount(
            version=submitted,
            age_group=age,
            sex=sex,
            disability=disability,
            disability_group=group,
            count=count,
        )
        for (age, sex, disability, group), count in sorted(checked["counts"].items())
        if count
    )
    SpendingLine.objects.bulk_create(
        SpendingLine(version=submitted, budget_line_id=pk, spent=spent, explanation=text)
        for pk, (spent, text) in checked["spending"].items()
    )
    report.files.filter(version__isnull=True).update(version=submitted)
    apply_move(
        actor=actor,
        table=REPORT,
        obj=report,
        to=ReportStatus.SUBMITTED,
        action="report",
        data={"version": number, "beneficiaries": submitted.beneficiaries_total},
    )
    report.save(update_fields=["status"])
    return submitted


def _latest(report: Report) -> ReportVersion:
    latest = report.versions.order_by("-number").first()
    if latest is None:
        raise DomainError(_("This report has not been submitted."), code="not_submitted")
    return latest


@transaction.atomic
def report_return(*, actor: Any, report: Report, comment: str) -> Report:
    """Send a submitted report back with comments; the organisation revises and resubmits."""
    report = _lock(report)
    check_staff(actor, report.agreement.call)
    latest = _latest(report)
    apply_move(
        actor=actor,
        table=REPORT,
        obj=report,
        to=ReportStatus.RETURNED,
        action="report",
        reason=comment,
        data={"version": latest.number},
    )
    report.save(update_fields=["status"])
    ReportReview.objects.create(
        version=latest,
        outcome=ReportStatus.RETURNED,
        comment=comment.strip(),
        reviewed_by=actor,
        reviewed_at=clock.now(),
    )
    return report


@transaction.atomic
def report_accept(*, actor: Any, report: Report, comment: str = "") -> Report:
    report = _lock(report)
    check_staff(actor, report.agreement.call)
    latest = _latest(report)
    apply_move(
        actor=actor,
        table=REPORT,
        obj=report,
        to=ReportStatus.ACCEPTED,
        action="report",
        data={"version": latest.number, "comment": comment.strip()},
    )
    report.accepted_version = latest
    report.save(update_fields=["status", "accepted_version"])
    ReportReview.objects.create(
        version=latest,
        outcome=ReportStatus.ACCEPTED,
        comment=comment.strip(),
        reviewed_by=actor,
        reviewed_at=clock.now(),
    )
    return report


@transaction.atomic
def report_reopen(*, actor: Any, report: Report, reason: str) -> Report:
    """Take back an accepted report (a correction): it counts no more until accepted again."""
    report = _lock(report)
    check_staff(actor, report.agreement.call)
    if report.conditioned_tranches.exclude(status="planned").exclude(status="withheld").exists():
        raise DomainError(
            _("A tranche was already approved or paid on this report."), code="tranche"
        )
    apply_move(
        actor=actor,
        table=REPORT,
        obj=report,
        to=ReportStatus.RETURNED,
        action="report",
        reason=reason,
    )
    report.accepted_version = None
    report.save(update_fields=["status", "accepted_version"])
    return report


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


@transaction.atomic
def report_file_add(*, actor: Any, report: Report, upload: UploadedFile) -> ReportFile:
    """A photo or document, checked by content and size like an application's attachments."""
    report = _lock(report)
    _check_writer(actor, report)
    limit = settings.BAIQAU_ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise DomainError(
            _("“%(name)s” is larger than %(limit)s MB, the limit for one file.")
            % {"name": upload.name, "limit": _megabytes(limit)},
            code="file_too_large",
        )
    used = report.files.aggregate(total=Sum("size"))["total"] or 0
    total_limit = settings.BAIQAU_APPLICATION_ATTACHMENTS_MAX_BYTES
    if used + size > total_limit:
        raise DomainError(
            _("Together the files would exceed %(limit)s MB per report; remove one first.")
            % {"limit": _megabytes(total_limit)},
            code="files_too_large",
        )
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise DomainError(
            _(
                "“%(name)s” is not a PDF, DOCX, XLSX, ODT, JPEG or PNG file (its content was "
                "checked, not its name)."
            )
            % {"name": upload.name},
            code="file_type",
        )
    stored = ReportFile(
        report=report,
        original_name=(upload.name or f"file.{EXTENSIONS[content_type]}")[:255],
        content_type=content_type,
        size=size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    stored.file.save(EXTENSIONS[content_type], upload, save=False)
    stored.save()
    audit_record(
        actor=actor,
        action="report.file_added",
        subject=report,
        data={"file": stored.pk, "sha256": stored.sha256},
    )
    return stored


@transaction.atomic
def report_file_remove(*, actor: Any, report: Report, file_id: int) -> None:
    """Remove a file not yet part of a submitted version."""
    report = _lock(report)
    _check_writer(actor, report)
    stored = report.files.filter(pk=file_id, version__isnull=True).first()
    if stored is None:
        raise DomainError(_("This file is part of a submitted version and stays."), code="file")
    stored.file.delete(save=False)
    stored.delete()

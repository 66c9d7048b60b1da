"""After the award: the agreement, its payments (tranches), progress reports and visits.

Beneficiaries are reported as counts by category only, never as lists of people: disability
status is sensitive personal data (the Law of the Republic of Kazakhstan on personal data and
its protection), and an impact view needs nothing more.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baiqau.applications.models import Application, BudgetLine
from baiqau.calls.models import Call


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "Draft")
    OFFERED = "offered", _("Offered to the organisation")
    ACCEPTED = "accepted", pgettext_lazy("agreement", "Accepted")
    CLOSED = "closed", pgettext_lazy("agreement", "Closed")


class Agreement(models.Model):
    """What an award is given for, how it is paid and reported; accepted by the organisation."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField(_("number"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("amount, ₸"))
    purpose = models.TextField(_("purpose"))
    language = models.CharField(_("language of the agreement"), max_length=2, default="kk")
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    staff_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible on the organisers' side"),
    )
    org_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible in the organisation"),
    )
    summary_public = models.TextField(_("public summary of the project"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ("call", "number")

    def __str__(self) -> str:
        return self.number


class Indicator(models.Model):
    """A result the project committed to: name, unit, where it starts and where it aims."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ("agreement", "position", "id")

    def __str__(self) -> str:
        return self.name


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted, under review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")


class Report(models.Model):
    """One report of the schedule. Its working copy is a draft; each submission is a version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    # The draft: what the organisation is writing now (kept between sessions, never lost).
    draft = models.JSONField(default=dict, blank=True)
    draft_version = models.PositiveIntegerField(default=0)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    accepted_version = models.OneToOneField(
        "ReportVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("agreement", "due_date", "position", "id")

    def __str__(self) -> str:
        return f"{self.agreement} · {self.get_kind_display()} · {self.due_date}"


class ReportVersion(models.Model):
    """A submitted report, kept as it was: a returned report keeps its earlier versions."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    done = models.TextField(_("what was done"))
    changed = models.TextField(_("what changed for the people served"))
    difficulties = models.TextField(_("difficulties"), blank=True)
    beneficiaries_total = models.PositiveIntegerField(_("beneficiaries reached"), default=0)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ("report", "number")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class IndicatorValue(models.Model):
    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value reached"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "indicator"], name="one_value_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class AgeGroup(models.TextChoices):
    CHILD = "0-17", _("Children (0–17)")
    YOUNG = "18-34", _("Young people (18–34)")
    ADULT = "35-62", _("Adults (35–62)")
    OLDER = "63+", _("Older people (63 and over)")


class Sex(models.TextChoices):
    FEMALE = "f", _("Women and girls")
    MALE = "m", _("Men and boys")


class DisabilityGroup(models.TextChoices):
    NONE = "", _("Not stated")
    FIRST = "1", _("Disability group I")
    SECOND = "2", _("Disability group II")
    THIRD = "3", _("Disability group III")
    CHILD = "child", _("Child with a disability")


class BeneficiaryCount(models.Model):
    """How many people of one category a report says the project reached: a count, no names."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="beneficiaries"
    )
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    disability = models.BooleanField(_("with a disability"))
    disability_group = models.CharField(
        _("disability group"), max_length=10, choices=DisabilityGroup.choices, blank=True
    )
    count = models.PositiveIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("beneficiaries of a category")
        verbose_name_plural = _("beneficiaries by category")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "age_group", "sex", "disability", "disability_group"],
                name="one_count_per_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.age_group}/{self.sex}/{self.disability}: {self.count}"


class SpendingLine(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="spending")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    spent = models.PositiveBigIntegerField(_("spent, ₸"))
    explanation = models.TextField(_("why it differs from the budget"), blank=True)

    class Meta:
        verbose_name = _("spending line")
        verbose_name_plural = _("spending lines")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "budget_line"], name="one_spending_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.spent}"


def report_file_path(instance: ReportFile, filename: str) -> str:
    # The stored name is random: the person's file name is kept only as metadata.
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}"


class ReportFile(models.Model):
    """A photo or document attached to a report (the same upload rules as applications)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    version = models.ForeignKey(
        ReportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.original_name


class ReportReview(models.Model):
    """Staff's answer to a submitted version: accepted, or returned with comments."""

    version = models.OneToOneField(ReportVersion, on_delete=models.CASCADE, related_name="review")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReportStatus.choices)
    comment = models.TextField(_("comments for the organisation"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"))

    class Meta:
        verbose_name = _("report review")
        verbose_name_plural = _("report reviews")

    def __str__(self) -> str:
        return f"{self.version}: {self.outcome}"


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved for payment")
    PAID = "paid", _("Paid")
    WITHHELD = "withheld", _("Withheld")


class Tranche(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    amount = models.PositiveBigIntegerField(_("amount, ₸"))
    planned_date = models.DateField(_("planned date"))
    condition_report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditioned_tranches",
        verbose_name=_("paid once this report is accepted"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    withheld_reason = models.TextField(_("why it is withheld"), blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ("agreement", "position", "id")

    def __str__(self) -> str:
        return f"{self.agreement} · {self.position}"


class Visit(models.Model):
    """A monitoring visit to the project: when, who went, what they found."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date of the visit"))
    visitors = models.CharField(_("who visited"), max_length=300)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ("agreement", "-visited_on", "id")

    def __str__(self) -> str:
        return f"{self.agreement} @ {self.visited_on}"


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"visits/{instance.visit_id}/{uuid.uuid4().hex}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=visit_photo_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.original_name


class CallMonitoring(models.Model):
    """How a call follows its funded projects."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="monitoring")
    ask_disability_group = models.BooleanField(
        _("reports give the disability group of beneficiaries"), default=True
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind organisations this many days before a report is due"), default=7
    )

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return str(self.call)

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import Call, Question
from baiqau.core.i18n import Translated
from baiqau.organisations.models import Organisation


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("In screening")
    CLARIFICATION = "clarification", _("Clarification requested")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    IN_REVIEW = "in_review", _("In review")
    RANKED = "ranked", _("Ranked")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The language the applicant wrote in; the public fields may be translated for publication.
    language = models.CharField(
        _("language of the application"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title = Translated("title")
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary = Translated("summary")
    target_group_kk = models.CharField(_("target group (Kazakh)"), max_length=500, blank=True)
    target_group_ru = models.CharField(_("target group (Russian)"), max_length=500, blank=True)
    target_group_en = models.CharField(_("target group (English)"), max_length=500, blank=True)
    target_group = Translated("target_group")
    goal_kk = models.TextField(_("goal (Kazakh)"), blank=True)
    goal_ru = models.TextField(_("goal (Russian)"), blank=True)
    goal_en = models.TextField(_("goal (English)"), blank=True)
    goal = Translated("goal")
    problem = models.TextField(_("problem"), blank=True)
    planned_activities = models.TextField(_("planned activities"), blank=True)
    expected_results = models.TextField(_("expected results and indicators"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    team = models.TextField(_("team"), blank=True)
    beneficiaries_count = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    requested_amount = models.PositiveBigIntegerField(_("requested amount, ₸"), default=0)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    receipt_number = models.CharField(
        _("receipt number"), max_length=40, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The reason given with the latest screening decision (e.g. why ineligible); the applicant
    # sees it.
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # Bumped by every save of the draft, so two people editing at once notice each other.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Which open page made the last save: a page's own autosave is not a conflict with itself.
    last_edit_token = models.CharField(max_length=32, blank=True, editable=False)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Title and summary in every language, lower-cased, for the secretariat's search
    # (PostgreSQL full-text index, see migration 0004; a plain substring match on SQLite).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ("call", "id")
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return str(self.title) or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = " ".join(
            str(getattr(self, f"{base}_{code}") or "")
            for base in ("title", "summary", "target_group")
            for code in ("kk", "ru", "en")
        ).lower()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    item = models.CharField(_("item"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_cost = models.PositiveBigIntegerField(_("unit cost, ₸"), default=0)
    contribution = models.PositiveBigIntegerField(
        _("own or partner contribution, ₸"),
        default=0,
        help_text=_("The part of this line paid by your organisation or a partner."),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.item

    @property
    def total(self) -> int:
        return self.quantity * self.unit_cost

    @property
    def requested(self) -> int:
        return max(self.total - self.contribution, 0)


class Answer(models.Model):
    """The answer to one extra question: text, number, ISO date, bool, or a list of choices."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the person's file name is kept only as metadata.
    import uuid

    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.original_name


class ApplicationVersion(models.Model):
    """A frozen copy of everything an application contained when it was submitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ("application", "number")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class Message(models.Model):
    """The thread between the secretariat and the applicant about one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(_("from the secretariat"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    # An optional file with the message (e.g. a document asked for in a clarification),
    # checked by content like every attachment.
    file = models.FileField(_("file"), upload_to="messages/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("type"), max_length=100, blank=True)
    reply_due_at = models.DateTimeField(_("reply by"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("application", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class ChecklistValue(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class ChecklistAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="checklist_answers"
    )
    item = models.ForeignKey(
        "calls.ChecklistItem", on_delete=models.CASCADE, related_name="answers"
    )
    value = models.CharField(_("answer"), max_length=3, choices=ChecklistValue.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"

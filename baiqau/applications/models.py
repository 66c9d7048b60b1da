from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import Call
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
    planned_activities = models.TextField(_("planned activities"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
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
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ("call", "id")
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return str(self.title) or f"#{self.pk}"

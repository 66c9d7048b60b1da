from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMISSION_RECEIPT = "submission_receipt", _("Submission receipt")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    CLARIFICATION_ANSWERED = "clarification_answered", _("Clarification answered")
    ELIGIBILITY_DECISION = "eligibility_decision", _("Eligibility decision")
    CALL_PUBLISHED = "call_published", _("Call published")
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")
    STAFF_INVITATION = "staff_invitation", _("Invitation to a call's staff")
    REVIEWS_ASSIGNED = "reviews_assigned", _("Applications assigned for review")
    REVIEW_REMINDER = "review_reminder", _("Review reminder")
    RESULTS_DECISION = "results_decision", _("Decision on an application (results)")
    REPORT_DUE = "report_due", _("Report due soon")
    REPORT_OVERDUE = "report_overdue", _("Report overdue (to staff)")


class Notification(models.Model):
    """What a person is told, in their language: shown in the app and sent by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Stops the same reminder being sent twice (e.g. "7d" for the 7-day reminder).
    dedupe_key = models.CharField(max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "application", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="one_notification_per_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")


class EmailDelivery(models.Model):
    """One e-mail: queued, sent through a background task, retried when sending fails."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="delivery"
    )
    to = models.EmailField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ("-id",)
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.get_status_display()}"


class NotificationTemplate(models.Model):
    """An organiser's own wording of one kind of message for one call and language."""

    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="notification_templates"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "language"], name="one_template_per_kind_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.kind} · {self.language}"


class Subscription(models.Model):
    """What a person asked to be told about beyond their own applications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    new_calls = models.BooleanField(
        _("tell me when a new call is published"),
        default=False,
        help_text=_("An e-mail and a notification in Baiqau, in your preferred language."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.user}: {'new calls' if self.new_calls else '—'}"

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baiqau.core.i18n import Translated
from baiqau.domain.identifiers import normalise_identifier

from .validators import bin_validator


class OrganisationType(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    DISABILITY = "dpo", _("Organisation of persons with disabilities")
    STATE_SOCIAL = "state_social", _("State social-protection institution")
    OTHER = "other", _("Other organisation")


class Organisation(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name = Translated("name")
    bin = models.CharField(
        _("BIN"),
        max_length=12,
        unique=True,
        validators=[bin_validator],
        help_text=_("Business identification number: 12 digits."),
    )
    org_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city or region"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name_kk",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_kk="", name_ru="", name_en=""),
                name="organisation_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.bin = normalise_identifier(self.bin)
        super().save(*args, **kwargs)

    @property
    def identifier(self) -> str:
        """The 360Giving organisation identifier."""
        return f"KZ-BIN-{self.bin}"


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class FormerMembership(models.Model):
    """A membership that ended: kept so that a former member is still kept away from the
    organisation's applications as an expert."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="former_memberships"
    )
    started_at = models.DateTimeField(_("joined"))
    ended_at = models.DateTimeField(_("left"))

    class Meta:
        verbose_name = _("former membership")
        verbose_name_plural = _("former memberships")
        ordering = ("-ended_at",)

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the owner")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A person asks to join an organisation already registered with the same BIN."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the owner"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"

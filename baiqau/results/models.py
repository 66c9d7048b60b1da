from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baiqau.applications.models import Application
from baiqau.calls.models import Call


class Ranking(models.Model):
    """A ranking computed from the submitted reviews by baiqau.domain; never typed in."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rankings")
    method = models.CharField(_("aggregation method"), max_length=20)
    award_rule = models.CharField(_("award rule"), max_length=60)
    is_current = models.BooleanField(_("current"), default=True)
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ("call", "-computed_at")
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(is_current=True),
                name="one_current_ranking_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} @ {self.computed_at:%Y-%m-%d %H:%M}"


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="ranking_entries"
    )
    position = models.PositiveIntegerField(_("position"))
    score = models.DecimalField(_("total score"), max_digits=9, decimal_places=4)
    # The exact fraction (numerator/denominator), so anyone can check the rounding and ties.
    score_exact = models.CharField(_("exact score"), max_length=100)
    review_count = models.PositiveIntegerField(_("reviews"))
    tied = models.BooleanField(_("tied"), default=False)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ("ranking", "position", "application_id")
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "application"], name="one_entry_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.application}"


class Award(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="awards")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="awards")
    place = models.PositiveIntegerField(_("place"))
    amount = models.PositiveBigIntegerField(_("amount, ₸"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ("ranking", "place")
        constraints = [
            models.UniqueConstraint(fields=["ranking", "application"], name="one_award_per_app"),
        ]

    def __str__(self) -> str:
        return f"{self.place}. {self.application}"

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from baiqau.core.i18n import Translated
from baiqau.organisations.models import Organisation, OrganisationType


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


class AwardScheme(models.TextChoices):
    PRIZES = "prizes", _("Fixed prizes per place")
    POOL = "pool", _("Grant pool with a per-project maximum")


class AggregationMethod(models.TextChoices):
    # Values match baiqau.domain.scoring.AggregationMethod.
    MEAN = "mean", _("Mean of the reviews' weighted totals")
    MEDIAN = "median", _("Median of the reviews' weighted totals")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean of the reviews' weighted totals")


def _default_org_types() -> list[str]:
    return [choice.value for choice in OrganisationType]


class Call(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title = Translated("title")
    aim_kk = models.TextField(_("aim (Kazakh)"), blank=True)
    aim_ru = models.TextField(_("aim (Russian)"), blank=True)
    aim_en = models.TextField(_("aim (English)"), blank=True)
    aim = Translated("aim")
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Translated("description")

    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    co_organisers: models.ManyToManyField[Organisation, CallOrganiser] = models.ManyToManyField(
        Organisation,
        through="CallOrganiser",
        related_name="organised_calls",
        verbose_name=_("co-organisers"),
    )
    eligible_org_types = models.JSONField(
        _("eligible organisation types"), default=_default_org_types
    )

    min_registered_months = models.PositiveSmallIntegerField(
        _("registered for at least, months"), null=True, blank=True
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Only organisations located in this city or region may apply."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    review_ends_at = models.DateTimeField(_("review ends"))
    results_at = models.DateTimeField(_("results announced"))

    award_scheme = models.CharField(
        _("award scheme"), max_length=10, choices=AwardScheme.choices, default=AwardScheme.PRIZES
    )
    pool_amount = models.PositiveBigIntegerField(_("grant pool, ₸"), null=True, blank=True)
    max_per_project = models.PositiveBigIntegerField(
        _("maximum per project, ₸"), null=True, blank=True
    )
    aggregation_method = models.CharField(
        _("aggregation of reviews"),
        max_length=20,
        choices=AggregationMethod.choices,
        default=AggregationMethod.MEAN,
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ("-opens_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at"))
                & models.Q(closes_at__lte=models.F("review_ends_at"))
                & models.Q(review_ends_at__lte=models.F("results_at")),
                name="call_timeline_in_order",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            errors["closes_at"] = _("The call must close after it opens.")
        if self.closes_at and self.review_ends_at and self.review_ends_at < self.closes_at:
            errors["review_ends_at"] = _("Review cannot end before the call closes.")
        if self.review_ends_at and self.results_at and self.results_at < self.review_ends_at:
            errors["results_at"] = _("Results cannot be announced before review ends.")
        if self.award_scheme == AwardScheme.POOL and not self.pool_amount:
            errors["pool_amount"] = _("A grant pool needs its amount.")
        unknown = set(self.eligible_org_types or []) - set(OrganisationType.values)
        if unknown:
            errors["eligible_org_types"] = _("Unknown organisation type.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def results_are_public(self) -> bool:
        return self.results_published_at is not None

    def eligible_type_labels(self) -> list[str]:
        labels = dict(OrganisationType.choices)
        return [str(labels[value]) for value in self.eligible_org_types if value in labels]


class CallOrganiser(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="organiser_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="call_links"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("co-organiser")
        verbose_name_plural = _("co-organisers")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_link_per_organiser")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Translated("name")
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Translated("description")
    weight = models.DecimalField(
        _("weight, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.SmallIntegerField(_("lowest score"), default=0)
    max_score = models.SmallIntegerField(_("highest score"), default=10)
    # {"<score>": {"kk": "…", "ru": "…", "en": "…"}}: what each point of the scale means.
    anchors = models.JSONField(_("labels of the scale"), default=dict, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_score__gt=models.F("min_score")),
                name="criterion_scale_not_empty",
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_pos"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def key(self) -> str:
        return str(self.pk)

    def anchor_pairs(self, language: str | None = None) -> list[tuple[int, str]]:
        """Each point of the scale with its label in the language (empty when undefined)."""
        from baiqau.core.i18n import language_fallbacks

        pairs = []
        for point in range(self.min_score, self.max_score + 1):
            labels = (self.anchors or {}).get(str(point)) or {}
            text = next((labels[c] for c in language_fallbacks(language) if labels.get(c)), "")
            pairs.append((point, str(text)))
        return pairs


class Prize(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="prizes")
    place = models.PositiveSmallIntegerField(_("place"))
    amount = models.PositiveBigIntegerField(_("amount, ₸"))

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ("place",)
        constraints = [
            models.UniqueConstraint(fields=["call", "place"], name="one_prize_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.amount}"


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File")


class Question(models.Model):
    """An extra question of a call's application form.

    `choices` is a list of {"value": "…", "kk": "…", "ru": "…", "en": "…"} for the choice kinds.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label_kk = models.CharField(_("question (Kazakh)"), max_length=500)
    label_ru = models.CharField(_("question (Russian)"), max_length=500, blank=True)
    label_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    label = Translated("label")
    help_kk = models.TextField(_("help text (Kazakh)"), blank=True)
    help_ru = models.TextField(_("help text (Russian)"), blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    help = Translated("help")
    required = models.BooleanField(_("required"), default=False)
    max_length = models.PositiveIntegerField(_("character limit"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return str(self.label)

    def choice_pairs(self, language: str | None = None) -> list[tuple[str, str]]:
        from baiqau.core.i18n import language_fallbacks

        pairs = []
        for choice in self.choices or []:
            text = next(
                (choice.get(code) for code in language_fallbacks(language) if choice.get(code)),
                choice.get("value", ""),
            )
            pairs.append((str(choice.get("value", "")), str(text)))
        return pairs


class CallRoleKind(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    SECRETARY = "secretary", _("Secretary")
    CHAIR = "chair", _("Commission chair")
    MEMBER = "member", _("Commission member")
    OBSERVER = "observer", _("Observer")
    # Experts review the applications assigned to them; they have no workspace role.
    EXPERT = "expert", _("Expert")


class CallRole(models.Model):
    """A person's role in running one call. Roles are per call: staff of one call see nothing
    of another."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=CallRoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("call role")
        verbose_name_plural = _("call roles")
        ordering = ("call", "role", "id")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_role_per_person_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.call}"


class CallInvitation(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=CallRoleKind.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"


class ChecklistItem(models.Model):
    """One thing the secretariat confirms for every application during screening."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text_kk = models.CharField(_("item (Kazakh)"), max_length=500)
    text_ru = models.CharField(_("item (Russian)"), max_length=500, blank=True)
    text_en = models.CharField(_("item (English)"), max_length=500, blank=True)
    text = Translated("text")

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return str(self.text)

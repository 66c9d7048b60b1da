"""The jury of a call: experts, their declarations of conflicts of interest, assignments, bids,
reviews and scores, the secretariat's redactions for blind review, and solver runs.

An `Expert` is a seat on one call's panel; the commission (chair and members) is a subset of
the experts. A pair (expert, application) is *conflicted* when the expert declared a conflict,
or one is detected (see `baiqau.review.conflicts`): a conflicted pair is never assigned, and the
expert cannot open the application's content, scores or discussion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baiqau.applications.models import Application
from baiqau.calls.models import Call, Criterion
from baiqau.core.i18n import Translated

REVIEW_LANGUAGES = (("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English")))


class AssignmentMode(models.TextChoices):
    SOLVER = "solver", _("Share the applications among the experts (solver or by hand)")
    EVERYONE = "everyone", _("Every expert scores every application")


class OtherScores(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("After submitting their own")
    ALWAYS = "always", _("Always")


class ReviewPlan(models.Model):
    """How a call's review is run. Created with defaults the first time it is needed."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review_plan")
    mode = models.CharField(
        _("assignment"),
        max_length=10,
        choices=AssignmentMode.choices,
        default=AssignmentMode.SOLVER,
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"), default=3
    )
    min_load = models.PositiveSmallIntegerField(_("minimum applications per expert"), default=0)
    max_load = models.PositiveSmallIntegerField(_("maximum applications per expert"), default=35)
    blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_(
            "Experts see no applicant identity: no organisation name, BIN, people's names, "
            "contacts or file names."
        ),
    )
    bidding_open = models.BooleanField(
        _("experts may bid"),
        default=False,
        help_text=_("Experts mark applications they want, can, or would prefer not to review."),
    )
    other_scores = models.CharField(
        _("experts see other experts' scores"),
        max_length=20,
        choices=OtherScores.choices,
        default=OtherScores.AFTER_SUBMIT,
    )
    comment_required = models.BooleanField(
        _("a comment is required for every score"), default=False
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum of the commission"),
        null=True,
        blank=True,
        help_text=_("How many commission members must take part for a decision to stand."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind late experts, days before review ends"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no automatic reminder."),
    )

    class Meta:
        verbose_name = _("review plan")
        verbose_name_plural = _("review plans")

    def __str__(self) -> str:
        return str(self.call)


class ExpertiseTag(models.Model):
    """An area of expertise of one call, such as disability or children."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="expertise_tags")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name = Translated("name")

    class Meta:
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return str(self.name)


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", pgettext_lazy("expert", "Withdrawn")


class Expert(models.Model):
    """A person's seat on a call's expert panel (and, optionally, its commission)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_memberships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    is_commission = models.BooleanField(_("commission member"), default=False)
    is_chair = models.BooleanField(_("commission chair"), default=False)
    tags = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="experts", verbose_name=_("areas of expertise")
    )
    expertise = models.TextField(
        _("expertise in your own words"),
        blank=True,
        help_text=_("In any of the three languages: what you know and have worked on."),
    )
    languages = models.JSONField(_("languages I can review in"), default=list, blank=True)
    employer_bin = models.CharField(
        _("BIN of the organisation you work for"),
        max_length=12,
        blank=True,
        help_text=_("Used only to keep you away from its applications."),
    )
    min_load = models.PositiveSmallIntegerField(_("minimum load"), null=True, blank=True)
    max_load = models.PositiveSmallIntegerField(_("maximum load"), null=True, blank=True)
    profile_done_at = models.DateTimeField(_("profile completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ("call", "id")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_expert_seat_per_call")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.status == ExpertStatus.ACTIVE


class ApplicationReviewSettings(models.Model):
    """What the secretariat sets for one application: its areas and a different number of
    reviews."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="review_settings"
    )
    tags = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="applications", verbose_name=_("areas")
    )
    reviews_needed = models.PositiveSmallIntegerField(
        _("reviews needed"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the call's number."),
    )

    class Meta:
        verbose_name = _("application review settings")
        verbose_name_plural = _("application review settings")

    def __str__(self) -> str:
        return str(self.application)


class Declaration(models.Model):
    """An expert's declaration about one application: no conflict, or a conflict with a reason.

    The current declaration is the latest row; earlier ones stay, so nothing is withdrawn
    silently.
    """

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declarations")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"))
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ("expert", "application", "-declared_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "application"],
                condition=models.Q(is_current=True),
                name="one_current_declaration",
            )
        ]
        indexes = [models.Index(fields=["application", "conflict"], name="declaration_app_idx")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.application} · {self.conflict}"


class AssignmentSource(models.TextChoices):
    HAND = "hand", _("By hand")
    SOLVER = "solver", _("Solver")
    EVERYONE = "everyone", _("Everyone scores everything")
    REASSIGNED = "reassigned", _("Reassigned")


class Assignment(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    source = models.CharField(
        _("how"), max_length=12, choices=AssignmentSource.choices, default=AssignmentSource.HAND
    )
    affinity = models.FloatField(_("affinity"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ("application", "expert")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "application"], name="one_assignment_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class BidValue(models.IntegerChoices):
    WANT = 1, _("I want to review it")
    CAN = 0, _("I can review it")
    PREFER_NOT = -1, _("I would prefer not to")


class Bid(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="bids")
    value = models.SmallIntegerField(_("bid"), choices=BidValue.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["expert", "application"], name="one_bid_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.application} · {self.value}"


class Redaction(models.Model):
    """The secretariat's version of one free-text field, shown to experts of a blind call.

    `field` is "title", "summary", "target_group", "goal" or "answer:<question id>".
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="redactions"
    )
    field = models.CharField(_("field"), max_length=40)
    text = models.TextField(_("text experts see"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        constraints = [
            models.UniqueConstraint(fields=["application", "field"], name="one_redaction_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.field}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment_for_applicant = models.TextField(_("comment for the applicant"), blank=True)
    note_for_commission = models.TextField(_("private note for the commission"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ("application", "expert")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_review_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    # Empty only in a draft.
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ("review", "criterion__position")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    PROPOSED = "proposed", _("Proposed, waiting for review")
    APPLYING = "applying", _("Being applied")
    FAILED = "failed", _("Could not assign")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class AssignmentRun(models.Model):
    """One run of the solver. Its proposal is applied only when a person confirms it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    # {"pairs": [[application_id, expert_id, affinity], ...], "summary": {...},
    #  "problems": [{"kind": ..., "text": ...}], "keep": bool}
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.call} · {self.created_at:%Y-%m-%d %H:%M}"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baiqau.applications.models import Application
from baiqau.calls.models import Call
from baiqau.review.models import Expert


class Calibration(models.TextChoices):
    # Values match baiqau.domain.results.Calibrate.
    NONE = "none", _("No calibration")
    ZSCORE = "zscore", _("Per-expert z-score (small panels where everyone scores everything)")
    LEAST_SQUARES = "least_squares", _("Least squares: quality + expert bias")
    LEAST_SQUARES_SCALE = (
        "least_squares_scale",
        _("Least squares: quality + expert bias, with each expert's scale"),
    )


class Decides(models.TextChoices):
    RAW = "raw", _("Raw scores decide")
    CALIBRATED = "calibrated", _("Calibrated scores decide")


def default_tie_break() -> list[str]:
    """Until the organiser says otherwise, the commission decides a tie by vote."""
    return ["vote"]


class ResultRules(models.Model):
    """How a call's results are computed: fixed and shown on the call page before scoring."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="result_rules")
    calibration = models.CharField(
        _("calibration for expert severity"),
        max_length=30,
        choices=Calibration.choices,
        default=Calibration.NONE,
    )
    bias_ridge = models.DecimalField(
        _("regularisation of expert biases"), max_digits=6, decimal_places=2, default=2
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("reviews an expert needs before their effect is estimated"), default=3
    )
    decides = models.CharField(
        _("which score decides"), max_length=20, choices=Decides.choices, default=Decides.RAW
    )
    tie_break = models.JSONField(
        _("tie-break rules, in order"), default=default_tie_break, blank=True
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold, points"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        default=25,
    )
    bootstrap_seed = models.PositiveBigIntegerField(_("seed of the rank intervals"), default=0)
    resamples = models.PositiveIntegerField(_("bootstrap resamples"), default=200)
    level = models.DecimalField(
        _("level of the rank intervals"), max_digits=4, decimal_places=3, default=0.95
    )
    lottery_value = models.CharField(
        _("value published before scoring, for any draw"), max_length=200, blank=True
    )
    partial_randomisation = models.BooleanField(
        _("fund the band of uncertainty at the line by lot"), default=False
    )
    partial_last_grant = models.BooleanField(
        _("the first grant that does not fit receives what is left of the pool"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("result rules")
        verbose_name_plural = _("result rules")

    def __str__(self) -> str:
        return f"{self.call}: {self.calibration}, {self.decides}"


class Ranking(models.Model):
    """A ranking computed from the submitted reviews by baiqau.domain; never typed in."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rankings")
    method = models.CharField(_("aggregation method"), max_length=20)
    award_rule = models.CharField(_("award rule"), max_length=60)
    is_current = models.BooleanField(_("current"), default=True)
    # The rules as they were applied (the call's ResultRules at the time), the calibration's
    # published effects keyed by anonymous expert number, every tie and how it was broken,
    # the funding line, the draw's seed (hex) and the commission's tie votes.
    rules = models.JSONField(_("rules applied"), default=dict)
    effects = models.JSONField(_("expert effects"), default=list, blank=True)
    centre = models.CharField(_("panel centre"), max_length=30, blank=True)
    ties = models.JSONField(_("ties and their breaking"), default=list, blank=True)
    cut = models.PositiveIntegerField(_("funding line"), default=0)
    seed = models.CharField(_("seed of the draw"), max_length=64, blank=True)
    votes = models.JSONField(_("tie votes"), default=dict, blank=True)
    # Anonymous expert number → review.Expert pk; for staff only, never published.
    expert_numbers = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
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
    raw_score = models.DecimalField(_("raw score"), max_digits=9, decimal_places=4, default=0)
    raw_exact = models.CharField(_("exact raw score"), max_length=100, blank=True)
    calibrated_score = models.DecimalField(
        _("calibrated score"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    calibrated_exact = models.CharField(_("exact calibrated score"), max_length=100, blank=True)
    criterion_scores = models.JSONField(_("scores per criterion"), default=dict, blank=True)
    decided_by = models.CharField(_("tie broken by"), max_length=60, blank=True)
    rank_low = models.PositiveIntegerField(_("best plausible position"), default=0)
    rank_high = models.PositiveIntegerField(_("worst plausible position"), default=0)
    band = models.CharField(_("at the line"), max_length=10, blank=True)
    spread = models.DecimalField(
        _("disagreement"), max_digits=9, decimal_places=6, null=True, blank=True
    )

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
    by_lot = models.BooleanField(_("by lot"), default=False)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ("ranking", "place")
        constraints = [
            models.UniqueConstraint(fields=["ranking", "application"], name="one_award_per_app"),
        ]

    def __str__(self) -> str:
        return f"{self.place}. {self.application}"


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DecisionSession(models.Model):
    """A sitting of the commission that confirms (or changes) a call's ranking and awards."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decision_sessions")
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    quorum = models.PositiveSmallIntegerField(_("quorum"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision session")
        verbose_name_plural = _("decision sessions")
        ordering = ("call", "-opened_at")
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(status="open"),
                name="one_open_session_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} @ {self.opened_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    session = models.ForeignKey(
        DecisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ("session", "confirmed_at")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attend_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.session}"


class MotionKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirm the ranking and awards")
    CHANGE = "change", _("Change a confirmed result")


class MotionResult(models.TextChoices):
    PENDING = "pending", _("Voting")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


class Motion(models.Model):
    """A ranking put to the commission's vote."""

    session = models.ForeignKey(DecisionSession, on_delete=models.CASCADE, related_name="motions")
    ranking = models.ForeignKey(Ranking, on_delete=models.PROTECT, related_name="motions")
    kind = models.CharField(_("kind"), max_length=10, choices=MotionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=MotionResult.choices, default=MotionResult.PENDING
    )
    opened_at = models.DateTimeField(_("put to the vote"))
    closed_at = models.DateTimeField(_("vote closed"), null=True, blank=True)
    # Per application: votes for / against / abstaining / excluded by a conflict.
    tally = models.JSONField(_("tally"), default=dict, blank=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ("session", "opened_at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_result_display()})"


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    dissent = models.TextField(_("dissenting opinion"), blank=True)
    cast_at = models.DateTimeField(_("cast"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ("motion", "cast_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="one_ballot_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice}"


class Announcement(models.Model):
    """The public announcement of a call's results, generated from the data and editable."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="announcement")
    text_kk = models.TextField(_("announcement (Kazakh)"))
    text_ru = models.TextField(_("announcement (Russian)"), blank=True)
    text_en = models.TextField(_("announcement (English)"), blank=True)
    generated_at = models.DateTimeField(_("generated"))
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return str(self.call)

    def text(self, language: str) -> str:
        return str(getattr(self, f"text_{language}", "") or self.text_kk)

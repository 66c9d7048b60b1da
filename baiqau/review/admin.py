from typing import TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import (
    Assignment,
    AssignmentRun,
    Bid,
    Declaration,
    Expert,
    ExpertiseTag,
    Redaction,
    Review,
    ReviewPlan,
    Score,
)


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin[Expert]):
    list_display = ("user", "call", "status", "is_commission", "is_chair")
    list_filter = ("call", "status", "is_commission")
    list_select_related = ("user", "call")
    autocomplete_fields = ("user",)


class ScoreInline(admin.TabularInline[Score, Review]):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ("application", "expert", "status", "submitted_at")
    list_filter = ("status", "application__call")
    list_select_related = ("application", "expert__user")
    inlines = (ScoreInline,)


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin[Score]):
    list_display = ("review", "criterion", "value")
    list_select_related = ("review__application", "review__expert__user", "criterion")


M = TypeVar("M", bound=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    """Declarations, assignments, bids and solver runs change only through the services, which
    audit them; the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(ReviewPlan)
class ReviewPlanAdmin(admin.ModelAdmin[ReviewPlan]):
    list_display = ("call", "mode", "reviews_per_application", "blind", "quorum")
    list_select_related = ("call",)


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(admin.ModelAdmin[ExpertiseTag]):
    list_display = ("name_kk", "name_ru", "name_en", "call")
    list_filter = ("call",)
    list_select_related = ("call",)


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin[Declaration]):
    list_display = ("expert", "application", "conflict", "is_current", "declared_at")
    list_filter = ("conflict", "is_current", "application__call")
    list_select_related = ("expert__user", "application")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin[Assignment]):
    list_display = ("expert", "application", "source", "affinity", "created_at")
    list_filter = ("source", "application__call")
    list_select_related = ("expert__user", "application")


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin[Bid]):
    list_display = ("expert", "application", "value")
    list_select_related = ("expert__user", "application")


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin[AssignmentRun]):
    list_display = ("call", "status", "progress", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("call",)
    exclude = ("result",)


@admin.register(Redaction)
class RedactionAdmin(ReadOnlyAdmin[Redaction]):
    list_display = ("application", "field", "updated_at")
    list_select_related = ("application",)

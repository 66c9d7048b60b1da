from django.contrib import admin

from .models import Expert, Review, Score


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin[Expert]):
    list_display = ("user", "call", "is_commission", "is_chair")
    list_filter = ("call", "is_commission")
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

from django.contrib import admin

from .models import Call, CallOrganiser, Criterion, Prize, Question


class CallOrganiserInline(admin.TabularInline[CallOrganiser, Call]):
    model = CallOrganiser
    extra = 0
    autocomplete_fields = ("organisation",)


class CriterionInline(admin.StackedInline[Criterion, Call]):
    model = Criterion
    extra = 0


class QuestionInline(admin.StackedInline[Question, Call]):
    model = Question
    extra = 0


class PrizeInline(admin.TabularInline[Prize, Call]):
    model = Prize
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("__str__", "slug", "status", "opens_at", "closes_at", "results_published_at")
    list_filter = ("status", "award_scheme")
    search_fields = ("slug", "title_kk", "title_ru", "title_en")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (CallOrganiserInline, CriterionInline, PrizeInline, QuestionInline)
    readonly_fields = ("created_by", "created_at")


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin[Criterion]):
    list_display = ("__str__", "call", "weight", "min_score", "max_score")
    list_select_related = ("call",)
    list_filter = ("call",)


@admin.register(Prize)
class PrizeAdmin(admin.ModelAdmin[Prize]):
    list_display = ("call", "place", "amount")
    list_select_related = ("call",)

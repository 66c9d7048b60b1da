from django.contrib import admin

from .models import Award, Ranking, RankingEntry


class RankingEntryInline(admin.TabularInline[RankingEntry, Ranking]):
    model = RankingEntry
    extra = 0
    can_delete = False
    readonly_fields = ("application", "position", "score", "score_exact", "review_count", "tied")


class AwardInline(admin.TabularInline[Award, Ranking]):
    model = Award
    extra = 0
    can_delete = False
    readonly_fields = ("application", "place", "amount")


@admin.register(Ranking)
class RankingAdmin(admin.ModelAdmin[Ranking]):
    """Rankings are computed by the scoring code; the admin shows them, never edits them."""

    list_display = ("call", "computed_at", "method", "award_rule", "is_current")
    list_filter = ("call", "is_current")
    readonly_fields = ("call", "method", "award_rule", "is_current", "computed_at", "computed_by")
    inlines = (RankingEntryInline, AwardInline)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin[Award]):
    list_display = ("ranking", "place", "application", "amount")
    list_select_related = ("ranking__call", "application")
    readonly_fields = ("ranking", "application", "place", "amount")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

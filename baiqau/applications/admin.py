from django.contrib import admin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("__str__", "organisation", "call", "status", "requested_amount", "submitted_at")
    list_filter = ("status", "call")
    list_select_related = ("organisation", "call")
    search_fields = ("title_kk", "title_ru", "title_en", "organisation__bin", "receipt_number")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("created_by", "receipt_number", "submitted_at", "created_at", "updated_at")

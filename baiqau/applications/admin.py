from django.contrib import admin
from django.http import HttpRequest

from .models import Answer, Application, ApplicationVersion, Attachment, BudgetLine, Message


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("__str__", "organisation", "call", "status", "requested_amount", "submitted_at")
    list_filter = ("status", "call")
    list_select_related = ("organisation", "call")
    search_fields = ("title_kk", "title_ru", "title_en", "organisation__bin", "receipt_number")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("created_by", "receipt_number", "submitted_at", "created_at", "updated_at")


class BudgetLineInline(admin.TabularInline[BudgetLine, Application]):
    model = BudgetLine
    extra = 0


class AnswerInline(admin.TabularInline[Answer, Application]):
    model = Answer
    extra = 0


class AttachmentInline(admin.TabularInline[Attachment, Application]):
    model = Attachment
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "question", "created_at")
    readonly_fields = fields
    can_delete = False


class VersionInline(admin.TabularInline[ApplicationVersion, Application]):
    model = ApplicationVersion
    extra = 0
    fields = ("number", "receipt_number", "submitted_at", "submitted_by")
    readonly_fields = fields
    can_delete = False


ApplicationAdmin.inlines = (BudgetLineInline, AnswerInline, AttachmentInline, VersionInline)


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin[ApplicationVersion]):
    """Submitted versions are evidence: shown, never edited."""

    list_display = ("application", "number", "receipt_number", "submitted_at")
    list_select_related = ("application",)
    readonly_fields = (
        "application",
        "number",
        "receipt_number",
        "submitted_at",
        "submitted_by",
        "data",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("application", "author", "from_staff", "created_at")
    list_select_related = ("application", "author")

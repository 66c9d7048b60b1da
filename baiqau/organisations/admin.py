from django.contrib import admin

from .models import JoinRequest, Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("__str__", "bin", "org_type", "city")
    list_filter = ("org_type",)
    search_fields = ("name_kk", "name_ru", "name_en", "bin")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin[JoinRequest]):
    list_display = ("user", "organisation", "status", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("user", "organisation")

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from baiqau.accounts.views import profile
from baiqau.publishing.views import healthz

admin.site.site_header = _("Baiqau administration")
admin.site.site_title = _("Baiqau")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("baiqau.publishing.urls")),
    path("", include("baiqau.applications.urls")),
    path("organisations/", include("baiqau.organisations.urls")),
    path("projects/", include("baiqau.monitoring.urls")),
    path("manage/", include("baiqau.workspace.urls")),
    path("expert/", include("baiqau.review.urls")),
    path("notifications/", include("baiqau.notifications.urls")),
    path("impact/", include("baiqau.monitoring.urls_impact")),
    path("accounts/profile/", profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)

"""The project's URLs plus the notification pages, until `baiqau/urls.py` includes them."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path
from django.urls.resolvers import LocalePrefixPattern

from baiqau.urls import urlpatterns as project_urlpatterns


def _included() -> bool:
    localised = [
        entry
        for entry in project_urlpatterns
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern)
    ]
    return any(
        getattr(sub, "namespace", None) == "notifications"
        for entry in localised
        for sub in entry.url_patterns
    )


urlpatterns = list(project_urlpatterns)
if not _included():
    urlpatterns += i18n_patterns(
        path("notifications/", include("baiqau.notifications.urls")),
        prefix_default_language=True,
    )

"""Publishing a call's results, for its staff: /<lang>/manage/calls/<slug>/results/…"""

from django.urls import path

from .views import results_publication

RESULTS = "calls/<slug:slug>/results/"

urlpatterns = [
    path(f"{RESULTS}protocol.pdf", results_publication.results_protocol, name="results_protocol"),
    path(
        f"{RESULTS}announcement/",
        results_publication.results_announcement,
        name="results_announcement",
    ),
    path(
        f"{RESULTS}announcement/regenerate/",
        results_publication.results_announcement_regenerate,
        name="results_announcement_regenerate",
    ),
]

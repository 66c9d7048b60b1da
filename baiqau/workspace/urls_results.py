"""A call's results, for its staff: /<lang>/manage/calls/<slug>/results/…"""

from django.urls import path

from .views import results, results_publish

RESULTS = "calls/<slug:slug>/results/"

urlpatterns = [
    path(RESULTS, results.results, name="results"),
    path(f"{RESULTS}rules/", results.results_rules, name="results_rules"),
    path(f"{RESULTS}publish/", results_publish.results_publish_view, name="results_publish"),
    path(f"{RESULTS}withdraw/", results_publish.results_withdraw, name="results_withdraw"),
]

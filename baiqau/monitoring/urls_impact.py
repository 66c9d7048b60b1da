"""The public impact view: /<lang>/impact/ (every call) and /<lang>/impact/<slug>/ (one call)."""

from django.urls import path

from . import views_impact

app_name = "impact"

urlpatterns = [
    path("", views_impact.overview, name="overview"),
    path("<slug:slug>/", views_impact.call_impact, name="call"),
]

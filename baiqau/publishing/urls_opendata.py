"""The open data of published results; included by publishing/urls.py."""

from django.urls import URLPattern, path

from . import views_opendata as views

urlpatterns: list[URLPattern] = [
    path("calls/<slug:slug>/results/open-data/", views.opendata, name="opendata"),
    path(
        "calls/<slug:slug>/results/open-data.zip", views.opendata_zip_download, name="opendata_zip"
    ),
    path(
        "calls/<slug:slug>/results/open-data/<str:name>", views.opendata_file, name="opendata_file"
    ),
]

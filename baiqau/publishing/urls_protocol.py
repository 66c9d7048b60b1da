"""The results protocol PDF; included by publishing/urls.py."""

from django.urls import path

from . import views_protocol

urlpatterns = [
    path(
        "calls/<slug:slug>/results/protocol.pdf",
        views_protocol.results_protocol,
        name="results_protocol",
    ),
]

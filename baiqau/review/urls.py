"""The expert's pages: their calls, profile, queue, declarations, bids and scoring."""

from django.urls import path

from .views import application, expert

app_name = "review"

urlpatterns = [
    path("", expert.home, name="home"),
    path("calls/<slug:slug>/", expert.queue, name="queue"),
    path("calls/<slug:slug>/profile/", expert.profile, name="profile"),
    path("calls/<slug:slug>/bids/", expert.bids, name="bids"),
    path(
        "calls/<slug:slug>/applications/<int:pk>/",
        application.application,
        name="application",
    ),
    path(
        "calls/<slug:slug>/applications/<int:pk>/declare/",
        application.declare,
        name="declare",
    ),
    path(
        "calls/<slug:slug>/applications/<int:pk>/files/<int:file_pk>/",
        application.application_file,
        name="file",
    ),
    path(
        "calls/<slug:slug>/applications/<int:pk>/scores/",
        application.scores,
        name="scores",
    ),
]

from django.urls import path

from .views import reports

urlpatterns = [
    path("calls/<slug:slug>/dashboard/", reports.dashboard, name="dashboard"),
    path("calls/<slug:slug>/export/<str:fmt>/", reports.export, name="export"),
    path(
        "calls/<slug:slug>/export/<str:fmt>/<slug:result_id>/",
        reports.export_status,
        name="export_status",
    ),
    path(
        "calls/<slug:slug>/export/<str:fmt>/<slug:result_id>/download/",
        reports.export_download,
        name="export_download",
    ),
]

from django.urls import path

from .views import home, screening

app_name = "workspace"

urlpatterns = [
    path("", home.home, name="home"),
    path("calls/<slug:slug>/applications/", screening.application_list, name="applications"),
    path("calls/<slug:slug>/applications/bulk/", screening.bulk_move, name="bulk_move"),
    path(
        "calls/<slug:slug>/applications/<int:pk>/",
        screening.application_detail,
        name="application",
    ),
    path(
        "calls/<slug:slug>/applications/<int:pk>/files/<int:file_pk>/",
        screening.application_file,
        name="application_file",
    ),
]

from django.urls import include, path

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
    path(
        "calls/<slug:slug>/applications/<int:pk>/messages/<int:message_pk>/file/",
        screening.message_file,
        name="message_file",
    ),
    # Call set-up, reports and exports, people and messages: each in its own module.
    path("", include("baiqau.workspace.urls_setup")),
    path("", include("baiqau.workspace.urls_reports")),
    path("", include("baiqau.workspace.urls_people")),
    path("", include("baiqau.workspace.urls_jury")),
    path("", include("baiqau.workspace.urls_results")),
    path("", include("baiqau.workspace.urls_decision")),
    path("", include("baiqau.workspace.urls_publication")),
    path("", include("baiqau.workspace.urls_impact")),
    path("", include("baiqau.workspace.urls_monitoring")),
]

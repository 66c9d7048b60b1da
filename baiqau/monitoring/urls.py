from django.urls import path

from . import views_org, views_org_reports

app_name = "monitoring"

REPORT = "<int:pk>/reports/<int:report_pk>/"

urlpatterns = [
    path("", views_org.projects, name="projects"),
    path("<int:pk>/", views_org.agreement, name="agreement"),
    path("<int:pk>/accept/", views_org.agreement_accept, name="agreement_accept"),
    path("<int:pk>/agreement.pdf", views_org.agreement_pdf, name="agreement_pdf"),
    path(REPORT, views_org_reports.report, name="report"),
    path(f"{REPORT}autosave/", views_org_reports.report_autosave, name="report_autosave"),
    path(
        f"{REPORT}versions/<int:number>/",
        views_org_reports.report_version,
        name="report_version",
    ),
    path(f"{REPORT}files/", views_org_reports.report_file_add_view, name="report_file_add"),
    path(f"{REPORT}files/<int:file_pk>/", views_org_reports.report_file, name="report_file"),
    path(
        f"{REPORT}files/<int:file_pk>/remove/",
        views_org_reports.report_file_remove_view,
        name="report_file_remove",
    ),
]

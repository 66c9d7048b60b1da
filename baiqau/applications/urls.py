from django.urls import path

from .views import dashboard, files, sections, submission

app_name = "applicants"

urlpatterns = [
    path("my/", dashboard.dashboard, name="dashboard"),
    path("calls/<slug:slug>/apply/", dashboard.apply, name="apply"),
    path("applications/<int:pk>/", submission.review, name="review"),
    path("applications/<int:pk>/edit/<slug:key>/", sections.section, name="section"),
    path("applications/<int:pk>/autosave/<slug:key>/", sections.autosave, name="autosave"),
    path("applications/<int:pk>/files/", files.files, name="files"),
    path("applications/<int:pk>/files/<int:file_pk>/", files.file_download, name="file"),
    path(
        "applications/<int:pk>/files/<int:file_pk>/remove/", files.file_remove, name="file_remove"
    ),
    path("applications/<int:pk>/submit/", submission.submit, name="submit"),
    path("applications/<int:pk>/receipt/", submission.receipt, name="receipt"),
    path("applications/<int:pk>/pdf/", submission.pdf, name="pdf"),
    path("applications/<int:pk>/reopen/", submission.reopen, name="reopen"),
    path("applications/<int:pk>/withdraw/", submission.withdraw, name="withdraw"),
    path("applications/<int:pk>/reply/", dashboard.reply, name="reply"),
    path(
        "applications/<int:pk>/messages/<int:message_pk>/file/",
        dashboard.message_file,
        name="message_file",
    ),
]

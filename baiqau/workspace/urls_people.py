from django.urls import path

from baiqau.notifications import workspace_views as notices

from .views import people

urlpatterns = [
    path("calls/<slug:slug>/people/", people.people, name="people"),
    path(
        "calls/<slug:slug>/people/invitations/<int:pk>/revoke/",
        people.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "calls/<slug:slug>/people/invitations/<int:pk>/resend/",
        people.invitation_resend_view,
        name="invitation_resend",
    ),
    path("calls/<slug:slug>/people/roles/<int:pk>/remove/", people.role_remove, name="role_remove"),
    path("invitations/<str:token>/", people.invitation, name="invitation"),
    path("calls/<slug:slug>/messages/", notices.message_list, name="messages"),
    path(
        "calls/<slug:slug>/messages/<slug:kind>/<slug:language>/",
        notices.message_edit,
        name="message_edit",
    ),
    path(
        "calls/<slug:slug>/messages/<slug:kind>/<slug:language>/preview/",
        notices.message_preview,
        name="message_preview",
    ),
    path("calls/<slug:slug>/e-mails/", notices.delivery_list, name="deliveries"),
    path(
        "calls/<slug:slug>/e-mails/<int:pk>/send-again/",
        notices.delivery_retry,
        name="delivery_retry",
    ),
]

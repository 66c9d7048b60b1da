from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/requests/<int:request_pk>/", views.decide, name="decide"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.remove_member, name="remove_member"),
]

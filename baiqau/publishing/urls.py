from django.urls import include, path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<slug:slug>/", views.call_detail, name="call_detail"),
    path("calls/<slug:slug>/results/", views.call_results, name="call_results"),
    path("", include("baiqau.publishing.urls_opendata")),
    path("", include("baiqau.publishing.urls_protocol")),
]

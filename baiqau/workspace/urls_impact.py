"""A call's impact, for its staff: /<lang>/manage/calls/<slug>/impact/"""

from django.urls import path

from .views import impact

urlpatterns = [
    path("calls/<slug:slug>/impact/", impact.impact, name="impact"),
]

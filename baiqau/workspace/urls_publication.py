"""Filled in by its owner; included by workspace/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

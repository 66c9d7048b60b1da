"""Filled in by its owner; included by publishing/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

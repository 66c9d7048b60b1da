"""Applicant-facing views: the dashboard, starting, filling in and submitting an application."""

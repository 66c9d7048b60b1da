"""The organiser's call set-up: /<lang>/manage/calls/…"""

from django.urls import path

from .views import setup

QUESTION = "calls/<slug:slug>/setup/questions/<int:pk>/"

urlpatterns = [
    path("calls/new/", setup.call_new, name="call_new"),
    path("calls/<slug:slug>/setup/", setup.setup, name="setup"),
    path("calls/<slug:slug>/setup/criteria/", setup.setup_criteria, name="setup_criteria"),
    path("calls/<slug:slug>/setup/checklist/", setup.setup_checklist, name="setup_checklist"),
    path("calls/<slug:slug>/setup/questions/", setup.setup_questions, name="setup_questions"),
    path(QUESTION, setup.setup_question_edit, name="setup_question_edit"),
    path(f"{QUESTION}move/", setup.setup_question_move, name="setup_question_move"),
    path(f"{QUESTION}remove/", setup.setup_question_remove, name="setup_question_remove"),
    path("calls/<slug:slug>/setup/status/", setup.setup_status, name="setup_status"),
    path("calls/<slug:slug>/setup/copy/", setup.call_copy, name="call_copy"),
]

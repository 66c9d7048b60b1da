"""The jury of a call, for its staff: /<lang>/manage/calls/<slug>/jury/…"""

from django.urls import path

from .views import jury, jury_assign, jury_progress, jury_runs

JURY = "calls/<slug:slug>/jury/"
APPLICATION = f"{JURY}assignments/<int:pk>/"
RUN = f"{JURY}runs/<int:pk>/"

urlpatterns = [
    path(JURY, jury.jury, name="jury"),
    path(f"{JURY}experts/", jury.experts, name="experts"),
    path(f"{JURY}experts/<int:pk>/", jury.expert, name="expert"),
    path(f"{JURY}experts/<int:pk>/withdraw/", jury.expert_withdraw_view, name="expert_withdraw"),
    path(f"{JURY}assignments/", jury_assign.assignments, name="assignments"),
    path(f"{JURY}assignments/solver/", jury_runs.run_start, name="assignment_run_start"),
    path(f"{JURY}assignments/everyone/", jury_assign.everyone, name="assignment_everyone"),
    path(APPLICATION, jury_assign.assignment_application, name="assignment_application"),
    path(f"{APPLICATION}add/", jury_assign.assignment_add_view, name="assignment_add"),
    path(
        f"{APPLICATION}<int:assignment_pk>/swap/",
        jury_assign.assignment_swap_view,
        name="assignment_swap",
    ),
    path(
        f"{APPLICATION}<int:assignment_pk>/remove/",
        jury_assign.assignment_remove_view,
        name="assignment_remove",
    ),
    path(RUN, jury_runs.run_page, name="assignment_run"),
    path(f"{RUN}state/", jury_runs.run_state, name="assignment_run_state"),
    path(f"{RUN}apply/", jury_runs.run_apply, name="assignment_run_apply"),
    path(f"{RUN}discard/", jury_runs.run_discard, name="assignment_run_discard"),
    path(f"{JURY}progress/", jury_progress.review_progress, name="review_progress"),
    path(f"{JURY}progress/remind/<int:pk>/", jury_progress.review_remind, name="review_remind"),
    path(f"{JURY}progress/remind/", jury_progress.review_remind_late, name="review_remind_late"),
    path(f"{JURY}applications/<int:pk>/", jury_progress.application_jury, name="application_jury"),
]

"""The commission's decision session: /<lang>/manage/calls/<slug>/decision/…"""

from django.urls import path

from .views import decision

DECISION = "calls/<slug:slug>/decision/"
SESSION = f"{DECISION}<int:pk>/"
MOTION = f"{DECISION}motion/<int:pk>/"

urlpatterns = [
    path(DECISION, decision.decision, name="decision"),
    path(f"{DECISION}open/", decision.decision_open, name="decision_open"),
    path(f"{SESSION}quorum/", decision.decision_quorum, name="decision_quorum"),
    path(f"{SESSION}attend/", decision.decision_attend, name="decision_attend"),
    path(f"{SESSION}tie-votes/", decision.decision_tie_votes, name="decision_tie_votes"),
    path(f"{SESSION}motion/", decision.decision_motion, name="decision_motion"),
    path(f"{SESSION}change/", decision.decision_change, name="decision_change"),
    path(f"{SESSION}close/", decision.decision_close, name="decision_close"),
    path(f"{MOTION}vote/", decision.decision_vote, name="decision_vote"),
    path(f"{MOTION}close/", decision.decision_motion_close, name="decision_motion_close"),
]

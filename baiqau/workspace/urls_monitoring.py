"""After the award, for a call's staff: /<lang>/manage/calls/<slug>/agreements/…"""

from django.urls import path

from .views import monitoring, monitoring_actions, monitoring_reports

AGREEMENTS = "calls/<slug:slug>/agreements/"
AGREEMENT = f"{AGREEMENTS}<int:pk>/"
TRANCHE = f"{AGREEMENT}tranches/<int:tranche_pk>/"
REPORT = f"{AGREEMENT}reports/<int:report_pk>/"

urlpatterns = [
    path(AGREEMENTS, monitoring.agreements, name="agreements"),
    path(
        f"{AGREEMENTS}draft/<int:application_pk>/",
        monitoring.agreement_draft,
        name="agreement_draft",
    ),
    path(AGREEMENT, monitoring.agreement, name="agreement"),
    path(f"{AGREEMENT}offer/", monitoring_actions.agreement_offer_view, name="agreement_offer"),
    path(
        f"{AGREEMENT}withdraw/",
        monitoring_actions.agreement_withdraw_view,
        name="agreement_withdraw",
    ),
    path(f"{AGREEMENT}close/", monitoring_actions.agreement_close_view, name="agreement_close"),
    path(f"{AGREEMENT}reopen/", monitoring_actions.agreement_reopen_view, name="agreement_reopen"),
    path(f"{TRANCHE}approve/", monitoring_actions.tranche_approve_view, name="tranche_approve"),
    path(f"{TRANCHE}pay/", monitoring_actions.tranche_pay_view, name="tranche_pay"),
    path(f"{TRANCHE}withhold/", monitoring_actions.tranche_withhold_view, name="tranche_withhold"),
    path(
        f"{TRANCHE}reinstate/", monitoring_actions.tranche_reinstate_view, name="tranche_reinstate"
    ),
    path(f"{AGREEMENT}visits/new/", monitoring_actions.visit_record_view, name="visit_record"),
    path(
        f"{AGREEMENT}visits/<int:visit_pk>/photos/<int:photo_pk>/",
        monitoring_actions.visit_photo,
        name="visit_photo",
    ),
    path(REPORT, monitoring_reports.report_review, name="report_review"),
    path(f"{REPORT}accept/", monitoring_reports.report_accept_view, name="report_accept"),
    path(f"{REPORT}return/", monitoring_reports.report_return_view, name="report_return"),
    path(f"{REPORT}reopen/", monitoring_reports.report_reopen_view, name="report_reopen"),
    path(f"{REPORT}files/<int:file_pk>/", monitoring_reports.report_file, name="report_file"),
]

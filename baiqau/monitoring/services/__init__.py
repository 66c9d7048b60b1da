"""Writes of the monitoring app: agreements, reports, tranches and visits."""

from .agreements import (
    IndicatorSpec,
    ReportSpec,
    TrancheSpec,
    agreement_accept,
    agreement_close,
    agreement_create,
    agreement_offer,
    agreement_reopen,
    agreement_update,
    agreement_withdraw_offer,
    monitoring_for,
)
from .reports import (
    ReportInvalid,
    report_accept,
    report_file_add,
    report_file_remove,
    report_reopen,
    report_return,
    report_save_draft,
    report_submit,
)
from .tranches import approvable, tranche_approve, tranche_pay, tranche_reinstate, tranche_withhold
from .visits import visit_record

__all__ = [
    "IndicatorSpec",
    "ReportInvalid",
    "ReportSpec",
    "TrancheSpec",
    "agreement_accept",
    "agreement_close",
    "agreement_create",
    "agreement_offer",
    "agreement_reopen",
    "agreement_update",
    "agreement_withdraw_offer",
    "approvable",
    "monitoring_for",
    "report_accept",
    "report_file_add",
    "report_file_remove",
    "report_reopen",
    "report_return",
    "report_save_draft",
    "report_submit",
    "tranche_approve",
    "tranche_pay",
    "tranche_reinstate",
    "tranche_withhold",
    "visit_record",
]

"""The tables of allowed state changes of agreements, reports and tranches.

Who may make a move: "organisation" (an owner or member of the funded organisation; accepting
an agreement needs an owner), "staff" (organisers and the secretariat of the call).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import AgreementStatus as A
from .models import ReportStatus as R
from .models import TrancheStatus as T

ORGANISATION = frozenset({"organisation"})
OWNER = frozenset({"owner"})
STAFF = frozenset({"organiser", "secretary"})


@dataclass(frozen=True)
class Move:
    name: str
    label: StrOrPromise
    by: frozenset[str]
    needs_reason: bool = False


AGREEMENT: dict[tuple[str, str], Move] = {
    (A.DRAFT, A.OFFERED): Move("offer", _("Offer to the organisation"), STAFF),
    (A.OFFERED, A.ACCEPTED): Move("accept", _("Accept the agreement"), OWNER),
    (A.OFFERED, A.DRAFT): Move("withdraw_offer", _("Withdraw the offer to revise it"), STAFF, True),
    (A.ACCEPTED, A.CLOSED): Move("close", _("Close the agreement"), STAFF),
    (A.CLOSED, A.ACCEPTED): Move("reopen", _("Reopen the agreement"), STAFF, True),
}

REPORT: dict[tuple[str, str], Move] = {
    (R.DUE, R.SUBMITTED): Move("submit", _("Submit the report"), ORGANISATION),
    (R.SUBMITTED, R.RETURNED): Move("return", _("Return for revision"), STAFF, True),
    (R.RETURNED, R.SUBMITTED): Move("resubmit", _("Resubmit the report"), ORGANISATION),
    (R.SUBMITTED, R.ACCEPTED): Move("accept", _("Accept the report"), STAFF),
    (R.ACCEPTED, R.RETURNED): Move("reopen", _("Reopen an accepted report"), STAFF, True),
}

TRANCHE: dict[tuple[str, str], Move] = {
    (T.PLANNED, T.APPROVED): Move("approve", _("Approve for payment"), STAFF),
    (T.APPROVED, T.PAID): Move("pay", _("Mark as paid"), STAFF),
    (T.PLANNED, T.WITHHELD): Move("withhold", _("Withhold"), STAFF, True),
    (T.APPROVED, T.WITHHELD): Move("withhold", _("Withhold"), STAFF, True),
    (T.WITHHELD, T.PLANNED): Move("reinstate", _("Reinstate"), STAFF, True),
}


def move_for(table: dict[tuple[str, str], Move], current: str, target: str) -> Move | None:
    return table.get((current, target))

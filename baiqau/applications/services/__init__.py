"""Use cases of an application: the lifecycle, the draft's sections, attachments, messages."""

from .attachments import attachment_add, attachment_remove
from .drafts import (
    ConflictError,
    application_save_answers,
    application_save_budget,
    application_save_fields,
    application_start,
    completeness_problems,
)
from .lifecycle import (
    application_create,
    application_reopen,
    application_submit,
    application_transition,
    application_withdraw,
)
from .messages import message_reply
from .screening import (
    BulkResult,
    bulk_transition,
    checklist_save,
    clarification_request,
    screening_decide,
    staff_message,
)

__all__ = [
    "BulkResult",
    "ConflictError",
    "application_create",
    "application_reopen",
    "application_save_answers",
    "application_save_budget",
    "application_save_fields",
    "application_start",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "attachment_add",
    "attachment_remove",
    "bulk_transition",
    "checklist_save",
    "clarification_request",
    "completeness_problems",
    "message_reply",
    "screening_decide",
    "staff_message",
]

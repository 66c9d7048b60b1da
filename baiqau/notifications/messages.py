"""The default wording of each notification, with named placeholders in braces.

Organisers may replace a kind's wording per call and language (NotificationTemplate); the
placeholders are the same. Unknown placeholders are left as they are, never an error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import NotificationKind as K

PLACEHOLDERS: dict[str, Any] = {
    "name": _("the person's name"),
    "call_title": _("the call's title"),
    "application_title": _("the application's title"),
    "organisation": _("the applicant organisation"),
    "receipt_number": _("the receipt number"),
    "deadline": _("the call's deadline, Almaty time"),
    "reply_by": _("the date to answer a clarification by"),
    "reason": _("the reason given with a decision"),
    "message": _("the secretariat's message"),
    "decision": _("the decision: eligible or not"),
    "url": _("the link to the page in Baiqau"),
    "role": _("the role offered in the call"),
}

DEFAULTS: dict[str, tuple[Any, Any]] = {
    K.SUBMISSION_RECEIPT: (
        _("Application received: {receipt_number}"),
        _(
            "Hello, {name}.\n\nThe application “{application_title}” of {organisation} to the "
            "call “{call_title}” has been received.\nReceipt number: {receipt_number}.\n\n"
            "You can see it, and download a PDF copy, here: {url}\n\nUntil the deadline "
            "({deadline}) you may reopen the application, edit it and submit it again."
        ),
    ),
    K.CLARIFICATION_REQUESTED: (
        _("A question about your application {receipt_number}"),
        _(
            "Hello, {name}.\n\nThe secretariat of the call “{call_title}” asks about the "
            "application “{application_title}”:\n\n{message}\n\nPlease answer by {reply_by}: "
            "{url}"
        ),
    ),
    K.CLARIFICATION_ANSWERED: (
        _("The applicant answered: {receipt_number}"),
        _(
            "{organisation} answered the question about “{application_title}”:\n\n{message}\n\n"
            "The application is back in screening: {url}"
        ),
    ),
    K.ELIGIBILITY_DECISION: (
        _("Screening decision on your application {receipt_number}"),
        _(
            "Hello, {name}.\n\nThe application “{application_title}” to the call "
            "“{call_title}” was screened. Decision: {decision}.\n{reason}\n\nDetails: {url}"
        ),
    ),
    K.CALL_PUBLISHED: (
        _("New call: {call_title}"),
        _("The call “{call_title}” is open. Applications until {deadline}.\n\n{url}"),
    ),
    K.DEADLINE_REMINDER: (
        _("Reminder: the deadline for “{call_title}” is {deadline}"),
        _(
            "Hello, {name}.\n\nThe application “{application_title}” is still a draft. The "
            "call closes on {deadline}; unsubmitted drafts do not take part.\n\n{url}"
        ),
    ),
    K.STAFF_INVITATION: (
        _("Invitation: {role} of the call “{call_title}”"),
        _(
            "Hello.\n\nYou are invited to take part in running the call “{call_title}” as "
            "{role}. Accept the invitation here (you will be asked to log in or sign up, and to "
            "set up two-factor authentication): {url}"
        ),
    ),
}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: dict[str, Any]) -> str:
    """Put values into `{placeholder}`s; a brace that is not a placeholder stays as it is."""
    try:
        return template.format_map(_Lenient({k: "" if v is None else v for k, v in values.items()}))
    except (ValueError, IndexError, AttributeError):
        # An organiser's template with a stray brace is sent as written rather than failing.
        return template

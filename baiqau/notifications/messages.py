"""The default wording of each notification, with named placeholders in braces.

Organisers may replace a kind's wording per call and language (NotificationTemplate); the
placeholders are the same. Unknown placeholders are left as they are, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
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
    "count": _("how many applications"),
    "review_ends": _("the end of the review period, Almaty time"),
    "outcome": _("the outcome: the place and prize or grant, or not awarded"),
    "position": _("the position in the ranking, of how many"),
    "scores": _("the score on each criterion and the total"),
    "comments": _("the experts' comments for the applicant, by number"),
    "report": _("the report: interim or final"),
    "due_date": _("the date the report is due"),
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
    K.REVIEWS_ASSIGNED: (
        _("Applications to review: {call_title}"),
        _(
            "Hello, {name}.\n\nApplications of the call “{call_title}” newly assigned to you: "
            "{count}. Before you read each one, declare whether you have a conflict of "
            "interest. Scores are due by {review_ends}.\n\nYour queue: {url}"
        ),
    ),
    K.REVIEW_REMINDER: (
        _("Reminder: reviews due by {review_ends}"),
        _(
            "Hello, {name}.\n\nReviews for the call “{call_title}” not submitted yet: {count}. "
            "The review period ends on {review_ends}.\n\nYour queue: {url}"
        ),
    ),
    K.RESULTS_DECISION: (
        _("Results of the call “{call_title}”: {application_title}"),
        _(
            "Hello, {name}.\n\nThe commission has decided the results of the call "
            "“{call_title}”.\n\nThe application “{application_title}” of {organisation}: "
            "{outcome}\nPosition in the ranking: {position}.\n\nScores (each criterion on its "
            "own scale; the total out of 100):\n{scores}\n\nWhat the experts wrote for you:\n"
            "{comments}\n\nThe full results, how they were computed, and the protocol: {url}"
        ),
    ),
    K.REPORT_DUE: (
        _("Report due on {due_date}: {application_title}"),
        _(
            "Hello, {name}.\n\nA report on the project “{application_title}” of "
            "{organisation}, funded by the call “{call_title}”, is due soon.\n\n{report}: due "
            "on {due_date}.\n\nWrite it in Baiqau (a draft is kept as you go) and submit it by "
            "that date: {url}"
        ),
    ),
    K.REPORT_OVERDUE: (
        _("Report overdue: {application_title}"),
        _(
            "Hello, {name}.\n\nA report on the project “{application_title}” of "
            "{organisation}, funded by the call “{call_title}”, is overdue: it has not been "
            "submitted, or it was returned and not yet resubmitted.\n\n{report}: due on "
            "{due_date}.\n\nThe agreement and its reports: {url}"
        ),
    ),
}


def _parse(template: str) -> list[tuple[str, str | None, str | None, str | None]] | None:
    try:
        return list(Formatter().parse(template))
    except ValueError:  # a single "{" or "}" that is not part of a placeholder
        return None


def _as_written(field: str, spec: str | None, conversion: str | None) -> str:
    return (
        "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )


def _is_placeholder(field: str, spec: str | None, conversion: str | None) -> bool:
    return field.isidentifier() and not spec and not conversion


def fill(template: str, values: dict[str, Any]) -> str:
    """Put values into `{placeholder}`s. Anything else in braces stays as written.

    Never str.format(): an organiser's template must not reach attributes or items of the
    values (`{decision.__init__.__globals__}` would read the server's memory).
    """
    pieces = _parse(template)
    if pieces is None:
        # An organiser's template with a stray brace is sent as written rather than failing.
        return template
    out = []
    for literal, field, spec, conversion in pieces:
        out.append(literal)
        if field is None:
            continue
        if _is_placeholder(field, spec, conversion) and field in values:
            value = values[field]
            out.append("" if value is None else str(value))
        else:
            out.append(_as_written(field, spec, conversion))
    return "".join(out)


def fill_message(subject: str, body: str, values: dict[str, Any]) -> tuple[str, str]:
    """A subject on one line and a body, with their placeholders filled."""
    return fill(subject, values).replace("\n", " ").strip(), fill(body, values)


@dataclass(frozen=True)
class TemplateCheck:
    """What an organiser is warned about before saving their own wording."""

    # Text in braces that no value fills (a misspelt name, "{0}", "{name.attr}"): sent as written.
    unknown: tuple[str, ...]
    # False when a single brace is not part of a placeholder: the whole text is then sent as
    # written, with no placeholder filled.
    well_formed: bool


def check_template(*texts: str) -> TemplateCheck:
    unknown: set[str] = set()
    well_formed = True
    for text in texts:
        pieces = _parse(text)
        if pieces is None:
            well_formed = False
            continue
        for _literal, field, spec, conversion in pieces:
            if field is None:
                continue
            if not (_is_placeholder(field, spec, conversion) and field in PLACEHOLDERS):
                unknown.add(_as_written(field, spec, conversion)[1:-1])
    return TemplateCheck(unknown=tuple(sorted(unknown)), well_formed=well_formed)


def placeholders_of(kind: str) -> set[str]:
    """The placeholders the default wording of a kind uses."""
    return {
        field
        for text in DEFAULTS[kind]
        for _literal, field, _spec, _conversion in _parse(str(text)) or []
        if field
    }

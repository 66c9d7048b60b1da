"""Writing a draft, section by section, without ever losing what someone typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baiqau.calls.models import Call, QuestionKind
from baiqau.core.errors import DomainError
from baiqau.domain.money import format_tenge
from baiqau.organisations.models import Organisation

from ..models import Answer, Application, ApplicationStatus, BudgetLine
from .common import check_member
from .lifecycle import application_create

TRANSLATED = ("title", "summary", "target_group", "goal")
PLAIN = (
    "problem",
    "planned_activities",
    "expected_results",
    "timeline",
    "team",
    "beneficiaries_count",
)


class ConflictError(DomainError):
    """Someone else saved the draft since this person loaded it."""

    def __init__(self, application: Application) -> None:
        who = application.last_edited_by
        when = formats.date_format(timezone.localtime(application.updated_at), "H:i")
        super().__init__(
            _(
                "%(who)s saved this draft at %(when)s, after you opened it. Your text was not "
                "saved, and it is still in the form below: compare it with the latest version, "
                "then save again."
            )
            % {"who": who or _("Another member"), "when": when},
            code="conflict",
        )
        self.current_version = application.version


def lock_draft(
    *, actor: Any, application: Application, version: int | None, edit_token: str = ""
) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "last_edited_by")
        .get(pk=application.pk)
    )
    check_member(actor, locked.organisation_id)
    if locked.status != ApplicationStatus.DRAFT:
        raise DomainError(
            _("This application has been submitted and can no longer be edited."),
            code="not_draft",
        )
    if version is not None and locked.version != version:
        same_page = bool(edit_token) and locked.last_edit_token == edit_token
        if not same_page:
            raise ConflictError(locked)
    return locked


def _bump(
    application: Application, actor: Any, fields: Sequence[str], edit_token: str = ""
) -> None:
    application.version += 1
    application.last_edited_by = actor
    application.last_edit_token = edit_token[:32]
    application.save(
        update_fields=[*fields, "version", "last_edited_by", "last_edit_token", "updated_at"]
    )


@transaction.atomic
def application_start(*, actor: Any, call: Call, organisation: Organisation) -> Application:
    """Start a draft for one of the person's organisations, in the language they are using."""
    check_member(actor, organisation.pk)
    language = (get_language() or "kk").split("-")[0]
    return application_create(actor=actor, call=call, organisation=organisation, language=language)


@transaction.atomic
def application_save_fields(
    *,
    actor: Any,
    application: Application,
    version: int | None,
    values: Mapping[str, Any],
    edit_token: str = "",
) -> Application:
    application = lock_draft(
        actor=actor, application=application, version=version, edit_token=edit_token
    )
    changed = []
    for name, value in values.items():
        if name in TRANSLATED:
            column = f"{name}_{application.language}"
        elif name in PLAIN:
            column = name
        else:
            raise TypeError(f"Unknown application field: {name}")
        if isinstance(value, str):
            # Browsers send CRLF line ends; store LF so lengths match what the person saw.
            value = value.replace("\r\n", "\n")
        setattr(application, column, value if value is not None else "")
        changed.append(column)
    if "beneficiaries_count" in values and values["beneficiaries_count"] in (None, ""):
        application.beneficiaries_count = 0
    _bump(application, actor, changed, edit_token)
    return application


@transaction.atomic
def application_save_budget(
    *,
    actor: Any,
    application: Application,
    version: int | None,
    lines: Sequence[Mapping[str, Any]],
    edit_token: str = "",
) -> Application:
    application = lock_draft(
        actor=actor, application=application, version=version, edit_token=edit_token
    )
    BudgetLine.objects.filter(application=application).delete()
    new_lines = [
        BudgetLine(
            application=application,
            position=i,
            item=line["item"],
            quantity=line["quantity"],
            unit_cost=line["unit_cost"],
            contribution=line.get("contribution") or 0,
        )
        for i, line in enumerate(lines)
    ]
    BudgetLine.objects.bulk_create(new_lines)
    application.requested_amount = sum(line.requested for line in new_lines)
    _bump(application, actor, ["requested_amount"], edit_token)
    return application


@transaction.atomic
def application_save_answers(
    *,
    actor: Any,
    application: Application,
    version: int | None,
    answers: Mapping[int, Any],
    edit_token: str = "",
) -> Application:
    application = lock_draft(
        actor=actor, application=application, version=version, edit_token=edit_token
    )
    questions = {q.pk: q for q in application.call.questions.exclude(kind=QuestionKind.FILE)}
    for question_id, value in answers.items():
        if question_id not in questions:
            raise TypeError(f"Question {question_id} is not part of this call")
        Answer.objects.update_or_create(
            application=application, question_id=question_id, defaults={"value": value}
        )
    _bump(application, actor, [], edit_token)
    return application


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def completeness_problems(application: Application) -> list[str]:
    """What still stops this draft from being submitted, in words the applicant can act on."""
    problems = []
    required_text = {
        "title": _("the project's title"),
        "summary": _("the summary"),
        "target_group": _("the target group"),
        "goal": _("the goal"),
        "problem": _("the problem the project solves"),
        "planned_activities": _("the planned activities"),
        "expected_results": _("the expected results and indicators"),
    }
    for name, label in required_text.items():
        column = f"{name}_{application.language}" if name in TRANSLATED else name
        if not str(getattr(application, column) or "").strip():
            problems.append(_("Fill in %(field)s.") % {"field": label})
    if not application.beneficiaries_count:
        problems.append(_("Give the number of beneficiaries."))
    lines = list(application.budget_lines.all())
    if not lines:
        problems.append(_("Add at least one budget line."))
    call = application.call
    if call.max_per_project and application.requested_amount > call.max_per_project:
        problems.append(
            _("The requested amount, %(amount)s, is more than this call's maximum of %(max)s.")
            % {
                "amount": format_tenge(application.requested_amount),
                "max": format_tenge(call.max_per_project),
            }
        )
    answered = {a.question_id: a.value for a in application.answers.all()}
    files = {a.question_id for a in application.attachments.all() if a.question_id}
    for question in call.questions.all():
        if not question.required:
            continue
        missing = (
            question.pk not in files
            if question.kind == QuestionKind.FILE
            else _is_blank(answered.get(question.pk))
        )
        if missing:
            problems.append(_("Answer the question “%(question)s”.") % {"question": question.label})
    return problems

"""Setting a call up: its texts, eligibility, timeline, award scheme, co-organisers, criteria,
screening checklist and application-form questions; copying a call; the checks before it is
published. Every write is one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from baiqau.applications.models import Answer, Application, Attachment
from baiqau.audit.services import audit_record
from baiqau.core.errors import DomainError
from baiqau.domain.identifiers import normalise_identifier
from baiqau.organisations.models import Organisation
from baiqau.review.models import Review

from .models import (
    AwardScheme,
    Call,
    CallOrganiser,
    CallRole,
    CallRoleKind,
    CallStatus,
    ChecklistItem,
    Criterion,
    Prize,
    Question,
    QuestionKind,
)
from .services import CriterionSpec, call_transition

# Results are announced publicly in Kazakh and Russian; English is welcome but optional.
REQUIRED_LANGUAGES = ("kk", "ru")
LANGUAGES = ("kk", "ru", "en")
TRANSLATED_TEXTS = ("title", "aim", "description")
TIMELINE = ("opens_at", "closes_at", "review_ends_at", "results_at")
CALL_FIELDS = frozenset(
    {f"{base}_{code}" for base in TRANSLATED_TEXTS for code in LANGUAGES}
    | {
        "slug",
        "eligible_org_types",
        "min_registered_months",
        "region",
        *TIMELINE,
        "award_scheme",
        "pool_amount",
        "max_per_project",
        "aggregation_method",
    }
)
QUESTION_FIELDS = frozenset(
    {"kind", "required", "max_length", "choices"}
    | {f"{base}_{code}" for base in ("label", "help") for code in LANGUAGES}
)
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
# The limits the application form applies when a text question sets none
# (baiqau.applications.forms.question_field): lowering a limit is measured against these.
DEFAULT_TEXT_LIMITS: dict[str, int] = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 5000}


class SetupInvalid(DomainError):
    """A change breaks rules of particular fields; `errors` maps each field to its messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]], *, code: str = "invalid") -> None:
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        super().__init__(" ".join(m for ms in self.errors.values() for m in ms), code=code)


class PublicationBlocked(DomainError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            _("The call cannot be published yet: %(problems)s") % {"problems": " ".join(problems)},
            code="not_ready",
        )


@dataclass(frozen=True)
class ChecklistItemSpec:
    text: dict[str, str]
    pk: int | None = None


def _check_editable(call: Call) -> None:
    if call.status == CallStatus.ARCHIVED:
        raise DomainError(_("An archived call cannot be changed."), code="archived")


def _problems_now(call: Call) -> list[str] | None:
    """What a public call lacks before a change (None for a draft, which may be incomplete)."""
    return None if call.status == CallStatus.DRAFT else publication_problems(call)


def _keep_complete(call: Call, before: list[str] | None) -> None:
    """A call that is already public must not lose what publishing it required."""
    if before is None:
        return
    new = [problem for problem in publication_problems(call) if problem not in before]
    if new:
        preface = _("The call is already public, so this change cannot leave it incomplete:")
        raise SetupInvalid({NON_FIELD_ERRORS: [preface, *new]}, code="public")


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def has_submissions(call: Call) -> bool:
    return Application.objects.filter(call=call, submitted_at__isnull=False).exists()


def has_reviews(call: Call) -> bool:
    return Review.objects.filter(application__call=call).exists()


# --- The call itself -----------------------------------------------------------------------


def timeline_problems(
    opens_at: datetime | None,
    closes_at: datetime | None,
    review_ends_at: datetime | None,
    results_at: datetime | None,
) -> dict[str, str]:
    """Each date that is not after the one before it, with what is wrong in words."""
    problems: dict[str, str] = {}
    if opens_at and closes_at and closes_at <= opens_at:
        problems["closes_at"] = _("The call must close after it opens.")
    if closes_at and review_ends_at and review_ends_at <= closes_at:
        problems["review_ends_at"] = _("The review must end after the call closes.")
    if review_ends_at and results_at and results_at <= review_ends_at:
        problems["results_at"] = _("The results must be announced after the review ends.")
    return problems


def _validate_call(call: Call) -> None:
    errors: dict[str, list[str]] = {}
    try:
        call.full_clean()
    except ValidationError as error:
        errors = {name: list(messages) for name, messages in error.message_dict.items()}
    timeline = timeline_problems(
        call.opens_at, call.closes_at, call.review_ends_at, call.results_at
    )
    for name, message in timeline.items():
        errors[name] = [message]  # one clear sentence instead of the model's near-duplicate
    if errors:
        raise SetupInvalid(errors)


@transaction.atomic
def call_update(*, actor: Any, call: Call, **fields: Any) -> Call:
    """Change a call's texts, eligibility, timeline or award scheme (and a draft's address);
    unchanged fields are kept."""
    unknown = set(fields) - CALL_FIELDS
    if unknown:
        raise TypeError(f"Fields that call_update does not change: {sorted(unknown)}")
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(call)
    changes = {
        name: [getattr(call, name), value]
        for name, value in fields.items()
        if getattr(call, name) != value
    }
    if not changes:
        return call
    if "slug" in changes and call.status != CallStatus.DRAFT:
        raise SetupInvalid(
            {"slug": [_("The address of a public call cannot change: links to it would break.")]},
            code="slug_fixed",
        )
    before = _problems_now(call)
    for name, value in fields.items():
        setattr(call, name, value)
    _validate_call(call)
    _keep_complete(call, before)
    call.save(update_fields=list(changes))
    audit_record(actor=actor, action="call.updated", subject=call, data={"changes": changes})
    return call


@transaction.atomic
def prizes_replace(*, actor: Any, call: Call, amounts: Sequence[int]) -> None:
    """The prize for each place, first place first."""
    _check_editable(call)
    if any(amount <= 0 for amount in amounts):
        raise SetupInvalid(
            {"prizes": [_("Every prize must be a positive amount in tenge.")]}, code="prizes"
        )
    before = list(call.prizes.order_by("place").values_list("amount", flat=True))
    if before == list(amounts):
        return
    problems = _problems_now(call)
    call.prizes.all().delete()
    Prize.objects.bulk_create(
        Prize(call=call, place=place, amount=amount) for place, amount in enumerate(amounts, 1)
    )
    _keep_complete(call, problems)
    audit_record(
        actor=actor,
        action="call.prizes_replaced",
        subject=call,
        data={"before": before, "after": list(amounts)},
    )


@transaction.atomic
def co_organisers_set(*, actor: Any, call: Call, bins: Sequence[str]) -> list[Organisation]:
    """The co-organising organisations, in order, named by their BIN."""
    _check_editable(call)
    wanted = list(dict.fromkeys(normalise_identifier(b) for b in bins if b.strip()))
    found = {org.bin: org for org in Organisation.objects.filter(bin__in=wanted)}
    unknown = [b for b in wanted if b not in found]
    if unknown:
        raise SetupInvalid(
            {
                "co_organisers": [
                    _("No organisation is registered with the BIN %(bin)s.") % {"bin": b}
                    for b in unknown
                ]
            },
            code="unknown_bin",
        )
    before = list(
        call.organiser_links.order_by("position", "id").values_list("organisation__bin", flat=True)
    )
    organisations = [found[b] for b in wanted]
    if before == wanted:
        return organisations
    call.organiser_links.all().delete()
    CallOrganiser.objects.bulk_create(
        CallOrganiser(call=call, organisation=org, position=i)
        for i, org in enumerate(organisations)
    )
    audit_record(
        actor=actor,
        action="call.co_organisers_set",
        subject=call,
        data={"before": before, "after": wanted},
    )
    return organisations


@transaction.atomic
def call_setup_save(
    *,
    actor: Any,
    call: Call,
    fields: Mapping[str, Any],
    prizes: Sequence[int],
    co_organiser_bins: Sequence[str],
) -> Call:
    """The general set-up page in one go: every problem is reported, nothing is half-saved."""
    errors: dict[str, list[str]] = {}
    steps: list[Callable[[], object]] = [
        partial(call_update, actor=actor, call=call, **fields),
        partial(prizes_replace, actor=actor, call=call, amounts=prizes),
        partial(co_organisers_set, actor=actor, call=call, bins=co_organiser_bins),
    ]
    for step in steps:
        try:
            step()
        except SetupInvalid as error:
            for name, messages in error.errors.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise SetupInvalid(errors)
    call.refresh_from_db()
    return call


# --- Criteria and checklist ------------------------------------------------------------------


@transaction.atomic
def criteria_replace(
    *, actor: Any, call: Call, criteria: Sequence[CriterionSpec]
) -> list[Criterion]:
    """All the call's criteria at once: weights total 100%, each scale has room to score."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(call)
    if has_reviews(call):
        raise DomainError(
            _("Reviews of this call have begun: its criteria can no longer change."),
            code="reviews_exist",
        )
    for n, spec in enumerate(criteria, 1):
        if not (spec.name.get("kk") or "").strip():
            raise DomainError(
                _("Criterion %(n)s needs a name in Kazakh.") % {"n": n}, code="criterion_name"
            )
        if spec.weight <= 0:
            raise DomainError(
                _("Criterion %(n)s needs a weight above zero.") % {"n": n}, code="weights"
            )
        if spec.max_score <= spec.min_score:
            raise DomainError(
                _("Criterion %(n)s: the highest score must be above the lowest.") % {"n": n},
                code="scale",
            )
    total = sum((spec.weight for spec in criteria), Decimal(0))
    if criteria and total != Decimal(100):
        raise DomainError(
            _("The criteria's weights must add up to 100%% (they add up to %(total)s%%).")
            % {"total": _plain_number(total)},
            code="weights",
        )
    before = [_criterion_data(c) for c in call.criteria.all()]
    rows = [
        Criterion(
            call=call,
            position=i,
            weight=spec.weight,
            min_score=spec.min_score,
            max_score=spec.max_score,
            **{f"name_{code}": spec.name.get(code, "") for code in LANGUAGES},
            **{f"description_{code}": spec.description.get(code, "") for code in LANGUAGES},
        )
        for i, spec in enumerate(criteria)
    ]
    after = [_criterion_data(c) for c in rows]
    if after == before:
        return list(call.criteria.all())
    problems = _problems_now(call)
    # No review exists, so no score points at these rows: replacing them loses nothing.
    call.criteria.all().delete()
    created = Criterion.objects.bulk_create(rows)
    _keep_complete(call, problems)
    audit_record(
        actor=actor,
        action="call.criteria_replaced",
        subject=call,
        data={"before": before, "after": after},
    )
    return created


def _criterion_data(criterion: Criterion) -> dict[str, Any]:
    return {
        "name": _texts(criterion, "name"),
        "description": _texts(criterion, "description"),
        "weight": _plain_number(Decimal(criterion.weight)),
        "scale": [criterion.min_score, criterion.max_score],
    }


@transaction.atomic
def checklist_replace(
    *, actor: Any, call: Call, items: Sequence[ChecklistItemSpec]
) -> list[ChecklistItem]:
    """The screening checklist, in order. Items keep their identity (and the secretariat's
    answers) when reworded; an item already answered for an application cannot be removed."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(call)
    existing = {item.pk: item for item in call.checklist.all()}
    unknown = {spec.pk for spec in items if spec.pk is not None} - set(existing)
    if unknown:
        raise DomainError(_("This checklist item belongs to another call."), code="item")
    for n, spec in enumerate(items, 1):
        if not (spec.text.get("kk") or "").strip():
            raise DomainError(
                _("Checklist item %(n)s needs its Kazakh wording.") % {"n": n}, code="item_text"
            )
    kept = {spec.pk for spec in items}
    dropped = [item for pk, item in existing.items() if pk not in kept]
    answered = [item for item in dropped if item.answers.exists()]
    if answered:
        raise DomainError(
            _(
                "The item “%(item)s” has already been answered during screening, so it cannot "
                "be removed. You may still correct its wording."
            )
            % {"item": answered[0].text},
            code="item_answered",
        )
    before = [_texts(item, "text") for item in existing.values()]
    ChecklistItem.objects.filter(pk__in=[item.pk for item in dropped]).delete()
    result = []
    for position, spec in enumerate(items):
        item = existing[spec.pk] if spec.pk is not None else ChecklistItem(call=call)
        wanted = {code: spec.text.get(code, "") for code in LANGUAGES}
        if item.pk is None or item.position != position or _texts(item, "text") != wanted:
            item.position = position
            for code, text in wanted.items():
                setattr(item, f"text_{code}", text)
            item.full_clean()
            item.save()
        result.append(item)
    after = [_texts(item, "text") for item in result]
    if before != after:
        audit_record(
            actor=actor,
            action="call.checklist_replaced",
            subject=call,
            data={"before": before, "after": after},
        )
    return result


def _texts(obj: Any, base: str) -> dict[str, str]:
    return {code: getattr(obj, f"{base}_{code}") for code in LANGUAGES}


# --- Questions of the application form ---------------------------------------------------------


def _normalise_question(question: Question) -> None:
    if question.kind not in CHOICE_KINDS:
        question.choices = []
    if question.kind not in DEFAULT_TEXT_LIMITS:
        question.max_length = None


def _validate_question(question: Question) -> None:
    errors: dict[str, list[str]] = {}
    try:
        question.full_clean(exclude=["call"])
    except ValidationError as error:
        errors = {name: list(messages) for name, messages in error.message_dict.items()}
    if question.kind in CHOICE_KINDS:
        values = [str(c.get("value", "")).strip() for c in question.choices]
        if len(values) < 2:
            errors.setdefault("choices", []).append(
                _("A choice question needs at least two choices.")
            )
        if any(not (c.get("kk") or "").strip() for c in question.choices):
            errors.setdefault("choices", []).append(_("Every choice needs its Kazakh wording."))
        if "" in values or len(set(values)) != len(values):
            errors.setdefault("choices", []).append(_("Every choice needs its own value."))
    if errors:
        raise SetupInvalid(errors)


def _choice_values(choices: Iterable[dict[str, Any]]) -> set[str]:
    return {str(c.get("value", "")) for c in choices or []}


def _text_limit(kind: str, max_length: int | None) -> int | None:
    return max_length or DEFAULT_TEXT_LIMITS.get(kind)


def _locked(message: str, name: str) -> SetupInvalid:
    return SetupInvalid({name: [message]}, code="locked")


@transaction.atomic
def question_add(*, actor: Any, call: Call, **fields: Any) -> Question:
    """A new question at the end of the form. Once applications have been submitted it must be
    optional: those applicants could not answer a new required question."""
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_editable(call)
    if fields.get("required") and has_submissions(call):
        raise _locked(
            _(
                "Applications have already been submitted: a new question must be optional, "
                "since those applicants could not answer it."
            ),
            "required",
        )
    last = call.questions.aggregate(last=Max("position"))["last"]
    question = Question(call=call, position=0 if last is None else last + 1, **fields)
    _normalise_question(question)
    _validate_question(question)
    problems = _problems_now(call)
    question.save()
    _keep_complete(call, problems)
    audit_record(
        actor=actor,
        action="call.question_added",
        subject=call,
        data={"question": question.pk, **_question_data(question)},
    )
    return question


def _question_data(question: Question) -> dict[str, Any]:
    return {name: getattr(question, name) for name in sorted(QUESTION_FIELDS)}


def _refuse_breaking_change(before: Question, after: Question) -> None:
    """Once applications are submitted, their answers must keep meaning what they meant."""
    if after.kind != before.kind:
        raise _locked(
            _(
                "Applications have already been submitted: the kind of this question can no "
                "longer change. You may still correct its wording."
            ),
            "kind",
        )
    if _choice_values(after.choices) != _choice_values(before.choices):
        raise _locked(
            _(
                "Applications have already been submitted: the choices of this question can no "
                "longer be added, removed or given other values. You may still correct their "
                "wording."
            ),
            "choices",
        )
    if after.required and not before.required:
        raise _locked(
            _("Applications have already been submitted: this question cannot become required."),
            "required",
        )
    old_limit = _text_limit(before.kind, before.max_length)
    new_limit = _text_limit(after.kind, after.max_length)
    if old_limit and new_limit and new_limit < old_limit:
        raise _locked(
            _(
                "Applications have already been submitted: the character limit can be raised, "
                "not lowered."
            ),
            "max_length",
        )


@transaction.atomic
def question_update(*, actor: Any, question: Question, **fields: Any) -> Question:
    """Change a question. Before any submission anything may change (draft answers that no
    longer fit are cleared); after it, only the wording, or a looser rule."""
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    before = (
        Question.objects.select_for_update(of=("self",)).select_related("call").get(pk=question.pk)
    )
    _check_editable(before.call)
    question = Question.objects.get(pk=before.pk)
    for name, value in fields.items():
        setattr(question, name, value)
    _normalise_question(question)
    changes = {
        name: [getattr(before, name), getattr(question, name)]
        for name in sorted(QUESTION_FIELDS)
        if getattr(before, name) != getattr(question, name)
    }
    if not changes:
        return question
    submitted = has_submissions(before.call)
    if submitted:
        _refuse_breaking_change(before, question)
    _validate_question(question)
    problems = _problems_now(before.call)
    cleared = 0
    new_meaning = question.kind != before.kind or _choice_values(
        question.choices
    ) != _choice_values(before.choices)
    if new_meaning and not submitted:
        # Only drafts exist: answers of the old kind or to removed choices would not fit.
        cleared, _detail = Answer.objects.filter(question=question).delete()
        Attachment.objects.filter(question=question).update(question=None)
    question.save()
    _keep_complete(before.call, problems)
    audit_record(
        actor=actor,
        action="call.question_updated",
        subject=before.call,
        data={"question": question.pk, "changes": changes, "draft_answers_cleared": cleared},
    )
    return question


@transaction.atomic
def question_move(*, actor: Any, question: Question, direction: str) -> None:
    """Swap a question with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise DomainError(_("A question moves up or down."), code="direction")
    call = Call.objects.select_for_update().get(pk=question.call_id)
    _check_editable(call)
    questions = list(call.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])
    audit_record(
        actor=actor,
        action="call.question_moved",
        subject=call,
        data={"question": question.pk, "direction": direction, "order": [q.pk for q in questions]},
    )


def draft_answer_count(question: Question) -> int:
    return Answer.objects.filter(question=question).count()


@transaction.atomic
def question_remove(*, actor: Any, question: Question) -> None:
    """Remove a question; refused once applications that may have answered it are submitted."""
    call = Call.objects.select_for_update().get(pk=question.call_id)
    _check_editable(call)
    if has_submissions(call):
        raise _locked(
            _(
                "Applications have already been submitted: this question can no longer be "
                "removed, or their answers would be lost. You may still correct its wording."
            ),
            NON_FIELD_ERRORS,
        )
    data = {"question": question.pk, **_question_data(question)}
    # Drafts only: their answers go with the question; files stay, as general attachments.
    data["draft_answers_deleted"], _detail = Answer.objects.filter(question=question).delete()
    Attachment.objects.filter(question=question).update(question=None)
    question.delete()
    audit_record(actor=actor, action="call.question_removed", subject=call, data=data)


# --- Copy, publication, moves ---------------------------------------------------------------


def _a_year_later(moment: datetime) -> datetime:
    # Shift in Almaty time so "18:00 on the deadline" stays 18:00 even if the UTC offset
    # changed in between (Kazakhstan moved from UTC+6 to UTC+5 in 2024); 29 February → 28th.
    zone = timezone.get_default_timezone()
    local = timezone.localtime(moment, zone).replace(tzinfo=None)
    try:
        shifted = local.replace(year=local.year + 1)
    except ValueError:
        shifted = local.replace(year=local.year + 1, day=28)
    return timezone.make_aware(shifted, zone)


Row = TypeVar("Row", Criterion, Prize, ChecklistItem, Question)


def _moved_to(call: Call, rows: Iterable[Row]) -> list[Row]:
    """Unsaved copies of another call's rows, belonging to `call`."""
    copies = list(rows)
    for row in copies:
        row.pk = None
        row.call = call
    return copies


COPIED_CALL_FIELDS = (
    *(f"{base}_{code}" for base in TRANSLATED_TEXTS for code in LANGUAGES),
    "eligible_org_types",
    "min_registered_months",
    "region",
    "award_scheme",
    "pool_amount",
    "max_per_project",
    "aggregation_method",
)


@transaction.atomic
def call_copy(*, actor: Any, source: Call, slug: str) -> Call:
    """A new draft call like `source`, a year later, organised by the actor."""
    if Call.objects.filter(slug=slug).exists():
        raise SetupInvalid(
            {"slug": [_("A call with this address already exists.")]}, code="slug_taken"
        )
    call = Call(
        slug=slug,
        status=CallStatus.DRAFT,
        created_by=actor,
        **{name: getattr(source, name) for name in COPIED_CALL_FIELDS},
        **{name: _a_year_later(getattr(source, name)) for name in TIMELINE},
    )
    _validate_call(call)
    call.save()
    CallRole.objects.create(call=call, user=actor, role=CallRoleKind.ORGANISER, granted_by=actor)
    CallOrganiser.objects.bulk_create(
        CallOrganiser(call=call, organisation_id=link.organisation_id, position=link.position)
        for link in source.organiser_links.all()
    )
    Criterion.objects.bulk_create(_moved_to(call, source.criteria.all()))
    Prize.objects.bulk_create(_moved_to(call, source.prizes.all()))
    ChecklistItem.objects.bulk_create(_moved_to(call, source.checklist.all()))
    Question.objects.bulk_create(_moved_to(call, source.questions.all()))
    audit_record(
        actor=actor,
        action="call.copied",
        subject=call,
        data={"source": source.slug, "slug": slug},
    )
    return call


_MISSING_TEXT = {
    ("title", "kk"): gettext_noop("The title in Kazakh is missing."),
    ("title", "ru"): gettext_noop("The title in Russian is missing."),
    ("aim", "kk"): gettext_noop("The aim in Kazakh is missing."),
    ("aim", "ru"): gettext_noop("The aim in Russian is missing."),
    ("description", "kk"): gettext_noop("The description in Kazakh is missing."),
    ("description", "ru"): gettext_noop("The description in Russian is missing."),
}


def publication_problems(call: Call) -> list[str]:
    """What still stops the call from being published, each in a sentence; empty when ready."""
    problems = [
        _(_MISSING_TEXT[(base, code)])
        for base in TRANSLATED_TEXTS
        for code in REQUIRED_LANGUAGES
        if not (getattr(call, f"{base}_{code}") or "").strip()
    ]
    criteria = list(call.criteria.all())
    if not criteria:
        problems.append(_("The call has no criteria."))
    else:
        total = sum((c.weight for c in criteria), Decimal(0))
        if total != Decimal(100):
            problems.append(
                _("The criteria's weights add up to %(total)s%%, not 100%%.")
                % {"total": _plain_number(total)}
            )
        for n, criterion in enumerate(criteria, 1):
            if not criterion.name_ru.strip():
                problems.append(_("Criterion %(n)s has no name in Russian.") % {"n": n})
    for n, question in enumerate(call.questions.all(), 1):
        if not question.label_ru.strip():
            problems.append(_("Question %(n)s has no wording in Russian.") % {"n": n})
        elif any(not (c.get("ru") or "").strip() for c in question.choices):
            problems.append(_("A choice of question %(n)s has no wording in Russian.") % {"n": n})
    if call.award_scheme == AwardScheme.PRIZES and not call.prizes.exists():
        problems.append(_("The call has no prizes."))
    if call.award_scheme == AwardScheme.POOL and not call.pool_amount:
        problems.append(_("The grant pool has no amount."))
    if not call.eligible_org_types:
        problems.append(_("No organisation type may apply."))
    problems.extend(
        timeline_problems(
            call.opens_at, call.closes_at, call.review_ends_at, call.results_at
        ).values()
    )
    return problems


@transaction.atomic
def call_move(*, actor: Any, call: Call, to: str, reason: str = "") -> Call:
    """Move the call along its state table; it is published only when nothing is missing."""
    # Locked first, so nobody removes a criterion between the check and the move.
    call = Call.objects.select_for_update().get(pk=call.pk)
    if to == CallStatus.PUBLISHED:
        problems = publication_problems(call)
        if problems:
            raise PublicationBlocked(problems)
    return call_transition(actor=actor, call=call, to=to, reason=reason)

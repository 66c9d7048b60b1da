"""Forms of the organiser's call set-up. They parse what a person typed; the rules live in
baiqau.calls.setup, whose errors the views put back on these forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from baiqau.organisations.models import OrganisationType

from .models import Call, CallStatus, Question, QuestionKind
from .services import CriterionSpec
from .setup import LANGUAGES, REQUIRED_LANGUAGES, TIMELINE, ChecklistItemSpec, timeline_problems
from .transitions import Move

LANGUAGE_NAMES: dict[str, StrOrPromise] = {
    "kk": _("Kazakh"),
    "ru": _("Russian"),
    "en": _("English"),
}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_LIST_SEPARATORS = re.compile(r"[\n;,]+")
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f₸]+")


@dataclass(frozen=True)
class LanguageGroup:
    code: str
    name: StrOrPromise
    required: bool
    fields: list[forms.BoundField]


def _mark_languages(form: forms.BaseForm) -> None:
    """Tell browsers and screen readers which language each translated input is written in."""
    for name, form_field in form.fields.items():
        code = name.rsplit("_", 1)[-1]
        if code in LANGUAGES and "_" in name:
            form_field.widget.attrs["lang"] = code


def language_groups(form: forms.BaseForm, bases: tuple[str, ...]) -> list[LanguageGroup]:
    return [
        LanguageGroup(
            code=code,
            name=LANGUAGE_NAMES[code],
            required=code in REQUIRED_LANGUAGES,
            fields=[form[f"{base}_{code}"] for base in bases],
        )
        for code in LANGUAGES
    ]


def datetime_field(label: StrOrPromise) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )


class AmountsField(forms.CharField):
    """Whole tenge amounts, one a line (1 000 000 or 1000000)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[int]:
        text = super().clean(value) or ""
        amounts = []
        for line in text.splitlines():
            digits = _AMOUNT_NOISE.sub("", line)
            if not digits:
                continue
            if not digits.isascii() or not digits.isdigit():
                raise forms.ValidationError(
                    _("Write each amount as a whole number of tenge, e.g. 1 000 000."),
                    code="amount",
                )
            amounts.append(int(digits))
        return amounts


class BinsField(forms.CharField):
    """BINs, one a line (or separated by commas)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


CALL_TEXTS = ("title", "aim", "description")
SLUG_HELP = _(
    "The end of the call's web address: Latin letters, digits and hyphens, "
    "e.g. almaty-social-projects-2026."
)


def _translated(bases: tuple[str, ...]) -> list[str]:
    return [f"{base}_{code}" for code in LANGUAGES for base in bases]


class CallForm(forms.ModelForm[Call]):
    """Everything of a call an organiser sets, except its criteria, checklist and questions."""

    eligible_org_types = forms.MultipleChoiceField(
        label=_("Eligible organisation types"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = datetime_field(_("Opens (Almaty time)"))
    closes_at = datetime_field(_("Closes: the deadline for applications (Almaty time)"))
    review_ends_at = datetime_field(_("Review ends (Almaty time)"))
    results_at = datetime_field(_("Results announced (Almaty time)"))
    prizes = AmountsField(
        label=_("Prizes, ₸"),
        required=False,
        help_text=_("One amount a line: first place first. Used with fixed prizes."),
    )
    co_organisers = BinsField(
        label=_("Co-organisers' BINs"),
        required=False,
        help_text=_("One BIN a line, in the order the organisers are named."),
    )

    class Meta:
        model = Call
        fields = [
            "slug",
            *_translated(CALL_TEXTS),
            "eligible_org_types",
            "min_registered_months",
            "region",
            *TIMELINE,
            "award_scheme",
            "pool_amount",
            "max_per_project",
            "aggregation_method",
        ]
        widgets = {
            **{f"aim_{code}": forms.Textarea(attrs={"rows": 3}) for code in LANGUAGES},
            **{f"description_{code}": forms.Textarea(attrs={"rows": 8}) for code in LANGUAGES},
            "award_scheme": forms.RadioSelect,
            "aggregation_method": forms.RadioSelect,
        }
        labels = {
            "slug": _("Address"),
            "min_registered_months": _("Registered for at least, months"),
            "region": _("Located in (city or region)"),
            "pool_amount": _("Grant pool, ₸"),
            "max_per_project": _("Maximum requested amount per project, ₸"),
        }
        help_texts = {
            "slug": SLUG_HELP,
            "min_registered_months": _("Leave blank when any organisation may apply."),
            "pool_amount": _("Used with a grant pool."),
            "max_per_project": _(
                "An application asking for more cannot be submitted. With a grant pool, also "
                "the most one project can receive."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_languages(self)
        if self.instance.status != CallStatus.DRAFT:
            # Public pages and letters link to the address: it is fixed once published.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Fixed once the call has been published.")

    def language_groups(self) -> list[LanguageGroup]:
        return language_groups(self, CALL_TEXTS)

    def call_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CallNewForm(forms.ModelForm[Call]):
    """What a call needs to exist; everything else is set up afterwards."""

    opens_at = datetime_field(_("Opens (Almaty time)"))
    closes_at = datetime_field(_("Closes: the deadline for applications (Almaty time)"))
    review_ends_at = datetime_field(_("Review ends (Almaty time)"))
    results_at = datetime_field(_("Results announced (Almaty time)"))
    prizes = AmountsField(
        label=_("Prizes, ₸"),
        required=False,
        help_text=_("One amount a line: first place first. Used with fixed prizes."),
    )

    class Meta:
        model = Call
        fields = [
            "slug",
            *_translated(("title",)),
            *TIMELINE,
            "award_scheme",
            "pool_amount",
            "max_per_project",
        ]
        widgets = {"award_scheme": forms.RadioSelect}
        labels = {
            "slug": _("Address"),
            "pool_amount": _("Grant pool, ₸"),
            "max_per_project": _("Maximum requested amount per project, ₸"),
        }
        help_texts = {"slug": SLUG_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_languages(self)

    def language_groups(self) -> list[LanguageGroup]:
        return language_groups(self, ("title",))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates = [data.get(name) for name in TIMELINE]
        for name, message in timeline_problems(*dates).items():
            if name not in self.errors:
                self.add_error(name, message)
        if data.get("award_scheme") == "prizes" and not data.get("prizes"):
            self.add_error("prizes", _("Give the prize of at least the first place."))
        return data


class CallCopyForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address of the new call"),
        max_length=100,
        help_text=_("Latin letters, digits and hyphens."),
    )


class SetupFormSet(BaseFormSet[Any]):
    """Rows edited together: a row left blank is skipped, a ticked row is removed."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")

    def add_error(self, message: str) -> None:
        self.non_form_errors().append(message)

    def filled_forms(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and not getattr(form, "is_blank", False)
        ]


class RowForm(forms.Form):
    """A row whose fields are all optional until something is typed in it."""

    text_fields: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_blank = False
        for name in self.required_fields:
            self.fields[name].required_for_submission = True  # type: ignore[attr-defined]  # shown as required
        _mark_languages(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.is_blank = all(data.get(name) in (None, "") for name in self.text_fields)
        if self.is_blank:
            return data
        for name in self.required_fields:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, forms.Field.default_error_messages["required"])
        return data


def _optional_text(label: StrOrPromise, max_length: int, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, max_length=max_length, required=False, widget=widget)


class CriterionForm(RowForm):
    name_kk = _optional_text(_("Name (Kazakh)"), 200)
    name_ru = _optional_text(_("Name (Russian)"), 200)
    name_en = _optional_text(_("Name (English)"), 200)
    description_kk = _optional_text(_("Description (Kazakh)"), 5000, rows=2)
    description_ru = _optional_text(_("Description (Russian)"), 5000, rows=2)
    description_en = _optional_text(_("Description (English)"), 5000, rows=2)
    weight = forms.DecimalField(
        label=_("Weight, %"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    min_score = forms.IntegerField(label=_("Lowest score"), required=False, initial=0)
    max_score = forms.IntegerField(label=_("Highest score"), required=False, initial=10)

    text_fields = (*_translated(("name", "description")), "weight")
    required_fields = ("name_kk", "weight")


class CriteriaFormSetBase(SetupFormSet):
    def specs(self) -> list[CriterionSpec]:
        specs = []
        for form in self.filled_forms():
            data = form.cleaned_data
            specs.append(
                CriterionSpec(
                    name={code: data[f"name_{code}"] for code in LANGUAGES},
                    description={code: data[f"description_{code}"] for code in LANGUAGES},
                    weight=data["weight"],
                    min_score=0 if data["min_score"] is None else data["min_score"],
                    max_score=10 if data["max_score"] is None else data["max_score"],
                )
            )
        return specs


CriteriaFormSet = cast(
    "type[CriteriaFormSetBase]",
    formset_factory(
        CriterionForm,
        formset=CriteriaFormSetBase,
        extra=1,
        can_delete=True,
        max_num=30,
        validate_max=True,
    ),
)


def criteria_initial(call: Call) -> list[dict[str, Any]]:
    fields = [*_translated(("name", "description")), "weight", "min_score", "max_score"]
    return [{name: getattr(c, name) for name in fields} for c in call.criteria.all()]


class ChecklistItemForm(RowForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text_kk = _optional_text(_("Item (Kazakh)"), 500)
    text_ru = _optional_text(_("Item (Russian)"), 500)
    text_en = _optional_text(_("Item (English)"), 500)

    text_fields = tuple(_translated(("text",)))
    required_fields = ("text_kk",)


class ChecklistFormSetBase(SetupFormSet):
    def specs(self) -> list[ChecklistItemSpec]:
        return [
            ChecklistItemSpec(
                pk=form.cleaned_data["id"],
                text={code: form.cleaned_data[f"text_{code}"] for code in LANGUAGES},
            )
            for form in self.filled_forms()
        ]


ChecklistFormSet = cast(
    "type[ChecklistFormSetBase]",
    formset_factory(
        ChecklistItemForm,
        formset=ChecklistFormSetBase,
        extra=1,
        can_delete=True,
        max_num=50,
        validate_max=True,
    ),
)


def checklist_initial(call: Call) -> list[dict[str, Any]]:
    return [
        {"id": item.pk, **{f"text_{code}": getattr(item, f"text_{code}") for code in LANGUAGES}}
        for item in call.checklist.all()
    ]


QUESTION_TEXTS = ("label", "help")


def choices_text(choices: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join([str(c.get("value", "")), *(str(c.get(code, "")) for code in LANGUAGES)])
        for c in choices or []
    )


def parse_choices(text: str) -> list[dict[str, str]]:
    """`value | Kazakh | Russian | English` a line; without a value, one is numbered."""
    rows: list[tuple[str | None, list[str]]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4:
            raise forms.ValidationError(
                _("Line %(n)s of the choices has more than four parts."),
                code="choices",
                params={"n": n},
            )
        if len(parts) == 4:
            rows.append((parts[0], parts[1:]))
        else:
            rows.append((None, parts + [""] * (3 - len(parts))))
    used = {value for value, _texts in rows if value}
    counter = 0
    choices = []
    for value, texts in rows:
        if not value:
            counter += 1
            while str(counter) in used:
                counter += 1
            value = str(counter)
            used.add(value)
        choices.append({"value": value, **dict(zip(LANGUAGES, texts, strict=True))})
    return choices


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    label_kk = forms.CharField(label=_("Question (Kazakh)"), max_length=500)
    label_ru = forms.CharField(label=_("Question (Russian)"), max_length=500, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    help_kk = _optional_text(_("Help text (Kazakh)"), 2000, rows=2)
    help_ru = _optional_text(_("Help text (Russian)"), 2000, rows=2)
    help_en = _optional_text(_("Help text (English)"), 2000, rows=2)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    max_length = forms.IntegerField(
        label=_("Character limit"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("For text answers; blank means 300 for short and 5000 for long text."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For choice questions, one choice a line: value | Kazakh | Russian | English, "
            "e.g. “yes | Иә | Да | Yes”. Keep the value when you correct the wording."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_languages(self)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        names = ["kind", "required", "max_length", *_translated(QUESTION_TEXTS)]
        return {
            **{name: getattr(question, name) for name in names},
            "choices": choices_text(question.choices),
        }

    def language_groups(self) -> list[LanguageGroup]:
        return language_groups(self, QUESTION_TEXTS)

    def clean_choices(self) -> list[dict[str, str]]:
        return parse_choices(self.cleaned_data.get("choices") or "")


class MoveForm(forms.Form):
    """One move of the call's state table; corrections carry a reason."""

    to = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, target: str, move: Move, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{target}_%s")
        kwargs.setdefault("initial", {"to": target})
        super().__init__(*args, **kwargs)
        self.target = target
        self.move = move
        cast(forms.ChoiceField, self.fields["to"]).choices = [(target, move.label)]
        self.fields["reason"].required_for_submission = move.needs_reason  # type: ignore[attr-defined]  # shown as required
        if not move.needs_reason:
            del self.fields["reason"]

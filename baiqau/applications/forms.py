from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import Question, QuestionKind

from .uploads import ACCEPT_ATTRIBUTE

MAX_AMOUNT = 10_000_000_000  # ten billion tenge: far above any call, below integer limits


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What the project does, in a few sentences (at most 2,000 characters)."),
    )
    target_group = forms.CharField(
        label=_("Target group"),
        max_length=500,
        help_text=_("Who the project helps, e.g. families raising children with disabilities."),
    )
    problem = forms.CharField(
        label=_("Problem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("The social problem the project solves and why it matters now."),
    )
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PlanForm(forms.Form):
    planned_activities = forms.CharField(
        label=_("Planned activities"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    expected_results = forms.CharField(
        label=_("Expected results and indicators"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What will change, and how you will measure it."),
    )
    beneficiaries_count = forms.IntegerField(
        label=_("Number of beneficiaries"), min_value=1, max_value=10_000_000
    )
    timeline = forms.CharField(
        label=_("Timeline"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    team = forms.CharField(
        label=_("Team"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The people who will carry out the project and their experience."),
    )


# While typing, a half-filled section is saved as it is: nothing is required yet. What is
# needed for submission is still marked, and checked when the application is submitted.
def relaxed(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        field.required_for_submission = field.required  # type: ignore[attr-defined]
        field.required = False
    return form


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=300)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    unit_cost = forms.IntegerField(
        label=_("Unit cost, ₸"), min_value=0, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    contribution = forms.IntegerField(
        label=_("Own or partner contribution, ₸"),
        min_value=0,
        required=False,
        validators=[MaxValueValidator(MAX_AMOUNT)],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quantity, unit_cost = data.get("quantity"), data.get("unit_cost")
        contribution = data.get("contribution") or 0
        if quantity and unit_cost is not None and contribution > quantity * unit_cost:
            self.add_error("contribution", _("The contribution cannot exceed the line's total."))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, JPEG or PNG; at most 10 MB each, 30 MB in all."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, ODT, JPEG or PNG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this application. It will not take part in the call.")
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


def question_field(question: Question) -> forms.Field | None:
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help,
        "required": question.required,
    }
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=question.max_length or 300, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=question.max_length or 5000,
            widget=forms.Textarea(attrs={"rows": 5}),
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=2, **common)
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=question.choice_pairs(), widget=forms.RadioSelect, **common
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            **common,
        )
    return None  # file questions are answered in the attachments section


class QuestionsForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {f"q{q.pk}": q for q in questions}
        for name, question in self.questions.items():
            field = question_field(question)
            if field is not None:
                self.fields[name] = field

    def answers(self) -> dict[int, Any]:
        """Cleaned values as JSON: text, a number as text, an ISO date, True/False, a list."""
        result: dict[int, Any] = {}
        for name, value in self.cleaned_data.items():
            question = self.questions[name]
            if isinstance(value, date):
                value = value.isoformat()
            elif question.kind == QuestionKind.NUMBER and value is not None:
                value = str(value)
            elif question.kind == QuestionKind.YES_NO:
                value = {"yes": True, "no": False}.get(value)
            result[question.pk] = value
        return result


def initial_answers(questions: list[Question], stored: dict[int, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for question in questions:
        value = stored.get(question.pk)
        if question.kind == QuestionKind.YES_NO and value is not None:
            value = "yes" if value else "no"
        initial[f"q{question.pk}"] = value
    return initial

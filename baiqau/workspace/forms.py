from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baiqau.applications.models import ApplicationStatus, ChecklistValue
from baiqau.organisations.models import OrganisationType

SORT_CHOICES = [
    ("-submitted", _("Newest first")),
    ("submitted", _("Oldest first")),
    ("-amount", _("Largest amount first")),
    ("amount", _("Smallest amount first")),
    ("title", _("Title")),
    ("organisation", _("Organisation")),
]
FLAG_CHOICES = [
    ("", _("Any")),
    ("overdue_reply", _("Clarification overdue")),
    ("over_maximum", _("Over the maximum amount")),
]


class ScreeningFilterForm(forms.Form):
    q = forms.CharField(label=_("Search titles and summaries"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))]
        + [(v, label) for v, label in ApplicationStatus.choices if v != ApplicationStatus.DRAFT],
    )
    org_type = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=[("", _("Any")), *OrganisationType.choices],
    )
    target = forms.CharField(label=_("Target group contains"), required=False, max_length=100)
    min_amount = forms.IntegerField(label=_("Amount from, ₸"), required=False, min_value=0)
    max_amount = forms.IntegerField(label=_("Amount to, ₸"), required=False, min_value=0)
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=FLAG_CHOICES)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)


class ChecklistForm(forms.Form):
    def __init__(self, *args: Any, items: list[Any], answers: dict[int, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            current = answers.get(item.pk)
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=ChecklistValue.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.value if current else None,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=1000,
                initial=current.note if current else "",
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"item_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
            if self.cleaned_data.get(f"item_{item.pk}")
        }


def _default_reply_due() -> str:
    return (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT18:00")


class ClarificationForm(forms.Form):
    message = forms.CharField(
        label=_("Question for the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    reply_due_at = forms.DateTimeField(
        label=_("Reply by (Almaty time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        initial=_default_reply_due,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (shown to the applicant; required when ineligible)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "ineligible" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason: the applicant will see it."))
        return data


class StaffMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


BULK_MOVES = [
    ("screening", _("Start screening")),
    ("eligible", _("Mark eligible")),
    ("in_review", _("Send to review")),
]


class BulkForm(forms.Form):
    to = forms.ChoiceField(choices=BULK_MOVES, label=_("Move to"))
    confirmed = forms.BooleanField(required=False)

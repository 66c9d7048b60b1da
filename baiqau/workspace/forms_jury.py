"""Forms of the staff's jury pages. They check the input's shape; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import CallRoleKind, Criterion
from baiqau.review.models import ExpertiseTag, ReviewPlan
from baiqau.review.services.plan import PLAN_FIELDS

LANGUAGE_LABELS = (("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English")))


class ReviewPlanForm(forms.ModelForm[ReviewPlan]):
    class Meta:
        model = ReviewPlan
        fields = list(PLAN_FIELDS)
        widgets = {
            "mode": forms.RadioSelect,
            "other_scores": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviews_per_application"].widget.attrs["min"] = 1
        self.fields["max_load"].widget.attrs["min"] = 1
        for name in ("quorum", "reminder_days"):
            self.fields[name].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_load"), data.get("max_load")
        if high is not None and high < 1:
            self.add_error("max_load", _("An expert must be able to take at least 1."))
        elif low is not None and high is not None and low > high:
            self.add_error("min_load", _("The minimum cannot be above the maximum."))
        if data.get("reviews_per_application") == 0:
            self.add_error("reviews_per_application", _("At least 1."))
        for name in ("quorum", "reminder_days"):
            if data.get(name) == 0:
                self.add_error(name, _("At least 1, or leave it empty."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}


class TagForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=100, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    remove = forms.BooleanField(label=_("Remove this area"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("name_ru") or data.get("name_en")
        if named and not data.get("name_kk") and not data.get("remove"):
            self.add_error("name_kk", _("Give the name in Kazakh too."))
        return data


class BaseTagFormSet(forms.BaseFormSet[TagForm]):
    def add_error(self, message: str) -> None:
        self.non_form_errors().append(message)

    def rows(self) -> list[dict[str, str]]:
        """The rows for `expertise_tags_save`; removed and blank rows are left out."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("remove") or not (data.get("name_kk") or "").strip():
                continue
            names = {f"name_{code}": data.get(f"name_{code}") or "" for code in ("kk", "ru", "en")}
            rows.append({"id": str(data["id"]) if data.get("id") else "", **names})
        return rows


TagFormSet = forms.formset_factory(TagForm, formset=BaseTagFormSet, extra=1, max_num=200)


def tag_initial(tags: list[ExpertiseTag]) -> list[dict[str, Any]]:
    return [
        {"id": t.pk, "name_kk": t.name_kk, "name_ru": t.name_ru, "name_en": t.name_en} for t in tags
    ]


class AnchorsForm(forms.Form):
    """The labels of one criterion's scale: a text field per point and language."""

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"anchors-{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        anchors = criterion.anchors or {}
        for point in range(criterion.min_score, criterion.max_score + 1):
            labels = anchors.get(str(point)) or {}
            for code, language in LANGUAGE_LABELS:
                self.fields[f"p{point}_{code}"] = forms.CharField(
                    label=_("%(point)s, %(language)s") % {"point": point, "language": language},
                    max_length=200,
                    required=False,
                    initial=labels.get(code, ""),
                )

    def points(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (point, [self[f"p{point}_{code}"] for code, _label in LANGUAGE_LABELS])
            for point in range(self.criterion.min_score, self.criterion.max_score + 1)
        ]

    def anchors(self) -> dict[str, dict[str, str]]:
        return {
            str(point): {
                code: self.cleaned_data.get(f"p{point}_{code}") or ""
                for code, _label in LANGUAGE_LABELS
            }
            for point in range(self.criterion.min_score, self.criterion.max_score + 1)
        }


EXPERT_ROLES = [
    (CallRoleKind.EXPERT.value, _("Expert")),
    (CallRoleKind.MEMBER.value, _("Expert and commission member")),
    (CallRoleKind.CHAIR.value, _("Expert and commission chair")),
]


class ExpertInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=EXPERT_ROLES, initial=CallRoleKind.EXPERT.value
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


class SeatForm(forms.Form):
    is_commission = forms.BooleanField(label=_("Commission member"), required=False)
    is_chair = forms.BooleanField(label=_("Commission chair"), required=False)
    min_load = forms.IntegerField(
        label=_("Minimum load"),
        min_value=0,
        max_value=10_000,
        required=False,
        help_text=_("Leave empty for the review plan's number."),
    )
    max_load = forms.IntegerField(
        label=_("Maximum load"),
        min_value=0,
        max_value=10_000,
        required=False,
        help_text=_("Leave empty for the review plan's number."),
    )


class ReasonForm(forms.Form):
    # Not required here: the service's own message says why a reason is needed.
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shown as required (the service refuses an empty reason with its own message).
        self.fields["reason"].required_for_submission = True  # type: ignore[attr-defined]


class ExpertChoiceForm(ReasonForm):
    """Choose an expert (by hand, or to swap to) with a reason."""

    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int)

    field_order = ["expert", "reason"]

    def __init__(self, *args: Any, choices: list[tuple[int | str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared just above
        field.choices = [("", _("Choose an expert")), *choices]


class AssignmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)
    lacking = forms.BooleanField(label=_("Only applications lacking reviewers"), required=False)


class ApplicationReviewSettingsForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=_("Areas of expertise"),
        queryset=ExpertiseTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviews_needed = forms.IntegerField(
        label=_("Reviews needed"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty for the call's number."),
    )

    def __init__(self, *args: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        field.queryset = tags


class RedactionForm(forms.Form):
    field = forms.CharField(max_length=40, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What experts see"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

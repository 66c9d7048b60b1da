"""Forms of the expert's pages: profile, declaration, scores, bids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import Criterion

from .models import REVIEW_LANGUAGES, BidValue, ExpertiseTag, Review


class ProfileForm(forms.Form):
    tags = forms.MultipleChoiceField(
        label=_("Areas of expertise"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every area you know well."),
    )
    expertise = forms.CharField(
        label=_("Your expertise in your own words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In any of the three languages: what you know and have worked on."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can review in"),
        choices=REVIEW_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language you can review in.")},
    )
    employer_bin = forms.CharField(
        label=_("BIN of the organisation you work for (optional)"),
        required=False,
        max_length=20,
        help_text=_("Used only to keep you away from its applications."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    max_load = forms.IntegerField(
        label=_("The most applications you can review (optional)"),
        required=False,
        min_value=1,
        max_value=1000,
    )

    def __init__(self, *args: Any, tags: list[ExpertiseTag], default_load: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tag_objects = {str(tag.pk): tag for tag in tags}
        choices = [(str(tag.pk), str(tag.name)) for tag in tags]
        self.fields["tags"].choices = choices  # type: ignore[attr-defined]  # a MultipleChoiceField
        self.fields["max_load"].help_text = _(
            "Leave empty to accept the call's maximum (%(n)s)."
        ) % {"n": default_load}

    def chosen_tags(self) -> list[ExpertiseTag]:
        return [self.tag_objects[pk] for pk in self.cleaned_data["tags"]]


CONFLICT_CHOICES = [
    ("no", _("I have no conflict of interest with this application")),
    ("yes", _("I have a conflict of interest with this application")),
]


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Your declaration"),
        choices=CONFLICT_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one: no conflict, or a conflict of interest.")},
        help_text=_(
            "A conflict is any relation that could make you less than impartial: you work or "
            "worked for the organisation, advise it, or someone close to you does."
        ),
    )
    reason = forms.CharField(
        label=_("What is the conflict?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you declare a conflict. The secretariat reads it."),
    )

    def __init__(self, *args: Any, conflict_only: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if conflict_only:
            # Declared free of conflict earlier: the only change left is to a conflict.
            self.fields["conflict"] = forms.TypedChoiceField(
                label=_("Your declaration"),
                choices=CONFLICT_CHOICES[1:],
                coerce=lambda value: value == "yes",
                widget=forms.HiddenInput,
                initial="yes",
            )
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Say what the conflict is: for example, “I advise this organisation”."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = (data.get("reason") or "").strip()
        if data.get("conflict") and not reason and "reason" not in self.errors:
            self.add_error(
                "reason",
                _("Say what the conflict is: for example, “I advise this organisation”."),
            )
        return data


def _plain(value: Decimal | None) -> Decimal | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


class ReviewForm(forms.Form):
    """One score and one comment per criterion, then the overall comment and the private note.

    Scores may be missing in a draft: the service decides what a submission needs.
    """

    comment_for_applicant = forms.CharField(
        label=_("Overall comment for the applicant"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The applicant reads it with the decision. Do not sign it."),
    )
    note_for_commission = forms.CharField(
        label=_("Private note for the commission"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the commission reads it: neither the applicant nor other experts."),
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        comment_required: bool,
        review: Review | None = None,
        **kwargs: Any,
    ):
        if review is not None and not args and "data" not in kwargs:
            kwargs.setdefault("initial", review_initial(review))
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        overall = {name: self.fields.pop(name) for name in list(self.fields)}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = score_field(criterion)
            comment = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": criterion.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            # Read by render_field: marked required, enforced by the service on submission.
            comment.required_for_submission = comment_required  # type: ignore[attr-defined]
            self.fields[f"comment_{criterion.pk}"] = comment
        self.fields.update(overall)

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField, Criterion]]:
        """(score field, comment field, criterion) in the criteria's order, for the template."""
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"], c) for c in self.criteria]

    def scores(self) -> dict[int, Decimal | int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}") or "" for c in self.criteria}


def score_field(criterion: Criterion) -> forms.Field:
    """A radio group when the scale's points have labels, a number input otherwise."""
    pairs = criterion.anchor_pairs()
    help_parts = [
        str(
            _("Weight %(weight)s%%, scale %(min)s to %(max)s.")
            % {
                "weight": _plain(Decimal(criterion.weight)),
                "min": criterion.min_score,
                "max": criterion.max_score,
            }
        )
    ]
    if str(criterion.description):
        help_parts.insert(0, str(criterion.description))
    field: forms.Field
    if any(label for _point, label in pairs):
        field = forms.TypedChoiceField(
            choices=[(str(p), f"{p} — {label}" if label else str(p)) for p, label in pairs],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )
    else:
        field = forms.DecimalField(
            min_value=criterion.min_score,
            max_value=criterion.max_score,
            max_digits=6,
            decimal_places=2,
            required=False,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        )
    field.label = _("Score for “%(name)s”") % {"name": criterion.name}
    field.help_text = " ".join(help_parts)
    field.required_for_submission = True  # type: ignore[union-attr]  # read by render_field
    return field


def review_initial(review: Review) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "comment_for_applicant": review.comment_for_applicant,
        "note_for_commission": review.note_for_commission,
    }
    for score in review.scores.all():
        value = _plain(score.value)
        initial[f"score_{score.criterion_id}"] = "" if value is None else str(value)
        initial[f"comment_{score.criterion_id}"] = score.comment
    return initial


class BidSearchForm(forms.Form):
    q = forms.CharField(label=_("Search titles"), required=False, max_length=200)


BID_KEY = re.compile(r"bid_(\d{1,12})")
BID_CHOICES = [("", _("No preference stated")), *((str(v), label) for v, label in BidValue.choices)]


def parse_bids(data: Mapping[str, Any]) -> tuple[dict[int, int | None], list[str]]:
    """{application id: bid or None} from `bid_<id>` fields; and the raw values refused."""
    values: dict[int, int | None] = {}
    refused = []
    allowed = {str(v) for v in BidValue.values}
    for key in list(data)[:1000]:
        match = BID_KEY.fullmatch(key)
        if match is None:
            continue
        raw = str(data.get(key) or "").strip()
        if raw == "":
            values[int(match[1])] = None
        elif raw in allowed:
            values[int(match[1])] = int(raw)
        else:
            refused.append(raw)
    return values, refused

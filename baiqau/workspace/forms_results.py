"""Forms of the staff's results pages: the result rules, computing the ranking, withdrawing
published results."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from baiqau.calls.models import AwardScheme, Call, Criterion
from baiqau.results.models import Calibration, Decides, ResultRules

TIE_STEPS = 3
TIE_FIELDS = tuple(f"tie_{n}" for n in range(1, TIE_STEPS + 1))

CALIBRATION_EXPLAINED: dict[str, StrOrPromise] = {
    Calibration.NONE: _("The scores stand as the experts gave them."),
    Calibration.ZSCORE: _(
        "Each expert's totals are standardised to the panel's mean and spread. Only for small "
        "panels where every expert scores every application: otherwise an expert who happened "
        "to get the strong applications looks lenient."
    ),
    Calibration.LEAST_SQUARES: _(
        "Estimates each application's quality and each expert's bias (scoring above or below "
        "the panel) together, from the applications experts share. For large panels where "
        "each expert reviews some of the applications."
    ),
    Calibration.LEAST_SQUARES_SCALE: _(
        "As the previous one, and also each expert's scale: some experts use the whole range, "
        "some only its middle. Needs several reviews per expert to be stable."
    ),
}

DECIDES_EXPLAINED: dict[str, StrOrPromise] = {
    Decides.RAW: _(
        "The ranking follows the experts' scores; the calibrated scores are shown beside them "
        "for the commission's information."
    ),
    Decides.CALIBRATED: _(
        "The ranking follows the scores corrected for each expert's severity; the raw scores "
        "are shown beside them."
    ),
}


def tie_rule_choices(criteria: Iterable[Criterion]) -> list[tuple[str, StrOrPromise]]:
    choices: list[tuple[str, StrOrPromise]] = [("", _("(no step)"))]
    choices += [
        (f"criterion:{c.pk}", _("The higher score on criterion “%(name)s”") % {"name": c.name})
        for c in criteria
    ]
    choices += [
        ("vote", _("The commission's vote")),
        ("lot", _("Lot: the verifiable draw")),
    ]
    return choices


class ResultRulesForm(forms.Form):
    calibration = forms.ChoiceField(
        label=_("Calibration for expert severity"),
        choices=Calibration.choices,
        widget=forms.RadioSelect,
    )
    decides = forms.ChoiceField(
        label=_("Which score decides the ranking"),
        choices=Decides.choices,
        widget=forms.RadioSelect,
    )
    bias_ridge = forms.DecimalField(
        label=_("Regularisation of expert biases"),
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "How strongly an expert's estimated bias is pulled towards zero: the larger, the "
            "more reviews it takes to call an expert severe or lenient. 2 suits most calls."
        ),
    )
    min_reviews = forms.IntegerField(
        label=_("Reviews an expert needs before their effect is estimated"),
        min_value=1,
        max_value=1000,
        help_text=_("Experts with fewer reviews are left as they are (bias 0, scale 1)."),
    )
    tie_1 = forms.ChoiceField(label=_("Step 1"), required=False)
    tie_2 = forms.ChoiceField(label=_("Step 2"), required=False)
    tie_3 = forms.ChoiceField(label=_("Step 3"), required=False)
    disagreement_threshold = forms.DecimalField(
        label=_("Disagreement threshold, points"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "An application whose review totals (0–100) differ by more than this is flagged for "
            "the commission to discuss. Leave empty to flag none."
        ),
    )
    resamples = forms.IntegerField(
        label=_("Bootstrap resamples"),
        min_value=1,
        max_value=10_000,
        help_text=_(
            "The rank intervals come from resampling each application's reviews this many "
            "times. More resamples, steadier intervals, slower computation."
        ),
    )
    level = forms.DecimalField(
        label=_("Level of the rank intervals"),
        min_value=Decimal("0.5"),
        max_value=Decimal("0.999"),
        max_digits=4,
        decimal_places=3,
        help_text=_(
            "0.95: each interval holds the application's position in 19 resamples out of 20."
        ),
    )
    lottery_value = forms.CharField(
        label=_("Value published before scoring, for any draw"),
        required=False,
        max_length=200,
        help_text=_(
            "Published on the call page before scoring begins. Any draw by lot is seeded by this "
            "value together with the score data, so nobody can choose a draw's outcome and "
            "anyone can repeat it. Needed when lot is a tie-break step or the band is funded "
            "by lot."
        ),
    )
    partial_randomisation = forms.BooleanField(
        label=_("Fund the band of uncertainty at the line by lot"),
        required=False,
        help_text=_(
            "As the Swiss National Science Foundation does: applications whose rank intervals "
            "straddle the funding line cannot be told apart by their scores, so the places "
            "left after the clearly funded ones are drawn by lot among them."
        ),
    )
    partial_last_grant = forms.BooleanField(
        label=_("The first grant that does not fit receives what is left of the pool"),
        required=False,
        help_text=_(
            "Otherwise the money left when the next application asks for more stays unspent."
        ),
    )

    def __init__(self, *args: Any, call: Call, criteria: Iterable[Criterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.call = call
        choices = tie_rule_choices(criteria)
        for name in TIE_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared just above
            field.choices = choices
        if call.award_scheme != AwardScheme.POOL:
            del self.fields["partial_last_grant"]

    @classmethod
    def initial_from(cls, rules: ResultRules) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(rules, name)
            for name in (
                "calibration",
                "decides",
                "bias_ridge",
                "min_reviews",
                "disagreement_threshold",
                "resamples",
                "level",
                "lottery_value",
                "partial_randomisation",
                "partial_last_grant",
            )
        }
        steps = list(rules.tie_break or [])[:TIE_STEPS]
        initial.update(zip(TIE_FIELDS, steps, strict=False))
        return initial

    @property
    def calibration_options(self) -> list[tuple[Any, StrOrPromise]]:
        return [(w, CALIBRATION_EXPLAINED.get(w.data["value"], "")) for w in self["calibration"]]

    @property
    def decides_options(self) -> list[tuple[Any, StrOrPromise]]:
        return [(w, DECIDES_EXPLAINED.get(w.data["value"], "")) for w in self["decides"]]

    @property
    def tie_fields(self) -> list[Any]:
        return [self[name] for name in TIE_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_tie_break(data)
        calibration = data.get("calibration")
        if data.get("decides") == Decides.CALIBRATED and calibration == Calibration.NONE:
            self.add_error(
                "decides", _("Calibrated scores can decide only when a calibration is chosen.")
            )
        min_reviews = data.get("min_reviews")
        if calibration == Calibration.ZSCORE and min_reviews is not None and min_reviews < 2:
            self.add_error(
                "min_reviews",
                _("The z-score needs at least two reviews per expert to measure their spread."),
            )
        ridge = data.get("bias_ridge")
        if calibration == Calibration.LEAST_SQUARES_SCALE and ridge is not None and ridge <= 0:
            self.add_error(
                "bias_ridge", _("With each expert's scale, the regularisation must be above 0.")
            )
        return data

    def _clean_tie_break(self, data: dict[str, Any]) -> None:
        steps = [(name, data.get(name) or "") for name in TIE_FIELDS]
        seen: set[str] = set()
        gap = False
        for index, (name, value) in enumerate(steps):
            if not value:
                gap = True
                continue
            if gap:
                self.add_error(
                    name, _("Fill in the steps in order, without an empty step between.")
                )
            if value in seen:
                self.add_error(name, _("Each rule can be used once."))
            seen.add(value)
            later = any(v for _n, v in steps[index + 1 :])
            if value == "lot" and later:
                self.add_error(
                    name, _("Lot can only be the last step: nothing is left tied after a draw.")
                )
        data["tie_break"] = [value for _name, value in steps if value]

    def values(self) -> dict[str, Any]:
        """The cleaned rules as ``result_rules_update`` takes them."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "calibration",
                "decides",
                "bias_ridge",
                "min_reviews",
                "tie_break",
                "disagreement_threshold",
                "resamples",
                "level",
                "lottery_value",
                "partial_randomisation",
            )
        }
        if "partial_last_grant" in self.fields:
            values["partial_last_grant"] = data["partial_last_grant"]
        return values


class ComputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for recomputing a confirmed ranking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_(
            "The commission has confirmed the current ranking. The reason goes into the audit "
            "log and the protocol, and the new ranking needs a new vote."
        ),
    )

    def __init__(self, *args: Any, needs_reason: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if needs_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def reason_text(self) -> str:
        return str(self.cleaned_data.get("reason", "")).strip()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing the results"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Recorded in the audit log; the call goes back to review."),
    )

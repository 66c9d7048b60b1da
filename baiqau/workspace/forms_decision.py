"""Forms of the commission's decision session. They check the input's shape; the rules (who
may vote, the quorum, what a change needs) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baiqau.results.models import Choice

REASON_MAX = 4000


class ReasonForm(forms.Form):
    """The reason recorded for the protocol; required when a confirmed result is changed."""

    reason = forms.CharField(
        label=_("Reason, for the protocol"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "motion")
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = required
        if required:
            field.help_text = _(
                "The commission confirmed a result before: say what changed and why. The "
                "reason goes into the protocol."
            )
        else:
            field.help_text = _("Optional: anything the protocol should say about this vote.")


class ChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change, for the protocol"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text=_(
            "The ranking is computed again from the submitted reviews and put to a new vote. If "
            "the commission rejects it, the result confirmed before stays in force."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
    dissent = forms.CharField(
        label=_("Dissenting opinion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX,
        required=False,
        help_text=_(
            "Required when you vote against; it goes into the protocol with your name. You can "
            "add it to any vote."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ballot")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("choice") == Choice.AGAINST and not (data.get("dissent") or "").strip():
            self.add_error(
                "dissent",
                _("A vote against needs your dissenting opinion; it goes into the protocol."),
            )
        return data


class TieVotesForm(forms.Form):
    """The votes of the commission for each tied application the "vote" rule leaves to it."""

    def __init__(
        self,
        *args: Any,
        applications: list[tuple[int, str]],
        initial_votes: dict[int, int],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "ties")
        super().__init__(*args, **kwargs)
        for application_id, title in applications:
            self.fields[f"votes_{application_id}"] = forms.IntegerField(
                label=_("Votes for “%(title)s”") % {"title": title},
                min_value=0,
                max_value=1000,
                initial=initial_votes.get(application_id),
            )

    def votes(self) -> dict[int, int]:
        return {
            int(name.removeprefix("votes_")): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("votes_")
        }

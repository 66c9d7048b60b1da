from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from baiqau.calls.models import CallRoleKind

from .models import Subscription


class SubscriptionForm(forms.ModelForm[Subscription]):
    class Meta:
        model = Subscription
        fields = ["new_calls"]


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 12})
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=CallRoleKind.choices)


# The keys of selectors.DELIVERY_FILTERS (a test keeps the two lists together).
DELIVERY_SHOWN = [
    ("", _("All")),
    ("problems", _("Failed or retrying")),
    ("failed", _("Failed")),
    ("retrying", _("Failed, will retry")),
    ("queued", _("Queued")),
    ("sent", _("Sent")),
]


class DeliveryFilterForm(forms.Form):
    shown = forms.ChoiceField(label=_("Show"), choices=DELIVERY_SHOWN, required=False)
